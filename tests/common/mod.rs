//! What must hold of every check of every text, whatever the text: the
//! property tests feed it generated texts, the adversarial tests extreme
//! ones.

use policylint::config::Config;
use policylint::lint::Linter;
use policylint::lint::fix::{FixMode, apply};
use policylint::rules::Diagnostic;
use policylint::syntax::{Document, Encoding, Format, LineIndex, Position};

/// Parses and checks `text` with every rule, asserts the invariants below
/// and returns the findings.
pub fn check_everything(text: &str, format: Format) -> Vec<Diagnostic> {
    let doc = Document::parse(text, format);
    let linter = Linter::new(&Config::default());
    let diagnostics = linter.check(&doc);
    assert_spans_are_sound(&doc, &diagnostics);
    assert_outline_nests(&doc);
    // Every fix applies, safe ones and the rest.
    for mode in [FixMode::Safe, FixMode::All] {
        let (fixed, _) = apply(&doc.text, &diagnostics, mode);
        Document::parse(fixed, format);
    }
    diagnostics
}

/// Every finding's range, and every edit of its fix, lies inside the text
/// on character boundaries, and findings come in order.
pub fn assert_spans_are_sound(doc: &Document, diagnostics: &[Diagnostic]) {
    let text = &doc.text;
    let sound = |start: usize, end: usize| {
        start <= end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
    };
    for d in diagnostics {
        assert!(
            sound(d.span.start, d.span.end),
            "{} at {:?} in a text of {} bytes",
            d.rule.name,
            d.span,
            text.len()
        );
        for edit in d.fix.iter().flat_map(|f| &f.edits) {
            assert!(sound(edit.span.start, edit.span.end), "{edit:?}");
        }
    }
    assert!(
        diagnostics
            .windows(2)
            .all(|w| w[0].span.start <= w[1].span.start),
        "findings out of order"
    );
    let index = LineIndex::new(text);
    for d in diagnostics.iter().take(200) {
        for offset in [d.span.start, d.span.end] {
            assert_round_trip(text, &index, offset);
        }
    }
}

/// Byte offset → line and column → byte offset gives the offset back, in
/// every encoding.
pub fn assert_round_trip(text: &str, index: &LineIndex, offset: usize) {
    for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Char] {
        let position: Position = index.position(text, offset, encoding);
        let back = index.offset(text, position, encoding);
        // An offset inside a line break (between \r and \n) counts as the
        // end of its line.
        let line_end = index.line_end(text, position.line);
        assert!(
            back == offset || (back == line_end && offset > line_end),
            "{offset} → {position:?} → {back} ({encoding:?})"
        );
    }
}

/// Sections nest (a child inside its parent, depth one more), siblings and
/// all sections come in document order, and none reaches past the text.
pub fn assert_outline_nests(doc: &Document) {
    let sections = &doc.outline.sections;
    for (i, s) in sections.iter().enumerate() {
        let whole = s.span();
        assert!(
            whole.end <= doc.text.len(),
            "section {i} ends past the text"
        );
        assert!(s.heading.start <= s.body.start || s.body.is_empty());
        if i > 0 {
            assert!(
                sections[i - 1].heading.start < s.heading.start,
                "sections {} and {i} out of order",
                i - 1
            );
        }
        if let Some(p) = s.parent {
            let parent = &sections[p];
            assert!(p < i, "section {i} comes before its parent {p}");
            assert!(doc.outline.children(p).contains(&i));
            assert_eq!(s.depth, parent.depth.saturating_add(1));
            let outer = parent.span();
            assert!(
                outer.start <= whole.start && whole.end <= outer.end,
                "section {i} {whole:?} is not inside its parent {p} {outer:?}"
            );
        } else {
            assert!(doc.outline.roots.contains(&i));
        }
        for pair in doc.outline.children(i).windows(2) {
            let (a, b) = (&sections[pair[0]], &sections[pair[1]]);
            assert!(a.span().end <= b.span().start, "siblings overlap");
        }
    }
}
