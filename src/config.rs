//! `policylint.toml`: which rules run, at what severity, on which files.
//!
//! The same file is read by the command line (found by walking up from each
//! checked file, or given with `--config`) and by the language server (in the
//! workspace root). Unknown keys and unknown rule names are errors that name
//! the key and the file.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::lexicon::Dialect;
use crate::lexicon::confusion::{Confusion, ConfusionTable};
use crate::rules::custom_rule::Entry;
use crate::rules::preferred_term::Terms;
use crate::rules::{self, Rule, Severity};
use crate::syntax::Format;

/// The configuration file's name.
pub const FILE_NAME: &str = "policylint.toml";

/// Lists (table, key) that editor settings add to rather than replace:
/// word lists, which users grow from both sides.
const ADDITIVE_LISTS: &[(&str, &str)] = &[
    ("dictionary", "words"),
    ("dictionary", "files"),
    ("acronyms", "known"),
];

/// The file as written.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    /// Rules to run (default: all).
    select: Option<Vec<String>>,
    /// Rules not to run.
    #[serde(default)]
    ignore: Vec<String>,
    /// Severity per rule: "error", "warning", "info" or "hint".
    #[serde(default)]
    severity: BTreeMap<String, String>,
    /// Globs of paths a directory walk skips.
    #[serde(default)]
    exclude: Vec<String>,
    /// Format per glob: `"*.txt" = "markdown"`.
    #[serde(default)]
    format: BTreeMap<String, String>,
    #[serde(default)]
    acronyms: RawAcronyms,
    /// `en-US` (the default) or `en-GB`.
    language: Option<String>,
    #[serde(default)]
    dictionary: RawDictionary,
    #[serde(default, rename = "real-word")]
    real_word: RawRealWord,
    #[serde(default)]
    links: RawLinks,
    #[serde(default)]
    translations: RawTranslations,
    /// Rule settings for some files: `[[overrides]]`.
    #[serde(default)]
    overrides: Vec<RawOverride>,
    /// Findings not to report, by file: `[[suppress]]`.
    #[serde(default)]
    suppress: Vec<RawSuppress>,
    /// House-style rules: `[[rules.custom]]`.
    #[serde(default)]
    rules: RawRules,
    /// Phrases to replace or not to use: `[terms]`.
    #[serde(default)]
    terms: RawTerms,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    custom: Vec<RawCustomRule>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawCustomRule {
    name: String,
    /// A regular expression of the `regex` crate.
    pattern: String,
    message: String,
    severity: Option<String>,
    /// The fix: `$1` and `${name}` stand for the pattern's groups.
    replace: Option<String>,
    /// `prose` (the default), `headings` or `all`.
    scope: Option<String>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawTerms {
    /// Phrase → the phrase to write instead.
    #[serde(default)]
    prefer: BTreeMap<String, String>,
    #[serde(default)]
    forbid: Vec<RawForbid>,
}

/// A forbidden phrase, alone or with the reason to give.
#[derive(Debug, Deserialize, Clone)]
#[serde(
    untagged,
    deny_unknown_fields,
    expecting = "expected a phrase, or { term = \"…\", message = \"…\" }"
)]
enum RawForbid {
    Term(String),
    Explained { term: String, message: String },
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    /// Globs of the files it applies to, relative to the configuration file.
    files: Vec<String>,
    /// Rules not to run on those files, besides the top-level `ignore`.
    #[serde(default)]
    ignore: Vec<String>,
    /// Severity per rule on those files, over the top-level `[severity]`.
    #[serde(default)]
    severity: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawSuppress {
    /// A glob of the files it applies to, relative to the configuration file.
    path: String,
    rule: String,
    /// The flagged text (white space runs count as one space).
    text: Option<String>,
    /// The 1-based line the finding starts on.
    line: Option<usize>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawRealWord {
    /// Confusions of this project, checked before the built-in ones.
    #[serde(default)]
    confusions: Vec<RawConfusion>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawConfusion {
    wrong: String,
    right: String,
    #[serde(default)]
    when: String,
    #[serde(default)]
    unless: String,
    #[serde(default)]
    severity: String,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawDictionary {
    /// Words that are spelled right in this project.
    #[serde(default)]
    words: Vec<String>,
    /// Files of such words, one a line, relative to the configuration file.
    #[serde(default)]
    files: Vec<String>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawLinks {
    /// Web links must use `https://` (`insecure-link` reports `http://`).
    #[serde(default)]
    require_https: bool,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawTranslations {
    /// The folder of the reference language (`en`), beside one folder per
    /// translation (`de`, `fr`).
    reference: Option<String>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawAcronyms {
    /// Acronyms that need no expansion in this project.
    #[serde(default)]
    known: Vec<String>,
}

/// A configuration error, naming the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: Option<PathBuf>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{}: {}", p.display(), self.message),
            None => write!(f, "configuration: {}", self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// A checked configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    raw: RawConfig,
    dialect: Dialect,
    /// `[dictionary] words` and the words of `[dictionary] files`.
    user_words: Vec<String>,
    confusions: ConfusionTable,
    exclude: GlobSet,
    formats: Vec<(GlobSet, Format)>,
    /// The globs of each `[[overrides]]` entry, in order.
    overrides: Vec<GlobSet>,
    /// The glob of each `[[suppress]]` entry, in order.
    suppress: GlobSet,
    /// `[[rules.custom]]`, compiled.
    custom_rules: Vec<Entry>,
    /// `[terms]`, compiled.
    terms: Terms,
}

/// A `[[suppress]]` entry that names a file: a finding of `rule` there is
/// not reported if it starts on `line` and flags `text` (when given).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppress {
    pub rule: &'static Rule,
    pub text: Option<String>,
    /// 1-based.
    pub line: Option<usize>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            path: None,
            raw: RawConfig::default(),
            dialect: Dialect::default(),
            user_words: Vec::new(),
            confusions: ConfusionTable::default(),
            exclude: GlobSet::empty(),
            formats: Vec::new(),
            overrides: Vec::new(),
            suppress: GlobSet::empty(),
            custom_rules: Vec::new(),
            terms: Terms::default(),
        }
    }
}

impl Config {
    /// Parses and checks the text of a configuration file.
    pub fn parse(text: &str, path: Option<&Path>) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError {
            path: path.map(Path::to_path_buf),
            message: describe_toml_error(&e, text),
        })?;
        Config::from_raw(raw, path)
    }

    /// The configuration file's text (at `path`) with `overrides` on top:
    /// editor settings, as a JSON object with the file's keys. A key of the
    /// overrides replaces the file's; a table (`[severity]`, `[dictionary]`)
    /// is merged key by key, and its word lists add to the file's. Errors in
    /// the overrides name them as settings.
    pub fn with_overrides(
        text: &str,
        path: Option<&Path>,
        overrides: &serde_json::Value,
    ) -> Result<Config, ConfigError> {
        let settings_error = |message: String| ConfigError {
            path: None,
            message: format!("settings: {message}"),
        };
        let overrides = without_nulls(overrides.clone());
        serde_json::from_value::<RawConfig>(overrides.clone())
            .map_err(|e| settings_error(e.to_string()))?;
        let mut merged: toml::Table = toml::from_str(text).map_err(|e| ConfigError {
            path: path.map(Path::to_path_buf),
            message: describe_toml_error(&e, text),
        })?;
        let top: toml::Table =
            toml::Table::try_from(&overrides).map_err(|e| settings_error(e.to_string()))?;
        for (key, value) in top {
            match (merged.get_mut(&key), value) {
                (Some(toml::Value::Table(base)), toml::Value::Table(over)) => {
                    for (name, value) in over {
                        match (base.get_mut(&name), value) {
                            // Word lists add up: the editor's words join the
                            // project's, so a word added to the file counts
                            // whatever the editor's settings say.
                            (Some(toml::Value::Array(words)), toml::Value::Array(more))
                                if ADDITIVE_LISTS.contains(&(key.as_str(), name.as_str())) =>
                            {
                                for word in more {
                                    if !words.contains(&word) {
                                        words.push(word);
                                    }
                                }
                            }
                            (_, value) => {
                                base.insert(name, value);
                            }
                        }
                    }
                }
                (_, value) => {
                    merged.insert(key, value);
                }
            }
        }
        let raw: RawConfig = merged
            .try_into()
            .map_err(|e: toml::de::Error| settings_error(e.to_string()))?;
        Config::from_raw(raw, path)
    }

    fn from_raw(raw: RawConfig, path: Option<&Path>) -> Result<Config, ConfigError> {
        let error = |message: String| ConfigError {
            path: path.map(Path::to_path_buf),
            message,
        };
        for name in raw.select.iter().flatten().chain(&raw.ignore) {
            check_selector(name).map_err(error)?;
        }
        for name in raw.severity.keys() {
            check_rule_name(name).map_err(error)?;
        }
        check_severities("severity", &raw.severity).map_err(error)?;
        let mut overrides = Vec::new();
        for (i, o) in raw.overrides.iter().enumerate() {
            let key = format!("overrides[{i}]");
            if o.files.is_empty() {
                return Err(error(format!("{key}.files: no glob given")));
            }
            for name in &o.ignore {
                check_selector(name).map_err(|e| error(format!("{key}: {e}")))?;
            }
            for name in o.severity.keys() {
                check_rule_name(name).map_err(|e| error(format!("{key}: {e}")))?;
            }
            check_severities(&format!("{key}.severity"), &o.severity).map_err(error)?;
            overrides.push(build_globs(&o.files).map_err(|e| error(format!("{key}.files: {e}")))?);
        }
        for (i, entry) in raw.suppress.iter().enumerate() {
            let key = format!("suppress[{i}]");
            check_rule_name(&entry.rule).map_err(|e| error(format!("{key}.rule: {e}")))?;
            if entry.line == Some(0) {
                return Err(error(format!("{key}.line: lines count from 1")));
            }
        }
        let suppress_globs: Vec<String> = raw.suppress.iter().map(|e| e.path.clone()).collect();
        let suppress = build_globs(&suppress_globs).map_err(|e| error(format!("suppress: {e}")))?;
        let exclude = build_globs(&raw.exclude).map_err(|e| error(format!("exclude: {e}")))?;
        let mut formats = Vec::new();
        for (glob, format) in &raw.format {
            let format = match format.as_str() {
                "plain" | "text" => Format::Plain,
                "markdown" => Format::Markdown,
                other => {
                    return Err(error(format!(
                        "format.\"{glob}\": unknown format `{other}` (expected plain or markdown)"
                    )));
                }
            };
            let set = build_globs(std::slice::from_ref(glob))
                .map_err(|e| error(format!("format: {e}")))?;
            formats.push((set, format));
        }
        let dialect = match raw.language.as_deref() {
            None => Dialect::default(),
            Some(tag) => Dialect::from_tag(tag).ok_or_else(|| {
                error(format!(
                    "language: unknown language `{tag}` (expected en-US or en-GB)"
                ))
            })?,
        };
        let mut user_words = raw.dictionary.words.clone();
        let base = path.and_then(Path::parent).unwrap_or(Path::new(""));
        for file in &raw.dictionary.files {
            let full = base.join(file);
            let text = fs::read_to_string(&full).map_err(|e| {
                error(format!(
                    "dictionary.files: cannot read {}: {e}",
                    full.display()
                ))
            })?;
            user_words.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(String::from),
            );
        }
        if let Some(folder) = &raw.translations.reference {
            let mut parts = Path::new(folder).components();
            let one_name = matches!(
                (parts.next(), parts.next()),
                (Some(std::path::Component::Normal(_)), None)
            );
            if !one_name {
                return Err(error(format!(
                    "translations.reference: `{folder}` is no folder name (expected one, such as \"en\")"
                )));
            }
        }
        let mut confusions = ConfusionTable::default();
        for (i, c) in raw.real_word.confusions.iter().enumerate() {
            let row = Confusion::new(&c.wrong, &c.right, &c.when, &c.unless, &c.severity, "")
                .map_err(|e| error(format!("real-word.confusions[{i}]: {e}")))?;
            confusions.push(row);
        }
        let custom_rules = custom_rules(&raw.rules).map_err(error)?;
        let terms = terms(&raw.terms).map_err(error)?;
        Ok(Config {
            path: path.map(Path::to_path_buf),
            raw,
            dialect,
            user_words,
            confusions,
            exclude,
            formats,
            overrides,
            suppress,
            custom_rules,
            terms,
        })
    }

    /// Reads and checks the configuration file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = fs::read_to_string(path).map_err(|e| ConfigError {
            path: Some(path.to_path_buf()),
            message: format!("cannot read: {e}"),
        })?;
        Config::parse(&text, Some(path))
    }

    /// The nearest `policylint.toml` in `dir` or one of its ancestors.
    pub fn find(dir: &Path) -> Option<PathBuf> {
        dir.ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|candidate| candidate.is_file())
    }

    /// The rules to run.
    pub fn rules(&self) -> Vec<&'static Rule> {
        rules::ALL
            .iter()
            .copied()
            .filter(|r| match &self.raw.select {
                Some(select) => select.iter().any(|s| selects(s, r)),
                None => true,
            })
            .filter(|r| !self.raw.ignore.iter().any(|s| selects(s, r)))
            .collect()
    }

    /// The severity configured for `rule`, if any.
    pub fn severity(&self, rule: &str) -> Option<Severity> {
        self.raw
            .severity
            .get(rule)
            .and_then(|s| Severity::from_name(s))
    }

    /// The rules to run on `path`: [`Config::rules`] without those its
    /// `[[overrides]]` ignore.
    pub fn rules_for(&self, path: &Path) -> Vec<&'static Rule> {
        let overrides: Vec<&RawOverride> = self.overrides_for(path).collect();
        self.rules()
            .into_iter()
            .filter(|r| {
                !overrides
                    .iter()
                    .any(|o| o.ignore.iter().any(|s| selects(s, r)))
            })
            .collect()
    }

    /// The severity configured for `rule` on `path`: the last of its
    /// `[[overrides]]` that sets one, else the top-level `[severity]`.
    pub fn severity_for(&self, path: &Path, rule: &str) -> Option<Severity> {
        self.overrides_for(path)
            .filter_map(|o| o.severity.get(rule))
            .last()
            .and_then(|s| Severity::from_name(s))
            .or_else(|| self.severity(rule))
    }

    /// The `[[suppress]]` entries that name `path`.
    pub fn suppressions_for(&self, path: &Path) -> Vec<Suppress> {
        let relative = self.relative(path);
        self.suppress
            .matches(relative)
            .into_iter()
            .map(|i| {
                let entry = &self.raw.suppress[i];
                Suppress {
                    rule: rules::by_name(&entry.rule).expect("checked when loaded"),
                    text: entry.text.clone(),
                    line: entry.line,
                }
            })
            .collect()
    }

    fn overrides_for<'c>(&'c self, path: &Path) -> impl Iterator<Item = &'c RawOverride> {
        let relative = self.relative(path).to_path_buf();
        self.overrides
            .iter()
            .zip(&self.raw.overrides)
            .filter(move |(globs, _)| globs.is_match(&relative))
            .map(|(_, o)| o)
    }

    /// Acronyms listed as known.
    pub fn known_acronyms(&self) -> &[String] {
        &self.raw.acronyms.known
    }

    /// `[links] require-https`.
    pub fn require_https(&self) -> bool {
        self.raw.links.require_https
    }

    /// `[translations] reference`: the folder of the reference language.
    pub fn translation_reference(&self) -> Option<&str> {
        self.raw.translations.reference.as_deref()
    }

    /// The English the texts are written in.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The `[dictionary] files`, as written.
    pub fn dictionary_files(&self) -> &[String] {
        &self.raw.dictionary.files
    }

    /// Words the project spells its own way.
    pub fn user_words(&self) -> &[String] {
        &self.user_words
    }

    /// The project's own confusions.
    pub fn confusions(&self) -> &ConfusionTable {
        &self.confusions
    }

    /// The `[[rules.custom]]` entries, compiled.
    pub fn custom_rules(&self) -> &[Entry] {
        &self.custom_rules
    }

    /// The `[terms]` table, compiled.
    pub fn terms(&self) -> &Terms {
        &self.terms
    }

    /// Narrows the rule set: `select` replaces the configured selection,
    /// `ignore` adds to it (command-line flags).
    pub fn restrict(
        &mut self,
        select: Option<Vec<String>>,
        ignore: Vec<String>,
    ) -> Result<(), ConfigError> {
        for name in select.iter().flatten().chain(&ignore) {
            if !is_rule_selector(name) {
                return Err(ConfigError {
                    path: None,
                    message: format!("unknown rule `{name}` (see `policylint rules`)"),
                });
            }
        }
        if select.is_some() {
            self.raw.select = select;
        }
        self.raw.ignore.extend(ignore);
        Ok(())
    }

    /// Whether a directory walk skips `path` (relative to the configuration's
    /// folder, or as given).
    pub fn is_excluded(&self, path: &Path) -> bool {
        self.exclude.is_match(self.relative(path))
    }

    /// The format for `path`: a `[format]` glob that matches, else the
    /// extension's.
    pub fn format_for(&self, path: &Path) -> Format {
        self.format_override(path)
            .unwrap_or_else(|| Format::from_path(path))
    }

    /// The format a `[format]` glob gives `path`, if one matches.
    pub fn format_override(&self, path: &Path) -> Option<Format> {
        let relative = self.relative(path);
        let name = Path::new(path.file_name().unwrap_or_default());
        self.formats
            .iter()
            .find(|(set, _)| set.is_match(&relative) || set.is_match(name))
            .map(|&(_, f)| f)
    }

    /// `path` relative to the configuration's folder; as given when it lies
    /// elsewhere or there is no configuration file.
    fn relative(&self, path: &Path) -> PathBuf {
        let Some(root) = self.path.as_deref().and_then(Path::parent) else {
            return path.to_path_buf();
        };
        if let Ok(inside) = path.strip_prefix(root) {
            return inside.to_path_buf();
        }
        // The configuration was found from the file's folder made canonical
        // (`files::config_dir`); a path given relative to the working
        // directory ("ex/drafts/a.md") must be made so too before it can be
        // compared with the configuration's folder.
        absolute(path)
            .and_then(|full| full.strip_prefix(root).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| path.to_path_buf())
    }
}

/// Compiles the `[[rules.custom]]` entries; an error names the entry.
fn custom_rules(raw: &RawRules) -> Result<Vec<Entry>, String> {
    let mut entries: Vec<Entry> = Vec::new();
    for (i, c) in raw.custom.iter().enumerate() {
        let key = format!("rules.custom[{i}]");
        if let Some(first) = entries.iter().position(|e| e.name == c.name) {
            return Err(format!(
                "{key}.name: `{}` is the name of rules.custom[{first}]",
                c.name
            ));
        }
        let entry = Entry::new(
            &c.name,
            &c.pattern,
            &c.message,
            c.severity.as_deref(),
            c.replace.as_deref(),
            c.scope.as_deref(),
        )
        .map_err(|e| format!("{key}.{e}"))?;
        entries.push(entry);
    }
    Ok(entries)
}

/// Compiles the `[terms]` table; an error names the phrase.
fn terms(raw: &RawTerms) -> Result<Terms, String> {
    let mut terms = Terms::default();
    for (phrase, instead) in &raw.prefer {
        terms
            .prefer(phrase, instead)
            .map_err(|e| format!("terms.{e}"))?;
    }
    for (i, forbid) in raw.forbid.iter().enumerate() {
        let (phrase, message) = match forbid {
            RawForbid::Term(phrase) => (phrase, None),
            RawForbid::Explained { term, message } => (term, Some(message.as_str())),
        };
        terms
            .forbid(phrase, message)
            .map_err(|e| format!("terms.forbid[{i}]: {e}"))?;
    }
    Ok(terms)
}

/// Whether `name`, in `select` or `ignore`, names a rule or a category of
/// rules (`spelling`, `words`, `structure`, `style`).
pub fn is_rule_selector(name: &str) -> bool {
    rules::ALL.iter().any(|r| selects(name, r))
}

/// Whether `name`, in `select` or `ignore`, takes in `rule`.
fn selects(name: &str, rule: &Rule) -> bool {
    name == rule.name || name == rule.category.name()
}

/// An error unless `name` names a rule or a category of rules.
fn check_selector(name: &str) -> Result<(), String> {
    if is_rule_selector(name) {
        Ok(())
    } else {
        Err(format!("unknown rule `{name}` (see `policylint rules`)"))
    }
}

fn check_rule_name(name: &str) -> Result<(), String> {
    match rules::by_name(name) {
        Some(_) => Ok(()),
        None => Err(format!("unknown rule `{name}` (see `policylint rules`)")),
    }
}

/// Checks the values of a `[severity]` table, named `key` in errors.
fn check_severities(key: &str, severities: &BTreeMap<String, String>) -> Result<(), String> {
    for (rule, severity) in severities {
        if Severity::from_name(severity).is_none() {
            return Err(format!(
                "{key}.{rule}: unknown severity `{severity}` (expected error, warning, info or hint)"
            ));
        }
    }
    Ok(())
}

/// `path` with its folder made canonical (symbolic links resolved), as
/// configurations are found; `None` when the folder does not exist.
fn absolute(path: &Path) -> Option<PathBuf> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    let dir = fs::canonicalize(dir.unwrap_or(Path::new("."))).ok()?;
    Some(match path.file_name() {
        Some(name) => dir.join(name),
        None => dir,
    })
}

/// JSON without its `null`s, which TOML cannot hold (an unset setting).
fn without_nulls(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        other => other,
    }
}

fn build_globs(globs: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for g in globs {
        builder.add(Glob::new(g).map_err(|e| format!("bad glob `{g}`: {e}"))?);
    }
    builder.build().map_err(|e| e.to_string())
}

/// A TOML error in one line, with the line and column it happened at.
fn describe_toml_error(e: &toml::de::Error, text: &str) -> String {
    let message = e.message().trim_end().to_string();
    match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {message}")
        }
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_selects_every_rule() {
        let c = Config::parse("", None).unwrap();
        assert_eq!(c.rules().len(), rules::ALL.len());
    }

    #[test]
    fn select_ignore_and_severity() {
        let c = Config::parse(
            "select = [\"numbering\", \"repeated-word\"]\nignore = [\"repeated-word\"]\n[severity]\nnumbering = \"error\"\n",
            None,
        )
        .unwrap();
        let names: Vec<&str> = c.rules().iter().map(|r| r.name).collect();
        assert_eq!(names, ["numbering"]);
        assert_eq!(c.severity("numbering"), Some(Severity::Error));
    }

    #[test]
    fn unknown_key_names_the_key_the_file_and_the_line() {
        let e = Config::parse("selct = []\n", Some(Path::new("/p/policylint.toml"))).unwrap_err();
        let s = e.to_string();
        assert!(
            s.starts_with("/p/policylint.toml: line 1, column 1:"),
            "{s}"
        );
        assert!(s.contains("selct"), "{s}");
    }

    #[test]
    fn unknown_rule_and_severity_are_errors() {
        let e = Config::parse("ignore = [\"no-such-rule\"]", None).unwrap_err();
        assert!(e.message.contains("no-such-rule"));
        let e = Config::parse("[severity]\nnumbering = \"loud\"", None).unwrap_err();
        assert!(e.message.contains("loud"));
    }

    #[test]
    fn language_and_dictionary() {
        let dir = std::env::temp_dir().join(format!("policylint-config-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("words.txt"),
            "# project words\nGuangming\n\nnetizen\n",
        )
        .unwrap();
        let path = dir.join(FILE_NAME);
        let c = Config::parse(
            "language = \"en-GB\"\n[dictionary]\nwords = [\"WJH\"]\nfiles = [\"words.txt\"]\n",
            Some(&path),
        )
        .unwrap();
        assert_eq!(c.dialect(), Dialect::British);
        assert_eq!(c.user_words(), ["WJH", "Guangming", "netizen"]);
        let e =
            Config::parse("[dictionary]\nfiles = [\"missing.txt\"]\n", Some(&path)).unwrap_err();
        assert!(e.to_string().contains("missing.txt"), "{e}");
        let e = Config::parse("language = \"fr\"", None).unwrap_err();
        assert!(e.message.contains("unknown language `fr`"));
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn project_confusions() {
        let c = Config::parse(
            "[real-word]\nconfusions = [{ wrong = \"polices\", right = \"policies\", when = \"privacy _\" }]\n",
            None,
        )
        .unwrap();
        assert!(c.confusions().has("polices"));
        let e = Config::parse(
            "[real-word]\nconfusions = [{ wrong = \"a\", right = \"b\", when = \"x\" }]\n",
            None,
        )
        .unwrap_err();
        assert!(
            e.message
                .contains("real-word.confusions[0]: when: pattern `x` has no `_`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn editor_settings_override_the_file() {
        let file = "ignore = [\"repeated-word\"]\n[severity]\nnumbering = \"error\"\nempty-section = \"info\"\n";
        let overrides = serde_json::json!({
            "severity": { "numbering": "hint" },
            "dictionary": { "words": ["WJH"] },
            "language": null,
        });
        let c = Config::with_overrides(file, None, &overrides).unwrap();
        assert_eq!(c.severity("numbering"), Some(Severity::Hint));
        assert_eq!(c.severity("empty-section"), Some(Severity::Info));
        assert_eq!(c.user_words(), ["WJH"]);
        assert!(!c.rules().iter().any(|r| r.name == "repeated-word"));
        // Word lists add up, other lists replace.
        let file = "select = [\"misspelling\", \"article\"]\n[dictionary]\nwords = [\"Guangming\", \"WJH\"]\n";
        let overrides = serde_json::json!({
            "select": ["misspelling"],
            "dictionary": { "words": ["WJH", "netizen"] },
        });
        let c = Config::with_overrides(file, None, &overrides).unwrap();
        assert_eq!(c.user_words(), ["Guangming", "WJH", "netizen"]);
        assert_eq!(c.rules().len(), 1);
        let e = Config::with_overrides("", None, &serde_json::json!({ "selct": [] })).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("configuration: settings: unknown field `selct`"),
            "{e}"
        );
    }

    #[test]
    fn categories_select_and_ignore_their_rules() {
        let names = |c: &Config| c.rules().iter().map(|r| r.name).collect::<Vec<_>>();
        let c = Config::parse("select = [\"spelling\", \"article\"]", None).unwrap();
        assert_eq!(names(&c), ["misspelling", "article"]);
        let c =
            Config::parse("ignore = [\"structure\", \"style\", \"suppression\"]", None).unwrap();
        assert_eq!(
            names(&c),
            ["misspelling", "real-word", "article", "repeated-word"]
        );
        let c = Config::parse(
            "[[overrides]]\nfiles = [\"legal/**\"]\nignore = [\"spelling\"]\n",
            None,
        )
        .unwrap();
        let for_legal = c.rules_for(Path::new("legal/terms.md"));
        assert!(!for_legal.iter().any(|r| r.name == "misspelling"));
        assert!(for_legal.iter().any(|r| r.name == "real-word"));
        let mut c = Config::default();
        c.restrict(Some(vec!["words".into()]), vec!["article".into()])
            .unwrap();
        assert_eq!(names(&c), ["real-word", "repeated-word"]);
        // A category's name is never a rule's, so `select` means one thing.
        for r in rules::ALL {
            assert!(rules::by_name(r.category.name()).is_none(), "{}", r.name);
        }
        let e = Config::parse("[severity]\nspelling = \"info\"", None).unwrap_err();
        assert!(e.message.contains("unknown rule `spelling`"), "{e}");
    }

    #[test]
    fn overrides_change_the_rules_and_severities_of_their_files() {
        let c = Config::parse(
            "ignore = [\"article\"]\n[severity]\nnumbering = \"error\"\n\n\
             [[overrides]]\nfiles = [\"legal/**\"]\nignore = [\"misspelling\"]\nseverity = { numbering = \"info\" }\n\n\
             [[overrides]]\nfiles = [\"legal/old/*.md\", \"notes.md\"]\nseverity = { numbering = \"hint\" }\n",
            Some(Path::new("/p/policylint.toml")),
        )
        .unwrap();
        let runs =
            |path: &str, rule: &str| c.rules_for(Path::new(path)).iter().any(|r| r.name == rule);
        assert!(!runs("/p/legal/terms.md", "misspelling"));
        assert!(runs("/p/legal/terms.md", "numbering"));
        assert!(runs("/p/other/terms.md", "misspelling"));
        assert!(!runs("/p/other/terms.md", "article"));
        // A path relative to the configuration's folder, as a walk from it
        // names files.
        assert!(!runs("legal/terms.md", "misspelling"));
        let severity = |path: &str| c.severity_for(Path::new(path), "numbering");
        assert_eq!(severity("/p/legal/terms.md"), Some(Severity::Info));
        assert_eq!(severity("/p/legal/old/terms.md"), Some(Severity::Hint));
        assert_eq!(severity("/p/notes.md"), Some(Severity::Hint));
        assert_eq!(severity("/p/terms.md"), Some(Severity::Error));
    }

    #[test]
    fn suppress_entries_name_their_files() {
        let c = Config::parse(
            "[[suppress]]\npath = \"legal/*.txt\"\nrule = \"misspelling\"\ntext = \"Guangming\"\n\n\
             [[suppress]]\npath = \"legal/terms.txt\"\nrule = \"numbering\"\nline = 12\n",
            Some(Path::new("/p/policylint.toml")),
        )
        .unwrap();
        let found = c.suppressions_for(Path::new("/p/legal/terms.txt"));
        assert_eq!(
            found,
            [
                Suppress {
                    rule: rules::by_name("misspelling").unwrap(),
                    text: Some("Guangming".into()),
                    line: None,
                },
                Suppress {
                    rule: rules::by_name("numbering").unwrap(),
                    text: None,
                    line: Some(12),
                },
            ]
        );
        assert_eq!(c.suppressions_for(Path::new("/p/legal/other.txt")).len(), 1);
        assert!(c.suppressions_for(Path::new("/p/terms.txt")).is_empty());
    }

    #[test]
    fn bad_overrides_and_suppress_entries_are_named() {
        let error = |text: &str| Config::parse(text, None).unwrap_err().message;
        assert_eq!(
            error("[[overrides]]\nfiles = []\n"),
            "overrides[0].files: no glob given"
        );
        assert_eq!(
            error(
                "[[overrides]]\nfiles = [\"a\"]\n[[overrides]]\nfiles = [\"b\"]\nignore = [\"numbring\"]\n"
            ),
            "overrides[1]: unknown rule `numbring` (see `policylint rules`)"
        );
        assert!(
            error("[[overrides]]\nfiles = [\"a\"]\nseverity = { numbering = \"loud\" }\n")
                .starts_with("overrides[0].severity.numbering: unknown severity `loud`")
        );
        assert!(
            error("[[overrides]]\nfiles = [\"a\"]\nselect = [\"numbering\"]\n")
                .contains("unknown field `select`")
        );
        assert!(
            error("[[overrides]]\nfiles = [\"a[\"]\n")
                .starts_with("overrides[0].files: bad glob `a[`")
        );
        assert_eq!(
            error("[[suppress]]\npath = \"a.txt\"\nrule = \"x\"\n"),
            "suppress[0].rule: unknown rule `x` (see `policylint rules`)"
        );
        assert_eq!(
            error("[[suppress]]\npath = \"a.txt\"\nrule = \"numbering\"\nline = 0\n"),
            "suppress[0].line: lines count from 1"
        );
        assert!(error("[[suppress]]\npath = \"a.txt\"\n").contains("missing field `rule`"));
    }

    #[test]
    fn format_globs_override_extensions() {
        let c = Config::parse("[format]\n\"*.txt\" = \"markdown\"", None).unwrap();
        assert_eq!(c.format_for(Path::new("a/b.txt")), Format::Markdown);
        assert_eq!(c.format_for(Path::new("a/b.text")), Format::Plain);
    }
}
