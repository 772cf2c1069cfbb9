//! The lists of rules written outside the code (the README's table, the
//! VS Code extension's settings) name exactly the rules of the registry.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use policylint::rules::ALL;

fn read(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

#[test]
fn the_readme_table_lists_every_rule_with_its_category() {
    let readme = read("README.md");
    let listed: BTreeSet<(String, String)> = readme
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let name = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            let category = cells.get(2)?;
            ALL.iter()
                .any(|r| r.category.name() == *category || r.name == name)
                .then(|| (name.to_string(), category.to_string()))
        })
        .collect();
    let registry: BTreeSet<(String, String)> = ALL
        .iter()
        .map(|r| (r.name.to_string(), r.category.name().to_string()))
        .collect();
    assert_eq!(listed, registry);
}

#[test]
fn the_vscode_settings_offer_every_rule_in_registry_order() {
    let manifest: serde_json::Value =
        serde_json::from_str(&read("editors/vscode/package.json")).expect("valid JSON");
    let settings = &manifest["contributes"]["configuration"]["properties"];
    let registry: Vec<&str> = ALL.iter().map(|r| r.name).collect();
    for (setting, list) in [
        (
            "policylint.select",
            &settings["policylint.select"]["items"]["enum"],
        ),
        (
            "policylint.ignore",
            &settings["policylint.ignore"]["items"]["enum"],
        ),
        (
            "policylint.severity",
            &settings["policylint.severity"]["propertyNames"]["enum"],
        ),
    ] {
        let names: Vec<&str> = list
            .as_array()
            .unwrap_or_else(|| panic!("{setting} lists rules"))
            .iter()
            .map(|v| v.as_str().expect("rule names are strings"))
            .collect();
        assert_eq!(names, registry, "{setting}");
    }
}
