use std::collections::HashSet;
use std::collections::hash_map::Entry;
use std::sync::LazyLock;

use crate::hashing::{FastMap, FastSet};

use crate::lexicon;
use crate::rules::memo::{FactsId, PerBlock};
use crate::rules::{
    BlockContext, BlockFacts, Category, Check, DocumentContext, Finding, Severity, declare_rule,
};
use crate::syntax::{BlockKind, Label, Span, Token, TokenKind, link_target};

declare_rule! {
    /// ## What it checks
    /// An acronym (two to six capital letters, plurals and possessives
    /// included) that the document never expands. Only the first unexpanded
    /// use in the body is reported. An expansion may come anywhere in the
    /// document, in any of the forms real texts use:
    ///
    /// - the long form with the acronym in parentheses or after a dash —
    ///   "Information and Communications Technology (ICT)", "… Act
    ///   (“CCPA”)", "Creative Commons Public License ("CCPL" or "License")",
    ///   "Centre National de la Recherche Scientifique - CNRS", "Free
    ///   Software Foundation -- short FSF --";
    /// - the acronym with its long form in parentheses, after a dash or a
    ///   colon — "ICT (information and communications technology)", "EUPL:
    ///   means the European Union Public License", a line of a definitions
    ///   section or glossary;
    /// - a definition — `"ICT" means …`, "ICT stands for …", "ICT shall
    ///   mean …";
    /// - the long form in capitalised words anywhere in the document
    ///   ("Uniform Resource Identifier" expands URI).
    ///
    /// Not reported either: acronyms every reader knows (the abbreviations
    /// of the built-in dictionary and `data/known-acronyms.txt`, which names
    /// the source of each group: popular licences such as GPL and MPL,
    /// standards bodies, UN agencies, ISO 4217 currency codes, time zones…),
    /// Roman numerals, text in capitals ("THE SOFTWARE IS PROVIDED"),
    /// headings and titles (they name; the body expands), names — an
    /// acronym followed by words that end a name ("RSA Data Security,
    /// Inc.", "the HDF Group", "NCSA Open Source License") or written in
    /// quotes as a term ("the names "EDG" and "EDG Toolkit"") —, parts of
    /// compounds written without spaces ("NRL/CCS", "TCP/IP", "FTL.TXT"),
    /// codes cited by title and section ("17 USC 101", "15 CFR Part 744"),
    /// tables, and the acronyms listed under `[acronyms] known` in
    /// `policylint.toml`.
    ///
    /// The rule's default severity is `info`: whether a reader needs an
    /// acronym spelled out is a matter of style and audience. A project
    /// that wants every acronym expanded raises it in `policylint.toml`:
    ///
    /// ```toml
    /// [severity]
    /// undefined-acronym = "warning"
    /// ```
    ///
    /// ## Why it matters
    /// Policies are read by people outside the team that wrote them: the
    /// public, regulators, courts. An acronym the reader cannot decode hides
    /// who is responsible for what ("appeals go to the TAC"), and an
    /// ambiguous one can change the meaning of an obligation.
    ///
    /// ## Example
    /// ```text
    /// Exceptions must be approved by the PGO.
    /// ```
    /// Expand it once: "the Privacy Governance Office (PGO)".
    pub static RULE = Rule {
        name: "undefined-acronym",
        category: Category::Style,
        severity: Severity::Info,
        summary: "An acronym that the document never expands",
        english_only: true,
        check: Check::Document { collect: Some(collect), check },
    };
}

/// What one block says about acronyms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// The first use of each acronym in the block that needs an expansion.
    pub uses: Vec<(String, Span)>,
    /// Acronyms the block expands.
    pub expanded: Vec<String>,
    /// The initials of the runs of capitalised words in the block, sorted:
    /// "Uniform Resource Identifier" expands URI wherever it stands.
    pub long_forms: Vec<Initials>,
}

/// The capital letters of an acronym, or the initials of a long form,
/// five bits a letter: a key that costs no allocation for each run of
/// capitalised words.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Initials(u32);

impl Initials {
    /// The longest acronym the rule reads.
    const MAX_LETTERS: usize = 6;

    /// The initials an acronym of two to six ASCII capitals spells.
    fn of(acronym: &str) -> Initials {
        acronym.bytes().fold(Initials(0), Initials::then)
    }

    fn then(self, capital: u8) -> Initials {
        Initials(self.0 << 5 | u32::from(capital - b'A' + 1))
    }
}

static BUILT_IN: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/known-acronyms.txt")
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(str::split_whitespace)
        .collect()
});

/// The words of `data/acronym-context.txt`.
struct Context {
    /// Words that end a name ("Inc", "Foundation", "License"), in any case.
    name_ends: Vec<&'static str>,
    /// Words that may stand inside a long form without giving it a letter.
    joins: HashSet<&'static str>,
}

static CONTEXT: LazyLock<Context> = LazyLock::new(|| {
    let mut context = Context {
        name_ends: Vec::new(),
        joins: HashSet::new(),
    };
    for line in include_str!("../../data/acronym-context.txt").lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once(' ') {
            Some(("name", word)) => context.name_ends.push(word),
            Some(("joins", word)) => {
                context.joins.insert(word);
            }
            _ => panic!("data/acronym-context.txt: bad line {line:?}"),
        }
    }
    context
});

/// A word that ends names: "Inc", "Foundation", "License"
/// (`data/acronym-context.txt`).
pub(crate) fn ends_a_name(word: &str) -> bool {
    CONTEXT
        .name_ends
        .iter()
        .any(|w| w.eq_ignore_ascii_case(word))
}

/// The most common SCOWL level at which a dictionary abbreviation counts
/// as universally known.
const KNOWN_LEVEL: u8 = 50;

fn collect(cx: &BlockContext<'_>, facts: &mut BlockFacts) {
    let text = cx.text();
    let tokens = &cx.tokens.tokens;
    let facts = &mut facts.acronyms;
    let bytes = text.as_bytes();
    collect_long_forms(text, tokens, &mut facts.long_forms);
    // A heading or a title names its subject; the body is where a reader
    // looks for the expansion. Tables list codes and identifiers (cookie
    // names, form fields).
    let names_only = matches!(
        cx.block.kind,
        BlockKind::Heading | BlockKind::Title | BlockKind::Table
    );
    // A block may name thousands of acronyms (a glossary, a table of codes).
    let mut used: HashSet<&str> = HashSet::new();
    let mut expanded: HashSet<&str> = HashSet::new();
    for (i, token) in tokens.iter().enumerate() {
        let capital = |k: usize| {
            bytes
                .get(token.span.start + k)
                .is_some_and(u8::is_ascii_uppercase)
        };
        if token.kind != TokenKind::Word || !capital(0) || !capital(1) {
            continue;
        }
        let Some(acronym) = acronym_of(token.text(text)) else {
            continue;
        };
        if is_expanded_at(text, tokens, i, acronym) {
            if expanded.insert(acronym) {
                facts.expanded.push(acronym.to_string());
            }
            continue;
        }
        if names_only
            || is_known(acronym)
            || in_capitals(text, tokens, i)
            || link_target(text, token.span).is_some()
            || in_compound(text, token.span)
            || quoted_as_a_term(text, tokens, i)
            || given_as_an_example(text, tokens, i)
            || part_of_a_name(text, tokens, i)
            || cites_a_code(text, tokens, i)
            || in_copyright_notice(text, tokens, i)
        {
            continue;
        }
        if used.insert(acronym) {
            facts.uses.push((acronym.to_string(), token.span));
        }
    }
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    let mut memo = cx.memo().undefined_acronym.lock();
    memo.follow(cx.facts, cx.ids());
    let known = &cx.settings.known_acronyms;
    let mut seen: FastSet<&str> = FastSet::default();
    let using = memo.blocks.where_kept(|kept| kept.uses);
    for (acronym, span) in using.flat_map(|i| &cx.facts[i].acronyms.uses) {
        if known.contains(acronym)
            || memo.expanded.contains_key(acronym)
            || memo.long_forms.contains_key(&Initials::of(acronym))
            || !seen.insert(acronym)
        {
            continue;
        }
        out.push(Finding::new(
            *span,
            format!("`{acronym}` is never expanded in this document"),
        ));
    }
}

/// What the rule keeps of the last check: what each block expands, and
/// how many blocks expand each acronym and spell each long form. Counting
/// every run of capitalised words again cost more than the rest of the
/// rule.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    blocks: PerBlock<Expands>,
    expanded: FastMap<String, u32>,
    long_forms: FastMap<Initials, u32>,
}

/// What one block expands.
#[derive(Debug)]
struct Expands {
    expanded: Vec<String>,
    long_forms: Vec<Initials>,
    /// Whether the block uses acronyms that need an expansion: the facts
    /// of the others are not read again.
    uses: bool,
}

impl Memo {
    /// Brings the counts up to the blocks of `facts`.
    fn follow(&mut self, facts: &[BlockFacts], ids: &[FactsId]) {
        /// Adds `by` to the count of `key`; a count that falls to none goes.
        fn count<K: Eq + std::hash::Hash>(counts: &mut FastMap<K, u32>, key: K, by: i32) {
            match counts.entry(key) {
                Entry::Occupied(mut n) => {
                    let now = n.get().checked_add_signed(by);
                    match now.expect("a block's count was added") {
                        0 => {
                            n.remove();
                        }
                        now => *n.get_mut() = now,
                    }
                }
                Entry::Vacant(n) => {
                    n.insert(u32::try_from(by).expect("a block's count was added"));
                }
            }
        }
        for gone in self.blocks.align(ids) {
            for a in gone.expanded {
                count(&mut self.expanded, a, -1);
            }
            for i in gone.long_forms {
                count(&mut self.long_forms, i, -1);
            }
        }
        for (i, kept) in self.blocks.made_anew() {
            let block = &facts[i].acronyms;
            for a in &block.expanded {
                count(&mut self.expanded, a.clone(), 1);
            }
            for &initials in &block.long_forms {
                count(&mut self.long_forms, initials, 1);
            }
            *kept = Some(Expands {
                expanded: block.expanded.clone(),
                long_forms: block.long_forms.clone(),
                uses: !block.uses.is_empty(),
            });
        }
    }
}

/// The acronym a word is: `API` for `APIs`, `API's`, `API’s`.
fn acronym_of(word: &str) -> Option<&str> {
    let bytes = word.as_bytes();
    if bytes.len() < 2 || !bytes[0].is_ascii_uppercase() || !bytes[1].is_ascii_uppercase() {
        return None;
    }
    let core = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .or_else(|| word.strip_suffix('s'))
        .unwrap_or(word);
    let ok = (2..=Initials::MAX_LETTERS).contains(&core.len())
        && core.bytes().all(|b| b.is_ascii_uppercase());
    ok.then_some(core)
}

fn is_known(acronym: &str) -> bool {
    BUILT_IN.contains(acronym)
        || lexicon::lookup(acronym).is_some_and(|e| e.level <= KNOWN_LEVEL)
        || is_small_roman_numeral(acronym)
        || is_common_word(&acronym.to_ascii_lowercase())
}

/// II, IV, XIV … up to LXXXIX: section and list numbers, not acronyms.
fn is_small_roman_numeral(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let numeral = crate::syntax::Numeral::Letters {
        text: lower.into(),
        upper: true,
    };
    numeral.roman().is_some_and(|v| v < 90)
}

/// An English word written in capitals for emphasis ("TERMS", "NOTICE").
fn is_common_word(lower: &str) -> bool {
    lexicon::lookup(lower).is_some_and(|e| e.level <= KNOWN_LEVEL)
}

/// Part of a passage in capitals: a neighbouring word is an English word in
/// capitals ("IN NO EVENT SHALL GITHUB BE LIABLE").
fn in_capitals(text: &str, tokens: &[Token], i: usize) -> bool {
    let shouted = |t: &Token| {
        let w = t.text(text);
        t.kind == TokenKind::Word
            && w.len() >= 2
            && w.bytes().all(|b| b.is_ascii_uppercase())
            && is_common_word(&w.to_ascii_lowercase())
    };
    let prev = tokens[..i].iter().rev().find(|t| t.kind == TokenKind::Word);
    let next = tokens[i + 1..].iter().find(|t| t.kind == TokenKind::Word);
    prev.is_some_and(shouted) || next.is_some_and(shouted)
}

/// Written against another word without a space: a path or a file name
/// ("FTL.TXT"), a pair of names ("NRL/CCS", "TCP/IP"), an address.
fn in_compound(text: &str, span: Span) -> bool {
    joined(text[..span.start].chars().rev()) || joined(text[span.end..].chars())
}

/// Whether the characters on one side of a word, nearest first, join it to
/// another word.
fn joined(mut side: impl Iterator<Item = char>) -> bool {
    match side.next() {
        Some('/' | '\\' | '@' | '_') => true,
        Some('.') => side.next().is_some_and(char::is_alphanumeric),
        _ => false,
    }
}

/// Quoted as a term or a name is mentioned: "the phrases "CUA", "CUA
/// Office" and "CUAPL"". The quotation may go on for a few capitalised
/// words.
fn quoted_as_a_term(text: &str, tokens: &[Token], i: usize) -> bool {
    let quote = |t: &Token| is_punct_in(text, t, "\"'“”‘’");
    if i == 0 || !quote(&tokens[i - 1]) || tokens[i - 1].span.end != tokens[i].span.start {
        return false;
    }
    tokens[i + 1..]
        .iter()
        .take(4)
        .find(|t| {
            !(t.kind == TokenKind::Number
                || (t.kind == TokenKind::Word
                    && t.text(text).starts_with(|c: char| c.is_ascii_uppercase())))
        })
        .is_some_and(quote)
}

/// One of the examples of a kind that the sentence names: "a performance
/// rights society (e.g. ASCAP, BMI, SESAC)", "device information such as
/// the operator and OEM".
fn given_as_an_example(text: &str, tokens: &[Token], i: usize) -> bool {
    let word = |k: usize, w: &str| {
        tokens
            .get(k)
            .is_some_and(|t| t.kind == TokenKind::Word && t.text(text).eq_ignore_ascii_case(w))
    };
    for k in (i.saturating_sub(12)..i).rev() {
        let t = &tokens[k];
        if t.kind == TokenKind::Punct && ".;:()".contains(t.text(text)) {
            // "e.g." ends in a period that ends no clause.
            return t.is_punct(text, '.') && k >= 3 && word(k - 1, "g") && word(k - 3, "e");
        }
        let marker = (word(k, "as") && k >= 1 && word(k - 1, "such"))
            || ((word(k, "example") || word(k, "instance")) && k >= 1 && word(k - 1, "for"));
        if marker {
            return true;
        }
    }
    false
}

/// A name: marked as a trademark ("TAO(TM)", "POSIX®"), or followed by at
/// most three capitalised words or numbers and a word that ends a name
/// ("RSA Data Security, Inc.", "the HDF Group", "NCSA Open Source
/// License").
fn part_of_a_name(text: &str, tokens: &[Token], i: usize) -> bool {
    let rest = &text[tokens[i].span.end..];
    if rest.starts_with(['™', '®']) || rest.starts_with("(TM)") || rest.starts_with("(R)") {
        return true;
    }
    let ends_a_name = |t: &Token| t.kind == TokenKind::Word && ends_a_name(t.text(text));
    let mut k = i + 1;
    while let Some(t) = tokens.get(k) {
        if ends_a_name(t) {
            return true;
        }
        if k > i + 3 {
            return false;
        }
        match t.kind {
            TokenKind::Word if t.text(text).starts_with(|c: char| c.is_ascii_uppercase()) => {}
            TokenKind::Number => {}
            // "Security, Inc."
            TokenKind::Punct if t.text(text) == "," => {
                return tokens.get(k + 1).is_some_and(ends_a_name);
            }
            _ => return false,
        }
        k += 1;
    }
    false
}

/// In a copyright notice, which names the holders: "Copyright 2001,
/// Patrick TJ McPhee", "Copyright 2007 TAPR".
fn in_copyright_notice(text: &str, tokens: &[Token], i: usize) -> bool {
    tokens[i.saturating_sub(16)..i]
        .iter()
        .rev()
        .take_while(|t| !is_punct_in(text, t, ".;!?"))
        .any(|t| t.text(text).eq_ignore_ascii_case("copyright") || t.text(text) == "©")
}

/// A code cited by title and section: "17 USC 101", "41 USC § 264", "15
/// CFR Part 744".
fn cites_a_code(text: &str, tokens: &[Token], i: usize) -> bool {
    let title = i
        .checked_sub(1)
        .is_some_and(|k| tokens[k].kind == TokenKind::Number);
    let section = tokens.get(i + 1).is_some_and(|t| {
        t.kind == TokenKind::Number
            || t.text(text) == "§"
            || (t.kind == TokenKind::Word && Label::from_word(t.text(text)).is_some())
    });
    title && section
}

/// Records the initials of every run of two to six capitalised words
/// ("Office of Management and Budget": OMB, and MB, OM…; a run's parts are
/// long forms too: "GNU General Public License" spells GPL).
fn collect_long_forms(text: &str, tokens: &[Token], out: &mut Vec<Initials>) {
    let mut run: Vec<u8> = Vec::new();
    for t in tokens {
        let w = t.text(text);
        let first = w.bytes().next().unwrap_or(b' ');
        if t.kind == TokenKind::Word && first.is_ascii_uppercase() {
            run.push(first);
        } else if !run.is_empty() && CONTEXT.joins.contains(w) {
            continue;
        } else {
            push_initials(&run, out);
            run.clear();
        }
    }
    push_initials(&run, out);
    out.sort_unstable();
    out.dedup();
}

fn push_initials(run: &[u8], out: &mut Vec<Initials>) {
    for start in 0..run.len() {
        let mut initials = Initials(0);
        for (n, &capital) in run[start..].iter().take(Initials::MAX_LETTERS).enumerate() {
            initials = initials.then(capital);
            if n > 0 {
                out.push(initials);
            }
        }
    }
}

const QUOTES: &str = "\"'“”‘’*_";

fn is_punct_in(text: &str, t: &Token, set: &str) -> bool {
    t.kind == TokenKind::Punct && t.text(text).chars().next().is_some_and(|c| set.contains(c))
}

/// A dash between words: "-", "--", "–", "—" (a hyphen inside a word is
/// part of the word's token).
fn is_dash(text: &str, t: &Token) -> bool {
    is_punct_in(text, t, "-–—")
}

/// Whether token `i` (the acronym) is expanded right here.
fn is_expanded_at(text: &str, tokens: &[Token], i: usize, acronym: &str) -> bool {
    // The first token after the acronym, its closing quotes and emphasis
    // (`**"NDA"** means`).
    let mut after = i + 1;
    while tokens
        .get(after)
        .is_some_and(|t| t.kind == TokenKind::Opaque || is_punct_in(text, t, QUOTES))
    {
        after += 1;
    }
    is_defined_at(text, tokens, after)
        || follows_its_long_form(text, tokens, i, acronym)
        || precedes_its_long_form(text, tokens, after, acronym)
}

/// A definition follows: `"ACR" means …`, `ACR: means …`, `ACR stands for
/// …`, `ACR shall mean …`.
fn is_defined_at(text: &str, tokens: &[Token], mut after: usize) -> bool {
    if tokens.get(after).is_some_and(|t| t.is_punct(text, ':')) {
        after += 1;
    }
    let word = |k: usize| {
        tokens
            .get(k)
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| t.text(text).to_ascii_lowercase())
    };
    match word(after).as_deref() {
        Some("means" | "mean" | "refers" | "stands" | "denotes") => true,
        Some("shall" | "will") => word(after + 1).as_deref() == Some("mean"),
        _ => false,
    }
}

/// "long form (ACR)", "long form ("ACR" or "Other")", "… Act (“CCPA”)",
/// "long form - ACR", "long form -- short ACR --".
fn follows_its_long_form(text: &str, tokens: &[Token], i: usize, acronym: &str) -> bool {
    // Inside parentheses: "( [collectively,] [the] ["]ACR["] … )".
    let open = tokens[..i]
        .iter()
        .rev()
        .take(12)
        .take_while(|t| !t.is_punct(text, ')'))
        .position(|t| t.is_punct(text, '('))
        .map(|k| i - 1 - k);
    if let Some(open) = open {
        let close = tokens[i + 1..]
            .iter()
            .take(8)
            .take_while(|t| !is_punct_in(text, t, "(.;"))
            .any(|t| t.is_punct(text, ')'));
        let quoted = is_punct_in(text, &tokens[i - 1], QUOTES);
        if close && (quoted || long_form_before(text, &tokens[..open], acronym)) {
            return true;
        }
    }
    // After a dash, with at most a word such as "short" in between.
    let dash = tokens[..i]
        .iter()
        .rev()
        .take(3)
        .take_while(|t| {
            t.kind == TokenKind::Word || is_punct_in(text, t, QUOTES) || is_dash(text, t)
        })
        .position(|t| is_dash(text, t))
        .map(|k| i - 1 - k);
    dash.is_some_and(|mut dash| {
        while dash > 0 && is_dash(text, &tokens[dash - 1]) {
            dash -= 1;
        }
        long_form_before(text, &tokens[..dash], acronym)
    })
}

/// "ACR (long form)", "ACR - long form", "ACR: long form", "ACR = long
/// form", or "ACR: means the long form"; `after` is the first token after
/// the acronym and its quotes.
fn precedes_its_long_form(text: &str, tokens: &[Token], after: usize, acronym: &str) -> bool {
    let Some(opener) = tokens.get(after) else {
        return false;
    };
    let in_parentheses = opener.is_punct(text, '(');
    if !in_parentheses && !is_dash(text, opener) && !is_punct_in(text, opener, ":=") {
        return false;
    }
    let inner: Vec<&str> = tokens[after + 1..]
        .iter()
        .take(LONG_FORM_TOKENS)
        .take_while(|t| !t.is_punct(text, ')') && (in_parentheses || !is_punct_in(text, t, ".;")))
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.text(text))
        .take(acronym.len() * 2 + 4)
        .collect();
    // The long form may follow words that introduce it: "ACR: means the …".
    let introduced = inner
        .iter()
        .position(|w| {
            !matches!(
                w.to_ascii_lowercase().as_str(),
                "means" | "stands" | "for" | "is" | "the" | "short"
            )
        })
        .unwrap_or(0);
    matches_long_form(&inner, acronym) || matches_long_form(&inner[introduced..], acronym)
}

/// How far back a long form may start, in tokens.
const LONG_FORM_TOKENS: usize = 160;

/// Whether the words before `tokens.len()` (in the same sentence, passing
/// over parenthetical remarks such as "(as amended)") spell out `acronym`.
fn long_form_before(text: &str, tokens: &[Token], acronym: &str) -> bool {
    let mut words: Vec<&str> = Vec::new();
    let mut depth = 0usize;
    // Long enough for a long form with a remark in it; bounded so that a
    // run of parentheses costs the same at every acronym.
    for t in tokens.iter().rev().take(LONG_FORM_TOKENS) {
        let s = t.text(text);
        match t.kind {
            TokenKind::Punct if s == ")" => depth += 1,
            TokenKind::Punct if s == "(" => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            TokenKind::Punct if depth == 0 && ".;:!?".contains(s) => break,
            TokenKind::Word if depth == 0 => words.push(s),
            _ => {}
        }
        if words.len() > acronym.len() * 2 + 3 {
            break;
        }
    }
    words.reverse();
    (0..words.len()).any(|start| matches_long_form(&words[start..], acronym))
}

/// Schwartz–Hearst style: the acronym's letters appear in order in the
/// words, its first letter at the start of the first word.
fn matches_long_form(words: &[&str], acronym: &str) -> bool {
    let Some(first) = words.first() else {
        return false;
    };
    let letters: Vec<char> = acronym.chars().map(|c| c.to_ascii_lowercase()).collect();
    if !first.to_lowercase().starts_with(letters[0]) {
        return false;
    }
    let long: String = words.join(" ").to_lowercase();
    let mut chars = long.chars();
    // Each later letter must be found, preferring word starts.
    letters.iter().all(|&l| chars.any(|c| c == l)) && words.len() >= letters.len().div_ceil(3)
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::Severity;
    use crate::rules::testing::{check, flagged, flagged_in, linter};
    use crate::syntax::Format;

    /// Whether `text` has nothing to report: a sentence with an unexpanded
    /// acronym is added to its last paragraph, and must be the only one
    /// reported (so a text the rule does not read cannot pass).
    fn passes(text: &str) -> bool {
        flagged(&RULE, &format!("{text} Exceptions need the XQZ.")) == ["XQZ"]
    }

    fn passes_in_markdown(text: &str) -> bool {
        let text = format!("{text}\nExceptions need the XQZ.\n");
        flagged_in(&RULE, &text, Format::Markdown) == ["XQZ"]
    }

    #[test]
    fn flags_the_first_use_of_an_unexpanded_acronym() {
        assert_eq!(
            flagged(
                &RULE,
                "Title\n\nThe PGO decides. The PGO's decision is final. Ask the PGOs."
            ),
            ["PGO"]
        );
        // Once a document, whichever paragraph uses it again.
        let d = check(
            &RULE,
            "Title\n\nThe PGO decides.\n\nThe PGO's decision is final.\n\nAsk the PGO.",
            Format::Plain,
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].span.start, "Title\n\nThe ".len());
    }

    #[test]
    fn reports_at_info_unless_the_configuration_raises_it() {
        use crate::config::Config;
        use crate::lint::Linter;
        use crate::syntax::Document;
        let doc = Document::parse("Title\n\nAsk the PGO.", Format::Plain);
        let d = check(&RULE, "Title\n\nAsk the PGO.", Format::Plain);
        assert_eq!(d[0].severity, Severity::Info);
        let config = Config::parse("[severity]\nundefined-acronym = \"warning\"", None).unwrap();
        let d = Linter::new(&config).check(&doc);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Warning);
    }

    #[test]
    fn expansions_anywhere_count() {
        assert!(passes(
            "Title\n\nThe ICT team decides.\n\nInformation and Communications Technology (ICT) matters."
        ));
        assert!(passes(
            "Title\n\nThe ICT (information and communications technology) team."
        ));
        assert!(passes(
            "Title\n\nThe Data Privacy Framework (“DPF”) applies to DPF data."
        ));
    }

    #[test]
    fn definitions_count() {
        assert!(passes(
            "Title\n\n“SOW” means a statement of work. Each SOW is signed."
        ));
        assert!(passes("Title\n\nSOW shall mean a statement of work."));
        assert!(passes(
            "Title\n\nEUPL: means the European Union Public License. Or the EUPL."
        ));
        assert!(passes_in_markdown(
            "# T\n\n**\"Microsoft NDA\"** means the agreement between us and Microsoft."
        ));
    }

    #[test]
    fn glossary_lines_count() {
        let glossary = "# Glossary\n\n- **PGO** — Privacy Governance Office\n- TAC: Technical Advisory Committee\n\nThe PGO and the TAC decide.";
        assert!(passes_in_markdown(glossary));
    }

    #[test]
    fn dashes_introduce_acronyms() {
        assert!(passes(
            "Title\n\nCentre National de la Recherche Scientifique - CNRS, a public body. CNRS agrees."
        ));
        assert!(passes(
            "Title\n\nThe Free Software Foundation -- short FSFE -- agrees. FSFE signs."
        ));
        assert!(passes(
            "Title\n\nThe Privacy Governance Office – PGO – decides."
        ));
    }

    #[test]
    fn long_forms_in_capitalised_words_anywhere_count() {
        assert!(passes(
            "Title\n\nInclude the Uniform Resource Identifier for this License. Unless such URI does not refer to it."
        ));
        assert!(passes(
            "Title\n\nTHIS CREATIVE COMMONS PUBLIC LICENSE (\"CCPL\" OR \"LICENSE\") applies.\n\nThe Work is licensed under the CCPL."
        ));
        assert!(passes(
            "Title\n\nThe Office of Management and Budget sets rules. OMB publishes them."
        ));
        // "and" gives no letter: these Terms and Conditions do not spell TAC.
        assert_eq!(
            flagged(
                &RULE,
                "Title\n\nThese Terms and Conditions apply. Ask the TAC."
            ),
            ["TAC"]
        );
    }

    #[test]
    fn quoted_definitions_and_remarks_in_between() {
        let text = "Title\n\nThe California Consumer Privacy Act of 2020 (as amended) (“CCPA”). CCPA rights.";
        assert!(passes(text));
        let text = "Title\n\nCal. Civ. Code §§1798.100 et seq. (\"CCPA\"); and CCPA.";
        assert!(passes(text));
        let text =
            "Title\n\nSo-called cookies (also known as “Local Shared Objects” or “LSOs”) exist.";
        assert!(passes(text));
    }

    #[test]
    fn linked_acronyms_pass() {
        assert!(passes_in_markdown(
            "# T\n\nSee [NAI](http://x.org) and [15 CFR 744](http://y) for the rules."
        ));
    }

    #[test]
    fn a_wrong_expansion_does_not_count() {
        assert_eq!(flagged(&RULE, "Title\n\nThe board (TAC) decides."), ["TAC"]);
        assert_eq!(
            flagged(&RULE, "Title\n\nThe board - TAC - decides."),
            ["TAC"]
        );
    }

    #[test]
    fn known_acronyms_numerals_and_capitals_pass() {
        assert!(passes(
            "Title\n\nThe UN, the EU and the US use AI and IT. See Part IV."
        ));
        assert!(passes(
            "Title\n\nIN NO EVENT SHALL GITHUB BE LIABLE. TERMS apply."
        ));
        assert!(passes(
            "Title\n\nUse it under the MIT, BSD, GPL, LGPL or MPL licences, OSI approved, GNU software."
        ));
        assert!(passes(
            "Title\n\nThe fee is 10 USD or 9 EUR. Article 11 of the WIPO Copyright Treaty applies."
        ));
    }

    #[test]
    fn configured_acronyms_pass() {
        use crate::config::Config;
        use crate::lint::Linter;
        use crate::syntax::Document;
        let config = Config::parse("[acronyms]\nknown = [\"PGO\"]", None).unwrap();
        let doc = Document::parse("Title\n\nAsk the PGO or the TAC.", Format::Plain);
        let d = Linter::new(&config).check(&doc);
        assert_eq!(d.len(), 1);
        assert_eq!(doc.slice(d[0].span), "TAC");
    }

    #[test]
    fn names_pass() {
        assert!(passes(
            "Title\n\nCopyright (C) 1991, RSA Data Security, Inc. Ask the HDF Group."
        ));
        assert!(passes(
            "Title\n\nSee the University of Illinois/NCSA Open Source License and TAO(TM)."
        ));
        assert!(passes(
            "Title\n\nDo not use the phrases \"CUA Office\", \"CUA\" or \"EDG\"."
        ));
        assert!(passes("Title\n\nCopyright 2001, Patrick TJ McPhee."));
        assert_eq!(flagged(&RULE, "Title\n\nThe PGO Board decides."), ["PGO"]);
    }

    #[test]
    fn compounds_citations_and_examples_pass() {
        assert!(passes(
            "Title\n\nNaval Research Laboratory (NRL/CCS) ported TCP/IP. Keep FTL.TXT intact."
        ));
        assert!(passes(
            "Title\n\nSee 17 USC 101, 41 USC § 264 and 15 CFR Part 744."
        ));
        assert!(passes(
            "Title\n\nA performance rights society (e.g. ASCAP, BMI, SESAC) collects. Device information such as the operator and OEM."
        ));
        assert_eq!(
            flagged(
                &RULE,
                "Title\n\nPursuant to DFAR Section 227.7202, the Government acquires it."
            ),
            ["DFAR"]
        );
    }

    #[test]
    fn headings_name_and_the_body_expands() {
        assert!(passes_in_markdown(
            "# PGO Policies\n\nWe decide on the policies."
        ));
        assert_eq!(
            flagged_in(
                &RULE,
                "# PGO Policies\n\nThe PGO decides.\n",
                Format::Markdown
            ),
            ["PGO"]
        );
    }

    #[test]
    fn tables_hold_identifiers_not_acronyms() {
        let text = "# T\n\n| Cookie | Use |\n|---|---|\n| MUID | tracking |\n";
        assert!(passes_in_markdown(text));
    }

    #[test]
    fn markdown_code_is_not_read() {
        assert!(passes_in_markdown("# T\n\nRun `XYZQ` now."));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Acronyms used, expanded and spelled out in long forms, edited
        /// anywhere: the findings equal a fresh check's after each edit
        /// (the rule keeps its counts from one check to the next).
        #[test]
        fn findings_after_edits_equal_a_fresh_check(
            edits in proptest::collection::vec(
                (0.0..1.0f64, 0.0..0.05f64, proptest::prop_oneof![
                    proptest::strategy::Just(String::new()),
                    proptest::strategy::Just("the PGO ".to_string()),
                    proptest::strategy::Just("the QRS ".to_string()),
                    proptest::strategy::Just("Privacy Governance Office ".to_string()),
                    proptest::strategy::Just("the Data Protection Officer (DPO) ".to_string()),
                    proptest::strategy::Just("\n\n".to_string()),
                    "[A-Za-z .()\n]{0,6}",
                ]),
                1..12,
            ),
            markdown in proptest::prelude::any::<bool>(),
        ) {
            let format = if markdown { Format::Markdown } else { Format::Plain };
            let text = "Title\n\nThe PGO and the DPO decide. Ask the XQZ.\n\n\
                        The Privacy Governance Office meets.\n\n\
                        A Data Protection Officer (DPO) is named.\n\n\
                        The QRS (Quality and Reporting Service) acts.\n\n"
                .repeat(3);
            crate::rules::testing::replay_edits(&linter(&RULE), text, edits, format)?;
        }
    }
}
