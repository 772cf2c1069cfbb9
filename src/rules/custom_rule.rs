use regex::Regex;

use crate::rules::{BlockContext, Category, Check, Edit, Finding, Fix, Severity, declare_rule};
use crate::syntax::{BlockKind, Span};

declare_rule! {
    /// ## What it checks
    /// The house-style rules of the project's `policylint.toml`: each
    /// `[[rules.custom]]` entry is a regular expression (Rust's `regex`
    /// syntax) looked for in the prose of the texts — never in code, URLs
    /// or markup. `scope` says where: `prose` (the default: every block but
    /// the headings), `headings`, or `all`. A finding shows the entry's
    /// `message`, after its `name`, at the entry's `severity` (warning by
    /// default). An entry with `replace` has a fix: the replacement, in
    /// which `$1`, `${1}` or `${name}` stand for what the pattern's groups
    /// matched. Without entries the rule finds nothing.
    ///
    /// All entries are findings of this one rule: `--select`, `ignore` and
    /// `[severity]` take them all in. To quiet one entry, remove it or give
    /// it `severity = "hint"`; to leave out one of its findings, use a
    /// suppression comment or `[[suppress]]` with its `text`.
    ///
    /// ## Why it matters
    /// Every drafting team has rules no general checker knows: *must*, not
    /// *shall*; the regulator's name spelled its way; no "etc." in an
    /// obligation. Written down once in the configuration, they are checked
    /// on every text and in the editor instead of in review.
    ///
    /// ## Example
    /// ```toml
    /// [[rules.custom]]
    /// name = "must-not-shall"
    /// pattern = '\bshall\b'
    /// message = "Write \"must\", not \"shall\""
    /// replace = "must"
    /// ```
    /// reports "You shall keep the key secret." as `must-not-shall: Write
    /// "must", not "shall"` and fixes it to "You must keep the key secret.".
    /// A replacement that the pattern would match again is offered as a
    /// suggestion only, never applied by `--fix`.
    pub static RULE = Rule {
        name: "custom-rule",
        category: Category::Style,
        severity: Severity::Warning,
        summary: "A house-style rule of the project's configuration ([[rules.custom]])",
        english_only: false,
        check: Check::Block(check),
    };
}

/// Where an entry looks.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every block but headings and the title.
    Prose,
    /// Headings and the title.
    Headings,
    All,
}

impl Scope {
    fn from_name(name: &str) -> Option<Scope> {
        match name {
            "prose" => Some(Scope::Prose),
            "headings" => Some(Scope::Headings),
            "all" => Some(Scope::All),
            _ => None,
        }
    }

    fn takes(self, kind: BlockKind) -> bool {
        let heading = matches!(kind, BlockKind::Heading | BlockKind::Title);
        match self {
            Scope::Prose => !heading,
            Scope::Headings => heading,
            Scope::All => true,
        }
    }
}

/// One `[[rules.custom]]` entry, its pattern compiled.
#[derive(Clone, Debug)]
pub struct Entry {
    pub name: String,
    pattern: Regex,
    message: String,
    severity: Severity,
    replace: Option<String>,
    scope: Scope,
}

impl Entry {
    /// Checks and compiles an entry; an error names the key at fault
    /// (`pattern: …`).
    pub fn new(
        name: &str,
        pattern: &str,
        message: &str,
        severity: Option<&str>,
        replace: Option<&str>,
        scope: Option<&str>,
    ) -> Result<Entry, String> {
        let valid_name = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid_name {
            return Err(format!(
                "name: `{name}` is no name (letters, digits, `-` and `_`)"
            ));
        }
        let pattern = Regex::new(pattern).map_err(|e| format!("pattern: {e}"))?;
        if pattern.is_match("") {
            return Err(format!(
                "pattern: `{}` matches empty text, so it would flag everything",
                pattern.as_str()
            ));
        }
        if message.trim().is_empty() {
            return Err("message: empty".into());
        }
        let severity = match severity {
            None => Severity::Warning,
            Some(s) => Severity::from_name(s).ok_or_else(|| {
                format!("severity: unknown severity `{s}` (expected error, warning, info or hint)")
            })?,
        };
        let scope = match scope {
            None => Scope::Prose,
            Some(s) => Scope::from_name(s).ok_or_else(|| {
                format!("scope: unknown scope `{s}` (expected prose, headings or all)")
            })?,
        };
        Ok(Entry {
            name: name.to_string(),
            pattern,
            message: message.to_string(),
            severity,
            replace: replace.map(String::from),
            scope,
        })
    }
}

/// The block's prose runs, those split only by white space (the line
/// breaks of a Markdown paragraph) joined, so that a phrase may wrap.
pub(super) fn stretches(text: &str, runs: &[Span]) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::with_capacity(runs.len());
    for &run in runs {
        match out.last_mut() {
            Some(last) if text[last.end..run.start].trim().is_empty() => last.end = run.end,
            _ => out.push(run),
        }
    }
    out
}

fn check(cx: &BlockContext<'_>, out: &mut Vec<Finding>) {
    let text = cx.text();
    let mut runs = None;
    for entry in &cx.settings.custom_rules {
        if !entry.scope.takes(cx.block.kind) {
            continue;
        }
        for run in runs.get_or_insert_with(|| stretches(text, &cx.block.prose)) {
            for captures in entry.pattern.captures_iter(run.of(text)) {
                let whole = captures.get(0).expect("group 0 is the match");
                let span = Span::new(run.start + whole.start(), run.start + whole.end());
                let mut finding = Finding::new(span, format!("{}: {}", entry.name, entry.message))
                    .with_severity(entry.severity);
                if let Some(replace) = &entry.replace {
                    let mut replacement = String::new();
                    captures.expand(replace, &mut replacement);
                    finding = finding.with_suggestion(replacement.clone());
                    // A replacement the pattern flags again is no fix:
                    // `--fix` would rewrite it round after round.
                    if !entry.pattern.is_match(&replacement) {
                        finding =
                            finding.with_fix(Fix::safe(vec![Edit::replace(span, replacement)]));
                    }
                }
                out.push(finding);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::lint::Linter;
    use crate::lint::fix::{FixMode, apply};
    use crate::rules::Severity;
    use crate::syntax::{Document, Format};

    /// The findings of `custom-rule` under `config` on Markdown `text`:
    /// (flagged text, message, severity).
    fn findings(config: &str, text: &str) -> Vec<(String, String, Severity)> {
        let config = Config::parse(&format!("select = [\"custom-rule\"]\n{config}"), None).unwrap();
        let doc = Document::parse(text, Format::Markdown);
        Linter::new(&config)
            .check(&doc)
            .into_iter()
            .map(|d| (doc.slice(d.span).to_string(), d.message, d.severity))
            .collect()
    }

    const SHALL: &str = "[[rules.custom]]\nname = \"must-not-shall\"\npattern = '\\bshall\\b'\nmessage = \"Write must\"\nreplace = \"must\"\n";

    #[test]
    fn entries_match_prose_but_never_code_or_urls() {
        let text = "# You shall\n\nYou shall pay. Run `shall` at <https://shall.example>.\n\n```\nshall\n```\n";
        assert_eq!(
            findings(SHALL, text),
            [(
                "shall".to_string(),
                "must-not-shall: Write must".to_string(),
                Severity::Warning
            )]
        );
    }

    #[test]
    fn the_scope_chooses_headings_or_everything() {
        let text = "# You shall\n\nYou shall pay.\n";
        let flagged = |scope: &str| findings(&format!("{SHALL}scope = \"{scope}\"\n"), text).len();
        assert_eq!(flagged("prose"), 1);
        assert_eq!(flagged("headings"), 1);
        assert_eq!(flagged("all"), 2);
        let headings = findings(&format!("{SHALL}scope = \"headings\"\n"), text);
        assert_eq!(headings[0].0, "shall");
    }

    #[test]
    fn a_phrase_may_wrap_but_a_replacement_flagged_again_is_no_fix() {
        let config = "[[rules.custom]]\nname = \"no-shall-not\"\npattern = 'shall\\s+not'\nmessage = \"m\"\nreplace = \"shall not ever\"\n";
        let config = Config::parse(config, None).unwrap();
        let doc = Document::parse("You shall\nnot pay.\n", Format::Markdown);
        let found = Linter::new(&config).check(&doc);
        let ours: Vec<_> = found
            .iter()
            .filter(|d| d.rule.name == "custom-rule")
            .collect();
        assert_eq!(doc.slice(ours[0].span), "shall\nnot");
        assert_eq!(ours[0].suggestions, ["shall not ever"]);
        assert!(ours[0].fix.is_none());
    }

    #[test]
    fn no_entries_no_findings() {
        assert!(findings("", "You shall pay.\n").is_empty());
    }

    #[test]
    fn replacements_expand_capture_groups() {
        let config = "[[rules.custom]]\nname = \"regulator\"\npattern = '(?i)\\bthe (ico|cnil)\\b'\nmessage = \"Name the regulator in full\"\nreplace = \"the regulator (${1})\"\nseverity = \"error\"\n";
        let text = "Complain to the ICO or the cnil.\n";
        let config = Config::parse(config, None).unwrap();
        let doc = Document::parse(text, Format::Plain);
        let diagnostics = Linter::new(&config).check(&doc);
        let ours: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.rule.name == "custom-rule")
            .collect();
        assert_eq!(ours.len(), 2);
        assert!(ours.iter().all(|d| d.severity == Severity::Error));
        assert_eq!(ours[0].suggestions, ["the regulator (ICO)"]);
        let (fixed, applied) = apply(text, &diagnostics, FixMode::Safe);
        assert_eq!(applied, 2);
        assert_eq!(
            fixed,
            "Complain to the regulator (ICO) or the regulator (cnil).\n"
        );
    }

    #[test]
    fn bad_entries_are_configuration_errors_naming_the_entry() {
        let error = |entry: &str| {
            Config::parse(
                &format!("{SHALL}\n[[rules.custom]]\n{entry}"),
                Some(std::path::Path::new("/p/policylint.toml")),
            )
            .unwrap_err()
            .to_string()
        };
        let ok = "name = \"x\"\npattern = \"x\"\nmessage = \"m\"\n";
        assert!(
            error("name = \"x\"\npattern = \"(\"\nmessage = \"m\"\n")
                .starts_with("/p/policylint.toml: rules.custom[1].pattern: regex parse error"),
        );
        assert_eq!(
            error(&format!("{ok}scope = \"body\"\n")),
            "/p/policylint.toml: rules.custom[1].scope: unknown scope `body` (expected prose, headings or all)"
        );
        assert!(
            error("name = \"no shall\"\npattern = \"x\"\nmessage = \"m\"\n")
                .contains("rules.custom[1].name: `no shall` is no name")
        );
        assert!(
            error(&format!("{ok}severity = \"loud\"\n"))
                .contains("rules.custom[1].severity: unknown severity `loud`")
        );
        assert!(
            error("name = \"x\"\npattern = \"a*\"\nmessage = \"m\"\n")
                .contains("rules.custom[1].pattern: `a*` matches empty text")
        );
        assert!(
            error("name = \"must-not-shall\"\npattern = \"x\"\nmessage = \"m\"\n")
                .contains("rules.custom[1].name: `must-not-shall` is the name of rules.custom[0]")
        );
        assert!(error("name = \"x\"\npattern = \"x\"\n").contains("missing field `message`"));
    }
}
