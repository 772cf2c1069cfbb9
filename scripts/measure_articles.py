#!/usr/bin/env python3
"""Recall and precision of the `article` rule on flipped articles.

    scripts/measure_articles.py [--binary target/release/policylint] DIR

For every Markdown or text file under DIR (correct documents), writes a copy
where every "a"/"an" before a word is swapped for the other, checks both
versions with `--select article`, and reports how many swapped articles are
flagged (recall) and how many findings fall on the untouched text
(false positives). Swapped articles whose original was itself wrong in the
source count against recall, so the figure is a lower bound.
"""
import argparse
import json
import os
import re
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARTICLE = re.compile(r"(?<![\w'’)\].-])(a|an|A|An)(?= [A-Za-z0-9])")


def check(binary, path):
    out = subprocess.run([binary, 'check', '--no-config', '--select', 'article', '--output-format', 'json', path],
                         capture_output=True, text=True).stdout
    return json.loads(out or '[]')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', default=os.path.join(ROOT, 'target', 'release', 'policylint'))
    ap.add_argument('dir')
    args = ap.parse_args()
    flipped_total = caught = fp = 0
    with tempfile.TemporaryDirectory() as tmp:
        for root, _, files in os.walk(args.dir):
            for f in sorted(files):
                if not f.endswith(('.md', '.txt')) or f.startswith(('LICENSE', 'SOURCES')):
                    continue
                src = os.path.join(root, f)
                text = open(src, encoding='utf-8').read()
                fp += len(check(args.binary, src))
                swap = {'a': 'an', 'an': 'a', 'A': 'An', 'An': 'A'}
                lines = text.split('\n')
                spots = set()
                new_lines = []
                for n, line in enumerate(lines):
                    def repl(m):
                        spots.add((n + 1, len(line[:m.start()]) + 1))
                        return swap[m.group(1)]
                    # Keep columns stable: only one swap per line.
                    new_lines.append(ARTICLE.sub(repl, line, count=1))
                out = os.path.join(tmp, f)
                open(out, 'w', encoding='utf-8').write('\n'.join(new_lines))
                found = {(d['line'], d['column']) for d in check(args.binary, out)}
                flipped_total += len(spots)
                caught += len(spots & found)
    print('swapped %d articles, flagged %d: recall %.3f; findings on the correct texts: %d'
          % (flipped_total, caught, caught / max(flipped_total, 1), fp))


if __name__ == '__main__':
    main()
