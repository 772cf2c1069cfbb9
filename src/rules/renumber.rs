//! Renumbering: the edits that make numbered headings count again (1, 2, 4
//! becomes 1, 2, 3; 2, 2 becomes 2, 3), carry the new numbers down to the
//! sections inside (4.1 becomes 3.1), and update every cross-reference of
//! the document that points at a renumbered section. References that point
//! elsewhere — into another document ("Section 11 of the GPL") or at nothing
//! — are left alone: only a reference the document resolves to a renumbered
//! heading is rewritten.
//!
//! `numbering` offers these edits as one unsafe fix: renumbering changes
//! what every later citation of the document means to its readers, so an
//! author decides.

use std::collections::HashMap;

use super::Edit;
use super::dangling_reference::{Reference, Resolution};
use crate::syntax::{Document, Numeral, SectionKind, Span};

/// The edits that renumber `doc`'s headings and the references to them
/// (with what each points at); empty when every sequence of numbered
/// headings already counts.
pub fn edits<'r>(
    doc: &Document,
    references: impl IntoIterator<Item = (&'r Reference, Resolution)>,
) -> Vec<Edit> {
    let renumbered = new_paths(doc);
    if renumbered.is_empty() {
        return Vec::new();
    }
    let mut edits = Vec::new();
    let mut by_heading_span: HashMap<Span, (&[u32], &[u32])> = HashMap::new();
    for (&h, (old, new)) in &renumbered {
        let heading = &doc.headings[h];
        by_heading_span.insert(heading.span, (old, new));
        let number = heading
            .number
            .as_ref()
            .expect("renumbered headings have numbers");
        if let Some(edit) = rewrite_digits(doc, number.span, old, new) {
            edits.push(edit);
        }
    }
    for (reference, resolution) in references {
        let Resolution::Found(target) = resolution else {
            continue;
        };
        let Some(&(old, new)) = by_heading_span.get(&target) else {
            continue;
        };
        // Only a reference written with the target's whole number: "Section
        // 4.2" for 4.2, not a title-only or partial citation.
        let written: Option<Vec<u32>> = reference.path.iter().map(Numeral::digits).collect();
        if written.as_deref() != Some(old) {
            continue;
        }
        if let Some(edit) = rewrite_digits(doc, reference.span, old, new) {
            edits.push(edit);
        }
    }
    edits.sort_by_key(|e| e.span.start);
    edits
}

/// For each heading whose number changes, by index in `doc.headings`: its
/// number as written and as it becomes (all digits, `4.2` → `[4, 2]`).
fn new_paths(doc: &Document) -> HashMap<usize, (Vec<u32>, Vec<u32>)> {
    let outline = &doc.outline;
    let digits_of = |section: usize| -> Option<(usize, Vec<u32>)> {
        let SectionKind::Heading(h) = outline.sections[section].kind else {
            return None;
        };
        let number = doc.headings[h].number.as_ref()?;
        if number.label.is_some() || number.zero_is_own_section || number.compound {
            return None;
        }
        let parts: Option<Vec<u32>> = number.parts.iter().map(Numeral::digits).collect();
        Some((h, parts?))
    };
    let mut changed: HashMap<usize, (Vec<u32>, Vec<u32>)> = HashMap::new();
    // A parent's new number is known before its children's.
    for (parent, children) in outline.sibling_groups() {
        let numbered: Vec<(usize, Vec<u32>)> =
            children.iter().filter_map(|&c| digits_of(c)).collect();
        let Some((_, first)) = numbered.first() else {
            continue;
        };
        let depth = first.len();
        let old_prefix = &first[..depth - 1];
        // One sequence: siblings of one depth under one prefix.
        if numbered
            .iter()
            .any(|(_, p)| p.len() != depth || p[..depth - 1] != *old_prefix)
        {
            continue;
        }
        // The parent's new number carries down to the sections it holds.
        let parent_change = parent
            .and_then(&digits_of)
            .and_then(|(h, _)| changed.get(&h))
            .filter(|(old, _)| old.as_slice() == old_prefix);
        let new_prefix = parent_change.map_or_else(|| old_prefix.to_vec(), |(_, new)| new.clone());
        let start = first[depth - 1];
        for (k, (h, old)) in numbered.iter().enumerate() {
            let mut new = new_prefix.clone();
            new.push(start + k as u32);
            if new != *old {
                changed.insert(*h, (old.clone(), new));
            }
        }
    }
    changed
}

/// `span`'s text with its runs of digits, in order, rewritten from `old` to
/// `new` (the first `old.len()` runs); `None` when they do not read `old`.
fn rewrite_digits(doc: &Document, span: Span, old: &[u32], new: &[u32]) -> Option<Edit> {
    let text = doc.slice(span);
    let mut runs = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && runs.len() < old.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    if runs.len() != old.len() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (k, &(start, end)) in runs.iter().enumerate() {
        if text[start..end].parse::<u32>().ok()? != old[k] {
            return None;
        }
        out.push_str(&text[last..start]);
        out.push_str(&new[k].to_string());
        last = end;
    }
    let end = runs.last().map_or(0, |&(_, end)| end);
    out.push_str(&text[last..end]);
    Some(Edit::replace(Span::new(span.start, span.start + end), out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::dangling_reference;
    use crate::syntax::Format;

    fn renumbered(text: &str, format: Format) -> String {
        let doc = Document::parse(text, format);
        let references: Vec<(Reference, Resolution)> = dangling_reference::references(&doc);
        let mut out = text.to_string();
        for e in edits(&doc, references.iter().map(|(r, s)| (r, *s)))
            .iter()
            .rev()
        {
            out.replace_range(e.span.range(), &e.text);
        }
        out
    }

    #[test]
    fn a_skip_is_closed_with_the_sections_inside_and_the_references() {
        let text = "# Terms\n\n## 1. Scope\n\nSee Section 4.1 and section 4.\n\n## 2. Data\n\nText.\n\n## 4. Law\n\nText.\n\n### 4.1. Courts\n\nAs in Section 2 and Section 11 of the GPL.\n";
        assert_eq!(
            renumbered(text, Format::Markdown),
            "# Terms\n\n## 1. Scope\n\nSee Section 3.1 and section 3.\n\n## 2. Data\n\nText.\n\n## 3. Law\n\nText.\n\n### 3.1. Courts\n\nAs in Section 2 and Section 11 of the GPL.\n"
        );
    }

    #[test]
    fn a_repeat_moves_the_second_and_what_follows() {
        let text = "Policy\n\n1. Scope\n\nText.\n\n2. Fees\n\nText.\n\n2. Law\n\nSee Section 3.\n\n3. End\n\nText.\n";
        assert_eq!(
            renumbered(text, Format::Plain),
            "Policy\n\n1. Scope\n\nText.\n\n2. Fees\n\nText.\n\n3. Law\n\nSee Section 4.\n\n4. End\n\nText.\n"
        );
    }

    #[test]
    fn numbers_that_count_are_left_alone() {
        let text = "# T\n\n## 1. A\n\nSee Section 2.\n\n## 2. B\n\nText.\n";
        let doc = Document::parse(text, Format::Markdown);
        let references = dangling_reference::references(&doc);
        assert!(edits(&doc, references.iter().map(|(r, s)| (r, *s))).is_empty());
    }
}
