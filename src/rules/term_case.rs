use crate::hashing::FastMap;
use crate::rules::defined_terms::{self, Case};
use crate::rules::{Category, Check, DocumentContext, Edit, Finding, Fix, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A defined term of two or more words used in the middle of a
    /// sentence in another case than its definition's: "personal data"
    /// after `"Personal Data" means …`, or "Licensed material" after
    /// `"Licensed Material" means …`. Plurals and possessives count
    /// ("personal data's").
    ///
    /// Not a change of case: headings and tables (title case), text in
    /// capitals, the words in quotes (mentioned, not used), a title around
    /// them ("a Statement Against Modern Slavery and Child Labor"), the
    /// first word of a sentence, and the words before a name given in
    /// passing ("some of the search suggestions (“Search Suggestions”)").
    /// When the definition opens its sentence (`"Object code" means …`),
    /// the capital of its first word may be only the sentence's; when it
    /// is in capitals (`"LICENSED WORK" means …`) its case says nothing:
    /// then the document's other uses decide. When the definition itself
    /// uses the words in another case ("The "Title Page" means, for a
    /// printed book, the title page itself"), the document tells the two
    /// apart on purpose and the term is left alone.
    ///
    /// Terms of one word are left alone: "license" beside a defined
    /// "License" is most often the ordinary word, used on purpose.
    ///
    /// The suggested replacement writes the term as defined; it is offered
    /// in the editor and applied by `--unsafe-fixes` only, because the
    /// author may have meant the ordinary words.
    ///
    /// Its default severity is `info`: whether the lower-case phrase means
    /// the defined thing is the author's call.
    ///
    /// ## Why it matters
    /// Legal drafting reads a defined term and the same words in another
    /// case as different things: "personal data" has its ordinary meaning,
    /// "Personal Data" the defined one. A change of case can widen or
    /// narrow an obligation without anyone noticing.
    ///
    /// ## Example
    /// ```text
    /// "Personal Data" means any information about a User. We delete personal data after a year.
    /// ```
    /// Write "Personal Data" if the defined meaning is meant.
    pub static RULE = Rule {
        name: "term-case",
        category: Category::Style,
        severity: Severity::Info,
        summary: "A defined term used in another case than its definition's",
        english_only: true,
        check: Check::Document { collect: Some(defined_terms::collect), check },
    };
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    let glossary = cx.glossary();
    let mut memo = cx.memo().term_case.lock();
    let said = &mut memo.said;
    for term in glossary.terms.iter().filter(|t| t.words() >= 2) {
        // The definition itself uses the words in another case: "The
        // "Title Page" means, for a printed book, the title page itself":
        // the document tells the two apart on purpose.
        if term
            .uses
            .iter()
            .any(|u| u.in_definition && u.case == Case::Different)
        {
            continue;
        }
        let mut uses = term
            .uses
            .iter()
            .filter(|u| u.case == Case::Different && !u.in_definition)
            .peekable();
        if uses.peek().is_none() {
            continue;
        }
        let form = term.form();
        if !said.contains_key(&form) {
            said.insert(form.clone(), FastMap::default());
        }
        let of_term = said.get_mut(&form).expect("just kept");
        for u in uses {
            let written = cx.doc.slice(u.span);
            if !of_term.contains_key(written) {
                let shown = written.split_whitespace().collect::<Vec<_>>().join(" ");
                let said = Said {
                    message: format!("`{shown}` is the defined term `{form}` in another case"),
                    replacement: defined_terms::in_form_of(written, &form),
                    used: false,
                };
                of_term.insert(written.to_string(), said);
            }
            let kept = of_term.get_mut(written).expect("just kept");
            kept.used = true;
            let Said {
                message,
                replacement,
                ..
            } = &*kept;
            out.push(
                Finding::new(u.span, message.clone())
                    .with_suggestion(replacement.clone())
                    .with_fix(Fix::unsafe_(vec![Edit::replace(
                        u.span,
                        replacement.clone(),
                    )])),
            );
        }
    }
    said.retain(|_, of_term| {
        of_term.retain(|_, s| std::mem::take(&mut s.used));
        !of_term.is_empty()
    });
}

/// What the rule keeps of the last check: the message and replacement of
/// each use it reported, by the term's form and the use's words, which are
/// all they depend on (making them again cost more than the rest of the
/// rule). Looked up by the words as they stand in the text, without a copy.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    said: FastMap<String, FastMap<String, Said>>,
}

#[derive(Debug)]
struct Said {
    message: String,
    replacement: String,
    /// Reported in the last check: what was not is forgotten.
    used: bool,
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::incremental::IncrementalChecker;
    use crate::rules::testing::{check, flagged, linter};
    use crate::syntax::{Document, Format};

    #[test]
    fn what_was_said_is_kept_while_it_is_reported() {
        let text = "Title\n\n\"Personal Data\" means any information.\n\n\
                    We delete personal data.\n\nWe keep PERSONAL data.\n";
        let fewer = text.replace("We keep PERSONAL data.\n", "");
        let linter = linter(&RULE);
        let mut checker = IncrementalChecker::new();
        for (text, kept) in [
            (text, &["PERSONAL data", "personal data"][..]),
            (&fewer, &["personal data"]),
            (text, &["PERSONAL data", "personal data"]),
        ] {
            let (_, found) = checker.update(&linter, text.to_string(), Format::Plain);
            assert_eq!(found, linter.check(&Document::parse(text, Format::Plain)));
            let memo = checker.memo_mut().term_case.get_mut();
            let mut said: Vec<&str> = memo
                .said
                .values()
                .flat_map(|m| m.keys())
                .map(String::as_str)
                .collect();
            said.sort_unstable();
            assert_eq!(said, kept, "{text:?}");
        }
    }

    #[test]
    fn a_defined_term_in_another_case() {
        let text = "Title\n\n\"Personal Data\" means any information. We delete personal data \
                    and Personal data's copies. We keep Personal Data.";
        assert_eq!(flagged(&RULE, text), ["personal data", "Personal data's"]);
        let d = check(&RULE, text, Format::Plain);
        assert_eq!(d[0].suggestions, ["Personal Data"]);
        assert_eq!(d[1].suggestions, ["Personal Data's"]);
        assert!(!d[0].fix.as_ref().unwrap().safe);
    }

    #[test]
    fn sentence_starts_headings_and_capitals_pass() {
        let text = "Title\n\n\"object code\" is defined: An \"object code\" means a binary.\n\n\
                    Object code may be shared.\n\nOBJECT CODE IS PROVIDED AS IS.";
        assert!(
            flagged(&RULE, text).is_empty(),
            "{:?}",
            flagged(&RULE, text)
        );
        let text = "# T\n\n\"Personal Data\" means any information.\n\n## Personal data rights\n\nWe keep Personal Data.\n";
        assert!(crate::rules::testing::flagged_in(&RULE, text, Format::Markdown).is_empty());
    }

    #[test]
    fn a_definition_opening_a_sentence_leaves_the_first_capital_to_the_uses() {
        let text = "Title\n\n\"Object code\" means a binary. Ship object code or object code \
                    archives, never Object code alone.";
        assert_eq!(flagged(&RULE, text), ["Object code"]);
    }

    #[test]
    fn a_definition_in_capitals_leaves_the_case_to_the_uses() {
        let text = "Title\n\n\"LICENSED WORK\" means the work. Copy the Licensed Work, share the \
                    Licensed Work, sell the licensed work.";
        assert_eq!(flagged(&RULE, text), ["licensed work"]);
    }

    #[test]
    fn words_told_apart_on_purpose_quoted_or_in_a_title_pass() {
        let text = "Title\n\nThe \"Title Page\" means, for a book, the title page itself. Print the \
                    title page.";
        assert!(flagged(&RULE, text).is_empty());
        let text = "Title\n\n\"Personal Data\" means facts. The words \"personal data\" appear.";
        assert!(flagged(&RULE, text).is_empty());
        let text = "Title\n\nWork by children (“child labor”) is banned. We fight child labor. Read \
                    our Statement Against Modern Slavery and Child Labor.";
        assert!(flagged(&RULE, text).is_empty());
        let text = "Title\n\nWork by children (“child labor”) is banned. Report Child Labor.";
        assert_eq!(flagged(&RULE, text), ["Child Labor"]);
    }

    #[test]
    fn a_name_given_in_passing_applies_from_there_on() {
        let text = "Title\n\nSome search suggestions come from us (“Search Suggestions”). We send \
                    Search Suggestions and other search suggestions.";
        assert_eq!(flagged(&RULE, text), ["search suggestions"]);
    }

    #[test]
    fn single_words_pass() {
        let text = "Title\n\n\"License\" means this text. Any other license applies too.";
        assert!(flagged(&RULE, text).is_empty());
    }
}
