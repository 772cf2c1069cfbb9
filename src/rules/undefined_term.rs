use std::collections::HashMap;
use std::ops::Range;

use crate::lexicon;
use crate::rules::defined_terms::{self, opens_sentence};
use crate::rules::{
    Category, Check, DocumentContext, Finding, Severity, declare_rule, undefined_acronym,
};
use crate::syntax::{Label, Token, TokenKind};

declare_rule! {
    /// ## What it checks
    /// A phrase capitalised the way the document capitalises its defined
    /// terms, used again and again in the middle of sentences, that the
    /// document never defines. Reported once, at its first use.
    ///
    /// Capitals alone are weak evidence: names, titles and headings are
    /// capitalised too. So the rule reports a phrase only when
    ///
    /// - the document uses the convention: it defines at least two terms
    ///   (in the forms `unused-definition` lists);
    /// - the phrase is two to four capitalised words in a row, each an
    ///   English word and not a name ("Mozilla", "European", "Google"),
    ///   none in capitals, no word of a name's end ("Foundation",
    ///   "License") after it and no word of a title's end ("Policy",
    ///   "Act", "Officer", "Committee") at its end; not a label ("Section
    ///   4"), not followed by a number, not in quotes, a link or emphasis,
    ///   not a heading's title or part of one ("the Service Levels
    ///   section"), and not the long form of an acronym the document uses
    ///   ("Uniform Resource Identifier" beside "URI");
    /// - it is used at least three times in the middle of sentences, each
    ///   time after an article or determiner, and at least once after one
    ///   other than "the" ("any Protected Information", "our Confidential
    ///   Information"): names take "the" or nothing ("the United States",
    ///   "Creative Commons provides"), terms any determiner.
    ///
    /// Single capitalised words are left alone: too many are names.
    ///
    /// Its default severity is `info`: an undefined capitalised phrase is
    /// often a term defined in another document.
    ///
    /// ## Why it matters
    /// In a policy that defines its terms, a capitalised phrase reads as a
    /// defined term. When the definition is missing, the reader cannot tell
    /// what exactly "Protected Information" covers, and a court reads it
    /// with its ordinary meaning, which may be wider or narrower than the
    /// authors meant.
    ///
    /// ## Example
    /// ```text
    /// "Customer" means the company that signs this Agreement. "Staff"
    /// means its employees. The Customer may share the Protected
    /// Information with its Staff. The Customer keeps any Protected
    /// Information confidential and returns the Protected Information on
    /// request.
    /// ```
    /// "Protected Information" is used like a defined term but never
    /// defined: define it (`"Protected Information" means …`) or write it
    /// in lower case.
    pub static RULE = Rule {
        name: "undefined-term",
        category: Category::Style,
        severity: Severity::Info,
        summary: "A capitalised phrase used like a defined term that the document never defines",
        english_only: true,
        check: Check::Document { collect: Some(defined_terms::collect), check },
    };
}

/// A document that defines fewer terms does not use the convention.
const MIN_TERMS: usize = 2;
/// A phrase used fewer times in the middle of sentences is not a term.
const MIN_USES: usize = 3;
/// The most words of a phrase: longer ones are titles.
const MAX_WORDS: usize = 4;

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    let glossary = cx.glossary();
    if glossary.terms.len() < MIN_TERMS {
        return;
    }
    let titles: Vec<String> = cx
        .doc
        .headings
        .iter()
        .map(|h| cx.doc.title_of(h).to_lowercase())
        .collect();
    let mut uses: HashMap<&str, Vec<&defined_terms::Capitalised>> = HashMap::new();
    for c in &glossary.capitalised {
        uses.entry(c.key.as_str()).or_default().push(c);
    }
    let mut reported: Vec<(&str, &defined_terms::Capitalised, usize)> = uses
        .into_iter()
        .filter(|(key, uses)| {
            uses.len() >= MIN_USES
                && uses.iter().all(|u| u.determiner != Determiner::None)
                && uses.iter().any(|u| u.determiner == Determiner::Other)
                && !titles.iter().any(|t| t.contains(key))
                && !spells_a_used_acronym(&cx.doc.text, key)
        })
        .map(|(key, uses)| (key, uses[0], uses.len()))
        .collect();
    reported.sort_by_key(|(_, first, _)| first.span.start);
    for (_, first, count) in reported {
        let phrase = cx.doc.slice(first.span);
        out.push(Finding::new(
            first.span,
            format!(
                "`{phrase}` is capitalised like a defined term ({count} uses) but the document does not define it"
            ),
        ));
    }
}

/// Whether the initials of `key` are an acronym the text uses: then the
/// phrase is the long form of a name ("Uniform Resource Identifier" beside
/// "URI").
fn spells_a_used_acronym(text: &str, key: &str) -> bool {
    let acronym: String = key
        .split(' ')
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    text.match_indices(&acronym).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + acronym.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Words that end the names of documents, bodies and offices: a phrase
/// that ends in one names something ("Acceptable Use Policies", "Data
/// Protection Officer"), and is capitalised as a name, not as a term.
const NAME_WORDS: &[&str] = &[
    "policy",
    "policies",
    "notice",
    "notices",
    "statement",
    "guidelines",
    "act",
    "regulation",
    "directive",
    "treaty",
    "convention",
    "code",
    "officer",
    "director",
    "manager",
    "board",
    "committee",
    "council",
    "court",
    "commission",
    "authority",
    "office",
    "department",
    "agency",
    "ministry",
    "government",
];

/// Words that introduce a defined term: "the Licensed Work", "any Covered
/// Code", "Your Contribution".
const DETERMINERS: &[&str] = &[
    "the", "this", "that", "these", "those", "a", "an", "any", "such", "each", "every", "all",
    "no", "your", "our", "its", "their", "his", "her",
];

/// The part of the run of capitalised words `run` that may be a term used
/// in the middle of a sentence, if any: the run without a word that opens
/// the sentence, of two to four English words, none in capitals, not a
/// label, not quoted, linked or emphasised, not followed by a number.
pub(crate) fn candidate(
    text: &str,
    tokens: &[Token],
    sentences: &[Range<usize>],
    run: Range<usize>,
) -> Option<Range<usize>> {
    let mut run = run;
    if opens_sentence(text, tokens, sentences, run.start) {
        run.start += 1;
    }
    if !(2..=MAX_WORDS).contains(&run.len()) {
        return None;
    }
    let glued = |t: Option<&Token>, at: usize| {
        t.is_some_and(|t| {
            t.kind == TokenKind::Opaque
                || (t.kind == TokenKind::Punct
                    && (t.span.end == at || t.span.start == at)
                    && "\"“”‘’'`«»*_[]".contains(t.text(text)))
        })
    };
    let before = run.start.checked_sub(1).map(|k| &tokens[k]);
    let after = tokens.get(run.end);
    let last = tokens[run.end - 1].text(text).to_lowercase();
    if glued(before, tokens[run.start].span.start)
        || glued(after, tokens[run.end - 1].span.end)
        || after.is_some_and(|t| t.kind == TokenKind::Number)
        // "Educational Community License" where "License" is a term.
        || after.is_some_and(|t| t.kind == TokenKind::Word && undefined_acronym::ends_a_name(t.text(text)))
        || NAME_WORDS.contains(&last.as_str())
        || Label::from_word(tokens[run.start].text(text)).is_some()
    {
        return None;
    }
    let english = tokens[run.clone()].iter().all(|t| {
        let w = t.text(text);
        let lower = w.to_lowercase();
        w.chars().skip(1).any(char::is_lowercase)
            && !DETERMINERS.contains(&lower.as_str())
            && !undefined_acronym::ends_a_name(w)
            && lexicon::lookup(&lower).is_some()
            && !is_a_name(w, &lower)
    });
    english.then_some(run)
}

/// Whether the dictionary knows `word` (capitalised) as a name at least as
/// well as the word `lower`: "Google", but not "Holder" or "States".
fn is_a_name(word: &str, lower: &str) -> bool {
    match (lexicon::lookup(word), lexicon::lookup(lower)) {
        (Some(name), Some(common)) => name.level <= common.level,
        (_, None) => true,
        (None, Some(_)) => false,
    }
}

/// The article or determiner before `start`, if any.
pub(crate) fn determiner_before(text: &str, tokens: &[Token], start: usize) -> Determiner {
    let Some(t) = start.checked_sub(1).map(|k| &tokens[k]) else {
        return Determiner::None;
    };
    let word = t.text(text).to_lowercase();
    if t.kind != TokenKind::Word || !DETERMINERS.contains(&word.as_str()) {
        Determiner::None
    } else if word == "the" {
        Determiner::The
    } else {
        Determiner::Other
    }
}

/// What stands before a capitalised phrase: names take "the" or nothing
/// ("the United States", "Creative Commons"); terms take any determiner
/// ("a Change Date", "our Confidential Information").
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Determiner {
    None,
    The,
    Other,
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::Severity;
    use crate::rules::testing::{check, flagged, flagged_in};
    use crate::syntax::Format;

    const DEFINES: &str = "\"Customer\" means the company that signs. \"Supplier\" means us.";

    #[test]
    fn a_capitalised_phrase_used_like_a_term_but_never_defined() {
        let text = format!(
            "Title\n\n{DEFINES} The Customer may share the Protected Information with the Supplier. \
             The Supplier keeps any Protected Information safe and returns the Protected Information."
        );
        assert_eq!(flagged(&RULE, &text), ["Protected Information"]);
        let d = check(&RULE, &text, Format::Plain);
        assert_eq!(d[0].severity, Severity::Info);
        assert!(d[0].message.contains("3 uses"), "{}", d[0].message);
    }

    #[test]
    fn a_document_without_defined_terms_is_left_alone() {
        let text = "Title\n\nThe Customer may share the Protected Information. We keep any \
                    Protected Information and return the Protected Information.";
        assert!(flagged(&RULE, text).is_empty());
    }

    #[test]
    fn defined_phrases_pass() {
        let text = format!(
            "Title\n\n{DEFINES} Keep the data (the \"Protected Information\"). Share the Protected \
             Information, return any Protected Information, delete our Protected Information."
        );
        assert!(flagged(&RULE, &text).is_empty());
    }

    #[test]
    fn names_titles_and_labels_pass() {
        // Names stand without an article or with "the" alone, or are not
        // English words, or end in a word that ends names; labels take
        // numbers; headings name sections.
        let text = format!(
            "Title\n\n{DEFINES} Ask Creative Commons, then any Creative Commons office, then Creative Commons. \
             In the United States, for the United States, and all over the United States. \
             Our Mozilla Foundation, the Mozilla Foundation and any Mozilla Foundation agree. \
             Read our Data Protection Act, any Data Protection Act, the Data Protection Act. \
             See the Schedule Part 2, any Schedule Part 3, the Schedule Part 4.\n\n\
             1. Service Levels\n\nThe Service Levels apply; any Service Levels bind; our Service \
             Levels stay."
        );
        assert!(
            flagged(&RULE, &text).is_empty(),
            "{:?}",
            flagged(&RULE, &text)
        );
    }

    #[test]
    fn quoted_linked_and_emphasised_phrases_pass() {
        let text = format!(
            "# T\n\n{DEFINES} Read the [Security Rules](https://x.org), any [Security \
             Rules](https://x.org) and our **Security Rules**, or any \"Security Rules\".\n"
        );
        assert!(flagged_in(&RULE, &text, Format::Markdown).is_empty());
    }

    #[test]
    fn a_phrase_used_twice_is_not_yet_a_term() {
        let text = format!(
            "Title\n\n{DEFINES} Share the Protected Information and return any Protected Information."
        );
        assert!(flagged(&RULE, &text).is_empty());
    }
}
