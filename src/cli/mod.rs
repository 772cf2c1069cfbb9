//! The command-line face: what `policylint check`, `outline`, `rules` and
//! `explain` do once their arguments are parsed (`src/main.rs` parses them).

mod check;
mod outline;

use std::io::{self, Write};

pub use check::{CheckOptions, ConfigSource, FixAction, check};
pub use outline::{OutlineFormat, outline, outline_file};

use crate::rules;

/// Exit code: no finding of severity warning or above.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings of severity warning or above.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: a usage, configuration or I/O error.
pub const EXIT_ERROR: u8 = 2;

/// When to colour human output.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    /// Whether to colour output written to standard output.
    pub fn enabled(self) -> bool {
        use std::io::IsTerminal;
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => std::env::var_os("NO_COLOR").is_none() && io::stdout().is_terminal(),
        }
    }
}

/// `policylint rules`: every rule with its category, default severity and
/// summary; `json` gives them as an array.
pub fn list_rules(json: bool, out: &mut dyn Write) -> io::Result<()> {
    if json {
        let list: Vec<serde_json::Value> = rules::ALL
            .iter()
            .map(|r| {
                serde_json::json!({
                    "name": r.name,
                    "category": r.category.name(),
                    "severity": r.severity.name(),
                    "scope": if r.is_local() { "block" } else { "document" },
                    "summary": r.summary,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &list).map_err(io::Error::other)?;
        return writeln!(out);
    }
    let width = rules::ALL.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let category = rules::ALL
        .iter()
        .map(|r| r.category.name().len())
        .max()
        .unwrap_or(0);
    for r in rules::ALL {
        writeln!(
            out,
            "{:width$}  {:category$}  {:7}  {}",
            r.name,
            r.category.name(),
            r.severity.name(),
            r.summary
        )?;
    }
    Ok(())
}

/// `policylint explain RULE`: the rule's documentation.
pub fn explain(name: &str, out: &mut dyn Write) -> Result<(), String> {
    let rule = rules::by_name(name)
        .ok_or_else(|| format!("unknown rule `{name}` (see `policylint rules`)"))?;
    let header = format!(
        "# {} ({}, default severity {})\n\n{}\n\n",
        rule.name,
        rule.category.name(),
        rule.severity.name(),
        rule.summary
    );
    out.write_all(header.as_bytes())
        .and_then(|()| out.write_all(rule.explanation().as_bytes()))
        .map_err(|e| e.to_string())
}
