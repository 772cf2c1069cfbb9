//! The one place where byte offsets become lines and columns and back.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, as the Language Server Protocol
//! counts them. Columns can be counted in UTF-8 bytes, UTF-16 code units (the
//! LSP default) or Unicode scalar values (what the command line prints).

use std::sync::OnceLock;

/// How a column is counted.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units: a character outside the Basic Multilingual Plane
    /// (most emoji) counts two.
    Utf16,
    /// Unicode scalar values (Rust `char`s).
    Char,
}

/// A zero-based line and column.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Where each line of a text starts.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the first byte of each line; the first entry is 0.
    starts: Vec<usize>,
    len: usize,
    /// Counts at every `CHECKPOINT_BYTES` of the text, made the first time
    /// a column is measured across more than that: columns in a line of a
    /// hundred megabytes then cost a few kilobytes of counting, not the
    /// line up to them.
    checkpoints: OnceLock<Vec<Checkpoint>>,
}

/// How far apart checkpoints are, in bytes (about: they sit on character
/// boundaries).
const CHECKPOINT_BYTES: usize = 4096;

/// The number of characters and UTF-16 units before byte `offset`.
#[derive(Copy, Clone, Debug, Default)]
struct Checkpoint {
    offset: usize,
    chars: usize,
    utf16: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while let Some(k) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
            let at = i + k;
            let next = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
            starts.push(next);
            i = next;
        }
        LineIndex {
            starts,
            len: text.len(),
            checkpoints: OnceLock::new(),
        }
    }

    /// Makes this index of a text the index of `text`, that text with the
    /// bytes `start..old_end` replaced by `text[start..new_end]`: only the
    /// lines around the edit are read.
    pub fn edit(&mut self, text: &str, start: usize, old_end: usize, new_end: usize) {
        let bytes = text.as_bytes();
        // Whether a line starts at `at`: after `\n`, or after a `\r` that
        // no `\n` follows. That reads the bytes at `at - 1` and `at`, so
        // the starts before `start` and after `new_end` stay as they were.
        let starts_at = |at: usize| {
            at == 0
                || bytes[at - 1] == b'\n'
                || (bytes[at - 1] == b'\r' && bytes.get(at) != Some(&b'\n'))
        };
        let kept = self.starts.partition_point(|&s| s < start);
        let after = self.starts.partition_point(|&s| s <= old_end);
        let delta = new_end.wrapping_sub(old_end);
        let mut starts: Vec<usize> = (start..=new_end).filter(|&at| starts_at(at)).collect();
        starts.extend(self.starts[after..].iter().map(|s| s.wrapping_add(delta)));
        self.starts.truncate(kept);
        self.starts.extend(starts);
        self.len = text.len();
        self.checkpoints = OnceLock::new();
    }

    /// Number of lines; a text ending in a line break has an empty last line.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The zero-based line holding byte `offset` (offsets past the end belong
    /// to the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset.min(self.len)) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where `line` starts; lines past the end start at the end.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    /// Byte offset where `line`'s content ends, before its line break.
    pub fn line_end(&self, text: &str, line: usize) -> usize {
        let Some(&next) = self.starts.get(line + 1) else {
            return self.len;
        };
        let bytes = text.as_bytes();
        let mut end = next;
        if end > 0 && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > 0 && bytes[end - 1] == b'\r' && end > self.line_start(line) {
            end -= 1;
        }
        end
    }

    /// The text of `line` without its line break.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        &text[self.line_start(line)..self.line_end(text, line)]
    }

    /// The position of byte `offset`; an offset inside a character counts as
    /// that character's start, an offset past the end as the end.
    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> Position {
        let offset = floor_char_boundary(text, offset.min(self.len));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let column = if offset - start <= CHECKPOINT_BYTES || encoding == Encoding::Utf8 {
            measure(&text[start..offset], encoding)
        } else {
            self.units_before(text, offset, encoding) - self.units_before(text, start, encoding)
        };
        Position { line, column }
    }

    /// The number of `encoding` units in `text[..offset]` (`offset` on a
    /// character boundary).
    fn units_before(&self, text: &str, offset: usize, encoding: Encoding) -> usize {
        let checkpoints = self.checkpoints.get_or_init(|| checkpoints(text));
        let k = checkpoints.partition_point(|c| c.offset <= offset) - 1;
        let c = checkpoints[k];
        let base = match encoding {
            Encoding::Utf8 => c.offset,
            Encoding::Utf16 => c.utf16,
            Encoding::Char => c.chars,
        };
        base + measure(&text[c.offset..offset], encoding)
    }

    /// The byte offset of `position`. A line past the end means the end of the
    /// text; a column past the end of its line means the end of the line; a
    /// column inside a character (half a surrogate pair) means its start.
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> usize {
        if position.line >= self.line_count() {
            return self.len;
        }
        let start = self.line_start(position.line);
        let line = &text[start..self.line_end(text, position.line)];
        start + advance(line, position.column, encoding)
    }
}

fn checkpoints(text: &str) -> Vec<Checkpoint> {
    let mut all = vec![Checkpoint::default()];
    let mut last = Checkpoint::default();
    while last.offset < text.len() {
        // A character is at most four bytes: the step always moves on.
        let end = floor_char_boundary(text, last.offset + CHECKPOINT_BYTES);
        let piece = &text[last.offset..end];
        last = Checkpoint {
            offset: end,
            chars: last.chars + measure(piece, Encoding::Char),
            utf16: last.utf16 + measure(piece, Encoding::Utf16),
        };
        all.push(last);
    }
    all
}

/// Length of `s` in units of `encoding`.
pub fn measure(s: &str, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 => s.len(),
        Encoding::Utf16 => s.chars().map(char::len_utf16).sum(),
        Encoding::Char => {
            if s.is_ascii() {
                s.len()
            } else {
                s.chars().count()
            }
        }
    }
}

/// Byte length of the longest prefix of `line` measuring at most `units`.
fn advance(line: &str, units: usize, encoding: Encoding) -> usize {
    if encoding == Encoding::Utf8 {
        return floor_char_boundary(line, units.min(line.len()));
    }
    let mut used = 0;
    for (at, c) in line.char_indices() {
        let width = match encoding {
            Encoding::Utf16 => c.len_utf16(),
            _ => 1,
        };
        if used + width > units {
            return at;
        }
        used += width;
    }
    line.len()
}

/// The largest char boundary at or before `offset`.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// `text` with `insert` in place of the bytes `from..to` (moved to
/// character boundaries, in order), and where those bytes were.
#[cfg(test)]
pub(crate) fn edited(text: &str, from: usize, to: usize, insert: &str) -> (String, usize, usize) {
    let start = floor_char_boundary(text, from.min(text.len()));
    let end = floor_char_boundary(text, to.min(text.len())).max(start);
    let mut edited = text.to_string();
    edited.replace_range(start..end, insert);
    (edited, start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    #[test]
    fn columns_far_into_a_long_line_count_every_character() {
        let line = "é😀中x ".repeat(3000);
        let text = format!("first\n{line}\n");
        let index = LineIndex::new(&text);
        for offset in (6..text.len()).step_by(997) {
            let offset = floor_char_boundary(&text, offset);
            for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Char] {
                let column = measure(&text[6..offset], enc);
                assert_eq!(index.position(&text, offset, enc), pos(1, column));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn an_edited_index_is_the_index_of_the_edited_text(
            text in "[ab\r\n]{0,40}",
            edit in (0..41usize, 0..41usize, "[ab\r\n]{0,6}"),
        ) {
            let (from, to, insert) = edit;
            let (edited, start, old_end) = edited(&text, from, to, &insert);
            let mut index = LineIndex::new(&text);
            index.edit(&edited, start, old_end, start + insert.len());
            let fresh = LineIndex::new(&edited);
            proptest::prop_assert_eq!(index.starts, fresh.starts);
            proptest::prop_assert_eq!(index.len, fresh.len);
        }
    }

    #[test]
    fn all_three_line_breaks_count() {
        let text = "a\nb\r\nc\rd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.line_text(text, 0), "a");
        assert_eq!(index.line_text(text, 1), "b");
        assert_eq!(index.line_text(text, 2), "c");
        assert_eq!(index.line_text(text, 3), "d");
        assert_eq!(index.position(text, 7, Encoding::Char), pos(3, 0));
    }

    #[test]
    fn trailing_break_makes_an_empty_last_line() {
        let text = "a\r\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 2);
        assert_eq!(index.line_text(text, 1), "");
        assert_eq!(index.position(text, 3, Encoding::Utf16), pos(1, 0));
    }

    #[test]
    fn columns_in_each_encoding() {
        // "é" is 2 bytes, 1 unit; "😀" is 4 bytes, 2 UTF-16 units, 1 char;
        // "中" is 3 bytes, 1 unit.
        let text = "é😀中x";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(text, x, Encoding::Utf8).column, 9);
        assert_eq!(index.position(text, x, Encoding::Utf16).column, 4);
        assert_eq!(index.position(text, x, Encoding::Char).column, 3);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Char] {
            let p = index.position(text, x, enc);
            assert_eq!(index.offset(text, p, enc), x);
        }
    }

    #[test]
    fn combining_marks_are_characters_of_their_own() {
        let text = "e\u{301}x";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 3, Encoding::Char).column, 2);
        assert_eq!(index.position(text, 3, Encoding::Utf16).column, 2);
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "ab\ncd";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, pos(0, 99), Encoding::Utf16), 2);
        assert_eq!(index.offset(text, pos(9, 0), Encoding::Utf16), 5);
        assert_eq!(index.position(text, 99, Encoding::Char), pos(1, 2));
    }

    #[test]
    fn half_a_surrogate_pair_means_the_character_start() {
        let text = "😀x";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, pos(0, 1), Encoding::Utf16), 0);
        assert_eq!(index.position(text, 2, Encoding::Utf16), pos(0, 0));
    }
}
