//! `policylint lsp` spoken to over standard input and output, with real
//! JSON-RPC framing, as an editor does.

mod jsonrpc;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const SEED: &str = include_str!("../seeds/cyberspace-community.txt");
/// How long any single answer may take before the test fails (not a
/// performance bound: a hang guard).
const PATIENCE: Duration = Duration::from_secs(30);

struct Lsp {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications and server requests seen while waiting for others.
    backlog: Vec<Value>,
    next_id: i64,
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Lsp {
    /// Starts the server in a fresh workspace folder and initializes it.
    fn start(init_options: Value) -> Lsp {
        Lsp::start_with(init_options, &[], json!(["utf-16"]))
    }

    /// Starts the server as a client that takes pushed diagnostics.
    fn start_with(init_options: Value, files: &[(&str, &str)], encodings: Value) -> Lsp {
        let capabilities = json!({
            "general": { "positionEncodings": encodings },
            "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } }
        });
        Lsp::start_as(init_options, files, capabilities)
    }

    fn start_as(init_options: Value, files: &[(&str, &str)], capabilities: Value) -> Lsp {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        for (name, text) in files {
            fs::write(root.join(name), text).unwrap();
        }
        let mut lsp = Lsp::spawn(dir);
        let root_uri = uri(&lsp.root);
        let result = lsp.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri,
                "workspaceFolders": [{ "uri": root_uri, "name": "ws" }],
                "initializationOptions": init_options,
                "capabilities": capabilities
            }),
        );
        assert!(
            result["capabilities"]["documentSymbolProvider"]
                .as_bool()
                .unwrap()
        );
        lsp.notify("initialized", json!({}));
        lsp
    }

    fn spawn(dir: tempfile::TempDir) -> Lsp {
        let mut child = Command::new(env!("CARGO_BIN_EXE_policylint"))
            // As vscode-languageclient starts it.
            .args(["lsp", "--stdio"])
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let messages = jsonrpc::listen(stdout, |body| serde_json::from_slice(&body).ok());
        Lsp {
            child,
            stdin,
            messages,
            backlog: Vec::new(),
            next_id: 1,
            root: dir.path().to_path_buf(),
            _dir: dir,
        }
    }

    fn write_raw(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(body).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Writes `body` under a header that claims `length` bytes.
    fn write_with_length(&mut self, length: usize, body: &[u8]) {
        write!(self.stdin, "Content-Length: {length}\r\n\r\n").unwrap();
        self.stdin.write_all(body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        self.write_raw(message.to_string().as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its whole response.
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait(|m| m["id"] == json!(id) && m.get("method").is_none())
    }

    /// Sends a request and returns its result, failing on an error.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params);
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    /// The code action titled `title` offered at (`line`, `character`).
    fn code_action(&mut self, uri: &str, line: u64, character: u64, title: &str) -> Value {
        let at = position(line, character);
        let actions = self.request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri },
                "range": { "start": at, "end": at },
                "context": { "diagnostics": [] }
            }),
        );
        actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == title)
            .unwrap_or_else(|| panic!("no action `{title}` among {actions}"))
            .clone()
    }

    /// The next message (seen before or arriving) that `want` accepts.
    fn wait(&mut self, want: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&want) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) => {
                    // Answer the server's own requests (registrations).
                    if m.get("method").is_some() && m.get("id").is_some() {
                        let id = m["id"].clone();
                        self.send(json!({ "jsonrpc": "2.0", "id": id, "result": null }));
                    }
                    if want(&m) {
                        return m;
                    }
                    self.backlog.push(m);
                }
                Err(RecvTimeoutError::Timeout) => panic!(
                    "no awaited message within {PATIENCE:?}; saw {:?}",
                    self.backlog
                ),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server closed its output; saw {:?}", self.backlog)
                }
            }
        }
    }

    /// The next diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let m = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == json!(version)
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, name: &str, text: &str, language: &str) -> String {
        let uri = uri(&self.root.join(name));
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
        );
        uri
    }

    fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
        );
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "exit status {status}");
                return;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn codes(diagnostics: &[Value]) -> Vec<(String, u64, u64)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["range"]["start"]["character"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn position(line: u64, character: u64) -> Value {
    json!({ "line": line, "character": character })
}

#[test]
fn the_seed_from_open_to_fix() {
    let mut lsp = Lsp::start(json!({ "debounce_ms": 10 }));
    let uri = lsp.open("seed.txt", SEED, "plaintext");
    let found = codes(&lsp.diagnostics(&uri, 1));
    assert_eq!(
        found,
        [
            ("empty-metadata".to_string(), 2, 23),
            ("duplicate-heading".to_string(), 4, 0),
            ("real-word".to_string(), 32, 846),
            ("real-word".to_string(), 38, 410),
            ("real-word".to_string(), 44, 706),
            ("duplicate-heading".to_string(), 46, 0),
        ]
    );

    // The outline: title, three sections, four run-in headings under 2 and 3.
    let symbols = lsp.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let title = &symbols[0];
    assert_eq!(
        title["name"],
        "Jointly Build a Community with a Shared Future in Cyberspace: Why Essential"
    );
    let sections = title["children"].as_array().unwrap();
    let names: Vec<&str> = sections
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names[0].starts_with("1 A community"), "{names:?}");
    assert!(
        names[1].starts_with("2 Build a community of development"),
        "{names:?}"
    );
    assert_eq!(sections[1]["children"].as_array().unwrap().len(), 4);
    assert_eq!(
        sections[2]["children"][0]["name"],
        "Respect cyber sovereignty"
    );
    assert_eq!(sections[1]["selectionRange"]["start"]["line"], 22);

    // The quick fix for "pubic".
    let fix = lsp.code_action(&uri, 38, 412, "Replace with `public`");
    assert_eq!(fix["isPreferred"], true);
    let edit = &fix["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "public");
    assert_eq!(edit["range"]["start"], position(38, 410));

    // Apply it as an incremental edit: the finding goes, the others stay.
    lsp.change(
        &uri,
        2,
        json!([{ "range": edit["range"], "text": "public" }]),
    );
    let found = codes(&lsp.diagnostics(&uri, 2));
    assert!(!found.iter().any(|(_, line, _)| *line == 38), "{found:?}");
    assert_eq!(found.len(), 5);

    // An edit that shifts every line down by two.
    lsp.change(&uri, 3, json!([{ "range": { "start": position(0, 0), "end": position(0, 0) }, "text": "Draft\n\n" }]));
    let found = codes(&lsp.diagnostics(&uri, 3));
    assert!(
        found.contains(&("real-word".to_string(), 34, 846)),
        "{found:?}"
    );
    assert!(
        found.contains(&("empty-metadata".to_string(), 4, 23)),
        "{found:?}"
    );

    // Closing takes its findings away: an empty list, with no version.
    lsp.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    let cleared = lsp.wait(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"].get("version").is_none()
    });
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    lsp.stop();
}

#[test]
fn utf16_and_utf8_columns_after_an_emoji() {
    let text = "T\n\n😀 the the end\n";
    let mut lsp = Lsp::start(json!({ "debounce_ms": 0 }));
    let uri = lsp.open("emoji.txt", text, "plaintext");
    assert_eq!(
        codes(&lsp.diagnostics(&uri, 1)),
        [("repeated-word".to_string(), 2, 3)]
    );
    lsp.stop();

    let mut lsp = Lsp::start_with(json!({ "debounce_ms": 0 }), &[], json!(["utf-8", "utf-16"]));
    let uri = lsp.open("emoji.txt", text, "plaintext");
    assert_eq!(
        codes(&lsp.diagnostics(&uri, 1)),
        [("repeated-word".to_string(), 2, 5)]
    );
    lsp.stop();
}

const NUMBERED: &str = "Policy\n\n1. Scope\n\nThis policy covers staff.\nIt has two lines.\n\n2. Fees\n\nAs Section 1 says, fees apply. See Section 7.\n";

#[test]
fn definition_references_hover_and_folding() {
    let mut lsp = Lsp::start(json!({ "debounce_ms": 0 }));
    let uri = lsp.open("p.txt", NUMBERED, "plaintext");
    lsp.diagnostics(&uri, 1);
    let at = |l, c| json!({ "textDocument": { "uri": uri }, "position": position(l, c) });

    let definition = lsp.request("textDocument/definition", at(9, 5));
    assert_eq!(definition["uri"], uri.as_str());
    assert_eq!(definition["range"]["start"], position(2, 0));

    let references = lsp.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": uri }, "position": position(2, 3), "context": { "includeDeclaration": false } }),
    );
    let lines: Vec<&Value> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["range"]["start"])
        .collect();
    assert_eq!(lines, [&position(9, 3)]);

    let hover = lsp.request("textDocument/hover", at(9, 6));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("1. Scope") && text.contains("This policy covers staff."),
        "{text}"
    );

    let hover = lsp.request("textDocument/hover", at(9, 40));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("dangling-reference") && text.contains("## What it checks"),
        "{text}"
    );

    let folds = lsp.request(
        "textDocument/foldingRange",
        json!({ "textDocument": { "uri": uri } }),
    );
    let folds: Vec<(u64, u64)> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(folds, [(2, 5), (7, 9)]);

    let symbols = lsp.request("workspace/symbol", json!({ "query": "fee" }));
    assert_eq!(symbols[0]["name"], "2 Fees");

    let pulled = lsp.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(pulled["kind"], "full");
    assert_eq!(
        codes(pulled["items"].as_array().unwrap()),
        [("dangling-reference".to_string(), 9, 35)]
    );
    lsp.stop();
}

const DEFINED: &str = "Data Policy\n\n\"Personal Data\" means any information about a person.\n\nWe keep Personal Data safe. Personal Data is deleted after a year.\n";

#[test]
fn definition_references_and_hover_of_a_defined_term() {
    let mut lsp = Lsp::start(json!({ "debounce_ms": 0 }));
    let uri = lsp.open("terms.txt", DEFINED, "plaintext");
    assert_eq!(codes(&lsp.diagnostics(&uri, 1)), []);
    let at = |l, c| json!({ "textDocument": { "uri": uri }, "position": position(l, c) });

    let definition = lsp.request("textDocument/definition", at(4, 10));
    assert_eq!(definition["uri"], uri.as_str());
    assert_eq!(definition["range"]["start"], position(2, 1));
    assert_eq!(definition["range"]["end"], position(2, 14));

    let starts = |references: Value| -> Vec<Value> {
        references
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["range"]["start"].clone())
            .collect()
    };
    let references = lsp.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": uri }, "position": position(4, 30), "context": { "includeDeclaration": true } }),
    );
    assert_eq!(
        starts(references),
        [position(2, 1), position(4, 8), position(4, 28)]
    );
    // Asked on the definition, without it.
    let references = lsp.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": uri }, "position": position(2, 3), "context": { "includeDeclaration": false } }),
    );
    assert_eq!(starts(references), [position(4, 8), position(4, 28)]);

    let hover = lsp.request("textDocument/hover", at(4, 10));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("**Personal Data** (defined term)")
            && text.contains("means any information about a person."),
        "{text}"
    );
    assert_eq!(hover["range"]["start"], position(4, 8));
    // Not on a term: nothing.
    assert_eq!(lsp.request("textDocument/hover", at(4, 1)), Value::Null);
    lsp.stop();
}

#[test]
fn fix_all_add_to_dictionary_and_disable_rule() {
    let mut lsp = Lsp::start(json!({ "debounce_ms": 0 }));
    let uri = lsp.open(
        "a.md",
        "# Title\n\nWe recieve the the qwertyzz policy.\n",
        "markdown",
    );
    lsp.diagnostics(&uri, 1);
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": { "start": position(0, 0), "end": position(0, 0) },
            "context": { "diagnostics": [], "only": ["source.fixAll.policylint"] }
        }),
    );
    let fix_all = &actions[0];
    assert_eq!(fix_all["kind"], "source.fixAll.policylint");
    assert_eq!(
        fix_all["edit"]["changes"][&uri][0]["newText"],
        "# Title\n\nWe receive the qwertyzz policy.\n"
    );

    // The quick fix of a finding is its rule's fix, the one --fix applies,
    // even where it is no replacement of the flagged text by a suggestion.
    let unused = lsp.open(
        "unused.md",
        "# Title\n\n<!-- policylint-disable-next-line article -->\nWe keep the data.\n",
        "markdown",
    );
    lsp.diagnostics(&unused, 1);
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": unused },
            "range": { "start": position(2, 5), "end": position(2, 5) },
            "context": { "diagnostics": [], "only": ["quickfix"] }
        }),
    );
    let preferred: Vec<&Value> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["isPreferred"] == true)
        .collect();
    assert_eq!(preferred.len(), 1, "{actions}");
    assert_eq!(preferred[0]["diagnostics"][0]["code"], "unused-suppression");
    let edits = &preferred[0]["edit"]["changes"][&unused];
    assert_eq!(edits.as_array().unwrap().len(), 1, "{edits}");
    assert_eq!(edits[0]["range"]["start"], position(2, 0));
    assert_eq!(edits[0]["newText"], "");

    let add = lsp.code_action(&uri, 2, 22, "Add `qwertyzz` to the dictionary");
    let command = &add["command"];
    lsp.request(
        "workspace/executeCommand",
        json!({ "command": command["command"], "arguments": command["arguments"] }),
    );
    let config = fs::read_to_string(lsp.root.join("policylint.toml")).unwrap();
    assert_eq!(config, "[dictionary]\nwords = [\"qwertyzz\"]\n");
    // The document is checked again without the word.
    let found = codes(&lsp.diagnostics(&uri, 1));
    assert!(!found.iter().any(|(_, _, c)| *c == 22), "{found:?}");

    lsp.request(
        "workspace/executeCommand",
        json!({ "command": "policylint.disableRule", "arguments": ["repeated-word", uri] }),
    );
    let config = fs::read_to_string(lsp.root.join("policylint.toml")).unwrap();
    assert!(
        config.starts_with("ignore = [\"repeated-word\"]\n"),
        "{config}"
    );
    let found = codes(&lsp.diagnostics(&uri, 1));
    assert_eq!(found, [("misspelling".to_string(), 2, 3)]);
    lsp.stop();
}

#[test]
fn configuration_from_file_settings_and_changes() {
    let mut lsp = Lsp::start_with(
        json!({ "debounce_ms": 0, "severity": { "repeated-word": "error" } }),
        &[("policylint.toml", "ignore = [\"article\"]\n")],
        json!(["utf-16"]),
    );
    let uri = lsp.open("a.txt", "T\n\nAn policy with the the end.\n", "plaintext");
    let d = lsp.diagnostics(&uri, 1);
    assert_eq!(codes(&d), [("repeated-word".to_string(), 2, 15)]);
    assert_eq!(d[0]["severity"], 1);

    // Settings that say nothing (Eglot sends `{}` on connecting) keep the
    // ones given at start-up.
    for nothing in [json!({}), json!(null), json!({ "policylint": {} })] {
        lsp.notify(
            "workspace/didChangeConfiguration",
            json!({ "settings": nothing }),
        );
    }
    lsp.change(
        &uri,
        2,
        json!([{ "text": "T\n\nAn policy with the the end.\n" }]),
    );
    let d = lsp.diagnostics(&uri, 2);
    assert_eq!(codes(&d), [("repeated-word".to_string(), 2, 15)]);
    assert_eq!(d[0]["severity"], 1);

    // A bad setting is shown and the last good configuration kept.
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "policylint": { "selct": [] } } }),
    );
    let shown = lsp.wait(|m| m["method"] == "window/showMessage");
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("selct"),
        "{shown}"
    );

    // A good one applies to open documents at once.
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "policylint": { "ignore": ["repeated-word"] } } }),
    );
    let d = lsp.diagnostics(&uri, 2);
    assert_eq!(codes(&d), [("article".to_string(), 2, 0)]);
    lsp.stop();
}

#[test]
fn a_client_that_pulls_diagnostics_is_not_sent_them_as_well() {
    let mut lsp = Lsp::start_as(
        json!({ "debounce_ms": 0 }),
        &[],
        json!({
            "textDocument": { "diagnostic": { "dynamicRegistration": false } },
            "workspace": { "diagnostics": { "refreshSupport": true } }
        }),
    );
    let uri = lsp.open("a.txt", "T\n\nAn policy with the the end.\n", "plaintext");
    let pull = |lsp: &mut Lsp| {
        let report = lsp.request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri } }),
        );
        codes(report["items"].as_array().unwrap())
    };
    assert_eq!(
        pull(&mut lsp),
        [
            ("article".to_string(), 2, 0),
            ("repeated-word".to_string(), 2, 15)
        ]
    );
    // A new configuration asks the client to pull again.
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "ignore": ["article"] } }),
    );
    lsp.wait(|m| m["method"] == "workspace/diagnostic/refresh");
    assert_eq!(pull(&mut lsp), [("repeated-word".to_string(), 2, 15)]);
    lsp.change(&uri, 2, json!([{ "text": "T\n\nof of\n" }]));
    assert_eq!(pull(&mut lsp), [("repeated-word".to_string(), 2, 0)]);
    let pushed: Vec<&Value> = lsp
        .backlog
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .collect();
    assert!(pushed.is_empty(), "{pushed:?}");
    lsp.stop();
}

#[test]
fn bad_requests_and_messages_are_answered_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let mut lsp = Lsp::spawn(dir);
    // A request before initialize is refused.
    let early = lsp.call(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": "file:///x" } }),
    );
    assert!(early.get("error").is_some(), "{early}");
    let root = uri(&lsp.root);
    lsp.request(
        "initialize",
        json!({ "processId": null, "rootUri": root, "capabilities": {} }),
    );
    lsp.notify("initialized", json!({}));
    // Malformed JSON and an unknown method.
    lsp.write_raw(b"{ this is not json");
    let unknown = lsp.call("policylint/nothing", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    // Requests about documents never opened.
    let none = lsp.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": "file:///nowhere.txt" } }),
    );
    assert_eq!(none, Value::Null);
    let pulled = lsp.call(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": "file:///nowhere.txt" } }),
    );
    assert!(pulled.get("error").is_some());
    // Positions and ranges past the end clamp.
    let uri = lsp.open("x.txt", "T\n\nthe the\n", "plaintext");
    lsp.diagnostics(&uri, 1);
    lsp.change(
        &uri,
        2,
        json!([
            { "range": { "start": position(99, 0), "end": position(120, 5) }, "text": " end" },
            { "range": { "start": position(2, 100), "end": position(2, 200) }, "text": "!" }
        ]),
    );
    let hover = lsp.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": position(500, 500) }),
    );
    assert_eq!(hover, Value::Null);
    let d = lsp.diagnostics(&uri, 2);
    assert_eq!(codes(&d), [("repeated-word".to_string(), 2, 0)]);
    // A change for an old version is ignored.
    lsp.change(&uri, 1, json!([{ "text": "replaced" }]));
    let pulled = lsp.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(pulled["items"].as_array().unwrap().len(), 1);
    lsp.stop();
}

#[test]
fn wrong_content_lengths_cost_only_the_messages_they_break() {
    let mut lsp = Lsp::start(json!({}));
    let ping =
        |id: i64| json!({ "jsonrpc": "2.0", "id": id, "method": "policylint/nothing" }).to_string();
    // Too short: the message is cut, its tail is skipped as garbage.
    let body = ping(1001);
    lsp.write_with_length(body.len() - 5, body.as_bytes());
    assert_eq!(
        lsp.call("policylint/nothing", json!({}))["error"]["code"],
        -32601
    );
    // Too long: the message swallows the start of the next one; both are
    // lost, and the one after them is answered.
    let body = ping(1002);
    lsp.write_with_length(body.len() + 10, body.as_bytes());
    lsp.write_raw(ping(1003).as_bytes());
    assert_eq!(
        lsp.call("policylint/nothing", json!({}))["error"]["code"],
        -32601
    );
    // Absurdly long: not waited for.
    lsp.write_with_length(usize::MAX / 2, b"{}");
    assert_eq!(
        lsp.call("policylint/nothing", json!({}))["error"]["code"],
        -32601
    );
    // A header that is no number, and a body that is not UTF-8.
    lsp.stdin
        .write_all(b"Content-Length: many\r\n\r\n{}")
        .unwrap();
    lsp.write_raw(b"\xff\xfe{}");
    let uri = lsp.open("still.txt", "T\n\nthe the\n", "plaintext");
    assert_eq!(
        codes(&lsp.diagnostics(&uri, 1)),
        [("repeated-word".to_string(), 2, 0)]
    );
    assert!(
        lsp.backlog
            .iter()
            .all(|m| m["id"] != json!(1001) && m["id"] != json!(1002)),
        "{:?}",
        lsp.backlog
    );
    lsp.stop();
}

#[test]
fn a_flood_of_changes_ends_in_the_right_text() {
    let mut lsp = Lsp::start(json!({ "debounce_ms": 50 }));
    let uri = lsp.open("flood.txt", "T\n\n", "plaintext");
    for version in 2..10_002 {
        lsp.change(
            &uri,
            version,
            json!([{ "range": { "start": position(2, 0), "end": position(2, 0) }, "text": "x" }]),
        );
    }
    lsp.change(&uri, 10_002, json!([{ "range": { "start": position(2, 0), "end": position(2, 0) }, "text": "the the " }]));
    let d = lsp.diagnostics(&uri, 10_002);
    // "the the " then the 10,000 x's, one unknown word: every change applied.
    assert_eq!(
        codes(&d),
        [
            ("repeated-word".to_string(), 2, 0),
            ("misspelling".to_string(), 2, 8)
        ]
    );
    assert_eq!(d[1]["range"]["end"]["character"], 10_008);
    let symbols = lsp.call(
        "textDocument/foldingRange",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert!(symbols.get("error").is_none());
    lsp.stop();
}

#[test]
fn suppressions_are_honoured_and_a_finding_disabled_for_its_line() {
    let config = "[[suppress]]\npath = \"notes.txt\"\nrule = \"repeated-word\"\n\n\
                  [[overrides]]\nfiles = [\"draft-*.md\"]\nignore = [\"article\"]\n";
    let mut lsp = Lsp::start_with(
        json!({ "debounce_ms": 0 }),
        &[("policylint.toml", config)],
        json!(["utf-16"]),
    );
    let text = "# Terms\n\n<!-- policylint-disable-next-line repeated-word -->\nWe keep the the data.\n\n  An policy with the the end.\n";
    let uri = lsp.open("a.md", text, "markdown");
    assert_eq!(
        codes(&lsp.diagnostics(&uri, 1)),
        [
            ("article".to_string(), 5, 2),
            ("repeated-word".to_string(), 5, 17)
        ]
    );

    let action = lsp.code_action(&uri, 5, 18, "Disable `repeated-word` for this line");
    let edit = &action["edit"]["changes"][&uri][0];
    assert_eq!(
        edit["newText"],
        "  <!-- policylint-disable-next-line repeated-word -->\n"
    );
    assert_eq!(edit["range"]["start"], position(5, 0));
    lsp.change(
        &uri,
        2,
        json!([{ "range": edit["range"], "text": edit["newText"] }]),
    );
    assert_eq!(
        codes(&lsp.diagnostics(&uri, 2)),
        [("article".to_string(), 6, 2)]
    );

    // The configuration's entries for a file: [[suppress]], [[overrides]].
    let notes = lsp.open("notes.txt", "Notes\n\nWe keep the the data.\n", "plaintext");
    assert_eq!(codes(&lsp.diagnostics(&notes, 1)), []);
    let draft = lsp.open("draft-1.md", "# Draft\n\nAn policy.\n", "markdown");
    assert_eq!(codes(&lsp.diagnostics(&draft, 1)), []);
    let other = lsp.open("other.md", "# Other\n\nAn policy.\n", "markdown");
    assert_eq!(
        codes(&lsp.diagnostics(&other, 1)),
        [("article".to_string(), 2, 0)]
    );
    lsp.stop();
}

#[test]
fn renumbering_is_the_quick_fix_of_a_skipped_heading_number() {
    let mut lsp = Lsp::start(json!({ "debounce_ms": 0 }));
    let text = "# Terms\n\n## 1. Scope\n\nSee section 4.1.\n\n## 2. Data\n\nText.\n\n## 4. Law\n\nText.\n\n### 4.1. Courts\n\nText.\n";
    let uri = lsp.open("terms.md", text, "markdown");
    let found = codes(&lsp.diagnostics(&uri, 1));
    assert_eq!(found, [("numbering".to_string(), 10, 3)]);
    let action = lsp.code_action(
        &uri,
        10,
        3,
        "Renumber the sections that follow and the references to them",
    );
    assert_eq!(action["kind"], "quickfix");
    let edits = action["edit"]["changes"][&uri].as_array().unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for e in edits.iter().rev() {
        let line = e["range"]["start"]["line"].as_u64().unwrap() as usize;
        assert_eq!(e["range"]["end"]["line"], line as u64);
        let from = e["range"]["start"]["character"].as_u64().unwrap() as usize;
        let to = e["range"]["end"]["character"].as_u64().unwrap() as usize;
        lines[line].replace_range(from..to, e["newText"].as_str().unwrap());
    }
    assert_eq!(
        lines.join("\n") + "\n",
        "# Terms\n\n## 1. Scope\n\nSee section 3.1.\n\n## 2. Data\n\nText.\n\n## 3. Law\n\nText.\n\n### 3.1. Courts\n\nText.\n"
    );
    lsp.stop();
}

#[test]
fn links_to_files_are_looked_up_beside_the_document_and_not_for_an_unsaved_buffer() {
    let text = "# Terms\n\nSee [cookies](cookies.md), [privacy](privacy.md) and [law](#law).\n";
    let mut lsp = Lsp::start_with(
        json!({ "debounce_ms": 0, "select": ["missing-file", "missing-anchor"] }),
        // A project (its policylint.toml), whose files missing-file judges.
        &[("cookies.md", "# Cookies\n"), ("policylint.toml", "")],
        json!(["utf-16"]),
    );
    let uri = lsp.open("terms.md", text, "markdown");
    assert_eq!(
        codes(&lsp.diagnostics(&uri, 1)),
        [
            ("missing-file".to_string(), 2, 37),
            ("missing-anchor".to_string(), 2, 59)
        ]
    );
    let untitled = "untitled:Untitled-1".to_string();
    lsp.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": untitled, "languageId": "markdown", "version": 1, "text": text } }),
    );
    assert_eq!(
        codes(&lsp.diagnostics(&untitled, 1)),
        [("missing-anchor".to_string(), 2, 59)]
    );
    lsp.stop();
}

#[test]
fn a_translation_is_compared_with_its_reference_file() {
    let mut lsp = Lsp::start_with(
        json!({ "debounce_ms": 0, "select": ["translation-mismatch"] }),
        &[("policylint.toml", "[translations]\nreference = \"en\"\n")],
        json!(["utf-16"]),
    );
    fs::create_dir_all(lsp.root.join("en")).unwrap();
    fs::create_dir_all(lsp.root.join("de")).unwrap();
    fs::write(
        lsp.root.join("en/terms.md"),
        "# Terms\n\n## 1. Use\n\nText.\n\n## 2. Fees\n\nText.\n",
    )
    .unwrap();
    let uri = lsp.open(
        "de/terms.md",
        "# Bedingungen\n\n## 1. Nutzung\n\nText.\n",
        "markdown",
    );
    let found = lsp.diagnostics(&uri, 1);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["code"], "translation-mismatch");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("section 2 of the reference"),
        "{found:?}"
    );
    lsp.stop();
}
