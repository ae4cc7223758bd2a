#!/usr/bin/env bash
# Debian packages the tests need: Chromium for the browser journeys, gettext for translations,
# poppler-utils to look at PDFs, WeasyPrint's libraries and Java for the Nu Html Checker.
# Installs only what is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
ldconfig -p | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p | grep -q libharfbuzz-subset || need+=(libharfbuzz-subset0)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
if [ ${#need[@]} -gt 0 ]; then
  echo "==> apt-get install ${need[*]}"
  if [ "$(id -u)" != 0 ]; then echo "Run as root or install: ${need[*]}" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
