use std::collections::HashSet;

use crate::rules::defined_terms;
use crate::rules::{Category, Check, DocumentContext, Finding, Severity, declare_rule};
use crate::syntax::Span;

declare_rule! {
    /// ## What it checks
    /// A term the document defines and then never uses outside its
    /// definition. Definitions are found in the forms real documents use:
    ///
    /// - a quoted term and a verb that defines: `"Personal Data" means …`,
    ///   `“Licensor” shall mean …`, `"You" (or "Your") shall mean …`,
    ///   `"You" includes …`, `"Package" refers to …`, `"Term" has the
    ///   meaning …`; in a numbered definitions section, `1.1. "Contributor"`
    ///   with `means …` on the next line (MPL 2.0);
    /// - a name given in passing: `(the "Service")`, `("Public License")`,
    ///   `(hereinafter "Licensee")`, `hereinafter referred to as the
    ///   "Licensee"`, `(collectively, the "Services")`, `(each a
    ///   "Contributor")`, `(referred to herein as “we,” “us,” or “our”)`;
    /// - in a section whose heading says *Definitions* or *Glossary*: an
    ///   item or paragraph that opens with a bold term (`**Controller**:
    ///   the body…`, `- **Processor.** …`), a quoted term and a colon
    ///   (`‘The Licence’: this Licence`), or capitalised words and `means`
    ///   (`Adapted Material means …`, the Creative Commons 4.0 licences).
    ///
    /// Straight and curly quotes are alike; plurals and possessives are
    /// uses ("Contributions", "Licensor's"), and so is any case, and so are
    /// uses inside other definitions. A term defined as one of several
    /// alternatives (`"You" (or "Your")`) is unused only when none of them
    /// is used.
    ///
    /// Its default severity is `info`: an unused definition does no harm
    /// to the reader, who only reads a little more.
    ///
    /// ## Why it matters
    /// A definition nobody uses is debris from an earlier draft, or a sign
    /// that the text uses another word for the same thing (defines
    /// "Customer Data" and then speaks of "client data"), which is worse:
    /// the defined meaning no longer applies where it was meant to.
    ///
    /// ## Example
    /// ```text
    /// "Customer Data" means data the customer uploads. We encrypt client data.
    /// ```
    /// "Customer Data" is never used: use it ("We encrypt Customer Data"),
    /// or remove the definition.
    pub static RULE = Rule {
        name: "unused-definition",
        category: Category::Style,
        severity: Severity::Info,
        summary: "A defined term that the document never uses",
        english_only: true,
        check: Check::Document { collect: Some(defined_terms::collect), check },
    };
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    let terms = &cx.glossary().terms;
    let used = |t: &defined_terms::Term| t.uses.iter().any(|u| !u.in_definition);
    // Alternatives defined together share a group: `"You" (or "Your")`.
    let used_groups: HashSet<Span> = terms
        .iter()
        .filter(|t| used(t))
        .flat_map(|t| t.definitions.iter().map(|d| d.group))
        .collect();
    for term in terms.iter().filter(|t| !used(t) && !t.is_acronym()) {
        if term
            .definitions
            .iter()
            .any(|d| used_groups.contains(&d.group))
        {
            continue;
        }
        let first = &term.definitions[0];
        out.push(Finding::new(
            first.span,
            format!("`{}` is defined but never used", term.name),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{flagged, flagged_in};
    use crate::syntax::Format;

    #[test]
    fn a_term_defined_and_never_used() {
        let text =
            "Title\n\n\"Customer Data\" means data the customer uploads. We encrypt client data.";
        assert_eq!(flagged(&RULE, text), ["Customer Data"]);
    }

    #[test]
    fn uses_in_any_form_count() {
        let text = "Title\n\n\"Contribution\" means a change. \"Licensor\" means us. \
                    Contributions are welcome. The Licensor's decision is final.";
        assert!(flagged(&RULE, text).is_empty());
        let text = "Title\n\nThe files (the \"Software\") are free. Use the software.";
        assert!(flagged(&RULE, text).is_empty());
        let text = "Title\n\nVersion three (\"OSL 3.0\") applies. Read the OSL 3.0 first.";
        assert!(flagged(&RULE, text).is_empty());
    }

    #[test]
    fn a_use_inside_its_own_definition_does_not_count() {
        let text =
            "Title\n\n\"Contributor\" means each Contributor who contributes.\n\nOther text.";
        assert_eq!(flagged(&RULE, text), ["Contributor"]);
    }

    #[test]
    fn alternatives_need_only_one_use() {
        let text = "Title\n\n\"You\" (or \"Your\") shall mean the licensee. You may copy it.";
        assert!(flagged(&RULE, text).is_empty());
        let text = "Title\n\nMozilla Corporation (referred to herein as “we,” “us,” “our,” or \
                    “Mozilla”) offers it. We do.";
        assert!(flagged(&RULE, text).is_empty());
    }

    #[test]
    fn every_form_of_definition_is_found() {
        let forms = [
            "Title\n\n\"Personal Data\" means any information.",
            "Title\n\n“Personal Data” shall mean any information.",
            "Title\n\nThe term \"Personal Data\" includes any information.",
            "Title\n\n\"Personal Data\" refers to any information.",
            "Title\n\nAny information (the \"Personal Data\") is kept.",
            "Title\n\nAny information (hereinafter \"Personal Data\") is kept.",
            "Title\n\nAny information, hereinafter referred to as the \"Personal Data\", is kept.",
            "Title\n\nAll information (collectively, the “Personal Data”) is kept.",
            "Title\n\n1. Definitions\n\n1.1. \"Personal Data\"\n    means any information.\n",
            "Title\n\nSection 1 – Definitions.\n\n     a.\tPersonal Data means any information.\n",
            "Title\n\nA \"Personal Data\", in this context, means any information.",
            "Title\n\nA \"Personal Data\" of a person means any information.",
            "Title\n\n\"Personal Data\" is whatever identifies a person.",
            "Title\n\n\"Personal Data\" – Means any information.",
            "Title\n\n1.0 Definitions\n\n\"Personal Data\" – any information.\n",
        ];
        for text in forms {
            assert_eq!(flagged(&RULE, text), ["Personal Data"], "{text}");
        }
        let markdown = [
            "# T\n\n## Definitions\n\n- **Personal Data**: any information.\n",
            "# T\n\n## Definitions\n\n**Personal Data.** Any information.\n",
            "# T\n\n## Definitions\n\n- **\"Personal Data\"** means any information.\n",
            "# T\n\n## Glossary\n\n“Personal Data”: any information.\n",
            "# T\n\n## 1. Definitions\n\n**1.1. \"Personal Data\"**  \nMeans any information.\n",
            "# T\n\n## Definitions\n\n1. **Personal Data:** Any information.\n",
        ];
        for text in markdown {
            assert_eq!(
                flagged_in(&RULE, text, Format::Markdown),
                ["Personal Data"],
                "{text}"
            );
        }
    }

    #[test]
    fn bold_and_unquoted_terms_define_only_in_a_definitions_section() {
        let text = "# T\n\n## What we collect\n\n- **Account data.** Your name.\n";
        assert!(flagged_in(&RULE, text, Format::Markdown).is_empty());
        let text = "Title\n\nSection 2 – Scope.\n\n     a.\tThis License means well.\n";
        assert!(flagged(&RULE, text).is_empty());
    }

    #[test]
    fn quotations_are_not_definitions() {
        let text =
            "Title\n\nIt is provided \"as is\" (see \"Warranty\"). So-called \"cookies\" exist.";
        assert!(flagged(&RULE, text).is_empty());
    }
}
