use crate::rules::{Category, Check, DocumentContext, Finding, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A metadata field with no value: `By:`, `Author:`, `Effective date:`,
    /// `Version:` on a metadata line, or a YAML front-matter key such as
    /// `title:` with nothing after it and nothing nested under it.
    ///
    /// ## Why it matters
    /// An empty field is a template that was never filled in. Readers, and
    /// the systems that index policies, take the author, the date and the
    /// version from these lines; a blank one looks careless and leaves the
    /// document's provenance unknown.
    ///
    /// ## Example
    /// ```text
    /// 2022-November-11 20:28 By:
    /// ```
    /// `By:` names no one. Fill it in or remove it.
    pub static RULE = Rule {
        name: "empty-metadata",
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "A metadata field (By:, Date:, Version:, front-matter key) with no value",
        english_only: false,
        check: Check::Document { collect: None, check },
    };
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    for field in cx.doc.metadata.iter().filter(|f| f.value.is_none()) {
        let key = cx.doc.slice(field.key);
        out.push(Finding::new(field.key, format!("`{key}` has no value")));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{flagged, flagged_in};
    use crate::syntax::Format;

    #[test]
    fn flags_an_empty_field_after_a_date() {
        assert_eq!(
            flagged(&RULE, "Title\n\n2022-November-11 20:28 By:\n\nText."),
            ["By:"]
        );
    }

    #[test]
    fn flags_an_empty_front_matter_key() {
        let text = "---\ntitle:\nversions:\n  fpt: '*'\n---\n\nText.\n";
        assert_eq!(flagged_in(&RULE, text, Format::Markdown), ["title:"]);
        let last = "---\ntitle: Privacy\nauthor:\n---\n\n# Privacy\n\nText.\n";
        assert_eq!(flagged_in(&RULE, last, Format::Markdown), ["author:"]);
    }

    #[test]
    fn filled_fields_and_prose_pass() {
        assert!(
            flagged(
                &RULE,
                "Title\n\nEditor: WJH\nDate: 3 May 2021\n\nNote: not metadata."
            )
            .is_empty()
        );
        assert!(flagged(&RULE, "Title\n\nAuthor:\nJane Doe\n\nText.").is_empty());
    }
}
