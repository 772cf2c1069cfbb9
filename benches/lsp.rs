//! The language server measured as an editor meets it.
//!
//!     cargo bench --bench lsp
//!
//! Starts the built `policylint lsp` as a child process and speaks JSON-RPC
//! to it over standard input and output, as a client that takes pushed
//! diagnostics with no debounce (`debounce_ms` = 0). The documents are the
//! clean policy corpus (`../shared/corpus/clean`, or `seeds/` when that is
//! absent) concatenated to 5 MB, 2 MB and 100 KB of Markdown. It measures
//!
//! - opening the 5 MB document: `didOpen` to its first diagnostics;
//! - one-letter edits inside prose at 5 MB and at 100 KB: `didChange` to
//!   the diagnostics of that version, p50 and p95;
//! - on the 2 MB document, a code action at a finding (which computes "fix
//!   all") and a hover on a section reference sent right after it: the
//!   response time of each, and of the same hover alone;
//! - the server's peak memory (`VmHWM`, Linux only).
//!
//! Times run from the moment the message starts to go out to the moment the
//! answer has been read whole (before the client parses it), so they include
//! the server's reading, serialising and writing. Only the protocol is used,
//! not the library, so that the same bench measures the server before and
//! after it is reworked. Each figure is printed beside its target from
//! issue 12. It is a measurement, not a test: nothing here fails on a slow
//! machine.

mod corpus;
#[path = "../tests/jsonrpc/mod.rs"]
mod jsonrpc;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const MB: usize = 1 << 20;
/// One-letter edits timed at 5 MB and at 100 KB.
const EDITS_LARGE: usize = 50;
const EDITS_SMALL: usize = 200;
/// Code action + hover pairs, and hovers alone, on the 2 MB document.
const HOVER_ROUNDS: usize = 5;
/// How long any one answer may take before the bench gives up: a guard
/// against a hung server, not a performance bound.
const PATIENCE: Duration = Duration::from_secs(300);

fn main() {
    let (folder, sources) = corpus::sources();
    let large = markdown(&sources, 5 * MB);
    let middle = markdown(&sources, 2 * MB);
    let small = markdown(&sources, 100 << 10);
    println!(
        "policylint lsp: {} of Markdown from {} files of {folder}",
        [&large, &middle, &small].map(|t| size(t.len())).join(", "),
        sources.len(),
    );

    let workspace = tempfile::tempdir().expect("a temporary folder");
    let mut server = Server::start(workspace.path());
    let mut peaks = Vec::new();

    // Opening: the first time, then twice more (closed in between), when
    // the process-wide memos are warm.
    let large_uri = server.uri("large.md");
    let mut opens = Vec::new();
    let mut opened = None;
    for round in 0..3 {
        if round > 0 {
            server.notify(
                "textDocument/didClose",
                json!({ "textDocument": { "uri": large_uri } }),
            );
        }
        let sent = server.open(&large_uri, &large);
        let message = server.diagnostics(&large_uri, 1);
        opens.push(message.at - sent);
        opened = Some(message);
    }
    peaks.push(("opening 5 MB", server.peak_memory()));
    let opened = opened.expect("opened");
    let diagnostics = &opened.value["params"]["diagnostics"];
    println!(
        "open {}: first {}, then {} and {}   (target ≤ 300 ms; {} diagnostics, {} of JSON)",
        size(large.len()),
        ms(opens[0]),
        ms(opens[1]),
        ms(opens[2]),
        diagnostics.as_array().map_or(0, Vec::len),
        size(opened.bytes),
    );
    // What serde_json spends on that message alone: the share of publishing
    // in these figures, roughly (the server serialises it once more).
    let start = Instant::now();
    let serialised = serde_json::to_vec(&opened.value).expect("serialisable");
    let serialising = start.elapsed();
    let start = Instant::now();
    let _: Value = serde_json::from_slice(&serialised).expect("parsable");
    println!(
        "  (that diagnostics message alone: serialising {}, parsing {} with serde_json here)",
        ms(serialising),
        ms(start.elapsed()),
    );

    let times = server.edits(&large_uri, &large, EDITS_LARGE);
    print_edits(&large, &times, "target p50 ≤ 5 ms, p95 ≤ 20 ms; ");
    peaks.push(("editing 5 MB", server.peak_memory()));
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": large_uri } }),
    );

    let small_uri = server.uri("small.md");
    server.open(&small_uri, &small);
    server.diagnostics(&small_uri, 1);
    let times = server.edits(&small_uri, &small, EDITS_SMALL);
    print_edits(&small, &times, "");
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": small_uri } }),
    );

    hover_during_code_action(&mut server, &middle);
    peaks.push(("the code actions at 2 MB", server.peak_memory()));

    // The kernel updates VmHWM lazily, so a later reading can be a little
    // lower than an earlier one: the peak is the highest.
    let readings: Vec<(&str, usize)> = peaks
        .into_iter()
        .filter_map(|(phase, kb)| Some((phase, kb?)))
        .collect();
    match readings.iter().map(|&(_, kb)| kb).max() {
        Some(kb) => println!(
            "peak memory: {}   (target ≤ 150 MB; after {})",
            size(kb << 10),
            readings
                .iter()
                .map(|&(phase, kb)| format!("{phase}: {}", size(kb << 10)))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        None => println!("peak memory: unavailable (no /proc/PID/status here)"),
    }
    server.stop();
}

fn print_edits(text: &str, times: &[Duration], target: &str) {
    println!(
        "edit to diagnostics at {}: p50 {}, p95 {}   ({target}{} edits)",
        size(text.len()),
        ms(percentile(times, 50)),
        ms(percentile(times, 95)),
        times.len(),
    );
}

/// The code action an editor asks for at a finding (with no `only`, which
/// computes "fix all" as well), and a hover on a section reference sent
/// right behind it, on the same document.
fn hover_during_code_action(server: &mut Server, text: &str) {
    let uri = server.uri("middle.md");
    server.open(&uri, text);
    let opened = server.diagnostics(&uri, 1);
    let finding = opened.value["params"]["diagnostics"]
        .as_array()
        .and_then(|d| d.first())
        .cloned()
        .expect("the 2 MB document has a finding to ask a code action at");
    let (target, hover_at) = hover_target(server, &uri, text);
    let code_action = json!({
        "textDocument": { "uri": uri },
        "range": finding["range"],
        "context": { "diagnostics": [finding] }
    });
    let hover = json!({ "textDocument": { "uri": uri }, "position": hover_at });

    let (mut actions, mut during, mut alone) = (Vec::new(), Vec::new(), Vec::new());
    let mut fix_all = None;
    for _ in 0..HOVER_ROUNDS {
        let (action_id, action_sent) = server.request("textDocument/codeAction", &code_action);
        let (hover_id, hover_sent) = server.request("textDocument/hover", &hover);
        let answered = server.responses(&[action_id, hover_id]);
        let action = &answered[&action_id];
        actions.push(action.at - action_sent);
        during.push(answered[&hover_id].at - hover_sent);
        fix_all = action.value["result"].as_array().and_then(|a| {
            a.iter()
                .find(|a| a["kind"] == "source.fixAll.policylint")
                .map(|a| a["title"].as_str().unwrap_or_default().to_string())
        });
    }
    for _ in 0..HOVER_ROUNDS {
        let (id, sent) = server.request("textDocument/hover", &hover);
        alone.push(server.responses(&[id])[&id].at - sent);
    }
    for times in [&mut actions, &mut during, &mut alone] {
        times.sort();
    }
    let fix_all = match fix_all {
        Some(title) => format!("offers {title}"),
        None => "offers no fix-all: the document has no safe fix".into(),
    };
    println!(
        "code action at a finding in {}: median {}, worst {}   ({fix_all})",
        size(text.len()),
        ms(percentile(&actions, 50)),
        ms(percentile(&actions, 100)),
    );
    println!(
        "hover on {target} sent right after it: median {}, worst {}   (target ≤ 20 ms)",
        ms(percentile(&during, 50)),
        ms(percentile(&during, 100)),
    );
    println!(
        "the same hover alone: median {}, worst {}",
        ms(percentile(&alone, 50)),
        ms(percentile(&alone, 100)),
    );
}

/// What to hover on: the first "Section N" in prose that the server resolves
/// to a heading (asked with `textDocument/definition`), else a heading.
fn hover_target(server: &mut Server, uri: &str, text: &str) -> (&'static str, Value) {
    let lines: Vec<&str> = text.lines().collect();
    for (line, column) in prose_lines(text)
        .flat_map(|(l, line)| {
            line.match_indices("Section ")
                .map(move |(at, m)| (l, at + m.len()))
        })
        .filter(|&(l, at)| lines[l][at..].starts_with(|c: char| c.is_ascii_digit()))
        .take(50)
    {
        let position = json!({ "line": line, "character": utf16_len(&lines[line][..column]) });
        let params = json!({ "textDocument": { "uri": uri }, "position": position });
        let (id, _) = server.request("textDocument/definition", &params);
        if !server.responses(&[id])[&id].value["result"].is_null() {
            return ("a section reference", position);
        }
    }
    let heading = lines
        .iter()
        .position(|l| l.starts_with("## "))
        .expect("the document has a heading");
    ("a heading", json!({ "line": heading, "character": 4 }))
}

/// `size` bytes of the sources one after another (as often as needed), cut
/// at a paragraph break.
fn markdown(sources: &[PathBuf], size: usize) -> String {
    assert!(!sources.is_empty(), "no documents to measure");
    let mut text = String::new();
    'fill: loop {
        for path in sources {
            text.push_str(&fs::read_to_string(path).expect("readable corpus file"));
            text.push_str("\n\n");
            if text.len() >= size {
                break 'fill;
            }
        }
    }
    let mut end = size;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let end = text[..end].rfind("\n\n").map_or(end, |i| i + 2);
    text.truncate(end);
    text
}

/// The lines of paragraphs: outside code fences, starting with a letter.
fn prose_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut fenced = false;
    text.lines().enumerate().filter(move |(_, line)| {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
        }
        !fenced && line.starts_with(|c: char| c.is_ascii_alphabetic())
    })
}

/// `count` different places in the middle of words of prose (lower-case
/// ASCII words of four letters or more between spaces), in a scattered
/// but fixed order: (line, UTF-16 column).
fn places(text: &str, count: usize) -> Vec<(usize, usize)> {
    let mut candidates = Vec::new();
    for (l, line) in prose_lines(text) {
        let mut at = 0;
        for word in line.split(' ') {
            let inside = at > 0 && at + word.len() < line.len();
            if inside && word.len() >= 4 && word.bytes().all(|b| b.is_ascii_lowercase()) {
                candidates.push((l, utf16_len(&line[..at]) + word.len() / 2));
            }
            at += word.len() + 1;
        }
    }
    assert!(
        candidates.len() >= count,
        "only {} words to edit",
        candidates.len()
    );
    // xorshift64: the same places on every run, spread over the document.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut chosen = HashSet::new();
    let mut out = Vec::new();
    while out.len() < count {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let i = (state % candidates.len() as u64) as usize;
        if chosen.insert(i) {
            out.push(candidates[i]);
        }
    }
    out
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// One received message, with when its last byte was read and its size.
struct Message {
    value: Value,
    at: Instant,
    bytes: usize,
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Message>,
    /// Responses read while waiting for others.
    responses: HashMap<i64, Message>,
    stderr: Arc<Mutex<String>>,
    next_id: i64,
    root: PathBuf,
    version: i64,
}

impl Server {
    /// Starts `policylint lsp` in `root` and initializes it as a client that
    /// takes pushed diagnostics (it announces no `textDocument.diagnostic`).
    fn start(root: &Path) -> Server {
        // Cargo builds the binary for benches too, in the same profile.
        let mut child = Command::new(env!("CARGO_BIN_EXE_policylint"))
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let mut errors = child.stderr.take().expect("piped");
        let stderr = Arc::new(Mutex::new(String::new()));
        let log = stderr.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = errors.read_to_string(&mut text);
            *log.lock().unwrap() = text;
        });
        let messages = jsonrpc::listen(stdout, |body| {
            let at = Instant::now();
            Some(Message {
                value: serde_json::from_slice(&body).ok()?,
                at,
                bytes: body.len(),
            })
        });
        let mut server = Server {
            child,
            stdin,
            messages,
            responses: HashMap::new(),
            stderr,
            next_id: 1,
            root: root.to_path_buf(),
            version: 1,
        };
        let root_uri = server.uri("");
        let (id, _) = server.request(
            "initialize",
            &json!({
                "processId": std::process::id(),
                "rootUri": root_uri,
                "workspaceFolders": [{ "uri": root_uri, "name": "bench" }],
                "initializationOptions": { "debounce_ms": 0 },
                "capabilities": { "general": { "positionEncodings": ["utf-16"] } }
            }),
        );
        let initialized = server.responses(&[id]);
        assert!(
            initialized[&id].value.get("error").is_none(),
            "initialize failed: {}",
            initialized[&id].value
        );
        server.notify("initialized", json!({}));
        server
    }

    fn uri(&self, name: &str) -> String {
        format!("file://{}", self.root.join(name).display())
    }

    /// Writes `message`; returns when its first byte went out.
    fn send(&mut self, message: &Value) -> Instant {
        let body = message.to_string();
        let sent = Instant::now();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len())
            .and_then(|()| self.stdin.flush())
            .unwrap_or_else(|e| panic!("writing to the server: {e}{}", self.stderr()));
        sent
    }

    fn notify(&mut self, method: &str, params: Value) -> Instant {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }))
    }

    fn request(&mut self, method: &str, params: &Value) -> (i64, Instant) {
        let id = self.next_id;
        self.next_id += 1;
        let sent =
            self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        (id, sent)
    }

    fn open(&mut self, uri: &str, text: &str) -> Instant {
        self.version = 1;
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
        )
    }

    /// Types one letter at each of `count` places in the open document
    /// `uri` (whose text was `text` when opened), each time waiting for the
    /// diagnostics of the new version; the time each took.
    fn edits(&mut self, uri: &str, text: &str, count: usize) -> Vec<Duration> {
        // A typed letter moves what follows on its line by one column.
        let mut typed: Vec<(usize, usize)> = Vec::new();
        let mut times = Vec::new();
        for (i, (line, column)) in places(text, count).into_iter().enumerate() {
            let shift = typed
                .iter()
                .filter(|&&(l, c)| l == line && c < column)
                .count();
            typed.push((line, column));
            let at = json!({ "line": line, "character": column + shift });
            self.version += 1;
            let letter = &"etaoinshrdlu"[i % 12..][..1];
            let sent = self.notify(
                "textDocument/didChange",
                json!({
                    "textDocument": { "uri": uri, "version": self.version },
                    "contentChanges": [{ "range": { "start": at, "end": at }, "text": letter }]
                }),
            );
            times.push(self.diagnostics(uri, self.version).at - sent);
        }
        times.sort();
        times
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Message {
        loop {
            let Some(message) = self.next() else {
                continue;
            };
            let params = &message.value["params"];
            if message.value["method"] == "textDocument/publishDiagnostics"
                && params["uri"] == uri
                && params["version"] == version
            {
                return message;
            }
        }
    }

    /// The responses to the requests `ids`, in whatever order they come.
    fn responses(&mut self, ids: &[i64]) -> HashMap<i64, Message> {
        while !ids.iter().all(|id| self.responses.contains_key(id)) {
            self.next();
        }
        ids.iter()
            .map(|id| (*id, self.responses.remove(id).expect("awaited")))
            .collect()
    }

    /// Reads the next message: a response is kept for `responses`, a
    /// request of the server's answered, a notification returned.
    fn next(&mut self) -> Option<Message> {
        let message = match self.messages.recv_timeout(PATIENCE) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => {
                panic!("no message from the server in {PATIENCE:?}")
            }
            Err(RecvTimeoutError::Disconnected) => {
                panic!("the server closed its output{}", self.stderr())
            }
        };
        let value = &message.value;
        match (value.get("id").and_then(Value::as_i64), value.get("method")) {
            (Some(id), None) => {
                self.responses.insert(id, message);
                None
            }
            (Some(_), Some(_)) => {
                let id = value["id"].clone();
                self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": null }));
                None
            }
            _ => Some(message),
        }
    }

    /// The server's peak resident memory in kilobytes so far (Linux).
    fn peak_memory(&self) -> Option<usize> {
        let status = fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    fn stderr(&self) -> String {
        let text = self.stderr.lock().unwrap();
        if text.is_empty() {
            String::new()
        } else {
            format!("; it said:\n{text}")
        }
    }

    /// `shutdown`, then `exit`, and the process's end.
    fn stop(mut self) {
        let (id, _) = self.request("shutdown", &Value::Null);
        self.responses(&[id]);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            match self.child.try_wait() {
                Ok(Some(status)) if status.success() => return,
                Ok(Some(status)) => {
                    println!("the server exited with {status}{}", self.stderr());
                    return;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
                Err(e) => panic!("waiting for the server: {e}"),
            }
        }
        println!("the server did not exit within 10 s of `exit`; killed");
        let _ = self.child.kill();
    }
}

/// The `p`th percentile of sorted `times` (nearest rank).
fn percentile(times: &[Duration], p: usize) -> Duration {
    let rank = (times.len() * p).div_ceil(100).max(1);
    times[rank - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn size(bytes: usize) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{:.0} KB", bytes as f64 / 1e3)
    }
}
