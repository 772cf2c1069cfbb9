//! Parse + lint throughput on one core.
//!
//!     cargo bench --bench throughput [-- --mb 20 --select RULES --format plain]
//!
//! Concatenates the clean policy corpus (`../shared/corpus/clean`, or the
//! documents in `seeds/` when that is absent) until the text reaches the
//! requested size, then times `Document::parse` and the linter on it, as
//! Markdown and as plain text, and prints megabytes per second. Then it
//! times what the language server does on a keystroke in a document of
//! 100 KB and 1 MB (apply the edit, parse, re-check the changed block and
//! the document rules) against a fresh check of the same text. It is a
//! measurement, not a test: nothing here fails on a slow machine.

mod corpus;

use std::fs;
use std::time::{Duration, Instant};

use policylint::config::Config;
use policylint::lint::Linter;
use policylint::lsp::{Encoding, OpenDocument};
use policylint::syntax::{Document, Format};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

fn main() {
    // The checker runs document rules side by side; throughput is
    // measured on one core, as the command line checks one file of many.
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global()
        .expect("no pool is made before this one");
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let megabytes: usize = flag("--mb").and_then(|v| v.parse().ok()).unwrap_or(20);
    let select = flag("--select");
    let only = flag("--format");

    let (_, sources) = corpus::sources();
    let mut text = String::new();
    while text.len() < megabytes << 20 {
        for path in &sources {
            text.push_str(&fs::read_to_string(path).expect("readable corpus file"));
            text.push_str("\n\n");
        }
    }
    let config = match &select {
        Some(rules) => Config::parse(
            &format!("select = {:?}", rules.split(',').collect::<Vec<_>>()),
            None,
        )
        .expect("valid rule names"),
        None => Config::default(),
    };
    let linter = Linter::new(&config);
    let rules: Vec<&str> = linter.rules().map(|r| r.name).collect();
    println!(
        "{:.1} MB of {} files, rules: {}",
        text.len() as f64 / 1e6,
        sources.len(),
        rules.join(",")
    );
    let mb = text.len() as f64 / 1e6;
    for format in [Format::Markdown, Format::Plain] {
        if only.as_deref().is_some_and(|f| f != format.name()) {
            continue;
        }
        let mut runs: Vec<(Duration, Duration)> = Vec::new();
        let mut findings = 0;
        for _ in 0..ROUNDS {
            let start = Instant::now();
            let doc = Document::parse(&text, format);
            let parsed = Instant::now();
            findings = linter.check(&doc).len();
            runs.push((parsed - start, parsed.elapsed()));
        }
        runs.sort_by_key(|&(p, l)| p + l);
        let (best_parse, best_lint) = runs[0];
        let (median_parse, median_lint) = runs[ROUNDS / 2];
        println!(
            "{:9} best: parse {:5.0} ms + lint {:5.0} ms = {:5.1} MB/s   median: {:5.1} MB/s   ({findings} findings)",
            format.name(),
            best_parse.as_secs_f64() * 1e3,
            best_lint.as_secs_f64() * 1e3,
            mb / (best_parse + best_lint).as_secs_f64(),
            mb / (median_parse + median_lint).as_secs_f64(),
        );
    }
    for size in [100_000, 1_000_000] {
        keystrokes(&text, size, &linter);
    }
}

/// Timed rounds per format; the best and the median are reported.
const ROUNDS: usize = 7;

/// Median time of a one-character edit in the middle of the first `size`
/// bytes of `text`, and of a fresh check of the same text.
fn keystrokes(text: &str, size: usize, linter: &Linter) {
    let mut end = size.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &text[..end];
    let middle = text.lines().count() as u32 / 2;
    let mut document = OpenDocument::new(text, 0, Format::Markdown);
    document.analysis(linter, Encoding::Utf16);
    let mut edits = Vec::new();
    for version in 1..=40 {
        let start = Instant::now();
        // Type a letter, then delete it.
        let typed = version % 2 == 1;
        let change = TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(middle, 0),
                Position::new(middle, u32::from(!typed)),
            )),
            range_length: None,
            text: if typed { "x" } else { "" }.to_string(),
        };
        document.apply(vec![change], version, Encoding::Utf16);
        document.analysis(linter, Encoding::Utf16);
        edits.push(start.elapsed());
    }
    edits.sort();
    let mut fresh = Vec::new();
    for _ in 0..ROUNDS {
        let start = Instant::now();
        linter.check(&Document::parse(text, Format::Markdown));
        fresh.push(start.elapsed());
    }
    fresh.sort();
    println!(
        "keystroke in {:4.0} KB of Markdown: median {:6.2} ms (a fresh check: {:6.2} ms)",
        text.len() as f64 / 1e3,
        edits[edits.len() / 2].as_secs_f64() * 1e3,
        fresh[ROUNDS / 2].as_secs_f64() * 1e3,
    );
}
