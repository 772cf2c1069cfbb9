//! The README's examples of `policylint.toml` load as they are written.

use std::fs;
use std::path::Path;

use policylint::config::Config;

/// The README's TOML blocks, with the line each starts on; blocks marked
/// `<!-- snippet: NAME -->` are other programs' files (an editor's), which
/// `tests/editors/snippet.py` checks.
fn policylint_toml_blocks(readme: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut lines = readme.lines().enumerate().peekable();
    let mut previous = "";
    while let Some((number, line)) = lines.next() {
        if line.trim() == "```toml" && !previous.starts_with("<!-- snippet:") {
            let mut block = String::new();
            for (_, inner) in lines.by_ref() {
                if inner.trim() == "```" {
                    break;
                }
                block.push_str(inner);
                block.push('\n');
            }
            blocks.push((number + 1, block));
        }
        previous = line.trim();
    }
    blocks
}

#[test]
fn every_configuration_example_loads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(root.join("README.md")).expect("README.md is readable");
    let blocks = policylint_toml_blocks(&readme);
    assert!(!blocks.is_empty(), "the README shows a configuration");
    for (line, block) in blocks {
        let dir = tempfile::tempdir().expect("a temporary directory");
        // The word lists an example names exist in a real project.
        let table: toml::Table =
            toml::from_str(&block).unwrap_or_else(|e| panic!("README.md:{line}: not TOML: {e}"));
        let files = table
            .get("dictionary")
            .and_then(|d| d.get("files"))
            .and_then(|f| f.as_array())
            .cloned()
            .unwrap_or_default();
        for file in files.iter().filter_map(|f| f.as_str()) {
            fs::write(dir.path().join(file), "").expect("a word list");
        }
        let path = dir.path().join("policylint.toml");
        fs::write(&path, &block).expect("the configuration is written");
        if let Err(e) = Config::load(&path) {
            panic!("README.md:{line}: the example does not load: {e}\n{block}");
        }
    }
}

#[test]
fn a_misplaced_key_is_caught() {
    let readme = "Text\n\n```toml\n[acronyms]\nknown = [\"GSA\"]\n\nlanguage = \"en-GB\"\n```\n";
    let blocks = policylint_toml_blocks(readme);
    assert_eq!(blocks.len(), 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policylint.toml");
    fs::write(&path, &blocks[0].1).unwrap();
    assert!(Config::load(&path).is_err());
}
