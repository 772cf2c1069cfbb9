use crate::rules::{Category, Check, DocumentContext, Edit, Finding, Fix, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// With `[links] require-https = true` in `policylint.toml`, a Markdown
    /// link to an `http://` address (links to `localhost` and `127.0.0.1`
    /// excepted). Off by default: nothing is reported unless the project
    /// asks for it.
    ///
    /// ## Why it matters
    /// A policy that sends readers to a plain-HTTP page (an opt-out form, a
    /// regulator's address, the previous version of the terms) sends them
    /// somewhere that can be altered on the way. Many teams require every
    /// link in a published policy to be secure.
    ///
    /// ## Example
    /// ```toml
    /// [links]
    /// require-https = true
    /// ```
    /// ```markdown
    /// You can opt out at [the NAI](http://optout.networkadvertising.org/).
    /// ```
    /// The fix writes `https://`; it is unsafe (not applied by `--fix`),
    /// because only the site can tell whether it serves the page over HTTPS.
    pub static RULE = Rule {
        name: "insecure-link",
        category: Category::Style,
        severity: Severity::Warning,
        summary: "An http:// link where the project requires https:// ([links] require-https)",
        english_only: false,
        check: Check::Document { collect: None, check },
    };
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    if !cx.settings.require_https {
        return;
    }
    for link in &cx.doc.links {
        let dest = link.dest.trim();
        let Some(rest) = dest.get(..7).filter(|s| s.eq_ignore_ascii_case("http://")) else {
            continue;
        };
        let host = dest[rest.len()..]
            .split(['/', ':', '?', '#'])
            .next()
            .unwrap_or("");
        if matches!(host, "localhost" | "127.0.0.1") {
            continue;
        }
        let mut finding = Finding::new(
            link.dest_span.unwrap_or(link.span),
            "`http://` link: this project requires `https://`",
        )
        .with_suggestion(format!("https://{}", &dest[7..]));
        if let Some(span) = link.dest_span {
            let scheme = crate::syntax::Span::new(span.start, span.start + 4);
            finding = finding.with_fix(Fix::unsafe_(vec![Edit::replace(scheme, "https")]));
        }
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::lint::Linter;
    use crate::lint::fix::{FixMode, fix_text};
    use crate::syntax::{Document, Format};

    const TEXT: &str = "# T\n\nOpt out at [the NAI](http://optout.org/x) or \
                        <HTTP://example.org>; not [local](http://localhost:8080/), \
                        [secure](https://a.org) or [mail](mailto:a@b.org).\n";

    fn linter(config: &str) -> Linter {
        Linter::new(
            &Config::parse(&format!("select = [\"insecure-link\"]\n{config}"), None).unwrap(),
        )
    }

    #[test]
    fn reports_http_links_only_when_the_project_asks() {
        let doc = Document::parse(TEXT, Format::Markdown);
        assert_eq!(linter("").check(&doc), []);
        let found = linter("[links]\nrequire-https = true").check(&doc);
        let flagged: Vec<&str> = found.iter().map(|d| doc.slice(d.span)).collect();
        assert_eq!(flagged, ["http://optout.org/x", "HTTP://example.org"]);
        assert_eq!(found[0].suggestions, ["https://optout.org/x"]);
    }

    #[test]
    fn the_fix_is_offered_but_not_applied_by_fix() {
        let linter = linter("[links]\nrequire-https = true");
        let doc = Document::parse(TEXT, Format::Markdown);
        let fix = linter.check(&doc)[0].fix.clone().unwrap();
        assert!(!fix.safe);
        assert_eq!(fix.edits[0].text, "https");
        assert_eq!(doc.slice(fix.edits[0].span), "http");
        let fixed = fix_text(TEXT, Format::Markdown, &linter, FixMode::Safe);
        assert_eq!(fixed.fixes, 0);
    }
}
