//! Checking a document again after an edit: re-parsing only around the
//! edit and re-checking only the blocks that changed.
//!
//! Block results depend on nothing but the block's kind, language, text and
//! prose runs (see `rules`). After a re-parse that says which blocks are
//! new ([`Splice`]), the others keep their results, moved with their block;
//! a block whose language its new neighbours changed is checked again.
//! After a whole parse, results are found by the block's content. Document
//! rules run again, with what they kept of the last check (`rules::memo`):
//! what they derived from a block whose facts were kept is not derived
//! again.
//!
//! Invariant (tested with random edits): the findings are exactly what
//! `Linter::check` gives for the same text.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use super::{BlockResult, Linter, sort, suppress};
use crate::rules::memo::Memo;
use crate::rules::{BlockFacts, Diagnostic};
use crate::syntax::{Block, Change, Document, Format, Language, Splice};

/// The last document checked and what each of its blocks gave.
#[derive(Debug, Default)]
pub struct IncrementalChecker {
    /// The document the next text is re-parsed from; `None` after a
    /// check of a document given by the caller.
    document: Option<Arc<Document>>,
    /// For each block of the last document checked: what its results
    /// depend on, where it started, its language, and its results (in that
    /// document's positions).
    keys: Vec<u64>,
    starts: Vec<usize>,
    languages: Vec<Language>,
    findings: Vec<Vec<Diagnostic>>,
    facts: Vec<BlockFacts>,
    /// What the document rules kept of the last check.
    memo: Memo,
    /// Blocks checked afresh in the last check (for tests and logs).
    pub rechecked: usize,
}

impl IncrementalChecker {
    pub fn new() -> IncrementalChecker {
        IncrementalChecker::default()
    }

    /// What the document rules kept of the last check, for their tests.
    #[cfg(test)]
    pub(crate) fn memo_mut(&mut self) -> &mut Memo {
        &mut self.memo
    }

    /// Forgets every result (after a configuration change).
    pub fn clear(&mut self) {
        *self = IncrementalChecker::default();
    }

    /// The text of the last document checked, if the next is to be
    /// re-parsed from it.
    pub fn last_text(&self) -> Option<&str> {
        self.document.as_deref().map(|doc| doc.text.as_str())
    }

    /// Parses `text`, the document's new text, and checks it: only around
    /// the edit since the last text, where the document's markup allows.
    pub fn update(
        &mut self,
        linter: &Linter,
        text: String,
        format: Format,
    ) -> (Arc<Document>, Vec<Diagnostic>) {
        self.update_within(linter, text, format, None)
    }

    /// [`IncrementalChecker::update`], told how the last text checked became
    /// `text` (without its byte-order mark), if the caller knows: the texts
    /// are then compared only near the change.
    pub fn update_within(
        &mut self,
        linter: &Linter,
        text: String,
        format: Format,
        within: Option<Change>,
    ) -> (Arc<Document>, Vec<Diagnostic>) {
        let (doc, splice) = match (&self.document, within) {
            (Some(last), Some(within)) if last.format == format => {
                last.reparse_within(text, within)
            }
            (Some(last), None) if last.format == format => last.reparse(text),
            _ => (Document::parse(text, format), None),
        };
        let diagnostics = match splice {
            Some(splice) if splice.old.end <= self.keys.len() => {
                self.check_spliced(linter, &doc, &splice)
            }
            _ => self.check(linter, &doc),
        };
        let doc = Arc::new(doc);
        self.document = Some(doc.clone());
        (doc, diagnostics)
    }

    /// All findings for `doc`, reusing the results of blocks the last check
    /// saw with the same content.
    pub fn check(&mut self, linter: &Linter, doc: &Document) -> Vec<Diagnostic> {
        let seen: HashMap<u64, usize> =
            self.keys.iter().enumerate().map(|(i, &k)| (k, i)).collect();
        // The blocks not seen are checked on every core: opening a large
        // document checks them all.
        let results: Vec<(u64, Result<usize, BlockResult>)> = doc
            .blocks
            .par_iter()
            .enumerate()
            .map(|(index, block)| {
                let key = key(doc, block);
                match seen.get(&key) {
                    Some(&i) => (key, Ok(i)),
                    None => (key, Err(linter.check_block(doc, index))),
                }
            })
            .collect();
        let mut next = IncrementalChecker::default();
        for ((key, result), block) in results.into_iter().zip(&doc.blocks) {
            match result {
                Ok(i) => {
                    let delta = block.span.start as isize - self.starts[i] as isize;
                    let mut findings = self.findings[i].clone();
                    let mut facts = self.facts[i].clone();
                    findings.iter_mut().for_each(|d| d.shift(delta));
                    facts.shift(delta);
                    next.push(key, block, findings, facts);
                }
                Err(result) => {
                    next.rechecked += 1;
                    next.push(key, block, result.diagnostics, result.facts);
                }
            }
        }
        next.memo = std::mem::take(&mut self.memo);
        *self = next;
        self.finish(linter, doc)
    }

    /// The findings for `doc`, re-parsed from the last document checked
    /// as `splice` says.
    fn check_spliced(
        &mut self,
        linter: &Linter,
        doc: &Document,
        splice: &Splice,
    ) -> Vec<Diagnostic> {
        self.rechecked = 0;
        let new = splice.new.clone();
        let fresh: Vec<(u64, BlockResult)> = new
            .clone()
            .map(|i| (key(doc, &doc.blocks[i]), linter.check_block(doc, i)))
            .collect();
        self.rechecked += fresh.len();
        let (keys, results): (Vec<u64>, Vec<BlockResult>) = fresh.into_iter().unzip();
        let (findings, facts): (Vec<_>, Vec<_>) = results
            .into_iter()
            .map(|r| (r.diagnostics, r.facts))
            .unzip();
        let old = splice.old.clone();
        self.keys.splice(old.clone(), keys);
        self.starts.splice(
            old.clone(),
            doc.blocks[new.clone()].iter().map(|b| b.span.start),
        );
        self.languages.splice(
            old.clone(),
            doc.blocks[new.clone()].iter().map(|b| b.language),
        );
        self.findings.splice(old.clone(), findings);
        self.facts.splice(old, facts);
        // Every block after the edit moves (on every core: tens of
        // thousands in a large document).
        let delta = splice.delta;
        self.starts[new.end..]
            .par_iter_mut()
            .zip(&mut self.findings[new.end..])
            .zip(&mut self.facts[new.end..])
            .for_each(|((start, findings), facts)| {
                *start = start.wrapping_add_signed(delta);
                findings.iter_mut().for_each(|d| d.shift(delta));
                facts.shift(delta);
            });
        // A block's language may follow its neighbours' (a short block
        // takes the language of the next that shows one).
        for (i, block) in doc.blocks.iter().enumerate() {
            if self.languages[i] != block.language {
                let result = linter.check_block(doc, i);
                self.rechecked += 1;
                self.keys[i] = key(doc, block);
                self.languages[i] = block.language;
                self.findings[i] = result.diagnostics;
                self.facts[i] = result.facts;
            }
        }
        self.finish(linter, doc)
    }

    fn push(&mut self, key: u64, block: &Block, findings: Vec<Diagnostic>, facts: BlockFacts) {
        self.keys.push(key);
        self.starts.push(block.span.start);
        self.languages.push(block.language);
        self.findings.push(findings);
        self.facts.push(facts);
    }

    /// The blocks' findings with the document rules', as `Linter::check`
    /// gives them.
    fn finish(&mut self, linter: &Linter, doc: &Document) -> Vec<Diagnostic> {
        let mut diagnostics: Vec<Diagnostic> = self.findings.iter().flatten().cloned().collect();
        diagnostics.extend(linter.check_document_with(doc, &self.facts, &mut self.memo));
        sort(&mut diagnostics);
        suppress::apply(linter, doc, diagnostics)
    }
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
    fn after_an_edit_to_markdown_only_the_blocks_around_it_are_checked_again() {
        let linter = Linter::new(&Config::default());
        let mut checker = IncrementalChecker::new();
        let text = "# Policy\n\nWe recieve data.\n\n## Scope\n\nIt covers an user.\n\n## Law\n\nText here.\n";
        let (_, found) = checker.update(&linter, text.to_string(), Format::Markdown);
        assert_eq!(found.len(), 2);
        // A block moved by the edit keeps its finding, moved with it.
        let edited = text.replace("We recieve", "We often recieve");
        let (doc, found) = checker.update(&linter, edited.clone(), Format::Markdown);
        assert_eq!(
            found,
            linter.check(&Document::parse(edited, Format::Markdown))
        );
        assert!(checker.rechecked <= 2, "{}", checker.rechecked);
        assert_eq!(doc.slice(found[1].span), "an user");
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
            crate::rules::testing::replay_edits(&linter, BASE.to_string(), edits, format)?;
        }
    }
}
