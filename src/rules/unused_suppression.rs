use crate::rules::{
    Category, Check, Edit, Finding, Fix, Severity, SuppressionContext, Use, declare_rule,
};
use crate::syntax::{Directive, LineIndex, Span, Suppression};

declare_rule! {
    /// ## What it checks
    /// A `<!-- policylint-… -->` comment in Markdown that hides nothing: a
    /// `disable` with no finding of its rules where it applies, or an
    /// `enable` of rules that are not disabled there. When only some of the
    /// rules a comment names hide nothing, those are reported.
    ///
    /// A rule that did not run (left out by `select`, `ignore`, an
    /// `[[overrides]]` entry or `--select`/`--ignore`) is not judged, nor is
    /// a comment that names no rule unless every rule ran: whether the
    /// comment is needed cannot be told without its findings. A comment
    /// that names `unused-suppression` is never reported, and only such a
    /// comment hides this rule's findings (a comment that names no rule
    /// does not).
    ///
    /// ## Why it matters
    /// Suppressions outlive the findings they were written for: the text is
    /// edited, a rule improves. A stale one hides the next real slip in the
    /// same place. The safe fix removes the comment, or the names in it that
    /// hide nothing; every finding stays hidden by the comment that hid it.
    ///
    /// ## Example
    /// ```markdown
    /// <!-- policylint-disable-next-line misspelling -->
    /// We receive your data.
    /// ```
    /// Nothing on the next line is misspelt (any longer): remove the comment.
    pub static RULE = Rule {
        name: "unused-suppression",
        category: Category::Suppression,
        severity: Severity::Info,
        summary: "A suppression comment that hides no finding",
        english_only: false,
        check: Check::Suppressions(check),
    };
}

fn check(cx: &SuppressionContext<'_>, out: &mut Vec<Finding>) {
    let text = &cx.doc.text;
    for (s, uses) in cx.doc.suppressions.iter().zip(cx.uses) {
        let Some(directive) = s.directive else {
            continue;
        };
        let unused: Vec<usize> = (0..uses.len())
            .filter(|&i| uses[i] == Use::Unused)
            .collect();
        let (Some(&first), Some(&last)) = (unused.first(), unused.last()) else {
            continue;
        };
        let names: Vec<&str> = unused
            .iter()
            .filter_map(|&i| s.rules.get(i))
            .map(|r| r.of(text))
            .collect();
        let message = message(directive, &names);
        let finding = if unused.len() == uses.len() {
            Finding::new(s.span, message).with_fix(Fix::safe(vec![remove(text, cx.lines, s)]))
        } else {
            let keep: Vec<&str> = (0..uses.len())
                .filter(|i| !unused.contains(i))
                .map(|i| s.rules[i].of(text))
                .collect();
            Finding::new(s.rules[first].join(s.rules[last]), message)
                .with_fix(Fix::safe(vec![keep_only(text, s, &keep)]))
        };
        out.push(finding);
    }
}

fn message(directive: Directive, names: &[&str]) -> String {
    let listed = |conjunction: &str| {
        let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        match quoted.split_last() {
            Some((last, rest)) if !rest.is_empty() => {
                format!("{} {conjunction} {last}", rest.join(", "))
            }
            _ => quoted.concat(),
        }
    };
    let place = match directive {
        Directive::Enable => {
            return match names.len() {
                0 => "unused `enable`: no rule is disabled here".into(),
                1 => format!("unused `enable`: {} is not disabled here", listed("and")),
                _ => format!("unused `enable`: {} are not disabled here", listed("and")),
            };
        }
        Directive::Disable => "in the text it covers",
        Directive::DisableLine => "on its line",
        Directive::DisableNextLine => "on the next line",
        Directive::DisableFile => "in this file",
    };
    if names.is_empty() {
        format!("unused suppression: no finding {place}")
    } else {
        format!("unused suppression: no {} finding {place}", listed("or"))
    }
}

/// Removes the comment `s` and, when it is alone on its line, the line, so
/// that the blocks around it stay as they were: a line that separated two
/// blocks becomes blank, and of two blank lines around it one goes.
fn remove(text: &str, lines: &LineIndex, s: &Suppression) -> Edit {
    let first = lines.line_of(s.span.start);
    let last = lines.line_of(s.span.end);
    let before = &text[lines.line_start(first)..s.span.start];
    let after = &text[s.span.end..lines.line_end(text, last)];
    let blank = |line: usize| lines.line_text(text, line).trim().is_empty();
    if !before.trim().is_empty() || !after.trim().is_empty() {
        // Within a line: the comment and the white space on one side.
        let spaces = |s: &str| s.len() - s.trim_start_matches([' ', '\t']).len();
        let following = spaces(after);
        let preceding = before.len() - before.trim_end_matches([' ', '\t']).len();
        let span = if following > 0 && !after.trim().is_empty() {
            Span::new(s.span.start, s.span.end + following)
        } else {
            Span::new(s.span.start - preceding, s.span.end)
        };
        return Edit::delete(span);
    }
    let start = lines.line_start(first);
    let has_next = last + 1 < lines.line_count();
    let previous_blank = first == 0 || blank(first - 1);
    let next_blank = !has_next || blank(last + 1);
    let span = match (previous_blank, next_blank) {
        (false, false) => Span::new(start, lines.line_end(text, last)),
        (true, true) if has_next && !(last + 2 == lines.line_count() && blank(last + 1)) => {
            Span::new(start, lines.line_start(last + 2))
        }
        (true, true) if first > 0 => Span::new(lines.line_start(first - 1), text.len()),
        _ => Span::new(start, lines.line_start(last + 1)),
    };
    Edit::delete(span)
}

/// Rewrites the rule names of `s` to `keep`, separated as they were.
fn keep_only(text: &str, s: &Suppression, keep: &[&str]) -> Edit {
    let names = s.rules[0].join(s.rules[s.rules.len() - 1]);
    let separator = if names.of(text).contains(',') {
        ", "
    } else {
        " "
    };
    Edit::replace(names, keep.join(separator))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::config::Config;
    use crate::lint::Linter;
    use crate::lint::fix::{FixMode, fix_text};
    use crate::syntax::{Document, Format};

    /// Each finding as (rule, flagged text, message) with every rule run.
    fn findings(text: &str, config: &str) -> Vec<(&'static str, String, String)> {
        let linter = Linter::new(&Config::parse(config, None).unwrap());
        let doc = Document::parse(text, Format::Markdown);
        linter
            .check(&doc)
            .into_iter()
            .map(|d| (d.rule.name, doc.slice(d.span).to_string(), d.message))
            .collect()
    }

    fn unused(text: &str, config: &str) -> Vec<(String, String)> {
        findings(text, config)
            .into_iter()
            .filter(|f| f.0 == RULE.name)
            .map(|f| (f.1, f.2))
            .collect()
    }

    fn fixed(text: &str) -> String {
        let linter = Linter::new(&Config::default());
        fix_text(text, Format::Markdown, &linter, FixMode::Safe).text
    }

    #[test]
    fn a_comment_that_hides_nothing_is_reported_at_info() {
        let text = "# T\n\n<!-- policylint-disable-next-line misspelling -->\nWe receive it.\n";
        assert_eq!(
            unused(text, ""),
            [(
                "<!-- policylint-disable-next-line misspelling -->".to_string(),
                "unused suppression: no `misspelling` finding on the next line".to_string()
            )]
        );
        let d = Linter::new(&Config::default()).check(&Document::parse(text, Format::Markdown));
        assert_eq!(d[0].severity, crate::rules::Severity::Info);
        assert_eq!(fixed(text), "# T\n\nWe receive it.\n");
    }

    #[test]
    fn a_comment_that_hides_a_finding_is_not() {
        let text =
            "# T\n\n<!-- policylint-disable-next-line repeated-word -->\nWe keep the the data.\n";
        assert!(findings(text, "").is_empty(), "{:?}", findings(text, ""));
    }

    #[test]
    fn only_the_names_that_hide_nothing_are_reported_and_removed() {
        let text = "# T\n\n<!-- policylint-disable-next-line article, repeated-word, numbering -->\nWe keep the the data.\n";
        assert_eq!(
            unused(text, ""),
            [(
                "article, repeated-word, numbering".to_string(),
                "unused suppression: no `article` or `numbering` finding on the next line"
                    .to_string()
            )]
        );
        assert_eq!(
            fixed(text),
            "# T\n\n<!-- policylint-disable-next-line repeated-word -->\nWe keep the the data.\n"
        );
    }

    #[test]
    fn rules_that_did_not_run_are_not_judged() {
        let text = "# T\n\n<!-- policylint-disable-next-line numbering -->\nWe keep the data.\n\n<!-- policylint-disable -->\nText.\n";
        assert_eq!(unused(text, "").len(), 2);
        // Without `numbering`, neither comment can be judged: the one names
        // it, the other names every rule.
        assert!(unused(text, "ignore = [\"numbering\"]").is_empty());
        assert!(unused(text, "select = [\"unused-suppression\"]").is_empty());
    }

    #[test]
    fn enables_that_end_nothing() {
        let text = "# T\n\n<!-- policylint-enable -->\n\n<!-- policylint-disable repeated-word article -->\nWe keep the the data.\n\n<!-- policylint-enable repeated-word numbering -->\n";
        assert_eq!(
            unused(text, ""),
            [
                (
                    "<!-- policylint-enable -->".to_string(),
                    "unused `enable`: no rule is disabled here".to_string()
                ),
                (
                    "article".to_string(),
                    "unused suppression: no `article` finding in the text it covers".to_string()
                ),
                (
                    "numbering".to_string(),
                    "unused `enable`: `numbering` is not disabled here".to_string()
                ),
            ]
        );
    }

    #[test]
    fn only_a_comment_that_names_the_rule_hides_its_findings() {
        let text = "# T\n\n<!-- policylint-disable -->\n\n<!-- policylint-disable-next-line article -->\nWe keep the data.\n";
        assert_eq!(unused(text, "").len(), 2);
        let named = format!("<!-- policylint-disable-file unused-suppression -->\n{text}");
        assert!(
            findings(&named, "").is_empty(),
            "{:?}",
            findings(&named, "")
        );
    }

    #[test]
    fn removing_a_comment_keeps_the_blocks_apart() {
        // Between two paragraph lines: the line stays, blank.
        assert_eq!(
            fixed("# T\n\nOne.\n<!-- policylint-disable-line article -->\nTwo.\n"),
            "# T\n\nOne.\n\nTwo.\n"
        );
        // Between blank lines, at the end, within a line.
        assert_eq!(
            fixed("# T\n\n<!-- policylint-disable article -->\n\nOne.\n"),
            "# T\n\nOne.\n"
        );
        assert_eq!(
            fixed("# T\n\nOne.\n\n<!-- policylint-enable -->\n"),
            "# T\n\nOne.\n"
        );
        assert_eq!(
            fixed("# T\n\nOne. <!-- policylint-disable-line article --> Two.\n"),
            "# T\n\nOne. Two.\n"
        );
        assert_eq!(
            fixed("# T\n\nOne.\r\n<!-- policylint-disable-line article -->\r\n\r\nTwo.\r\n"),
            "# T\n\nOne.\r\n\r\nTwo.\r\n"
        );
    }
}
