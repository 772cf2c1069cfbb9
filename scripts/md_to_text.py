#!/usr/bin/env python3
"""Turns Markdown policy documents into plain-text ones, for measurement.

    scripts/md_to_text.py OUTDIR FILE.md [FILE.md …]

The clean corpus is all Markdown; plain-text policies (white papers, laws,
handbooks) lay the same structure out differently. This writes each document
as a plain text would: the front-matter title as the first line, numbered
headings as lines of their own ("2. Fees"), unnumbered ones underlined,
emphasis and link syntax removed, code, tables, HTML and template tags
dropped. The output feeds make_planted.py, which plants errors into it.
"""
import os
import re
import sys

UNDERLINE = {1: '=', 2: '=', 3: '-', 4: '~', 5: '~', 6: '~'}


def convert(md):
    lines = md.split('\n')
    out = []
    title = None
    i = 0
    if lines and lines[0].strip() == '---':
        i = 1
        while i < len(lines) and lines[i].strip() != '---':
            m = re.match(r'title:\s*(.+)', lines[i])
            if m:
                title = m.group(1).strip().strip('"\'')
            i += 1
        i += 1
    body = lines[i:]
    first = next((l for l in body if l.strip() and not l.lstrip().startswith(('<', '{%'))), '')
    if title and re.sub(r'[#*_]', '', first).strip().lower() != title.lower():
        out += [title, '']
    fence = False
    # Markdown renders "1. 1. 1." as 1, 2, 3: a plain text writes that.
    counters = {}
    previous_blank = False
    for line in body:
        item = re.match(r'^(\s*)(\d+)\.(\s)', line)
        indent = len(line) - len(line.lstrip())
        if item:
            key = len(item.group(1))
            number = counters.get(key, int(item.group(2)) - 1) + 1
            counters = {k: v for k, v in counters.items() if k <= key}
            counters[key] = number
            line = '%s%d.%s' % (item.group(1), number, line[item.end(2) + 1:])
        elif line.strip() and indent == 0 and previous_blank:
            counters = {}
        previous_blank = not line.strip()
        if re.match(r'\s*(```|~~~)', line):
            fence = not fence
            continue
        if fence or line.lstrip().startswith(('|', '<')):
            continue
        line = re.sub(r'\{%.*?%\}|\{\{.*?\}\}|<!--.*?-->|<[^>]+>', '', line)
        line = re.sub(r'!\[[^\]]*\]\([^)]*\)', '', line)
        line = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', line)
        line = re.sub(r'\[([^\]]*)\]\[[^\]]*\]', r'\1', line)
        line = re.sub(r'(\*\*|__)(.+?)\1', r'\2', line)
        line = re.sub(r'(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)', r'\1', line)
        line = re.sub(r'(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)', r'\1', line)
        line = line.replace('`', '')
        line = re.sub(r'^>\s?(\[!\w+\])?\s*', '', line)
        line = re.sub(r'^(\s*)[*+]\s', r'\1- ', line)
        m = re.match(r'^(#{1,6})\s+(.*?)\s*#*\s*$', line)
        if m:
            text = m.group(2).strip()
            if not text:
                continue
            if out and out[-1] != '':
                out.append('')
            out.append(text)
            if not re.match(r'^(\d+(\.\d+)*\.?|[A-Z]\.|[IVX]+\.)\s', text):
                out.append(UNDERLINE[len(m.group(1))] * len(text))
            continue
        out.append(line.rstrip())
    text = '\n'.join(out)
    text = re.sub(r'\n{3,}', '\n\n', text)
    return text.strip() + '\n'


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for path in sys.argv[2:]:
        with open(path, encoding='utf-8') as f:
            text = convert(f.read())
        name = os.path.splitext(os.path.basename(path))[0] + '.txt'
        with open(os.path.join(outdir, name), 'w', encoding='utf-8') as f:
            f.write(text)


if __name__ == '__main__':
    main()
