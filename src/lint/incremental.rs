//! Checking a document again after an edit, re-checking only the blocks
//! that changed.
//!
//! Block results depend on nothing but the block's kind and text (see
//! `rules`), so they are cached by those, relative to the block's start,
//! and moved to wherever the block now is. Document rules run again, with
//! what they kept of the last check (`rules::memo`): what they derived from
//! a block whose facts come from the cache is not derived again.
//!
//! Invariant (tested with random edits): `check` gives exactly what
//! `Linter::check` gives for the same text.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::{BlockResult, Linter, sort, suppress};
use crate::rules::Diagnostic;
use crate::rules::memo::Memo;
use crate::syntax::{Block, Document};

/// Block results of the last check, by block content.
#[derive(Debug, Default)]
pub struct IncrementalChecker {
    cache: HashMap<u64, BlockResult>,
    /// What the document rules kept of the last check.
    memo: Memo,
    /// Blocks checked afresh in the last `check` (for tests and logs).
    pub rechecked: usize,
}

impl IncrementalChecker {
    pub fn new() -> IncrementalChecker {
        IncrementalChecker::default()
    }

    /// Forgets every cached result (after a configuration change).
    pub fn clear(&mut self) {
        self.cache.clear();
        self.memo = Memo::default();
    }

    /// All findings for `doc`, reusing the results of unchanged blocks.
    pub fn check(&mut self, linter: &Linter, doc: &Document) -> Vec<Diagnostic> {
        let mut next: HashMap<u64, BlockResult> = HashMap::with_capacity(doc.blocks.len());
        let mut diagnostics = Vec::new();
        let mut facts = Vec::with_capacity(doc.blocks.len());
        self.rechecked = 0;
        for (index, block) in doc.blocks.iter().enumerate() {
            let key = key(doc, block);
            let relative = match self.cache.remove(&key).or_else(|| next.get(&key).cloned()) {
                Some(cached) => cached,
                None => {
                    self.rechecked += 1;
                    let mut result = linter.check_block(doc, index);
                    shift(&mut result, -(block.span.start as isize));
                    result
                }
            };
            let mut absolute = relative.clone();
            shift(&mut absolute, block.span.start as isize);
            diagnostics.extend(absolute.diagnostics);
            facts.push(absolute.facts);
            next.insert(key, relative);
        }
        diagnostics.extend(linter.check_document_with(doc, &facts, &mut self.memo));
        sort(&mut diagnostics);
        self.cache = next;
        suppress::apply(linter, doc, diagnostics)
    }
}

fn shift(result: &mut BlockResult, delta: isize) {
    for d in &mut result.diagnostics {
        d.shift(delta);
    }
    result.facts.shift(delta);
}

/// What a block's results depend on: its kind, its language (which its
/// neighbours may decide), its text, and where its prose lies within it.
fn key(doc: &Document, block: &Block) -> u64 {
    let mut hasher = DefaultHasher::new();
    block.kind.hash(&mut hasher);
    block.language.hash(&mut hasher);
    doc.slice(block.span).hash(&mut hasher);
    for run in &block.prose {
        (run.start - block.span.start, run.end - block.span.start).hash(&mut hasher);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::syntax::Format;
    use proptest::prelude::*;

    const BASE: &str = "Privacy Policy\n\nBy:\n\n1. Scope\n\nWe recieve the the data of an user. See Section 4.\n\n2. Fees\n\n\"Fee\" means a charge. \"Personal Data\" means data. The PGO sets fees. Formulate pubic policies.\n\n3. Law\n\nText here.\n\nIt covers personal data.\n";

    #[test]
    fn only_changed_blocks_are_checked_again() {
        let linter = Linter::new(&Config::default());
        let mut checker = IncrementalChecker::new();
        let doc = Document::parse(BASE, Format::Plain);
        assert_eq!(checker.check(&linter, &doc), linter.check(&doc));
        let first = checker.rechecked;
        let edited = BASE.replace("Text here.", "Text here, changed.");
        let doc = Document::parse(edited.as_str(), Format::Plain);
        assert_eq!(checker.check(&linter, &doc), linter.check(&doc));
        assert_eq!(checker.rechecked, 1, "of {first}");
        // Text inserted above moves every block below: their results move too.
        let moved = format!("Note.\n\n{edited}");
        let doc = Document::parse(moved.as_str(), Format::Plain);
        assert_eq!(checker.check(&linter, &doc), linter.check(&doc));
    }

    #[test]
    fn a_suppression_hides_findings_in_blocks_taken_from_the_cache() {
        let linter = Linter::new(&Config::default());
        let mut checker = IncrementalChecker::new();
        let text = "# T\n\n<!-- policylint-disable repeated-word -->\n\nOne the the end.\n\nTwo.\n";
        let doc = Document::parse(text, Format::Markdown);
        assert_eq!(checker.check(&linter, &doc), []);
        // The paragraph with the finding comes from the cache; the comment
        // above it still hides the finding, and once removed no longer does.
        let edited = text.replace("Two.", "Two, changed.");
        let doc = Document::parse(edited.as_str(), Format::Markdown);
        assert_eq!(checker.check(&linter, &doc), []);
        assert_eq!(checker.rechecked, 1);
        let uncommented = edited.replace("<!-- policylint-disable repeated-word -->\n\n", "");
        let doc = Document::parse(uncommented.as_str(), Format::Markdown);
        let found = checker.check(&linter, &doc);
        assert_eq!(found, linter.check(&doc));
        assert_eq!(found.len(), 1);
    }

    /// A random edit: replace `len` bytes at `at` (both scaled to the text).
    fn edit_strategy() -> impl Strategy<Value = (f64, f64, String)> {
        let pieces = prop_oneof![
            Just(String::new()),
            Just("the the ".to_string()),
            Just("\n\n".to_string()),
            Just("4. Extra\n\n".to_string()),
            Just("Section 9 ".to_string()),
            Just("pubic ".to_string()),
            Just("an policy ".to_string()),
            Just("# Heading\n".to_string()),
            Just("\"Fee\" means money. ".to_string()),
            Just("## Definitions\n\n**Fee**: a sum.\n".to_string()),
            Just("é😀中 ".to_string()),
            Just("\n<!-- policylint-disable repeated-word -->\n".to_string()),
            Just("\n<!-- policylint-enable -->\n".to_string()),
            Just("<!-- policylint-disable-next-line misspelling real-word -->\n".to_string()),
            Just(" <!-- policylint-disable-line article -->".to_string()),
            Just("[scope](#2-fees) [x](#nowhere) [y](README.md) [z](src/nope.md) ".to_string()),
            Just("## Fees {: #fees }\n".to_string()),
            "[a-zA-Z .\n]{0,12}".prop_map(|s| s),
        ];
        (0.0..1.0f64, 0.0..0.2f64, pieces)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn incremental_equals_fresh(edits in prop::collection::vec(edit_strategy(), 1..12), markdown in any::<bool>()) {
            let format = if markdown { Format::Markdown } else { Format::Plain };
            // In the crate's folder, so that links to files have somewhere
            // to point.
            let linter = Linter::new(&Config::default())
                .for_path(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policy.md"));
            let mut checker = IncrementalChecker::new();
            let mut text = BASE.to_string();
            checker.check(&linter, &Document::parse(text.as_str(), format));
            for (at, len, insert) in edits {
                let start = crate::syntax::floor_char_boundary(&text, (at * text.len() as f64) as usize);
                let end = crate::syntax::floor_char_boundary(&text, start + (len * text.len() as f64) as usize);
                text.replace_range(start..end, &insert);
                let doc = Document::parse(text.as_str(), format);
                prop_assert_eq!(checker.check(&linter, &doc), linter.check(&doc));
            }
        }
    }
}
