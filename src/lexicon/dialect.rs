//! One word in American and British spelling: "catalog" and "catalogue",
//! "programs" and "programmes", "organize" and "organise".
//!
//! The lexicon marks each form with the dialects that use it, but does not
//! pair them. The pairs are derived here from the few regular differences
//! between the two spellings, and a derived form counts only when the
//! lexicon holds it: so a British spelling is offered its American form
//! and never a different word that happens to be near it ("catalogue" is
//! not "catalog's", "programmes" not "programmed").

use super::{Dialect, lookup};

/// The parts that differ, as (American, British), tried wherever they occur.
const PAIRS: &[(&str, &str)] = &[
    ("iz", "is"),        // organize, organise
    ("yz", "ys"),        // analyze, analyse
    ("or", "our"),       // color, colour
    ("er", "re"),        // center, centre
    ("l", "ll"),         // traveled, travelled
    ("og", "ogue"),      // catalog, catalogue
    ("m", "mme"),        // program, programme
    ("ense", "ence"),    // defense, defence
    ("e", "ae"),         // pediatric, paediatric
    ("e", "oe"),         // maneuver, manoeuvre (with "er"/"re")
    ("gment", "gement"), // judgment, judgement
    ("aging", "ageing"), // aging, ageing
];

/// The spellings `word` (lower case) may have in `to`, by one of the
/// regular differences, whether or not they are words.
fn respellings(word: &str, to: Dialect) -> impl Iterator<Item = String> + '_ {
    PAIRS.iter().flat_map(move |&(american, british)| {
        let (from, into) = match to {
            Dialect::American => (british, american),
            Dialect::British => (american, british),
        };
        word.match_indices(from)
            .map(move |(at, _)| format!("{}{into}{}", &word[..at], &word[at + from.len()..]))
    })
}

/// The spelling in `dialect` of `word`, a word of the other dialect, in
/// `word`'s case; `None` when the lexicon holds none, or more than one.
pub fn counterpart(word: &str, dialect: Dialect) -> Option<String> {
    let lower = word.to_lowercase();
    let mut found: Vec<String> = respellings(&lower, dialect)
        .filter(|w| lookup(w).is_some_and(|e| e.valid_in(dialect)))
        .collect();
    found.sort_unstable();
    found.dedup();
    match found.as_slice() {
        [one] => Some(super::in_case_of(word, one)),
        _ => None,
    }
}

/// Whether `a` and `b` (lower case) are one word in the two spellings.
pub fn are_variants(a: &str, b: &str) -> bool {
    [Dialect::American, Dialect::British]
        .into_iter()
        .any(|to| respellings(a, to).any(|r| r == b))
}

/// Whether British English in Oxford spelling accepts `word`, an American
/// form: "-ize" where the lexicon's British form has "-ise" ("organize",
/// "organization"), but not "-yze" ("analyze": Oxford spelling keeps
/// "analyse").
pub fn is_oxford_spelling(word: &str) -> bool {
    word.match_indices("iz").any(|(at, _)| {
        let british = format!("{}is{}", &word[..at], &word[at + 2..]);
        lookup(&british).is_some_and(|e| e.valid_in(Dialect::British))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spelling_of_the_other_dialect_has_its_counterpart() {
        for (british, american) in [
            ("catalogue", "catalog"),
            ("programmes", "programs"),
            ("colour", "color"),
            ("Centre", "Center"),
            ("travelled", "traveled"),
            ("defence", "defense"),
            ("organisation", "organization"),
        ] {
            assert_eq!(
                counterpart(british, Dialect::American).as_deref(),
                Some(american),
                "{british}"
            );
            assert_eq!(
                counterpart(american, Dialect::British).as_deref(),
                Some(british),
                "{american}"
            );
        }
    }

    #[test]
    fn a_word_without_a_counterpart_gets_none() {
        assert_eq!(counterpart("whilst", Dialect::American), None);
    }

    #[test]
    fn variants_go_both_ways() {
        assert!(are_variants("utilising", "utilizing"));
        assert!(are_variants("utilizing", "utilising"));
        assert!(are_variants("labour", "labor"));
        assert!(!are_variants("catalogue", "catalog's"));
    }

    #[test]
    fn oxford_spelling_takes_ize_not_yze() {
        assert!(is_oxford_spelling("organize"));
        assert!(is_oxford_spelling("organizations"));
        assert!(!is_oxford_spelling("analyze"));
        assert!(!is_oxford_spelling("color"));
    }
}
