//! `--output-format human`: each finding with its source line and an
//! underline, rendered by codespan-reporting.
//!
//! codespan names its severities itself ("note", "help"); the header line
//! is written here so that a finding is called `info` or `hint` as in every
//! other format and in the summary.

use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as Level};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::termcolor::{Buffer, WriteColor};
use codespan_reporting::term::{self, Config, Styles};

use super::FileReport;
use crate::rules::{Diagnostic, Severity};

pub fn write(reports: &[FileReport<'_>], color: bool, out: &mut dyn Write) -> io::Result<()> {
    let config = Config::default();
    let mut files = SimpleFiles::new();
    for report in reports {
        let id = files.add(report.path, report.text);
        for d in report.diagnostics {
            let mut buffer = if color {
                Buffer::ansi()
            } else {
                Buffer::no_color()
            };
            header(d, &mut buffer)?;
            let mut notes = Vec::new();
            match d.suggestions.len() {
                0 => {}
                1 => notes.push(format!("suggestion: {}", d.suggestions[0])),
                _ => notes.push(format!("suggestions: {}", d.suggestions.join(", "))),
            }
            // Without a message or code codespan's own header is one short
            // line, dropped below for ours.
            let snippet = Report::new(level(d.severity))
                .with_labels(vec![Label::primary(id, d.span.range())])
                .with_notes(notes);
            let mut rendered = if color {
                Buffer::ansi()
            } else {
                Buffer::no_color()
            };
            term::emit_to_write_style(&mut rendered, &config, &files, &snippet)
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
