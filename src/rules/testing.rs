//! Helpers for the rules' own tests.

use crate::config::Config;
use crate::lint::Linter;
use crate::lint::incremental::IncrementalChecker;
use crate::rules::{Diagnostic, Rule};
use crate::syntax::{Document, Format};

/// The linter of `rule` alone.
pub fn linter(rule: &Rule) -> Linter {
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

/// Makes `edits` to `text` one after another, each the place and length
/// of what it replaces (fractions of the text's length) and what it
/// inserts, and fails unless the checker's findings after each equal a
/// fresh check's.
pub fn replay_edits(
    linter: &Linter,
    text: String,
    edits: Vec<(f64, f64, String)>,
    format: Format,
) -> Result<(), proptest::test_runner::TestCaseError> {
    replay_edits_with(linter, text, edits, format, |_, _| Ok(()))
}

/// [`replay_edits`], checking also what the checker kept after each edit
/// with `kept(checker, document)`.
pub fn replay_edits_with(
    linter: &Linter,
    mut text: String,
    edits: Vec<(f64, f64, String)>,
    format: Format,
    mut kept: impl FnMut(
        &mut IncrementalChecker,
        &Document,
    ) -> Result<(), proptest::test_runner::TestCaseError>,
) -> Result<(), proptest::test_runner::TestCaseError> {
    let mut checker = IncrementalChecker::new();
    checker.update(linter, text.clone(), format);
    for (at, len, insert) in edits {
        let start = crate::syntax::floor_char_boundary(&text, (at * text.len() as f64) as usize);
        let end =
            crate::syntax::floor_char_boundary(&text, start + (len * text.len() as f64) as usize);
        text.replace_range(start..end, &insert);
        let (doc, found) = checker.update(linter, text.clone(), format);
        proptest::prop_assert_eq!(found, linter.check(&Document::parse(text.as_str(), format)));
        kept(&mut checker, &doc)?;
    }
    Ok(())
}

/// Runs `rule` alone on `text`, then after each of `edits` (the first
/// `replaced` replaced `by`), asserting that the findings equal a fresh
/// check's, and that the rule moved its last findings with the text rather
/// than finding them again exactly where the edit says `moved` (see
/// `memo::Unread`).
pub fn moved_after_edits(rule: &Rule, text: &str, format: Format, edits: &[(&str, &str, bool)]) {
    let linter = linter(rule);
    let mut checker = IncrementalChecker::new();
    checker.update(&linter, text.to_string(), format);
    let mut text = text.to_string();
    let mut moves = 0;
    for &(replaced, by, moved) in edits {
        assert!(text.contains(replaced), "{replaced:?} is in the text");
        text = text.replacen(replaced, by, 1);
        let (_, found) = checker.update(&linter, text.clone(), format);
        let fresh = linter.check(&Document::parse(text.as_str(), format));
        assert_eq!(found, fresh, "{format:?}: {replaced:?} by {by:?}");
        let now = checker.memo_mut().found.of(rule).get_mut().moves;
        assert_eq!(now > moves, moved, "{format:?}: {replaced:?} by {by:?}");
        moves = now;
    }
}

/// From one to fifteen small edits for [`replay_edits`]: anywhere, each
/// replacing up to a hundredth of the text with up to four characters of
/// the class `inserted` (as in a regular expression's `[…]`).
pub fn small_edits(
    inserted: &str,
) -> impl proptest::strategy::Strategy<Value = Vec<(f64, f64, String)>> {
    let inserted =
        proptest::string::string_regex(&format!("[{inserted}]{{0,4}}")).expect("a character class");
    proptest::collection::vec((0.0..1.0f64, 0.0..0.01f64, inserted), 1..16)
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
