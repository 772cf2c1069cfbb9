use crate::hashing::{FastMap, FastSet};
use std::cell::OnceCell;
use std::sync::Arc;

use crate::lexicon::{self, COMMON_LEVEL, Dialect, Dictionary, Suggestion, dialect, in_case_of};
use crate::rules::memo::{FactsId, PerBlock};
use crate::rules::{
    BlockContext, BlockFacts, Category, Check, DocumentContext, Edit, Finding, Fix, Severity,
    declare_rule,
};
use crate::syntax::{BlockKind, Span, Token, TokenKind, is_latin};

declare_rule! {
    /// ## What it checks
    /// A word that is not in the dictionary (US English by default, British
    /// with `language = "en-GB"`). Absence from a word list alone is no
    /// evidence of a slip: names, terms of art and identifiers are absent
    /// too. So a word is reported as a **warning** only with evidence that
    /// it is a slip:
    ///
    /// - it is a known misspelling of a dictionary word (the list of the
    ///   `typos` spell checker, 85,000 pairs: "recieved", "declatory");
    /// - or it is used once in the document and is one edit (a letter
    ///   added, dropped, changed, or two swapped) from a common word (SCOWL
    ///   size 35), the first letter kept, and not merely its inflection or
    ///   its spelling in the other dialect ("retainl", "derrivations"). Short
    ///   strings are one edit from some word by chance: 47 % of the names
    ///   SCOWL lists of five letters are, 22 % of those of six, 5 % of those
    ///   of eight. So a word needs six letters, or five and a typing slip (a
    ///   neighbouring key, a doubled or undoubled letter, two letters
    ///   swapped: "noone"); a capitalised word, most often a name (Rosen,
    ///   Berne), needs nine letters ("Ampitheatre"), or seven and a typing
    ///   slip ("Ssection");
    /// - or it has five letters or more and is one edit, the first letter
    ///   kept, from a word this document uses three times or more, and at
    ///   least three times as often as the word and its inflections
    ///   ("Licensro" once, "Licensor" forty times);
    /// - or it is a dictionary word cut by a hyphen ("con-nection").
    ///
    /// The fix is safe when the evidence names exactly one word.
    ///
    /// A word without such evidence is reported once a document, at
    /// severity **info**, with how to add it to the dictionary; a word the
    /// document uses more than once (counting its inflections) is taken for
    /// a term. A capitalised word without evidence is taken for a name and
    /// not reported; neither is a word next to another unknown capitalised
    /// word ("Stichting Mathematisch Centrum"). The one unknown part of a
    /// hyphenated word is reported only when it is a known misspelling
    /// ("thrid-party"): most such compounds are names ("debian-policy").
    ///
    /// Accepted: inflections, possessives, contractions, hyphenated
    /// compounds (each part checked), words built with free prefixes
    /// ("cybersecurity", "noninfringement"), words made verbs or agent nouns
    /// ("actioned", "triagers"), and the vocabulary of law and licensing
    /// that SCOWL lacks ("grantor", "phonorecord"). A known misspelling is
    /// never taken for such a form ("untill" is no "un" + "till").
    ///
    /// Not checked: URLs, e-mail addresses, code, paths, file names, command options,
    /// kramdown attribute lists, numbers and words with digits, short words
    /// in capitals (acronyms), snake_case and CamelCase names, words in
    /// non-Latin scripts, one-word table cells, hyphenated names of which
    /// two parts are unknown ("dpkg-shlibdeps"). A spelling of the other
    /// dialect ("colour" in American English) is reported at severity info,
    /// as a matter of consistency. Words listed under `[dictionary]` in
    /// `policylint.toml` are never reported.
    ///
    /// ## Why it matters
    /// A misspelling in a policy is quoted with it for years, and readers
    /// take it as a sign that the text was not reviewed.
    ///
    /// ## Example
    /// ```text
    /// We will notify you of any change to the goverment request.
    /// ```
    /// "goverment" is a known misspelling of "government", and the only
    /// correction listed: the fix is safe.
    pub static RULE = Rule {
        name: "misspelling",
        category: Category::Spelling,
        severity: Severity::Warning,
        summary: "A misspelled word: a known misspelling, or one slip from a common word",
        english_only: true,
        check: Check::Document { collect: Some(collect), check },
    };
}

/// Suggestions offered at most.
const MAX_SUGGESTIONS: usize = 5;
/// The longest word in capitals taken for an acronym.
const MAX_ACRONYM: usize = 6;
/// A sentence with at least this many unknown words …
const FOREIGN_MIN_WORDS: usize = 3;
/// … making up at least this many tenths of its words is not English.
const FOREIGN_SHARE_TENTHS: usize = 4;
/// Different unknown words of one document searched for neighbours and
/// suggestions, in document order; the rest are judged without. A search
/// costs up to a millisecond a word, so a file of random letters (or of a
/// language the dictionary does not hold, in sentences too short to tell)
/// would otherwise take minutes, and no author reads a thousand suggestions.
const MAX_SEARCHED_WORDS: usize = 1_000;
/// The shortest word that a typing slip (a neighbouring key, a doubled or
/// undoubled letter, two letters swapped) from a common word marks as a
/// slip; most shorter strings are one edit from several words ("tex",
/// "cfg"). Computed on the names SCOWL lists, which are not slips: 14 % of
/// those of five letters are such a slip from a common word.
const MIN_SLIP_LETTERS: usize = 5;
/// The longest word searched for the words it may be a slip of: longer
/// than any word of the lexicon, and the search of a word's variants grows
/// with the square of its length.
const MAX_SLIP_LETTERS: usize = 40;
/// The shortest word that any one edit from a common word marks as a slip:
/// 47 % of the SCOWL names of five letters are one edit from a common word
/// ("sparc", "mailx" in a manual), 22 % of those of six.
const MIN_EDIT_LETTERS: usize = 6;
/// A capitalised word that is a typing slip from a common word, and this
/// long, is taken for a slip rather than a name: 2 % of the SCOWL names of
/// seven letters are such a slip from a common word, 7 % of those of six.
const MIN_CAPITALISED_SLIP: usize = 7;
/// A capitalised word one plain edit from a common word, and this long,
/// is taken for a slip: 2.5 % of the SCOWL names of nine letters are, 5 % of
/// those of eight, 22 % of those of six.
const MIN_CAPITALISED_EDIT: usize = 9;
/// Words shorter than this are not counted: they are no neighbours of the
/// words judged by their neighbours.
const MIN_COUNTED_BYTES: usize = 4;
/// A word of the document is "clearly more frequent" than an unknown word
/// one edit from it when used at least this many times …
const FREQUENT_USES: u32 = 3;
/// … and this many times as often as the unknown word and its inflections.
const FREQUENT_RATIO: u32 = 3;
/// Endings that make one word of another: a word and its inflections count
/// as one term ("blocklist", "blocklisted").
const INFLECTIONS: &[&str] = &["s", "es", "d", "ed", "ing", "r", "er", "ers"];

/// What a block tells about spelling.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// The words the dictionary lacks, in order.
    pub unknown: Vec<Unknown>,
    /// How often the block uses each word of four letters or more, by
    /// [`word_key`], sorted: the words an unknown word may be a slip of,
    /// counted in the document step (which keeps them while the block
    /// stays: shared, not copied).
    pub uses: Arc<[(u64, u32)]>,
}

/// A word of a block that the dictionary lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unknown {
    pub span: Span,
    pub word: String,
    /// Capitalised, small letters after the capital ("Rosen"): perhaps a
    /// name. A word in capitals is not, by that alone.
    pub capitalised: bool,
    /// Spelled right in the other dialect ("colour" in American English).
    pub other_dialect: bool,
    /// Starts with a capital, next to another such word the dictionary
    /// lacks: part of a name, or of a phrase in another language.
    pub in_name: bool,
    /// The only unknown part of a hyphenated word ("thrid" in
    /// "thrid-party"): reported only with evidence, since most such
    /// compounds are names ("debian-policy").
    pub in_compound: bool,
    /// The word without its hyphens, when that is a dictionary word and the
    /// part before the hyphen is no prefix ("con-nection").
    pub joined: Option<String>,
}

fn collect(cx: &BlockContext<'_>, facts: &mut BlockFacts) {
    let text = cx.text();
    let dictionary = &cx.settings.dictionary;
    // A word used twice in a block is looked up once.
    let mut seen: FastMap<&str, bool> = FastMap::default();
    // The keys of the words counted, sorted and counted at the end (faster
    // than counting them in a map as they come).
    let mut counted: Vec<u64> = Vec::new();
    let tokens = &cx.tokens.tokens;
    let out = &mut facts.misspellings;
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
            // The commonest words are told apart faster than they are hashed.
            let known = lexicon::is_frequent(word)
                || *seen.entry(word).or_insert_with(|| dictionary.knows(word));
            if word.len() >= MIN_COUNTED_BYTES {
                counted.push(word_key(word));
            }
            if !known && !is_identifier(text, token.span) {
                unknown.push(i);
            }
        }
        // A sentence mostly of unknown words is in another language.
        if unknown.len() >= FOREIGN_MIN_WORDS
            && unknown.len() * 10 >= checked * FOREIGN_SHARE_TENTHS
        {
            continue;
        }
        let unknown_capital =
            |k: usize| unknown.contains(&k) && tokens[k].text(text).starts_with(char::is_uppercase);
        for &i in &unknown {
            let span = tokens[i].span;
            let word = span.of(text);
            let capitalised = is_capitalised(word);
            let in_name = word.starts_with(char::is_uppercase)
                && ((i > 0 && unknown_capital(i - 1)) || unknown_capital(i + 1));
            if is_hyphenated(word) {
                out.unknown.extend(compound(dictionary, span, word));
                continue;
            }
            out.unknown.push(Unknown {
                span,
                word: word.to_string(),
                capitalised,
                other_dialect: dictionary.knows_in_other_dialect(word),
                in_name,
                in_compound: false,
                joined: None,
            });
        }
    }
    counted.sort_unstable();
    out.uses = counted
        .chunk_by(|a, b| a == b)
        .map(|same| (same[0], u32::try_from(same.len()).unwrap_or(u32::MAX)))
        .collect();
}

/// What an unknown hyphenated word at `span` contributes: itself, if it is
/// a dictionary word cut by a hyphen; its one unknown part; or nothing, when
/// two or more parts are unknown (the name of a tool or a package).
fn compound(dictionary: &Dictionary, span: Span, word: &str) -> Option<Unknown> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in word.char_indices().filter(|&(_, c)| is_hyphen(c)) {
        parts.push(&word[start..i]);
        start = i + c.len_utf8();
    }
    parts.push(&word[start..]);
    let joined: String = parts.concat();
    if !lexicon::is_prefix(parts[0]) && dictionary.knows(&joined) {
        return Some(Unknown {
            span,
            word: word.to_string(),
            capitalised: false,
            other_dialect: false,
            in_name: false,
            in_compound: false,
            joined: Some(joined),
        });
    }
    let mut unknown_parts = parts.iter().filter(|part| !dictionary.knows(part));
    let part = *unknown_parts.next()?;
    if unknown_parts.next().is_some() || !is_checked(part) {
        return None;
    }
    // `part` is a slice of `word`, which starts at `span.start`.
    let offset = part.as_ptr() as usize - word.as_ptr() as usize;
    Some(Unknown {
        span: Span::new(span.start + offset, span.start + offset + part.len()),
        word: part.to_string(),
        capitalised: is_capitalised(part),
        other_dialect: false,
        in_name: false,
        in_compound: true,
        joined: None,
    })
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    report(cx, out, MAX_SEARCHED_WORDS);
}

/// Why an unknown word is taken for a slip, and for a slip of what.
#[derive(Clone, Debug, PartialEq)]
enum Evidence {
    /// A known misspelling of these words.
    KnownTypo(Vec<String>),
    /// One edit from these common words.
    NearCommon(Vec<String>),
    /// One edit from a word the document uses this many times.
    NearFrequent(String, u32),
    /// A dictionary word cut by a hyphen.
    Cut(String),
}

impl Evidence {
    fn candidates(&self) -> Vec<&str> {
        match self {
            Evidence::KnownTypo(words) | Evidence::NearCommon(words) => {
                words.iter().map(String::as_str).collect()
            }
            Evidence::NearFrequent(word, _) | Evidence::Cut(word) => vec![word.as_str()],
        }
    }

    fn message(&self, word: &str) -> String {
        match self {
            Evidence::KnownTypo(words) => {
                format!(
                    "`{word}` is a common misspelling of `{}`",
                    words.join("` or `")
                )
            }
            Evidence::NearCommon(words) => format!(
                "`{word}` is not in the dictionary and is one letter from `{}`",
                words.join("` or `")
            ),
            Evidence::NearFrequent(near, uses) => format!(
                "`{word}` is not in the dictionary and is one letter from `{near}`, which this document uses {uses} times"
            ),
            Evidence::Cut(joined) => {
                format!("`{word}` is `{joined}` cut by a hyphen")
            }
        }
    }
}

/// What the document step knows of one unknown word (its lower-case form).
struct Judged<'a> {
    /// Uses of the word and of its inflections.
    family: u32,
    evidence: Option<Evidence>,
    suggestions: &'a [Suggestion],
}

/// The findings, searching neighbours and suggestions for the first
/// `searched_words` different words.
fn report(cx: &DocumentContext<'_>, out: &mut Vec<Finding>, searched_words: usize) {
    let mut memo = cx.memo().misspelling.lock();
    let memo = &mut *memo;
    memo.follow(cx.facts, cx.ids());
    let dictionary = &cx.settings.dictionary;
    let Memo {
        blocks,
        frequent,
        words,
    } = memo;
    // Only the facts of the blocks with unknown words are read: the facts
    // of every block are many, and large.
    let unknown: Vec<&Unknown> = blocks
        .where_kept(|kept| kept.has_unknown)
        .flat_map(|i| &cx.facts[i].misspellings.unknown)
        .collect();
    words.follow(unknown.iter().map(|u| u.word.as_str()), dictionary);
    let words = &*words;
    let lexical: Vec<&Lexical> = unknown.iter().map(|u| words.of(&u.word)).collect();
    let mut uses: FastMap<u64, u32> = FastMap::default();
    for l in &lexical {
        *uses.entry(l.key).or_default() += 1;
    }
    let mut judged: FastMap<u64, Judged<'_>> = FastMap::default();
    let mut searched = 0;
    let mut noted: FastSet<u64> = FastSet::default();
    for (&u, l) in unknown.iter().zip(lexical) {
        let key = l.key;
        let j = judged.entry(key).or_insert_with(|| {
            // Uses of the word and of the unknown words that are its
            // inflections or of which it is one ("symlink", "symlinks").
            let family = l.relatives.iter().filter_map(|r| uses.get(r)).sum();
            let search = searched < searched_words;
            searched += usize::from(search);
            let evidence = evidence(u, l, family, search, dictionary, cx.facts, frequent);
            // A term used again and again needs no suggestions, nor a
            // spelling of the other dialect (it has its counterpart).
            let suggestions = if search && !u.other_dialect && (evidence.is_some() || family == 1) {
                l.suggestions(&u.word, dictionary)
            } else {
                &[]
            };
            Judged {
                family,
                evidence,
                suggestions,
            }
        });
        if u.other_dialect {
            out.push(other_dialect(u, dictionary.dialect()));
            continue;
        }
        match &j.evidence {
            Some(evidence) if !u.in_name => out.push(slip(u, evidence, j.suggestions)),
            _ if u.capitalised || u.in_name || u.in_compound => {}
            // Noted once a document, with its inflections, at the first use.
            _ => {
                if !noted.contains(&key) {
                    noted.extend(&l.relatives);
                    out.push(not_in_dictionary(u, j));
                }
            }
        }
    }
    frequent
        .near
        .retain(|_, near| std::mem::take(&mut near.asked));
}

/// The evidence that `u`, used with its inflections `family` times in the
/// document, is a slip; `search` allows the searches that cost time.
fn evidence(
    u: &Unknown,
    lexical: &Lexical,
    family: u32,
    search: bool,
    dictionary: &Dictionary,
    facts: &[BlockFacts],
    frequent: &mut Frequent,
) -> Option<Evidence> {
    if let Some(joined) = &u.joined {
        return Some(Evidence::Cut(joined.clone()));
    }
    if !lexical.typo.is_empty() {
        return Some(Evidence::KnownTypo(lexical.typo.clone()));
    }
    // A part of a compound needs more: most such compounds are names or
    // terms ("dpkg-source", "dramatico-musical").
    let letters = u.word.chars().filter(|c| c.is_alphabetic()).count();
    if u.in_compound || !search || !(MIN_SLIP_LETTERS..=MAX_SLIP_LETTERS).contains(&letters) {
        return None;
    }
    // "francis", "european": a name or a word in the wrong case, not a slip.
    if lexical.in_other_case {
        return None;
    }
    if family == 1 {
        let near = lexical.near_common(&u.word, letters, dictionary.dialect());
        if !near.is_empty() {
            return Some(Evidence::NearCommon(near.to_vec()));
        }
    }
    frequent
        .near_frequent(facts, &u.word, family)
        .map(|(near, uses)| Evidence::NearFrequent(near, uses))
}

/// What the rule keeps of the last check: how often the document uses each
/// word, the words found one edit from unknown words, and what the lexicon
/// says of each unknown word.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    blocks: PerBlock<Kept>,
    frequent: Frequent,
    words: Words,
}

/// What the rule keeps of one block.
#[derive(Debug)]
struct Kept {
    /// How often the block uses each word, to take out of the document's
    /// counts when the block goes.
    uses: Arc<[(u64, u32)]>,
    /// Whether the block has unknown words: the facts of the others are
    /// not read again.
    has_unknown: bool,
}

/// How often the document uses each word, and the words of the document
/// found one edit from unknown words.
#[derive(Debug, Default)]
struct Frequent {
    /// How often the document uses each word, once a check needed it.
    counts: Option<FastMap<u64, u32>>,
    /// What [`near_frequent`] found for a word and its family's uses.
    near: FastMap<(String, u32), Near>,
}

#[derive(Debug)]
struct Near {
    found: Option<(String, u32)>,
    /// The keys of the words one edit from the word, sorted: what was found
    /// holds while their counts do.
    keys: Vec<u64>,
    /// Asked for in this check.
    asked: bool,
}

impl Memo {
    /// Brings the counts up to the blocks of `facts`, and forgets what was
    /// found near words whose neighbours' counts changed.
    fn follow(&mut self, facts: &[BlockFacts], ids: &[FactsId]) {
        let removed = self.blocks.align(ids);
        let frequent = &mut self.frequent;
        let mut changed: Vec<u64> = Vec::new();
        for Kept { uses, .. } in &removed {
            if let Some(counts) = &mut frequent.counts {
                for &(key, n) in uses.iter() {
                    if let Some(count) = counts.get_mut(&key) {
                        *count -= n;
                        if *count == 0 {
                            counts.remove(&key);
                        }
                    }
                }
            }
            changed.extend(uses.iter().map(|&(key, _)| key));
        }
        for (i, kept) in self.blocks.made_anew() {
            let block = &facts[i].misspellings;
            if let Some(counts) = &mut frequent.counts {
                for &(key, n) in block.uses.iter() {
                    *counts.entry(key).or_default() += n;
                }
            }
            if !frequent.near.is_empty() {
                changed.extend(block.uses.iter().map(|&(key, _)| key));
            }
            *kept = Some(Kept {
                uses: block.uses.clone(),
                has_unknown: !block.unknown.is_empty(),
            });
        }
        changed.sort_unstable();
        changed.dedup();
        frequent.near.retain(|_, near| {
            changed
                .iter()
                .all(|key| near.keys.binary_search(key).is_err())
        });
    }
}

impl Frequent {
    /// [`near_frequent`] of `word` in the document of `facts`.
    fn near_frequent(
        &mut self,
        facts: &[BlockFacts],
        word: &str,
        family: u32,
    ) -> Option<(String, u32)> {
        let key = (word.to_string(), family);
        if let Some(near) = self.near.get_mut(&key) {
            near.asked = true;
            return near.found.clone();
        }
        let counts = self.counts.get_or_insert_with(|| document_counts(facts));
        let (found, keys) = near_frequent(word, family, counts);
        self.near.insert(
            key,
            Near {
                found: found.clone(),
                keys,
                asked: true,
            },
        );
        found
    }
}

/// What the lexicon says of the unknown words of the document, kept while
/// the document uses them: each check judges every unknown word again
/// (its uses change), but what the lexicon says of it does not.
///
/// The memo is of one checker, whose settings do not change (the server
/// makes a new one when the configuration changes): the dictionary is the
/// same at every check.
#[derive(Debug, Default)]
struct Words {
    of: FastMap<String, Lexical>,
}

/// What the lexicon says of one word, whatever the document around it.
#[derive(Debug)]
struct Lexical {
    /// [`word_key`] of the word: the words counted as one.
    key: u64,
    /// The keys of the [`relatives`] of the word's [`lower_stem`]: keys,
    /// not words, since a document of made-up words has thousands.
    relatives: Vec<u64>,
    /// The words it is a known misspelling of.
    typo: Vec<String>,
    /// Known in another case ("francis", "european").
    in_other_case: bool,
    /// [`near_common`], searched when first needed.
    near_common: OnceCell<Vec<String>>,
    /// The dictionary's suggestions, searched when first needed.
    suggestions: OnceCell<Vec<Suggestion>>,
    /// Used in the document at the last check.
    used: bool,
}

impl Words {
    /// Keeps what is known of `used`, the unknown words of the document,
    /// and forgets the words it no longer uses.
    fn follow<'w>(&mut self, used: impl Iterator<Item = &'w str>, dictionary: &Dictionary) {
        for word in used {
            match self.of.get_mut(word) {
                Some(lexical) => lexical.used = true,
                None => {
                    self.of
                        .insert(word.to_string(), Lexical::new(word, dictionary));
                }
            }
        }
        self.of.retain(|_, l| std::mem::take(&mut l.used));
    }

    /// What is known of `word`, one of the words [`Words::follow`] was given.
    fn of(&self, word: &str) -> &Lexical {
        &self.of[word]
    }
}

impl Lexical {
    fn new(word: &str, dictionary: &Dictionary) -> Lexical {
        Lexical {
            key: word_key(word),
            relatives: relatives(&lower_stem(word))
                .iter()
                .map(|r| word_key(r))
                .collect(),
            typo: dictionary.typo_corrections(word),
            in_other_case: dictionary.knows_in_other_case(word),
            near_common: OnceCell::new(),
            suggestions: OnceCell::new(),
            used: true,
        }
    }

    fn near_common(&self, word: &str, letters: usize, dialect: Dialect) -> &[String] {
        self.near_common
            .get_or_init(|| near_common(word, is_capitalised(word), letters, dialect))
    }

    fn suggestions(&self, word: &str, dictionary: &Dictionary) -> &[Suggestion] {
        self.suggestions
            .get_or_init(|| dictionary.suggest(word, MAX_SUGGESTIONS))
    }
}

/// Common words one edit from `word`, with its first letter, that make it a
/// likely slip, in `word`'s case: the commonest first. None when one of
/// them is `word` in the other dialect's spelling ("utilising" and
/// "utilizing": the lexicon lacks a form, the writer made no slip).
fn near_common(word: &str, capitalised: bool, letters: usize, dialect: Dialect) -> Vec<String> {
    let lower = word.to_lowercase();
    let first = lower.chars().next();
    let (min_slip, min_edit) = if capitalised {
        (MIN_CAPITALISED_SLIP, MIN_CAPITALISED_EDIT)
    } else {
        (MIN_SLIP_LETTERS, MIN_EDIT_LETTERS)
    };
    let neighbours = lexicon::neighbours(word, dialect);
    if neighbours
        .iter()
        .any(|n| dialect::are_variants(&lower, &n.word))
    {
        return Vec::new();
    }
    let mut near: Vec<_> = neighbours
        .into_iter()
        .filter(|n| n.level <= COMMON_LEVEL && n.word.chars().next() == first)
        // "franc's" is no slip of "francis", nor "europeans" of "european".
        .filter(|n| !n.word.contains('\'') && !are_inflections(&lower, &n.word))
        .filter(|n| letters >= min_edit || (n.slip && letters >= min_slip))
        .collect();
    // The dialect's own spelling first, then the commoner word.
    near.sort_by_key(|n| (!n.in_dialect, n.level, !n.slip));
    near.into_iter()
        .map(|n| in_case_of(word, &n.word))
        .collect()
}

/// The word of the document, one edit from `word` (the first letter kept,
/// and not only a letter more or less at the end, which makes an
/// inflection), that is used clearly more often than `word`'s `family`;
/// and the keys of the words one edit from `word`, sorted.
fn near_frequent(
    word: &str,
    family: u32,
    counts: &FastMap<u64, u32>,
) -> (Option<(String, u32)>, Vec<u64>) {
    let own = word.to_lowercase();
    let lower: Vec<char> = own.chars().collect();
    let needed = FREQUENT_USES.max(FREQUENT_RATIO * family);
    let mut best: Option<(String, u32)> = None;
    let mut candidate = String::with_capacity(word.len() + 4);
    let mut keys = Vec::new();
    let mut consider = |chars: &mut dyn Iterator<Item = char>| {
        candidate.clear();
        candidate.extend(chars);
        let key = word_key(&candidate);
        keys.push(key);
        let uses = counts.get(&key).copied().unwrap_or(0);
        if uses >= needed
            && best.as_ref().is_none_or(|(_, b)| uses > *b)
            && !are_inflections(&own, &candidate)
        {
            best = Some((candidate.clone(), uses));
        }
    };
    let n = lower.len();
    for i in 1..n {
        // Dropped, except the last letter.
        if i + 1 < n {
            consider(&mut lower[..i].iter().chain(&lower[i + 1..]).copied());
        }
        // Swapped with the next.
        if i + 1 < n {
            let swapped = [lower[i + 1], lower[i]];
            consider(
                &mut lower[..i]
                    .iter()
                    .chain(&swapped)
                    .chain(&lower[i + 2..])
                    .copied(),
            );
        }
        for c in 'a'..='z' {
            // Changed.
            if c != lower[i] {
                let one = [c];
                consider(
                    &mut lower[..i]
                        .iter()
                        .chain(&one)
                        .chain(&lower[i + 1..])
                        .copied(),
                );
            }
            // Added before letter `i`.
            let one = [c];
            consider(&mut lower[..i].iter().chain(&one).chain(&lower[i..]).copied());
        }
    }
    keys.sort_unstable();
    keys.dedup();
    (
        best.map(|(near, uses)| (in_case_of(word, &near), uses)),
        keys,
    )
}

/// How often the document uses each word.
fn document_counts(facts: &[BlockFacts]) -> FastMap<u64, u32> {
    let mut counts: FastMap<u64, u32> = FastMap::default();
    for (key, n) in facts.iter().flat_map(|f| f.misspellings.uses.iter()) {
        *counts.entry(*key).or_default() += n;
    }
    counts
}

/// `key` and the forms of the words it may be an inflection of.
fn relatives(key: &str) -> Vec<String> {
    let mut relatives: Vec<String> = stems(key).flat_map(|stem| inflected(&stem)).collect();
    relatives.sort_unstable();
    relatives.dedup();
    relatives
}

/// Whether `a` and `b` (in lower case) are forms of one word.
fn are_inflections(a: &str, b: &str) -> bool {
    stems(a).any(|stem| inflected(&stem).iter().any(|form| form == b))
}

/// The words `word` may be an inflection of, itself included: "license"
/// for "licensed", "licenses" and "licensing".
fn stems(word: &str) -> impl Iterator<Item = String> + '_ {
    let stripped = INFLECTIONS
        .iter()
        .filter_map(|ending| word.strip_suffix(ending))
        .filter(|stem| stem.len() >= 3)
        .flat_map(|stem| [stem.to_string(), format!("{stem}e")])
        .filter(move |stem| inflected(stem).iter().any(|form| form == word));
    std::iter::once(word.to_string()).chain(stripped)
}

/// `stem` and its inflections: "deconfigure", "deconfigures",
/// "deconfigured", "deconfiguring" …
fn inflected(stem: &str) -> Vec<String> {
    let forms = INFLECTIONS
        .iter()
        .map(|ending| match stem.strip_suffix('e') {
            Some(without_e) if ending.starts_with(['e', 'i']) => format!("{without_e}{ending}"),
            _ => format!("{stem}{ending}"),
        });
    std::iter::once(stem.to_string()).chain(forms).collect()
}

/// The word in lower case without a possessive ending.
fn lower_stem(word: &str) -> String {
    let lower = word.to_lowercase().replace('\u{2019}', "'");
    match lower
        .strip_suffix("'s")
        .or_else(|| lower.strip_suffix('\''))
    {
        Some(stem) => stem.to_string(),
        None => lower,
    }
}

/// A 64-bit FNV-1a hash of `word` in lower case, without a possessive
/// ending (as [`lower_stem`] gives it, but without allocating: it is taken
/// of every word of every block). Stable across runs, so that the facts of
/// a block compare equal however they were made.
fn word_key(word: &str) -> u64 {
    let stem = ["'s", "\u{2019}s", "'S", "\u{2019}S", "'", "\u{2019}"]
        .iter()
        .find_map(|ending| word.strip_suffix(ending))
        .unwrap_or(word);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut add = |b: u8| hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    if stem.is_ascii() {
        stem.bytes().for_each(|b| add(b.to_ascii_lowercase()));
        return hash;
    }
    let mut buffer = [0; 4];
    for c in stem.chars().flat_map(char::to_lowercase) {
        let c = if c == '\u{2019}' { '\'' } else { c };
        c.encode_utf8(&mut buffer).bytes().for_each(&mut add);
    }
    hash
}

fn other_dialect(u: &Unknown, dialect: Dialect) -> Finding {
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
    // Only the same word respelled: the nearest word of this dialect may be
    // another word ("catalogue" is one edit from "catalog's").
    if let Some(own) = lexicon::dialect::counterpart(&u.word, dialect) {
        finding = finding
            .with_suggestion(own.clone())
            .with_fix(Fix::unsafe_(vec![Edit::replace(u.span, own)]));
    }
    finding
}

/// A warning: `u` is a slip, for the reason `evidence` gives.
fn slip(u: &Unknown, evidence: &Evidence, suggestions: &[Suggestion]) -> Finding {
    let candidates = evidence.candidates();
    let mut finding = Finding::new(u.span, evidence.message(&u.word));
    for c in &candidates {
        finding = finding.with_suggestion(*c);
    }
    for s in suggestions {
        if finding.suggestions.len() >= MAX_SUGGESTIONS {
            break;
        }
        if !finding.suggestions.contains(&s.word) {
            finding = finding.with_suggestion(s.word.clone());
        }
    }
    if let Some(best) = candidates.first() {
        let edit = Edit::replace(u.span, *best);
        let fix = if candidates.len() == 1 {
            Fix::safe(vec![edit])
        } else {
            Fix::unsafe_(vec![edit])
        };
        finding = finding.with_fix(fix);
    }
    finding
}

/// A note: `u` is not in the dictionary, with nothing to show it is a slip.
fn not_in_dictionary(u: &Unknown, j: &Judged) -> Finding {
    let message = if j.family > 1 {
        format!(
            "`{}` is not in the dictionary; used {} times here, it is taken for a term (if it is spelled right, add it to `[dictionary] words` in policylint.toml)",
            u.word, j.family
        )
    } else {
        format!(
            "`{}` is not in the dictionary (if it is spelled right, add it to `[dictionary] words` in policylint.toml)",
            u.word
        )
    };
    let mut finding = Finding::new(u.span, message).with_severity(Severity::Info);
    for s in j.suggestions {
        finding = finding.with_suggestion(s.word.clone());
    }
    if let Some(best) = j.suggestions.first() {
        finding = finding.with_fix(Fix::unsafe_(vec![Edit::replace(u.span, best.word.clone())]));
    }
    finding
}

/// Whether the word at `span` is glued to the punctuation of a path, a
/// command option, a variable, a placeholder or a file name
/// (`debian/control`, `-tudeb`, `$HOME`, `<package>`, `update-rc.d`): then
/// it is part of an identifier, not a word of the prose.
fn is_identifier(text: &str, span: Span) -> bool {
    let mut before = text[..span.start].chars().rev();
    let mut after = text[span.end..].chars();
    let (b1, b2) = (before.next(), before.next());
    let (a1, a2) = (after.next(), after.next());
    let option = b1 == Some('-')
        && b2.is_none_or(|c| c.is_whitespace() || matches!(c, '-' | '(' | '[' | '"' | '\''));
    let file_name = a1 == Some('.') && a2.is_some_and(|c| c.is_alphanumeric());
    option
        || file_name
        || matches!(
            b1,
            Some('/' | '\\' | '$' | '%' | '~' | '<' | '=' | '_' | '@' | '#')
        )
        || matches!(a1, Some('/' | '\\' | '=' | '_' | '>' | '('))
}

/// Capitalised with small letters after ("Rosen", not "ROSEN").
fn is_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

fn is_hyphenated(word: &str) -> bool {
    word.contains(is_hyphen)
}

/// Token `i` has no other token in its table cell: the cells' texts are
/// separate runs, with an opaque token between them.
fn alone_in_cell(tokens: &[Token], i: usize) -> bool {
    let apart = |t: Option<&Token>| t.is_none_or(|t| t.kind == TokenKind::Opaque);
    apart(i.checked_sub(1).map(|k| &tokens[k])) && apart(tokens.get(i + 1))
}

/// Whether the rule reads `word` at all.
fn is_checked(word: &str) -> bool {
    // One pass over the word decides most words.
    let (mut letters, mut capitals, mut camel, mut after_lower) = (0, 0, false, false);
    for c in word.chars() {
        if c.is_ascii_digit() || (c.is_alphabetic() && !is_latin(c)) {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
        if c.is_uppercase() {
            capitals += 1;
            // CamelCase: a capital after a small letter ("GitHub", "iPhone").
            camel |= after_lower;
        }
        after_lower = c.is_lowercase();
    }
    if letters < 2 || camel {
        return false;
    }
    // Acronyms, with a plural or possessive: "NHTSB", "APIs", "GIF's".
    let core = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .or_else(|| word.strip_suffix('s'))
        .filter(|c| c.chars().all(char::is_uppercase))
        .unwrap_or(word);
    let (core_letters, core_capitals) = if core.len() == word.len() {
        (letters, capitals)
    } else {
        // A core in capitals: every letter of it is a capital.
        (capitals, capitals)
    };
    if core_capitals == core_letters && core_letters <= MAX_ACRONYM {
        return false;
    }
    // Mixed case with several capitals is a name: "OAuth", "McDonald".
    !(core_capitals >= 2 && core_capitals < core_letters)
}

#[cfg(test)]
mod tests {
    use super::{RULE, lower_stem, report, word_key};
    use crate::config::Config;
    use crate::lint::Linter;
    use crate::lint::incremental::IncrementalChecker;
    use crate::rules::testing::{check, flagged, flagged_after_edits, flagged_in};
    use crate::rules::{Diagnostic, DocumentContext, Settings, Severity};
    use crate::syntax::{Document, Format};

    /// The flagged text and severity of each finding.
    fn judged(text: &str) -> Vec<(String, Severity)> {
        judged_in(text, Format::Plain)
    }

    fn judged_in(text: &str, format: Format) -> Vec<(String, Severity)> {
        let doc = Document::parse(text, format);
        check(&RULE, text, format)
            .iter()
            .map(|d: &Diagnostic| (doc.slice(d.span).to_string(), d.severity))
            .collect()
    }

    fn warned(text: &str) -> Vec<String> {
        judged(text)
            .into_iter()
            .filter(|(_, s)| *s == Severity::Warning)
            .map(|(w, _)| w)
            .collect()
    }

    #[test]
    fn suggestions_stop_at_the_budget_and_findings_do_not() {
        let doc = Document::parse(
            "Title\n\nWe recieve the goverment request and publish our kwarbel in full today.",
            Format::Plain,
        );
        let linter = Linter::new(&Config::default());
        let facts: Vec<_> = (0..doc.blocks.len())
            .map(|i| linter.check_block(&doc, i).facts)
            .collect();
        let settings = Settings::default();
        let cx = DocumentContext::new(&doc, &facts, &settings);
        let mut findings = Vec::new();
        report(&cx, &mut findings, 2);
        let suggested: Vec<_> = findings
            .iter()
            .map(|f| (doc.slice(f.span), f.suggestions.first().map(String::as_str)))
            .collect();
        // "kwarbel" is past the budget: no search, so no evidence but its
        // absence from the dictionary, and no suggestion.
        assert_eq!(
            suggested,
            [
                ("recieve", Some("receive")),
                ("goverment", Some("government")),
                ("kwarbel", None)
            ]
        );
        assert_eq!(findings[2].severity, Some(Severity::Info));
    }

    #[test]
    fn a_known_misspelling_is_a_warning_with_a_safe_fix() {
        let d = check(
            &RULE,
            "Title\n\nWe recieve the goverment request.",
            Format::Plain,
        );
        assert_eq!(d.len(), 2);
        assert!(d.iter().all(|d| d.severity == Severity::Warning));
        assert_eq!(d[0].suggestions[0], "receive");
        assert_eq!(d[1].suggestions[0], "government");
        assert!(d[1].fix.as_ref().unwrap().safe);
        assert!(d[1].message.contains("common misspelling"));
    }

    #[test]
    fn one_slip_from_a_common_word_is_a_warning() {
        let d = check(
            &RULE,
            "Title\n\nYou must retainl the notice.",
            Format::Plain,
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(d[0].suggestions[0], "retain");
        // "retail" and "retains" are one edit away too: no safe fix.
        assert!(!d[0].fix.as_ref().unwrap().safe);
        // A short string is one edit from many words: no evidence.
        assert_eq!(
            judged("Title\n\nSee the cfgs file."),
            [("cfgs".to_string(), Severity::Info)]
        );
    }

    #[test]
    fn one_slip_from_a_word_the_document_uses_often_is_a_warning() {
        let text = "Title\n\nThe Licensor grants. The Licensor may. The Licensor shall. The Licensro agrees.";
        let d = check(&RULE, text, Format::Plain);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(d[0].suggestions[0], "Licensor");
        assert!(d[0].message.contains("uses 3 times"));
    }

    #[test]
    fn an_unknown_word_without_evidence_is_noted_once() {
        let text = "Title\n\nRun xinetd first. Then xinetd starts.\n\nStop xinetd.";
        let d = check(&RULE, text, Format::Plain);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Info);
        assert!(d[0].message.contains("used 3 times"));
        assert!(d[0].message.contains("[dictionary] words"));
        assert!(d[0].suggestions.is_empty());
        // A term and its inflections are one term.
        let text = "Title\n\nThe blocklist grows. We blocklisted it.";
        assert_eq!(judged(text), [("blocklist".to_string(), Severity::Info)]);
    }

    #[test]
    fn a_capitalised_word_at_the_start_of_a_sentence_is_checked() {
        assert_eq!(
            warned("Title\n\nGoverment requests are rare."),
            ["Goverment"]
        );
    }

    #[test]
    fn names_pass_unless_they_look_like_a_slip() {
        assert!(flagged(&RULE, "Title\n\nWe met Guangming and Wuhan there.").is_empty());
        // One plain edit from "risen", "rose" and "borne": names.
        assert!(flagged(&RULE, "Title\n\nAsk Mr Rosen about the Berne treaty.").is_empty());
        assert_eq!(
            warned("Title\n\nThe Privacy Statment applies."),
            ["Statment"]
        );
        assert_eq!(warned("Title\n\nConsistent with Ssection 3."), ["Ssection"]);
        assert_eq!(
            warned("Title\n\nWrite to 1600 Ampitheatre Parkway."),
            ["Ampitheatre"]
        );
        // Next to another unknown capitalised word: a name, whatever the
        // list of misspellings says.
        assert!(flagged(&RULE, "Title\n\nStichting Mathematisch Centrum holds it.").is_empty());
    }

    #[test]
    fn identifiers_are_not_checked() {
        let text = "Title\n\nEdit debian/control, run dpkg-shlibdeps -tudeb with $DESTDIR and <pkgname>, see update-rc.d and foo_bar.";
        assert!(
            flagged(&RULE, text).is_empty(),
            "{:?}",
            flagged(&RULE, text)
        );
        // A compound with one unknown part reports it only with evidence.
        assert!(flagged(&RULE, "Title\n\nThe debian-policy package.").is_empty());
        assert_eq!(warned("Title\n\nA thrid-party service."), ["thrid"]);
        assert_eq!(warned("Title\n\nIn con-nection with it."), ["con-nection"]);
    }

    #[test]
    fn kramdown_attribute_lists_are_not_checked() {
        let text = "# Notice\n{: #prights datetime=\"2024-01-01\" }\n\nWe keep it.\n";
        assert!(flagged_in(&RULE, text, Format::Markdown).is_empty());
    }

    #[test]
    fn what_is_not_checked() {
        let text = "Title\n\nSee https://exampel.com, mail a@exampel.org, run `fnord`, the NHTSB, GitHub, iPhone, 2nd, v2beta, 网络.";
        assert!(flagged(&RULE, text).is_empty());
        let table = "# T\n\n| name | use |\n|---|---|\n| bscookie | we recieve it |\n";
        assert_eq!(flagged_in(&RULE, table, Format::Markdown), ["recieve"]);
    }

    #[test]
    fn inflections_possessives_compounds_and_legal_words_pass() {
        let text = "Title\n\nThe organization's users' third-party cybersecurity isn't multistakeholder-driven; its add-ons and give-aways.";
        assert!(flagged(&RULE, text).is_empty());
        let legal = "Title\n\nThe grantor and the sublicensee, as set out hereinabove, relicensing phonorecords.";
        assert!(
            flagged(&RULE, legal).is_empty(),
            "{:?}",
            flagged(&RULE, legal)
        );
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
        assert_eq!(d[0].severity, Severity::Info);
        assert_eq!(d[0].suggestions, ["color"]);
        assert!(d[0].message.contains("British spelling"));
        // Only the same word respelled, never a neighbour that is another.
        let d = check(
            &RULE,
            "Title\n\nWe review the catalogue of programmes.",
            Format::Plain,
        );
        let fixes: Vec<_> = d
            .iter()
            .map(|d| d.fix.as_ref().map(|f| f.edits[0].text.as_str()))
            .collect();
        assert_eq!(fixes, [Some("catalog"), Some("programs")]);
        let d = check(&RULE, "Title\n\nWe acted whilst waiting.", Format::Plain);
        assert!(
            d.iter()
                .all(|d| d.fix.is_none() && d.suggestions.is_empty())
        );
        // A form the lexicon lacks, one "z" from the American one, is no slip.
        assert!(warned("Title\n\nWe are utilising it.").is_empty());
    }

    #[test]
    fn a_word_is_counted_under_its_lower_case_stem() {
        for word in ["Licensor's", "LICENSOR", "licensor\u{2019}s", "licensors'"] {
            assert_eq!(word_key(word), word_key(&lower_stem(word)), "{word}");
        }
        assert_eq!(word_key("Licensor's"), word_key("licensor"));
        assert_ne!(word_key("licensor"), word_key("licensee"));
    }

    #[test]
    fn long_words_in_capitals_are_checked() {
        assert_eq!(warned("Title\n\nNO WARANTIES ARE GIVEN."), ["WARANTIES"]);
    }

    #[test]
    fn the_lexicon_is_asked_once_a_word_while_the_document_uses_it() {
        let text = "Title\n\nWe recieve the goverment request.\n\nThe kwarbel is here.\n";
        let without = text.replace("The kwarbel is here.\n", "");
        let capital = text.replace("The kwarbel", "Kwarbel");
        let linter = crate::rules::testing::linter(&RULE);
        let mut checker = IncrementalChecker::new();
        for (text, words) in [
            (text, &["goverment", "kwarbel", "recieve"][..]),
            (&without, &["goverment", "recieve"]),
            (text, &["goverment", "kwarbel", "recieve"]),
            (&capital, &["Kwarbel", "goverment", "recieve"]),
        ] {
            let (_, found) = checker.update(&linter, text.to_string(), Format::Plain);
            let fresh = linter.check(&Document::parse(text, Format::Plain));
            assert_eq!(found, fresh, "{text:?}");
            let memo = checker.memo_mut().misspelling.get_mut();
            let mut kept: Vec<&str> = memo.words.of.keys().map(String::as_str).collect();
            kept.sort_unstable();
            assert_eq!(kept, words, "{text:?}");
        }
    }

    #[test]
    fn the_words_a_slip_is_near_are_counted_after_edits() {
        // "Licensro" is a slip of "Licensor" while the document uses it
        // three times, else a name; the uses come and go in other
        // paragraphs.
        let text = "Title\n\nThe Licensor grants.\n\nThe Licensor may.\n\n\
                    The Licensor will.\n\nAsk the Licensro.\n";
        let fewer = text.replace("The Licensor may.\n\n", "");
        let other = fewer.replace("grants", "grants all");
        let found = flagged_after_edits(&RULE, &[text, &fewer, &other, text], Format::Plain);
        assert_eq!(found, [vec!["Licensro"], vec![], vec![], vec!["Licensro"]]);
    }
}
