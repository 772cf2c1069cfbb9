//! Carves what is not prose out of a stretch of text: inline code, URLs,
//! e-mail addresses and handles, file paths, domain and file names,
//! identifiers, HTML tags, template tags (`{% … %}`, `{{ … }}`) and
//! kramdown attribute lists (`{: #anchor}`).

use super::{Prose, Span};

/// Appends to `out` the parts of `span` that are prose, in order.
pub fn carve(text: &str, span: Span, out: &mut Prose) {
    let s = span.of(text);
    let bytes = s.as_bytes();
    // Start of the prose not yet pushed.
    let mut cursor = 0;
    let mut i = 0;
    while let Some(at) = next_special(bytes, i) {
        // A final "." or ":" (the end of a sentence, a label) is prose.
        let next_is_space = bytes.get(at + 1).is_none_or(u8::is_ascii_whitespace);
        if next_is_space && !matches!(bytes[at], b'`' | b'{' | b'<') {
            i = at + 1;
            continue;
        }
        if let Some(end) = delimited_end(s, at) {
            push(out, s, span.start, cursor, at);
            cursor = end;
            i = end;
            continue;
        }
        if matches!(bytes[at], b'`' | b'{' | b'<') {
            i = at + 1;
            continue;
        }
        // The run of non-space characters around the special byte.
        let chunk_start = bytes[cursor..at]
            .iter()
            .rposition(u8::is_ascii_whitespace)
            .map_or(cursor, |p| cursor + p + 1);
        let chunk_end = bytes[at..]
            .iter()
            .position(u8::is_ascii_whitespace)
            .map_or(bytes.len(), |p| at + p);
        if let Some((a, b)) = opaque_part(&s[chunk_start..chunk_end]) {
            push(out, s, span.start, cursor, chunk_start + a);
            cursor = chunk_start + b;
        }
        i = chunk_end;
    }
    push(out, s, span.start, cursor, bytes.len());
}

/// Bytes that may start or sit inside something that is not prose.
static SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let specials = b"`{<:@/\\_=.[(&";
    let mut k = 0;
    while k < specials.len() {
        table[specials[k] as usize] = true;
        k += 1;
    }
    table
};

/// Where the first [`SPECIAL`] byte at or after `from` is. Most bytes of a
/// text are not special: they are tested eight at a time, with no branch
/// per byte.
fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = &bytes[from..];
    let mut clear = 0;
    for chunk in rest.chunks_exact(8) {
        if chunk
            .iter()
            .fold(false, |any, &b| any | SPECIAL[b as usize])
        {
            break;
        }
        clear += 8;
    }
    rest[clear..]
        .iter()
        .position(|&b| SPECIAL[b as usize])
        .map(|k| from + clear + k)
}

/// If a code span, template tag or HTML tag starts at `i`, where it ends.
fn delimited_end(s: &str, i: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    match bytes[i] {
        b'`' => {
            let ticks = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            let fence = &s[i..i + ticks];
            s[i + ticks..].find(fence).map(|k| i + ticks + k + ticks)
        }
        b'{' if matches!(bytes.get(i + 1), Some(b'%' | b'{')) => {
            let close = if bytes[i + 1] == b'%' { "%}" } else { "}}" };
            s[i + 2..].find(close).map(|k| i + 2 + k + 2)
        }
        // A kramdown attribute list or extension: `{: #anchor}`,
        // `{: datetime="2024-01-01"}`, `{::options … /}`, on one line.
        b'{' if bytes.get(i + 1) == Some(&b':') => {
            let window = &s[i + 2..super::floor_char_boundary(s, i + 400)];
            window
                .find(['}', '\n'].as_slice())
                .filter(|&k| window.as_bytes()[k] == b'}')
                .map(|k| i + 2 + k + 1)
        }
        b'<' if bytes
            .get(i + 1)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/' || *b == b'!') =>
        {
            let window = &s[i + 1..super::floor_char_boundary(s, i + 400)];
            window
                .find(['>', '<', '\n'].as_slice())
                .filter(|&k| window.as_bytes()[k] == b'>')
                .map(|k| i + 1 + k + 1)
        }
        _ => None,
    }
}

/// If `span` lies in the text of a Markdown link on its line
/// (`[NAI](https://…)`, `[Section K](/terms#k)`), the link's target.
pub fn link_target(text: &str, span: Span) -> Option<&str> {
    let bytes = text.as_bytes();
    // The nearest bracket before the span must open the link text …
    let before = &bytes[span.start.saturating_sub(LINK_TEXT_MAX)..span.start];
    let open = before
        .iter()
        .rposition(|b| matches!(b, b'[' | b']' | b'\n'))?;
    if before[open] != b'[' {
        return None;
    }
    // … and the nearest after it close it, followed by the target.
    let after = &bytes[span.end..(span.end + LINK_TEXT_MAX).min(bytes.len())];
    let close = after
        .iter()
        .position(|b| matches!(b, b'[' | b']' | b'\n'))?;
    if after[close] != b']' || after.get(close + 1) != Some(&b'(') {
        return None;
    }
    let target_start = span.end + close + 2;
    let target = &bytes[target_start..(target_start + LINK_TARGET_MAX).min(bytes.len())];
    let end = target.iter().position(|b| matches!(b, b')' | b'\n'))?;
    if target[end] != b')' {
        return None;
    }
    Some(text[target_start..target_start + end].trim())
}

/// The longest link text and target looked for, in bytes. The bounds keep
/// the look-up from reading whole lines: a one-line document of a hundred
/// megabytes asks it for every acronym and reference.
const LINK_TEXT_MAX: usize = 512;
const LINK_TARGET_MAX: usize = 4096;

fn push(out: &mut Prose, s: &str, base: usize, start: usize, end: usize) {
    if start < end && !s[start..end].trim_start().is_empty() {
        out.push(Span::new(base + start, base + end));
    }
}

const LEADING: &[char] = &['(', '[', '{', '"', '\'', '“', '‘', '«', '*', '_'];
const TRAILING: &[char] = &[
    '.', ',', ';', ':', '!', '?', ')', ']', '}', '"', '\'', '”', '’', '»', '*', '_',
];

/// If `chunk` (a run without whitespace) is not prose, the byte range of the
/// part to skip: the chunk without surrounding punctuation.
fn opaque_part(chunk: &str) -> Option<(usize, usize)> {
    // Everything skipped has one of these inside it (a final period does
    // not count): most chunks are words and need no closer look.
    let bytes = chunk.as_bytes();
    let inner_bytes = &bytes[..bytes.len() - usize::from(bytes.last() == Some(&b'.'))];
    if !has_opaque_mark(inner_bytes) {
        return None;
    }
    let inner = chunk.trim_start_matches(LEADING);
    let a = chunk.len() - inner.len();
    let mut core = inner.trim_end_matches(TRAILING);
    // Keep a closing parenthesis that belongs to the URL: "…/Foo_(bar)".
    if inner[core.len()..].starts_with(')') && core.contains('(') {
        core = &inner[..core.len() + 1];
    }
    // Without its punctuation, a chunk is most often a word again: "(the",
    // "Inc.", "“Licensor”)".
    if core.is_empty() || !has_opaque_mark(core.as_bytes()) || !is_opaque(core) {
        return None;
    }
    Some((a, a + core.len()))
}

/// Whether `bytes` hold one of the characters that everything
/// [`is_opaque`] skips has inside it.
fn has_opaque_mark(bytes: &[u8]) -> bool {
    bytes.iter().any(|b| {
        matches!(
            b,
            b':' | b'@' | b'/' | b'\\' | b'_' | b'=' | b'.' | b'[' | b'(' | b'&'
        )
    })
}

fn is_opaque(core: &str) -> bool {
    let bytes = core.as_bytes();
    // (Most chunks that get here are words with a period or parentheses:
    // the searches that cost most are made only when the chunk has the
    // mark they look for.)
    let has = |mark: u8| bytes.contains(&mark);
    let lower_start = |p: &str| {
        core.get(..p.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(p))
    };
    if (has(b':') && core.contains("://")) || lower_start("www.") || lower_start("mailto:") {
        return true;
    }
    if let Some(at) = core.find('@') {
        let before = at > 0 && bytes[at - 1].is_ascii_alphanumeric();
        let after = bytes.get(at + 1).is_some_and(|b| b.is_ascii_alphanumeric());
        if after && (before || at == 0) {
            return true;
        }
    }
    if core.starts_with('/') && bytes.get(1).is_some_and(|b| b.is_ascii_alphanumeric()) {
        return true;
    }
    if core.starts_with("./") || core.starts_with("../") || core.starts_with("~/") {
        return true;
    }
    let slash = has(b'/');
    if has(b'\\') || (slash && core.matches('/').count() >= 2) {
        return true;
    }
    // "github.com/customer-terms"; "dpo[at]github[dot]com".
    if slash && core.split('/').next().is_some_and(is_dotted_name) {
        return true;
    }
    if (has(b'[') && core.contains("[at]")) || (has(b'(') && core.contains("(at)")) {
        return true;
    }
    // An HTML entity left in plain text: "&mdash;", "&#8212;".
    if let Some(amp) = core.find('&') {
        let entity = &core[amp + 1..];
        if let Some(semi) = entity.find(';') {
            let name = entity[..semi].trim_start_matches('#');
            if !name.is_empty()
                && name.len() <= 8
                && name.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                return true;
            }
        }
    }
    if has_inner(core, b'_') || has_inner(core, b'=') {
        return true;
    }
    is_dotted_name(core)
}

/// `byte` between two alphanumerics: `prodname_dotcom`, `a=b`.
fn has_inner(core: &str, byte: u8) -> bool {
    let b = core.as_bytes();
    (1..b.len().saturating_sub(1)).any(|i| {
        b[i] == byte && b[i - 1].is_ascii_alphanumeric() && b[i + 1].is_ascii_alphanumeric()
    })
}

/// A domain or file name: `github.com`, `code.json`, `18f.gsa.gov` (but not
/// `e.g`, `U.S` or `3.5`).
fn is_dotted_name(core: &str) -> bool {
    if !core.contains('.') {
        return false;
    }
    let parts = || core.split('.');
    if parts().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')) {
        return false;
    }
    let last = parts().next_back().unwrap_or_default();
    last.len() >= 2
        && last.bytes().all(|b| b.is_ascii_alphabetic())
        && parts().any(|p| p.len() >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(s: &str) -> Vec<&str> {
        let mut out = Prose::new();
        carve(s, Span::new(0, s.len()), &mut out);
        out.iter().map(|sp| sp.of(s)).collect()
    }

    #[test]
    fn special_bytes_are_found_wherever_they_are() {
        for len in 0..20 {
            for at in 0..len {
                let mut bytes = vec![b'a'; len];
                bytes[at] = b'@';
                for from in 0..=len {
                    let expected = (from <= at).then_some(at);
                    assert_eq!(next_special(&bytes, from), expected, "{len} {at} {from}");
                }
            }
            assert_eq!(next_special(&vec![b'a'; len], 0), None);
        }
    }

    #[test]
    fn plain_prose_is_one_run() {
        assert_eq!(
            prose("Just words, and/or more."),
            ["Just words, and/or more."]
        );
    }

    #[test]
    fn urls_and_emails_are_cut_out_but_not_their_punctuation() {
        assert_eq!(
            prose("See https://example.com/a_(b). Mail me@x.org, or @octocat."),
            ["See ", ". Mail ", ", or ", "."]
        );
    }

    #[test]
    fn kramdown_attribute_lists_are_cut_out() {
        assert_eq!(
            prose("Updated {: datetime=\"2024-01-02\" } here {:#prights} and {x}"),
            ["Updated ", " here ", " and {x}"]
        );
        assert_eq!(prose("open {: no end\nnext"), ["open {: no end\nnext"]);
    }

    #[test]
    fn code_and_template_tags_are_cut_out() {
        assert_eq!(
            prose("Use `cargo run` on {% data variables.product %} now"),
            ["Use ", " on ", " now"]
        );
    }

    #[test]
    fn names_paths_and_identifiers_are_cut_out() {
        assert_eq!(
            prose("Edit code.json in /etc/x or a/b/c"),
            ["Edit ", " in ", " or "]
        );
        assert_eq!(
            prose("at github.com/terms or me[at]x[dot]org"),
            ["at ", " or "]
        );
        assert_eq!(
            prose("mail me(at)x(dot)org (or not)"),
            ["mail ", " (or not)"]
        );
        assert_eq!(prose("a&mdash;b and R&D"), [" and R&D"]);
        assert_eq!(prose("the prodname_dotcom var"), ["the ", " var"]);
        assert_eq!(prose("e.g. U.S. 3.5"), ["e.g. U.S. 3.5"]);
    }

    #[test]
    fn link_targets() {
        let s = "See [the NAI site](http://x.org) or [Section K](/terms#k) and (a) [b].";
        let at = |w: &str| {
            let i = s.find(w).unwrap();
            link_target(s, Span::new(i, i + w.len()))
        };
        assert_eq!(at("NAI"), Some("http://x.org"));
        assert_eq!(at("K"), Some("/terms#k"));
        assert_eq!(at("See"), None);
        assert_eq!(at("b]"), None);
    }

    #[test]
    fn html_tags_are_cut_out() {
        assert_eq!(prose("a <br/> b <a href=\"x\">c</a>"), ["a ", " b ", "c"]);
    }
}
