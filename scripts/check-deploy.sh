#!/usr/bin/env bash
# Django's deployment checklist with production settings and dummy secrets (`make check`).
# Every value below is what a real deployment sets in its environment (see README: environment
# variables); the secrets here are throwaway and never used to serve anything.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

export DEBUG=false
export SECRET_KEY="check-deploy-dummy-$(printf '%064d' 0 | tr 0 x)-not-a-real-secret-0123456789"
export ALLOWED_HOSTS=kvinnofrid.example
export CSRF_TRUSTED_ORIGINS=https://kvinnofrid.example
export SITE_URL=https://kvinnofrid.example
export SECURE_PROXY_SSL_HEADER=true
export SECURE_SSL_REDIRECT=true
unset SECURE_HSTS_SECONDS || true
# The checklist does not need a database server; a throwaway SQLite path keeps it self-contained.
export DATABASE_URL="sqlite:///$(mktemp -d)/check-deploy.sqlite3"
export CELERY_BROKER_URL=redis://127.0.0.1:6379/0
export CACHE_URL=rediscache://127.0.0.1:6379/2
export EMAIL_URL=smtp://mail.kvinnofrid.example:587
export LOG_LEVEL=WARNING

echo "==> manage.py check --deploy --fail-level WARNING (DEBUG=false, production settings)"
"$PY" manage.py check --deploy --fail-level WARNING
