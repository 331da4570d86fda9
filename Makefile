# BRM Office - developer entry points (GNU make).
#
#   make run    one-command local start: SQLite, filesystem Celery broker,
#               console e-mail; web + worker + beat under honcho
#   make test   makes sure PostgreSQL, Redis, Chromium and axe-core are there, checks the code (ruff,
#               the import layers), then pytest
#   make lint   ruff check + ruff format --check
#   make clean  removes the venv and everything generated
#
# Every default below is only a default: a variable already set in the
# environment (or on the make command line) wins.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: venv run test lint clean

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  rm -rf $(VENV); \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "make: $(PYTHON) -m venv failed; installing Debian's python3-venv"; \
	    apt-get install -y -q python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); \
	  else \
	    echo "make: $(PYTHON) -m venv failed. On Debian/Ubuntu: sudo apt-get install python3-venv" >&2; \
	    exit 1; \
	  fi; }
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# --- run -----------------------------------------------------------------------
run: export DATABASE_URL ?= sqlite:///var/db.sqlite3
run: export CELERY_BROKER_URL ?= filesystem://
run: export EMAIL_URL ?= consolemail://
run: export PORT ?= 8000
run: export DJANGO_DEBUG ?= false
run: export ALLOWED_HOSTS ?= localhost,127.0.0.1
run: export BRM_BASE_URL ?= http://127.0.0.1:$(PORT)
run: export DJANGO_SECURE ?= false
run: export DJANGO_SECURE_SSL_REDIRECT ?= false
run: export SECRET_KEY_FILE := $(CURDIR)/var/secret_key
# Plain http on 127.0.0.1: DJANGO_SECURE=false turns off secure cookies, HSTS and
# the https redirect (the settings default them on when DJANGO_DEBUG is false).
# honcho -e /dev/null: the environment exported here is authoritative; a local
# .env (e.g. one written for docker compose) must not override it.
run: venv
	scripts/ensure_pango.sh
	mkdir -p var
	test -s var/secret_key || (umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py brm_seal_keys
	$(BIN)/python manage.py seed_demo
	@echo "BRM Office is running at http://127.0.0.1:$(PORT)/  (Ctrl-C stops web, worker and beat)"
	exec $(BIN)/honcho start -e /dev/null -f Procfile.dev

# --- test ----------------------------------------------------------------------
# DATABASE_URL is the owner role (owns tables, runs migrations, creates the
# test database); the tests then run as DATABASE_RUNTIME_USER.
test: export DATABASE_URL ?= postgres://brm_owner@127.0.0.1:5432/brm
test: export DATABASE_RUNTIME_USER ?= brm_app
test: export REDIS_URL ?= redis://127.0.0.1:6379/0
test: export PG_ADMIN_URL ?= postgres://postgres@127.0.0.1:5432/postgres
test: export CHROMIUM_PATH ?= /usr/bin/chromium
test: venv
	scripts/ensure_services.sh
	scripts/ensure_chromium.sh
	scripts/ensure_pango.sh
	scripts/ensure_axe.sh
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)

# --- lint / clean --------------------------------------------------------------
lint: venv
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

clean:
	rm -rf .venv var .pytest_cache staticfiles
