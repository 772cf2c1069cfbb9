//! An open document: its text as a rope, its version, and the engine's
//! analysis of it.
//!
//! An analysis is an immutable snapshot (the rope it was made from, the
//! parsed document, the findings), shared by `Arc` and `Rope` clones, so
//! requests read it without holding the server's lock. It is made by an
//! [`AnalysisJob`] taken from the document under the lock and run outside
//! it; requests that need the same version wait on one job rather than
//! each running their own.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, OnceLock};

use ropey::Rope;
use tokio::sync::OnceCell;
use tower_lsp_server::ls_types::{Diagnostic as LspDiagnostic, TextDocumentContentChangeEvent};

use super::features::{self, Mapper};
use super::position::{self, Encoding};
use crate::ide::Navigation;
use crate::lint::Linter;
use crate::lint::incremental::IncrementalChecker;
use crate::rules::Diagnostic;
use crate::syntax::{Change, Document, Format};

/// The engine's view of one version of a document.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub version: i32,
    pub format: Format,
    /// The text analysed, for converting positions: the document's rope
    /// may have moved on since.
    pub rope: Rope,
    pub doc: Arc<Document>,
    pub diagnostics: Arc<Vec<Diagnostic>>,
    /// The same findings as LSP diagnostics, in `encoding`.
    /// Each is shared with the analyses before and after it that have it
    /// at the same place.
    pub lsp_diagnostics: Arc<Vec<Arc<LspDiagnostic>>>,
    pub encoding: Encoding,
    /// The configuration it was made under (see [`OpenDocument::invalidate`]).
    generation: u64,
    /// References and defined terms, found on the first request that
    /// needs them and kept for the others on this version.
    navigation: Arc<OnceLock<Navigation>>,
}

impl Analysis {
    pub fn navigation(&self) -> &Navigation {
        self.navigation.get_or_init(|| Navigation::of(&self.doc))
    }

    /// The byte offset of the analysed text (without its byte-order mark)
    /// in the rope.
    pub fn bom(&self) -> usize {
        bom(&self.rope)
    }
}

/// The analysis of one version, shared by the requests waiting for it.
pub type PendingAnalysis = Arc<OnceCell<Analysis>>;

pub struct OpenDocument {
    pub rope: Rope,
    pub version: i32,
    pub format: Format,
    /// The last edits applied to the rope, which a check is told of.
    edits: Edits,
    checker: Arc<Mutex<Checker>>,
    /// The last analysis made, of this version or an older one.
    analysis: Option<Analysis>,
    /// The analysis of the current version being made, if one is.
    pending: Option<(i32, PendingAnalysis)>,
    /// Counts configuration changes: an analysis made under an older
    /// configuration is not kept.
    generation: u64,
}

/// The engine's checker of a document, and which of the document's texts
/// it checked last.
#[derive(Default)]
struct Checker {
    engine: IncrementalChecker,
    /// The number of edits that had made the text checked last.
    checked: Option<u64>,
}

/// The last edits applied to a document's rope: how many there were in
/// all, and each of the last few, as a change of the text without its
/// byte-order mark (`None` where that mark came or went).
#[derive(Clone, Debug, Default)]
struct Edits {
    applied: u64,
    last: VecDeque<Option<Change>>,
}

/// How many edits are kept: a check behind by more compares the texts.
const EDITS_KEPT: usize = 32;

impl Edits {
    fn push(&mut self, change: Option<Change>) {
        if self.last.len() == EDITS_KEPT {
            self.last.pop_front();
        }
        self.last.push_back(change);
        self.applied += 1;
    }

    /// How the text after `from` edits became the text now, if the edits
    /// since are all kept.
    fn since(&self, from: u64) -> Option<Change> {
        let count = usize::try_from(self.applied.checked_sub(from)?).ok()?;
        if count == 0 || count > self.last.len() {
            return None;
        }
        let mut since = self.last.range(self.last.len() - count..).copied();
        let first = since.next()??;
        since.try_fold(first, |all, next| Some(all.then(next?)))
    }
}

/// What making an analysis needs, taken from a document so that the work
/// runs without it (and without the server's lock).
pub struct AnalysisJob {
    rope: Rope,
    version: i32,
    format: Format,
    encoding: Encoding,
    edits: Edits,
    checker: Arc<Mutex<Checker>>,
    generation: u64,
    /// The last analysis made, whose LSP diagnostics are taken where the
    /// edits since leave them standing.
    previous: Option<Analysis>,
}

impl AnalysisJob {
    /// Parses and checks, reusing what the document's last check parsed
    /// and found where the edits since leave it standing.
    pub fn run(self, linter: &Linter) -> Analysis {
        let (doc, diagnostics) = {
            let mut checker = self
                .checker
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let within = checker.checked.and_then(|from| self.edits.since(from));
            let text = within
                .and_then(|change| edited(checker.engine.last_text()?, change, &self.rope))
                .unwrap_or_else(|| text_of(&self.rope));
            let checked = checker
                .engine
                .update_within(linter, text, self.format, within);
            // Not before: a check that panicked leaves the engine where it was.
            checker.checked = Some(self.edits.applied);
            checked
        };
        let mapper = Mapper {
            rope: &self.rope,
            bom: bom(&self.rope),
            encoding: self.encoding,
        };
        let lsp_diagnostics =
            features::diagnostics(&mapper, &doc, &diagnostics, self.previous.as_ref());
        Analysis {
            version: self.version,
            format: self.format,
            doc,
            diagnostics: Arc::new(diagnostics),
            lsp_diagnostics: Arc::new(lsp_diagnostics),
            encoding: self.encoding,
            rope: self.rope,
            generation: self.generation,
            navigation: Arc::default(),
        }
    }
}

impl OpenDocument {
    pub fn new(text: &str, version: i32, format: Format) -> OpenDocument {
        OpenDocument {
            rope: Rope::from_str(text),
            version,
            format,
            edits: Edits::default(),
            checker: Arc::default(),
            analysis: None,
            pending: None,
            generation: 0,
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
            let (old_len, old_bom) = (self.rope.len_bytes(), bom(&self.rope));
            let replaced = match change.range {
                None => {
                    self.rope = Rope::from_str(&change.text);
                    0..old_len
                }
                Some(range) => {
                    let span = position::span(&self.rope, range, encoding);
                    let start = self.rope.byte_to_char(span.start);
                    let end = self.rope.byte_to_char(span.end);
                    self.rope.remove(start..end);
                    self.rope.insert(start, &change.text);
                    span.start..span.end
                }
            };
            // The engine reads the text without its byte-order mark.
            let bom = bom(&self.rope);
            let start = replaced.start.checked_sub(bom).filter(|_| bom == old_bom);
            self.edits.push(start.map(|start| Change {
                start,
                old_end: replaced.end - bom,
                new_end: start + change.text.len(),
            }));
        }
        self.version = version;
    }

    /// The analysis of the current version, if it is made.
    pub fn current(&self) -> Option<Analysis> {
        self.analysis
            .as_ref()
            .filter(|a| a.version == self.version)
            .cloned()
    }

    /// The analysis of the current version being made (to wait for) and,
    /// if nobody has started it, the job that makes it.
    pub fn pending(&mut self, encoding: Encoding) -> (PendingAnalysis, AnalysisJob) {
        let cell = match &self.pending {
            Some((version, cell)) if *version == self.version => cell.clone(),
            _ => {
                let cell = PendingAnalysis::default();
                self.pending = Some((self.version, cell.clone()));
                cell
            }
        };
        let job = AnalysisJob {
            rope: self.rope.clone(),
            version: self.version,
            format: self.format,
            encoding,
            edits: self.edits.clone(),
            checker: self.checker.clone(),
            generation: self.generation,
            previous: self.analysis.clone(),
        };
        (cell, job)
    }

    /// Keeps `analysis` unless a newer one is kept already, or it was made
    /// under a configuration since replaced. Returns the analysis that is
    /// not kept (the one replaced, or this one): the last copy of a large
    /// document takes a while to free, which the caller may do elsewhere.
    pub fn store(&mut self, analysis: Analysis) -> Option<Analysis> {
        if analysis.generation == self.generation
            && self
                .analysis
                .as_ref()
                .is_none_or(|a| a.version <= analysis.version)
        {
            if self
                .pending
                .as_ref()
                .is_some_and(|(v, _)| *v <= analysis.version)
            {
                self.pending = None;
            }
            self.analysis.replace(analysis)
        } else {
            Some(analysis)
        }
    }

    /// The analysis of the current version, made here if needed (for
    /// callers without a runtime: benchmarks, fuzzing, tests).
    pub fn analysis(&mut self, linter: &Linter, encoding: Encoding) -> Analysis {
        if let Some(a) = self.current() {
            return a;
        }
        let (_, job) = self.pending(encoding);
        let analysis = job.run(linter);
        self.store(analysis.clone());
        analysis
    }

    /// Forgets the analysis (the configuration changed).
    pub fn invalidate(&mut self) {
        self.analysis = None;
        self.pending = None;
        // A job still running keeps the old checker and cannot be stored.
        self.checker = Arc::default();
        self.generation += 1;
    }

    /// The byte offset of the document's text (without its byte-order
    /// mark) in the rope.
    pub fn bom(&self) -> usize {
        bom(&self.rope)
    }
}

/// The rope's text in a string of its exact size (`to_string` formats it
/// into one that grows by doubling: up to twice the size, kept as long as
/// the analysis).
fn text_of(rope: &Rope) -> String {
    let mut text = String::with_capacity(rope.len_bytes());
    rope.chunks().for_each(|chunk| text.push_str(chunk));
    text
}

/// The text now (without its byte-order mark), made from `last`, the text
/// checked last, and `change`, how it became the rope's: most of it is
/// copied from one string in two pieces rather than from the rope's
/// thousands of leaves (0.34–0.40 against 0.71–0.77 ms for 5 MB). `None`
/// if `change` does not fit `last`.
fn edited(last: &str, change: Change, rope: &Rope) -> Option<String> {
    let bom = bom(rope);
    let (before, after) = (last.get(..change.start)?, last.get(change.old_end..)?);
    let inserted = rope.get_byte_slice(bom + change.start..bom + change.new_end)?;
    if before.len() + inserted.len_bytes() + after.len() != rope.len_bytes() - bom {
        return None;
    }
    let mut text = String::with_capacity(rope.len_bytes() - bom);
    text.push_str(before);
    inserted.chunks().for_each(|chunk| text.push_str(chunk));
    text.push_str(after);
    debug_assert_eq!(text, String::from(rope.byte_slice(bom..)));
    Some(text)
}

fn bom(rope: &Rope) -> usize {
    if rope.len_bytes() >= 3 && rope.char(0) == '\u{feff}' {
        3
    } else {
        0
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
    fn edits_are_told_as_one_change_of_the_text_without_its_mark() {
        let mut d = OpenDocument::new("\u{feff}ab\ncd\n", 1, Format::Plain);
        d.apply(vec![change(((0, 2), (0, 2)), "X")], 2, Encoding::Utf16);
        d.apply(
            vec![change(((1, 0), (1, 1)), ""), change(((0, 2), (0, 2)), "Y")],
            3,
            Encoding::Utf16,
        );
        // Edits: "ab\ncd\n" → "aXb\ncd\n", then → "aXb\nd\n" → "aYXb\nd\n".
        assert_eq!(d.rope.to_string(), "\u{feff}aYXb\nd\n");
        let told = |start, old_end, new_end| Change {
            start,
            old_end,
            new_end,
        };
        assert_eq!(d.edits.since(0), Some(told(1, 4, 5)));
        assert_eq!(d.edits.since(1), Some(told(1, 5, 5)));
        assert_eq!(d.edits.since(2), Some(told(1, 1, 2)));
        assert_eq!(d.edits.since(3), None, "nothing since");
        // The mark removed: the texts must be compared.
        d.apply(vec![change(((0, 0), (0, 1)), "")], 4, Encoding::Utf16);
        assert_eq!(d.edits.since(3), None);
        d.apply(vec![change(((0, 0), (0, 0)), "Z")], 5, Encoding::Utf16);
        assert_eq!(d.edits.since(4), Some(told(0, 0, 1)));
        assert_eq!(d.edits.since(3), None);
        // Only the last few are kept.
        for version in 6..6 + EDITS_KEPT as i32 {
            d.apply(
                vec![change(((0, 0), (0, 0)), "-")],
                version,
                Encoding::Utf16,
            );
        }
        assert_eq!(d.edits.since(4), None);
        assert_eq!(d.edits.since(5), Some(told(0, 0, EDITS_KEPT)));
    }

    #[test]
    fn a_check_told_the_edits_equals_a_fresh_one() {
        let linter = Linter::new(&crate::config::Config::default());
        let text = "# Terms\n\n## 1. Scope\n\nWe recieve data.\n\n## 2. Fees\n\nSee Section 3.\n";
        let mut d = OpenDocument::new(text, 1, Format::Markdown);
        d.analysis(&linter, Encoding::Utf16);
        let edits = [
            (((4, 3), (4, 10)), "receive"),
            (((8, 12), (8, 13)), "9"),
            (((6, 0), (6, 0)), "## 3. Law\n\nText.\n\n"),
            (((0, 2), (0, 7)), ""),
            (((4, 0), (4, 0)), "the the "),
        ];
        for (version, (range, insert)) in (2..).zip(edits) {
            d.apply(vec![change(range, insert)], version, Encoding::Utf16);
            // Some versions are not checked: the next check is told of
            // the edits since the last.
            if version % 2 == 1 {
                continue;
            }
            let analysis = d.analysis(&linter, Encoding::Utf16);
            let fresh = Document::parse(d.rope.to_string(), Format::Markdown);
            assert_eq!(
                *analysis.diagnostics,
                linter.check(&fresh),
                "version {version}"
            );
            assert!(analysis.doc.edited.is_some());
        }
    }

    #[test]
    fn the_text_is_made_from_the_last_one_and_the_change() {
        let change = |start, old_end, new_end| Change {
            start,
            old_end,
            new_end,
        };
        let rope = Rope::from_str("\u{feff}abXYZef");
        assert_eq!(
            edited("abcdef", change(2, 4, 5), &rope).as_deref(),
            Some("abXYZef")
        );
        // A change that does not fit the last text.
        assert_eq!(edited("abcdefg", change(2, 4, 5), &rope), None);
        assert_eq!(edited("abc", change(2, 4, 5), &rope), None);
        assert_eq!(edited("a😀f", change(2, 4, 5), &rope), None);
    }

    #[test]
    fn utf16_columns_after_an_emoji() {
        let mut d = OpenDocument::new("a😀b\n", 1, Format::Plain);
        // "b" is at UTF-16 column 3.
        d.apply(vec![change(((0, 3), (0, 4)), "c")], 2, Encoding::Utf16);
        assert_eq!(d.rope.to_string(), "a😀c\n");
    }

    #[test]
    fn one_analysis_a_version_and_none_from_an_old_configuration() {
        let linter = Linter::new(&crate::config::Config::default());
        let mut d = OpenDocument::new("T\n\nthe the end\n", 1, Format::Plain);
        let (first, job) = d.pending(Encoding::Utf16);
        let (second, _) = d.pending(Encoding::Utf16);
        assert!(
            Arc::ptr_eq(&first, &second),
            "requests share the pending analysis"
        );
        // The configuration changes while the job runs: its result is stale.
        d.invalidate();
        let stale = job.run(&linter);
        assert_eq!(d.store(stale).map(|a| a.version), Some(1), "handed back");
        assert!(d.current().is_none());
        let (third, job) = d.pending(Encoding::Utf16);
        assert!(!Arc::ptr_eq(&first, &third));
        assert!(d.store(job.run(&linter)).is_none(), "none replaced");
        assert_eq!(d.current().map(|a| a.diagnostics.len()), Some(1));
        // A snapshot keeps its text when the document moves on.
        let before = d.current().unwrap();
        d.apply(vec![change(((2, 0), (2, 4)), "")], 2, Encoding::Utf16);
        assert_eq!(before.rope.to_string(), "T\n\nthe the end\n");
        assert!(d.current().is_none());
    }

    #[test]
    fn analysis_follows_the_version() {
        let linter = Linter::new(&crate::config::Config::default());
        let mut d = OpenDocument::new("T\n\nthe the end\n", 1, Format::Plain);
        assert_eq!(d.analysis(&linter, Encoding::Utf16).diagnostics.len(), 1);
        d.apply(vec![change(((2, 0), (2, 4)), "")], 2, Encoding::Utf16);
        let (_, job) = d.pending(Encoding::Utf16);
        let replaced = d.store(job.run(&linter));
        assert_eq!(
            replaced.map(|a| a.version),
            Some(1),
            "the last one handed back"
        );
        let a = d.analysis(&linter, Encoding::Utf16);
        assert_eq!(a.version, 2);
        assert!(a.diagnostics.is_empty());
    }
}
