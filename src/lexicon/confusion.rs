//! The confusion table: real words that are often written for other real
//! words ("pubic" for "public"), each with the context that decides it.
//!
//! The table is data (`data/confusions.tsv`, described in
//! `data/confusions-README.md`), one row per wrong word form:
//! `wrong  right  when  unless  severity  example`. `when` and `unless` are
//! lists of patterns separated by ` ; `; a pattern is a sequence of tokens
//! around `_` (the word itself). A token is alternatives separated by `|`:
//! a lowercase word or punctuation, a prefix `cyber*`, a suffix `*ing`, `*` (any token), `^`
//! (sentence start), `$` (sentence end), a class (`DET`, `PRON`, `MODAL`,
//! `BE`, `HAVE`, `NUM`, `CAP`, `PREP`), `!…` to negate the list, or a gap
//! `..N` of up to N tokens. A row fires when `when` is empty or matches and
//! `unless` does not.

use crate::hashing::FastMap;
use std::sync::{LazyLock, OnceLock};

/// How bad the confusion is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Gravity {
    /// An embarrassing reading ("pubic" for "public").
    Error,
    Warning,
}

/// One confusion: `wrong` written where `right` was meant.
#[derive(Clone, Debug)]
pub struct Confusion {
    pub wrong: String,
    pub right: String,
    when: Vec<Pattern>,
    unless: Vec<Pattern>,
    pub gravity: Gravity,
    /// A phrase the row must catch (the table's own tests use it).
    pub example: String,
}

impl Confusion {
    /// Whether context decides the row: the contexts that call for the
    /// right word (`when`), or those in which the written word is right
    /// after all (`unless`), so that where it fires the written word has
    /// been ruled out ("pubic" outside anatomy). A row with neither fires
    /// on the word wherever it stands.
    pub fn is_decided_by_context(&self) -> bool {
        !self.when.is_empty() || !self.unless.is_empty()
    }

    /// Whether the row fires for the word at `index` of `sentence`.
    fn fires(&self, sentence: &Sentence, index: usize) -> bool {
        let when = self.when.is_empty() || self.when.iter().any(|p| p.matches(sentence, index));
        when && !self.unless.iter().any(|p| p.matches(sentence, index))
    }
}

/// The built-in table and a project's own rows (consulted first).
#[derive(Clone, Debug, Default)]
pub struct Confusions {
    extra: ConfusionTable,
}

impl Confusions {
    pub fn new(extra: ConfusionTable) -> Confusions {
        Confusions { extra }
    }

    /// Whether `lowercase_word` is the wrong word of some row.
    pub fn has(&self, lowercase_word: &str) -> bool {
        self.extra.has(lowercase_word) || BUILT_IN.by_wrong.contains_key(lowercase_word)
    }

    /// The first row that fires for the word at `index` of `sentence`.
    pub fn check(&self, sentence: &Sentence, index: usize) -> Option<&Confusion> {
        self.extra
            .check(sentence, index)
            .or_else(|| BUILT_IN.check(sentence, index))
    }
}

/// The table compiled into the binary, each row parsed the first time its
/// word is met. Its rows hold tens of thousands of context words: parsing
/// them all took about 15 ms, more than checking a short document.
struct BuiltIn {
    /// Each row's line number and text, and the row once parsed.
    rows: Vec<(usize, &'static str, OnceLock<Confusion>)>,
    by_wrong: FastMap<String, Vec<usize>>,
}

static BUILT_IN: LazyLock<BuiltIn> = LazyLock::new(|| {
    let mut table = BuiltIn {
        rows: Vec::new(),
        by_wrong: FastMap::default(),
    };
    for (n, line) in include_str!("../../data/confusions.tsv")
        .lines()
        .enumerate()
    {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let wrong = normalize(line.split('\t').next().unwrap_or_default().trim());
        table
            .by_wrong
            .entry(wrong)
            .or_default()
            .push(table.rows.len());
        table.rows.push((n + 1, line, OnceLock::new()));
    }
    table
});

impl BuiltIn {
    fn row(&self, i: usize) -> &Confusion {
        let (line, text, parsed) = &self.rows[i];
        // A bad row cannot reach a user: `the_built_in_table_parses` reads
        // every row of the data compiled in.
        parsed.get_or_init(|| {
            parse_row(text).unwrap_or_else(|e| panic!("data/confusions.tsv line {line}: {e}"))
        })
    }

    fn check(&self, sentence: &Sentence, index: usize) -> Option<&Confusion> {
        let rows = self.by_wrong.get(&sentence.tokens[index].text)?;
        rows.iter()
            .map(|&i| self.row(i))
            .find(|row| row.fires(sentence, index))
    }
}

/// Every row of the table compiled into the binary.
pub fn built_in_rows() -> impl Iterator<Item = &'static Confusion> {
    (0..BUILT_IN.rows.len()).map(|i| BUILT_IN.row(i))
}

/// A sentence as the patterns see it.
pub struct Sentence {
    tokens: Vec<SentenceToken>,
}

pub struct SentenceToken {
    /// Lowercased, with ’ as '.
    pub text: String,
    pub kind: SentenceTokenKind,
    /// A capitalised word that is not the first word of the sentence.
    pub capitalised_inside: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SentenceTokenKind {
    Word,
    Number,
    Punct,
    /// Code, a URL: matches only `*`.
    Opaque,
}

impl Sentence {
    pub fn new(tokens: Vec<SentenceToken>) -> Sentence {
        Sentence { tokens }
    }

    /// The tokens, for the next sentence to reuse.
    pub fn into_tokens(self) -> Vec<SentenceToken> {
        self.tokens
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    pub fn token(&self, i: usize) -> &SentenceToken {
        &self.tokens[i]
    }
}

#[derive(Clone, Debug)]
struct Pattern {
    /// Elements before `_`, nearest first.
    before: Vec<Element>,
    /// Elements after `_`, nearest first.
    after: Vec<Element>,
}

#[derive(Clone, Debug)]
enum Element {
    Token {
        negated: bool,
        alternatives: Vec<Alternative>,
    },
    Gap(usize),
}

#[derive(Clone, Debug, PartialEq)]
enum Alternative {
    Literal(String),
    Prefix(String),
    Suffix(String),
    Any,
    Start,
    End,
    Class(Class),
}

#[derive(Copy, Clone, Debug, PartialEq)]
enum Class {
    Det,
    Pron,
    Modal,
    Be,
    Have,
    Num,
    Cap,
    Prep,
}

impl Class {
    fn from_name(name: &str) -> Option<Class> {
        Some(match name {
            "DET" => Class::Det,
            "PRON" => Class::Pron,
            "MODAL" => Class::Modal,
            "BE" => Class::Be,
            "HAVE" => Class::Have,
            "NUM" => Class::Num,
            "CAP" => Class::Cap,
            "PREP" => Class::Prep,
            _ => return None,
        })
    }

    fn matches(self, t: &SentenceToken) -> bool {
        let words: &[&str] = match self {
            Class::Det => &[
                "a", "an", "the", "this", "that", "these", "those", "its", "their", "our", "your",
                "his", "her", "my", "some", "any", "each", "every", "no", "another",
            ],
            Class::Pron => &["i", "you", "he", "she", "it", "we", "they"],
            Class::Modal => &[
                "can", "could", "may", "might", "must", "shall", "should", "will", "would",
            ],
            Class::Be => &["be", "is", "are", "was", "were", "been", "being", "am"],
            Class::Have => &["have", "has", "had", "having"],
            Class::Prep => &[
                "of", "in", "on", "at", "by", "for", "with", "from", "to", "into", "onto", "upon",
                "about", "over", "under", "between", "through", "during", "without", "within",
                "against", "among", "towards", "toward",
            ],
            Class::Num => return t.kind == SentenceTokenKind::Number,
            Class::Cap => return t.capitalised_inside,
        };
        t.kind == SentenceTokenKind::Word && words.contains(&t.text.as_str())
    }
}

/// The confusions, looked up by wrong word.
#[derive(Clone, Debug, Default)]
pub struct ConfusionTable {
    rows: Vec<Confusion>,
    by_wrong: FastMap<String, Vec<usize>>,
}

/// One line of the TSV format.
fn parse_row(line: &str) -> Result<Confusion, String> {
    let fields: Vec<&str> = line.split('\t').collect();
    let field = |i: usize| fields.get(i).map_or("", |f| f.trim());
    Confusion::new(field(0), field(1), field(2), field(3), field(4), field(5))
}

impl ConfusionTable {
    /// Parses the TSV format. Errors name the line.
    pub fn parse(text: &str) -> Result<ConfusionTable, String> {
        let mut table = ConfusionTable::default();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let row = parse_row(line).map_err(|e| format!("line {}: {e}", n + 1))?;
            table.push(row);
        }
        Ok(table)
    }

    /// Adds a row after the existing ones.
    pub fn push(&mut self, row: Confusion) {
        self.by_wrong
            .entry(row.wrong.clone())
            .or_default()
            .push(self.rows.len());
        self.rows.push(row);
    }

    /// Whether `lowercase_word` is the wrong word of some row.
    pub fn has(&self, lowercase_word: &str) -> bool {
        self.by_wrong.contains_key(lowercase_word)
    }

    pub fn rows(&self) -> &[Confusion] {
        &self.rows
    }

    /// The first row for the word at `index` of `sentence` that fires, with
    /// whether its `when` context matched (a certain finding).
    pub fn check(&self, sentence: &Sentence, index: usize) -> Option<&Confusion> {
        let word = &sentence.tokens[index].text;
        let rows = self.by_wrong.get(word)?;
        rows.iter()
            .map(|&r| &self.rows[r])
            .find(|row| row.fires(sentence, index))
    }
}

impl Confusion {
    /// A row from its fields; `severity` is `error` or `warning`.
    pub fn new(
        wrong: &str,
        right: &str,
        when: &str,
        unless: &str,
        severity: &str,
        example: &str,
    ) -> Result<Confusion, String> {
        if wrong.is_empty() || right.is_empty() {
            return Err("a row needs a wrong and a right word".into());
        }
        let gravity = match severity {
            "error" => Gravity::Error,
            "warning" | "" => Gravity::Warning,
            other => {
                return Err(format!(
                    "unknown severity `{other}` (expected error or warning)"
                ));
            }
        };
        Ok(Confusion {
            wrong: normalize(wrong),
            right: right.to_string(),
            when: parse_patterns(when).map_err(|e| format!("when: {e}"))?,
            unless: parse_patterns(unless).map_err(|e| format!("unless: {e}"))?,
            gravity,
            example: example.to_string(),
        })
    }
}

/// Lowercase with the typographic apostrophe as `'`. (Called on every word
/// of a text: most are ASCII and have no apostrophe to replace.)
pub fn normalize(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    word.to_lowercase().replace('\u{2019}', "'")
}

fn parse_patterns(field: &str) -> Result<Vec<Pattern>, String> {
    if field.trim().is_empty() {
        return Ok(Vec::new());
    }
    field.split(" ; ").map(parse_pattern).collect()
}

fn parse_pattern(text: &str) -> Result<Pattern, String> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let Some(hole) = parts.iter().position(|&p| p == "_") else {
        return Err(format!("pattern `{text}` has no `_`"));
    };
    if parts.iter().filter(|&&p| p == "_").count() > 1 {
        return Err(format!("pattern `{text}` has more than one `_`"));
    }
    let element = |p: &str| parse_element(p).map_err(|e| format!("pattern `{text}`: {e}"));
    let before = parts[..hole]
        .iter()
        .rev()
        .map(|p| element(p))
        .collect::<Result<_, _>>()?;
    let after = parts[hole + 1..]
        .iter()
        .map(|p| element(p))
        .collect::<Result<_, _>>()?;
    Ok(Pattern { before, after })
}

fn parse_element(token: &str) -> Result<Element, String> {
    if let Some(n) = token.strip_prefix("..") {
        let n: usize = n.parse().map_err(|_| format!("bad gap `{token}`"))?;
        return Ok(Element::Gap(n));
    }
    let (negated, list) = match token.strip_prefix('!') {
        Some(rest) if !rest.is_empty() => (true, rest),
        _ => (false, token),
    };
    let alternatives = list
        .split('|')
        .map(|a| match a {
            "" => Err(format!("empty alternative in `{token}`")),
            "*" => Ok(Alternative::Any),
            "^" => Ok(Alternative::Start),
            "$" => Ok(Alternative::End),
            _ => {
                if let Some(class) = Class::from_name(a) {
                    Ok(Alternative::Class(class))
                } else if a.chars().any(|c| c.is_uppercase()) {
                    Err(format!(
                        "unknown class or capitalised word `{a}` (words are lowercase)"
                    ))
                } else if let Some(prefix) = a.strip_suffix('*').filter(|p| !p.is_empty()) {
                    Ok(Alternative::Prefix(normalize(prefix)))
                } else if let Some(suffix) = a.strip_prefix('*').filter(|p| !p.is_empty()) {
                    Ok(Alternative::Suffix(normalize(suffix)))
                } else {
                    Ok(Alternative::Literal(normalize(a)))
                }
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Element::Token {
        negated,
        alternatives,
    })
}

impl Pattern {
    fn matches(&self, sentence: &Sentence, index: usize) -> bool {
        let len = sentence.tokens.len() as isize;
        side(&self.before, sentence, index as isize - 1, -1, len)
            && side(&self.after, sentence, index as isize + 1, 1, len)
    }
}

/// Whether `elements` match from `pos` on, moving by `step` (−1 before the
/// word, +1 after it).
fn side(elements: &[Element], sentence: &Sentence, pos: isize, step: isize, len: isize) -> bool {
    let Some((first, rest)) = elements.split_first() else {
        return true;
    };
    match first {
        Element::Gap(n) => (0..=*n as isize).any(|k| {
            let p = pos + step * k;
            (-1..=len).contains(&p) && side(rest, sentence, p, step, len)
        }),
        Element::Token {
            negated,
            alternatives,
        } => {
            let outside = pos < 0 || pos >= len;
            if outside {
                // Only the sentence boundary matches out there.
                let boundary = if step < 0 {
                    Alternative::Start
                } else {
                    Alternative::End
                };
                return !negated
                    && alternatives.contains(&boundary)
                    && side(rest, sentence, pos, step, len);
            }
            let token = &sentence.tokens[pos as usize];
            let hit = alternatives.iter().any(|a| alternative_matches(a, token));
            hit != *negated && side(rest, sentence, pos + step, step, len)
        }
    }
}

fn alternative_matches(alternative: &Alternative, token: &SentenceToken) -> bool {
    match alternative {
        Alternative::Any => true,
        Alternative::Start | Alternative::End => false,
        _ if token.kind == SentenceTokenKind::Opaque => false,
        Alternative::Literal(w) => token.text == *w,
        Alternative::Prefix(p) => {
            token.kind == SentenceTokenKind::Word && token.text.starts_with(p.as_str())
        }
        Alternative::Suffix(s) => {
            token.kind == SentenceTokenKind::Word
                && token.text.len() > s.len()
                && token.text.ends_with(s.as_str())
        }
        Alternative::Class(c) => c.matches(token),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(text: &str) -> Sentence {
        let mut first = true;
        let tokens = text
            .split_whitespace()
            .map(|w| {
                let kind = if w.chars().all(|c| c.is_ascii_digit()) {
                    SentenceTokenKind::Number
                } else if w.chars().all(char::is_alphanumeric) || w.contains('\'') {
                    SentenceTokenKind::Word
                } else {
                    SentenceTokenKind::Punct
                };
                let capitalised_inside = !first && w.starts_with(char::is_uppercase);
                if kind == SentenceTokenKind::Word {
                    first = false;
                }
                SentenceToken {
                    text: normalize(w),
                    kind,
                    capitalised_inside,
                }
            })
            .collect();
        Sentence::new(tokens)
    }

    fn fires(table: &ConfusionTable, text: &str, word: &str) -> Option<String> {
        let s = sentence(text);
        let i = (0..s.len()).find(|&i| s.token(i).text == word)?;
        table.check(&s, i).map(|c| c.right.clone())
    }

    fn table(rows: &str) -> ConfusionTable {
        ConfusionTable::parse(rows).unwrap()
    }

    #[test]
    fn when_and_unless() {
        let t = table("pubic\tpublic\t\t_ hair|bone ; genital ..2 _\terror\tx\n");
        assert_eq!(
            fires(&t, "formulate pubic policies", "pubic").as_deref(),
            Some("public")
        );
        assert_eq!(fires(&t, "the pubic bone", "pubic"), None);
        assert_eq!(fires(&t, "genital and pubic areas", "pubic"), None);
    }

    #[test]
    fn classes_boundaries_negation_and_prefixes() {
        let t = table(
            "then\tthan\tmore|less _\t\twarning\tx\n\
             effect\taffect\tMODAL _\t\twarning\tx\n\
             its\tit's\t^ _ !DET|NUM\t\twarning\tx\n\
             ethnics\tethics\tcyber*|internet _\t\twarning\tx\n\
             form\tfrom\t_ $|,\t\twarning\tx\n\
             loose\tlose\t_ *ing\t\twarning\tx\n",
        );
        assert_eq!(fires(&t, "more then one", "then").as_deref(), Some("than"));
        assert_eq!(fires(&t, "and then one", "then"), None);
        assert_eq!(
            fires(&t, "this may effect you", "effect").as_deref(),
            Some("affect")
        );
        assert_eq!(fires(&t, "its important", "its").as_deref(), Some("it's"));
        assert_eq!(fires(&t, "its the end", "its"), None);
        assert_eq!(
            fires(&t, "cyberspace ethnics", "ethnics").as_deref(),
            Some("ethics")
        );
        assert_eq!(
            fires(&t, "data collected form", "form").as_deref(),
            Some("from")
        );
        assert_eq!(
            fires(&t, "the form , please", "form").as_deref(),
            Some("from")
        );
        assert_eq!(fires(&t, "the form here", "form"), None);
        assert_eq!(fires(&t, "loose ends", "loose"), None);
        assert_eq!(fires(&t, "loose saving", "loose").as_deref(), Some("lose"));
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(
            ConfusionTable::parse("a\tb\tx y\t\twarning\te\n")
                .unwrap_err()
                .contains("no `_`")
        );
        assert!(
            ConfusionTable::parse("a\tb\tFOO _\t\twarning\te\n")
                .unwrap_err()
                .contains("FOO")
        );
        assert!(
            ConfusionTable::parse("a\tb\t\t\tloud\te\n")
                .unwrap_err()
                .contains("loud")
        );
    }

    #[test]
    fn the_built_in_table_parses() {
        let rows: Vec<&Confusion> = built_in_rows().collect();
        assert!(rows.len() >= 300);
        assert!(rows.iter().any(|r| r.wrong == "pubic"));
        assert!(Confusions::default().has("pubic"));
    }

    #[test]
    fn the_built_in_index_finds_each_row_under_its_parsed_word() {
        for (i, row) in built_in_rows().enumerate() {
            assert!(BUILT_IN.by_wrong[&row.wrong].contains(&i), "{}", row.wrong);
        }
    }
}
