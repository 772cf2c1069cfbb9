#!/usr/bin/env bash
# End-to-end test of the Emacs integration (editors/emacs): Debian's
# emacs-nox and elpa-eglot in batch mode, with the README's init.el (which
# loads editors/emacs/policylint-eglot.el) and the server under test first
# on PATH, open seeds/cyberspace-community.txt and check Flymake's
# diagnostics, imenu's sections and the quick fix for "pubic", then the
# README's .dir-locals.el settings (tests/editors/emacs/test.el). Installs
# the packages with apt when missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
E2E_NAME=e2e-emacs
. tests/editors/lib.sh

apt_install emacs-nox elpa-eglot
command -v emacs >/dev/null || fail "no emacs on PATH after installing emacs-nox"
policylint_binary
echo "$E2E_NAME: $(emacs --version | head -1) with $POLICYLINT"

# What the README tells a user to put in init.el and .dir-locals.el.
python3 tests/editors/snippet.py emacs-forms --in editors/emacs/policylint-eglot.el >/dev/null ||
    fail "the README's Emacs configuration is not the one in editors/emacs/policylint-eglot.el"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
python3 tests/editors/snippet.py emacs-init --repo "$PWD" >"$scratch/init.el" || fail "no Emacs init.el in the README"
python3 tests/editors/snippet.py emacs-dir-locals >"$scratch/dir-locals.el" || fail "no .dir-locals.el in the README"

# Emacs's own messages (Eglot connecting, "[jsonrpc] Server exited with
# status 9" when Eglot deletes the process after the exit notification) go
# to standard error: kept in a log, shown only when the test fails.
status=0
PATH="$POLICYLINT_DIR:$PATH" POLICYLINT_TEST_INIT="$scratch/init.el" POLICYLINT_TEST_DIR_LOCALS="$scratch/dir-locals.el" \
    timeout -k 10 180 emacs --batch -Q -l tests/editors/emacs/test.el </dev/null 2>"$scratch/messages.log" ||
    status=$?
if [ "$status" -ne 0 ]; then
    echo "$E2E_NAME: Emacs's messages:" >&2
    cat "$scratch/messages.log" >&2
fi
[ "$status" -ne 124 ] || fail "Emacs did not finish within 180 s"
[ "$status" -eq 0 ] || fail "Emacs exited with status $status (see the 'not ok' lines and the messages above)"
