//! An open document: its text as a rope, its version, and the engine's
//! analysis of it.
//!
//! An analysis is an immutable snapshot (the rope it was made from, the
//! parsed document, the findings), shared by `Arc` and `Rope` clones, so
//! requests read it without holding the server's lock. It is made by an
//! [`AnalysisJob`] taken from the document under the lock and run outside
//! it; requests that need the same version wait on one job rather than
//! each running their own.

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
use crate::syntax::{Document, Format};

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
    pub lsp_diagnostics: Arc<Vec<LspDiagnostic>>,
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
    checker: Arc<Mutex<IncrementalChecker>>,
    /// The last analysis made, of this version or an older one.
    analysis: Option<Analysis>,
    /// The analysis of the current version being made, if one is.
    pending: Option<(i32, PendingAnalysis)>,
    /// Counts configuration changes: an analysis made under an older
    /// configuration is not kept.
    generation: u64,
}

/// What making an analysis needs, taken from a document so that the work
/// runs without it (and without the server's lock).
pub struct AnalysisJob {
    rope: Rope,
    version: i32,
    format: Format,
    encoding: Encoding,
    checker: Arc<Mutex<IncrementalChecker>>,
    generation: u64,
    /// The last analysis made, whose LSP diagnostics are taken where the
    /// edits since leave them standing.
    previous: Option<Analysis>,
}

impl AnalysisJob {
    /// Parses and checks, reusing what the document's last check parsed
    /// and found where the edits since leave it standing.
    pub fn run(self, linter: &Linter) -> Analysis {
        let (doc, diagnostics) = self
            .checker
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .update(linter, text_of(&self.rope), self.format);
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
            checker: Arc::new(Mutex::new(IncrementalChecker::new())),
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
            checker: self.checker.clone(),
            generation: self.generation,
            previous: self.analysis.clone(),
        };
        (cell, job)
    }

    /// Keeps `analysis` unless a newer one is kept already, or it was made
    /// under a configuration since replaced.
    pub fn store(&mut self, analysis: Analysis) {
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
            self.analysis = Some(analysis);
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
        self.checker = Arc::new(Mutex::new(IncrementalChecker::new()));
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
        d.store(job.run(&linter));
        assert!(d.current().is_none());
        let (third, job) = d.pending(Encoding::Utf16);
        assert!(!Arc::ptr_eq(&first, &third));
        d.store(job.run(&linter));
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
        let a = d.analysis(&linter, Encoding::Utf16);
        assert_eq!(a.version, 2);
        assert!(a.diagnostics.is_empty());
    }
}
