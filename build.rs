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
    write_suggestable(&words, out);
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

/// The rarest words offered as suggestions: the lexicon accepts rarer ones
/// (SCOWL size 70, and the policy vocabulary) but proposing them would
/// mislead more than help.
const SUGGESTION_MAX_LEVEL: u64 = 60;

/// Writes `suggestable.fst`, the words spelling suggestions are searched
/// among: those of at most [`SUGGESTION_MAX_LEVEL`], keyed in ASCII lower
/// case (the case the search compares in), so that a search walks one
/// branch for "Paris" and "paris" and none for words it would not offer.
///
/// A key's value holds, for each dialect (American in the low 32 bits,
/// British in the high), the spelling a suggestion takes: the commonest of
/// the key's spellings in that dialect, the first in byte order among
/// equals (the order in which a search that met them all ranked them). Its
/// low byte is the level (`0xff`: no spelling in that dialect); bits 8–9
/// say how it is written: 0 as the key, 1 capitalised, 2 in capitals,
/// 3 otherwise, when bits 10–25 give its offset in
/// `suggestable-spellings.txt` and bits 26–31 its length.
fn write_suggestable(words: &BTreeMap<String, u64>, out: &Path) {
    let mut best: BTreeMap<String, [Option<(u64, &str)>; 2]> = BTreeMap::new();
    for (word, value) in words {
        let level = value & 0xff;
        if level > SUGGESTION_MAX_LEVEL {
            continue;
        }
        let spellings = best.entry(word.to_ascii_lowercase()).or_default();
        for (dialect, spelling) in spellings.iter_mut().enumerate() {
            // `words` is sorted: the first of a level is first in byte order.
            if value >> 8 & (1 << dialect) != 0 && spelling.is_none_or(|(l, _)| level < l) {
                *spelling = Some((level, word));
            }
        }
    }
    let mut blob = String::new();
    let mut builder = fst::MapBuilder::memory();
    for (key, spellings) in &best {
        let mut value = 0u64;
        for (dialect, spelling) in spellings.iter().enumerate() {
            let half = match spelling {
                None => 0xff,
                Some((level, word)) => {
                    let capitalised =
                        word.as_bytes()[0].is_ascii_uppercase() && word[1..] == key[1..];
                    let how = if word == key {
                        0
                    } else if capitalised {
                        1
                    } else if *word == key.to_ascii_uppercase() {
                        2
                    } else {
                        let (offset, len) = (blob.len() as u64, word.len() as u64);
                        assert!(
                            offset < 1 << 16 && len < 1 << 6,
                            "{word}: spelling out of range"
                        );
                        blob.push_str(word);
                        3 | offset << 2 | len << 18
                    };
                    level | how << 8
                }
            };
            value |= half << (32 * dialect);
        }
        builder.insert(key, value).expect("sorted keys insert");
    }
    let bytes = builder.into_inner().expect("the map builds in memory");
    fs::write(out.join("suggestable.fst"), bytes).expect("OUT_DIR is writable");
    fs::write(out.join("suggestable-spellings.txt"), blob).expect("OUT_DIR is writable");
    // For the tests that compare a search with one of the whole lexicon.
    let constant = format!("const SUGGESTION_MAX_LEVEL: u8 = {SUGGESTION_MAX_LEVEL};\n");
    fs::write(out.join("suggestable.rs"), constant).expect("OUT_DIR is writable");
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
