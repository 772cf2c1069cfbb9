//! The command-line face: what `policylint check`, `outline`, `rules`,
//! `explain` and `init` do once their arguments are parsed (`src/main.rs`
//! parses them, and writes the shell completions clap derives from them).

mod baseline;
mod check;
mod init;
mod outline;

use std::io::{self, Write};
use std::path::Path;

pub use check::{CheckOptions, ConfigSource, FixAction, check};
pub use init::init;
pub use outline::{OutlineFormat, outline, outline_file};

use crate::rules;

/// Exit code: no finding of severity warning or above.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings of severity warning or above.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: a usage, configuration or I/O error.
pub const EXIT_ERROR: u8 = 2;

/// The width `human` output is cut to when standard output is not a
/// terminal.
pub const DEFAULT_WIDTH: usize = 120;

/// The width `human` output's source lines are cut to: the terminal's,
/// else [`DEFAULT_WIDTH`]; `None` (whole lines) with `--no-truncate`.
pub fn output_width(no_truncate: bool) -> Option<usize> {
    use std::io::IsTerminal;
    if no_truncate {
        return None;
    }
    let terminal = io::stdout().is_terminal();
    let columns = terminal
        .then(|| terminal_size::terminal_size_of(io::stdout()))
        .flatten()
        .map(|(terminal_size::Width(w), _)| usize::from(w));
    Some(columns.unwrap_or(DEFAULT_WIDTH))
}

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
    let rule = rules::by_name(name).ok_or_else(|| {
        let names = rules::ALL.iter().map(|r| r.name);
        match did_you_mean(name, names) {
            Some(near) => format!("unknown rule `{name}` (did you mean `{near}`?)"),
            None => format!("unknown rule `{name}` (see `policylint rules`)"),
        }
    })?;
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

/// The candidate `name` is most likely a slip for: the nearest by edit
/// distance (a swap of neighbours counting one), if within a third of the
/// name's length.
pub fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// The error for `policylint WORD …` where WORD is no file and reads as a
/// mistyped command, since `policylint PATHS…` would check files of that
/// name: `None` when `first` exists or is not such a word.
pub fn mistyped_command<'a>(
    first: &Path,
    commands: impl Iterator<Item = &'a str>,
) -> Option<String> {
    let word = first.to_str()?;
    let bare = !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase() || c == '-');
    if !bare || first.exists() {
        return None;
    }
    let near = did_you_mean(word, commands)?;
    Some(format!("unknown command `{word}`; did you mean `{near}`?"))
}
