//! `policylint.toml` of any content, alone and under editor settings:
//! parsed or refused with a message, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policylint::config::Config;
use policylint::lint::Linter;

fuzz_target!(|input: (&str, &str)| {
    let (file, settings) = input;
    if let Ok(config) = Config::parse(file, None) {
        Linter::new(&config);
    }
    if let Ok(settings) = serde_json::from_str::<serde_json::Value>(settings) {
        if let Ok(config) = Config::with_overrides(file, None, &settings) {
            Linter::new(&config);
        }
    }
});
