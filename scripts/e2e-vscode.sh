#!/usr/bin/env bash
# End-to-end test of the VS Code extension (editors/vscode): installs its
# dependencies from the npm registry (npm ci, skipped when node_modules
# already matches package-lock.json), builds it (npm run build), packages
# the .vsix with @vscode/vsce (npm run package) and checks what it holds;
# runs the packaged extension, with the real vscode-languageclient it
# bundles, against the server under test with a stand-in for the `vscode`
# module (test/packaged.test.js); then drives the server with
# vscode-jsonrpc and vscode-languageserver-protocol, sending what the
# extension's own settings code computes (npm test: test/server.test.js).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
E2E_NAME=e2e-vscode
. tests/editors/lib.sh

command -v node >/dev/null && command -v npm >/dev/null ||
    fail "Node.js 20 or later and npm are needed (Debian 12's own nodejs, 18, is too old for @vscode/vsce)"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
    fail "Node.js 20 or later is needed, this is $(node --version)"
policylint_binary
echo "$E2E_NAME: Node $(node --version), npm $(npm --version) with $POLICYLINT"

cd editors/vscode
stamp=node_modules/.policylint-package-lock.json
if ! cmp -s package-lock.json "$stamp"; then
    timeout -k 10 600 npm ci --no-audit --no-fund --loglevel=error || fail "npm ci failed"
    cp package-lock.json "$stamp"
fi
timeout -k 10 300 npm run --silent build || fail "npm run build (tsc, esbuild) failed"
rm -f ./*.vsix
timeout -k 10 300 npm run --silent package </dev/null >/dev/null || fail "npm run package (vsce) failed"
vsix="policylint-$(node -p 'require("./package.json").version').vsix"
[ -f "$vsix" ] || fail "npm run package made no $vsix"
# What VS Code would install: the manifest, the README and one bundled
# script that needs nothing but the `vscode` module. test/packaged.test.js
# runs it with a stand-in for that module and the server under test.
unpacked="$(mktemp -d)"
trap 'rm -rf "$unpacked"' EXIT
python3 - "$vsix" "$unpacked" <<'PY' || fail "$vsix does not hold what it should"
import sys, zipfile
archive = zipfile.ZipFile(sys.argv[1])
names = sorted(n for n in archive.namelist() if n.startswith("extension/"))
expected = ["extension/out/extension.js", "extension/package.json", "extension/readme.md"]
print(f"e2e-vscode: {sys.argv[1]} holds {', '.join(names)}")
archive.extractall(sys.argv[2])
sys.exit(0 if names == expected else 1)
PY
PATH="$POLICYLINT_DIR:$PATH" EXTENSION_DIR="$unpacked/extension" timeout -k 10 120 node --test --test-reporter=spec test/packaged.test.js </dev/null ||
    fail "the packaged extension failed (see the 'not ok' lines above)"

status=0
PATH="$POLICYLINT_DIR:$PATH" timeout -k 10 300 npm test --silent </dev/null || status=$?
[ "$status" -ne 124 ] || fail "the test did not finish within 300 s"
[ "$status" -eq 0 ] || fail "npm test exited with status $status (see the 'not ok' lines above)"
