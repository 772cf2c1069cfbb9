//! Defined terms: where a document defines its terms and where it uses
//! them. The four defined-term rules (`undefined-term`,
//! `unused-definition`, `term-case`, `conflicting-definition`) read the
//! same [`Glossary`], and so does the language server (go to definition,
//! references, hover).
//!
//! Definitions are found per block by [`collect`] and cached with the
//! block. Uses are found at the document step by `Glossary::find_uses`:
//! whether "Licensed Material" is a use depends on the terms every other
//! block defines, so the blocks' words are read again there, once per
//! check for all four rules (see `DocumentContext::glossary`). What a block
//! was found to hold depends only on the block and on the terms' forms: it
//! is kept between checks (`Memo`), and after an edit only the blocks with
//! new facts are read again, unless the forms changed.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use crate::hashing::{FastMap, Fnv};
use crate::rules::memo::{FactsId, PerBlock};
use crate::rules::{BlockContext, BlockFacts, undefined_term};
use crate::syntax::{
    Block, BlockKind, Document, Language, SectionKind, Span, Token, TokenKind, Tokens,
};

/// What one block defines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub definitions: Vec<Definition>,
}

/// One definition of a term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definition {
    /// The term as written, without its quotes or emphasis, on one line.
    pub term: String,
    /// Where the term stands.
    pub span: Span,
    /// The whole definition, for showing: the sentence that holds it, or,
    /// when it opens a list item, the item up to the next definition.
    pub body: Span,
    /// What the term stands for: the words after "means", or, for a name
    /// given in passing ("Mozilla Corporation ("Mozilla")"), the words it is
    /// given to.
    pub meaning: Span,
    /// The words of `meaning` in lower case, one space apart: two
    /// definitions of a term differ when these differ. Made with the
    /// block's facts, so that the rule comparing them reads them as kept.
    pub meaning_words: String,
    /// Terms defined together as alternatives (`"You" (or "Your")`,
    /// `("Agreement" or "Terms")`) share this span.
    pub group: Span,
    pub kind: Kind,
    /// A bold or unquoted term opening an item ("**Controller**: the
    /// body…", "Adapted Material means…"): a definition only in a
    /// definitions section, which the document step decides.
    pub listed: bool,
    /// The term opens its sentence, so the capital of its first word may be
    /// only the sentence's ("Licensor" means …).
    pub sentence_start: bool,
}

/// How a definition defines.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Says what the term means: `"Service" means …`, a definitions list.
    Means,
    /// Says something of the term that is not its whole meaning: adds to
    /// a definition, narrows it, points to one or describes the term:
    /// `"You" includes …`, `For legal entities, "You" means …`, `in which
    /// case "You" will mean …`, `"Third Party" has the meaning given in …`,
    /// `"Copyright Holder" is whoever is named …`. Two of these never
    /// conflict.
    Describes,
    /// Gives a name in passing: `Mozilla Corporation ("Mozilla")`.
    Names,
}

impl Definition {
    pub fn shift(&mut self, delta: isize) {
        for span in [
            &mut self.span,
            &mut self.body,
            &mut self.meaning,
            &mut self.group,
        ] {
            *span = span.moved(delta);
        }
    }
}

/// Gathers the block's definitions. Each of the defined-term rules asks for
/// them; the first one to ask collects them.
pub fn collect(cx: &BlockContext<'_>, facts: &mut BlockFacts) {
    if facts.terms.is_none() {
        facts.terms = Some(Facts {
            definitions: definitions(cx.text(), cx.block, cx.tokens),
        });
    }
}

/// The most words a term has.
const MAX_TERM_WORDS: usize = 8;

const OPENING_QUOTES: &str = "\"“‘'`«„";
const CLOSING_QUOTES: &str = "\"”’'»“";

fn punct_in(text: &str, t: &Token, set: &str) -> bool {
    t.kind == TokenKind::Punct && t.text(text).chars().next().is_some_and(|c| set.contains(c))
}

fn word_is(text: &str, t: Option<&Token>, words: &[&str]) -> bool {
    t.is_some_and(|t| {
        t.kind == TokenKind::Word && words.iter().any(|w| t.text(text).eq_ignore_ascii_case(w))
    })
}

/// A term in quotes: `"Licensed Material"`, `“**DMCA Notice**”`,
/// `''Contributor''`, `“we,”`; or a term that opens a definitions-list item,
/// in bold or plain (then `open` and `close` are its first and last tokens).
#[derive(Clone, Debug)]
struct Quoted {
    /// The quote that opens it.
    open: usize,
    /// The quote that closes it.
    close: usize,
    /// Its words.
    words: Range<usize>,
}

impl Quoted {
    fn span(&self, tokens: &[Token]) -> Span {
        tokens[self.words.start]
            .span
            .join(tokens[self.words.end - 1].span)
    }
}

/// The quoted term that opens at token `i`, if one does.
fn quoted(text: &str, tokens: &[Token], i: usize) -> Option<Quoted> {
    let open = tokens.get(i)?;
    if !punct_in(text, open, OPENING_QUOTES) {
        return None;
    }
    // An apostrophe after a word ("students' rights") opens nothing.
    if i > 0 && tokens[i - 1].span.end == open.span.start && tokens[i - 1].kind == TokenKind::Word {
        return None;
    }
    // A second quote (`''Contributor''`) or emphasis (`“**Notice**”`) may
    // follow the first.
    let mut k = i + 1;
    while k <= i + 2
        && tokens
            .get(k)
            .is_some_and(|t| t.kind == TokenKind::Opaque || punct_in(text, t, OPENING_QUOTES))
    {
        k += 1;
    }
    let first = k;
    if tokens.get(first)?.kind != TokenKind::Word {
        return None;
    }
    let mut last = first;
    let mut words = 0;
    while let Some(t) = tokens.get(k) {
        match t.kind {
            TokenKind::Word | TokenKind::Number => {
                words += 1;
                last = k;
            }
            TokenKind::Opaque => {}
            TokenKind::Punct => break,
        }
        if words > MAX_TERM_WORDS {
            return None;
        }
        k += 1;
    }
    // A comma or period inside the quotes ends the sentence around it:
    // “we,” “us,” or “Mozilla”.
    if tokens.get(k).is_some_and(|t| punct_in(text, t, ",.")) {
        k += 1;
    }
    while tokens.get(k).is_some_and(|t| t.kind == TokenKind::Opaque) {
        k += 1;
    }
    let close = tokens.get(k)?;
    if !punct_in(text, close, CLOSING_QUOTES) {
        return None;
    }
    // The quotes hug the term.
    if close.span.start != tokens[k - 1].span.end && tokens[k - 1].kind != TokenKind::Opaque {
        return None;
    }
    let mut close_at = k;
    if tokens
        .get(k + 1)
        .is_some_and(|t| punct_in(text, t, CLOSING_QUOTES) && t.span.start == tokens[k].span.end)
    {
        close_at += 1;
    }
    Some(Quoted {
        open: i,
        close: close_at,
        words: first..last + 1,
    })
}

/// The term's words on one line.
fn term_text(text: &str, tokens: &[Token], words: Range<usize>) -> String {
    tokens[words]
        .iter()
        .filter(|t| t.kind != TokenKind::Opaque)
        .map(|t| t.text(text))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words that say a term is being defined, from token `k`: "means",
/// "shall mean", "refers to"; or that add to a definition or point to one:
/// "includes", "has the meaning given in". Returns the index after them and
/// whether they define (rather than add or point).
fn defining_verb(text: &str, tokens: &[Token], k: usize) -> Option<(usize, bool)> {
    let at = |n: usize, words: &[&str]| word_is(text, tokens.get(k + n), words);
    let modal = at(0, &["shall", "will", "should", "does"]);
    let k = k + usize::from(modal);
    let at = |n: usize, words: &[&str]| word_is(text, tokens.get(k + n), words);
    if at(0, &["means", "mean", "denotes", "denote"]) {
        Some((k + 1, true))
    } else if at(0, &["refers", "refer"]) && at(1, &["to"]) {
        Some((k + 2, true))
    } else if at(0, &["includes", "include"]) {
        Some((k + 1, false))
    } else if at(0, &["has", "have"]) && at(1, &["the"]) && at(2, &["meaning", "meanings"]) {
        Some((k + 3, false))
    } else {
        None
    }
}

/// Words that may stand in a parenthesis or a clause that gives a name:
/// "(hereinafter referred to as the "Licensee")", "(collectively, the
/// "Services")", "(each a "Contributor")".
const NAMING_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "each",
    "every",
    "any",
    "all",
    "both",
    "this",
    "these",
    "such",
    "collectively",
    "individually",
    "together",
    "jointly",
    "severally",
    "respectively",
    "hereinafter",
    "hereafter",
    "herein",
    "hereunder",
    "referred",
    "to",
    "as",
    "called",
    "or",
    "and",
];

/// Words that give a name without parentheses: "hereinafter "Licensee"".
const NAMING_WITHOUT_PARENTHESES: &[&str] = &["hereinafter", "hereafter", "referred"];

fn is_naming_token(text: &str, t: &Token) -> bool {
    t.kind == TokenKind::Opaque
        || punct_in(text, t, ",:")
        || (t.kind == TokenKind::Word
            && NAMING_WORDS
                .iter()
                .any(|w| t.text(text).eq_ignore_ascii_case(w)))
}

/// The index of the first token of the naming words before token `i`.
fn naming_words_before(text: &str, tokens: &[Token], i: usize) -> usize {
    let mut k = i;
    while k > 0 && i - k < 8 && is_naming_token(text, &tokens[k - 1]) {
        k -= 1;
    }
    k
}

/// The most alternatives one definition gives.
const MAX_ALTERNATIVES: usize = 8;

/// More quoted terms after one: `"You" (or "Your")`, `“we,” “us,” or “our”`.
/// Returns them and the index after the last; stops before anything else.
fn alternatives(
    text: &str,
    tokens: &[Token],
    mut k: usize,
    in_parentheses: bool,
) -> (Vec<Quoted>, usize) {
    let mut found = Vec::new();
    let mut last_end = k;
    let mut depth = 0usize;
    loop {
        let start = k;
        while let Some(t) = tokens.get(k) {
            if t.is_punct(text, '(') && !in_parentheses && depth == 0 {
                depth += 1;
            } else if t.is_punct(text, ')') && depth > 0 {
                depth -= 1;
            } else if !is_naming_token(text, t) {
                break;
            }
            k += 1;
            if k - start > 6 {
                return (found, last_end);
            }
        }
        match quoted(text, tokens, k).filter(|_| found.len() < MAX_ALTERNATIVES) {
            Some(q) => {
                k = q.close + 1;
                found.push(q);
                // A closing parenthesis ends `(or "Your")`.
                while depth > 0 && tokens.get(k).is_some_and(|t| t.is_punct(text, ')')) {
                    depth -= 1;
                    k += 1;
                }
                last_end = k;
            }
            None => return (found, last_end),
        }
    }
}

/// The words before token `end` that a parenthesis names: "GitHub Sponsors
/// Program" in "participate in the GitHub Sponsors Program (the
/// "Program")". They go back to the clause's start or to an article or
/// preposition; parentheses on the way are passed over.
fn referent(text: &str, tokens: &[Token], end: usize) -> Span {
    const STOPS: &[&str] = &[
        "the", "a", "an", "this", "these", "that", "those", "its", "their", "your", "our", "in",
        "into", "to", "for", "by", "with", "under", "on", "from", "between", "at", "as", "is",
        "are", "be",
    ];
    let mut k = end;
    let mut depth = 0usize;
    let mut first = None;
    while k > 0 && end - k < 24 {
        let t = &tokens[k - 1];
        if t.is_punct(text, ')') {
            depth += 1;
        } else if t.is_punct(text, '(') {
            if depth == 0 {
                break;
            }
            depth -= 1;
        } else if depth == 0 {
            if punct_in(text, t, ".;:,!?") || word_is(text, Some(t), STOPS) {
                break;
            }
            if t.kind == TokenKind::Word || t.kind == TokenKind::Number {
                first = Some(k - 1);
            }
        }
        k -= 1;
    }
    match first {
        Some(f) => tokens[f].span.join(tokens[end - 1].span),
        None => Span::empty(tokens.get(end).map_or(0, |t| t.span.start)),
    }
}

/// Whether token `i` opens its sentence, passing over quotes and markup
/// before it.
pub(crate) fn opens_sentence(
    text: &str,
    tokens: &[Token],
    sentences: &[Range<usize>],
    i: usize,
) -> bool {
    let s = sentences.partition_point(|s| s.end <= i);
    let start = sentences.get(s).map_or(0, |s| s.start);
    // A few quotes or marks may open a sentence before its first word.
    i - start <= 4
        && tokens[start..i].iter().all(|t| {
            t.kind == TokenKind::Opaque
                || punct_in(text, t, OPENING_QUOTES)
                || punct_in(text, t, "(*_")
        })
}

/// A definition found in a block, before it is written down per term.
struct Found {
    /// The terms it defines: one, or alternatives.
    terms: Vec<Quoted>,
    /// Its tokens: the terms and the words that define them.
    tokens: Range<usize>,
    meaning: Meaning,
    kind: Kind,
    listed: bool,
}

enum Meaning {
    /// What the definition says, from this token to its end.
    From(usize),
    /// The words a name is given to.
    Named(Span),
}

/// Every definition in a block.
pub(crate) fn definitions(text: &str, block: &Block, tokens: &Tokens<'_>) -> Vec<Definition> {
    let toks = &tokens.tokens;
    if !matches!(block.kind, BlockKind::Paragraph | BlockKind::ListItem) || toks.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<Found> = listed(text, block, toks).into_iter().collect();
    let mut i = found.first().map_or(0, |f| f.tokens.end);
    while i < toks.len() {
        match quoted(text, toks, i) {
            Some(q) => {
                let next = q.close + 1;
                match defined_at(text, toks, tokens.sentences(), q) {
                    Some(f) => {
                        i = f.tokens.end.max(next);
                        found.push(f);
                    }
                    None => i = next,
                }
            }
            None => i += 1,
        }
    }
    let sentences = tokens.sentences();
    let sentence = |k: usize| &sentences[sentences.partition_point(|s| s.end <= k)];
    let mut out = Vec::new();
    for (n, f) in found.iter().enumerate() {
        let group = toks[f.tokens.start].span.join(toks[f.tokens.end - 1].span);
        let start = sentence(f.tokens.start).start.min(f.terms[0].open);
        // A definition runs to the end of its sentence; one that opens a
        // list item runs on to the next definition: "… For purposes of
        // this Public License, …".
        let mut end = if start == 0 && block.kind == BlockKind::ListItem {
            toks.len()
        } else {
            sentence(f.tokens.end - 1).end
        };
        if let Some(next) = found.get(n + 1) {
            let next_sentence = sentence(next.tokens.start).start;
            end = end.min(if next_sentence >= f.tokens.end {
                next_sentence
            } else {
                next.tokens.start
            });
        }
        let body = toks[start].span.join(toks[end.max(f.tokens.end) - 1].span);
        let meaning = match f.meaning {
            // The next definition may begin before the meaning would.
            Meaning::From(k) if k < toks.len() && toks[k].span.start < body.end => {
                Span::new(toks[k].span.start, body.end)
            }
            Meaning::From(_) => Span::empty(body.end),
            Meaning::Named(span) => span,
        };
        let opens = f.listed || opens_sentence(text, toks, sentences, f.terms[0].open);
        // "For legal entities, "You" means …": a clause before the term
        // narrows the definition.
        let qualified = !f.listed
            && toks[sentence(f.tokens.start).start..f.terms[0].open]
                .iter()
                .any(|t| t.is_punct(text, ','));
        let kind = match f.kind {
            Kind::Means if qualified => Kind::Describes,
            kind => kind,
        };
        let meaning_words = words_of(meaning.of(text));
        for q in &f.terms {
            out.push(Definition {
                term: term_text(text, toks, q.words.clone()),
                span: q.span(toks),
                body,
                meaning,
                meaning_words: meaning_words.clone(),
                group,
                kind,
                listed: f.listed,
                sentence_start: opens,
            });
        }
    }
    out
}

/// The words of a text in lower case, one space apart.
fn words_of(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The definition that the quoted term `q` is part of, if any: `"Term"
/// means …`, `"You" (or "Your") shall mean …`, `(the "Service")`,
/// `(hereinafter "Licensee")`, `hereinafter referred to as "Licensee"`.
fn defined_at(
    text: &str,
    tokens: &[Token],
    sentences: &[Range<usize>],
    q: Quoted,
) -> Option<Found> {
    let (more, mut verb) = alternatives(text, tokens, q.close + 1, false);
    while tokens
        .get(verb)
        .is_some_and(|t| t.kind == TokenKind::Opaque)
    {
        verb += 1;
    }
    if tokens.get(verb).is_some_and(|t| punct_in(text, t, ":,-–—")) {
        verb += 1;
    }
    if let Some((end, defines)) = defining_verb(text, tokens, verb) {
        let mut terms = vec![q];
        terms.extend(more);
        return Some(Found {
            tokens: terms[0].open..end,
            terms,
            meaning: Meaning::From(end),
            kind: if defines {
                Kind::Means
            } else {
                Kind::Describes
            },
            listed: false,
        });
    }
    if let Some(found) = subject(text, tokens, sentences, &q) {
        return Some(found);
    }
    let lead = naming_words_before(text, tokens, q.open);
    let hereinafter = tokens[lead..q.open]
        .iter()
        .any(|t| word_is(text, Some(t), NAMING_WITHOUT_PARENTHESES));
    let alias = word_is(text, tokens.get(lead), &["or", "and"]);
    if lead > 0 && tokens[lead - 1].is_punct(text, '(') && !alias {
        let (more, end) = alternatives(text, tokens, q.close + 1, true);
        if tokens.get(end).is_some_and(|t| t.is_punct(text, ')')) {
            let mut terms = vec![q];
            terms.extend(more);
            return Some(Found {
                terms,
                tokens: lead - 1..end + 1,
                meaning: Meaning::Named(referent(text, tokens, lead - 1)),
                kind: Kind::Names,
                listed: false,
            });
        }
    }
    if hereinafter {
        return Some(Found {
            tokens: lead..q.close + 1,
            terms: vec![q],
            meaning: Meaning::Named(referent(text, tokens, lead)),
            kind: Kind::Names,
            listed: false,
        });
    }
    None
}

/// A quoted term that is the subject of its sentence: `A "Major
/// Component", in this context, means …`, `A "Modified Version" of the
/// Document means …`, `"Copyright Holder" is whoever is named …`, `The
/// "Compilation Process" transforms …`.
fn subject(text: &str, tokens: &[Token], sentences: &[Range<usize>], q: &Quoted) -> Option<Found> {
    let start = match q.open.checked_sub(1) {
        Some(k) if word_is(text, tokens.get(k), &["a", "an", "the", "to", "this"]) => k,
        _ => q.open,
    };
    if !opens_sentence(text, tokens, sentences, start) {
        return None;
    }
    let mut k = q.close + 1;
    while tokens.get(k).is_some_and(|t| t.kind == TokenKind::Opaque) {
        k += 1;
    }
    let next = tokens.get(k)?;
    if !(next.kind == TokenKind::Word && next.text(text).starts_with(char::is_lowercase)
        || next.is_punct(text, ','))
    {
        return None;
    }
    // A few words may stand between the term and "means": ", in this
    // context,", "of the Document", "for a work".
    let verb = (k..tokens.len().min(k + 6))
        .take_while(|&j| tokens[j].kind == TokenKind::Word || tokens[j].is_punct(text, ','))
        .find_map(|j| defining_verb(text, tokens, j));
    let (end, kind) = match verb {
        Some((end, true)) => (end, Kind::Means),
        Some((end, false)) => (end, Kind::Describes),
        None if next.kind == TokenKind::Word => (k, Kind::Describes),
        None => return None,
    };
    Some(Found {
        terms: vec![q.clone()],
        tokens: start..end,
        meaning: Meaning::From(end),
        kind,
        listed: false,
    })
}

/// A term opening a list item or paragraph, a definition only in a
/// definitions section: `**Controller**: the body…`, `"The Licence": this
/// Licence`, `Adapted Material means …`.
fn listed(text: &str, block: &Block, tokens: &[Token]) -> Option<Found> {
    let first = tokens.first()?;
    // Bold: the markup before the block's first word.
    let before = text[block.span.start..first.span.start].trim_end();
    if (before.ends_with("**") || before.ends_with("__")) && first.kind == TokenKind::Word {
        let close = tokens
            .iter()
            .take(MAX_TERM_WORDS + 2)
            .position(|t| t.kind == TokenKind::Opaque)?;
        let mut last = close;
        while last > 0 && punct_in(text, &tokens[last - 1], ".:") {
            last -= 1;
        }
        let words = &tokens[..last];
        if words.is_empty()
            || words
                .iter()
                .any(|t| !matches!(t.kind, TokenKind::Word | TokenKind::Number))
        {
            return None;
        }
        let mut after = close + 1;
        if tokens
            .get(after)
            .is_some_and(|t| punct_in(text, t, ":.-–—"))
        {
            after += 1;
        }
        let after = defining_verb(text, tokens, after).map_or(after, |(end, _)| end);
        return Some(Found {
            terms: vec![Quoted {
                open: 0,
                close,
                words: 0..last,
            }],
            tokens: 0..close + 1,
            meaning: Meaning::From(after),
            kind: Kind::Means,
            listed: true,
        });
    }
    // Quoted, then a colon or a dash.
    if let Some(q) = quoted(text, tokens, 0) {
        let colon = q.close + 1;
        // `"Term" – Means …` is a definition anywhere (see `defined_at`).
        if !tokens.get(colon).is_some_and(|t| punct_in(text, t, ":-–—"))
            || defining_verb(text, tokens, colon + 1).is_some()
        {
            return None;
        }
        return Some(Found {
            terms: vec![q],
            tokens: 0..colon + 1,
            meaning: Meaning::From(colon + 1),
            kind: Kind::Means,
            listed: true,
        });
    }
    // Unquoted: capitalised words (joined by "and", "of"…), then "means".
    let mut k = 0;
    while let Some(t) = tokens.get(k) {
        let capital = t.kind == TokenKind::Word && t.text(text).starts_with(char::is_uppercase);
        let joins = k > 0 && word_is(text, Some(t), &["and", "of", "or", "for"]);
        if !(capital || joins) || k > MAX_TERM_WORDS {
            break;
        }
        k += 1;
    }
    while k > 0 && !tokens[k - 1].text(text).starts_with(char::is_uppercase) {
        k -= 1;
    }
    if k == 0 {
        return None;
    }
    let (end, true) = defining_verb(text, tokens, k)? else {
        return None;
    };
    Some(Found {
        terms: vec![Quoted {
            open: 0,
            close: k - 1,
            words: 0..k,
        }],
        tokens: 0..end,
        meaning: Meaning::From(end),
        kind: Kind::Means,
        listed: true,
    })
}

/// A document's defined terms, where each is used, and the runs of
/// capitalised words that no term covers.
#[derive(Debug, Default)]
pub struct Glossary {
    /// In the order of their first definitions.
    pub terms: Vec<Term>,
    /// Runs of capitalised words that may be terms (see
    /// `undefined_term::candidate`) and that no term covers, in order.
    pub capitalised: Vec<Capitalised>,
    /// The blocks that hold the terms' definitions, in order.
    holding: Vec<usize>,
    /// How the document decides each term's case (once its uses are found).
    modes: Vec<Mode>,
    /// For each term defined at the start of sentences, how its uses vote
    /// on its first letter (see [`Seen::capital_voted`]).
    sentence_votes: Vec<FirstLetterVotes>,
    /// The text of the definitions sections (see [`definitions_sections`]).
    sections: Vec<Span>,
}

#[derive(Debug)]
pub struct Term {
    /// As first defined.
    pub name: String,
    /// Every definition, in document order.
    pub definitions: Vec<Definition>,
    /// Every use outside the term's own definitions, in order.
    pub uses: Vec<Use>,
    /// The words as the document writes them, without a leading article
    /// ("The Program" is used as "the Program").
    form: Vec<String>,
}

impl Term {
    /// How many words the term has (a leading article not counted).
    pub fn words(&self) -> usize {
        self.form.len()
    }

    /// The term as the document writes it.
    pub fn form(&self) -> String {
        self.form.join(" ")
    }

    /// An acronym ("GDPR"): a short name, often given to a law the text
    /// names once.
    pub fn is_acronym(&self) -> bool {
        let word = &self.form[0];
        let core = word.strip_suffix('s').unwrap_or(word);
        self.form.len() == 1 && core.len() >= 2 && !core.chars().any(char::is_lowercase)
    }

    /// Where `offset` falls on the term (a definition or a use), if it does.
    pub fn touches(&self, offset: usize) -> bool {
        let on = |s: Span| s.start <= offset && offset <= s.end;
        self.definitions.iter().any(|d| on(d.span)) || self.uses.iter().any(|u| on(u.span))
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Use {
    pub span: Span,
    /// Inside what one of the term's own definitions says.
    pub in_definition: bool,
    pub case: Case,
}

/// How a use is written, compared with the term.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Case {
    Same,
    /// In another case, in the middle of a sentence: "personal data" for
    /// "Personal Data".
    Different,
    /// Cannot tell: in a heading (title case), in capitals, or the first
    /// word of a sentence that differs only in its capital.
    Undecided,
}

/// A run of capitalised words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capitalised {
    /// Its words in lower case, joined by single spaces.
    pub key: String,
    pub span: Span,
    pub determiner: undefined_term::Determiner,
}

/// The text of the document's definitions sections, as sorted disjoint
/// spans.
/// `opens(h)` tells whether heading `h` opens one.
fn definitions_sections(doc: &Document, opens: impl Fn(usize) -> bool) -> Vec<Span> {
    let mut spans: Vec<Span> = doc
        .outline
        .sections
        .iter()
        .filter(|s| match s.kind {
            SectionKind::Heading(h) => opens(h),
            SectionKind::RunIn(_) => false,
        })
        .map(|s| s.body)
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

/// Heading words that open a definitions section.
fn is_definitions_heading(title: &str) -> bool {
    if title.is_ascii() {
        // Without lowering every heading of the document on every check.
        let bytes = title.as_bytes();
        let at = |word: &str, i: usize| {
            bytes
                .get(i..i + word.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(word.as_bytes()))
        };
        return memchr::memchr2_iter(b'd', b'D', bytes)
            .any(|i| at("definition", i) || at("defined terms", i))
            || memchr::memchr2_iter(b'g', b'G', bytes).any(|i| at("glossary", i));
    }
    let lower = title.to_lowercase();
    ["definition", "glossary", "defined terms"]
        .iter()
        .any(|w| lower.contains(w))
}

impl Glossary {
    /// The glossary of `doc`, gathering its definitions afresh (the language
    /// server's requests; the rules read the definitions the engine
    /// collected and cached).
    pub fn of(doc: &Document) -> Glossary {
        let mut definitions = Vec::new();
        for (index, block) in doc.blocks.iter().enumerate() {
            if !block.has_prose() || block.language != Language::English {
                continue;
            }
            let tokens = Tokens::new(&doc.text, &block.prose);
            for d in self::definitions(&doc.text, block, &tokens) {
                definitions.push((index, d));
            }
        }
        let mut glossary = Glossary::defined(doc, definitions.iter().map(|(i, d)| (*i, d)));
        let mut scans: Vec<Option<BlockScan>> = doc.blocks.iter().map(|_| None).collect();
        glossary.find_uses(doc, &mut scans, &mut Store::default(), &mut None);
        glossary
    }

    /// The terms of `doc`, from its definitions (with the index of the
    /// block each stands in), their uses not yet found.
    pub(crate) fn defined<'d>(
        doc: &Document,
        definitions: impl Iterator<Item = (usize, &'d Definition)>,
    ) -> Glossary {
        let sections = definitions_sections(doc, |h| {
            is_definitions_heading(&doc.title_of(&doc.headings[h]))
        });
        Glossary::defined_in(doc, sections, definitions)
    }

    /// [`Glossary::defined`], from the titles of the headings in lower case
    /// (`DocumentContext::heading_titles`: kept per block, not read from
    /// the text again).
    pub(crate) fn defined_titled<'d>(
        doc: &Document,
        titles: &[Arc<str>],
        definitions: impl Iterator<Item = (usize, &'d Definition)>,
    ) -> Glossary {
        let sections = definitions_sections(doc, |h| is_definitions_heading(&titles[h]));
        Glossary::defined_in(doc, sections, definitions)
    }

    /// [`Glossary::defined`], the definitions sections being `sections`.
    fn defined_in<'d>(
        doc: &Document,
        sections: Vec<Span>,
        definitions: impl Iterator<Item = (usize, &'d Definition)>,
    ) -> Glossary {
        let mut glossary = Glossary {
            sections,
            ..Glossary::default()
        };
        let sections = &glossary.sections;
        let mut by_key: FastMap<String, usize> = FastMap::default();
        let mut key = String::new();
        for (block, d) in definitions {
            let Some(form) = counted_form(d, in_sections(sections, doc.blocks[block].span)) else {
                continue;
            };
            key.clear();
            match form.is_ascii() {
                true => key.extend(form.chars().map(|c| c.to_ascii_lowercase())),
                false => key.push_str(&form.to_lowercase()),
            }
            let index = match by_key.get(key.as_str()) {
                Some(&index) => index,
                None => {
                    glossary.terms.push(Term {
                        name: d.term.clone(),
                        definitions: Vec::new(),
                        uses: Vec::new(),
                        form: form.split(' ').map(str::to_string).collect(),
                    });
                    by_key.insert(key.clone(), glossary.terms.len() - 1);
                    glossary.terms.len() - 1
                }
            };
            glossary.terms[index].definitions.push(d.clone());
            glossary.holding.push(block);
        }
        glossary.holding.sort_unstable();
        glossary.holding.dedup();
        glossary
    }

    /// The forms of the terms as defined: what finding their uses depends
    /// on.
    pub(crate) fn forms(&self) -> Vec<Vec<String>> {
        self.terms.iter().map(|t| t.form.clone()).collect()
    }

    /// Finds the uses of the terms and the runs of capitalised words.
    /// `scans[i]` is where what `doc.blocks[i]` was found to hold with
    /// these terms lies in `store`, when that is known; the other blocks
    /// are read, and what they hold is added, with `scanner` (made from
    /// the terms' forms if it is `None`). Reads the store in document
    /// order, once, and the text only for the terms defined in capitals.
    /// Returns how many blocks it read.
    fn find_uses(
        &mut self,
        doc: &Document,
        scans: &mut [Option<BlockScan>],
        store: &mut Store,
        scanner: &mut Option<Scan>,
    ) -> usize {
        if self.terms.is_empty() {
            return 0;
        }
        let unread: Vec<usize> = (0..scans.len()).filter(|&i| scans[i].is_none()).collect();
        let read = unread.len();
        if read > 0 {
            let scanner = scanner.get_or_insert_with(|| Scan::new(&self.forms()));
            read_blocks(doc, scanner, &unread, scans, store, MIN_BLOCKS_SHARED);
        }
        store.compact(scans);
        let text = doc.text.as_str();
        self.modes = self.terms.iter().map(Term::mode).collect();
        let modes = self.modes.clone();
        let mut settled: Vec<Settled> = self.terms.iter().map(Term::settled).collect();
        let mut votes: Vec<Votes<'_>> = modes.iter().map(|_| Votes::default()).collect();
        // The uses whose case waits for the uses to decide the term's
        // form: the term, the use, what was found and its block's start.
        let mut pending: Vec<(usize, usize, usize, usize)> = Vec::new();
        let mut holding = self.holding.iter().peekable();
        for (i, (block, scan)) in doc.blocks.iter().zip(scans.iter()).enumerate() {
            let scan = scan.as_ref().expect("every block was read");
            let base = block.span.start;
            let holds = holding.next_if_eq(&&i).is_some();
            for n in scan.found.start as usize..scan.found.end as usize {
                let seen = &store.found[n];
                let k = seen.term as usize;
                if seen.decided() {
                    match modes[k] {
                        Mode::Capitals => {
                            let words = store.words(seen, base).map(|w| w.of(text)).collect();
                            *votes[k].spellings.entry(words).or_default() += 1;
                        }
                        Mode::SentenceStart => {
                            if let Some(capital) = seen.capital_voted() {
                                votes[k].first_letter.add(capital, 1);
                            }
                        }
                        Mode::Defined => {}
                    }
                }
                let Some(found) = settled[k].use_of(seen, seen.span.absolute(base), holds) else {
                    continue;
                };
                let term = &mut self.terms[k];
                if modes[k] != Mode::Defined {
                    pending.push((k, term.uses.len(), n, base));
                }
                term.uses.push(found);
            }
            let capitalised =
                &store.capitalised[scan.capitalised.start as usize..scan.capitalised.end as usize];
            self.capitalised
                .extend(capitalised.iter().map(|c| Capitalised {
                    key: c.key.clone(),
                    span: c.span.absolute(base),
                    determiner: c.determiner,
                }));
        }
        self.sentence_votes = votes.iter().map(|v| v.first_letter).collect();
        for ((term, votes), settled) in self.terms.iter_mut().zip(votes).zip(&mut settled) {
            settled.lowered = term.settle(votes);
            settled.capitals = capitals(&term.form);
        }
        let mut written: Vec<&str> = Vec::new();
        for (k, u, n, base) in pending {
            let (seen, term, settled) = (&store.found[n], &mut self.terms[k], &settled[k]);
            let span = term.uses[u].span;
            term.uses[u].case = match modes[k] {
                Mode::Capitals => {
                    written.clear();
                    written.extend(store.words(seen, base).map(|w| w.of(text)));
                    settled.case_in_capitals(seen, &written, &term.form, span)
                }
                _ => settled.case_of(seen, span),
            };
        }
        read
    }

    /// Whether the uses of term `k` lowered its first letter (see
    /// [`Term::settle`]).
    fn lowered(&self, k: usize) -> bool {
        self.modes[k] == Mode::SentenceStart && self.sentence_votes[k].lowers()
    }

    /// The term defined or used at `offset`.
    pub fn term_at(&self, offset: usize) -> Option<&Term> {
        self.terms.iter().find(|t| t.touches(offset))
    }
}

/// Whether a block at `span` stands in one of the definitions `sections`.
fn in_sections(sections: &[Span], span: Span) -> bool {
    sections
        .get(sections.partition_point(|s| s.end <= span.start))
        .is_some_and(|s| s.contains(span.start))
}

/// The form of the term `d` defines, its words without a leading article,
/// when the definition counts: a term listed outside a definitions section
/// is not defined there, and a term needs two letters.
fn counted_form(d: &Definition, in_section: bool) -> Option<&str> {
    if d.listed && !in_section {
        return None;
    }
    let form = match d.term.split_once(' ') {
        Some((first, rest)) if is_article(first) => rest,
        _ => d.term.as_str(),
    };
    (form.chars().filter(|c| c.is_alphabetic()).count() >= 2).then_some(form)
}

fn is_article(word: &str) -> bool {
    ["the", "this", "a", "an"]
        .iter()
        .any(|a| word.eq_ignore_ascii_case(a))
}

/// How the document decides the case of a term.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Mode {
    /// As defined.
    Defined,
    /// Defined in capitals ("LICENSED WORK" means …), which say nothing
    /// of its case: the uses decide.
    Capitals,
    /// Defined at the start of sentences, which leaves the case of the
    /// first letter to the uses: "Licensor" means … then "the Licensor";
    /// "Object code" means … then "object code".
    SentenceStart,
}

/// What the uses of a term say of its case.
#[derive(Default)]
struct Votes<'t> {
    /// Of a term defined in capitals: how often each spelling is used.
    spellings: HashMap<Vec<&'t str>, usize>,
    /// Of a term defined at the start of sentences.
    first_letter: FirstLetterVotes,
}

/// How often the uses of a term write its first letter as a capital, and
/// how often not.
#[derive(Copy, Clone, Debug, Default)]
struct FirstLetterVotes {
    upper: usize,
    lower: usize,
}

impl FirstLetterVotes {
    /// Counts `by` more votes (fewer, when negative) for a capital or not.
    fn add(&mut self, capital: bool, by: isize) {
        let votes = if capital {
            &mut self.upper
        } else {
            &mut self.lower
        };
        *votes = votes
            .checked_add_signed(by)
            .expect("only votes counted are taken back");
    }

    /// Whether the uses write the first letter small.
    fn lowers(self) -> bool {
        self.lower > self.upper
    }
}

/// What classifying the uses of a term needs.
struct Settled {
    /// The form's first letter was lowered.
    lowered: bool,
    /// Capital letters in the form.
    capitals: usize,
    /// Where the term applies from.
    from: usize,
    /// Its definitions' terms and meanings.
    terms: Covering,
    meanings: Covering,
}

impl Settled {
    /// The use of the term at `span`, found written as `seen` says, in a
    /// block that `holds` definitions or not; none where it is the term a
    /// definition defines.
    fn use_of(&self, seen: &Seen, span: Span, holds: bool) -> Option<Use> {
        if holds && self.terms.covers(span) {
            return None;
        }
        Some(Use {
            span,
            in_definition: holds && self.meanings.covers(span),
            case: self.case_of(seen, span),
        })
    }

    /// The case of a use of a term defined in capitals, its words `written`,
    /// compared with the `form` its uses settled on.
    fn case_in_capitals(&self, seen: &Seen, written: &[&str], form: &[String], span: Span) -> Case {
        let same_after_first = same_case_after_first(written, form);
        self.case(
            seen,
            same_after_first,
            same_case(written[0], &form[0]),
            span,
        )
    }

    /// The case of a use of a term not defined in capitals, compared with
    /// its form as settled.
    fn case_of(&self, seen: &Seen, span: Span) -> Case {
        let v = usize::from(self.lowered);
        self.case(
            seen,
            seen.same_after_first[v],
            seen.same_first_word[v],
            span,
        )
    }

    /// The case of the use of the term at `span`, found written as `seen`
    /// says, the same as the form after its first letter or not, its first
    /// word the same or not.
    fn case(&self, seen: &Seen, same_after_first: bool, same_first_word: bool, span: Span) -> Case {
        if seen.undecided || span.start < self.from {
            Case::Undecided
        } else if same_after_first && (seen.opens_sentence || same_first_word) {
            Case::Same
        } else if seen.in_capitals && usize::from(seen.capitals) > self.capitals {
            // Title case around it.
            Case::Undecided
        } else {
            Case::Different
        }
    }
}

/// What the defined-term rules keep of the last check: what each block
/// was found to hold, the forms of the terms it was read for, and the
/// last glossary.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    forms: Vec<Vec<String>>,
    /// The scanner of `forms`, once made: making it costs more than
    /// reading the block an edit made anew.
    scanner: Option<Scan>,
    scans: PerBlock<BlockScan>,
    store: Store,
    kept: Option<Kept>,
}

/// The glossary of the last check, and what of its document tells whether
/// an edit left it as it was but for where things stand.
#[derive(Debug)]
struct Kept {
    glossary: Glossary,
    /// The version of the memo's text it was made for.
    version: u64,
    /// Where each block started, and the text's length.
    starts: Vec<usize>,
    len: usize,
}

impl Memo {
    /// Whether it keeps a glossary to move.
    pub(crate) fn keeps_one(&self) -> bool {
        self.kept.is_some()
    }

    /// Keeps `glossary`, made for `doc` at `version` of the memo's text.
    pub(crate) fn keep(&mut self, glossary: Glossary, doc: &Document, version: u64) {
        self.kept = Some(Kept {
            glossary,
            version,
            starts: doc.blocks.iter().map(|b| b.span.start).collect(),
            len: doc.text.len(),
        });
    }

    /// The kept glossary brought to the text at `version` of the memo's
    /// text, the one after the kept glossary's, without gathering every use
    /// again (which cost more than all the other defined-term rules
    /// together). It can when the blocks made anew since define what the
    /// blocks they replace defined, in the same order and the same way, the
    /// definitions sections are where they were, and the uses they hold vote
    /// as those they replace did on the case of the terms (see [`Votes`]):
    /// then the terms, their forms and their modes are the same. The
    /// definitions and uses of the other blocks are the same but for where
    /// they stand, and those of the blocks made anew are read from them.
    pub(crate) fn moved(
        &mut self,
        doc: &Document,
        facts: &[BlockFacts],
        ids: &[FactsId],
        version: u64,
        titles: &[Arc<str>],
    ) -> Option<Glossary> {
        let kept = self.kept.take()?;
        if kept.version + 1 != version
            || kept.glossary.terms.is_empty()
            || kept.starts.len() != self.scans.values.len()
        {
            return None;
        }
        let (prefix, suffix) = self.scans.kept(ids);
        let (old_len, new_len) = (kept.starts.len(), doc.blocks.len());
        let (old_end, new_end) = (old_len - suffix, new_len - suffix);
        let grown = doc.text.len() as isize - kept.len as isize;
        let start = |i: usize| doc.blocks[i].span.start;
        let stays = (0..prefix).all(|i| start(i) == kept.starts[i]);
        let follows = (old_end..old_len)
            .all(|i| start(i - old_end + new_end) as isize - kept.starts[i] as isize == grown);
        let at = |i: usize| kept.starts.get(i).copied().unwrap_or(kept.len);
        let (from, to) = (at(prefix), at(old_end));
        let moved = |x: usize| match x {
            _ if x < from => Some(x),
            _ if x >= to => Some(x.checked_add_signed(grown)?),
            _ => None,
        };
        if !stays || !follows {
            return None;
        }
        // Which definitions count depends on them.
        let sections = definitions_sections(doc, |h| is_definitions_heading(&titles[h]));
        let sections_stay = sections.len() == kept.glossary.sections.len()
            && sections
                .iter()
                .zip(&kept.glossary.sections)
                .all(|(new, old)| {
                    moved(old.start) == Some(new.start) && moved(old.end) == Some(new.end)
                });
        if !sections_stay {
            return None;
        }
        let mut glossary = kept.glossary;
        // The definitions the replaced blocks held (the term and which of
        // its definitions), and those the blocks made anew hold, in order.
        let mut was_defined: Vec<(usize, usize)> = glossary
            .terms
            .iter()
            .enumerate()
            .flat_map(|(k, t)| {
                let a = t.definitions.partition_point(|d| d.span.start < from);
                let b = t.definitions.partition_point(|d| d.span.start < to);
                (a..b).map(move |i| (k, i))
            })
            .collect();
        was_defined.sort_unstable_by_key(|&(k, i)| glossary.terms[k].definitions[i].span.start);
        let is_defined: Vec<(usize, &Definition)> = (prefix..new_end)
            .flat_map(|i| {
                let in_section = in_sections(&sections, doc.blocks[i].span);
                let definitions = facts[i].terms.iter().flat_map(|t| &t.definitions);
                definitions
                    .filter(move |d| counted_form(d, in_section).is_some())
                    .map(move |d| (i, d))
            })
            .collect();
        let same_definitions = was_defined.len() == is_defined.len()
            && was_defined
                .iter()
                .zip(&is_defined)
                .all(|(&(k, i), (_, new))| {
                    let old = &glossary.terms[k].definitions[i];
                    old.term == new.term
                        && old.kind == new.kind
                        && old.listed == new.listed
                        && old.sentence_start == new.sentence_start
                });
        if !same_definitions {
            return None;
        }
        let removed = self.scans.align(ids);
        let scanner = self.scanner.get_or_insert_with(|| Scan::new(&self.forms));
        let mut buffers = Buffers::default();
        for (block, scan) in doc.blocks[prefix..new_end]
            .iter()
            .zip(&mut self.scans.values[prefix..new_end])
        {
            *scan = Some(scanner.block(&doc.text, block, &mut buffers, &mut self.store));
        }
        let store = &self.store;
        let new: Vec<(usize, &BlockScan)> = (prefix..new_end)
            .map(|i| (i, self.scans.values[i].as_ref().expect("just read")))
            .collect();
        let found =
            |scan: &BlockScan| &store.found[scan.found.start as usize..scan.found.end as usize];
        // Whether the uses in the blocks made anew vote as those they
        // replace did, or at least decide the same: for each term, how the
        // votes for a small first letter and for a capital changed.
        let modes = &glossary.modes;
        let mut votes: FastMap<usize, FirstLetterVotes> = FastMap::default();
        let mut spellings: FastMap<(usize, u64), isize> = FastMap::default();
        let was = removed.iter().flat_map(found).map(|seen| (seen, -1));
        let is = new
            .iter()
            .flat_map(|(_, scan)| found(scan))
            .map(|seen| (seen, 1));
        for (seen, sign) in was.chain(is) {
            let k = seen.term as usize;
            match modes[k] {
                // Every spelling votes: they should be as they were.
                Mode::Capitals => {
                    if seen.decided() {
                        *spellings.entry((k, seen.spelled)).or_default() += sign;
                    }
                }
                Mode::SentenceStart => {
                    if let Some(capital) = seen.capital_voted() {
                        let now = votes.entry(k).or_insert(glossary.sentence_votes[k]);
                        now.add(capital, sign);
                    }
                }
                Mode::Defined => {}
            }
        }
        if spellings.values().any(|&n| n != 0) {
            return None;
        }
        for (k, now) in votes {
            if now.lowers() != glossary.sentence_votes[k].lowers() {
                return None;
            }
            glossary.sentence_votes[k] = now;
        }
        glossary.sections = sections;
        for term in &mut glossary.terms {
            for d in term.definitions.iter_mut().filter(|d| d.span.start >= to) {
                d.shift(grown);
            }
        }
        for (&(k, i), (_, new)) in was_defined.iter().zip(&is_defined) {
            glossary.terms[k].definitions[i] = (*new).clone();
        }
        let added = new_end as isize - old_end as isize;
        let before = glossary.holding.partition_point(|&b| b < prefix);
        let after = glossary.holding.partition_point(|&b| b < old_end);
        let after: Vec<usize> = glossary.holding[after..]
            .iter()
            .map(|b| b.checked_add_signed(added).expect("a block after the edit"))
            .collect();
        glossary.holding.truncate(before);
        glossary.holding.extend(is_defined.iter().map(|&(i, _)| i));
        glossary.holding.dedup();
        glossary.holding.extend(after);
        // The uses of the blocks made anew, term by term.
        let mut settled: Vec<Option<Settled>> = glossary.terms.iter().map(|_| None).collect();
        let mut uses: Vec<Vec<Use>> = glossary.terms.iter().map(|_| Vec::new()).collect();
        for &(i, scan) in &new {
            let holds = glossary.holding.binary_search(&i).is_ok();
            for seen in found(scan) {
                let k = seen.term as usize;
                let settled = settled[k].get_or_insert_with(|| Settled {
                    lowered: glossary.lowered(k),
                    ..glossary.terms[k].settled()
                });
                let span = seen.span.absolute(start(i));
                let Some(mut found) = settled.use_of(seen, span, holds) else {
                    continue;
                };
                if glossary.modes[k] == Mode::Capitals {
                    let written: Vec<&str> = store
                        .words(seen, start(i))
                        .map(|w| w.of(&doc.text))
                        .collect();
                    let form = &glossary.terms[k].form;
                    found.case = settled.case_in_capitals(seen, &written, form, span);
                }
                uses[k].push(found);
            }
        }
        for (term, uses) in glossary.terms.iter_mut().zip(uses) {
            let a = term.uses.partition_point(|u| u.span.start < from);
            let b = term.uses.partition_point(|u| u.span.start < to);
            for u in &mut term.uses[b..] {
                u.span = u.span.moved(grown);
            }
            term.uses.splice(a..b, uses);
        }
        let a = glossary
            .capitalised
            .partition_point(|c| c.span.start < from);
        let b = glossary.capitalised.partition_point(|c| c.span.start < to);
        for c in &mut glossary.capitalised[b..] {
            c.span = c.span.moved(grown);
        }
        let runs = new.iter().flat_map(|&(i, scan)| {
            store.capitalised[scan.capitalised.start as usize..scan.capitalised.end as usize]
                .iter()
                .map(move |c| Capitalised {
                    key: c.key.clone(),
                    span: c.span.absolute(start(i)),
                    determiner: c.determiner,
                })
        });
        glossary.capitalised.splice(a..b, runs);
        self.store.compact(&mut self.scans.values);
        Some(glossary)
    }

    /// Finds the uses of the terms of `glossary` in `doc`, reading only the
    /// blocks whose facts, or the terms' forms, changed since the last
    /// check. Returns how many blocks it read.
    pub(crate) fn find_uses(
        &mut self,
        glossary: &mut Glossary,
        doc: &Document,
        ids: &[FactsId],
    ) -> usize {
        self.scans.align(ids);
        let forms = glossary.forms();
        if forms != self.forms {
            if !self.follow_forms(&forms, doc) {
                self.scans.clear();
                self.store = Store::default();
            }
            self.forms = forms;
            self.scanner = None;
        }
        glossary.find_uses(
            doc,
            &mut self.scans.values,
            &mut self.store,
            &mut self.scanner,
        )
    }

    /// Brings what the blocks were found to hold from the last forms of
    /// the terms to `forms`: the blocks where a word of a form added or
    /// gone may stand are to be read again, and the others hold the same
    /// terms, numbered as in `forms`. Whether a word stands in a block is
    /// looked for in the text, which costs less than reading every block
    /// again (as a term is renamed, or typed in a definition). Returns
    /// false when it cannot tell.
    fn follow_forms(&mut self, forms: &[Vec<String>], doc: &Document) -> bool {
        let now: FastMap<&Vec<String>, usize> = forms.iter().zip(0..).collect();
        let was: FastMap<&Vec<String>, usize> = self.forms.iter().zip(0..).collect();
        let renumbered: Vec<Option<u32>> = self
            .forms
            .iter()
            .map(|f| now.get(f).map(|&i| i as u32))
            .collect();
        let changed: Vec<&Vec<String>> = forms
            .iter()
            .filter(|f| !was.contains_key(f))
            .chain(self.forms.iter().filter(|f| !now.contains_key(f)))
            .collect();
        // Each is looked for in the whole text: for many (the first check,
        // terms pasted in), reading the blocks costs less.
        if changed.len() > MAX_FORMS_LOOKED_FOR || self.scans.values.iter().all(Option::is_none) {
            return false;
        }
        let text = doc.text.as_str();
        let mut read_again: Vec<usize> = Vec::new();
        for form in changed {
            // A word is matched in lower case, its ending dropped ("Fees",
            // "Parties"): it holds the form's first word in any case, but
            // for a final "y".
            let first = form[0].to_lowercase();
            let stem = first.strip_suffix('y').unwrap_or(&first);
            // The only letters whose lower case is in ASCII: İ and the
            // Kelvin sign.
            if stem.is_empty()
                || !stem.is_ascii()
                || (stem.contains(['i', 'k']) && text.contains(['\u{130}', '\u{212a}']))
            {
                return false;
            }
            for at in find_ignoring_case(text, stem) {
                read_again.push(doc.blocks.partition_point(|b| b.span.end <= at));
            }
        }
        for i in read_again {
            if let Some(scan) = self.scans.values.get_mut(i) {
                *scan = None;
            }
        }
        for scan in self.scans.values.iter().flatten() {
            for seen in &mut self.store.found[scan.found.start as usize..scan.found.end as usize] {
                match renumbered[seen.term as usize] {
                    Some(term) => seen.term = term,
                    // Where a form gone stood is read again.
                    None => return false,
                }
            }
        }
        true
    }
}

/// The most forms added or gone that `Memo::follow_forms` looks for in the
/// text rather than read every block again.
const MAX_FORMS_LOOKED_FOR: usize = 8;

/// Where `needle`, in ASCII lower case, stands in `text` in any ASCII case.
fn find_ignoring_case<'t>(text: &'t str, needle: &'t str) -> impl Iterator<Item = usize> + 't {
    let bytes = text.as_bytes();
    let first = needle.as_bytes()[0];
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), bytes).filter(move |&at| {
        bytes
            .get(at..at + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    })
}

/// A span inside a block, from the block's start (what a block is found
/// to hold is kept wherever the block moves).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct Relative {
    start: u32,
    end: u32,
}

impl Relative {
    fn new(span: Span, base: usize) -> Relative {
        let offset = |at: usize| u32::try_from(at - base).expect("a block is shorter than 4 GB");
        Relative {
            start: offset(span.start),
            end: offset(span.end),
        }
    }

    fn absolute(self, base: usize) -> Span {
        Span::new(base + self.start as usize, base + self.end as usize)
    }
}

/// What blocks were found to hold: where the terms' words stand and the
/// runs of capitalised words no term covers, relative to each block's
/// start. One vector for all blocks rather than a few for each, so that
/// reading the blocks in order reads memory in order.
#[derive(Debug, Default)]
pub(crate) struct Store {
    found: Vec<Seen>,
    /// The words of `found`.
    words: Vec<Relative>,
    capitalised: Vec<BlockCapitalised>,
}

/// Where what one block holds lies in a [`Store`]. Depends on the block
/// and on the forms of the terms only.
#[derive(Clone, Debug)]
pub(crate) struct BlockScan {
    found: Range<u32>,
    capitalised: Range<u32>,
}

/// The fewest blocks to read that are shared out among the cores: opening
/// a document reads them all, a keystroke one or two.
const MIN_BLOCKS_SHARED: usize = 512;

/// Reads the blocks of `doc` at `indices` (in order) with `scanner` into
/// `store`, and says where in it each one's findings lie; shares them out
/// among the cores when there are `min_shared` or more.
fn read_blocks(
    doc: &Document,
    scanner: &Scan,
    indices: &[usize],
    scans: &mut [Option<BlockScan>],
    store: &mut Store,
    min_shared: usize,
) {
    let read = |indices: &[usize], store: &mut Store| -> Vec<BlockScan> {
        let mut buffers = Buffers::default();
        indices
            .iter()
            .map(|&i| scanner.block(&doc.text, &doc.blocks[i], &mut buffers, store))
            .collect()
    };
    if indices.len() < min_shared {
        for (&i, scan) in indices.iter().zip(read(indices, store)) {
            scans[i] = Some(scan);
        }
        return;
    }
    // Each share of the blocks is read into a store of its own; the stores
    // are then joined in order, which moves what the scans point at.
    let share = indices.len().div_ceil(rayon::current_num_threads() * 4);
    let parts: Vec<(Store, Vec<BlockScan>)> = indices
        .par_chunks(share)
        .map(|part| {
            let mut own = Store::default();
            let found = read(part, &mut own);
            (own, found)
        })
        .collect();
    for (part, (own, found)) in indices.chunks(share).zip(parts) {
        let (found_at, capitalised_at) = store.append(own);
        for (&i, scan) in part.iter().zip(found) {
            scans[i] = Some(BlockScan {
                found: scan.found.start + found_at..scan.found.end + found_at,
                capitalised: scan.capitalised.start + capitalised_at
                    ..scan.capitalised.end + capitalised_at,
            });
        }
    }
}

/// The length of a store, as an index into it.
fn index(len: usize) -> u32 {
    u32::try_from(len).expect("fewer than 4 billion uses")
}

impl Store {
    fn words(&self, seen: &Seen, base: usize) -> impl Iterator<Item = Span> + '_ {
        self.words[seen.words.start as usize..seen.words.end as usize]
            .iter()
            .map(move |w| w.absolute(base))
    }

    /// Copies what the blocks hold into a new store in document order,
    /// when a fifth of this one is what blocks edited since held.
    /// Adds what `other` holds after what this store holds; returns where
    /// its found terms and its runs of capitals now start.
    fn append(&mut self, other: Store) -> (u32, u32) {
        let (found_at, words_at) = (index(self.found.len()), index(self.words.len()));
        let capitalised_at = index(self.capitalised.len());
        self.found.extend(other.found.into_iter().map(|seen| Seen {
            words: seen.words.start + words_at..seen.words.end + words_at,
            ..seen
        }));
        self.words.extend(other.words);
        self.capitalised.extend(other.capitalised);
        (found_at, capitalised_at)
    }

    fn compact(&mut self, scans: &mut [Option<BlockScan>]) {
        let held: usize = scans
            .iter()
            .flatten()
            .map(|s| s.found.len() + s.capitalised.len())
            .sum();
        if self.found.len() + self.capitalised.len() <= held + held / 4 + 1024 {
            return;
        }
        let mut store = Store::default();
        for scan in scans.iter_mut().flatten() {
            let start = index(store.found.len());
            for seen in &self.found[scan.found.start as usize..scan.found.end as usize] {
                let first = index(store.words.len());
                store.words.extend_from_slice(
                    &self.words[seen.words.start as usize..seen.words.end as usize],
                );
                store.found.push(Seen {
                    words: first..index(store.words.len()),
                    ..seen.clone()
                });
            }
            scan.found = start..index(store.found.len());
            let start = index(store.capitalised.len());
            store.capitalised.extend_from_slice(
                &self.capitalised[scan.capitalised.start as usize..scan.capitalised.end as usize],
            );
            scan.capitalised = start..index(store.capitalised.len());
        }
        *self = store;
    }
}

/// Where a term's words stand, and how they are written compared with the
/// term's form as defined (`[0]`) and with that form's first letter in
/// lower case (`[1]`).
#[derive(Clone, Debug)]
struct Seen {
    term: u32,
    span: Relative,
    /// Its words, in [`Store::words`].
    words: Range<u32>,
    /// The first word opens a sentence: its capital may be the sentence's.
    opens_sentence: bool,
    /// In a heading or table (title case), in capitals, or in quotes (a
    /// mention of the words rather than a use).
    undecided: bool,
    /// A capitalised word stands beside it: it may be part of a title
    /// ("a Statement Against Modern Slavery and Child Labor").
    in_capitals: bool,
    /// [`same_case_after_first`] with the form.
    same_after_first: [bool; 2],
    /// [`same_case`] of the first word and the form's.
    same_first_word: [bool; 2],
    /// The first letter is a capital.
    capital: bool,
    /// Capital letters in the words (at most `u16::MAX`).
    capitals: u16,
    /// Of a term whose form has no small letter (which may be defined in
    /// capitals, see [`Mode::Capitals`]), a hash of the words as written:
    /// what it votes for; else 0.
    spelled: u64,
}

impl Seen {
    /// Whether its case counts towards deciding the term's.
    fn decided(&self) -> bool {
        !self.undecided && !self.opens_sentence && !self.in_capitals
    }

    /// For a term defined at the start of sentences: whether this use
    /// votes for a capital first letter, or for a small one, or not at all
    /// (see [`Mode::SentenceStart`]).
    fn capital_voted(&self) -> Option<bool> {
        (self.decided() && self.same_after_first[0]).then_some(self.capital)
    }
}

/// A run of capitalised words in a block.
#[derive(Clone, Debug)]
struct BlockCapitalised {
    key: String,
    span: Relative,
    determiner: undefined_term::Determiner,
}

/// Terms of more than one word that start with the same two words, the
/// longest first: each term's index and its words in lower case.
type Longer = Vec<(usize, Vec<String>)>;

/// Finds the uses of terms, word by word.
#[derive(Debug)]
struct Scan {
    /// Each term's form, and that form with its first letter lowered.
    forms: Vec<[Vec<String>; 2]>,
    /// Terms of one word, by the word in lower case.
    single: FastMap<String, usize>,
    /// Longer terms by their first and second words in lower case.
    longer: FastMap<String, FastMap<String, Longer>>,
}

/// What reading a block needs, kept from one block to the next so that
/// it is allocated once.
#[derive(Default)]
struct Buffers {
    tokens: Vec<Token>,
    /// The words and numbers of the block in lower case, by token.
    lower: Vec<String>,
}

impl Scan {
    fn new(forms: &[Vec<String>]) -> Scan {
        let mut scan = Scan {
            forms: Vec::with_capacity(forms.len()),
            single: FastMap::default(),
            longer: FastMap::default(),
        };
        for (i, form) in forms.iter().enumerate() {
            let mut lowered = form.clone();
            lowered[0] = lower_first(&form[0]);
            scan.forms.push([form.clone(), lowered]);
            let key: Vec<String> = form.iter().map(|w| w.to_lowercase()).collect();
            match &key[..] {
                [word] => {
                    scan.single.insert(word.clone(), i);
                }
                [first, second, ..] => scan
                    .longer
                    .entry(first.clone())
                    .or_default()
                    .entry(second.clone())
                    .or_default()
                    .push((i, key.clone())),
                [] => {}
            }
        }
        for list in scan.longer.values_mut().flat_map(|m| m.values_mut()) {
            list.sort_by_key(|(_, key)| std::cmp::Reverse(key.len()));
        }
        scan
    }

    /// The term whose words start at token `i` (`lower` holds the words in
    /// lower case), and the index after them.
    fn match_at(&self, tokens: &[Token], lower: &[String], i: usize) -> Option<(usize, usize)> {
        let is_word = |k: usize| {
            tokens
                .get(k)
                .is_some_and(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
        };
        let by_second = self.longer.get(lower[i].as_str());
        if let Some(by_second) = by_second.filter(|_| is_word(i + 1)) {
            // The second word may be the last, in the plural.
            for second in forms_of(&lower[i + 1]) {
                let Some(list) = by_second.get(second.as_ref()) else {
                    continue;
                };
                for (term, key) in list {
                    let end = i + key.len();
                    let all = (1..key.len()).all(|m| {
                        is_word(i + m)
                            && if m + 1 == key.len() {
                                is_form_of(&lower[i + m], &key[m])
                            } else {
                                lower[i + m] == key[m]
                            }
                    });
                    if all {
                        return Some((*term, end));
                    }
                }
            }
        }
        forms_of(&lower[i]).find_map(|w| self.single.get(w.as_ref()).map(|&t| (t, i + 1)))
    }

    /// Where the terms' words stand in `block`, and the runs of
    /// capitalised words that no term covers.
    fn block(
        &self,
        text: &str,
        block: &Block,
        buffers: &mut Buffers,
        store: &mut Store,
    ) -> BlockScan {
        let found = index(store.found.len());
        let capitalised = index(store.capitalised.len());
        self.read(text, block, buffers, store);
        BlockScan {
            found: found..index(store.found.len()),
            capitalised: capitalised..index(store.capitalised.len()),
        }
    }

    /// Adds to `store` where the terms' words stand in `block`, and the
    /// runs of capitalised words that no term covers.
    fn read(&self, text: &str, block: &Block, buffers: &mut Buffers, store: &mut Store) {
        if !block.has_prose() || block.language != Language::English {
            return;
        }
        let base = block.span.start;
        let tokens = Tokens::reusing(text, &block.prose, std::mem::take(&mut buffers.tokens));
        let toks = &tokens.tokens;
        let lower = &mut buffers.lower;
        if lower.len() < toks.len() {
            lower.resize(toks.len(), String::new());
        }
        for (t, l) in toks.iter().zip(lower.iter_mut()) {
            l.clear();
            if matches!(t.kind, TokenKind::Word | TokenKind::Number) {
                lowercase_into(t.text(text), l);
            }
        }
        let lower = &lower[..toks.len()];
        let titled = matches!(
            block.kind,
            BlockKind::Heading | BlockKind::Title | BlockKind::Contents | BlockKind::Table
        );
        let prose = matches!(block.kind, BlockKind::Paragraph | BlockKind::ListItem);
        let mut written: Vec<&str> = Vec::new();
        let mut run: Option<usize> = None;
        let mut i = 0;
        while i < toks.len() {
            let matched = if toks[i].kind == TokenKind::Word {
                self.match_at(toks, lower, i)
            } else {
                None
            };
            let capital = toks[i].kind == TokenKind::Word
                && toks[i].text(text).starts_with(char::is_uppercase);
            if matched.is_some() || !capital {
                if let Some(start) = run.take().filter(|_| prose) {
                    push_capitalised(text, &tokens, lower, start..i, base, &mut store.capitalised);
                }
            } else if run.is_none() {
                run = Some(i);
            }
            let Some((term, end)) = matched else {
                i += 1;
                continue;
            };
            written.clear();
            written.extend(toks[i..end].iter().map(|t| t.text(text)));
            let shouted = written.iter().all(|w| !w.chars().any(char::is_lowercase));
            let quoted = i > 0
                && punct_in(text, &toks[i - 1], OPENING_QUOTES)
                && toks
                    .get(end)
                    .is_some_and(|t| punct_in(text, t, CLOSING_QUOTES));
            let sentences = tokens.sentences();
            let forms = &self.forms[term];
            let first = index(store.words.len());
            store
                .words
                .extend(toks[i..end].iter().map(|t| Relative::new(t.span, base)));
            store.found.push(Seen {
                term: term as u32,
                span: Relative::new(toks[i].span.join(toks[end - 1].span), base),
                words: first..index(store.words.len()),
                opens_sentence: opens_sentence(text, toks, sentences, i),
                undecided: titled || shouted || quoted,
                in_capitals: capital_beside(text, toks, sentences, i..end),
                same_after_first: forms.each_ref().map(|f| same_case_after_first(&written, f)),
                same_first_word: forms.each_ref().map(|f| same_case(written[0], &f[0])),
                capital: written[0].starts_with(char::is_uppercase),
                capitals: u16::try_from(capitals(&written)).unwrap_or(u16::MAX),
                spelled: match forms[0].iter().any(|w| w.chars().any(char::is_lowercase)) {
                    true => 0,
                    false => {
                        let mut hasher = Fnv::default();
                        written.hash(&mut hasher);
                        hasher.finish()
                    }
                },
            });
            i = end;
        }
        if let Some(start) = run.filter(|_| prose) {
            push_capitalised(
                text,
                &tokens,
                lower,
                start..toks.len(),
                base,
                &mut store.capitalised,
            );
        }
        buffers.tokens = tokens.into_buffer();
    }
}

/// Appends `word` in lower case to `out`.
fn lowercase_into(word: &str, out: &mut String) {
    let from = out.len();
    if word.is_ascii() {
        out.push_str(word);
        out[from..].make_ascii_lowercase();
    } else {
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// Whether a capitalised word (not one opening a sentence) stands next to
/// `words`, small words such as "and" or "of" passed over.
fn capital_beside(
    text: &str,
    tokens: &[Token],
    sentences: &[Range<usize>],
    words: Range<usize>,
) -> bool {
    const SMALL: &[&str] = &["and", "of", "the", "for", "a", "an", "to", "in", "on", "or"];
    let capital = |k: usize| {
        let t = &tokens[k];
        t.kind == TokenKind::Word
            && t.text(text).starts_with(char::is_uppercase)
            && !opens_sentence(text, tokens, sentences, k)
    };
    let small = |k: usize| word_is(text, Some(&tokens[k]), SMALL);
    let mut before = words.start;
    while before > 0 && words.start - before < 2 && small(before - 1) {
        before -= 1;
    }
    let mut after = words.end;
    while after < tokens.len() && after - words.end < 2 && small(after) {
        after += 1;
    }
    (before > 0 && capital(before - 1)) || (after < tokens.len() && capital(after))
}

/// Records the part of a run of capitalised words that may be a term, in
/// a block that starts at `base`.
fn push_capitalised(
    text: &str,
    tokens: &Tokens<'_>,
    lower: &[String],
    run: Range<usize>,
    base: usize,
    out: &mut Vec<BlockCapitalised>,
) {
    let toks = &tokens.tokens;
    if let Some(run) = undefined_term::candidate(text, toks, tokens.sentences(), run) {
        out.push(BlockCapitalised {
            key: lower[run.clone()].join(" "),
            span: Relative::new(toks[run.start].span.join(toks[run.end - 1].span), base),
            determiner: undefined_term::determiner_before(text, toks, run.start),
        });
    }
}

/// Spans, to tell quickly whether one of them covers another span.
struct Covering {
    /// Sorted by start.
    spans: Vec<Span>,
    /// The furthest end of the spans up to each.
    reach: Vec<usize>,
}

impl Covering {
    fn new(spans: impl Iterator<Item = Span>) -> Covering {
        let mut spans: Vec<Span> = spans.collect();
        spans.sort_unstable();
        let reach = spans
            .iter()
            .scan(0, |reach, s| {
                *reach = s.end.max(*reach);
                Some(*reach)
            })
            .collect();
        Covering { spans, reach }
    }

    fn covers(&self, span: Span) -> bool {
        // Some span that starts before `span` reaches past its end.
        let k = self.spans.partition_point(|s| s.start <= span.start);
        k > 0 && self.reach[k - 1] >= span.end
    }
}

impl Term {
    fn mode(&self) -> Mode {
        if self
            .definitions
            .iter()
            .all(|d| !d.term.chars().any(char::is_lowercase))
        {
            Mode::Capitals
        } else if self
            .definitions
            .iter()
            .all(|d| d.sentence_start && d.term.starts_with(self.form[0].as_str()))
        {
            Mode::SentenceStart
        } else {
            Mode::Defined
        }
    }

    /// What classifying its uses needs, its form as defined.
    fn settled(&self) -> Settled {
        // A name given in passing ("some of the search suggestions (“Search
        // Suggestions”)") applies from there on; a definition, everywhere.
        let from = match self.definitions.iter().any(|d| d.kind != Kind::Names) {
            true => 0,
            false => self.definitions[0].span.start,
        };
        Settled {
            lowered: false,
            capitals: capitals(&self.form),
            from,
            terms: Covering::new(self.definitions.iter().map(|d| d.span)),
            meanings: Covering::new(self.definitions.iter().map(|d| d.meaning)),
        }
    }

    /// Decides the case the document writes the term in from the votes of
    /// its uses; whether that lowered the form's first letter.
    fn settle(&mut self, votes: Votes<'_>) -> bool {
        match self.mode() {
            Mode::Capitals => {
                let mut counts: HashMap<Vec<String>, usize> = HashMap::new();
                for (words, n) in votes.spellings {
                    let recased = self.form.iter().zip(&words).map(|(f, w)| recase(f, w));
                    *counts.entry(recased.collect()).or_default() += n;
                }
                if let Some((form, _)) = counts
                    .into_iter()
                    .max_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)))
                {
                    self.form = form;
                }
                false
            }
            Mode::SentenceStart if votes.first_letter.lowers() => {
                self.form[0] = lower_first(&self.form[0]);
                true
            }
            Mode::SentenceStart | Mode::Defined => false,
        }
    }
}

/// How many capital letters `words` have.
fn capitals(words: &[impl AsRef<str>]) -> usize {
    words
        .iter()
        .flat_map(|w| w.as_ref().chars())
        .filter(|c| c.is_uppercase())
        .count()
}

/// `word` (of a term's form) in the case of `written`, a use of it that
/// may be a plural: "WORK" after "Works", "PARTY" after "parties".
fn recase(word: &str, written: &str) -> String {
    word.chars()
        .zip(written.chars())
        .flat_map(|(w, c)| -> Box<dyn Iterator<Item = char>> {
            if c.is_uppercase() {
                Box::new(w.to_uppercase())
            } else {
                Box::new(w.to_lowercase())
            }
        })
        .collect()
}

fn lower_first(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Whether `written` (a form of `form`, maybe in the plural) has its
/// letters in the same case. The last letter of `form` may have turned
/// into another ("Party", "Parties").
fn same_case(written: &str, form: &str) -> bool {
    same_case_after(written, form, 0)
}

/// [`same_case`] of the words without their first `skip` letters.
fn same_case_after(written: &str, form: &str, skip: usize) -> bool {
    let n = form.chars().count().saturating_sub(skip);
    written
        .chars()
        .skip(skip)
        .zip(form.chars().skip(skip))
        .enumerate()
        .all(|(k, (a, b))| {
            if k + 1 == n {
                a.is_uppercase() == b.is_uppercase()
            } else {
                a == b
            }
        })
}

/// Whether `written` has the letters of `form` in the same case, but for
/// the first.
fn same_case_after_first(written: &[&str], form: &[String]) -> bool {
    written.len() == form.len()
        && same_case_after(written[0], &form[0], 1)
        && written[1..]
            .iter()
            .zip(&form[1..])
            .all(|(w, f)| same_case(w, f))
}

/// Endings of the plural and the possessive.
const ENDINGS: &[&str] = &["s", "es", "'s", "’s", "s'", "s’"];

/// `word` (in lower case) and the words it may be the plural or possessive
/// of: "parties", "partie", "party".
fn forms_of(word: &str) -> impl Iterator<Item = Cow<'_, str>> {
    let stems = ENDINGS
        .iter()
        .filter_map(move |e| word.strip_suffix(e))
        .map(Cow::Borrowed);
    let y = word
        .strip_suffix("ies")
        .map(|stem| Cow::Owned(format!("{stem}y")));
    std::iter::once(Cow::Borrowed(word))
        .chain(stems)
        .chain(y)
        .filter(|w| !w.is_empty())
}

/// Whether `word` is `key` or its plural or possessive (both in lower case).
fn is_form_of(word: &str, key: &str) -> bool {
    match word.strip_prefix(key) {
        Some(rest) => rest.is_empty() || ENDINGS.contains(&rest),
        None => key
            .strip_suffix('y')
            .is_some_and(|stem| word.strip_prefix(stem) == Some("ies")),
    }
}

/// `written` (a use of the term `form` in another case) in the term's case,
/// its plural or possessive ending and its spacing kept: "personal data's"
/// → "Personal Data's", "third parties" → "Third Parties".
pub fn in_form_of(written: &str, form: &str) -> String {
    let form: Vec<&str> = form.split(' ').collect();
    let mut out = String::new();
    let mut words = 0;
    let mut rest = written;
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        match form.get(words) {
            Some(f) if words + 1 == form.len() => {
                let n = f.chars().count();
                let lower = |s: &str, n: usize| {
                    s.chars()
                        .take(n)
                        .flat_map(char::to_lowercase)
                        .collect::<String>()
                };
                let keeps = lower(word, n) == lower(f, n);
                // "parties" for "Party": the last letter changed too.
                let kept = if keeps { n } else { n - 1 };
                out.extend(f.chars().take(kept));
                out.extend(word.chars().skip(kept));
            }
            Some(f) => out.push_str(f),
            None => out.push_str(word),
        }
        words += 1;
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::lint::Linter;
    use crate::lint::incremental::IncrementalChecker;
    use crate::syntax::Format;

    /// The facts of `doc`'s blocks, those of `kept` blocks (index, moved by)
    /// copied from `old`, as the language server's cache keeps them.
    fn facts(
        doc: &Document,
        old: &[BlockFacts],
        kept: &[(usize, usize, isize)],
    ) -> Vec<BlockFacts> {
        let linter = Linter::new(&Config::default());
        (0..doc.blocks.len())
            .map(|i| match kept.iter().find(|k| k.0 == i) {
                Some(&(_, from, delta)) => {
                    let mut facts = old[from].clone();
                    facts.shift(delta);
                    facts
                }
                None => linter.check_block(doc, i).facts,
            })
            .collect()
    }

    /// `doc`'s glossary found with `memo`, as text, and the blocks read.
    fn find(memo: &mut Memo, doc: &Document, facts: &[BlockFacts]) -> (String, usize) {
        let definitions = facts.iter().enumerate().flat_map(|(i, f)| {
            f.terms
                .iter()
                .flat_map(move |t| t.definitions.iter().map(move |d| (i, d)))
        });
        let mut glossary = Glossary::defined(doc, definitions);
        let ids: Vec<FactsId> = facts.iter().map(|f| f.id).collect();
        let read = memo.find_uses(&mut glossary, doc, &ids);
        (format!("{glossary:?}"), read)
    }

    const TEXT: &str = "Title\n\n\"Fee\" means a charge. The Fee is due.\n\n\
                        We waive the fee.\n\nNo Fee applies to the Bank Account.\n";

    #[test]
    fn an_edit_reads_again_only_the_blocks_made_anew() {
        let doc = Document::parse(TEXT, Format::Plain);
        let old = facts(&doc, &[], &[]);
        let mut memo = Memo::default();
        let (found, read) = find(&mut memo, &doc, &old);
        assert_eq!(found, format!("{:?}", Glossary::of(&doc)));
        assert_eq!(read, 4);
        // The third block changes; the fourth moves.
        let doc = Document::parse(TEXT.replace("We waive", "We often waive"), Format::Plain);
        let new = facts(&doc, &old, &[(0, 0, 0), (1, 1, 0), (3, 3, 6)]);
        let (found, read) = find(&mut memo, &doc, &new);
        assert_eq!(found, format!("{:?}", Glossary::of(&doc)));
        assert_eq!(read, 1);
        // Another form of the term: the blocks where it may stand are read
        // again.
        let doc = Document::parse(TEXT.replace("\"Fee\"", "\"FEE\""), Format::Plain);
        let newer = facts(&doc, &old, &[(0, 0, 0), (2, 2, 0), (3, 3, 0)]);
        let (found, read) = find(&mut memo, &doc, &newer);
        assert_eq!(found, format!("{:?}", Glossary::of(&doc)));
        assert_eq!(read, 3);
    }

    #[test]
    fn a_renamed_term_is_looked_for_only_where_its_words_may_stand() {
        let text = "Title\n\n\"Fee\" means a sum.\n\n\"Bank\" means a bank. We waive the fees.\n\n\
                    Nothing but a \u{212a}ey here.\n\nA Charge is due.\n";
        let doc = Document::parse(text, Format::Plain);
        let old = facts(&doc, &[], &[]);
        let mut memo = Memo::default();
        assert_eq!(find(&mut memo, &doc, &old).1, 5);
        // The blocks that hold "fee" or "charge" in any case, and the
        // definition's, are read again; the terms after it are renumbered.
        let renamed = text.replace("\"Fee\"", "\"Charge\"");
        let doc = Document::parse(renamed.as_str(), Format::Plain);
        let new = facts(&doc, &old, &[(0, 0, 0), (2, 2, 3), (3, 3, 3), (4, 4, 3)]);
        let (found, read) = find(&mut memo, &doc, &new);
        assert_eq!(found, format!("{:?}", Glossary::of(&doc)));
        assert_eq!(read, 3);
        // A Kelvin sign is a "k" in lower case: every block is read again.
        let key = renamed.replace("\"Charge\"", "\"Key\"");
        let doc = Document::parse(key.as_str(), Format::Plain);
        let newer = facts(&doc, &new, &[(0, 0, 0), (2, 2, -3), (3, 3, -3), (4, 4, -3)]);
        let (found, read) = find(&mut memo, &doc, &newer);
        assert_eq!(found, format!("{:?}", Glossary::of(&doc)));
        assert_eq!(read, 5);
    }

    #[test]
    fn what_edited_blocks_held_is_dropped_in_time() {
        let fees = "The Fee and the fee. ".repeat(30);
        let mut text = format!("Title\n\n\"Fee\" means a charge.\n\n{fees}\n");
        let mut doc = Document::parse(text.as_str(), Format::Plain);
        let mut old = facts(&doc, &[], &[]);
        let mut memo = Memo::default();
        find(&mut memo, &doc, &old);
        for round in 0..30 {
            text.push('x');
            doc = Document::parse(text.as_str(), Format::Plain);
            old = facts(&doc, &old, &[(0, 0, 0), (1, 1, 0)]);
            let (found, read) = find(&mut memo, &doc, &old);
            assert_eq!(found, format!("{:?}", Glossary::of(&doc)), "round {round}");
            assert_eq!(read, 1);
        }
        // 30 rounds of 60 uses each were found; the store holds fewer.
        assert!(
            memo.store.found.len() < 30 * 60,
            "{}",
            memo.store.found.len()
        );
    }

    /// `doc`'s glossary as the checks of a document make it, as text, and
    /// whether it is the last one moved.
    fn glossary(
        memo: &mut Memo,
        doc: &Document,
        facts: &[BlockFacts],
        version: u64,
    ) -> (String, bool) {
        let ids: Vec<FactsId> = facts.iter().map(|f| f.id).collect();
        let titles = crate::rules::memo::HeadingTitles::default().of(doc, &ids);
        let (glossary, moved) = match memo.moved(doc, facts, &ids, version, &titles) {
            Some(glossary) => (glossary, true),
            None => {
                let definitions = facts.iter().enumerate().flat_map(|(i, f)| {
                    f.terms
                        .iter()
                        .flat_map(move |t| t.definitions.iter().map(move |d| (i, d)))
                });
                let mut glossary = Glossary::defined(doc, definitions);
                memo.find_uses(&mut glossary, doc, &ids);
                (glossary, false)
            }
        };
        let shown = format!("{glossary:?}");
        memo.keep(glossary, doc, version);
        (shown, moved)
    }

    const USES: &str = "Title\n\n\"Fee\" means a charge. \"Bank Account\" means an account.\n\n\
                        We waive the Fee, the fee and any Bank Account; the Late Charge and \
                        our Late Charge and the Late Charge.\n\nNo Fee applies to the Bank Account.\n";

    #[test]
    fn an_edit_that_changes_no_use_moves_the_last_glossary() {
        // (replaced, by, moved: the last glossary moved rather than made).
        let edits = [
            // Inside a block with uses, before and after them.
            ("We waive", "We often waive", true),
            ("Charge and our", "Charge, and our", true),
            // The title, which opens no definitions section.
            ("Title", "Our Title", true),
            // A use that votes on the term's case written another way, or
            // removed, the vote still the same.
            ("the fee and", "the Fee and", true),
            ("any Bank Account", "any account", true),
            // A use that does not vote added (it opens a sentence).
            ("No Fee applies", "No Fee applies. Fee again", true),
            // Beside a definition, in its meaning (a run of capitalised
            // words added), after it.
            ("means a charge", "means a small charge", true),
            ("small charge", "small charge under Other Rules", true),
            ("an account.", "an account. It is due.", true),
            ("an account.", "an account. A Fee and the fee.", true),
            // Uses that turn the vote: the term is written in lower case.
            (
                "It is due.",
                "It is due: the fee, the fee, the fee, the fee, the fee.",
                false,
            ),
            ("the fee, the fee,", "the Fee, the Fee,", false),
            // A definition's words, a definition added.
            ("\"Fee\" means", "\"Charge\" means", false),
            ("No Fee", "\"Rate\" means a rate. No Fee", false),
        ];
        replay_glossary(USES, &edits);
    }

    /// A term defined in capitals: every spelling of its uses votes on the
    /// case the document writes it in.
    #[test]
    fn an_edit_that_changes_no_spelling_of_a_term_in_capitals_moves_the_glossary() {
        let text = "Title\n\n\"LATE FEE\" means a fee paid late.\n\n\
                    We charge the Late Fee once, and the Late Fee again.\n\n\
                    The Late Fee is due. Pay the Late Fee.\n";
        let edits = [
            ("charge the", "charge you the", true),
            ("Pay the", "Please pay the", true),
            ("the Late Fee again", "the late fee again", false),
            ("pay the Late Fee", "pay the LATE FEE", false),
            ("once", "one time", true),
        ];
        replay_glossary(text, &edits);
    }

    /// Makes each edit `(replaced, by, moved)` to `text` in turn, checking
    /// that the glossary kept equals a fresh one, and was moved rather than
    /// made where `moved` says.
    fn replay_glossary(text: &str, edits: &[(&str, &str, bool)]) {
        let mut text = text.to_string();
        let mut doc = Document::parse(text.as_str(), Format::Plain);
        let mut old = facts(&doc, &[], &[]);
        let mut memo = Memo::default();
        assert!(!glossary(&mut memo, &doc, &old, 1).1);
        for (version, (replaced, by, moved)) in (2..).zip(edits.iter().copied()) {
            let at = text.find(replaced).unwrap();
            let edited = text.replacen(replaced, by, 1);
            let new = Document::parse(edited.as_str(), Format::Plain);
            // The blocks before the edit stay; those after it move.
            let grown = edited.len() as isize - text.len() as isize;
            let kept: Vec<(usize, usize, isize)> = (0..doc.blocks.len())
                .filter_map(|i| {
                    let b = doc.blocks[i].span;
                    let shown = |s: usize, d: isize| {
                        new.blocks.iter().position(|n| {
                            n.span.start as isize == s as isize + d && n.span.len() == b.len()
                        })
                    };
                    match (b.end <= at, b.start > at + replaced.len()) {
                        (true, _) => shown(b.start, 0).map(|n| (n, i, 0)),
                        (_, true) => shown(b.start, grown).map(|n| (n, i, grown)),
                        _ => None,
                    }
                })
                .collect();
            old = facts(&new, &old, &kept);
            let (found, was_moved) = glossary(&mut memo, &new, &old, version);
            assert_eq!(found, format!("{:?}", Glossary::of(&new)), "{by}");
            assert_eq!(was_moved, moved, "{by}");
            (text, doc) = (edited, new);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn the_defined_term_rules_after_edits_equal_a_fresh_check(
            edits in proptest::collection::vec(
                (0.0..1.0f64, 0.0..0.05f64, proptest::prop_oneof![
                    proptest::strategy::Just(String::new()),
                    proptest::strategy::Just("x".to_string()),
                    proptest::strategy::Just("the Fee ".to_string()),
                    proptest::strategy::Just("the fee ".to_string()),
                    proptest::strategy::Just("any Late Charge ".to_string()),
                    proptest::strategy::Just("\"Fee\" means money. ".to_string()),
                    proptest::strategy::Just("\n\n".to_string()),
                    proptest::strategy::Just("\n\nDefinitions\n\n".to_string()),
                    proptest::strategy::Just("\n\n## Definitions\n\n**Late Charge**: a sum.\n\n".to_string()),
                    proptest::strategy::Just("\n\n# Glossary x\n\n".to_string()),
                    proptest::strategy::Just("Bank Accounts ".to_string()),
                    proptest::strategy::Just("the LATE FEE ".to_string()),
                    proptest::strategy::Just("the late Fee ".to_string()),
                    "[a-zA-Z .\"\n]{0,8}",
                ]),
                1..12,
            ),
            markdown in proptest::prelude::any::<bool>(),
        ) {
            let format = if markdown { Format::Markdown } else { Format::Plain };
            let config = Config::parse(
                "select = [\"undefined-term\", \"unused-definition\", \"term-case\", \"conflicting-definition\"]",
                None,
            )
            .expect("the defined-term rules");
            let linter = Linter::new(&config);
            // The glossary kept, moved or made, equals one made afresh.
            let glossary = |checker: &mut IncrementalChecker, doc: &Document| {
                let kept = checker.memo_mut().glossary.get_mut().kept.as_ref();
                let kept = kept.map(|k| format!("{:?}", k.glossary));
                proptest::prop_assert_eq!(kept, Some(format!("{:?}", Glossary::of(doc))));
                Ok(())
            };
            // With a term defined in capitals, whose uses' spellings vote.
            let text = USES.repeat(3) + "\n\"LATE FEE\" means a fee paid late. Pay the Late Fee.\n\nThe Late Fee, the late fee.\n";
            crate::rules::testing::replay_edits_with(&linter, text, edits, format, glossary)?;
        }
    }

    proptest::proptest! {
        #[test]
        fn a_definitions_heading_is_told_in_any_case(
            title in "[a-zA-Z İ]{0,8}(Definition|GLOSSARY|defined Terms|Defined  terms|glosary)?[a-zé ]{0,5}",
        ) {
            let lower = title.to_lowercase();
            let expected = ["definition", "glossary", "defined terms"].iter().any(|w| lower.contains(w));
            proptest::prop_assert_eq!(is_definitions_heading(&title), expected);
        }
    }

    #[test]
    fn blocks_read_on_every_core_are_stored_as_read_one_after_another() {
        let mut text =
            String::from("Terms\n\n\"Service\" means the site. \"Fees\" means charges.\n\n");
        for n in 0..40 {
            text.push_str(&format!(
                "The Service and the Fees, Clause {n}. A Capital Run Here and the fees.\n\n"
            ));
        }
        let doc = Document::parse(text.as_str(), Format::Plain);
        let glossary = Glossary::of(&doc);
        let scanner = Scan::new(&glossary.forms());
        let indices: Vec<usize> = (0..doc.blocks.len()).collect();
        let read = |min_shared: usize| {
            let mut scans: Vec<Option<BlockScan>> = vec![None; doc.blocks.len()];
            let mut store = Store::default();
            read_blocks(&doc, &scanner, &indices, &mut scans, &mut store, min_shared);
            format!("{scans:?} {store:?}")
        };
        let alone = read(usize::MAX);
        // Every clause holds both terms.
        assert!(alone.matches("Seen {").count() >= 80, "{alone}");
        assert_eq!(read(1), alone);
    }
}
