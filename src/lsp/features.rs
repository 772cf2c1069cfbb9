//! Answers to requests, from an analysis: diagnostics, the outline as
//! symbols and folding ranges, hover, definitions, references and code
//! actions. Everything here converts; the engine computed it all.

use std::collections::HashMap;
use std::sync::Arc;

use ropey::Rope;
use serde_json::json;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, Command, Diagnostic as LspDiagnostic, DiagnosticSeverity,
    DocumentSymbol, FoldingRange, FoldingRangeKind, Hover, HoverContents, Location, MarkupContent,
    MarkupKind, NumberOrString, Position, Range, SymbolKind, TextEdit, Uri, WorkspaceEdit,
};

use super::document::Analysis;
use super::position::{self, Encoding};
use crate::ide;
use crate::rules::{Diagnostic, Severity};
use crate::syntax::{Change, Document, SectionKind, Span};

/// The code action kind that applies every safe fix.
pub const FIX_ALL: &str = "source.fixAll.policylint";
/// The command that adds a word to the workspace dictionary.
pub const ADD_WORD: &str = "policylint.addWord";
/// The command that turns a rule off in the workspace.
pub const DISABLE_RULE: &str = "policylint.disableRule";

/// Converts positions for one document.
pub struct Mapper<'a> {
    pub rope: &'a Rope,
    pub bom: usize,
    pub encoding: Encoding,
}

impl<'a> Mapper<'a> {
    /// Positions in the text `analysis` was made from.
    pub fn new(analysis: &'a Analysis, encoding: Encoding) -> Mapper<'a> {
        Mapper {
            rope: &analysis.rope,
            bom: analysis.bom(),
            encoding,
        }
    }

    pub fn range(&self, span: Span) -> Range {
        position::range(self.rope, span.shifted(self.bom), self.encoding)
    }

    /// The offset in the analysed text of `position`.
    pub fn offset(&self, position: Position) -> usize {
        position::offset(self.rope, position, self.encoding).saturating_sub(self.bom)
    }

    pub fn span(&self, range: Range) -> Span {
        let s = position::span(self.rope, range, self.encoding);
        Span::new(
            s.start.saturating_sub(self.bom),
            s.end.saturating_sub(self.bom),
        )
    }
}

/// The LSP diagnostics of the findings `found` in `doc`. Each that the
/// edit from `previous` (an analysis of an earlier version) leaves where it
/// was, or moves by whole lines, is taken from its diagnostics: at a few
/// thousand findings, converting every position on every keystroke costs
/// more than checking the edit. Not only those before the first finding
/// that changed and after the last: an edit to one use of a word changes
/// the message of every finding that counts its uses, all over the
/// document.
pub fn diagnostics(
    m: &Mapper<'_>,
    doc: &Document,
    found: &[Diagnostic],
    previous: Option<&Analysis>,
) -> Vec<Arc<LspDiagnostic>> {
    let convert = |d: &Diagnostic| Arc::new(diagnostic(m, d));
    let Some(previous) = previous.filter(|p| p.encoding == m.encoding && p.bom() == m.bom) else {
        return found.iter().map(convert).collect();
    };
    // The document says how it came from the last one checked, which is
    // usually the previous analysis's.
    let change = match doc.edited {
        Some(edited) if edited.from == previous.doc.revision => edited.change,
        _ => crate::syntax::changed(&previous.doc.text, &doc.text),
    };
    let Change {
        start,
        old_end,
        new_end,
    } = change;
    let delta = new_end as isize - old_end as isize;
    let (old, old_lsp) = (&previous.diagnostics[..], &previous.lsp_diagnostics[..]);
    // Past the line the edit ends on (and the next, in case the edit split
    // a CR LF), lines move by the number the edit added or removed, and
    // columns stay; before the edit, lines and columns are as they were.
    let edit_line = previous
        .rope
        .byte_to_line((old_end + m.bom).min(previous.rope.len_bytes()));
    let line_delta = m.rope.len_lines() as i64 - previous.rope.len_lines() as i64;
    let shift = |p: &mut Position| p.line = (p.line as i64 + line_delta) as u32;
    // Where an old finding stands in the new text, in the order both lists
    // are sorted in (a finding the edit touched keeps its old place: it
    // is taken for none).
    let place = |d: &Diagnostic| {
        let span = if d.span.start >= old_end {
            d.span.moved(delta)
        } else {
            d.span
        };
        (span.start, span.end, d.rule.name)
    };
    let mut next_old = 0;
    found
        .iter()
        .map(|n| {
            let key = (n.span.start, n.span.end, n.rule.name);
            while next_old < old.len() && place(&old[next_old]) < key {
                next_old += 1;
            }
            // Same place, so same span and rule.
            let kept = (next_old..old.len())
                .take_while(|&i| place(&old[i]) == key)
                .find(|&i| old[i].severity == n.severity && old[i].message == n.message);
            let Some(i) = kept else {
                return convert(n);
            };
            let (o, o_lsp) = (&old[i], &old_lsp[i]);
            if o.span.end <= start {
                return o_lsp.clone();
            }
            let moved_by_lines = o.span.start >= old_end
                && n.span.start >= new_end
                && o_lsp.range.start.line as usize > edit_line + 1;
            if !moved_by_lines {
                return convert(n);
            }
            if line_delta == 0 {
                return o_lsp.clone();
            }
            let mut d = LspDiagnostic::clone(o_lsp);
            shift(&mut d.range.start);
            shift(&mut d.range.end);
            Arc::new(d)
        })
        .collect()
}

pub fn diagnostic(m: &Mapper<'_>, d: &Diagnostic) -> LspDiagnostic {
    LspDiagnostic {
        range: m.range(d.span),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
            Severity::Hint => DiagnosticSeverity::HINT,
        }),
        code: Some(NumberOrString::String(d.rule.name.to_string())),
        source: Some("policylint".into()),
        message: d.message.clone(),
        ..LspDiagnostic::default()
    }
}

/// The outline: the title (if any) holding the sections, sections holding
/// their sub-sections and run-in headings.
#[allow(deprecated)]
pub fn document_symbols(m: &Mapper<'_>, doc: &Document) -> Vec<DocumentSymbol> {
    let sections: Vec<DocumentSymbol> = doc
        .outline
        .roots
        .iter()
        .map(|&i| section_symbol(m, doc, i))
        .collect();
    match &doc.title {
        Some(title) => {
            let whole = Span::new(
                doc.blocks[title.block].span.start.min(title.span.start),
                doc.text.len(),
            );
            vec![DocumentSymbol {
                name: doc.slice(title.span).to_string(),
                detail: Some("title".into()),
                kind: SymbolKind::FILE,
                tags: None,
                deprecated: None,
                range: m.range(whole),
                selection_range: m.range(title.span),
                children: Some(sections),
            }]
        }
        None => sections,
    }
}

#[allow(deprecated)]
fn section_symbol(m: &Mapper<'_>, doc: &Document, i: usize) -> DocumentSymbol {
    let section = &doc.outline.sections[i];
    let (name, detail, kind) = section_name(doc, i);
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: m.range(trim_end(doc, section.span())),
        selection_range: m.range(section.heading),
        children: Some(
            doc.outline
                .children(i)
                .iter()
                .map(|&c| section_symbol(m, doc, c))
                .collect(),
        ),
    }
}

/// A section's name as the outline shows it, its detail and symbol kind.
fn section_name(doc: &Document, i: usize) -> (String, Option<String>, SymbolKind) {
    match doc.outline.sections[i].kind {
        SectionKind::Heading(h) => {
            let heading = &doc.headings[h];
            let title = doc.title_of(heading);
            match &heading.number {
                Some(n) if title.is_empty() => {
                    (n.display(), Some("section".into()), SymbolKind::NAMESPACE)
                }
                Some(n) => (
                    format!("{} {title}", n.display()),
                    Some("section".into()),
                    SymbolKind::NAMESPACE,
                ),
                None => (
                    title.to_string(),
                    Some("section".into()),
                    SymbolKind::NAMESPACE,
                ),
            }
        }
        SectionKind::RunIn(r) => {
            let lead = doc.slice(doc.run_ins[r].span);
            (
                lead.trim_end_matches('.').to_string(),
                Some("run-in heading".into()),
                SymbolKind::KEY,
            )
        }
    }
}

/// `span` without the blank lines at its end.
fn trim_end(doc: &Document, span: Span) -> Span {
    let trimmed = doc.slice(span).trim_end().len();
    Span::new(span.start, span.start + trimmed)
}

/// Flat symbols of every section whose name contains `query`.
pub fn matching_sections(doc: &Document, query: &str) -> Vec<(String, SymbolKind, Span)> {
    let query = query.to_lowercase();
    (0..doc.outline.sections.len())
        .filter_map(|i| {
            let (name, _, kind) = section_name(doc, i);
            name.to_lowercase()
                .contains(&query)
                .then(|| (name, kind, doc.outline.sections[i].heading))
        })
        .collect()
}

/// A folding range for each section that spans more than its heading line.
pub fn folding_ranges(m: &Mapper<'_>, doc: &Document) -> Vec<FoldingRange> {
    doc.outline
        .sections
        .iter()
        .filter_map(|s| {
            let range = m.range(trim_end(doc, s.span()));
            (range.end.line > range.start.line).then_some(FoldingRange {
                start_line: range.start.line,
                start_character: None,
                end_line: range.end.line,
                end_character: None,
                kind: Some(FoldingRangeKind::Region),
                collapsed_text: None,
            })
        })
        .collect()
}

/// Hover: see [`ide::hover`].
pub fn hover(m: &Mapper<'_>, analysis: &Analysis, at: usize) -> Option<Hover> {
    let shown = ide::hover(
        &analysis.doc,
        analysis.navigation(),
        &analysis.diagnostics,
        at,
    )?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: shown.markdown,
        }),
        range: Some(m.range(shown.span)),
    })
}

/// The quick fixes ([`ide::quick_fixes`]) and commands for the findings in
/// `range`.
pub fn code_actions(
    m: &Mapper<'_>,
    uri: &Uri,
    analysis: &Analysis,
    range: Span,
    only: Option<&[CodeActionKind]>,
) -> Vec<CodeAction> {
    let wants = |kind: &CodeActionKind| {
        only.is_none_or(|kinds| kinds.iter().any(|k| kind.as_str().starts_with(k.as_str())))
    };
    let mut actions = Vec::new();
    if !wants(&CodeActionKind::QUICKFIX) {
        return actions;
    }
    let fixes = ide::quick_fixes(&analysis.doc, &analysis.diagnostics, range);
    for fix in fixes {
        let d = &analysis.diagnostics[fix.diagnostic];
        let edits = fix
            .edits
            .into_iter()
            .map(|e| TextEdit::new(m.range(e.span), e.text))
            .collect();
        actions.push(CodeAction {
            title: fix.title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic(m, d)]),
            edit: Some(edit(uri, edits)),
            is_preferred: Some(fix.preferred),
            ..CodeAction::default()
        });
    }
    // The commands, for every finding in range (with or without a fix).
    for d in analysis.diagnostics.iter() {
        if !(d.span.intersects(range) || ide::touches(d.span, range.start)) {
            continue;
        }
        let lsp = diagnostic(m, d);
        if d.rule.name == "misspelling" {
            let word = analysis.doc.slice(d.span).to_string();
            actions.push(command_action(
                format!("Add `{word}` to the dictionary"),
                ADD_WORD,
                vec![json!(word), json!(uri.as_str())],
                &lsp,
            ));
        }
        actions.push(command_action(
            format!("Disable `{}` in this workspace", d.rule.name),
            DISABLE_RULE,
            vec![json!(d.rule.name), json!(uri.as_str())],
            &lsp,
        ));
    }
    actions
}

fn command_action(
    title: String,
    command: &str,
    arguments: Vec<serde_json::Value>,
    d: &LspDiagnostic,
) -> CodeAction {
    CodeAction {
        title: title.clone(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![d.clone()]),
        command: Some(Command {
            title,
            command: command.into(),
            arguments: Some(arguments),
        }),
        ..CodeAction::default()
    }
}

/// The action that replaces the document with its safe fixes applied.
pub fn fix_all_action(m: &Mapper<'_>, uri: &Uri, fixed: &str, fixes: usize) -> CodeAction {
    let end = position::position(m.rope, m.rope.len_bytes(), m.encoding);
    let bom = if m.bom > 0 { "\u{feff}" } else { "" };
    CodeAction {
        title: format!("Fix all safely fixable problems ({fixes})"),
        kind: Some(CodeActionKind::from(FIX_ALL)),
        edit: Some(edit(
            uri,
            vec![TextEdit::new(
                Range::new(Position::new(0, 0), end),
                format!("{bom}{fixed}"),
            )],
        )),
        ..CodeAction::default()
    }
}

pub fn edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

pub fn location(uri: &Uri, range: Range) -> Location {
    Location::new(uri.clone(), range)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::lint::Linter;
    use crate::lsp::OpenDocument;
    use crate::syntax::Format;
    use proptest::prelude::*;
    use tower_lsp_server::ls_types::TextDocumentContentChangeEvent;

    const BASE: &str = "# Policy\r\n\r\nWe recieve the the data.\n\n## 1. Scope\n\nIt covers an user 😀 and an user.\n\nSee Section 9.\n\n## 3. Law\n\nThe the end.\n";

    #[test]
    fn diagnostics_an_edit_leaves_alone_are_shared_wherever_they_are() {
        // Dropping one use of "frobnicate" changes the count in the messages
        // of the slips of it at the top and at the bottom, and of the note
        // on its first use: the repeated words between stay as they were,
        // but for the one on the line edited.
        let mut text = String::from("# Policy\n\nWe frobnicte the data.\n\n");
        for _ in 0..12 {
            text.push_str("We frobnicate the the data.\n\n");
        }
        text.push_str("Later we frobnicte it.\n");
        let linter = Linter::new(&Config::default());
        let mut document = OpenDocument::new(&text, 1, Format::Markdown);
        let before = document.analysis(&linter, Encoding::Utf16);
        let uses = |a: &Analysis, n: usize| {
            let counted = format!("which this document uses {n} times");
            a.diagnostics
                .iter()
                .filter(|d| d.message.contains(&counted))
                .count()
        };
        assert_eq!(uses(&before, 12), 2, "{:?}", before.diagnostics);
        // The sixth paragraph's "frobnicate" becomes "process".
        let line = 2 + 2 * 6;
        let change = TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(line, 3), Position::new(line, 13))),
            range_length: None,
            text: "process".into(),
        };
        document.apply(vec![change], 2, Encoding::Utf16);
        let after = document.analysis(&linter, Encoding::Utf16);
        assert_eq!(uses(&after, 11), 2, "{:?}", after.diagnostics);
        let afresh = diagnostics(
            &Mapper::new(&after, Encoding::Utf16),
            &after.doc,
            &after.diagnostics,
            None,
        );
        assert_eq!(after.lsp_diagnostics.as_ref(), &afresh);
        let made: Vec<&str> = after
            .lsp_diagnostics
            .iter()
            .filter(|d| !before.lsp_diagnostics.iter().any(|b| Arc::ptr_eq(b, d)))
            .map(|d| d.message.as_str())
            .collect();
        // The three messages, and the repeated word on the line edited.
        assert_eq!(made.len(), 4, "{made:?}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Diagnostics taken from the last analysis are those a conversion
        /// afresh gives.
        #[test]
        fn diagnostics_carried_over_equal_converted_afresh(
            edits in prop::collection::vec((0.0..1.0f64, 0.0..0.2f64, "[a-z \n\r😀]{0,6}|the the |\r\n\r\n"), 1..8),
            utf8 in any::<bool>(),
            bom in any::<bool>(),
        ) {
            let encoding = if utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
            let linter = Linter::new(&Config::default());
            let text = if bom { format!("\u{feff}{BASE}") } else { BASE.to_string() };
            let mut document = OpenDocument::new(&text, 1, Format::Markdown);
            document.analysis(&linter, encoding);
            for (version, (at, len, insert)) in (2..).zip(edits) {
                let text = document.rope.to_string();
                let start = crate::syntax::floor_char_boundary(&text, (at * text.len() as f64) as usize);
                let end = crate::syntax::floor_char_boundary(&text, start + (len * text.len() as f64) as usize);
                let (start, end) = (document.rope.byte_to_char(start), document.rope.byte_to_char(end));
                let position = |c: usize| super::position::position(&document.rope, document.rope.char_to_byte(c), encoding);
                let change = TextDocumentContentChangeEvent {
                    range: Some(Range::new(position(start), position(end))),
                    range_length: None,
                    text: insert.clone(),
                };
                document.apply(vec![change], version, encoding);
                let analysis = document.analysis(&linter, encoding);
                let afresh = diagnostics(&Mapper::new(&analysis, encoding), &analysis.doc, &analysis.diagnostics, None);
                prop_assert_eq!(analysis.lsp_diagnostics.as_ref(), &afresh);
            }
        }
    }
}
