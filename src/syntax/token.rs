//! Words, numbers and punctuation of a block's prose, and its sentences.

use std::cell::OnceCell;
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

/// The tokens of a block and its sentences (as ranges of token indices,
/// split on first use: not every rule needs them).
#[derive(Clone, Debug)]
pub struct Tokens<'t> {
    text: &'t str,
    pub tokens: Vec<Token>,
    sentences: OnceCell<Vec<Range<usize>>>,
}

impl<'t> Tokens<'t> {
    /// Tokenizes the `runs` of `text` (the prose of one block, in order);
    /// between two runs that something other than space separates (code, a
    /// link target, a frame) an [`TokenKind::Opaque`] token is inserted.
    pub fn new(text: &'t str, runs: &[Span]) -> Tokens<'t> {
        Tokens::reusing(text, runs, Vec::new())
    }

    /// [`Tokens::new`], filling `buffer` (emptied first) to save allocating
    /// one for every block.
    pub fn reusing(text: &'t str, runs: &[Span], buffer: Vec<Token>) -> Tokens<'t> {
        let mut tokens = buffer;
        tokens.clear();
        let mut last_end = None;
        for &run in runs {
            if let Some(end) = last_end {
                // A line break between two runs (Markdown's soft break) is
                // only space: the sentence goes on across it.
                if end < run.start && !text[end..run.start].trim().is_empty() {
                    tokens.push(Token {
                        span: Span::new(end, run.start),
                        kind: TokenKind::Opaque,
                    });
                }
            }
            scan(text, run, &mut tokens);
            last_end = Some(run.end);
        }
        Tokens {
            text,
            tokens,
            sentences: OnceCell::new(),
        }
    }

    /// The token buffer, for the next [`Tokens::reusing`].
    pub fn into_buffer(self) -> Vec<Token> {
        self.tokens
    }

    /// The sentences, as ranges of token indices.
    pub fn sentences(&self) -> &[Range<usize>] {
        self.sentences
            .get_or_init(|| split_sentences(self.text, &self.tokens))
    }

    pub fn words(&self) -> impl Iterator<Item = (Span, &'t str)> + '_ {
        let text = self.text;
        self.tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .map(move |t| (t.span, t.text(text)))
    }

    /// The sentence holding token `index`.
    pub fn sentence_of(&self, index: usize) -> Range<usize> {
        let sentences = self.sentences();
        let i = sentences.partition_point(|s| s.end <= index);
        sentences.get(i).cloned().unwrap_or(index..index + 1)
    }
}

/// Letters, digits and combining marks continue a word.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || is_combining_mark(c)
    }
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
    let bytes = s.as_bytes();
    let char_at = |i: usize| match bytes[i] {
        b if b < 0x80 => b as char,
        _ => s[i..].chars().next().expect("i is a char boundary"),
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let c = char_at(i);
        let width = c.len_utf8();
        if !b.is_ascii() && c.is_whitespace() {
            i += width;
            continue;
        }
        let kind = if b.is_ascii_alphabetic() || (!b.is_ascii() && c.is_alphabetic()) {
            TokenKind::Word
        } else if c.is_ascii_digit() {
            TokenKind::Number
        } else {
            out.push(Token {
                span: Span::new(run.start + i, run.start + i + width),
                kind: TokenKind::Punct,
            });
            i += width;
            continue;
        };
        let start = i;
        i += width;
        while i < bytes.len() {
            if bytes[i].is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            let d = char_at(i);
            if is_word_char(d) {
                i += d.len_utf8();
                continue;
            }
            let separator = kind == TokenKind::Number && (d == '.' || d == ',');
            if !(is_joiner(d) || separator) {
                break;
            }
            let after = s[i + d.len_utf8()..].chars().next();
            let continues = if separator {
                after.is_some_and(|a| a.is_ascii_digit())
            } else {
                after.is_some_and(is_word_char)
            };
            if !continues {
                break;
            }
            i += d.len_utf8();
        }
        out.push(Token {
            span: Span::new(run.start + start, run.start + i),
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

/// `word` with its ASCII letters lowered, written into `buffer` (no
/// allocation on the per-word paths); `None` when it does not fit. Other
/// characters are kept as they are, so the result is still UTF-8.
pub fn ascii_lowered<'b>(word: &str, buffer: &'b mut [u8]) -> Option<&'b str> {
    let lowered = buffer.get_mut(..word.len())?;
    // (A loop, not a copy then a lowering: no call to `memcpy` per word.)
    for (l, b) in lowered.iter_mut().zip(word.bytes()) {
        *l = b.to_ascii_lowercase();
    }
    Some(std::str::from_utf8(lowered).expect("lowering ASCII bytes keeps UTF-8"))
}

/// Words that take a period without ending the sentence ("No. 5", "Art. 3").
pub fn is_abbreviation(word: &str) -> bool {
    if !word.is_ascii() {
        return false;
    }
    let mut buffer = [0u8; 8];
    ascii_lowered(word, &mut buffer)
        .is_some_and(|lower| ABBREVIATIONS.binary_search(&lower).is_ok())
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
        t.sentences()
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
    fn runs_separated_by_a_line_break_are_one_sentence() {
        let s = "any\nform of";
        let t = Tokens::new(s, &[Span::new(0, 3), Span::new(4, 11)]);
        let kinds: Vec<_> = t.tokens.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, [TokenKind::Word; 3]);
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
