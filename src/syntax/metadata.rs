//! Metadata lines (`2022-November-11 20:28 By:`, `Editor: WJH`,
//! `**Effective date:** 1 May 2024`) and YAML front matter keys.

use std::sync::LazyLock;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::Span;

/// One `Key: value` field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetadataField {
    /// The label with its colon: `By:`, `title:`.
    pub key: Span,
    /// The value, trimmed; `None` when the field is empty.
    pub value: Option<Span>,
    /// The block the field is in.
    pub block: usize,
}

static KEYS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut keys: Vec<&str> = include_str!("../../data/metadata-keys.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    // Longest first, so that "effective date" wins over "effective".
    keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
    keys
});

/// The longest line that can still be a metadata line.
const MAX_LINE_CHARS: usize = 160;
/// The longest value a field can have.
const MAX_VALUE_CHARS: usize = 100;

/// A field found on a line, before it is assigned to a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineField {
    pub key: Span,
    pub value: Option<Span>,
}

/// The fields of `line` if the whole line is metadata: one or more known
/// `Key:` labels with their values, optionally after a date or time.
pub fn parse_line(text: &str, line: Span) -> Option<Vec<LineField>> {
    let s = line.of(text);
    // Most lines are prose: reject them before scanning for labels (with
    // memchr's vectorised search for the colon, which `str` lacks).
    if s.len() > 4 * MAX_LINE_CHARS
        || memchr::memchr(b':', s.as_bytes()).is_none()
        || s.chars().count() > MAX_LINE_CHARS
    {
        return None;
    }
    // Each label ends at a colon: look back from every colon for one.
    let mut keys: Vec<(Span, usize)> = Vec::new(); // (label span, value start)
    for (colon, _) in s.match_indices(':') {
        if let Some((key_start, value_start)) = key_before(s, colon) {
            keys.push((
                Span::new(line.start + key_start, line.start + colon + 1),
                value_start,
            ));
        }
    }
    let first = keys.first()?;
    let prefix = &s[..first.0.start - line.start];
    if !is_date_like(prefix) {
        return None;
    }
    let mut fields = Vec::with_capacity(keys.len());
    for (i, &(key, value_start)) in keys.iter().enumerate() {
        let value_end = keys.get(i + 1).map_or(s.len(), |k| k.0.start - line.start);
        let raw = &s[value_start..value_end];
        let value = strip_markup(raw);
        if value.chars().count() > MAX_VALUE_CHARS {
            return None;
        }
        let value = if value.is_empty() {
            None
        } else {
            let offset = value.as_ptr() as usize - s.as_ptr() as usize;
            Some(Span::new(
                line.start + offset,
                line.start + offset + value.len(),
            ))
        };
        fields.push(LineField { key, value });
    }
    Some(fields)
}

/// If a known label ends at the colon `s[colon]` (markup such as `**By:**`
/// allowed): where the label starts and where its value starts.
fn key_before(s: &str, colon: usize) -> Option<(usize, usize)> {
    // Not "By::" nor a URL scheme ("source://").
    if s[colon + 1..].starts_with([':', '/']) {
        return None;
    }
    let before = s[..colon].trim_end_matches(['*', '_']);
    let key = KEYS.iter().find(|key| {
        let start = before.len().wrapping_sub(key.len());
        before
            .get(start..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(key))
            && (start == 0
                || before[..start].ends_with(|c: char| c.is_whitespace() || c == '*' || c == '_'))
    })?;
    let key_start = before.len() - key.len();
    let after = &s[colon + 1..];
    let value_start = colon + 1 + after.len() - after.trim_start_matches(['*', '_']).len();
    Some((key_start, value_start))
}

/// Whether a metadata line may start with `s`: nothing, or a date and time
/// such as `2022-November-11 20:28` or `Monday, 3 May 2021,`.
fn is_date_like(s: &str) -> bool {
    let s = strip_markup(s);
    if s.is_empty() {
        return true;
    }
    let mut saw_digit = false;
    for word in s.split(|c: char| c.is_whitespace() || ",-/.:".contains(c)) {
        if word.is_empty() {
            continue;
        }
        if word.bytes().all(|b| b.is_ascii_digit()) {
            saw_digit = true;
            continue;
        }
        let lower = word.to_ascii_lowercase();
        let known = MONTHS
            .iter()
            .any(|m| m.starts_with(&lower) && lower.len() >= 3)
            || DAYS
                .iter()
                .any(|d| d.starts_with(&lower) && lower.len() >= 3)
            || matches!(
                lower.as_str(),
                "am" | "pm" | "utc" | "gmt" | "st" | "nd" | "rd" | "th"
            )
            || ["st", "nd", "rd", "th"].iter().any(|suffix| {
                lower
                    .strip_suffix(suffix)
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            });
        if !known {
            return false;
        }
    }
    saw_digit
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// `s` trimmed of spaces and emphasis markers.
fn strip_markup(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '*' || c == '_')
}

/// The top-level keys of YAML front matter (`span` covers it, with or
/// without its `---` fences), read by a YAML parser. A key is empty when
/// its value is null (nothing, `~`, `null`), an empty string, or an empty
/// list or mapping. Front matter that is not YAML, or not a mapping, has no
/// keys; keys read before a syntax error are kept.
pub fn parse_front_matter(text: &str, span: Span) -> Vec<LineField> {
    let body = without_fences(text, span);
    let source = body.of(text);
    // The parser's positions count characters.
    let bytes: Vec<usize> = source
        .char_indices()
        .map(|(i, _)| i)
        .chain([source.len()])
        .collect();
    let at = |mark: &Marker| body.start + bytes.get(mark.index()).copied().unwrap_or(source.len());
    let mut parser = Parser::new_from_str(source);
    let mut fields = Vec::new();
    // Nesting of collections; the top-level mapping is at depth 1.
    let mut depth = 0usize;
    // The top-level key whose value comes next, and where it ends.
    let mut key: Option<Span> = None;
    let mut top_is_mapping = false;
    while let Ok((event, mark)) = parser.next_token() {
        let at_top = depth == 1 && top_is_mapping;
        match event {
            Event::StreamEnd => break,
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if depth == 0 {
                    top_is_mapping = matches!(event, Event::MappingStart(..));
                }
                depth += 1;
                if at_top {
                    if let Some(k) = key.take() {
                        let empty = matches!(
                            parser.peek(),
                            Ok((Event::MappingEnd | Event::SequenceEnd, _))
                        );
                        let value = (!empty).then(|| Span::empty(line_end(text, k.end)));
                        fields.push(LineField { key: k, value });
                    }
                }
            }
            Event::MappingEnd | Event::SequenceEnd => depth = depth.saturating_sub(1),
            Event::Scalar(value, style, ..) if at_top => match key.take() {
                None => key = Some(key_span(text, at(&mark), &value)),
                Some(k) => {
                    let null = style == TScalarStyle::Plain
                        && matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL");
                    let value = if null || value.is_empty() {
                        None
                    } else {
                        let start = at(&mark);
                        let end = start + text[start..line_end(text, start)].trim_end().len();
                        Some(Span::new(start, end))
                    };
                    fields.push(LineField { key: k, value });
                }
            },
            _ => {}
        }
    }
    fields
}

/// `span` without a first and a last line that are YAML fences.
fn without_fences(text: &str, span: Span) -> Span {
    let s = span.of(text);
    let start = if s.starts_with("---") {
        s.find('\n').map_or(s.len(), |n| n + 1)
    } else {
        0
    };
    let trimmed = s.trim_end();
    let last_line = trimmed.rfind('\n').map_or(0, |n| n + 1);
    let end = if last_line >= start && matches!(trimmed[last_line..].trim(), "---" | "...") {
        last_line
    } else {
        s.len()
    };
    Span::new(span.start + start, span.start + end.max(start))
}

/// The key written at `start` with its colon (`title:`).
fn key_span(text: &str, start: usize, key: &str) -> Span {
    let line = &text[start..line_end(text, start)];
    // The colon after the key as written (quotes included).
    let from = line.find(key).map_or(0, |k| k + key.len());
    let end = line[from..]
        .find(':')
        .map_or(line.trim_end().len(), |c| from + c + 1);
    Span::new(start, start + end)
}

/// The end of the line holding `offset`.
fn line_end(text: &str, offset: usize) -> usize {
    memchr::memchr(b'\n', &text.as_bytes()[offset..]).map_or(text.len(), |n| offset + n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(s: &str) -> Option<Vec<(String, Option<String>)>> {
        let f = parse_line(s, Span::new(0, s.len()))?;
        Some(
            f.into_iter()
                .map(|f| {
                    (
                        f.key.of(s).to_string(),
                        f.value.map(|v| v.of(s).to_string()),
                    )
                })
                .collect(),
        )
    }

    fn kv(k: &str, v: Option<&str>) -> (String, Option<String>) {
        (k.to_string(), v.map(String::from))
    }

    #[test]
    fn a_date_then_an_empty_by() {
        assert_eq!(
            fields("2022-November-11 20:28 By:"),
            Some(vec![kv("By:", None)])
        );
    }

    #[test]
    fn ordinals_and_other_scripts_before_a_field() {
        assert_eq!(fields("May 3rd 2021 By:"), Some(vec![kv("By:", None)]));
        // Found by the property tests: a quotation mark before `By:` was
        // sliced inside its UTF-8 bytes.
        assert_eq!(fields("“ By:"), None);
    }

    #[test]
    fn several_fields_on_one_line() {
        assert_eq!(
            fields("By: Jane Doe  Date: 3 May 2021"),
            Some(vec![
                kv("By:", Some("Jane Doe")),
                kv("Date:", Some("3 May 2021"))
            ])
        );
    }

    #[test]
    fn longest_label_wins_and_markup_is_ignored() {
        assert_eq!(
            fields("**Effective date:** 1 May 2024"),
            Some(vec![kv("Effective date:", Some("1 May 2024"))])
        );
        assert_eq!(fields("Approved by:"), Some(vec![kv("Approved by:", None)]));
    }

    #[test]
    fn prose_is_not_metadata() {
        assert_eq!(fields("Note: this is important"), None);
        assert_eq!(fields("Written in 2020 by: nobody"), None);
        assert_eq!(fields("The date: tomorrow"), None);
        assert_eq!(
            fields("Source: https://example.com"),
            Some(vec![kv("Source:", Some("https://example.com"))])
        );
    }

    fn front_matter(fm: &str) -> Vec<(&str, Option<&str>)> {
        parse_front_matter(fm, Span::new(0, fm.len()))
            .into_iter()
            .map(|f| (f.key.of(fm), f.value.map(|v| v.of(fm))))
            .collect()
    }

    #[test]
    fn an_empty_last_key_is_empty() {
        let fm = "---\ntitle: x\nauthor:\n---\n";
        assert_eq!(front_matter(fm), [("title:", Some("x")), ("author:", None)]);
        let crlf = "---\r\ntitle: \"Privacy\"\r\nauthor:\r\n...\r\n";
        assert_eq!(
            front_matter(crlf),
            [("title:", Some("\"Privacy\"")), ("author:", None)]
        );
    }

    #[test]
    fn front_matter_that_is_not_a_mapping_has_no_keys() {
        assert!(front_matter("---\n- a\n- b\n---\n").is_empty());
        assert!(front_matter("---\njust text\n---\n").is_empty());
        // Keys before a syntax error are kept; the broken one is not
        // called empty.
        let broken = front_matter("---\ntitle: x\nbad: [\n---\n");
        assert_eq!(broken[0], ("title:", Some("x")));
        assert!(broken[1..].iter().all(|(_, value)| value.is_some()));
    }

    #[test]
    fn values_in_every_style() {
        let fm = "a: 'quoted'\nb: |\n  block\nc: {}\nd: []\ne: ~\nf: {x: 1}\n\"g h\": café\n";
        let got = front_matter(fm);
        let keys: Vec<_> = got.iter().map(|(k, v)| (*k, v.is_some())).collect();
        assert_eq!(
            keys,
            [
                ("a:", true),
                ("b:", true),
                ("c:", false),
                ("d:", false),
                ("e:", false),
                ("f:", true),
                ("\"g h\":", true)
            ]
        );
        assert_eq!(got[6].1, Some("café"));
    }

    #[test]
    fn front_matter_keys() {
        let fm =
            "title:\nredirect_from:\n  - /a\nshortTitle: ''\nintro: Hello\nversions:\n  fpt: '*'\n";
        let f = parse_front_matter(fm, Span::new(0, fm.len()));
        let got: Vec<_> = f
            .iter()
            .map(|f| (f.key.of(fm), f.value.is_some()))
            .collect();
        assert_eq!(
            got,
            [
                ("title:", false),
                ("redirect_from:", true),
                ("shortTitle:", false),
                ("intro:", true),
                ("versions:", true)
            ]
        );
    }
}
