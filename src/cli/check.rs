//! `policylint check PATHS…`, with `--fix`, `--unsafe-fixes` and `--diff`.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::{Color, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use crate::config::{Config, ConfigError};
use crate::lint::Linter;
use crate::lint::files::{self, FileError, Target};
use crate::lint::fix::{FixMode, fix_text};
use crate::report::{self, FileReport, OutputFormat};
use crate::rules::{Diagnostic, Severity};
use crate::syntax::{Document, strip_bom};

/// Where each file's configuration comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigSource {
    /// The nearest `policylint.toml` above each file.
    Discover,
    /// `--config FILE` for every file.
    File(PathBuf),
    /// `--no-config`: built-in defaults.
    Defaults,
}

/// What to do with fixes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FixAction {
    /// Report findings only.
    None,
    /// Apply the fixes `mode` allows and write the files.
    Write(FixMode),
    /// Print a unified diff of what the fixes would change; write nothing.
    Diff(FixMode),
}

#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// Files and directories; `-` is standard input.
    pub paths: Vec<PathBuf>,
    /// The name standard input is checked under (its format and config).
    pub stdin_filename: Option<PathBuf>,
    pub output_format: OutputFormat,
    pub color: Color,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub config: ConfigSource,
    pub fix: FixAction,
}

/// One checked file.
struct Checked {
    path: String,
    /// The text the diagnostics point into (after fixing, when fixed).
    text: String,
    diagnostics: Vec<Diagnostic>,
    /// Findings fixed (or, with `--diff`, fixable).
    fixed: usize,
    /// With `--diff`: the unified diff of the fixes.
    diff: Option<String>,
    /// Standard input with `--fix`: the fixed text, printed instead.
    stdin_fixed: Option<String>,
}

/// Runs the check and prints the findings to `out` and errors to `err`.
/// Returns the exit code.
pub fn check(options: &CheckOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let setups = match Setups::new(options) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return EXIT_ERROR;
        }
    };
    let stdin_requested = options.paths.iter().any(|p| p.as_os_str() == "-");
    let paths: Vec<PathBuf> = options
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    let exclude = |path: &Path| {
        setups
            .for_file(path)
            .is_ok_and(|s| s.config.is_excluded(path))
    };
    let (targets, errors) = files::discover(&paths, &exclude);

    let mut outcomes: Vec<Result<Checked, String>> = targets
        .par_iter()
        .filter_map(|t| check_target(t, &setups, options.fix))
        .collect();
    if stdin_requested {
        outcomes.insert(0, check_stdin(options, &setups));
    }

    let mut checked = Vec::new();
    let mut messages: Vec<String> = errors.into_iter().map(|e| e.to_string()).collect();
    for outcome in outcomes {
        match outcome {
            Ok(c) => checked.push(c),
            Err(m) => messages.push(m),
        }
    }
    messages.dedup();

    let written = match options.fix {
        FixAction::Diff(_) => write_diffs(&checked, out, err),
        _ => write_findings(options, &checked, out, err),
    };
    if let Err(e) = written {
        if e.kind() != io::ErrorKind::BrokenPipe {
            let _ = writeln!(err, "error: cannot write output: {e}");
            return EXIT_ERROR;
        }
    }
    for m in &messages {
        let _ = writeln!(err, "error: {m}");
    }
    let failing = match options.fix {
        FixAction::Diff(_) => checked.iter().any(|c| c.diff.is_some()),
        _ => checked
            .iter()
            .flat_map(|c| &c.diagnostics)
            .any(|d| d.severity >= Severity::Warning),
    };
    if !messages.is_empty() {
        EXIT_ERROR
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

fn write_findings(
    options: &CheckOptions,
    checked: &[Checked],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    // Standard input with --fix: the fixed text is the output.
    for c in checked {
        if let Some(text) = &c.stdin_fixed {
            out.write_all(text.as_bytes())?;
        }
    }
    let reports: Vec<FileReport<'_>> = checked
        .iter()
        .filter(|c| c.stdin_fixed.is_none())
        .map(|c| FileReport {
            path: &c.path,
            text: &c.text,
            diagnostics: &c.diagnostics,
        })
        .collect();
    report::write(
        options.output_format,
        &reports,
        options.color.enabled(),
        out,
    )?;
    let fixed: usize = checked.iter().map(|c| c.fixed).sum();
    if fixed > 0 {
        let files = checked.iter().filter(|c| c.fixed > 0).count();
        let line = format!(
            "Fixed {} in {}.",
            plural(fixed, "problem"),
            plural(files, "file")
        );
        // Machine-readable output and fixed standard input keep standard
        // output to themselves.
        let stdin_fixed = checked.iter().any(|c| c.stdin_fixed.is_some());
        if options.output_format == OutputFormat::Human && !stdin_fixed {
            writeln!(out, "{line}")?;
        } else {
            writeln!(err, "{line}")?;
        }
    }
    if options.output_format == OutputFormat::Human
        && checked.iter().any(|c| c.stdin_fixed.is_none())
    {
        summary(checked, out)?;
    }
    Ok(())
}

fn write_diffs(checked: &[Checked], out: &mut dyn Write, err: &mut dyn Write) -> io::Result<()> {
    for diff in checked.iter().filter_map(|c| c.diff.as_ref()) {
        out.write_all(diff.as_bytes())?;
    }
    let fixable: usize = checked.iter().map(|c| c.fixed).sum();
    let files = checked.iter().filter(|c| c.diff.is_some()).count();
    writeln!(
        err,
        "Would fix {} in {}.",
        plural(fixable, "problem"),
        plural(files, "file")
    )
}

/// Checks one file; `None` for a binary file met in a walk (skipped).
fn check_target(
    target: &Target,
    setups: &Setups,
    fix: FixAction,
) -> Option<Result<Checked, String>> {
    let setup = match setups.for_file(&target.path) {
        Ok(s) => s,
        Err(e) => return Some(Err(e.to_string())),
    };
    let text = match files::read_text(&target.path) {
        Ok(text) => text,
        Err(FileError {
            kind: files::FileErrorKind::Binary,
            ..
        }) if !target.explicit => return None,
        Err(e) => return Some(Err(e.to_string())),
    };
    Some(run(&setup, &target.path, Source::File, text, fix))
}

fn check_stdin(options: &CheckOptions, setups: &Setups) -> Result<Checked, String> {
    let name = options
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from("-"));
    let mut bytes = Vec::new();
    io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| format!("standard input: {e}"))?;
    let text = files::decode(&name, bytes).map_err(|e| e.to_string())?;
    let setup = setups.for_file(&name).map_err(|e| e.to_string())?;
    run(&setup, &name, Source::Stdin, text, options.fix)
}

#[derive(Copy, Clone, PartialEq, Eq)]
enum Source {
    File,
    Stdin,
}

/// Checks `text` read from `path`, fixing it first if asked.
fn run(
    setup: &Setup,
    path: &Path,
    source: Source,
    text: String,
    fix: FixAction,
) -> Result<Checked, String> {
    let format = setup.config.format_for(path);
    let linter = setup.linter.for_path(path);
    let display = path.display().to_string();
    let mode = match fix {
        FixAction::None => None,
        FixAction::Write(mode) | FixAction::Diff(mode) => Some(mode),
    };
    let Some(mode) = mode else {
        let doc = Document::parse(text, format);
        let diagnostics = linter.check(&doc);
        return Ok(checked(display, doc.text, diagnostics));
    };
    let bom = if text.starts_with('\u{feff}') {
        "\u{feff}"
    } else {
        ""
    };
    let fixed = fix_text(strip_bom(&text), format, &linter, mode);
    let new_text = format!("{bom}{}", fixed.text);
    // What is left to report: in the fixed text, or (nothing to fix) the
    // original, which is then never touched.
    let shown = if fixed.fixes == 0 {
        text.as_str()
    } else {
        new_text.as_str()
    };
    let doc = Document::parse(shown, format);
    let diagnostics = linter.check(&doc);
    let mut result = checked(display.clone(), doc.text, diagnostics);
    result.fixed = fixed.fixes;
    if fixed.fixes == 0 {
        if source == Source::Stdin && matches!(fix, FixAction::Write(_)) {
            result.stdin_fixed = Some(text);
        }
        return Ok(result);
    }
    match (fix, source) {
        (FixAction::Diff(_), _) => result.diff = Some(unified_diff(&display, &text, &new_text)),
        (_, Source::Stdin) => result.stdin_fixed = Some(new_text),
        (_, Source::File) => {
            files::write_fixed(path, text.as_bytes(), new_text.as_bytes())
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(result)
}

fn checked(path: String, text: String, diagnostics: Vec<Diagnostic>) -> Checked {
    Checked {
        path,
        text,
        diagnostics,
        fixed: 0,
        diff: None,
        stdin_fixed: None,
    }
}

/// A unified diff of `old` to `new` for `path`, with three lines of context.
fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn summary(checked: &[Checked], out: &mut dyn Write) -> io::Result<()> {
    let count = |s: Severity| {
        checked
            .iter()
            .flat_map(|c| &c.diagnostics)
            .filter(|d| d.severity == s)
            .count()
    };
    let total: usize = checked.iter().map(|c| c.diagnostics.len()).sum();
    let files = checked.len();
    if total == 0 {
        return writeln!(out, "No problems found in {}.", plural(files, "file"));
    }
    let mut parts = Vec::new();
    for (s, word) in [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "info"),
        (Severity::Hint, "hint"),
    ] {
        let n = count(s);
        if n > 0 {
            parts.push(if s >= Severity::Warning {
                plural(n, word)
            } else {
                format!("{n} {word}")
            });
        }
    }
    let with = checked.iter().filter(|c| !c.diagnostics.is_empty()).count();
    writeln!(
        out,
        "Found {} ({}) in {} of {}.",
        plural(total, "problem"),
        parts.join(", "),
        with,
        plural(files, "file")
    )
}

/// A configuration and the linter built from it.
struct Setup {
    config: Config,
    linter: Linter,
}

impl Setup {
    fn new(mut config: Config, options: &CheckOptions) -> Result<Arc<Setup>, ConfigError> {
        config.restrict(options.select.clone(), options.ignore.clone())?;
        let linter = Linter::new(&config);
        Ok(Arc::new(Setup { config, linter }))
    }
}

/// The configurations in use, loaded once per folder.
struct Setups {
    fixed: Option<Arc<Setup>>,
    options: CheckOptions,
    by_dir: Mutex<HashMap<PathBuf, Result<Arc<Setup>, ConfigError>>>,
}

impl Setups {
    fn new(options: &CheckOptions) -> Result<Setups, ConfigError> {
        let fixed = match &options.config {
            ConfigSource::Discover => {
                // Check the flags once, up front, so a typo is a usage error.
                Setup::new(Config::default(), options)?;
                None
            }
            ConfigSource::File(path) => Some(Setup::new(Config::load(path)?, options)?),
            ConfigSource::Defaults => Some(Setup::new(Config::default(), options)?),
        };
        Ok(Setups {
            fixed,
            options: options.clone(),
            by_dir: Mutex::new(HashMap::new()),
        })
    }

    fn for_file(&self, path: &Path) -> Result<Arc<Setup>, ConfigError> {
        if let Some(s) = &self.fixed {
            return Ok(s.clone());
        }
        let dir = files::config_dir(path);
        let mut cache = self.by_dir.lock().unwrap_or_else(|p| p.into_inner());
        cache
            .entry(dir.clone())
            .or_insert_with(|| Setup::new(files::config_for_dir(&dir)?, &self.options))
            .clone()
    }
}
