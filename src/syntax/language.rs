//! Which blocks are in English.
//!
//! Real policy texts mix languages: a licence with its German and French
//! versions after the English one, a Dutch section, a Chinese notice. The
//! English word rules (misspelling, real-word, article, repeated-word,
//! acronyms) read only English blocks; everything they would say about the
//! others is noise.
//!
//! A block is judged by its function words, which every sentence has and
//! no other words are as reliable for: English ones (`data/stopwords/
//! english.txt`) against those of 19 other Latin-script languages
//! (`data/stopwords/foreign.txt`), and by its script (a block mostly in
//! Han, Cyrillic or Greek letters is not English). A block too short to
//! show either (a heading, "Definitionen", a name) takes the language of
//! the next block that shows one (a heading introduces what follows), or
//! of the previous one at the end of the text. A document that never shows
//! a language is English.

use std::sync::LazyLock;

use super::{Block, Span};
use crate::hashing::{PackedWords, pack};

/// The language of a block, as far as the English word rules care.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Language {
    #[default]
    English,
    /// Any other language, in any script.
    Other,
}

/// Whose function word a word is: the value of its entry in
/// [`FUNCTION_WORDS`].
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Side {
    English = 1,
    Foreign = 2,
}

/// The function words of `data/stopwords/` (English ones win over the
/// same word elsewhere), built on first use. (A `match` of the words
/// compiles into jump tables on a word's length and first letter, whose
/// targets a processor cannot foresee word after word.)
static FUNCTION_WORDS: LazyLock<PackedWords> = LazyLock::new(|| {
    let lists = [
        (
            Side::Foreign,
            include_str!("../../data/stopwords/foreign.txt"),
        ),
        (
            Side::English,
            include_str!("../../data/stopwords/english.txt"),
        ),
    ];
    let words = lists.into_iter().flat_map(|(side, list)| {
        list.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(move |word| (word, side as u8))
    });
    PackedWords::new(TABLE_BITS, words)
});

/// The table holds 2^`TABLE_BITS` words, a quarter of them used.
const TABLE_BITS: u32 = 14;

/// Whose function word a packed word (in lower case) is.
fn side_of(key: u128) -> Option<Side> {
    FUNCTION_WORDS.get(key).map(|value| {
        if value == Side::English as u8 {
            Side::English
        } else {
            Side::Foreign
        }
    })
}

/// Words of a block read to judge it: enough to decide, and a block of a
/// megabyte costs no more than a paragraph.
const MAX_WORDS: usize = 40;
/// Function words enough to decide, once one language has most of them.
const DECISIVE_FUNCTION_WORDS: usize = 6;
/// The fewest function words that decide a block's language.
const MIN_FUNCTION_WORDS: usize = 2;
/// The fewest letters of another script that make a block not English.
const MIN_OTHER_SCRIPT_LETTERS: usize = 4;
/// The longest word looked up, in bytes: all the English function words
/// and all but a few rare ones of the other languages.
const MAX_FUNCTION_WORD: usize = 10;

/// The language each block's own prose shows, if it shows one.
pub(super) fn verdicts(text: &str, blocks: &[Block]) -> Vec<Option<Language>> {
    blocks.iter().map(|b| judge(text, &b.prose)).collect()
}

/// Sets the language of every block from the blocks' `verdicts`: a block
/// that shows none takes that of the next block that does, or else of the
/// last one before it.
pub(super) fn assign(verdicts: &[Option<Language>], blocks: &mut [Block]) {
    // The verdict of each block or else of the next block that has one.
    let mut this_or_next = vec![None; blocks.len()];
    let mut next = None;
    for i in (0..blocks.len()).rev() {
        next = verdicts[i].or(next);
        this_or_next[i] = next;
    }
    let mut previous = None;
    for (i, block) in blocks.iter_mut().enumerate() {
        block.language = this_or_next[i].or(previous).unwrap_or_default();
        previous = verdicts[i].or(previous);
    }
}

/// The bytes of words: ASCII letters and every byte of a character beyond
/// ASCII (most of a policy is ASCII, and words are found byte by byte).
static WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = b >= 0x80 || (b as u8).is_ascii_alphabetic();
        b += 1;
    }
    table
};

/// The packed key (see [`pack`]) of the ASCII word of `length` bytes (at
/// most [`MAX_FUNCTION_WORD`]) that starts `text`, in lower case: a word
/// here is letters only, and setting their case bits lowers them. The
/// sixteen bytes from its start are read whatever its length, so that no
/// loop ends where the word does (a place a processor cannot foresee).
fn ascii_key(text: &[u8], length: usize) -> u128 {
    let mut bytes = [0u8; 16];
    for (b, t) in bytes.iter_mut().zip(text) {
        *b = *t;
    }
    let word = (1u128 << (8 * length)) - 1;
    (u128::from_le_bytes(bytes) | 0x2020_2020_2020_2020_2020_2020_2020_2020) & word
}

/// The language the prose shows, if it shows one.
fn judge(text: &str, prose: &[Span]) -> Option<Language> {
    if says_the_twice(text, prose) {
        return Some(Language::English);
    }
    let mut english = 0usize;
    let mut foreign = 0usize;
    let mut latin_letters = 0usize;
    let mut other_letters = 0usize;
    let mut words = 0usize;
    let mut lower = String::new();
    'runs: for run in prose {
        let source = run.of(text);
        let bytes = source.as_bytes();
        let mut i = 0;
        let in_word = |b: u8| WORD_BYTES[b as usize];
        while i < bytes.len() {
            if !in_word(bytes[i]) {
                i += 1;
                continue;
            }
            let start = i;
            let mut ascii = true;
            while i < bytes.len() && in_word(bytes[i]) {
                ascii &= bytes[i].is_ascii();
                i += 1;
            }
            let word = &source[start..i];
            words += 1;
            let decided = english + foreign >= DECISIVE_FUNCTION_WORDS
                && english.abs_diff(foreign) * 2 > english + foreign;
            if words > MAX_WORDS || decided {
                break 'runs;
            }
            if ascii {
                latin_letters += word.len();
            } else {
                for c in word.chars().filter(|c| c.is_alphabetic()) {
                    if is_latin(c) {
                        latin_letters += 1;
                    } else {
                        other_letters += 1;
                    }
                }
            }
            if word.len() > MAX_FUNCTION_WORD {
                continue;
            }
            let key = if ascii {
                Some(ascii_key(&bytes[start..], word.len()))
            } else {
                lower.clear();
                lower.extend(word.chars().flat_map(char::to_lowercase));
                pack(lower.as_bytes())
            };
            match key.and_then(side_of) {
                Some(Side::English) => english += 1,
                Some(Side::Foreign) => foreign += 1,
                None => {}
            }
        }
    }
    if other_letters >= MIN_OTHER_SCRIPT_LETTERS && other_letters > latin_letters {
        return Some(Language::Other);
    }
    if english + foreign < MIN_FUNCTION_WORDS {
        return None;
    }
    Some(if foreign > english {
        Language::Other
    } else {
        Language::English
    })
}

/// A searcher for "the ", built once.
static THE: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new(b"the "));

/// How far into a block the shortcut of [`says_the_twice`] looks, in bytes.
const THE_WINDOW: usize = 400;

/// Whether the block's prose starts with "the" twice within a few
/// sentences, as nearly every English paragraph does and no other
/// language's: most blocks are decided at the cost of a byte search.
fn says_the_twice(text: &str, prose: &[Span]) -> bool {
    let mut seen = 0;
    let mut budget = THE_WINDOW;
    let the = &*THE;
    for run in prose {
        let bytes = run.of(text).as_bytes();
        let window = &bytes[..bytes.len().min(budget)];
        for at in the.find_iter(window) {
            if at == 0 || !window[at - 1].is_ascii_alphabetic() {
                seen += 1;
                if seen == 2 {
                    return true;
                }
            }
        }
        budget -= window.len();
        if budget == 0 {
            break;
        }
    }
    false
}

/// An English function word ("this", "with", "under"): small in titles.
pub fn is_function_word(word: &str) -> bool {
    word.is_ascii()
        && pack(word.to_ascii_lowercase().as_bytes()).and_then(side_of) == Some(Side::English)
}

/// Latin letters, with their accented forms.
pub fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c as u32, 0x00C0..=0x024F | 0x1E00..=0x1EFF)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{Document, Format};

    fn languages(text: &str) -> Vec<(String, Language)> {
        let doc = Document::parse(text, Format::Plain);
        doc.blocks
            .iter()
            .map(|b| (doc.slice(b.span).to_string(), b.language))
            .collect()
    }

    #[test]
    fn the_table_holds_every_function_word_on_its_side() {
        let words = |list: &'static str| {
            list.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
        };
        let side = |word: &str| pack(word.as_bytes()).and_then(side_of);
        let english: Vec<&str> = words(include_str!("../../data/stopwords/english.txt")).collect();
        for word in &english {
            assert_eq!(side(word), Some(Side::English), "{word}");
        }
        let foreign = words(include_str!("../../data/stopwords/foreign.txt"));
        for word in foreign.filter(|w| !english.contains(w)) {
            assert_eq!(side(word), Some(Side::Foreign), "{word}");
        }
        for word in [
            "licensor",
            "software",
            "zzzz",
            "policylint",
            "internationally",
        ] {
            assert_eq!(side(word), None, "{word}");
        }
        assert_eq!(Some(ascii_key(b"The licensor", 3)), pack(b"the"));
        assert_eq!(Some(ascii_key(b"ABOUT", 5)), pack(b"about"));
    }

    #[test]
    fn function_words_decide() {
        let text = "Licence\n\nThe licensor grants you the right to use the work.\n\nDer Lizenzgeber räumt Ihnen das Recht ein, das Werk zu nutzen und nicht zu verändern.\n\nLe donneur de licence vous accorde le droit d'utiliser l'oeuvre et de la modifier.\n\nDe licentiegever verleent u het recht om het werk te gebruiken.\n";
        let found: Vec<Language> = languages(text).into_iter().map(|(_, l)| l).collect();
        assert_eq!(
            found,
            [
                Language::English,
                Language::English,
                Language::Other,
                Language::Other,
                Language::Other
            ]
        );
    }

    #[test]
    fn other_scripts_are_not_english() {
        let found =
            languages("Title\n\nThis is English text.\n\n本许可证适用于软件的使用和分发。\n");
        assert_eq!(found[2].1, Language::Other);
    }

    #[test]
    fn short_blocks_take_the_language_of_what_follows() {
        let text = "Licence\n\nThe licensor grants you the right to use the work.\n\nDefinitionen\n\nDer Lizenzgeber räumt Ihnen das Recht ein, das Werk zu nutzen.\n\nSonstige\n";
        let found = languages(text);
        assert_eq!(found[0].1, Language::English);
        assert_eq!(found[2], ("Definitionen".to_string(), Language::Other));
        assert_eq!(found[4], ("Sonstige".to_string(), Language::Other));
    }

    #[test]
    fn english_with_a_foreign_name_stays_english() {
        let text = "Title\n\nThe Institut National de Recherche en Informatique is the licensor of this work and you may use it.\n";
        assert_eq!(languages(text)[1].1, Language::English);
    }
}
