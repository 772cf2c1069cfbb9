//! Compiles the word lists under `data/` into what the binary embeds, so
//! that looking a word up needs no parsing at start-up: the lexicon
//! (`words.fst`) and the known misspellings of its words (`typos.fst` with
//! `typo-corrections.txt`).

use std::collections::{BTreeMap, HashMap};
use std::env;
use std::fs;
use std::path::Path;

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out);
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
    // Policy and legal vocabulary: both dialects, the rarest level (never
    // suggested).
    for extra in [
        "data/lexicon/policy-words.txt",
        "data/lexicon/legal-words.txt",
    ] {
        println!("cargo:rerun-if-changed={extra}");
        let text = fs::read_to_string(extra).unwrap_or_else(|e| panic!("{extra}: {e}"));
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            words
                .entry(line.to_string())
                .or_insert(POLICY_LEVEL | 0b11 << 8);
        }
    }
    let mut builder = fst::MapBuilder::memory();
    for (word, value) in &words {
        builder.insert(word, *value).expect("sorted keys insert");
    }
    let bytes = builder.into_inner().expect("the map builds in memory");
    fs::write(out.join("words.fst"), bytes).expect("OUT_DIR is writable");
    write_frequent(&words, out);
    write_typos(&words, out);
}

/// The rarest SCOWL size level of the words in `frequent-words.txt`: they
/// are about six in seven of the words of a policy, and twelve thousand.
const FREQUENT_LEVEL: u64 = 20;

/// Writes `frequent-words.txt`: the lexicon's commonest words in lower
/// case, of at most 15 bytes, spelled so in both dialects, one a line. Most
/// words a text uses are among them, and a table of them built at start-up
/// answers faster than the map.
fn write_frequent(words: &BTreeMap<String, u64>, out: &Path) {
    let mut list = String::new();
    for (word, value) in words {
        let both = value >> 8 == 0b11;
        let lower = word
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase());
        if both && lower && value & 0xff <= FREQUENT_LEVEL && word.len() < 16 {
            list.push_str(word);
            list.push('\n');
        }
    }
    fs::write(out.join("frequent-words.txt"), list).expect("OUT_DIR is writable");
}

/// The level given to the policy vocabulary: rarer than any SCOWL level we
/// load, so that it is accepted but never suggested.
const POLICY_LEVEL: u64 = 80;

/// Writes the misspellings of the `typos-dict` crate that the lexicon lacks
/// and whose corrections it holds: `typos.fst` maps each (lower case) to the
/// byte range of its corrections, comma-separated, in
/// `typo-corrections.txt`. Lists shared by several misspellings are stored
/// once.
fn write_typos(words: &BTreeMap<String, u64>, out: &Path) {
    let spelled_right = |w: &str| {
        let mut chars = w.chars();
        let capitalised: String = chars
            .next()
            .into_iter()
            .flat_map(char::to_uppercase)
            .chain(chars)
            .collect();
        words.contains_key(w) || words.contains_key(&capitalised)
    };
    let mut table: BTreeMap<String, String> = BTreeMap::new();
    for (typo, corrections) in typos_dict::WORD.map.entries() {
        let typo = typo.into_inner().to_lowercase();
        if spelled_right(&typo) {
            continue;
        }
        let known: Vec<&str> = corrections
            .iter()
            .copied()
            .filter(|c| words.contains_key(*c))
            .collect();
        if !known.is_empty() {
            table.insert(typo, known.join(","));
        }
    }
    let mut blob = String::new();
    let mut stored: HashMap<&str, u64> = HashMap::new();
    let mut builder = fst::MapBuilder::memory();
    for (typo, corrections) in &table {
        let start = *stored.entry(corrections).or_insert_with(|| {
            let start = blob.len() as u64;
            blob.push_str(corrections);
            start
        });
        let len = corrections.len() as u64;
        assert!(len < 1 << 16, "a correction list fits 16 bits of length");
        builder
            .insert(typo, start << 16 | len)
            .expect("sorted keys insert");
    }
    let bytes = builder.into_inner().expect("the map builds in memory");
    fs::write(out.join("typos.fst"), bytes).expect("OUT_DIR is writable");
    fs::write(out.join("typo-corrections.txt"), blob).expect("OUT_DIR is writable");
}
