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
            let children = s
                .children
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
    assert_eq!(o.sections[o.roots[0]].children.len(), 1);
    let b = &o.sections[o.roots[1]];
    assert_eq!(doc.slice(b.body).trim(), "z");
}
