use std::sync::LazyLock;

use crate::rules::{BlockContext, Category, Check, Edit, Finding, Fix, Severity, declare_rule};
use crate::syntax::{Span, Token, TokenKind};

declare_rule! {
    /// ## What it checks
    /// The same word twice in a row, separated only by spaces or a line
    /// break: "the the", "to to". Doubles that grammar allows ("that that",
    /// "had had") and doubled capitalised names ("Bora Bora") are not
    /// reported, nor are words separated by punctuation, markup or a heading,
    /// nor parts of paths in a list of files ("diagram/Diagram" above
    /// "diagram/MaxiDiagram").
    ///
    /// ## Why it matters
    /// A doubled word is the commonest slip that survives proofreading,
    /// because the eye skips the second copy, above all across a line break.
    /// In a published policy it is an easy signal of carelessness.
    ///
    /// ## Example
    /// ```text
    /// We will notify you of of any change.
    /// ```
    /// The fix removes the second "of".
    pub static RULE = Rule {
        name: "repeated-word",
        category: Category::Words,
        severity: Severity::Warning,
        summary: "The same word twice in a row (\"the the\")",
        english_only: true,
        check: Check::Block(check),
    };
}

/// Words after which "that that" is grammatical.
static THAT_CLAUSE_WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut words: Vec<&str> = include_str!("../../data/that-clause-words.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    words.sort_unstable();
    words
});

fn check(cx: &BlockContext<'_>, out: &mut Vec<Finding>) {
    let text = cx.text();
    let tokens = &cx.tokens.tokens;
    let mut i = 0;
    while i < tokens.len() {
        let first = tokens[i];
        // The run of copies of `first` that follow it.
        let mut last = i;
        while last + 1 < tokens.len() && repeats(text, tokens[last], tokens[last + 1]) {
            last += 1;
        }
        if last > i
            && !in_a_path(text, first.span, tokens[last].span)
            && !allowed(
                word_before(text, tokens, i),
                first.text(text),
                tokens[i + 1].text(text),
            )
        {
            let word = first.text(text);
            let end = tokens[last].span.end;
            out.push(
                Finding::new(
                    Span::new(first.span.start, end),
                    format!("`{word}` is repeated"),
                )
                .with_suggestion(word)
                .with_fix(Fix::safe(vec![Edit::delete(removal(
                    text,
                    first.span,
                    tokens[last].span,
                ))])),
            );
        }
        i = last + 1;
    }
}

/// The word a few tokens before token `i`, if any. The look back is short
/// so that a block of punctuation without words stays linear.
fn word_before<'t>(text: &'t str, tokens: &[Token], i: usize) -> Option<&'t str> {
    tokens[..i]
        .iter()
        .rev()
        .take(8)
        .find(|t| t.kind == TokenKind::Word)
        .map(|t| t.text(text))
}

/// What to delete so that one copy of the word is left: the copies after
/// the first, or, when the copies are split by a line break, the copies
/// before the last with the space before them (so the lines stay lines).
fn removal(text: &str, first: Span, last: Span) -> Span {
    let between = &text[first.end..last.start];
    let space_before =
        text[..first.start].len() - text[..first.start].trim_end_matches([' ', '\t']).len();
    match between.rfind('\n') {
        Some(newline) if space_before > 0 => {
            let break_start =
                first.end + between[..newline].trim_end_matches([' ', '\t', '\r']).len();
            Span::new(first.start - space_before, break_start)
        }
        _ => Span::new(first.end, last.end),
    }
}

/// The copies are parts of paths ("diagram/Diagram" on one line,
/// "diagram/MaxiDiagram" on the next): a list of files, not prose.
fn in_a_path(text: &str, first: Span, last: Span) -> bool {
    let separator = |c: Option<char>| matches!(c, Some('/' | '\\'));
    separator(text[..first.start].chars().next_back()) || separator(text[last.end..].chars().next())
}

/// `b` is the word `a` again, with only whitespace between.
fn repeats(text: &str, a: Token, b: Token) -> bool {
    if a.kind != TokenKind::Word || b.kind != TokenKind::Word || a.span.len() != b.span.len() {
        return false;
    }
    let (x, y) = (a.text(text), b.text(text));
    let same = x.eq_ignore_ascii_case(y) || (!x.is_ascii() && x.to_lowercase() == y.to_lowercase());
    same && text[a.span.end..b.span.start]
        .chars()
        .all(char::is_whitespace)
}

/// Doubles English allows: "had had", "(we agree) that that", and
/// capitalised names ("Bora Bora").
fn allowed(before: Option<&str>, first: &str, second: &str) -> bool {
    let capitalised = |w: &str| w.starts_with(char::is_uppercase);
    let lower = first.to_lowercase();
    let after_clause_word = || {
        before.is_some_and(|b| {
            THAT_CLAUSE_WORDS
                .binary_search(&b.to_lowercase().as_str())
                .is_ok()
        })
    };
    lower == "had"
        || (lower == "that" && after_clause_word())
        || (capitalised(first) && capitalised(second) && first.chars().count() > 1)
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{flagged, flagged_in};
    use crate::syntax::Format;

    #[test]
    fn flags_doubles_also_across_a_line_break() {
        assert_eq!(
            flagged(
                &RULE,
                "We will notify you of of any\nchange to to the the\nthe terms."
            ),
            ["of of", "to to", "the the\nthe"]
        );
        assert_eq!(flagged(&RULE, "The the policy."), ["The the"]);
    }

    #[test]
    fn grammatical_doubles_names_and_punctuation_pass() {
        assert!(flagged(&RULE, "He said that that was fine; it had had effect.").is_empty());
        assert!(
            flagged(
                &RULE,
                "We agree that that is fair, so that that data stays."
            )
            .is_empty()
        );
        assert_eq!(
            flagged(&RULE, "Report content that that you believe infringes."),
            ["that that"]
        );
        assert!(flagged(&RULE, "We flew to Bora Bora. Fine, fine. It is, is it?").is_empty());
    }

    #[test]
    fn paths_in_a_list_of_files_pass() {
        assert_eq!(
            flagged(
                &RULE,
                "The package holds these files:\ndiagram/Diagram\ndiagram/MaxiDiagram\nand the the manual."
            ),
            ["the the"]
        );
    }

    #[test]
    fn fixes_keep_lines_apart() {
        use crate::lint::fix::{FixMode, apply};
        use crate::rules::testing::check;
        use crate::syntax::Format;
        for (text, want) in [
            ("T\n\nSend it to to me.", "T\n\nSend it to me."),
            (
                "T\n\nRead all of the\r\nthe terms.",
                "T\n\nRead all of\r\nthe terms.",
            ),
            ("T\n\nthe\nthe end", "T\n\nthe end"),
        ] {
            let d = check(&RULE, text, Format::Plain);
            assert_eq!(apply(text, &d, FixMode::Safe).0, want);
        }
    }

    #[test]
    fn markup_and_headings_separate_words() {
        assert!(
            flagged_in(
                &RULE,
                "## Scope\n\nScope of this policy. A `a` b.",
                Format::Markdown
            )
            .is_empty()
        );
    }
}
