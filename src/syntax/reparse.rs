//! Parsing a document again after an edit, reading only the blocks around
//! the edit.
//!
//! Markdown's blocks are read top to bottom, and a block that starts at the
//! left margin after a blank line, where the last parse began a paragraph,
//! heading, table, code or HTML block, starts afresh: no list, quote or
//! fence is open across its first line, and nothing before it depends on
//! what follows. Between such a block before the edit and one after it, the
//! new text is parsed alone; the one after must come out as the same block
//! it was, which shows that the edit left nothing open across it. From
//! there on the old blocks are moved, not read. Two things reach across the
//! whole document: link reference definitions, which the region is parsed
//! with, and footnotes, near which the whole text is parsed again.
//!
//! Plain text is always parsed whole: its layout (indentation, numbering
//! styles, tables of contents) is decided over the whole document.
//!
//! Invariant (tested with random edits, and by the `lsp_document` fuzz
//! target): `old.reparse(text)` gives exactly `Document::parse(text, format)`.

use std::ops::Range;

use super::{
    Block, BlockKind, Document, Edited, Format, Heading, Link, MetadataField, NumberedItem, Parsed,
    Span, Suppression, language, markdown, outline, without_bom,
};

/// Which blocks of a re-parsed document are new.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Splice {
    /// The old document's blocks that were parsed again; those before are
    /// unchanged, those after are the same blocks moved by `delta` bytes.
    pub old: Range<usize>,
    /// The blocks that took their place in the new document.
    pub new: Range<usize>,
    pub delta: isize,
}

/// The most text looked through on either side of an edit for a block to
/// start afresh from: beyond it, parsing the whole text costs little more.
const MAX_REACH: usize = 64 << 10;

impl Document {
    /// The document of `text`, an edited version of this document's text.
    /// Only the blocks around the edit are parsed again where that is sure
    /// to give what parsing the whole text gives; the splice says which
    /// blocks are new, and is `None` when the whole text was parsed.
    pub fn reparse(&self, text: String) -> (Document, Option<Splice>) {
        let text = without_bom(text);
        let change = changed(&self.text, &text);
        self.reparse_changed(text, change)
    }

    /// [`Document::reparse`], told how this document's text became `text`
    /// (without its byte-order mark), as an editor that made the change
    /// knows: the two texts are then compared only near the change.
    pub fn reparse_within(&self, text: String, within: Change) -> (Document, Option<Splice>) {
        let text = without_bom(text);
        let change = changed_within(&self.text, &text, within);
        self.reparse_changed(text, change)
    }

    /// `text`, which `change` (as narrow as can be) made of this document's.
    fn reparse_changed(&self, text: String, change: Change) -> (Document, Option<Splice>) {
        let edited = Some(Edited {
            from: self.revision,
            change,
        });
        if self.format == Format::Markdown {
            if let Some(region) = Region::find(self, change) {
                if let Some(parsed) = region.parse(self, &text) {
                    let (mut doc, splice) = region.splice(self, text, parsed);
                    doc.edited = edited;
                    return (doc, splice);
                }
            }
        }
        let mut doc = Document::parse(text, self.format);
        doc.edited = edited;
        (doc, None)
    }
}

/// The part of the text parsed again.
struct Region {
    /// The old blocks it held.
    blocks: Range<usize>,
    /// Where it starts, in both texts.
    start: usize,
    /// Where it ends in the old text and in the new.
    old_end: usize,
    new_end: usize,
    /// The old block it ends with, which the new parse must give again.
    last: Option<usize>,
}

impl Region {
    /// The region around `change`, the edit of `old`'s text, if blocks that
    /// start afresh bound it near enough.
    fn find(old: &Document, change: Change) -> Option<Region> {
        let Change {
            start: edit_start,
            old_end: edit_old_end,
            new_end: edit_new_end,
        } = change;
        let delta = edit_new_end as isize - edit_old_end as isize;
        let blocks = &old.blocks;

        // The last fresh start before the edit (whose first byte the edit
        // leaves alone), or the top of the document.
        let mut first = blocks.partition_point(|b| b.span.start < edit_start);
        let first = loop {
            if first == 0 {
                break None;
            }
            first -= 1;
            if starts_afresh(old, first) {
                break Some(first);
            }
            if edit_start - blocks[first].span.start > MAX_REACH {
                return None;
            }
        };
        let (first, start) = first.map_or((0, 0), |i| (i, blocks[i].span.start));
        // A `---` that opens no metadata block yet would open one if a
        // `---` below came to close it.
        if old.derived.openers.first().is_some_and(|&o| o < start) {
            return None;
        }

        // The first fresh start after it (which the edit leaves whole),
        // included in the region, or the end of the document.
        let mut last = blocks.partition_point(|b| b.span.start <= edit_old_end);
        while last < blocks.len() && !starts_afresh(old, last) {
            if blocks[last].span.start - edit_old_end > MAX_REACH {
                return None;
            }
            last += 1;
        }
        let (end, old_end, last) = match blocks.get(last) {
            Some(block) => (last + 1, block.span.end, Some(last)),
            None => (blocks.len(), old.text.len(), None),
        };
        Some(Region {
            blocks: first..end,
            start,
            old_end,
            new_end: (old_end as isize + delta) as usize,
            last,
        })
    }

    /// The new text of the region parsed alone, with the document's link
    /// reference definitions; `None` if that parse may differ from the
    /// whole text's.
    fn parse(&self, old: &Document, text: &str) -> Option<Parsed> {
        let source = &text[self.start..self.new_end];
        let old_source = &old.text[self.start..self.old_end];
        if source.contains("[^") || old_source.contains("[^") {
            return None;
        }
        let definitions = &old.derived.definitions;
        let outside: Vec<&str> = definitions
            .iter()
            .filter(|d| d.end <= self.start || d.start >= self.old_end)
            .map(|d| d.of(&old.text))
            .collect();
        if outside.len() != definitions.len() {
            return None;
        }
        let mut region = source.to_string();
        for definition in &outside {
            region.push_str("\n\n");
            region.push_str(definition);
        }
        let mut parsed = markdown::parse_blocks(&region);
        // The region's own definitions would reach beyond it; the others
        // must all have been read as definitions (not swallowed by an open
        // fence or comment).
        if parsed.definitions.len() != outside.len()
            || parsed.definitions.iter().any(|d| d.start < source.len())
        {
            return None;
        }
        parsed.definitions.clear();
        let region = Span::new(self.start, self.new_end);
        if !metadata_openers(text, region, &parsed.blocks, self.start).is_empty() {
            return None;
        }
        let blocks = &parsed.blocks;
        if self.start > 0 {
            let first = blocks.first()?;
            if first.span.start != 0 || !is_fresh_kind(first.kind) {
                return None;
            }
        }
        if blocks.iter().any(|b| b.span.end > source.len()) {
            return None;
        }
        if let Some(last) = self.last {
            let was = &old.blocks[last];
            let now = blocks.last()?;
            // Where the old block now is, in the region's text.
            let moved = self.new_end as isize - self.old_end as isize - self.start as isize;
            let same = now.kind == was.kind
                && now.span == was.span.moved(moved)
                && now.prose.len() == was.prose.len()
                && now
                    .prose
                    .iter()
                    .zip(&was.prose)
                    .all(|(n, w)| *n == w.moved(moved));
            if !same {
                return None;
            }
        }
        Some(parsed)
    }

    /// The new document: the old one's parts before and after the region
    /// around `parsed`, the region's parse.
    fn splice(&self, old: &Document, text: String, parsed: Parsed) -> (Document, Option<Splice>) {
        let delta = self.new_end as isize - self.old_end as isize;
        let before = self.blocks.start;
        let after = self.blocks.end;
        let new_blocks = before..before + parsed.blocks.len();
        let list_starts = &old.derived.list_starts;
        let lists_before = list_starts.partition_point(|&s| s < self.start);
        let lists_in = list_starts.partition_point(|&s| s < self.old_end) - lists_before;
        // The region's parts move from its own text into the document's;
        // the old parts after it move by what the edit changed.
        let into = Move {
            bytes: self.start as isize,
            blocks: before as isize,
            lists: lists_before as isize,
        };
        let onward = Move {
            bytes: delta,
            blocks: new_blocks.len() as isize - self.blocks.len() as isize,
            lists: parsed.list_starts.len() as isize - lists_in as isize,
        };
        let by_block = |block: usize| side(block, &self.blocks);
        let by_byte = |byte: usize| side(byte, &(self.start..self.old_end));

        // The blocks (and what is read from the new ones) on one core, the
        // other parts on the other: a keystroke in a large document moves
        // tens of thousands of each.
        let Parsed {
            blocks: parsed_blocks,
            headings: parsed_headings,
            items: parsed_items,
            metadata: parsed_metadata,
            suppressions: parsed_suppressions,
            links: parsed_links,
            list_starts: parsed_list_starts,
            ..
        } = parsed;
        let (
            (blocks, verdicts, leads),
            (headings, items, metadata, suppressions, links, list_starts, openers, definitions),
        ) = rayon::join(
            || {
                let blocks = merge(&old.blocks, parsed_blocks, |_, i| by_block(i), into, onward);
                let new_verdicts = language::verdicts(&text, &blocks[new_blocks.clone()]);
                let mut verdicts = old.derived.verdicts[..before].to_vec();
                verdicts.extend(new_verdicts);
                verdicts.extend_from_slice(&old.derived.verdicts[after..]);
                let mut leads = old.derived.leads[..before].to_vec();
                leads.extend(
                    blocks[new_blocks.clone()]
                        .iter()
                        .map(|b| outline::lead_sentence(&text, b)),
                );
                leads.extend(
                    old.derived.leads[after..]
                        .iter()
                        .map(|l| l.map(|s| s.moved(delta))),
                );
                (blocks, verdicts, leads)
            },
            || {
                let headings = merge(
                    &old.headings,
                    parsed_headings,
                    |h, _| by_block(h.block),
                    into,
                    onward,
                );
                let items = merge(
                    &old.items,
                    parsed_items,
                    |i, _| by_block(i.block),
                    into,
                    onward,
                );
                let metadata = merge(
                    &old.metadata,
                    parsed_metadata,
                    |m, _| by_block(m.block),
                    into,
                    onward,
                );
                let suppressions = merge(
                    &old.suppressions,
                    parsed_suppressions,
                    |s, _| by_byte(s.span.start),
                    into,
                    onward,
                );
                let links = merge(
                    &old.links,
                    parsed_links,
                    |l, _| by_byte(l.span.start),
                    into,
                    onward,
                );
                let list_starts = merge(
                    list_starts,
                    parsed_list_starts,
                    |&s, _| by_byte(s),
                    into,
                    onward,
                );
                // The region holds no definitions and no openers (or it was
                // not parsed alone).
                let openers = merge(
                    &old.derived.openers,
                    Vec::new(),
                    |&o, _| by_byte(o),
                    into,
                    onward,
                );
                let definitions = merge(
                    &old.derived.definitions,
                    Vec::new(),
                    |d, _| by_byte(d.start),
                    into,
                    onward,
                );
                (
                    headings,
                    items,
                    metadata,
                    suppressions,
                    links,
                    list_starts,
                    openers,
                    definitions,
                )
            },
        );
        let title = markdown::title(&text, &blocks, &headings, &metadata);
        let parsed = Parsed {
            blocks,
            title,
            metadata,
            headings,
            items,
            contents: Vec::new(),
            suppressions,
            links,
            list_starts,
            definitions,
            openers,
        };
        let doc = Document::assemble(text, Format::Markdown, parsed, verdicts, leads);
        let splice = Splice {
            old: self.blocks.clone(),
            new: new_blocks,
            delta,
        };
        (doc, Some(splice))
    }
}

/// Which side of a region something is on.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Side {
    Before,
    Inside,
    After,
}

fn side(at: usize, region: &Range<usize>) -> Side {
    if at < region.start {
        Side::Before
    } else if at < region.end {
        Side::Inside
    } else {
        Side::After
    }
}

/// How a part of a document moves: in the text, in the list of blocks, in
/// the numbering of lists.
#[derive(Copy, Clone)]
struct Move {
    bytes: isize,
    blocks: isize,
    lists: isize,
}

/// A part of a parsed document, which a re-parse moves.
trait Part: Clone {
    fn shift(&mut self, by: Move);
}

/// The old parts before the region, the region's parts (moved `into` the
/// document) and the old parts after it (moved `onward`). `side` says
/// where an old part (the `i`-th) is.
fn merge<T: Part>(
    old: &[T],
    region: Vec<T>,
    side: impl Fn(&T, usize) -> Side,
    into: Move,
    onward: Move,
) -> Vec<T> {
    let mut merged = Vec::with_capacity(old.len() + region.len());
    let mut old = old.iter().enumerate().peekable();
    while let Some((_, part)) = old.next_if(|&(i, p)| side(p, i) == Side::Before) {
        merged.push(part.clone());
    }
    for mut part in region {
        part.shift(into);
        merged.push(part);
    }
    for (_, part) in old.filter(|&(i, p)| side(p, i) == Side::After) {
        let mut part = part.clone();
        part.shift(onward);
        merged.push(part);
    }
    merged
}

/// Where lines of `---` begin that may open a metadata block, outside the
/// metadata blocks of `blocks`. pulldown-cmark takes a `---` that begins a
/// block, followed by a line that is not blank, for the start of a metadata
/// block if a line of `---` or `...` anywhere below closes it: an edit far
/// below such a line can turn everything between into metadata. Lines in
/// lists and quotes are counted too, and setext underlines, which is more
/// than needed and never less.
pub(super) fn metadata_openers(
    text: &str,
    within: Span,
    blocks: &[Block],
    offset: usize,
) -> Vec<usize> {
    let may_prefix = |s: &str| {
        s.chars().all(|c| {
            c.is_whitespace()
                || matches!(c, '>' | '*' | '+' | '-' | '.' | ')')
                || c.is_ascii_digit()
        }) && !s.ends_with('-')
    };
    let inside_metadata = |at: usize| {
        let at = at - offset;
        blocks
            .get(blocks.partition_point(|b| b.span.end <= at))
            .is_some_and(|b| b.kind == BlockKind::FrontMatter && b.span.start <= at)
    };
    let mut openers = Vec::new();
    for found in memchr::memmem::find_iter(within.of(text).as_bytes(), b"---") {
        let found = within.start + found;
        let line_start = text[..found].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[found..].find('\n').map_or(text.len(), |i| found + i);
        let line = &text[line_start..line_end];
        let at = found - line_start;
        if line[at + 3..].trim().is_empty() && may_prefix(&line[..at]) {
            let next_line = text[(line_end + 1).min(text.len())..].lines().next();
            if next_line.is_some_and(|l| !l.trim().is_empty()) && !inside_metadata(found) {
                openers.push(found);
            }
        }
    }
    openers
}

/// How a text changed: the bytes `start..old_end` of the old text became
/// `start..new_end` of the new. All three are character boundaries of both.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl Change {
    /// The whole of `old` replaced by the whole of `new`.
    pub fn whole(old: &str, new: &str) -> Change {
        Change {
            start: 0,
            old_end: old.len(),
            new_end: new.len(),
        }
    }

    /// Where a position of the old text outside the change is in the new.
    pub fn moved(self, at: usize) -> usize {
        if at < self.start {
            at
        } else {
            at - self.old_end + self.new_end
        }
    }

    /// This change followed by `next` (a change of the text this one made),
    /// as one change of the first text.
    pub fn then(self, next: Change) -> Change {
        // The span of the text between the two that either touched.
        let start = self.start.min(next.start);
        let end = self.new_end.max(next.old_end);
        Change {
            start,
            old_end: end - self.new_end + self.old_end,
            new_end: end - next.old_end + next.new_end,
        }
    }
}

/// Where `old` and `new` differ, as narrowly as can be said: the longest
/// common start, then the longest common end of what remains, each on
/// character boundaries of both. Compared a large chunk at a time (one
/// `memcmp` each), then a small one, then a byte: a keystroke in a large
/// document costs a few thousand comparisons, not millions.
pub fn changed(old: &str, new: &str) -> Change {
    changed_within(old, new, Change::whole(old, new))
}

/// [`changed`], knowing that `old` became `new` by `within`: only the
/// bytes near it are compared. `within` must be true of the two texts; one
/// that cannot be (reaching past either) is not used.
pub fn changed_within(old: &str, new: &str, within: Change) -> Change {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let fits = within.start <= within.old_end
        && within.start <= within.new_end
        && within.old_end <= a.len()
        && within.new_end <= b.len()
        && a.len() - within.old_end == b.len() - within.new_end;
    let within = if fits {
        within
    } else {
        Change::whole(old, new)
    };
    debug_assert!(
        a[..within.start] == b[..within.start] && a[within.old_end..] == b[within.new_end..],
        "{within:?} is not how the text changed"
    );
    let shorter = a.len().min(b.len());
    let mut prefix =
        within.start + common_prefix(&a[within.start..shorter], &b[within.start..shorter]);
    while !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    // The known common end, as far as it lies past the common start.
    let known = (a.len() - within.old_end)
        .min(a.len() - prefix)
        .min(b.len() - prefix);
    let mut suffix =
        known + common_suffix(&a[prefix..a.len() - known], &b[prefix..b.len() - known]);
    while !old.is_char_boundary(old.len() - suffix) {
        suffix -= 1;
    }
    Change {
        start: prefix,
        old_end: a.len() - suffix,
        new_end: b.len() - suffix,
    }
}

/// How many bytes `a` and `b`, of equal length, share from the start.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let mut same = 0;
    for chunk in [4096, 64, 1] {
        while same + chunk <= a.len() && a[same..same + chunk] == b[same..same + chunk] {
            same += chunk;
        }
    }
    same
}

/// How many bytes `a` and `b` share at their ends, at most the shorter's
/// length.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let most = a.len().min(b.len());
    let (a, b) = (&a[a.len() - most..], &b[b.len() - most..]);
    let mut same = 0;
    for chunk in [4096, 64, 1] {
        while same + chunk <= most
            && a[most - same - chunk..most - same] == b[most - same - chunk..most - same]
        {
            same += chunk;
        }
    }
    same
}

/// Kinds of block that only begin at the top level of a document when they
/// begin at the left margin (list items continue their list).
fn is_fresh_kind(kind: BlockKind) -> bool {
    matches!(
        kind,
        BlockKind::Paragraph
            | BlockKind::Heading
            | BlockKind::Metadata
            | BlockKind::Table
            | BlockKind::Code
            | BlockKind::Html
    )
}

/// Whether `doc.blocks[index]` starts afresh: a kind that begins at the top
/// level, at the left margin, after a blank line.
fn starts_afresh(doc: &Document, index: usize) -> bool {
    let block = &doc.blocks[index];
    let before = &doc.text[..block.span.start];
    let Some(rest) = before.strip_suffix('\n') else {
        return false;
    };
    let previous_line = &rest[rest.rfind('\n').map_or(0, |i| i + 1)..];
    is_fresh_kind(block.kind) && previous_line.trim().is_empty()
}

fn moved(at: usize, by: isize) -> usize {
    at.wrapping_add_signed(by)
}

impl Part for usize {
    fn shift(&mut self, by: Move) {
        *self = moved(*self, by.bytes);
    }
}

impl Part for Span {
    fn shift(&mut self, by: Move) {
        *self = self.moved(by.bytes);
    }
}

impl<T: Part> Part for Option<T> {
    fn shift(&mut self, by: Move) {
        if let Some(part) = self {
            part.shift(by);
        }
    }
}

impl<T: Part> Part for Vec<T> {
    fn shift(&mut self, by: Move) {
        self.iter_mut().for_each(|part| part.shift(by));
    }
}

impl Part for Block {
    fn shift(&mut self, by: Move) {
        self.span.shift(by);
        self.prose.iter_mut().for_each(|run| run.shift(by));
    }
}

impl Part for Heading {
    fn shift(&mut self, by: Move) {
        self.block = moved(self.block, by.blocks);
        self.span.shift(by);
        self.text.shift(by);
        self.title.shift(by);
        if let Some(number) = &mut self.number {
            number.span.shift(by);
        }
    }
}

impl Part for NumberedItem {
    fn shift(&mut self, by: Move) {
        self.block = moved(self.block, by.blocks);
        self.number.span.shift(by);
        if let Some(list) = &mut self.list {
            *list = moved(*list, by.lists);
        }
    }
}

impl Part for MetadataField {
    fn shift(&mut self, by: Move) {
        self.block = moved(self.block, by.blocks);
        self.key.shift(by);
        self.value.shift(by);
    }
}

impl Part for Suppression {
    fn shift(&mut self, by: Move) {
        self.span.shift(by);
        self.word.shift(by);
        self.rules.shift(by);
    }
}

impl Part for Link {
    fn shift(&mut self, by: Move) {
        self.span.shift(by);
        self.dest_span.shift(by);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Revision;
    use proptest::prelude::*;

    const BASE: &str = "---\ntitle: Privacy Policy\n---\n\n# Privacy Policy\n\nBy:\n\n## 1. Scope\n\nWe recieve the the data of an user. See [Section 4](#4-law) and [the terms][terms].\n\n- one\n- two\n\n  more of two\n\n1. first\n2. second\n\n## 2. Fees\n\n\"Fee\" means a charge. The PGO sets fees.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode [terms]\n```\n\n<!-- policylint-disable repeated-word -->\n\n> Quoted text.\n\n## 4.0 Law\n\nText here. Run in. More text here.\n\nUse it. More.\n\nFix it. More.\n\n[terms]: https://example.com/terms\n\nDer Lizenzgeber räumt Ihnen das Recht ein, das Werk zu nutzen.\n";

    /// The two documents' descriptions, but for which parse made them.
    fn described(a: &Document, b: &Document, alternate: bool) -> (String, String) {
        let describe = |d: &Document| {
            let mut d = d.clone();
            d.revision = Revision(0);
            d.edited = None;
            if alternate {
                format!("{d:#?}")
            } else {
                format!("{d:?}")
            }
        };
        (describe(a), describe(b))
    }

    fn same(a: &Document, b: &Document) -> bool {
        let (a, b) = described(a, b, false);
        a == b
    }

    /// Where the two documents' descriptions first differ.
    fn difference(a: &Document, b: &Document) -> String {
        let (a, b) = described(a, b, true);
        let line = a
            .lines()
            .zip(b.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(0);
        let around = |s: &str| {
            s.lines()
                .skip(line.saturating_sub(8))
                .take(16)
                .collect::<Vec<_>>()
                .join("\n")
        };
        format!("re-parsed:\n{}\nparsed:\n{}", around(&a), around(&b))
    }

    #[test]
    fn an_edit_in_a_paragraph_parses_only_around_it() {
        let old = Document::parse(BASE, Format::Markdown);
        let text = BASE.replace("The PGO sets fees.", "The PGO sets the fees.");
        let (new, splice) = old.reparse(text.clone());
        assert!(same(&new, &Document::parse(text, Format::Markdown)));
        let splice = splice.expect("re-parsed in part");
        assert!(splice.new.len() <= 3, "{splice:?}");
        assert_eq!(splice.delta, 4);
    }

    #[test]
    fn an_edit_that_opens_a_fence_parses_on_until_it_closes() {
        let old = Document::parse(BASE, Format::Markdown);
        let text = BASE.replace("The PGO sets fees.", "```\nThe PGO sets fees.");
        let (new, _) = old.reparse(text.clone());
        assert!(same(&new, &Document::parse(text, Format::Markdown)));
    }

    #[test]
    fn plain_text_is_parsed_whole() {
        let old = Document::parse("Title\n\n1. One\n\nText.\n", Format::Plain);
        let (new, splice) = old.reparse("Title\n\n1. One\n\nText here.\n".to_string());
        assert_eq!(splice, None);
        assert_eq!(new.blocks.len(), old.blocks.len());
    }

    fn change(start: usize, old_end: usize, new_end: usize) -> Change {
        Change {
            start,
            old_end,
            new_end,
        }
    }

    #[test]
    fn where_the_texts_differ() {
        assert_eq!(changed("abc", "abc"), change(3, 3, 3));
        assert_eq!(changed("abc", "abxc"), change(2, 2, 3));
        assert_eq!(changed("aaaa", "aa"), change(2, 4, 2));
        let long = "x".repeat(1000);
        assert_eq!(
            changed(&long, &format!("{long}y")),
            change(1000, 1000, 1001)
        );
        // Told a change that cannot be, it compares the whole texts.
        assert_eq!(
            changed_within("abc", "abxc", change(5, 9, 1)),
            change(2, 2, 3)
        );
    }

    #[test]
    fn changes_in_a_row_make_one() {
        // "abcdef" → "abXYef" → "aZYef"
        let first = change(2, 4, 4);
        let second = change(1, 3, 2);
        assert_eq!(first.then(second), change(1, 4, 3));
        // Apart: "abcdef" → "aXcdef" → "aXcdeYf"
        assert_eq!(change(1, 2, 2).then(change(5, 5, 6)), change(1, 5, 6));
    }

    /// The shortest change that turns one text into the other, found a
    /// byte at a time.
    fn changed_bytewise(old: &str, new: &str) -> Change {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let mut prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        while !new.is_char_boundary(prefix) {
            prefix -= 1;
        }
        let most = a.len().min(b.len()) - prefix;
        let mut suffix = (0..most)
            .take_while(|&i| a[a.len() - 1 - i] == b[b.len() - 1 - i])
            .count();
        while !old.is_char_boundary(old.len() - suffix) {
            suffix -= 1;
        }
        change(prefix, a.len() - suffix, b.len() - suffix)
    }

    /// `text` with the bytes `from..to` (widened to character boundaries)
    /// replaced by `inserted`, and how it changed.
    fn replaced(text: &str, from: usize, to: usize, inserted: &str) -> (String, Change) {
        let mut from = from.min(text.len());
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = to.clamp(from, text.len());
        while !text.is_char_boundary(to) {
            to += 1;
        }
        let new = format!("{}{inserted}{}", &text[..from], &text[to..]);
        (new, change(from, to, from + inserted.len()))
    }

    proptest! {
        // Texts long enough for every size of chunk, edited anywhere.
        #[test]
        fn changed_is_the_bytewise_change(
            unit in "[aé\n]{1,9}",
            repeats in 0..1500usize,
            at in 0.0..1.0f64,
            removed in 0..300usize,
            inserted in "[aéb]{0,4}",
        ) {
            let old = unit.repeat(repeats);
            let from = (old.len() as f64 * at) as usize;
            let (new, edit) = replaced(&old, from, from + removed, &inserted);
            let narrowest = changed_bytewise(&old, &new);
            prop_assert_eq!(changed(&old, &new), narrowest);
            prop_assert_eq!(changed_within(&old, &new, edit), narrowest);
        }

        // Two edits in a row, told as one, narrow to the change between
        // the first text and the last.
        #[test]
        fn edits_in_a_row_narrow_to_the_change(
            old in "[aé\n]{0,40}",
            first in (0..45usize, 0..5usize, "[aéb]{0,3}"),
            second in (0..45usize, 0..5usize, "[aéb]{0,3}"),
        ) {
            let (middle, one) = replaced(&old, first.0, first.0 + first.1, &first.2);
            let (new, two) = replaced(&middle, second.0, second.0 + second.1, &second.2);
            prop_assert_eq!(changed_within(&old, &new, one.then(two)), changed_bytewise(&old, &new));
        }
    }

    fn edit_strategy() -> impl Strategy<Value = (f64, f64, String)> {
        let pieces = prop_oneof![
            Just(String::new()),
            Just("\n\n".to_string()),
            Just("\n".to_string()),
            Just("```\n".to_string()),
            Just("~~~".to_string()),
            Just("<!-- ".to_string()),
            Just(" -->".to_string()),
            Just("<div>\n".to_string()),
            Just("- ".to_string()),
            Just("2. ".to_string()),
            Just("> ".to_string()),
            Just("    ".to_string()),
            Just("# ".to_string()),
            Just("\n---\n".to_string()),
            Just("\n===\n".to_string()),
            Just("|---|\n".to_string()),
            Just("[terms]: https://example.org/\n".to_string()),
            Just("[x]: /y\n\n".to_string()),
            Just("[terms] [x] ".to_string()),
            Just("[^1] ".to_string()),
            Just("\n[^1]: Note.\n".to_string()),
            Just("title: Other\n".to_string()),
            Just("Key: value\n".to_string()),
            Just("4. Extra\n\n".to_string()),
            Just("Short lead. And more. ".to_string()),
            Just("Le donneur de licence vous accorde le droit. ".to_string()),
            Just("é😀中 ".to_string()),
            Just("<!-- policylint-disable-next-line article -->\n".to_string()),
            "[a-zA-Z .\n#>*`|:\\[\\]-]{0,16}".prop_map(|s| s),
        ];
        (0.0..1.0f64, 0.0..0.1f64, pieces)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn reparse_equals_parse(edits in prop::collection::vec(edit_strategy(), 1..10)) {
            let mut text = BASE.to_string();
            let mut doc = Document::parse(text.as_str(), Format::Markdown);
            for (at, len, insert) in edits {
                let start = super::super::floor_char_boundary(&text, (at * text.len() as f64) as usize);
                let end = super::super::floor_char_boundary(&text, start + (len * text.len() as f64) as usize);
                let old_text = text.clone();
                text.replace_range(start..end, &insert);
                let (next, splice) = doc.reparse(text.clone());
                let fresh = Document::parse(text.as_str(), Format::Markdown);
                prop_assert!(same(&next, &fresh), "{:?}\n{:?}\n{}", text, splice, difference(&next, &fresh));
                // Told the edit, the same; either way the document says
                // how it came from the last.
                let told = doc.reparse_within(text.clone(), change(start, end, start + insert.len()));
                prop_assert!(same(&told.0, &next));
                prop_assert_eq!(&told.1, &splice);
                let edited = Edited { from: doc.revision, change: changed(&old_text, &text) };
                prop_assert_eq!(next.edited, Some(edited));
                prop_assert_eq!(told.0.edited, Some(edited));
                prop_assert_ne!(next.revision, doc.revision);
                if let Some(splice) = splice {
                    prop_assert_eq!(
                        doc.blocks.len() - splice.old.len() + splice.new.len(),
                        next.blocks.len()
                    );
                }
                doc = next;
            }
        }
    }
}
