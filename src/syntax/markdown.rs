//! The Markdown front end, on pulldown-cmark's CommonMark parser.
//!
//! Every leaf block (paragraph, heading, table, code, HTML, the text of a
//! tight list item) becomes a [`Block`]. Its prose is the source of its text
//! events, so markup, link targets, inline code and HTML never reach the word
//! rules; text whose source differs from its value (entities, escapes) is
//! left out too, so that spans always point at what the author wrote.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::metadata::{self, LineField};
use super::number::{SectionNumber, Strictness, parse_number};
use super::{
    Block, BlockKind, Heading, HeadingKind, Language, Link, MetadataField, NumberedItem, Parsed,
    Span, Title, prose, suppression,
};

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS)
    .union(Options::ENABLE_GFM);

pub(super) fn parse(text: &str) -> Parsed {
    let mut parsed = parse_blocks(text);
    parsed.title = title(text, &parsed.blocks, &parsed.headings, &parsed.metadata);
    parsed
}

/// Everything but the title, which depends on every heading of the
/// document (see [`title`]).
pub(super) fn parse_blocks(text: &str) -> Parsed {
    let mut b = Builder {
        text,
        parsed: Parsed::default(),
        containers: Vec::new(),
        leaf: None,
        opaque: Vec::new(),
    };
    let mut events = Parser::new_ext(text, OPTIONS).into_offset_iter();
    b.parsed.definitions = events
        .reference_definitions()
        .iter()
        .map(|(_, definition)| Span::from(definition.span.clone()))
        .collect();
    b.parsed.definitions.sort_by_key(|d| d.start);
    for (event, range) in events.by_ref() {
        b.event(event, Span::from(range));
    }
    b.close_leaf();
    let whole = Span::new(0, text.len());
    b.parsed.openers = super::reparse::metadata_openers(text, whole, &b.parsed.blocks, 0);
    b.parsed
}

/// The document's title: the `title:` of the front matter (the first
/// metadata block), or else the first heading if it is the only one of
/// level 1. Derived from the blocks and fields alone, so that a re-parse
/// of a region finds the same title as a parse of the whole text.
pub(super) fn title(
    text: &str,
    blocks: &[Block],
    headings: &[Heading],
    metadata: &[MetadataField],
) -> Option<Title> {
    if let Some(block) = blocks.iter().position(|b| b.kind == BlockKind::FrontMatter) {
        let title = metadata
            .iter()
            .rfind(|f| f.block == block && f.key.of(text).eq_ignore_ascii_case("title:"))
            .and_then(|f| f.value.filter(|v| !v.is_empty()));
        if let Some(span) = title {
            return Some(Title { span, block });
        }
    }
    let first = headings.first()?;
    let level_ones = headings.iter().filter(|h| h.level == 1).count();
    (first.level == 1 && level_ones == 1 && !first.text.is_empty()).then_some(Title {
        span: first.text,
        block: first.block,
    })
}

enum Container {
    List {
        id: usize,
        ordered: bool,
    },
    Item {
        list: usize,
        number: Option<SectionNumber>,
        has_leaf: bool,
    },
    Other,
}

struct Leaf {
    kind: BlockKind,
    span: Span,
    /// Runs of literal source text, in order.
    runs: Vec<Span>,
    /// From the first to the last inline event.
    inline: Option<Span>,
    heading_level: u8,
    /// Opened by inline content outside any paragraph (a tight list item);
    /// it ends where its last inline event ends.
    implicit: bool,
}

struct Builder<'t> {
    text: &'t str,
    parsed: Parsed,
    containers: Vec<Container>,
    leaf: Option<Leaf>,
    /// For each open link or image: whether its text is not prose
    /// (autolinks, e-mail links, image descriptions).
    opaque: Vec<bool>,
}

/// A heading's text without the HTML comments at its end, which no reader
/// sees: `Scope <!-- policylint-disable-line duplicate-heading -->`.
fn without_trailing_comments(text: &str, span: Span) -> Span {
    let mut s = span.of(text);
    while let Some(open) = s
        .trim_end()
        .strip_suffix("-->")
        .and_then(|rest| rest.rfind("<!--"))
    {
        s = &s[..open];
    }
    Span::new(span.start, span.start + s.len())
}

/// A heading's text without the attribute list kramdown and Pandoc put at
/// its end: `Use of Information {: #use }`, `Sharing {#sharing}`.
fn without_attributes(text: &str, span: Span) -> Span {
    let s = span.of(text).trim_end();
    if !s.ends_with('}') {
        return span;
    }
    match s.rfind('{') {
        Some(open) if s[open..].starts_with("{:") || s[open..].starts_with("{#") => {
            Span::new(span.start, span.start + open)
        }
        _ => span,
    }
}

/// Where `needle` starts last in `link`. A written destination nearly
/// always ends the link or all of it but its ")": those two places are
/// tried before a search, which sets itself up at a cost of kilobytes.
fn last_occurrence(link: &str, needle: &str) -> Option<usize> {
    let last = link.len().checked_sub(needle.len())?;
    [Some(last), last.checked_sub(1)]
        .into_iter()
        .flatten()
        .find(|&at| link.as_bytes()[at..].starts_with(needle.as_bytes()))
        .or_else(|| link.rfind(needle))
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, range: Span) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(value) => {
                let reads_text = self.leaf.as_ref().is_none_or(|l| {
                    matches!(
                        l.kind,
                        BlockKind::Paragraph
                            | BlockKind::ListItem
                            | BlockKind::Heading
                            | BlockKind::Table
                    )
                });
                if !reads_text {
                    return;
                }
                self.inline(range);
                let literal = range.of(self.text) == &*value;
                if literal && !self.opaque.iter().any(|&o| o) {
                    if let Some(leaf) = &mut self.leaf {
                        match leaf.runs.last_mut() {
                            Some(last) if last.end == range.start => last.end = range.end,
                            _ => leaf.runs.push(range),
                        }
                    }
                }
            }
            Event::InlineHtml(_) => {
                self.inline(range);
                suppression::scan(self.text, range, &mut self.parsed.suppressions);
            }
            Event::Code(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::FootnoteReference(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::TaskListMarker(_) => self.inline(range),
            Event::Html(_) => {
                if self.leaf.is_none() {
                    self.open(BlockKind::Html, range, false);
                }
            }
            Event::Rule => self.close_implicit(),
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Span) {
        match tag {
            Tag::Paragraph => {
                self.close_implicit();
                let kind = if self.in_item() {
                    BlockKind::ListItem
                } else {
                    BlockKind::Paragraph
                };
                self.open(kind, range, false);
            }
            Tag::Heading { level, .. } => {
                self.close_implicit();
                self.open(BlockKind::Heading, range, false);
                if let Some(leaf) = &mut self.leaf {
                    leaf.heading_level = level as u8;
                }
            }
            Tag::Table(_) => {
                self.close_implicit();
                self.open(BlockKind::Table, range, false);
            }
            Tag::CodeBlock(_) => {
                self.close_implicit();
                self.open(BlockKind::Code, range, false);
            }
            Tag::HtmlBlock => {
                self.close_implicit();
                self.open(BlockKind::Html, range, false);
            }
            Tag::MetadataBlock(_) => {
                self.close_implicit();
                self.open(BlockKind::FrontMatter, range, false);
            }
            Tag::List(start) => {
                self.close_implicit();
                self.containers.push(Container::List {
                    id: self.parsed.list_starts.len(),
                    ordered: start.is_some(),
                });
                self.parsed.list_starts.push(range.start);
            }
            Tag::Item => {
                self.close_implicit();
                let (list, ordered) = match self.containers.last() {
                    Some(Container::List { id, ordered }) => (*id, *ordered),
                    _ => (usize::MAX, false),
                };
                let number = if ordered {
                    parse_number(range.of(self.text), range.start, Strictness::Delimited)
                        .map(|(n, _)| n)
                } else {
                    None
                };
                self.containers.push(Container::Item {
                    list,
                    number,
                    has_leaf: false,
                });
            }
            Tag::BlockQuote(_)
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => {
                self.close_implicit();
                self.containers.push(Container::Other);
            }
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                self.inline(range);
                self.link(link_type, &dest_url, range);
                self.opaque
                    .push(matches!(link_type, LinkType::Autolink | LinkType::Email));
            }
            Tag::Image { .. } => {
                self.inline(range);
                self.opaque.push(true);
            }
            Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript => {
                if !matches!(tag, Tag::TableHead | Tag::TableRow | Tag::TableCell) {
                    self.inline(range);
                }
            }
        }
    }

    fn end(&mut self, tag: TagEnd, range: Span) {
        match tag {
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Table
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::MetadataBlock(_) => {
                if let Some(leaf) = &mut self.leaf {
                    leaf.span = leaf.span.join(range);
                }
                self.close_leaf();
            }
            TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => {
                self.close_implicit();
                self.containers.pop();
            }
            TagEnd::Link | TagEnd::Image => {
                self.opaque.pop();
            }
            _ => {}
        }
    }

    fn link(&mut self, link_type: LinkType, dest: &str, range: Span) {
        let written = matches!(
            link_type,
            LinkType::Inline | LinkType::Autolink | LinkType::Email
        );
        // The destination follows the link text: looked for from the end,
        // so that a link text that repeats it is not taken for it.
        let dest_span = (written && !dest.is_empty())
            .then(|| last_occurrence(range.of(self.text), dest))
            .flatten()
            .map(|at| Span::new(range.start + at, range.start + at + dest.len()));
        self.parsed.links.push(Link {
            span: range,
            dest: dest.into(),
            dest_span,
        });
    }

    fn in_item(&self) -> bool {
        matches!(self.containers.last(), Some(Container::Item { .. }))
    }

    /// Notes inline content at `range`, opening an implicit leaf for the
    /// text of a tight list item.
    fn inline(&mut self, range: Span) {
        if self.leaf.is_none() {
            let kind = if self.in_item() {
                BlockKind::ListItem
            } else {
                BlockKind::Paragraph
            };
            self.open(kind, range, true);
        }
        if let Some(leaf) = &mut self.leaf {
            leaf.inline = Some(leaf.inline.map_or(range, |s| s.join(range)));
            if leaf.implicit {
                leaf.span = leaf.span.join(range);
            }
        }
    }

    fn open(&mut self, kind: BlockKind, span: Span, implicit: bool) {
        self.close_leaf();
        self.leaf = Some(Leaf {
            kind,
            span,
            runs: Vec::new(),
            inline: None,
            heading_level: 0,
            implicit,
        });
    }

    fn close_implicit(&mut self) {
        if self.leaf.as_ref().is_some_and(|l| l.implicit) {
            self.close_leaf();
        }
    }

    fn close_leaf(&mut self) {
        let Some(leaf) = self.leaf.take() else {
            return;
        };
        let span = super::trim(self.text, leaf.span);
        let mut block = Block {
            kind: leaf.kind,
            span,
            prose: super::Prose::new(),
            language: Language::English,
        };
        // The span is trimmed of what Rust calls space, which is more than
        // Markdown does (a vertical tab): prose stays inside its block.
        for run in leaf.runs.iter().filter_map(|run| run.within(span)) {
            prose::carve(self.text, run, &mut block.prose);
        }
        let index = self.parsed.blocks.len();
        match leaf.kind {
            BlockKind::Html => suppression::scan(self.text, span, &mut self.parsed.suppressions),
            BlockKind::Heading => self.heading(&leaf, index),
            BlockKind::FrontMatter => self.front_matter(span, index),
            BlockKind::Paragraph => {
                if self.is_metadata_paragraph(span, index) {
                    block.kind = BlockKind::Metadata;
                    block.prose.clear();
                } else if let Some(&first) = block.prose.first() {
                    let rest = Span::new(first.start, span.end);
                    if let Some((number, _)) =
                        parse_number(rest.of(self.text), rest.start, Strictness::Delimited)
                    {
                        if number.label.is_none() {
                            self.parsed.items.push(NumberedItem {
                                block: index,
                                number,
                                list: None,
                                indent: 0,
                            });
                        }
                    }
                }
            }
            BlockKind::ListItem => {
                if let Some(Container::Item {
                    list,
                    number,
                    has_leaf,
                }) = self.containers.last_mut()
                {
                    if !*has_leaf {
                        *has_leaf = true;
                        if let Some(number) = number.take() {
                            self.parsed.items.push(NumberedItem {
                                block: index,
                                number,
                                list: Some(*list),
                                indent: 0,
                            });
                        }
                    }
                }
            }
            _ => {}
        }
        self.parsed.blocks.push(block);
    }

    fn heading(&mut self, leaf: &Leaf, block: usize) {
        let span = super::trim(self.text, leaf.span);
        let inline = leaf.inline.unwrap_or(Span::empty(span.end));
        let inline = super::trim(self.text, without_trailing_comments(self.text, inline));
        let text = super::trim(self.text, without_attributes(self.text, inline));
        let (number, title) =
            match parse_number(text.of(self.text), text.start, Strictness::Lenient) {
                Some((number, rest)) => (
                    Some(number),
                    super::trim(self.text, Span::new(text.start + rest, text.end)),
                ),
                None => (None, text),
            };
        let kind = if span.of(self.text).starts_with('#') {
            HeadingKind::Atx
        } else {
            HeadingKind::Setext
        };
        self.parsed.headings.push(Heading {
            block,
            span,
            text,
            title,
            number,
            level: leaf.heading_level,
            kind,
            indent: 0,
        });
    }

    fn front_matter(&mut self, span: Span, block: usize) {
        for LineField { key, value } in metadata::parse_front_matter(self.text, span) {
            self.parsed
                .metadata
                .push(MetadataField { key, value, block });
        }
    }

    /// A paragraph (outside lists and quotes) made only of metadata lines.
    fn is_metadata_paragraph(&mut self, span: Span, block: usize) -> bool {
        if !self.containers.is_empty() || !span.of(self.text).contains(':') {
            return false;
        }
        let mut fields = Vec::new();
        for line in super::lines(span.of(self.text)) {
            match metadata::parse_line(self.text, line.shifted(span.start)) {
                Some(f) => fields.extend(f),
                None => return false,
            }
        }
        self.parsed.metadata.extend(
            fields
                .into_iter()
                .map(|LineField { key, value }| MetadataField { key, value, block }),
        );
        true
    }
}

#[cfg(test)]
mod tests {
    use super::last_occurrence;

    #[test]
    fn a_destination_is_found_where_a_search_from_the_end_finds_it() {
        let links = [
            "[text](https://a.example/x)",
            "[text](https://a.example/x \"title\")",
            "[https://a.example/x](https://a.example/x)",
            "[x](x)",
            "<https://a.example/x>",
            "[text](<a b>)",
            "[é](é)",
            "x",
            "",
        ];
        for link in links {
            for needle in [
                "https://a.example/x",
                "x",
                "x)",
                "é",
                "a b",
                "title",
                "missing",
                "",
            ] {
                assert_eq!(
                    last_occurrence(link, needle),
                    link.rfind(needle),
                    "{link} {needle}"
                );
            }
        }
    }
}
