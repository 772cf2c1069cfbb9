//! `--output-format human`: each finding with its source lines and an
//! underline, rendered by codespan-reporting.
//!
//! codespan is given an [`Excerpt`] rather than the whole text: only the
//! lines a finding is shown on, each cut to a window around the finding
//! when it is wider than the output (a paragraph on one line of a thousand
//! characters would otherwise be printed whole, twice with the underline).
//! codespan names its severities itself ("note", "help"); the header line
//! is written here so that a finding is called `info` or `hint` as in every
//! other format and in the summary.

use std::io::{self, Write};
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as Level};
use codespan_reporting::files::{Error, Files, Location};
use codespan_reporting::term::termcolor::{Buffer, WriteColor};
use codespan_reporting::term::{self, Config, Styles};

use super::FileReport;
use crate::rules::{Diagnostic, Severity};
use crate::syntax::{Encoding, LineIndex, Span};

/// The narrowest window a long line is cut to, whatever the output's width.
const MIN_WINDOW: usize = 20;
/// Marks where a line was cut.
const CUT: &str = "…";

/// How `human` output looks.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct HumanOptions {
    pub color: bool,
    /// The width of the output in characters: a source line wider than what
    /// is left of it beside the line numbers is cut to a window around the
    /// finding. `None` prints lines whole.
    pub width: Option<usize>,
}

pub fn write(
    reports: &[FileReport<'_>],
    options: &HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let config = Config::default();
    let new_buffer = || {
        if options.color {
            Buffer::ansi()
        } else {
            Buffer::no_color()
        }
    };
    for report in reports {
        let index = LineIndex::new(report.text);
        for d in report.diagnostics {
            let mut buffer = new_buffer();
            header(d, &mut buffer)?;
            let excerpt = Excerpt::new(report, &index, d.span, options.width, &config);
            let mut notes = Vec::new();
            match d.suggestions.len() {
                0 => {}
                1 => notes.push(format!("suggestion: {}", d.suggestions[0])),
                _ => notes.push(format!("suggestions: {}", d.suggestions.join(", "))),
            }
            // Without a message or code codespan's own header is one short
            // line, dropped below for ours.
            let snippet = Report::new(level(d.severity))
                .with_labels(vec![Label::primary((), excerpt.range.clone())])
                .with_notes(notes);
            let mut rendered = new_buffer();
            term::emit_to_write_style(&mut rendered, &config, &excerpt, &snippet)
                .map_err(io::Error::other)?;
            let rendered = rendered.as_slice();
            let body = rendered
                .iter()
                .position(|&b| b == b'\n')
                .map_or(rendered, |at| &rendered[at + 1..]);
            buffer.write_all(body)?;
            out.write_all(buffer.as_slice())?;
        }
    }
    Ok(())
}

/// The level whose colours a severity takes.
fn level(severity: Severity) -> Level {
    match severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Note,
        Severity::Hint => Level::Help,
    }
}

/// `severity[rule]: message`, in codespan's colours.
fn header(d: &Diagnostic, buffer: &mut Buffer) -> io::Result<()> {
    let styles = Styles::default();
    buffer.set_color(styles.header(level(d.severity)))?;
    write!(buffer, "{}[{}]", d.severity.name(), d.rule.name)?;
    buffer.set_color(styles.header_message())?;
    write!(buffer, ": {}", d.message)?;
    buffer.reset()?;
    writeln!(buffer)
}

/// The lines one finding is shown on, as codespan reads a file: each line
/// cut to a window when too wide, numbered as in the text, the finding's
/// position the text's.
struct Excerpt<'a> {
    name: &'a str,
    source: String,
    /// Each line shown: its zero-based number in the text and its range in
    /// `source`, line break included.
    lines: Vec<(usize, Range<usize>)>,
    /// The finding's range in `source`.
    range: Range<usize>,
    /// Where the finding starts in the text.
    location: Location,
}

impl<'a> Excerpt<'a> {
    fn new(
        report: &FileReport<'a>,
        index: &LineIndex,
        span: Span,
        width: Option<usize>,
        config: &Config,
    ) -> Excerpt<'a> {
        let text = report.text;
        let first = index.line_of(span.start);
        let last = index.line_of(span.end);
        // codespan shows the first lines of a finding over several lines
        // and the last ones, and one line more where that closes a gap.
        let head = first + config.start_context_lines + 1;
        let tail = last.saturating_sub(config.end_context_lines + 1);
        let shown = (first..=last).filter(|&l| l <= head || l >= tail);
        // Beside each line: its number, " │ ", and "│ " for a finding over
        // several lines.
        let gutter = (last + 1).to_string().len() + 3 + if first < last { 2 } else { 0 };
        let room = width.map(|w| w.saturating_sub(gutter).max(MIN_WINDOW));
        let mut source = String::new();
        let mut lines = Vec::new();
        let mut range = 0..0;
        for l in shown {
            let start = index.line_start(l);
            let line = index.line_text(text, l);
            let relative = |offset: usize| offset.saturating_sub(start).min(line.len());
            let focus = match (l == first, l == last) {
                (true, true) => relative(span.start)..relative(span.end),
                (true, false) => relative(span.start)..relative(span.start),
                (false, true) => relative(span.end)..relative(span.end),
                (false, false) => 0..0,
            };
            let cut = match room {
                Some(room) => window(line, focus, room),
                None => 0..line.len(),
            };
            let begin = source.len();
            if cut.start > 0 {
                source.push_str(CUT);
            }
            // Where an offset of the line lands: cut parts map to the `…`
            // that stands for them.
            let place = |offset: usize, source: &String| match relative(offset) {
                o if o < cut.start => begin,
                o if o > cut.end => source.len(),
                o => begin + if cut.start > 0 { CUT.len() } else { 0 } + o - cut.start,
            };
            source.push_str(&line[cut.clone()]);
            if cut.end < line.len() {
                source.push_str(CUT);
            }
            if l == first {
                range.start = place(span.start, &source);
            }
            if l == last {
                range.end = place(span.end, &source);
            }
            source.push('\n');
            lines.push((l, begin..source.len()));
        }
        let at = index.position(text, span.start, Encoding::Char);
        Excerpt {
            name: report.path,
            source,
            lines,
            range,
            location: Location {
                line_number: at.line + 1,
                column_number: at.column + 1,
            },
        }
    }
}

/// The byte range of `line` to show in `room` characters (the `…` marks
/// included): the whole line if it fits, else a window around `focus`,
/// centred on it when it fits, else starting a little before it.
fn window(line: &str, focus: Range<usize>, room: usize) -> Range<usize> {
    if line.len() <= room || line.chars().nth(room).is_none() {
        return 0..line.len();
    }
    let budget = room.saturating_sub(2 * CUT.chars().count()).max(1);
    let focus_len = line[focus.clone()].chars().take(budget).count().max(1);
    let lead = if focus_len < budget {
        (budget - focus_len) / 2
    } else {
        budget / 8
    };
    let back = |from: usize, n: usize| {
        line[..from]
            .char_indices()
            .rev()
            .take(n)
            .last()
            .map_or(from, |(at, _)| at)
    };
    let start = back(focus.start, lead);
    let end = line[start..]
        .char_indices()
        .nth(budget)
        .map_or(line.len(), |(at, _)| start + at);
    if end == line.len() {
        // Near the end of the line: fill the window with what comes before.
        return back(end, budget)..end;
    }
    start..end
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.source)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        let i = self
            .lines
            .partition_point(|(_, r)| r.start <= byte_index)
            .saturating_sub(1);
        Ok(self.lines[i].0)
    }

    /// The excerpt has one label, and this is asked only of its start.
    fn location(&'a self, (): (), _byte_index: usize) -> Result<Location, Error> {
        Ok(self.location)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        let first = self.lines[0].0;
        let last = self.lines[self.lines.len() - 1].0;
        match self.lines.binary_search_by_key(&line_index, |(l, _)| *l) {
            Ok(i) => Ok(self.lines[i].1.clone()),
            // A line inside a long finding, which codespan skips.
            Err(_) if (first..=last).contains(&line_index) => {
                Ok(self.source.len()..self.source.len())
            }
            Err(_) => Err(Error::LineTooLarge {
                given: line_index,
                max: last,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config as Settings;
    use crate::lint::Linter;
    use crate::syntax::{Document, Format};

    fn render(text: &str, width: Option<usize>) -> String {
        let doc = Document::parse(text, Format::Plain);
        let diagnostics = Linter::new(&Settings::default()).check(&doc);
        let report = FileReport {
            path: "a.txt",
            text: &doc.text,
            diagnostics: &diagnostics,
        };
        let mut out = Vec::new();
        let options = HumanOptions {
            color: false,
            width,
        };
        write(&[report], &options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn windows_fit_the_room_and_hold_the_focus() {
        let line = "abcdefghij".repeat(30);
        assert_eq!(window("short", 2..3, 40), 0..5);
        assert_eq!(window(&line, 0..1, 300), 0..300);
        let w = window(&line, 150..153, 40);
        assert_eq!(w.len(), 38);
        assert!(w.contains(&150) && w.contains(&152), "{w:?}");
        assert_eq!(window(&line, 0..3, 40), 0..38);
        assert_eq!(window(&line, 299..300, 40), 262..300);
        // A focus wider than the room starts the window just before it.
        let w = window(&line, 100..200, 40);
        assert_eq!(w, 96..134);
        // Characters, not bytes.
        let wide = "é".repeat(100);
        assert_eq!(window(&wide, 100..104, 40).len(), 38 * 2);
    }

    #[test]
    fn a_long_line_is_cut_around_the_finding_and_the_caret_follows() {
        let words = "word ".repeat(150);
        let text = format!(
            "Title\n\n{}and the the end {}\n",
            words,
            "more ".repeat(100)
        );
        let out = render(&text, Some(80));
        let source = out
            .lines()
            .find(|l| l.starts_with("3 │") && l.contains("the the"))
            .unwrap_or_else(|| panic!("{out}"));
        let caret = out.lines().skip_while(|l| *l != source).nth(1).unwrap();
        assert_eq!(source.chars().count(), 80, "{source}");
        assert!(
            source.starts_with("3 │ …") && source.ends_with('…'),
            "{source}"
        );
        let column = |s: &str, pat: &str| s[..s.find(pat).unwrap()].chars().count();
        assert_eq!(column(source, "the the"), column(caret, "^^^^^^^"));
        assert!(
            out.contains("a.txt:3:755"),
            "the position is the text's: {out}"
        );
        let whole = render(&text, None);
        assert!(
            whole.contains(&format!("3 │ {words}and the the end")),
            "{whole}"
        );
    }

    #[test]
    fn a_finding_over_long_lines_shows_both_ends() {
        // A word repeated across a line break.
        let text = format!(
            "Title\n\n{}the\nthe {}\n",
            "a ".repeat(200),
            "b ".repeat(200)
        );
        let out = render(&text, Some(60));
        assert!(out.contains("a.txt:3:401"), "{out}");
        for line in out.lines() {
            assert!(line.chars().count() <= 60, "{line}\n{out}");
        }
        assert!(out.contains("a the"), "{out}");
        assert!(out.contains("4 │ │ the b"), "{out}");
    }
}
