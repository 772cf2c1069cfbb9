//! Finding the files to check and reading them safely.
//!
//! Directories are walked with `.gitignore` and hidden-file rules respected;
//! only text formats policylint reads are taken from a walk, and binary
//! files met there are skipped. A file named explicitly is always read, and
//! any problem with it (missing, unreadable, binary, not UTF-8) is an error
//! that names it.

use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

use crate::config::Config;
use crate::rules::translation_mismatch::{self, Reference};
use crate::syntax::Document;

/// Extensions taken from a directory walk.
pub const EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd", "mkdn", "txt", "text"];

/// How many leading bytes are inspected for NUL bytes to call a file binary.
const BINARY_SNIFF: usize = 8000;

/// A file to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub path: PathBuf,
    /// Named on the command line (rather than found in a walk).
    pub explicit: bool,
}

/// A problem with one path.
#[derive(Debug)]
pub struct FileError {
    pub path: PathBuf,
    pub kind: FileErrorKind,
}

#[derive(Debug)]
pub enum FileErrorKind {
    Io(io::Error),
    Binary,
    InvalidUtf8 {
        offset: usize,
    },
    /// A walk met a problem (permission denied, a symlink loop).
    Walk(String),
    /// The file changed between reading and fixing it.
    Changed,
    /// The file is read-only and was not fixed.
    ReadOnly,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match &self.kind {
            FileErrorKind::Io(e) if e.kind() == io::ErrorKind::NotFound => {
                write!(f, "{path}: no such file or directory")
            }
            FileErrorKind::Io(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                write!(f, "{path}: permission denied")
            }
            FileErrorKind::Io(e) => write!(f, "{path}: {e}"),
            FileErrorKind::Binary => write!(f, "{path}: binary file, not checked"),
            FileErrorKind::InvalidUtf8 { offset } => {
                write!(
                    f,
                    "{path}: not valid UTF-8 (first bad byte at offset {offset})"
                )
            }
            FileErrorKind::Walk(message) => write!(f, "{path}: {message}"),
            FileErrorKind::Changed => write!(f, "{path}: changed since it was read; not fixed"),
            FileErrorKind::ReadOnly => write!(f, "{path}: read-only; not fixed"),
        }
    }
}

impl std::error::Error for FileError {}

/// Expands `paths` into the files to check, in a stable order. `exclude`
/// decides (per path) whether a walk skips it.
pub fn discover(
    paths: &[PathBuf],
    exclude: &dyn Fn(&Path) -> bool,
) -> (Vec<Target>, Vec<FileError>) {
    let mut targets = Vec::new();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for path in paths {
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, exclude, &mut seen, &mut targets, &mut errors),
            Ok(_) => {
                if first_time(&mut seen, path) {
                    targets.push(Target {
                        path: path.clone(),
                        explicit: true,
                    });
                }
            }
            Err(e) => errors.push(FileError {
                path: path.clone(),
                kind: FileErrorKind::Io(e),
            }),
        }
    }
    (targets, errors)
}

/// Whether `path` is met for the first time: a file reached twice (named
/// and walked, or through a symbolic link) is checked once.
fn first_time(seen: &mut HashSet<PathBuf>, path: &Path) -> bool {
    seen.insert(fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// Walks `dir` following symbolic links (documents are often linked in from
/// elsewhere); a link back to an ancestor is reported, not followed.
fn walk(
    dir: &Path,
    exclude: &dyn Fn(&Path) -> bool,
    seen: &mut HashSet<PathBuf>,
    targets: &mut Vec<Target>,
    errors: &mut Vec<FileError>,
) {
    let walker = WalkBuilder::new(dir)
        .require_git(false)
        .follow_links(true)
        .sort_by_file_path(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && has_text_extension(path) && !exclude(path) && first_time(seen, path) {
                    // `policylint .` names files `a.md`, not `./a.md`.
                    let path = path.strip_prefix(".").unwrap_or(path);
                    targets.push(Target {
                        path: path.to_path_buf(),
                        explicit: false,
                    });
                }
            }
            Err(e) => {
                let path = error_path(&e).unwrap_or_else(|| dir.to_path_buf());
                errors.push(FileError {
                    path,
                    kind: FileErrorKind::Walk(walk_message(&e)),
                });
            }
        }
    }
}

fn has_text_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn error_path(e: &ignore::Error) -> Option<PathBuf> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn walk_message(e: &ignore::Error) -> String {
    match e {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
            walk_message(err)
        }
        ignore::Error::Loop { ancestor, .. } => {
            format!("symbolic link loop back to {}", ancestor.display())
        }
        ignore::Error::Io(io) if io.kind() == io::ErrorKind::PermissionDenied => {
            "permission denied".into()
        }
        other => other.to_string(),
    }
}

/// The reference document of the translation at `path`, read and parsed,
/// when the configuration names a reference folder (`[translations]`),
/// `linter` runs `translation-mismatch` and the reference file exists.
pub fn translation_reference(
    config: &Config,
    path: &Path,
    linter: &super::Linter,
) -> Result<Option<Reference>, FileError> {
    let Some(folder) = config.translation_reference() else {
        return Ok(None);
    };
    if !linter.rules().any(|r| r == &translation_mismatch::RULE) {
        return Ok(None);
    }
    let Some((reference, translation)) = reference_of(path, folder) else {
        return Ok(None);
    };
    let text = read_text(&reference)?;
    let doc = Document::parse(text, config.format_for(&reference));
    Ok(Some(Reference {
        path: reference,
        doc,
        language: folder.to_string(),
        translation,
    }))
}

/// The reference of the translation at `path` (`de/legal/terms.md`):
/// the file at the same path under the sibling folder named `reference`
/// (`en/legal/terms.md`), with the translation's folder name (`de`). The
/// nearest folder above the file that has such a sibling wins; a file under
/// the reference folder itself has none.
pub fn reference_of(path: &Path, reference: &str) -> Option<(PathBuf, String)> {
    for language in path.ancestors().skip(1) {
        let name = language.file_name()?.to_str()?;
        if name == reference {
            return None;
        }
        let Ok(rest) = path.strip_prefix(language) else {
            continue;
        };
        let candidate = language
            .parent()
            .unwrap_or(Path::new(""))
            .join(reference)
            .join(rest);
        if candidate.is_file() {
            return Some((candidate, name.to_string()));
        }
    }
    None
}

/// A file's text, checked: not binary, valid UTF-8.
pub fn read_text(path: &Path) -> Result<String, FileError> {
    let bytes = fs::read(path).map_err(|e| FileError {
        path: path.to_path_buf(),
        kind: FileErrorKind::Io(e),
    })?;
    decode(path, bytes)
}

/// Checks `bytes` read from `path`: binary data and invalid UTF-8 are errors.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, FileError> {
    let error = |kind| FileError {
        path: path.to_path_buf(),
        kind,
    };
    if bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0) {
        return Err(error(FileErrorKind::Binary));
    }
    String::from_utf8(bytes).map_err(|e| {
        error(FileErrorKind::InvalidUtf8 {
            offset: e.utf8_error().valid_up_to(),
        })
    })
}

/// Replaces the file at `path`, which held `original` when it was read, by
/// `new`: written to a temporary file in the same folder with the same
/// permissions, then renamed over it, so that the file is never half
/// written. Refuses a file that changed since it was read or is read-only.
pub fn write_fixed(path: &Path, original: &[u8], new: &[u8]) -> Result<(), FileError> {
    let error = |kind| FileError {
        path: path.to_path_buf(),
        kind,
    };
    let meta = fs::metadata(path).map_err(|e| error(FileErrorKind::Io(e)))?;
    if meta.permissions().readonly() {
        return Err(error(FileErrorKind::ReadOnly));
    }
    let current = fs::read(path).map_err(|e| error(FileErrorKind::Io(e)))?;
    if current != original {
        return Err(error(FileErrorKind::Changed));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".policylint-")
        .tempfile_in(dir)
        .map_err(|e| error(FileErrorKind::Io(e)))?;
    io::Write::write_all(&mut temp, new).map_err(|e| error(FileErrorKind::Io(e)))?;
    temp.as_file()
        .set_permissions(meta.permissions())
        .map_err(|e| error(FileErrorKind::Io(e)))?;
    temp.as_file()
        .sync_all()
        .map_err(|e| error(FileErrorKind::Io(e)))?;
    temp.persist(path)
        .map_err(|e| error(FileErrorKind::Io(e.error)))?;
    Ok(())
}

/// The configuration that applies to `path`: `--config`/`--no-config` win,
/// else the nearest `policylint.toml` above the file.
pub fn config_dir(path: &Path) -> PathBuf {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// Finds and loads the configuration for files in `dir`.
pub fn config_for_dir(dir: &Path) -> Result<Config, crate::config::ConfigError> {
    match Config::find(dir) {
        Some(path) => Config::load(&path),
        None => Ok(Config::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_gone_between_listing_and_reading_is_named() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.txt", "b.txt"] {
            fs::write(dir.path().join(name), "Title\n").unwrap();
        }
        let (targets, errors) = discover(&[dir.path().to_path_buf()], &|_| false);
        assert!(errors.is_empty());
        assert_eq!(targets.len(), 2);
        fs::remove_file(dir.path().join("a.txt")).unwrap();
        let e = read_text(&targets[0].path).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{}: no such file or directory", targets[0].path.display())
        );
        assert_eq!(read_text(&targets[1].path).unwrap(), "Title\n");
    }

    #[test]
    fn binary_and_bad_utf8_are_named() {
        let p = Path::new("x.txt");
        let e = decode(p, b"ab\0cd".to_vec()).unwrap_err();
        assert_eq!(e.to_string(), "x.txt: binary file, not checked");
        let e = decode(p, b"abc\xffdef".to_vec()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.txt: not valid UTF-8 (first bad byte at offset 3)"
        );
        assert_eq!(decode(p, "héllo".as_bytes().to_vec()).unwrap(), "héllo");
    }

    #[test]
    fn a_translation_is_paired_with_the_same_path_under_the_reference_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in ["en/legal/terms.md", "de/legal/terms.md", "de/only.md"] {
            fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            fs::write(root.join(file), "x").unwrap();
        }
        assert_eq!(
            reference_of(&root.join("de/legal/terms.md"), "en"),
            Some((root.join("en/legal/terms.md"), "de".to_string()))
        );
        assert_eq!(reference_of(&root.join("de/only.md"), "en"), None);
        assert_eq!(reference_of(&root.join("en/legal/terms.md"), "en"), None);
        assert_eq!(reference_of(Path::new("-"), "en"), None);
    }

    #[test]
    fn fixed_files_are_replaced_whole_and_only_if_unchanged() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_fixed(&path, b"old", b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let e = write_fixed(&path, b"old", b"newer").unwrap_err();
        assert!(matches!(e.kind, FileErrorKind::Changed));
        assert_eq!(fs::read(&path).unwrap(), b"new");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o440)).unwrap();
        let e = write_fixed(&path, b"new", b"newer").unwrap_err();
        assert!(matches!(e.kind, FileErrorKind::ReadOnly));
        let leftovers = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }

    #[test]
    fn walks_respect_gitignore_and_extensions() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join(".gitignore"), "skip.md\n").unwrap();
        fs::write(root.join("a.md"), "x").unwrap();
        fs::write(root.join("skip.md"), "x").unwrap();
        fs::write(root.join("b.txt"), "x").unwrap();
        fs::write(root.join("c.pdf"), "x").unwrap();
        let (targets, errors) = discover(&[root.to_path_buf()], &|_| false);
        assert!(errors.is_empty());
        let names: Vec<_> = targets
            .iter()
            .map(|t| t.path.file_name().unwrap().to_str().unwrap().to_string())
            .collect();
        assert_eq!(names, ["a.md", "b.txt"]);
    }
}
