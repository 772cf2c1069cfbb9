use crate::rules::memo::{Reads, outlines};
use crate::rules::{Category, Check, DocumentContext, Finding, Severity, declare_rule};
use crate::syntax::{Block, BlockKind, Document, SectionKind};

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
    // The rule reads the outline, and of other blocks their kinds, spans,
    // and the text of HTML blocks.
    let reads = |index| {
        let block = &cx.doc.blocks[index];
        Reads::text_if(
            outlines(cx.doc, index) || block.kind == BlockKind::Html || block.span.is_empty(),
        )
    };
    cx.memo()
        .found
        .empty_section
        .lock()
        .check(cx, false, reads, out, |out| {
            find(cx.doc, out);
            Vec::new()
        });
}

fn find(doc: &Document, out: &mut Vec<Finding>) {
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
            .any(|b| !b.span.is_empty() && !is_comment(doc, b));
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

/// An HTML comment is not content a reader sees. (The text is read only
/// for HTML: reading every block's would touch the whole document.)
fn is_comment(doc: &Document, block: &Block) -> bool {
    block.kind == BlockKind::Html && doc.slice(block.span).trim_start().starts_with("<!--")
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{
        flagged, flagged_in, linter, moved_after_edits, replay_edits, small_edits,
    };
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

    const TEXT: &str = "# Policy\n\n## Scope\n\n## Fees\n\nText about fees.\n\n## Law\n\n<!-- only a comment -->\n\n## End\n\nClosing words here.\n";

    #[test]
    fn an_edit_in_prose_moves_the_last_findings() {
        let edits = [
            ("Text about fees", "Text about the fees", true),
            ("Closing words", "Closing", true),
            ("only a comment", "a comment", false),
            ("<!-- a comment -->", "Now some text.", false),
            ("Now some", "Now", true),
            ("## Fees", "## Fee", false),
            ("the fees.", "the fees.\n\nMore.", false),
        ];
        moved_after_edits(&RULE, TEXT, Format::Markdown, &edits);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Small edits anywhere: the findings equal a fresh check's after
        /// each, whether they were moved or found again.
        #[test]
        fn findings_after_small_edits_equal_a_fresh_check(
            edits in small_edits("a-z #<!->\n"),
        ) {
            replay_edits(&linter(&RULE), TEXT.to_string(), edits, Format::Markdown)?;
        }
    }
}
