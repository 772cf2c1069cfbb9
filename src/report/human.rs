//! `--output-format human`: each finding with its source line and an
//! underline, rendered by codespan-reporting.

use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as Level};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config, termcolor::Buffer};

use super::FileReport;
use crate::rules::Severity;

pub fn write(reports: &[FileReport<'_>], color: bool, out: &mut dyn Write) -> io::Result<()> {
    let config = Config::default();
    let mut files = SimpleFiles::new();
    for report in reports {
        let id = files.add(report.path, report.text);
        for d in report.diagnostics {
            let level = match d.severity {
                Severity::Error => Level::Error,
                Severity::Warning => Level::Warning,
                Severity::Info => Level::Note,
                Severity::Hint => Level::Help,
            };
            let mut notes = Vec::new();
            match d.suggestions.len() {
                0 => {}
                1 => notes.push(format!("suggestion: {}", d.suggestions[0])),
                _ => notes.push(format!("suggestions: {}", d.suggestions.join(", "))),
            }
            let diagnostic = Report::new(level)
                .with_message(&d.message)
                .with_code(d.rule.name)
                .with_labels(vec![Label::primary(id, d.span.range())])
                .with_notes(notes);
            let mut buffer = if color {
                Buffer::ansi()
            } else {
                Buffer::no_color()
            };
            term::emit_to_write_style(&mut buffer, &config, &files, &diagnostic)
                .map_err(io::Error::other)?;
            out.write_all(buffer.as_slice())?;
        }
    }
    Ok(())
}
