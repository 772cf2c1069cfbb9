//! Tests of the document model across its parts.

use super::*;

const SEED: &str = include_str!("../../seeds/cyberspace-community.txt");

fn line_of(doc: &Document, offset: usize) -> usize {
    LineIndex::new(&doc.text).line_of(offset) + 1
}

fn outline_lines(doc: &Document) -> Vec<(usize, Vec<usize>)> {
    doc.outline
        .roots
        .iter()
        .map(|&i| {
            let s = &doc.outline.sections[i];
            let children = doc
                .outline
                .children(i)
                .iter()
                .map(|&c| line_of(doc, doc.outline.sections[c].heading.start))
                .collect();
            (line_of(doc, s.heading.start), children)
        })
        .collect()
}

#[test]
fn seed_title_metadata_and_sections() {
    let doc = Document::parse(SEED, Format::Plain);
    let title = doc.title.as_ref().expect("the seed has a title");
    assert_eq!(
        doc.slice(title.span),
        "Jointly Build a Community with a Shared Future in Cyberspace: Why Essential"
    );
    let fields: Vec<(&str, Option<&str>)> = doc
        .metadata
        .iter()
        .map(|f| (doc.slice(f.key), f.value.map(|v| doc.slice(v))))
        .collect();
    assert_eq!(fields, [("By:", None), ("Editor:", Some("WJH"))]);
    assert_eq!(
        outline_lines(&doc),
        [
            (9, vec![]),
            (23, vec![27, 29, 31, 33]),
            (35, vec![39, 41, 43, 45])
        ]
    );
    let numbers: Vec<String> = doc
        .headings
        .iter()
        .map(|h| h.number.as_ref().unwrap().display())
        .collect();
    assert_eq!(numbers, ["1", "2", "3"]);
}

#[test]
fn seed_run_ins_are_the_lead_sentences() {
    let doc = Document::parse(SEED, Format::Plain);
    let leads: Vec<&str> = doc.run_ins.iter().map(|r| doc.slice(r.span)).collect();
    assert_eq!(
        leads,
        [
            "Build a community of development.",
            "Build a community of security.",
            "Build a community of responsibility.",
            "Build a community of shared interests.",
            "Respect cyber sovereignty.",
            "Safeguard peace and security.",
            "Promote openness and cooperation.",
            "Maintain good order."
        ]
    );
}

#[test]
fn crlf_bom_tabs_and_cjk_keep_positions() {
    let text = "\u{feff}标题\r\n\r\n1.\t网络 Scope\r\n\r\nBody text here.\r\n";
    let doc = Document::parse(text, Format::Plain);
    assert_eq!(doc.slice(doc.title.as_ref().unwrap().span), "标题");
    let h = &doc.headings[0];
    assert_eq!(doc.slice(h.title), "网络 Scope");
    let index = LineIndex::new(&doc.text);
    let p = index.position(&doc.text, h.title.start, Encoding::Char);
    assert_eq!(p, Position { line: 2, column: 3 });
}

#[test]
fn plain_numbered_list_items_are_not_headings() {
    let text = "Title\n\nThe default position is to:\n\n1. Use free software.\n\n2. Develop in the open.\n\n3. Publish code.\n";
    let doc = Document::parse(text, Format::Plain);
    assert!(doc.headings.is_empty(), "{:?}", doc.headings);
    assert_eq!(doc.items.len(), 3);
}

#[test]
fn plain_list_lines_inside_a_paragraph_are_items() {
    let text = "Title\n\nRules:\n(a) first rule;\n(b) second rule.\n";
    let doc = Document::parse(text, Format::Plain);
    let kinds: Vec<BlockKind> = doc.blocks.iter().map(|b| b.kind).collect();
    assert_eq!(
        kinds,
        [
            BlockKind::Title,
            BlockKind::Paragraph,
            BlockKind::ListItem,
            BlockKind::ListItem
        ]
    );
    assert_eq!(doc.items[1].number.display(), "(b)");
}

#[test]
fn plain_heading_levels_follow_numbering_styles() {
    let text = "Policy\n\n1. Scope\n\nText.\n\n1.1 Users\n\nText.\n\n(a) Minors\n\nText.\n\n2. Fees\n\nText.\n";
    let doc = Document::parse(text, Format::Plain);
    let levels: Vec<(String, u8)> = doc
        .headings
        .iter()
        .map(|h| (h.number.as_ref().unwrap().display(), h.level))
        .collect();
    assert_eq!(
        levels,
        [
            ("1".into(), 1),
            ("1.1".into(), 2),
            ("(a)".into(), 3),
            ("2".into(), 1)
        ]
    );
    assert_eq!(doc.outline.roots.len(), 2);
}

#[test]
fn plain_numbering_that_restarts_under_an_underlined_heading_belongs_to_it() {
    let text = "T\n\n1. Scope\n\nx\n\n2. Fees\n\nx\n\nPart Two\n========\n\n1. Scope\n\nx\n\n2. Fees\n\nx\n";
    let doc = Document::parse(text, Format::Plain);
    let levels: Vec<u8> = doc.headings.iter().map(|h| h.level).collect();
    assert_eq!(levels, [1, 1, 1, 2, 2]);
}

#[test]
fn plain_underlined_headings() {
    let text =
        "Privacy Policy\n==============\n\nIntro.\n\nData We Collect\n---------------\n\nText.\n";
    let doc = Document::parse(text, Format::Plain);
    assert_eq!(
        doc.slice(doc.title.as_ref().unwrap().span),
        "Privacy Policy"
    );
    assert_eq!(doc.headings.len(), 1);
    assert_eq!(doc.slice(doc.headings[0].title), "Data We Collect");
}

#[test]
fn markdown_front_matter_title_and_empty_keys() {
    let text = "---\ntitle: Terms\nintro:\nversions:\n  fpt: '*'\n---\n\n## 1. Scope\n\nText.\n";
    let doc = Document::parse(text, Format::Markdown);
    assert_eq!(doc.slice(doc.title.as_ref().unwrap().span), "Terms");
    let empty: Vec<&str> = doc
        .metadata
        .iter()
        .filter(|f| f.value.is_none())
        .map(|f| doc.slice(f.key))
        .collect();
    assert_eq!(empty, ["intro:"]);
    assert_eq!(doc.headings[0].number.as_ref().unwrap().display(), "1");
    assert_eq!(doc.slice(doc.headings[0].title), "Scope");
}

#[test]
fn markdown_prose_leaves_out_code_links_and_markup() {
    let text =
        "# Title\n\nSee **the** [docs](https://x.y/z) and `code` at <https://a.b> &amp; more.\n";
    let doc = Document::parse(text, Format::Markdown);
    let para = &doc.blocks[1];
    let prose: Vec<&str> = para.prose.iter().map(|s| doc.slice(*s)).collect();
    assert_eq!(prose, ["See ", "the", "docs", " and ", " at ", " more."]);
}

#[test]
fn markdown_ordered_list_items_carry_numbers() {
    let text = "Intro:\n\n1. one\n2. two\n4. four\n\n- bullet\n";
    let doc = Document::parse(text, Format::Markdown);
    let numbers: Vec<String> = doc.items.iter().map(|i| i.number.display()).collect();
    assert_eq!(numbers, ["1", "2", "4"]);
    assert!(doc.items.iter().all(|i| i.list == doc.items[0].list));
}

#[test]
fn markdown_metadata_paragraph() {
    let text = "# Policy\n\nVersion:\n\n**Effective date:** 1 May 2024\n\nText.\n";
    let doc = Document::parse(text, Format::Markdown);
    let fields: Vec<(&str, bool)> = doc
        .metadata
        .iter()
        .map(|f| (doc.slice(f.key), f.value.is_some()))
        .collect();
    assert_eq!(fields, [("Version:", false), ("Effective date:", true)]);
}

#[test]
fn markdown_outline_nests_by_level() {
    let text = "# T\n\n## A\n\nx\n\n### A.1\n\ny\n\n## B\n\nz\n";
    let doc = Document::parse(text, Format::Markdown);
    assert_eq!(doc.title_heading(), Some(0));
    let o = &doc.outline;
    assert_eq!(o.roots.len(), 2);
    assert_eq!(o.children(o.roots[0]).len(), 1);
    let b = &o.sections[o.roots[1]];
    assert_eq!(doc.slice(b.body).trim(), "z");
}

/// `(number, level)` of each heading, and the numbers of the items.
fn structure(text: &str) -> (Vec<(String, u8)>, Vec<String>) {
    let doc = Document::parse(text, Format::Plain);
    let headings = doc
        .headings
        .iter()
        .map(|h| {
            let label = match &h.number {
                Some(n) => n.display(),
                None => doc.slice(h.title).to_string(),
            };
            (label, h.level)
        })
        .collect();
    let items = doc.items.iter().map(|i| i.number.display()).collect();
    (headings, items)
}

fn pairs(list: &[(&str, u8)]) -> Vec<(String, u8)> {
    list.iter().map(|&(n, l)| (n.to_string(), l)).collect()
}

#[test]
fn plain_items_indented_under_a_section_are_not_sections() {
    let text = "Charter\n\n1. Scope\n\n   Text.\n\n2. Bodies\n\n   Decisions are made by:\n    1. the members;\n    2. the board;\n    3. the chair.\n\n  2.1. Rules\n\n    1. Nobody must work.\n    2. Posts may be held together.\n\n3. Members\n\n   Text.\n";
    let (headings, items) = structure(text);
    assert_eq!(headings, pairs(&[("1", 1), ("2", 1), ("2.1", 2), ("3", 1)]));
    assert_eq!(items, ["1", "2", "3", "1", "2"]);
}

#[test]
fn plain_appendices_at_the_margin_are_siblings_of_sections() {
    let text = "Charter\n\n1. Scope\n\n   Text.\n\n  1.1. Users\n\n   Text.\n\n2. Fees\n\n   Text.\n\nA. Voting\n\n   Text.\n\n  A.0. Proposal\n\n   Text.\n\nB. Language\n\n   Text.\n";
    let (headings, _) = structure(text);
    assert_eq!(
        headings,
        pairs(&[
            ("1", 1),
            ("1.1", 2),
            ("2", 1),
            ("A", 1),
            ("A.0", 2),
            ("B", 1)
        ])
    );
}

#[test]
fn plain_framed_text_is_read_inside_its_frame() {
    let text = "Licence\n\n5. Terms\n\nText.\n\n**************************************\n**                                  **\n**  6. Disclaimer of Warranty       **\n**                                  **\n**  The Work is provided as is.     **\n**                                  **\n**************************************\n\n7. Law\n\nText.\n";
    let doc = Document::parse(text, Format::Plain);
    let titles: Vec<&str> = doc.headings.iter().map(|h| doc.slice(h.title)).collect();
    assert_eq!(titles, ["Terms", "Disclaimer of Warranty", "Law"]);
    let body = doc
        .blocks
        .iter()
        .find(|b| doc.slice(b.span).contains("provided"))
        .unwrap();
    let prose: Vec<&str> = body.prose.iter().map(|s| doc.slice(*s)).collect();
    assert_eq!(prose, ["The Work is provided as is."]);
}

#[test]
fn plain_markdown_style_headings_and_their_levels() {
    let text =
        "# The Licence\n\n## 1. Purpose\n\nText.\n### 1.1. Scope\nText.\n\n## 2. Terms\n\nText.\n";
    let doc = Document::parse(text, Format::Plain);
    assert_eq!(doc.slice(doc.title.as_ref().unwrap().span), "The Licence");
    let (headings, _) = structure(text);
    assert_eq!(headings, pairs(&[("1", 1), ("1.1", 2), ("2", 1)]));
    // A block of `#` comments is not headings.
    let (headings, _) = structure("Title\n\n# one\n# two\n# three\n\nText.\n");
    assert!(headings.is_empty());
}

#[test]
fn plain_bare_numbers_where_the_text_numbers_headings_so() {
    let text = "Licence\n\n1 Definitions\n\n  1.1 'Licence' means this licence.\n\n2 Applicability\n\n  2.1 This licence applies.\n";
    let (headings, items) = structure(text);
    assert_eq!(headings, pairs(&[("1", 1), ("2", 1)]));
    assert_eq!(items, ["1.1", "2.1"]);
    // One line that starts with a number is no such layout.
    let (headings, _) = structure("Notice\n\n30 Days notice applies\n\nText.\n");
    assert!(headings.is_empty());
}

#[test]
fn plain_short_numbered_title_heading_its_paragraph() {
    let text = "Licence\n\n5. CRITÈRES DE COMPATIBILITÉ.\nUne licence est compatible avec cette licence.\n\n6. Vos droits\n\nTexte.\n";
    let (headings, _) = structure(text);
    assert_eq!(headings, pairs(&[("5", 1), ("6", 1)]));
    // A sentence that goes on is an item.
    let (headings, items) = structure("Licence\n\n1. You may copy\nthe Program freely.\n");
    assert!(headings.is_empty());
    assert_eq!(items, ["1"]);
}

#[test]
fn plain_numbers_that_are_not_items() {
    // A reference wrapped over a line break, a version number, a
    // definition term, a copyright sign.
    let text = "Licence\n\n1. Scope\n\nThis may be changed under the provisions of Article\n5.3.4. of this text.\nCNRI SHALL NOT BE LIABLE TO LICENSEE OR ANY OTHER USERS OF PYTHON\n1.6.1 FOR ANY DAMAGES WHATSOEVER.\n\n9.1.1\n   Restore the permission.\n\n(c) Copyright 2003 the authors.\n";
    let (_, items) = structure(text);
    assert!(items.is_empty(), "{items:?}");
    // But a sub-number under the number before it is an item, even after a
    // long line.
    let text = "Licence\n\n3. Copying, modification and distribution of the Documentation\n3.1 The Licensee shall keep the notices.\n3.2 The Licensee may copy.\n";
    let (_, items) = structure(text);
    assert_eq!(items, ["3", "3.1", "3.2"]);
}

#[test]
fn plain_compound_and_glued_labels() {
    let text = "Rules\n\nText:\n\n     2. If the search succeeds, ask the maintainer.\n\n     3a. If the maintainer agrees, the work passes to you.\n\n     b. If the maintainer is not reachable, announce it.\n";
    let (_, items) = structure(text);
    assert_eq!(items, ["2", "3a", "b"]);
    let (headings, _) = structure("Licence\n\n1.Definitions.\n\nText.\n\n2. Grant\n\nText.\n");
    assert_eq!(headings, pairs(&[("1", 1), ("2", 1)]));
}

#[test]
fn plain_heading_glued_to_the_end_of_a_paragraph() {
    let text = "Charter\n\n   Version 1.0 ratified in 1998.\n   1. Introduction\n\n   Text about the charter.\n   2. Bodies and officers of the project\n\n   More text.\n";
    let (headings, items) = structure(text);
    assert_eq!(headings, pairs(&[("1", 1), ("2", 1)]));
    assert!(items.is_empty());
    // A list after a colon is a list.
    let (headings, items) = structure("Rules\n\nThe conditions are:\n1. Keep the notice\n");
    assert!(headings.is_empty());
    assert_eq!(items, ["1"]);
}

#[test]
fn plain_table_of_contents_lines_are_not_headings() {
    let text = "Manual\n\nContents\n\n* 1. Scope .......... 2\n* 2. Fees ............ 3\n  * 2.1. Amounts ..... 3\n\n1. Scope\n=========\n\nText.\n\n2. Fees\n=======\n\nText.\n\n2.1. Amounts\n------------\n\nText.\n";
    let doc = Document::parse(text, Format::Plain);
    let entries: Vec<(String, &str)> = doc
        .contents
        .iter()
        .map(|e| (e.number.as_ref().unwrap().display(), doc.slice(e.title)))
        .collect();
    assert_eq!(
        entries,
        [
            ("1".to_string(), "Scope"),
            ("2".to_string(), "Fees"),
            ("2.1".to_string(), "Amounts")
        ]
    );
    let (headings, items) = structure(text);
    assert_eq!(headings, pairs(&[("1", 1), ("2", 1), ("2.1", 2)]));
    assert!(items.is_empty());
}

#[test]
fn plain_centred_headings_and_numbered_lines_in_a_text_that_underlines() {
    let text = "Perl Policy\n\n                            Chapter 1. About\n\n   This document is distributed as the perl-policy files of the Debian\n   package debian-policy, and it is also available from the mirrors.\n\n                          Chapter 2. Packaging\n\n   Text of the chapter about packaging, in lines as long as the others.\n";
    let (headings, _) = structure(text);
    assert_eq!(headings, pairs(&[("Chapter 1", 1), ("Chapter 2", 1)]));
    let text = "Policy\n\n1. Scope\n========\n\nText.\n\n2. Fees\n=======\n\nSteps:\n\n1. Pay the fee\n\n3. Law\n=======\n\nText.\n";
    let (headings, items) = structure(text);
    assert_eq!(headings, pairs(&[("1", 1), ("2", 1), ("3", 1)]));
    assert_eq!(items, ["1"]);
}

#[test]
fn markdown_heading_titles_leave_out_attribute_lists() {
    let text = "# Privacy\n\n## Use of Information {: #use }\n\nText.\n\n## Sharing {#sharing}\n\nText.\n\n## Sets {a, b}\n\nText.\n";
    let doc = Document::parse(text, Format::Markdown);
    let titles: Vec<&str> = doc.headings.iter().map(|h| doc.slice(h.title)).collect();
    assert_eq!(
        titles,
        ["Privacy", "Use of Information", "Sharing", "Sets {a, b}"]
    );
}

#[test]
fn plain_wrapped_citations_quotes_and_wrapped_labelled_headings() {
    // A citation wrapped after its abbreviation; a title in quotes glued to
    // its number.
    let text = "Licence\n\n12. Government. The software is a commercial item, as defined in 48 C.F.R.\n2.101 (Oct. 1995).\n\n13. Definitions.\n\n13.1.“Data” means data.\n";
    let (_, items) = structure(text);
    assert_eq!(items, ["12", "13", "13.1"]);
    // A labelled heading over two lines.
    let text = "Licence\n\n§8 Limitation of liability\n\nText.\n\n§9 Provision of warranties or assumption of additional liability in the event of\ndistribution of the Subject Matter of the License\n\nText.\n";
    let doc = Document::parse(text, Format::Plain);
    let titles: Vec<String> = doc
        .headings
        .iter()
        .map(|h| doc.title_of(h).into_owned())
        .collect();
    assert_eq!(
        titles,
        [
            "Limitation of liability",
            "Provision of warranties or assumption of additional liability in the event of distribution of the Subject Matter of the License"
        ]
    );
}

#[test]
fn plain_headings_underlined_like_the_title() {
    // Like the title, before any other underline: the chapters.
    let text = "Manual\n******\n\n1. About\n********\n\nText.\n\n1.1. Scope\n==========\n\nText.\n";
    let (headings, _) = structure(text);
    assert_eq!(headings, pairs(&[("1", 1), ("1.1", 2)]));
    // After another underline: a level below it.
    let text = "The Licence\n-----------\n\nLegal Terms\n===========\n\n0. Definitions\n--------------\n\nText.\n";
    let (headings, _) = structure(text);
    assert_eq!(headings, pairs(&[("Legal Terms", 1), ("0", 2)]));
}
#[test]
fn prose_stays_inside_its_block_after_a_vertical_tab() {
    let text = "Terms\n\n1. Waiver.\n\n     \u{b}\0his License is the entire agreement.\n";
    for format in [Format::Markdown, Format::Plain] {
        let doc = Document::parse(text, format);
        for block in &doc.blocks {
            for run in &block.prose {
                assert!(
                    block.span.covers(*run),
                    "{format:?}: {run:?} outside {block:?}"
                );
            }
        }
    }
}

#[test]
fn markdown_suppression_comments_in_html_blocks_and_inline_html_only() {
    let text = "# Terms <!-- policylint-disable-line duplicate-heading -->\n\n<!-- policylint-disable misspelling -->\nWe recieve it. <!-- policylint-disable-line\n  article -->\n\n```\n<!-- policylint-disable -->\n```\n\nSee `<!-- policylint-enable -->`.\n\n<!-- policylint-enable -->\n";
    let doc = Document::parse(text, Format::Markdown);
    let found: Vec<(Option<Directive>, Vec<&str>)> = doc
        .suppressions
        .iter()
        .map(|s| (s.directive, s.rules.iter().map(|r| doc.slice(*r)).collect()))
        .collect();
    assert_eq!(
        found,
        [
            (Some(Directive::DisableLine), vec!["duplicate-heading"]),
            (Some(Directive::Disable), vec!["misspelling"]),
            (Some(Directive::DisableLine), vec!["article"]),
            (Some(Directive::Enable), vec![]),
        ]
    );
    // A comment at the end of a heading is no part of its title.
    assert_eq!(doc.slice(doc.headings[0].title), "Terms");
    assert!(Document::parse(text, Format::Plain).suppressions.is_empty());
}

#[test]
fn markdown_title_comes_from_the_first_metadata_block_only() {
    let text = "---\ntitle: Terms\n---\n\nText.\n\n---\ntitle: Other\n---\n";
    let doc = Document::parse(text, Format::Markdown);
    let metadata_blocks = doc
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::FrontMatter);
    assert_eq!(metadata_blocks.count(), 2);
    assert_eq!(doc.slice(doc.title.as_ref().unwrap().span), "Terms");
}
