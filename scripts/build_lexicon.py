#!/usr/bin/env python3
"""Build data/lexicon/words.tsv and COPYING.scowl from the SCOWL source package.

Input: the Debian source package of SCOWL (scowl_<ver>.orig.tar.gz and
scowl_<ver>-<rev>.debian.tar.xz), as fetched by scripts/build-lexicon.sh.
Only the Python standard library is used.

Steps (see data/lexicon/README.md for the rationale):

1. Read the upstream SCOWL word lists (final/*.NN, ISO-8859-1) and the
   upstream "Copyright" file from the orig tarball.
2. Apply the Debian patches from debian/patches/series that touch
   final/ (word-list fixes: remove "mys", move "sangs" and "reprized"
   to level 95).  Patches to other files (speller scripts) are skipped.
   Application is strict: every context and removed line must match.
3. Reproduce SCOWL's `mk-list en_US 70` and `mk-list en_GB-ise 70`
   (the word lists behind SCOWL's standard en_US / en_GB hunspell and
   aspell dictionaries: spelling categories english + special + american,
   resp. english + special + british; all sub-categories; sizes <= 70;
   no variant lists), remembering for every word the smallest size level
   of any list it came from.
4. Accents: keep the word as SCOWL spells it (e.g. "café") and also add
   the de-accented form ("cafe") that SCOWL's standard hunspell/aspell
   dictionaries use (mk-list --accents=both, same character table).
5. Write word<TAB>level<TAB>region sorted by UTF-8 bytes, region being
   both / US / GB.
"""

import argparse
import io
import lzma
import os
import re
import sys
import tarfile

MAX_LEVEL = 70
LEVELS = (10, 20, 35, 40, 50, 55, 60, 70)

# Spelling categories, as mk-list's %spelling_map plus the implied
# "english" and "special" categories (mk-list adds them unless --no-implied).
DICTS = {
    "US": ("english", "special", "american"),  # mk-list en_US 60
    "GB": ("english", "special", "british"),  # mk-list en_GB-ise 60
}

# mk-list's deaccent() table (ISO-8859-1 in the original script).
_DEACCENT_FROM = "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöøùúûüýÿ"
_DEACCENT_TO = "AAAAAACEEEEIIIINOOOOOOUUUUYaaaaaaceeeeiiiinoooooouuuuyy"
DEACCENT = str.maketrans(_DEACCENT_FROM, _DEACCENT_TO)

LIST_RE = re.compile(r"^(\w+)-([^.]+)\.(\d\d)$")  # as mk-list: /^(\w+)-([^.]+)\.(\d\d)/


def die(msg):
    sys.stderr.write("build_lexicon: " + msg + "\n")
    sys.exit(1)


def read_orig(path):
    """Return ({relative path: bytes}, top-level dir) for the orig tarball."""
    files = {}
    top = None
    with tarfile.open(path, "r:gz") as tf:
        for m in tf.getmembers():
            if not m.isfile():
                continue
            parts = m.name.split("/", 1)
            if len(parts) != 2:
                continue
            if top is None:
                top = parts[0]
            elif parts[0] != top:
                die("unexpected top-level dir in %s: %s" % (path, m.name))
            files[parts[1]] = tf.extractfile(m).read()
    return files, top


def read_debian_patches(path):
    """Return [(name, bytes)] in debian/patches/series order."""
    with open(path, "rb") as f:
        data = lzma.decompress(f.read())
    members = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tf:
        for m in tf.getmembers():
            if m.isfile():
                members[m.name] = tf.extractfile(m).read()
    series = members.get("debian/patches/series")
    if series is None:
        die("no debian/patches/series in " + path)
    out = []
    for line in series.decode("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name = line.split()[0]
        body = members.get("debian/patches/" + name)
        if body is None:
            die("patch listed in series is missing: " + name)
        out.append((name, body))
    return out


HUNK_RE = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def parse_patch(body):
    """Parse a unified diff into [(target path, [hunks])], -p1 paths."""
    lines = body.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    result = []
    i = 0
    while i < len(lines):
        if lines[i].startswith(b"--- ") and i + 1 < len(lines) and lines[i + 1].startswith(b"+++ "):
            target = lines[i + 1][4:].split(b"\t")[0].decode("utf-8")
            target = target.split("/", 1)[1]  # -p1
            hunks = []
            i += 2
            while i < len(lines) and lines[i].startswith(b"@@ "):
                m = HUNK_RE.match(lines[i])
                if not m:
                    die("bad hunk header: %r" % lines[i])
                old_start = int(m.group(1))
                old_len = int(m.group(2)) if m.group(2) is not None else 1
                new_len = int(m.group(4)) if m.group(4) is not None else 1
                i += 1
                old, new = [], []
                while len(old) < old_len or len(new) < new_len:
                    if i >= len(lines):
                        die("truncated hunk in patch for " + target)
                    l = lines[i]
                    i += 1
                    tag, text = l[:1], l[1:]
                    if tag == b" " or l == b"":
                        old.append(text)
                        new.append(text)
                    elif tag == b"-":
                        old.append(text)
                    elif tag == b"+":
                        new.append(text)
                    elif tag == b"\\":
                        die("'no newline at end of file' hunks are not supported")
                    else:
                        die("bad hunk line %r in patch for %s" % (l, target))
                hunks.append((old_start, old, new))
            result.append((target, hunks))
        else:
            i += 1
    return result


def apply_hunks(data, hunks, what):
    if not data.endswith(b"\n"):
        die(what + ": file does not end with a newline")
    lines = data[:-1].split(b"\n")
    delta = 0
    for old_start, old, new in hunks:
        pos = old_start - 1 + delta if old else old_start + delta
        if lines[pos:pos + len(old)] != old:
            die("%s: hunk at line %d does not apply exactly" % (what, old_start))
        lines[pos:pos + len(old)] = new
        delta += len(new) - len(old)
    return b"\n".join(lines) + b"\n"


def load_lists(orig, debian):
    files, top = read_orig(orig)
    applied = []
    for name, body in read_debian_patches(debian):
        for target, hunks in parse_patch(body):
            if not target.startswith("final/"):
                continue  # speller/ build tweaks: irrelevant here
            if target not in files:
                die("patch %s targets missing file %s" % (name, target))
            files[target] = apply_hunks(files[target], hunks, name + ":" + target)
            applied.append("%s (%s)" % (name, target))
    if "Copyright" not in files:
        die("no Copyright file in " + orig)
    lists = {}
    for path, data in files.items():
        if not path.startswith("final/"):
            continue
        m = LIST_RE.match(path[len("final/"):])
        if not m:
            continue
        lists[path[len("final/"):]] = (m.group(1), m.group(2), int(m.group(3)), data)
    return top, files["Copyright"], lists, applied


def collect(lists, categories):
    """word -> smallest level, over the lists mk-list would use."""
    words = {}
    for name in sorted(lists):
        cat, _sub, size, data = lists[name]
        if cat not in categories or size > MAX_LEVEL:
            continue
        if size not in LEVELS:
            die("unexpected size level in " + name)
        text = data.decode("iso-8859-1")
        if not text.endswith("\n"):
            die(name + " does not end with a newline")
        for w in text[:-1].split("\n"):
            if not w or w != w.strip() or "\t" in w:
                die("odd entry %r in %s" % (w, name))
            for form in {w, w.translate(DEACCENT)}:
                if words.get(form, 1000) > size:
                    words[form] = size
    return words


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--orig", required=True, help="scowl_<ver>.orig.tar.gz")
    ap.add_argument("--debian", required=True, help="scowl_<ver>-<rev>.debian.tar.xz")
    ap.add_argument("--out-dir", required=True, help="output dir (data/lexicon)")
    args = ap.parse_args()

    top, copyright_text, lists, applied = load_lists(args.orig, args.debian)
    us = collect(lists, DICTS["US"])
    gb = collect(lists, DICTS["GB"])

    out = []
    for w in set(us) | set(gb):
        if w in us and w in gb:
            region, level = "both", min(us[w], gb[w])
        elif w in us:
            region, level = "US", us[w]
        else:
            region, level = "GB", gb[w]
        out.append((w.encode("utf-8"), level, region))
    out.sort()

    os.makedirs(args.out_dir, exist_ok=True)
    tsv = os.path.join(args.out_dir, "words.tsv")
    with open(tsv + ".tmp", "wb") as f:
        for w, level, region in out:
            f.write(b"%s\t%d\t%s\n" % (w, level, region.encode("ascii")))
    os.replace(tsv + ".tmp", tsv)

    cp = os.path.join(args.out_dir, "COPYING.scowl")
    with open(cp + ".tmp", "wb") as f:
        f.write(copyright_text)  # verbatim (the file is pure ASCII)
    os.replace(cp + ".tmp", cp)

    sys.stderr.write("build_lexicon: %s, Debian patches applied: %s\n" % (top, ", ".join(applied) or "none"))
    sys.stderr.write("build_lexicon: wrote %d words to %s\n" % (len(out), tsv))


if __name__ == "__main__":
    main()
