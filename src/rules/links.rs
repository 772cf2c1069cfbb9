//! What the link rules (`missing-anchor`, `missing-file`, `insecure-link`)
//! and the translation check share: the anchors a Markdown document
//! defines, and how a link's destination reads.

use std::collections::HashSet;

use pulldown_cmark::{Event, Parser};

use crate::syntax::{Block, BlockKind, Document, Span};

/// The fragments a link into `doc` may name: the slugs GitHub and kramdown
/// give its headings, kramdown ids (`{: #id}`, `{#id}`) and HTML `id` and
/// `name` attributes. Compared without case: an anchor that differs only
/// in case is a matter for the reader's browser, not a broken link.
#[derive(Debug)]
pub struct Anchors {
    ids: HashSet<String>,
}

impl Anchors {
    pub fn of(doc: &Document) -> Anchors {
        let slugs: Vec<(String, String)> = doc
            .headings
            .iter()
            .map(|h| heading_slugs(doc.slice(h.text)))
            .collect();
        let explicit = explicit_ids(doc);
        Anchors::new(
            slugs.iter().map(|(g, k)| (g.as_str(), k.as_str())),
            explicit.iter().map(|(id, _)| id.as_str()),
        )
    }

    /// The anchors of a document whose headings have `slugs` (GitHub's
    /// and kramdown's, in order, before they are made unique) and whose
    /// text writes out the ids `explicit`.
    pub(crate) fn new<'s>(
        slugs: impl Iterator<Item = (&'s str, &'s str)>,
        explicit: impl Iterator<Item = &'s str>,
    ) -> Anchors {
        let mut ids = HashSet::new();
        let mut github = Slugs::default();
        let mut kramdown = Slugs::default();
        for (g, k) in slugs {
            ids.insert(github.unique(g));
            ids.insert(kramdown.unique(k));
        }
        ids.extend(explicit.map(str::to_string));
        let ids = ids.into_iter().map(|id| id.to_lowercase()).collect();
        Anchors { ids }
    }

    pub fn contains(&self, fragment: &str) -> bool {
        self.ids.contains(&fragment.to_lowercase())
    }

    /// The anchor most like `fragment`, if one is close enough to be the
    /// one meant.
    pub fn closest(&self, fragment: &str) -> Option<&str> {
        let fragment = fragment.to_lowercase();
        let length = fragment.chars().count();
        self.ids
            .iter()
            // The edits are at least the difference in length: an id much
            // longer or shorter cannot be close (and a document of
            // thousands of headings has many such ids).
            .filter(|id| {
                let other = id.chars().count();
                let longer = other.max(length);
                longer == 0 || similarity(length.abs_diff(other), longer) >= MIN_ANCHOR_SIMILARITY
            })
            .map(|id| (strsim::normalized_levenshtein(&fragment, id), id))
            .filter(|(score, _)| *score >= MIN_ANCHOR_SIMILARITY)
            // Ties go to the smaller id, so the suggestion does not depend
            // on the set's order.
            .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
            .map(|(_, id)| id.as_str())
    }
}

/// How like an anchor a fragment must be to be taken for a slip of it
/// ([`strsim::normalized_levenshtein`]).
const MIN_ANCHOR_SIMILARITY: f64 = 0.75;

/// [`strsim::normalized_levenshtein`] of two strings `edits` apart, the
/// longer `longer` characters long, computed as it computes it: so that
/// a bound on the edits is a bound on its score.
fn similarity(edits: usize, longer: usize) -> f64 {
    1.0 - (edits as f64) / (longer as f64)
}

/// Heading ids made unique the way GitHub and kramdown do: the second
/// `Scope` is `scope-1`.
#[derive(Default)]
struct Slugs {
    seen: HashSet<String>,
}

impl Slugs {
    fn unique(&mut self, slug: &str) -> String {
        let mut id = slug.to_string();
        let mut n = 0;
        while !self.seen.insert(id.clone()) {
            n += 1;
            id = format!("{slug}-{n}");
        }
        id
    }
}

/// The slugs GitHub and kramdown make of a heading written `source`,
/// before they are made unique.
pub(crate) fn heading_slugs(source: &str) -> (String, String) {
    let text = rendered(source);
    (github_slug(&text), kramdown_slug(&text))
}

/// A heading's text as a reader sees it: without emphasis markers and link
/// targets, with the text of inline code.
fn rendered(source: &str) -> String {
    // Most headings are words and punctuation that mark nothing up, which
    // the parser gives back as they are (a 5 MB document has thousands).
    let marks_up = |c: char| "\\`*_[]<>&!#~".contains(c) || c.is_whitespace() && c != ' ';
    let trimmed = source.trim_matches(' ') == source;
    if trimmed && !source.contains(marks_up) {
        return source.to_string();
    }
    parsed(source)
}

/// A heading's text as the Markdown parser renders it.
fn parsed(source: &str) -> String {
    // Read as a heading, so that `1. Use` is no list and `+ 1` no item.
    let heading = format!("# {}", source.replace(['\r', '\n'], " "));
    let mut out = String::new();
    for event in Parser::new(&heading) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

/// GitHub's slug: lower case, spaces to `-`, punctuation dropped.
pub fn github_slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// kramdown's automatic id: ASCII letters, digits, spaces and dashes kept,
/// everything before the first letter dropped, spaces to `-`, lower case.
fn kramdown_slug(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
        .collect();
    let from_letter = kept.trim_start_matches(|c: char| !c.is_ascii_alphabetic());
    let slug = from_letter.replace(' ', "-").to_lowercase();
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

/// The ids written out in `doc`, in order, with where each is written:
/// kramdown attribute lists (`{: #use}`, `{#use}`) and the `id` and `name`
/// attributes of HTML tags. Code blocks are left alone.
pub fn explicit_ids(doc: &Document) -> Vec<(String, Span)> {
    let mut ids = Vec::new();
    for block in &doc.blocks {
        block_ids(doc, block, &mut ids);
    }
    ids
}

/// The ids written out in `block`, as [`explicit_ids`] gives them.
pub(crate) fn block_ids(doc: &Document, block: &Block, out: &mut Vec<(String, Span)>) {
    if block.kind != BlockKind::Code {
        let text = doc.slice(block.span);
        attribute_list_ids(text, block.span.start, out);
        html_ids(text, block.span.start, out);
    }
}

fn attribute_list_ids(text: &str, offset: usize, out: &mut Vec<(String, Span)>) {
    let mut from = 0;
    while let Some(open) = text[from..].find('{').map(|i| from + i) {
        from = open + 1;
        let rest = &text[open + 1..];
        if !(rest.starts_with(':') || rest.starts_with('#')) {
            continue;
        }
        let Some(close) = rest
            .find(['}', '\n'])
            .filter(|&c| rest[c..].starts_with('}'))
        else {
            continue;
        };
        let inside = &rest[..close];
        let body = inside.strip_prefix(':').unwrap_or(inside);
        let body_start = open + 1 + (inside.len() - body.len());
        for (at, word) in words(body) {
            if let Some(id) = word.strip_prefix('#').filter(|id| !id.is_empty()) {
                let start = offset + body_start + at + 1;
                out.push((id.to_string(), Span::new(start, start + id.len())));
            }
        }
        from = open + 1 + close;
    }
}

/// The white-space separated words of `text`, with their offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(char::is_whitespace)
        .scan(0, |at, word| {
            let start = *at;
            *at += word.len() + 1;
            Some((start, word))
        })
        .filter(|(_, w)| !w.is_empty())
}

fn html_ids(text: &str, offset: usize, out: &mut Vec<(String, Span)>) {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(open) = text[from..].find('<').map(|i| from + i) {
        from = open + 1;
        if !bytes.get(open + 1).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let Some(close) = text[open..].find('>').map(|i| open + i) else {
            break;
        };
        let tag = &text[open..close];
        let lower = tag.to_ascii_lowercase();
        for name in ["id=", "name="] {
            let mut at = 0;
            while let Some(found) = lower[at..].find(name).map(|i| at + i) {
                at = found + name.len();
                if !tag[..found].ends_with(char::is_whitespace) {
                    continue;
                }
                let value = &tag[at..];
                let (start, len) = match value.chars().next() {
                    Some(q @ ('"' | '\'')) => match value[1..].find(q) {
                        Some(end) => (at + 1, end),
                        None => continue,
                    },
                    _ => (
                        at,
                        value
                            .find(|c: char| c.is_whitespace() || c == '/')
                            .unwrap_or(value.len()),
                    ),
                };
                if len > 0 {
                    let absolute = offset + open + start;
                    out.push((
                        tag[start..start + len].to_string(),
                        Span::new(absolute, absolute + len),
                    ));
                }
            }
        }
        from = close;
    }
}

/// Whether `dest` names a scheme (`https:`, `mailto:`, `tel:`) or a host
/// (`//example.com`): a link out of the project.
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    let Some(colon) = dest.find(':') else {
        return false;
    };
    let scheme = &dest[..colon];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `%XX` escapes undone (a link to `#caf%C3%A9` names `#café`); text that
/// does not decode to UTF-8 stays as written.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Format;

    fn anchors(text: &str) -> Anchors {
        Anchors::of(&Document::parse(text, Format::Markdown))
    }

    proptest::proptest! {
        /// A heading that marks nothing up is rendered as the parser
        /// renders it.
        #[test]
        fn plain_headings_render_as_parsed(source in "[ab1. ()'*_`\\[\\]<>&;!#~=+\\\\\t\n-]{0,8}") {
            proptest::prop_assert_eq!(rendered(&source), parsed(&source));
        }

        /// Leaving out the ids too long or too short to be close changes
        /// nothing: the closest is the one every id compared gives.
        #[test]
        fn the_closest_anchor_is_that_of_all_ids(
            ids in proptest::collection::vec("[a-cé-]{0,9}", 0..12),
            fragment in "[a-cé-]{1,9}",
        ) {
            let anchors = Anchors { ids: ids.iter().cloned().collect() };
            let compared = anchors
                .ids
                .iter()
                .map(|id| (strsim::normalized_levenshtein(&fragment, id), id))
                .filter(|(score, _)| *score >= MIN_ANCHOR_SIMILARITY)
                .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
                .map(|(_, id)| id.as_str());
            proptest::prop_assert_eq!(anchors.closest(&fragment), compared);
        }
    }

    #[test]
    fn headings_that_mark_up_are_parsed() {
        for source in [
            "*Your* data",
            "_a_ b",
            "The `id` field",
            "[Terms](t.md)",
            "a <b>c</b>",
            "AT&amp;T",
            "a\\*b",
            "# x #",
            "a\tb",
            "a\nb",
            " a",
            "a ",
            "1. Use",
        ] {
            assert_eq!(rendered(source), parsed(source), "{source:?}");
        }
        assert_eq!(rendered("*Your* data"), "Your data");
    }

    #[test]
    fn headings_give_github_and_kramdown_slugs_made_unique() {
        let a = anchors(
            "# 1. Use of *Your* Data!\n\n## Scope\n\n## Scope\n\n## The `id` field\n\n## Café & Co\n",
        );
        for id in [
            "1-use-of-your-data",
            "use-of-your-data",
            "scope",
            "scope-1",
            "the-id-field",
            "café--co",
            "caf--co",
        ] {
            assert!(a.contains(id), "{id}");
        }
        assert!(!a.contains("scope-2"));
    }

    #[test]
    fn written_ids_count_and_code_does_not() {
        let text = "## Use {: #use }\n\n## Sharing {#share}\n\nText.\n{: .note #note}\n\n\
                    <a name=\"old\"></a>\n\nSee <span id='here'>this</span>.\n\n\
                    ```\n<a id=\"code\">\n```\n";
        let doc = Document::parse(text, Format::Markdown);
        let ids: Vec<String> = explicit_ids(&doc).into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["use", "share", "note", "old", "here"]);
        for (id, span) in explicit_ids(&doc) {
            assert_eq!(doc.slice(span), id);
        }
        assert!(!anchors(text).contains("code"));
    }

    #[test]
    fn schemes_and_hosts_are_external() {
        for dest in ["https://a.org", "mailto:a@b.org", "tel:+1", "//cdn.org/x"] {
            assert!(is_external(dest), "{dest}");
        }
        for dest in ["terms.md", "../en/terms.md#a", "#a", "a/b:c"] {
            assert!(!is_external(dest), "{dest}");
        }
        assert_eq!(percent_decode("caf%C3%A9%20x%2"), "café x%2");
    }
}
