//! The document model: a policy text parsed into blocks, headings,
//! metadata, numbered items and an outline of sections.
//!
//! Plain text and Markdown are parsed by their own front ends
//! ([`plain`], [`markdown`]) into the same [`Document`]; everything after that
//! (title, outline, run-in headings) is shared. Every position stored here is
//! a byte [`Span`] into [`Document::text`].

mod language;
mod line_index;
mod markdown;
mod metadata;
mod number;
mod outline;
mod plain;
mod prose;
mod reparse;
mod span;
mod suppression;
mod token;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

pub use language::{Language, is_latin};
#[cfg(test)]
pub(crate) use line_index::edited;
pub use line_index::{Encoding, LineIndex, Position, floor_char_boundary, measure};
pub use metadata::MetadataField;
use number::mark_own_sections;
pub use number::{Form, Label, Numeral, Scheme, SectionNumber, Strictness, parse_number};
pub use outline::{Outline, Section, SectionKind};
pub use prose::link_target;
pub use reparse::{Change, Splice, changed, changed_within};
pub use span::{Span, trim};
pub use suppression::{Directive, PREFIX as SUPPRESSION_PREFIX, Suppression};
pub use token::{Token, TokenKind, Tokens, ascii_lowered, is_abbreviation, is_word_char};

/// How a text is marked up.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Plain,
    Markdown,
}

impl Format {
    /// `.md`, `.markdown`, `.mdown`, `.mkd` are Markdown; anything else plain text.
    pub fn from_path(path: &Path) -> Format {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("md" | "markdown" | "mdown" | "mkd" | "mkdn") => Format::Markdown,
            _ => Format::Plain,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Plain => "plain",
            Format::Markdown => "markdown",
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum BlockKind {
    /// YAML front matter of a Markdown file.
    FrontMatter,
    /// The document's title line.
    Title,
    /// A block of `Key: value` lines.
    Metadata,
    Heading,
    Paragraph,
    ListItem,
    Table,
    /// A fenced or indented code block: never read by the word rules.
    Code,
    /// Raw HTML, an HTML comment: never read by the word rules.
    Html,
    /// A line of the table of contents.
    Contents,
}

/// A top-level unit of text: the granularity of the language server's cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// The block's source, from its first to its last non-blank character.
    pub span: Span,
    /// The prose the word rules read, in order: without markup, inline code,
    /// URLs, e-mail addresses and template tags.
    pub prose: Prose,
    /// The language of the prose: the English word rules read only English
    /// blocks.
    pub language: Language,
}

/// A block's prose runs: kept inline up to two, which most blocks have.
pub type Prose = smallvec::SmallVec<[Span; 2]>;

impl Block {
    /// Whether the word rules read this block.
    pub fn has_prose(&self) -> bool {
        !self.prose.is_empty()
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum HeadingKind {
    /// `## Title`
    Atx,
    /// `Title` underlined with `===` or `---` in Markdown.
    Setext,
    /// A plain-text line that starts with a section number: `2. Scope`.
    Numbered,
    /// A plain-text line underlined with a row of `=`, `-`, `~`, `*` …
    Underlined,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    /// The block that holds the heading.
    pub block: usize,
    /// Its source, markers and underline included.
    pub span: Span,
    /// The heading text: number and title, without `#` markers or underline.
    pub text: Span,
    /// The title after the number (the whole text when unnumbered); may be empty.
    pub title: Span,
    pub number: Option<SectionNumber>,
    /// Nesting depth, 1 for the outermost headings.
    pub level: u8,
    pub kind: HeadingKind,
    /// Columns of white space before a plain-text heading; 0 in Markdown.
    pub indent: usize,
}

impl Heading {
    /// A Markdown heading (whose level the author wrote down).
    pub fn is_markdown(&self) -> bool {
        matches!(self.kind, HeadingKind::Atx | HeadingKind::Setext)
    }
}

/// Where the document's title was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Title {
    /// The title text.
    pub span: Span,
    /// The block holding it: the title line, a heading, or the front matter.
    pub block: usize,
}

/// A numbered list item or numbered paragraph (`1.`, `(a)`, `2.1`) that is
/// not a heading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberedItem {
    pub block: usize,
    pub number: SectionNumber,
    /// Markdown: the list the item belongs to (items of different lists are
    /// numbered independently). Plain text has no explicit lists.
    pub list: Option<usize>,
    /// Columns of white space before a plain-text item: items indented
    /// alike belong to one list. 0 in Markdown.
    pub indent: usize,
}

/// A line of a table of contents: what it promises a heading says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentsEntry {
    pub block: usize,
    pub number: Option<SectionNumber>,
    /// The title, without dot leaders or page number.
    pub title: Span,
    /// An entry of a list of tables or figures: it names a caption, not a
    /// heading.
    pub caption: bool,
}

/// The short first sentence that opens a paragraph in a run of parallel
/// paragraphs: "Build a community of development. As the integration …".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunIn {
    pub block: usize,
    /// The lead sentence, its final period included.
    pub span: Span,
}

/// A parsed policy text.
#[derive(Clone, Debug)]
pub struct Document {
    /// The text, without a leading byte-order mark.
    pub text: String,
    pub format: Format,
    pub blocks: Vec<Block>,
    pub title: Option<Title>,
    pub metadata: Vec<MetadataField>,
    /// All headings in document order (a heading that serves as the title
    /// included; see [`Document::title_heading`]).
    pub headings: Vec<Heading>,
    pub items: Vec<NumberedItem>,
    /// The table of contents, if the document has one.
    pub contents: Vec<ContentsEntry>,
    pub run_ins: Vec<RunIn>,
    pub outline: Outline,
    /// The `<!-- policylint-… -->` comments of a Markdown document, in
    /// order; plain text has none.
    pub suppressions: Vec<Suppression>,
    /// The links of a Markdown document, in order; plain text has none.
    pub links: Vec<Link>,
    /// What a re-parse keeps of the blocks it does not read again.
    derived: Derived,
    /// Tells this parse from every other; copies share it.
    pub revision: Revision,
    /// The document this one was re-parsed from, and how its text changed:
    /// what a check after an edit reads instead of comparing the texts.
    pub edited: Option<Edited>,
}

/// Which parse made a [`Document`].
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Revision(u64);

impl Default for Revision {
    fn default() -> Revision {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        Revision(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// How a document came from the one it was re-parsed from.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Edited {
    pub from: Revision,
    /// As narrow as can be (see [`changed`]).
    pub change: Change,
}

/// Facts of each block, and of a Markdown document, that parsing derives
/// and a re-parse after an edit keeps for the blocks it does not read again
/// (see [`Document::reparse`]).
#[derive(Clone, Debug, Default)]
struct Derived {
    /// The language each block's own prose shows, if it shows one; its
    /// neighbours decide the others.
    verdicts: Vec<Option<Language>>,
    /// Each paragraph's short lead sentence, if it has one: a run of them
    /// makes run-in headings.
    leads: Vec<Option<Span>>,
    /// Markdown: where each list starts, in order (lists are numbered so).
    list_starts: Vec<usize>,
    /// Markdown: the link reference definitions, which links anywhere read.
    definitions: Vec<Span>,
    /// Markdown: lines of `---` that a line below could make the start of
    /// a metadata block (see `reparse::metadata_openers`).
    openers: Vec<usize>,
}

/// A Markdown link (`[text](dest)`, `[text][ref]`, `<https://…>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The whole link: text and destination.
    pub span: Span,
    /// The destination as CommonMark resolves it (escapes undone,
    /// references followed). Shared by the copies a re-parse makes.
    pub dest: std::sync::Arc<str>,
    /// Where the destination is written inside the link, when it is written
    /// there as it reads (not through a reference or escapes).
    pub dest_span: Option<Span>,
}

impl Document {
    /// Parses `text` (a leading byte-order mark is removed; see
    /// [`strip_bom`]). Given a `String`, the document keeps it without a copy.
    pub fn parse(text: impl Into<String>, format: Format) -> Document {
        let text = without_bom(text.into());
        let parsed = match format {
            Format::Plain => plain::parse(&text),
            Format::Markdown => markdown::parse(&text),
        };
        let verdicts = language::verdicts(&text, &parsed.blocks);
        let leads = parsed
            .blocks
            .iter()
            .map(|b| outline::lead_sentence(&text, b))
            .collect();
        Document::assemble(text, format, parsed, verdicts, leads)
    }

    /// The document of `parsed`, whose blocks' own languages and lead
    /// sentences are `verdicts` and `leads`: the passes over the whole
    /// document, which a re-parse makes again.
    fn assemble(
        text: String,
        format: Format,
        mut parsed: Parsed,
        verdicts: Vec<Option<Language>>,
        leads: Vec<Option<Span>>,
    ) -> Document {
        language::assign(&verdicts, &mut parsed.blocks);
        mark_own_sections(
            parsed
                .headings
                .iter_mut()
                .filter_map(|h| h.number.as_mut())
                .chain(parsed.items.iter_mut().map(|i| &mut i.number)),
        );
        let run_ins = outline::find_run_ins(&parsed.blocks, &leads);
        let mut doc = Document {
            text,
            format,
            blocks: parsed.blocks,
            title: parsed.title,
            metadata: parsed.metadata,
            headings: parsed.headings,
            items: parsed.items,
            contents: parsed.contents,
            run_ins,
            outline: Outline::default(),
            suppressions: parsed.suppressions,
            links: parsed.links,
            derived: Derived {
                verdicts,
                leads,
                list_starts: parsed.list_starts,
                definitions: parsed.definitions,
                openers: parsed.openers,
            },
            revision: Revision::default(),
            edited: None,
        };
        doc.outline = Outline::build(&doc);
        doc
    }

    /// The index of the heading that serves as the document's title, if any.
    pub fn title_heading(&self) -> Option<usize> {
        let title = self.title.as_ref()?;
        self.headings.iter().position(|h| h.block == title.block)
    }

    /// The heading held by `block`, if it is one.
    pub fn heading_of_block(&self, block: usize) -> Option<&Heading> {
        let i = self.headings.partition_point(|h| h.block < block);
        self.headings.get(i).filter(|h| h.block == block)
    }

    pub fn slice(&self, span: Span) -> &str {
        span.of(&self.text)
    }

    /// A heading's title as one line: a heading wrapped over lines has its
    /// line breaks and indentation as single spaces.
    pub fn title_of(&self, heading: &Heading) -> std::borrow::Cow<'_, str> {
        let title = self.slice(heading.title);
        if !title.contains('\n') {
            return title.into();
        }
        title
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .into()
    }
}

/// `text` without its leading byte-order mark, without a copy.
fn without_bom(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    text
}

/// `text` without its UTF-8 byte-order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// What a front end hands to [`Document::parse`].
#[derive(Default)]
struct Parsed {
    blocks: Vec<Block>,
    title: Option<Title>,
    metadata: Vec<MetadataField>,
    headings: Vec<Heading>,
    items: Vec<NumberedItem>,
    contents: Vec<ContentsEntry>,
    suppressions: Vec<Suppression>,
    links: Vec<Link>,
    /// Markdown: see [`Derived`].
    list_starts: Vec<usize>,
    definitions: Vec<Span>,
    openers: Vec<usize>,
}

/// The lines of `text` as spans without their line breaks.
fn lines(text: &str) -> impl Iterator<Item = Span> + '_ {
    let index = LineIndex::new(text);
    (0..index.line_count()).map(move |l| Span::new(index.line_start(l), index.line_end(text, l)))
}

#[cfg(test)]
mod tests;
