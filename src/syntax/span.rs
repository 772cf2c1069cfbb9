//! Byte ranges into a document's text.

use std::fmt;
use std::ops::Range;

/// A half-open byte range `start..end` into a document's text.
///
/// Every position the engine stores is a `Span`; lines, columns and UTF-16
/// offsets are derived from it at the edges by [`crate::syntax::LineIndex`].
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    pub const fn empty(at: usize) -> Span {
        Span { start: at, end: at }
    }

    pub const fn len(self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn contains(self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    pub fn covers(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn intersects(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The part of `self` inside `other`, if any.
    pub fn within(self, other: Span) -> Option<Span> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start < end).then(|| Span::new(start, end))
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn shifted(self, by: usize) -> Span {
        Span::new(self.start + by, self.end + by)
    }

    /// Moved by `delta` bytes, either way.
    pub fn moved(self, delta: isize) -> Span {
        Span::new(
            self.start.wrapping_add_signed(delta),
            self.end.wrapping_add_signed(delta),
        )
    }

    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }

    pub fn of(self, text: &str) -> &str {
        &text[self.range()]
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Span {
        Span::new(r.start, r.end)
    }
}

/// Shrinks `span` so that it starts and ends on non-whitespace.
pub fn trim(text: &str, span: Span) -> Span {
    let s = span.of(text);
    let start = span.start + (s.len() - s.trim_start().len());
    let end = span.start + s.trim_end().len();
    if start >= end {
        Span::empty(span.start)
    } else {
        Span::new(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_removes_unicode_whitespace_on_both_sides() {
        let text = "  a b\u{a0} ";
        let t = trim(text, Span::new(0, text.len()));
        assert_eq!(t.of(text), "a b");
    }

    #[test]
    fn trim_of_blank_is_empty() {
        assert!(trim("   ", Span::new(0, 3)).is_empty());
    }
}
