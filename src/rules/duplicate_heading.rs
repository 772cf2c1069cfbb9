use crate::hashing::FastMap;

use crate::rules::memo::{PerBlock, Reads, outlines};
use crate::rules::{Category, Check, DocumentContext, Finding, Severity, declare_rule};
use crate::syntax::{BlockKind, Document, Heading, SectionKind, Span};

declare_rule! {
    /// ## What it checks
    /// Two sibling headings (same parent section) with the same title, and
    /// the document's title repeated as a paragraph or heading in the
    /// header (with only metadata between it and the title), beside metadata
    /// ("Editor: …") or at the very end. A title repeated between two
    /// stretches of text opens the document proper after a preface, and is
    /// left alone. Section
    /// numbers and letter case are ignored: `4. Fees` and `5. FEES` are the
    /// same title.
    ///
    /// ## Why it matters
    /// A repeated heading is usually a copy-paste slip: the second section
    /// was meant to have its own title, or the same text was pasted twice.
    /// References to the section become ambiguous. A title repeated in the
    /// body is debris from the publishing system and confuses readers who
    /// quote from the document.
    ///
    /// ## Example
    /// ```markdown
    /// ### 2.2.3 Logo Usage
    /// ### 2.2.4 Logo Usage
    /// ```
    /// The second heading repeats the first.
    pub static RULE = Rule {
        name: "duplicate-heading",
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "The same heading twice among siblings, or the title repeated in the body",
        english_only: false,
        check: Check::Document { collect: None, check },
    };
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    // The headings, the outline they are siblings in, the title, and the
    // blocks short enough to repeat it (see `Read::of`).
    let doc = cx.doc;
    let reads = |index| {
        let block = &doc.blocks[index];
        let reads = outlines(doc, index)
            || block.kind == BlockKind::Metadata
            || doc
                .title
                .as_ref()
                .is_some_and(|t| t.block == index || may_repeat(block, t.span.len()));
        Reads::text_if(reads)
    };
    cx.memo()
        .found
        .duplicate_heading
        .lock()
        .check(cx, true, reads, out, |out| {
            find(cx, out);
            Vec::new()
        });
}

fn find(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    let doc = cx.doc;
    let ids = cx.ids();
    // Taken out of the memo: naming lines borrows it too.
    let mut read = std::mem::take(&mut *cx.memo().duplicate_heading.lock());
    read.blocks.align(ids);
    let title = doc
        .title
        .as_ref()
        .map(|t| (normalize(doc.slice(t.span)), t.span.len()));
    if read.title != title {
        read.blocks.clear();
        read.title = title;
    }
    let mut headings = doc.headings.iter().peekable();
    for (i, block) in doc.blocks.iter().enumerate() {
        while headings.next_if(|h| h.block < i).is_some() {}
        let heading = headings.next_if(|h| h.block == i);
        let title = heading.map(|h| Relative::new(h.title, block.span.start));
        let value = &mut read.blocks.values[i];
        if value.as_ref().is_none_or(|v| v.title != title) {
            *value = Some(Read::of(doc, block, heading, title, read.title.as_ref()));
        }
    }
    let blocks = &read.blocks.values;
    let key = |h: usize| {
        let block = blocks[doc.headings[h].block].as_ref();
        block.map_or("", |b| b.key.as_str())
    };
    let mut line_of = |offset: usize| cx.lines().line_of(offset) + 1;
    let groups = doc.outline.sibling_groups().map(|(_, siblings)| siblings);
    let mut seen: FastMap<&str, usize> = FastMap::default();
    for siblings in groups {
        seen.clear();
        for &i in siblings {
            let SectionKind::Heading(h) = doc.outline.sections[i].kind else {
                continue;
            };
            let heading = &doc.headings[h];
            let key = key(h);
            if key.is_empty() {
                continue;
            }
            match seen.get(key) {
                Some(&first) => {
                    let line = line_of(doc.headings[first].span.start);
                    out.push(Finding::new(
                        heading.span,
                        format!("this heading repeats the heading on line {line}"),
                    ));
                }
                None => {
                    seen.insert(key, h);
                }
            }
        }
    }
    title_repeats(doc, blocks, out, &mut line_of);
    *cx.memo().duplicate_heading.lock() = read;
}

/// What the rule keeps of the last check: what it read in each block.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    blocks: PerBlock<Read>,
    /// The title's key and length that `blocks` were compared with.
    title: Option<(String, usize)>,
}

/// A span inside a block, from the block's start.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct Relative(usize, usize);

impl Relative {
    fn new(span: Span, base: usize) -> Relative {
        Relative(span.start - base, span.end - base)
    }
}

/// What the rule reads in a block.
#[derive(Debug)]
struct Read {
    /// Where the title of the heading the block holds stands: the block's
    /// text is its facts', but the heading is found around it.
    title: Option<Relative>,
    /// That title's key (empty for a block that is no heading).
    key: String,
    /// The block repeats the document's title.
    repeats: bool,
}

impl Read {
    fn of(
        doc: &Document,
        block: &crate::syntax::Block,
        heading: Option<&Heading>,
        title: Option<Relative>,
        key: Option<&(String, usize)>,
    ) -> Read {
        let repeats = key.is_some_and(|(key, len)| {
            !key.is_empty()
                && may_repeat(block, *len)
                && match block.kind {
                    BlockKind::Paragraph => same_text(doc.slice(block.span), key),
                    BlockKind::Heading => {
                        heading.is_some_and(|h| same_text(doc.slice(h.title), key))
                    }
                    _ => false,
                }
        });
        Read {
            title,
            key: heading.map_or_else(String::new, |h| normalize(doc.slice(h.title))),
            repeats,
        }
    }
}

/// Whether `block` is short enough to repeat a title `len` bytes long: a
/// repetition is about as long as the title, and the rest is not read.
fn may_repeat(block: &crate::syntax::Block, len: usize) -> bool {
    block.span.len() <= len * 2 + 16
}

fn title_repeats(
    doc: &Document,
    blocks: &[Option<Read>],
    out: &mut Vec<Finding>,
    line_of: &mut impl FnMut(usize) -> usize,
) {
    let Some(title) = &doc.title else {
        return;
    };
    // A front-matter title is not shown: the first block that repeats it
    // is the title as readers see it.
    let mut shown = doc.blocks[title.block].kind != BlockKind::FrontMatter;
    for (i, block) in doc.blocks.iter().enumerate() {
        if i == title.block || !blocks[i].as_ref().is_some_and(|b| b.repeats) {
            continue;
        }
        if !shown {
            shown = true;
            continue;
        }
        // Debris of a publishing system sits in the header or the footer,
        // next to the title or to the metadata. A repeat with text before
        // and after it opens the document proper after a preface: meant.
        let only_metadata =
            |blocks: &[crate::syntax::Block]| blocks.iter().all(|b| b.kind == BlockKind::Metadata);
        let between = if i > title.block {
            title.block + 1..i
        } else {
            i + 1..title.block
        };
        let in_header = only_metadata(&doc.blocks[between]);
        let beside_metadata = doc.blocks[i.saturating_sub(1)..(i + 2).min(doc.blocks.len())]
            .iter()
            .any(|b| b.kind == BlockKind::Metadata);
        let last = i + 1 == doc.blocks.len();
        if !in_header && !beside_metadata && !last {
            continue;
        }
        if !out.iter().any(|f| f.span == block.span) {
            let line = line_of(doc.blocks[title.block].span.start);
            out.push(Finding::new(
                block.span,
                format!("the document title (line {line}) is repeated here"),
            ));
        }
    }
}

/// Lowercase, single-spaced, without emphasis markers or trailing punctuation.
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// Appends [`normalize`] of `s` to `out`.
fn normalize_into(s: &str, out: &mut String) {
    let start = out.len();
    for word in words(s) {
        if out.len() > start {
            out.push(' ');
        }
        if word.is_ascii() {
            let at = out.len();
            out.push_str(word);
            out[at..].make_ascii_lowercase();
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    let end = start + out[start..].trim_end_matches(['.', ':', ';']).len();
    out.truncate(end);
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| c.is_whitespace() || c == '*' || c == '_')
        .filter(|w| !w.is_empty())
}

/// `normalize(s) == key`, without allocating when the first words differ
/// (the common case: most paragraphs are not the title).
fn same_text(s: &str, key: &str) -> bool {
    let differs = words(s).zip(key.split(' ')).take(3).any(|(a, b)| {
        a.is_ascii()
            && !a
                .trim_end_matches(['.', ':', ';'])
                .eq_ignore_ascii_case(b.trim_end_matches(['.', ':', ';']))
    });
    !differs && normalize(s) == key
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{
        flagged, flagged_after_edits, flagged_in, linter, moved_after_edits, replay_edits,
        small_edits,
    };
    use crate::syntax::Format;

    fn md(text: &str) -> Vec<String> {
        flagged_in(&RULE, text, Format::Markdown)
    }

    #[test]
    fn flags_siblings_with_the_same_title_whatever_their_numbers() {
        assert_eq!(
            md("## 1. Fees\n\nx\n\n### 1.1 Logo Usage.\n\ny\n\n### 1.2 logo usage\n\nz\n"),
            ["### 1.2 logo usage"]
        );
    }

    #[test]
    fn same_title_under_different_parents_is_fine() {
        assert!(md("## A\n\n### Examples\n\nx\n\n## B\n\n### Examples\n\ny\n").is_empty());
    }

    #[test]
    fn flags_the_title_repeated_in_the_body() {
        let text = "Our Policy\n\nBy: Jo\n\nOur Policy\n\nBody.\n\nOur Policy\u{a0}\n";
        assert_eq!(flagged(&RULE, text), ["Our Policy", "Our Policy"]);
    }

    #[test]
    fn a_title_repeated_to_open_the_text_after_a_preface_is_fine() {
        let text = "Open Licence 1.0\n\nUSE OF THE SOFTWARE IS SUBJECT TO THESE TERMS.\n\nOpen Licence 1.0\n\n1. Definitions. Text.\n";
        assert!(flagged(&RULE, text).is_empty());
        // Before the title, with nothing between: debris again.
        assert_eq!(md("Our Policy\n\n# Our Policy\n\nText.\n"), ["Our Policy"]);
    }

    #[test]
    fn a_front_matter_title_shown_as_the_first_heading_is_fine() {
        assert!(md("---\ntitle: Terms\n---\n\n## Terms\n\nText.\n").is_empty());
        assert!(md("---\ntitle: Terms\n---\n\n> Note.\n\n**Terms**\n\nText.\n").is_empty());
        assert_eq!(
            md("---\ntitle: Terms\n---\n\n## Terms\n\nText.\n\n## Terms\n\nMore.\n").len(),
            1
        );
    }

    #[test]
    fn lines_are_named_as_they_are_after_edits() {
        let text = "# T\n\n## Scope\n\nText.\n\n## Scope\n";
        let above = text.replace("# T\n", "# T\n\nIntro,\nover two lines.\n");
        let crlf = above.replace("Intro,\n", "Intro,\r\n");
        let joined = crlf.replace("Intro,\r\nover", "Intro, over");
        let found = flagged_after_edits(&RULE, &[text, &above, &crlf, &joined], Format::Markdown);
        assert!(found.iter().all(|f| f == &["## Scope"]), "{found:?}");
    }

    #[test]
    fn what_blocks_were_found_to_hold_follows_edits_to_headings_and_title() {
        let text = "# Our Policy\n\n## Scope\n\nText.\n\n## Fees\n\nOur Policy\n";
        let twice = text.replace("## Fees", "## Scope");
        let retitled = twice.replace("# Our Policy", "# Your Policy");
        let again = retitled.replace("\nOur Policy\n", "\nYour Policy\n");
        let found =
            flagged_after_edits(&RULE, &[text, &twice, &retitled, &again], Format::Markdown);
        assert_eq!(
            found,
            [
                vec!["Our Policy"],
                vec!["## Scope", "Our Policy"],
                vec!["## Scope"],
                vec!["## Scope", "Your Policy"],
            ]
        );
    }

    const TEXT: &str = "# Our Policy\n\n## Scope\n\nThis paragraph is long enough that it could never repeat the title.\n\n## Scope\n\nShort.\n\nOur Policy\n";

    #[test]
    fn an_edit_in_prose_moves_the_last_findings() {
        let edits = [
            ("long enough", "quite long enough", true),
            ("Short.", "Short!", false),
            ("never repeat", "never\nrepeat", false),
            ("could never", "could not ever", true),
            ("## Scope\n\nShort", "## Scopes\n\nShort", false),
            ("\nOur Policy\n", "\nOur policy\n", false),
        ];
        moved_after_edits(&RULE, TEXT, Format::Markdown, &edits);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Small edits anywhere: the findings equal a fresh check's after
        /// each, whether they were moved or found again.
        #[test]
        fn findings_after_small_edits_equal_a_fresh_check(
            edits in small_edits("a-zA-Z #.\n"),
        ) {
            replay_edits(&linter(&RULE), TEXT.to_string(), edits, Format::Markdown)?;
        }
    }
}
