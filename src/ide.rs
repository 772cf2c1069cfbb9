//! What an editor asks of a checked document, answered in the engine's
//! terms (byte spans, [`Edit`]s): hover text, the target of a reference or
//! a defined term, its references, and the quick fixes of findings. The
//! language server (`lsp/`) only converts these to the protocol's types;
//! nothing here knows LSP.
//!
//! A quick fix is built from the finding's [`crate::rules::Fix`], the same
//! edits `--fix` applies: one source for every change.

use crate::lint::suppress;
use crate::rules::dangling_reference::{self, Reference, Resolution};
use crate::rules::defined_terms::Glossary;
use crate::rules::{Category, Diagnostic, Edit};
use crate::syntax::{Document, Span};

/// The cross-references and defined terms of a document, found once for
/// all the requests on one version of it.
#[derive(Debug)]
pub struct Navigation {
    references: Vec<(Reference, Resolution)>,
    glossary: Glossary,
}

impl Navigation {
    pub fn of(doc: &Document) -> Navigation {
        Navigation {
            references: dangling_reference::references(doc),
            glossary: Glossary::of(doc),
        }
    }

    fn reference_at(&self, at: usize) -> Option<&(Reference, Resolution)> {
        self.references.iter().find(|(r, _)| touches(r.span, at))
    }
}

/// Hover text (Markdown) and the span it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverText {
    pub span: Span,
    pub markdown: String,
}

/// Hover: a finding's rule and explanation, a reference's target section,
/// or a defined term's definitions.
pub fn hover(
    doc: &Document,
    nav: &Navigation,
    diagnostics: &[Diagnostic],
    at: usize,
) -> Option<HoverText> {
    if let Some(d) = diagnostics.iter().find(|d| touches(d.span, at)) {
        let markdown = format!(
            "**policylint** `{}` ({})\n\n{}\n\n---\n\n{}",
            d.rule.name,
            d.severity,
            d.message,
            d.rule.explanation()
        );
        return Some(HoverText {
            span: d.span,
            markdown,
        });
    }
    let Some((reference, resolution)) = nav.reference_at(at) else {
        return term_hover(doc, nav, at);
    };
    let markdown = match resolution {
        Resolution::Found(target) => section_preview(doc, *target),
        Resolution::Missing => format!(
            "`{}`: this document has no such part.",
            doc.slice(reference.span)
        ),
        Resolution::Unknown => return None,
    };
    Some(HoverText {
        span: reference.span,
        markdown,
    })
}

/// Hover on a defined term: its definitions.
fn term_hover(doc: &Document, nav: &Navigation, at: usize) -> Option<HoverText> {
    let term = nav.glossary.term_at(at)?;
    let on = term
        .definitions
        .iter()
        .map(|d| d.span)
        .chain(term.uses.iter().map(|u| u.span))
        .find(|s| touches(*s, at))?;
    let mut markdown = format!("**{}** (defined term)", term.name);
    for d in &term.definitions {
        let body = doc.slice(d.body).split_whitespace().collect::<Vec<_>>();
        markdown.push_str(&format!("\n\n> {}", body.join(" ")));
    }
    Some(HoverText { span: on, markdown })
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

/// Whether `offset` lies in `span` or at its end (the cursor after a word).
pub fn touches(span: Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

/// Go to definition: the heading a reference at `at` points to, or the
/// (first) definition of the defined term at `at`.
pub fn definition(nav: &Navigation, at: usize) -> Option<Span> {
    match nav.reference_at(at) {
        Some((_, Resolution::Found(target))) => Some(*target),
        _ => Some(nav.glossary.term_at(at)?.definitions[0].span),
    }
}

/// Find references: every reference to the heading (or numbered paragraph)
/// at `at`, or every use of the defined term at `at`; with the heading or
/// the term's definitions when asked for.
pub fn references(
    doc: &Document,
    nav: &Navigation,
    at: usize,
    include_declaration: bool,
) -> Vec<Span> {
    let sections = section_references(doc, nav, at, include_declaration);
    if !sections.is_empty() {
        return sections;
    }
    let Some(term) = nav.glossary.term_at(at) else {
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

fn section_references(
    doc: &Document,
    nav: &Navigation,
    at: usize,
    include_declaration: bool,
) -> Vec<Span> {
    let heading = doc
        .outline
        .sections
        .iter()
        .map(|s| s.heading)
        .chain(doc.items.iter().map(|i| doc.blocks[i.block].span))
        .find(|h| touches(*h, at));
    let target = match heading {
        Some(h) => h,
        // Asked on a reference: its target's references.
        None => match nav.reference_at(at) {
            Some((_, Resolution::Found(t))) => *t,
            _ => return Vec::new(),
        },
    };
    let mut spans: Vec<Span> = nav
        .references
        .iter()
        .filter(|(_, res)| *res == Resolution::Found(target))
        .map(|(r, _)| r.span)
        .collect();
    if include_declaration {
        spans.insert(0, target);
    }
    spans
}

/// A change offered for one finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuickFix {
    pub title: String,
    /// The finding, by index in the diagnostics it was asked for.
    pub diagnostic: usize,
    pub edits: Vec<Edit>,
    /// The one to apply without asking (the rule's fix, when safe or the
    /// only suggestion).
    pub preferred: bool,
}

/// The quick fixes of the findings in `range`: each finding's own fix (the
/// edits `--fix` applies) first, then its other suggestions as
/// replacements of the flagged text, then a suppression comment for its
/// line where the document can take one.
pub fn quick_fixes(doc: &Document, diagnostics: &[Diagnostic], range: Span) -> Vec<QuickFix> {
    let mut fixes = Vec::new();
    let in_range = diagnostics
        .iter()
        .enumerate()
        .filter(|(_, d)| d.span.intersects(range) || touches(d.span, range.start));
    for (index, d) in in_range {
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
            fixes.push(QuickFix {
                title,
                diagnostic: index,
                edits: fix.edits.clone(),
                preferred: fix.safe || d.suggestions.len() <= 1,
            });
            offered = replaces_the_finding;
        }
        for s in d
            .suggestions
            .iter()
            .filter(|s| offered.as_ref() != Some(*s))
        {
            fixes.push(QuickFix {
                title: format!("Replace with `{s}`"),
                diagnostic: index,
                edits: vec![Edit::replace(d.span, s.clone())],
                preferred: false,
            });
        }
        let for_line = (d.rule.category != Category::Suppression)
            .then(|| suppress::disable_for_line(doc, d.span.start, d.rule))
            .flatten();
        if let Some(edit) = for_line {
            fixes.push(QuickFix {
                title: format!("Disable `{}` for this line", d.rule.name),
                diagnostic: index,
                edits: vec![edit],
                preferred: false,
            });
        }
    }
    fixes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::lint::Linter;
    use crate::syntax::Format;

    fn checked(text: &str, format: Format) -> (Document, Vec<Diagnostic>) {
        let doc = Document::parse(text, format);
        let diagnostics = Linter::new(&Config::default()).check(&doc);
        (doc, diagnostics)
    }

    #[test]
    fn the_quick_fix_is_the_rules_fix_then_the_other_suggestions() {
        let (doc, diagnostics) = checked("Title\n\nWe keep the the data.\n", Format::Plain);
        let fixes = quick_fixes(&doc, &diagnostics, Span::new(16, 16));
        let fix = diagnostics[0].fix.as_ref().unwrap();
        assert_eq!(fixes[0].edits, fix.edits, "the edits --fix applies");
        assert!(fixes[0].preferred);
        assert!(fixes[1..].iter().all(|f| !f.preferred));
    }

    #[test]
    fn references_and_definitions_are_found_once_for_all_requests() {
        let text = "Policy\n\n1. Scope\n\nThis policy covers staff.\n\n2. Use\n\nSee Section 1.\n";
        let (doc, diagnostics) = checked(text, Format::Plain);
        let nav = Navigation::of(&doc);
        let at = text.find("Section 1").unwrap() + 9;
        let target = definition(&nav, at).expect("the heading");
        assert!(doc.slice(target).starts_with("1. Scope"));
        assert_eq!(references(&doc, &nav, target.start, false).len(), 1);
        let shown = hover(&doc, &nav, &diagnostics, at).expect("a preview");
        assert!(shown.markdown.contains("This policy covers staff."));
    }
}
