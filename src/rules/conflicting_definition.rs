use crate::rules::defined_terms::{self, Definition, Kind};
use crate::rules::{Category, Check, DocumentContext, Finding, Severity, declare_rule};
use crate::syntax::Document;

declare_rule! {
    /// ## What it checks
    /// A term defined twice with different text: `"Service" means the
    /// website` and later `"Service" means the mobile app`, or a name given
    /// twice to different things ("Formulaic (the "Service")" … "the
    /// templates (the "Service")"). Letter case, punctuation and spacing
    /// do not count as a difference, so a licence that repeats its
    /// definitions word for word is left alone. The second definition is
    /// reported, with the line of the first.
    ///
    /// ## Why it matters
    /// A term with two definitions has no definite meaning: the reader
    /// cannot tell which one applies where, and a dispute will turn on it.
    /// It usually happens when text is pasted in from another document.
    ///
    /// ## Example
    /// ```text
    /// "Service" means the website. … "Service" means the mobile app.
    /// ```
    /// Define the term once ("Service" means the website and the mobile
    /// app), or give the second thing a term of its own.
    pub static RULE = Rule {
        name: "conflicting-definition",
        category: Category::Style,
        severity: Severity::Warning,
        summary: "A term defined twice with different text",
        english_only: true,
        check: Check::Document { collect: Some(defined_terms::collect), check },
    };
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    for term in &cx.glossary().terms {
        for kind in [Kind::Means, Kind::Names] {
            let mut definitions = term.definitions.iter().filter(|d| d.kind == kind);
            let Some(first) = definitions.next() else {
                continue;
            };
            let mut previous = first;
            for d in definitions {
                let agrees = same(&first.meaning_words, &d.meaning_words, kind);
                // Paragraphs in a row that each define the term are options
                // to choose from ("[ ] A. "Third Party" means …", "[ ] B.
                // "Third Party" means …"). Looked for only when the meanings
                // differ: it searches the blocks, and most agree.
                let options = !agrees && next_to(cx.doc, previous, d);
                previous = d;
                if agrees || options {
                    continue;
                }
                let line = cx.lines().line_of(first.span.start) + 1;
                let message = match kind {
                    Kind::Names => format!(
                        "`{}` is given here to other words than on line {line}",
                        d.term
                    ),
                    _ => format!(
                        "`{}` is defined again here with other words (first defined on line {line})",
                        d.term
                    ),
                };
                let severity = match kind {
                    Kind::Names => Severity::Info,
                    _ => Severity::Warning,
                };
                out.push(Finding::new(d.span, message).with_severity(severity));
            }
        }
    }
}

/// Whether definition `b` stands in the paragraph after `a`'s.
fn next_to(doc: &Document, a: &Definition, b: &Definition) -> bool {
    let block = |d: &Definition| doc.blocks.partition_point(|x| x.span.end <= d.span.start);
    let (a, b) = (block(a), block(b));
    a < b && doc.blocks[a + 1..b].iter().all(|x| !x.has_prose())
}

/// Whether two definitions' meanings (their words) agree: the same words, or,
/// for names given in passing, one naming the end of the other ("GitHub
/// Sponsors Program", "Sponsors Program"). An empty meaning (a name given
/// to nothing the text spells out) agrees with anything.
fn same(a: &str, b: &str, kind: Kind) -> bool {
    a == b
        || a.is_empty()
        || b.is_empty()
        || (kind == Kind::Names && (a.ends_with(&format!(" {b}")) || b.ends_with(&format!(" {a}"))))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, flagged, flagged_after_edits};
    use crate::syntax::Format;

    #[test]
    fn a_term_defined_twice_with_different_text() {
        let text = "Title\n\n\"Service\" means the website.\n\nLater on.\n\n\"Service\" means the mobile app.";
        assert_eq!(flagged(&RULE, text), ["Service"]);
        let d = check(&RULE, text, Format::Plain);
        assert!(d[0].message.contains("line 3"), "{}", d[0].message);
        assert_eq!(doc_line(text, d[0].span.start), 7);
    }

    fn doc_line(text: &str, offset: usize) -> usize {
        text[..offset].lines().count()
    }

    #[test]
    fn a_name_given_twice_to_different_things() {
        let text = "Title\n\nFormulaic (the “Service”) offers templates for Large Language Models (the “Service”).";
        assert_eq!(flagged(&RULE, text), ["Service"]);
    }

    #[test]
    fn additions_qualifications_and_options_pass() {
        // "includes" adds; a clause before the term narrows; paragraphs in
        // a row offer options; a name given in passing is another kind.
        let text = "Title\n\n\"You\" means a person.\n\nFor legal entities, \"You\" means the \
                    entity. \"You\" includes affiliates.\n\nOther text.\n\n\"You\" has the meaning \
                    given above. A person (\"You\") signs.";
        assert!(
            flagged(&RULE, text).is_empty(),
            "{:?}",
            flagged(&RULE, text)
        );
        let text = "Title\n\nChoose one.\n\n[ ] A. \"Party\" means any party.\n\n[ ] B. \"Party\" \
                    means any party but us.";
        assert!(flagged(&RULE, text).is_empty());
    }

    #[test]
    fn names_given_twice_are_reported_at_info() {
        let text = "Title\n\nFormulaic (the “Service”) offers templates.\n\nLater.\n\nThe \
                    templates (the “Service”) run.";
        let d = check(&RULE, text, Format::Plain);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, crate::rules::Severity::Info);
        let text = "Title\n\nJoin the GitHub Sponsors Program (the \"Program\").\n\nLater.\n\n\
                    Leave the Sponsors Program (the \"Program\").";
        assert!(flagged(&RULE, text).is_empty());
    }

    #[test]
    fn the_same_definition_repeated_passes() {
        let text = "Title\n\n\"Service\" means the website.\n\n\"SERVICE\"  means the\nwebsite!";
        assert!(flagged(&RULE, text).is_empty());
        let text = "Title\n\nMozilla Corporation (“Mozilla”) agrees. Mozilla Corporation (\"Mozilla\") signs.";
        assert!(flagged(&RULE, text).is_empty());
    }

    #[test]
    fn meanings_follow_edits() {
        let text = "Title\n\n\"Service\" means the website.\n\nLater on.\n\n\"Service\" means the website.";
        let other =
            text.replacen("the website.", "the app.", 2)
                .replacen("the app.", "the website.", 1);
        let both = text.replace("the website.", "the app.");
        let moved = both.replace("Title\n\n", "Title\n\nAbove.\n\n");
        let cased = moved.replacen("the app.", "The App!", 1);
        let found =
            flagged_after_edits(&RULE, &[text, &other, &both, &moved, &cased], Format::Plain);
        assert_eq!(found, [vec![], vec!["Service"], vec![], vec![], vec![]]);
    }
}
