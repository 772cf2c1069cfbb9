//! The texts the benches measure: the clean policy corpus
//! (`../shared/corpus/clean`), or the documents in `seeds/` when that is
//! absent.

use std::fs;
use std::path::{Path, PathBuf};

/// The folder read (as the user would name it) and its Markdown and text
/// files, in order.
pub fn sources() -> (&'static str, Vec<PathBuf>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../shared/corpus/clean");
    if corpus.is_dir() {
        ("../shared/corpus/clean", files(&corpus))
    } else {
        ("seeds", files(&root.join("seeds")))
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("readable folder") {
            let path = entry.expect("readable entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("md" | "txt")
            ) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
