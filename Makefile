# Kvinnofrid: `make run` serves the demo, `make test` runs the tests. See README.md.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-fast lint format check migrate demo worker services messages clean

install:
	@bash scripts/install.sh

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@$(PY) manage.py demo_logins --url http://$(HOST):$(PORT)/
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: install
	$(PY) -m pytest -m "not e2e and not slow" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: install
	bash scripts/check-deploy.sh

messages: install
	$(PY) manage.py makemessages -l en --no-location --ignore=.venv --ignore=node_modules --ignore=static --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

worker: install
	$(VENV)/bin/celery -A kvinnofrid worker -l info --concurrency 2

services:
	@bash scripts/services.sh

clean:
	rm -rf var/ static/vendor/ staticfiles/
