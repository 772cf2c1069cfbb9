use crate::rules::links::{Anchors, percent_decode};
use crate::rules::{Category, Check, DocumentContext, Edit, Finding, Fix, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A Markdown link to `#fragment` in the same document that matches no
    /// heading and no anchor there. Headings are matched by the ids GitHub
    /// gives them (lower case, spaces to `-`, punctuation dropped, the
    /// second `Scope` is `scope-1`) and by kramdown's; anchors are kramdown
    /// ids (`## Sharing {: #sharing}`, `{#sharing}`, `{: #id}` under a
    /// paragraph) and HTML `id` and `name` attributes (`<a name="x">`).
    /// Case does not count. `#` and `#top` are left alone.
    ///
    /// ## Why it matters
    /// A reader who follows "see [how we share data](#sharing)" and lands
    /// nowhere has lost the part of the policy that was meant for them.
    /// Anchors break silently when a heading is reworded or an id renamed.
    ///
    /// ## Example
    /// ```markdown
    /// See [how we share data](#sharing-data).
    ///
    /// ## Sharing {: #sharing }
    /// ```
    /// No heading or anchor is `sharing-data`. The closest anchor, when one
    /// is close, is offered as an (unsafe) fix.
    pub static RULE = Rule {
        name: "missing-anchor",
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "A link to #fragment that matches no heading or anchor of the document",
        english_only: false,
        check: Check::Document { collect: None, check },
    };
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    let mut anchors = None;
    for link in &cx.doc.links {
        let Some(fragment) = link.dest.strip_prefix('#') else {
            continue;
        };
        let fragment = percent_decode(fragment);
        if fragment.is_empty() || fragment.eq_ignore_ascii_case("top") {
            continue;
        }
        let anchors = anchors.get_or_insert_with(|| Anchors::of(cx.doc));
        if anchors.contains(&fragment) {
            continue;
        }
        let span = link.dest_span.unwrap_or(link.span);
        let mut finding = Finding::new(
            span,
            format!("no heading or anchor `#{fragment}` in this document"),
        );
        if let Some(closest) = anchors.closest(&fragment) {
            finding = finding.with_suggestion(format!("#{closest}"));
            if let Some(dest) = link.dest_span {
                finding = finding.with_fix(Fix::unsafe_(vec![Edit::replace(
                    dest,
                    format!("#{closest}"),
                )]));
            }
        }
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, flagged_in};
    use crate::syntax::Format;

    fn flagged(text: &str) -> Vec<String> {
        flagged_in(&RULE, text, Format::Markdown)
    }

    #[test]
    fn flags_a_fragment_no_heading_or_anchor_has() {
        let text = "# Policy\n\nSee [sharing](#sharing-data), [use](#use) and [it](#sharng).\n\n\
                    ## Sharing {: #sharing }\n\n## How we use data\n";
        assert_eq!(flagged(text), ["#sharing-data", "#use", "#sharng"]);
        let found = check(&RULE, text, Format::Markdown);
        assert_eq!(found[0].suggestions, Vec::<String>::new());
        assert_eq!(found[2].suggestions, ["#sharing"]);
        assert!(found[2].fix.as_ref().is_some_and(|f| !f.safe));
    }

    #[test]
    fn headings_anchors_and_case_match() {
        let text = "# Privacy Notice\n\n[a](#privacy-notice) [b](#scope-1) [c](#Old) \
                    [d](#InfoWeCollect) [e](#top) [f](#) [g](#caf%C3%A9) [h](other.md#nowhere)\n\n\
                    ## Scope\n\n## Scope\n\n<a name=\"old\"></a>\n\n\
                    ### Information we collect {: #InfoWeCollect }\n\n## Café\n";
        assert_eq!(flagged(text), Vec::<String>::new());
    }

    #[test]
    fn a_reference_link_is_flagged_without_a_fix() {
        let text = "# T\n\nSee [terms][t].\n\n[t]: #nowhere\n";
        assert_eq!(flagged(text), ["[terms][t]"]);
        assert_eq!(check(&RULE, text, Format::Markdown)[0].fix, None);
    }
}
