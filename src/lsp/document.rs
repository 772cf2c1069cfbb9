//! An open document: its text as a rope, its version, and the engine's
//! last analysis of it.

use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::ls_types::TextDocumentContentChangeEvent;

use super::position::{self, Encoding};
use crate::lint::Linter;
use crate::lint::incremental::IncrementalChecker;
use crate::rules::Diagnostic;
use crate::syntax::{Document, Format};

/// The engine's view of one version of a document.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub version: i32,
    pub doc: Arc<Document>,
    pub diagnostics: Arc<Vec<Diagnostic>>,
}

pub struct OpenDocument {
    pub rope: Rope,
    pub version: i32,
    pub format: Format,
    checker: IncrementalChecker,
    analysis: Option<Analysis>,
}

impl OpenDocument {
    pub fn new(text: &str, version: i32, format: Format) -> OpenDocument {
        OpenDocument {
            rope: Rope::from_str(text),
            version,
            format,
            checker: IncrementalChecker::new(),
            analysis: None,
        }
    }

    /// Applies `changes` in order (each to the result of the one before),
    /// then takes `version`. Ranges are clamped to the text.
    pub fn apply(
        &mut self,
        changes: Vec<TextDocumentContentChangeEvent>,
        version: i32,
        encoding: Encoding,
    ) {
        for change in changes {
            match change.range {
                None => self.rope = Rope::from_str(&change.text),
                Some(range) => {
                    let span = position::span(&self.rope, range, encoding);
                    let start = self.rope.byte_to_char(span.start);
                    let end = self.rope.byte_to_char(span.end);
                    self.rope.remove(start..end);
                    self.rope.insert(start, &change.text);
                }
            }
        }
        self.version = version;
    }

    /// The analysis of the current version, computed if needed.
    pub fn analysis(&mut self, linter: &Linter) -> Analysis {
        if let Some(a) = &self.analysis {
            if a.version == self.version {
                return a.clone();
            }
        }
        let doc = Document::parse(self.rope.to_string(), self.format);
        let diagnostics = self.checker.check(linter, &doc);
        let analysis = Analysis {
            version: self.version,
            doc: Arc::new(doc),
            diagnostics: Arc::new(diagnostics),
        };
        self.analysis = Some(analysis.clone());
        analysis
    }

    /// Forgets the analysis (the configuration changed).
    pub fn invalidate(&mut self) {
        self.analysis = None;
        self.checker.clear();
    }

    /// The byte offset of the document's text (without its byte-order
    /// mark) in the rope.
    pub fn bom(&self) -> usize {
        if self.rope.len_bytes() >= 3 && self.rope.char(0) == '\u{feff}' {
            3
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn change(range: ((u32, u32), (u32, u32)), text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(range.0.0, range.0.1),
                Position::new(range.1.0, range.1.1),
            )),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn changes_apply_in_order_and_clamp() {
        let mut d = OpenDocument::new("Title\n\nWe recieve it 😀.\n", 1, Format::Plain);
        d.apply(
            vec![
                change(((2, 3), (2, 10)), "receive"),
                change(((2, 0), (2, 2)), "They"),
                change(((2, 99), (2, 120)), "!"),
                change(((9, 0), (9, 0)), "End"),
            ],
            2,
            Encoding::Utf16,
        );
        assert_eq!(d.rope.to_string(), "Title\n\nThey receive it 😀.!\nEnd");
        assert_eq!(d.version, 2);
    }

    #[test]
    fn utf16_columns_after_an_emoji() {
        let mut d = OpenDocument::new("a😀b\n", 1, Format::Plain);
        // "b" is at UTF-16 column 3.
        d.apply(vec![change(((0, 3), (0, 4)), "c")], 2, Encoding::Utf16);
        assert_eq!(d.rope.to_string(), "a😀c\n");
    }

    #[test]
    fn analysis_follows_the_version() {
        let linter = Linter::new(&crate::config::Config::default());
        let mut d = OpenDocument::new("T\n\nthe the end\n", 1, Format::Plain);
        assert_eq!(d.analysis(&linter).diagnostics.len(), 1);
        d.apply(vec![change(((2, 0), (2, 4)), "")], 2, Encoding::Utf16);
        let a = d.analysis(&linter);
        assert_eq!(a.version, 2);
        assert!(a.diagnostics.is_empty());
    }
}
