#!/usr/bin/env bash
# Build the Linux one-folder app into build/dist/cm-console/ and smoke-test the built binary.
#
#   packaging/build_linux.sh            build, then smoke-test
#   packaging/build_linux.sh --check    only smoke-test an existing build
#
# PyInstaller runs in its own environment, .venv-build (override: CM_CONSOLE_BUILD_VENV), with
# cm-console installed from this tree as a regular (not editable) package: the build freezes
# exactly what a user's install contains, and the development .venv stays free of PyInstaller
# and its hooks. The environment is made once and refreshed when pyproject.toml changes; each
# build reinstalls only cm-console itself (a few seconds).
#
# Smoke tests on the built binary (each with a throwaway profile):
#   --version                      prints the version in cm_console/__init__.py
#   demo --headless                migrations, connectors (entry points) and the demo data work
#   CM_CONSOLE_SMOKE_TEST=1 demo   the window opens offscreen and paints the queue, then exits 0
#   the same under Xvfb with the xcb platform plugin, when xvfb-run is installed
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
fail() { printf 'build_linux.sh: %s\n' "$*" >&2; exit 1; }

VENV="${CM_CONSOLE_BUILD_VENV:-.venv-build}"
DIST=build/dist/cm-console
APP="$DIST/cm-console"
PYINSTALLER_SPEC='pyinstaller>=6.10,<7'
VERSION=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' cm_console/__init__.py)
[ -n "$VERSION" ] || fail "no __version__ in cm_console/__init__.py"

pick_python() {
    # The same choice as .ci/quickstart: the newest Python 3.11+ that really runs (a pyenv shim
    # for a version that is not selected exists but fails).
    local candidate
    for candidate in ${CM_CONSOLE_BUILD_PYTHON:-} python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
    fail "cm-console needs Python 3.11 or newer to build"
}

build() {
    local py stamp wanted started
    py=$(pick_python)
    stamp="$VENV/.cm-console-build"
    wanted="$(cat pyproject.toml packaging/build_linux.sh | sha256sum | cut -d' ' -f1)"
    if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
        say "making the build environment $VENV (PyInstaller and cm-console's dependencies)"
        [ -x "$VENV/bin/python" ] || "$py" -m venv "$VENV"
        nice "$VENV/bin/python" -m pip install -q --upgrade pip
        nice "$VENV/bin/python" -m pip install -q "$PYINSTALLER_SPEC" .
        echo "$wanted" > "$stamp"
    fi
    say "installing this tree's cm-console $VERSION into $VENV"
    nice "$VENV/bin/python" -m pip install -q --no-deps --force-reinstall .
    # setuptools leaves its build tree behind; it must not leak stale files into the next wheel.
    rm -rf build/lib build/bdist.* ./*.egg-info

    say "freezing with PyInstaller (one folder)"
    started=$(date +%s)
    nice -n 10 "$VENV/bin/pyinstaller" --noconfirm --log-level WARN \
        --distpath build/dist --workpath build/pyinstaller packaging/cm-console.spec
    say "built $DIST in $(( $(date +%s) - started )) s"
}

check() {
    local profile out
    [ -x "$APP" ] || fail "$APP is missing: build first"
    profile=$(mktemp -d)
    trap 'rm -rf "$profile"' RETURN

    say "smoke test: --version"
    out=$("$APP" --version)
    [ "$out" = "cm-console $VERSION" ] || fail "--version printed '$out', expected 'cm-console $VERSION'"

    say "smoke test: demo --headless"
    out=$("$APP" --profile "$profile/headless" demo --headless)
    printf '%s\n' "$out" | tail -n 1
    printf '%s\n' "$out" | grep -q "demo workspace ready" || fail "demo --headless did not fill the demo"

    say "smoke test: the window, offscreen"
    QT_QPA_PLATFORM=offscreen CM_CONSOLE_SMOKE_TEST=1 "$APP" --profile "$profile/offscreen" demo \
        || fail "the window did not paint its queue (offscreen)"

    if command -v xvfb-run >/dev/null 2>&1; then
        say "smoke test: the window on X11 (xcb), under Xvfb"
        xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb CM_CONSOLE_SMOKE_TEST=1 \
            "$APP" --profile "$profile/xcb" demo || fail "the window did not paint its queue (xcb)"
    else
        say "xvfb-run not installed: skipping the X11 smoke test"
    fi
    say "size of $DIST: $(du -sh "$DIST" | cut -f1)"
}

case "${1:-}" in
"") build; check ;;
--check) check ;;
*) echo "usage: packaging/build_linux.sh [--check]" >&2; exit 2 ;;
esac
