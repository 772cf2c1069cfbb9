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

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use super::{Block, Span};

/// The language of a block, as far as the English word rules care.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Language {
    #[default]
    English,
    /// Any other language, in any script.
    Other,
}

/// Whose function word a word is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Side {
    English,
    Foreign,
}

/// FNV-1a, for a fixed list of short words: the standard hasher's defence
/// against chosen keys costs more than the rest of the judging here.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

type FunctionWords = HashMap<&'static str, Side, BuildHasherDefault<Fnv>>;

static FUNCTION_WORDS: LazyLock<FunctionWords> = LazyLock::new(|| {
    let list = |source: &'static str| {
        source
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
    };
    let mut words = FunctionWords::default();
    for word in list(include_str!("../../data/stopwords/foreign.txt")) {
        words.insert(word, Side::Foreign);
    }
    for word in list(include_str!("../../data/stopwords/english.txt")) {
        words.insert(word, Side::English);
    }
    words
});

/// Words of a block read to judge it: enough to decide, and a block of a
/// megabyte costs no more than a paragraph.
const MAX_WORDS: usize = 200;
/// Function words enough to decide, once one language has most of them.
const DECISIVE_FUNCTION_WORDS: usize = 16;
/// The fewest function words that decide a block's language.
const MIN_FUNCTION_WORDS: usize = 2;
/// The fewest letters of another script that make a block not English.
const MIN_OTHER_SCRIPT_LETTERS: usize = 4;
/// The longest function word on the lists, in bytes.
const MAX_FUNCTION_WORD: usize = 16;

/// Sets the language of every block with prose.
pub(super) fn assign(text: &str, blocks: &mut [Block]) {
    let verdicts: Vec<Option<Language>> = blocks.iter().map(|b| judge(text, &b.prose)).collect();
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

/// The language the prose shows, if it shows one.
fn judge(text: &str, prose: &[Span]) -> Option<Language> {
    let mut english = 0usize;
    let mut foreign = 0usize;
    let mut latin_letters = 0usize;
    let mut other_letters = 0usize;
    let mut words = 0usize;
    let mut lower = String::new();
    let mut buffer = [0u8; MAX_FUNCTION_WORD];
    'runs: for run in prose {
        for word in run
            .of(text)
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
        {
            words += 1;
            let decided = english + foreign >= DECISIVE_FUNCTION_WORDS
                && english.abs_diff(foreign) * 2 > english + foreign;
            if words > MAX_WORDS || decided {
                break 'runs;
            }
            if word.is_ascii() {
                latin_letters += word.len();
            } else {
                for c in word.chars() {
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
            let key = if word.is_ascii() {
                let lowered = &mut buffer[..word.len()];
                lowered.copy_from_slice(word.as_bytes());
                lowered.make_ascii_lowercase();
                std::str::from_utf8(lowered).expect("ASCII stays UTF-8")
            } else {
                lower.clear();
                lower.extend(word.chars().flat_map(char::to_lowercase));
                lower.as_str()
            };
            match FUNCTION_WORDS.get(key) {
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

/// An English function word ("this", "with", "under"): small in titles.
pub fn is_function_word(word: &str) -> bool {
    word.is_ascii()
        && FUNCTION_WORDS.get(word.to_ascii_lowercase().as_str()) == Some(&Side::English)
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
