#!/usr/bin/env python3
"""Measures policylint against a planted-error corpus with its score.py.

    scripts/measure.py [--binary target/release/policylint] [--corpus DIR]
                       [--select RULES] [--min-severity info] [--kinds] [--fp]

Runs `policylint check --no-config --output-format json` over DIR/docs (default:
../shared/corpus/dev), writes the findings as the TSV score.py reads
(path line column text rule) and prints score.py's report. With --fp it
also lists the false positives on the clean control files, and with
--clean DIR it reports every finding on a folder of correct documents.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SEVERITIES = ['hint', 'info', 'warning', 'error']


def run(binary, paths, select, min_severity):
    cmd = [binary, 'check', '--no-config', '--output-format', 'json']
    if select:
        cmd += ['--select', select]
    proc = subprocess.run(cmd + paths, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit('policylint failed (%d): %s' % (proc.returncode, proc.stderr))
    findings = json.loads(proc.stdout)
    floor = SEVERITIES.index(min_severity)
    return [f for f in findings if SEVERITIES.index(f['severity']) >= floor]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', default=os.path.join(ROOT, 'target', 'release', 'policylint'))
    ap.add_argument('--corpus', default=os.path.join(ROOT, '..', 'shared', 'corpus', 'dev'))
    ap.add_argument('--score', help='score.py (default: ../shared/corpus/score.py)')
    ap.add_argument('--select')
    ap.add_argument('--min-severity', default='hint', choices=SEVERITIES)
    ap.add_argument('--kinds', action='store_true')
    ap.add_argument('--fp', action='store_true', help='list false positives and misses')
    ap.add_argument('--clean', help='a folder of correct documents: list every finding there')
    args = ap.parse_args()

    if args.clean:
        findings = run(args.binary, [args.clean], args.select, args.min_severity)
        words = 0
        for root, _, files in os.walk(args.clean):
            for f in files:
                if f.lower().endswith(('.md', '.markdown', '.txt')):
                    with open(os.path.join(root, f), encoding='utf-8', errors='replace') as fh:
                        import re
                        words += len(re.findall(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*", fh.read()))
        by_rule = {}
        for f in findings:
            by_rule[f['rule']] = by_rule.get(f['rule'], 0) + 1
            print('%s:%d:%d\t%s\t%s\t%s' % (f['path'], f['line'], f['column'], f['rule'], f['text'][:60], f['message']))
        print('\n%d findings in %d words: %.2f per 10,000 words' % (len(findings), words, 1e4 * len(findings) / max(words, 1)))
        for r, n in sorted(by_rule.items()):
            print('  %-20s %4d  %.2f per 10,000 words' % (r, n, 1e4 * n / max(words, 1)))
        return

    docs = os.path.join(args.corpus, 'docs')
    findings = run(args.binary, [docs], args.select, args.min_severity)
    with tempfile.NamedTemporaryFile('w', suffix='.tsv', delete=False, encoding='utf-8') as out:
        out.write('path\tline\tcolumn\tflagged_text\trule\n')
        for f in findings:
            text = f['text'].replace('\t', ' ').replace('\n', ' ')
            out.write('%s\t%d\t%d\t%s\t%s\n' % (f['path'], f['line'], f['column'], text, f['rule']))
        tsv = out.name
    score = args.score or os.path.join(ROOT, '..', 'shared', 'corpus', 'score.py')
    cmd = [sys.executable, score, os.path.join(args.corpus, 'truth.tsv'), tsv]
    if args.kinds:
        cmd.append('--kinds')
    subprocess.run(cmd, check=True)
    if args.fp:
        list_errors(args.corpus, findings)
    os.unlink(tsv)


def list_errors(corpus, findings):
    """False positives (findings on no truth line) and misses, by rule."""
    truth = {}
    with open(os.path.join(corpus, 'truth.tsv'), encoding='utf-8') as f:
        next(f)
        for line in f:
            c = line.rstrip('\n').split('\t')
            truth.setdefault((c[0], int(c[1])), []).append(c)
    seen = set()
    print('\nfindings on lines without a planted error of their category:')
    for f in findings:
        name = os.path.basename(f['path'])
        key = (name, f['line'])
        cats = set(c[3] for c in truth.get(key, []))
        if category(f) in cats:
            seen.add(key)
            continue
        print('  FP %s:%d:%d [%s] %s | %s' % (name, f['line'], f['column'], f['rule'], f['text'][:50], f['message']))
    print('\nplanted errors with no finding on their line:')
    for key, rows in sorted(truth.items()):
        if key not in seen:
            for c in rows:
                print('  FN %s:%s:%s [%s/%s] %s' % (c[0], c[1], c[2], c[3], c[4], c[5][:60]))


def category(finding):
    """The truth category a finding's rule answers to (as score.py guesses it)."""
    rule = finding['rule']
    if rule == 'misspelling':
        return 'misspelling'
    if rule in ('real-word', 'article'):
        return 'real-word'
    return 'structure'


if __name__ == '__main__':
    main()
