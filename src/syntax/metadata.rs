//! Metadata lines (`2022-November-11 20:28 By:`, `Editor: WJH`,
//! `**Effective date:** 1 May 2024`) and YAML front matter keys.

use std::sync::LazyLock;

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
    // Most lines are prose: reject them before scanning for labels.
    if s.len() > 4 * MAX_LINE_CHARS || !s.contains(':') || s.chars().count() > MAX_LINE_CHARS {
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

/// The top-level keys of YAML front matter (`span` covers the lines between
/// the `---` fences). A key is empty when it has no value on its line, no
/// indented or list lines under it, or an empty quoted string.
pub fn parse_front_matter(text: &str, span: Span) -> Vec<LineField> {
    let lines: Vec<Span> = super::lines(span.of(text))
        .into_iter()
        .map(|l| l.shifted(span.start))
        .collect();
    let mut fields = Vec::new();
    for (i, &line) in lines.iter().enumerate() {
        let s = line.of(text);
        if s.is_empty() || s.starts_with([' ', '\t', '-', '#']) || s == "---" {
            continue;
        }
        let Some(colon) = s
            .find(": ")
            .or_else(|| s.strip_suffix(':').map(|k| k.len()))
        else {
            continue;
        };
        let key = &s[..colon];
        if key.is_empty() || !key.chars().all(|c| c.is_alphanumeric() || "_-".contains(c)) {
            continue;
        }
        let raw = s[colon + 1..].trim();
        let nested = lines[i + 1..]
            .iter()
            .map(|l| l.of(text))
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.starts_with([' ', '\t', '-']));
        let empty_value =
            raw.is_empty() || raw == "\"\"" || raw == "''" || raw == "~" || raw == "null";
        let value = if empty_value && !nested {
            None
        } else if raw.is_empty() {
            // A mapping or list under the key: its value is the nested lines.
            Some(Span::empty(line.end))
        } else {
            let offset = s.len() - s[colon + 1..].trim_start().len();
            Some(Span::new(
                line.start + offset,
                line.start + offset + raw.len(),
            ))
        };
        fields.push(LineField {
            key: Span::new(line.start, line.start + colon + 1),
            value,
        });
    }
    fields
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
