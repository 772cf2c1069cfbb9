use std::collections::HashSet;
use std::sync::LazyLock;

use crate::rules::{BlockContext, Category, Check, Edit, Finding, Fix, Severity, declare_rule};
use crate::syntax::{Label, Token, TokenKind};

declare_rule! {
    /// ## What it checks
    /// "a" or "an" against the sound of the word that follows: "a internet",
    /// "an policy". The sound counts, not the letter: "an hour", "an honest
    /// mistake", "a university", "a one-time fee", "a European law". Numbers
    /// are read aloud ("an 8-hour day", "an 11% rise", "a 1999 law") and
    /// acronyms letter by letter ("an FBI agent", "an MoU", "an EU
    /// directive", "a URL") unless they are read as words ("a NATO ally").
    /// A letter that names a list item is not an article: "Appendix A",
    /// "option a)", "2)a", "Section 5.1 a and b".
    ///
    /// ## Why it matters
    /// The wrong article is a small slip that readers notice at once; it is
    /// often left behind when a sentence is edited ("an agreement" changed
    /// to "an contract").
    ///
    /// ## Example
    /// ```text
    /// Submit an request through an user account.
    /// ```
    /// "an request" should be "a request", "an user" "a user".
    pub static RULE = Rule {
        name: "article",
        category: Category::Words,
        severity: Severity::Warning,
        summary: "\"a\" or \"an\" against the sound of the next word (a internet, an policy)",
        english_only: true,
        check: Check::Block(check),
    };
}

/// What the sound tables say.
struct Sounds {
    /// (prefix, takes "an"), longest first.
    prefixes: Vec<(&'static str, bool)>,
    /// Acronyms read as words.
    words: HashSet<&'static str>,
    /// Acronyms read both ways.
    either: HashSet<&'static str>,
}

static SOUNDS: LazyLock<Sounds> = LazyLock::new(|| {
    let mut sounds = Sounds {
        prefixes: Vec::new(),
        words: HashSet::new(),
        either: HashSet::new(),
    };
    for line in include_str!("../../data/article-sounds.txt").lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once(' ') {
            Some(("a", prefix)) => sounds.prefixes.push((prefix, false)),
            Some(("an", prefix)) => sounds.prefixes.push((prefix, true)),
            Some(("word", acronym)) => {
                sounds.words.insert(acronym);
            }
            Some(("either", acronym)) => {
                sounds.either.insert(acronym);
            }
            _ => panic!("data/article-sounds.txt: bad line {line:?}"),
        }
    }
    sounds
        .prefixes
        .sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    sounds
});

fn check(cx: &BlockContext<'_>, out: &mut Vec<Finding>) {
    let text = cx.text();
    let tokens = &cx.tokens.tokens;
    for (i, article) in tokens.iter().enumerate() {
        if article.kind != TokenKind::Word {
            continue;
        }
        let written = article.text(text);
        let is_an = match written {
            "a" | "A" => false,
            "an" | "An" | "AN" => true,
            _ => continue,
        };
        // "Section A of", "option a)", "2)a": a letter, not an article.
        let attached = text[..article.span.start]
            .chars()
            .next_back()
            .is_some_and(|c| !c.is_whitespace() && !matches!(c, '"' | '“' | '(' | '*' | '_'));
        if attached
            || (written == "A" && !sentence_start(text, tokens, i))
            || (written == "a" && names_a_sub_item(text, tokens, i))
        {
            continue;
        }
        let Some(next) = next_word(text, tokens, i) else {
            continue;
        };
        let Some(wants_an) = takes_an(next.text(text), next.kind) else {
            continue;
        };
        if wants_an == is_an {
            continue;
        }
        let right = match (
            wants_an,
            written.starts_with(char::is_uppercase),
            written == "AN",
        ) {
            (true, true, _) => "An",
            (true, false, _) => "an",
            (false, true, _) => "A",
            (false, false, _) => "a",
        };
        let word = next.text(text);
        out.push(
            Finding::new(
                article.span.join(next.span),
                format!("use `{right}` before `{word}`"),
            )
            .with_suggestion(format!("{right} {word}"))
            .with_fix(Fix::safe(vec![Edit::replace(article.span, right)])),
        );
    }
}

/// The word the article goes with: the next token, past an opening quote
/// or emphasis; `None` if something else (a bracket, code) comes first.
fn next_word(text: &str, tokens: &[Token], i: usize) -> Option<Token> {
    let mut k = i + 1;
    while let Some(t) = tokens.get(k) {
        match t.kind {
            TokenKind::Word | TokenKind::Number => return Some(*t),
            TokenKind::Punct if matches!(t.text(text), "\"" | "“" | "'" | "‘" | "*" | "_") => {
                k += 1
            }
            _ => return None,
        }
    }
    None
}

/// "Section 5.1 a", "Article 3 a and b": the letter of a sub-item after a
/// reference to a numbered division, not an article.
fn names_a_sub_item(text: &str, tokens: &[Token], i: usize) -> bool {
    i >= 2
        && tokens[i - 1].kind == TokenKind::Number
        && Label::from_word(tokens[i - 2].text(text)).is_some()
}

fn sentence_start(text: &str, tokens: &[Token], i: usize) -> bool {
    tokens[..i]
        .iter()
        .rev()
        .find(|t| t.kind != TokenKind::Punct || !matches!(t.text(text), "\"" | "“" | "(" | "*"))
        .is_none_or(|t| t.kind == TokenKind::Punct && matches!(t.text(text), "." | "!" | "?" | ":"))
}

/// Whether `word` takes "an"; `None` when either article is fine or the
/// sound cannot be told.
fn takes_an(word: &str, kind: TokenKind) -> Option<bool> {
    if kind == TokenKind::Number {
        return Some(number_takes_an(word));
    }
    let first_part = word
        .split(['-', '\u{2010}', '\u{2011}'])
        .next()
        .unwrap_or(word);
    let capitals = first_part.chars().filter(|c| c.is_uppercase()).count();
    let letters = first_part.chars().filter(|c| c.is_alphabetic()).count();
    let acronym = capitals >= 2 && (capitals == letters || capitals * 2 >= letters);
    if acronym {
        let bare = first_part.trim_end_matches('s');
        if SOUNDS.either.contains(bare) {
            return None;
        }
        if !SOUNDS.words.contains(bare) {
            let letters = first_part.chars().next().map(letter_takes_an)?;
            // "SOSS" may be said as a word: when the two readings disagree,
            // either article may be right.
            if pronounceable(bare) && word_takes_an(&bare.to_lowercase()) != Some(letters) {
                return None;
            }
            return Some(letters);
        }
    }
    if letters == 1 && first_part.chars().count() == 1 {
        // "a B grade", "an X-ray": the letter's name.
        return first_part.chars().next().map(letter_takes_an);
    }
    word_takes_an(&first_part.to_lowercase())
}

/// A lowercase word's sound: the prefix table, else its first letter.
fn word_takes_an(lower: &str) -> Option<bool> {
    let first = lower.chars().next()?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    if let Some(&(_, an)) = SOUNDS.prefixes.iter().find(|(p, _)| lower.starts_with(p)) {
        return Some(an);
    }
    Some(matches!(first, 'a' | 'e' | 'i' | 'o' | 'u'))
}

/// An acronym that can be said as a word: three letters or more, starting
/// consonant-vowel ("SOSS", "NASA") or vowel-consonant-vowel ("OPEC").
fn pronounceable(acronym: &str) -> bool {
    let vowel = |c: u8| matches!(c.to_ascii_uppercase(), b'A' | b'E' | b'I' | b'O' | b'U');
    let b = acronym.as_bytes();
    b.len() >= 3 && ((!vowel(b[0]) && vowel(b[1])) || (vowel(b[0]) && !vowel(b[1]) && vowel(b[2])))
}

/// The name of a letter starts with a vowel sound: A, E, F, H, I, L, M, N,
/// O, R, S, X ("an F", "an MBA").
fn letter_takes_an(c: char) -> bool {
    matches!(
        c.to_ascii_uppercase(),
        'A' | 'E' | 'F' | 'H' | 'I' | 'L' | 'M' | 'N' | 'O' | 'R' | 'S' | 'X'
    )
}

/// Numbers read aloud: "an 8", "an 11", "an 18", "an 80", "an 800"; "a 1",
/// "a 100".
fn number_takes_an(number: &str) -> bool {
    let digits: String = number
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    if digits.starts_with('8') {
        return true;
    }
    // "eleven", "eighteen" and the thousands read like them ("an 11,000",
    // "an 1800s"), but not "a 110" ("one hundred ten").
    let groups = digits.len() % 3;
    (digits.starts_with("11") || digits.starts_with("18")) && (digits.len() == 2 || groups == 2)
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, flagged};
    use crate::syntax::Format;

    #[test]
    fn flags_the_wrong_article() {
        assert_eq!(
            flagged(&RULE, "Title\n\nThis is a internet and an policy."),
            ["a internet", "an policy"]
        );
        let d = check(&RULE, "Title\n\nAn request was made.", Format::Plain);
        assert_eq!(d[0].suggestions, ["A request"]);
        assert!(d[0].fix.as_ref().unwrap().safe);
    }

    #[test]
    fn sound_not_letter() {
        let ok = "Title\n\nAn hour, an honest man, a university, a one-time fee, a European law, a user, an unusual case, an uninformed view, a union.";
        assert!(flagged(&RULE, ok).is_empty());
        assert_eq!(
            flagged(&RULE, "Title\n\nA hour and an university."),
            ["A hour", "an university"]
        );
    }

    #[test]
    fn acronyms_and_numbers() {
        let ok = "Title\n\nAn FBI agent, an MoU, an EU directive, a URL, a NATO ally, an 8-hour day, an 11% rise, a 1999 law, a SQL query, an SQL query.";
        assert!(flagged(&RULE, ok).is_empty());
        assert_eq!(
            flagged(&RULE, "Title\n\nThis is a EU rule and an UN body."),
            ["a EU", "an UN"]
        );
    }

    #[test]
    fn letters_are_not_articles() {
        assert!(
            flagged(
                &RULE,
                "Title\n\nSee Appendix A and option a. Section A applies."
            )
            .is_empty()
        );
        assert!(flagged(&RULE, "Title\n\nCode defined in 2)a and 2)b applies.").is_empty());
        assert_eq!(
            flagged(
                &RULE,
                "Title\n\nIf waiver under Section 5.1 a in the relevant jurisdiction or under Article 3 a and b is not possible, an waiver is void."
            ),
            ["an waiver"]
        );
        assert!(flagged(&RULE, "Title\n\nJoin a SOSS Fund or an SOSS fund.").is_empty());
    }
}
