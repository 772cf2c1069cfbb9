#!/usr/bin/env bash
# End-to-end test of the Neovim integration (editors/neovim): Debian's
# neovim, headless, with the README's init.lua (require("policylint").setup({}))
# and the server under test first on PATH, opens
# seeds/cyberspace-community.txt and checks the diagnostics, the document
# symbols and the quick fix for "pubic" (tests/editors/neovim/test.lua).
# Installs neovim with apt when missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
E2E_NAME=e2e-neovim
. tests/editors/lib.sh

apt_install neovim
command -v nvim >/dev/null || fail "no nvim on PATH after installing neovim"
policylint_binary
echo "$E2E_NAME: $(nvim --version | head -1) with $POLICYLINT"

# The README's init.lua, in an otherwise empty configuration: no user
# config, plugins or state.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
python3 tests/editors/snippet.py neovim-init --repo "$PWD" >"$scratch/init.lua" || fail "no Neovim init.lua in the README"

status=0
PATH="$POLICYLINT_DIR:$PATH" XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" \
    XDG_STATE_HOME="$scratch/state" XDG_CACHE_HOME="$scratch/cache" \
    timeout -k 10 180 nvim --headless -n -i NONE -u "$scratch/init.lua" -c "luafile tests/editors/neovim/test.lua" </dev/null ||
    status=$?
[ "$status" -ne 124 ] || fail "Neovim did not finish within 180 s"
[ "$status" -eq 0 ] || fail "Neovim exited with status $status (see the 'not ok' lines above)"
