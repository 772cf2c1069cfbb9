use crate::rules::{Category, Check, DocumentContext, Finding, Severity, declare_rule};
use crate::syntax::{BlockKind, SectionKind};

declare_rule! {
    /// ## What it checks
    /// A heading whose section is empty: nothing follows it before the next
    /// heading of the same or a higher level (or the end of the document).
    /// A section whose only content is its sub-sections is not empty.
    ///
    /// ## Why it matters
    /// An empty section promises text that is not there: a clause that was
    /// deleted, a draft placeholder ("Data Retention"), or a heading pasted
    /// twice. In a policy, the missing text may be the very commitment a
    /// reader is looking for.
    ///
    /// ## Example
    /// ```markdown
    /// ## Data Retention
    ///
    /// ## Contact
    /// Write to privacy@example.com.
    /// ```
    /// "Data Retention" has no text.
    pub static RULE = Rule {
        name: "empty-section",
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "A heading with no text before the next heading of the same or higher level",
        english_only: false,
        check: Check::Document { collect: None, check },
    };
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    let doc = cx.doc;
    for section in &doc.outline.sections {
        let SectionKind::Heading(h) = section.kind else {
            continue;
        };
        let first = doc
            .blocks
            .partition_point(|b| b.span.start < section.body.start);
        let has_content = doc.blocks[first..]
            .iter()
            .take_while(|b| b.span.end <= section.body.end)
            .any(|b| !b.span.is_empty() && !is_comment(doc.slice(b.span), b.kind));
        if !has_content {
            let heading = &doc.headings[h];
            let text = doc.slice(heading.text);
            out.push(Finding::new(
                heading.span,
                format!("section `{text}` is empty"),
            ));
        }
    }
}

/// An HTML comment is not content a reader sees.
fn is_comment(source: &str, kind: BlockKind) -> bool {
    kind == BlockKind::Html && source.trim_start().starts_with("<!--")
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{flagged, flagged_in};
    use crate::syntax::Format;

    fn md(text: &str) -> Vec<String> {
        flagged_in(&RULE, text, Format::Markdown)
    }

    #[test]
    fn flags_a_heading_followed_by_a_sibling() {
        assert_eq!(md("## A\n\n## B\n\ntext\n"), ["## A"]);
    }

    #[test]
    fn flags_an_empty_last_section_and_one_with_only_a_comment() {
        assert_eq!(md("## A\n\ntext\n\n## B\n<!-- todo -->\n"), ["## B"]);
    }

    #[test]
    fn a_section_with_only_subsections_is_not_empty() {
        assert!(md("## A\n\n### A.1\n\ntext\n").is_empty());
    }

    #[test]
    fn plain_numbered_sections() {
        assert_eq!(
            flagged(&RULE, "T\n\n1. Scope\n\n2. Fees\n\nText.\n"),
            ["1. Scope"]
        );
        assert!(flagged(&RULE, "T\n\n1. Scope\n\nText.\n\n2. Fees\n\nText.\n").is_empty());
    }
}
