#!/usr/bin/env python3
"""Measures policylint on real documents, the way a new user meets it.

    scripts/measure_real.py [--binary target/release/policylint]
                            [--shared ../shared] [--list] [--rule RULE]

Runs `policylint check --no-config --output-format json` over

- corpus/real/licenses (and compares the findings with
  licenses-judged.tsv: every finding judged TRUE must still be reported on
  its file and line; of those judged FALSE, how many are still reported at
  warning or above by the same rule on the same line),
- corpus/real/mozilla ("will not not" must be found),
- corpus/clean, and any extra folders given with --extra,

and prints, for each, the words, the findings per rule and severity, and
warnings (warning or error) per 10,000 words. With --list it prints every
finding at warning or above that the judged file does not know, to read.
Measurement only: the project's tests never read ../shared.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WARNING_OR_ABOVE = ('warning', 'error')
WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")


def run(binary, path):
    cmd = [binary, 'check', '--no-config', '--output-format', 'json', path]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit('policylint failed (%d): %s' % (proc.returncode, proc.stderr[-2000:]))
    return json.loads(proc.stdout)


def count_words(folder):
    words = 0
    for root, _, files in os.walk(folder):
        for name in files:
            if name.lower().endswith(('.md', '.markdown', '.txt')):
                with open(os.path.join(root, name), encoding='utf-8', errors='replace') as f:
                    words += len(WORD.findall(f.read()))
    return words


def summarise(title, findings, words, rule_filter):
    by_rule = collections.defaultdict(collections.Counter)
    for f in findings:
        by_rule[f['rule']][f['severity']] += 1
    warnings = sum(1 for f in findings if f['severity'] in WARNING_OR_ABOVE)
    print('\n## %s: %d words, %d findings, %d at warning or above = %.2f per 10,000 words'
          % (title, words, len(findings), warnings, 1e4 * warnings / max(words, 1)))
    print('   %-20s %7s %7s %7s %7s' % ('rule', 'error', 'warning', 'info', 'hint'))
    for rule in sorted(by_rule):
        if rule_filter and rule != rule_filter:
            continue
        c = by_rule[rule]
        print('   %-20s %7d %7d %7d %7d' % (rule, c['error'], c['warning'], c['info'], c['hint']))
    return warnings


def load_judged(path):
    rows = []
    with open(path, encoding='utf-8') as f:
        header = next(f).rstrip('\n').split('\t')
        for line in f:
            cells = line.rstrip('\n').split('\t')
            rows.append(dict(zip(header, cells)))
    return rows


def compare_with_judged(findings, judged, rule_filter, show_unjudged):
    at_line = collections.defaultdict(list)
    for f in findings:
        at_line[(os.path.basename(f['path']), f['line'])].append(f)

    def reported(row, same_finding, floor=WARNING_OR_ABOVE):
        for f in at_line.get((row['file'], int(row['line'])), []):
            if f['severity'] not in floor:
                continue
            # The same finding: its rule, and where it starts or what it says.
            text = f['text'].replace('\n', '\\n')
            if same_finding and (f['rule'] != row['rule']
                                 or (str(f['column']) != row['column'] and text != row['text'])):
                continue
            return f
        return None

    print('\n### judged findings (licenses-judged.tsv)')
    true_rows = [r for r in judged if r['verdict'] == 'TRUE']
    any_severity = ('hint', 'info') + WARNING_OR_ABOVE
    missed = [r for r in true_rows if not reported(r, same_finding=False, floor=any_severity)]
    below = [r for r in true_rows if r not in missed and not reported(r, same_finding=False)]
    print('   TRUE still reported (file and line): %d/%d, %d of them at warning or above'
          % (len(true_rows) - len(missed), len(true_rows), len(true_rows) - len(missed) - len(below)))
    for r in missed:
        print('     MISSED %s:%s [%s] %s -> %s' % (r['file'], r['line'], r['rule'], r['text'], r['cause']))
    for r in below:
        print('     BELOW WARNING %s:%s [%s] %s -> %s' % (r['file'], r['line'], r['rule'], r['text'], r['cause']))

    false_rows = [r for r in judged if r['verdict'] == 'FALSE']
    still = [r for r in false_rows if reported(r, same_finding=True)]
    print('   FALSE still reported (same finding, warning or above): %d/%d = %.1f %%'
          % (len(still), len(false_rows), 100.0 * len(still) / max(len(false_rows), 1)))
    by_cause = collections.Counter(r['cause'] for r in still)
    for cause, n in by_cause.most_common():
        print('     %-40s %d' % (cause, n))
    for r in still:
        if rule_filter and r['rule'] != rule_filter:
            continue
        print('     STILL %s:%s [%s] %s (%s)' % (r['file'], r['line'], r['rule'], r['text'], r['cause']))

    if show_unjudged:
        known = {(r['file'], int(r['line']), r['rule']) for r in judged}
        print('\n### findings at warning or above that were not judged')
        for f in findings:
            if f['severity'] not in WARNING_OR_ABOVE:
                continue
            if rule_filter and f['rule'] != rule_filter:
                continue
            if (os.path.basename(f['path']), f['line'], f['rule']) in known:
                continue
            print('   %s:%d:%d [%s] %s | %s' % (os.path.basename(f['path']), f['line'], f['column'],
                                             f['rule'], f['text'][:50].replace('\n', '\\n'), f['message']))


def list_findings(findings, rule_filter):
    for f in findings:
        if f['severity'] not in WARNING_OR_ABOVE:
            continue
        if rule_filter and f['rule'] != rule_filter:
            continue
        print('   %s:%d:%d [%s] %s | %s' % (f['path'], f['line'], f['column'], f['rule'],
                                         f['text'][:50].replace('\n', '\\n'), f['message']))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', default=os.path.join(ROOT, 'target', 'release', 'policylint'))
    ap.add_argument('--shared', default=os.path.join(ROOT, '..', 'shared'))
    ap.add_argument('--list', action='store_true', help='list findings at warning or above')
    ap.add_argument('--rule', help='only this rule in the lists')
    ap.add_argument('--extra', action='append', default=[], help='another folder of real documents')
    args = ap.parse_args()

    corpus = os.path.join(args.shared, 'corpus')
    licenses = os.path.join(corpus, 'real', 'licenses')
    findings = run(args.binary, licenses)
    summarise('real/licenses', findings, count_words(licenses), args.rule)
    compare_with_judged(findings, load_judged(os.path.join(corpus, 'real', 'licenses-judged.tsv')),
                        args.rule, args.list)

    folders = [('real/mozilla', os.path.join(corpus, 'real', 'mozilla')),
               ('clean', os.path.join(corpus, 'clean'))]
    folders += [(p, p) for p in args.extra]
    for title, folder in folders:
        findings = run(args.binary, folder)
        summarise(title, findings, count_words(folder), args.rule)
        if title == 'real/mozilla':
            found = any(f['rule'] == 'repeated-word' and f['text'].lower() == 'not not'
                        and f['path'].endswith('formulaic_tos.md') for f in findings)
            print('   "will not not exceed" in formulaic_tos.md: %s' % ('found' if found else 'MISSED'))
        if args.list:
            list_findings(findings, args.rule)


if __name__ == '__main__':
    main()
