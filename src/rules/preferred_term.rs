use regex::Regex;

use crate::rules::custom_rule::stretches;
use crate::rules::{BlockContext, Category, Check, Edit, Finding, Fix, Severity, declare_rule};
use crate::syntax::Span;

declare_rule! {
    /// ## What it checks
    /// The words of the project's `[terms]` table, in the prose of every
    /// block (headings too; never code, URLs or markup), as whole words in
    /// any case, a line break counting as a space:
    ///
    /// - `prefer` maps a phrase to the one to write instead; the fix
    ///   replaces it, with a capital first letter where the text had one
    ///   (in capitals where the text was);
    /// - `forbid` lists phrases not to use at all, each a string or
    ///   `{ term = "…", message = "…" }` with its own explanation.
    ///
    /// Without a `[terms]` table the rule finds nothing.
    ///
    /// ## Why it matters
    /// A policy that says "personal information" in one section and
    /// "personal data" in the next invites the question whether they differ;
    /// a regulator's own wording, used everywhere, does not. Words the house
    /// style forbids ("whilst", "etc." in an obligation) are cheaper to
    /// catch in the editor than in review.
    ///
    /// ## Example
    /// ```toml
    /// [terms]
    /// prefer = { "personal information" = "personal data" }
    /// forbid = ["whilst"]
    /// ```
    /// "Personal information is kept whilst you are a customer." gets two
    /// findings; the fix writes "Personal data is kept …".
    pub static RULE = Rule {
        name: "preferred-term",
        category: Category::Style,
        severity: Severity::Warning,
        summary: "A phrase the project's [terms] replace or forbid",
        english_only: false,
        check: Check::Block(check),
    };
}

/// The `[terms]` table, its phrases compiled.
#[derive(Clone, Debug, Default)]
pub struct Terms {
    prefer: Vec<(Regex, String)>,
    /// Each forbidden phrase with its message.
    forbid: Vec<(Regex, String)>,
}

impl Terms {
    /// Adds `instead` as the phrase to write for `phrase`.
    pub fn prefer(&mut self, phrase: &str, instead: &str) -> Result<(), String> {
        if instead.trim().is_empty() {
            return Err(format!("prefer.\"{phrase}\": nothing to write instead"));
        }
        let pattern = phrase_pattern(phrase).map_err(|e| format!("prefer.\"{phrase}\": {e}"))?;
        self.prefer.push((pattern, instead.to_string()));
        Ok(())
    }

    /// Forbids `phrase`, explained by `message` if given.
    pub fn forbid(&mut self, phrase: &str, message: Option<&str>) -> Result<(), String> {
        let pattern = phrase_pattern(phrase)?;
        let message = match message {
            Some(m) => format!("`{phrase}`: {m}"),
            None => format!("`{phrase}` is not used in this project's texts"),
        };
        self.forbid.push((pattern, message));
        Ok(())
    }
}

/// `phrase` as a case-insensitive pattern of whole words, any run of white
/// space between them (a phrase may wrap).
fn phrase_pattern(phrase: &str) -> Result<Regex, String> {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    if words.is_empty() {
        return Err("an empty phrase".into());
    }
    let body = words
        .iter()
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join(r"\s+");
    // `\b` only where the phrase starts or ends with a word character: a
    // boundary before "(c)" would never match after a space.
    let word_char = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let start = if word_char(phrase.trim().chars().next()) {
        r"\b"
    } else {
        ""
    };
    let end = if word_char(phrase.trim().chars().next_back()) {
        r"\b"
    } else {
        ""
    };
    Regex::new(&format!("(?i){start}{body}{end}")).map_err(|e| e.to_string())
}

/// `instead` with its first letter in the case of `found`'s; in capitals if
/// `found` is (a heading in capitals stays so).
fn keep_case(found: &str, instead: &str) -> String {
    let letters: Vec<char> = found.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return instead.to_uppercase();
    }
    let capital = found.chars().next().is_some_and(char::is_uppercase);
    let mut chars = instead.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let first: String = if capital {
        first.to_uppercase().collect()
    } else {
        first.to_lowercase().collect()
    };
    first + chars.as_str()
}

fn check(cx: &BlockContext<'_>, out: &mut Vec<Finding>) {
    let terms = &cx.settings.terms;
    if terms.prefer.is_empty() && terms.forbid.is_empty() {
        return;
    }
    let text = cx.text();
    for run in stretches(text, &cx.block.prose) {
        let prose = run.of(text);
        let at = |m: regex::Match<'_>| Span::new(run.start + m.start(), run.start + m.end());
        for (pattern, instead) in &terms.prefer {
            for m in pattern.find_iter(prose) {
                let replacement = keep_case(m.as_str(), instead);
                if replacement == m.as_str() {
                    continue;
                }
                let mut finding = Finding::new(
                    at(m),
                    format!("write `{replacement}`, not `{}`", m.as_str()),
                )
                .with_suggestion(replacement.clone());
                // A replacement that contains the phrase ("data" → "personal
                // data") would be flagged again: no fix, only the suggestion.
                if !pattern.is_match(&replacement) {
                    finding = finding.with_fix(Fix::safe(vec![Edit::replace(at(m), replacement)]));
                }
                out.push(finding);
            }
        }
        for (pattern, message) in &terms.forbid {
            out.extend(
                pattern
                    .find_iter(prose)
                    .map(|m| Finding::new(at(m), message)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::keep_case;
    use crate::config::Config;
    use crate::lint::Linter;
    use crate::lint::fix::{FixMode, fix_text};
    use crate::syntax::{Document, Format};

    const TERMS: &str = "select = [\"preferred-term\"]\n[terms]\nprefer = { \"personal information\" = \"personal data\", \"data\" = \"personal data\" }\nforbid = [\"whilst\", { term = \"etc.\", message = \"say what else\" }]\n";

    fn findings(text: &str) -> Vec<(String, String)> {
        let config = Config::parse(TERMS, None).unwrap();
        let doc = Document::parse(text, Format::Markdown);
        Linter::new(&config)
            .check(&doc)
            .into_iter()
            .map(|d| (doc.slice(d.span).to_string(), d.message))
            .collect()
    }

    #[test]
    fn preferred_phrases_are_whole_words_in_any_case_and_may_wrap() {
        let flagged: Vec<String> = findings(
            "# Personal Information\n\nWe keep PERSONAL information and personal\ninformation, \
             but not personal informational leaflets or `personal information`.\n",
        )
        .into_iter()
        .map(|(text, _)| text)
        .collect();
        assert_eq!(
            flagged,
            [
                "Personal Information",
                "PERSONAL information",
                "personal\ninformation"
            ]
        );
    }

    #[test]
    fn the_fix_keeps_the_first_letter_s_case() {
        assert_eq!(
            keep_case("Personal information", "personal data"),
            "Personal data"
        );
        assert_eq!(
            keep_case("personal Information", "Personal data"),
            "personal data"
        );
        let config = Config::parse(TERMS, None).unwrap();
        let fixed = fix_text(
            "Personal information and personal information.\n",
            Format::Plain,
            &Linter::new(&config),
            FixMode::Safe,
        );
        assert_eq!(fixed.text, "Personal data and personal data.\n");
    }

    #[test]
    fn a_replacement_that_holds_the_phrase_is_only_suggested() {
        let config = Config::parse(TERMS, None).unwrap();
        let doc = Document::parse("We sell data.\n", Format::Plain);
        let found = Linter::new(&config).check(&doc);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].suggestions, ["personal data"]);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn forbidden_phrases_with_and_without_a_message() {
        assert_eq!(
            findings("Whilst here: apples, pears etc. and so on.\n"),
            [
                (
                    "Whilst".to_string(),
                    "`whilst` is not used in this project's texts".to_string()
                ),
                ("etc.".to_string(), "`etc.`: say what else".to_string()),
            ]
        );
    }

    #[test]
    fn no_terms_no_findings() {
        let config = Config::parse("select = [\"preferred-term\"]", None).unwrap();
        let doc = Document::parse("Whilst we keep personal information.\n", Format::Plain);
        assert!(Linter::new(&config).check(&doc).is_empty());
    }

    #[test]
    fn bad_terms_are_configuration_errors_naming_the_entry() {
        let error = |text: &str| Config::parse(text, None).unwrap_err().message;
        assert_eq!(
            error("[terms]\nprefer = { \" \" = \"x\" }\n"),
            "terms.prefer.\" \": an empty phrase"
        );
        assert_eq!(
            error("[terms]\nprefer = { \"x\" = \"\" }\n"),
            "terms.prefer.\"x\": nothing to write instead"
        );
        assert_eq!(
            error("[terms]\nforbid = [\"a\", \"\"]\n"),
            "terms.forbid[1]: an empty phrase"
        );
        assert_eq!(
            error("[terms]\nforbid = [{ term = \"x\", mesage = \"y\" }]\n"),
            "line 2, column 10: expected a phrase, or { term = \"…\", message = \"…\" }"
        );
    }
}
