use std::ops::Range;

use rayon::prelude::*;

use crate::hashing::{FastMap, FastSet};
use crate::lexicon;
use crate::rules::defined_terms::{self, opens_sentence};
use crate::rules::{
    Category, Check, DocumentContext, Finding, Severity, declare_rule, undefined_acronym,
};
use crate::syntax::floor_char_boundary;
use crate::syntax::{Change, Label, Token, TokenKind};

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
    let mut phrases: FastMap<&str, Phrase<'_>> = FastMap::default();
    for c in &glossary.capitalised {
        let phrase = phrases.entry(c.key.as_str()).or_insert(Phrase {
            first: c,
            uses: 0,
            determined: true,
            other: false,
        });
        phrase.uses += 1;
        phrase.determined &= c.determiner != Determiner::None;
        phrase.other |= c.determiner == Determiner::Other;
    }
    let (version, change) = cx.change();
    let mut memo = cx.memo().undefined_term.lock();
    memo.follow(&cx.doc.text, version, change);
    let mut candidates: Vec<(&str, Phrase<'_>)> = phrases
        .into_iter()
        .filter(|(_, p)| p.uses >= MIN_USES && p.determined && p.other)
        .collect();
    if !candidates.is_empty() {
        let titles = cx.heading_titles().join("\n");
        candidates.retain(|(key, _)| !titles.contains(key));
    }
    let acronyms: Vec<String> = candidates.iter().map(|(key, _)| initials(key)).collect();
    memo.look_for(&cx.doc.text, &acronyms);
    let mut reported: Vec<(&str, &defined_terms::Capitalised, usize)> = candidates
        .into_iter()
        .zip(&acronyms)
        .filter(|(_, acronym)| memo.standing[*acronym].is_none())
        .map(|((key, p), _)| (key, p.first, p.uses))
        .collect();
    let asked: FastSet<&String> = acronyms.iter().collect();
    memo.standing.retain(|acronym, _| asked.contains(acronym));
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

/// The runs of capitalised words with one key: what the rule asks of
/// them, gathered in one pass (a list per key cost more than the rest of
/// the rule).
struct Phrase<'g> {
    first: &'g defined_terms::Capitalised,
    uses: usize,
    /// Every use follows an article or determiner.
    determined: bool,
    /// One use follows one other than "the".
    other: bool,
}

/// The initials of the words of `key`, in capitals: "URI" for "uniform
/// resource identifier".
fn initials(key: &str) -> String {
    key.split(' ')
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Where `acronym` stands alone in `text` (no letter or digit on either
/// side), starting inside `within`, if anywhere.
fn standing_at(text: &str, acronym: &str, within: Range<usize>) -> Option<usize> {
    memchr::memmem::find_iter(&text.as_bytes()[within.clone()], acronym.as_bytes())
        .map(|at| within.start + at)
        .find(|&at| {
            let before = text[..at].chars().next_back();
            let after = text[at + acronym.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
}

/// What the rule keeps of the last check: whether the acronyms it asked
/// about stand alone in the text, kept while the text changes elsewhere.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    /// The version of the memo's text that `standing` is of.
    version: u64,
    /// Where each acronym asked about stands alone in the text, if it does.
    standing: FastMap<String, Option<usize>>,
}

impl Memo {
    /// Brings `standing` up to `text`, the memo's text at `version`, which
    /// `change` made: an acronym standing alone away from the change still
    /// does; one that did not may now, near it.
    fn follow(&mut self, text: &str, version: u64, change: Change) {
        if self.version + 1 != version {
            self.standing.clear();
        }
        self.version = version;
        self.standing.retain(|acronym, at| match *at {
            // The acronym and the characters around it are unchanged.
            Some(p) if p + acronym.len() < change.start => true,
            Some(p) if p > change.old_end => {
                *at = Some(change.moved(p));
                true
            }
            Some(_) => false,
            None => {
                // Room for the acronym and a character on either side.
                let reach = acronym.len() + 4;
                let from = floor_char_boundary(text, change.start.saturating_sub(reach));
                let to = ceil_char_boundary(text, change.new_end + reach);
                *at = standing_at(text, acronym, from..to);
                true
            }
        });
    }

    /// Finds where each of `acronyms` not yet looked for stands alone in
    /// `text` (the text `follow` was given). Each is looked for in the whole
    /// text, the acronyms side by side: a first check looks for dozens.
    fn look_for(&mut self, text: &str, acronyms: &[String]) {
        let mut new: Vec<&String> = acronyms
            .iter()
            .filter(|a| !self.standing.contains_key(*a))
            .collect();
        new.sort_unstable();
        new.dedup();
        let found: Vec<Option<usize>> = new
            .par_iter()
            .map(|acronym| standing_at(text, acronym, 0..text.len()))
            .collect();
        self.standing.extend(new.into_iter().cloned().zip(found));
    }
}

/// The first character boundary of `text` at or after `offset`.
fn ceil_char_boundary(text: &str, offset: usize) -> usize {
    (offset.min(text.len())..=text.len())
        .find(|&at| text.is_char_boundary(at))
        .unwrap_or(text.len())
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
    use crate::rules::testing::{
        check, flagged, flagged_after_edits, flagged_in, linter, replay_edits, small_edits,
    };
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

    #[test]
    fn an_acronym_of_the_phrase_written_or_unwritten_between_checks() {
        let text = format!(
            "Title\n\n{DEFINES} The Customer may share the Protected Information with the Supplier. \
             The Supplier keeps any Protected Information safe and returns the Protected Information.\n\n\
             Notes here.\n"
        );
        let written = text.replace("Notes here", "Notes on PI here");
        let longer = written.replace("on PI here", "on PIX here");
        let above = longer.replace("Title", "Titles");
        let back = above.replace("on PIX here", "on PI here");
        let found = flagged_after_edits(
            &RULE,
            &[&text, &written, &longer, &above, &back, &text],
            Format::Plain,
        );
        let flagged = vec!["Protected Information"];
        assert_eq!(
            found,
            [
                flagged.clone(),
                vec![],
                flagged.clone(),
                flagged,
                vec![],
                vec!["Protected Information"]
            ]
        );
    }

    /// Phrases used like terms; one names a section, one has its acronym
    /// standing alone (PD), one neither.
    const EDITED: &str = "# Terms\n\n\"Customer\" means the company. \"Supplier\" means us.\n\n## Service Levels\n\nThe Customer keeps the Protected Information, any Protected Information and our Protected Information.\n\nThe Supplier meets the Service Levels, any Service Levels, our Service Levels.\n\nWe share the Personal Data, any Personal Data, our Personal Data (PD).\n";

    #[test]
    fn headings_and_acronyms_are_read_again_as_they_change() {
        let renamed = EDITED.replace("## Service Levels", "## Service Hours");
        let no_acronym = renamed.replace("(PD)", "(data)");
        let found = flagged_after_edits(
            &RULE,
            &[EDITED, &renamed, &no_acronym, EDITED],
            Format::Markdown,
        );
        assert_eq!(found[0], ["Protected Information"]);
        assert_eq!(found[1], ["Protected Information", "Service Levels"]);
        assert_eq!(
            found[2],
            ["Protected Information", "Service Levels", "Personal Data"]
        );
        assert_eq!(found[3], found[0]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Small edits anywhere: the findings equal a fresh check's after
        /// each.
        #[test]
        fn findings_after_small_edits_equal_a_fresh_check(
            edits in small_edits("a-zA-Z #()\n"),
        ) {
            replay_edits(&linter(&RULE), EDITED.to_string(), edits, Format::Markdown)?;
        }
    }
}
