//! Known misspellings: the typo → correction pairs of the `typos-dict`
//! crate (the dictionary of the `typos` source-code spell checker), kept by
//! `build.rs` where the lexicon lacks the misspelling and holds a correction.
//! Being listed there is evidence that an unknown word is a slip, not a
//! name or a term.

use std::sync::LazyLock;

use fst::Map;

static TYPOS: LazyLock<Map<&'static [u8]>> = LazyLock::new(|| {
    Map::new(&include_bytes!(concat!(env!("OUT_DIR"), "/typos.fst"))[..])
        .expect("build.rs writes a valid map")
});

static CORRECTIONS: &str = include_str!(concat!(env!("OUT_DIR"), "/typo-corrections.txt"));

/// The corrections of `lowercase` if it is a known misspelling, in the
/// order the list gives them (lower case, any dialect).
pub fn corrections(lowercase: &str) -> Option<impl Iterator<Item = &'static str>> {
    let value = TYPOS.get(lowercase)?;
    let start = (value >> 16) as usize;
    let len = (value & 0xffff) as usize;
    Some(CORRECTIONS[start..start + len].split(','))
}

#[cfg(test)]
mod tests {
    use super::corrections;

    fn of(word: &str) -> Option<Vec<&'static str>> {
        corrections(word).map(Iterator::collect)
    }

    #[test]
    fn known_misspellings_and_their_corrections() {
        assert_eq!(of("recieved"), Some(vec!["received"]));
        assert_eq!(of("declatory"), Some(vec!["declaratory"]));
        assert!(of("preceeding").is_some_and(|c| c.contains(&"preceding")));
    }

    #[test]
    fn words_of_the_lexicon_are_not_misspellings() {
        assert_eq!(of("received"), None);
        // typos-dict lists "wether" for "whether", but it is a word.
        assert_eq!(of("wether"), None);
        assert_eq!(of("Recieved"), None);
    }
}
