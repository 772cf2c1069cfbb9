//! The English lexicon: SCOWL-derived words compiled into the binary.
//!
//! `build.rs` turns `data/lexicon/words.tsv` into an `fst` map from each
//! word form (as SCOWL spells it, case kept) to its SCOWL size level and the
//! regions whose spelling it is.

pub mod confusion;
pub mod dialect;
mod dictionary;
mod suggest;
mod typos;

use std::sync::LazyLock;

use fst::Map;

use crate::hashing::PackedWords;

pub use dictionary::{Dictionary, in_case_of, is_prefix};
pub use suggest::{Neighbour, Suggestion, neighbours, weighted_distance};

static WORDS: LazyLock<Map<&'static [u8]>> = LazyLock::new(|| {
    Map::new(&include_bytes!(concat!(env!("OUT_DIR"), "/words.fst"))[..])
        .expect("build.rs writes a valid map")
});

/// The lexicon's commonest words (see `build.rs`), built on first use.
static FREQUENT: LazyLock<PackedWords> = LazyLock::new(|| {
    let list = include_str!(concat!(env!("OUT_DIR"), "/frequent-words.txt"));
    PackedWords::new(FREQUENT_BITS, list.lines().map(|word| (word, 1)))
});

/// The table of frequent words has 2^`FREQUENT_BITS` slots, about a third
/// of them used.
const FREQUENT_BITS: u32 = 15;

/// Whether `word` is one of the lexicon's commonest words in lower case,
/// capitalised or in capitals ("the", "The", "THE"): such a word is
/// spelled right in either dialect, and most words of a text are one.
pub fn is_frequent(word: &str) -> bool {
    let bytes = word.as_bytes();
    if bytes.is_empty() || bytes.len() >= 16 {
        return false;
    }
    // Packed as `hashing::pack` packs, lowered on the way (no call to copy
    // a few bytes), with the case of the letters after the first.
    let mut packed = [0u8; 16];
    let (mut upper, mut lower) = (false, false);
    for (i, (p, &b)) in packed.iter_mut().zip(bytes).enumerate() {
        if i > 0 {
            upper |= b.is_ascii_uppercase();
            lower |= b.is_ascii_lowercase();
        }
        *p = b.to_ascii_lowercase();
    }
    // `Dictionary::knows` reads these three cases as the word in lower case.
    let lower_case = !upper || (bytes[0].is_ascii_uppercase() && !lower);
    lower_case && FREQUENT.get(u128::from_le_bytes(packed)).is_some()
}

/// The rarest SCOWL size level of a common word, whose near misses are
/// taken for slips of it. At 35 ("common") about one unknown word in twenty
/// of the Debian policy texts (package and tool names) has such a
/// neighbour; at 50, one in ten.
pub const COMMON_LEVEL: u8 = 35;

/// English as spoken where.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Default)]
pub enum Dialect {
    #[default]
    American,
    British,
}

impl Dialect {
    fn bit(self) -> u64 {
        match self {
            Dialect::American => 0b01,
            Dialect::British => 0b10,
        }
    }

    /// `en-US` / `en-GB` (also `en_US`, `en-gb`, `en-UK`).
    pub fn from_tag(tag: &str) -> Option<Dialect> {
        match tag.to_ascii_lowercase().replace('_', "-").as_str() {
            "en" | "en-us" => Some(Dialect::American),
            "en-gb" | "en-uk" => Some(Dialect::British),
            _ => None,
        }
    }
}

/// What the lexicon knows of one word form.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// SCOWL size level (10, 20, 35, 40, 50, 55, 60): smaller is commoner.
    pub level: u8,
    regions: u8,
}

impl Entry {
    pub fn valid_in(self, dialect: Dialect) -> bool {
        u64::from(self.regions) & dialect.bit() != 0
    }
}

/// The entry for exactly `word` (case and apostrophes as written), in any
/// dialect.
pub fn lookup(word: &str) -> Option<Entry> {
    WORDS.get(word).map(entry)
}

/// The entry a value of the map stands for.
fn entry(value: u64) -> Entry {
    Entry {
        level: (value & 0xff) as u8,
        regions: (value >> 8) as u8,
    }
}

/// The words of the lexicon, for searching by similarity.
pub fn words() -> &'static Map<&'static [u8]> {
    &WORDS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_keep_case_and_region() {
        assert_eq!(lookup("policy").map(|e| e.level), Some(10));
        assert!(lookup("Policy").is_none());
        let colour = lookup("colour").unwrap();
        assert!(colour.valid_in(Dialect::British));
        assert!(!colour.valid_in(Dialect::American));
        assert!(lookup("DMCA").is_some());
    }

    #[test]
    fn dialect_tags() {
        assert_eq!(Dialect::from_tag("en_GB"), Some(Dialect::British));
        assert_eq!(Dialect::from_tag("en-US"), Some(Dialect::American));
        assert_eq!(Dialect::from_tag("fr"), None);
    }
}
