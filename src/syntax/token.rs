//! Words, numbers and punctuation of a block's prose, and its sentences.

use std::ops::Range;
use std::sync::LazyLock;

use super::Span;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Starts with a letter: `policy`, `it's`, `third-party`, `Covid-19`.
    Word,
    /// Starts with a digit: `2022`, `1,000.50`, `21st`, `18F`.
    Number,
    /// One punctuation or symbol character.
    Punct,
    /// Something the word rules do not read stands here: inline code, a URL,
    /// an e-mail address, markup. It separates the words on either side.
    Opaque,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
}

impl Token {
    pub fn text(self, text: &str) -> &str {
        self.span.of(text)
    }

    pub fn is_word(self) -> bool {
        self.kind == TokenKind::Word
    }

    pub fn is_punct(self, text: &str, c: char) -> bool {
        self.kind == TokenKind::Punct && text[self.span.start..].starts_with(c)
    }
}

/// The tokens of a block and its sentences (as ranges of token indices).
#[derive(Clone, Debug, Default)]
pub struct Tokens {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Range<usize>>,
}

impl Tokens {
    /// Tokenizes the `runs` of `text` (the prose of one block, in order);
    /// between two runs an [`TokenKind::Opaque`] token is inserted.
    pub fn new(text: &str, runs: &[Span]) -> Tokens {
        let mut tokens = Vec::new();
        let mut last_end = None;
        for &run in runs {
            if let Some(end) = last_end {
                if end < run.start {
                    tokens.push(Token {
                        span: Span::new(end, run.start),
                        kind: TokenKind::Opaque,
                    });
                }
            }
            scan(text, run, &mut tokens);
            last_end = Some(run.end);
        }
        let sentences = split_sentences(text, &tokens);
        Tokens { tokens, sentences }
    }

    pub fn words<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (Span, &'a str)> + 'a {
        self.tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .map(move |t| (t.span, t.text(text)))
    }

    /// The sentence holding token `index`.
    pub fn sentence_of(&self, index: usize) -> Range<usize> {
        let i = self.sentences.partition_point(|s| s.end <= index);
        self.sentences.get(i).cloned().unwrap_or(index..index + 1)
    }
}

/// Letters, digits and combining marks continue a word.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Characters that join two word parts: apostrophes and hyphens.
fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '-' | '\u{2010}' | '\u{2011}')
}

fn scan(text: &str, run: Span, out: &mut Vec<Token>) {
    let s = run.of(text);
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let kind = if c.is_alphabetic() {
            TokenKind::Word
        } else if c.is_ascii_digit() {
            TokenKind::Number
        } else {
            out.push(Token {
                span: Span::new(run.start + i, run.start + i + c.len_utf8()),
                kind: TokenKind::Punct,
            });
            continue;
        };
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            let joins = is_joiner(d) || (kind == TokenKind::Number && (d == '.' || d == ','));
            if is_word_char(d) {
                end = j + d.len_utf8();
                chars.next();
            } else if joins {
                let after = s[j + d.len_utf8()..].chars().next();
                let continues = match kind {
                    TokenKind::Number if d == '.' || d == ',' => {
                        after.is_some_and(|a| a.is_ascii_digit())
                    }
                    _ => after.is_some_and(is_word_char),
                };
                if !continues {
                    break;
                }
                chars.next();
                end = j + d.len_utf8();
            } else {
                break;
            }
        }
        out.push(Token {
            span: Span::new(run.start + i, run.start + end),
            kind,
        });
    }
}

static ABBREVIATIONS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut list: Vec<&str> = include_str!("../../data/abbreviations.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    list.sort_unstable();
    list
});

/// Words that take a period without ending the sentence ("No. 5", "Art. 3").
pub fn is_abbreviation(word: &str) -> bool {
    let lower = word.to_lowercase();
    ABBREVIATIONS.binary_search(&lower.as_str()).is_ok()
}

fn ends_sentence_hard(c: char) -> bool {
    matches!(c, '!' | '?' | '。' | '！' | '？')
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '\u{201d}' | '\u{2019}' | ')' | ']' | '»' | '*' | '_'
    )
}

fn split_sentences(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        let c = if t.kind == TokenKind::Punct {
            t.text(text).chars().next()
        } else {
            None
        };
        let is_end = match c {
            Some('.') => period_ends_sentence(text, tokens, i),
            Some(c) => ends_sentence_hard(c),
            None => false,
        };
        if is_end {
            let mut end = i + 1;
            while end < tokens.len()
                && tokens[end].kind == TokenKind::Punct
                && tokens[end].span.start == tokens[end - 1].span.end
                && tokens[end]
                    .text(text)
                    .chars()
                    .next()
                    .is_some_and(|c| is_closer(c) || c == '.' || ends_sentence_hard(c))
            {
                end += 1;
            }
            sentences.push(start..end);
            start = end;
            i = end;
            continue;
        }
        i += 1;
    }
    if start < tokens.len() {
        sentences.push(start..tokens.len());
    }
    sentences
}

fn period_ends_sentence(text: &str, tokens: &[Token], i: usize) -> bool {
    let dot = tokens[i];
    // "e.g", "3.x": a period with no space after it is inside something.
    let after = text[dot.span.end..].chars().next();
    if after.is_some_and(|c| !c.is_whitespace() && !is_closer(c) && c != '.') {
        return false;
    }
    let Some(next) = tokens[i + 1..]
        .iter()
        .find(|t| !(t.kind == TokenKind::Punct && t.text(text).starts_with(is_closer)))
    else {
        return true;
    };
    if next.kind == TokenKind::Word && next.text(text).starts_with(char::is_lowercase) {
        return false;
    }
    if i == 0 {
        return true;
    }
    let prev = tokens[i - 1];
    if prev.kind != TokenKind::Word || prev.span.end != dot.span.start {
        return true;
    }
    let word = prev.text(text);
    // An initial ("J. Smith", the last dot of "U.S.") or an abbreviation.
    let single_letter = word.chars().count() == 1 && word.starts_with(char::is_alphabetic);
    !(single_letter || is_abbreviation(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        let t = Tokens::new(s, &[Span::new(0, s.len())]);
        t.tokens.iter().map(|t| t.text(s)).collect()
    }

    fn sentences(s: &str) -> Vec<&str> {
        let t = Tokens::new(s, &[Span::new(0, s.len())]);
        t.sentences
            .iter()
            .map(|r| &s[t.tokens[r.start].span.start..t.tokens[r.end - 1].span.end])
            .collect()
    }

    #[test]
    fn words_keep_apostrophes_and_hyphens() {
        assert_eq!(
            toks("It's a third-party world’s edge--really"),
            [
                "It's",
                "a",
                "third-party",
                "world’s",
                "edge",
                "-",
                "-",
                "really"
            ]
        );
    }

    #[test]
    fn numbers_keep_separators_and_suffixes() {
        assert_eq!(
            toks("1,000.50 21st 18F 3."),
            ["1,000.50", "21st", "18F", "3", "."]
        );
        assert_eq!(toks("Covid-19"), ["Covid-19"]);
    }

    #[test]
    fn combining_marks_stay_in_the_word() {
        assert_eq!(toks("cafe\u{301} ok"), ["cafe\u{301}", "ok"]);
    }

    #[test]
    fn runs_are_separated_by_an_opaque_token() {
        let s = "the `x` the";
        let t = Tokens::new(s, &[Span::new(0, 4), Span::new(7, 11)]);
        let kinds: Vec<_> = t.tokens.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, [TokenKind::Word, TokenKind::Opaque, TokenKind::Word]);
    }

    #[test]
    fn sentences_respect_abbreviations() {
        assert_eq!(
            sentences("See e.g. Art. 3 of the U.S. Code. No. 5 applies. Then stop!"),
            [
                "See e.g. Art. 3 of the U.S. Code.",
                "No. 5 applies.",
                "Then stop!"
            ]
        );
    }

    #[test]
    fn decimals_and_lowercase_continuations_do_not_split() {
        assert_eq!(
            sentences("It grew 3.5 percent. etc. and more. Next one"),
            ["It grew 3.5 percent. etc. and more.", "Next one"]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            sentences("He said “stop.” Then left."),
            ["He said “stop.”", "Then left."]
        );
    }

    #[test]
    fn cjk_full_stop_ends_a_sentence() {
        assert_eq!(
            sentences("网络空间。命运共同体"),
            ["网络空间。", "命运共同体"]
        );
    }
}
