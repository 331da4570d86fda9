#!/usr/bin/env bash
# Make sure the libraries WeasyPrint needs (pango and its font stack) are installed, and
# poppler-utils (pdftotext, pdftoppm) for the PDF tests. Installs only through apt, as root.
set -euo pipefail

missing=()
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
fc-list 2>/dev/null | grep -qi 'dejavu' || missing+=(fonts-dejavu-core)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)

if [ "${#missing[@]}" -eq 0 ]; then
    echo "ensure_pango: pango, fonts and poppler-utils present"
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure_pango: installing ${missing[*]}"
    updated=0
    for i in 1 2 3 4 5 6 7 8 9 10; do
        if apt-get -o DPkg::Lock::Timeout=600 update -qq; then updated=1; break; fi
        sleep 15
    done
    [ "$updated" -eq 1 ] || echo "ensure_pango: apt-get update failed, trying the install anyway" >&2
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}"
    exit 0
fi

echo "WeasyPrint needs these Debian packages, which are missing: ${missing[*]} (apt-get install ${missing[*]})." >&2
exit 1
