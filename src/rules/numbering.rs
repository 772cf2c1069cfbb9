use std::borrow::Cow;
use std::cell::RefCell;
use std::hash::Hash;

use crate::hashing::{FastMap, FastSet};

use crate::rules::{
    Category, Check, DocumentContext, Finding, Fix, Severity, dangling_reference, declare_rule,
    renumber,
};
use crate::syntax::{
    BlockKind, Document, Form, Format, Label, Numeral, Scheme, SectionKind, SectionNumber, Span,
};

declare_rule! {
    /// ## What it checks
    /// Section and item numbers that do not count properly:
    /// - a number that skips (1, 2, 4), repeats (2, 2) or goes backwards;
    /// - a sub-section numbered under the wrong parent (2.1 under 3) or that
    ///   skips a level (1.1.1 right under 1);
    /// - numbering schemes mixed at one level (A, B, 3).
    ///
    /// Headings are compared with their siblings in the outline; numbered
    /// list items and numbered paragraphs with the items around them, with
    /// nested lists ((a) inside 1., (i) inside (a)) followed as such. In
    /// plain text, numbers count with the numbers at their indentation (a
    /// list indented under section 2.1 does not interrupt sections 2 and
    /// 3), and an `i` after `h` opens a list of Roman numerals when `ii`
    /// follows it.
    ///
    /// Not reported: a list that starts again at 1 (or 0: a second document
    /// after the first); a Markdown list numbered 1, 1, 1, which its
    /// renderer numbers; a number that seems skipped but is written in the
    /// text before ("… G. Preserve. H. Include …" then "I.") or with a
    /// malformed label ("b)" among "(a)" and "(c)"); `3a.` after `2.` (item
    /// 3 and its sub-item a); `1.0.1.` inserted before `1.1.`; `4.0 Fees`,
    /// which numbers section 4 itself.
    ///
    /// ## Why it matters
    /// Policies are cited by number: "as set out in section 4.2". A skipped
    /// or repeated number makes citations ambiguous and suggests that a
    /// clause was deleted or pasted twice; courts and auditors notice.
    ///
    /// ## Example
    /// ```text
    /// 1. Scope
    /// 2. Definitions
    /// 4. Obligations
    /// ```
    /// Section 3 is missing, or 4 should be 3. The fix (unsafe: an author
    /// decides) renumbers the headings that follow, the sections inside
    /// them (4.1 becomes 3.1) and every reference of the document that
    /// points at one of them ("see Section 4" becomes "see Section 3");
    /// references to other documents are left alone. In the editor it is
    /// the finding's quick fix; on the command line, `--unsafe-fixes`.
    pub static RULE = Rule {
        name: "numbering",
        category: Category::Structure,
        severity: Severity::Warning,
        summary: "Section numbers that skip, repeat, go backwards, nest wrongly or mix schemes",
        english_only: false,
        // The references, for the fix that renumbers (see `renumber`).
        check: Check::Document {
            collect: Some(crate::rules::dangling_reference::collect),
            check,
        },
    };
}

fn check(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) {
    // The outline and, for the fix that renumbers, the references and
    // what they point at.
    let reads = |index| dangling_reference::read(cx, index);
    cx.memo()
        .found
        .numbering
        .lock()
        .check(cx, false, reads, out, |out| find(cx, out));
}

/// The findings, and the text read between numbers for the numbers a
/// sequence seems to skip (`Stream::skipped_are_written`).
fn find(cx: &DocumentContext<'_>, out: &mut Vec<Finding>) -> Vec<Span> {
    let doc = cx.doc;
    let before = out.len();
    let mut searched = Vec::new();
    numbers(doc, out, &mut searched);
    // The first finding on a heading offers to renumber them all.
    let numbers: FastSet<Span> = doc
        .headings
        .iter()
        .filter_map(|h| h.number.as_ref().map(|n| n.span))
        .collect();
    if let Some(first) = out[before..].iter_mut().find(|f| numbers.contains(&f.span)) {
        let references = cx.references().zip(cx.resolutions().iter().copied());
        let edits = renumber::edits(doc, references);
        if !edits.is_empty() {
            first.fix = Some(
                Fix::unsafe_(edits)
                    .titled("Renumber the sections that follow and the references to them"),
            );
        }
    }
    searched
}

fn numbers(doc: &Document, out: &mut Vec<Finding>, searched: &mut Vec<Span>) {
    match doc.format {
        Format::Markdown => {
            heading_siblings(doc, out);
            markdown_items(doc, out, searched);
        }
        // Plain text has no explicit hierarchy: numbers and their
        // indentation tell which heading or paragraph continues which, so
        // all of them form one stream.
        Format::Plain => {
            let mut numbers: Vec<(usize, Counted<'_>)> = doc
                .headings
                .iter()
                .filter_map(|h| h.number.as_ref().map(|n| (h.block, n, h.indent, true)))
                .chain(
                    doc.items
                        .iter()
                        .map(|i| (i.block, &i.number, i.indent, false)),
                )
                .flat_map(|(block, n, indent, heading)| {
                    Counted::of(n, block, indent, heading)
                        .into_iter()
                        .map(move |c| (block, c))
                })
                .collect();
            numbers.sort_by_key(|&(block, _)| block);
            let numbers: Vec<Counted<'_>> = numbers.into_iter().map(|(_, c)| c).collect();
            let mut stream = Stream::new(doc);
            for (i, n) in numbers.iter().enumerate() {
                stream.push(n, numbers.get(i + 1), out);
            }
            searched.extend(stream.searched.into_inner());
        }
    }
}

/// A number as the rule counts it: `4.0` (numbering section 4 itself) as
/// `4`, the compound `3a` as `3` and then `a`; numbers inserted with a zero
/// (`1.0.1`) not at all.
struct Counted<'n> {
    /// The number as counted: the number as written, unless that is
    /// counted otherwise.
    number: Cow<'n, SectionNumber>,
    /// The number as written: where findings point and what they quote.
    written: &'n SectionNumber,
    /// The block that holds it.
    block: usize,
    indent: usize,
    heading: bool,
}

impl<'n> Counted<'n> {
    fn of(
        written: &'n SectionNumber,
        block: usize,
        indent: usize,
        heading: bool,
    ) -> Vec<Counted<'n>> {
        if written.is_inserted() {
            return Vec::new();
        }
        let counted = |number| Counted {
            number,
            written,
            block,
            indent,
            heading,
        };
        if !written.compound && !written.zero_is_own_section {
            return vec![counted(Cow::Borrowed(written))];
        }
        let mut number = written.clone();
        number.parts = written.canonical().into();
        number.zero_is_own_section = false;
        if !written.compound {
            return vec![counted(Cow::Owned(number))];
        }
        let letter = number.parts.pop().expect("a compound has a letter");
        number.compound = false;
        let sub = SectionNumber {
            parts: smallvec::smallvec![letter],
            compound: false,
            ..number.clone()
        };
        vec![counted(Cow::Owned(number)), counted(Cow::Owned(sub))]
    }

    /// The number in the style it is written in: `5.0` after `4.0`.
    fn render(&self, number: &SectionNumber) -> String {
        if self.written.zero_is_own_section {
            format!("{}.0", number.display())
        } else {
            number.display()
        }
    }
}

/// What makes numbers belong to the same sequence.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Family {
    label: Option<Label>,
    /// `(b)` and `b)` count together: a list that mixes them has a
    /// malformed label, not two lists.
    parenthesized: bool,
    depth: usize,
    /// `None` for digits, else whether the letters are capitals.
    letters: Option<bool>,
}

fn family(n: &SectionNumber) -> Family {
    Family {
        label: n.label,
        parenthesized: n.form != Form::Dotted,
        depth: n.parts.len(),
        letters: match n.last() {
            Numeral::Digits(_) => None,
            Numeral::Letters { upper, .. } => Some(*upper),
        },
    }
}

fn same_prefix(a: &SectionNumber, b: &SectionNumber) -> bool {
    let (pa, pb) = (&a.parts[..a.parts.len() - 1], &b.parts[..b.parts.len() - 1]);
    pa.len() == pb.len() && pa.iter().zip(pb).all(|(x, y)| x.same_as(y))
}

fn all_digits(n: &SectionNumber) -> bool {
    n.parts.iter().all(|p| p.digits().is_some())
}

/// Columns by which the indentations of two numbers of one list may
/// differ: numbers aligned on their right (" 9." over "10.").
const INDENT_SLACK: usize = 1;

/// Whether two numbers are at one level of indentation. Headings are
/// compared with headings whatever their indentation (a centred heading's
/// depends on its length).
fn aligned(a: &Counted<'_>, b: &Counted<'_>) -> bool {
    (a.heading && b.heading) || a.indent.abs_diff(b.indent) <= INDENT_SLACK
}

/// How `n` compares with `last` under `scheme`. After a repeated number
/// ("4, 4") the one after it may also be two up ("4, 4, 6"): the repeat was
/// the slip, and it is reported alone.
fn compare(
    last: &SectionNumber,
    n: &SectionNumber,
    scheme: Scheme,
    after_repeat: bool,
) -> Option<Step> {
    let prev = last.last().value(scheme)?;
    let value = n.last().value(scheme)?;
    Some(
        if value == prev + 1 || (after_repeat && value == prev + 2) {
            Step::Next
        } else if value == prev {
            Step::Repeat
        } else if value < prev {
            Step::Back
        } else {
            Step::Skip
        },
    )
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Step {
    Next,
    Repeat,
    Back,
    Skip,
}

/// The number that should follow `last` under `scheme`.
fn successor(last: &SectionNumber, scheme: Scheme) -> SectionNumber {
    successor_by(last, scheme, 1)
}

/// The number `by` after `last` under `scheme`.
fn successor_by(last: &SectionNumber, scheme: Scheme, by: u32) -> SectionNumber {
    let value = last.last().value(scheme).unwrap_or(0) + by;
    let mut copy = last.clone();
    let upper = matches!(copy.last(), Numeral::Letters { upper: true, .. });
    let next = match scheme {
        Scheme::Arabic => Numeral::Digits(value),
        _ => Numeral::Letters {
            text: Numeral::render(scheme, value).to_lowercase().into(),
            upper,
        },
    };
    *copy.parts.last_mut().expect("numbers have parts") = next;
    copy
}

fn report(out: &mut Vec<Finding>, last: &Counted<'_>, n: &Counted<'_>, scheme: Scheme, step: Step) {
    let (this, prev) = (n.written.display(), last.render(&last.number));
    let next = successor(&last.number, scheme);
    let expected = last.render(&next);
    let message = match step {
        Step::Next => return,
        Step::Repeat => format!("`{this}` repeats the number before it; expected {expected}"),
        Step::Back => format!("`{this}` goes back after {prev}; expected {expected}"),
        Step::Skip => format!("`{this}` skips {expected} (after {prev})"),
    };
    let suggestion = if last.written.zero_is_own_section {
        format!("{expected}{}", if n.written.final_dot { "." } else { "" })
    } else {
        next.written()
    };
    out.push(Finding::new(n.written.span, message).with_suggestion(suggestion));
}

/// The scheme in which most of `numbers` can be read (ties go to the
/// reading with the smaller values: `I` is one, `C` is three).
fn choose_scheme<'n>(numbers: impl Iterator<Item = &'n SectionNumber> + Clone) -> Option<Scheme> {
    let candidates = [
        Scheme::Arabic,
        Scheme::Alpha { upper: true },
        Scheme::Alpha { upper: false },
        Scheme::Roman { upper: true },
        Scheme::Roman { upper: false },
    ];
    candidates
        .into_iter()
        .map(|s| {
            let readable = numbers
                .clone()
                .filter(|n| n.last().value(s).is_some())
                .count();
            let total: u64 = numbers
                .clone()
                .filter_map(|n| n.last().value(s))
                .map(u64::from)
                .sum();
            (s, readable, total)
        })
        .filter(|&(_, readable, _)| readable > 0)
        .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
        .map(|(s, _, _)| s)
}

/// Markdown headings: each numbered heading against its siblings.
fn heading_siblings(doc: &Document, out: &mut Vec<Finding>) {
    let outline = &doc.outline;
    let groups = outline.sibling_groups();
    let counted = |section: usize| match outline.sections[section].kind {
        SectionKind::Heading(h) => doc.headings[h]
            .number
            .as_ref()
            .map_or_else(Vec::new, |n| Counted::of(n, doc.headings[h].block, 0, true)),
        SectionKind::RunIn(_) => Vec::new(),
    };
    for (parent, children) in groups {
        let parent_number = parent.and_then(|p| counted(p).into_iter().next());
        let numbers: Vec<Counted<'_>> = children
            .iter()
            .filter_map(|&c| counted(c).into_iter().next())
            .collect();
        check_siblings(&numbers, parent_number.as_ref(), out);
    }
}

fn check_siblings(numbers: &[Counted<'_>], parent: Option<&Counted<'_>>, out: &mut Vec<Finding>) {
    // Group by family and by prefix: "1.1, 1.2" and "2.1" at one level are
    // two sequences.
    let mut groups: Vec<(Family, &Counted<'_>, Vec<&Counted<'_>>)> = Vec::new();
    for n in numbers {
        let f = family(&n.number);
        // Letters and digits at one level are one sequence that mixes
        // schemes ("A, B, 3").
        match groups.iter_mut().find(|(gf, first, _)| {
            gf.label == f.label
                && gf.parenthesized == f.parenthesized
                && gf.depth == f.depth
                && same_prefix(&first.number, &n.number)
        }) {
            Some((_, _, members)) => members.push(n),
            None => groups.push((f, n, vec![n])),
        }
    }
    // Numbers already reported, by position in `numbers`.
    let mut reported: Vec<usize> = Vec::new();
    let index_of = |n: &Counted<'_>| numbers.iter().position(|m| std::ptr::eq(m, n));
    for (_, _, members) in &groups {
        let Some(scheme) = choose_scheme(members.iter().map(|m| &*m.number)) else {
            continue;
        };
        let mut last: Option<&Counted<'_>> = None;
        let mut after_repeat = false;
        for &n in members {
            if n.number.last().value(scheme).is_none() {
                out.push(Finding::new(
                    n.written.span,
                    format!(
                        "`{}` breaks the numbering of its siblings, which use {}",
                        n.written.display(),
                        scheme.describe()
                    ),
                ));
                reported.extend(index_of(n));
                continue;
            }
            let step = last.and_then(|prev| compare(&prev.number, &n.number, scheme, after_repeat));
            if let (Some(prev), Some(step)) = (last, step) {
                if step != Step::Next {
                    report(out, prev, n, scheme, step);
                    reported.extend(index_of(n));
                }
            }
            after_repeat = step == Some(Step::Repeat);
            last = Some(n);
        }
    }
    // Dotted numbers against their parent: the parent section, or else the
    // preceding sibling one level up ("## 1." then "## 1.1").
    for (i, n) in numbers.iter().enumerate() {
        let depth = n.number.parts.len();
        if depth < 2 || !all_digits(&n.number) || reported.contains(&i) {
            continue;
        }
        let up = parent.filter(|p| p.number.parts.len() < depth).or_else(|| {
            numbers[..i]
                .iter()
                .rev()
                .find(|p| p.number.parts.len() < depth)
        });
        if let Some(up) = up {
            check_parent(up, n, out);
        }
    }
}

/// `n` (dotted, all digits) under `parent`.
fn check_parent(parent: &Counted<'_>, n: &Counted<'_>, out: &mut Vec<Finding>) {
    let (p, m) = (&parent.number, &n.number);
    if !all_digits(p) {
        return;
    }
    let depth = m.parts.len();
    if p.parts.len() + 1 < depth {
        out.push(Finding::new(
            n.written.span,
            format!(
                "`{}` skips a level under {}: expected a number with {} parts",
                n.written.display(),
                parent.written.display(),
                p.parts.len() + 1
            ),
        ));
    } else if p.parts.len() + 1 == depth && !p.parts.iter().zip(&m.parts).all(|(a, b)| a.same_as(b))
    {
        out.push(Finding::new(
            n.written.span,
            format!(
                "`{}` is numbered under {}",
                n.written.display(),
                parent.written.display()
            ),
        ));
    }
}

/// Markdown list items list by list, numbered paragraphs section by section.
fn markdown_items(doc: &Document, out: &mut Vec<Finding>, searched: &mut Vec<Span>) {
    let mut scopes: FastMap<(bool, usize), Vec<Counted<'_>>> = FastMap::default();
    let mut order = Vec::new();
    for item in &doc.items {
        let key = match item.list {
            Some(list) => (true, list),
            None => {
                let heading = doc.headings.partition_point(|h| h.block < item.block);
                (false, heading)
            }
        };
        let scope = scopes.entry(key).or_default();
        if scope.is_empty() {
            order.push(key);
        }
        scope.extend(Counted::of(&item.number, item.block, 0, false));
    }
    for key in order {
        let numbers = &scopes[&key];
        // "1. 1. 1.": the renderer numbers the list.
        let lazy = key.0
            && numbers
                .iter()
                .all(|n| n.number.parts == numbers[0].number.parts);
        if lazy {
            continue;
        }
        let mut stream = Stream::new(doc);
        for (i, n) in numbers.iter().enumerate() {
            stream.push(n, numbers.get(i + 1), out);
        }
        searched.extend(stream.searched.into_inner());
    }
}

/// A sequence being counted: the last number seen and how it counts.
struct Entry<'c, 'n> {
    family: Family,
    /// Undecided while the numbers seen read both ways (`(i)`, `(c)`).
    scheme: Option<Scheme>,
    last: &'c Counted<'n>,
    count: usize,
    /// The last number repeated the one before it.
    after_repeat: bool,
    /// The number before the last, when the last went back ("(b), (a)"):
    /// the one after may follow it instead ("(c)"), the slip reported once.
    before_slip: Option<&'c Counted<'n>>,
}

impl Entry<'_, '_> {
    fn schemes(&self) -> Vec<Scheme> {
        match self.scheme {
            Some(s) => vec![s],
            None => self.last.number.last().schemes().collect(),
        }
    }
}

/// The longest stretch of text searched for a number the sequence seems to
/// skip, in bytes.
const MAX_GAP_SEARCHED: usize = 20_000;

/// Follows numbers in order, with nested sequences: `1.`, `(a)`, `(b)`,
/// `(i)`, `(ii)`, `(c)`, `2.`.
struct Stream<'c, 'n> {
    doc: &'n Document,
    stack: Vec<Entry<'c, 'n>>,
    /// The stretches of text between numbers it read.
    searched: RefCell<Vec<Span>>,
}

impl<'c, 'n> Stream<'c, 'n> {
    fn new(doc: &'n Document) -> Stream<'c, 'n> {
        Stream {
            doc,
            stack: Vec::new(),
            searched: RefCell::default(),
        }
    }

    /// Whether a paragraph of text stands between two items: then a second
    /// "1." starts a list of its own.
    fn prose_between(&self, a: &Counted<'_>, b: &Counted<'_>) -> bool {
        !a.heading
            && !b.heading
            && self.doc.blocks[a.block + 1..b.block.max(a.block + 1)]
                .iter()
                .any(|block| block.kind == BlockKind::Paragraph)
    }

    /// Counts `n`; `next` is the number after it, which tells whether an
    /// `i` after `h` is a letter or opens a list of Roman numerals.
    fn push(&mut self, n: &'c Counted<'n>, next: Option<&Counted<'n>>, out: &mut Vec<Finding>) {
        let f = family(&n.number);
        let opens_roman = opens_roman_numerals(n, next);
        // 1. It continues an open sequence at its indentation, perhaps
        // over a number written inside the text before it ("… G. … H. …"
        // then "I.").
        // Numbers continue sequences of their own kind (items or headings)
        // at their indentation first; then of their kind at another
        // indentation (exports of lists often misalign their numbers);
        // then of the other kind (a numbered paragraph between numbered
        // headings).
        if !opens_roman {
            for (must_align, same_kind) in
                [(true, true), (false, true), (true, false), (false, false)]
            {
                for k in (0..self.stack.len()).rev() {
                    let e = &self.stack[k];
                    if e.family != f
                        || (must_align && !aligned(e.last, n))
                        || (same_kind && e.last.heading != n.heading)
                        || !same_prefix(&e.last.number, &n.number)
                    {
                        continue;
                    }
                    let continued = e.schemes().into_iter().find(|&s| {
                        let resumes = e.before_slip.is_some_and(|b| {
                            compare(&b.number, &n.number, s, false) == Some(Step::Next)
                        });
                        match compare(&e.last.number, &n.number, s, e.after_repeat) {
                            Some(Step::Next) => true,
                            Some(Step::Skip) => {
                                resumes || (must_align && self.skipped_are_written(e.last, n, s))
                            }
                            _ => resumes,
                        }
                    });
                    if let Some(scheme) = continued {
                        self.continue_at(k, scheme, n, Step::Next);
                        return;
                    }
                }
            }
        }
        // 2. It starts a sequence: a new list, or one nested in the last.
        // ("4.1" after "4.1" is a repeat, not a new list: only numbers
        // without a prefix start lists again.)
        let prefixed_sequence_open = n.number.parts.len() > 1
            && self.stack.iter().any(|e| {
                e.family == f && aligned(e.last, n) && same_prefix(&e.last.number, &n.number)
            });
        if let Some(scheme) = first_value(&n.number).filter(|_| !prefixed_sequence_open) {
            // (An item's list nests in a section: it does not end the
            // sequence of headings.)
            let top = self.stack.last().filter(|top| {
                top.family == f
                    && aligned(top.last, n)
                    && top.last.heading == n.heading
                    && top.schemes().contains(&scheme)
            });
            match top {
                // "1." right after "1." (or after "B."): a slip, not a list
                // of one.
                Some(top) if top.count < 2 && !self.prose_between(top.last, n) => {
                    let step =
                        compare(&top.last.number, &n.number, scheme, false).unwrap_or(Step::Repeat);
                    report(out, top.last, n, scheme, step);
                    let k = self.stack.len() - 1;
                    self.continue_at(k, scheme, n, step);
                }
                // A new list after a finished one, or a second document
                // after the first.
                Some(_) => {
                    self.stack.pop();
                    self.open(n, Some(scheme), out);
                }
                None => self.open(n, Some(scheme), out),
            }
            return;
        }
        // 3. It breaks an open sequence.
        for k in (0..self.stack.len()).rev() {
            let e = &self.stack[k];
            if e.family != f || !aligned(e.last, n) || !same_prefix(&e.last.number, &n.number) {
                continue;
            }
            let Some(scheme) = e
                .schemes()
                .into_iter()
                .find(|&s| n.number.last().value(s).is_some())
            else {
                continue;
            };
            let step =
                compare(&e.last.number, &n.number, scheme, e.after_repeat).unwrap_or(Step::Skip);
            report(out, e.last, n, scheme, step);
            self.continue_at(k, scheme, n, step);
            return;
        }
        // 4. A sequence that starts part-way (a quoted excerpt, say).
        let schemes: Vec<Scheme> = n.number.last().schemes().collect();
        let scheme = (schemes.len() == 1).then(|| schemes[0]);
        self.open(n, scheme, out);
    }

    /// Whether every number between `last` and `n` under `scheme` is
    /// written in the text between them: an item run into the line of the
    /// one before ("… Modified Version. H. Include …"), or with a malformed
    /// label ("b)" among "(a)" and "(c)", "b Each time …").
    fn skipped_are_written(&self, last: &Counted<'_>, n: &Counted<'_>, scheme: Scheme) -> bool {
        let from = last.written.span.end;
        let to = n.written.span.start;
        // (What is found depends on the length as well.)
        self.searched
            .borrow_mut()
            .push(Span::new(from, to.max(from)));
        if to <= from || to - from > MAX_GAP_SEARCHED {
            return false;
        }
        let gap = &self.doc.text[from..to];
        let (Some(a), Some(b)) = (
            last.number.last().value(scheme),
            n.number.last().value(scheme),
        ) else {
            return false;
        };
        let mut at = 0;
        for by in 1..(b - a) {
            let label = successor_by(&last.number, scheme, by).path();
            match find_label(&gap[at..], &label) {
                Some(end) => at += end,
                None => return false,
            }
        }
        true
    }

    /// `n` is the next number of the sequence `stack[k]`, whose nested
    /// sequences end.
    fn continue_at(&mut self, k: usize, scheme: Scheme, n: &'c Counted<'n>, step: Step) {
        self.stack.truncate(k + 1);
        let e = &mut self.stack[k];
        e.scheme = Some(scheme);
        e.before_slip = (step == Step::Back).then_some(e.last);
        e.last = n;
        e.count += 1;
        e.after_repeat = step == Step::Repeat;
    }

    fn open(&mut self, n: &'c Counted<'n>, scheme: Option<Scheme>, out: &mut Vec<Finding>) {
        if n.number.parts.len() >= 2 && all_digits(&n.number) {
            // The parent: a shallower or equally indented number above it,
            // and a heading for a heading (not an item of a list in the
            // section before).
            let parent = self.stack.iter().rev().map(|e| e.last).find(|p| {
                p.number.parts.len() < n.number.parts.len()
                    && all_digits(&p.number)
                    && p.number.form == n.number.form
                    && if n.heading {
                        p.heading
                    } else {
                        p.indent <= n.indent + INDENT_SLACK
                    }
            });
            if let Some(parent) = parent {
                check_parent(parent, n, out);
            }
        }
        self.stack.push(Entry {
            family: family(&n.number),
            scheme,
            last: n,
            count: 1,
            after_repeat: false,
            before_slip: None,
        });
    }
}

/// Where `label` (`H`, `c`, `4`) is written as a list label in `gap`:
/// `H.`, `(c)`, `c)`, or a bare letter starting a line ("b Each time"),
/// after white space and before white space. Returns the end of the match.
fn find_label(gap: &str, label: &str) -> Option<usize> {
    let bytes = gap.as_bytes();
    let mut from = 0;
    while let Some(k) = gap[from..].find(label) {
        let start = from + k;
        let end = start + label.len();
        from = end;
        let before = gap[..start].chars().next_back();
        let opened = before == Some('(');
        let before_ok = if opened {
            gap[..start - 1]
                .chars()
                .next_back()
                .is_none_or(char::is_whitespace)
        } else {
            before.is_none_or(char::is_whitespace)
        };
        if !before_ok {
            continue;
        }
        let after = bytes.get(end).copied();
        let closed = match after {
            Some(b'.') | Some(b')') => bytes.get(end + 1).is_none_or(u8::is_ascii_whitespace),
            // "b Each time": a bare label must start its line.
            Some(b' ') => {
                !opened
                    && gap[..start]
                        .rsplit('\n')
                        .next()
                        .is_some_and(|l| l.trim().is_empty())
                    && gap[end + 1..].starts_with(|c: char| c.is_uppercase())
            }
            _ => false,
        };
        if closed {
            return Some(end);
        }
    }
    None
}

/// An `i` (or `I`) followed by `ii`: the first of a list of Roman
/// numerals, not the letter after `h`.
fn opens_roman_numerals(n: &Counted<'_>, next: Option<&Counted<'_>>) -> bool {
    let Some(next) = next else {
        return false;
    };
    let roman = |c: &Counted<'_>| match c.number.last() {
        Numeral::Letters { upper, .. } => c.number.last().value(Scheme::Roman { upper: *upper }),
        Numeral::Digits(_) => None,
    };
    roman(n) == Some(1)
        && roman(next) == Some(2)
        && family(&n.number) == family(&next.number)
        && aligned(n, next)
}

/// The scheme in which `n` is the first number (0 or 1, a, A, i, I), if any.
fn first_value(n: &SectionNumber) -> Option<Scheme> {
    let last = n.last();
    last.schemes().find(|&s| match last.value(s) {
        Some(1) => true,
        Some(0) => s == Scheme::Arabic,
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{
        check, flagged, flagged_in, linter, moved_after_edits, replay_edits, small_edits,
    };
    use crate::syntax::Format;

    fn md(text: &str) -> Vec<String> {
        flagged_in(&RULE, text, Format::Markdown)
    }

    fn plain_numbers(lines: &[&str]) -> Vec<String> {
        let mut text = String::from("Title\n\n");
        for l in lines {
            text.push_str(l);
            text.push_str("\n\nBody text.\n\n");
        }
        flagged(&RULE, &text)
    }

    #[test]
    fn flags_gaps_repeats_and_going_back_in_headings() {
        assert_eq!(
            md("## 1. A\n\nx\n\n## 2. B\n\nx\n\n## 4. C\n\nx\n\n## 5. D\n\nx\n"),
            ["4."]
        );
        assert_eq!(md("## 1. A\n\nx\n\n## 1. B\n\nx\n\n## 2. C\n\nx\n"), ["1."]);
        assert_eq!(
            md("## 3. A\n\nx\n\n## 4. B\n\nx\n\n## 4. C\n\nx\n\n## 6. D\n\nx\n"),
            ["4."]
        );
        assert_eq!(
            md("### 8.1 A\n\nx\n\n### 8.2 B\n\nx\n\n### 8.2 C\n\nx\n\n### 8.3 D\n\nx\n"),
            ["8.2"]
        );
        assert_eq!(
            md("## A. A\n\nx\n\n## C. C\n\nx\n\n## B. B\n\nx\n"),
            ["C.", "B."]
        );
    }

    #[test]
    fn the_message_says_what_was_expected() {
        let d = check(&RULE, "## 1. A\n\nx\n\n## 3. C\n\nx\n", Format::Markdown);
        assert_eq!(d[0].message, "`3` skips 2 (after 1)");
        assert_eq!(d[0].suggestions, ["2."]);
        // Its fix renumbers, and needs the author's word.
        let fix = d[0].fix.as_ref().expect("a renumbering fix");
        assert!(!fix.safe);
        assert_eq!(fix.edits.len(), 1);
        assert_eq!(fix.edits[0].text, "2");
        // A skip among list items has no such fix.
        let d = check(&RULE, "# T\n\n1. a\n2. b\n4. c\n", Format::Markdown);
        assert_eq!(d.len(), 1);
        assert!(d[0].fix.is_none());
    }

    #[test]
    fn sub_sections_under_the_wrong_parent_or_skipping_a_level() {
        assert_eq!(md("## 2. A\n\nx\n\n### 3.1 B\n\nx\n"), ["3.1"]);
        assert_eq!(md("## 1. A\n\nx\n\n### 1.1.1 B\n\nx\n"), ["1.1.1"]);
        assert!(md("## 1. A\n\nx\n\n### 1.1 B\n\nx\n\n## 2. C\n\n### 2.1 D\n\nx\n").is_empty());
        assert!(
            md("## 1. A\n\nx\n\n## 1.1 B\n\nx\n\n## 1.2 C\n\nx\n\n## 2. D\n\nx\n\n## 2.1 E\n\nx\n")
                .is_empty()
        );
    }

    #[test]
    fn mixed_schemes_among_siblings() {
        assert_eq!(md("## A. a\n\nx\n\n## B. b\n\nx\n\n## 3. c\n\nx\n"), ["3."]);
    }

    #[test]
    fn roman_numerals_and_letters_are_told_apart() {
        assert!(
            md("## I. a\n\nx\n\n## II. b\n\nx\n\n## III. c\n\nx\n\n## IV. d\n\nx\n").is_empty()
        );
        assert!(md("## A. a\n\nx\n\n## B. b\n\nx\n\n## C. c\n\nx\n\n## D. d\n\nx\n").is_empty());
        assert_eq!(
            md("## I. a\n\nx\n\n## II. b\n\nx\n\n## IV. d\n\nx\n"),
            ["IV."]
        );
    }

    #[test]
    fn plain_text_headings_and_paragraphs_form_one_stream() {
        assert!(
            plain_numbers(&[
                "1. Scope",
                "1.1 Users",
                "1.2 Staff",
                "2. Fees",
                "2.1 Amounts"
            ])
            .is_empty()
        );
        assert_eq!(plain_numbers(&["1. Scope", "2. Fees", "4. Law"]), ["4."]);
        assert_eq!(
            plain_numbers(&["1. Scope", "1.1 Users", "1.3 Staff"]),
            ["1.3"]
        );
        assert_eq!(
            plain_numbers(&["1. Scope", "2. Fees", "1.1 Users"]),
            ["1.1"]
        );
        assert_eq!(plain_numbers(&["1. Scope", "1.1.1 Users"]), ["1.1.1"]);
        assert_eq!(
            plain_numbers(&["4. Scope", "4.1 Users", "4.1 Staff", "4.2 Fees"]),
            ["4.1"]
        );
        let text = "Title\n\nSummary:\n\n1. one thing;\n1. another;\n2. a third.\n";
        assert_eq!(flagged(&RULE, text), ["1."]);
        let text = "Title\n\nSteps:\n\n1. a;\n2. b;\n2. c;\n4. d.\n";
        assert_eq!(flagged(&RULE, text), ["2."]);
    }

    #[test]
    fn nested_letter_and_roman_items() {
        let text = "Title\n\n1. The user must:\n(a) be an adult;\n(b) agree:\n(i) to this;\n(ii) to that;\n(c) pay.\n\n2. Other text.\n(a) again;\n(b) fine.\n";
        assert!(flagged(&RULE, text).is_empty());
        let text = "Title\n\nRules:\n(a) one;\n(b) two;\n(d) four.\n";
        assert_eq!(flagged(&RULE, text), ["(d)"]);
        let text = "Title\n\nRules:\n(a) one;\n(b) two;\n(h) eight;\n(i) nine.\n";
        assert_eq!(flagged(&RULE, text), ["(h)"]);
    }

    #[test]
    fn markdown_lists() {
        assert_eq!(md("Steps:\n\n1. one\n2. two\n4. four\n"), ["4."]);
        assert!(md("Steps:\n\n1. one\n1. two\n1. three\n").is_empty());
        assert!(md("Steps:\n\n1. one\n2. two\n\nMore:\n\n1. again\n2. fine\n").is_empty());
        assert!(md("Steps:\n\n3. three\n4. four\n").is_empty());
    }

    #[test]
    fn a_new_list_may_start_again_at_one() {
        let text = "Title\n\nFirst:\n1. a\n2. b\n\nText.\n\nSecond:\n1. c\n2. d\n";
        assert!(flagged(&RULE, text).is_empty());
    }

    #[test]
    fn lists_indented_in_a_section_do_not_break_its_numbering() {
        let text = "Charter\n\n1. Scope\n\n   Text.\n\n2. Bodies\n\n   Made by:\n    1. the members;\n    2. the board.\n\n  2.1. Rules\n\n    1. One rule.\n    2. Another rule.\n\n3. Members\n\n   Text.\n";
        assert!(flagged(&RULE, text).is_empty());
        // A slip inside such a list is still found.
        let text = "Charter\n\n1. Scope\n\n   Made by:\n    1. the members;\n    3. the board.\n\n2. Fees\n\n   Text.\n";
        assert_eq!(flagged(&RULE, text), ["3."]);
    }

    #[test]
    fn i_after_h_is_a_roman_numeral_when_ii_follows() {
        let text =
            "Title\n\nRules:\n(g) one;\n(h) two:\n(i) sub one;\n(ii) sub two;\n(ii) sub three.\n";
        assert_eq!(flagged(&RULE, text), ["(ii)"]);
        let text = "Title\n\nRules:\n(g) one;\n(h) two;\n(i) three;\n(j) four.\n";
        assert!(flagged(&RULE, text).is_empty());
    }

    #[test]
    fn a_number_written_inside_the_text_before_is_not_skipped() {
        // "H." runs on the line of "G."; "b)" lost its parenthesis.
        let text = "Title\n\nYou must:\nG. Preserve the notices. H. Include this License.\nI. Preserve the history.\nJ. Preserve the location.\n";
        assert!(flagged(&RULE, text).is_empty());
        let text = "Title\n\nRules:\n(a) one;\nb) two;\n(c) three.\n";
        assert!(flagged(&RULE, text).is_empty());
        let text = "Title\n\nRules:\na. one;\nb. two;\nd. four.\n";
        assert_eq!(flagged(&RULE, text), ["d."]);
    }

    #[test]
    fn restarts_inserted_numbers_and_sections_numbered_n_0() {
        // A second licence appended to the first starts again at 0.
        let text = "Title\n\nTerms:\n\n0. Apply.\n\n1. Copy.\n\n2. Change.\n\nAnother licence\n\n0. Apply.\n\n1. Copy.\n";
        assert!(flagged(&RULE, text).is_empty());
        // "1.0.1" inserted between "1." and "1.1", as MPL-derived texts do.
        let text = "Title\n\n1. Definitions.\n\n1.0.1. \"Use\" means use.\n\n1.1. \"Code\" means code.\n\n2. Grant.\n\nText.\n";
        assert!(flagged(&RULE, text).is_empty());
        // "4.0" numbers section 4 itself.
        let text = "Title\n\n1.0 Definitions\n\n1.1 Words mean things here and there.\n\n2.0 Grant\n\n2.1 The grant is made to you.\n\n4.0 Law\n\nText.\n";
        let found = check(&RULE, text, Format::Plain);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].message, "`4.0` skips 3.0 (after 2.0)");
        assert_eq!(found[0].suggestions, ["3.0"]);
    }

    #[test]
    fn compound_labels_and_lists_after_prose() {
        let text = "Title\n\nSteps:\n\n     2. Ask the maintainer whether the work is maintained.\n\n     3a. If the maintainer agrees, the work passes to you.\n\n     b. If the maintainer does not answer, announce it.\n\n     4. Wait three months before you take it over.\n";
        assert!(flagged(&RULE, text).is_empty());
        let text = "Title\n\nAdditions:\n1. Keep the notice.\n\nOriginal terms follow.\n\nConditions:\n1. Keep the notice.\n2. Keep the list.\n";
        assert!(flagged(&RULE, text).is_empty());
    }

    #[test]
    fn a_list_whose_numbers_are_misaligned_counts_on() {
        let text = "Title\n\nSteps:\n\n   1. prerm remove\n\n2. The files are removed, except the configuration files.\n\n   3. postrm remove\n\n4. The scripts are removed, except the postrm script.\n";
        assert!(flagged(&RULE, text).is_empty());
    }

    /// Numbers that skip, repeat, are written in the text between
    /// ("G." and "H.") and are cited, in plain text and in Markdown; the
    /// paragraphs of prose are too long to be titles of their own.
    const COUNTED: &str = "Terms\n\n1. Scope\n\nWe collect data. See Section 3 and Section 4.\n\n2. Fees\n\n(a) one;\n(b) two;\n(d) four.\n\nF. Keep the notice.\n\nAlso keep these. G. Preserve the title. H. Include the history.\n\nI. Keep the section.\n\n4. Law\n\nText here about the law, which holds for every part of these terms.\n\n4. Again\n\nMore text here, on the parts that come after this one.\n";

    fn markdown_counted() -> String {
        COUNTED
            .replace("1. Scope", "## 1. Scope")
            .replace("2. Fees", "## 2. Fees")
            .replace("4. Law", "## 4. Law")
            .replace("4. Again", "## 4. Again")
    }

    #[test]
    fn an_edit_away_from_the_numbers_moves_the_last_findings() {
        // (replaced, by, moved: the last findings moved rather than
        // counted again).
        let edits = [
            ("Text here", "Some text here", true),
            ("More text", "More text, longer", true),
            // The paragraph's references stay as they were.
            ("collect", "gather", true),
            ("Preserve", "Keep", false),
            ("Section 3", "Section 2", false),
            ("(b) two", "(c) two", false),
            ("these terms.", "these terms.\n\nA new paragraph.", false),
            ("4. Again", "5. Again", false),
            ("Some text", "Text", true),
        ];
        moved_after_edits(&RULE, COUNTED, Format::Plain, &edits);
        moved_after_edits(&RULE, &markdown_counted(), Format::Markdown, &edits);
    }

    #[test]
    fn the_renumbering_fix_follows_a_title_that_a_reference_gives() {
        // The reference gives the title of a line of its own, which it
        // points at rather than at section 3 (renumbered 2) until that
        // line's title changes.
        let text = "# T\n\n## 1. Scope\n\nSee Section 3 (\"Fees\") now.\n\n## 3. Fees\n\nText.\n\nFees\n\nMore.\n";
        let edits = [("Fees\n\nMore", "Fee list\n\nMore", false)];
        moved_after_edits(&RULE, text, Format::Markdown, &edits);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Small edits anywhere, numbers and the text between them
        /// included: the findings equal a fresh check's after each.
        #[test]
        fn findings_after_small_edits_equal_a_fresh_check(
            edits in small_edits("a-zA-Z0-9 .()\n"),
            markdown in proptest::prelude::any::<bool>(),
        ) {
            let (text, format) = if markdown {
                (markdown_counted(), Format::Markdown)
            } else {
                (COUNTED.to_string(), Format::Plain)
            };
            replay_edits(&linter(&RULE), text, edits, format)?;
        }
    }

    #[test]
    fn two_numbers_out_of_order_are_one_slip() {
        let text = "Title\n\nRules:\n(b) two;\n(a) one;\n(c) three.\n";
        let found = check(&RULE, text, Format::Plain);
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["`(a)` goes back after (b); expected (c)"]);
    }
}
