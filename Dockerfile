# Kvinnofrid production image: Django on gunicorn; the same image runs the Celery worker and beat.
# Build: docker compose build   (see docker-compose.yml and README "Production with docker compose")

# --- front-end vendor files (Bootstrap, htmx, axe-core) from the locked npm packages ---------
FROM node:22-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error \
 && mkdir -p /vendor/bootstrap /vendor/htmx /vendor/axe \
 && cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map /vendor/bootstrap/ \
 && cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map /vendor/bootstrap/ \
 && cp node_modules/htmx.org/dist/htmx.min.js /vendor/htmx/ \
 && cp node_modules/axe-core/axe.min.js /vendor/axe/

# --- the application ---------------------------------------------------------------------------
FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=kvinnofrid.settings

# WeasyPrint's libraries (Pango, HarfBuzz, fontconfig, GLib) and fonts; gettext for compilemessages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 \
      libglib2.0-0 fonts-dejavu-core shared-mime-info gettext \
 && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir "uv==0.13.9"
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project --python /usr/local/bin/python3.12

COPY . .
COPY --from=assets /vendor/ /app/static/vendor/

# collectstatic/compilemessages need settings to import; the values are build-time placeholders
# only (the real SECRET_KEY etc. come from the environment at run time).
RUN SECRET_KEY=build-only-not-secret DEBUG=false DATABASE_URL=sqlite:////tmp/build.sqlite3 \
      python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0 \
 && SECRET_KEY=build-only-not-secret DEBUG=false DATABASE_URL=sqlite:////tmp/build.sqlite3 \
      python manage.py collectstatic --noinput -v 0 \
 && rm -f /tmp/build.sqlite3

RUN useradd --system --uid 1000 --home /app kvinnofrid \
 && mkdir -p /app/var/media && chown -R kvinnofrid /app/var
USER kvinnofrid

EXPOSE 8000
CMD ["gunicorn", "kvinnofrid.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
