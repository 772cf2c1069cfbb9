use crate::hashing::{FastMap, FastSet};
use crate::rules::links::{self, Anchors, percent_decode};
use crate::rules::memo::{PerBlock, Reads, holds};
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
    // The headings, the links and the ids written out.
    let doc = cx.doc;
    let mut ids = Vec::new();
    let reads = |index: usize| {
        let block = &doc.blocks[index];
        let links = doc
            .links
            .partition_point(|l| l.span.start < block.span.start);
        ids.clear();
        links::block_ids(doc, block, &mut ids);
        Reads::text_if(
            holds(&doc.headings, index, |h| h.block)
                || doc
                    .links
                    .get(links)
                    .is_some_and(|l| l.span.start < block.span.end)
                || !ids.is_empty(),
        )
    };
    cx.memo()
        .found
        .missing_anchor
        .lock()
        .check(cx, false, reads, out, |out| {
            find(cx, out);
            Vec::new()
        });
}

fn find(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    let mut memo = cx.memo().missing_anchor.lock();
    let mut anchors_made = false;
    for link in &cx.doc.links {
        let Some(fragment) = link.dest.strip_prefix('#') else {
            continue;
        };
        let fragment = percent_decode(fragment);
        if fragment.is_empty() || fragment.eq_ignore_ascii_case("top") {
            continue;
        }
        if !anchors_made {
            memo.anchors(cx);
            anchors_made = true;
        }
        let Some(closest) = memo.closest(&fragment) else {
            continue;
        };
        let span = link.dest_span.unwrap_or(link.span);
        let mut finding = Finding::new(
            span,
            format!("no heading or anchor `#{fragment}` in this document"),
        );
        if let Some(closest) = closest {
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

/// What the rule keeps of the last check: the anchors, and what they were
/// made of. A keystroke rarely changes a heading or an id.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    /// The slugs of each heading text of the last check.
    slugs: FastMap<String, (String, String)>,
    /// The ids each block writes out.
    explicit: PerBlock<Vec<String>>,
    /// The heading texts and ids `anchors` was made of, in order.
    headings: Vec<String>,
    ids: Vec<String>,
    anchors: Option<Anchors>,
    /// The anchor most like each fragment that matches none, if one is
    /// close: what `Anchors::closest` says, once per fragment.
    closest: FastMap<String, Option<String>>,
}

impl Memo {
    /// Makes `anchors` those of `cx.doc`, unless they are already.
    fn anchors(&mut self, cx: &DocumentContext<'_>) {
        let doc = cx.doc;
        self.explicit.align(cx.ids());
        let mut found = Vec::new();
        for (index, ids) in self.explicit.made_anew() {
            found.clear();
            links::block_ids(doc, &doc.blocks[index], &mut found);
            *ids = Some(found.drain(..).map(|(id, _)| id).collect());
        }
        let explicit = || self.explicit.values.iter().flatten().flatten();
        let sources = || doc.headings.iter().map(|h| doc.slice(h.text));
        if self.anchors.is_some()
            && sources().eq(self.headings.iter().map(String::as_str))
            && explicit().eq(&self.ids)
        {
            return;
        }
        let mut slugs = std::mem::take(&mut self.slugs);
        for source in sources() {
            if !slugs.contains_key(source) {
                slugs.insert(source.to_string(), links::heading_slugs(source));
            }
        }
        let pairs = sources().map(|s| {
            let (g, k) = &slugs[s];
            (g.as_str(), k.as_str())
        });
        self.anchors = Some(Anchors::new(pairs, explicit().map(String::as_str)));
        self.ids = explicit().cloned().collect();
        // Only the headings of this check: an edited heading leaves its
        // old text behind.
        self.headings = sources().map(str::to_string).collect();
        let current: FastSet<&str> = self.headings.iter().map(String::as_str).collect();
        slugs.retain(|source, _| current.contains(source.as_str()));
        self.slugs = slugs;
        self.closest.clear();
    }

    /// `None` when `fragment` matches an anchor, else the anchor most like
    /// it, if one is close.
    fn closest(&mut self, fragment: &str) -> Option<Option<String>> {
        let anchors = self.anchors.as_ref().expect("anchors made first");
        if anchors.contains(fragment) {
            return None;
        }
        let closest = self
            .closest
            .entry(fragment.to_string())
            .or_insert_with(|| anchors.closest(fragment).map(str::to_string));
        Some(closest.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{
        check, flagged_after_edits, flagged_in, linter, moved_after_edits, replay_edits,
        small_edits,
    };
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

    #[test]
    fn anchors_follow_edits_to_headings_and_ids() {
        let text = "# Policy\n\nSee [use](#how-we-use-data), [it](#share) and [x](#sharng).\n\n\
                    ## How we use data\n\n<a name=\"share\"></a>\n\n## Sharing\n";
        let renamed = text.replace("## How we use data", "## How we use it");
        let unmarked = renamed.replace("<a name=\"share\"></a>\n\n", "");
        let typed = unmarked.replace("See", "Look at");
        let found = flagged_after_edits(
            &RULE,
            &[text, &renamed, &unmarked, &typed, text],
            Format::Markdown,
        );
        assert_eq!(
            found,
            [
                vec!["#sharng"],
                vec!["#how-we-use-data", "#sharng"],
                vec!["#how-we-use-data", "#share", "#sharng"],
                vec!["#how-we-use-data", "#share", "#sharng"],
                vec!["#sharng"],
            ]
        );
    }

    const TEXT: &str = "# Policy\n\n## Scope\n\nSee [fees](#fees) and [law](#lawz).\n\n<a id=\"custom\"></a>\n\nA paragraph of plain words.\n\nAnother plain paragraph.\n\nSee [the law][l].\n\n## Law\n\n[l]: #lawz\n";

    #[test]
    fn an_edit_in_prose_moves_the_last_findings() {
        let edits = [
            ("plain words", "plain, simple words", true),
            ("#lawz", "#law", false),
            ("simple words", "words with [a link](#scope)", false),
            ("plain, words", "plain words", false),
            ("Another plain", "One more plain", true),
            ("## Law", "## Laws", false),
            ("\"custom\"", "\"fees\"", false),
            ("[l]: #lawz", "[l]: #law", false),
        ];
        moved_after_edits(&RULE, TEXT, Format::Markdown, &edits);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Small edits anywhere: the findings equal a fresh check's after
        /// each, whether they were moved or found again.
        #[test]
        fn findings_after_small_edits_equal_a_fresh_check(
            edits in small_edits("a-z #()\\[\\]<>\n"),
        ) {
            replay_edits(&linter(&RULE), TEXT.to_string(), edits, Format::Markdown)?;
        }
    }
}
