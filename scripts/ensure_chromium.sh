#!/usr/bin/env bash
# Make sure Debian's Chromium is installed for the browser tests (Playwright
# drives it through CHROMIUM_PATH). Installs only through apt, as root; never
# downloads a browser any other way.
set -euo pipefail

CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [ -x "$CHROMIUM_PATH" ]; then
    echo "ensure_chromium: $CHROMIUM_PATH present"
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: $CHROMIUM_PATH missing, installing Debian's chromium package"
    # Another apt/dpkg run may hold the locks: wait for it instead of failing.
    updated=0
    for i in 1 2 3 4 5 6 7 8 9 10; do
        if apt-get -o DPkg::Lock::Timeout=600 update -qq; then updated=1; break; fi
        sleep 15
    done
    [ "$updated" -eq 1 ] || echo "ensure_chromium: apt-get update failed, trying the install anyway" >&2
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium
    if [ -x "$CHROMIUM_PATH" ]; then
        echo "ensure_chromium: installed $CHROMIUM_PATH"
        exit 0
    fi
    echo "ensure_chromium: the chromium package is installed but $CHROMIUM_PATH is not executable; set CHROMIUM_PATH (Debian installs /usr/bin/chromium)." >&2
    exit 1
fi

echo "Chromium is missing at $CHROMIUM_PATH: install Debian's chromium package (apt-get install chromium); browser tests need it." >&2
exit 1
