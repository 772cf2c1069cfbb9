use std::path::{Component, Path, PathBuf};

use crate::rules::links::{is_external, percent_decode};
use crate::rules::{Category, Check, DocumentContext, Edit, Finding, Fix, Severity, declare_rule};
use crate::syntax::Span;

declare_rule! {
    /// ## What it checks
    /// A relative Markdown link to a file or folder that does not exist,
    /// looked up from the folder of the document: `[terms](../en/terms.md)`.
    /// A `?query` or `#fragment` is left off first. Links with a scheme
    /// (`https:`, `mailto:`), links to a host (`//cdn.example.org`),
    /// site-absolute paths (`/about/`, whose root only the web site knows)
    /// and template links (`{{ site.url }}`) are left alone; a text with no
    /// file (standard input, an unsaved buffer) has no folder to look in.
    ///
    /// A link is reported only when the folder it points into exists: a
    /// misspelt or removed file is then certain, while a link into a folder
    /// this checkout lacks (a sibling repository) says nothing about the
    /// link. Nor are the files of a document outside a project judged —
    /// one with no Git work tree (`.git`) and no `policylint.toml` in its
    /// folder or above: a document saved or copied out of its site comes
    /// without the files it links to. A destination that is an
    /// address without its scheme (`privacy@example.com` without `mailto:`,
    /// `support.example.com/help` without `https://`) is reported wherever
    /// it points, with the scheme offered as an (unsafe) fix.
    ///
    /// ## Why it matters
    /// Policies point at each other: the privacy notice at the cookie
    /// policy, a translation at the reference text. A renamed file breaks
    /// those links without a sound, and readers meet a 404 in the middle of
    /// the terms they are asked to accept.
    ///
    /// ## Example
    /// ```markdown
    /// Read our [cookie policy](cookie-polcy.md).
    /// ```
    /// There is `cookie-policy.md` beside the document, but no
    /// `cookie-polcy.md`.
    pub static RULE = Rule {
        name: "missing-file",
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "A relative link to a file that does not exist",
        english_only: false,
        check: Check::Document { collect: None, check },
    };
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    // A bare file name has the empty path as its folder: the current one.
    let folder = cx.path.map(|p| match p.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    });
    let in_a_project = std::cell::OnceCell::new();
    for link in &cx.doc.links {
        let dest = link.dest.trim();
        if dest.starts_with(['#', '/']) || dest.contains('{') || is_external(dest) {
            continue;
        }
        let file = dest.split(['?', '#']).next().unwrap_or("");
        if file.is_empty() {
            continue;
        }
        let span = link.dest_span.unwrap_or(link.span);
        if let Some(finding) = address_without_scheme(dest, span) {
            out.push(finding);
            continue;
        }
        let Some(folder) = folder.filter(|_| *in_a_project.get_or_init(|| project_holds(folder)))
        else {
            continue;
        };
        let file = percent_decode(file);
        let target = folder.join(&file);
        if target.exists() {
            continue;
        }
        let into = target.parent().unwrap_or(folder);
        if !into.is_dir() {
            continue;
        }
        out.push(Finding::new(
            span,
            format!(
                "`{file}` does not exist (looked for at {})",
                lexical(&target).display()
            ),
        ));
    }
}

/// Whether `folder` (the document's) lies in a project: a folder at or
/// above it holds `.git` or `policylint.toml`.
fn project_holds(folder: Option<&Path>) -> bool {
    let Some(folder) = folder.and_then(|f| f.canonicalize().ok()) else {
        return false;
    };
    folder
        .ancestors()
        .any(|dir| dir.join(".git").exists() || dir.join(crate::config::FILE_NAME).is_file())
}

/// `path` with each `name/..` taken out, for reading: `en/../de/x.md` is
/// `de/x.md`. Only for messages (through a symbolic link, `..` is not the
/// folder the name is in).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            Component::CurDir if out.components().next().is_some() => {}
            other => out.push(other),
        }
    }
    out
}

/// Top-level domains that end the first part of a web address written
/// without its scheme (`support.google.com/analytics`); files are not
/// named so.
const DOMAINS: &[&str] = &[".com", ".org", ".net", ".gov", ".edu", ".io", ".eu"];

/// A destination that is no file but an address missing its scheme: an
/// e-mail address without `mailto:`, a web address without `https://`.
/// Reported wherever its folder would be: it never names a file.
fn address_without_scheme(dest: &str, span: Span) -> Option<Finding> {
    let first = dest.split(['/', '?', '#']).next().unwrap_or("");
    let (scheme, what) = if !dest.contains('/') && is_email(dest) {
        ("mailto:", "an e-mail address")
    } else if first.starts_with("www.")
        || DOMAINS
            .iter()
            .any(|d| first.len() > d.len() && first.to_ascii_lowercase().ends_with(d))
    {
        ("https://", "a web address")
    } else {
        return None;
    };
    let mut finding = Finding::new(
        span,
        format!("`{dest}` is read as a file here: {what} needs `{scheme}`"),
    )
    .with_suggestion(format!("{scheme}{dest}"));
    if span.len() == dest.len() {
        finding = finding.with_fix(Fix::unsafe_(vec![Edit::replace(
            Span::empty(span.start),
            scheme,
        )]));
    }
    Some(finding)
}

/// `name@domain.tld`, nothing else.
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !text.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use std::fs;

    use crate::config::Config;
    use crate::lint::Linter;
    use crate::syntax::{Document, Format};

    const TEXT: &str = "# Terms\n\nSee [cookies](cookie-polcy.md), [privacy](privacy.md#scope), \
                        [German](../de/terms.md?v=2), [site](/about/), [web](https://a.org/x.md), \
                        [mail](mailto:a@b.org), [here](#terms), [gone](missing/x.md), \
                        [folder](sub/), [space](my%20notes.md), [t]({{ site.url }}/x.md), \
                        [ask](privacy@example.com), [help](support.example.com/help?x=1).\n";

    fn flagged_at(path: Option<&std::path::Path>) -> Vec<String> {
        let config = Config::parse("select = [\"missing-file\"]", None).unwrap();
        let linter = Linter::new(&config);
        let linter = match path {
            Some(p) => linter.for_path(p),
            None => linter,
        };
        let doc = Document::parse(TEXT, Format::Markdown);
        linter
            .check(&doc)
            .iter()
            .map(|d| doc.slice(d.span).to_string())
            .collect()
    }

    #[test]
    fn flags_a_missing_file_in_a_folder_that_exists() {
        let dir = tempfile::tempdir().unwrap();
        let en = dir.path().join("en");
        fs::create_dir_all(en.join("sub")).unwrap();
        fs::create_dir(dir.path().join("de")).unwrap();
        fs::write(en.join("privacy.md"), "x").unwrap();
        fs::write(en.join("my notes.md"), "x").unwrap();
        fs::write(dir.path().join("de/terms.md"), "x").unwrap();
        let addresses = ["privacy@example.com", "support.example.com/help?x=1"];
        // Outside a project the files are not judged, only the addresses.
        assert_eq!(flagged_at(Some(&en.join("terms.md"))), addresses);
        fs::create_dir(dir.path().join(".git")).unwrap();
        assert_eq!(
            flagged_at(Some(&en.join("terms.md"))),
            [&["cookie-polcy.md"][..], &addresses].concat()
        );
        // Without the German file its folder still exists: reported.
        fs::remove_file(dir.path().join("de/terms.md")).unwrap();
        assert_eq!(
            flagged_at(Some(&en.join("terms.md"))),
            [&["cookie-polcy.md", "../de/terms.md?v=2"][..], &addresses].concat()
        );
        let doc = Document::parse(TEXT, Format::Markdown);
        let config = Config::parse("select = [\"missing-file\"]", None).unwrap();
        let found = Linter::new(&config)
            .for_path(&en.join("terms.md"))
            .check(&doc);
        let german = dir.path().join("de").join("terms.md");
        assert_eq!(
            found[1].message,
            format!(
                "`../de/terms.md` does not exist (looked for at {})",
                german.display()
            )
        );
    }

    #[test]
    fn a_text_with_no_file_has_only_its_addresses_checked() {
        assert_eq!(
            flagged_at(None),
            ["privacy@example.com", "support.example.com/help?x=1"]
        );
        let config = Config::parse("select = [\"missing-file\"]", None).unwrap();
        let doc = Document::parse(TEXT, Format::Markdown);
        let found = Linter::new(&config).check(&doc);
        assert_eq!(found[0].suggestions, ["mailto:privacy@example.com"]);
        let fix = found[0].fix.as_ref().unwrap();
        assert!(!fix.safe);
        assert_eq!(
            (fix.edits[0].span.len(), fix.edits[0].text.as_str()),
            (0, "mailto:")
        );
    }
}
