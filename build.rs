//! Compiles the word lists under `data/` into finite-state transducers that
//! the binary embeds, so that looking a word up needs no parsing at start-up.

use std::env;
use std::fs;
use std::path::Path;

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let source = "data/lexicon/words.tsv";
    println!("cargo:rerun-if-changed={source}");
    let text = fs::read_to_string(source).expect("data/lexicon/words.tsv is readable");
    let mut builder = fst::MapBuilder::memory();
    let mut previous = String::new();
    for (n, line) in text.lines().enumerate() {
        let mut fields = line.split('\t');
        let (Some(word), Some(level), Some(region)) = (fields.next(), fields.next(), fields.next())
        else {
            panic!("{source}:{}: expected word, level and region", n + 1);
        };
        let level: u64 = level
            .parse()
            .unwrap_or_else(|_| panic!("{source}:{}: bad level {level:?}", n + 1));
        // Bit 0: valid in US English; bit 1: valid in British English.
        let region: u64 = match region {
            "both" => 0b11,
            "US" => 0b01,
            "GB" => 0b10,
            other => panic!("{source}:{}: bad region {other:?}", n + 1),
        };
        assert!(
            previous.as_str() < word,
            "{source}:{}: words must be sorted by bytes and unique",
            n + 1
        );
        builder
            .insert(word, level | region << 8)
            .expect("sorted keys insert");
        previous = word.to_string();
    }
    let bytes = builder.into_inner().expect("the map builds in memory");
    fs::write(Path::new(&out).join("words.fst"), bytes).expect("OUT_DIR is writable");
}
