#!/usr/bin/env bash
# Install everything the tests need, then run them: the one command for a
# developer and for CI on a fresh Debian machine (root, or a user with sudo).
# Each install step is skipped when already done, so a second run is quick.
# Extra arguments go to pytest, e.g. `scripts/test.sh tests/browser -x`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '== %s\n' "$*" >&2; }

# System packages: Debian's Chromium (Playwright's own browser download can't
# be reached from here), plus Python's venv support if absent.
apt_packages=()
[ -x /usr/bin/chromium ] || apt_packages+=(chromium)
python3 -c 'import ensurepip, venv' 2>/dev/null || apt_packages+=(python3-venv)
if [ ${#apt_packages[@]} -gt 0 ]; then
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    log "apt-get install ${apt_packages[*]}"
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi

# Python: the project and its test extra in .venv, reinstalled only when
# pyproject.toml changed (the install is editable, so code changes need none).
if ! .venv/bin/python -c '' 2>/dev/null; then
    log "creating .venv"
    rm -rf .venv
    python3 -m venv .venv
fi
stamp=.venv/.geo-test-installed
wanted="$(sha256sum pyproject.toml)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    log "pip install -e '.[test]'"
    .venv/bin/pip install -q --disable-pip-version-check -e '.[test]'
    printf '%s\n' "$wanted" >"$stamp"
fi

exec .venv/bin/python -m pytest "$@"
