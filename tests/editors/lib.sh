# Shared by scripts/e2e-neovim.sh, e2e-emacs.sh and e2e-vscode.sh, which
# source it from the repository root after setting E2E_NAME.

# fail MESSAGE…: says what failed, on standard error, and stops the script.
fail() {
    echo "$E2E_NAME: FAILED: $*" >&2
    exit 1
}

# apt_install PACKAGE…: installs those of Debian's packages that are not
# installed yet (running apt-get update only then), as root or with sudo.
apt_install() {
    local missing=() package sudo=""
    if ! command -v dpkg-query >/dev/null; then
        echo "$E2E_NAME: not a Debian system: $* must be installed by hand"
        return 0
    fi
    for package in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$package")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || fail "installing ${missing[*]} needs root or sudo"
        sudo="sudo"
    fi
    echo "$E2E_NAME: installing ${missing[*]} from Debian"
    $sudo apt-get update -qq || fail "apt-get update failed"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
        fail "could not install ${missing[*]}"
}

# policylint_binary: sets POLICYLINT to the server under test and
# POLICYLINT_DIR to its directory: $POLICYLINT if set, else the debug
# build, which `cargo build` makes if it is missing (scripts/test.sh runs
# `cargo test` first, which builds it up to date).
policylint_binary() {
    if [ -z "${POLICYLINT:-}" ]; then
        POLICYLINT="${CARGO_TARGET_DIR:-$PWD/target}/debug/policylint"
        if [ ! -x "$POLICYLINT" ]; then
            echo "$E2E_NAME: building $POLICYLINT"
            cargo build --quiet || fail "cargo build failed"
        fi
    fi
    [ -x "$POLICYLINT" ] || fail "no server binary at $POLICYLINT"
    POLICYLINT="$(cd "$(dirname "$POLICYLINT")" && pwd)/$(basename "$POLICYLINT")"
    POLICYLINT_DIR="$(dirname "$POLICYLINT")"
    # The editors run `policylint` from PATH, as the README tells users to
    # install it: the server under test must be the one they find.
    [ "$(basename "$POLICYLINT")" = policylint ] || fail "the server binary must be named policylint: $POLICYLINT"
}
