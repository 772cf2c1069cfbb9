use std::collections::HashMap;
use std::fmt::Write;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::hashing::{FastMap, FastSet};
use crate::rules::memo::{FactsId, PerBlock, Reads, outlines};
use crate::rules::{
    BlockContext, BlockFacts, Category, Check, DocumentContext, Finding, Severity, declare_rule,
};
use crate::syntax::{
    BlockKind, Document, Heading, Label, NumberedItem, Numeral, Section, SectionKind,
    SectionNumber, Span, Token, TokenKind, is_abbreviation, link_target,
};

declare_rule! {
    /// ## What it checks
    /// A cross-reference to a part of the document that does not exist:
    /// "see Section 9", "section 4.2", "Article 12", "Chapter IV",
    /// "Annex B", "paragraph (c)" when no heading or numbered paragraph
    /// carries that number. "Section" and "clause" may point at any numbered
    /// heading or paragraph ("4. Fees" is section 4); "Article", "Chapter",
    /// "Part", "Annex", "Appendix", "Schedule" and "Exhibit" are checked
    /// only in documents that have headings with that label.
    ///
    /// A reference finds its part in the forms real documents use:
    /// "Article 3.1" is sub-section 3.1 of Article 3 even where it is
    /// numbered "3.1." without the label; "§4.2.1" is item 1 of the list in
    /// section 4.2 and "Section 2(b)(iii)" sub-item (iii) of (b); "Section 4"
    /// is the section numbered "4.0"; "Section 3 ("NO WARRANTY")" is the
    /// part headed "NO WARRANTY" where this copy leaves its number out; a
    /// reference may be wrapped over a line break. A label that names a part
    /// where it stands ("Part III: General provisions" run into a
    /// paragraph, "EXHIBIT B - Standards" opening a line) is a part, not a
    /// reference. References to other texts are left alone: "Section 5 of
    /// the FTC Act", "U.S. Code, Title 17, Section 512", "Debian Policy's
    /// section 5.6", "the Debian Policy section 12.5", "the lease, section
    /// 4", and, in a chapter taken out of a larger document (all of whose
    /// headings are numbered 10.x), references to the other chapters.
    ///
    /// ## Why it matters
    /// A dangling reference sends the reader to nothing: the referenced
    /// clause was renumbered, deleted, or lives in another version of the
    /// text. In a policy the reference often carries the obligation itself
    /// ("subject to the limits in Section 9"), which then has no content.
    ///
    /// ## Example
    /// ```text
    /// 1. Scope
    /// 2. Fees
    /// Refunds are described in Section 3.
    /// ```
    /// There is no section 3.
    pub static RULE = Rule {
        name: "dangling-reference",
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "A cross-reference (Section 9, Article 12, Annex B) to a part the document does not have",
        english_only: false,
        check: Check::Document { collect: Some(collect), check },
    };
}

/// A cross-reference found in a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The label and number as written: `Section 4.2(b)`.
    pub span: Span,
    pub label: Label,
    /// The number's components (`4.2` → 4, 2); empty for "paragraph (c)".
    pub path: Vec<Numeral>,
    /// The parenthesized parts after it: the `(b)` and `(iii)` of
    /// `2(b)(iii)`.
    pub subs: Vec<Numeral>,
    /// The title given with it, in lower case: "no warranty" for `Section
    /// 3 ("NO WARRANTY")`.
    pub title: Option<String>,
    /// Not a reference but a label that names a part right here: a heading
    /// run into the text ("… licences. Part III: General provisions",
    /// "### 3.2. Limitations") or opening a line ("EXHIBIT B - Standards").
    pub defines: bool,
}

/// Numbers above this are statutes and codes, not parts of a policy.
const MAX_INTERNAL_NUMBER: u32 = 200;

/// Words before a reference that make it point into another text.
const EXTERNAL_BEFORE: &[&str] = &[
    "act",
    "code",
    "codes",
    "u.s.c",
    "usc",
    "cfr",
    "c.f.r",
    "regulation",
    "regulations",
    "directive",
    "treaty",
    "convention",
    "constitution",
    "gdpr",
    "statute",
    "statutes",
    "law",
    "rules",
];

/// The longest line read as a title standing alone, in bytes.
const MAX_TITLE_LINE_BYTES: usize = 120;

/// The most words of a title that follows a label opening its line
/// ("EXHIBIT B - Standards").
const MAX_DEFINED_TITLE_WORDS: usize = 8;

/// Gathers the block's references, once for the rules that read them.
pub fn collect(cx: &BlockContext<'_>, facts: &mut BlockFacts) {
    if facts.references.is_some() {
        return;
    }
    let found = facts.references.insert(Vec::new());
    collect_into(cx, found);
}

fn collect_into(cx: &BlockContext<'_>, references: &mut Vec<Reference>) {
    let text = cx.text();
    let tokens = &cx.tokens.tokens;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        // "### 3.2. Limitations": a Markdown heading run into the text.
        if t.is_punct(text, '#') {
            i = run_in_heading(text, tokens, i, references);
            continue;
        }
        // "…, Section V.2 and V.3.           V.2. Other Products. …": items
        // whose line breaks were lost, each after a run of spaces.
        if matches!(t.kind, TokenKind::Word | TokenKind::Number)
            && text.as_bytes()[..t.span.start].ends_with(b"   ")
        {
            if let Some(end) = run_in_item(text, tokens, i, references) {
                i = end;
                continue;
            }
        }
        // A number, a capital, "(" or the "." of "Sec." must follow: most
        // words are passed over without a look at them.
        let number_follows = tokens.get(i + 1).is_some_and(|n| {
            let first = text.as_bytes()[n.span.start];
            match n.kind {
                TokenKind::Number => true,
                TokenKind::Word => first.is_ascii_uppercase(),
                TokenKind::Punct => first == b'(' || first == b'.',
                TokenKind::Opaque => false,
            }
        });
        let label = match t.kind {
            TokenKind::Word | TokenKind::Punct if number_follows => Label::from_word(t.text(text)),
            _ => None,
        };
        let Some(label) = label else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        // "Sec. 4", "Art. 12"
        if is_abbreviation(t.text(text)) && tokens.get(j).is_some_and(|d| d.is_punct(text, '.')) {
            j += 1;
        }
        let plural = t.text(text).ends_with(['s', 'S']) || t.text(text) == "§§";
        let mut found = Vec::new();
        while let Some((path, subs, end)) = parse_target(text, tokens, j) {
            let (after_title, title) = skip_title(text, tokens, end);
            found.push((
                Span::new(tokens[j].span.start, tokens[end - 1].span.end),
                path,
                subs,
                title,
                end,
            ));
            j = after_title;
            if !plural {
                break;
            }
            // "Sections 1, 3 and 5", "Sections 3 through 9"
            match tokens.get(j) {
                Some(c) if is_list_joiner(text, *c) => j += 1,
                _ => break,
            }
            if tokens.get(j).is_some_and(|c| {
                c.text(text).eq_ignore_ascii_case("and") || c.text(text).eq_ignore_ascii_case("or")
            }) {
                j += 1;
            }
        }
        if found.is_empty() || is_external(text, tokens, i, j) {
            i = j.max(i + 1);
            continue;
        }
        let defines = !plural && found.len() == 1 && names_a_part_here(text, tokens, i, found[0].4);
        for (k, (span, path, subs, title, _)) in found.into_iter().enumerate() {
            let too_big = path
                .iter()
                .any(|p| p.digits().is_some_and(|n| n > MAX_INTERNAL_NUMBER));
            if too_big {
                continue;
            }
            let span = if k == 0 { t.span.join(span) } else { span };
            references.push(Reference {
                span,
                label,
                path,
                subs,
                title,
                defines,
            });
        }
        i = j;
    }
}

/// At `tokens[i]`, a `#`: if `#` marks and a number follow, the heading
/// they start names that number ("… by Licensor. ### 3.2. Limitations").
/// Returns where to go on.
fn run_in_heading(text: &str, tokens: &[Token], i: usize, out: &mut Vec<Reference>) -> usize {
    let mut j = i;
    while tokens.get(j).is_some_and(|t| t.is_punct(text, '#')) {
        j += 1;
    }
    if let Some((path, subs, end)) = tokens
        .get(j)
        .filter(|t| t.kind == TokenKind::Number)
        .and_then(|_| parse_target(text, tokens, j))
    {
        out.push(Reference {
            span: Span::new(tokens[j].span.start, tokens[end - 1].span.end),
            label: Label::Section,
            path,
            subs,
            title: None,
            defines: true,
        });
        return end;
    }
    j
}

/// At `tokens[i]`, after a run of spaces: if a number, a period and a
/// capitalised word follow ("V.2. Other Products."), the item they start
/// names that number. Returns where to go on.
fn run_in_item(text: &str, tokens: &[Token], i: usize, out: &mut Vec<Reference>) -> Option<usize> {
    let (path, subs, end) = parse_target(text, tokens, i)?;
    let titled = !path.is_empty()
        && tokens.get(end).is_some_and(|t| t.is_punct(text, '.'))
        && tokens.get(end + 1).is_some_and(|t| {
            t.kind == TokenKind::Word && t.text(text).starts_with(char::is_uppercase)
        });
    if !titled {
        return None;
    }
    out.push(Reference {
        span: Span::new(tokens[i].span.start, tokens[end - 1].span.end),
        label: Label::Section,
        path,
        subs,
        title: None,
        defines: true,
    });
    Some(end)
}

/// Whether the label and number at `tokens[label..end]` name a part right
/// here rather than point to one: followed by a colon and a title ("Part
/// III: General provisions"), or opening their line with only a short
/// title after them ("EXHIBIT B - Standards").
fn names_a_part_here(text: &str, tokens: &[Token], label: usize, end: usize) -> bool {
    let capitalised =
        |t: &Token| t.kind == TokenKind::Word && t.text(text).starts_with(char::is_uppercase);
    let after_colon = tokens.get(end).is_some_and(|t| t.is_punct(text, ':'))
        && tokens.get(end + 1).is_some_and(capitalised);
    // At the start of a paragraph, before its title: "§9 Provision of
    // warranties …", "PART A. CONTRIBUTION AGREEMENT - …" (but "Section 3
    // of this Agreement applies" refers).
    let mut title = end;
    while tokens
        .get(title)
        .is_some_and(|t| t.kind == TokenKind::Punct && ".-–—".contains(t.text(text)))
    {
        title += 1;
    }
    let opens_paragraph = label == 0 && tokens.get(title).is_some_and(capitalised);
    if after_colon || opens_paragraph {
        return true;
    }
    let start = tokens[label].span.start;
    let line_start = text[..start].rfind('\n').map_or(0, |k| k + 1);
    if !text[line_start..start].trim().is_empty() {
        return false;
    }
    let number_end = tokens[end - 1].span.end;
    let line_end = text[number_end..]
        .find('\n')
        .map_or(text.len(), |k| number_end + k);
    let rest = text[number_end..line_end].trim();
    let title = rest
        .trim_start_matches(['-', '–', '—', ':', '.', ' '])
        .trim();
    let separated = rest.is_empty() || rest.len() != title.len();
    separated
        && title.split_whitespace().count() <= MAX_DEFINED_TITLE_WORDS
        && !title.ends_with(['.', ',', ';'])
}

/// Past a title in parentheses after a reference: "Section 4 (Takedowns)",
/// `Section 3 ("NO WARRANTY")`. Returns where the reference ends and the
/// title's words in lower case.
fn skip_title(text: &str, tokens: &[Token], end: usize) -> (usize, Option<String>) {
    let spaced = tokens
        .get(end)
        .is_some_and(|t| t.is_punct(text, '(') && t.span.start > tokens[end - 1].span.end);
    if !spaced {
        return (end, None);
    }
    let Some(close) = tokens[end + 1..]
        .iter()
        .take(12)
        .position(|t| t.is_punct(text, ')'))
        .map(|k| end + 1 + k)
    else {
        return (end, None);
    };
    let words: Vec<String> = tokens[end + 1..close]
        .iter()
        .filter(|t| t.kind == TokenKind::Word || t.kind == TokenKind::Number)
        .map(|t| t.text(text).to_lowercase())
        .collect();
    (close + 1, (!words.is_empty()).then(|| words.join(" ")))
}

fn is_list_joiner(text: &str, t: Token) -> bool {
    let s = t.text(text).to_ascii_lowercase();
    matches!(
        s.as_str(),
        "," | "and" | "or" | "through" | "to" | "-" | "–" | "&"
    )
}

/// The number at `tokens[j..]`: `9`, `4.2`, `D.4`, `IV`, `B`, `(c)`,
/// `2.2(b)(iii)`; returns the path, the parenthesized parts and the end.
fn parse_target(
    text: &str,
    tokens: &[Token],
    j: usize,
) -> Option<(Vec<Numeral>, Vec<Numeral>, usize)> {
    let first = *tokens.get(j)?;
    let adjacent = |k: usize| {
        tokens
            .get(k)
            .filter(|t| t.span.start == tokens[k - 1].span.end)
    };
    let mut path = Vec::new();
    let mut end = j;
    match first.kind {
        TokenKind::Number => {
            for part in first.text(text).split('.') {
                path.push(Numeral::Digits(part.parse().ok()?));
            }
            end = j + 1;
        }
        TokenKind::Word => {
            let w = first.text(text);
            let numeral = upper_numeral(w)?;
            path.push(numeral);
            end = j + 1;
            // "D.4", "A.5"
            if adjacent(end).is_some_and(|d| d.is_punct(text, '.')) {
                if let Some(n) = adjacent(end + 1).filter(|n| n.kind == TokenKind::Number) {
                    let parts: Option<Vec<u32>> =
                        n.text(text).split('.').map(|p| p.parse().ok()).collect();
                    if let Some(parts) = parts {
                        path.extend(parts.into_iter().map(Numeral::Digits));
                        end += 2;
                    }
                }
            }
        }
        TokenKind::Punct if first.is_punct(text, '(') => {}
        _ => return None,
    }
    // "(c)" right after the number, or alone for "paragraph (c)"; then
    // more of them: "2(b)(iii)".
    let mut subs = Vec::new();
    loop {
        let open = if path.is_empty() && subs.is_empty() {
            Some(&tokens[j])
        } else {
            adjacent(end)
        };
        let Some(open) = open.filter(|t| t.is_punct(text, '(')) else {
            break;
        };
        let k = if path.is_empty() && subs.is_empty() {
            j + 1
        } else {
            end + 1
        };
        let inner = tokens.get(k);
        let close = tokens.get(k + 1).filter(|t| t.is_punct(text, ')'));
        let (Some(inner), Some(_)) = (inner, close) else {
            break;
        };
        let s = inner.text(text);
        let numeral = match inner.kind {
            TokenKind::Number => s.parse().ok().map(Numeral::Digits),
            TokenKind::Word if s.len() <= 4 && s.bytes().all(|b| b.is_ascii_alphabetic()) => {
                Some(Numeral::Letters {
                    text: s.to_ascii_lowercase().into(),
                    upper: s.bytes().all(|b| b.is_ascii_uppercase()),
                })
            }
            _ => None,
        };
        match numeral {
            Some(numeral) if open.span.start >= tokens[j].span.start => {
                subs.push(numeral);
                end = k + 2;
            }
            _ => break,
        }
    }
    if path.is_empty() && subs.is_empty() {
        return None;
    }
    Some((path, subs, end))
}

/// A capital letter or Roman numeral used as a number: `B`, `IV`.
fn upper_numeral(w: &str) -> Option<Numeral> {
    if w.is_empty() || w.len() > 5 || !w.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let numeral = Numeral::Letters {
        text: w.to_ascii_lowercase().into(),
        upper: true,
    };
    (w.len() == 1 || numeral.roman().is_some()).then_some(numeral)
}

/// How far before a reference the words that make it external are looked for.
const LOOK_BACK_BYTES: usize = 80;

/// Whether the reference at `tokens[label..end]` points into another text.
fn is_external(text: &str, tokens: &[Token], label: usize, end: usize) -> bool {
    // A link to another document: "[Section K. Payment](/terms#k-payment)".
    let span = Span::new(tokens[label].span.start, tokens[end - 1].span.end);
    if link_target(text, span).is_some_and(|target| !target.starts_with('#')) {
        return true;
    }
    let word = |t: &Token| t.text(text).to_ascii_lowercase();
    // "Section 5 of the FTC Act" (but "Section 4 of this Agreement" is ours).
    if tokens.get(end).is_some_and(|t| word(t) == "of") {
        let next = tokens.get(end + 1).map(word).unwrap_or_default();
        if !matches!(next.as_str(), "this" | "these" | "the present") {
            return true;
        }
    }
    // "Title 18, Section 1621", "48 C.F.R. §2.101", "Professions Code
    // Section 22581": the words just before the label, as written.
    let start = tokens[label].span.start;
    // Two words back, within the line; a bounded look so that a long line
    // full of references stays linear.
    let mut from = start.saturating_sub(LOOK_BACK_BYTES);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let line_start = text[from..start].rfind('\n').map_or(from, |i| from + i + 1);
    let written: Vec<&str> = text[line_start..start]
        .split_whitespace()
        .rev()
        .take(2)
        .collect();
    let before: Vec<String> = written
        .iter()
        .map(|w| w.trim_end_matches([',', ';', ':']).to_ascii_lowercase())
        .collect();
    let last = before
        .first()
        .map(|w| w.trim_end_matches('.'))
        .unwrap_or_default();
    // "Debian Policy's section 5.6.13", "the Debian Policy section 12.5",
    // "the lease, section 4": a section of a document named right before
    // it (but "this Agreement, Section 4" is ours).
    let possessive = last.ends_with("'s") || last.ends_with("’s");
    let that_document = written.len() == 2
        && written[0].ends_with(',')
        && matches!(before[1].as_str(), "the" | "that" | "its" | "their");
    let named = written.len() == 2
        && written[0].starts_with(|c: char| c.is_uppercase())
        && !written[1].ends_with(['.', '!', '?', ':', ';'])
        && tokens[label].text(text).starts_with(char::is_lowercase);
    EXTERNAL_BEFORE.contains(&last)
        || before.get(1).is_some_and(|w| w == "title")
        || possessive
        || named
        || that_document
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    let reads = |index| read(cx, index);
    cx.memo()
        .found
        .dangling_reference
        .lock()
        .check(cx, false, reads, out, |out| {
            find(cx, out);
            Vec::new()
        });
}

fn find(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    let doc = cx.doc;
    for (r, resolution) in cx.references().zip(cx.resolutions()) {
        if *resolution == Resolution::Missing {
            let text = doc.slice(r.span);
            let kind = r.label.name().to_lowercase();
            out.push(Finding::new(
                r.span,
                format!("`{text}` refers to a {kind} this document does not have"),
            ));
        }
    }
}

/// What the references and their targets read of block `index` (see
/// `memo::Unread`): all of a part of the outline; of another block, the
/// references it makes and its title if it is a line of its own, where
/// they stand aside (what a finding or a fix quotes of a reference lies
/// under it).
pub(crate) fn read(cx: &DocumentContext<'_>, index: usize) -> Reads {
    let doc = cx.doc;
    if outlines(doc, index) {
        return Reads::Text;
    }
    let references = cx.facts[index].references.as_deref().unwrap_or_default();
    let title = title_line(doc, index).and_then(title_key);
    if references.is_empty() && title.is_none() {
        return Reads::Nothing;
    }
    let mut hasher = DefaultHasher::new();
    title.hash(&mut hasher);
    references.len().hash(&mut hasher);
    for r in references {
        let Reference {
            span: _,
            label,
            path,
            subs,
            title,
            defines,
        } = r;
        (label, path, subs, title, defines).hash(&mut hasher);
    }
    Reads::Digest(hasher.finish())
}

/// Every cross-reference of `doc` with what it points at: for the language
/// server's hover, go-to-definition and find-references.
pub fn references(doc: &Document) -> Vec<(Reference, Resolution)> {
    let settings = crate::rules::Settings::default();
    let mut found = Vec::new();
    for (index, block) in doc.blocks.iter().enumerate() {
        if !block.has_prose() {
            continue;
        }
        let tokens = crate::syntax::Tokens::new(&doc.text, &block.prose);
        let cx = BlockContext {
            doc,
            index,
            block,
            tokens: &tokens,
            settings: &settings,
        };
        collect_into(&cx, &mut found);
    }
    resolve(doc, &found)
}

/// What each of `references` (a document's, in order) points at; labels
/// that name a part right here are left out.
pub fn resolve(doc: &Document, references: &[Reference]) -> Vec<(Reference, Resolution)> {
    let all: Vec<&Reference> = references.iter().collect();
    let targets = Targets::new(doc, &all);
    references
        .iter()
        .filter(|r| !r.defines)
        .map(|r| (r.clone(), targets.resolve(r).resolution(doc, &all)))
        .collect()
}

/// What the rule keeps of the last check: the targets, with what they were
/// made of, and what each block's references point at. An edit seldom
/// changes a heading, a numbered item or a title line.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    targets: Option<(Inputs, Targets)>,
    points: PerBlock<Vec<Points>>,
}

impl Memo {
    /// What each reference of `facts` (in order) points at; a label that
    /// names a part right here points at nothing known.
    pub(crate) fn resolutions(
        &mut self,
        doc: &Document,
        facts: &[BlockFacts],
        ids: &[FactsId],
    ) -> Vec<Resolution> {
        fn references(f: &BlockFacts) -> impl Iterator<Item = &Reference> {
            f.references.iter().flatten()
        }
        let all: Vec<&Reference> = facts.iter().flat_map(references).collect();
        self.points.align(ids);
        let (inputs, targets) = match self.targets.take() {
            Some((inputs, targets)) if inputs.describe(doc, &all) => (inputs, targets),
            _ => {
                self.points.clear();
                (Inputs::of(doc, &all), Targets::new(doc, &all))
            }
        };
        let mut out = Vec::with_capacity(all.len());
        for (f, points) in facts.iter().zip(&mut self.points.values) {
            let points =
                points.get_or_insert_with(|| references(f).map(|r| targets.resolve(r)).collect());
            out.extend(points.iter().map(|p| p.resolution(doc, &all)));
        }
        self.targets = Some((inputs, targets));
        out
    }
}

/// Where a number points, wherever that now stands.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Target {
    Heading(usize),
    Block(usize),
    /// The reference of the document with this index, a label that names
    /// a part right here.
    Reference(usize),
}

/// What a reference points at, wherever that now stands.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Points {
    At(Target),
    Nowhere,
    Unknown,
}

impl Points {
    fn resolution(self, doc: &Document, references: &[&Reference]) -> Resolution {
        match self {
            Points::At(Target::Heading(h)) => Resolution::Found(doc.headings[h].span),
            Points::At(Target::Block(b)) => Resolution::Found(doc.blocks[b].span),
            Points::At(Target::Reference(r)) => Resolution::Found(references[r].span),
            Points::Nowhere => Resolution::Missing,
            Points::Unknown => Resolution::Unknown,
        }
    }
}

/// What [`Targets`] are made of, positions aside: the headings' numbers
/// (or titles) and blocks, the outline, the title lines, the numbered
/// items, and the references that name a part right here.
#[derive(Debug)]
struct Inputs {
    headings: Vec<(usize, Option<SectionNumber>, String)>,
    sections: Vec<(Option<usize>, Option<usize>)>,
    title_lines: Vec<(usize, String)>,
    items: Vec<(usize, SectionNumber, Option<usize>, usize)>,
    defining: Vec<(usize, Label, Vec<Numeral>)>,
}

impl Inputs {
    fn of(doc: &Document, references: &[&Reference]) -> Inputs {
        Inputs {
            headings: doc
                .headings
                .iter()
                .map(|h| {
                    let title = if h.number.is_none() {
                        doc.slice(h.title)
                    } else {
                        ""
                    };
                    (h.block, h.number.clone(), title.to_string())
                })
                .collect(),
            sections: doc.outline.sections.iter().map(section_input).collect(),
            title_lines: title_lines(doc)
                .map(|(b, text)| (b, text.to_string()))
                .collect(),
            items: doc
                .items
                .iter()
                .map(|i| (i.block, i.number.clone(), i.list, i.indent))
                .collect(),
            defining: defining(references)
                .map(|(n, r)| (n, r.label, r.path.clone()))
                .collect(),
        }
    }

    /// Whether these are what the targets of `doc` are made of.
    fn describe(&self, doc: &Document, references: &[&Reference]) -> bool {
        let headings = doc.headings.len() == self.headings.len()
            && doc
                .headings
                .iter()
                .zip(&self.headings)
                .all(|(h, (block, number, title))| {
                    let Heading {
                        block: b,
                        span: _,
                        text: _,
                        title: t,
                        number: n,
                        level: _,
                        kind: _,
                        indent: _,
                    } = h;
                    b == block
                        && match (n, number) {
                            (Some(a), Some(b)) => same_number(a, b),
                            (None, None) => doc.slice(*t) == title,
                            _ => false,
                        }
                });
        let items = doc.items.len() == self.items.len()
            && doc
                .items
                .iter()
                .zip(&self.items)
                .all(|(i, (block, number, list, indent))| {
                    let NumberedItem {
                        block: b,
                        number: n,
                        list: l,
                        indent: d,
                    } = i;
                    b == block && same_number(n, number) && l == list && d == indent
                });
        headings
            && items
            && doc
                .outline
                .sections
                .iter()
                .map(section_input)
                .eq(self.sections.iter().copied())
            && title_lines(doc).eq(self.title_lines.iter().map(|(b, t)| (*b, t.as_str())))
            && defining(references)
                .map(|(n, r)| (n, r.label, r.path.as_slice()))
                .eq(self.defining.iter().map(|(n, l, p)| (*n, *l, p.as_slice())))
    }
}

/// Whether two numbers are the same but for where they stand.
fn same_number(a: &SectionNumber, b: &SectionNumber) -> bool {
    let SectionNumber {
        span: _,
        label,
        parts,
        form,
        final_dot,
        compound,
        zero_is_own_section,
    } = a;
    *label == b.label
        && *parts == b.parts
        && *form == b.form
        && *final_dot == b.final_dot
        && *compound == b.compound
        && *zero_is_own_section == b.zero_is_own_section
}

/// A section's heading, if it has one, and its parent.
fn section_input(section: &Section) -> (Option<usize>, Option<usize>) {
    let heading = match section.kind {
        SectionKind::Heading(h) => Some(h),
        SectionKind::RunIn(_) => None,
    };
    (heading, section.parent)
}

/// The paragraphs that may be titles on a line of their own, with their
/// blocks.
fn title_lines(doc: &Document) -> impl Iterator<Item = (usize, &str)> {
    (0..doc.blocks.len()).filter_map(|i| Some((i, title_line(doc, i)?)))
}

/// Block `index`'s text, if it is a paragraph that may be a title on a line
/// of its own.
fn title_line(doc: &Document, index: usize) -> Option<&str> {
    let block = &doc.blocks[index];
    if block.kind != BlockKind::Paragraph || block.span.len() > MAX_TITLE_LINE_BYTES {
        return None;
    }
    let source = doc.slice(block.span);
    let short = !source.contains('\n')
        && source
            .split_whitespace()
            .nth(MAX_DEFINED_TITLE_WORDS)
            .is_none();
    short.then_some(source)
}

/// The references that name a part right here, with their indices.
fn defining<'r>(references: &[&'r Reference]) -> impl Iterator<Item = (usize, &'r Reference)> {
    references
        .iter()
        .enumerate()
        .filter(|(_, r)| r.defines)
        .map(|(n, r)| (n, *r))
}

/// What a reference points at.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// The heading or numbered paragraph it names.
    Found(Span),
    /// Nothing: a dangling reference.
    Missing,
    /// The document gives no way to tell ("Article 5" where no heading is
    /// labelled "Article").
    Unknown,
}

/// The numbers a reference can point at, with where they are.
#[derive(Debug)]
struct Targets {
    /// Paths of numbered headings and paragraphs, also prefixed with their
    /// parents' numbers ("D.4" for "4." under "D."), and of list items
    /// under their section ("4.2.1" for item 1 under 4.2), lowercased.
    paths: FastMap<String, Target>,
    /// Paths of headings by label: ("article", "5").
    labelled: FastMap<(Label, String), Target>,
    /// The labels the document's headings carry.
    labels: FastSet<Label>,
    /// The letters or numbers of parenthesized items: "c" for "(c)".
    subs: FastMap<String, Target>,
    /// Titles of unnumbered headings (and lines that stand alone as
    /// titles) in lower case, words only: a reference that gives such a
    /// title points at it, though this copy of the text leaves its number
    /// out.
    titles: FastMap<String, Target>,
    /// The document numbers its headings or paragraphs.
    has_numbers: bool,
    /// The number of the chapter the document is, when every numbered
    /// heading starts with the same number above 1 ("10. Upgrading
    /// checklist", "10.1", "10.2"): a chapter taken out of a larger
    /// document, whose other chapters its references may name.
    chapter: Option<Numeral>,
}

impl Targets {
    fn new(doc: &Document, references: &[&Reference]) -> Targets {
        let mut t = Targets {
            paths: FastMap::default(),
            labelled: FastMap::default(),
            labels: FastSet::default(),
            subs: FastMap::default(),
            titles: FastMap::default(),
            has_numbers: doc.headings.iter().any(|h| h.number.is_some()) || !doc.items.is_empty(),
            chapter: chapter_of(doc),
        };
        for (i, section) in doc.outline.sections.iter().enumerate() {
            let SectionKind::Heading(h) = section.kind else {
                continue;
            };
            let heading = &doc.headings[h];
            let at = Target::Heading(h);
            let Some(number) = &heading.number else {
                if let Some(title) = title_key(doc.slice(heading.title)) {
                    t.titles.entry(title).or_insert(at);
                }
                continue;
            };
            for parts in paths_of(number) {
                for key in keys_of(parts) {
                    if let Some(label) = number.label {
                        t.labelled.entry((label, key.clone())).or_insert(at);
                        t.labels.insert(label);
                    }
                    t.paths.entry(key).or_insert(at);
                }
            }
            // Prefix with the numbers of the enclosing sections.
            let own = number.canonical();
            let mut full = path_key(own);
            let mut parent = doc.outline.sections[i].parent;
            while let Some(p) = parent {
                if let SectionKind::Heading(ph) = doc.outline.sections[p].kind {
                    if let Some(pn) = &doc.headings[ph].number {
                        if pn.canonical().len() == 1 && own.len() == 1 {
                            full = format!("{}.{full}", path_key(pn.canonical()));
                            t.paths.entry(full.clone()).or_insert(at);
                        }
                    }
                }
                parent = doc.outline.sections[p].parent;
            }
        }
        // A title on a line of its own ("NO WARRANTY") heads what follows
        // even where the layout does not make it a heading.
        for (block, source) in title_lines(doc) {
            if let Some(title) = title_key(source) {
                t.titles.entry(title).or_insert(Target::Block(block));
            }
        }
        t.add_items(doc);
        for (n, r) in defining(references) {
            for key in keys_of(&r.path) {
                t.labelled
                    .entry((r.label, key.clone()))
                    .or_insert(Target::Reference(n));
                t.labels.insert(r.label);
                t.paths.entry(key).or_insert(Target::Reference(n));
            }
        }
        t
    }

    /// Numbered items: as numbers of their own, and as paths under the
    /// section they are in ("§4.2.1" is item 1 under 4.2, "4.1(3)" item 3).
    fn add_items(&mut self, doc: &Document) {
        // In a document without headings, a numbered list is the sections.
        // A Markdown list is shown numbered from its first number on,
        // whatever the later items say ("1. 1. 1." shows as 1, 2, 3).
        let list_is_outline = doc.outline.sections.is_empty();
        let mut shown: HashMap<usize, u32> = HashMap::new();
        // The items open around the current one, outermost first: their
        // indentation, list and number.
        let mut open: Vec<(usize, Option<usize>, &[Numeral])> = Vec::new();
        let mut section: Option<usize> = None;
        for item in &doc.items {
            let at = Target::Block(item.block);
            let parts = item.number.canonical();
            let key = path_key(parts);
            let heading = doc.headings.partition_point(|h| h.block < item.block);
            let in_section = heading
                .checked_sub(1)
                .filter(|&h| doc.headings[h].number.is_some());
            if in_section != section {
                section = in_section;
                open.clear();
            }
            while open.last().is_some_and(|&(indent, list, _)| {
                indent > item.indent || (indent == item.indent && list == item.list)
            }) {
                open.pop();
            }
            open.push((item.indent, item.list, parts));
            // "C.2": item 2 of the list under item C, and "4.2.1" item 1
            // of the list in section 4.2.
            let chain: Vec<Numeral> = open.iter().flat_map(|o| o.2.iter().cloned()).collect();
            if open.len() > 1 {
                self.paths.entry(path_key(&chain)).or_insert(at);
            }
            if let Some(h) = section {
                let number = doc.headings[h].number.as_ref().expect("a numbered section");
                let mut path: Vec<Numeral> = number.canonical().to_vec();
                path.extend(chain);
                self.paths.entry(path_key(&path)).or_insert(at);
            }
            if item.number.form == crate::syntax::Form::Parenthesized {
                self.subs.entry(key.clone()).or_insert(at);
                // "(4) You may …" is section 4 of a text numbered so.
                if parts.iter().all(|p| p.digits().is_some()) {
                    self.paths.entry(key).or_insert(at);
                }
                continue;
            }
            if item.number.compound {
                let digits = &parts[..parts.len() - 1];
                self.paths.entry(path_key(digits)).or_insert(at);
            }
            self.paths.entry(key).or_insert(at);
            if let (true, Some(list), [Numeral::Digits(n)]) =
                (list_is_outline, item.list, item.number.parts.as_slice())
            {
                let next = shown.entry(list).and_modify(|v| *v += 1).or_insert(*n);
                self.paths.entry(next.to_string()).or_insert(at);
            }
        }
    }

    fn resolve(&self, r: &Reference) -> Points {
        let found = |at: Option<&Target>| at.map_or(Points::Nowhere, |t| Points::At(*t));
        if r.defines {
            return Points::Unknown;
        }
        // `Section 3 ("NO WARRANTY")`: the title finds it, numbered or not.
        if let Some(at) = r.title.as_ref().and_then(|title| self.titles.get(title)) {
            return Points::At(*at);
        }
        if r.path.is_empty() {
            // "paragraph (c)": only where paragraphs are lettered.
            let Some(sub) = r.subs.first() else {
                return Points::Unknown;
            };
            if self.subs.is_empty() {
                return Points::Unknown;
            }
            return found(self.subs.get(&path_key(std::slice::from_ref(sub))));
        }
        let keys = keys_of(&r.path);
        let other_chapter = self
            .chapter
            .as_ref()
            .is_some_and(|c| r.path.first().is_some_and(|first| !first.same_as(c)));
        if other_chapter {
            return Points::Unknown;
        }
        if r.label.is_generic() {
            // "paragraph 4" in a text without numbered paragraphs counts
            // paragraphs; "Section 4" there has nothing to point at.
            if r.label == Label::Paragraph && !self.has_numbers {
                return Points::Unknown;
            }
            // Every numbered heading's path is in `paths`, labelled or not.
            let hit = keys.iter().find_map(|k| self.paths.get(k));
            return found(hit);
        }
        if !self.labels.contains(&r.label) {
            return Points::Unknown;
        }
        let labelled = keys
            .iter()
            .find_map(|k| self.labelled.get(&(r.label, k.clone())));
        // "Article 3.1": sub-section 1 of Article 3, numbered "3.1" without
        // the label.
        let container = || {
            let first = keys_of(&r.path[..1]);
            let has_container = first
                .iter()
                .any(|k| self.labelled.contains_key(&(r.label, k.clone())));
            (r.path.len() > 1 && has_container)
                .then(|| keys.iter().find_map(|k| self.paths.get(k)))
                .flatten()
        };
        found(labelled.or_else(container))
    }
}

/// The fewest numbered headings that show a document is a chapter.
const MIN_CHAPTER_HEADINGS: usize = 3;

/// The chapter a document is, if all its numbered headings (three at
/// least) start with the same number above 1 ("10.", "10.1", "10.2").
fn chapter_of(doc: &Document) -> Option<Numeral> {
    let numbers: Vec<&crate::syntax::SectionNumber> = doc
        .headings
        .iter()
        .filter_map(|h| h.number.as_ref())
        .filter(|n| n.label.is_none())
        .collect();
    let first = &numbers.first()?.parts[0];
    let above_one = first.digits().is_some_and(|d| d > 1);
    (above_one
        && numbers.len() >= MIN_CHAPTER_HEADINGS
        && numbers.iter().all(|n| n.parts[0].same_as(first)))
    .then(|| first.clone())
}

/// The paths a heading's number answers to: as counted (`4` for `4.0`)
/// and, for a compound (`2.1v`), its digits too.
fn paths_of(number: &crate::syntax::SectionNumber) -> Vec<&[Numeral]> {
    let parts = number.canonical();
    let mut paths = vec![parts];
    if number.compound {
        paths.push(&parts[..parts.len() - 1]);
    }
    paths
}

/// A title's words in lower case, for comparing titles however they are
/// written.
fn title_key(title: &str) -> Option<String> {
    let mut key = String::new();
    for word in title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !key.is_empty() {
            key.push(' ');
        }
        push_lowercase(word, &mut key);
    }
    (!key.is_empty()).then_some(key)
}

/// Appends `word` in lower case (ASCII without a detour).
fn push_lowercase(word: &str, out: &mut String) {
    if word.is_ascii() {
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        out.push_str(&word.to_lowercase());
    }
}

/// `4.2`, `d.4`, `iv`: components lowercased and joined by dots.
fn path_key(parts: &[Numeral]) -> String {
    let mut key = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            key.push('.');
        }
        match part {
            Numeral::Digits(n) => {
                write!(key, "{n}").expect("a String takes any text");
            }
            Numeral::Letters { text, .. } if text.is_ascii() => push_lowercase(text, &mut key),
            _ => push_lowercase(&part.to_string(), &mut key),
        }
    }
    key
}

/// The ways a referenced path may be written in headings: as is, and with
/// Roman numerals as digits ("Chapter IV" for "Chapter 4").
fn keys_of(path: &[Numeral]) -> Vec<String> {
    let mut keys = vec![path_key(path)];
    if path.iter().any(|p| p.roman().is_some()) {
        let digits: Vec<Numeral> = path
            .iter()
            .map(|p| {
                p.roman()
                    .filter(|_| p.alpha().is_none() || p.to_string().len() > 1)
                    .map_or(p.clone(), Numeral::Digits)
            })
            .collect();
        keys.push(path_key(&digits));
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{
        flagged, flagged_after_edits, flagged_in, linter, moved_after_edits, replay_edits,
        small_edits,
    };
    use crate::syntax::Format;

    fn md(text: &str) -> Vec<String> {
        flagged_in(&RULE, text, Format::Markdown)
    }

    #[test]
    fn flags_a_section_that_does_not_exist() {
        let text = "Title\n\n1. Scope\n\nSee Section 3 and section 2.\n\n2. Fees\n\nText.\n";
        assert_eq!(flagged(&RULE, text), ["Section 3"]);
    }

    #[test]
    fn dotted_lettered_and_composed_numbers() {
        let text = "## D. Terms\n\nx\n\n### 4. Payment\n\nSee Section D.4 and Section D.5, Section 4.2(b).\n";
        assert_eq!(md(text), ["Section D.5", "Section 4.2(b)"]);
    }

    #[test]
    fn references_to_other_texts_pass() {
        let text = "## 1. Scope\n\nUnder Section 5 of the FTC Act, Title 17, Section 512, Professions Code Section 22581 and Article 46 of the GDPR.\n";
        assert!(md(text).is_empty());
        let text = "## 1. Scope\n\nSection 7 of these Terms applies.\n";
        assert_eq!(md(text), ["Section 7"]);
    }

    #[test]
    fn labelled_kinds_are_checked_only_where_the_document_has_them() {
        let text = "## Article 1 Scope\n\nx\n\n## Article 2 Terms\n\nSee Article 12 and Annex B.\n";
        assert_eq!(md(text), ["Article 12"]);
        assert_eq!(
            md("## Chapter IV\n\nSee Chapter 4 and Chapter V.\n"),
            ["Chapter V"]
        );
    }

    #[test]
    fn titles_after_references_and_other_agreements() {
        let text = "## 1. A\n\nx\n\nSee Section 1 (Scope). SECTIONS O (DISCLAIMER), P (LIABILITY), AND Q (RELEASE) OF THE AGREEMENT apply.\n";
        assert!(md(text).is_empty());
        assert!(md("## 1. A\n\nAs defined at 48 C.F.R. §2.101 and 15 U.S.C. § 45.\n").is_empty());
        assert!(md("## 1. A\n\nAs [Section K. Payment](/terms#k-payment) says.\n").is_empty());
        assert_eq!(
            md("## 1. A\n\nAs [Section 9](#section-9) says.\n"),
            ["Section 9"]
        );
    }

    #[test]
    fn markdown_lists_count_as_shown() {
        let text =
            "Terms:\n\n1. **Scope**\n\n   x\n\n1. **Fees**\n\n   See Section 2 and Section 3.\n";
        assert_eq!(md(text), ["Section 3"]);
    }

    #[test]
    fn plural_references_are_each_checked() {
        let text = "## 1. A\n\nx\n\n## 2. B\n\nSections 1 and 2 and Sections 1, 2 and 9 survive.\n";
        assert_eq!(md(text), ["9"]);
    }

    #[test]
    fn lettered_paragraphs() {
        let text = "Title\n\n1. Scope\n\nRules:\n(a) one;\n(b) two.\n\nAs paragraph (b) says, and paragraph (c).\n";
        assert_eq!(flagged(&RULE, text), ["paragraph (c)"]);
    }

    #[test]
    fn references_point_at_their_headings() {
        use super::{Resolution, references};
        use crate::syntax::{Document, Format};
        let text = "## 1. Scope\n\nSee Section 2 and Section 5.\n\n## 2. Fees\n\nx\n";
        let doc = Document::parse(text, Format::Markdown);
        let found: Vec<(&str, Option<&str>)> = references(&doc)
            .iter()
            .map(|(r, res)| {
                let target = match res {
                    Resolution::Found(span) => Some(doc.slice(*span)),
                    _ => None,
                };
                (doc.slice(r.span), target)
            })
            .collect();
        assert_eq!(
            found,
            [("Section 2", Some("## 2. Fees")), ("Section 5", None)]
        );
    }

    #[test]
    fn documents_without_numbers_still_have_no_section_nine() {
        assert_eq!(md("## Scope\n\nSee Section 9.\n"), ["Section 9"]);
        assert_eq!(
            flagged(&RULE, "Just a sentence about Section 9."),
            ["Section 9"]
        );
        assert!(flagged(&RULE, "Just a sentence about paragraph 9.").is_empty());
    }

    #[test]
    fn a_subsection_under_its_labelled_container() {
        let text = "Title\n\nArticle 3 - Acceptance\n\n3.1. The licensee accepts the terms.\n\n3.2. Text.\n\nArticle 4 - Grant\n\nAs Article 3.1 says, and Article 3.5 does not.\n";
        assert_eq!(flagged(&RULE, text), ["Article 3.5"]);
    }

    #[test]
    fn items_cited_by_their_path_under_a_section() {
        let text = "Charter\n\n4. Developers\n\n  4.2. Procedure\n\n    1. Resolutions are proposed.\n    2. Delays:\n         1. A first case.\n         2. A second case.\n\n5. Leader\n\n   See §4.2.1, §4.2.2.2, §4.2(1) and §4.2.7.\n";
        assert_eq!(flagged(&RULE, text), ["§4.2.7"]);
        let text = "Title\n\n2. Grant\n\n(a) to use;\n(b) to copy.\n\nSee Section 2(b)(iii) and Section 7(a).\n";
        assert_eq!(flagged(&RULE, text), ["Section 7(a)"]);
    }

    #[test]
    fn a_title_finds_an_unnumbered_heading() {
        let text = "Notice\n\nThe provisions of Section 3 (\"NO WARRANTY\") and Section 4 (\"FEES\") apply.\n\nNO WARRANTY\n\nThe program is provided as is.\n";
        assert_eq!(flagged(&RULE, text), ["Section 4"]);
    }

    #[test]
    fn parts_named_where_they_begin_are_not_references() {
        let text = "Title\n\nPart I: Introduction\n\nText.\n\nPart II: Rules\n\nText and more text. Part III: General provisions\n\nSee Part III and Part IV.\n";
        assert_eq!(flagged(&RULE, text), ["Part IV"]);
        let text = "# T\n\n## 3. Permissions\n\nText. ### 3.2. Limitations\n\nSee section 3.2 and section 3.3.\n";
        assert_eq!(flagged(&RULE, text), ["section 3.3"]);
        let text = "Title\n\n1. Scope\n\nSee Exhibit B.\n\nEXHIBIT A - Notice\n\nText.\nEXHIBIT B - Standards\nText.\n";
        assert!(flagged(&RULE, text).is_empty());
    }

    #[test]
    fn sections_of_documents_named_before_them() {
        let text = "Title\n\n1. Scope\n\nSee Debian Policy's section 5.6.13, the Debian Policy section 12.5, the lease, section 4, and section 9.\n";
        assert_eq!(flagged(&RULE, text), ["section 9"]);
    }

    #[test]
    fn sections_numbered_n_0_and_chapters_of_a_larger_text() {
        let text = "# T\n\n### 1.0 Definitions\n\nText.\n\n### 2.0 Grant\n\nSee Sections 1 and 2, and Section 3.\n";
        assert_eq!(flagged(&RULE, text), ["Section 3"]);
        let text = "10. Upgrading\n\n10.1. About\n\nSee section 3.3 and section 10.2.\n\n10.2. Version 2\n\nText.\n\n10.3. Version 1\n\nSee section 10.9.\n";
        assert_eq!(flagged(&RULE, text), ["section 10.9"]);
    }

    #[test]
    fn items_numbered_in_parentheses_run_in_or_under_letters() {
        let text = "Title\n\n(4) You may distribute.\n\n(5) You may sell.\n\nComply with Section 4, not Section 7.\n";
        assert_eq!(flagged(&RULE, text), ["Section 7"]);
        let text = "Terms\n\nA. Copyright.\n\n     1. Text.\n\n     2. Text.\n\nB. Warranty. Except as in Section A.2, and not Section A.9.\n";
        assert_eq!(flagged(&RULE, text), ["Section A.9"]);
        let text = "Terms\n\n     V. Amendment.\n          V.1. In General. See Section V.2 and Section V.4.           V.2. Other Products. Text.           V.3. Licensing. Text.\n";
        assert_eq!(flagged(&RULE, text), ["Section V.4"]);
    }

    #[test]
    fn a_labelled_number_opening_a_paragraph_names_its_part() {
        let text = "Licence\n\nPART A. CONTRIBUTION AGREEMENT - Licence to the University with Right to\nSublicense.\n\n1. Text.\n\nSee Part A and Part C.\n";
        assert_eq!(flagged(&RULE, text), ["Part C"]);
    }

    #[test]
    fn targets_follow_edits_to_headings_and_title_lines() {
        let text = "# T\n\n## 1. Scope\n\nSee Section 2, Section 3 and Section 9 (\"NO WARRANTY\").\n\n\
                    ## 2. Data\n\nText.\n\nNO WARRANTY\n\nNone.\n";
        let renumbered = text.replace("## 2. Data", "## 3. Data");
        let typed = renumbered.replace("Text.", "Text more.");
        let retitled = typed.replace("NO WARRANTY\n", "NO WARRANTIES\n");
        let found = flagged_after_edits(
            &RULE,
            &[text, &renumbered, &typed, &retitled, text],
            Format::Markdown,
        );
        assert_eq!(found[0], ["Section 3"]);
        assert_eq!(found[1], ["Section 2"]);
        assert_eq!(found[2], found[1]);
        assert_eq!(found[3].len(), 2, "{:?}", found[3]);
        assert_eq!(found[4], found[0]);
    }

    const TEXT: &str = "# Terms\n\n## 1. Scope\n\nSee Section 3 for more.\n\n## 2. Fees\n\nA paragraph of plain words that cites nothing at all, and goes on for much longer than any line that might be a title can ever be.\n\nShort line\n";

    #[test]
    fn an_edit_in_prose_moves_the_last_findings() {
        let edits = [
            ("plain words", "plain, simple words", true),
            ("Section 3", "Section 2", false),
            ("cites nothing", "cites Section 9", false),
            // Its references stay as they were.
            ("simple words", "words", true),
            ("## 2. Fees", "## 3. Fees", false),
            ("Short line", "Short lines", false),
        ];
        moved_after_edits(&RULE, TEXT, Format::Markdown, &edits);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Small edits anywhere: the findings equal a fresh check's after
        /// each, whether they were moved or found again.
        #[test]
        fn findings_after_small_edits_equal_a_fresh_check(
            edits in small_edits("a-zA-Z0-9 #.\n"),
        ) {
            replay_edits(&linter(&RULE), TEXT.to_string(), edits, Format::Markdown)?;
        }
    }
}
