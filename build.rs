//! Compiles the word lists under `data/` into finite-state transducers that
//! the binary embeds, so that looking a word up needs no parsing at start-up.

use std::collections::BTreeMap;
use std::env;
use std::fs;
use std::path::Path;

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut words: BTreeMap<String, u64> = BTreeMap::new();
    let source = "data/lexicon/words.tsv";
    println!("cargo:rerun-if-changed={source}");
    let text = fs::read_to_string(source).expect("data/lexicon/words.tsv is readable");
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
        words.insert(word.to_string(), level | region << 8);
    }
    // Policy vocabulary: both dialects, the rarest level (never suggested).
    let extra = "data/lexicon/policy-words.txt";
    println!("cargo:rerun-if-changed={extra}");
    let text = fs::read_to_string(extra).expect("data/lexicon/policy-words.txt is readable");
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        words
            .entry(line.to_string())
            .or_insert(POLICY_LEVEL | 0b11 << 8);
    }
    let mut builder = fst::MapBuilder::memory();
    for (word, value) in &words {
        builder.insert(word, *value).expect("sorted keys insert");
    }
    let bytes = builder.into_inner().expect("the map builds in memory");
    fs::write(Path::new(&out).join("words.fst"), bytes).expect("OUT_DIR is writable");
}

/// The level given to the policy vocabulary: rarer than any SCOWL level we
/// load, so that it is accepted but never suggested.
const POLICY_LEVEL: u64 = 80;
