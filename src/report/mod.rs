//! Output: one list of diagnostics per file in, bytes out.
//!
//! Every format takes the same [`FileReport`]s; positions are derived here
//! from byte spans through [`LineIndex`], 1-based, columns counted in
//! Unicode characters and end-exclusive.

mod github;
mod human;
mod json;
mod sarif;

use std::io::{self, Write};

pub use human::HumanOptions;

use crate::rules::Diagnostic;
use crate::syntax::{Encoding, LineIndex, Span};

/// How findings are printed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// Each finding with its source line and an underline.
    Human,
    /// `path:line:col: severity[rule] message`
    Concise,
    /// One JSON array of findings.
    Json,
    /// SARIF 2.1.0, for code-scanning upload.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

impl OutputFormat {
    pub fn from_name(name: &str) -> Option<OutputFormat> {
        Some(match name {
            "human" => OutputFormat::Human,
            "concise" => OutputFormat::Concise,
            "json" => OutputFormat::Json,
            "sarif" => OutputFormat::Sarif,
            "github" => OutputFormat::Github,
            _ => return None,
        })
    }
}

/// The findings of one file, with the text they point into.
pub struct FileReport<'a> {
    /// The path as the user should see it.
    pub path: &'a str,
    pub text: &'a str,
    pub diagnostics: &'a [Diagnostic],
}

/// A 1-based range: columns in characters, the end exclusive.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Location {
    pub fn of(index: &LineIndex, text: &str, span: Span) -> Location {
        let start = index.position(text, span.start, Encoding::Char);
        let end = index.position(text, span.end, Encoding::Char);
        Location {
            line: start.line + 1,
            column: start.column + 1,
            end_line: end.line + 1,
            end_column: end.column + 1,
        }
    }
}

/// Writes `reports` in `format`; `human` applies to the human format.
pub fn write(
    format: OutputFormat,
    reports: &[FileReport<'_>],
    human: &HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Human => human::write(reports, human, out),
        OutputFormat::Concise => concise(reports, out),
        OutputFormat::Json => json::write(reports, out),
        OutputFormat::Sarif => sarif::write(reports, out),
        OutputFormat::Github => github::write(reports, out),
    }
}

fn concise(reports: &[FileReport<'_>], out: &mut dyn Write) -> io::Result<()> {
    for report in reports {
        let index = LineIndex::new(report.text);
        for d in report.diagnostics {
            let at = Location::of(&index, report.text, d.span);
            writeln!(
                out,
                "{}:{}:{}: {}[{}] {}",
                report.path, at.line, at.column, d.severity, d.rule.name, d.message
            )?;
        }
    }
    Ok(())
}
