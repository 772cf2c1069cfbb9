//! Fixing any text: every fix applies, fixing reaches a fixed point (no
//! safe fix is left), and fixing the result again changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policylint::config::Config;
use policylint::lint::Linter;
use policylint::lint::fix::{FixMode, fix_text};
use policylint::syntax::{Document, Format};

fuzz_target!(|input: (bool, &str)| {
    let (markdown, text) = input;
    let format = if markdown {
        Format::Markdown
    } else {
        Format::Plain
    };
    let linter = Linter::new(&Config::default());
    fix_text(text, format, &linter, FixMode::All);
    let once = fix_text(text, format, &linter, FixMode::Safe);
    let doc = Document::parse(once.text.as_str(), format);
    let left: Vec<_> = linter
        .check(&doc)
        .into_iter()
        .filter(|d| d.fix.as_ref().is_some_and(|f| f.safe))
        .map(|d| (d.rule.name, doc.slice(d.span).to_string()))
        .collect();
    assert!(left.is_empty(), "safe fixes left: {left:?}");
    let twice = fix_text(&once.text, format, &linter, FixMode::Safe);
    assert_eq!(twice.text, once.text);
});
