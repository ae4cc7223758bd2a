#!/usr/bin/env bash
# Idempotent set-up: virtual environment with the locked Python packages, the locked front-end
# packages copied into static/vendor/, and the var/ folder. Used by `make run` and `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$(bash scripts/find-python.sh)
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
  echo "==> Creating .venv with $PY"
  rm -rf .venv
  "$PY" -m venv .venv
fi
if [ ! -x .venv/bin/uv ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
fi
echo "==> Installing locked Python packages (uv.lock)"
UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=.venv .venv/bin/uv sync --frozen --quiet --python .venv/bin/python
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> Installing locked front-end packages (package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
fi
mkdir -p static/vendor/bootstrap static/vendor/htmx static/vendor/axe var/media
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map static/vendor/bootstrap/
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map static/vendor/bootstrap/
cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
cp node_modules/axe-core/axe.min.js static/vendor/axe/
if [ ! -f .env ]; then
  # Local development only: DEBUG on and a random key. Deployments set real values instead.
  key=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')
  printf 'DEBUG=true\nSECRET_KEY=%s\n' "$key" > .env
  echo "==> Wrote .env for local development (DEBUG=true)."
fi
if command -v msgfmt >/dev/null 2>&1; then
  .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0 2>&1 | grep -v '^AXES' || true
else
  echo "==> gettext (msgfmt) is missing: the English translation is not compiled (apt-get install gettext)."
fi
echo "==> Installed."
