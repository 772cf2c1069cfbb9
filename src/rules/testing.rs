//! Helpers for the rules' own tests.

use crate::config::Config;
use crate::lint::Linter;
use crate::lint::incremental::IncrementalChecker;
use crate::rules::{Diagnostic, Rule};
use crate::syntax::{Document, Format};

/// The linter of `rule` alone.
fn linter(rule: &Rule) -> Linter {
    let config = Config::parse(&format!("select = [\"{}\"]", rule.name), None)
        .expect("a rule's own name selects it");
    Linter::new(&config)
}

/// Runs `rule` alone on `text`.
pub fn check(rule: &Rule, text: &str, format: Format) -> Vec<Diagnostic> {
    linter(rule).check(&Document::parse(text, format))
}

/// Runs `rule` alone on each of `texts` in turn, as the language server
/// checks a document after each edit, asserting that each check finds what
/// a fresh check finds; the text each finding points at, check by check.
pub fn flagged_after_edits(rule: &Rule, texts: &[&str], format: Format) -> Vec<Vec<String>> {
    let linter = linter(rule);
    let mut checker = IncrementalChecker::new();
    texts
        .iter()
        .map(|&text| {
            let (doc, found) = checker.update(&linter, text.to_string(), format);
            assert_eq!(
                found,
                linter.check(&Document::parse(text, format)),
                "after the edit to {text:?}"
            );
            found
                .iter()
                .map(|d| doc.slice(d.span).to_string())
                .collect()
        })
        .collect()
}

/// The text each finding of `rule` on plain `text` points at.
pub fn flagged(rule: &Rule, text: &str) -> Vec<String> {
    flagged_in(rule, text, Format::Plain)
}

/// The text each finding of `rule` on `text` points at.
pub fn flagged_in(rule: &Rule, text: &str, format: Format) -> Vec<String> {
    let doc = Document::parse(text, format);
    check(rule, text, format)
        .iter()
        .map(|d| doc.slice(d.span).to_string())
        .collect()
}
