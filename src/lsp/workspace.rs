//! The workspace's configuration: `policylint.toml` in the root, with the
//! editor's settings on top, and the edits the "add to dictionary" and
//! "disable rule" actions make to that file.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;
use toml_edit::{Array, DocumentMut, Item, Table};

use crate::config::{self, Config, ConfigError};
use crate::lint::files;

/// How long to wait after a change before checking, unless configured.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(100);

/// Editor settings, split into what the server itself uses and what goes
/// to the configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Keys of `policylint.toml`, overriding the file's.
    pub overrides: Value,
    pub debounce: Duration,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            overrides: Value::Object(Default::default()),
            debounce: DEFAULT_DEBOUNCE,
        }
    }
}

impl Settings {
    /// Reads `initializationOptions` or `workspace/didChangeConfiguration`
    /// settings: an object with the configuration's keys and `debounce_ms`,
    /// either directly or under a `policylint` key.
    pub fn from_json(value: Option<&Value>) -> Settings {
        let mut settings = Settings::default();
        let Some(value) = value else {
            return settings;
        };
        let object = value.get("policylint").unwrap_or(value);
        let Value::Object(map) = object else {
            return settings;
        };
        let mut map = map.clone();
        for key in ["debounce_ms", "debounceMs"] {
            if let Some(ms) = map.remove(key).and_then(|v| v.as_u64()) {
                settings.debounce = Duration::from_millis(ms);
            }
        }
        settings.overrides = Value::Object(map);
        settings
    }

    /// Whether a settings value holds any setting: not `null`, `{}` or
    /// `{"policylint": {}}`.
    pub fn says_anything(value: &Value) -> bool {
        let value = value.get("policylint").unwrap_or(value);
        match value {
            Value::Null => false,
            Value::Object(map) => !map.is_empty(),
            _ => true,
        }
    }
}

/// The configuration file of a workspace rooted at `root`.
pub fn config_path(root: &Path) -> PathBuf {
    root.join(config::FILE_NAME)
}

/// The workspace's configuration: its file (if any) with `settings` on top.
pub fn load(root: Option<&Path>, settings: &Settings) -> Result<Config, ConfigError> {
    let path = root.map(config_path).filter(|p| p.is_file());
    let text = match &path {
        Some(p) => fs::read_to_string(p).map_err(|e| ConfigError {
            path: Some(p.clone()),
            message: format!("cannot read: {e}"),
        })?,
        None => String::new(),
    };
    // Relative dictionary files are found beside the configuration, even
    // when there is no file yet.
    let anchor = path.or_else(|| root.map(config_path));
    Config::with_overrides(&text, anchor.as_deref(), &settings.overrides)
}

/// Adds `word` to `[dictionary] words` of the configuration file, creating
/// the file if needed; its formatting and comments are kept.
pub fn add_word(path: &Path, word: &str) -> Result<(), String> {
    edit(path, |doc| {
        let dictionary = doc
            .entry("dictionary")
            .or_insert_with(|| Item::Table(Table::new()));
        let Some(table) = dictionary.as_table_like_mut() else {
            return Err("`dictionary` is not a table".into());
        };
        push_unique(
            table
                .entry("words")
                .or_insert(Item::Value(Array::new().into())),
            word,
        )
    })
}

/// Adds `rule` to the top-level `ignore` list of the configuration file.
pub fn disable_rule(path: &Path, rule: &str) -> Result<(), String> {
    edit(path, |doc| {
        let root = doc.as_table_mut();
        // A new top-level key must come before the file's tables.
        let item = match root.get_mut("ignore") {
            Some(item) => item,
            None => {
                root.insert("ignore", Item::Value(Array::new().into()));
                root.sort_values_by(|a, _, b, _| (a.get() != "ignore").cmp(&(b.get() != "ignore")));
                root.get_mut("ignore").expect("just inserted")
            }
        };
        push_unique(item, rule)
    })
}

fn push_unique(item: &mut Item, value: &str) -> Result<(), String> {
    let Some(array) = item.as_array_mut() else {
        return Err("expected a list".into());
    };
    if !array.iter().any(|v| v.as_str() == Some(value)) {
        array.push(value);
    }
    Ok(())
}

/// Reads the file (or starts empty), edits it, writes it back whole.
fn edit(
    path: &Path,
    change: impl FnOnce(&mut DocumentMut) -> Result<(), String>,
) -> Result<(), String> {
    let describe = |message: String| format!("{}: {message}", path.display());
    let original = match fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(describe(e.to_string())),
    };
    let mut doc: DocumentMut = original
        .as_deref()
        .unwrap_or("")
        .parse()
        .map_err(|e: toml_edit::TomlError| describe(e.to_string()))?;
    change(&mut doc).map_err(describe)?;
    let new = doc.to_string();
    match original {
        Some(old) => {
            files::write_fixed(path, old.as_bytes(), new.as_bytes()).map_err(|e| e.to_string())
        }
        None => fs::write(path, new).map_err(|e| describe(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_read_debounce_and_overrides() {
        let s = Settings::from_json(Some(&serde_json::json!({
            "policylint": { "debounce_ms": 250, "ignore": ["article"] }
        })));
        assert_eq!(s.debounce, Duration::from_millis(250));
        assert_eq!(s.overrides, serde_json::json!({ "ignore": ["article"] }));
        assert_eq!(Settings::from_json(None).debounce, DEFAULT_DEBOUNCE);
    }

    #[test]
    fn words_and_rules_are_added_keeping_comments() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policylint.toml");
        add_word(&path, "Guangming").unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "[dictionary]\nwords = [\"Guangming\"]\n"
        );
        fs::write(&path, "# our settings\n[severity]\nnumbering = \"error\" # strict\n\n[dictionary]\nwords = [\"WJH\"]\n").unwrap();
        add_word(&path, "netizen").unwrap();
        add_word(&path, "netizen").unwrap();
        disable_rule(&path, "article").unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "ignore = [\"article\"]\n# our settings\n[severity]\nnumbering = \"error\" # strict\n\n[dictionary]\nwords = [\"WJH\", \"netizen\"]\n"
        );
        let config = Config::load(&path).unwrap();
        assert_eq!(config.user_words(), ["WJH", "netizen"]);
        assert!(!config.rules().iter().any(|r| r.name == "article"));
    }
}
