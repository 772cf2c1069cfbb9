use std::collections::HashSet;
use std::sync::LazyLock;

use crate::lexicon;
use crate::rules::{
    BlockContext, BlockFacts, Category, Check, DocumentContext, Finding, Severity, declare_rule,
};
use crate::syntax::{BlockKind, Span, Token, TokenKind, link_target};

declare_rule! {
    /// ## What it checks
    /// An acronym (two to six capital letters, plurals and possessives
    /// included) that the document never expands. An expansion is the long
    /// form with the acronym in parentheses — "Information and
    /// Communications Technology (ICT)" — or the acronym with its long form
    /// in parentheses — "ICT (information and communications technology)" —
    /// or a definition such as `"ICT" means …`. It may come anywhere in the
    /// document; only the first unexpanded use is reported. Universally known
    /// acronyms (UN, EU, US, AI, IT, COVID, URL, PDF…: the abbreviations of
    /// the built-in dictionary and a short built-in list), Roman numerals,
    /// text in capitals ("THE SOFTWARE IS PROVIDED") and the acronyms listed
    /// under `[acronyms] known` in `policylint.toml` are not reported.
    ///
    /// ## Why it matters
    /// Policies are read by people outside the team that wrote them: the
    /// public, regulators, courts. An acronym the reader cannot decode hides
    /// who is responsible for what ("appeals go to the TAC"), and an
    /// ambiguous one can change the meaning of an obligation.
    ///
    /// ## Example
    /// ```text
    /// Exceptions must be approved by the PGO.
    /// ```
    /// Expand it once: "the Privacy Governance Office (PGO)".
    pub static RULE = Rule {
        name: "undefined-acronym",
        category: Category::Style,
        severity: Severity::Warning,
        summary: "An acronym that the document never expands",
        english_only: true,
        check: Check::Document { collect: Some(collect), check },
    };
}

/// What one block says about acronyms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// The first use of each acronym in the block that needs an expansion.
    pub uses: Vec<(String, Span)>,
    /// Acronyms the block expands.
    pub expanded: Vec<String>,
}

static BUILT_IN: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/known-acronyms.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// The most common SCOWL level at which a dictionary abbreviation counts
/// as universally known.
const KNOWN_LEVEL: u8 = 50;

fn collect(cx: &BlockContext<'_>, facts: &mut BlockFacts) {
    let text = cx.text();
    let tokens = &cx.tokens.tokens;
    let facts = &mut facts.acronyms;
    let bytes = text.as_bytes();
    // A block may name thousands of acronyms (a glossary, a table of codes).
    let mut used: HashSet<&str> = HashSet::new();
    let mut expanded: HashSet<&str> = HashSet::new();
    for (i, token) in tokens.iter().enumerate() {
        let capital = |k: usize| {
            bytes
                .get(token.span.start + k)
                .is_some_and(u8::is_ascii_uppercase)
        };
        if token.kind != TokenKind::Word || !capital(0) || !capital(1) {
            continue;
        }
        let Some(acronym) = acronym_of(token.text(text)) else {
            continue;
        };
        if is_expanded_at(text, tokens, i, acronym) {
            if expanded.insert(acronym) {
                facts.expanded.push(acronym.to_string());
            }
            continue;
        }
        // Tables list codes and identifiers (cookie names, form fields).
        if cx.block.kind == BlockKind::Table
            || is_known(acronym)
            || in_capitals(text, tokens, i)
            || link_target(text, token.span).is_some()
        {
            continue;
        }
        if used.insert(acronym) {
            facts.uses.push((acronym.to_string(), token.span));
        }
    }
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    let expanded: HashSet<&str> = cx
        .facts
        .iter()
        .flat_map(|f| f.acronyms.expanded.iter().map(String::as_str))
        .chain(cx.settings.known_acronyms.iter().map(String::as_str))
        .collect();
    let mut reported: HashSet<&str> = HashSet::new();
    for facts in cx.facts {
        for (acronym, span) in &facts.acronyms.uses {
            if expanded.contains(acronym.as_str()) || !reported.insert(acronym) {
                continue;
            }
            out.push(Finding::new(
                *span,
                format!("`{acronym}` is never expanded in this document"),
            ));
        }
    }
}

/// The acronym a word is: `API` for `APIs`, `API's`, `API’s`.
fn acronym_of(word: &str) -> Option<&str> {
    let bytes = word.as_bytes();
    if bytes.len() < 2 || !bytes[0].is_ascii_uppercase() || !bytes[1].is_ascii_uppercase() {
        return None;
    }
    let core = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .or_else(|| word.strip_suffix('s'))
        .unwrap_or(word);
    let ok = (2..=6).contains(&core.len()) && core.bytes().all(|b| b.is_ascii_uppercase());
    ok.then_some(core)
}

fn is_known(acronym: &str) -> bool {
    BUILT_IN.contains(acronym)
        || lexicon::lookup(acronym).is_some_and(|e| e.level <= KNOWN_LEVEL)
        || is_small_roman_numeral(acronym)
        || is_common_word(&acronym.to_ascii_lowercase())
}

/// II, IV, XIV … up to LXXXIX: section and list numbers, not acronyms.
fn is_small_roman_numeral(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let numeral = crate::syntax::Numeral::Letters {
        text: lower.into(),
        upper: true,
    };
    numeral.roman().is_some_and(|v| v < 90)
}

/// An English word written in capitals for emphasis ("TERMS", "NOTICE").
fn is_common_word(lower: &str) -> bool {
    lexicon::lookup(lower).is_some_and(|e| e.level <= KNOWN_LEVEL)
}

/// Part of a passage in capitals: a neighbouring word is an English word in
/// capitals ("IN NO EVENT SHALL GITHUB BE LIABLE").
fn in_capitals(text: &str, tokens: &[Token], i: usize) -> bool {
    let shouted = |t: &Token| {
        let w = t.text(text);
        t.kind == TokenKind::Word
            && w.len() >= 2
            && w.bytes().all(|b| b.is_ascii_uppercase())
            && is_common_word(&w.to_ascii_lowercase())
    };
    let prev = tokens[..i].iter().rev().find(|t| t.kind == TokenKind::Word);
    let next = tokens[i + 1..].iter().find(|t| t.kind == TokenKind::Word);
    prev.is_some_and(shouted) || next.is_some_and(shouted)
}

/// Whether token `i` (the acronym) is expanded right here: "long form
/// (ACR)", a quoted acronym in parentheses ("… Act (“CCPA”)"), "ACR (long
/// form)", or a definition ("ACR" means …).
fn is_expanded_at(text: &str, tokens: &[Token], i: usize, acronym: &str) -> bool {
    let punct = |t: &Token, set: &str| {
        t.kind == TokenKind::Punct && t.text(text).chars().next().is_some_and(|c| set.contains(c))
    };
    const QUOTES: &str = "\"'“”‘’*_";
    // Inside parentheses: "( [collectively,] [the] ["]ACR["] )".
    let open = tokens[..i]
        .iter()
        .rev()
        .take(12)
        .take_while(|t| !punct(t, ")"))
        .position(|t| punct(t, "("))
        .map(|k| i - 1 - k);
    if let Some(open) = open {
        let close = tokens[i + 1..].iter().take(4).any(|t| punct(t, ")"));
        let quoted = i > 0 && punct(&tokens[i - 1], QUOTES);
        if close && (quoted || long_form_before(text, &tokens[..open], acronym)) {
            return true;
        }
    }
    // Followed by parentheses: "ACR (long form)".
    let mut j = i + 1;
    while j < tokens.len() && punct(&tokens[j], QUOTES) {
        j += 1;
    }
    if j < tokens.len() && punct(&tokens[j], "(") {
        let inner: Vec<&str> = tokens[j + 1..]
            .iter()
            .take(LONG_FORM_TOKENS)
            .take_while(|t| !punct(t, ")"))
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| t.text(text))
            .take(acronym.len() * 2 + 2)
            .collect();
        if matches_long_form(&inner, acronym) {
            return true;
        }
    }
    // A definition: "ACR" means …, ACR stands for …
    tokens.get(j).is_some_and(|t| {
        t.kind == TokenKind::Word
            && matches!(
                t.text(text).to_ascii_lowercase().as_str(),
                "means" | "mean" | "refers" | "stands"
            )
    })
}

/// How far back a long form may start, in tokens.
const LONG_FORM_TOKENS: usize = 160;

/// Whether the words before `tokens.len()` (in the same sentence, passing
/// over parenthetical remarks such as "(as amended)") spell out `acronym`.
fn long_form_before(text: &str, tokens: &[Token], acronym: &str) -> bool {
    let mut words: Vec<&str> = Vec::new();
    let mut depth = 0usize;
    // Long enough for a long form with a remark in it; bounded so that a
    // run of parentheses costs the same at every acronym.
    for t in tokens.iter().rev().take(LONG_FORM_TOKENS) {
        let s = t.text(text);
        match t.kind {
            TokenKind::Punct if s == ")" => depth += 1,
            TokenKind::Punct if s == "(" => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            TokenKind::Punct if depth == 0 && ".;:!?".contains(s) => break,
            TokenKind::Word if depth == 0 => words.push(s),
            _ => {}
        }
        if words.len() > acronym.len() * 2 + 3 {
            break;
        }
    }
    words.reverse();
    (0..words.len()).any(|start| matches_long_form(&words[start..], acronym))
}

/// Schwartz–Hearst style: the acronym's letters appear in order in the
/// words, its first letter at the start of the first word.
fn matches_long_form(words: &[&str], acronym: &str) -> bool {
    let Some(first) = words.first() else {
        return false;
    };
    let letters: Vec<char> = acronym.chars().map(|c| c.to_ascii_lowercase()).collect();
    if !first.to_lowercase().starts_with(letters[0]) {
        return false;
    }
    let long: String = words.join(" ").to_lowercase();
    let mut chars = long.chars();
    // Each later letter must be found, preferring word starts.
    letters.iter().all(|&l| chars.any(|c| c == l)) && words.len() >= letters.len().div_ceil(3)
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{flagged, flagged_in};
    use crate::syntax::Format;

    #[test]
    fn flags_the_first_use_of_an_unexpanded_acronym() {
        assert_eq!(
            flagged(
                &RULE,
                "Title\n\nThe PGO decides. The PGO's decision is final. Ask the PGOs."
            ),
            ["PGO"]
        );
    }

    #[test]
    fn expansions_anywhere_count() {
        let text = "Title\n\nThe ICT team decides.\n\nInformation and Communications Technology (ICT) matters.";
        assert!(flagged(&RULE, text).is_empty());
        assert!(
            flagged(
                &RULE,
                "Title\n\nThe ICT (information and communications technology) team."
            )
            .is_empty()
        );
        assert!(
            flagged(
                &RULE,
                "Title\n\nThe Data Privacy Framework (“DPF”) applies to DPF data."
            )
            .is_empty()
        );
        assert!(
            flagged(
                &RULE,
                "Title\n\n“SOW” means a statement of work. Each SOW is signed."
            )
            .is_empty()
        );
    }

    #[test]
    fn quoted_definitions_and_remarks_in_between() {
        let text = "Title\n\nThe California Consumer Privacy Act of 2020 (as amended) (“CCPA”). CCPA rights.";
        assert!(flagged(&RULE, text).is_empty());
        let text = "Title\n\nCal. Civ. Code §§1798.100 et seq. (\"CCPA\"); and CCPA.";
        assert!(flagged(&RULE, text).is_empty());
        let text =
            "Title\n\nSo-called cookies (also known as “Local Shared Objects” or “LSOs”) exist.";
        assert!(flagged(&RULE, text).is_empty());
    }

    #[test]
    fn linked_acronyms_pass() {
        assert!(
            flagged_in(
                &RULE,
                "# T\n\nSee [NAI](http://x.org) and [15 CFR 744](http://y).\n",
                Format::Markdown
            )
            .is_empty()
        );
    }

    #[test]
    fn a_wrong_expansion_does_not_count() {
        assert_eq!(flagged(&RULE, "Title\n\nThe board (TAC) decides."), ["TAC"]);
    }

    #[test]
    fn known_acronyms_numerals_and_capitals_pass() {
        assert!(
            flagged(
                &RULE,
                "Title\n\nThe UN, the EU and the US use AI and IT. See Part IV."
            )
            .is_empty()
        );
        assert!(
            flagged(
                &RULE,
                "Title\n\nIN NO EVENT SHALL GITHUB BE LIABLE. TERMS apply."
            )
            .is_empty()
        );
    }

    #[test]
    fn configured_acronyms_pass() {
        use crate::config::Config;
        use crate::lint::Linter;
        use crate::syntax::Document;
        let config = Config::parse("[acronyms]\nknown = [\"PGO\"]", None).unwrap();
        let doc = Document::parse("Title\n\nAsk the PGO.", Format::Plain);
        assert!(Linter::new(&config).check(&doc).is_empty());
    }

    #[test]
    fn tables_hold_identifiers_not_acronyms() {
        let text = "# T\n\n| Cookie | Use |\n|---|---|\n| MUID | tracking |\n";
        assert!(flagged_in(&RULE, text, Format::Markdown).is_empty());
    }

    #[test]
    fn markdown_code_is_not_read() {
        assert!(flagged_in(&RULE, "# T\n\nRun `XYZQ` now.\n", Format::Markdown).is_empty());
    }
}
