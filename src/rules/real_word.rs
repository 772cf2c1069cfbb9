use crate::lexicon::confusion::{
    Confusions, Gravity, Sentence, SentenceToken, SentenceTokenKind, normalize,
};
use crate::rules::{BlockContext, Category, Check, Edit, Finding, Fix, Severity, declare_rule};
use crate::syntax::{Span, Token, TokenKind, ascii_lowered};

declare_rule! {
    /// ## What it checks
    /// A correctly spelled word that is the wrong word where it stands:
    /// "formulate pubic policies", "internet ethnics", "the statue of
    /// limitations", "more then one", "you may loose access". Spell checkers
    /// pass over these because every word is in the dictionary.
    ///
    /// The rule reads a table of several hundred confusions common in
    /// English and in policy and legal texts (`data/confusions.tsv`). Each
    /// row carries the context that decides it — neighbouring words,
    /// collocations ("___ policy", "cyber ___"), classes of words (a modal
    /// verb before "effect") — and the context in which the word is right
    /// after all ("pubic bone", "ethnic groups", "so as to effect the intent
    /// of the parties", "a modifiable form such that", "the Waiver"), so
    /// that correct uses pass.
    /// Rows for embarrassing misreadings ("pubic" for "public") are errors.
    /// Projects add rows under `[real-word] confusions` in `policylint.toml`.
    ///
    /// ## Why it matters
    /// These slips survive every spell check and proofreading pass, because
    /// the eye sees a real word. In a published policy they change the
    /// meaning or become the headline ("pubic policies").
    ///
    /// ## Example
    /// ```text
    /// The government will formulate pubic policies on internet ethnics.
    /// ```
    /// "pubic" should be "public" and "ethnics" "ethics". The fix is safe
    /// when context decided the row: the words around call for the right
    /// word, or the row lists the contexts in which the written word is
    /// right ("pubic bone") and none of them is there. A row that fires on
    /// its word wherever it stands gives an unsafe fix.
    pub static RULE = Rule {
        name: "real-word",
        category: Category::Words,
        severity: Severity::Warning,
        summary: "A real word that is the wrong word in its context (pubic/public, statue/statute)",
        english_only: true,
        check: Check::Block(check),
    };
}

fn check(cx: &BlockContext<'_>, out: &mut Vec<Finding>) {
    let text = cx.text();
    let table = &cx.settings.confusions;
    let tokens = &cx.tokens.tokens;
    let curly = cx
        .block
        .prose
        .iter()
        .any(|p| p.of(text).contains('\u{2019}'));
    let mut lowered = [0u8; MAX_CONFUSED_WORD];
    let mut buffers = Buffers::default();
    for range in cx.tokens.sentences() {
        let sentence_tokens = &tokens[range.clone()];
        let mut candidates: Vec<usize> = Vec::new();
        for (k, t) in sentence_tokens.iter().enumerate() {
            if t.kind == TokenKind::Word && is_candidate(table, t.text(text), &mut lowered) {
                candidates.push(k);
            }
        }
        if candidates.is_empty() {
            continue;
        }
        let sentence = view(text, sentence_tokens, &mut buffers);
        for k in candidates {
            let Some(at) = buffers.positions[k] else {
                continue;
            };
            let Some(row) = table.check(&sentence, at) else {
                continue;
            };
            let token = sentence_tokens[k];
            let written = token.text(text);
            let replacement = in_case_of(written, &row.right, curly);
            let mut finding = Finding::new(
                token.span,
                format!("`{written}` is probably a slip for `{replacement}` here"),
            )
            .with_suggestion(replacement.clone());
            let edit = Edit::replace(token.span, replacement);
            finding = finding.with_fix(if row.is_decided_by_context() {
                Fix::safe(vec![edit])
            } else {
                Fix::unsafe_(vec![edit])
            });
            if row.gravity == Gravity::Error {
                finding = finding.with_severity(Severity::Error);
            }
            out.push(finding);
        }
        buffers.give_back(sentence);
    }
}

/// The bytes a token's text is first given room for: most words fit, so a
/// text reused for another word seldom grows.
const WORD_CAPACITY: usize = 16;

/// What the views of a block's sentences reuse: most of a block's
/// sentences are viewed, and the tokens' texts are short strings that
/// would otherwise each be allocated and freed.
#[derive(Default)]
struct Buffers {
    tokens: Vec<SentenceToken>,
    texts: Vec<String>,
    /// Where each token of the sentence went in the view.
    positions: Vec<Option<usize>>,
}

impl Buffers {
    fn give_back(&mut self, sentence: Sentence) {
        let mut tokens = sentence.into_tokens();
        self.texts.extend(tokens.drain(..).map(|t| t.text));
        self.tokens = tokens;
    }
}

/// The longest word looked up without allocating, in bytes (every word of
/// the built-in table is shorter).
const MAX_CONFUSED_WORD: usize = 24;

/// Whether the table has rows for `word`; an ASCII word is lowered in
/// `buffer`, as most words are checked and few are in the table.
fn is_candidate(table: &Confusions, word: &str, buffer: &mut [u8; MAX_CONFUSED_WORD]) -> bool {
    match ascii_lowered(word, buffer).filter(|_| word.is_ascii()) {
        Some(lowered) => table.has(lowered),
        None => table.has(&normalize(word)),
    }
}

/// The sentence as the confusion patterns see it: without its final
/// punctuation, "--" as one token; where each token went is left in
/// `buffers.positions`.
fn view(text: &str, tokens: &[Token], buffers: &mut Buffers) -> Sentence {
    let mut end = tokens.len();
    while end > 0 && tokens[end - 1].kind == TokenKind::Punct {
        end -= 1;
    }
    let mut out = std::mem::take(&mut buffers.tokens);
    let positions = &mut buffers.positions;
    positions.clear();
    positions.resize(tokens.len(), None);
    let mut seen_word = false;
    let mut previous_dash: Option<Span> = None;
    for (k, t) in tokens[..end].iter().enumerate() {
        let raw = t.text(text);
        if raw == "-" {
            if previous_dash.is_some_and(|p| p.end == t.span.start) {
                if let Some(last) = out.last_mut() {
                    last.text.clear();
                    last.text.push_str("--");
                }
                previous_dash = Some(t.span);
                positions[k] = Some(out.len() - 1);
                continue;
            }
            previous_dash = Some(t.span);
        } else {
            previous_dash = None;
        }
        let kind = match t.kind {
            TokenKind::Word => SentenceTokenKind::Word,
            TokenKind::Number => SentenceTokenKind::Number,
            TokenKind::Punct => SentenceTokenKind::Punct,
            TokenKind::Opaque => SentenceTokenKind::Opaque,
        };
        let capitalised_inside =
            kind == SentenceTokenKind::Word && seen_word && raw.starts_with(char::is_uppercase);
        if kind == SentenceTokenKind::Word {
            seen_word = true;
        }
        positions[k] = Some(out.len());
        let mut normalized = buffers
            .texts
            .pop()
            .unwrap_or_else(|| String::with_capacity(WORD_CAPACITY));
        normalized.clear();
        if raw.is_ascii() {
            normalized.push_str(raw);
            normalized.make_ascii_lowercase();
        } else {
            normalized.push_str(&normalize(raw).replace(['\u{201c}', '\u{201d}'], "\""));
        }
        out.push(SentenceToken {
            text: normalized,
            kind,
            capitalised_inside,
        });
    }
    Sentence::new(out)
}

/// `right` in the case `written` has, with the document's apostrophe.
fn in_case_of(written: &str, right: &str, curly: bool) -> String {
    let letters: Vec<char> = written.chars().filter(|c| c.is_alphabetic()).collect();
    let mut out = if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        right.to_uppercase()
    } else if written.starts_with(char::is_uppercase) {
        let mut chars = right.chars();
        chars
            .next()
            .map(|f| f.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    } else {
        right.to_string()
    };
    if curly {
        out = out.replace('\'', "\u{2019}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lexicon::confusion::built_in_rows;
    use crate::rules::Severity;
    use crate::rules::testing::{check, flagged, flagged_in};
    use crate::syntax::Format;

    #[test]
    fn flags_the_seed_errors_with_the_right_words() {
        let d = check(
            &RULE,
            "Title\n\nThe world should formulate pubic policies and build internet ethnics and civilization.",
            Format::Plain,
        );
        let got: Vec<(&str, Severity)> = d
            .iter()
            .map(|d| (d.suggestions[0].as_str(), d.severity))
            .collect();
        assert_eq!(
            got,
            [("public", Severity::Error), ("ethics", Severity::Error)]
        );
        assert!(d.iter().all(|d| d.fix.as_ref().is_some_and(|f| f.safe)));
    }

    #[test]
    fn a_row_without_context_gives_an_unsafe_fix() {
        let d = check(&RULE, "Title\n\nWe review all compliants.", Format::Plain);
        assert_eq!(d.len(), 1);
        assert!(d[0].fix.as_ref().is_some_and(|f| !f.safe));
    }

    #[test]
    fn correct_uses_pass() {
        assert!(
            flagged(
                &RULE,
                "Title\n\nThe pubic bone is part of the pelvis. Ethnic groups differ."
            )
            .is_empty()
        );
        assert!(
            flagged(
                &RULE,
                "Title\n\nWe ran a trial. The statute applies. Take effect now."
            )
            .is_empty()
        );
    }

    #[test]
    fn a_line_break_in_markdown_keeps_the_context() {
        let text = "# Limits\n\nLOST PROFITS OR ANY\nFORM OF INDIRECT DAMAGES.\n";
        assert!(flagged_in(&RULE, text, Format::Markdown).is_empty());
    }

    #[test]
    fn verbs_and_nouns_that_licences_use_correctly_pass() {
        let text = "Title\n\nThe provision will be enforced so as to effect the economic benefits and intent of the parties. It is provided in an open and modifiable form such that anyone may use it. Affirmer makes the Waiver for the benefit of the public. This change may effect your rights.";
        assert_eq!(flagged(&RULE, text), ["effect"]);
    }

    #[test]
    fn waiver_in_the_place_of_a_verb() {
        let d = check(
            &RULE,
            "Title\n\nThe Licensor may waiver any of these conditions. We will not waiver in our commitment.",
            Format::Plain,
        );
        let got: Vec<&str> = d.iter().map(|d| d.suggestions[0].as_str()).collect();
        assert_eq!(got, ["waive", "waver"]);
    }

    #[test]
    fn case_and_apostrophes_follow_the_text() {
        let d = check(
            &RULE,
            "Title\n\nThe Untied Nations met. Its important to know what’s next.",
            Format::Plain,
        );
        let got: Vec<&str> = d.iter().map(|d| d.suggestions[0].as_str()).collect();
        assert!(got.contains(&"United"), "{got:?}");
        assert!(got.contains(&"It’s"), "{got:?}");
    }

    /// Every row of the built-in table catches its own example.
    #[test]
    fn every_row_catches_its_example() {
        let mut missed = Vec::new();
        for row in built_in_rows() {
            if row.example.is_empty() {
                continue;
            }
            let text = format!("Title\n\n{}.", row.example);
            let d = check(&RULE, &text, Format::Plain);
            if !d.iter().any(|d| {
                d.suggestions.iter().any(|s| {
                    s.eq_ignore_ascii_case(&row.right.replace('\'', "\u{2019}"))
                        || s.eq_ignore_ascii_case(&row.right)
                })
            }) {
                missed.push(format!("{} -> {}: {}", row.wrong, row.right, row.example));
            }
        }
        assert!(
            missed.is_empty(),
            "{} rows miss their example:\n{}",
            missed.len(),
            missed.join("\n")
        );
    }
}
