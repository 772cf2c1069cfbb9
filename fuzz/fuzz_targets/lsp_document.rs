//! The language server's document store under any sequence of edits:
//! ranges in either encoding, out of range, reversed or inside a
//! character; after each that is checked (the others are told to the
//! next check with it), the incremental check equals a fresh one.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use policylint::config::Config;
use policylint::lint::Linter;
use policylint::lsp::{Encoding, OpenDocument};
use policylint::syntax::{Document, Format};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

#[derive(Arbitrary, Debug)]
struct Session<'a> {
    markdown: bool,
    utf8: bool,
    text: &'a str,
    edits: Vec<Edit<'a>>,
}

#[derive(Arbitrary, Debug)]
struct Edit<'a> {
    /// `None` replaces the whole text.
    range: Option<(u32, u32, u32, u32)>,
    text: &'a str,
    /// Whether the document is checked after this edit.
    check: bool,
}

fuzz_target!(|session: Session<'_>| {
    let format = if session.markdown {
        Format::Markdown
    } else {
        Format::Plain
    };
    let encoding = if session.utf8 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let linter = Linter::new(&Config::default());
    let mut document = OpenDocument::new(session.text, 1, format);
    let edits: Vec<Edit<'_>> = session.edits.into_iter().take(16).collect();
    let last = edits.len() + 1;
    for (version, edit) in (2..).zip(edits) {
        let range = edit.range.map(|(l1, c1, l2, c2)| Range {
            start: Position::new(l1 % 64, c1 % 256),
            end: Position::new(l2 % 64, c2 % 256),
        });
        let change = TextDocumentContentChangeEvent {
            range,
            range_length: None,
            text: edit.text.to_string(),
        };
        document.apply(vec![change], version, encoding);
        if !edit.check && version != last as i32 {
            continue;
        }
        let analysis = document.analysis(&linter, encoding);
        let fresh = Document::parse(document.rope.to_string(), format);
        assert_eq!(*analysis.diagnostics, linter.check(&fresh));
    }
});
