//! `--write-baseline FILE` records today's findings; `--baseline FILE`
//! leaves them out of later checks, so that a project adopting policylint
//! is told only of what it adds.
//!
//! An entry is a finding's file (relative to the baseline's folder), rule,
//! flagged text and up to three words on each side of it within its
//! paragraph, whitespace runs read as one space; not its line, so that an
//! edit elsewhere in the file, or re-wrapping the paragraph, keeps it. The
//! same finding several times over is one entry with a count, and a check
//! leaves out at most that many (the first ones in the file).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::rules::Diagnostic;
use crate::syntax::Span;

/// The version of the file's format, the `version` key: a file of another
/// version is refused rather than misread.
pub const VERSION: u64 = 1;

/// Words of context kept on each side of a finding.
const CONTEXT_WORDS: usize = 3;
/// How far to look for them, in bytes: a long run without spaces is cut.
const CONTEXT_BYTES: usize = 200;
/// Characters of flagged text kept: a longer span is cut (the same way at
/// writing and at matching).
const TEXT_CHARS: usize = 120;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u64,
    findings: Vec<Entry>,
}

/// One finding of the file, or several alike.
#[derive(Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    #[serde(flatten)]
    key: Key,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    count: usize,
}

fn one() -> usize {
    1
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

/// What identifies a finding across edits.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Key {
    path: String,
    rule: String,
    before: String,
    text: String,
    after: String,
}

impl Key {
    fn of(path: String, text: &str, d: &Diagnostic) -> Key {
        let (before, flagged, after) = surroundings(text, d.span);
        Key {
            path,
            rule: d.rule.name.to_string(),
            before,
            text: flagged,
            after,
        }
    }
}

/// A loaded baseline: the findings it still leaves out.
pub struct Baseline {
    /// The baseline's folder, canonical: entries' paths are relative to it.
    base: PathBuf,
    remaining: HashMap<Key, usize>,
    /// The paths of the files filtered, as entries have them.
    seen: HashSet<String>,
}

impl Baseline {
    /// Reads the baseline at `path`; errors name it.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let error = |message: String| format!("{}: {message}", path.display());
        let text = fs::read_to_string(path).map_err(|e| error(format!("cannot read: {e}")))?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| error(format!("not a policylint baseline: {e}")))?;
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(VERSION) => {}
            Some(v) => {
                return Err(error(format!(
                    "baseline version {v}, but this policylint reads version {VERSION}"
                )));
            }
            None => return Err(error("not a policylint baseline: no `version`".into())),
        }
        let file: BaselineFile = serde_json::from_value(value)
            .map_err(|e| error(format!("not a policylint baseline: {e}")))?;
        let mut remaining = HashMap::new();
        for e in file.findings {
            *remaining.entry(e.key).or_insert(0) += e.count;
        }
        Ok(Baseline {
            base: folder_of(path).map_err(error)?,
            remaining,
            seen: HashSet::new(),
        })
    }

    /// How many recorded findings of the files filtered so far were not
    /// found again: fixed, or changed past recognition.
    pub fn gone(&self) -> usize {
        self.remaining
            .iter()
            .filter(|(key, _)| self.seen.contains(&key.path))
            .map(|(_, n)| n)
            .sum()
    }

    /// Removes from `diagnostics` (of `text`, read from `path`) those the
    /// baseline holds, and returns how many.
    pub fn filter(&mut self, path: &Path, text: &str, diagnostics: &mut Vec<Diagnostic>) -> usize {
        let relative = relative_to(path, &self.base);
        self.seen.insert(relative.clone());
        let before = diagnostics.len();
        diagnostics.retain(|d| {
            let key = Key::of(relative.clone(), text, d);
            match self.remaining.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
        before - diagnostics.len()
    }
}

/// Writes the baseline of `checked` (each file's path as given, its text
/// and its findings) to `path`, replacing it. Returns how many findings it
/// holds.
pub fn write(path: &Path, checked: &[(&Path, &str, &[Diagnostic])]) -> Result<usize, String> {
    let error = |message: String| format!("{}: {message}", path.display());
    let base = folder_of(path).map_err(error)?;
    let mut counts: HashMap<Key, usize> = HashMap::new();
    for (file, text, diagnostics) in checked {
        let relative = relative_to(file, &base);
        for d in *diagnostics {
            *counts
                .entry(Key::of(relative.clone(), text, d))
                .or_insert(0) += 1;
        }
    }
    let total = counts.values().sum();
    let mut findings: Vec<Entry> = counts
        .into_iter()
        .map(|(key, count)| Entry { key, count })
        .collect();
    // Sorted, so that the file changes only where the findings do.
    findings.sort();
    let file = BaselineFile {
        version: VERSION,
        findings,
    };
    let mut json = serde_json::to_string_pretty(&file).map_err(|e| error(e.to_string()))?;
    json.push('\n');
    fs::write(path, json).map_err(|e| error(format!("cannot write: {e}")))?;
    Ok(total)
}

/// The canonical folder of the file at `path` (which need not exist).
fn folder_of(path: &Path) -> Result<PathBuf, String> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::canonicalize(dir).map_err(|e: io::Error| format!("cannot open its folder: {e}"))
}

/// `path` (as given: relative to the working directory, or absolute)
/// relative to the canonical folder `base`, with `/` between components;
/// standard input (`-`) stays `-`.
fn relative_to(path: &Path, base: &Path) -> String {
    if path.as_os_str() == "-" {
        return "-".into();
    }
    let absolute = fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let ours: Vec<Component<'_>> = absolute.components().collect();
    let theirs: Vec<Component<'_>> = base.components().collect();
    let common = ours.iter().zip(&theirs).take_while(|(a, b)| a == b).count();
    let ups = theirs[common..].iter().map(|_| "..".to_string());
    let downs = ours[common..]
        .iter()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    ups.chain(downs).collect::<Vec<_>>().join("/")
}

/// The flagged text of `span` and up to [`CONTEXT_WORDS`] words on each
/// side within its paragraph, each with whitespace runs made one space.
fn surroundings(text: &str, span: Span) -> (String, String, String) {
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    let from = floor_boundary(text, start.saturating_sub(CONTEXT_BYTES));
    let to = ceil_boundary(text, (end + CONTEXT_BYTES).min(text.len()));
    // Lines before the span back to a blank one, lines after it up to one.
    let mut lines_before: Vec<&str> = Vec::new();
    for (i, line) in text[from..start].rsplit('\n').enumerate() {
        if i > 0 && line.trim().is_empty() {
            break;
        }
        lines_before.push(line);
    }
    lines_before.reverse();
    let mut lines_after: Vec<&str> = Vec::new();
    for (i, line) in text[end..to].split('\n').enumerate() {
        if i > 0 && line.trim().is_empty() {
            break;
        }
        lines_after.push(line);
    }
    let before_text = lines_before.join("\n");
    let mut before: Vec<&str> = before_text
        .split_whitespace()
        .rev()
        .take(CONTEXT_WORDS)
        .collect();
    before.reverse();
    let after_text = lines_after.join("\n");
    let after: Vec<&str> = after_text.split_whitespace().take(CONTEXT_WORDS).collect();
    let flagged: Vec<&str> = text[start..end].split_whitespace().collect();
    let mut flagged = flagged.join(" ");
    if let Some((cut, _)) = flagged.char_indices().nth(TEXT_CHARS) {
        flagged.truncate(cut);
        flagged.push('…');
    }
    (before.join(" "), flagged, after.join(" "))
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn around(text: &str, flagged: &str) -> (String, String, String) {
        let start = text.find(flagged).unwrap();
        surroundings(text, Span::new(start, start + flagged.len()))
    }

    fn strings(a: &str, b: &str, c: &str) -> (String, String, String) {
        (a.into(), b.into(), c.into())
    }

    #[test]
    fn context_is_three_words_each_side_within_the_paragraph() {
        let text = "Title\n\nWe will keep the the data\nof our users safe.\n\nNext.";
        assert_eq!(
            around(text, "the the"),
            strings("We will keep", "the the", "data of our")
        );
        // Re-wrapping the paragraph changes nothing.
        let rewrapped = "Title\n\nWe will\n  keep the the data of\nour users safe.\n\nNext.";
        assert_eq!(around(text, "the the"), around(rewrapped, "the the"));
        // A blank line ends the paragraph, on either side.
        assert_eq!(around(text, "Title"), strings("", "Title", ""));
        assert_eq!(around(text, "safe."), strings("of our users", "safe.", ""));
        let crlf = "Title\r\n\r\nBy:\r\n\r\nText";
        assert_eq!(around(crlf, "By:"), strings("", "By:", ""));
        // Flagged text over a line break, and a very long one.
        assert_eq!(around("a the\nthe b", "the\nthe").1, "the the");
        let long = "x".repeat(500);
        let (_, flagged, _) = around(&long, &long);
        assert_eq!(flagged.chars().count(), TEXT_CHARS + 1);
        // Characters of several bytes at the edge of the window.
        let wide = format!("{}word{}", "é".repeat(150), "é".repeat(150));
        assert_eq!(around(&wide, "word").1, "word");
    }

    #[test]
    fn paths_are_relative_to_the_baseline_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir_all(root.join("docs/legal")).unwrap();
        fs::write(root.join("docs/legal/terms.md"), "x").unwrap();
        let file = root.join("docs/legal/terms.md");
        assert_eq!(relative_to(&file, &root), "docs/legal/terms.md");
        assert_eq!(relative_to(&file, &root.join("docs/legal")), "terms.md");
        assert_eq!(
            relative_to(&root.join("other.md"), &root.join("docs/legal")),
            "../../other.md"
        );
        assert_eq!(relative_to(Path::new("-"), &root), "-");
    }
}
