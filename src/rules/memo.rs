//! What the document rules keep from one check of a document to the next.
//!
//! The language server checks a document again after every edit, taking
//! the facts of the blocks the edit left alone from its cache. What a
//! document rule derives from a block is kept here, lined up with the
//! blocks, so that after an edit it reads again only the blocks whose
//! facts are new. A value kept for a block depends on nothing but the block
//! (its kind, language, text and prose: what its facts' [`FactsId`] stands
//! for) and on what the memo records beside it (the defined terms it was
//! read with), and its positions are relative to the block's start. What
//! is derived from the text itself follows the text's changes ([`Text`]).
//!
//! Invariant: a check with a memo gives exactly what a check without one
//! gives (see `lint::incremental`).

use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::{DocumentContext, Finding};
use super::{
    dangling_reference, defined_terms, duplicate_heading, missing_anchor, misspelling, term_case,
    undefined_acronym, undefined_term,
};
use crate::syntax::{BlockKind, Change, Document, LineIndex, Revision, Span};

/// Which run of the collectors made a block's facts: copies share it, facts
/// made again get a new one. Blocks whose facts share an id have the same
/// kind, language, text and prose.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct FactsId(u64);

impl Default for FactsId {
    fn default() -> FactsId {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        FactsId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// What the document rules kept of the last check of a document. Made with
/// the linter it is used with: a new configuration needs a new memo. The
/// rules run side by side, each with its own part: a part has its own
/// lock, so that a rule reading its part never waits for another's.
#[derive(Debug, Default)]
pub struct Memo {
    pub(crate) text: Part<Text>,
    pub(crate) heading_titles: Part<HeadingTitles>,
    /// The lines of `text`, at the version of `text` they count.
    pub(crate) lines: Part<Option<(u64, LineIndex)>>,
    pub(crate) dangling_reference: Part<dangling_reference::Memo>,
    pub(crate) duplicate_heading: Part<duplicate_heading::Memo>,
    pub(crate) glossary: Part<defined_terms::Memo>,
    pub(crate) missing_anchor: Part<missing_anchor::Memo>,
    pub(crate) misspelling: Part<misspelling::Memo>,
    /// The findings of the rules that move them with the text.
    pub(crate) found: Found,
    pub(crate) term_case: Part<term_case::Memo>,
    pub(crate) undefined_acronym: Part<undefined_acronym::Memo>,
    pub(crate) undefined_term: Part<undefined_term::Memo>,
    /// How long each document rule took in the last check, in the order of
    /// the linter's rules: the next check starts the longest first.
    pub(crate) durations: Vec<Duration>,
}

/// The findings kept by each rule that moves them with the text when an
/// edit changed nothing it reads (see [`Unread`]).
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub dangling_reference: Part<Unread>,
    pub duplicate_heading: Part<Unread>,
    pub empty_section: Part<Unread>,
    pub missing_anchor: Part<Unread>,
    pub numbering: Part<Unread>,
}

#[cfg(test)]
impl Found {
    /// The findings `rule` keeps.
    pub fn of(&mut self, rule: &super::Rule) -> &mut Part<Unread> {
        match rule.name {
            "dangling-reference" => &mut self.dangling_reference,
            "duplicate-heading" => &mut self.duplicate_heading,
            "empty-section" => &mut self.empty_section,
            "missing-anchor" => &mut self.missing_anchor,
            "numbering" => &mut self.numbering,
            name => panic!("{name} keeps no findings to move"),
        }
    }
}

/// One part of the memo, behind its own lock.
#[derive(Debug, Default)]
pub(crate) struct Part<T>(Mutex<T>);

impl<T> Part<T> {
    /// The part, for the rule that keeps it. A rule panicking while it
    /// held the part leaves it as it was then; the next check reads it
    /// as any other.
    pub fn lock(&self) -> MutexGuard<'_, T> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn get_mut(&mut self) -> &mut T {
        self.0
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Which text the last check that asked how the text changed read. What
/// is derived from the text itself (not from blocks) is kept with the
/// version it was derived from, and follows each change, or is made again
/// when it missed one.
#[derive(Debug, Default)]
pub(crate) struct Text {
    /// The document read, and the length of its text.
    read: Option<(Revision, usize)>,
    /// Counts the changes.
    version: u64,
}

impl Text {
    /// Takes `doc`'s text as the text: how it differs from the last, and
    /// the new version. A document re-parsed from the last one says how;
    /// any other is taken as changed whole.
    pub fn update(&mut self, doc: &Document) -> (u64, Change) {
        let change = match (self.read, doc.edited) {
            (Some((read, _)), Some(edited)) if edited.from == read => edited.change,
            (read, _) => Change {
                start: 0,
                old_end: read.map_or(0, |(_, len)| len),
                new_end: doc.text.len(),
            },
        };
        self.read = Some((doc.revision, doc.text.len()));
        self.version += 1;
        (self.version, change)
    }
}

/// A document rule's findings, kept so that the next check moves them with
/// the text instead of finding them again when the edit since changed
/// nothing the rule reads.
///
/// The rule says what it reads of each block ([`Reads`]): nothing, the
/// whole text (of a heading, a numbered item, a link, …), or only what it
/// digests of the block (the references a paragraph makes, say); of each
/// block the memo keeps its kind and, for those it reads, a hash of its
/// text or the rule's digest. The findings are moved when they are those of
/// the check of the version before, and the edit since lies inside the
/// blocks made anew, which are as many as those they replace, of the same
/// kinds, and read as those did (the same text, or the same digest); and
/// the edit touches no finding, no fix and no text the rule says it read
/// besides (`Kept::read`). A rule whose messages name lines also needs the
/// lines as many as before: then no line outside the edit changed its
/// number.
///
/// This is sound for a rule whose findings depend only on what it reads
/// of the blocks, on other blocks' kinds and on the text it says it read:
/// all of these are then the same, moved. A digest must hold all that the
/// findings take from the block but for where it stands, and what a
/// finding quotes of the text must lie under it. (An edit may still touch a
/// finding from outside the blocks it marks: one next to a link whose
/// paragraph kept its text, say; then the findings are found again.)
#[derive(Debug, Default)]
pub(crate) struct Unread {
    blocks: PerBlock<Marks>,
    kept: Option<Kept>,
    /// Checks that moved the last findings (for tests).
    pub moves: usize,
}

/// What a rule reads of a block besides its kind (see [`Unread`]).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Reads {
    Nothing,
    /// The block's whole text.
    Text,
    /// What the rule digested of the block into this hash, where it
    /// stands aside: an edit elsewhere in the block that leaves it the
    /// same moves the findings.
    Digest(u64),
}

impl Reads {
    /// The whole text if `reads`, else nothing.
    pub fn text_if(reads: bool) -> Reads {
        if reads { Reads::Text } else { Reads::Nothing }
    }
}

/// What a rule read of a block: its kind, and a hash of its text or the
/// rule's digest.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct Marks {
    kind: BlockKind,
    read: Marked,
}

/// A text's hash and a rule's digest kept apart, so that they never
/// compare equal.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Marked {
    Nothing,
    Text(u64),
    Digest(u64),
}

#[derive(Debug)]
struct Kept {
    /// The version of the text (see `DocumentContext::change`).
    version: u64,
    /// The number of lines, for a rule whose messages name lines.
    lines: Option<usize>,
    findings: Vec<Finding>,
    /// Text the rule read outside the blocks it marks.
    read: Vec<Span>,
}

impl Unread {
    /// Gives the findings of the last check, moved with the text, if the
    /// edit since changed nothing the rule reads; else those of `find`,
    /// which returns the text it read outside the blocks it marks.
    /// `reads(index)` tells what the rule reads of block `index`.
    pub fn check(
        &mut self,
        cx: &DocumentContext<'_>,
        names_lines: bool,
        reads: impl FnMut(usize) -> Reads,
        out: &mut Vec<Finding>,
        find: impl FnOnce(&mut Vec<Finding>) -> Vec<Span>,
    ) {
        if let Some(findings) = self.moved(cx, names_lines, reads) {
            out.extend(findings);
            return;
        }
        let before = out.len();
        let read = find(out);
        self.kept = Some(Kept {
            version: cx.change().0,
            lines: names_lines.then(|| cx.lines().line_count()),
            findings: out[before..].to_vec(),
            read,
        });
    }

    /// The findings of the last check, moved with the text, if the edit
    /// since changed nothing the rule reads (lining the marks up with the
    /// blocks on the way).
    fn moved(
        &mut self,
        cx: &DocumentContext<'_>,
        names_lines: bool,
        mut reads: impl FnMut(usize) -> Reads,
    ) -> Option<Vec<Finding>> {
        let doc = cx.doc;
        let (version, change) = cx.change();
        let removed = self.blocks.align(cx.ids());
        let mut added = Vec::new();
        let mut made = None;
        for (index, value) in self.blocks.made_anew() {
            let block = &doc.blocks[index];
            let marks = Marks {
                kind: block.kind,
                read: match reads(index) {
                    Reads::Nothing => Marked::Nothing,
                    Reads::Text => {
                        let mut hasher = DefaultHasher::new();
                        doc.slice(block.span).hash(&mut hasher);
                        Marked::Text(hasher.finish())
                    }
                    Reads::Digest(digest) => Marked::Digest(digest),
                },
            };
            added.push(marks);
            *value = Some(marks);
            made = Some(made.map_or(index..index + 1, |m: Range<usize>| m.start..index + 1));
        }
        let kept = self.kept.take()?;
        let inside_made = made.is_some_and(|m| {
            doc.blocks[m.start].span.start <= change.start
                && change.new_end <= doc.blocks[m.end - 1].span.end
        });
        let lines = names_lines.then(|| cx.lines().line_count());
        // Touching the edit counts: a span that ends where it starts
        // may have grown or shrunk with it.
        let untouched = |span: Span| span.end < change.start || span.start > change.old_end;
        let finding_untouched = |f: &Finding| {
            let mut edits = f.fix.iter().flat_map(|fix| &fix.edits);
            untouched(f.span) && edits.all(|e| untouched(e.span))
        };
        let unread = kept.version + 1 == version
            && kept.lines == lines
            && inside_made
            && removed == added
            && kept.read.iter().all(|&s| untouched(s))
            && kept.findings.iter().all(finding_untouched);
        if !unread {
            return None;
        }
        let moved = |span: Span| Span::new(change.moved(span.start), change.moved(span.end));
        let mut findings = kept.findings;
        for f in &mut findings {
            f.span = moved(f.span);
            for e in f.fix.iter_mut().flat_map(|fix| &mut fix.edits) {
                e.span = moved(e.span);
            }
        }
        self.kept = Some(Kept {
            version,
            lines,
            findings: findings.clone(),
            read: kept.read.into_iter().map(moved).collect(),
        });
        self.moves += 1;
        Some(findings)
    }
}

/// The title of each heading of a document, on one line and in lower case
/// (what tells a definitions section, what `undefined-term` looks phrases
/// up in), kept per block: reading every heading's title on every check
/// touched the whole text. Made again for the blocks made anew, and for a
/// block whose heading's title moved within it (the block's text is its
/// facts', but the heading is found around it).
#[derive(Debug, Default)]
pub(crate) struct HeadingTitles {
    blocks: PerBlock<(usize, usize, Arc<str>)>,
}

impl HeadingTitles {
    /// The titles of `doc`'s headings, in order; `ids` are its blocks'.
    pub fn of(&mut self, doc: &Document, ids: &[FactsId]) -> Vec<Arc<str>> {
        self.blocks.align(ids);
        doc.headings
            .iter()
            .map(|h| {
                let start = doc.blocks[h.block].span.start;
                let at = (h.title.start - start, h.title.end - start);
                match &mut self.blocks.values[h.block] {
                    Some((from, to, title)) if (*from, *to) == at => title.clone(),
                    kept => {
                        let title: Arc<str> = doc.title_of(h).to_lowercase().into();
                        *kept = Some((at.0, at.1, title.clone()));
                        title
                    }
                }
            })
            .collect()
    }
}

/// Whether block `index` holds a part of the outline: a heading, a
/// numbered item or a run-in heading.
pub(crate) fn outlines(doc: &Document, index: usize) -> bool {
    holds(&doc.headings, index, |h| h.block)
        || holds(&doc.items, index, |i| i.block)
        || holds(&doc.run_ins, index, |r| r.block)
}

/// Whether one of `parts` (in the order of their blocks) is in block
/// `index`.
pub(crate) fn holds<T>(parts: &[T], index: usize, block: impl Fn(&T) -> usize) -> bool {
    let from = parts.partition_point(|p| block(p) < index);
    parts.get(from).is_some_and(|p| block(p) == index)
}

/// Values kept per block, lined up with the blocks of the last check.
#[derive(Debug)]
pub(crate) struct PerBlock<T> {
    ids: Vec<FactsId>,
    pub values: Vec<Option<T>>,
}

impl<T> Default for PerBlock<T> {
    fn default() -> PerBlock<T> {
        PerBlock {
            ids: Vec::new(),
            values: Vec::new(),
        }
    }
}

impl<T> PerBlock<T> {
    /// Lines the values up with the blocks whose facts have `ids`. The
    /// blocks before and after those whose facts changed since the last
    /// call keep their values; the blocks between have none. Returns the
    /// values of the blocks that are gone.
    pub fn align(&mut self, ids: &[FactsId]) -> Vec<T> {
        let (prefix, suffix) = self.kept(ids);
        let added = ids.len() - prefix - suffix;
        let removed = self
            .values
            .splice(prefix..self.ids.len() - suffix, (0..added).map(|_| None))
            .flatten()
            .collect();
        self.ids.clear();
        self.ids.extend_from_slice(ids);
        removed
    }

    /// How many blocks at the start and at the end of the blocks whose
    /// facts have `ids` keep their values.
    pub fn kept(&self, ids: &[FactsId]) -> (usize, usize) {
        let old = &self.ids;
        let prefix = old.iter().zip(ids).take_while(|(a, b)| a == b).count();
        let suffix = old[prefix..]
            .iter()
            .rev()
            .zip(ids[prefix..].iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        (prefix, suffix)
    }

    /// The index and empty place of each block made anew since the last
    /// [`PerBlock::align`], to fill: what a rule derives from a block is
    /// derived again for these only.
    pub fn made_anew(&mut self) -> impl Iterator<Item = (usize, &mut Option<T>)> {
        let places = self.values.iter_mut().enumerate();
        places.filter(|(_, value)| value.is_none())
    }

    /// The indices of the blocks whose values `holds` (in order): the
    /// blocks whose facts a rule reads again.
    pub fn where_kept(&self, holds: impl Fn(&T) -> bool) -> impl Iterator<Item = usize> {
        let values = self.values.iter().enumerate();
        values.filter_map(move |(i, value)| value.as_ref().is_some_and(&holds).then_some(i))
    }

    /// Forgets every value.
    pub fn clear(&mut self) {
        self.values.iter_mut().for_each(|v| *v = None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Format;

    proptest::proptest! {
        #[test]
        fn a_change_says_what_an_edit_replaced(
            old in "[aé\n]{0,30}",
            edit in (0..31usize, 0..31usize, "[aé\n]{0,5}"),
        ) {
            let (from, to, insert) = edit;
            let (new, start, end) = crate::syntax::edited(&old, from, to, &insert);
            let old_doc = Document::parse(old.as_str(), Format::Markdown);
            let new_doc = old_doc.reparse(new.clone()).0;
            let mut text = Text::default();
            let (_, first) = text.update(&old_doc);
            proptest::prop_assert_eq!(first, Change { start: 0, old_end: 0, new_end: old.len() });
            let (version, c) = text.update(&new_doc);
            proptest::prop_assert_eq!(version, 2);
            let mut replayed = old.clone();
            replayed.replace_range(c.start..c.old_end, &new[c.start..c.new_end]);
            proptest::prop_assert_eq!(&replayed, &new);
            // No more than the edit replaced.
            proptest::prop_assert!(c.old_end - c.start <= end - start);
            proptest::prop_assert!(c.new_end - c.start <= insert.len());
            // A document not re-parsed from the last read is new whole.
            let (_, whole) = text.update(&old_doc.reparse(old.clone()).0);
            proptest::prop_assert_eq!(whole, Change { start: 0, old_end: new.len(), new_end: old.len() });
        }
    }

    fn ids(n: usize) -> Vec<FactsId> {
        (0..n).map(|_| FactsId::default()).collect()
    }

    #[test]
    fn blocks_around_an_edit_keep_their_values() {
        let mut kept = PerBlock::default();
        let mut blocks = ids(5);
        kept.align(&blocks);
        assert_eq!(kept.values, [None, None, None, None, None]);
        kept.values = (0..5).map(Some).collect();
        // Block 2 made again, a block inserted after it.
        blocks[2] = FactsId::default();
        blocks.insert(3, FactsId::default());
        assert_eq!(kept.align(&blocks), [2]);
        assert_eq!(
            kept.values,
            [Some(0), Some(1), None, None, Some(3), Some(4)]
        );
        // Blocks 0 and 1 removed.
        blocks.drain(..2);
        assert_eq!(kept.align(&blocks), [0, 1]);
        assert_eq!(kept.values, [None, None, Some(3), Some(4)]);
        // A copy of a block's facts is the same block.
        let copy = blocks.clone();
        kept.align(&copy);
        assert_eq!(kept.values, [None, None, Some(3), Some(4)]);
    }

    #[test]
    fn only_the_blocks_made_anew_are_filled_and_only_the_kept_asked_for_read() {
        let mut kept = PerBlock::default();
        let mut blocks = ids(4);
        kept.align(&blocks);
        kept.values = vec![Some(10), Some(11), Some(12), Some(13)];
        // Blocks 1 to 3 between the first and last kept, whatever stayed.
        blocks[1] = FactsId::default();
        blocks.insert(3, FactsId::default());
        kept.align(&blocks);
        let anew: Vec<usize> = kept.made_anew().map(|(i, _)| i).collect();
        assert_eq!(anew, [1, 2, 3]);
        for (i, place) in kept.made_anew() {
            *place = Some(i * 2);
        }
        assert_eq!(kept.made_anew().count(), 0);
        assert_eq!(kept.values, [Some(10), Some(2), Some(4), Some(6), Some(13)]);
        let even: Vec<usize> = kept.where_kept(|v| v % 2 == 0).collect();
        assert_eq!(even, [0, 1, 2, 3]);
        let over_five: Vec<usize> = kept.where_kept(|v| *v > 5).collect();
        assert_eq!(over_five, [0, 3, 4]);
    }
}
