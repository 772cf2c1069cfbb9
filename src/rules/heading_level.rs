use crate::rules::{Category, Check, DocumentContext, Edit, Finding, Fix, Severity, declare_rule};
use crate::syntax::{HeadingKind, Span};

declare_rule! {
    /// ## What it checks
    /// A Markdown heading that is more than one level deeper than the
    /// heading before it: `##` followed by `####`.
    ///
    /// ## Why it matters
    /// Heading levels are the document's outline. A skipped level makes a
    /// sub-section look like it belongs to a section that does not exist; it
    /// breaks tables of contents, screen readers' navigation and the
    /// numbering readers infer from the layout.
    ///
    /// ## Example
    /// ```markdown
    /// ## Data retention
    /// #### Backups
    /// ```
    /// `#### Backups` should be `### Backups`.
    pub static RULE = Rule {
        name: "heading-level",
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "A Markdown heading level that skips a level (## then ####)",
        english_only: false,
        check: Check::Document { collect: None, check },
    };
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    let mut previous: Option<u8> = None;
    for heading in cx.doc.headings.iter().filter(|h| h.is_markdown()) {
        if let Some(prev) = previous {
            if heading.level > prev + 1 {
                let expected = prev + 1;
                let mut finding = Finding::new(
                    heading.span,
                    format!(
                        "heading level {} follows level {prev}: a level is skipped",
                        heading.level
                    ),
                );
                if heading.kind == HeadingKind::Atx {
                    let source = cx.doc.slice(heading.span);
                    let hashes = source.bytes().take_while(|&b| b == b'#').count();
                    let marks = Span::new(heading.span.start, heading.span.start + hashes);
                    let text = "#".repeat(expected as usize);
                    finding = finding
                        .with_suggestion(format!("{text}{}", &source[hashes..]))
                        .with_fix(Fix::unsafe_(vec![Edit::replace(marks, text)]));
                }
                out.push(finding);
            }
        }
        previous = Some(heading.level);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, flagged_in};
    use crate::syntax::Format;

    fn md(text: &str) -> Vec<String> {
        flagged_in(&RULE, text, Format::Markdown)
    }

    #[test]
    fn flags_a_skipped_level() {
        assert_eq!(md("## A\n\nx\n\n#### B\n\ny\n"), ["#### B"]);
    }

    #[test]
    fn the_fix_lowers_the_heading_by_the_skip() {
        let d = check(&RULE, "# T\n\n### B\n", Format::Markdown);
        let fix = d[0].fix.as_ref().unwrap();
        assert!(!fix.safe);
        assert_eq!(fix.edits[0].text, "##");
    }

    #[test]
    fn going_back_up_or_one_down_is_fine() {
        assert!(md("# T\n\n## A\n\n### B\n\n# U\n\n## C\n").is_empty());
        assert!(md("## Starts at two\n\n### Then three\n").is_empty());
    }

    #[test]
    fn plain_text_has_no_heading_levels_to_skip() {
        assert!(flagged_in(&RULE, "T\n\n1. A\n\nx\n\n1.1.1 B\n\ny\n", Format::Plain).is_empty());
    }
}
