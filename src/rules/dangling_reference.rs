use std::collections::{HashMap, HashSet};

use crate::rules::{
    BlockContext, BlockFacts, Category, Check, DocumentContext, Finding, Severity, declare_rule,
};
use crate::syntax::{
    Document, Label, Numeral, SectionKind, Span, Token, TokenKind, is_abbreviation, link_target,
};

declare_rule! {
    /// ## What it checks
    /// A cross-reference to a part of the document that does not exist:
    /// "see Section 9", "section 4.2", "Article 12", "Chapter IV",
    /// "Annex B", "paragraph (c)" when no heading or numbered paragraph
    /// carries that number. "Section" and "clause" may point at any numbered
    /// heading or paragraph ("4. Fees" is section 4); "Article", "Chapter",
    /// "Part", "Annex", "Appendix", "Schedule" and "Exhibit" are checked
    /// only in documents that have headings with that label. References to
    /// other texts ("Section 5 of the FTC Act", "U.S. Code, Title 17, Section
    /// 512", "Article 46 of the GDPR") are left alone.
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
    /// A parenthesized part after it: the `(b)` of `4.2(b)`.
    pub sub: Option<Numeral>,
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

fn collect(cx: &BlockContext<'_>, facts: &mut BlockFacts) {
    let text = cx.text();
    let tokens = &cx.tokens.tokens;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
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
        while let Some((path, sub, end)) = parse_target(text, tokens, j) {
            found.push((
                Span::new(tokens[j].span.start, tokens[end - 1].span.end),
                path,
                sub,
            ));
            j = skip_title(text, tokens, end);
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
        for (k, (span, path, sub)) in found.into_iter().enumerate() {
            let too_big = path
                .iter()
                .any(|p| p.digits().is_some_and(|n| n > MAX_INTERNAL_NUMBER));
            if too_big {
                continue;
            }
            let span = if k == 0 { t.span.join(span) } else { span };
            facts.references.push(Reference {
                span,
                label,
                path,
                sub,
            });
        }
        i = j;
    }
}

/// Past a title in parentheses after a reference: "Section 4 (Takedowns)".
fn skip_title(text: &str, tokens: &[Token], end: usize) -> usize {
    let spaced = tokens
        .get(end)
        .is_some_and(|t| t.is_punct(text, '(') && t.span.start > tokens[end - 1].span.end);
    if !spaced {
        return end;
    }
    let close = tokens[end + 1..]
        .iter()
        .take(12)
        .position(|t| t.is_punct(text, ')'));
    close.map_or(end, |k| end + 1 + k + 1)
}

fn is_list_joiner(text: &str, t: Token) -> bool {
    let s = t.text(text).to_ascii_lowercase();
    matches!(
        s.as_str(),
        "," | "and" | "or" | "through" | "to" | "-" | "–" | "&"
    )
}

/// The number at `tokens[j..]`: `9`, `4.2`, `D.4`, `IV`, `B`, `(c)`,
/// `2.2(b)`; returns the path, the parenthesized part and the end.
fn parse_target(
    text: &str,
    tokens: &[Token],
    j: usize,
) -> Option<(Vec<Numeral>, Option<Numeral>, usize)> {
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
            // "D.4"
            if adjacent(end).is_some_and(|d| d.is_punct(text, '.')) {
                if let Some(n) = adjacent(end + 1).filter(|n| n.kind == TokenKind::Number) {
                    if let Ok(v) = n.text(text).parse() {
                        path.push(Numeral::Digits(v));
                        end += 2;
                    }
                }
            }
        }
        TokenKind::Punct if first.is_punct(text, '(') => {}
        _ => return None,
    }
    // "(c)" right after the number, or alone for "paragraph (c)".
    let open = if path.is_empty() {
        Some(&tokens[j])
    } else {
        adjacent(end)
    };
    let mut sub = None;
    if let Some(open) = open.filter(|t| t.is_punct(text, '(')) {
        let k = if path.is_empty() { j + 1 } else { end + 1 };
        let inner = tokens.get(k);
        let close = tokens.get(k + 1).filter(|t| t.is_punct(text, ')'));
        if let (Some(inner), Some(_)) = (inner, close) {
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
            if numeral.is_some() && open.span.start >= tokens[j].span.start {
                sub = numeral;
                end = k + 2;
            }
        }
    }
    if path.is_empty() && sub.is_none() {
        return None;
    }
    Some((path, sub, end))
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
    let before: Vec<String> = text[line_start..start]
        .split_whitespace()
        .rev()
        .take(2)
        .map(|w| w.trim_end_matches([',', ';', ':']).to_ascii_lowercase())
        .collect();
    let last = before
        .first()
        .map(|w| w.trim_end_matches('.'))
        .unwrap_or_default();
    EXTERNAL_BEFORE.contains(&last) || before.get(1).is_some_and(|w| w == "title")
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    let doc = cx.doc;
    let targets = Targets::new(doc);
    for facts in cx.facts {
        for r in &facts.references {
            if targets.resolve(r) == Resolution::Missing {
                let text = doc.slice(r.span);
                let kind = r.label.name().to_lowercase();
                out.push(Finding::new(
                    r.span,
                    format!("`{text}` refers to a {kind} this document does not have"),
                ));
            }
        }
    }
}

/// Every cross-reference of `doc` with what it points at: for the language
/// server's hover, go-to-definition and find-references.
pub fn references(doc: &Document) -> Vec<(Reference, Resolution)> {
    let settings = crate::rules::Settings::default();
    let targets = Targets::new(doc);
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
        let mut facts = BlockFacts::default();
        collect(&cx, &mut facts);
        found.extend(facts.references.into_iter().map(|r| {
            let resolution = targets.resolve(&r);
            (r, resolution)
        }));
    }
    found
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
struct Targets {
    /// Paths of numbered headings and paragraphs, also prefixed with their
    /// parents' numbers ("D.4" for "4." under "D."), lowercased.
    paths: HashMap<String, Span>,
    /// Paths of headings by label: ("article", "5").
    labelled: HashMap<(Label, String), Span>,
    /// The labels the document's headings carry.
    labels: HashSet<Label>,
    /// The letters or numbers of parenthesized items: "c" for "(c)".
    subs: HashMap<String, Span>,
    /// The document numbers its headings or paragraphs.
    has_numbers: bool,
}

impl Targets {
    fn new(doc: &Document) -> Targets {
        let mut t = Targets {
            paths: HashMap::new(),
            labelled: HashMap::new(),
            labels: HashSet::new(),
            subs: HashMap::new(),
            has_numbers: doc.headings.iter().any(|h| h.number.is_some()) || !doc.items.is_empty(),
        };
        for (i, section) in doc.outline.sections.iter().enumerate() {
            let SectionKind::Heading(h) = section.kind else {
                continue;
            };
            let heading = &doc.headings[h];
            let Some(number) = &heading.number else {
                continue;
            };
            let at = heading.span;
            let own = path_key(&number.parts);
            for key in keys_of(&number.parts) {
                if let Some(label) = number.label {
                    t.labelled.entry((label, key.clone())).or_insert(at);
                    t.labels.insert(label);
                }
                t.paths.entry(key).or_insert(at);
            }
            // Prefix with the numbers of the enclosing sections.
            let mut full = own;
            let mut parent = doc.outline.sections[i].parent;
            while let Some(p) = parent {
                if let SectionKind::Heading(ph) = doc.outline.sections[p].kind {
                    if let Some(pn) = &doc.headings[ph].number {
                        if pn.parts.len() == 1 && number.parts.len() == 1 {
                            full = format!("{}.{full}", path_key(&pn.parts));
                            t.paths.entry(full.clone()).or_insert(at);
                        }
                    }
                }
                parent = doc.outline.sections[p].parent;
            }
        }
        // In a document without headings, a numbered list is the sections.
        // A Markdown list is shown numbered from its first number on,
        // whatever the later items say ("1. 1. 1." shows as 1, 2, 3).
        let list_is_outline = doc.outline.sections.is_empty();
        let mut shown: HashMap<usize, u32> = HashMap::new();
        for item in &doc.items {
            let at = doc.blocks[item.block].span;
            let key = path_key(&item.number.parts);
            if item.number.form == crate::syntax::Form::Parenthesized {
                t.subs.entry(key).or_insert(at);
                continue;
            }
            t.paths.entry(key).or_insert(at);
            if let (true, Some(list), [Numeral::Digits(n)]) =
                (list_is_outline, item.list, item.number.parts.as_slice())
            {
                let next = shown.entry(list).and_modify(|v| *v += 1).or_insert(*n);
                t.paths.entry(next.to_string()).or_insert(at);
            }
        }
        t
    }

    fn resolve(&self, r: &Reference) -> Resolution {
        let found =
            |span: Option<&Span>| span.map_or(Resolution::Missing, |s| Resolution::Found(*s));
        if r.path.is_empty() {
            // "paragraph (c)": only where paragraphs are lettered.
            let Some(sub) = &r.sub else {
                return Resolution::Unknown;
            };
            if self.subs.is_empty() {
                return Resolution::Unknown;
            }
            return found(self.subs.get(&path_key(std::slice::from_ref(sub))));
        }
        let keys = keys_of(&r.path);
        if r.label.is_generic() {
            // "paragraph 4" in a text without numbered paragraphs counts
            // paragraphs; "Section 4" there has nothing to point at.
            if r.label == Label::Paragraph && !self.has_numbers {
                return Resolution::Unknown;
            }
            // Every numbered heading's path is in `paths`, labelled or not.
            let hit = keys.iter().find_map(|k| self.paths.get(k));
            return found(hit);
        }
        if !self.labels.contains(&r.label) {
            return Resolution::Unknown;
        }
        found(
            keys.iter()
                .find_map(|k| self.labelled.get(&(r.label, k.clone()))),
        )
    }
}

/// `4.2`, `d.4`, `iv`: components lowercased and joined by dots.
fn path_key(parts: &[Numeral]) -> String {
    let parts: Vec<String> = parts.iter().map(|p| p.to_string().to_lowercase()).collect();
    parts.join(".")
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
    use crate::rules::testing::{flagged, flagged_in};
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
}
