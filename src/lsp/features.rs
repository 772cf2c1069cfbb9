//! Answers to requests, from an analysis: diagnostics, the outline as
//! symbols and folding ranges, hover, definitions, references and code
//! actions. Everything here converts; the engine computed it all.

use std::collections::HashMap;

use ropey::Rope;
use serde_json::json;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, Command, Diagnostic as LspDiagnostic, DiagnosticSeverity,
    DocumentSymbol, FoldingRange, FoldingRangeKind, Hover, HoverContents, Location, MarkupContent,
    MarkupKind, NumberOrString, Position, Range, SymbolKind, TextEdit, Uri, WorkspaceEdit,
};

use super::document::Analysis;
use super::position::{self, Encoding};
use crate::lint::suppress;
use crate::rules::dangling_reference::{self, Resolution};
use crate::rules::defined_terms::Glossary;
use crate::rules::{Category, Diagnostic, Severity};
use crate::syntax::{Document, SectionKind, Span};

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
        data: Some(json!({ "rule": d.rule.name, "summary": d.rule.summary })),
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
            section
                .children
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

/// Hover: a finding's rule and explanation, or a reference's target section.
pub fn hover(m: &Mapper<'_>, analysis: &Analysis, at: usize) -> Option<Hover> {
    if let Some(d) = analysis.diagnostics.iter().find(|d| touches(d.span, at)) {
        let text = format!(
            "**policylint** `{}` ({})\n\n{}\n\n---\n\n{}",
            d.rule.name,
            d.severity,
            d.message,
            d.rule.explanation()
        );
        return Some(markdown(text, m.range(d.span)));
    }
    let doc = &analysis.doc;
    let Some((reference, resolution)) = dangling_reference::references(doc)
        .into_iter()
        .find(|(r, _)| touches(r.span, at))
    else {
        return term_hover(m, doc, at);
    };
    let text = match resolution {
        Resolution::Found(target) => section_preview(doc, target),
        Resolution::Missing => format!(
            "`{}`: this document has no such part.",
            doc.slice(reference.span)
        ),
        Resolution::Unknown => return None,
    };
    Some(markdown(text, m.range(reference.span)))
}

/// Hover on a defined term: its definitions.
fn term_hover(m: &Mapper<'_>, doc: &Document, at: usize) -> Option<Hover> {
    let glossary = Glossary::of(doc);
    let term = glossary.term_at(at)?;
    let on = term
        .definitions
        .iter()
        .map(|d| d.span)
        .chain(term.uses.iter().map(|u| u.span))
        .find(|s| touches(*s, at))?;
    let mut text = format!("**{}** (defined term)", term.name);
    for d in &term.definitions {
        let body = doc.slice(d.body).split_whitespace().collect::<Vec<_>>();
        text.push_str(&format!("\n\n> {}", body.join(" ")));
    }
    Some(markdown(text, m.range(on)))
}

/// The heading at `target` and the first lines of its section.
fn section_preview(doc: &Document, target: Span) -> String {
    const PREVIEW_LINES: usize = 4;
    let heading = doc.slice(target).trim();
    let section = doc
        .outline
        .sections
        .iter()
        .find(|s| s.heading.start == target.start || s.heading == target);
    let body = match section {
        Some(s) => doc.slice(s.body),
        None => "",
    };
    let lines: Vec<&str> = body
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(PREVIEW_LINES)
        .collect();
    format!("**{heading}**\n\n{}", lines.join("\n\n"))
}

fn markdown(value: String, range: Range) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(range),
    }
}

/// Whether `offset` lies in `span` or at its end (the cursor after a word).
fn touches(span: Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

/// Go to definition: the heading a reference at `at` points to, or the
/// (first) definition of the defined term at `at`.
pub fn definition(doc: &Document, at: usize) -> Option<Span> {
    dangling_reference::references(doc)
        .into_iter()
        .find(|(r, _)| touches(r.span, at))
        .and_then(|(_, res)| match res {
            Resolution::Found(target) => Some(target),
            _ => None,
        })
        .or_else(|| {
            let glossary = Glossary::of(doc);
            Some(glossary.term_at(at)?.definitions[0].span)
        })
}

/// Find references: every reference to the heading (or numbered paragraph)
/// at `at`, or every use of the defined term at `at`; with the heading or
/// the term's definitions when asked for.
pub fn references(doc: &Document, at: usize, include_declaration: bool) -> Vec<Span> {
    let sections = section_references(doc, at, include_declaration);
    if !sections.is_empty() {
        return sections;
    }
    let glossary = Glossary::of(doc);
    let Some(term) = glossary.term_at(at) else {
        return Vec::new();
    };
    let definitions = term
        .definitions
        .iter()
        .map(|d| d.span)
        .filter(|_| include_declaration);
    definitions
        .chain(term.uses.iter().map(|u| u.span))
        .collect()
}

fn section_references(doc: &Document, at: usize, include_declaration: bool) -> Vec<Span> {
    let heading = doc
        .outline
        .sections
        .iter()
        .map(|s| s.heading)
        .chain(doc.items.iter().map(|i| doc.blocks[i.block].span))
        .find(|h| touches(*h, at));
    let found = dangling_reference::references(doc);
    let target = match heading {
        Some(h) => h,
        // Asked on a reference: its target's references.
        None => match found.iter().find(|(r, _)| touches(r.span, at)) {
            Some((_, Resolution::Found(t))) => *t,
            _ => return Vec::new(),
        },
    };
    let mut spans: Vec<Span> = found
        .iter()
        .filter(|(_, res)| *res == Resolution::Found(target))
        .map(|(r, _)| r.span)
        .collect();
    if include_declaration {
        spans.insert(0, target);
    }
    spans
}

/// The quick fixes and commands for the findings in `range`.
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
    if wants(&CodeActionKind::QUICKFIX) {
        for d in analysis
            .diagnostics
            .iter()
            .filter(|d| d.span.intersects(range) || touches(d.span, range.start))
        {
            let lsp = diagnostic(m, d);
            // The rule's fix, the one `--fix` applies, comes first; the other
            // suggestions are offered as replacements of the flagged text.
            let mut offered = None;
            if let Some(fix) = &d.fix {
                let replaces_the_finding = match fix.edits.as_slice() {
                    [e] if e.span == d.span => Some(e.text.clone()),
                    _ => None,
                };
                let title = match (fix.title, &replaces_the_finding) {
                    (Some(title), _) => title.to_string(),
                    (None, Some(text)) => format!("Replace with `{text}`"),
                    (None, None) => format!("Fix: {}", d.message),
                };
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| TextEdit::new(m.range(e.span), e.text.clone()))
                    .collect();
                actions.push(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![lsp.clone()]),
                    edit: Some(edit(uri, edits)),
                    is_preferred: Some(fix.safe || d.suggestions.len() <= 1),
                    ..CodeAction::default()
                });
                offered = replaces_the_finding;
            }
            for s in d
                .suggestions
                .iter()
                .filter(|s| offered.as_ref() != Some(*s))
            {
                actions.push(CodeAction {
                    title: format!("Replace with `{s}`"),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![lsp.clone()]),
                    edit: Some(edit(uri, vec![TextEdit::new(m.range(d.span), s.clone())])),
                    is_preferred: Some(false),
                    ..CodeAction::default()
                });
            }
            let for_line = (d.rule.category != Category::Suppression)
                .then(|| suppress::disable_for_line(&analysis.doc, d.span.start, d.rule))
                .flatten();
            if let Some(e) = for_line {
                actions.push(CodeAction {
                    title: format!("Disable `{}` for this line", d.rule.name),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![lsp.clone()]),
                    edit: Some(edit(uri, vec![TextEdit::new(m.range(e.span), e.text)])),
                    ..CodeAction::default()
                });
            }
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
