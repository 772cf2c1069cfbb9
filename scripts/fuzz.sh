#!/usr/bin/env bash
# Runs each fuzz target of fuzz/ for SECONDS (default 30) on the stable
# toolchain, as CI does to keep the harness building and to catch the
# shallow crashes:
#
#     bash scripts/fuzz.sh [SECONDS] [TARGET…]
#
# It builds the targets the way `cargo fuzz build -s none` does (optimised,
# with libFuzzer's coverage instrumentation and debug assertions, no
# sanitizer), without needing cargo-fuzz installed. For long runs with AddressSanitizer,
# use cargo-fuzz on a nightly toolchain: `cargo +nightly fuzz run check`.
# The corpora start from seeds/ (and ../shared/corpus when present); a
# crash leaves its input in fuzz/artifacts/TARGET/ and fails the script.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds="${1:-30}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(check fix lsp_document config)

# libfuzzer-sys compiles libFuzzer, which is C++.
if ! command -v c++ >/dev/null; then
    E2E_NAME=fuzz
    . tests/editors/lib.sh
    apt_install g++
fi

triple="$(rustc -vV | sed -n 's/^host: //p')"
# The instrumentation goes to the targets' code only: with --target, cargo
# keeps RUSTFLAGS away from build scripts and procedural macros.
RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions" \
    cargo build --quiet --release --manifest-path fuzz/Cargo.toml --target "$triple" --bins \
    --features server

for target in "${targets[@]}"; do
    corpus="fuzz/corpus/$target"
    if [ ! -d "$corpus" ] || [ -z "$(ls -A "$corpus")" ]; then
        mkdir -p "$corpus"
        if [ "$target" = config ]; then
            printf 'select = ["misspelling"]\n[severity]\nnumbering = "error"\n[dictionary]\nwords = ["WJH"]\n[[overrides]]\nfiles = ["legal/**"]\nignore = ["article"]\n[[suppress]]\npath = "*.txt"\nrule = "misspelling"\ntext = "WJH"\n' >"$corpus/seed.toml"
        else
            cp seeds/*.txt "$corpus/"
            if [ -d ../shared/corpus ]; then
                find ../shared/corpus -type f \( -name '*.md' -o -name '*.txt' \) -size -64k |
                    while read -r file; do cp "$file" "$corpus/$(printf '%s' "$file" | md5sum | cut -c1-16)"; done
            fi
        fi
    fi
    mkdir -p "fuzz/artifacts/$target"
    echo "fuzz: $target for ${seconds}s"
    log="$(mktemp)"
    status=0
    dict=()
    [ "$target" = config ] || dict=(-dict=fuzz/markdown.dict)
    "fuzz/target/$triple/release/$target" "${dict[@]}" -max_total_time="$seconds" -timeout=20 -report_slow_units=20 -rss_limit_mb=2048 \
        -max_len=16384 -artifact_prefix="fuzz/artifacts/$target/" -print_final_stats=1 "$corpus" >"$log" 2>&1 ||
        status=$?
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" || true
    if [ "$status" -ne 0 ] || [ -n "$(ls -A "fuzz/artifacts/$target")" ]; then
        tail -n 40 "$log" >&2
        echo "fuzz: $target FAILED (exit $status); inputs in fuzz/artifacts/$target/" >&2
        exit 1
    fi
    rm -f "$log"
done
