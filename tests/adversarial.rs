//! Extreme inputs: each is parsed and checked with every rule in both
//! formats, and must come through with sound findings, without a panic and
//! without running out of stack (test threads have small stacks, so
//! unbounded recursion on nesting shows here).
//!
//! The inputs are smaller than in `scripts/scaling.py`, which times the
//! full sizes (a 100 MB line, a million headings) on a release build; they
//! are large enough that an algorithm quadratic in them would take hours
//! here in a debug build.

mod common;

use common::check_everything;
use policylint::syntax::{Document, Format};

fn both_formats(text: &str) {
    for format in [Format::Plain, Format::Markdown] {
        check_everything(text, format);
    }
}

/// About `bytes` of prose from the seed, joined into one line.
fn one_line_of_prose(bytes: usize) -> String {
    let seed = include_str!("../seeds/cyberspace-community.txt").replace(['\n', '\r'], " ");
    let mut line = String::with_capacity(bytes + seed.len());
    while line.len() < bytes {
        line.push_str(&seed);
        line.push(' ');
    }
    line
}

#[test]
fn a_long_single_line() {
    both_formats(&one_line_of_prose(512 << 10));
}

#[test]
fn a_long_sentence_without_punctuation() {
    let words: String = one_line_of_prose(512 << 10)
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect();
    both_formats(&words);
}

#[test]
fn tens_of_thousands_of_headings() {
    let markdown: String = (0..30_000).map(|i| format!("# Heading {i}\n")).collect();
    check_everything(&markdown, Format::Markdown);
    let numbered: String = (1..=20_000)
        .map(|i| format!("{i}. Heading\n\nText.\n\n"))
        .collect();
    check_everything(&numbered, Format::Plain);
    let same = "# Same\n".repeat(30_000);
    let found = check_everything(&same, Format::Markdown);
    assert!(found.iter().any(|d| d.rule.name == "duplicate-heading"));
}

#[test]
fn ten_thousand_levels_of_nesting() {
    let lists = "- ".repeat(10_000) + "item\n";
    let quotes = ">".repeat(10_000) + " text\n";
    let ordered = "1. ".repeat(10_000) + "item\n";
    let indented: String = (0..1_000).map(|i| "  ".repeat(i) + "- item\n").collect();
    let links = "[a](".repeat(10_000) + "\n";
    let brackets = "[".repeat(10_000) + "x" + &"]".repeat(10_000);
    let emphasis = "*a ".repeat(5_000) + "b" + &" c*".repeat(5_000);
    for text in [lists, quotes, ordered, indented, links, brackets, emphasis] {
        both_formats(&text);
    }
    // Section numbers as deep as heading levels go, and deeper.
    let dotted: String = (1..=300)
        .map(|depth| format!("{} Part\n\nText.\n\n", vec!["1"; depth].join(".")))
        .collect();
    both_formats(&dotted);
}

#[test]
fn a_word_of_a_hundred_thousand_characters() {
    let word = "a".repeat(100_000);
    both_formats(&word);
    both_formats(&format!("Teh {word} teh {}\n", "é".repeat(50_000)));
}

#[test]
fn control_characters_and_line_breaks_of_every_kind() {
    let seed = include_str!("../seeds/cyberspace-community.txt");
    both_formats(&seed.replace('\n', "\0\n"));
    both_formats(&seed.replace('\n', "\r"));
    let mixed: String = seed
        .lines()
        .enumerate()
        .map(|(i, line)| format!("{line}{}", ["\n", "\r\n", "\r"][i % 3]))
        .collect();
    let found = check_everything(&mixed, Format::Plain);
    assert!(
        found.iter().any(|d| d.rule.name == "real-word"),
        "the seed's errors are still found with mixed line breaks"
    );
}

#[test]
fn nothing_but_whitespace_and_nothing_at_all() {
    for text in ["", " \t\n".repeat(100_000).as_str(), "\r\n\r\n", "\u{feff}"] {
        for format in [Format::Plain, Format::Markdown] {
            assert!(check_everything(text, format).is_empty());
            assert!(Document::parse(text, format).outline.sections.is_empty());
        }
    }
}

#[test]
fn many_acronyms_references_and_parentheses_in_one_block() {
    let acronyms: String = (0..20_000)
        .map(|i| {
            format!(
                "AB{}{} ",
                (b'A' + (i % 26) as u8) as char,
                (b'A' + (i / 26 % 26) as u8) as char
            )
        })
        .collect();
    let references: String = (1..20_000).map(|i| format!("See Section {i}. ")).collect();
    let parentheses = "(".repeat(200_000);
    let closing = "ABC ".to_string() + &")".repeat(200_000);
    for text in [
        acronyms,
        "1. Intro\n\n".to_string() + &references,
        parentheses,
        closing,
    ] {
        both_formats(&text);
    }
}

/// Ten thousand different words of random letters: the dictionary knows
/// none of them. They read as another language and are not reported; each
/// one used to cost a suggestion search (about a millisecond, far more in a
/// debug build), which made 16 KB of them take seconds.
#[test]
fn ten_thousand_different_unknown_words() {
    let mut state: u32 = 2_463_534_242;
    let mut letter = || {
        // xorshift: the same letters on every run.
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        char::from(b'a' + (state % 26) as u8)
    };
    let words: Vec<String> = (0..10_000)
        .map(|i| (0..5 + i % 7).map(|_| letter()).collect())
        .collect();
    let text = format!("Title\n\n{}.\n", words.join(" "));
    for format in [Format::Plain, Format::Markdown] {
        let found = check_everything(&text, format);
        assert!(!found.iter().any(|d| d.rule.name == "misspelling"));
    }
}

/// Twenty thousand defined terms that share their first word, each used
/// once, and long runs of quotes and quoted alternatives: finding a term's
/// uses looks up its first two words, and the definition finder looks only
/// a few tokens ahead.
#[test]
fn many_terms_that_share_a_word_and_long_runs_of_quotes() {
    let terms: String = (0..20_000)
        .map(|i| format!("\"Fee {i}\" means a sum. Pay the Fee {i} now.\n\n"))
        .collect();
    let found = check_everything(&format!("Title\n\n{terms}"), Format::Plain);
    assert!(!found.iter().any(|d| d.rule.name == "unused-definition"));
    let quotes = "\"".repeat(200_000);
    let alternatives: String = (0..50_000).map(|i| format!("\"T{i}\" or ")).collect();
    for text in [quotes, alternatives + "\"Last\" means it."] {
        both_formats(&text);
    }
}
