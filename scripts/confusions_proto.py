#!/usr/bin/env python3
"""Prototype of policylint's `real-word` confusion table, with an evaluation harness.

Standard library only.  It implements exactly the table format and pattern
language described in data/confusions-README.md, so that the table can be
measured before (and independently of) the Rust implementation.

Usage (from the repository root):

  python3 scripts/confusions_proto.py                  # full report
  python3 scripts/confusions_proto.py --quiet          # totals only (+ failures)
  python3 scripts/confusions_proto.py --check FILE...  # lint files, print findings
  python3 scripts/confusions_proto.py --kwic WORD [DIR_OR_FILE...]   # contexts of a word
  python3 scripts/confusions_proto.py --dev-findings OUT.tsv         # findings on the dev docs
                                                   # (for shared/corpus/score.py)

Options:
  --table data/confusions.tsv      --tests data/confusions-tests.tsv
  --shared DIR   the shared folder (default: ../shared beside the repo, or /work/shared)
  --extra DIR    more correct text for false positives / recall (repeatable;
                 reported separately from the clean corpus)
  --per-row      print the per-row recall table (default on unless --quiet)

Exit status: 0 when the table is valid, every hand-written test passes and
there is no false positive on the clean corpus and the seed; 1 otherwise.
"""
import argparse
import os
import re
import sys
import unicodedata
from collections import defaultdict

# --------------------------------------------------------------------------
# Word classes of the pattern language

CLASSES = {
    'DET': set('a an the this that these those its their our your his her my some any each '
               'every no another'.split()),
    'PRON': set('i you he she it we they'.split()),
    'MODAL': set('can could may might must shall should will would'.split()),
    'BE': set('be is are was were been being am'.split()),
    'HAVE': set('have has had having'.split()),
    'PREP': set('of in on at by for with from to into onto upon about over under between '
                'through during without within against among towards toward'.split()),
}
SPECIAL_CLASSES = {'NUM', 'CAP'}
ALL_CLASSES = set(CLASSES) | SPECIAL_CLASSES

# --------------------------------------------------------------------------
# Tokeniser

APOS = "'\u2019"
WORD_RE = re.compile(r"[^\W_]+(?:(?:['\u2019]|-(?!-))[^\W_]+)*")
SENT_END = set('.!?')
CLOSERS = set('"\'\u201d\u2019)]*_')
PLACEHOLDER = '\ufffc'   # stands for masked inline code / URL / template variable


class Token:
    __slots__ = ('text', 'low', 'start', 'end', 'is_word', 'cap')

    def __init__(self, text, start, end, is_word):
        self.text = text
        self.low = text.lower().replace('\u2019', "'")
        self.start = start
        self.end = end
        self.is_word = is_word
        self.cap = False


def tokenize_block(text, base=0):
    """Split one block of text into sentences (lists of Tokens).

    Words: runs of letters/digits with inner apostrophes and inner single
    hyphens.  Every other non-space character is a punctuation token, except
    that `--` is one token and `. ! ?` followed by whitespace (possibly after
    closing quotes/brackets) or by the end of the block end the sentence.  A
    `.`, `!` or `?` that does not end the sentence (e.g. inside "e.g." or
    "3.5") is an ordinary punctuation token."""
    sents = []
    cur = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        m = WORD_RE.match(text, i)
        if m:
            cur.append(Token(m.group(), base + i, base + m.end(), True))
            i = m.end()
            continue
        if c in SENT_END:
            j = i + 1
            while j < n and text[j] in SENT_END:
                j += 1
            k = j
            while k < n and text[k] in CLOSERS:
                k += 1
            if k >= n or text[k].isspace():
                if cur:
                    sents.append(cur)
                cur = []
                i = k
                continue
            cur.append(Token(text[i:j], base + i, base + j, False))
            i = j
            continue
        if c == '-' and text.startswith('--', i):
            j = i
            while j < n and text[j] == '-':
                j += 1
            cur.append(Token('--', base + i, base + j, False))
            i = j
            continue
        cur.append(Token(c, base + i, base + i + 1, False))
        i += 1
    if cur:
        sents.append(cur)
    for s in sents:
        first = True
        for t in s:
            if t.is_word:
                t.cap = (not first) and t.text[0].isupper()
                first = False
    return sents


# --------------------------------------------------------------------------
# Markdown / plain-text preparation: protected spans are blanked (same
# length, so offsets stay valid); blocks are separated.

def _blank(s):
    return re.sub(r'[^\n]', ' ', s)


def _ph(s):
    """Mask a span with one placeholder token, keeping newlines and length."""
    if not s:
        return s
    return PLACEHOLDER + re.sub(r'[^\n]', ' ', s[1:])


FRONT_RE = re.compile(r'\A---\n.*?\n---[ \t]*\n', re.S)
FENCE_RE = re.compile(r'^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$', re.S | re.M)
HTML_COMMENT_RE = re.compile(r'<!--.*?-->', re.S)
LIQUID_RE = re.compile(r'\{%.*?%\}', re.S)
LIQUID_VAR_RE = re.compile(r'\{\{.*?\}\}', re.S)
INLINE_CODE_RE = re.compile(r'(`+)(?:(?!\1).)+?\1', re.S)
URL_RE = re.compile(r'(?:https?://|ftp://|www\.|mailto:)[^\s<>()\[\]"]*[^\s<>()\[\]".,;:!?\'’]')
EMAIL_RE = re.compile(r'[\w.+-]+@[\w-]+(?:\.[\w-]+)+')
LINK_TARGET_RE = re.compile(r'(\]\s?)(\([^)\s]*(?:\s+"[^"]*")?\))')
REF_DEF_RE = re.compile(r'^\s*\[[^\]]+\]:\s*\S.*$', re.M)
HTML_TAG_RE = re.compile(r'</?[A-Za-z][^<>]*>')
EMPH_RE = re.compile(r'(?<![\w*])(\*{1,3}|_{1,3})(?=\S)|(?<=\S)(\*{1,3}|_{1,3})(?![\w*])')
HEADING_RE = re.compile(r'^[ \t]{0,3}(#{1,6})(?=\s|$)', re.M)
LIST_RE = re.compile(r'^([ \t]*)([-*+]|\d{1,3}[.)])(?=[ \t])', re.M)
QUOTE_RE = re.compile(r'^[ \t]*(>[ \t>]*)', re.M)
TABLE_SEP_RE = re.compile(r'^[ \t]*\|?[ \t:|-]+\|[ \t:|-]*$', re.M)


def prepare_markdown(text):
    t = text
    m = FRONT_RE.match(t)
    if m:
        t = _blank(m.group()) + t[m.end():]

    def sub(rx, fn, s):
        return rx.sub(lambda mm: fn(mm.group()), s)

    t = sub(FENCE_RE, _blank, t)
    t = sub(HTML_COMMENT_RE, _blank, t)
    t = sub(LIQUID_RE, _blank, t)
    t = sub(LIQUID_VAR_RE, _ph, t)
    t = sub(INLINE_CODE_RE, _ph, t)
    t = LINK_TARGET_RE.sub(lambda mm: mm.group(1) + _blank(mm.group(2)), t)
    t = sub(REF_DEF_RE, _blank, t)
    t = sub(URL_RE, _ph, t)
    t = sub(EMAIL_RE, _ph, t)
    t = sub(HTML_TAG_RE, _blank, t)
    t = sub(TABLE_SEP_RE, _blank, t)
    # link brackets, emphasis, heading/list/quote markers: blank them
    t = EMPH_RE.sub(lambda mm: _blank(mm.group()), t)
    t = t.replace('[', ' ').replace(']', ' ')
    t = HEADING_RE.sub(lambda mm: _blank(mm.group()), t)
    t = QUOTE_RE.sub(lambda mm: _blank(mm.group()), t)
    # block boundaries: blank lines, headings, list items, table rows/cells
    blocks = []
    lines = t.split('\n')
    orig_lines = text.split('\n')
    pos = 0
    cur_start = None
    cur_end = None

    def flush():
        nonlocal cur_start, cur_end
        if cur_start is not None:
            blocks.append((cur_start, cur_end))
        cur_start = cur_end = None

    for ln, ol in zip(lines, orig_lines):
        start = pos
        end = pos + len(ln)
        pos = end + 1
        stripped = ol.strip()
        if not ln.strip():
            flush()
            continue
        new_block = (stripped.startswith('#') or LIST_RE.match(ol) is not None
                     or stripped.startswith('|') or stripped.startswith('>'))
        if '|' in ln and stripped.startswith('|'):
            flush()
            # each table cell is a block
            off = start
            for cell in ln.split('|'):
                if cell.strip():
                    blocks.append((off, off + len(cell)))
                off += len(cell) + 1
            continue
        if new_block:
            flush()
        if cur_start is None:
            cur_start = start
        cur_end = end
        if stripped.startswith('#'):
            flush()
    flush()
    # list markers are blanked after blocks are known
    t = LIST_RE.sub(lambda mm: mm.group(1) + _blank(mm.group(2)), t)
    t = t.replace('|', ' ')
    return t, blocks


def prepare_plain(text):
    blocks = []
    for m in re.finditer(r'(?:[^\n]*\S[^\n]*(?:\n|$))+', text):
        blocks.append((m.start(), m.end()))
    return text, blocks


def document_sentences(text, markdown):
    t, blocks = prepare_markdown(text) if markdown else prepare_plain(text)
    out = []
    for a, b in blocks:
        out.extend(tokenize_block(t[a:b], a))
    return out


def sentences_of_string(s):
    return tokenize_block(s, 0)


# --------------------------------------------------------------------------
# Pattern language

class PatternError(Exception):
    pass


class Alt:
    __slots__ = ('kind', 'value')

    def __init__(self, kind, value):
        self.kind = kind   # 'lit', 'prefix', 'any', 'class'
        self.value = value


class PTok:
    __slots__ = ('kind', 'alts', 'neg', 'n')

    def __init__(self, kind, alts=None, neg=False, n=0):
        self.kind = kind   # 'word' (alt list), 'gap', 'start', 'end', 'self'
        self.alts = alts or []
        self.neg = neg
        self.n = n


def parse_alt(a, src):
    if a == '':
        raise PatternError('empty alternative in %r' % src)
    if a == '*':
        return Alt('any', None)
    if a == '^':
        return Alt('start', None)
    if a == '$':
        return Alt('end', None)
    if a in ALL_CLASSES:
        return Alt('class', a)
    if a.isupper() and a.isalpha() and len(a) > 1:
        raise PatternError('unknown class %r in %r' % (a, src))
    if a.startswith('*') and len(a) > 1:
        base = a[1:]
        if base != base.lower():
            raise PatternError('wildcard must be lowercase: %r in %r' % (a, src))
        return Alt('suffix', base.replace('\u2019', "'"))
    if a.endswith('*') and len(a) > 1:
        base = a[:-1]
        if base != base.lower():
            raise PatternError('wildcard must be lowercase: %r in %r' % (a, src))
        return Alt('prefix', base.replace('\u2019', "'"))
    if a != a.lower():
        raise PatternError('literal must be lowercase: %r in %r' % (a, src))
    return Alt('lit', a.replace('\u2019', "'"))


def parse_pattern(p):
    toks = p.split(' ')
    if any(t == '' for t in toks):
        raise PatternError('double or stray space in pattern %r' % p)
    out = []
    selfs = 0
    for idx, t in enumerate(toks):
        if t == '_':
            out.append(PTok('self'))
            selfs += 1
        elif re.fullmatch(r'\.\.\d+', t):
            out.append(PTok('gap', n=int(t[2:])))
        else:
            neg = t.startswith('!') and len(t) > 1
            body = t[1:] if neg else t
            alts = [parse_alt(a, p) for a in body.split('|')]
            kinds = {a.kind for a in alts}
            if 'start' in kinds and (idx != 0 or neg):
                raise PatternError('^ only in the first token (not negated): %r' % p)
            if 'end' in kinds and (idx != len(toks) - 1 or neg):
                raise PatternError('$ only in the last token (not negated): %r' % p)
            out.append(PTok('word', alts, neg))
    if selfs != 1:
        raise PatternError('pattern needs exactly one _: %r' % p)
    k = [x.kind for x in out].index('self')
    left = list(reversed(out[:k]))
    right = out[k + 1:]
    return (left, right)


def parse_field(f):
    f = f.strip()
    if not f:
        return []
    return [parse_pattern(p.strip()) for p in f.split(' ; ')]


def alt_match(alt, tok):
    if alt.kind in ('start', 'end'):
        return False
    if alt.kind == 'any':
        return True
    if alt.kind == 'lit':
        return tok.low == alt.value
    if alt.kind == 'prefix':
        return tok.low.startswith(alt.value)
    if alt.kind == 'suffix':
        return tok.is_word and len(tok.low) > len(alt.value) and tok.low.endswith(alt.value)
    c = alt.value
    if c == 'NUM':
        return tok.is_word and tok.low[:1].isdigit() and any(ch.isdigit() for ch in tok.low)
    if c == 'CAP':
        return tok.is_word and tok.cap
    return tok.low in CLASSES[c]


def ptok_match(pt, tok):
    hit = any(alt_match(a, tok) for a in pt.alts)
    return (not hit) if pt.neg else hit


def match_side(pts, sent, pos, step):
    """Match pattern tokens pts starting at index pos moving by step (+1/-1)."""
    if not pts:
        return True
    pt = pts[0]
    n = len(sent)
    if pt.kind == 'gap':
        for k in range(pt.n + 1):
            p2 = pos + step * k
            if p2 < -1 or p2 > n:
                break
            if k > 0 and not (0 <= pos + step * (k - 1) < n):
                break
            if match_side(pts[1:], sent, p2, step):
                return True
        return False
    if not (0 <= pos < n):
        # beyond the sentence: only ^ (before it) or $ (after it) can match,
        # and they are always the outermost token of a pattern.
        if pt.neg:
            return False
        want = 'start' if pos < 0 else 'end'
        return any(a.kind == want for a in pt.alts) and len(pts) == 1
    if not ptok_match(pt, sent[pos]):
        return False
    return match_side(pts[1:], sent, pos + step, step)


def pattern_match(pat, sent, i):
    left, right = pat
    return match_side(left, sent, i - 1, -1) and match_side(right, sent, i + 1, 1)


def field_match(pats, sent, i):
    return any(pattern_match(p, sent, i) for p in pats)


# --------------------------------------------------------------------------
# Table

class Row:
    __slots__ = ('lineno', 'wrong', 'right', 'when_src', 'unless_src', 'when', 'unless',
                 'severity', 'example', 'group', 'idx')


def load_table(path):
    rows, errors = [], []
    group = ''
    with open(path, encoding='utf-8') as f:
        for ln, raw in enumerate(f, 1):
            raw = raw.rstrip('\n').rstrip('\r')
            if not raw.strip():
                continue
            if raw.startswith('#'):
                g = raw.lstrip('#').strip()
                if g:
                    group = g
                continue
            c = raw.split('\t')
            if len(c) != 6:
                errors.append('%s:%d: expected 6 tab-separated columns, got %d' % (path, ln, len(c)))
                continue
            r = Row()
            r.lineno = ln
            r.wrong, r.right, r.when_src, r.unless_src, r.severity, r.example = c
            r.group = group
            try:
                r.when = parse_field(r.when_src)
                r.unless = parse_field(r.unless_src)
            except PatternError as e:
                errors.append('%s:%d: %s' % (path, ln, e))
                continue
            if r.wrong != r.wrong.lower() or r.right != r.right.lower() or not r.wrong or not r.right:
                errors.append('%s:%d: wrong/right must be non-empty lowercase' % (path, ln))
            if not WORD_RE.fullmatch(r.wrong):
                errors.append('%s:%d: wrong %r is not a single word token' % (path, ln, r.wrong))
            if r.severity not in ('error', 'warning'):
                errors.append('%s:%d: bad severity %r' % (path, ln, r.severity))
            if not r.example.strip():
                errors.append('%s:%d: empty example' % (path, ln))
            r.idx = len(rows)
            rows.append(r)
    return rows, errors


class Matcher:
    def __init__(self, rows):
        self.by_wrong = defaultdict(list)
        for r in rows:
            self.by_wrong[r.wrong.replace('\u2019', "'")].append(r)

    def check_sentence(self, sent):
        """Yield (token_index, row) for every finding in a sentence."""
        for i, t in enumerate(sent):
            if not t.is_word:
                continue
            rows = self.by_wrong.get(t.low)
            if not rows:
                continue
            for r in rows:
                if r.when and not field_match(r.when, sent, i):
                    continue
                if r.unless and field_match(r.unless, sent, i):
                    continue
                yield i, r
                break


# --------------------------------------------------------------------------
# Corpora

def find_shared(arg):
    if arg:
        return arg
    here = os.path.dirname(os.path.abspath(__file__))
    for cand in (os.path.join(here, '..', '..', 'shared'), os.path.join(here, '..', 'shared'),
                 '/work/shared'):
        if os.path.isdir(os.path.join(cand, 'corpus')):
            return os.path.normpath(cand)
    sys.exit('cannot find the shared folder; pass --shared')


def iter_files(path):
    if os.path.isfile(path):
        yield path
        return
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for fn in sorted(files):
            if fn == 'SOURCES.md':
                continue
            yield os.path.join(root, fn)


def load_docs(paths):
    docs = []
    for p in paths:
        for fp in iter_files(p):
            try:
                with open(fp, encoding='utf-8') as f:
                    text = f.read()
            except UnicodeDecodeError:
                with open(fp, encoding='latin-1') as f:
                    text = f.read()
            md = fp.endswith(('.md', '.markdown')) or '/corpus/clean/' in fp
            docs.append((fp, text, document_sentences(text, md)))
    return docs


def line_col(text, offset, cache={}):
    key = id(text)
    if key not in cache:
        starts = [0]
        for m in re.finditer('\n', text):
            starts.append(m.end())
        cache.clear()
        cache[key] = starts
    starts = cache[key]
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1, offset - starts[lo] + 1


def sent_text(sent, i=None, width=8):
    a = 0 if i is None else max(0, i - width)
    b = len(sent) if i is None else min(len(sent), i + width + 1)
    parts = []
    for k in range(a, b):
        s = sent[k].text
        if i is not None and k == i:
            s = '[' + s + ']'
        parts.append(s)
    return ('... ' if a > 0 else '') + ' '.join(parts) + (' ...' if b < len(sent) else '')


def run_fp(matcher, docs):
    out = []
    for fp, text, sents in docs:
        for s in sents:
            for i, r in matcher.check_sentence(s):
                ln, col = line_col(text, s[i].start)
                out.append((fp, ln, col, s, i, r))
    return out


def case_like(src, word):
    if src.isupper() and len(src) > 1:
        return word.upper()
    if src[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def synth_recall(rows, matcher, docs):
    """For every (wrong, right) pair: substitute wrong for right in real
    sentences and count how often a row of the pair fires there."""
    pairs = defaultdict(list)
    for r in rows:
        pairs[(r.wrong, r.right)].append(r)
    by_right = defaultdict(list)
    for (w, rt) in pairs:
        by_right[rt.replace('\u2019', "'")].append(w)
    stats = {}
    row_hits = defaultdict(int)
    for key in pairs:
        stats[key] = [0, 0, []]
    for fp, text, sents in docs:
        for s in sents:
            for i, t in enumerate(s):
                if not t.is_word or t.low not in by_right:
                    continue
                for w in by_right[t.low]:
                    st = stats[(w, t.low)]
                    st[1] += 1
                    orig = s[i]
                    nt = Token(case_like(orig.text, w), orig.start, orig.end, True)
                    nt.cap = orig.cap
                    s2 = s[:i] + [nt] + s[i + 1:]
                    hit = False
                    for r in matcher.by_wrong.get(nt.low, []):
                        if r.when and not field_match(r.when, s2, i):
                            continue
                        if r.unless and field_match(r.unless, s2, i):
                            continue
                        hit = (r.right == t.low or r.right.replace('\u2019', "'") == t.low)
                        if hit:
                            row_hits[r.lineno] += 1
                        break
                    if hit:
                        st[0] += 1
                    elif len(st[2]) < 3:
                        st[2].append(sent_text(s2, i, 5))
    return stats, row_hits


# --------------------------------------------------------------------------
# Hand-written tests

def load_tests(path):
    tests = []
    with open(path, encoding='utf-8') as f:
        for ln, raw in enumerate(f, 1):
            raw = raw.rstrip('\n').rstrip('\r')
            if not raw.strip() or raw.startswith('#'):
                continue
            c = raw.split('\t')
            if len(c) != 2:
                tests.append((ln, raw, None))
                continue
            tests.append((ln, c[0], c[1].strip()))
    return tests


def run_tests(matcher, tests):
    fails = []
    npass = 0
    for ln, sentence, expect in tests:
        if expect is None:
            fails.append((ln, sentence, 'bad test line (need sentence<TAB>expect)', []))
            continue
        found = []
        for s in sentences_of_string(sentence):
            for i, r in matcher.check_sentence(s):
                found.append((s[i].low, r.right, r))
        if expect == 'ok':
            if found:
                fails.append((ln, sentence, 'expected no finding', found))
            else:
                npass += 1
            continue
        m = re.fullmatch(r"(.+?)\s*(?:→|->)\s*(.+)", expect)
        if not m:
            fails.append((ln, sentence, 'bad expectation %r' % expect, found))
            continue
        w, rt = m.group(1).lower().replace('\u2019', "'"), m.group(2).lower().replace('\u2019', "'")
        good = [f for f in found if f[0] == w and f[1].replace('\u2019', "'") == rt]
        extra = [f for f in found if not (f[0] == w and f[1].replace('\u2019', "'") == rt)]
        if good and not extra:
            npass += 1
        elif not good:
            fails.append((ln, sentence, 'expected %s→%s' % (w, rt), found))
        else:
            fails.append((ln, sentence, 'extra finding besides %s→%s' % (w, rt), extra))
    return npass, fails


# --------------------------------------------------------------------------
# Dev set

def dev_findings(matcher, shared, out_path):
    ddir = os.path.join(shared, 'corpus', 'dev', 'docs')
    docs = load_docs([ddir])
    with open(out_path, 'w', encoding='utf-8') as f:
        f.write('path\tline\tcolumn\tflagged_text\trule\n')
        for fp, ln, col, s, i, r in run_fp(matcher, docs):
            f.write('%s\t%d\t%d\t%s\treal-word\n' % (fp, ln, col, s[i].text))
    return ddir


def dev_score(matcher, shared):
    """Real-word recall/precision on the dev set (informative only)."""
    ddir = os.path.join(shared, 'corpus', 'dev')
    truth = []
    with open(os.path.join(ddir, 'truth.tsv'), encoding='utf-8') as f:
        next(f)
        for raw in f:
            c = raw.rstrip('\n').split('\t')
            if c[3] == 'real-word':
                truth.append((c[0], int(c[1]), c[5].lower().replace('\u2019', "'"), c[6], c[4]))
    docs = load_docs([os.path.join(ddir, 'docs')])
    finds = set()
    for fp, ln, col, s, i, r in run_fp(matcher, docs):
        finds.add((os.path.basename(fp), ln, s[i].low))
    tset = set((a, b, c) for a, b, c, d, e in truth)
    tp = len(finds & tset)
    fp_ = sorted(finds - tset)
    missed = [t for t in truth if (t[0], t[1], t[2]) not in finds]
    return len(truth), tp, fp_, missed


# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.normpath(os.path.join(here, '..'))
    ap.add_argument('--table', default=os.path.join(repo, 'data', 'confusions.tsv'))
    ap.add_argument('--tests', default=os.path.join(repo, 'data', 'confusions-tests.tsv'))
    ap.add_argument('--shared', default=None)
    ap.add_argument('--extra', action='append', default=[])
    ap.add_argument('--quiet', action='store_true')
    ap.add_argument('--per-row', action='store_true')
    ap.add_argument('--check', nargs='+')
    ap.add_argument('--kwic', nargs='+')
    ap.add_argument('--dev-findings')
    ap.add_argument('--no-dev', action='store_true')
    args = ap.parse_args()

    rows, errors = load_table(args.table)
    matcher = Matcher(rows)

    if args.kwic:
        word = args.kwic[0].lower()
        shared = find_shared(args.shared)
        paths = args.kwic[1:] or [os.path.join(shared, 'corpus', 'clean'),
                                  os.path.join(shared, 'seeds', 'cyberspace-community.txt')]
        for fp, text, sents in load_docs(paths):
            for s in sents:
                for i, t in enumerate(s):
                    if t.low == word or (word.endswith('*') and t.low.startswith(word[:-1])):
                        print('%s: %s' % (os.path.basename(fp), sent_text(s, i, 6)))
        return 0

    if args.check:
        for fp, ln, col, s, i, r in run_fp(matcher, load_docs(args.check)):
            print('%s:%d:%d: %s: %s -> %s  [row %d]  %s' % (fp, ln, col, r.severity, s[i].text,
                                                           case_like(s[i].text, r.right), r.lineno,
                                                           sent_text(s, i, 6)))
        return 0

    shared = find_shared(args.shared)
    if args.dev_findings:
        dev_findings(matcher, shared, args.dev_findings)
        print('wrote %s' % args.dev_findings)
        return 0

    ok = True
    print('table: %s: %d rows, %d words, %d pairs' % (
        args.table, len(rows), len(matcher.by_wrong), len({(r.wrong, r.right) for r in rows})))
    if errors:
        ok = False
        print('TABLE ERRORS (%d):' % len(errors))
        for e in errors:
            print('  ' + e)

    # examples must be caught
    bad_ex = []
    for r in rows:
        hit = False
        for s in sentences_of_string(r.example):
            for i, rr in matcher.check_sentence(s):
                if s[i].low == r.wrong and rr.right == r.right:
                    hit = True
        if not hit:
            bad_ex.append(r)
    print('examples caught: %d/%d' % (len(rows) - len(bad_ex), len(rows)))
    for r in bad_ex:
        ok = False
        print('  EXAMPLE NOT CAUGHT line %d: %s -> %s: %r' % (r.lineno, r.wrong, r.right, r.example))

    # hand-written tests
    if os.path.exists(args.tests):
        tests = load_tests(args.tests)
        npass, fails = run_tests(matcher, tests)
        n_flag = sum(1 for t in tests if t[2] and t[2] != 'ok')
        n_ok = sum(1 for t in tests if t[2] == 'ok')
        print('hand-written tests: %d/%d pass (%d must-flag, %d must-not-flag)' % (
            npass, len(tests), n_flag, n_ok))
        for ln, sentence, why, found in fails:
            ok = False
            print('  FAIL tests:%d: %s: %s  found=%s' % (
                ln, why, sentence, ['%s→%s (row %d)' % (a, b, r.lineno) for a, b, r in found]))
        tested = set()
        for ln, sentence, expect in tests:
            if expect and expect != 'ok':
                m = re.fullmatch(r"(.+?)\s*(?:→|->)\s*(.+)", expect)
                if m:
                    tested.add((m.group(1).lower(), m.group(2).lower()))
        untested = sorted({(r.wrong, r.right) for r in rows} - tested)
        if untested:
            print('  pairs without a must-flag test: %s' % ', '.join('%s→%s' % p for p in untested))
    else:
        print('no tests file at %s' % args.tests)

    # false positives
    clean_paths = [os.path.join(shared, 'corpus', 'clean'),
                   os.path.join(shared, 'seeds', 'cyberspace-community.txt')]
    docs = load_docs(clean_paths)
    nwords = sum(1 for _, _, ss in docs for s in ss for t in s if t.is_word)
    fps = run_fp(matcher, docs)
    seed_truth = {('cyberspace-community.txt', 33, 'ethnics'), ('cyberspace-community.txt', 39, 'pubic'),
                  ('cyberspace-community.txt', 45, 'ethnics')}
    seed_tp = [f for f in fps if (os.path.basename(f[0]), f[1], f[3][f[4]].low) in seed_truth]
    real_fps = [f for f in fps if f not in seed_tp]
    print('clean corpus + seed: %d documents, %d words; seed errors found %d/3; false positives: %d' % (
        len(docs), nwords, len(seed_tp), len(real_fps)))
    for fp, ln, col, s, i, r in real_fps:
        ok = False
        print('  FP %s:%d:%d %s→%s [row %d] %s' % (os.path.relpath(fp, shared), ln, col, s[i].text,
                                                 r.right, r.lineno, sent_text(s, i, 7)))
    extra_docs = load_docs(args.extra) if args.extra else []
    if extra_docs:
        nw = sum(1 for _, _, ss in extra_docs for s in ss for t in s if t.is_word)
        efp = run_fp(matcher, extra_docs)
        print('extra texts: %d documents, %d words; findings (likely false positives): %d' % (
            len(extra_docs), nw, len(efp)))
        for fp, ln, col, s, i, r in efp:
            print('  XFP %s:%d %s→%s [row %d] %s' % (os.path.basename(fp), ln, s[i].text, r.right,
                                                   r.lineno, sent_text(s, i, 7)))

    # synthetic recall
    stats, row_hits = synth_recall(rows, matcher, docs + extra_docs)
    tot_hit = sum(v[0] for v in stats.values())
    tot = sum(v[1] for v in stats.values())
    covered = sum(1 for v in stats.values() if v[1])
    print('synthetic recall (right→wrong substituted in real sentences%s): %d/%d = %.1f%% over %d pairs with contexts (of %d)' % (
        ' of clean + extra' if extra_docs else ' of the clean corpus', tot_hit, tot,
        100.0 * tot_hit / tot if tot else 0, covered, len(stats)))
    macro = [v[0] / v[1] for v in stats.values() if v[1]]
    if macro:
        print('  macro average over pairs: %.1f%%' % (100.0 * sum(macro) / len(macro)))
    if args.per_row or not args.quiet:
        print('  per pair (wrong→right: caught/contexts; misses):')
        for (w, rt), (h, n, miss) in sorted(stats.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            if n == 0:
                continue
            print('    %-14s→ %-14s %4d/%-4d %5.1f%%  %s' % (w, rt, h, n, 100.0 * h / n,
                                                          ' | '.join(miss[:2])))

    if args.per_row or not args.quiet:
        fp_rows = defaultdict(int)
        for f in real_fps:
            fp_rows[f[5].lineno] += 1
        print('  per row (table line: wrong→right: synthetic catches, false positives on clean+seed):')
        for r in rows:
            print('    %4d %-12s→ %-14s %5d caught  %d FP' % (r.lineno, r.wrong, r.right, row_hits.get(r.lineno, 0),
                                                          fp_rows.get(r.lineno, 0)))

    # dev set (informative)
    if not args.no_dev and os.path.isdir(os.path.join(shared, 'corpus', 'dev')):
        n, tp, fps_dev, missed = dev_score(matcher, shared)
        print('dev set (informative; planted): real-word truth %d, caught %d (%.1f%%), findings not in truth %d' % (
            n, tp, 100.0 * tp / n if n else 0, len(fps_dev)))
        if not args.quiet:
            for t in missed:
                print('  missed %s:%d %s→%s' % (t[0], t[1], t[2], t[3]))
            for f in fps_dev:
                print('  extra %s:%d %s' % f)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
