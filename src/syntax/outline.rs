//! The outline: the tree of sections a document's headings (and run-in
//! headings) make.

use std::ops::Range;
use std::sync::LazyLock;

use super::token::{TokenKind, Tokens};
use super::{Block, BlockKind, Document, RunIn, Span, floor_char_boundary};

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SectionKind {
    /// Opened by `doc.headings[i]`.
    Heading(usize),
    /// Opened by `doc.run_ins[i]`.
    RunIn(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub kind: SectionKind,
    pub parent: Option<usize>,
    /// Where its children are in [`Outline::children`]'s list.
    children: Range<usize>,
    /// Nesting depth: 1 for the outermost sections.
    pub depth: u8,
    /// The heading (or the run-in's lead sentence).
    pub heading: Span,
    /// Everything after the heading up to the next section of the same or a
    /// higher level (for a run-in: up to the next run-in or heading).
    pub body: Span,
}

impl Section {
    /// The whole section: heading and body.
    pub fn span(&self) -> Span {
        self.heading.join(self.body)
    }
}

/// The depth of a section opened inside `open`. Heading levels are `u8`,
/// so at most 255 sections are open at once.
fn depth_below<T>(open: &[T]) -> u8 {
    u8::try_from(open.len() + 1).unwrap_or(u8::MAX)
}

/// Sections in document order, each with its parent and children.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outline {
    pub sections: Vec<Section>,
    pub roots: Vec<usize>,
    /// The children of each section in document order, the sections' one
    /// after another: one list for the outline rather than one for each
    /// section, which a re-parse made again for thousands on every edit.
    children: Vec<usize>,
}

impl Outline {
    /// Each group of sibling sections with its parent: the roots first,
    /// then the children of each section in document order (so a parent is
    /// met before its children).
    pub fn sibling_groups(&self) -> impl Iterator<Item = (Option<usize>, &[usize])> {
        std::iter::once((None, self.roots.as_slice())).chain(
            self.sections
                .iter()
                .enumerate()
                .map(|(i, s)| (Some(i), &self.children[s.children.clone()])),
        )
    }

    /// The sections directly under section `index`, in document order.
    pub fn children(&self, index: usize) -> &[usize] {
        &self.children[self.sections[index].children.clone()]
    }

    pub fn build(doc: &Document) -> Outline {
        let title = doc.title_heading();
        let mut outline = Outline::default();
        // Open heading sections, outermost first, with their heading levels.
        let mut open: Vec<(usize, u8)> = Vec::new();
        let mut open_run_in: Option<usize> = None;
        let mut run_ins = doc.run_ins.iter().enumerate().peekable();
        let end = doc.text.trim_end().len();

        for (hi, heading) in doc.headings.iter().enumerate() {
            if Some(hi) == title {
                continue;
            }
            while let Some((ri, run_in)) = run_ins.next_if(|(_, r)| r.block < heading.block) {
                outline.add_run_in(ri, run_in, &open, &mut open_run_in, doc);
            }
            let start = doc.blocks[heading.block].span.start;
            outline.close_run_in(&mut open_run_in, start);
            while let Some(&(top, level)) = open.last() {
                if level < heading.level {
                    break;
                }
                outline.close(top, start);
                open.pop();
            }
            let index = outline.push(Section {
                kind: SectionKind::Heading(hi),
                parent: open.last().map(|&(i, _)| i),
                children: 0..0,
                depth: depth_below(&open),
                heading: heading.span,
                body: Span::empty(heading.span.end),
            });
            open.push((index, heading.level));
        }
        for (ri, run_in) in run_ins {
            outline.add_run_in(ri, run_in, &open, &mut open_run_in, doc);
        }
        outline.close_run_in(&mut open_run_in, end);
        for (i, _) in open {
            outline.close(i, end);
        }
        outline.list_children();
        outline
    }

    fn push(&mut self, section: Section) -> usize {
        let index = self.sections.len();
        if section.parent.is_none() {
            self.roots.push(index);
        }
        self.sections.push(section);
        index
    }

    /// Lists each section's children, once all sections are in.
    fn list_children(&mut self) {
        // Where each section's children start: the counts of those before.
        let mut starts = vec![0; self.sections.len() + 1];
        for p in self.sections.iter().filter_map(|s| s.parent) {
            starts[p + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        self.children = vec![0; starts[self.sections.len()]];
        for (i, section) in self.sections.iter().enumerate() {
            if let Some(p) = section.parent {
                self.children[next[p]] = i;
                next[p] += 1;
            }
        }
        for (section, bounds) in self.sections.iter_mut().zip(starts.windows(2)) {
            section.children = bounds[0]..bounds[1];
        }
    }

    fn add_run_in(
        &mut self,
        ri: usize,
        run_in: &RunIn,
        open: &[(usize, u8)],
        open_run_in: &mut Option<usize>,
        doc: &Document,
    ) {
        let start = doc.blocks[run_in.block].span.start;
        self.close_run_in(open_run_in, start);
        let index = self.push(Section {
            kind: SectionKind::RunIn(ri),
            parent: open.last().map(|&(i, _)| i),
            children: 0..0,
            depth: depth_below(open),
            heading: run_in.span,
            body: Span::empty(run_in.span.end),
        });
        *open_run_in = Some(index);
    }

    fn close_run_in(&mut self, open_run_in: &mut Option<usize>, at: usize) {
        if let Some(i) = open_run_in.take() {
            self.close(i, at);
        }
    }

    fn close(&mut self, index: usize, at: usize) {
        let section = &mut self.sections[index];
        let start = section.heading.end;
        section.body = Span::new(start, at.max(start));
    }

    /// The innermost section holding byte `offset`.
    pub fn section_at(&self, offset: usize) -> Option<usize> {
        let mut found = None;
        let mut level = self.roots.as_slice();
        while let Some(&i) = level
            .iter()
            .find(|&&i| self.sections[i].span().contains(offset))
        {
            found = Some(i);
            level = self.children(i);
        }
        found
    }
}

/// The fewest parallel paragraphs that make a run of run-in headings.
const MIN_RUN: usize = 3;
/// The most words a run-in heading may have.
const MAX_LEAD_WORDS: usize = 8;
/// Where a run-in heading must end, in bytes from the paragraph's start.
const MAX_LEAD_BYTES: usize = 80;

/// Finds runs of paragraphs that each open with a short sentence, within one
/// section: "Build a community of development. As the integration …".
/// `leads[i]` is the lead sentence of block `i` (see [`lead_sentence`]).
pub(super) fn find_run_ins(blocks: &[Block], leads: &[Option<Span>]) -> Vec<RunIn> {
    let mut found = Vec::new();
    let mut run: Vec<RunIn> = Vec::new();
    let flush = |run: &mut Vec<RunIn>, found: &mut Vec<RunIn>| {
        if run.len() >= MIN_RUN {
            found.append(run);
        }
        run.clear();
    };
    for (i, block) in blocks.iter().enumerate() {
        match block.kind {
            BlockKind::Paragraph => match leads[i] {
                Some(span) => run.push(RunIn { block: i, span }),
                None => flush(&mut run, &mut found),
            },
            BlockKind::Html | BlockKind::Code => {}
            _ => flush(&mut run, &mut found),
        }
    }
    flush(&mut run, &mut found);
    found
}

/// A searcher for ". ", built once: every paragraph is searched (a `str`
/// search sets itself up for each, which costs more than the search).
static SENTENCE_END: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new(". "));

/// The paragraph's first sentence, if it is short and followed by more text.
pub(super) fn lead_sentence(text: &str, b: &Block) -> Option<Span> {
    if b.kind != BlockKind::Paragraph {
        return None;
    }
    let first = *b.prose.first()?;
    let head = &text
        [first.start..floor_char_boundary(text, first.end.min(first.start + MAX_LEAD_BYTES * 2))];
    let stop = SENTENCE_END.find(head.as_bytes())?;
    if stop > MAX_LEAD_BYTES || first.start != b.span.start {
        return None;
    }
    let lead = Span::new(first.start, first.start + stop + 1);
    let tokens = Tokens::new(text, &[Span::new(first.start, first.start + stop + 2)]);
    let sentence = tokens.sentences().first()?;
    let last = tokens.tokens[sentence.end - 1];
    if last.span.end != lead.end {
        return None;
    }
    let words = tokens.tokens[sentence.clone()]
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .count();
    let only_words = tokens.tokens[sentence.start..sentence.end - 1]
        .iter()
        .all(|t| t.kind == TokenKind::Word);
    let capitalised = lead.of(text).starts_with(|c: char| !c.is_lowercase());
    let more_follows = b.span.end > lead.end + 1;
    (words > 0 && words <= MAX_LEAD_WORDS && only_words && capitalised && more_follows)
        .then_some(lead)
}
