#!/usr/bin/env bash
# Make sure axe-core (the accessibility rules the browser tests run on every page) is in
# var/npm, from the npm registry, at the pinned version. Installs only when missing or another
# version is there.
set -euo pipefail

AXE_VERSION="4.10.3"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PREFIX="${AXE_PREFIX:-$ROOT/var/npm}"
AXE="$PREFIX/node_modules/axe-core/axe.min.js"

installed() {
    [ -s "$AXE" ] && grep -q "\"version\": \"$AXE_VERSION\"" "$PREFIX/node_modules/axe-core/package.json"
}

if installed; then
    echo "ensure_axe: axe-core $AXE_VERSION present"
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "ensure_axe: npm missing, installing Debian's npm package"
        apt-get -o DPkg::Lock::Timeout=600 update -qq || true
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq npm
    else
        echo "ensure_axe: npm is missing: install Node.js and npm (apt-get install npm); the browser tests need axe-core." >&2
        exit 1
    fi
fi
mkdir -p "$PREFIX"
echo "ensure_axe: installing axe-core $AXE_VERSION into $PREFIX"
npm install --prefix "$PREFIX" --no-save --no-audit --no-fund --no-package-lock --silent "axe-core@$AXE_VERSION"
installed || { echo "ensure_axe: axe-core $AXE_VERSION did not install into $PREFIX" >&2; exit 1; }
echo "ensure_axe: installed $AXE"
