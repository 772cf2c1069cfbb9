//! Properties of the engine on generated texts: findings lie on character
//! boundaries inside the text, positions convert both ways, the outline
//! nests, and fixing reaches a fixed point.

mod common;

use proptest::prelude::*;

use common::{assert_round_trip, check_everything};
use policylint::config::Config;
use policylint::lint::Linter;
use policylint::lint::fix::{FixMode, fix_text};
use policylint::syntax::{Document, Format, LineIndex};

/// Pieces policy texts are made of, and the errors the rules look for:
/// headings of every scheme, lists, references, metadata, misspellings,
/// confusions, doubled words, acronyms, non-Latin scripts and every kind of
/// line break.
const PIECES: &[&str] = &[
    "the",
    "The",
    "policy",
    "public",
    "pubic",
    "ethnics",
    "ethics",
    "statue",
    "of",
    "of of",
    "a",
    "an",
    "an policy",
    "a internet",
    "recieve",
    "goverment",
    "Section 9",
    "section 2.1",
    "Article IV",
    "paragraph (c)",
    "(a)",
    "(iv)",
    "1.",
    "2.",
    "2.1",
    "4.",
    "I.",
    "A.",
    "§ 4",
    "Annex B",
    "By:",
    "Date:",
    "Version: 2",
    "PGO",
    "Privacy Governance Office (PGO)",
    "ICT",
    "e.g.",
    "U.S.",
    "No. 5",
    "3.5",
    "https://example.org/a_b",
    "user@example.org",
    "`code`",
    "**bold**",
    "[link](#a)",
    "数据安全",
    "網路",
    "😀",
    "é",
    "\t",
    " ",
    " ",
    " ",
    ".",
    ",",
    ";",
    ":",
    "\"",
    "“",
    "”",
    "'",
    "’",
    "(",
    ")",
    "-",
    "—",
    "\n",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\r\n\r\n",
    "# ",
    "## ",
    "#### ",
    "- ",
    "* ",
    "> ",
    "1. ",
    "| a | b |\n|---|---|\n| c | d |",
    "```\ncode\n```",
    "---\ntitle: T\n---\n",
    "\u{feff}",
    "Respect cyber sovereignty.",
];

fn policy_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..120).prop_map(|pieces| {
        let mut text = String::new();
        for piece in pieces {
            text.push_str(piece);
            if !piece.ends_with(char::is_whitespace) {
                text.push(' ');
            }
        }
        text
    })
}

fn any_format() -> impl Strategy<Value = Format> {
    prop::sample::select(vec![Format::Plain, Format::Markdown])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn findings_and_outline_are_sound_on_policy_like_text(text in policy_text(), format in any_format()) {
        check_everything(&text, format);
    }

    #[test]
    fn findings_and_outline_are_sound_on_any_text(text in any::<String>(), format in any_format()) {
        check_everything(&text, format);
    }

    #[test]
    fn positions_round_trip_at_every_character(text in policy_text()) {
        let index = LineIndex::new(&text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            assert_round_trip(&text, &index, offset);
        }
    }
}

proptest! {
    // Fixing checks the text again after every round: fewer, dearer cases.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn fixing_reaches_a_fixed_point(text in policy_text(), format in any_format()) {
        let linter = Linter::new(&Config::default());
        let once = fix_text(&text, format, &linter, FixMode::Safe);
        let doc = Document::parse(once.text.as_str(), format);
        let left: Vec<String> = linter
            .check(&doc)
            .iter()
            .filter(|d| d.fix.as_ref().is_some_and(|f| f.safe))
            .map(|d| format!("{} {:?}", d.rule.name, doc.slice(d.span)))
            .collect();
        prop_assert!(left.is_empty(), "safe fixes left after fixing: {:?}", left);
        let twice = fix_text(&once.text, format, &linter, FixMode::Safe);
        prop_assert_eq!(twice.fixes, 0);
        prop_assert_eq!(&twice.text, &once.text);
    }
}
