//! Parsing (plain text and Markdown) and every rule, on any bytes: no
//! panic, and every finding on character boundaries inside the text, in
//! order, with sections nested inside their parents.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policylint::config::Config;
use policylint::lint::Linter;
use policylint::syntax::{Document, Format};

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let linter = Linter::new(&Config::default());
    for format in [Format::Plain, Format::Markdown] {
        let doc = Document::parse(text.as_ref(), format);
        let diagnostics = linter.check(&doc);
        let inside = |start: usize, end: usize| start <= end && doc.text.get(start..end).is_some();
        let mut last = 0;
        for d in &diagnostics {
            assert!(inside(d.span.start, d.span.end), "{d:?}");
            assert!(last <= d.span.start, "findings out of order");
            last = d.span.start;
            for edit in d.fix.iter().flat_map(|f| &f.edits) {
                assert!(inside(edit.span.start, edit.span.end), "{edit:?}");
            }
        }
        let sections = &doc.outline.sections;
        for (i, section) in sections.iter().enumerate() {
            assert!(inside(
                section.heading.start,
                section.body.end.max(section.heading.end)
            ));
            if let Some(parent) = section.parent {
                let outer = sections[parent].span();
                let inner = section.span();
                assert!(parent < i && outer.start <= inner.start && inner.end <= outer.end);
            }
        }
    }
});
