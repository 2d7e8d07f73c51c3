# Two commands matter: `make run` and `make test`. Everything else is a step of theirs.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install chromium wrk nginx lint messages bench bench-smoke bench-mixed help \
	backup restore compose-backup compose-restore screenshots

help:
	@echo "make run    - start the platform with demo data at http://127.0.0.1:8000"
	@echo "make test   - run every test (unit, integration, browser)"
	@echo "make lint   - ruff, mypy, import-linter, migrations and translations checks"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install whenever the lock changes.
$(VENV)/.installed: requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

# Development settings: DEBUG and the dev-only app (demo data; DJANGO_DEV_TOOLS=1).
run: install
	$(BIN)/python -m devtools.embedded run

# The README's screenshots: the main pages at 360 px with the demo data (docs/screenshots/).
screenshots: install chromium
	$(BIN)/python -m devtools.screenshots

# Browser tests use Debian's Chromium; never a downloaded browser.
chromium:
	@command -v chromium >/dev/null || { \
		echo "Installing Debian's chromium for the browser tests..."; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

test: install chromium
	$(BIN)/pytest -n auto

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy .
	@# Without DATABASE_URL no server runs and Django warns it cannot compare the applied
	@# migrations; the check for missing ones needs no database.
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python \
		-W "ignore:Got an error checking a consistent migration history" \
		manage.py makemigrations --check --dry-run

# Extract new strings into the catalogues and compile them (needs gettext).
messages: install
	@command -v xgettext >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq gettext >/dev/null; }
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python manage.py makemessages -l nl -l en \
		--ignore=.venv --ignore=var --ignore=tests --no-obsolete --no-location
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python manage.py compilemessages \
		--ignore=.venv --ignore=var

# Backups (README, "Backups"): pg_dump of the database of DATABASE_URL and a copy of the
# media files into var/backups/<timestamp>/; restore one into an empty database.
backup: install
	$(BIN)/python manage.py backup

restore: install
	@test -n "$(FROM)" || { echo "usage: make restore FROM=var/backups/<timestamp>"; exit 2; }
	$(BIN)/python manage.py restore "$(FROM)"

# The same in the compose deployment, inside the app image (its pg_dump matches the
# compose Postgres); --no-deps, so no migrate runs before a restore.
compose-backup:
	docker compose run --rm --no-deps web python manage.py backup

compose-restore:
	@test -n "$(FROM)" || { echo "usage: make compose-restore FROM=/app/var/backups/<timestamp>"; exit 2; }
	docker compose run --rm --no-deps web python manage.py restore "$(FROM)"

# Benchmarks (docs/performance.md). They need their own database: with DATABASE_URL
# unset, the embedded Postgres under var/ gets a "cop_bench" database of its own.
# Production settings plus the dev-only app (its commands and the hello view).
# A fresh key per run: settings refuse any key committed to the repository.
BENCH_SECRET_KEY := $(shell python3 -c "import secrets; print(secrets.token_urlsafe(50))")
BENCH_ENV := DJANGO_SETTINGS_MODULE=cop_platform.settings DJANGO_DEBUG=0 DJANGO_DEV_TOOLS=1 \
	DJANGO_SECRET_KEY=$(BENCH_SECRET_KEY) DJANGO_SECURE_SSL_REDIRECT=0 \
	DJANGO_SESSION_COOKIE_SECURE=0 DJANGO_READ_DOT_ENV_FILE=0

wrk:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk >/dev/null; }

bench: install wrk
	$(BENCH_ENV) $(BIN)/python -m devtools.embedded bench --size large --seconds 10

bench-smoke: install wrk
	$(BENCH_ENV) $(BIN)/python -m devtools.embedded bench --size small --seconds 2 \
		--connections 4 --smoke
	$(BENCH_ENV) $(BIN)/python -m devtools.embedded bench --mixed --size small --users 10 \
		--seconds 5 --smoke

# The issue's load test: 50 signed-in members for 10 minutes on the large set. Other
# shapes: make bench-mixed MIXED_SIZE=small MIXED_SECONDS=30 MIXED_THINK_MS=1000
MIXED_SIZE ?= large
MIXED_USERS ?= 50
MIXED_SECONDS ?= 600
MIXED_THINK_MS ?= 1000
# Production has a buffering proxy in front of gunicorn; MIXED_PROXY= runs without one.
MIXED_PROXY ?= --proxy
nginx:
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx >/dev/null; }

bench-mixed: install wrk nginx
	$(BENCH_ENV) $(BIN)/python -m devtools.embedded bench --mixed --size $(MIXED_SIZE) \
		--users $(MIXED_USERS) --seconds $(MIXED_SECONDS) --think-ms $(MIXED_THINK_MS) \
		$(MIXED_PROXY)
