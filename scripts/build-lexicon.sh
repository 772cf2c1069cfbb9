#!/usr/bin/env bash
# Regenerate data/lexicon/words.tsv and data/lexicon/COPYING.scowl from
# the SCOWL source package in Debian 12 (bookworm), scowl 2020.12.07-2.
#
# Usage:  scripts/build-lexicon.sh            # download, verify, build
#         SCOWL_SRC_DIR=DIR scripts/build-lexicon.sh
#             # use scowl_2020.12.07.orig.tar.gz and
#             # scowl_2020.12.07-2.debian.tar.xz already in DIR (offline)
#
# Needs: bash, apt-get (any Debian/Ubuntu-like system; no root needed, the
# system's apt configuration and package lists are not touched), sha256sum,
# python3 (standard library only).  Output is deterministic: the pinned
# input tarballs are checked by SHA-256 and the build sorts everything.
set -euo pipefail
export LC_ALL=C

SCOWL_VERSION=2020.12.07
DEBIAN_REVISION=2
SUITE=bookworm
MIRROR=http://deb.debian.org/debian
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

ORIG=scowl_${SCOWL_VERSION}.orig.tar.gz
DEBIAN=scowl_${SCOWL_VERSION}-${DEBIAN_REVISION}.debian.tar.xz
ORIG_SHA256=5587667caa20c4891390c2d42dbb4d5c4c3f41bee77af1457ece3ba23fb859cc
DEBIAN_SHA256=17a60633b2ec2b1af1595e1c48008a9deeb9ce8f12754a4ef9c6594daa194df2

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
out="$root/data/lexicon"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -n "${SCOWL_SRC_DIR:-}" ]; then
    src=$(cd "$SCOWL_SRC_DIR" && pwd)
else
    # Private apt configuration: only a deb-src line for the pinned suite,
    # with its own package lists and cache under $tmp.
    mkdir -p "$tmp/apt/lists/partial" "$tmp/apt/cache/archives/partial" \
             "$tmp/apt/sources.list.d" "$tmp/src"
    echo "deb-src [signed-by=$KEYRING] $MIRROR $SUITE main" > "$tmp/apt/sources.list"
    apt_opts=(
        -o "Dir::Etc::SourceList=$tmp/apt/sources.list"
        -o "Dir::Etc::SourceParts=$tmp/apt/sources.list.d"
        -o "Dir::State::Lists=$tmp/apt/lists"
        -o "Dir::Cache=$tmp/apt/cache"
        -o "Debug::NoLocking=true"
    )
    if [ "$(id -u)" = 0 ]; then
        # $tmp is private to root, so don't drop privileges to _apt.
        apt_opts+=(-o "APT::Sandbox::User=root")
    fi
    echo "build-lexicon: fetching scowl ${SCOWL_VERSION}-${DEBIAN_REVISION} source from $SUITE" >&2
    apt-get -qq "${apt_opts[@]}" update
    (cd "$tmp/src" && apt-get -qq "${apt_opts[@]}" source --download-only \
        "scowl=${SCOWL_VERSION}-${DEBIAN_REVISION}")
    src="$tmp/src"
fi

(cd "$src" && sha256sum -c --quiet - <<EOF
$ORIG_SHA256  $ORIG
$DEBIAN_SHA256  $DEBIAN
EOF
) || { echo "build-lexicon: SHA-256 mismatch for the SCOWL tarballs" >&2; exit 1; }

python3 "$here/build_lexicon.py" --orig "$src/$ORIG" --debian "$src/$DEBIAN" --out-dir "$out"

(cd "$out" && sha256sum words.tsv COPYING.scowl) >&2
