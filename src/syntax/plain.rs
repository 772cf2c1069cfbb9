//! The plain-text front end.
//!
//! A plain policy text has no markup, so its shape is read from layout:
//! blank lines separate paragraphs; the first short line is the title; a
//! paragraph of `Key: value` lines is metadata; a line of its own that starts
//! with a section number (`2. Scope`, `Article 5`) or that is underlined
//! (`=====`) is a heading; lines that start with `-`, `•`, `1.`, `(a)` are
//! list items. Heading levels follow the order in which numbering styles
//! appear, as reStructuredText does with underline characters.

use super::metadata::{self, LineField};
use super::number::{Form, Label, SectionNumber, Strictness, parse_number};
use super::{
    Block, BlockKind, Heading, HeadingKind, Language, MetadataField, NumberedItem, Parsed, Span,
    Title, lines, prose,
};

/// The longest line that can be a title or a heading, in characters.
const MAX_HEADING_CHARS: usize = 150;
/// The most words a heading that ends with a period may have.
const MAX_DOTTED_HEADING_WORDS: usize = 10;

pub(super) fn parse(text: &str) -> Parsed {
    let mut p = PlainParser {
        text,
        parsed: Parsed::default(),
        styles: Vec::new(),
        prev_ends_with_colon: false,
        list_style: None,
    };
    let all = lines(text);
    let mut paragraph: Vec<Span> = Vec::new();
    for line in all {
        if line.of(text).trim().is_empty() {
            if !paragraph.is_empty() {
                p.paragraph(&paragraph);
                paragraph.clear();
            }
        } else {
            paragraph.push(line);
        }
    }
    if !paragraph.is_empty() {
        p.paragraph(&paragraph);
    }
    p.parsed
}

/// What decides a plain-text heading's level: its numbering style or its
/// underline character.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Style {
    Numbered {
        label: Option<Label>,
        form: Form,
        letters: Option<bool>,
        depth: usize,
    },
    Underlined(char),
}

fn numbered_style(n: &SectionNumber) -> Style {
    let letters = match n.last() {
        super::Numeral::Digits(_) => None,
        super::Numeral::Letters { upper, .. } => Some(*upper),
    };
    Style::Numbered {
        label: n.label,
        form: n.form,
        letters,
        depth: n.parts.len(),
    }
}

struct PlainParser<'t> {
    text: &'t str,
    parsed: Parsed,
    /// Open heading styles, outermost first: a heading's level is its
    /// style's position here.
    styles: Vec<Style>,
    prev_ends_with_colon: bool,
    /// The style of the numbered list we are in, if the last block was one
    /// of its items.
    list_style: Option<Style>,
}

impl PlainParser<'_> {
    fn paragraph(&mut self, lines: &[Span]) {
        let first_block = self.parsed.blocks.is_empty();
        let lines = self.metadata_lines(lines);
        if lines.is_empty() {
            return;
        }
        if first_block && self.parsed.blocks.is_empty() && lines.len() == 1 {
            if let Some(title) = self.title_line(lines[0]) {
                self.push_block(BlockKind::Title, lines[0], Some(title));
                self.parsed.title = Some(Title {
                    span: title,
                    block: self.parsed.blocks.len() - 1,
                });
                return;
            }
        }
        if let Some(rest) = self.underlined_heading(lines, first_block) {
            if rest.is_empty() {
                return;
            }
            return self.body(rest);
        }
        if lines.len() == 1 && self.numbered_heading(lines[0]) {
            return;
        }
        self.body(lines);
    }

    /// Takes the leading metadata lines of a paragraph into a metadata block
    /// and returns the lines left.
    fn metadata_lines<'l>(&mut self, lines: &'l [Span]) -> &'l [Span] {
        let mut fields: Vec<LineField> = Vec::new();
        let mut used = 0;
        while used < lines.len() {
            let Some(mut line_fields) = metadata::parse_line(self.text, lines[used]) else {
                break;
            };
            used += 1;
            // "Author:" alone with its value on the next line.
            let last = line_fields.last_mut().expect("a metadata line has a field");
            if last.value.is_none() && used < lines.len() {
                let next = lines[used];
                if metadata::parse_line(self.text, next).is_none() && next.len() <= 100 {
                    last.value = Some(super::trim(self.text, next));
                    used += 1;
                }
            }
            fields.extend(line_fields);
        }
        if used == 0 {
            return lines;
        }
        let span = lines[0].join(lines[used - 1]);
        self.push_block(BlockKind::Metadata, span, None);
        let block = self.parsed.blocks.len() - 1;
        self.parsed
            .metadata
            .extend(fields.into_iter().map(|f| MetadataField {
                key: f.key,
                value: f.value,
                block,
            }));
        self.prev_ends_with_colon = false;
        self.list_style = None;
        &lines[used..]
    }

    /// The title text, if `line` can be the document's title.
    fn title_line(&self, line: Span) -> Option<Span> {
        let span = super::trim(self.text, line);
        let s = span.of(self.text);
        let ok = s.chars().count() <= MAX_HEADING_CHARS
            && !s.ends_with(['.', ',', ';', ':'])
            && s.chars().any(char::is_alphabetic)
            && parse_number(s, 0, Strictness::Delimited).is_none()
            && bullet(s).is_none();
        ok.then_some(span)
    }

    /// A heading underlined by a row of one repeated character. Returns the
    /// lines after the underline, or `None` if the paragraph does not start
    /// with such a heading.
    fn underlined_heading<'l>(
        &mut self,
        lines: &'l [Span],
        first_block: bool,
    ) -> Option<&'l [Span]> {
        let underline = |l: Span| underline_char(l.of(self.text));
        if lines.len() == 1 && underline(lines[0]).is_some() {
            // A separator line on its own.
            return Some(&lines[1..]);
        }
        if lines.len() < 2 {
            return None;
        }
        let c = underline(lines[1])?;
        let title_span = super::trim(self.text, lines[0]);
        let title = title_span.of(self.text);
        if underline(lines[0]).is_some()
            || title.chars().count() > MAX_HEADING_CHARS
            || !title.chars().any(char::is_alphabetic)
        {
            return None;
        }
        let span = lines[0].join(lines[1]);
        if first_block && self.parsed.blocks.is_empty() {
            self.push_block(BlockKind::Title, span, Some(title_span));
            self.parsed.title = Some(Title {
                span: title_span,
                block: self.parsed.blocks.len() - 1,
            });
            return Some(&lines[2..]);
        }
        let number = parse_number(title, title_span.start, Strictness::Delimited);
        let title_only = match &number {
            Some((_, rest)) => super::trim(
                self.text,
                Span::new(title_span.start + rest, title_span.end),
            ),
            None => title_span,
        };
        self.push_heading(
            span,
            title_span,
            title_only,
            number.map(|(n, _)| n),
            Style::Underlined(c),
            HeadingKind::Underlined,
        );
        Some(&lines[2..])
    }

    /// Records `line` as a numbered heading if it is one.
    fn numbered_heading(&mut self, line: Span) -> bool {
        let span = super::trim(self.text, line);
        let s = span.of(self.text);
        let Some((number, rest)) = parse_number(s, span.start, Strictness::Delimited) else {
            return false;
        };
        let title = super::trim(self.text, Span::new(span.start + rest, span.end));
        let t = title.of(self.text);
        let style = numbered_style(&number);
        let looks_like_heading = s.chars().count() <= MAX_HEADING_CHARS
            && !t.ends_with([',', ';'])
            && !t.starts_with(char::is_lowercase)
            && (number.label.is_some() || !t.is_empty())
            && (number.label.is_some() || !self.prev_ends_with_colon)
            && (number.label.is_some() || !t.ends_with(':'))
            && (!t.ends_with('.') || is_short_sentence(t))
            && self.list_style.as_ref() != Some(&style);
        if !looks_like_heading {
            return false;
        }
        self.push_heading(
            span,
            span,
            title,
            Some(number),
            style,
            HeadingKind::Numbered,
        );
        true
    }

    fn push_heading(
        &mut self,
        span: Span,
        text: Span,
        title: Span,
        number: Option<SectionNumber>,
        style: Style,
        kind: HeadingKind,
    ) {
        let restarts = number
            .as_ref()
            .is_some_and(|n| n.last().schemes().any(|s| n.last().value(s) == Some(1)));
        let level = self.level_of(style, restarts);
        self.push_block(BlockKind::Heading, span, Some(title));
        let block = self.parsed.blocks.len() - 1;
        self.parsed.headings.push(Heading {
            block,
            span,
            text,
            title,
            number,
            level,
            kind,
        });
        self.prev_ends_with_colon = false;
        self.list_style = None;
    }

    /// The level of a heading of `style`, opening or closing levels as needed.
    /// `restarts`: the heading's number is a first one (1, A, i).
    fn level_of(&mut self, style: Style, restarts: bool) -> u8 {
        let position = |styles: &[Style], s: &Style| styles.iter().position(|x| x == s);
        // The last style on the stack is the previous heading's.
        let after_unnumbered = matches!(self.styles.last(), Some(Style::Underlined(_)));
        if let Some(pos) = position(&self.styles, &style) {
            // Numbering that starts again right under an unnumbered heading
            // belongs to it ("Part Two ===" then "1. Scope"): that heading
            // moves up to where the numbering was, and the numbering under it.
            if restarts && after_unnumbered && pos + 1 < self.styles.len() {
                let unnumbered = self.styles.pop().expect("the stack holds it");
                self.styles.truncate(pos);
                self.styles.push(unnumbered);
                if let Some(previous) = self.parsed.headings.last_mut() {
                    previous.level = self.styles.len() as u8;
                }
                self.styles.push(style);
            } else {
                self.styles.truncate(pos + 1);
            }
        } else {
            // "1.2" goes right under the level of "1.", wherever we are.
            if let Style::Numbered {
                label,
                form,
                letters,
                depth,
            } = &style
            {
                let parent = Style::Numbered {
                    label: *label,
                    form: *form,
                    letters: *letters,
                    depth: depth.saturating_sub(1),
                };
                if let Some(pos) = self.styles.iter().position(|s| *s == parent) {
                    self.styles.truncate(pos + 1);
                }
            }
            self.styles.push(style);
        }
        self.styles.len().min(u8::MAX as usize) as u8
    }

    /// Body text: paragraphs and list items.
    fn body(&mut self, lines: &[Span]) {
        let mut start = 0;
        for i in 1..=lines.len() {
            let item_starts_here = i < lines.len() && self.item_marker(lines[i]).is_some();
            if i == lines.len() || item_starts_here {
                self.body_block(&lines[start..i]);
                start = i;
            }
        }
    }

    fn body_block(&mut self, lines: &[Span]) {
        let span = lines[0].join(lines[lines.len() - 1]);
        let marker = self.item_marker(lines[0]);
        let (kind, prose_start) = match &marker {
            Some(Marker::Number(number)) => (BlockKind::ListItem, number.span.end),
            Some(Marker::Bullet(len)) => (
                BlockKind::ListItem,
                super::trim(self.text, span).start + len,
            ),
            None => (BlockKind::Paragraph, span.start),
        };
        self.push_block(kind, span, Some(Span::new(prose_start, span.end)));
        let block = self.parsed.blocks.len() - 1;
        match marker {
            Some(Marker::Number(number)) => {
                self.list_style = Some(numbered_style(&number));
                self.parsed.items.push(NumberedItem {
                    block,
                    number,
                    list: None,
                });
            }
            Some(Marker::Bullet(_)) => {}
            None => self.list_style = None,
        }
        self.prev_ends_with_colon = span.of(self.text).trim_end().ends_with(':');
    }

    fn item_marker(&self, line: Span) -> Option<Marker> {
        let span = super::trim(self.text, line);
        let s = span.of(self.text);
        if let Some(len) = bullet(s) {
            return Some(Marker::Bullet(len));
        }
        let (number, _) = parse_number(s, span.start, Strictness::Delimited)?;
        number.label.is_none().then_some(Marker::Number(number))
    }

    /// Adds a block; `prose` is the part the word rules read, if any.
    fn push_block(&mut self, kind: BlockKind, span: Span, prose: Option<Span>) {
        let span = super::trim(self.text, span);
        let mut block = Block {
            kind,
            span,
            prose: Vec::new(),
            language: Language::English,
        };
        // The prose lies inside the block.
        if let Some(prose) = prose {
            let inside = Span::new(
                prose.start.max(span.start),
                prose.end.min(span.end).max(span.start),
            );
            prose::carve(self.text, inside, &mut block.prose);
        }
        self.parsed.blocks.push(block);
    }
}

enum Marker {
    /// A bullet and the bytes it takes with the space after it.
    Bullet(usize),
    Number(SectionNumber),
}

/// The length of a bullet marker with its following space: `- `, `• `.
fn bullet(s: &str) -> Option<usize> {
    let c = s.chars().next()?;
    if !matches!(c, '-' | '*' | '+' | '•' | '◦' | '▪' | '‣' | '–' | '·') {
        return None;
    }
    let rest = &s[c.len_utf8()..];
    let after = rest.chars().next()?;
    after
        .is_whitespace()
        .then(|| c.len_utf8() + after.len_utf8())
}

/// The character of an underline: a row of at least three of one of
/// `= - ~ * # ^ _ + :`.
fn underline_char(s: &str) -> Option<char> {
    let t = s.trim();
    let c = t.chars().next()?;
    let ok = "=-~*#^_+:".contains(c) && t.chars().count() >= 3 && t.chars().all(|d| d == c);
    ok.then_some(c)
}

/// One short sentence: "Termination." but not "Use it. Then stop."
fn is_short_sentence(t: &str) -> bool {
    t.split_whitespace().count() <= MAX_DOTTED_HEADING_WORDS && !t[..t.len() - 1].contains(". ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underline_needs_three_of_one_character() {
        assert_eq!(underline_char("===="), Some('='));
        assert_eq!(underline_char("--"), None);
        assert_eq!(underline_char("=-="), None);
    }

    #[test]
    fn bullets_need_a_space() {
        assert_eq!(bullet("- item"), Some(2));
        assert_eq!(bullet("• item"), Some(4));
        assert_eq!(bullet("-item"), None);
    }
}
