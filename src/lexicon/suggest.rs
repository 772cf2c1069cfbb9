//! Spelling suggestions: words of the lexicon within a small edit distance,
//! ranked by a weighted distance (keyboard neighbours, doubled letters and
//! swapped neighbours cost less) and by how common the word is.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};

use fst::Automaton;
use fst::raw::{Fst, Node, Output};

use super::{COMMON_LEVEL, Dialect, words};

/// The words suggestions are searched among, keyed in ASCII lower case,
/// with their spellings in each dialect: see `write_suggestable` in
/// `build.rs`.
static SUGGESTABLE: LazyLock<Fst<&'static [u8]>> = LazyLock::new(|| {
    Fst::new(&include_bytes!(concat!(env!("OUT_DIR"), "/suggestable.fst"))[..])
        .expect("build.rs writes a valid map")
});

/// The spellings of suggestable words that are not the key in lower case,
/// capitalised or in capitals.
static SPELLINGS: &str = include_str!(concat!(env!("OUT_DIR"), "/suggestable-spellings.txt"));

/// How the suggestable word `key` (a key of [`SUGGESTABLE`] with its
/// `value`) is spelled in `dialect`, with its level; `None` if it is not a
/// word of that dialect.
fn spelling(key: &str, value: u64, dialect: Dialect) -> Option<(String, u8)> {
    let half = match dialect {
        Dialect::American => value,
        Dialect::British => value >> 32,
    } as u32;
    let level = (half & 0xff) as u8;
    if level == 0xff {
        return None;
    }
    let word = match half >> 8 & 0b11 {
        0 => key.to_string(),
        1 => key[..1].to_ascii_uppercase() + &key[1..],
        2 => key.to_ascii_uppercase(),
        _ => {
            let offset = (half >> 10 & 0xffff) as usize;
            let len = (half >> 26) as usize;
            SPELLINGS[offset..offset + len].to_string()
        }
    };
    Some((word, level))
}

/// A dictionary word close to a misspelling.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    pub word: String,
    /// Weighted edit distance plus a small penalty for rarer words.
    pub score: f32,
}

/// The longest word suggestions are looked for: longer ones are not typos
/// of dictionary words (and the search state is sized by it).
const MAX_QUERY: usize = 40;

/// Suggestions already found. Documents repeat their unknown words (names,
/// terms of art) from block to block and file to file, and the language
/// server checks a paragraph again on every keystroke; the search is the
/// costliest step of checking, and its result depends on nothing else.
static MEMO: LazyLock<Mutex<HashMap<MemoKey, Vec<Suggestion>>>> = LazyLock::new(Default::default);

/// Words remembered before the memo starts again: it stays a few megabytes
/// however many different unknown words a run meets.
const MEMO_CAPACITY: usize = 20_000;

type MemoKey = (Vec<u8>, Dialect, u8, usize);

/// Dictionary words within `max_edits` edits (insertions, deletions,
/// substitutions, swaps of neighbours) of `word`, best first.
pub fn suggest(word: &str, dialect: Dialect, max_edits: u8, limit: usize) -> Vec<Suggestion> {
    let query: Vec<u8> = word.to_lowercase().into_bytes();
    if query.is_empty() || query.len() > MAX_QUERY {
        return Vec::new();
    }
    let key = (query, dialect, max_edits, limit);
    let memo = || MEMO.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(found) = memo().get(&key) {
        return found.clone();
    }
    let found = search(&key.0, dialect, max_edits, limit);
    let mut memo = memo();
    if memo.len() >= MEMO_CAPACITY {
        memo.clear();
    }
    memo.insert(key, found.clone());
    found
}

fn search(query: &[u8], dialect: Dialect, max_edits: u8, limit: usize) -> Vec<Suggestion> {
    let automaton = BoundedEdits {
        query,
        max: max_edits,
    };
    let mut found: Vec<Suggestion> = Vec::new();
    walk(&SUGGESTABLE, &automaton, &mut |key, value| {
        let Ok(key) = std::str::from_utf8(key) else {
            return;
        };
        let Some((word, level)) = spelling(key, value, dialect) else {
            return;
        };
        found.push(Suggestion {
            score: score(query, key, level),
            word,
        });
    });
    best(found, limit)
}

/// How far `word`, of SCOWL size `level`, is from `query` (in lower case):
/// the weighted distance, more for a rarer word and for another first
/// letter.
fn score(query: &[u8], word: &str, level: u8) -> f32 {
    let distance = weighted_distance(query, word.to_lowercase().as_bytes());
    let rarity = f32::from(level) / 100.0;
    let first_letter = if word.as_bytes()[0].eq_ignore_ascii_case(&query[0]) {
        0.0
    } else {
        0.3
    };
    distance + rarity + first_letter
}

/// The best `limit` of `found`, one a word in any case.
fn best(mut found: Vec<Suggestion>, limit: usize) -> Vec<Suggestion> {
    found.sort_by(|a, b| {
        a.score
            .total_cmp(&b.score)
            .then_with(|| a.word.cmp(&b.word))
    });
    // "Paris" and "paris" are one suggestion.
    let mut seen: Vec<String> = Vec::new();
    found.retain(|s| {
        let lower = s.word.to_lowercase();
        let new = !seen.contains(&lower);
        seen.push(lower);
        new
    });
    found.truncate(limit);
    found
}

/// Calls `found` with each key of `fst` that `automaton` matches and its
/// value, in order. The map's own search (`Map::search`) takes about twice
/// as long for the same keys (0.43–0.67 against 0.99–1.14 ms a word of
/// five to eleven letters, on a slow machine).
fn walk(fst: &Fst<&'static [u8]>, automaton: &BoundedEdits, found: &mut impl FnMut(&[u8], u64)) {
    struct Walk<'a, F> {
        fst: &'a Fst<&'static [u8]>,
        automaton: &'a BoundedEdits<'a>,
        key: Vec<u8>,
        found: F,
    }
    impl<F: FnMut(&[u8], u64)> Walk<'_, F> {
        fn from(&mut self, node: Node<'_>, state: Band, out: Output) {
            for t in node.transitions() {
                let next = self.automaton.accept(&state, t.inp);
                if !self.automaton.can_match(&next) {
                    continue;
                }
                let child = self.fst.node(t.addr);
                let out = out.cat(t.out);
                self.key.push(t.inp);
                if child.is_final() && self.automaton.is_match(&next) {
                    (self.found)(&self.key, out.cat(child.final_output()).value());
                }
                self.from(child, next, out);
                self.key.pop();
            }
        }
    }
    let mut walk = Walk {
        fst,
        automaton,
        key: Vec::with_capacity(MAX_QUERY + usize::from(MAX_EDITS)),
        found,
    };
    walk.from(fst.root(), automaton.start(), Output::zero());
}

/// A word of the lexicon one edit (an insertion, deletion, substitution or
/// swap of neighbours) from an unknown word.
#[derive(Clone, Debug, PartialEq)]
pub struct Neighbour {
    /// In lower case.
    pub word: String,
    /// SCOWL size level of its commonest spelling.
    pub level: u8,
    /// Spelled right in the dialect asked for (else only in the other).
    pub in_dialect: bool,
    /// A typing slip away: a neighbouring key, a doubled or undoubled
    /// letter, swapped letters.
    pub slip: bool,
}

/// Whether `word` (in lower case) is one edit from a common word with the
/// same first letter: a near miss of it.
pub fn near_common_word(word: &str, dialect: Dialect) -> bool {
    let first = word.chars().next();
    neighbours(word, dialect).iter().any(|n| {
        n.level <= COMMON_LEVEL && n.word.chars().next() == first && !n.word.contains('\'')
    })
}

/// The words of the lexicon, in any dialect, one edit from `word` but not
/// `word` itself in another case. A search of one edit visits a small part
/// of the map, far less than `suggest`'s two.
pub fn neighbours(word: &str, dialect: Dialect) -> Vec<Neighbour> {
    let query: Vec<u8> = word.to_lowercase().into_bytes();
    if query.is_empty() || query.len() > MAX_QUERY {
        return Vec::new();
    }
    let memo = || {
        NEIGHBOUR_MEMO
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    };
    let key = (query, dialect);
    if let Some(found) = memo().get(&key) {
        return found.clone();
    }
    let found = search_neighbours(&key.0, dialect);
    let mut memo = memo();
    if memo.len() >= MEMO_CAPACITY {
        memo.clear();
    }
    memo.insert(key, found.clone());
    found
}

/// Neighbours already found: the misspelling rule asks for those of every
/// unknown word of a document on every check, the language server on
/// every keystroke.
static NEIGHBOUR_MEMO: LazyLock<Mutex<NeighbourMemo>> = LazyLock::new(Default::default);

type NeighbourMemo = HashMap<(Vec<u8>, Dialect), Vec<Neighbour>>;

fn search_neighbours(query: &[u8], dialect: Dialect) -> Vec<Neighbour> {
    let automaton = BoundedEdits { query, max: 1 };
    let mut found: Vec<Neighbour> = Vec::new();
    walk(words().as_fst(), &automaton, &mut |key, value| {
        let Ok(candidate) = std::str::from_utf8(key) else {
            return;
        };
        let lower = candidate.to_lowercase();
        if lower.as_bytes() == query {
            return;
        }
        let entry = super::entry(value);
        let in_dialect = entry.valid_in(dialect);
        match found.iter_mut().find(|n| n.word == lower) {
            Some(n) => {
                n.level = n.level.min(entry.level);
                n.in_dialect |= in_dialect;
            }
            None => {
                let slip = weighted_distance(query, lower.as_bytes()) < 1.0;
                found.push(Neighbour {
                    word: lower,
                    level: entry.level,
                    in_dialect,
                    slip,
                });
            }
        }
    });
    found
}

/// Matches keys within `max` edits (at most [`MAX_EDITS`]) of `query`
/// (optimal string alignment: a swap of neighbours is one edit). The state
/// holds only the band of the edit-distance table a match can pass
/// through: after `depth` bytes, the distances to the query's prefixes of
/// `depth - MAX_EDITS ..= depth + MAX_EDITS` bytes (any other is more than
/// `max`). The search makes a state for every trie edge it follows, so it
/// is small and copied, never allocated.
struct BoundedEdits<'q> {
    query: &'q [u8],
    max: u8,
}

/// The most edits a search allows: the width of the band.
const MAX_EDITS: u8 = 2;
const BAND: usize = 2 * MAX_EDITS as usize + 1;

#[derive(Clone, Copy)]
struct Band {
    /// Bytes read.
    depth: u8,
    /// `current[k]`: the distance from the bytes read to the query's first
    /// `depth + k - MAX_EDITS` bytes, at most `max + 1` (which stands for
    /// anything more, and for prefixes the query does not have).
    current: [u8; BAND],
    /// The same band one byte earlier, for swaps.
    previous: [u8; BAND],
    /// The byte read last; `None` at the start, when `previous` means nothing.
    last: Option<u8>,
}

impl BoundedEdits<'_> {
    /// The query's prefix length at band cell `k` after `depth` bytes, if
    /// the query has one that long.
    fn prefix(&self, depth: u8, k: usize) -> Option<usize> {
        (usize::from(depth) + k)
            .checked_sub(usize::from(MAX_EDITS))
            .filter(|&i| i <= self.query.len())
    }
}

impl Automaton for BoundedEdits<'_> {
    type State = Band;

    fn start(&self) -> Band {
        debug_assert!(self.max <= MAX_EDITS, "the band is too narrow");
        let beyond = self.max + 1;
        let mut current = [beyond; BAND];
        for (k, d) in current.iter_mut().enumerate() {
            if let Some(i) = self.prefix(0, k) {
                *d = (i as u8).min(beyond);
            }
        }
        Band {
            depth: 0,
            current,
            previous: [beyond; BAND],
            last: None,
        }
    }

    fn is_match(&self, state: &Band) -> bool {
        (0..BAND).any(|k| {
            self.prefix(state.depth, k) == Some(self.query.len()) && state.current[k] <= self.max
        })
    }

    fn can_match(&self, state: &Band) -> bool {
        state.current.iter().any(|&d| d <= self.max)
    }

    fn accept(&self, state: &Band, byte: u8) -> Band {
        let byte = byte.to_ascii_lowercase();
        let q = self.query;
        let beyond = self.max + 1;
        let depth = state.depth.saturating_add(1);
        let mut row = [beyond; BAND];
        // Cell `k` of the new row stands one prefix byte further than cell
        // `k` of the last, and two further than cell `k` of the one before.
        for k in 0..BAND {
            let Some(i) = self.prefix(depth, k) else {
                continue;
            };
            if i == 0 {
                row[k] = depth.min(beyond);
                continue;
            }
            let substitution = state.current[k] + u8::from(q[i - 1] != byte);
            let deletion = state.current.get(k + 1).map_or(beyond, |&d| d + 1);
            let insertion = if k == 0 { beyond } else { row[k - 1] + 1 };
            let mut best = substitution.min(deletion).min(insertion);
            if state
                .last
                .is_some_and(|last| i >= 2 && q[i - 1] == last && q[i - 2] == byte)
            {
                best = best.min(state.previous[k] + 1);
            }
            row[k] = best.min(beyond);
        }
        Band {
            depth,
            current: row,
            previous: state.current,
            last: Some(byte),
        }
    }
}

/// Edit distance where likely typing slips cost less: a neighbouring key
/// or a doubled/undoubled letter 0.6, swapped neighbours 0.5.
pub fn weighted_distance(a: &[u8], b: &[u8]) -> f32 {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0f32; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i as f32;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j as f32;
    }
    for i in 1..=n {
        for j in 1..=m {
            let substitution = if a[i - 1] == b[j - 1] {
                0.0
            } else if adjacent(a[i - 1], b[j - 1]) {
                0.6
            } else {
                1.0
            };
            // Dropping or adding a letter next to the same letter.
            let delete = if i >= 2 && a[i - 1] == a[i - 2] {
                0.6
            } else {
                1.0
            };
            let insert = if j >= 2 && b[j - 1] == b[j - 2] {
                0.6
            } else {
                1.0
            };
            let mut best = (d[i - 1][j - 1] + substitution)
                .min(d[i - 1][j] + delete)
                .min(d[i][j - 1] + insert);
            if i >= 2 && j >= 2 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 0.5);
            }
            d[i][j] = best;
        }
    }
    d[n][m]
}

/// Keys next to each other on a QWERTY keyboard.
fn adjacent(a: u8, b: u8) -> bool {
    const ROWS: [&[u8]; 3] = [b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];
    let position = |c: u8| {
        ROWS.iter().enumerate().find_map(|(r, row)| {
            row.iter()
                .position(|&k| k == c)
                .map(|col| (r as i32, col as i32))
        })
    };
    match (
        position(a.to_ascii_lowercase()),
        position(b.to_ascii_lowercase()),
    ) {
        // Rows are offset by about half a key: a key touches two below it.
        (Some((ra, ca)), Some((rb, cb))) => {
            let dr = rb - ra;
            match dr {
                0 => (ca - cb).abs() == 1,
                1 => cb == ca || cb == ca - 1,
                -1 => cb == ca || cb == ca + 1,
                _ => false,
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_for(w: &str) -> Vec<String> {
        suggest(w, Dialect::American, 2, 5)
            .into_iter()
            .map(|s| s.word)
            .collect()
    }

    #[test]
    fn common_slips_suggest_the_intended_word_first() {
        assert_eq!(words_for("recieve")[0], "receive");
        assert_eq!(words_for("teh")[0], "the");
        assert_eq!(words_for("goverment")[0], "government");
        assert_eq!(words_for("polcy")[0], "policy");
        assert_eq!(words_for("liabiltiy")[0], "liability");
    }

    include!(concat!(env!("OUT_DIR"), "/suggestable.rs"));

    /// The search the suggestable map and the walk make faster: the map's
    /// own search of the whole lexicon (the automaton matches exactly the
    /// words within `max_edits`, as the proptest below shows), keeping the
    /// words of a dialect and level a suggestion may have.
    fn search_the_whole_lexicon(
        query: &[u8],
        dialect: Dialect,
        max_edits: u8,
        limit: usize,
    ) -> Vec<Suggestion> {
        use fst::{IntoStreamer, Streamer};
        let automaton = BoundedEdits {
            query,
            max: max_edits,
        };
        let mut stream = words().search(&automaton).into_stream();
        let mut found = Vec::new();
        while let Some((key, value)) = stream.next() {
            let entry = super::super::entry(value);
            if !entry.valid_in(dialect) || entry.level > SUGGESTION_MAX_LEVEL {
                continue;
            }
            let word = std::str::from_utf8(key).unwrap();
            found.push(Suggestion {
                word: word.to_string(),
                score: score(query, word, entry.level),
            });
        }
        best(found, limit)
    }

    /// Words near spellings of each kind: lower case, capitalised
    /// ("Paris"), in capitals ("ASCII"), otherwise ("AstroTurf"), one
    /// dialect's ("colour"), with an apostrophe, not in ASCII ("café").
    #[test]
    fn suggestions_are_the_best_of_the_whole_lexicon() {
        for query in [
            "recieve",
            "polcy",
            "pariss",
            "asci",
            "astroturff",
            "colur",
            "govt's",
            "cafe",
            "teh",
            "zzzq",
        ] {
            for dialect in [Dialect::American, Dialect::British] {
                let query = query.as_bytes();
                assert_eq!(
                    search(query, dialect, 2, 8),
                    search_the_whole_lexicon(query, dialect, 2, 8),
                    "{} in {dialect:?}",
                    String::from_utf8_lossy(query)
                );
            }
        }
    }

    #[test]
    fn dialect_filters_suggestions() {
        let us = words_for("colur");
        assert!(us.contains(&"color".to_string()));
        assert!(!us.contains(&"colour".to_string()));
        let gb: Vec<String> = suggest("colur", Dialect::British, 2, 5)
            .into_iter()
            .map(|s| s.word)
            .collect();
        assert!(gb.contains(&"colour".to_string()));
    }

    /// Optimal string alignment distance, the plain way.
    fn edits(a: &[u8], b: &[u8]) -> usize {
        let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
        for i in 0..=a.len() {
            for j in 0..=b.len() {
                d[i][j] = if i == 0 || j == 0 {
                    i + j
                } else {
                    let mut best = (d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]))
                        .min(d[i - 1][j] + 1)
                        .min(d[i][j - 1] + 1);
                    if i >= 2 && j >= 2 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                        best = best.min(d[i - 2][j - 2] + 1);
                    }
                    best
                };
            }
        }
        d[a.len()][b.len()]
    }

    proptest::proptest! {
        /// The banded automaton accepts exactly the words within `max`
        /// edits, and never gives up on a prefix of one of them.
        #[test]
        fn automaton_matches_exactly_the_words_within_max_edits(
            query in "[abc]{1,12}",
            key in "[abcd]{0,14}",
            max in 1u8..=2,
        ) {
            let automaton = BoundedEdits { query: query.as_bytes(), max };
            let within = edits(query.as_bytes(), key.as_bytes()) <= usize::from(max);
            let mut state = automaton.start();
            for &byte in key.as_bytes() {
                if within {
                    proptest::prop_assert!(automaton.can_match(&state));
                }
                state = automaton.accept(&state, byte);
            }
            proptest::prop_assert_eq!(automaton.is_match(&state), within);
        }
    }

    #[test]
    fn weights() {
        assert!(weighted_distance(b"recieve", b"receive") < 1.0);
        assert!(weighted_distance(b"thw", b"the") < 1.0);
        assert!(weighted_distance(b"occured", b"occurred") < 1.0);
        assert!((weighted_distance(b"cat", b"pyx") - 3.0).abs() < 1e-6);
        assert!(adjacent(b'q', b'w') && adjacent(b'a', b'q') && !adjacent(b'q', b'p'));
    }
}
