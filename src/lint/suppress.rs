//! Suppressions, applied after the rules ran: the `<!-- policylint-… -->`
//! comments of a Markdown document and the configuration's `[[suppress]]`
//! entries for its file.
//!
//! They act on the whole list of findings, never per block (a `disable`
//! spans blocks), so the language server's incremental check, which caches
//! findings per block, applies them after its cache as a fresh check does.
//!
//! A finding is hidden by the first of: a `disable-line` or
//! `disable-next-line` comment on its line, the last `disable`/`enable`
//! before it that names its rule or no rule (if that is a `disable`), a
//! `disable-file` comment, a `[[suppress]]` entry. The comment that hid it
//! is the one that counts as used, so removing every comment reported
//! unused brings no finding back.

use std::collections::HashMap;

use super::{Linter, sort, stamp};
use crate::config::Suppress;
use crate::rules::{self, Check, Diagnostic, Edit, Rule, SuppressionContext, Use};
use crate::syntax::{BlockKind, Directive, Document, Format, LineIndex, SUPPRESSION_PREFIX, Span};

/// `diagnostics` (ordered) without the suppressed ones, with the findings of
/// the rules about suppressions added.
pub(super) fn apply(
    linter: &Linter,
    doc: &Document,
    diagnostics: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    if doc.suppressions.is_empty() && linter.suppress.is_empty() {
        return diagnostics;
    }
    let lines = LineIndex::new(&doc.text);
    let mut table = Table::new(doc, &lines);
    let hidden = |table: &mut Table<'_>, d: &Diagnostic, unnamed: bool| {
        let line = lines.line_of(d.span.start);
        table.hide(d.rule, d.span.start, line, unnamed)
            || by_configuration(&linter.suppress, doc, d, line)
    };
    let mut kept: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| !hidden(&mut table, d, true))
        .collect();
    let judged = table.uses(linter);
    let cx = SuppressionContext {
        doc,
        lines: &lines,
        uses: &judged,
    };
    let mut added = false;
    for &(rule, configured) in &linter.rules {
        if let Check::Suppressions(check) = rule.check {
            let mut findings = Vec::new();
            check(&cx, &mut findings);
            let mut stamped = Vec::new();
            stamp(rule, configured, &mut findings, &mut stamped);
            for d in stamped {
                if !hidden(&mut table, &d, false) {
                    kept.push(d);
                    added = true;
                }
            }
        }
    }
    if added {
        sort(&mut kept);
    }
    kept
}

/// Whether a `[[suppress]]` entry hides `d`, which starts on `line`.
fn by_configuration(entries: &[Suppress], doc: &Document, d: &Diagnostic, line: usize) -> bool {
    entries.iter().any(|e| {
        e.rule == d.rule
            && e.line.is_none_or(|l| l == line + 1)
            && e.text.as_deref().is_none_or(|t| {
                t.split_whitespace()
                    .eq(doc.slice(d.span).split_whitespace())
            })
    })
}

/// What a name in a comment stands for.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Target {
    /// A comment that names no rule: every rule.
    Every,
    Rule(&'static Rule),
    /// A name that is no rule (`invalid-suppression` reports it).
    Unknown,
}

/// The comments of a document, resolved, and which of their names hid a
/// finding.
struct Table<'d> {
    doc: &'d Document,
    /// For each comment, what each of its names stands for (one `Every`
    /// for a comment that names none), and whether it hid a finding.
    entries: Vec<Vec<(Target, bool)>>,
    /// The `disable` and `enable` comments naming each rule, in order.
    ranges_by_rule: HashMap<&'static str, Vec<usize>>,
    /// The `disable` and `enable` comments naming no rule, in order.
    ranges_for_every: Vec<usize>,
    /// The `disable-line` and `disable-next-line` comments of each line.
    by_line: HashMap<usize, Vec<usize>>,
    files: Vec<usize>,
}

impl<'d> Table<'d> {
    fn new(doc: &'d Document, lines: &LineIndex) -> Table<'d> {
        let mut table = Table {
            doc,
            entries: Vec::with_capacity(doc.suppressions.len()),
            ranges_by_rule: HashMap::new(),
            ranges_for_every: Vec::new(),
            by_line: HashMap::new(),
            files: Vec::new(),
        };
        let mut next_lines = NextLines::default();
        for (i, s) in doc.suppressions.iter().enumerate() {
            let entries: Vec<(Target, bool)> = if s.rules.is_empty() {
                vec![(Target::Every, false)]
            } else {
                s.rules
                    .iter()
                    .map(|&name| {
                        let target =
                            rules::by_name(doc.slice(name)).map_or(Target::Unknown, Target::Rule);
                        (target, false)
                    })
                    .collect()
            };
            match s.directive {
                Some(Directive::Disable | Directive::Enable) => {
                    for (target, _) in &entries {
                        match target {
                            Target::Every => table.ranges_for_every.push(i),
                            Target::Rule(rule) => {
                                let list = table.ranges_by_rule.entry(rule.name).or_default();
                                // A rule named twice in one comment.
                                if list.last() != Some(&i) {
                                    list.push(i);
                                }
                            }
                            Target::Unknown => {}
                        }
                    }
                }
                Some(Directive::DisableLine) => {
                    for line in lines.line_of(s.span.start)..=lines.line_of(s.span.end) {
                        table.by_line.entry(line).or_default().push(i);
                    }
                }
                Some(Directive::DisableNextLine) => {
                    let after = lines.line_of(s.span.end) + 1;
                    if let Some(line) = next_lines.target(doc, lines, after) {
                        table.by_line.entry(line).or_default().push(i);
                    }
                }
                Some(Directive::DisableFile) => table.files.push(i),
                None => {}
            }
            table.entries.push(entries);
        }
        table
    }

    /// Whether a comment hides a finding of `rule` at `offset` on `line`,
    /// marking the name that does; `unnamed`: comments that name no rule
    /// count.
    fn hide(&mut self, rule: &Rule, offset: usize, line: usize, unnamed: bool) -> bool {
        let names = |target: Target| match target {
            Target::Every => unnamed,
            Target::Rule(r) => r == rule,
            Target::Unknown => false,
        };
        let on_line = self.by_line.get(&line).into_iter().flatten();
        let range = self
            .decisive(
                rule,
                |i| self.doc.suppressions[i].span.end <= offset,
                unnamed,
            )
            .filter(|&i| self.doc.suppressions[i].directive == Some(Directive::Disable));
        let found = on_line
            .chain(range.as_ref())
            .chain(&self.files)
            .find_map(|&i| {
                let j = self.entries[i].iter().position(|&(t, _)| names(t))?;
                Some((i, j))
            });
        match found {
            Some((i, j)) => {
                self.entries[i][j].1 = true;
                true
            }
            None => false,
        }
    }

    /// The last `disable`/`enable` comment that `before` accepts and that
    /// names `rule` (or, if `unnamed`, no rule).
    fn decisive(
        &self,
        rule: &Rule,
        before: impl Fn(usize) -> bool,
        unnamed: bool,
    ) -> Option<usize> {
        let last = |list: &[usize]| list[..list.partition_point(|&i| before(i))].last().copied();
        let named = self.ranges_by_rule.get(rule.name).and_then(|l| last(l));
        let every = if unnamed {
            last(&self.ranges_for_every)
        } else {
            None
        };
        named.max(every)
    }

    /// What each name of each comment did, as `unused-suppression` judges.
    fn uses(&self, linter: &Linter) -> Vec<Vec<Use>> {
        let ran = |rule: &Rule| linter.rules.iter().any(|&(r, _)| r == rule);
        let every_ran = rules::ALL
            .iter()
            .filter(|r| !matches!(r.check, Check::Suppressions(_)))
            .all(|r| ran(r));
        let disabled_before = |i: usize, rule: &Rule| {
            self.decisive(rule, |j| j < i, true)
                .is_some_and(|j| self.doc.suppressions[j].directive == Some(Directive::Disable))
        };
        let suppressed_before = |i: usize| {
            let every = self.ranges_for_every[..self.ranges_for_every.partition_point(|&j| j < i)]
                .last()
                .is_some_and(|&j| self.doc.suppressions[j].directive == Some(Directive::Disable));
            every
                || self
                    .ranges_by_rule
                    .keys()
                    .any(|name| rules::by_name(name).is_some_and(|r| disabled_before(i, r)))
        };
        self.doc
            .suppressions
            .iter()
            .zip(&self.entries)
            .enumerate()
            .map(|(i, (s, entries))| {
                entries
                    .iter()
                    .map(|&(target, used)| {
                        let judged = match target {
                            Target::Every => s.directive == Some(Directive::Enable) || every_ran,
                            Target::Rule(r) => {
                                ran(r) && r.name != rules::unused_suppression::RULE.name
                            }
                            Target::Unknown => false,
                        };
                        let used = match (s.directive, target) {
                            (Some(Directive::Enable), Target::Every) => suppressed_before(i),
                            (Some(Directive::Enable), Target::Rule(r)) => disabled_before(i, r),
                            _ => used,
                        };
                        match (s.directive.is_some() && judged, used) {
                            (false, _) => Use::Unknown,
                            (true, true) => Use::Used,
                            (true, false) => Use::Unused,
                        }
                    })
                    .collect()
            })
            .collect()
    }
}

/// The line each `disable-next-line` applies to: the next one that is not
/// blank and not only comments (so that comments can be stacked), found
/// once for each run of such lines.
#[derive(Default)]
struct NextLines {
    known: HashMap<usize, Option<usize>>,
}

impl NextLines {
    fn target(&mut self, doc: &Document, lines: &LineIndex, from: usize) -> Option<usize> {
        let mut passed = Vec::new();
        let mut line = from;
        let found = loop {
            if let Some(&known) = self.known.get(&line) {
                break known;
            }
            if line >= lines.line_count() {
                break None;
            }
            passed.push(line);
            if !only_comments(lines.line_text(&doc.text, line)) {
                break Some(line);
            }
            line += 1;
        };
        for p in passed {
            self.known.insert(p, found);
        }
        found
    }
}

/// Whether `line` is blank or holds only HTML comments.
fn only_comments(mut line: &str) -> bool {
    loop {
        line = line.trim_start();
        if line.is_empty() {
            return true;
        }
        let Some(rest) = line.strip_prefix("<!--") else {
            return false;
        };
        let Some(end) = rest.find("-->") else {
            return false;
        };
        line = &rest[end + "-->".len()..];
    }
}

/// The edit that turns `rule` off for the line of Markdown holding byte
/// `at`: a `disable-next-line` comment above it, with its indentation, where
/// a line of HTML keeps the blocks as they are (above a block, or between
/// metadata lines); else a `disable-line` comment at its end (a list item,
/// a line inside a paragraph, a table row, a quotation). `None` where no
/// comment can go: plain text, front matter, code and HTML.
pub fn disable_for_line(doc: &Document, at: usize, rule: &Rule) -> Option<Edit> {
    if doc.format != Format::Markdown {
        return None;
    }
    let block = doc
        .blocks
        .iter()
        .find(|b| b.span.start <= at && at <= b.span.end)?;
    if matches!(
        block.kind,
        BlockKind::FrontMatter | BlockKind::Code | BlockKind::Html
    ) {
        return None;
    }
    let text = &doc.text;
    let lines = LineIndex::new(text);
    let line = lines.line_of(at);
    let start = lines.line_start(line);
    let end = lines.line_end(text, line);
    let content = &text[start..end];
    let indent = &content[..content.len() - content.trim_start().len()];
    let first_of_block = lines.line_of(block.span.start) == line;
    let quoted = content.trim_start().starts_with('>');
    // Metadata lines split in two stay metadata; a comment at their end
    // would be read as a value.
    let above = !quoted
        && (block.kind == BlockKind::Metadata
            || (first_of_block && block.kind != BlockKind::ListItem));
    if above {
        let line_break = &text[end..lines.line_start(line + 1)];
        let line_break = if line_break.is_empty() {
            "\n"
        } else {
            line_break
        };
        let comment = comment(Directive::DisableNextLine, rule);
        return Some(Edit::replace(
            Span::empty(start),
            format!("{indent}{comment}{line_break}"),
        ));
    }
    // Before a hard break's trailing spaces, and inside a table row's last
    // cell (cells after the last `|` are dropped, comments with them).
    let mut insert = start + content.trim_end().len();
    if block.kind == BlockKind::Table
        && text[..insert].ends_with('|')
        && !text[..insert].ends_with("\\|")
    {
        insert -= 1;
        insert = start + text[start..insert].trim_end().len();
    }
    let comment = comment(Directive::DisableLine, rule);
    Some(Edit::replace(Span::empty(insert), format!(" {comment}")))
}

fn comment(directive: Directive, rule: &Rule) -> String {
    format!(
        "<!-- {SUPPRESSION_PREFIX}{} {} -->",
        directive.name(),
        rule.name
    )
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;
    use crate::rules::Severity;

    /// The (rule, flagged text) of each finding of `text` in Markdown.
    fn found(text: &str, config: &str) -> Vec<(&'static str, String)> {
        let linter = Linter::new(&Config::parse(config, None).unwrap());
        let doc = Document::parse(text, Format::Markdown);
        linter
            .check(&doc)
            .into_iter()
            .map(|d| (d.rule.name, doc.slice(d.span).to_string()))
            .collect()
    }

    fn pairs(list: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
        list.iter().map(|&(r, t)| (r, t.to_string())).collect()
    }

    #[test]
    fn a_disable_runs_to_its_enable_or_the_end() {
        let text = "# T\n\nOne the the end.\n\n<!-- policylint-disable repeated-word -->\n\nTwo the the end.\n\n<!-- policylint-enable repeated-word -->\n\nThree the the end.\n\n<!-- policylint-disable -->\n\nFour the the end, an policy.\n";
        assert_eq!(
            found(text, ""),
            pairs(&[("repeated-word", "the the"), ("repeated-word", "the the")])
        );
        let lines: Vec<usize> = {
            let linter = Linter::new(&Config::default());
            let doc = Document::parse(text, Format::Markdown);
            let index = LineIndex::new(&doc.text);
            linter
                .check(&doc)
                .iter()
                .map(|d| index.line_of(d.span.start) + 1)
                .collect()
        };
        assert_eq!(lines, [3, 11]);
    }

    #[test]
    fn every_comment_of_the_readme_example_hides_its_finding() {
        let readme = include_str!("../../README.md");
        let section = &readme[readme.find("## Suppressing findings").unwrap()..];
        let example = section
            .split("```markdown\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .unwrap();
        let text = format!("# Charter\n\n{example}");
        assert_eq!(found(&text, ""), []);
        let uncommented: String = text
            .lines()
            .map(|l| l.split(" <!--").next().unwrap())
            .filter(|l| !l.starts_with("<!--"))
            .map(|l| format!("{l}\n"))
            .collect();
        let rules: Vec<&str> = found(&uncommented, "").iter().map(|f| f.0).collect();
        assert_eq!(
            rules,
            [
                "real-word",
                "undefined-acronym",
                "dangling-reference",
                "numbering"
            ]
        );
    }

    #[test]
    fn an_enable_of_one_rule_inside_a_disable_of_every_rule() {
        let text = "# T\n\n<!-- policylint-disable -->\nAn policy with the the end.\n<!-- policylint-enable article -->\nAn policy with the the end.\n";
        assert_eq!(found(text, ""), pairs(&[("article", "An policy")]));
    }

    #[test]
    fn line_comments_and_stacked_next_line_comments() {
        let text = "# T\n\n<!-- policylint-disable-next-line article -->\n\n<!-- markdownlint-disable-next-line MD013 -->\n<!-- policylint-disable-next-line repeated-word -->\nAn policy with the the end.\n\nAn policy with the the end. <!-- policylint-disable-line article repeated-word -->\n\nAn policy.\n";
        assert_eq!(found(text, ""), pairs(&[("article", "An policy")]));
    }

    #[test]
    fn a_file_comment_anywhere_and_an_enable_does_not_undo_it() {
        let text = "# T\n\nAn policy with the the end.\n\n<!-- policylint-enable article -->\n\n<!-- policylint-disable-file article -->\n";
        assert_eq!(
            found(text, ""),
            pairs(&[
                ("repeated-word", "the the"),
                ("unused-suppression", "<!-- policylint-enable article -->"),
            ])
        );
    }

    #[test]
    fn the_most_specific_comment_is_the_one_used() {
        // The next-line comment hides the finding; the file comment then
        // hides nothing, and removing it brings nothing back.
        let text = "# T\n\n<!-- policylint-disable-file repeated-word -->\n\n<!-- policylint-disable-next-line repeated-word -->\nWe keep the the data.\n";
        assert_eq!(
            found(text, ""),
            pairs(&[(
                "unused-suppression",
                "<!-- policylint-disable-file repeated-word -->"
            )])
        );
    }

    #[test]
    fn unknown_names_suppress_nothing_and_are_reported() {
        let text =
            "# T\n\n<!-- policylint-disable-next-line repeated-wrd -->\nWe keep the the data.\n";
        assert_eq!(
            found(text, ""),
            pairs(&[
                ("invalid-suppression", "repeated-wrd"),
                ("repeated-word", "the the"),
            ])
        );
    }

    #[test]
    fn configuration_entries_for_the_file() {
        let config = Config::parse(
            "[[suppress]]\npath = \"terms.txt\"\nrule = \"repeated-word\"\ntext = \"the  the\"\n\n\
             [[suppress]]\npath = \"*.txt\"\nrule = \"article\"\nline = 6\n",
            Some(Path::new("/p/policylint.toml")),
        )
        .unwrap();
        let text = "Terms\n\nWe keep the\nthe data, an policy.\n\nAn policy with the the end.\n";
        let doc = Document::parse(text, Format::Plain);
        let rules = |path: &str| -> Vec<(&str, usize)> {
            let index = LineIndex::new(&doc.text);
            Linter::new(&config)
                .for_path(Path::new(path))
                .check(&doc)
                .iter()
                .map(|d| (d.rule.name, index.line_of(d.span.start) + 1))
                .collect()
        };
        // Both repeated words are "the the", the one across a line break.
        assert_eq!(rules("/p/terms.txt"), [("article", 4)]);
        assert_eq!(
            rules("/p/other.txt"),
            [("repeated-word", 3), ("article", 4), ("repeated-word", 6)]
        );
        assert_eq!(rules("/p/terms.md").len(), 4);
    }

    #[test]
    fn overrides_change_the_rules_of_a_file() {
        let config = Config::parse(
            "[[overrides]]\nfiles = [\"legal/**\"]\nignore = [\"repeated-word\"]\nseverity = { article = \"error\" }\n",
            Some(Path::new("/p/policylint.toml")),
        )
        .unwrap();
        let doc = Document::parse("Terms\n\nAn policy with the the end.\n", Format::Plain);
        let linter = Linter::new(&config);
        let found = |linter: &Linter| -> Vec<(&str, Severity)> {
            linter
                .check(&doc)
                .iter()
                .map(|d| (d.rule.name, d.severity))
                .collect()
        };
        assert_eq!(
            found(&linter.for_path(Path::new("/p/legal/terms.txt"))),
            [("article", Severity::Error)]
        );
        assert_eq!(
            found(&linter.for_path(Path::new("/p/terms.txt"))),
            [
                ("article", Severity::Warning),
                ("repeated-word", Severity::Warning)
            ]
        );
    }

    #[test]
    fn disable_for_line_hides_the_finding_and_keeps_the_blocks() {
        let text = "# Terms\n\nWe keep the the data.\n  Second line the the end.\n\n- An item the the end.\n\n  Loose the the end.\n\n> Quoted the the end.  \n> More.\n\n| a | b |\n|---|---|\n| x | the the |\n\n```\ncode\n```\n";
        let doc = Document::parse(text, Format::Markdown);
        let rule = rules::by_name("repeated-word").unwrap();
        let kinds = |doc: &Document| -> Vec<BlockKind> {
            doc.blocks
                .iter()
                .map(|b| b.kind)
                .filter(|&k| k != BlockKind::Html)
                .collect()
        };
        let select = "select = [\"repeated-word\", \"unused-suppression\"]";
        let before = found(text, select).len();
        assert_eq!(before, 6);
        for (needle, expected) in [
            (
                "We keep",
                "\n\n<!-- policylint-disable-next-line repeated-word -->\nWe keep",
            ),
            (
                "Second",
                "  Second line the the end. <!-- policylint-disable-line repeated-word -->\n",
            ),
            (
                "An item",
                "- An item the the end. <!-- policylint-disable-line repeated-word -->\n",
            ),
            (
                "Loose",
                "  Loose the the end. <!-- policylint-disable-line repeated-word -->\n",
            ),
            (
                "Quoted",
                "> Quoted the the end. <!-- policylint-disable-line repeated-word -->  \n",
            ),
            (
                "| x",
                "| x | the the <!-- policylint-disable-line repeated-word --> |\n",
            ),
        ] {
            let at = text.find(needle).unwrap();
            let edit = disable_for_line(&doc, at, rule).unwrap();
            let mut out = text.to_string();
            out.replace_range(edit.span.range(), &edit.text);
            assert!(out.contains(expected), "{needle}: {out}");
            let after = Document::parse(out.as_str(), Format::Markdown);
            assert_eq!(kinds(&after), kinds(&doc), "{out}");
            assert_eq!(found(&out, select).len(), before - 1, "{needle}: {out}");
        }
        let heading = Document::parse("Intro.\n## Terms the the end\n", Format::Markdown);
        let edit = disable_for_line(&heading, 12, rule).unwrap();
        assert_eq!(
            (edit.span, edit.text.as_str()),
            (
                Span::empty(7),
                "<!-- policylint-disable-next-line repeated-word -->\n"
            )
        );
        // Between metadata lines, where a comment at the end would be a value.
        let metadata = "# T\n\nAuthor: Jane\nBy:\n\nText.\n";
        let edit = disable_for_line(
            &Document::parse(metadata, Format::Markdown),
            metadata.find("By:").unwrap(),
            rules::by_name("empty-metadata").unwrap(),
        )
        .unwrap();
        let mut out = metadata.to_string();
        out.replace_range(edit.span.range(), &edit.text);
        assert_eq!(
            out,
            "# T\n\nAuthor: Jane\n<!-- policylint-disable-next-line empty-metadata -->\nBy:\n\nText.\n"
        );
        assert_eq!(found(metadata, "").len(), 1);
        assert_eq!(found(&out, ""), []);
        // No comment in code, or in plain text.
        assert!(disable_for_line(&doc, text.find("code").unwrap(), rule).is_none());
        let plain = Document::parse(text, Format::Plain);
        assert!(disable_for_line(&plain, 10, rule).is_none());
    }

    /// The findings of every rule but those about suppressions, as (rule,
    /// flagged text), sorted.
    fn hidden_or_not(text: &str) -> Vec<(&'static str, String)> {
        let mut list: Vec<_> = found(text, "")
            .into_iter()
            .filter(|(rule, _)| {
                rules::by_name(rule).unwrap().category != rules::Category::Suppression
            })
            .collect();
        list.sort();
        list
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn removing_the_unused_suppressions_brings_no_finding_back(
            lines in proptest::collection::vec(proptest::sample::select(vec![
                "We keep the the data.",
                "An policy is here.",
                "Fine text here.",
                "- An policy item.",
                "## Heading the the",
                "",
                "",
                "<!-- policylint-disable-next-line repeated-word -->",
                "<!-- policylint-disable-next-line article repeated-word -->",
                "<!-- policylint-disable-line article -->",
                "We keep the the data. <!-- policylint-disable-line repeated-word -->",
                "<!-- policylint-disable repeated-word -->",
                "<!-- policylint-disable -->",
                "<!-- policylint-enable -->",
                "<!-- policylint-enable article -->",
                "<!-- policylint-disable-file article -->",
            ]), 1..16)
        ) {
            let mut text = format!("# T\n\n{}\n", lines.join("\n"));
            let before = hidden_or_not(&text);
            let linter = Linter::new(&Config::default());
            for _ in 0..4 {
                let doc = Document::parse(text.as_str(), Format::Markdown);
                let unused: Vec<Diagnostic> = linter
                    .check(&doc)
                    .into_iter()
                    .filter(|d| d.rule.name == "unused-suppression")
                    .collect();
                if unused.is_empty() {
                    break;
                }
                text = crate::lint::fix::apply(&doc.text, &unused, crate::lint::fix::FixMode::Safe).0;
            }
            proptest::prop_assert_eq!(hidden_or_not(&text), before, "{}", text);
            proptest::prop_assert!(
                !found(&text, "").iter().any(|f| f.0 == "unused-suppression"),
                "{}",
                text
            );
        }
    }
}
