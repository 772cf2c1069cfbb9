//! `--output-format json`: one array; each element has exactly the keys
//! `path rule category severity message line column end_line end_column text
//! suggestions fix` (other tools and our own measurement read them).

use std::io::{self, Write};

use serde::Serialize;

use super::{FileReport, Location};
use crate::syntax::LineIndex;

#[derive(Serialize)]
struct Finding<'a> {
    path: &'a str,
    rule: &'a str,
    category: &'a str,
    severity: &'a str,
    message: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    text: &'a str,
    suggestions: &'a [String],
    fix: Option<Fix<'a>>,
}

#[derive(Serialize)]
struct Fix<'a> {
    safe: bool,
    edits: Vec<Edit<'a>>,
}

#[derive(Serialize)]
struct Edit<'a> {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    text: &'a str,
}

pub fn write(reports: &[FileReport<'_>], out: &mut dyn Write) -> io::Result<()> {
    let mut findings = Vec::new();
    for report in reports {
        let index = LineIndex::new(report.text);
        for d in report.diagnostics {
            let at = Location::of(&index, report.text, d.span);
            let fix = d.fix.as_ref().map(|fix| Fix {
                safe: fix.safe,
                edits: fix
                    .edits
                    .iter()
                    .map(|e| {
                        let at = Location::of(&index, report.text, e.span);
                        Edit {
                            line: at.line,
                            column: at.column,
                            end_line: at.end_line,
                            end_column: at.end_column,
                            text: &e.text,
                        }
                    })
                    .collect(),
            });
            findings.push(Finding {
                path: report.path,
                rule: d.rule.name,
                category: d.rule.category.name(),
                severity: d.severity.name(),
                message: &d.message,
                line: at.line,
                column: at.column,
                end_line: at.end_line,
                end_column: at.end_column,
                text: d.span.of(report.text),
                suggestions: &d.suggestions,
                fix,
            });
        }
    }
    serde_json::to_writer_pretty(&mut *out, &findings).map_err(io::Error::other)?;
    writeln!(out)
}
