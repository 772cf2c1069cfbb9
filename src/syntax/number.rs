//! Section numbers: `1.`, `1.2.3`, `IV.`, `A.`, `(a)`, `(iv)`, `3)`,
//! `Article 5`, `Section 3`, `Chapter II`, `Part B`, `§ 4`, `Annex A`.

use super::Span;

/// The word in front of a labelled number.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    Part,
    Chapter,
    Article,
    Section,
    Clause,
    Paragraph,
    Annex,
    Appendix,
    Schedule,
    Exhibit,
    Addendum,
}

impl Label {
    /// The label a word names, singular or plural, full or abbreviated
    /// (`"Sections"`, `"art"`, `"§§"`); case does not matter.
    pub fn from_word(word: &str) -> Option<Label> {
        // Called on every word of a text: reject most at the first letter.
        let first = *word.as_bytes().first()?;
        let may_be_label = matches!(first | 0x20, b'p' | b'c' | b'a' | b's' | b'e')
            || first == 0xc2 // the lead byte of § and ¶
            ;
        if !may_be_label || word.len() > 10 {
            return None;
        }
        let mut buffer = [0u8; 12];
        let label = match super::token::ascii_lowered(word, &mut buffer)? {
            "part" | "parts" | "pt" => Label::Part,
            "chapter" | "chapters" | "ch" | "chap" => Label::Chapter,
            "article" | "articles" | "art" | "arts" => Label::Article,
            "section" | "sections" | "sec" | "secs" | "§" | "§§" => Label::Section,
            "clause" | "clauses" => Label::Clause,
            "paragraph" | "paragraphs" | "para" | "paras" | "¶" => Label::Paragraph,
            "annex" | "annexes" => Label::Annex,
            "appendix" | "appendices" | "appendixes" => Label::Appendix,
            "schedule" | "schedules" => Label::Schedule,
            "exhibit" | "exhibits" => Label::Exhibit,
            "addendum" | "addenda" => Label::Addendum,
            _ => return None,
        };
        Some(label)
    }

    pub fn name(self) -> &'static str {
        match self {
            Label::Part => "Part",
            Label::Chapter => "Chapter",
            Label::Article => "Article",
            Label::Section => "Section",
            Label::Clause => "Clause",
            Label::Paragraph => "Paragraph",
            Label::Annex => "Annex",
            Label::Appendix => "Appendix",
            Label::Schedule => "Schedule",
            Label::Exhibit => "Exhibit",
            Label::Addendum => "Addendum",
        }
    }

    /// Labels a reader may use for any numbered division of a document
    /// ("see section 4" where the headings read "4. Fees").
    pub fn is_generic(self) -> bool {
        matches!(self, Label::Section | Label::Clause | Label::Paragraph)
    }
}

/// One component of a section number.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Numeral {
    Digits(u32),
    /// Letters, lowercased, with the case they were written in: `a`, `iv`,
    /// `aa`. Whether they are a letter or a Roman numeral is decided by the
    /// sequence they appear in (see [`Scheme`]).
    Letters {
        text: Box<str>,
        upper: bool,
    },
}

/// How a run of sibling numbers counts.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    Arabic,
    Alpha { upper: bool },
    Roman { upper: bool },
}

impl Scheme {
    pub fn describe(self) -> &'static str {
        match self {
            Scheme::Arabic => "numbers (1, 2, 3)",
            Scheme::Alpha { upper: true } => "capital letters (A, B, C)",
            Scheme::Alpha { upper: false } => "letters (a, b, c)",
            Scheme::Roman { upper: true } => "Roman numerals (I, II, III)",
            Scheme::Roman { upper: false } => "Roman numerals (i, ii, iii)",
        }
    }
}

impl Numeral {
    /// Value as a letter: `a` = 1 … `z` = 26, `aa` = 27, `bb` = 28 …
    pub fn alpha(&self) -> Option<u32> {
        let Numeral::Letters { text, .. } = self else {
            return None;
        };
        alpha_value(text)
    }

    /// Value as a Roman numeral, if the letters form a canonical one.
    pub fn roman(&self) -> Option<u32> {
        let Numeral::Letters { text, .. } = self else {
            return None;
        };
        roman_value(text)
    }

    pub fn digits(&self) -> Option<u32> {
        match self {
            Numeral::Digits(n) => Some(*n),
            Numeral::Letters { .. } => None,
        }
    }

    /// The value under `scheme`, if the numeral can be read that way.
    pub fn value(&self, scheme: Scheme) -> Option<u32> {
        match (scheme, self) {
            (Scheme::Arabic, Numeral::Digits(n)) => Some(*n),
            (Scheme::Alpha { upper }, Numeral::Letters { upper: u, .. }) if upper == *u => {
                self.alpha()
            }
            (Scheme::Roman { upper }, Numeral::Letters { upper: u, .. }) if upper == *u => {
                self.roman()
            }
            _ => None,
        }
    }

    /// The schemes this numeral can belong to.
    pub fn schemes(&self) -> impl Iterator<Item = Scheme> + '_ {
        let upper = matches!(self, Numeral::Letters { upper: true, .. });
        [
            Scheme::Arabic,
            Scheme::Alpha { upper },
            Scheme::Roman { upper },
        ]
        .into_iter()
        .filter(move |&s| self.value(s).is_some())
    }

    /// Same number, however written: `IV` matches `iv`; digits match digits.
    pub fn same_as(&self, other: &Numeral) -> bool {
        match (self, other) {
            (Numeral::Digits(a), Numeral::Digits(b)) => a == b,
            (Numeral::Letters { text: a, .. }, Numeral::Letters { text: b, .. }) => a == b,
            (Numeral::Digits(a), letters) | (letters, Numeral::Digits(a)) => {
                letters.roman() == Some(*a) && letters.alpha() != Some(*a)
            }
        }
    }

    /// The numeral written in `scheme` with `value`.
    pub fn render(scheme: Scheme, value: u32) -> String {
        match scheme {
            Scheme::Arabic => value.to_string(),
            Scheme::Alpha { upper } => {
                if value == 0 {
                    return "0".into();
                }
                let letter = (b'a' + ((value - 1) % 26) as u8) as char;
                let repeat = ((value - 1) / 26 + 1) as usize;
                let s: String = std::iter::repeat_n(letter, repeat).collect();
                if upper { s.to_uppercase() } else { s }
            }
            Scheme::Roman { upper } => {
                let s = to_roman(value);
                if upper { s.to_uppercase() } else { s }
            }
        }
    }
}

impl std::fmt::Display for Numeral {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Numeral::Digits(n) => write!(f, "{n}"),
            Numeral::Letters { text, upper: true } => write!(f, "{}", text.to_uppercase()),
            Numeral::Letters { text, upper: false } => write!(f, "{text}"),
        }
    }
}

/// How the number is written around its components.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Form {
    /// `1.`, `1.2`, `1.2.`, `A.`, `IV.`, or `1` after a label.
    Dotted,
    /// `(a)`
    Parenthesized,
    /// `a)`
    RightParen,
}

/// The numerals of a number, kept inline up to three (`4.2.1`): a
/// re-parse copies every number of the document after an edit.
pub type Parts = smallvec::SmallVec<[Numeral; 3]>;

/// A section or item number as written at the start of a heading or item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionNumber {
    /// The whole number as written: `Article 5`, `1.2.`, `(a)`.
    pub span: Span,
    pub label: Option<Label>,
    pub parts: Parts,
    pub form: Form,
    /// Written with a final period: `1.`, `IV.`, `Article 5.`.
    pub final_dot: bool,
    /// A letter written right after the digits: `3a.`, `2.1v`. The item is
    /// the lettered sub-item of the number the digits make.
    pub compound: bool,
    /// A final `.0` numbers the section itself: `4.0 Conditions` where the
    /// document has no `4`, with `4.1` and `4.2` under it. Set once the
    /// whole document is read (see [`mark_own_sections`]).
    pub zero_is_own_section: bool,
}

impl SectionNumber {
    /// The number as written, final period included: `4.`, `(c)`.
    pub fn written(&self) -> String {
        let display = self.display();
        if self.final_dot {
            display + "."
        } else {
            display
        }
    }

    /// The number as a reader cites it: `1.2`, `Article 5`, `(a)`, `IV`.
    pub fn display(&self) -> String {
        let path = self.path();
        let body = match self.form {
            Form::Parenthesized => format!("({path})"),
            Form::RightParen => format!("{path})"),
            Form::Dotted => path,
        };
        match self.label {
            Some(label) => format!("{} {body}", label.name()),
            None => body,
        }
    }

    /// The components joined by dots: `1.2.3` (`3a` for a compound).
    pub fn path(&self) -> String {
        let mut parts: Vec<String> = self.parts.iter().map(|p| p.to_string()).collect();
        if self.compound {
            let letter = parts.pop().expect("a compound has a letter");
            return parts.join(".") + &letter;
        }
        parts.join(".")
    }

    /// The components as a reader counts them: where a final `.0` numbers
    /// the section itself (`4.0 Conditions` is section 4, and `2.0` comes
    /// after `1.14`), without it.
    pub fn canonical(&self) -> &[Numeral] {
        if self.zero_is_own_section {
            &self.parts[..self.parts.len() - 1]
        } else {
            &self.parts
        }
    }

    /// A number inserted between two others with a zero component
    /// (`1.0.1` between `1.` and `1.1`), as licences derived from the MPL
    /// do: it belongs to no sequence.
    pub fn is_inserted(&self) -> bool {
        let canonical = self.canonical();
        canonical[..canonical.len() - 1].contains(&Numeral::Digits(0))
    }

    pub fn last(&self) -> &Numeral {
        self.parts.last().expect("a section number has a component")
    }
}

/// Whether a number at the start of a line must carry its delimiter.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Strictness {
    /// Plain text: `1.` or `1)` or `1.2`; a bare `1` is not a number.
    Delimited,
    /// Inside a Markdown heading: `## 1 Scope` is numbered too.
    Lenient,
}

/// Parses a section number at the start of `text` (leading spaces are
/// skipped). `base` is the byte offset of `text` in the document. Returns the
/// number and the offset in `text` where the rest (the title) begins.
pub fn parse_number(
    text: &str,
    base: usize,
    strictness: Strictness,
) -> Option<(SectionNumber, usize)> {
    let start = text.len() - text.trim_start().len();
    let s = &text[start..];
    if !may_start_with_number(s) {
        return None;
    }
    let (number, used) = parse_labelled(s).or_else(|| parse_unlabelled(s, strictness))?;
    let rest = &s[used..];
    if is_copyright_sign(&number, rest) {
        return None;
    }
    let gap = rest.len() - rest.trim_start().len();
    let number = SectionNumber {
        span: Span::new(base + start, base + start + used),
        final_dot: s[..used].ends_with('.'),
        ..number
    };
    Some((number, start + used + gap))
}

/// Whether `s` may start with a section number, judged from its first
/// word: most lines are prose, and this spares them the parse. (Every
/// number [`parse_labelled`] and [`parse_unlabelled`] read passes.)
fn may_start_with_number(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if first.is_ascii_digit() || matches!(first, '(' | '§') {
        return true;
    }
    if !first.is_ascii_alphabetic() {
        return false;
    }
    let word_end = s
        .bytes()
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(s.len());
    // "A.", "IV)", or a label: "Section 3", "PART B".
    matches!(s.as_bytes().get(word_end), Some(b'.' | b')'))
        || Label::from_word(&s[..word_end]).is_some()
}

/// Marks the numbers whose final `.0` numbers their own section: those
/// whose path without it is no other number of the document (`4.0` where
/// there is no `4`; but `A.0` is the first sub-section of an `A.`).
pub fn mark_own_sections<'n>(numbers: impl Iterator<Item = &'n mut SectionNumber>) {
    let mut numbers: Vec<&mut SectionNumber> = numbers.collect();
    let ends_in_zero = |n: &SectionNumber| n.parts.len() > 1 && n.last() == &Numeral::Digits(0);
    // Most documents have no such number: nothing to look up.
    if !numbers.iter().any(|n| ends_in_zero(n)) {
        return;
    }
    let paths: std::collections::HashSet<Parts> = numbers
        .iter()
        .filter(|n| n.label.is_none() && !n.compound)
        .map(|n| n.parts.clone())
        .collect();
    for n in &mut numbers {
        let [prefix @ .., Numeral::Digits(0)] = &n.parts[..] else {
            continue;
        };
        // Assigned, not only set: a re-parsed document marks again numbers
        // an earlier parse marked.
        n.zero_is_own_section = !prefix.is_empty() && !n.compound && !paths.contains(prefix);
    }
}

/// `(c)` or `(C)` before a copyright line is the sign ©, not an item:
/// "(C) Copyright 1994 by …", "(c) THE FRAMEWORX COMPANY 2003".
fn is_copyright_sign(number: &SectionNumber, rest: &str) -> bool {
    let is_c = number.form == Form::Parenthesized
        && number.label.is_none()
        && matches!(&number.parts[..], [Numeral::Letters { text, .. }] if &**text == "c");
    if !is_c {
        return false;
    }
    let line = rest.lines().next().unwrap_or_default();
    let has_year = line
        .split(|c: char| !c.is_ascii_digit())
        .any(|d| d.len() == 4 && (d.starts_with("19") || d.starts_with("20")));
    has_year || line.to_ascii_lowercase().contains("copyright")
}

fn parse_labelled(s: &str) -> Option<(SectionNumber, usize)> {
    let word_end = if s.starts_with('§') {
        s.char_indices()
            .find(|&(_, c)| c != '§')
            .map_or(s.len(), |(i, _)| i)
    } else {
        s.find(|c: char| !c.is_alphabetic()).unwrap_or(s.len())
    };
    let label = Label::from_word(&s[..word_end])?;
    let mut at = word_end;
    if s[at..].starts_with('.') {
        at += 1;
    }
    let after_label = &s[at..];
    let gap = after_label.len() - after_label.trim_start_matches([' ', '\u{a0}', '\t']).len();
    if gap == 0 && !s.starts_with('§') {
        return None;
    }
    at += gap;
    let (parts, used) = parse_path(&s[at..], true)?;
    at += used;
    // "Article 5." and "Section 3:" keep their punctuation out of the title.
    let tail = &s[at..];
    let ends_well =
        tail.is_empty() || tail.starts_with(|c: char| c.is_whitespace() || ".:)–—-,;".contains(c));
    if !ends_well {
        return None;
    }
    if tail.starts_with('.') && !tail[1..].starts_with(|c: char| c.is_alphanumeric()) {
        at += 1;
    }
    Some((
        SectionNumber {
            span: Span::default(),
            label: Some(label),
            parts,
            form: Form::Dotted,
            final_dot: false,
            compound: false,
            zero_is_own_section: false,
        },
        at,
    ))
}

fn parse_unlabelled(s: &str, strictness: Strictness) -> Option<(SectionNumber, usize)> {
    let mut compound = false;
    let (form, parts, used) = if let Some(inner) = s.strip_prefix('(') {
        let (numeral, used) = parse_numeral(inner)?;
        if !inner[used..].starts_with(')') {
            return None;
        }
        (Form::Parenthesized, smallvec::smallvec![numeral], used + 2)
    } else {
        let (mut parts, mut used) = parse_path(s, false)?;
        // "3a." and "2.1v": a letter glued to the digits.
        if let Some(letter) = glued_letter(&parts, &s[used..]) {
            parts.push(Numeral::Letters {
                text: letter.to_string().into(),
                upper: false,
            });
            used += 1;
            compound = true;
        }
        let tail = &s[used..];
        if tail.starts_with(')') && (parts.len() == 1 || compound) {
            (Form::RightParen, parts, used + 1)
        } else if tail.starts_with('.') {
            (Form::Dotted, parts, used + 1)
        } else if (parts.iter().all(|p| p.digits().is_some())
            && (parts.len() > 1 || strictness == Strictness::Lenient))
            || (compound && parts.len() > 2)
        {
            // "1.2 Scope" needs no final dot; "1 Scope" only in a heading.
            (Form::Dotted, parts, used)
        } else {
            return None;
        }
    };
    let tail = &s[used..];
    // "1.Definitions.", "5.2.“Data” means": the title glued to a dotted
    // number.
    let glued_title = form == Form::Dotted
        && s[..used].ends_with('.')
        && ((tail.starts_with(|c: char| c.is_ascii_uppercase())
            && tail[1..].starts_with(|c: char| c.is_ascii_lowercase()))
            || tail.starts_with(['"', '“', '\'', '‘']));
    if !(tail.is_empty() || tail.starts_with(char::is_whitespace) || glued_title) {
        return None;
    }
    if form == Form::Dotted && parts.len() == 1 {
        if let Numeral::Digits(n) = parts[0] {
            // "2022. " is a year, not a section.
            if n >= 1000 {
                return None;
            }
        }
    }
    let number = SectionNumber {
        span: Span::default(),
        label: None,
        parts,
        form,
        final_dot: false,
        compound,
        zero_is_own_section: false,
    };
    Some((number, used))
}

/// The one lowercase letter glued to a path of digits, if `tail` starts
/// with one and a delimiter or a space follows it.
fn glued_letter(parts: &[Numeral], tail: &str) -> Option<char> {
    if !parts.iter().all(|p| p.digits().is_some()) {
        return None;
    }
    let mut chars = tail.chars();
    let letter = chars.next().filter(char::is_ascii_lowercase)?;
    let after = chars.next();
    let delimited = matches!(after, Some('.' | ')'));
    // "2.1v License": a space will do after a dotted path.
    let spaced = parts.len() > 1 && after.is_some_and(char::is_whitespace);
    (delimited || spaced).then_some(letter)
}

/// `1.2.3`, `A.1`, `IV`, `(not including a trailing dot)`. With `labelled`,
/// letters may be a longer word-like code only if Roman (`Chapter XII`).
fn parse_path(s: &str, labelled: bool) -> Option<(Parts, usize)> {
    let mut parts = Parts::new();
    let mut at = 0;
    loop {
        let Some((numeral, used)) = parse_numeral(&s[at..]) else {
            // "1.Definitions": the path ended at the dot.
            return (!parts.is_empty()).then(|| (parts, at - 1));
        };
        let letters_after_first = !parts.is_empty() && numeral.digits().is_none();
        if letters_after_first && !labelled {
            // "1.a" is rare in headings and common in prose ("v1.a"); refuse.
            return None;
        }
        parts.push(numeral);
        at += used;
        let rest = &s[at..];
        if rest.starts_with('.') && rest[1..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
            if parts.len() >= 6 {
                return None;
            }
            at += 1;
            continue;
        }
        return Some((parts, at));
    }
}

/// One numeral: 1–4 digits, a letter (`a`, `aa`) or a Roman numeral.
fn parse_numeral(s: &str) -> Option<(Numeral, usize)> {
    let bytes = s.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits > 0 {
        // Letters glued to digits make a word ("2nd", "18F"), except one
        // small letter and a delimiter: the compound label "3a.".
        let glued = bytes.get(digits).is_some_and(|b| b.is_ascii_alphabetic());
        let compound = bytes.get(digits).is_some_and(u8::is_ascii_lowercase)
            && bytes
                .get(digits + 1)
                .is_none_or(|b| matches!(b, b'.' | b')') || b.is_ascii_whitespace());
        if digits > 4 || (glued && !compound) {
            return None;
        }
        return Some((Numeral::Digits(s[..digits].parse().ok()?), digits));
    }
    let letters = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 7 {
        return None;
    }
    if s[letters..].starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    let word = &s[..letters];
    let upper = word.bytes().all(|b| b.is_ascii_uppercase());
    let lower = word.bytes().all(|b| b.is_ascii_lowercase());
    if !upper && !lower {
        return None;
    }
    // Most lines start with a word, not a numeral: judged before it is
    // kept, so that they cost no allocation.
    let mut buffer = [0u8; 7];
    let text = super::token::ascii_lowered(word, &mut buffer).expect("at most seven letters");
    if alpha_value(text).is_none() && roman_value(text).is_none() {
        return None;
    }
    let numeral = Numeral::Letters {
        text: text.into(),
        upper,
    };
    Some((numeral, letters))
}

/// The value of lowercase letters as a letter numeral (see [`Numeral::alpha`]).
fn alpha_value(text: &str) -> Option<u32> {
    let bytes = text.as_bytes();
    let first = bytes[0];
    if !bytes.iter().all(|&b| b == first) || bytes.len() > 3 {
        return None;
    }
    Some((first - b'a') as u32 + 1 + 26 * (bytes.len() as u32 - 1))
}

fn roman_value(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    let value_of = |c: u8| match c {
        b'i' => Some(1),
        b'v' => Some(5),
        b'x' => Some(10),
        b'l' => Some(50),
        b'c' => Some(100),
        b'd' => Some(500),
        b'm' => Some(1000),
        _ => None,
    };
    let bytes = s.as_bytes();
    let mut total = 0u32;
    for (i, &b) in bytes.iter().enumerate() {
        let v = value_of(b)?;
        let next = bytes.get(i + 1).and_then(|&n| value_of(n));
        if next.is_some_and(|n| n > v) {
            total = total.wrapping_sub(v);
        } else {
            total = total.wrapping_add(v);
        }
    }
    // Only canonical spellings count ("IIII" and "VX" are not numerals).
    (total > 0 && total < 4000 && is_roman_spelling(total, s)).then_some(total)
}

/// The Roman numerals' symbols, largest first, with the subtractive pairs.
const ROMAN: [(u32, &str); 13] = [
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
];

fn to_roman(mut n: u32) -> String {
    let mut out = String::new();
    for (value, text) in ROMAN {
        while n >= value {
            out.push_str(text);
            n -= value;
        }
    }
    out
}

/// Whether `s` is `to_roman(n)`, compared as it would be written: numbers
/// are read on every line and in every rule, and this costs no allocation.
fn is_roman_spelling(mut n: u32, s: &str) -> bool {
    let mut rest = s;
    for (value, text) in ROMAN {
        while n >= value {
            let Some(after) = rest.strip_prefix(text) else {
                return false;
            };
            rest = after;
            n -= value;
        }
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Option<(String, String)> {
        let (n, rest) = parse_number(s, 0, Strictness::Delimited)?;
        Some((n.display(), s[rest..].to_string()))
    }

    fn pair(a: &str, b: &str) -> Option<(String, String)> {
        Some((a.to_string(), b.to_string()))
    }

    #[test]
    fn dotted_numbers() {
        assert_eq!(parse("1. Scope"), pair("1", "Scope"));
        assert_eq!(parse("1.2 Scope"), pair("1.2", "Scope"));
        assert_eq!(parse("1.2.3. Scope"), pair("1.2.3", "Scope"));
        assert_eq!(parse("  4.\tTAKEDOWNS"), pair("4", "TAKEDOWNS"));
        assert_eq!(parse("1."), pair("1", ""));
    }

    #[test]
    fn letters_and_roman_numerals() {
        assert_eq!(parse("A. Definitions"), pair("A", "Definitions"));
        assert_eq!(parse("IV. Remedies"), pair("IV", "Remedies"));
        assert_eq!(parse("(a) the user"), pair("(a)", "the user"));
        assert_eq!(parse("(iv) the user"), pair("(iv)", "the user"));
        assert_eq!(parse("b) the user"), pair("b)", "the user"));
    }

    #[test]
    fn labelled_numbers() {
        assert_eq!(parse("Article 5 Scope"), pair("Article 5", "Scope"));
        assert_eq!(parse("Section 3. Fees"), pair("Section 3", "Fees"));
        assert_eq!(parse("Chapter II"), pair("Chapter II", ""));
        assert_eq!(parse("PART B – Rules"), pair("Part B", "– Rules"));
        assert_eq!(parse("§ 4 Terms"), pair("Section 4", "Terms"));
        assert_eq!(parse("§4.2 Terms"), pair("Section 4.2", "Terms"));
        assert_eq!(parse("Annex A"), pair("Annex A", ""));
        assert_eq!(parse("Addendum 1: Data"), pair("Addendum 1", ": Data"));
    }

    #[test]
    fn things_that_are_not_numbers() {
        assert_eq!(parse("1 Scope"), None);
        assert_eq!(parse("2022. The year"), None);
        assert_eq!(parse("Intro. Text"), None);
        assert_eq!(parse("I am here"), None);
        assert_eq!(parse("18F develops"), None);
        assert_eq!(parse("3.5% of revenue"), None);
        assert_eq!(parse("Section of the law"), None);
        assert_eq!(parse("(see below) text"), None);
    }

    #[test]
    fn lenient_accepts_a_bare_number() {
        let (n, _) = parse_number("1 Scope", 0, Strictness::Lenient).unwrap();
        assert_eq!(n.display(), "1");
    }

    #[test]
    fn letter_values() {
        let l = |s: &str| Numeral::Letters {
            text: s.into(),
            upper: false,
        };
        assert_eq!(l("a").alpha(), Some(1));
        assert_eq!(l("aa").alpha(), Some(27));
        assert_eq!(l("iv").roman(), Some(4));
        assert_eq!(l("i").alpha(), Some(9));
        assert_eq!(l("i").roman(), Some(1));
        assert_eq!(l("iiii").roman(), None);
        assert_eq!(l("xiv").roman(), Some(14));
        assert!(l("iv").same_as(&Numeral::Digits(4)));
        assert_eq!(Numeral::render(Scheme::Roman { upper: true }, 14), "XIV");
        assert_eq!(Numeral::render(Scheme::Alpha { upper: false }, 28), "bb");
    }

    #[test]
    fn only_canonical_roman_numerals_have_a_value() {
        // (Longer spellings, "cclxxxviii", are too long for a section number.)
        for n in (1..4000).filter(|&n| to_roman(n).len() <= 9) {
            let written = to_roman(n);
            assert_eq!(roman_value(&written), Some(n), "{written}");
            // One symbol more or less is another numeral or none.
            assert_ne!(roman_value(&format!("{written}i")), Some(n));
            assert_ne!(roman_value(&written[1..]), Some(n));
        }
        for not_canonical in ["iiii", "vx", "im", "xxxx", "mmmm", "iix", "vv"] {
            assert_eq!(roman_value(not_canonical), None, "{not_canonical}");
        }
    }

    #[test]
    fn words_are_not_numerals() {
        for line in ["the end", "and so", "THE END", "civil law", "mix it"] {
            assert_eq!(parse_number(line, 0, Strictness::Lenient), None, "{line}");
        }
        let (n, _) = parse_number("(iv) Term", 0, Strictness::Delimited).unwrap();
        assert_eq!(n.last().roman(), Some(4));
        let (n, _) = parse_number("CC. Fees", 0, Strictness::Delimited).unwrap();
        assert_eq!((n.last().alpha(), n.last().roman()), (Some(29), Some(200)));
    }

    proptest::proptest! {
        #[test]
        fn every_number_passes_the_first_word_filter(
            head in proptest::sample::select(vec![
                "", "Section", "ART", "sec.", "Annex", "§", "§§", "¶", "iv", "XII", "A", "cc",
                "12", "3a", "2.1v", "(", "(a)", "(iv)", "(3)", "x", "The", "µ",
            ]),
            tail in "[A-Za-z0-9().:;,– §¶\u{a0}-]{0,8}",
        ) {
            let s = format!("{head}{tail}");
            for strictness in [Strictness::Delimited, Strictness::Lenient] {
                let parsed = parse_labelled(&s).or_else(|| parse_unlabelled(&s, strictness));
                proptest::prop_assert!(parsed.is_none() || may_start_with_number(&s), "{s:?}");
            }
        }
    }

    #[test]
    fn spans_point_at_the_number() {
        let (n, _) = parse_number("  Article 12 Fees", 10, Strictness::Delimited).unwrap();
        assert_eq!(n.span, Span::new(12, 22));
    }

    #[test]
    fn compound_labels_and_titles_glued_to_numbers() {
        assert_eq!(
            parse("3a. If the maintainer"),
            pair("3a", "If the maintainer")
        );
        assert_eq!(parse("2.1v License Grant."), pair("2.1v", "License Grant."));
        assert_eq!(
            parse("1.Definitions.The terms"),
            pair("1", "Definitions.The terms")
        );
        assert_eq!(parse("2nd floor"), None);
        assert_eq!(parse("4k video"), None);
    }

    #[test]
    fn a_c_in_parentheses_before_a_copyright_line_is_the_sign() {
        assert_eq!(parse("(C) Copyright 1994 by Akinori Ito"), None);
        assert_eq!(parse("(c) THE FRAMEWORX COMPANY 2003"), None);
        assert_eq!(parse("(c) the user agrees"), pair("(c)", "the user agrees"));
    }

    #[test]
    fn a_final_zero_numbers_the_section_itself_where_nothing_else_does() {
        let number = |s: &str| parse_number(s, 0, Strictness::Delimited).unwrap().0;
        let mut numbers = [number("4.0 Conditions"), number("4.1 Notices")];
        mark_own_sections(numbers.iter_mut());
        assert_eq!(numbers[0].canonical(), &[Numeral::Digits(4)]);
        assert!(!numbers[1].zero_is_own_section);
        let mut numbers = [number("A. Procedure"), number("A.0. Proposal")];
        mark_own_sections(numbers.iter_mut());
        assert_eq!(numbers[1].canonical().len(), 2);
        assert!(number("1.0.1. Use").is_inserted());
        assert!(!number("1.1. Use").is_inserted());
    }
}
