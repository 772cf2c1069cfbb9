//! `policylint check PATHS…`

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::{Color, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use crate::config::{Config, ConfigError};
use crate::lint::Linter;
use crate::lint::files::{self, FileError, Target};
use crate::report::{self, FileReport, OutputFormat};
use crate::rules::{Diagnostic, Severity};
use crate::syntax::Document;

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
}

/// One checked file.
struct Checked {
    path: String,
    text: String,
    diagnostics: Vec<Diagnostic>,
}

/// Runs the check and prints the findings to `out` and errors to `err`.
/// Returns the exit code.
pub fn check(options: &CheckOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let configs = match Configs::new(options) {
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
    let exclude = |path: &Path| configs.for_file(path).is_ok_and(|c| c.is_excluded(path));
    let (targets, mut errors) = files::discover(&paths, &exclude);

    let mut outcomes: Vec<Result<Checked, String>> = targets
        .par_iter()
        .filter_map(|t| check_target(t, &configs))
        .collect();
    if stdin_requested {
        outcomes.insert(0, check_stdin(options, &configs));
    }

    let mut checked = Vec::new();
    let mut messages: Vec<String> = errors.drain(..).map(|e| e.to_string()).collect();
    for outcome in outcomes {
        match outcome {
            Ok(c) => checked.push(c),
            Err(m) => messages.push(m),
        }
    }
    messages.dedup();

    let reports: Vec<FileReport<'_>> = checked
        .iter()
        .map(|c| FileReport {
            path: &c.path,
            text: &c.text,
            diagnostics: &c.diagnostics,
        })
        .collect();
    let color = options.color.enabled();
    let written = report::write(options.output_format, &reports, color, out).and_then(|()| {
        if options.output_format == OutputFormat::Human {
            summary(&checked, out)
        } else {
            Ok(())
        }
    });
    if let Err(e) = written {
        if e.kind() != io::ErrorKind::BrokenPipe {
            let _ = writeln!(err, "error: cannot write output: {e}");
            return EXIT_ERROR;
        }
    }
    for m in &messages {
        let _ = writeln!(err, "error: {m}");
    }
    if !messages.is_empty() {
        EXIT_ERROR
    } else if checked
        .iter()
        .flat_map(|c| &c.diagnostics)
        .any(|d| d.severity >= Severity::Warning)
    {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// Checks one file; `None` for a binary file met in a walk (skipped).
fn check_target(target: &Target, configs: &Configs) -> Option<Result<Checked, String>> {
    let config = match configs.for_file(&target.path) {
        Ok(c) => c,
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
    let path = target.path.display().to_string();
    Some(Ok(run(&config, &target.path, path, text)))
}

fn check_stdin(options: &CheckOptions, configs: &Configs) -> Result<Checked, String> {
    let name = options
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from("-"));
    let mut bytes = Vec::new();
    io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| format!("standard input: {e}"))?;
    let text = files::decode(&name, bytes).map_err(|e| e.to_string())?;
    let config = configs.for_file(&name).map_err(|e| e.to_string())?;
    Ok(run(&config, &name, name.display().to_string(), text))
}

fn run(config: &Config, path: &Path, display: String, text: String) -> Checked {
    let doc = Document::parse(text, config.format_for(path));
    let diagnostics = Linter::new(config).check(&doc);
    Checked {
        path: display,
        text: doc.text,
        diagnostics,
    }
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
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
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

/// The configurations in use, loaded once per folder.
struct Configs {
    fixed: Option<Arc<Config>>,
    select: Option<Vec<String>>,
    ignore: Vec<String>,
    by_dir: Mutex<HashMap<PathBuf, Result<Arc<Config>, ConfigError>>>,
}

impl Configs {
    fn new(options: &CheckOptions) -> Result<Configs, ConfigError> {
        let restrict = |mut c: Config| -> Result<Arc<Config>, ConfigError> {
            c.restrict(options.select.clone(), options.ignore.clone())?;
            Ok(Arc::new(c))
        };
        let fixed = match &options.config {
            ConfigSource::Discover => {
                // Check the flags once, up front, so a typo is a usage error.
                restrict(Config::default())?;
                None
            }
            ConfigSource::File(path) => Some(restrict(Config::load(path)?)?),
            ConfigSource::Defaults => Some(restrict(Config::default())?),
        };
        Ok(Configs {
            fixed,
            select: options.select.clone(),
            ignore: options.ignore.clone(),
            by_dir: Mutex::new(HashMap::new()),
        })
    }

    fn for_file(&self, path: &Path) -> Result<Arc<Config>, ConfigError> {
        if let Some(c) = &self.fixed {
            return Ok(c.clone());
        }
        let dir = files::config_dir(path);
        let mut cache = self.by_dir.lock().unwrap_or_else(|p| p.into_inner());
        cache
            .entry(dir.clone())
            .or_insert_with(|| {
                let mut c = files::config_for_dir(&dir)?;
                c.restrict(self.select.clone(), self.ignore.clone())?;
                Ok(Arc::new(c))
            })
            .clone()
    }
}
