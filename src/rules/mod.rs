//! The rules: one file each, listed in [`ALL`].
//!
//! A rule is a [`Rule`] value: a stable kebab-case name, a category, a
//! default severity, its documentation (the doc comment on its declaration,
//! which `policylint explain` prints and the language server shows on hover)
//! and its check. Checks come in two kinds, because the language server
//! caches by block:
//!
//! - [`Check::Block`] reads one block and its tokens; its findings are
//!   cached per block and only changed blocks are checked again;
//! - [`Check::Document`] reads the document's structure and the facts that
//!   its `collect` function gathered from each block (also cached per block);
//! - [`Check::Suppressions`] reads what the suppression comments hid, once
//!   the engine applied them to every other finding.

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::lexicon::Dictionary;
use crate::lexicon::confusion::Confusions;
use crate::syntax::{Block, Change, Document, LineIndex, Span, Tokens};

pub mod article;
pub mod conflicting_definition;
pub mod custom_rule;
pub mod dangling_reference;
pub mod defined_terms;
pub mod duplicate_heading;
pub mod empty_metadata;
pub mod empty_section;
pub mod heading_level;
pub mod insecure_link;
pub mod invalid_suppression;
pub mod links;
pub mod memo;
pub mod missing_anchor;
pub mod missing_file;
pub mod misspelling;
pub mod numbering;
pub mod preferred_term;
pub mod real_word;
pub mod renumber;
pub mod repeated_word;
pub mod term_case;
pub mod toc_mismatch;
pub mod translation_mismatch;
pub mod undefined_acronym;
pub mod undefined_term;
pub mod unused_definition;
pub mod unused_suppression;

/// Every rule, in the order `policylint rules` lists them.
pub static ALL: &[&Rule] = &[
    &misspelling::RULE,
    &real_word::RULE,
    &article::RULE,
    &numbering::RULE,
    &heading_level::RULE,
    &duplicate_heading::RULE,
    &empty_section::RULE,
    &toc_mismatch::RULE,
    &empty_metadata::RULE,
    &dangling_reference::RULE,
    &repeated_word::RULE,
    &undefined_acronym::RULE,
    &undefined_term::RULE,
    &unused_definition::RULE,
    &term_case::RULE,
    &conflicting_definition::RULE,
    &custom_rule::RULE,
    &preferred_term::RULE,
    &missing_anchor::RULE,
    &missing_file::RULE,
    &insecure_link::RULE,
    &translation_mismatch::RULE,
    &invalid_suppression::RULE,
    &unused_suppression::RULE,
];

/// The rule named `name`.
pub fn by_name(name: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.name == name)
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }

    pub fn from_name(name: &str) -> Option<Severity> {
        match name {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    /// Words not in the dictionary.
    Spelling,
    /// Real words used wrongly, repeated words, articles.
    Words,
    /// Numbering, headings, sections, metadata, cross-references.
    Structure,
    /// Acronyms, defined terms and consistency.
    Style,
    /// The comments that turn findings off.
    Suppression,
}

impl Category {
    pub fn name(self) -> &'static str {
        match self {
            Category::Spelling => "spelling",
            Category::Words => "words",
            Category::Structure => "structure",
            Category::Style => "style",
            Category::Suppression => "suppression",
        }
    }
}

/// What a block rule reads.
pub struct BlockContext<'a> {
    pub doc: &'a Document,
    pub index: usize,
    pub block: &'a Block,
    pub tokens: &'a Tokens<'a>,
    pub settings: &'a Settings,
}

impl BlockContext<'_> {
    pub fn text(&self) -> &str {
        &self.doc.text
    }
}

/// What a document rule reads: the document and the facts gathered from
/// each of its blocks (`facts[i]` belongs to `doc.blocks[i]`).
pub struct DocumentContext<'a> {
    pub doc: &'a Document,
    pub facts: &'a [BlockFacts],
    pub settings: &'a Settings,
    /// The file the document was read from, if it was read from one.
    pub path: Option<&'a std::path::Path>,
    /// The reference document of a translation, when the caller paired them.
    pub reference: Option<&'a translation_mismatch::Reference>,
    /// Built by the first defined-term rule that asks, read by the others.
    glossary: OnceLock<defined_terms::Glossary>,
    /// What the last check of the document kept (see [`memo`]).
    memo: memo::Memo,
    /// How the text changed since the memo's, and the memo text's version.
    change: OnceLock<(u64, Change)>,
    lines: OnceLock<LineIndex>,
    /// What each of `references()` points at.
    resolutions: OnceLock<Vec<dangling_reference::Resolution>>,
    ids: OnceLock<Vec<memo::FactsId>>,
    heading_titles: OnceLock<Vec<Arc<str>>>,
}

impl<'a> DocumentContext<'a> {
    pub fn new(
        doc: &'a Document,
        facts: &'a [BlockFacts],
        settings: &'a Settings,
    ) -> DocumentContext<'a> {
        DocumentContext {
            doc,
            facts,
            settings,
            path: None,
            reference: None,
            glossary: OnceLock::new(),
            memo: memo::Memo::default(),
            change: OnceLock::new(),
            lines: OnceLock::new(),
            resolutions: OnceLock::new(),
            ids: OnceLock::new(),
            heading_titles: OnceLock::new(),
        }
    }

    /// This context reading and updating what the last check of the
    /// document kept.
    pub fn with_memo(mut self, memo: memo::Memo) -> DocumentContext<'a> {
        self.memo = memo;
        self
    }

    /// What the next check of the document may reuse.
    pub fn into_memo(self) -> memo::Memo {
        let (version, change) = self.change();
        let mut memo = self.memo;
        let lines = match self.lines.into_inner() {
            Some(lines) => Some(lines),
            // No rule asked for the lines this time: the kept index follows
            // the edit all the same (a few lines read), so that the next
            // check that asks need not count every line of the text again.
            None => match memo.lines.get_mut().take() {
                Some((kept, mut lines)) if kept + 1 == version => {
                    lines.edit(&self.doc.text, change.start, change.old_end, change.new_end);
                    Some(lines)
                }
                _ => None,
            },
        };
        if let Some(lines) = lines {
            *memo.lines.get_mut() = Some((version, lines));
        }
        if let (Some(&(version, _)), Some(glossary)) =
            (self.change.get(), self.glossary.into_inner())
        {
            memo.glossary.get_mut().keep(glossary, self.doc, version);
        }
        memo
    }

    /// How the text changed since the last check that asked, and the
    /// version of the text the memo keeps now.
    pub(crate) fn change(&self) -> (u64, Change) {
        *self
            .change
            .get_or_init(|| self.memo.text.lock().update(self.doc))
    }

    /// The cross-references of the document, in order (collected once per
    /// block for the rules that read them).
    pub fn references(&self) -> impl Iterator<Item = &dangling_reference::Reference> + Clone {
        self.facts
            .iter()
            .flat_map(|f| f.references.iter().flatten())
    }

    /// What each of [`DocumentContext::references`] points at, resolved once
    /// for the rules that read it (`dangling-reference`, `numbering`'s
    /// renumbering).
    pub fn resolutions(&self) -> &[dangling_reference::Resolution] {
        self.resolutions.get_or_init(|| {
            let ids = self.ids();
            self.memo
                .dangling_reference
                .lock()
                .resolutions(self.doc, self.facts, ids)
        })
    }

    /// Where the lines of the text start, for the rules that name lines.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| {
            let (version, change) = self.change();
            let kept = self.memo.lines.lock().take();
            match kept {
                Some((kept, mut lines)) if kept + 1 == version => {
                    lines.edit(&self.doc.text, change.start, change.old_end, change.new_end);
                    lines
                }
                _ => LineIndex::new(&self.doc.text),
            }
        })
    }

    /// The ids of the blocks' facts, in order: what the memo lines its
    /// values up with.
    pub(crate) fn ids(&self) -> &[memo::FactsId] {
        self.ids
            .get_or_init(|| self.facts.iter().map(|f| f.id).collect())
    }

    /// What the last check kept, for a rule to read and update its part.
    /// The rules run side by side: while holding the part that makes a
    /// shared value ([`DocumentContext::glossary`]: `glossary`; `lines`:
    /// `text` and `lines`; `resolutions`: `dangling_reference`; `change`:
    /// `text`; `heading_titles`: `heading_titles`), a rule must not ask for
    /// that value, whose making may be waiting for the part.
    pub(crate) fn memo(&self) -> &memo::Memo {
        &self.memo
    }

    /// Whether the document defines terms and the memo keeps no glossary
    /// to move: the next [`DocumentContext::glossary`] reads every block.
    pub(crate) fn glossary_from_scratch(&self) -> bool {
        let defines = || {
            self.facts
                .iter()
                .any(|f| f.terms.as_ref().is_some_and(|t| !t.definitions.is_empty()))
        };
        !self.memo.glossary.lock().keeps_one() && defines()
    }

    /// The title of each of the document's headings, in order, on one line
    /// and in lower case (see [`memo::HeadingTitles`]).
    pub(crate) fn heading_titles(&self) -> &[Arc<str>] {
        self.heading_titles.get_or_init(|| {
            let ids = self.ids();
            self.memo.heading_titles.lock().of(self.doc, ids)
        })
    }

    /// The document's defined terms and their uses.
    pub fn glossary(&self) -> &defined_terms::Glossary {
        self.glossary.get_or_init(|| {
            let definitions = self.facts.iter().enumerate().flat_map(|(i, f)| {
                f.terms
                    .iter()
                    .flat_map(move |t| t.definitions.iter().map(move |d| (i, d)))
            });
            let ids = self.ids();
            let (version, _) = self.change();
            let titles = self.heading_titles();
            let mut memo = self.memo.glossary.lock();
            if let Some(moved) = memo.moved(self.doc, self.facts, ids, version, titles) {
                return moved;
            }
            let mut glossary =
                defined_terms::Glossary::defined_titled(self.doc, titles, definitions);
            memo.find_uses(&mut glossary, self.doc, ids);
            glossary
        })
    }
}

/// Facts gathered from one block for the document rules.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockFacts {
    /// Shared by the copies of these facts only: what the document rules
    /// derived from the block may be kept while the block keeps its facts.
    pub id: memo::FactsId,
    pub misspellings: misspelling::Facts,
    pub acronyms: undefined_acronym::Facts,
    /// `None` until a rule that reads references (dangling-reference,
    /// numbering's renumbering) collects them.
    pub references: Option<Vec<dangling_reference::Reference>>,
    /// `None` until a defined-term rule collects them.
    pub terms: Option<defined_terms::Facts>,
}

impl BlockFacts {
    /// Moves every span by `delta` bytes (a block that moved in the text).
    pub fn shift(&mut self, delta: isize) {
        for u in &mut self.misspellings.unknown {
            u.span = u.span.moved(delta);
        }
        for (_, span) in &mut self.acronyms.uses {
            *span = span.moved(delta);
        }
        for r in self.references.iter_mut().flatten() {
            r.span = r.span.moved(delta);
        }
        for d in self.terms.iter_mut().flat_map(|t| &mut t.definitions) {
            d.shift(delta);
        }
    }
}

/// What a rule about suppression comments reads: each comment of the
/// document and what became of the rules it names.
pub struct SuppressionContext<'a> {
    pub doc: &'a Document,
    pub lines: &'a LineIndex,
    /// `uses[i][j]`: what the `j`-th rule named by `doc.suppressions[i]`
    /// did; a comment that names no rule (every rule) has one use.
    pub uses: &'a [Vec<Use>],
}

/// What a rule named in a suppression comment did.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Use {
    /// It hid a finding (of an `enable`: it ended a suppression).
    Used,
    /// It hid nothing (of an `enable`: nothing was suppressed there).
    Unused,
    /// Nobody can tell: the rule did not run or is unknown, or the comment
    /// suppresses `unused-suppression` itself.
    Unknown,
}

/// Settings the rules read, resolved from configuration.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Acronyms that need no expansion, besides the built-in ones.
    pub known_acronyms: Vec<String>,
    /// The dictionary in the configured dialect, with the user's words.
    pub dictionary: Dictionary,
    /// The confusion table, with the user's rows.
    pub confusions: Confusions,
    /// The `[[rules.custom]]` entries, compiled when the configuration loaded.
    pub custom_rules: Vec<custom_rule::Entry>,
    /// The `[terms]` table, compiled when the configuration loaded.
    pub terms: preferred_term::Terms,
    /// `http://` links are reported (`[links] require-https`).
    pub require_https: bool,
}

pub enum Check {
    Block(fn(&BlockContext<'_>, &mut Vec<Finding>)),
    Document {
        collect: Option<fn(&BlockContext<'_>, &mut BlockFacts)>,
        check: fn(&DocumentContext<'_>, &mut Vec<Finding>),
    },
    /// Run by the engine after it applied the suppressions (`lint::suppress`);
    /// only comments that name the rule hide its findings.
    Suppressions(fn(&SuppressionContext<'_>, &mut Vec<Finding>)),
}

pub struct Rule {
    /// Stable kebab-case name, used in configuration and output.
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// The rule reads English words: blocks in another language are not
    /// given to its check or its collector.
    pub english_only: bool,
    /// The rule's documentation: *What it checks*, *Why it matters*, *Example*.
    pub explanation: &'static str,
    pub check: Check,
}

impl Rule {
    pub fn is_local(&self) -> bool {
        matches!(self.check, Check::Block(_))
    }

    /// The explanation without the leading space each doc-comment line has.
    pub fn explanation(&self) -> String {
        let mut out = String::new();
        for line in self.explanation.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for Rule {
    fn eq(&self, other: &Rule) -> bool {
        self.name == other.name
    }
}

impl Eq for Rule {}

/// Declares a rule; its doc comment becomes its explanation.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub static $id:ident = Rule {
            name: $name:literal,
            category: $category:expr,
            severity: $severity:expr,
            summary: $summary:literal,
            english_only: $english_only:expr,
            check: $check:expr $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        pub static $id: $crate::rules::Rule = $crate::rules::Rule {
            name: $name,
            category: $category,
            severity: $severity,
            summary: $summary,
            english_only: $english_only,
            explanation: concat!($($doc, "\n"),*),
            check: $check,
        };
    };
}
pub(crate) use declare_rule;

/// One problem a rule found, before the engine stamps it with the rule and
/// the configured severity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub span: Span,
    pub message: String,
    /// Replacements for the flagged text, best first.
    pub suggestions: Vec<String>,
    pub fix: Option<Fix>,
    /// Overrides the rule's default severity (a rule may rate some findings
    /// higher, e.g. an embarrassing misreading).
    pub severity: Option<Severity>,
}

impl Finding {
    pub fn new(span: Span, message: impl Into<String>) -> Finding {
        Finding {
            span,
            message: message.into(),
            suggestions: Vec::new(),
            fix: None,
            severity: None,
        }
    }

    pub fn with_suggestion(mut self, suggestion: impl Into<String>) -> Finding {
        self.suggestions.push(suggestion.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(fix);
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Finding {
        self.severity = Some(severity);
        self
    }
}

/// Edits that resolve a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// Applied by `--fix` (unambiguous); otherwise offered only on request.
    pub safe: bool,
    pub edits: Vec<Edit>,
    /// What the fix does, where its edits do not say it ("Renumber the
    /// sections that follow"): the title of the editor's quick fix.
    pub title: Option<&'static str>,
}

impl Fix {
    pub fn safe(edits: Vec<Edit>) -> Fix {
        Fix {
            safe: true,
            edits,
            title: None,
        }
    }

    pub fn unsafe_(edits: Vec<Edit>) -> Fix {
        Fix {
            safe: false,
            edits,
            title: None,
        }
    }

    pub fn titled(self, title: &'static str) -> Fix {
        Fix {
            title: Some(title),
            ..self
        }
    }
}

/// Replace `span` with `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

impl Edit {
    pub fn replace(span: Span, text: impl Into<String>) -> Edit {
        Edit {
            span,
            text: text.into(),
        }
    }

    pub fn delete(span: Span) -> Edit {
        Edit::replace(span, "")
    }
}

/// A finding stamped with its rule and final severity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    pub suggestions: Vec<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// Moves the diagnostic and its fix by `delta` bytes.
    pub fn shift(&mut self, delta: isize) {
        self.span = self.span.moved(delta);
        if let Some(fix) = &mut self.fix {
            for e in &mut fix.edits {
                e.span = e.span.moved(delta);
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod testing;
