use crate::rules::{self, Category, Check, DocumentContext, Finding, Severity, declare_rule};
use crate::syntax::{Directive, SUPPRESSION_PREFIX};

declare_rule! {
    /// ## What it checks
    /// A `<!-- policylint-… -->` comment in Markdown that policylint cannot
    /// read: a directive it does not know (`policylint-disabel`) or a name
    /// that is no rule (`realword`).
    ///
    /// ## Why it matters
    /// Such a comment suppresses nothing. The findings it was written for
    /// are reported after all, or, if the rule finds nothing there today,
    /// the slip waits until it does.
    ///
    /// ## Example
    /// ```markdown
    /// <!-- policylint-disable-next-line realword -->
    /// > The original reads "the statue of limitations".
    /// ```
    /// `realword` is no rule: `real-word` is. The directives are
    /// `policylint-disable`, `-enable`, `-disable-line`, `-disable-next-line`
    /// and `-disable-file`; `policylint rules` lists the rules.
    pub static RULE = Rule {
        name: "invalid-suppression",
        category: Category::Suppression,
        severity: Severity::Warning,
        summary: "A suppression comment with an unknown directive or rule name",
        english_only: false,
        check: Check::Document { collect: None, check },
    };
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    for s in &cx.doc.suppressions {
        if s.directive.is_none() {
            let expected: Vec<String> = Directive::ALL
                .iter()
                .map(|d| format!("`{SUPPRESSION_PREFIX}{}`", d.name()))
                .collect();
            out.push(Finding::new(
                s.word,
                format!(
                    "unknown directive `{}` (expected one of {})",
                    cx.doc.slice(s.word),
                    expected.join(", ")
                ),
            ));
            continue;
        }
        for &name in &s.rules {
            if rules::by_name(cx.doc.slice(name)).is_none() {
                out.push(Finding::new(
                    name,
                    format!(
                        "`{}` is no rule (see `policylint rules`)",
                        cx.doc.slice(name)
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, flagged_in};
    use crate::syntax::Format;

    #[test]
    fn flags_unknown_directives_and_rule_names() {
        let text = "# T\n\n<!-- policylint-disabel misspelling -->\n<!-- policylint-disable-next-line mispelling, article -->\nText.\n";
        assert_eq!(
            flagged_in(&RULE, text, Format::Markdown),
            ["policylint-disabel", "mispelling"]
        );
        let d = check(&RULE, text, Format::Markdown);
        assert!(
            d[0].message.starts_with(
                "unknown directive `policylint-disabel` (expected one of `policylint-disable`, "
            ),
            "{}",
            d[0].message
        );
        assert_eq!(
            d[1].message,
            "`mispelling` is no rule (see `policylint rules`)"
        );
    }

    #[test]
    fn good_comments_and_other_comments_pass() {
        let text = "# T\n\n<!-- policylint-disable-file undefined-acronym -->\n<!-- a note on policylint-disabel -->\n\n```\n<!-- policylint-disabel -->\n```\n";
        assert!(flagged_in(&RULE, text, Format::Markdown).is_empty());
    }
}
