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

use crate::rules::{Diagnostic, Rule};
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

/// How many findings each rule has, most first: `count  rule` lines, a
/// rule marked `[*]` when `--fix` can fix some of them; or, `json`, an
/// array of `{"rule", "category", "count", "fixable"}` (`fixable` counts
/// the findings with a safe fix).
pub fn statistics(reports: &[FileReport<'_>], json: bool, out: &mut dyn Write) -> io::Result<()> {
    let mut counts: Vec<(&'static Rule, usize, usize)> = Vec::new();
    for d in reports.iter().flat_map(|r| r.diagnostics) {
        let fixable = usize::from(d.fix.as_ref().is_some_and(|f| f.safe));
        match counts
            .iter_mut()
            .find(|(rule, ..)| rule.name == d.rule.name)
        {
            Some((_, n, f)) => {
                *n += 1;
                *f += fixable;
            }
            None => counts.push((d.rule, 1, fixable)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.name.cmp(b.0.name)));
    if json {
        let list: Vec<serde_json::Value> = counts
            .iter()
            .map(|(rule, n, fixable)| {
                serde_json::json!({
                    "rule": rule.name,
                    "category": rule.category.name(),
                    "count": n,
                    "fixable": fixable,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &list).map_err(io::Error::other)?;
        return writeln!(out);
    }
    let digits = counts.first().map_or(1, |c| c.1.to_string().len());
    let width = counts.iter().map(|c| c.0.name.len()).max().unwrap_or(0);
    for (rule, n, fixable) in &counts {
        if *fixable > 0 {
            writeln!(out, "{n:>digits$}  {:width$}  [*]", rule.name)?;
        } else {
            writeln!(out, "{n:>digits$}  {}", rule.name)?;
        }
    }
    if counts.iter().any(|c| c.2 > 0) {
        writeln!(out, "[*] fixable with `policylint check --fix`")?;
    }
    Ok(())
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
