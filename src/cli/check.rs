//! `policylint check PATHS…`, with `--fix`, `--unsafe-fixes` and `--diff`.

use std::collections::{HashMap, HashSet};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::baseline::{self, Baseline};
use super::{Color, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use crate::config::{Config, ConfigError, is_rule_selector};
use crate::lint::Linter;
use crate::lint::files::{self, FileError, Target};
use crate::lint::fix::{FixMode, fix_text};
use crate::report::{self, FileReport, HumanOptions, OutputFormat};
use crate::rules::{self, Diagnostic, Severity};
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
    /// `paths` is the default `.`, not given: finding nothing there to
    /// check is then a warning, not an error.
    pub default_paths: bool,
    /// The name standard input is checked under (its format and config).
    pub stdin_filename: Option<PathBuf>,
    pub output_format: OutputFormat,
    pub color: Color,
    /// Print long source lines whole in `human` output.
    pub no_truncate: bool,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub config: ConfigSource,
    pub fix: FixAction,
    /// Exit 0 even with findings (errors still exit 2).
    pub exit_zero: bool,
    /// Print the findings and errors only: no summary, no count of fixes.
    pub quiet: bool,
    /// Print how many findings each rule has instead of the findings.
    pub statistics: bool,
    /// Leave out the findings this baseline holds.
    pub baseline: Option<PathBuf>,
    /// Record the findings in this baseline instead of printing them.
    pub write_baseline: Option<PathBuf>,
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
    if let Err(message) = check_rule_flags(options) {
        let _ = writeln!(err, "error: {message}");
        return EXIT_ERROR;
    }
    let setups = match Setups::new(options) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return EXIT_ERROR;
        }
    };
    let mut baseline = match options.baseline.as_deref().map(Baseline::load) {
        None => None,
        Some(Ok(b)) => Some(b),
        Some(Err(message)) => {
            let _ = writeln!(err, "error: {message}");
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

    let mut outcomes: Vec<Result<Checked, Failure>> = targets
        .par_iter()
        .filter_map(|t| check_target(t, &setups, options.fix))
        .collect();
    if stdin_requested {
        outcomes.insert(0, check_stdin(options, &setups));
    }

    let mut checked = Vec::new();
    let mut failures: Vec<Failure> = errors.into_iter().map(Failure::read).collect();
    for outcome in outcomes {
        match outcome {
            Ok(c) => checked.push(c),
            Err(f) => failures.push(f),
        }
    }
    let nothing = checked.is_empty() && failures.is_empty();
    if let Some(path) = &options.write_baseline {
        return record_baseline(options, path, &checked, &failures, out, err);
    }
    let mut baselined = Baselined::default();
    if let Some(baseline) = &mut baseline {
        for c in &mut checked {
            baselined.left_out += baseline.filter(Path::new(&c.path), &c.text, &mut c.diagnostics);
        }
        baselined.gone = baseline.gone();
    }

    let written = match options.fix {
        FixAction::Diff(_) => write_diffs(options, &checked, out, err),
        _ => write_findings(options, &checked, out, err),
    };
    // Errors come after the findings, as a compiler's do, and the summary
    // last: standard output is flushed before standard error is written.
    let written = written.and_then(|()| out.flush()).and_then(|()| {
        print_failures(&failures, err)?;
        // Fixed standard input alone keeps standard output to itself.
        let reported = checked.is_empty() || checked.iter().any(|c| c.stdin_fixed.is_none());
        if nothing {
            if !(options.quiet && options.default_paths) {
                nothing_to_check(options, err)?;
            }
        } else if options.output_format == OutputFormat::Human
            && !options.quiet
            && !matches!(options.fix, FixAction::Diff(_))
            && reported
        {
            summary(&checked, &failures, &baselined, out)?;
        }
        Ok(())
    });
    if let Err(e) = written {
        if e.kind() != io::ErrorKind::BrokenPipe {
            let _ = writeln!(err, "error: cannot write output: {e}");
            return EXIT_ERROR;
        }
    }
    let failing = match options.fix {
        FixAction::Diff(_) => checked.iter().any(|c| c.diff.is_some()),
        _ => checked
            .iter()
            .flat_map(|c| &c.diagnostics)
            .any(|d| d.severity >= Severity::Warning),
    };
    if !failures.is_empty() || (nothing && !options.default_paths) {
        EXIT_ERROR
    } else if failing && !options.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// Each failure's message once: a broken configuration fails every file
/// below it the same way.
fn print_failures(failures: &[Failure], err: &mut dyn Write) -> io::Result<()> {
    let mut said = HashSet::new();
    for f in failures {
        if said.insert(f.message.as_str()) {
            writeln!(err, "error: {}", f.message)?;
        }
    }
    Ok(())
}

/// `--write-baseline FILE`: records the findings of `checked` in FILE
/// instead of printing them, and says how many. Returns the exit code: 0,
/// or 2 after an error (the baseline is still written when some files could
/// not be read: they are named).
fn record_baseline(
    options: &CheckOptions,
    path: &Path,
    checked: &[Checked],
    failures: &[Failure],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    if checked.is_empty() && failures.is_empty() {
        let _ = nothing_to_check(options, err);
        if !options.default_paths {
            return EXIT_ERROR;
        }
    }
    let files: Vec<(&Path, &str, &[Diagnostic])> = checked
        .iter()
        .map(|c| {
            (
                Path::new(&c.path),
                c.text.as_str(),
                c.diagnostics.as_slice(),
            )
        })
        .collect();
    let mut code = if failures.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_ERROR
    };
    let _ = print_failures(failures, err);
    match baseline::write(path, &files) {
        Ok(n) if !options.quiet => {
            let with = checked.iter().filter(|c| !c.diagnostics.is_empty()).count();
            let line = format!(
                "Recorded {} of {} in {}.",
                plural(n, "finding"),
                plural(with, "file"),
                path.display()
            );
            let written = if options.output_format == OutputFormat::Human {
                writeln!(out, "{line}")
            } else {
                writeln!(err, "{line}")
            };
            if let Err(e) = written {
                if e.kind() != io::ErrorKind::BrokenPipe {
                    code = EXIT_ERROR;
                }
            }
        }
        Ok(_) => {}
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            code = EXIT_ERROR;
        }
    }
    code
}

/// `--select` and `--ignore` name rules or categories: anything else is a
/// usage error, with the nearest name.
fn check_rule_flags(options: &CheckOptions) -> Result<(), String> {
    let given = options.select.iter().flatten().map(|n| ("--select", n));
    let given = given.chain(options.ignore.iter().map(|n| ("--ignore", n)));
    for (flag, name) in given {
        if is_rule_selector(name) {
            continue;
        }
        let names = rules::ALL.iter().map(|r| r.name);
        let categories = rules::ALL.iter().map(|r| r.category.name());
        return Err(match super::did_you_mean(name, names.chain(categories)) {
            Some(near) => format!("unknown rule `{name}` in {flag} (did you mean `{near}`?)"),
            None => format!("unknown rule `{name}` in {flag} (see `policylint rules`)"),
        });
    }
    Ok(())
}

/// Says that the paths held no file to check: an error if they were given,
/// a warning for the default `.`.
fn nothing_to_check(options: &CheckOptions, err: &mut dyn Write) -> io::Result<()> {
    let level = if options.default_paths {
        "warning"
    } else {
        "error"
    };
    let paths: Vec<String> = options
        .paths
        .iter()
        .map(|p| format!("`{}`", p.display()))
        .collect();
    let extensions: Vec<String> = files::EXTENSIONS.iter().map(|e| format!(".{e}")).collect();
    writeln!(
        err,
        "{level}: no files to check in {} (looked for {} files not ignored or excluded)",
        paths.join(", "),
        extensions.join(", ")
    )
}

/// A file that could not be checked or fixed.
struct Failure {
    message: String,
    kind: FailureKind,
}

#[derive(Copy, Clone, PartialEq, Eq)]
enum FailureKind {
    /// Missing, unreadable, binary, not UTF-8, or a walk's error.
    Read,
    /// Its configuration is broken.
    Config,
    /// Checked, but the fixed text could not be written.
    Fix,
}

impl Failure {
    fn read(e: FileError) -> Failure {
        Failure {
            message: e.to_string(),
            kind: FailureKind::Read,
        }
    }

    fn config(e: ConfigError) -> Failure {
        Failure {
            message: e.to_string(),
            kind: FailureKind::Config,
        }
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
    if options.statistics {
        report::statistics(&reports, options.output_format == OutputFormat::Json, out)?;
    } else {
        report::write(
            options.output_format,
            &reports,
            &HumanOptions {
                color: options.color.enabled(),
                width: super::output_width(options.no_truncate),
            },
            out,
        )?;
    }
    let fixed: usize = checked.iter().map(|c| c.fixed).sum();
    if fixed > 0 && !options.quiet {
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
    Ok(())
}

fn write_diffs(
    options: &CheckOptions,
    checked: &[Checked],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    for diff in checked.iter().filter_map(|c| c.diff.as_ref()) {
        out.write_all(diff.as_bytes())?;
    }
    if options.quiet {
        return Ok(());
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
) -> Option<Result<Checked, Failure>> {
    let setup = match setups.for_file(&target.path) {
        Ok(s) => s,
        Err(e) => return Some(Err(Failure::config(e))),
    };
    let text = match files::read_text(&target.path) {
        Ok(text) => text,
        Err(FileError {
            kind: files::FileErrorKind::Binary,
            ..
        }) if !target.explicit => return None,
        Err(e) => return Some(Err(Failure::read(e))),
    };
    Some(run(&setup, &target.path, Source::File, text, fix))
}

fn check_stdin(options: &CheckOptions, setups: &Setups) -> Result<Checked, Failure> {
    let name = options
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from("-"));
    let mut bytes = Vec::new();
    io::stdin().read_to_end(&mut bytes).map_err(|e| Failure {
        message: format!("standard input: {e}"),
        kind: FailureKind::Read,
    })?;
    let text = files::decode(&name, bytes).map_err(Failure::read)?;
    let setup = setups.for_file(&name).map_err(Failure::config)?;
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
) -> Result<Checked, Failure> {
    let format = setup.config.format_for(path);
    let linter = setup.linter.for_path(path);
    // Standard input without `--stdin-filename` has no folder to resolve
    // its links in (`-` is no file in the current folder).
    let linter = if source == Source::Stdin && path == Path::new("-") {
        linter.without_location()
    } else {
        linter
    };
    let linter =
        match files::translation_reference(&setup.config, path, &linter).map_err(Failure::read)? {
            Some(reference) => linter.with_reference(Arc::new(reference)),
            None => linter,
        };
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
            files::write_fixed(path, text.as_bytes(), new_text.as_bytes()).map_err(|e| {
                Failure {
                    message: e.to_string(),
                    kind: FailureKind::Fix,
                }
            })?;
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

/// What a baseline did.
#[derive(Default)]
struct Baselined {
    /// Findings left out.
    left_out: usize,
    /// Findings it holds for the files checked that were not found.
    gone: usize,
}

/// `Found 3 problems (2 warnings, 1 info) in 2 of 5 files; 1 file could
/// not be read; 4 findings left out by the baseline.`
fn summary(
    checked: &[Checked],
    failures: &[Failure],
    baselined: &Baselined,
    out: &mut dyn Write,
) -> io::Result<()> {
    let count = |s: Severity| {
        checked
            .iter()
            .flat_map(|c| &c.diagnostics)
            .filter(|d| d.severity == s)
            .count()
    };
    let total: usize = checked.iter().map(|c| c.diagnostics.len()).sum();
    let files = checked.len();
    let mut clauses = Vec::new();
    if total == 0 && files > 0 {
        clauses.push(format!("No problems found in {}", plural(files, "file")));
    } else if total > 0 {
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
        clauses.push(format!(
            "Found {} ({}) in {} of {}",
            plural(total, "problem"),
            parts.join(", "),
            with,
            plural(files, "file")
        ));
    }
    for (kind, what) in [
        (FailureKind::Read, "read"),
        (FailureKind::Config, "checked (configuration error)"),
        (FailureKind::Fix, "fixed"),
    ] {
        let n = failures.iter().filter(|f| f.kind == kind).count();
        if n > 0 {
            clauses.push(format!("{} could not be {what}", plural(n, "file")));
        }
    }
    if baselined.left_out > 0 {
        clauses.push(format!(
            "{} left out by the baseline",
            plural(baselined.left_out, "finding")
        ));
    }
    if baselined.gone > 0 {
        clauses.push(format!(
            "{} of the baseline no longer found",
            plural(baselined.gone, "finding")
        ));
    }
    if clauses.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}.", clauses.join("; "))
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
            ConfigSource::Discover => None,
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
