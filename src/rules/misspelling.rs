use std::collections::HashMap;

use crate::lexicon::{Dialect, Suggestion};
use crate::rules::{
    BlockContext, BlockFacts, Category, Check, DocumentContext, Edit, Finding, Fix, Severity,
    declare_rule,
};
use crate::syntax::{BlockKind, Span, Token, TokenKind, is_latin};

declare_rule! {
    /// ## What it checks
    /// A word that is not in the dictionary (US English by default, British
    /// with `language = "en-GB"`), with up to five suggestions ranked by how
    /// likely the slip is (neighbouring keys, swapped or doubled letters) and
    /// how common the word is. Inflections, possessives, contractions,
    /// hyphenated compounds (each part checked) and words built with free
    /// prefixes ("cybersecurity") are accepted.
    ///
    /// Not checked: URLs, e-mail addresses, code, file names, numbers and
    /// words with digits, short words in capitals (acronyms), CamelCase
    /// names, words in non-Latin scripts, one-word table cells. A capitalised
    /// word that the dictionary lacks is most likely a name: it is reported
    /// only when it is one slip away from a dictionary word, or two from a
    /// common long one, and used only once in the document.
    /// A spelling of the other dialect ("colour" in American English) is
    /// reported at severity info, as a matter of consistency.
    /// Words listed under `[dictionary]` in `policylint.toml` are never
    /// reported.
    ///
    /// ## Why it matters
    /// A misspelling in a policy is quoted with it for years, and readers
    /// take it as a sign that the text was not reviewed.
    ///
    /// ## Example
    /// ```text
    /// We will notify you of any change to the goverment request.
    /// ```
    /// "goverment" should be "government". A fix is safe when exactly one
    /// dictionary word is a single slip away.
    pub static RULE = Rule {
        name: "misspelling",
        category: Category::Spelling,
        severity: Severity::Warning,
        summary: "A word not in the dictionary, with ranked suggestions",
        english_only: true,
        check: Check::Document { collect: Some(collect), check },
    };
}

/// Suggestions offered at most.
const MAX_SUGGESTIONS: usize = 5;
/// A suggestion this close (weighted edits) is a likely slip.
const CLOSE: f32 = 1.0;
/// A second suggestion this much farther than the best is no rival to it.
const MARGIN: f32 = 0.4;
/// A word this long that is two slips from a common word is a typo, even
/// capitalised.
const LONG_WORD: usize = 7;
/// The longest word in capitals taken for an acronym.
const MAX_ACRONYM: usize = 6;
/// A sentence with at least this many unknown words …
const FOREIGN_MIN_WORDS: usize = 3;
/// … making up at least this many tenths of its words is not English.
const FOREIGN_SHARE_TENTHS: usize = 4;
/// Different unknown words of one document given suggestions, in document
/// order; the rest are reported without. The search costs about a
/// millisecond a word, so a file of random letters (or of a language the
/// dictionary does not hold, in sentences too short to tell) would
/// otherwise take minutes, and no author reads a thousand suggestions.
const MAX_SUGGESTED_WORDS: usize = 1_000;

/// A word of a block that the dictionary lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unknown {
    pub span: Span,
    pub word: String,
    /// Starts with a capital: perhaps a name.
    pub capitalised: bool,
    /// Spelled right in the other dialect ("colour" in American English).
    pub other_dialect: bool,
}

fn collect(cx: &BlockContext<'_>, facts: &mut BlockFacts) {
    let text = cx.text();
    let dictionary = &cx.settings.dictionary;
    // A word misspelled twice in a block is looked up once.
    let mut seen: HashMap<&str, bool> = HashMap::new();
    let tokens = &cx.tokens.tokens;
    for sentence in cx.tokens.sentences() {
        let mut checked = 0;
        let mut unknown = Vec::new();
        for i in sentence.clone() {
            let token = tokens[i];
            let word = token.text(text);
            if token.kind != TokenKind::Word || !is_checked(word) {
                continue;
            }
            // A table cell of one word is a label or an identifier
            // (a cookie's name), not prose.
            if cx.block.kind == BlockKind::Table && alone_in_cell(tokens, i) {
                continue;
            }
            checked += 1;
            if *seen.entry(word).or_insert_with(|| !dictionary.knows(word)) {
                unknown.push(i);
            }
        }
        // A sentence mostly of unknown words is in another language.
        if unknown.len() >= FOREIGN_MIN_WORDS
            && unknown.len() * 10 >= checked * FOREIGN_SHARE_TENTHS
        {
            continue;
        }
        for i in unknown {
            let word = tokens[i].text(text);
            facts.misspellings.push(Unknown {
                span: tokens[i].span,
                word: word.to_string(),
                capitalised: word.starts_with(char::is_uppercase),
                other_dialect: dictionary.knows_in_other_dialect(word),
            });
        }
    }
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    report(cx, out, MAX_SUGGESTED_WORDS);
}

/// The findings, with suggestions for the first `suggested_words`
/// different words.
fn report(cx: &DocumentContext<'_>, out: &mut Vec<Finding>, suggested_words: usize) {
    // A capitalised word the dictionary lacks, used more than once the same
    // way, is a name ("Prins", "Dependabot"); typos rarely repeat.
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for u in cx.facts.iter().flat_map(|f| &f.misspellings) {
        *uses.entry(u.word.as_str()).or_default() += 1;
    }
    let dialect = cx.settings.dictionary.dialect();
    // A name used more than once needs no suggestions; the other words
    // get them in document order, up to `suggested_words` different ones.
    let needs_suggestions =
        |u: &Unknown| !(u.capitalised && uses[u.word.as_str()] > 1 && !u.other_dialect);
    let mut searched: HashMap<&str, Vec<Suggestion>> = HashMap::new();
    for u in cx.facts.iter().flat_map(|f| &f.misspellings) {
        if needs_suggestions(u)
            && searched.len() < suggested_words
            && !searched.contains_key(u.word.as_str())
        {
            let found = cx.settings.dictionary.suggest(&u.word, MAX_SUGGESTIONS);
            searched.insert(&u.word, found);
        }
    }
    for u in cx.facts.iter().flat_map(|f| &f.misspellings) {
        if !needs_suggestions(u) {
            continue;
        }
        let suggestions = searched.get(u.word.as_str()).map_or(&[][..], Vec::as_slice);
        if u.other_dialect {
            let (this, other) = match dialect {
                Dialect::American => ("American", "British"),
                Dialect::British => ("British", "American"),
            };
            let mut finding = Finding::new(
                u.span,
                format!(
                    "`{}` is {other} spelling; this text is in {this} English",
                    u.word
                ),
            )
            .with_severity(Severity::Info);
            if let Some(best) = suggestions.first() {
                finding = finding
                    .with_suggestion(best.word.clone())
                    .with_fix(Fix::unsafe_(vec![Edit::replace(u.span, best.word.clone())]));
            }
            out.push(finding);
            continue;
        }
        if u.capitalised && !likely_slip(u, suggestions) {
            continue;
        }
        out.push(finding(u, suggestions));
    }
}

/// Whether a capitalised unknown word is more likely a slip than a name:
/// a typing slip (neighbouring key, swapped or doubled letter) away from a
/// dictionary word, one edit from a common word, or two from a common long
/// one. Names are often one plain edit from some rare word ("Twilio").
fn likely_slip(u: &Unknown, suggestions: &[Suggestion]) -> bool {
    suggestions
        .iter()
        .any(|s| s.distance < CLOSE || (s.distance <= CLOSE && s.common))
        || (u.word.chars().count() >= LONG_WORD
            && suggestions
                .first()
                .is_some_and(|s| s.distance <= 2.0 && s.common))
}

fn finding(u: &Unknown, suggestions: &[Suggestion]) -> Finding {
    let mut finding = Finding::new(u.span, format!("`{}` is not in the dictionary", u.word));
    for s in suggestions {
        finding = finding.with_suggestion(s.word.clone());
    }
    if let Some(best) = suggestions.first() {
        let edit = Edit::replace(u.span, best.word.clone());
        // Safe when exactly one word is that close: no rival within
        // `MARGIN` of the best.
        let rivals = suggestions[1..]
            .iter()
            .filter(|s| s.distance <= best.distance + MARGIN)
            .count();
        let fix = if best.distance <= CLOSE && rivals == 0 {
            Fix::safe(vec![edit])
        } else {
            Fix::unsafe_(vec![edit])
        };
        finding = finding.with_fix(fix);
    }
    finding
}

/// Token `i` has no other token in its table cell: the cells' texts are
/// separate runs, with an opaque token between them.
fn alone_in_cell(tokens: &[Token], i: usize) -> bool {
    let apart = |t: Option<&Token>| t.is_none_or(|t| t.kind == TokenKind::Opaque);
    apart(i.checked_sub(1).map(|k| &tokens[k])) && apart(tokens.get(i + 1))
}

/// Whether the rule reads `word` at all.
fn is_checked(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 2 || word.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    if !word.chars().all(|c| !c.is_alphabetic() || is_latin(c)) {
        return false;
    }
    // Acronyms, with a plural or possessive: "NHTSB", "APIs", "GIF's".
    let core = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .or_else(|| word.strip_suffix('s'))
        .filter(|c| c.chars().all(char::is_uppercase))
        .unwrap_or(word);
    let capitals = core.chars().filter(|c| c.is_uppercase()).count();
    let core_letters = core.chars().filter(|c| c.is_alphabetic()).count();
    if capitals == core_letters && core_letters <= MAX_ACRONYM {
        return false;
    }
    // Mixed case with several capitals is a name: "OAuth", "McDonald".
    if capitals >= 2 && capitals < core_letters {
        return false;
    }
    // CamelCase: a capital after a small letter ("GitHub", "iPhone").
    let camel = word
        .chars()
        .zip(word.chars().skip(1))
        .any(|(a, b)| a.is_lowercase() && b.is_uppercase());
    !camel
}

#[cfg(test)]
mod tests {
    use super::{RULE, report};
    use crate::config::Config;
    use crate::lint::Linter;
    use crate::rules::testing::{check, flagged, flagged_in};
    use crate::rules::{DocumentContext, Settings};
    use crate::syntax::{Document, Format};

    #[test]
    fn suggestions_stop_at_the_budget_and_findings_do_not() {
        let doc = Document::parse(
            "Title\n\nWe recieve the goverment request and publish our polcy in full today.",
            Format::Plain,
        );
        let linter = Linter::new(&Config::default());
        let facts: Vec<_> = (0..doc.blocks.len())
            .map(|i| linter.check_block(&doc, i).facts)
            .collect();
        let settings = Settings::default();
        let cx = DocumentContext {
            doc: &doc,
            facts: &facts,
            settings: &settings,
        };
        let mut findings = Vec::new();
        report(&cx, &mut findings, 2);
        let suggested: Vec<_> = findings
            .iter()
            .map(|f| (doc.slice(f.span), f.suggestions.first().map(String::as_str)))
            .collect();
        assert_eq!(
            suggested,
            [
                ("recieve", Some("receive")),
                ("goverment", Some("government")),
                ("polcy", None)
            ]
        );
    }

    #[test]
    fn flags_words_not_in_the_dictionary_with_suggestions() {
        let d = check(
            &RULE,
            "Title\n\nWe recieve the goverment request.",
            Format::Plain,
        );
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].suggestions[0], "receive");
        assert_eq!(d[1].suggestions[0], "government");
        assert!(d[1].fix.as_ref().unwrap().safe);
    }

    #[test]
    fn a_capitalised_word_at_the_start_of_a_sentence_is_checked() {
        assert_eq!(
            flagged(&RULE, "Title\n\nGoverment requests are rare."),
            ["Goverment"]
        );
    }

    #[test]
    fn names_pass_unless_they_look_like_a_slip() {
        assert!(flagged(&RULE, "Title\n\nWe met Guangming and Wuhan there.").is_empty());
        assert!(
            flagged(
                &RULE,
                "Title\n\nAsk Mr Prins.\n\nThe team of Mr Prins will answer."
            )
            .is_empty()
        );
        assert_eq!(
            flagged(&RULE, "Title\n\nThe Privacy Statment applies."),
            ["Statment"]
        );
    }

    #[test]
    fn what_is_not_checked() {
        let text = "Title\n\nSee https://exampel.com, mail a@exampel.org, run `fnord`, the NHTSB, GitHub, iPhone, 2nd, v2beta, 网络.";
        assert!(flagged(&RULE, text).is_empty());
        let table = "# T\n\n| name | use |\n|---|---|\n| bscookie | we recieve it |\n";
        assert_eq!(flagged_in(&RULE, table, Format::Markdown), ["recieve"]);
    }

    #[test]
    fn inflections_possessives_and_compounds_pass() {
        let text = "Title\n\nThe organization's users' third-party cybersecurity isn't multistakeholder-driven.";
        assert!(flagged(&RULE, text).is_empty());
    }

    #[test]
    fn acronym_plurals_mixed_case_names_and_foreign_sentences_pass() {
        assert!(flagged(&RULE, "Title\n\nThe SCCs, GIFs and OAuth apply.").is_empty());
        let text = "Title\n\nCliquez ici pour obtenir une version française. We recieve the data that you send to us and keep it safe.";
        assert_eq!(flagged(&RULE, text), ["recieve"]);
    }

    #[test]
    fn the_other_dialect_is_a_note() {
        let d = check(&RULE, "Title\n\nThe colour of the labour.", Format::Plain);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].severity, crate::rules::Severity::Info);
        assert_eq!(d[0].suggestions[0], "color");
        assert!(d[0].message.contains("British spelling"));
    }

    #[test]
    fn long_words_in_capitals_are_checked() {
        assert_eq!(
            flagged(&RULE, "Title\n\nNO WARANTIES ARE GIVEN."),
            ["WARANTIES"]
        );
    }
}
