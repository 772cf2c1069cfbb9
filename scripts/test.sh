#!/usr/bin/env bash
# Every test of the project: the Rust tests (unit, integration, seeds), then
# the end-to-end tests with real clients. What the README says and CI runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cargo test
bash scripts/e2e-lsp.sh
python3 tests/editors/snippet.py --check-helix
bash scripts/e2e-vscode.sh
bash scripts/e2e-neovim.sh
bash scripts/e2e-emacs.sh
