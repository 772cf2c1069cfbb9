//! The one place where LSP positions become byte offsets into a document
//! and back.
//!
//! Documents are `ropey::Rope`s built with `cr_lines`, so that a line ends
//! at `\n`, `\r\n` or a lone `\r`, as LSP counts lines. A column is counted
//! in UTF-8 bytes when the client asked for `utf-8` positions, else in
//! UTF-16 code units (the LSP default). A position past the end of its line
//! means the line's end; past the last line, the document's end; inside a
//! character (half a surrogate pair), that character's start.

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

use crate::syntax::Span;

/// How columns are counted on the wire.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
}

impl Encoding {
    /// UTF-8 if the client offers it, else UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let utf8 = offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8));
        if utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// The byte offset of `position` in `rope` (clamped as described above).
pub fn offset(rope: &Rope, position: Position, encoding: Encoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start_char = rope.line_to_char(line);
    let line_end_char = line_start_char + content_chars(rope, line);
    let column = position.character as usize;
    let char_index = match encoding {
        Encoding::Utf8 => {
            let line_start = rope.char_to_byte(line_start_char);
            let line_end = rope.char_to_byte(line_end_char);
            let byte = (line_start + column).min(line_end);
            // Inside a character: its start.
            return rope.char_to_byte(rope.byte_to_char(byte));
        }
        Encoding::Utf16 => {
            let start = rope.char_to_utf16_cu(line_start_char);
            let end = rope.char_to_utf16_cu(line_end_char);
            rope.utf16_cu_to_char((start + column).min(end))
        }
    };
    rope.char_to_byte(char_index.min(line_end_char))
}

/// The position of byte `offset` (an offset inside a character counts as
/// its start; past the end as the end).
pub fn position(rope: &Rope, offset: usize, encoding: Encoding) -> Position {
    let offset = offset.min(rope.len_bytes());
    let char_index = rope.byte_to_char(offset);
    let line = rope.char_to_line(char_index);
    let line_start_char = rope.line_to_char(line);
    let column = match encoding {
        Encoding::Utf8 => rope.char_to_byte(char_index) - rope.char_to_byte(line_start_char),
        Encoding::Utf16 => {
            rope.char_to_utf16_cu(char_index) - rope.char_to_utf16_cu(line_start_char)
        }
    };
    Position::new(line as u32, column as u32)
}

pub fn range(rope: &Rope, span: Span, encoding: Encoding) -> Range {
    Range::new(
        position(rope, span.start, encoding),
        position(rope, span.end, encoding),
    )
}

/// The span of `range`; a reversed range is taken in order.
pub fn span(rope: &Rope, range: Range, encoding: Encoding) -> Span {
    let a = offset(rope, range.start, encoding);
    let b = offset(rope, range.end, encoding);
    Span::new(a.min(b), a.max(b))
}

/// The number of characters on `line` before its line break.
fn content_chars(rope: &Rope, line: usize) -> usize {
    let slice = rope.line(line);
    let mut n = slice.len_chars();
    if n > 0 && slice.char(n - 1) == '\n' {
        n -= 1;
    }
    if n > 0 && slice.char(n - 1) == '\r' {
        n -= 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn emoji_take_two_utf16_units_and_four_bytes() {
        let text = "a😀b\n中x";
        let rope = Rope::from_str(text);
        let b = text.find('b').unwrap();
        assert_eq!(position(&rope, b, Encoding::Utf16), pos(0, 3));
        assert_eq!(position(&rope, b, Encoding::Utf8), pos(0, 5));
        assert_eq!(offset(&rope, pos(0, 3), Encoding::Utf16), b);
        assert_eq!(offset(&rope, pos(0, 5), Encoding::Utf8), b);
        // Half a surrogate pair, or inside the emoji's bytes: the emoji.
        assert_eq!(offset(&rope, pos(0, 2), Encoding::Utf16), 1);
        assert_eq!(offset(&rope, pos(0, 3), Encoding::Utf8), 1);
        let x = text.find('x').unwrap();
        assert_eq!(position(&rope, x, Encoding::Utf16), pos(1, 1));
        assert_eq!(position(&rope, x, Encoding::Utf8), pos(1, 3));
    }

    #[test]
    fn combining_marks_are_units_of_their_own() {
        let text = "e\u{301}x";
        let rope = Rope::from_str(text);
        assert_eq!(position(&rope, 3, Encoding::Utf16), pos(0, 2));
        assert_eq!(offset(&rope, pos(0, 2), Encoding::Utf16), 3);
    }

    #[test]
    fn every_line_break_counts_and_columns_clamp_to_the_line() {
        let text = "ab\r\ncd\ref\ngh";
        let rope = Rope::from_str(text);
        assert_eq!(rope.len_lines(), 4);
        assert_eq!(offset(&rope, pos(0, 99), Encoding::Utf16), 2);
        assert_eq!(offset(&rope, pos(1, 1), Encoding::Utf16), 5);
        assert_eq!(offset(&rope, pos(2, 0), Encoding::Utf16), 7);
        assert_eq!(offset(&rope, pos(9, 9), Encoding::Utf16), text.len());
        assert_eq!(position(&rope, 99, Encoding::Utf16), pos(3, 2));
    }

    #[test]
    fn round_trips() {
        let text = "Política 😀 中文 e\u{301}\r\nline two\rthree";
        let rope = Rope::from_str(text);
        for (offset_in, c) in text.char_indices() {
            // Between the two halves of "\r\n" is no position at all.
            if c == '\n' && text[..offset_in].ends_with('\r') {
                continue;
            }
            for encoding in [Encoding::Utf8, Encoding::Utf16] {
                let p = position(&rope, offset_in, encoding);
                assert_eq!(
                    offset(&rope, p, encoding),
                    offset_in,
                    "{offset_in} {encoding:?}"
                );
            }
        }
    }

    #[test]
    fn negotiation_prefers_utf8_when_offered() {
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF8])),
            Encoding::Utf8
        );
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF32])),
            Encoding::Utf16
        );
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }
}
