//! Every document in `seeds/` (real policy texts) and `tests/layouts/`
//! (texts of our own in the layouts real documents use) gives exactly its
//! expected findings (`NAME.expected.tsv`) and outline
//! (`NAME.outline.json`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The folders of documents with expectations.
const FOLDERS: &[&str] = &["seeds", "tests/layouts"];

fn documents() -> Vec<PathBuf> {
    let mut docs = Vec::new();
    for folder in FOLDERS {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        let mut found: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("readable entry").path())
            .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "md")))
            .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
            .collect();
        found.sort();
        assert!(!found.is_empty(), "no documents in {}", dir.display());
        docs.extend(found);
    }
    docs
}

fn policylint(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_policylint"))
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "policylint {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn findings_match_the_expected_files() {
    for doc in documents() {
        let expected_path = doc.with_extension("expected.tsv");
        let expected = fs::read_to_string(&expected_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        let json = policylint(&[
            "check",
            "--no-config",
            "--output-format",
            "json",
            doc.to_str().unwrap(),
        ]);
        let findings: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
        let got: Vec<String> = findings
            .iter()
            .map(|f| {
                format!(
                    "{}\t{}\t{}\t{}\t{}",
                    f["line"],
                    f["column"],
                    f["severity"].as_str().unwrap(),
                    f["rule"].as_str().unwrap(),
                    f["text"].as_str().unwrap()
                )
            })
            .collect();
        let want: Vec<&str> = expected.lines().skip(1).collect();
        assert_eq!(got, want, "findings on {}", doc.display());
    }
}

#[test]
fn outlines_match_the_expected_files() {
    for doc in documents() {
        let expected_path = doc.with_extension("outline.json");
        let expected = fs::read_to_string(&expected_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        let got = policylint(&["outline", "--output-format", "json", doc.to_str().unwrap()]);
        let got: serde_json::Value = serde_json::from_str(&got).unwrap();
        let want: serde_json::Value = serde_json::from_str(&expected).unwrap();
        assert_eq!(got, want, "outline of {}", doc.display());
    }
}
