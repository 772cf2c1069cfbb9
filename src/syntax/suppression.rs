//! Suppression comments of Markdown: `<!-- policylint-disable RULE… -->`.
//!
//! The front end hands every HTML block and inline HTML to [`scan`], which
//! keeps the comments that start with `policylint-`. What they suppress is
//! decided in `lint::suppress`, after the rules ran; here they are only read.

use super::Span;

/// The prefix of every directive.
pub const PREFIX: &str = "policylint-";

/// What a suppression comment asks for.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Directive {
    /// `policylint-disable`: from here to a matching `enable` or the end.
    Disable,
    /// `policylint-enable`: ends a `disable`.
    Enable,
    /// `policylint-disable-line`: the line(s) the comment is on.
    DisableLine,
    /// `policylint-disable-next-line`: the next line that is neither blank
    /// nor only comments.
    DisableNextLine,
    /// `policylint-disable-file`: the whole document, wherever it stands.
    DisableFile,
}

impl Directive {
    /// Every directive, as written after [`PREFIX`].
    pub const ALL: [Directive; 5] = [
        Directive::Disable,
        Directive::Enable,
        Directive::DisableLine,
        Directive::DisableNextLine,
        Directive::DisableFile,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Directive::Disable => "disable",
            Directive::Enable => "enable",
            Directive::DisableLine => "disable-line",
            Directive::DisableNextLine => "disable-next-line",
            Directive::DisableFile => "disable-file",
        }
    }

    fn from_name(name: &str) -> Option<Directive> {
        Directive::ALL.into_iter().find(|d| d.name() == name)
    }
}

/// A `<!-- policylint-… -->` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// The whole comment, `<!--` to `-->`.
    pub span: Span,
    /// The directive word, `policylint-disable-next-line`.
    pub word: Span,
    /// `None` for a word policylint does not know (`policylint-disabel`).
    pub directive: Option<Directive>,
    /// The rule names, as written (known or not); none means every rule.
    pub rules: Vec<Span>,
}

/// Adds the suppression comments inside `span` (HTML) of `text` to `out`.
pub(super) fn scan(text: &str, span: Span, out: &mut Vec<Suppression>) {
    let mut at = span.start;
    while let Some(found) = text[at..span.end].find("<!--") {
        let start = at + found;
        let rest = &text[start..span.end];
        // CommonMark's empty comments end at once.
        if let Some(empty) = ["<!-->", "<!--->"].iter().find(|e| rest.starts_with(**e)) {
            at = start + empty.len();
            continue;
        }
        let body = start + "<!--".len();
        let Some(close) = text[body..span.end].find("-->") else {
            return;
        };
        let end = body + close + "-->".len();
        if let Some(s) = parse(text, Span::new(start, end), Span::new(body, body + close)) {
            out.push(s);
        }
        at = end;
    }
}

/// The suppression a comment (`body` inside `comment`) holds, if it is one.
fn parse(text: &str, comment: Span, body: Span) -> Option<Suppression> {
    let mut names = words(text, body);
    let word = names.next().filter(|w| w.of(text).starts_with(PREFIX))?;
    let directive = Directive::from_name(&word.of(text)[PREFIX.len()..]);
    Some(Suppression {
        span: comment,
        word,
        directive,
        rules: names.collect(),
    })
}

/// The words of `span`, separated by white space and commas.
fn words(text: &str, span: Span) -> impl Iterator<Item = Span> + '_ {
    let s = span.of(text);
    let separator = |c: char| c.is_whitespace() || c == ',';
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + s[at..].find(|c: char| !separator(c))?;
        let len = s[start..].find(separator).unwrap_or(s.len() - start);
        at = start + len;
        Some(Span::new(span.start + start, span.start + at))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(html: &str) -> Vec<(Option<Directive>, String, Vec<String>)> {
        let mut out = Vec::new();
        scan(html, Span::new(0, html.len()), &mut out);
        out.iter()
            .map(|s| {
                assert!(s.span.of(html).starts_with("<!--") && s.span.of(html).ends_with("-->"));
                (
                    s.directive,
                    s.word.of(html).to_string(),
                    s.rules.iter().map(|r| r.of(html).to_string()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn directives_with_and_without_rules() {
        assert_eq!(
            read("<!-- policylint-disable -->"),
            [(
                Some(Directive::Disable),
                "policylint-disable".into(),
                vec![]
            )]
        );
        assert_eq!(
            read("<!--policylint-disable-next-line misspelling, article\n  numbering-->"),
            [(
                Some(Directive::DisableNextLine),
                "policylint-disable-next-line".into(),
                vec!["misspelling".into(), "article".into(), "numbering".into()]
            )]
        );
    }

    #[test]
    fn several_comments_in_one_html_block_and_others_left_alone() {
        let html = "<div>\n<!-- a note --><!-- policylint-enable x --> <!-- policylint-disable-file -->\n</div>";
        let found = read(html);
        assert_eq!(
            found.iter().map(|f| f.0).collect::<Vec<_>>(),
            [Some(Directive::Enable), Some(Directive::DisableFile)]
        );
    }

    #[test]
    fn an_unknown_directive_is_kept_for_the_engine_to_report() {
        assert_eq!(
            read("<!-- policylint-disabel x -->"),
            [(None, "policylint-disabel".into(), vec!["x".into()])]
        );
    }

    #[test]
    fn empty_and_unclosed_comments() {
        assert!(read("<!--> <!---> policylint-disable -->").is_empty());
        assert!(read("<!-- policylint-disable").is_empty());
        assert!(read("<!-- see policylint-disable -->").is_empty());
    }
}
