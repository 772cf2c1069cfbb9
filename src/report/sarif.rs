//! `--output-format sarif`: SARIF 2.1.0 with the rules' metadata, as code
//! scanning (GitHub, Azure DevOps, …) uploads it.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{FileReport, Location};
use crate::rules::{self, Severity};
use crate::syntax::LineIndex;

pub fn write(reports: &[FileReport<'_>], out: &mut dyn Write) -> io::Result<()> {
    let rule_entries: Vec<Value> = rules::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.name,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.summary },
                "help": { "text": r.explanation(), "markdown": r.explanation() },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "category": r.category.name() },
            })
        })
        .collect();
    let mut results = Vec::new();
    for report in reports {
        let index = LineIndex::new(report.text);
        for d in report.diagnostics {
            let at = Location::of(&index, report.text, d.span);
            let rule_index = rules::ALL.iter().position(|r| r.name == d.rule.name);
            let mut result = json!({
                "ruleId": d.rule.name,
                "ruleIndex": rule_index,
                "level": level(d.severity),
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(report.path) },
                        "region": region(at, d.span.of(report.text)),
                    }
                }],
            });
            if let Some(fix) = &d.fix {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        let at = Location::of(&index, report.text, e.span);
                        json!({
                            "deletedRegion": region(at, e.span.of(report.text)),
                            "insertedContent": { "text": e.text },
                        })
                    })
                    .collect();
                result["fixes"] = json!([{
                    "description": { "text": if fix.safe { "safe fix" } else { "unsafe fix" } },
                    "artifactChanges": [{
                        "artifactLocation": { "uri": uri(report.path) },
                        "replacements": replacements,
                    }],
                }]);
            }
            results.push(result);
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "policylint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/policylint/policylint",
                    "rules": rule_entries,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
    writeln!(out)
}

fn region(at: Location, snippet: &str) -> Value {
    json!({
        "startLine": at.line,
        "startColumn": at.column,
        "endLine": at.end_line,
        "endColumn": at.end_column,
        "snippet": { "text": snippet },
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// A relative URI reference for a path (forward slashes, spaces escaped).
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            _ => out.push(c),
        }
    }
    out
}
