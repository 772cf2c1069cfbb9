//! `--output-format github`: GitHub Actions workflow commands, which show
//! each finding as an annotation on the pull request.

use std::io::{self, Write};

use super::{FileReport, Location};
use crate::rules::Severity;
use crate::syntax::LineIndex;

pub fn write(reports: &[FileReport<'_>], out: &mut dyn Write) -> io::Result<()> {
    for report in reports {
        let index = LineIndex::new(report.text);
        for d in report.diagnostics {
            let at = Location::of(&index, report.text, d.span);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(report.path),
                at.line,
                at.column,
                at.end_line,
                at.end_column,
                escape_property(d.rule.name),
                escape_data(&d.message)
            )?;
        }
    }
    Ok(())
}

/// The escaping GitHub's workflow commands require in a message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// …and in a property value, where `:` and `,` separate fields.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
