use std::collections::{HashMap, HashSet};

use crate::rules::{Category, Check, DocumentContext, Finding, Severity, declare_rule};
use crate::syntax::{ContentsEntry, Heading, Numeral, SectionNumber, Span};

declare_rule! {
    /// ## What it checks
    /// A table of contents that does not match the headings it lists:
    /// - an entry whose number no heading has ("4. Fees" listed, no section
    ///   4), or whose heading has another title ("4. Fees" listed, "4.
    ///   Charges" in the text), or whose title is under another number;
    /// - a numbered heading that no table of contents lists, at a depth the
    ///   contents go to.
    ///
    /// Each finding names the line of the other side. A table of contents
    /// is a run of numbered title lines (bulleted, with dot leaders and page
    /// numbers or not) most of which come back later as headings; its
    /// lines are never reported as empty sections or repeated headings.
    ///
    /// ## Why it matters
    /// Readers navigate a long policy by its contents. An entry that points
    /// at a renumbered or retitled section sends them to the wrong place,
    /// and a section missing from the contents is one they may never find.
    /// The contents are usually written by hand and forgotten when a
    /// section is added or renamed.
    ///
    /// ## Example
    /// ```text
    /// Contents
    /// 1. Scope
    /// 2. Fees
    ///
    /// 1. Scope
    /// ...
    /// 2. Charges
    /// ```
    /// The contents say "Fees", the heading "Charges".
    pub static RULE = Rule {
        name: "toc-mismatch",
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "A table-of-contents entry that does not match its heading, or a heading the contents leave out",
        english_only: false,
        check: Check::Document { collect: None, check },
    };
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    let doc = cx.doc;
    // (number, title words, where) of the entries and of the headings.
    let entries: Vec<(&SectionNumber, String, Span, &ContentsEntry)> = doc
        .contents
        .iter()
        .filter(|e| !e.caption)
        .filter_map(|e| {
            let number = e.number.as_ref()?;
            Some((
                number,
                words(doc.slice(e.title)),
                doc.blocks[e.block].span,
                e,
            ))
        })
        .collect();
    if entries.is_empty() {
        return;
    }
    let headings: Vec<(&SectionNumber, String, &Heading)> = doc
        .headings
        .iter()
        .filter_map(|h| Some((h.number.as_ref()?, words(doc.slice(h.title)), h)))
        .collect();
    // The headings by number and by title, first ones first.
    let mut by_number: HashMap<Vec<String>, Vec<usize>> = HashMap::new();
    let mut by_title: HashMap<&str, usize> = HashMap::new();
    for (i, (number, title, _)) in headings.iter().enumerate() {
        by_number.entry(path(number)).or_default().push(i);
        by_title.entry(title.as_str()).or_insert(i);
    }
    let line = |offset: usize| cx.lines().line_of(offset) + 1;
    for (number, title, span, entry) in &entries {
        let same_number = by_number.get(&path(number)).map_or(&[][..], Vec::as_slice);
        if same_number.iter().any(|&i| headings[i].1 == *title) {
            continue;
        }
        // As the reader sees it, without dot leaders and page number.
        let written = format!("{} {}", number.written(), doc.slice(entry.title));
        let message = if let Some(h) = by_title.get(title.as_str()).map(|&i| &headings[i]) {
            format!(
                "the contents list `{written}`, but `{}` is numbered {} (line {})",
                doc.slice(h.2.title),
                h.0.display(),
                line(h.2.span.start)
            )
        } else if let Some(h) = same_number.first().map(|&i| &headings[i]) {
            format!(
                "the contents list `{written}`, but heading {} says `{}` (line {})",
                number.display(),
                doc.slice(h.2.title),
                line(h.2.span.start)
            )
        } else {
            format!(
                "the contents list `{written}`, but no heading is numbered {}",
                number.display()
            )
        };
        out.push(Finding::new(*span, message));
    }
    // Headings after the contents that no entry lists, at the depths the
    // contents go to.
    let deepest = entries.iter().map(|e| e.0.canonical().len()).max();
    let listed_numbers: HashSet<Vec<String>> = entries.iter().map(|e| path(e.0)).collect();
    let listed_titles: HashSet<&str> = entries.iter().map(|e| e.1.as_str()).collect();
    let first = entries.iter().map(|e| e.2.start).min().unwrap_or(0);
    let last = entries.iter().map(|e| e.2.start).max().unwrap_or(0);
    for (number, title, heading) in &headings {
        if heading.span.start < first
            || Some(number.canonical().len()) > deepest
            || listed_numbers.contains(&path(number))
            || listed_titles.contains(title.as_str())
        {
            continue;
        }
        out.push(Finding::new(
            heading.span,
            format!(
                "heading `{}` is not in the contents (lines {}–{})",
                doc.slice(heading.text),
                line(first),
                line(last)
            ),
        ));
    }
}

/// A number's path as compared: without its label ("Chapter 2" lists as
/// "2.") and its case.
fn path(number: &SectionNumber) -> Vec<String> {
    number
        .canonical()
        .iter()
        .map(|p: &Numeral| p.to_string().to_lowercase())
        .collect()
}

/// A title's words in lower case: "Binary and Other\n   Modules." and
/// "Binary and other modules" are the same title.
fn words(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, flagged};
    use crate::syntax::Format;

    const BODY: &str = "\n\n1. Scope\n\nText.\n\n2. Fees\n\nText.\n\n3. Law\n\nText.\n";

    #[test]
    fn contents_that_match_their_headings_pass() {
        let text = format!("Terms\n\nContents\n\n1. Scope\n2. Fees\n3. Law{BODY}");
        assert!(flagged(&RULE, &text).is_empty());
        let text = format!(
            "Terms\n\n* 1. Scope .......... 2\n* 2. Fees ........... 3\n* 3. Law ............ 4{BODY}"
        );
        assert!(flagged(&RULE, &text).is_empty());
    }

    #[test]
    fn an_entry_with_another_title_names_the_heading_line() {
        let text = format!("Terms\n\n1. Scope\n2. Charges\n3. Law{BODY}");
        let found = check(&RULE, &text, Format::Plain);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "the contents list `2. Charges`, but heading 2 says `Fees` (line 11)"
        );
    }

    #[test]
    fn a_heading_the_contents_leave_out() {
        let text = format!("Terms\n\n1. Scope\n2. Fees\n3. Law{BODY}\n4. Notices\n\nText.\n");
        assert_eq!(flagged(&RULE, &text), ["4. Notices"]);
    }

    #[test]
    fn entries_missing_or_under_another_number() {
        let contents = "1. Scope\n2. Fees\n3. Law\n4. Notices\n5. Venue\n6. Costs\n7. Terms";
        let body = [
            "1. Scope", "2. Fees", "3. Law", "4. Venue", "6. Costs", "7. Terms",
        ]
        .map(|h| format!("{h}\n\nText."))
        .join("\n\n");
        let text = format!("Terms\n\n{contents}\n\n{body}\n");
        let found = check(&RULE, &text, Format::Plain);
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the contents list `4. Notices`, but heading 4 says `Venue` (line 23)",
                "the contents list `5. Venue`, but `Venue` is numbered 4 (line 23)"
            ]
        );
    }
}
