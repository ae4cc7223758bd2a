#!/usr/bin/env bash
# Print the path of a Python >= 3.12 interpreter, or explain what to install and fail.
set -euo pipefail
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
for name in python3.13 python3.12 python3; do
  p=$(command -v "$name" 2>/dev/null || true)
  [ -n "$p" ] && candidates+=("$p")
done
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for v in $(ls -1 "$root/versions" 2>/dev/null | sort -rV); do
    for exe in "$root/versions/$v/bin/python3."{13,12}; do [ -x "$exe" ] && candidates+=("$exe"); done
  done
fi
for c in "${candidates[@]}"; do
  # pyenv shims may exist without a matching version selected: ok() filters those out.
  if ok "$c"; then echo "$c"; exit 0; fi
done
cat >&2 <<'MSG'
Kvinnofrid needs Python 3.12 or newer (Django 6.1), and none was found.
Install one, for example:  apt-get install python3.12   or   pyenv install 3.12
or point PYTHON at it:      make run PYTHON=/path/to/python3.12
MSG
exit 1
