use std::collections::HashMap;
use std::path::PathBuf;

use crate::rules::links::explicit_ids;
use crate::rules::{Category, Check, DocumentContext, Finding, Severity, declare_rule};
use crate::syntax::{Document, Heading, Span};

declare_rule! {
    /// ## What it checks
    /// With `[translations] reference = "en"` in `policylint.toml` and one
    /// folder per language (`en/terms.md`, `de/terms.md`), a translation
    /// whose structure differs from its reference document's (the file at
    /// the same path under the reference folder):
    /// - a section number the reference has and the translation lacks, or
    ///   the other way round;
    /// - an anchor (kramdown `{: #id}`, `{#id}`, HTML `id`/`name`) the
    ///   reference has and the translation lacks, or the other way round;
    /// - a link target the reference has and the translation lacks, or the
    ///   other way round. A target that names the translation's folder
    ///   (`../de/privacy.md`) is compared as if it named the reference's.
    ///
    /// The command line pairs the files; in the editor the rule is silent.
    ///
    /// ## Why it matters
    /// A translation is the same promise in another language. A section
    /// left out, a renumbered clause or an anchor renamed breaks the links
    /// that other documents and support pages make into it, and a
    /// translation that lags the reference may bind the company to terms it
    /// has changed.
    ///
    /// ## Example
    /// ```markdown
    /// <!-- en/terms.md -->
    /// ## 1. Use {: #use }
    /// ## 2. Fees {: #fees }
    ///
    /// <!-- de/terms.md -->
    /// ## 1. Nutzung {: #nutzung }
    /// ```
    /// Section 2 is missing from the German text, `#use` became `#nutzung`,
    /// and `#fees` is gone.
    pub static RULE = Rule {
        name: "translation-mismatch",
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "A translation whose section numbers, anchors or links differ from its reference document's",
        english_only: false,
        check: Check::Document { collect: None, check },
    };
}

/// The reference document of a translation, as the command line pairs them.
#[derive(Debug)]
pub struct Reference {
    /// The reference file, as it is named in messages.
    pub path: PathBuf,
    pub doc: Document,
    /// The reference language's folder (`en`).
    pub language: String,
    /// The translation's folder (`de`).
    pub translation: String,
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    let Some(reference) = cx.reference else {
        return;
    };
    let (ours, theirs) = (cx.doc, &reference.doc);
    let name = reference.path.display();
    let place = |at: usize| locate(theirs, at, ours);
    compare(
        numbers(theirs),
        numbers(ours),
        |n| format!("section {n} of the reference ({name}) is missing here"),
        |n| format!("section {n} is not in the reference ({name})"),
        place,
        out,
    );
    compare(
        explicit_ids(theirs),
        explicit_ids(ours),
        |id| format!("anchor `#{id}` of the reference ({name}) is missing here"),
        |id| format!("anchor `#{id}` is not in the reference ({name})"),
        place,
        out,
    );
    let as_reference = |dest: &str| {
        dest.split('/')
            .map(|part| {
                if part == reference.translation {
                    reference.language.as_str()
                } else {
                    part
                }
            })
            .collect::<Vec<_>>()
            .join("/")
    };
    let links = |doc: &Document, normalise: bool| -> Vec<(String, Span)> {
        doc.links
            .iter()
            .map(|l| {
                let dest = if normalise {
                    as_reference(&l.dest)
                } else {
                    l.dest.to_string()
                };
                (dest, l.dest_span.unwrap_or(l.span))
            })
            .collect()
    };
    compare(
        links(theirs, false),
        links(ours, true),
        |dest| format!("the reference ({name}) links to `{dest}`; this translation does not"),
        |dest| format!("`{dest}` is not linked to in the reference ({name})"),
        place,
        out,
    );
}

/// Reports what `reference` has more often than `translation` (at the
/// place `place` finds for it) and what `translation` has more often (where
/// it stands), each key as often as it is missing.
fn compare(
    reference: Vec<(String, Span)>,
    translation: Vec<(String, Span)>,
    missing: impl Fn(&str) -> String,
    extra: impl Fn(&str) -> String,
    place: impl Fn(usize) -> Span,
    out: &mut Vec<Finding>,
) {
    let mut balance: HashMap<&str, isize> = HashMap::new();
    for (key, _) in &translation {
        *balance.entry(key).or_default() += 1;
    }
    for (key, span) in &reference {
        let count = balance.entry(key).or_default();
        *count -= 1;
        if *count < 0 {
            out.push(Finding::new(place(span.start), missing(key)));
        }
    }
    // What is left over, from the last occurrence back.
    for (key, span) in translation.iter().rev() {
        let count = balance.entry(key).or_default();
        if *count > 0 {
            *count -= 1;
            out.push(Finding::new(*span, extra(key)));
        }
    }
}

/// The numbers of the document's headings, as `1.2` or `b`.
fn numbers(doc: &Document) -> Vec<(String, Span)> {
    doc.headings
        .iter()
        .filter_map(|h| {
            let number = h.number.as_ref()?;
            let key = number
                .canonical()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(".");
            Some((key, h.text))
        })
        .collect()
}

/// Where something the reference has at byte `at` belongs in the
/// translation: the heading numbered as the reference's section around it,
/// else the heading in the same place in the order of headings, else the
/// start of the text.
fn locate(reference: &Document, at: usize, translation: &Document) -> Span {
    let index = reference.headings.partition_point(|h| h.span.start <= at);
    let Some(index) = index.checked_sub(1) else {
        return first_heading(translation);
    };
    let numbered = |h: &Heading| h.number.as_ref().map(|n| n.canonical().to_vec());
    let wanted = numbered(&reference.headings[index]);
    if wanted.is_some() {
        if let Some(h) = translation.headings.iter().find(|h| numbered(h) == wanted) {
            return h.text;
        }
    }
    translation
        .headings
        .get(index)
        .map_or_else(|| first_heading(translation), |h| h.text)
}

fn first_heading(doc: &Document) -> Span {
    doc.headings.first().map_or(Span::empty(0), |h| h.text)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::Reference;
    use crate::config::Config;
    use crate::lint::Linter;
    use crate::syntax::{Document, Format};

    const EN: &str = "# Terms\n\n## 1. Use {: #use }\n\nSee the [privacy notice](../en/privacy.md).\n\n\
                      ## 2. Fees {: #fees }\n\nPay [here](https://pay.example.org).\n\n## 3. Law\n\nText.\n";

    fn findings(translation: &str) -> Vec<(String, String)> {
        let config = Config::parse("select = [\"translation-mismatch\"]", None).unwrap();
        let reference = Reference {
            path: PathBuf::from("en/terms.md"),
            doc: Document::parse(EN, Format::Markdown),
            language: "en".into(),
            translation: "de".into(),
        };
        let linter = Linter::new(&config).with_reference(Arc::new(reference));
        let doc = Document::parse(translation, Format::Markdown);
        linter
            .check(&doc)
            .iter()
            .map(|d| (doc.slice(d.span).to_string(), d.message.clone()))
            .collect()
    }

    #[test]
    fn a_translation_in_step_passes() {
        let de = "# Bedingungen\n\n## 1. Nutzung {: #use }\n\nSiehe die [Datenschutzerklärung](../de/privacy.md).\n\n\
                  ## 2. Gebühren {: #fees }\n\nZahlen Sie [hier](https://pay.example.org).\n\n## 3. Recht\n\nText.\n";
        assert_eq!(findings(de), []);
    }

    #[test]
    fn missing_sections_changed_anchors_and_links_are_reported_where_they_belong() {
        let de = "# Bedingungen\n\n## 1. Nutzung {: #nutzung }\n\nSiehe die [Datenschutzerklärung](../de/privacy.md).\n\n\
                  ## 3. Recht\n\nText, [mehr](https://example.de).\n";
        let found = findings(de);
        let expected = [
            (
                "1. Nutzung",
                "anchor `#use` of the reference (en/terms.md) is missing here",
            ),
            (
                "3. Recht",
                "section 2 of the reference (en/terms.md) is missing here",
            ),
            (
                "3. Recht",
                "anchor `#fees` of the reference (en/terms.md) is missing here",
            ),
            (
                "3. Recht",
                "the reference (en/terms.md) links to `https://pay.example.org`; this translation does not",
            ),
            (
                "nutzung",
                "anchor `#nutzung` is not in the reference (en/terms.md)",
            ),
            (
                "https://example.de",
                "`https://example.de` is not linked to in the reference (en/terms.md)",
            ),
        ];
        let mut found = found;
        found.sort();
        let mut expected: Vec<(String, String)> = expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        expected.sort();
        assert_eq!(found, expected);
    }

    #[test]
    fn without_a_reference_nothing_is_compared() {
        let config = Config::parse("select = [\"translation-mismatch\"]", None).unwrap();
        let doc = Document::parse("# Bedingungen\n\n## 7. Recht\n", Format::Markdown);
        assert_eq!(Linter::new(&config).check(&doc), []);
    }
}
