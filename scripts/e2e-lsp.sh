#!/usr/bin/env bash
# End-to-end test of `policylint lsp` with a third-party client: pytest-lsp
# (pygls), installed from PyPI into .venv-e2e by this script.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

venv=.venv-e2e
requirements=tests/e2e/requirements.txt
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$stamp"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$stamp"
fi
cargo build --quiet
POLICYLINT="$PWD/target/debug/policylint" "$venv/bin/python" -m pytest -q -c tests/e2e/pytest.ini tests/e2e
