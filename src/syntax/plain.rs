//! The plain-text front end.
//!
//! A plain policy text has no markup, so its shape is read from layout:
//!
//! - blank lines separate paragraphs; the first short line is the title; a
//!   paragraph of `Key: value` lines is metadata;
//! - a line of its own that starts with a section number (`2. Scope`,
//!   `Article 5`, or `8 Termination` in a document whose headings carry
//!   bare numbers), a line underlined with a row of `=`, `-`, `*` …, and a
//!   Markdown-style `## 4. Conditions` line are headings; so is a short
//!   numbered title that opens its paragraph ("5. CRITÈRES." and the text
//!   on the next line);
//! - lines that start with `-`, `•`, `1.`, `(a)` are list items, and a
//!   number indented deeper than the headings of its style is an item of a
//!   list inside a section, not a section;
//! - a number at the start of a line that finishes the line before ("…
//!   the provisions of Article\n5.3.4.") is not an item, nor is a number
//!   standing alone as the term of a definition list;
//! - text framed in a box of `*`, `|`, `#` or `+` is read inside its frame;
//! - a run of numbered titles that come back later as headings is the
//!   table of contents.
//!
//! Heading levels follow the order in which numbering styles appear, as
//! reStructuredText does with underline characters, and indentation: a
//! heading less indented than the open ones closes them.

use std::ops::Range;

use super::language::is_function_word;
use super::metadata::{self, LineField};
use super::number::{Form, Label, SectionNumber, Strictness, parse_number};
use super::token::is_abbreviation;
use super::{
    Block, BlockKind, ContentsEntry, Heading, HeadingKind, Language, MetadataField, NumberedItem,
    Parsed, Span, Title, prose,
};

/// The longest line that can be a title or a heading, in characters.
const MAX_HEADING_CHARS: usize = 150;
/// Characters by which an underline may be shorter or longer than its title
/// and still be measured to it.
const UNDERLINE_SLACK: usize = 3;
/// The longest heading in a script without spaces (Chinese, Japanese), in
/// characters: such a line says as much as a long English one.
const MAX_UNSPACED_HEADING_CHARS: usize = 40;
/// The most words a heading that ends with a period may have.
const MAX_DOTTED_HEADING_WORDS: usize = 10;
/// The most lines and words of a labelled heading wrapped over lines.
const MAX_WRAPPED_HEADING_LINES: usize = 3;
const MAX_WRAPPED_HEADING_WORDS: usize = 30;
/// The most words of a numbered title that opens its paragraph.
const MAX_LEADING_TITLE_WORDS: usize = 8;
/// A tab moves to the next multiple of this column.
const TAB_STOP: usize = 8;
/// Columns by which two indentations may differ and still be one: numbers
/// aligned on their right (" 9." over "10.") or a stray space.
const INDENT_SLACK: usize = 1;
/// The fewest framed lines that make a box.
const MIN_FRAMED_LINES: usize = 3;
/// The fewest entries of a table of contents.
const MIN_CONTENTS_ENTRIES: usize = 3;
/// The longest line that can hold a multi-part number continuing the line
/// before, when shorter lines are more likely headings than wrapped text.
const MIN_WRAPPED_LINE_CHARS: usize = 50;

pub(super) fn parse(text: &str) -> Parsed {
    let lines = read_lines(text);
    let layout = Layout::infer(text, &lines);
    let mut p = PlainParser {
        text,
        layout: &layout,
        parsed: Parsed::default(),
        styles: Vec::new(),
        indents_nest: false,
        heading_indents: Vec::new(),
        prev_ends_with_colon: false,
        list: None,
        title_underline: None,
        last_number: None,
    };
    let mut start = None;
    for i in 0..=lines.len() {
        let ends_paragraph = match (start, lines.get(i)) {
            (_, None) => true,
            (_, Some(line)) if line.blank => true,
            (Some(_), Some(_)) => layout.separates(&lines, i),
            (None, Some(_)) => false,
        };
        if ends_paragraph {
            if let Some(s) = start.take() {
                p.paragraph(&lines[s..i], s);
            }
        }
        if lines.get(i).is_some_and(|l| !l.blank) && start.is_none() {
            start = Some(i);
        }
    }
    p.parsed
}

/// One line of the text as the parser reads it.
#[derive(Copy, Clone, Debug)]
struct Line {
    /// The line without its line break, or the inside of its frame.
    span: Span,
    /// `span` without the white space around it.
    text: Span,
    /// Columns of white space before the text.
    indent: usize,
    /// Nothing but white space (or a frame's border).
    blank: bool,
    /// Inside a box.
    framed: bool,
    /// The `#` marks of a Markdown-style heading line at the margin.
    atx: Option<u8>,
    /// The character the line is a row of, if it is an underline.
    underline: Option<char>,
}

impl Line {
    fn new(text: &str, span: Span, framed: bool) -> Line {
        let s = span.of(text);
        let mut indent = 0;
        for c in s.chars() {
            match c {
                '\t' => indent = (indent / TAB_STOP + 1) * TAB_STOP,
                c if c.is_whitespace() => indent += 1,
                _ => break,
            }
        }
        // (What the layout passes and the paragraphs ask of every line is
        // read once, here.)
        let trimmed_span = super::trim(text, span);
        let trimmed = trimmed_span.of(text);
        Line {
            span,
            text: trimmed_span,
            indent,
            blank: trimmed.is_empty(),
            framed,
            atx: if framed || indent > 3 {
                None
            } else {
                atx_marks(trimmed)
            },
            underline: underline_char(trimmed),
        }
    }
}

fn read_lines(text: &str) -> Vec<Line> {
    let mut lines: Vec<Line> = super::lines(text)
        .map(|span| Line::new(text, span, false))
        .collect();
    unframe(text, &mut lines);
    lines
}

/// The character a (trimmed) line is framed with: `**  Disclaimer  **`,
/// `| text |`.
fn frame_char(t: &str) -> Option<char> {
    let c = t.chars().next()?;
    let framed = matches!(c, '*' | '|' | '#' | '+') && t.len() >= 2 && t.ends_with(c);
    framed.then_some(c)
}

/// Reads runs of framed lines inside their frames.
fn unframe(text: &str, lines: &mut [Line]) {
    let mut i = 0;
    while i < lines.len() {
        let Some(c) = frame_char(lines[i].text.of(text)) else {
            i += 1;
            continue;
        };
        let run = lines[i..]
            .iter()
            .take_while(|l| frame_char(l.text.of(text)) == Some(c))
            .count();
        if run >= MIN_FRAMED_LINES {
            for line in &mut lines[i..i + run] {
                let s = line.span.of(text);
                let inner_start = s.len() - s.trim_start().trim_start_matches(c).len();
                let inner_end = s.trim_end().trim_end_matches(c).len().max(inner_start);
                let inner = Span::new(line.span.start + inner_start, line.span.start + inner_end);
                *line = Line::new(text, inner, true);
            }
            // The frame has its own margin.
            let framed = &mut lines[i..i + run];
            let margin = framed.iter().filter(|l| !l.blank).map(|l| l.indent).min();
            for line in framed {
                line.indent -= margin.unwrap_or(0).min(line.indent);
            }
        }
        i += run;
    }
}

/// What the whole text says about how it is laid out.
struct Layout {
    /// Markdown-style `## 4. Conditions` lines are headings.
    atx: bool,
    /// Headings carry bare numbers: `8 Termination`.
    bare_numbers: bool,
    /// Numbered headings are marked, underlined or with `#`: a numbered
    /// line without the mark is an item.
    marked_headings: bool,
    /// The tables of contents, as ranges of lines.
    contents: Vec<Range<usize>>,
    /// The lines that start an entry of a table of contents, in order, with
    /// what the entry lists.
    contents_entries: Vec<(usize, Lists)>,
    /// The width the text is wrapped to, in columns.
    width: usize,
}

impl Layout {
    fn infer(text: &str, lines: &[Line]) -> Layout {
        let bare_numbers = uses_bare_numbers(text, lines);
        let strictness = if bare_numbers {
            Strictness::Lenient
        } else {
            Strictness::Delimited
        };
        let (contents, contents_entries) = find_contents(text, lines, strictness);
        Layout {
            width: wrap_width(lines),
            atx: uses_atx_headings(lines),
            bare_numbers,
            marked_headings: marks_numbered_headings(text, lines),
            contents,
            contents_entries,
        }
    }

    /// The indentation of `line` as the structure counts it: none for a
    /// centred line, whose indentation follows from its length.
    fn indent_of(&self, text: &str, line: &Line) -> usize {
        let length = line.text.of(text).chars().count();
        let right = self.width.saturating_sub(line.indent + length);
        let centred = line.indent >= MIN_CENTRED_INDENT
            && right >= MIN_CENTRED_INDENT
            && line.indent.abs_diff(right) <= CENTRING_SLACK;
        if centred { 0 } else { line.indent }
    }

    fn in_contents(&self, line: usize) -> bool {
        // The runs are in order and apart.
        let i = self.contents.partition_point(|r| r.end <= line);
        self.contents.get(i).is_some_and(|r| r.contains(&line))
    }

    fn starts_contents_entry(&self, line: usize) -> bool {
        self.contents_entry_at(line).is_some()
    }

    fn contents_entry_at(&self, line: usize) -> Option<Lists> {
        let i = self
            .contents_entries
            .binary_search_by_key(&line, |&(l, _)| l)
            .ok()?;
        Some(self.contents_entries[i].1)
    }

    /// Whether line `i` starts a new paragraph although no blank line comes
    /// before it: a frame begins or ends, a contents line, a `#` heading.
    fn separates(&self, lines: &[Line], i: usize) -> bool {
        let (previous, line) = (&lines[i - 1], &lines[i]);
        previous.framed != line.framed
            || self.in_contents(i) != self.in_contents(i - 1)
            || self.starts_contents_entry(i)
            || (self.atx && (line.atx.is_some() || previous.atx.is_some()))
    }
}

/// The number of `#` of a Markdown-style heading line, trimmed.
fn atx_marks(t: &str) -> Option<u8> {
    if !t.starts_with('#') {
        return None;
    }
    let marks = t.bytes().take_while(|&b| b == b'#').count();
    let rest = &t[marks..];
    let ok = (1..=6).contains(&marks)
        && rest.starts_with([' ', '\t'])
        && rest.trim().chars().next().is_some_and(|c| c != '#');
    ok.then(|| u8::try_from(marks).expect("at most six marks"))
}

/// The narrowest and widest text widths the layout is measured against.
const WRAP_WIDTHS: (usize, usize) = (60, 100);
/// The least indentation, and right margin, of a centred line.
const MIN_CENTRED_INDENT: usize = 8;
/// Columns by which the margins of a centred line may differ.
const CENTRING_SLACK: usize = 6;

/// The width the text is wrapped to: the length nineteen lines in twenty
/// do not pass, within `WRAP_WIDTHS`.
fn wrap_width(lines: &[Line]) -> usize {
    let mut lengths: Vec<usize> = lines
        .iter()
        .filter(|l| !l.blank)
        // (Bytes for characters: close enough for a width, and no decoding.)
        .map(|l| l.indent + l.text.len())
        .collect();
    if lengths.is_empty() {
        return WRAP_WIDTHS.0;
    }
    let k = (lengths.len() * 19 / 20).min(lengths.len() - 1);
    let (_, &mut width, _) = lengths.select_nth_unstable(k);
    width.clamp(WRAP_WIDTHS.0, WRAP_WIDTHS.1)
}

fn uses_atx_headings(lines: &[Line]) -> bool {
    let headings = (0..lines.len())
        .filter(|&i| {
            let Some(m) = lines[i].atx else { return false };
            // A comment block repeats its marks on every line.
            let same = |j: Option<usize>| j.is_some_and(|j| lines[j].atx == Some(m));
            !(same(i.checked_sub(1)) || same(Some(i + 1).filter(|&j| j < lines.len())))
        })
        .count();
    headings >= 2
}

/// The fewest marked numbered headings that show a text marks them all.
const MIN_MARKED_HEADINGS: usize = 3;

/// Whether the text marks its numbered headings, with an underline or `#`
/// (as reStructuredText and Markdown exports do).
fn marks_numbered_headings(text: &str, lines: &[Line]) -> bool {
    let numbered = |l: &Line| {
        let s = l.text.of(text).trim_start_matches('#').trim_start();
        parse_number(s, 0, Strictness::Delimited).is_some()
    };
    let marked = lines
        .windows(2)
        .filter(|w| {
            let underlined = w[1].underline.is_some() && !w[0].blank;
            let hashed = w[0].atx.is_some();
            (underlined || hashed) && numbered(&w[0])
        })
        .count();
    marked >= MIN_MARKED_HEADINGS
}

/// Whether the text's headings carry bare numbers ("8 Termination"): at
/// least two single-line paragraphs so numbered, counting up.
fn uses_bare_numbers(text: &str, lines: &[Line]) -> bool {
    let mut values = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let alone = !line.blank
            && (i == 0 || lines[i - 1].blank)
            && lines.get(i + 1).is_none_or(|l| l.blank);
        if !alone {
            continue;
        }
        let s = line.text.of(text);
        if !s.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let Some((n, rest)) = parse_number(s, 0, Strictness::Lenient) else {
            continue;
        };
        let title = s[rest..].trim();
        let bare = n.label.is_none()
            && !n.final_dot
            && n.form == Form::Dotted
            && n.parts.len() == 1
            && n.last().digits().is_some_and(|v| v < 100)
            && !s[..n.span.end].ends_with('.');
        if bare && title.starts_with(char::is_uppercase) && is_title_like(title, 12) {
            values.extend(n.last().digits());
        }
    }
    let steps = values.windows(2).filter(|w| w[1] == w[0] + 1).count();
    values.len() >= 2 && steps * 2 >= values.len() - 1 && steps >= 1
}

/// A numbered title on a line: the key that finds it again elsewhere
/// (its path and its words in lower case).
fn contents_key(text: &str, line: &Line, strictness: Strictness) -> Option<ContentsKey> {
    let s = line.text.of(text);
    let s = match bullet(s) {
        Some(len) => s[len..].trim_start(),
        None => s,
    };
    // "Table 4.1. Module to package mappings", listed under "List of
    // Tables".
    let s = ["Table ", "Figure ", "Example "]
        .iter()
        .find_map(|caption| s.strip_prefix(caption))
        .unwrap_or(s);
    let (n, rest) = parse_number(s, 0, strictness)?;
    let title = strip_page_number(s[rest..].trim());
    if title.is_empty()
        || title.chars().count() > MAX_HEADING_CHARS
        || title.starts_with(char::is_lowercase)
    {
        return None;
    }
    // The title's words in lower case, one space apart.
    let mut words = String::with_capacity(title.len());
    for word in title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !words.is_empty() {
            words.push(' ');
        }
        if word.is_ascii() {
            // (Lowered in place: char by char costs more than the rest of
            // the key.)
            let start = words.len();
            words.push_str(word);
            words[start..].make_ascii_lowercase();
        } else {
            words.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    if words.is_empty() {
        return None;
    }
    Some(Box::new((n.path().to_lowercase(), words)))
}

/// A numbered title's path and words (see [`contents_key`]), boxed: one is
/// kept for every line, and most lines have none.
type ContentsKey = Box<(String, String)>;

/// A contents line's title without its dot leaders and page number:
/// "Definitions ........ 3" is "Definitions".
fn strip_page_number(title: &str) -> &str {
    let without_page = title.trim_end_matches(|c: char| c.is_ascii_digit());
    if without_page.len() == title.len() {
        return title;
    }
    let leaders = without_page.trim_end_matches(['.', ' ', '\u{a0}', '\t', '…', '·']);
    if without_page.len() - leaders.len() >= 2 {
        leaders
    } else {
        title
    }
}

/// The occurrences of a contents entry's number after the contents that
/// are compared with its title.
const MAX_OCCURRENCES_COMPARED: usize = 8;
/// The most words of a line that heads a group of contents lines
/// ("Appendices").
const MAX_CONTENTS_HEADER_WORDS: usize = 6;

/// The tables of contents: runs of numbered title lines (blank lines,
/// wrapped titles and group headers such as "Appendices" between them
/// allowed), at least three or under a "Contents" line, most of whose
/// titles come back later in the text with the same numbers. Returns the
/// runs, and the lines that start an entry with what they list.
fn find_contents(
    text: &str,
    lines: &[Line],
    strictness: Strictness,
) -> (Vec<Range<usize>>, Vec<(usize, Lists)>) {
    let keys: Vec<Option<ContentsKey>> = lines
        .iter()
        .map(|l| {
            (!l.blank)
                .then(|| contents_key(text, l, strictness))
                .flatten()
        })
        .collect();
    // Where each number is written at the start of a line, with its title.
    let mut seen: std::collections::HashMap<&str, Vec<(usize, &str)>> =
        std::collections::HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        if let Some((path, title)) = key.as_deref() {
            seen.entry(path).or_default().push((i, title));
        }
    }
    let mut runs = Vec::new();
    let mut starts = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if keys[i].is_none() {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        let mut entries: Vec<usize> = Vec::new();
        let mut listed: std::collections::HashSet<&(String, String)> =
            std::collections::HashSet::new();
        let mut lists = under_contents_line(text, lines, start).unwrap_or(Lists::Headings);
        let mut listing: Vec<Lists> = Vec::new();
        while i < lines.len() {
            let underlined = lines.get(i + 1).is_some_and(|l| l.underline.is_some());
            // The body begins: a title listed already, or an underlined
            // heading.
            let body_begins = keys[i]
                .as_deref()
                .is_some_and(|key| underlined || listed.contains(key));
            if lines[i].blank {
                i += 1;
            } else if body_begins {
                break;
            } else if let Some(key) = keys[i].as_deref() {
                listed.insert(key);
                entries.push(i);
                listing.push(lists);
                i += 1;
                end = i;
            } else if i == end && lines[i].indent >= lines[i - 1].indent {
                // A title wrapped onto the next line.
                i += 1;
                end = i;
            } else if let Some(after) = contents_group_header(text, lines, &keys, i) {
                lists = announced_contents(lines[i].span.of(text)).unwrap_or(Lists::Headings);
                i = after;
            } else {
                break;
            }
        }
        // The entry's number comes back after the contents with its title
        // (whose first words are all a wrapped entry's first line holds).
        // (The first few occurrences after the contents are enough: a text
        // that repeats one number a million times costs no more.)
        let found_again = |e: &usize| {
            keys[*e].as_deref().is_some_and(|(path, title)| {
                seen.get(path.as_str()).is_some_and(|occurrences| {
                    let after = occurrences.partition_point(|&(line, _)| line < end);
                    occurrences[after..]
                        .iter()
                        .take(MAX_OCCURRENCES_COMPARED)
                        .any(|&(_, t)| t.starts_with(title.as_str()))
                })
            })
        };
        // A heading just before the contents (a chapter's, over its own
        // contents) is not one of them.
        let leading = entries.iter().take_while(|e| !found_again(e)).count();
        let scan_end = end;
        if leading > 0 && leading < entries.len() {
            entries.drain(..leading);
            listing.drain(..leading);
        }
        let start = entries.first().copied().unwrap_or(start);
        let fewest = if under_contents_line(text, lines, start).is_some() {
            1
        } else {
            MIN_CONTENTS_ENTRIES
        };
        let recurring = entries.iter().filter(|e| found_again(e)).count();
        if entries.len() >= fewest && recurring * 3 >= entries.len() * 2 {
            runs.push(start..end);
            starts.extend(entries.into_iter().zip(listing));
        }
        i = i.max(scan_end).max(start + 1);
    }
    (runs, starts)
}

/// A short line (perhaps underlined) that heads a group of contents lines,
/// with more of them after it: returns where they go on.
fn contents_group_header(
    text: &str,
    lines: &[Line],
    keys: &[Option<ContentsKey>],
    i: usize,
) -> Option<usize> {
    let s = lines[i].text.of(text);
    if s.split_whitespace().count() > MAX_CONTENTS_HEADER_WORDS
        || !s.starts_with(char::is_uppercase)
    {
        return None;
    }
    let mut next = i + 1;
    if lines.get(next).is_some_and(|l| l.underline.is_some()) {
        next += 1;
    }
    let mut k = next;
    while lines.get(k).is_some_and(|l| l.blank) {
        k += 1;
    }
    (k > next || next > i + 1).then_some(())?;
    keys.get(k)?.as_ref().map(|_| next)
}

/// Whether the last line before line `start` announces contents: "Table
/// of Contents", "Contents", "List of Tables".
fn under_contents_line(text: &str, lines: &[Line], start: usize) -> Option<Lists> {
    let line = lines[..start].iter().rev().find(|l| !l.blank)?;
    announced_contents(line.span.of(text))
}

/// What a list of contents announced by the line `s` lists.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Lists {
    /// "Contents", "Table of Contents".
    Headings,
    /// "List of Tables", "List of Figures": captions, not headings.
    Captions,
}

fn announced_contents(s: &str) -> Option<Lists> {
    let s = s.trim().trim_end_matches(':');
    if s.len() > "list of illustrations".len() {
        return None;
    }
    let s = s.to_lowercase();
    if matches!(s.as_str(), "contents" | "table of contents") {
        return Some(Lists::Headings);
    }
    s.strip_prefix("list of ")
        .is_some_and(|rest| matches!(rest, "tables" | "figures" | "illustrations" | "examples"))
        .then_some(Lists::Captions)
}

/// What decides a plain-text heading's level: its numbering style, its
/// underline character, or its `#` marks.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Style {
    Numbered {
        label: Option<Label>,
        form: Form,
        letters: Option<bool>,
        depth: usize,
    },
    Underlined(char),
    Marks(usize),
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

/// Whether `style` numbers one level deeper than `open`: `6.1` under `6.`.
fn numbers_deeper(open: &Style, style: &Style) -> bool {
    match (open, style) {
        (Style::Numbered { depth: a, .. }, Style::Numbered { depth: b, .. }) => b > a,
        _ => false,
    }
}

fn same_indent(a: usize, b: usize) -> bool {
    a.abs_diff(b) <= INDENT_SLACK
}

struct PlainParser<'t> {
    text: &'t str,
    layout: &'t Layout,
    parsed: Parsed,
    /// Open heading styles, outermost first, with the indentation of their
    /// last heading: a heading's level is its style's position here.
    styles: Vec<(Style, usize)>,
    /// The text indents sub-sections under their sections, so that a new
    /// style at the margin of an open one is its sibling.
    indents_nest: bool,
    /// The indentation at which each numbered heading style was first seen.
    heading_indents: Vec<(Style, usize)>,
    prev_ends_with_colon: bool,
    /// The numbered list we are in, if the last block was one of its items.
    list: Option<OpenList>,
    /// The character the title is underlined with, until a heading is
    /// underlined otherwise: headings underlined like the title before any
    /// other are the outermost ones (as a Sphinx export's chapters).
    title_underline: Option<char>,
    /// The last number of a heading or item.
    last_number: Option<SectionNumber>,
}

/// The numbered list the last block was an item of.
struct OpenList {
    style: Style,
    /// The columns where its last number starts and ends: the numbers of a
    /// list line up on the left ("1." over "2.") or on the right (" 9."
    /// over "10.").
    left: usize,
    right: usize,
}

impl OpenList {
    fn holds(&self, style: &Style, left: usize, number: &SectionNumber) -> bool {
        let right = left + number.span.len();
        self.style == *style && (self.left == left || self.right == right)
    }
}

/// A numbered line that may head a section.
struct NumberedTitle {
    number: SectionNumber,
    /// The line's text, number included.
    text: Span,
    title: Span,
    style: Style,
}

impl PlainParser<'_> {
    /// A paragraph: `lines` with no blank line between them, the first
    /// being line `first` of the text.
    fn paragraph(&mut self, lines: &[Line], first: usize) {
        if self.layout.in_contents(first) {
            let lists = self.layout.contents_entry_at(first);
            self.contents_entry(lines, lists);
            return;
        }
        let first_block = self.before_title();
        let lines = self.metadata_lines(lines);
        if lines.is_empty() {
            return;
        }
        if lines.len() == 1 && self.atx_heading(lines[0], first_block) {
            return;
        }
        if first_block && self.before_title() && lines.len() == 1 {
            if let Some(title) = self.title_line(lines[0]) {
                self.push_title(lines[0].span, title);
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
        if lines.len() > 1 && self.leading_title(lines) {
            return self.body(&lines[1..]);
        }
        if self.wrapped_labelled_heading(lines) {
            return;
        }
        self.body(lines);
    }

    /// Whether the title may still come: nothing but copyright notices so
    /// far ("(C) Copyright 2019 The Project" above a licence's name).
    fn before_title(&self) -> bool {
        self.parsed.title.is_none()
            && self.parsed.blocks.iter().all(|b| {
                b.kind == BlockKind::Paragraph && is_copyright_notice(b.span.of(self.text))
            })
    }

    fn push_title(&mut self, span: Span, title: Span) {
        self.push_block(BlockKind::Title, span, Some(title));
        self.parsed.title = Some(Title {
            span: title,
            block: self.parsed.blocks.len() - 1,
        });
    }

    /// An entry of a table of contents (its title may wrap), or a line
    /// that heads a group of entries (`lists` is `None`).
    fn contents_entry(&mut self, lines: &[Line], lists: Option<Lists>) {
        let span = super::trim(self.text, lines[0].span.join(lines[lines.len() - 1].span));
        let s = span.of(self.text);
        let after_bullet =
            bullet(s).map_or(0, |len| len + s[len..].len() - s[len..].trim_start().len());
        let number = parse_number(
            &s[after_bullet..],
            span.start + after_bullet,
            if self.layout.bare_numbers {
                Strictness::Lenient
            } else {
                Strictness::Delimited
            },
        );
        let (number, title) = match number {
            Some((number, rest)) => {
                let rest = Span::new(span.start + after_bullet + rest, span.end);
                let title = strip_page_number(rest.of(self.text).trim());
                let start = rest.start + (rest.len() - rest.of(self.text).trim_start().len());
                (Some(number), Span::new(start, start + title.len()))
            }
            None => (None, span),
        };
        self.push_block(BlockKind::Contents, span, Some(title));
        self.parsed.contents.push(ContentsEntry {
            block: self.parsed.blocks.len() - 1,
            number: number.filter(|_| lists.is_some()),
            title,
            caption: lists == Some(Lists::Captions),
        });
    }

    /// Takes the leading metadata lines of a paragraph into a metadata block
    /// and returns the lines left.
    fn metadata_lines<'l>(&mut self, lines: &'l [Line]) -> &'l [Line] {
        let mut fields: Vec<LineField> = Vec::new();
        let mut used = 0;
        while used < lines.len() {
            let Some(mut line_fields) = metadata::parse_line(self.text, lines[used].span) else {
                break;
            };
            used += 1;
            // "Author:" alone with its value on the next line.
            let last = line_fields.last_mut().expect("a metadata line has a field");
            if last.value.is_none() && used < lines.len() {
                let next = lines[used].span;
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
        let span = lines[0].span.join(lines[used - 1].span);
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
        self.list = None;
        &lines[used..]
    }

    /// The title text, if `line` can be the document's title.
    fn title_line(&self, line: Line) -> Option<Span> {
        let span = line.text;
        let s = span.of(self.text);
        let ok = s.chars().count() <= MAX_HEADING_CHARS
            && !s.ends_with(['.', ',', ';', ':'])
            && s.chars().any(char::is_alphabetic)
            && parse_number(s, 0, Strictness::Delimited).is_none()
            && bullet(s).is_none()
            && !is_copyright_notice(s);
        ok.then_some(span)
    }

    /// A Markdown-style heading line, `## 4. Conditions`, in a text that
    /// uses them; the first block's is the title.
    fn atx_heading(&mut self, line: Line, first_block: bool) -> bool {
        if !self.layout.atx {
            return false;
        }
        let Some(marks) = line.atx.map(usize::from) else {
            return false;
        };
        let span = line.text;
        let text = super::trim(self.text, Span::new(span.start + marks, span.end));
        if first_block && self.before_title() && marks == 1 {
            self.push_title(span, text);
            return true;
        }
        let number = parse_number(text.of(self.text), text.start, Strictness::Lenient);
        let title = match &number {
            Some((_, rest)) => super::trim(self.text, Span::new(text.start + rest, text.end)),
            None => text,
        };
        self.push_heading(
            span,
            text,
            title,
            number.map(|(n, _)| n),
            Style::Marks(marks),
            HeadingKind::Atx,
            line.indent,
        );
        true
    }

    /// A heading underlined by a row of one repeated character. Returns the
    /// lines after the underline, or `None` if the paragraph does not start
    /// with such a heading.
    fn underlined_heading<'l>(
        &mut self,
        lines: &'l [Line],
        first_block: bool,
    ) -> Option<&'l [Line]> {
        if lines.len() == 1 && lines[0].underline.is_some() {
            // A separator line on its own.
            return Some(&lines[1..]);
        }
        if lines.len() < 2 {
            return None;
        }
        let c = lines[1].underline?;
        let title_span = lines[0].text;
        let title = title_span.of(self.text);
        // An underline as long as its title marks a heading however long.
        let length = title.chars().count();
        let underline_length = lines[1].text.of(self.text).chars().count();
        let measured = length.abs_diff(underline_length) <= UNDERLINE_SLACK;
        if lines[0].underline.is_some()
            || (length > MAX_HEADING_CHARS && !measured)
            || !title.chars().any(char::is_alphabetic)
        {
            return None;
        }
        let span = lines[0].span.join(lines[1].span);
        if first_block && self.before_title() {
            self.push_title(span, title_span);
            self.title_underline = Some(c);
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
            self.layout.indent_of(self.text, &lines[0]),
        );
        Some(&lines[2..])
    }

    /// The numbered title `line` carries, if it may head a section: not an
    /// item of the list we are in, not deeper than the headings of its
    /// style, not a definition ("'Licence' means …").
    fn numbered_title(&self, line: Line) -> Option<NumberedTitle> {
        let span = line.text;
        let s = span.of(self.text);
        let (number, rest) = parse_number(s, span.start, Strictness::Delimited).or_else(|| {
            self.layout
                .bare_numbers
                .then(|| parse_number(s, span.start, Strictness::Lenient))
                .flatten()
                .filter(|(n, _)| n.parts.len() == 1 && n.label.is_none())
        })?;
        let title = super::trim(self.text, Span::new(span.start + rest, span.end));
        let t = title.of(self.text);
        let style = numbered_style(&number);
        let unlabelled = number.label.is_none();
        let margin = self.layout.indent_of(self.text, &line);
        let in_list = self
            .list
            .as_ref()
            .is_some_and(|list| list.holds(&style, margin, &number));
        // (A labelled number, "Chapter 2", never numbers an item.)
        let deeper_than_its_headings = unlabelled
            && self
                .heading_indents
                .iter()
                .any(|(s, indent)| *s == style && margin > indent + INDENT_SLACK);
        let ok = !t.starts_with(char::is_lowercase)
            && (!unlabelled
                || (!t.is_empty() && !self.prev_ends_with_colon && !t.ends_with([':', '：'])))
            && !in_list
            && !deeper_than_its_headings
            && !is_definition(t);
        ok.then_some(NumberedTitle {
            number,
            text: span,
            title,
            style,
        })
    }

    /// Records `line` as a numbered heading if it is one.
    fn numbered_heading(&mut self, line: Line) -> bool {
        self.heading_line(line, None)
    }

    /// Records `line`, the last of a paragraph, as a heading if it is one
    /// glued to the prose before it ("… December 2nd, 1998.\n   1.
    /// Introduction"): a short title after a finished sentence.
    fn trailing_heading(&mut self, line: Line, previous: Line) -> bool {
        self.heading_line(line, Some(previous))
    }

    fn heading_line(&mut self, line: Line, after: Option<Line>) -> bool {
        if self.layout.marked_headings {
            return false;
        }
        let Some(n) = self.numbered_title(line) else {
            return false;
        };
        let s = n.text.of(self.text);
        let t = n.title.of(self.text);
        let last_word = t.rsplit(char::is_whitespace).next().unwrap_or_default();
        let mut looks_like_heading = fits_a_heading(s)
            && !t.ends_with([',', ';', '，', '；', '。'])
            && !matches!(last_word, "and" | "or")
            && (!t.ends_with('.') || is_dotted_title(t));
        if let Some(previous) = after {
            looks_like_heading &= t.split_whitespace().count() <= MAX_DOTTED_HEADING_WORDS
                && previous
                    .span
                    .of(self.text)
                    .trim_end()
                    .ends_with(['.', '!', '?', '"', '”', ')']);
        }
        if !looks_like_heading {
            return false;
        }
        self.push_numbered_title(n, line);
        true
    }

    /// A short numbered title on the first line of a paragraph whose text
    /// follows on the next lines at the same margin ("5. CRITÈRES DE
    /// COMPATIBILITÉ." then "Une licence est …"): a heading.
    fn leading_title(&mut self, lines: &[Line]) -> bool {
        if self.layout.marked_headings {
            return false;
        }
        let (first, second) = (lines[0], lines[1]);
        if second.indent > first.indent + INDENT_SLACK || self.item_marker(second, None).is_some() {
            return false;
        }
        let Some(n) = self.numbered_title(first) else {
            return false;
        };
        let t = n.title.of(self.text);
        let t = t.strip_suffix('.').unwrap_or(t);
        let second_text = second.span.of(self.text).trim_start();
        if !is_title_like(t, MAX_LEADING_TITLE_WORDS)
            || !second_text.starts_with(char::is_uppercase)
            || !fits_a_heading(n.text.of(self.text))
        {
            return false;
        }
        self.push_numbered_title(n, first);
        true
    }

    /// A labelled heading wrapped over a few lines, with no sentence
    /// after it: "§9 Provision of warranties … in the event of\n
    /// distribution of the Subject Matter of the License".
    fn wrapped_labelled_heading(&mut self, lines: &[Line]) -> bool {
        if !(2..=MAX_WRAPPED_HEADING_LINES).contains(&lines.len()) || self.layout.marked_headings {
            return false;
        }
        let Some(n) = self.numbered_title(lines[0]) else {
            return false;
        };
        let span = lines[0].span.join(lines[lines.len() - 1].span);
        let text = super::trim(self.text, Span::new(n.text.start, span.end));
        let title = super::trim(self.text, Span::new(n.title.start, span.end));
        let t = title.of(self.text);
        let heading_like = n.number.label.is_some()
            && t.starts_with(char::is_uppercase)
            && !t.ends_with(['.', ',', ';', ':'])
            && t.split_whitespace().count() <= MAX_WRAPPED_HEADING_WORDS;
        if !heading_like {
            return false;
        }
        let indent = self.layout.indent_of(self.text, &lines[0]);
        self.push_heading(
            span,
            text,
            title,
            Some(n.number),
            n.style,
            HeadingKind::Numbered,
            indent,
        );
        true
    }

    /// `n`, a numbered title standing on `line`, as a heading.
    fn push_numbered_title(&mut self, n: NumberedTitle, line: Line) {
        let indent = self.layout.indent_of(self.text, &line);
        self.push_heading(
            n.text,
            n.text,
            n.title,
            Some(n.number),
            n.style,
            HeadingKind::Numbered,
            indent,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn push_heading(
        &mut self,
        span: Span,
        text: Span,
        title: Span,
        number: Option<SectionNumber>,
        style: Style,
        kind: HeadingKind,
        indent: usize,
    ) {
        let restarts = number
            .as_ref()
            .is_some_and(|n| n.last().schemes().any(|s| n.last().value(s) == Some(1)));
        if matches!(style, Style::Numbered { .. })
            && !self.heading_indents.iter().any(|(s, _)| *s == style)
        {
            self.heading_indents.push((style.clone(), indent));
        }
        let level = self.level_of(style, restarts, indent);
        self.push_block(BlockKind::Heading, span, Some(title));
        let block = self.parsed.blocks.len() - 1;
        self.last_number.clone_from(&number);
        self.parsed.headings.push(Heading {
            block,
            span,
            text,
            title,
            number,
            level,
            kind,
            indent,
        });
        self.prev_ends_with_colon = false;
        self.list = None;
    }

    /// The level of a heading of `style` at `indent`, opening or closing
    /// levels as needed. `restarts`: the heading's number is a first one
    /// (1, A, i).
    fn level_of(&mut self, style: Style, restarts: bool, indent: usize) -> u8 {
        if let Style::Underlined(c) = style {
            if Some(c) == self.title_underline {
                self.styles.clear();
                self.styles.push((style, indent));
                return self.depth();
            }
            if self.styles.is_empty() {
                self.title_underline = None;
            }
        }
        if let Style::Marks(marks) = style {
            // `#` marks say the level: under the last heading with fewer.
            let parent = self
                .styles
                .iter()
                .rposition(|(s, _)| matches!(s, Style::Marks(m) if *m < marks));
            self.styles.truncate(parent.map_or(0, |p| p + 1));
            self.styles.push((style, indent));
            return self.depth();
        }
        // A heading less indented than the open ones closes them ("A." at
        // the margin after "9.3." indented under "9.").
        while self
            .styles
            .last()
            .is_some_and(|(s, i)| *i > indent + INDENT_SLACK && !matches!(s, Style::Marks(_)))
        {
            self.styles.pop();
        }
        let position =
            |styles: &[(Style, usize)], s: &Style| styles.iter().position(|(x, _)| x == s);
        // The last style on the stack is the previous heading's.
        let after_unnumbered = matches!(self.styles.last(), Some((Style::Underlined(_), _)));
        if let Some(pos) = position(&self.styles, &style) {
            // Numbering that starts again right under an unnumbered heading
            // belongs to it ("Part Two ===" then "1. Scope"): that heading
            // moves up to where the numbering was, and the numbering under it.
            if restarts && after_unnumbered && pos + 1 < self.styles.len() {
                let unnumbered = self.styles.pop().expect("the stack holds it");
                self.styles.truncate(pos);
                self.styles.push(unnumbered);
                let depth = self.depth();
                if let Some(previous) = self.parsed.headings.last_mut() {
                    previous.level = depth;
                }
                self.styles.push((style, indent));
            } else {
                self.styles.truncate(pos + 1);
                self.styles[pos].1 = indent;
            }
            return self.depth();
        }
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
            if let Some(pos) = position(&self.styles, &parent) {
                self.styles.truncate(pos + 1);
            }
        }
        match self.styles.last() {
            // A new style at the margin of the open one, in a text that
            // indents its sub-sections: a sibling ("A. Procedure" after
            // "9."), unless it numbers one level deeper ("6.1" under "6.").
            Some((open_style, open))
                if self.indents_nest
                    && same_indent(*open, indent)
                    && !numbers_deeper(open_style, &style) =>
            {
                self.styles.pop();
            }
            Some(&(_, open)) if indent > open + INDENT_SLACK => self.indents_nest = true,
            _ => {}
        }
        self.styles.push((style, indent));
        self.depth()
    }

    fn depth(&self) -> u8 {
        self.styles.len().min(u8::MAX as usize) as u8
    }

    /// Body text: paragraphs and list items.
    fn body(&mut self, lines: &[Line]) {
        let mut start = 0;
        let mut marker = self.item_marker(lines[0], None);
        for i in 1..=lines.len() {
            // The number of the item this line would end, if any.
            let last = match &marker {
                Some(Marker::Number(n)) => Some(n),
                _ => self.last_number.as_ref(),
            };
            let next = (i < lines.len())
                .then(|| self.item_marker_after(lines[i], Some(lines[i - 1]), last))
                .flatten()
                .filter(|_| !self.is_definition_term(&lines[i..]));
            if i == lines.len() || next.is_some() {
                let this = marker
                    .take()
                    .filter(|_| !self.is_definition_term(&lines[start..i]));
                // "… December 2nd, 1998.\n   1. Introduction": a heading
                // glued to the end of the paragraph before it.
                let glued_heading = start > 0
                    && i == lines.len()
                    && i - start == 1
                    && matches!(this, Some(Marker::Number(_)))
                    && self.trailing_heading(lines[start], lines[start - 1]);
                if !glued_heading {
                    self.body_block(&lines[start..i], this);
                }
                start = i;
                marker = next;
            }
        }
    }

    /// A section number standing alone above its indented description, as
    /// the term of a definition list ("9.1.1" then "   Restore …"): it
    /// names a section, it does not number an item.
    fn is_definition_term(&self, lines: &[Line]) -> bool {
        let [first, rest @ ..] = lines else {
            return false;
        };
        if rest
            .first()
            .is_none_or(|l| l.indent <= first.indent + INDENT_SLACK)
        {
            return false;
        }
        let s = first.text.of(self.text);
        let Some((n, after)) = parse_number(s, 0, Strictness::Delimited) else {
            return false;
        };
        let title = s[after..].trim();
        // "9.1.1", "9.7.2 & 9.7.3": numbers alone.
        n.parts.len() > 1
            && !s[..n.span.end].ends_with(['.', ')'])
            && (title.is_empty() || title.starts_with(['&', ',']) || title.starts_with("and "))
    }

    fn body_block(&mut self, lines: &[Line], marker: Option<Marker>) {
        let span = lines[0].span.join(lines[lines.len() - 1].span);
        let indent = lines[0].indent;
        let (kind, prose_start) = match &marker {
            Some(Marker::Number(number)) => (BlockKind::ListItem, number.span.end),
            Some(Marker::Bullet(len)) => (
                BlockKind::ListItem,
                super::trim(self.text, span).start + len,
            ),
            None => (BlockKind::Paragraph, span.start),
        };
        if lines.iter().any(|l| l.framed) {
            let runs: Vec<Span> = lines
                .iter()
                .map(|l| Span::new(l.span.start.max(prose_start), l.span.end.max(prose_start)))
                .collect();
            self.push_block_runs(kind, span, &runs);
        } else {
            self.push_block(kind, span, Some(Span::new(prose_start, span.end)));
        }
        let block = self.parsed.blocks.len() - 1;
        match marker {
            Some(Marker::Number(number)) => {
                self.list = Some(OpenList {
                    style: numbered_style(&number),
                    left: indent,
                    right: indent + number.span.len(),
                });
                self.last_number = Some(number.clone());
                self.parsed.items.push(NumberedItem {
                    block,
                    number,
                    list: None,
                    indent,
                });
            }
            Some(Marker::Bullet(_)) => {}
            None => self.list = None,
        }
        self.prev_ends_with_colon = span.of(self.text).trim_end().ends_with([':', '：']);
    }

    /// The list marker `line` starts with, if any. `previous`: the line
    /// before it in the same paragraph, whose sentence a number may finish.
    fn item_marker(&self, line: Line, previous: Option<Line>) -> Option<Marker> {
        self.item_marker_after(line, previous, self.last_number.as_ref())
    }

    /// [`Self::item_marker`], where `last` is the number before it.
    fn item_marker_after(
        &self,
        line: Line,
        previous: Option<Line>,
        last: Option<&SectionNumber>,
    ) -> Option<Marker> {
        let span = line.text;
        let s = span.of(self.text);
        if let Some(len) = bullet(s) {
            // "+ a) Take any action", "* (i) loading": a numbered item.
            let rest = &s[len..];
            let gap = rest.len() - rest.trim_start().len();
            if let Some((number, _)) = parse_number(rest, span.start + len, Strictness::Delimited) {
                if number.label.is_none() && number.span.start == span.start + len + gap {
                    return Some(Marker::Number(number));
                }
            }
            return Some(Marker::Bullet(len));
        }
        let (number, _) = parse_number(s, span.start, Strictness::Delimited)?;
        let expected = last.is_some_and(|last| may_follow(last, &number));
        if number.label.is_some()
            || previous.is_some_and(|p| finishes_line(p.span.of(self.text), &number, expected))
        {
            return None;
        }
        Some(Marker::Number(number))
    }

    /// Adds a block; `prose` is the part the word rules read, if any.
    fn push_block(&mut self, kind: BlockKind, span: Span, prose: Option<Span>) {
        self.push_block_runs(kind, span, prose.as_slice());
    }

    /// Adds a block whose prose lies in separate runs (the insides of
    /// framed lines).
    fn push_block_runs(&mut self, kind: BlockKind, span: Span, runs: &[Span]) {
        let span = super::trim(self.text, span);
        let mut block = Block {
            kind,
            span,
            prose: super::Prose::new(),
            language: Language::English,
        };
        // The prose lies inside the block.
        for run in runs {
            let inside = Span::new(
                run.start.max(span.start),
                run.end.min(span.end).max(span.start),
            );
            if inside.start < inside.end {
                prose::carve(self.text, inside, &mut block.prose);
            }
        }
        self.parsed.blocks.push(block);
    }
}

enum Marker {
    /// A bullet and the bytes it takes with the space after it.
    Bullet(usize),
    Number(SectionNumber),
}

/// Words after which a number at the start of the next line finishes the
/// sentence: a reference or a version wrapped over the line break.
const CONTINUED_BY_A_NUMBER: &[&str] = &[
    "and", "by", "in", "of", "or", "the", "to", "under", "version", "with", "no", "number",
];

/// Whether `number` may come after `last` in the document's numbering: it
/// is numbered under `last` or one of its ancestors ("3.1" after "3.",
/// "2.4" after "2.3.1").
fn may_follow(last: &SectionNumber, number: &SectionNumber) -> bool {
    let prefix = &number.parts[..number.parts.len() - 1];
    prefix.len() <= last.parts.len() && prefix.iter().zip(&last.parts).all(|(a, b)| a.same_as(b))
}

/// Whether a line that starts with `number` finishes the sentence of the
/// line before it, `previous`: "… the provisions of Article\n5.3.4.", "…
/// USERS OF PYTHON\n1.6.1 FOR ANY …". `expected`: the number fits the
/// numbering so far, as a heading's number on a long line would.
fn finishes_line(previous: &str, number: &SectionNumber, expected: bool) -> bool {
    let previous = previous.trim_end();
    // "… as defined in 48 C.F.R.\n2.101": a citation wrapped after its
    // abbreviation.
    let last_token = previous
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or_default();
    let abbreviation = last_token.len() > 2
        && last_token.ends_with('.')
        && last_token[..last_token.len() - 1].contains('.');
    if abbreviation {
        return true;
    }
    let last_word = previous
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '§'))
        .next()
        .unwrap_or_default();
    if !previous.ends_with(|c: char| c.is_alphanumeric() || c == '§') {
        return false;
    }
    Label::from_word(last_word).is_some()
        || CONTINUED_BY_A_NUMBER.contains(&last_word.to_lowercase().as_str())
        || (number.parts.len() > 1
            && !number.final_dot
            && !expected
            && previous.chars().count() >= MIN_WRAPPED_LINE_CHARS)
}

/// A copyright notice: "Copyright 2020 …", "(C) 1994 …", "© …".
fn is_copyright_notice(s: &str) -> bool {
    let s = s.trim_start();
    ["copyright", "(c)", "©", "copr."].iter().any(|sign| {
        s.get(..sign.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(sign))
    })
}

/// A definition rather than a title: "'Licence' means this CERN-OHL-P.".
fn is_definition(title: &str) -> bool {
    title.starts_with(['"', '\'', '“', '‘', '«']) || title.contains(" means ")
}

/// Whether `title` reads as a title: a few words, in capitals or with
/// their longer words capitalised.
fn is_title_like(title: &str, max_words: usize) -> bool {
    let words: Vec<&str> = title.split_whitespace().collect();
    if words.is_empty() || words.len() > max_words || title.ends_with([',', ';', ':']) {
        return false;
    }
    let letters = || title.chars().filter(|c| c.is_alphabetic());
    if letters().next().is_none() {
        return false;
    }
    let in_capitals = letters().all(|c| !c.is_lowercase());
    // "Application of this License": small words stay small.
    let capitalised = words.iter().all(|w| {
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        letters < 4 || w.starts_with(|c: char| !c.is_lowercase()) || is_function_word(w)
    });
    in_capitals || capitalised
}

/// Whether a heading line is short enough: in characters, or in a script
/// written without spaces, fewer of them.
fn fits_a_heading(s: &str) -> bool {
    let chars = s.chars().count();
    let unspaced = s.chars().filter(|c| is_unspaced_script(*c)).count();
    chars <= MAX_HEADING_CHARS && unspaced <= MAX_UNSPACED_HEADING_CHARS
}

/// Han, kana and Hangul: scripts written without spaces between words.
fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
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

/// The character of an underline (a trimmed line): a row of at least
/// three of one of `= - ~ * # ^ _ + :`.
fn underline_char(t: &str) -> Option<char> {
    let c = t.chars().next()?;
    let ok = matches!(c, '=' | '-' | '~' | '*' | '#' | '^' | '_' | '+' | ':')
        && t.bytes().all(|d| d == c as u8)
        && t.len() >= 3;
    ok.then_some(c)
}

/// The most words of a title that ends with a period and is not in title
/// case: "Governing law." but not "The files are removed."
const MAX_PLAIN_DOTTED_TITLE_WORDS: usize = 3;

/// A title that ends with a period: "Termination.", "Definitions and
/// Interpretation.", "Governing law.", but not a sentence ("The package's
/// files are removed.", "Use it. Then stop.").
fn is_dotted_title(t: &str) -> bool {
    let body = &t[..t.len() - 1];
    let words = t.split_whitespace().count();
    // A period inside ends a sentence unless it ends an abbreviation or an
    // initial ("U.S. GOVERNMENT").
    let two_sentences = body.match_indices(". ").any(|(at, _)| {
        let word = body[..at]
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or_default();
        word.chars().count() > 1 && !is_abbreviation(word)
    });
    // "Governing law." is a title, "This licence applies." a sentence.
    let first_word = body.split_whitespace().next().unwrap_or_default();
    let short_title = words <= MAX_PLAIN_DOTTED_TITLE_WORDS && !is_function_word(first_word);
    !two_sentences
        && words <= MAX_DOTTED_HEADING_WORDS
        && (short_title || is_title_like(body, MAX_DOTTED_HEADING_WORDS))
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
