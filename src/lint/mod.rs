//! The engine: runs the selected rules over a document.
//!
//! Block rules run per block and document rules over the outline and the
//! per-block facts, so that a caller that keeps [`BlockResult`]s (the
//! language server) can re-check only the blocks that changed.

pub mod files;
pub mod fix;
pub mod incremental;
pub mod suppress;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use crate::config::{Config, Suppress};
use crate::lexicon::Dictionary;
use crate::lexicon::confusion::Confusions;
use crate::rules::memo::Memo;
use crate::rules::translation_mismatch::Reference;
use crate::rules::{
    BlockContext, BlockFacts, Check, Diagnostic, DocumentContext, Finding, Rule, Settings, Severity,
};
use crate::syntax::{Document, Language, Token, Tokens};

/// The selected rules with their configured severities and settings.
#[derive(Debug, Clone)]
pub struct Linter {
    /// The configuration it was made from, for the linters of its files.
    config: Arc<Config>,
    /// Each rule with the severity the configuration gives it, if any.
    rules: Vec<(&'static Rule, Option<Severity>)>,
    settings: Arc<Settings>,
    /// Some rule reads blocks (a block rule or a fact collector).
    reads_blocks: bool,
    /// The `[[suppress]]` entries that name the file checked.
    suppress: Vec<Suppress>,
    /// The file checked, for the rules that look at its folder (links to
    /// other files); none for standard input or an unsaved buffer.
    path: Option<Arc<Path>>,
    /// The reference document, when the file is a translation of one.
    reference: Option<Arc<Reference>>,
}

/// What the block rules and collectors produced for one block.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockResult {
    pub diagnostics: Vec<Diagnostic>,
    pub facts: BlockFacts,
}

impl Linter {
    /// The linter of `config` for a document that no `[[overrides]]` or
    /// `[[suppress]]` entry names; see [`Linter::for_path`].
    pub fn new(config: &Config) -> Linter {
        let rules: Vec<(&'static Rule, Option<Severity>)> = config
            .rules()
            .into_iter()
            .map(|r| (r, config.severity(r.name)))
            .collect();
        let settings = Settings {
            known_acronyms: config.known_acronyms().to_vec(),
            dictionary: Dictionary::new(config.dialect(), config.user_words().iter().cloned()),
            confusions: Confusions::new(config.confusions().clone()),
            custom_rules: config.custom_rules().to_vec(),
            terms: config.terms().clone(),
            require_https: config.require_https(),
        };
        Linter::with(
            Arc::new(config.clone()),
            rules,
            Arc::new(settings),
            Vec::new(),
            None,
        )
    }

    /// The linter for the file at `path`: the rules and severities the
    /// configuration's `[[overrides]]` give it, and the `[[suppress]]`
    /// entries that name it, and the path for the rules that read the
    /// file's folder. Cheap: the settings are shared.
    pub fn for_path(&self, path: &Path) -> Linter {
        let config = &self.config;
        let rules = config
            .rules_for(path)
            .into_iter()
            .map(|r| (r, config.severity_for(path, r.name)))
            .collect();
        Linter::with(
            config.clone(),
            rules,
            self.settings.clone(),
            config.suppressions_for(path),
            Some(Arc::from(path)),
        )
    }

    /// This linter for a text that is no file on disk (standard input
    /// without a file name): the configuration of its name stays, the
    /// rules that read the file's folder skip it.
    pub fn without_location(mut self) -> Linter {
        self.path = None;
        self
    }

    /// This linter for a translation of `reference` (see
    /// `translation-mismatch`).
    pub fn with_reference(mut self, reference: Arc<Reference>) -> Linter {
        self.reference = Some(reference);
        self
    }

    fn with(
        config: Arc<Config>,
        rules: Vec<(&'static Rule, Option<Severity>)>,
        settings: Arc<Settings>,
        suppress: Vec<Suppress>,
        path: Option<Arc<Path>>,
    ) -> Linter {
        let reads_blocks = rules.iter().any(|(r, _)| {
            matches!(
                r.check,
                Check::Block(_)
                    | Check::Document {
                        collect: Some(_),
                        ..
                    }
            )
        });
        Linter {
            config,
            rules,
            settings,
            reads_blocks,
            suppress,
            path,
            reference: None,
        }
    }

    /// All findings for `doc` that no suppression hides, ordered by
    /// position.
    pub fn check(&self, doc: &Document) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        let mut facts = Vec::with_capacity(doc.blocks.len());
        let mut buffer = Vec::new();
        for index in 0..doc.blocks.len() {
            let result = self.check_block_reusing(doc, index, &mut buffer);
            diagnostics.extend(result.diagnostics);
            facts.push(result.facts);
        }
        diagnostics.extend(self.check_document(doc, &facts));
        sort(&mut diagnostics);
        suppress::apply(self, doc, diagnostics)
    }

    /// Runs the block rules and fact collectors on `doc.blocks[index]`.
    pub fn check_block(&self, doc: &Document, index: usize) -> BlockResult {
        self.check_block_reusing(doc, index, &mut Vec::new())
    }

    fn check_block_reusing(
        &self,
        doc: &Document,
        index: usize,
        buffer: &mut Vec<Token>,
    ) -> BlockResult {
        let block = &doc.blocks[index];
        let mut result = BlockResult::default();
        if !block.has_prose() || !self.reads_blocks {
            return result;
        }
        let tokens = Tokens::reusing(&doc.text, &block.prose, std::mem::take(buffer));
        let cx = BlockContext {
            doc,
            index,
            block,
            tokens: &tokens,
            settings: &self.settings,
        };
        let mut findings = Vec::new();
        let english = block.language == Language::English;
        for &(rule, configured) in &self.rules {
            if rule.english_only && !english {
                continue;
            }
            match rule.check {
                Check::Block(check) => {
                    check(&cx, &mut findings);
                    stamp(rule, configured, &mut findings, &mut result.diagnostics);
                }
                Check::Document {
                    collect: Some(collect),
                    ..
                } => collect(&cx, &mut result.facts),
                Check::Document { collect: None, .. } | Check::Suppressions(_) => {}
            }
        }
        *buffer = tokens.into_buffer();
        result
    }

    /// Runs the document rules; `facts[i]` are the facts of `doc.blocks[i]`.
    /// Suppressions are not applied: see [`Linter::check`].
    pub fn check_document(&self, doc: &Document, facts: &[BlockFacts]) -> Vec<Diagnostic> {
        self.check_document_with(doc, facts, &mut Memo::default())
    }

    /// [`Linter::check_document`] reusing what the document rules kept of
    /// the last check of this document with this linter, and keeping what
    /// the next may reuse. The rules run side by side on every core (what
    /// they share is made once, by the first that asks); their findings
    /// come in the order of the rules, as one after another would give them.
    pub fn check_document_with(
        &self,
        doc: &Document,
        facts: &[BlockFacts],
        memo: &mut Memo,
    ) -> Vec<Diagnostic> {
        let mut cx =
            DocumentContext::new(doc, facts, &self.settings).with_memo(std::mem::take(memo));
        cx.path = self.path.as_deref();
        cx.reference = self.reference.as_deref();
        // A glossary made from scratch (every block read for the terms'
        // uses) takes longer than any rule, and the rules that read it
        // would each wait for it holding a core: it is made first, on every
        // core. One moved with an edit costs little and is made by the
        // first rule that asks.
        if cx.glossary_from_scratch() {
            cx.glossary();
        }
        let rules: Vec<_> = self
            .rules
            .iter()
            .filter_map(|&(rule, configured)| match rule.check {
                Check::Document { check, .. } => Some((rule, configured, check)),
                _ => None,
            })
            .collect();
        let order = longest_first(&cx.memo().durations, rules.len());
        let ran: Vec<OnceLock<(Vec<Diagnostic>, Duration)>> =
            rules.iter().map(|_| OnceLock::new()).collect();
        // Each core takes the next rule not yet taken, the longest first,
        // until none is left.
        let next = AtomicUsize::new(0);
        let work = || {
            while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                let (rule, configured, check) = rules[i];
                let started = Instant::now();
                let mut findings = Vec::new();
                let mut diagnostics = Vec::new();
                check(&cx, &mut findings);
                stamp(rule, configured, &mut findings, &mut diagnostics);
                // Each index is taken once.
                let _ = ran[i].set((diagnostics, started.elapsed()));
            }
        };
        rayon::scope(|scope| {
            for _ in 1..rayon::current_num_threads() {
                scope.spawn(|_| work());
            }
            work();
        });
        *memo = cx.into_memo();
        let (per_rule, durations): (Vec<_>, Vec<_>) = ran
            .into_iter()
            .map(|r| r.into_inner().expect("every rule ran"))
            .unzip();
        memo.durations = durations;
        per_rule.into_iter().flatten().collect()
    }

    pub fn rules(&self) -> impl Iterator<Item = &'static Rule> + '_ {
        self.rules.iter().map(|&(r, _)| r)
    }
}

/// The indices of `n` rules, the longest of the last check first, ties in
/// order: started last, a long rule would keep one core busy while the
/// others wait (at 5 MB misspelling takes about a third of the document
/// rules' time). In order when there is no last check of these rules.
fn longest_first(durations: &[Duration], n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    if durations.len() == n {
        order.sort_by_key(|&i| std::cmp::Reverse(durations[i]));
    }
    order
}

/// A configured severity wins over the one a rule chose for a finding,
/// even when it is the rule's default ("pubic" is an error unless the
/// configuration says `real-word = "warning"`).
fn stamp(
    rule: &'static Rule,
    configured: Option<Severity>,
    findings: &mut Vec<Finding>,
    out: &mut Vec<Diagnostic>,
) {
    out.extend(findings.drain(..).map(|f| Diagnostic {
        rule,
        severity: configured.or(f.severity).unwrap_or(rule.severity),
        span: f.span,
        message: f.message,
        suggestions: f.suggestions,
        fix: f.fix,
    }));
}

/// Orders diagnostics by position, then rule.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule.name).cmp(&(b.span.start, b.span.end, b.rule.name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Format;
    use std::collections::BTreeSet;

    #[test]
    fn the_longest_rule_of_the_last_check_starts_first() {
        let ms = Duration::from_millis;
        assert_eq!(
            longest_first(&[ms(1), ms(5), ms(3), ms(5)], 4),
            [1, 3, 2, 0]
        );
        // Another set of rules: their durations say nothing.
        assert_eq!(longest_first(&[ms(1), ms(5)], 3), [0, 1, 2]);
        assert_eq!(longest_first(&[], 2), [0, 1]);
    }

    #[test]
    fn the_document_rules_findings_come_in_the_rules_order_whichever_ran_first() {
        let linter = Linter::new(&Config::default());
        let text = "Privacy Policy\n\n1. Scope\n\nWe recieve data. See Section 4. \
                    The PGO sets fees.\n\n3. Fees\n\n\"Fee\" means a charge. \"fee\" means a cost.\n";
        let doc = Document::parse(text, Format::Plain);
        let facts: Vec<BlockFacts> = (0..doc.blocks.len())
            .map(|i| linter.check_block(&doc, i).facts)
            .collect();
        let expected = linter.check_document(&doc, &facts);
        let rules: BTreeSet<&str> = expected.iter().map(|d| d.rule.name).collect();
        assert!(rules.len() >= 3, "{rules:?}");
        let mut memo = Memo::default();
        linter.check_document_with(&doc, &facts, &mut memo);
        let ran = memo.durations.len();
        assert!(ran > 3);
        // The last rule the longest, the first the shortest.
        memo = Memo::default();
        memo.durations = (0..ran as u64).map(Duration::from_millis).collect();
        assert_eq!(
            linter.check_document_with(&doc, &facts, &mut memo),
            expected
        );
    }

    fn severities(config: &str) -> Vec<(&'static str, Severity)> {
        let linter = Linter::new(&Config::parse(config, None).unwrap());
        let doc = Document::parse("Title\n\nWe formulate pubic policies.\n", Format::Plain);
        linter
            .check(&doc)
            .iter()
            .map(|d| (d.rule.name, d.severity))
            .collect()
    }

    #[test]
    fn a_configured_severity_wins_even_when_it_is_the_default() {
        // The rule reports this finding as an error by itself; `warning` is
        // the rule's default severity, and still what the user asked for.
        assert_eq!(severities(""), [("real-word", Severity::Error)]);
        assert_eq!(
            severities("[severity]\nreal-word = \"warning\""),
            [("real-word", Severity::Warning)]
        );
    }

    #[test]
    fn a_glossary_is_made_from_scratch_only_without_one_to_move() {
        let linter = Linter::new(&crate::config::Config::default());
        let scratch = |text: &str, memo: &mut Memo| {
            let doc = Document::parse(text, Format::Plain);
            let facts: Vec<BlockFacts> = doc
                .blocks
                .iter()
                .enumerate()
                .map(|(i, _)| linter.check_block(&doc, i).facts)
                .collect();
            let cx = DocumentContext::new(&doc, &facts, &linter.settings)
                .with_memo(std::mem::take(memo));
            let from_scratch = cx.glossary_from_scratch();
            cx.glossary();
            *memo = cx.into_memo();
            from_scratch
        };
        let defines = "Title\n\n\"Fee\" means a charge. The Fee is due.\n";
        let mut memo = Memo::default();
        assert!(scratch(defines, &mut memo));
        assert!(!scratch(&defines.replace("due", "owed"), &mut memo));
        assert!(!scratch("Title\n\nNo terms here.\n", &mut Memo::default()));
    }
}
