//! The layers ARCHITECTURE.md describes, checked where the compiler does
//! not check them (one crate): the engine (syntax, lexicon, rules, lint,
//! config, ide) names none of the faces (lsp, cli, report) nor a crate only
//! they use, and the document model and the word lists name nothing of the
//! engine above them.

use std::fs;
use std::path::{Path, PathBuf};

const FACES: &[&str] = &[
    "crate::lsp",
    "crate::cli",
    "crate::report",
    "tower_lsp_server",
    "tokio",
    "ropey",
    "clap",
    "codespan_reporting",
];
const ABOVE_THE_MODEL: &[&str] = &[
    "crate::lexicon",
    "crate::rules",
    "crate::lint",
    "crate::config",
    "crate::ide",
];

#[test]
fn the_engine_names_no_face_and_the_model_nothing_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut crossings = Vec::new();
    for (module, forbidden) in [
        ("syntax", [FACES, ABOVE_THE_MODEL].concat()),
        (
            "lexicon",
            [FACES, ABOVE_THE_MODEL, &["crate::syntax"]].concat(),
        ),
        ("rules", FACES.to_vec()),
        ("lint", FACES.to_vec()),
        ("config.rs", FACES.to_vec()),
        ("ide.rs", FACES.to_vec()),
        ("hashing.rs", FACES.to_vec()),
    ] {
        for file in rust_files(&src.join(module)) {
            let text = fs::read_to_string(&file).expect("readable source");
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                for name in &forbidden {
                    if mentions(code, name) {
                        crossings.push(format!("{}:{}: {name}", file.display(), n + 1));
                    }
                }
            }
        }
    }
    assert!(
        crossings.is_empty(),
        "layers crossed:\n{}",
        crossings.join("\n")
    );
}

#[test]
fn a_crossing_is_seen() {
    assert!(mentions("use crate::lsp::Server;", "crate::lsp"));
    assert!(mentions("    tokio::spawn(x)", "tokio"));
    assert!(!mentions("use crate::lspx;", "crate::lsp"));
    assert!(!mentions("let tokiono = 1;", "tokio"));
}

/// Whether `code` names the path `name` (not a longer identifier).
fn mentions(code: &str, name: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    code.match_indices(name).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + name.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

fn rust_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut files = Vec::new();
    for entry in fs::read_dir(path).expect("readable folder") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}
