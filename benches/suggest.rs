//! Spelling suggestions for words just mistyped.
//!
//!     cargo bench --bench suggest
//!
//! Takes the different words of five to eleven lower-case letters of the
//! clean policy corpus (`../shared/corpus/clean`, or `seeds/` when that is
//! absent), types one letter into each of 400 of them (as the language
//! server's bench types into prose), and times the lexicon's two searches
//! for each misspelling made: its suggestions (words within two edits,
//! ranked), which the misspelling rule asks for a word it reports, and its
//! neighbours (words one edit away), which it asks for every unknown word.
//! Every misspelling is new to the process-wide memos, as a word being
//! typed is. It is a measurement, not a test: nothing here fails on a slow
//! machine.

mod corpus;

use std::collections::BTreeSet;
use std::fs;
use std::time::Instant;

use policylint::lexicon::{self, Dialect, Dictionary};

const WORDS: usize = 400;

fn main() {
    let (folder, sources) = corpus::sources();
    let mut words = BTreeSet::new();
    for path in &sources {
        let text = fs::read_to_string(path).expect("readable corpus file");
        words.extend(
            text.split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| {
                    (5..=11).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_lowercase())
                })
                .map(str::to_string),
        );
    }
    let words: Vec<String> = words.into_iter().collect();
    let step = (words.len() / WORDS).max(1);
    let misspelt: Vec<String> = words
        .iter()
        .step_by(step)
        .take(WORDS)
        .enumerate()
        .map(|(i, w)| {
            let at = 1 + i % (w.len() - 1);
            let letter = &"etaoinshrdlu"[i % 12..][..1];
            format!("{}{letter}{}", &w[..at], &w[at..])
        })
        .collect();
    println!(
        "{} misspellings made from the words of {} files of {folder}",
        misspelt.len(),
        sources.len()
    );
    let dictionary = Dictionary::new(Dialect::American, Vec::new());
    let start = Instant::now();
    let found: usize = misspelt
        .iter()
        .map(|w| dictionary.suggest(w, 5).len())
        .sum();
    println!(
        "suggestions: {:.3} ms a word ({found} suggestions)",
        start.elapsed().as_secs_f64() * 1e3 / misspelt.len() as f64
    );
    let start = Instant::now();
    let found: usize = misspelt
        .iter()
        .map(|w| lexicon::neighbours(w, Dialect::American).len())
        .sum();
    println!(
        "neighbours: {:.3} ms a word ({found} neighbours)",
        start.elapsed().as_secs_f64() * 1e3 / misspelt.len() as f64
    );
}
