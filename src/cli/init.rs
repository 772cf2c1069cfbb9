//! `policylint init`: a commented `policylint.toml` to start from.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::config::FILE_NAME;

/// The file `init` writes: every setting commented out (`#key`, no space,
/// where prose comments have one), so that it changes nothing until one is
/// taken in.
pub const TEMPLATE: &str = include_str!("init.toml");

/// Writes [`TEMPLATE`] to `policylint.toml` in `dir`; an existing file is
/// an error and is left as it is.
pub fn init(dir: &Path, out: &mut dyn Write) -> Result<(), String> {
    let path = dir.join(FILE_NAME);
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => {
                format!("{FILE_NAME} already exists here; it was left as it is")
            }
            _ => format!("cannot create {FILE_NAME}: {e}"),
        })?;
    file.write_all(TEMPLATE.as_bytes())
        .map_err(|e| format!("cannot write {FILE_NAME}: {e}"))?;
    let _ = writeln!(
        out,
        "Wrote {FILE_NAME}, every setting commented out: remove the `#` before one to use it."
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn the_template_loads_and_changes_nothing() {
        let c = Config::parse(TEMPLATE, None).unwrap();
        assert_eq!(c.rules().len(), crate::rules::ALL.len());
        assert!(c.user_words().is_empty());
    }

    #[test]
    fn every_setting_of_the_template_loads_when_taken_in() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("words.txt"), "Guangming\n").unwrap();
        let taken_in: String = TEMPLATE
            .lines()
            .map(|l| match l.strip_prefix('#') {
                Some(setting) if !setting.is_empty() && !setting.starts_with(' ') => setting,
                _ => l,
            })
            .map(|l| format!("{l}\n"))
            .collect();
        let path = dir.path().join(FILE_NAME);
        let c = Config::parse(&taken_in, Some(&path)).unwrap_or_else(|e| panic!("{e}"));
        // Every key of the file is there.
        for key in [
            "select",
            "ignore",
            "exclude",
            "language",
            "[severity]",
            "[format]",
            "[acronyms]",
            "[dictionary]",
            "[real-word]",
        ] {
            assert!(TEMPLATE.contains(&format!("\n#{key}")), "{key}");
        }
        assert_eq!(c.user_words(), ["netizen", "Guangming"]);
        assert!(c.confusions().has("polices"));
        assert!(c.is_excluded(&dir.path().join("drafts/a.md")));
    }

    #[test]
    fn an_existing_file_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let mut out = Vec::new();
        init(dir.path(), &mut out).unwrap();
        let path = dir.path().join(FILE_NAME);
        assert_eq!(fs::read_to_string(&path).unwrap(), TEMPLATE);
        fs::write(&path, "select = []\n").unwrap();
        let e = init(dir.path(), &mut out).unwrap_err();
        assert_eq!(
            e,
            "policylint.toml already exists here; it was left as it is"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "select = []\n");
    }
}
