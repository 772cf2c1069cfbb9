//! The `policylint` binary: exit codes, output formats, configuration and
//! bad input.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_policylint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    pipe.write_all(stdin.unwrap_or_default())
        .expect("stdin accepts input");
    drop(pipe);
    let out = child.wait_with_output().expect("the binary finishes");
    Run {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_in(dir, args, None)
}

const CLEAN: &str = "Privacy Policy\n\nWe keep your data safe.\n";
const TWO_PROBLEMS: &str = "Privacy Policy\n\nBy:\n\nWe keep the the data safe.\n";

fn workspace(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (name, content) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }
    dir
}

#[test]
fn exit_codes() {
    let dir = workspace(&[
        ("clean.txt", CLEAN.as_bytes()),
        ("bad.txt", TWO_PROBLEMS.as_bytes()),
    ]);
    assert_eq!(run(dir.path(), &["clean.txt"]).code, 0);
    assert_eq!(run(dir.path(), &["check", "bad.txt"]).code, 1);
    let r = run(dir.path(), &["missing.txt", "bad.txt"]);
    assert_eq!(r.code, 2, "an I/O error wins over findings");
    assert!(
        r.stderr.contains("missing.txt: no such file or directory"),
        "{}",
        r.stderr
    );
    assert!(
        r.stdout.contains("bad.txt"),
        "the other file is still checked: {}",
        r.stdout
    );
}

#[test]
fn concise_format() {
    let dir = workspace(&[("bad.txt", TWO_PROBLEMS.as_bytes())]);
    let r = run(dir.path(), &["--output-format", "concise", "bad.txt"]);
    assert_eq!(
        r.stdout,
        "bad.txt:3:1: warning[empty-metadata] `By:` has no value\n\
         bad.txt:5:9: warning[repeated-word] `the` is repeated\n"
    );
}

#[test]
fn json_format_has_exactly_the_documented_keys() {
    let dir = workspace(&[("bad.txt", TWO_PROBLEMS.as_bytes())]);
    let r = run(dir.path(), &["--output-format", "json", "bad.txt"]);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(findings.len(), 2);
    let repeated = &findings[1];
    let mut keys: Vec<&str> = repeated
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "category",
            "column",
            "end_column",
            "end_line",
            "fix",
            "line",
            "message",
            "path",
            "rule",
            "severity",
            "suggestions",
            "text"
        ]
    );
    assert_eq!(repeated["rule"], "repeated-word");
    assert_eq!(repeated["category"], "words");
    assert_eq!(repeated["severity"], "warning");
    assert_eq!(
        (repeated["line"].as_u64(), repeated["column"].as_u64()),
        (Some(5), Some(9))
    );
    assert_eq!(
        (
            repeated["end_line"].as_u64(),
            repeated["end_column"].as_u64()
        ),
        (Some(5), Some(16))
    );
    assert_eq!(repeated["text"], "the the");
    assert_eq!(repeated["suggestions"], serde_json::json!(["the"]));
    assert_eq!(
        repeated["fix"],
        serde_json::json!({"safe": true, "edits": [{"line": 5, "column": 12, "end_line": 5, "end_column": 16, "text": ""}]})
    );
    assert_eq!(findings[0]["fix"], serde_json::Value::Null);
}

#[test]
fn columns_count_characters_after_a_bom_in_a_crlf_file() {
    let text = "\u{feff}Política\r\n\r\nÉtat: 😀 the the end.\r\n";
    let dir = workspace(&[("crlf.txt", text.as_bytes())]);
    let r = run(dir.path(), &["--output-format", "concise", "crlf.txt"]);
    assert_eq!(
        r.stdout,
        "crlf.txt:3:9: warning[repeated-word] `the` is repeated\n"
    );
}

#[test]
fn sarif_format() {
    let dir = workspace(&[("bad.txt", TWO_PROBLEMS.as_bytes())]);
    let r = run(dir.path(), &["--output-format", "sarif", "bad.txt"]);
    let log: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "policylint");
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "numbering"));
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let index = results[1]["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], results[1]["ruleId"]);
    let region = &results[1]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(5), Some(9))
    );
}

#[test]
fn github_format() {
    let dir = workspace(&[("bad.txt", TWO_PROBLEMS.as_bytes())]);
    let r = run(dir.path(), &["--output-format", "github", "bad.txt"]);
    assert_eq!(
        r.stdout.lines().next().unwrap(),
        "::warning file=bad.txt,line=3,col=1,endLine=3,endColumn=4,title=empty-metadata::`By:` has no value"
    );
}

#[test]
fn human_format_shows_the_line_and_an_underline() {
    let dir = workspace(&[("bad.txt", TWO_PROBLEMS.as_bytes())]);
    let r = run(dir.path(), &["bad.txt"]);
    assert!(
        r.stdout
            .contains("warning[repeated-word]: `the` is repeated"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("bad.txt:5:9"), "{}", r.stdout);
    assert!(
        r.stdout.contains("We keep the the data safe."),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("^^^^^^^"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("Found 2 problems (2 warnings) in 1 of 1 file."),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains('\u{1b}'), "no colour when not asked for");
    let coloured = run(dir.path(), &["--color", "always", "bad.txt"]);
    assert!(coloured.stdout.contains('\u{1b}'));
}

#[test]
fn directories_are_walked_respecting_gitignore_and_skipping_binaries() {
    let dir = workspace(&[
        (".gitignore", b"ignored/\n"),
        ("docs/a.md", TWO_PROBLEMS.as_bytes()),
        ("docs/b.txt", CLEAN.as_bytes()),
        ("docs/image.txt", b"GIF89a\0\0\x01binary"),
        ("ignored/c.md", TWO_PROBLEMS.as_bytes()),
        ("docs/notes.pdf", TWO_PROBLEMS.as_bytes()),
    ]);
    let r = run(dir.path(), &["--output-format", "concise", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("docs/a.md"), "{}", r.stdout);
    assert!(!r.stdout.contains("ignored"), "{}", r.stdout);
    assert!(!r.stdout.contains("notes.pdf"), "{}", r.stdout);
    assert!(
        r.stderr.is_empty(),
        "binary files in a walk are skipped quietly: {}",
        r.stderr
    );
}

#[test]
fn bad_input_is_named_and_the_rest_is_checked() {
    let dir = workspace(&[
        ("latin1.txt", b"caf\xe9 au lait"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\0\0\0"),
        ("bad.txt", TWO_PROBLEMS.as_bytes()),
    ]);
    let r = run(
        dir.path(),
        &[
            "--output-format",
            "concise",
            "latin1.txt",
            "image.txt",
            "gone.txt",
            "bad.txt",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("gone.txt: no such file or directory"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("latin1.txt: not valid UTF-8 (first bad byte at offset 3)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("image.txt: binary file, not checked"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("bad.txt:5:9"), "{}", r.stdout);
}

#[test]
fn symbolic_links_are_followed_once_and_a_loop_is_reported() {
    let dir = workspace(&[
        ("docs/bad.txt", TWO_PROBLEMS.as_bytes()),
        ("docs/sub/clean.txt", CLEAN.as_bytes()),
    ]);
    let docs = dir.path().join("docs");
    std::os::unix::fs::symlink(&docs, docs.join("sub/back")).unwrap();
    std::os::unix::fs::symlink(docs.join("bad.txt"), docs.join("again.txt")).unwrap();
    let r = run(dir.path(), &["--output-format", "concise", "docs"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("symbolic link loop"), "{}", r.stderr);
    // bad.txt is reached three ways (itself, again.txt, sub/back/bad.txt)
    // and checked once.
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
}

#[test]
fn ten_thousand_small_files() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..10_000 {
        let folder = dir.path().join(format!("d{}", i / 1000));
        fs::create_dir_all(&folder).unwrap();
        let text = if i == 7_777 { TWO_PROBLEMS } else { CLEAN };
        fs::write(folder.join(format!("f{i}.txt")), text).unwrap();
    }
    let r = run(dir.path(), &["--output-format", "json", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let findings: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let paths: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["d7/f7777.txt", "d7/f7777.txt"]);
}

#[test]
fn standard_input_takes_its_name_and_format_from_stdin_filename() {
    let dir = workspace(&[]);
    let text = b"# Title\n\n## 1. A\n\nx\n\n## 3. B\n\ny\n";
    let r = run_in(
        dir.path(),
        &[
            "--output-format",
            "concise",
            "--stdin-filename",
            "doc.md",
            "-",
        ],
        Some(text),
    );
    assert_eq!(
        r.stdout,
        "doc.md:7:4: warning[numbering] `3` skips 2 (after 1)\n"
    );
    let r = run_in(
        dir.path(),
        &["--output-format", "concise", "-"],
        Some(b"T\n\nthe the\n"),
    );
    assert_eq!(
        r.stdout,
        "-:3:1: warning[repeated-word] `the` is repeated\n"
    );
}

#[test]
fn configuration_selects_rules_and_severities() {
    let config = b"ignore = [\"repeated-word\"]\n[severity]\nempty-metadata = \"info\"\n";
    let dir = workspace(&[
        ("policylint.toml", config),
        ("sub/bad.txt", TWO_PROBLEMS.as_bytes()),
    ]);
    let r = run(dir.path(), &["--output-format", "concise", "sub/bad.txt"]);
    assert_eq!(
        r.stdout,
        "sub/bad.txt:3:1: info[empty-metadata] `By:` has no value\n"
    );
    assert_eq!(r.code, 0, "info findings do not fail the run");
    let r = run(
        dir.path(),
        &["--output-format", "concise", "--no-config", "sub/bad.txt"],
    );
    assert_eq!(r.stdout.lines().count(), 2);
    let r = run(
        dir.path(),
        &[
            "--output-format",
            "concise",
            "--no-config",
            "--select",
            "repeated-word",
            "sub/bad.txt",
        ],
    );
    assert_eq!(r.stdout.lines().count(), 1);
    assert!(r.stdout.contains("repeated-word"));
}

#[test]
fn exclude_holds_for_relative_paths_and_the_working_directory() {
    let dir = workspace(&[
        ("ex/policylint.toml", b"exclude = [\"drafts/**\"]\n"),
        ("ex/drafts/draft.txt", TWO_PROBLEMS.as_bytes()),
        ("ex/final.txt", CLEAN.as_bytes()),
    ]);
    let absolute = dir.path().join("ex");
    for (cwd, path) in [
        (dir.path().to_path_buf(), "ex"),
        (dir.path().join("ex"), "."),
        (dir.path().join("ex/drafts"), ".."),
        (dir.path().to_path_buf(), absolute.to_str().unwrap()),
    ] {
        let r = run(&cwd, &["check", "--output-format", "concise", path]);
        assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{path} from {cwd:?}");
    }
    let r = run(&absolute, &["check", "--output-format", "concise"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "no path from ex");
}

#[test]
fn spellings_of_the_other_dialect_are_only_respelled() {
    let dir = workspace(&[("gb/policylint.toml", b"language = \"en-GB\"\n")]);
    let text = b"The council will review the catalogue of programmes.\n";
    let r = run_in(dir.path(), &["check", "--unsafe-fixes", "-"], Some(text));
    assert_eq!(
        r.stdout,
        "The council will review the catalog of programs.\n"
    );
    let oxford = b"We organize the programmes and analyse the catalogue.\n";
    let r = run_in(
        &dir.path().join("gb"),
        &["check", "--output-format", "concise", "-"],
        Some(oxford),
    );
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
}

#[test]
fn configuration_errors_name_the_key_and_the_file() {
    let dir = workspace(&[
        ("policylint.toml", b"selekt = []\n"),
        ("bad.txt", TWO_PROBLEMS.as_bytes()),
    ]);
    let r = run(dir.path(), &["bad.txt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("policylint.toml: line 1, column 1"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("selekt"), "{}", r.stderr);
    let dir = workspace(&[
        ("policylint.toml", b"ignore = [\"speling\"]\n"),
        ("bad.txt", TWO_PROBLEMS.as_bytes()),
    ]);
    let r = run(dir.path(), &["bad.txt"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown rule `speling`"), "{}", r.stderr);
    let r = run(dir.path(), &["--no-config", "--select", "nope", "bad.txt"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown rule `nope`"), "{}", r.stderr);
}

#[test]
fn a_config_file_given_explicitly() {
    let dir = workspace(&[
        ("custom.toml", b"select = [\"empty-metadata\"]\n"),
        ("bad.txt", TWO_PROBLEMS.as_bytes()),
    ]);
    let r = run(
        dir.path(),
        &[
            "--config",
            "custom.toml",
            "--output-format",
            "concise",
            "bad.txt",
        ],
    );
    assert_eq!(r.stdout.lines().count(), 1);
    let r = run(dir.path(), &["--config", "missing.toml", "bad.txt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("missing.toml: cannot read"),
        "{}",
        r.stderr
    );
}

#[test]
fn outline_command() {
    let dir = workspace(&[(
        "doc.md",
        b"# Policy\n\n## 1. Scope\n\nx\n\n### 1.1 Users\n\ny\n",
    )]);
    let r = run(
        dir.path(),
        &["outline", "--output-format", "json", "doc.md"],
    );
    let outline: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        outline,
        serde_json::json!({"title": "Policy", "sections": [
            {"number": "1", "title": "Scope", "line": 3, "children": [
                {"number": "1.1", "title": "Users", "line": 7, "children": []}
            ]}
        ]})
    );
    let r = run(dir.path(), &["outline", "doc.md"]);
    assert_eq!(
        r.stdout,
        "Policy\n  1 Scope  (line 3)\n    1.1 Users  (line 7)\n"
    );
    assert_eq!(run(dir.path(), &["outline", "nope.md"]).code, 2);
}

#[test]
fn rules_and_explain() {
    let dir = workspace(&[]);
    let r = run(dir.path(), &["rules"]);
    for name in [
        "numbering",
        "heading-level",
        "duplicate-heading",
        "empty-section",
        "empty-metadata",
        "dangling-reference",
        "repeated-word",
        "undefined-acronym",
    ] {
        assert!(r.stdout.contains(name), "{name} missing from {}", r.stdout);
    }
    let r = run(dir.path(), &["explain", "empty-metadata"]);
    assert!(r.stdout.contains("## What it checks"));
    assert!(r.stdout.contains("## Why it matters"));
    assert!(r.stdout.contains("## Example"));
    let r = run(dir.path(), &["explain", "nope"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown rule `nope`"));
}

#[test]
fn usage_errors_exit_with_two() {
    let dir = workspace(&[]);
    assert_eq!(
        run(dir.path(), &["--output-format", "xml", "x.txt"]).code,
        2
    );
}

const FIXABLE: &str = "\u{feff}Title\r\n\r\nWe recieve the the request for an policy.\r\n";
const FIXED: &str = "\u{feff}Title\r\n\r\nWe receive the request for a policy.\r\n";

#[test]
fn fix_writes_safe_fixes_keeping_bom_line_ends_and_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = workspace(&[
        ("a.txt", FIXABLE.as_bytes()),
        ("clean.txt", CLEAN.as_bytes()),
    ]);
    let a = dir.path().join("a.txt");
    fs::set_permissions(&a, fs::Permissions::from_mode(0o604)).unwrap();
    let clean_before = fs::metadata(dir.path().join("clean.txt"))
        .unwrap()
        .modified()
        .unwrap();
    let r = run(dir.path(), &["--fix", "a.txt", "clean.txt"]);
    assert_eq!(
        r.code, 0,
        "nothing left to report: {}{}",
        r.stdout, r.stderr
    );
    assert!(
        r.stdout.contains("Fixed 3 problems in 1 file."),
        "{}",
        r.stdout
    );
    assert_eq!(fs::read_to_string(&a).unwrap(), FIXED);
    assert_eq!(
        fs::metadata(&a).unwrap().permissions().mode() & 0o777,
        0o604
    );
    let clean_after = fs::metadata(dir.path().join("clean.txt"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(
        clean_before, clean_after,
        "a file without fixes is not touched"
    );
    // Checking again finds nothing to fix.
    let again = run(
        dir.path(),
        &["--fix", "--output-format", "concise", "a.txt"],
    );
    assert_eq!(again.stdout, "");
    assert_eq!(fs::read_to_string(&a).unwrap(), FIXED);
}

#[test]
fn diff_prints_and_writes_nothing() {
    let dir = workspace(&[("a.txt", FIXABLE.as_bytes())]);
    let r = run(dir.path(), &["--diff", "a.txt"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.starts_with("--- a/a.txt\n+++ b/a.txt\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("-We recieve the the request for an policy."),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("+We receive the request for a policy."),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("Would fix 3 problems in 1 file."),
        "{}",
        r.stderr
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("a.txt")).unwrap(),
        FIXABLE
    );
}

#[test]
fn unsafe_fixes_only_on_request() {
    let text = "# T\n\n## A\n\nx\n\n#### B\n\ny\n";
    let dir = workspace(&[("a.md", text.as_bytes())]);
    let r = run(dir.path(), &["--fix", "--output-format", "concise", "a.md"]);
    assert_eq!(r.code, 1, "the unsafe fix is not applied");
    assert_eq!(fs::read_to_string(dir.path().join("a.md")).unwrap(), text);
    let r = run(dir.path(), &["--fix", "--unsafe-fixes", "a.md"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(
        fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "# T\n\n## A\n\nx\n\n### B\n\ny\n"
    );
}

#[test]
fn fix_refuses_a_read_only_file_and_fixes_the_rest() {
    use std::os::unix::fs::PermissionsExt;
    let dir = workspace(&[
        ("ro.txt", FIXABLE.as_bytes()),
        ("rw.txt", FIXABLE.as_bytes()),
    ]);
    fs::set_permissions(dir.path().join("ro.txt"), fs::Permissions::from_mode(0o444)).unwrap();
    let r = run(dir.path(), &["--fix", "ro.txt", "rw.txt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("ro.txt: read-only; not fixed"),
        "{}",
        r.stderr
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("ro.txt")).unwrap(),
        FIXABLE
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("rw.txt")).unwrap(),
        FIXED
    );
}

#[test]
fn fix_on_standard_input_prints_the_fixed_text() {
    let dir = workspace(&[]);
    let r = run_in(dir.path(), &["--fix", "-"], Some(b"T\n\nthe the end\n"));
    assert_eq!(r.stdout, "T\n\nthe end\n");
    assert!(r.stderr.contains("Fixed 1 problem"), "{}", r.stderr);
}

#[test]
fn human_format_calls_severities_as_every_other_format_does() {
    let dir = workspace(&[
        ("policylint.toml", b"[severity]\nrepeated-word = \"hint\"\n"),
        (
            "a.txt",
            b"Title\n\nThe XYZQ board decides on the the matter.\n",
        ),
    ]);
    let r = run(dir.path(), &["a.txt"]);
    assert!(
        r.stdout
            .contains("info[undefined-acronym]: `XYZQ` is never expanded"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("hint[repeated-word]: `the` is repeated"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("note"), "{}", r.stdout);
    assert!(!r.stdout.contains("help"), "{}", r.stdout);
    assert!(r.stdout.contains("(1 info, 1 hint)"), "{}", r.stdout);
    let concise = run(dir.path(), &["--output-format", "concise", "a.txt"]);
    assert!(concise.stdout.contains(": info[undefined-acronym]"));
    let coloured = run(dir.path(), &["--color", "always", "a.txt"]);
    assert!(
        coloured.stdout.contains("info[undefined-acronym]\u{1b}"),
        "{}",
        coloured.stdout
    );
}

#[test]
fn long_lines_are_cut_around_the_finding_unless_asked_not_to() {
    let line = format!("{}the the {}", "word ".repeat(150), "end ".repeat(130));
    assert_eq!(line.chars().count(), 1278);
    let text = format!("Title\n\n{line}\n");
    let dir = workspace(&[("long.txt", text.as_bytes())]);
    let r = run(dir.path(), &["--select", "repeated-word", "long.txt"]);
    let shown: Vec<&str> = r.stdout.lines().filter(|l| l.contains('│')).collect();
    assert!(!shown.is_empty(), "{}", r.stdout);
    for l in &shown {
        assert!(l.chars().count() <= 120, "{l}");
    }
    let source = shown.iter().find(|l| l.contains("the the")).unwrap();
    assert!(
        source.starts_with("3 │ …") && source.ends_with('…'),
        "{source}"
    );
    let r = run(
        dir.path(),
        &["--select", "repeated-word", "--no-truncate", "long.txt"],
    );
    assert!(r.stdout.contains(&format!("3 │ {line}\n")), "{}", r.stdout);
}

/// Runs the binary with standard output and standard error in one file, as
/// a terminal shows them: the exit code and what was written, in order.
fn run_merged(dir: &Path, args: &[&str]) -> (i32, String) {
    let log = tempfile::tempfile().expect("a temporary file");
    let status = Command::new(env!("CARGO_BIN_EXE_policylint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log.try_clone().unwrap())
        .status()
        .expect("the binary runs");
    let mut log = log;
    let mut text = String::new();
    std::io::Seek::rewind(&mut log).unwrap();
    std::io::Read::read_to_string(&mut log, &mut text).unwrap();
    (status.code().expect("exited normally"), text)
}

#[test]
fn errors_come_after_the_findings_and_are_counted_in_the_summary() {
    let dir = workspace(&[
        ("bad.txt", TWO_PROBLEMS.as_bytes()),
        ("latin1.txt", b"caf\xe9 au lait"),
        ("clean.txt", CLEAN.as_bytes()),
    ]);
    let (code, text) = run_merged(
        dir.path(),
        &["gone.txt", "latin1.txt", "bad.txt", "clean.txt"],
    );
    assert_eq!(code, 2);
    let at = |pat: &str| text.find(pat).unwrap_or_else(|| panic!("{pat}: {text}"));
    assert!(
        at("warning[repeated-word]") < at("error: gone.txt"),
        "{text}"
    );
    assert!(
        at("warning[repeated-word]") < at("error: latin1.txt"),
        "{text}"
    );
    assert!(
        text.ends_with(
            "Found 2 problems (2 warnings) in 1 of 2 files; 2 files could not be read.\n"
        ),
        "{text}"
    );
    let (_, text) = run_merged(dir.path(), &["gone.txt", "clean.txt"]);
    assert!(
        text.ends_with("No problems found in 1 file; 1 file could not be read.\n"),
        "{text}"
    );
    let (_, text) = run_merged(dir.path(), &["gone.txt"]);
    assert_eq!(
        text,
        "error: gone.txt: no such file or directory\n1 file could not be read.\n"
    );
}

#[test]
fn nothing_to_check_is_said_and_an_error_when_paths_were_given() {
    let dir = workspace(&[
        ("empty/notes.pdf", b"x"),
        ("binary/image.txt", b"GIF89a\0\0"),
    ]);
    for args in [&["empty"][..], &["check", "binary"], &["empty", "binary"]] {
        let r = run(dir.path(), args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.starts_with("error: no files to check in `empty`")
                || r.stderr.starts_with("error: no files to check in `binary`"),
            "{}",
            r.stderr
        );
        assert_eq!(r.stdout, "", "no summary of nothing");
    }
    let r = run(&dir.path().join("empty"), &[]);
    assert_eq!(r.code, 0, "the default `.` holding nothing is no error");
    assert!(
        r.stderr.starts_with("warning: no files to check in `.`"),
        "{}",
        r.stderr
    );
    let r = run(&dir.path().join("empty"), &["--output-format", "json"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, "[]\n", "machine formats still say it");
}

#[test]
fn exit_zero_quiet_and_statistics() {
    let dir = workspace(&[
        ("bad.txt", TWO_PROBLEMS.as_bytes()),
        (
            "more.txt",
            b"Title\n\nWe keep the the data and and the files.\n",
        ),
    ]);
    let r = run(dir.path(), &["--exit-zero", "bad.txt"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("warning[repeated-word]"), "{}", r.stdout);
    let r = run(dir.path(), &["--exit-zero", "bad.txt", "gone.txt"]);
    assert_eq!(r.code, 2, "errors still fail");

    let r = run(dir.path(), &["--quiet", "bad.txt"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("warning[repeated-word]"), "{}", r.stdout);
    assert!(!r.stdout.contains("Found"), "no summary: {}", r.stdout);
    let r = run(dir.path(), &["-q", "--fix", "more.txt"]);
    assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("", ""));
    let r = run(dir.path(), &["-q", "gone.txt"]);
    assert!(r.stderr.contains("gone.txt: no such file"), "{}", r.stderr);

    let dir = workspace(&[
        ("bad.txt", TWO_PROBLEMS.as_bytes()),
        (
            "more.txt",
            b"Title\n\nWe keep the the data and and the files.\n",
        ),
    ]);
    let r = run(dir.path(), &["--statistics", "bad.txt", "more.txt"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout,
        "3  repeated-word   [*]\n\
         1  empty-metadata\n\
         [*] fixable with `policylint check --fix`\n\
         Found 4 problems (4 warnings) in 2 of 2 files.\n"
    );
    let r = run(
        dir.path(),
        &["--statistics", "-q", "--output-format", "json", "."],
    );
    let stats: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        stats,
        serde_json::json!([
            {"rule": "repeated-word", "category": "words", "count": 3, "fixable": 3},
            {"rule": "empty-metadata", "category": "structure", "count": 1, "fixable": 0},
        ])
    );
}

#[test]
fn mistyped_commands_and_names_get_the_nearest() {
    let dir = workspace(&[("x.md", TWO_PROBLEMS.as_bytes())]);
    let r = run(dir.path(), &["outlin", "x.md"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: unknown command `outlin`; did you mean `outline`?\n"
    );
    assert_eq!(r.stdout, "", "nothing is checked");
    // A file of that name is checked, and a word far from every command is
    // a missing file.
    fs::write(dir.path().join("outlin"), CLEAN).unwrap();
    assert_eq!(run(dir.path(), &["outlin"]).code, 0);
    let r = run(dir.path(), &["policy"]);
    assert!(
        r.stderr.contains("policy: no such file or directory"),
        "{}",
        r.stderr
    );

    let r = run(dir.path(), &["explain", "numbrering"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: unknown rule `numbrering` (did you mean `numbering`?)\n"
    );

    let r = run(dir.path(), &["--select", "repeted-word", "x.md"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: unknown rule `repeted-word` in --select (did you mean `repeated-word`?)\n"
    );
    let r = run(dir.path(), &["--ignore", "nothing-like-it", "x.md"]);
    assert_eq!(
        r.stderr,
        "error: unknown rule `nothing-like-it` in --ignore (see `policylint rules`)\n"
    );
}

#[test]
fn categories_select_and_ignore_their_rules() {
    let dir = workspace(&[(
        "x.txt",
        b"Title\n\nBy:\n\nWe keep the the data of an policy.\n",
    )]);
    let rules_of = |args: &[&str]| {
        let mut all = vec!["--output-format", "json"];
        all.extend_from_slice(args);
        all.push("x.txt");
        let r = run(dir.path(), &all);
        assert_ne!(r.code, 2, "{}", r.stderr);
        let findings: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
        findings
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        rules_of(&["--select", "words"]),
        ["repeated-word", "article"]
    );
    assert_eq!(rules_of(&["--ignore", "words"]), ["empty-metadata"]);
    assert_eq!(
        rules_of(&["--select", "structure,repeated-word"]),
        ["empty-metadata", "repeated-word"]
    );
}

#[test]
fn init_writes_a_configuration_that_loads_and_keeps_an_existing_one() {
    let dir = workspace(&[("bad.txt", TWO_PROBLEMS.as_bytes())]);
    let r = run(dir.path(), &["init"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let path = dir.path().join("policylint.toml");
    let written = fs::read_to_string(&path).unwrap();
    for key in [
        "#select",
        "#ignore",
        "#exclude",
        "#[severity]",
        "#[dictionary]",
    ] {
        assert!(written.contains(key), "{key} missing from {written}");
    }
    let config = policylint::config::Config::load(&path).unwrap();
    assert_eq!(config.rules().len(), policylint::rules::ALL.len());
    // It changes nothing until a setting is taken in.
    assert_eq!(run(dir.path(), &["bad.txt"]).code, 1);

    fs::write(&path, "ignore = [\"words\"]\n").unwrap();
    let r = run(dir.path(), &["init"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: policylint.toml already exists here; it was left as it is\n"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "ignore = [\"words\"]\n");
}

#[test]
fn completions_for_each_shell() {
    let dir = workspace(&[]);
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let r = run(dir.path(), &["completions", shell]);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        for word in ["outline", "explain", "select", "statistics"] {
            assert!(r.stdout.contains(word), "{shell}: {word} missing");
        }
    }
    // Bash takes its script.
    let script = run(dir.path(), &["completions", "bash"]).stdout;
    let out = Command::new("bash")
        .args(["-c", "source /dev/stdin && complete -p policylint"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut bash| {
            bash.stdin.take().unwrap().write_all(script.as_bytes())?;
            bash.wait_with_output()
        })
        .expect("bash runs");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("policylint"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(run(dir.path(), &["completions", "tcsh"]).code, 2);
}

#[test]
fn a_baseline_leaves_out_recorded_findings_through_edits_elsewhere() {
    let old = "Privacy Policy\n\nBy:\n\nWe keep the the data safe.\n\nWe keep the the data safe.\n";
    let dir = workspace(&[("docs/policy.txt", old.as_bytes())]);
    let r = run(
        dir.path(),
        &["--write-baseline", "docs/baseline.json", "docs"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "Recorded 3 findings of 1 file in docs/baseline.json.\n"
    );
    let recorded: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("docs/baseline.json")).unwrap())
            .unwrap();
    assert_eq!(recorded["version"], 1);
    assert_eq!(
        recorded["findings"][1],
        serde_json::json!({"path": "policy.txt", "rule": "repeated-word",
            "before": "We keep", "text": "the the", "after": "data safe.", "count": 2})
    );

    // Lines added above, the paragraph re-wrapped: nothing new.
    let edited = "Privacy Policy\n\nIntroduction.\n\nBy:\n\nWe keep\nthe the data safe.\n\nWe keep the the data safe.\n";
    fs::write(dir.path().join("docs/policy.txt"), edited).unwrap();
    let r = run(dir.path(), &["--baseline", "docs/baseline.json", "docs"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(
        r.stdout,
        "No problems found in 1 file; 3 findings left out by the baseline.\n"
    );
    // From inside the folder, paths are still the baseline folder's.
    let r = run(
        &dir.path().join("docs"),
        &["--baseline", "baseline.json", "--output-format", "json"],
    );
    assert_eq!((r.code, r.stdout.as_str()), (0, "[]\n"), "{}", r.stderr);

    // A third "the the" in the same words is one more than recorded; a new
    // one elsewhere is new.
    let more = format!("{edited}\nWe keep the the data safe.\n\nThey keep it it.\n");
    fs::write(dir.path().join("docs/policy.txt"), more).unwrap();
    let r = run(
        dir.path(),
        &[
            "--baseline",
            "docs/baseline.json",
            "--output-format",
            "concise",
            "docs",
        ],
    );
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout,
        "docs/policy.txt:12:9: warning[repeated-word] `the` is repeated\n\
         docs/policy.txt:14:11: warning[repeated-word] `it` is repeated\n"
    );
    let r = run(dir.path(), &["--baseline", "docs/baseline.json", "docs"]);
    assert!(
        r.stdout.ends_with(
            "Found 2 problems (2 warnings) in 1 of 1 file; 3 findings left out by the baseline.\n"
        ),
        "{}",
        r.stdout
    );

    // A recorded finding fixed is said to be gone, for the files checked.
    fs::write(
        dir.path().join("docs/policy.txt"),
        edited.replace("By:\n\n", ""),
    )
    .unwrap();
    fs::write(dir.path().join("docs/other.txt"), CLEAN).unwrap();
    let r = run(dir.path(), &["--baseline", "docs/baseline.json", "docs"]);
    assert_eq!(
        r.stdout,
        "No problems found in 2 files; 2 findings left out by the baseline; \
         1 finding of the baseline no longer found.\n"
    );
    let r = run(
        dir.path(),
        &["--baseline", "docs/baseline.json", "docs/other.txt"],
    );
    assert_eq!(r.stdout, "No problems found in 1 file.\n");
}

#[test]
fn baseline_errors() {
    let dir = workspace(&[
        ("bad.txt", TWO_PROBLEMS.as_bytes()),
        ("v2.json", b"{\"version\": 2, \"findings\": []}"),
        ("other.json", b"{\"findings\": []}"),
    ]);
    let r = run(dir.path(), &["--baseline", "missing.json", "bad.txt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with("error: missing.json: cannot read"),
        "{}",
        r.stderr
    );
    let r = run(dir.path(), &["--baseline", "v2.json", "bad.txt"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: v2.json: baseline version 2, but this policylint reads version 1\n"
    );
    let r = run(dir.path(), &["--baseline", "other.json", "bad.txt"]);
    assert!(
        r.stderr.contains("not a policylint baseline"),
        "{}",
        r.stderr
    );
    let r = run(dir.path(), &["--baseline", "v2.json", "--fix", "bad.txt"]);
    assert_eq!(r.code, 2, "fixes would touch the baseline's findings");
    let r = run(
        dir.path(),
        &["--write-baseline", "no/such/dir/b.json", "bad.txt"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no/such/dir/b.json"), "{}", r.stderr);
}

#[test]
fn on_a_terminal_long_lines_are_cut_to_its_width() {
    // util-linux's `script` gives the binary a terminal of a chosen size.
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` to make a terminal with");
        return;
    }
    let line = format!("{}the the {}", "word ".repeat(150), "end ".repeat(130));
    let dir = workspace(&[("long.txt", format!("Title\n\n{line}\n").as_bytes())]);
    let shown = |columns: usize| {
        let binary = env!("CARGO_BIN_EXE_policylint");
        let command = format!(
            "stty rows 50 cols {columns}; {binary} --color never --select repeated-word long.txt"
        );
        let out = Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .output()
            .expect("script runs");
        let text = String::from_utf8(out.stdout).unwrap().replace('\r', "");
        text.lines()
            .find(|l| l.starts_with("3 │") && l.contains("the the"))
            .unwrap_or_else(|| panic!("{text}"))
            .to_string()
    };
    assert_eq!(shown(80).chars().count(), 80);
    assert_eq!(shown(300).chars().count(), 300);
    assert_eq!(shown(2000), format!("3 │ {line}"), "wide enough: whole");
}

const SUPPRESSED: &str = "# Terms\n\n<!-- policylint-disable-next-line repeated-word -->\nWe keep the the data.\n\n<!-- policylint-disable-next-line article -->\nWe keep your data.\n\n<!-- policylint-disable-next-line mispelling -->\nAn policy.\n";

#[test]
fn suppression_comments_hide_findings_and_name_their_own_slips() {
    let dir = workspace(&[("terms.md", SUPPRESSED.as_bytes())]);
    let r = run(dir.path(), &["--output-format", "concise", "terms.md"]);
    assert_eq!(
        r.stdout,
        "terms.md:6:1: info[unused-suppression] unused suppression: no `article` finding on the next line\n\
         terms.md:9:35: warning[invalid-suppression] `mispelling` is no rule (see `policylint rules`)\n\
         terms.md:10:1: warning[article] use `A` before `policy`\n"
    );
    assert_eq!(r.code, 1);
    // A comment naming a rule that did not run is not judged.
    let r = run(
        dir.path(),
        &[
            "--output-format",
            "concise",
            "--ignore",
            "article,invalid-suppression",
            "terms.md",
        ],
    );
    assert_eq!(r.stdout, "");
    assert_eq!(r.code, 0);
}

#[test]
fn fix_removes_the_suppressions_that_hide_nothing() {
    let dir = workspace(&[("terms.md", SUPPRESSED.as_bytes())]);
    let r = run(dir.path(), &["--fix", "--ignore", "article", "terms.md"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    // Nothing to judge the article comment by: it stays.
    assert_eq!(
        fs::read_to_string(dir.path().join("terms.md")).unwrap(),
        SUPPRESSED
    );
    run(dir.path(), &["--fix", "terms.md"]);
    assert_eq!(
        fs::read_to_string(dir.path().join("terms.md")).unwrap(),
        SUPPRESSED
            .replace("<!-- policylint-disable-next-line article -->\n", "")
            .replace("An policy", "A policy")
    );
}

#[test]
fn suppress_entries_and_overrides_from_the_configuration() {
    let config = b"[severity]\narticle = \"error\"\n\n\
        [[overrides]]\nfiles = [\"legal/**\"]\nignore = [\"repeated-word\"]\nseverity = { article = \"info\" }\n\n\
        [[suppress]]\npath = \"notes.txt\"\nrule = \"empty-metadata\"\n\n\
        [[suppress]]\npath = \"*.txt\"\nrule = \"repeated-word\"\ntext = \"the the\"\nline = 5\n";
    let dir = workspace(&[
        ("policylint.toml", config),
        ("notes.txt", TWO_PROBLEMS.as_bytes()),
        (
            "legal/terms.txt",
            b"Terms\n\nBy:\n\nAn policy with the the end.\n",
        ),
    ]);
    let r = run(dir.path(), &["--output-format", "concise"]);
    assert_eq!(
        r.stdout,
        "legal/terms.txt:3:1: warning[empty-metadata] `By:` has no value\n\
         legal/terms.txt:5:1: info[article] use `A` before `policy`\n"
    );
    // Standard input is checked as the file it is named.
    let r = run_in(
        dir.path(),
        &[
            "--output-format",
            "concise",
            "--stdin-filename",
            "legal/more.txt",
            "-",
        ],
        Some(b"Terms\n\nThe the end, an policy.\n"),
    );
    assert_eq!(
        r.stdout,
        "legal/more.txt:3:14: info[article] use `a` before `policy`\n"
    );
    let dir = workspace(&[
        (
            "policylint.toml",
            b"[[overrides]]\nfiles = [\"legal/**\"]\nignore = [\"nope\"]\n",
        ),
        ("a.txt", CLEAN.as_bytes()),
    ]);
    let r = run(dir.path(), &["a.txt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("policylint.toml: overrides[0]: unknown rule `nope`"),
        "{}",
        r.stderr
    );
}

#[test]
fn rules_line_up_whatever_the_length_of_their_category() {
    let dir = workspace(&[]);
    let r = run(dir.path(), &["rules"]);
    let columns: std::collections::BTreeSet<usize> = r
        .stdout
        .lines()
        .map(|l| {
            ["  warning  ", "  info     "]
                .iter()
                .find_map(|s| l.find(s))
                .unwrap_or_else(|| panic!("no severity in {l}"))
        })
        .collect();
    assert_eq!(columns.len(), 1, "{}", r.stdout);
    assert!(
        r.stdout.lines().any(|l| l.split_whitespace().take(3).eq([
            "unused-suppression",
            "suppression",
            "info"
        ])),
        "{}",
        r.stdout
    );
}

#[test]
fn defined_terms_are_checked_and_a_change_of_case_fixed_on_request() {
    let dir = workspace(&[]);
    let text = b"Data Policy\n\n\"Personal Data\" means any information about a person.\n\nWe delete personal data after a year.\n";
    let r = run_in(
        dir.path(),
        &["check", "--output-format", "concise", "-"],
        Some(text),
    );
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (
            0,
            "-:5:11: info[term-case] `personal data` is the defined term `Personal Data` in another case\n"
        )
    );
    // The fix is unsafe: the author may have meant the ordinary words.
    let r = run_in(dir.path(), &["check", "--fix", "-"], Some(text));
    assert_eq!(r.stdout.as_bytes(), text);
    let r = run_in(dir.path(), &["check", "--unsafe-fixes", "-"], Some(text));
    assert!(
        r.stdout
            .ends_with("We delete Personal Data after a year.\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn renumbering_closes_a_gap_and_updates_the_references() {
    let text = b"Policy\n\n1. Scope\n\nSee Section 4.\n\n2. Fees\n\nText.\n\n4. Law\n\nAs Section 11 of the GPL says.\n\n4.1. Courts\n\nText.\n";
    let dir = workspace(&[("policy.txt", text)]);
    let r = run(
        dir.path(),
        &["check", "--output-format", "concise", "policy.txt"],
    );
    assert!(
        r.stdout.contains("[numbering] `4` skips 3 (after 2)"),
        "{}",
        r.stdout
    );
    // Renumbering is an unsafe fix: --fix leaves it to the author.
    run(dir.path(), &["check", "--fix", "policy.txt"]);
    assert_eq!(fs::read(dir.path().join("policy.txt")).unwrap(), text);
    let r = run(dir.path(), &["check", "--unsafe-fixes", "policy.txt"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        fs::read_to_string(dir.path().join("policy.txt")).unwrap(),
        "Policy\n\n1. Scope\n\nSee Section 3.\n\n2. Fees\n\nText.\n\n3. Law\n\nAs Section 11 of the GPL says.\n\n3.1. Courts\n\nText.\n"
    );
}

#[test]
fn house_style_rules_from_the_configuration_are_reported_and_fixed() {
    let config = br#"[[rules.custom]]
name = "must-not-shall"
pattern = '\bshall\b'
message = 'use "must", not "shall"'
replace = "must"
severity = "error"

[terms]
prefer = { "personal information" = "personal data" }
forbid = ["whilst"]
"#;
    let text = b"Terms\n\nYou shall keep Personal information safe whilst here.\n";
    let dir = workspace(&[("policylint.toml", config), ("terms.txt", text)]);
    let r = run(
        dir.path(),
        &["check", "--output-format", "concise", "terms.txt"],
    );
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (
            1,
            "terms.txt:3:5: error[custom-rule] must-not-shall: use \"must\", not \"shall\"\n\
             terms.txt:3:16: warning[preferred-term] write `Personal data`, not `Personal information`\n\
             terms.txt:3:42: warning[preferred-term] `whilst` is not used in this project's texts\n"
        ),
        "{}",
        r.stderr
    );
    let r = run(dir.path(), &["check", "--fix", "terms.txt"]);
    assert_eq!(r.code, 1, "the forbidden word has no fix: {}", r.stderr);
    assert_eq!(
        fs::read_to_string(dir.path().join("terms.txt")).unwrap(),
        "Terms\n\nYou must keep Personal data safe whilst here.\n"
    );
    // A bad pattern is a configuration error naming the entry.
    fs::write(
        dir.path().join("policylint.toml"),
        "[[rules.custom]]\nname = \"x\"\npattern = \"(\"\nmessage = \"m\"\n",
    )
    .unwrap();
    let r = run(dir.path(), &["check", "terms.txt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("policylint.toml: rules.custom[0].pattern: regex parse error"),
        "{}",
        r.stderr
    );
}

#[test]
fn links_to_anchors_files_and_http_are_checked_relative_to_the_file() {
    let terms = "# Terms\n\nSee [privacy](privacy.md), [cookies](cookies.md#use), \
                 [scope](#scope), [law](#law) and [the NAI](http://optout.org/).\n\n## Scope\n";
    let dir = workspace(&[
        ("en/terms.md", terms.as_bytes()),
        ("en/cookies.md", b"# Cookies\n"),
        (
            "policylint.toml",
            b"[links]\nrequire-https = true\n\n[format]\n\"-\" = \"markdown\"\n",
        ),
    ]);
    let args = [
        "--output-format",
        "concise",
        "--select",
        "missing-file,missing-anchor,insecure-link",
    ];
    let r = run(dir.path(), &[&args[..], &["en/terms.md"]].concat());
    let expected = format!(
        "en/terms.md:3:15: warning[missing-file] `privacy.md` does not exist (looked for at {})\n\
         en/terms.md:3:78: warning[missing-anchor] no heading or anchor `#law` in this document\n\
         en/terms.md:3:98: warning[insecure-link] `http://` link: this project requires `https://`\n",
        Path::new("en").join("privacy.md").display()
    );
    assert_eq!(r.stdout, expected);
    // Standard input named after the file is checked as the file; without
    // a name it has no folder, and no link to a file is judged.
    let named = run_in(
        dir.path(),
        &[&args[..], &["--stdin-filename", "en/terms.md", "-"]].concat(),
        Some(terms.as_bytes()),
    );
    assert_eq!(named.stdout, expected);
    let unnamed = run_in(
        dir.path(),
        &[&args[..], &["-"]].concat(),
        Some(terms.as_bytes()),
    );
    assert_eq!(
        unnamed.stdout,
        "-:3:78: warning[missing-anchor] no heading or anchor `#law` in this document\n\
         -:3:98: warning[insecure-link] `http://` link: this project requires `https://`\n"
    );
}

#[test]
fn translations_are_compared_with_their_reference() {
    let en = "# Terms\n\n## 1. Use {: #use }\n\nSee the [privacy notice](../en/privacy.md).\n\n\
              ## 2. Fees {: #fees }\n\nText.\n\n## 3. Law\n\nText.\n";
    let de = "# Bedingungen\n\n## 1. Nutzung {: #nutzung }\n\n\
              Siehe die [Datenschutzerklärung](../de/privacy.md).\n\n## 3. Recht\n\nText.\n";
    let config = "[translations]\nreference = \"en\"\n";
    let dir = workspace(&[
        ("legal/en/terms.md", en.as_bytes()),
        ("legal/de/terms.md", de.as_bytes()),
        ("legal/de/extra.md", b"# Nur hier\n\n## 9. X\n"),
        ("policylint.toml", config.as_bytes()),
    ]);
    let args = [
        "--output-format",
        "concise",
        "--select",
        "translation-mismatch",
        "legal",
    ];
    let r = run(dir.path(), &args);
    let reference = Path::new("legal").join("en").join("terms.md");
    let reference = reference.display();
    assert_eq!(
        r.stdout,
        format!(
            "legal/de/terms.md:3:4: warning[translation-mismatch] anchor `#use` of the reference ({reference}) is missing here\n\
             legal/de/terms.md:3:19: warning[translation-mismatch] anchor `#nutzung` is not in the reference ({reference})\n\
             legal/de/terms.md:7:4: warning[translation-mismatch] section 2 of the reference ({reference}) is missing here\n\
             legal/de/terms.md:7:4: warning[translation-mismatch] anchor `#fees` of the reference ({reference}) is missing here\n"
        )
    );
    assert_eq!(r.code, 1);
    // Without the setting, or with the rule ignored, nothing is compared.
    fs::write(dir.path().join("policylint.toml"), "").unwrap();
    assert_eq!(run(dir.path(), &args).stdout, "");
    // A reference that cannot be read is an error naming it, unless the
    // rule does not run: then it is not read at all.
    fs::write(dir.path().join("policylint.toml"), config).unwrap();
    fs::write(dir.path().join("legal/en/terms.md"), b"# T\n\xff\n").unwrap();
    let unreadable = run(dir.path(), &args);
    assert_eq!(unreadable.code, 2);
    assert!(
        unreadable.stderr.contains(&reference.to_string()),
        "{}",
        unreadable.stderr
    );
    fs::write(
        dir.path().join("policylint.toml"),
        format!("ignore = [\"translation-mismatch\"]\n{config}"),
    )
    .unwrap();
    let ignored = run(dir.path(), &["--output-format", "concise", "legal/de"]);
    assert_eq!(ignored.stderr, "");
    assert!(!ignored.stdout.contains("translation-mismatch"));
    // A reference folder that is no folder name is a configuration error.
    fs::write(
        dir.path().join("policylint.toml"),
        "[translations]\nreference = \"../en\"\n",
    )
    .unwrap();
    let bad = run(dir.path(), &args);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("translations.reference"),
        "{}",
        bad.stderr
    );
}
