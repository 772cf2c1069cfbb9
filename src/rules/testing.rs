//! Helpers for the rules' own tests.

use crate::config::Config;
use crate::lint::Linter;
use crate::rules::{Diagnostic, Rule};
use crate::syntax::{Document, Format};

/// Runs `rule` alone on `text`.
pub fn check(rule: &Rule, text: &str, format: Format) -> Vec<Diagnostic> {
    let config = Config::parse(&format!("select = [\"{}\"]", rule.name), None)
        .expect("a rule's own name selects it");
    Linter::new(&config).check(&Document::parse(text, format))
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
