#!/usr/bin/env python3
"""Does `policylint check` grow linearly? Whole-process time and peak memory.

    scripts/scaling.py [--binary target/release/policylint] [--sizes 1,10,100]
                       [--adversarial] [--keep DIR]

Concatenates the clean policy corpus (../shared/corpus/clean, or seeds/ when
that is absent) into Markdown files of each size in megabytes, runs the
release binary once on each (findings printed in the concise format to
/dev/null) and prints wall-clock time, peak resident memory (the child's
ru_maxrss, from wait4) and the ratios between consecutive sizes. For linear
growth the time and memory ratios stay near the size ratio.

--adversarial also runs the hostile inputs of the hardening issue at full
size (100 MB on one line, a million headings, 10,000-level nesting, a
100,000-character word, NUL bytes, lone carriage returns, mixed line
endings, only whitespace, an empty file, a 10 MB sentence without
punctuation) and prints the same two figures for each.

It is a measurement, not a test: nothing fails on a slow machine. Build the
binary first: cargo build --release.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MB = 1 << 20


def corpus_text():
    clean = os.path.join(ROOT, '..', 'shared', 'corpus', 'clean')
    top = clean if os.path.isdir(clean) else os.path.join(ROOT, 'seeds')
    paths = []
    for folder, _, names in os.walk(top):
        paths += [os.path.join(folder, n) for n in names if n.endswith(('.md', '.txt'))]
    parts = []
    for path in sorted(paths):
        with open(path, encoding='utf-8') as f:
            parts.append(f.read())
    return '\n\n'.join(parts) + '\n\n', os.path.relpath(top, ROOT)


def write_repeated(path, unit, size):
    """Writes `unit` (str or bytes) over and over until the file holds `size` bytes."""
    data = unit.encode('utf-8') if isinstance(unit, str) else unit
    with open(path, 'wb') as f:
        written = 0
        while written < size:
            chunk = data[:size - written]
            f.write(chunk)
            written += len(chunk)


def run(binary, path):
    """(seconds, peak RSS in MB, exit code) of one check of `path`."""
    cmd = [binary, 'check', '--no-config', '--output-format', 'concise', path]
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    stderr = child.stderr.read().decode('utf-8', 'replace').strip()
    child.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    # Exit code 1 means "findings"; 2 is an error worth showing.
    if code not in (0, 1):
        print('  %s: exit %d: %s' % (os.path.basename(path), code, stderr[:300]), file=sys.stderr)
    return seconds, usage.ru_maxrss / 1024, code


def scaling(args, folder):
    text, source = corpus_text()
    sizes = [float(s) for s in args.sizes.split(',')]
    print('clean corpus from %s (%.2f MB per copy), concatenated to each size, as Markdown'
          % (source, len(text.encode('utf-8')) / 1e6))
    print('%8s %10s %10s %9s %12s %12s' % ('size', 'time', 'peak RSS', 'MB/s', 'time ratio', 'RSS ratio'))
    previous = None
    for size in sizes:
        path = os.path.join(folder, 'corpus-%gMB.md' % size)
        write_repeated(path, text, int(size * MB))
        seconds, rss, _ = run(args.binary, path)
        ratios = ('', '')
        if previous:
            ratios = ('%.2f' % (seconds / previous[0]), '%.2f' % (rss / previous[1]))
        print('%6g MB %9.2fs %7.0f MB %9.1f %12s %12s' % (size, seconds, rss, size / seconds, *ratios))
        previous = (seconds, rss)
        if not args.keep:
            os.remove(path)


def adversarial_inputs():
    """(name, file name, writer) for each hostile input, at the issue's sizes."""
    sentence = 'the commission shall publish each policy and review it every year '
    return [
        ('100 MB on one line', 'one-line.txt', lambda p: write_repeated(p, sentence, 100 * MB)),
        ('1,000,000 numbered headings', 'headings.md',
         lambda p: write_lines(p, ('## %d. Heading number %d\n' % (i, i) for i in range(1, 1_000_001)))),
        ('10,000-level nested list', 'nested-list.md',
         lambda p: write_lines(p, ('  ' * i + '- item\n' for i in range(10_000)))),
        ('10,000-level nested quote', 'nested-quote.md',
         lambda p: write_lines(p, ('>' * i + ' quoted\n' for i in range(1, 10_001)))),
        ('100,000-character word', 'long-word.txt',
         lambda p: write_repeated(p, 'policy ' + 'x' * 100_000 + ' text\n', 100_008)),
        ('NUL bytes (10 MB)', 'nul.txt', lambda p: write_repeated(p, b'policy\x00text \x00\x00\n', 10 * MB)),
        ('lone \\r line ends (10 MB)', 'cr.txt', lambda p: write_repeated(p, '1. Scope\rThe text.\r', 10 * MB)),
        ('mixed line ends (10 MB)', 'mixed.txt',
         lambda p: write_repeated(p, '1. Scope\r\nThe text.\rMore text.\n\r\n', 10 * MB)),
        ('only whitespace (10 MB)', 'blank.txt', lambda p: write_repeated(p, ' \t \n\r\n  ', 10 * MB)),
        ('empty file', 'empty.txt', lambda p: write_repeated(p, '', 0)),
        ('10 MB sentence, no punctuation', 'sentence.txt',
         lambda p: write_repeated(p, sentence.replace('year ', 'year and '), 10 * MB)),
    ]


def write_lines(path, lines):
    with open(path, 'w', encoding='utf-8') as f:
        f.writelines(lines)


def adversarial(args, folder):
    print()
    print('%-32s %9s %10s %10s %6s' % ('adversarial input', 'size', 'time', 'peak RSS', 'exit'))
    for name, file_name, write in adversarial_inputs():
        path = os.path.join(folder, file_name)
        write(path)
        size = os.path.getsize(path)
        seconds, rss, code = run(args.binary, path)
        print('%-32s %7.1f MB %9.2fs %7.0f MB %6d' % (name, size / 1e6, seconds, rss, code))
        if not args.keep:
            os.remove(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--binary', default=os.path.join(ROOT, 'target', 'release', 'policylint'))
    ap.add_argument('--sizes', default='1,10,100', help='sizes in MB, comma-separated')
    ap.add_argument('--adversarial', action='store_true', help='also time the hostile inputs')
    ap.add_argument('--keep', metavar='DIR', help='write the inputs here and keep them')
    args = ap.parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit('no binary at %s: run cargo build --release first' % args.binary)
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        folder = args.keep
    else:
        folder = tempfile.mkdtemp(prefix='policylint-scaling-')
    try:
        scaling(args, folder)
        if args.adversarial:
            adversarial(args, folder)
    finally:
        if not args.keep:
            os.rmdir(folder)


if __name__ == '__main__':
    main()
