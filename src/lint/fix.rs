//! Applying fixes to a text.
//!
//! Fixes are applied in order of position; a fix whose edits overlap an
//! earlier one waits for the next round. Rounds repeat (parse, check, fix)
//! until nothing changes, so that fixes which only fit after others still
//! land and a second run finds nothing to fix.

use crate::lint::Linter;
use crate::rules::{Diagnostic, Edit};
use crate::syntax::{Document, Format};

/// Which fixes to apply.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FixMode {
    /// Only fixes marked safe.
    Safe,
    /// Every fix.
    All,
}

/// The most rounds of fixing: each round applies every fix that does not
/// overlap another, so a handful is plenty; the bound stops any ping-pong.
const MAX_ROUNDS: usize = 8;

/// The outcome of fixing a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// How many findings were fixed.
    pub fixes: usize,
}

/// Fixes `text` with `linter` until no applicable fix is left.
pub fn fix_text(text: &str, format: Format, linter: &Linter, mode: FixMode) -> Fixed {
    let mut current = text.to_string();
    let mut fixes = 0;
    for _ in 0..MAX_ROUNDS {
        let doc = Document::parse(current.as_str(), format);
        let diagnostics = linter.check(&doc);
        let (next, applied) = apply(&doc.text, &diagnostics, mode);
        if applied == 0 {
            break;
        }
        fixes += applied;
        current = next;
    }
    Fixed {
        text: current,
        fixes,
    }
}

/// Applies the fixes of `diagnostics` that `mode` allows and that do not
/// overlap one applied before; returns the new text and how many applied.
pub fn apply(text: &str, diagnostics: &[Diagnostic], mode: FixMode) -> (String, usize) {
    let mut fixes: Vec<&[Edit]> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.safe || mode == FixMode::All)
        .map(|f| f.edits.as_slice())
        .filter(|edits| !edits.is_empty())
        .collect();
    fixes.sort_by_key(|edits| edits.iter().map(|e| e.span.start).min());
    let mut chosen: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for edits in fixes {
        let clashes = edits.iter().any(|e| {
            chosen.iter().any(|c| {
                e.span.intersects(c.span)
                    || (e.span.start == c.span.start && e.span.is_empty() == c.span.is_empty())
            })
        });
        if clashes {
            continue;
        }
        chosen.extend(edits);
        applied += 1;
    }
    chosen.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in chosen {
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.text);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn linter() -> Linter {
        Linter::new(&Config::default())
    }

    #[test]
    fn safe_fixes_apply_and_leave_nothing_to_fix() {
        let text = "Title\n\nWe recieve the the request for an policy.\n";
        let fixed = fix_text(text, Format::Plain, &linter(), FixMode::Safe);
        assert_eq!(
            fixed.text,
            "Title\n\nWe receive the request for a policy.\n"
        );
        assert_eq!(fixed.fixes, 3);
        let again = fix_text(&fixed.text, Format::Plain, &linter(), FixMode::Safe);
        assert_eq!(again.fixes, 0);
        assert_eq!(again.text, fixed.text);
    }

    #[test]
    fn unsafe_fixes_only_when_asked() {
        let text = "# T\n\n## A\n\nx\n\n#### B\n\ny\n";
        let safe = fix_text(text, Format::Markdown, &linter(), FixMode::Safe);
        assert_eq!(safe.fixes, 0);
        let all = fix_text(text, Format::Markdown, &linter(), FixMode::All);
        assert_eq!(all.text, "# T\n\n## A\n\nx\n\n### B\n\ny\n");
    }

    #[test]
    fn overlapping_fixes_take_turns() {
        let text = "Title\n\nIt is the the the end and and done.\n";
        let fixed = fix_text(text, Format::Plain, &linter(), FixMode::Safe);
        assert_eq!(fixed.text, "Title\n\nIt is the end and done.\n");
    }
}
