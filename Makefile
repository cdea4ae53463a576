# Sakura Exchange Portal — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
UV_VERSION := 0.13.9
MANAGE := $(BIN)/python manage.py
TEST_ENV := DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sakura} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0}
DEBIAN_TEST_PACKAGES := chromium fonts-noto-cjk fonts-noto-core gettext poppler-utils \
	libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

# Python may keep its compiled modules (__pycache__): some machines set PYTHONDONTWRITEBYTECODE,
# and then every process (each test worker, Celery worker, gunicorn and manage.py the suite
# starts) compiled Django, Celery and WeasyPrint from source again, about 1.3 s each.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test install install-test system-packages lint format migrate demo messages worker clean \
	bench-letters bench loadtest profile-requests

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(UV): $(BIN)/python
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"

install: $(UV)
	$(UV) sync --frozen --no-dev

install-test: $(UV)
	$(UV) sync --frozen

## make run: venv, install, migrate, demo data, serve on 127.0.0.1:8000 (SQLite, eager Celery, console mail);
## `make run PORT=8123` serves on another port, and letters' addresses follow unless SITE_URL is set
PORT ?= 8000
RUN_ENV := SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}
run: install
	$(MANAGE) migrate --no-input
	$(RUN_ENV) $(MANAGE) seed_demo
	$(RUN_ENV) $(MANAGE) runserver 127.0.0.1:$(PORT)

## Debian packages the tests need (real Chromium, CJK and other scripts' fonts, gettext)
system-packages:
	@missing=""; for p in $(DEBIAN_TEST_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install-test
	$(MANAGE) makemessages -l ja --no-obsolete --ignore=.venv --ignore=staticfiles
	$(MANAGE) compilemessages --ignore=.venv

## make test: everything the suite needs, then the whole suite on PostgreSQL + Redis + a real worker + Chromium,
## in TEST_WORKERS xdist processes (default 2: the suite waits on browsers, workers and subprocesses)
TEST_WORKERS ?= 2
test: system-packages install-test lint
	$(MANAGE) compilemessages --ignore=.venv -v0
	$(MANAGE) makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

## make bench-letters: letters/second, bare WeasyPrint vs the batch path (COUNT=200 by default)
bench-letters: install-test
	DJANGO_SETTINGS_MODULE=sakura.settings $(BIN)/python bench/letters.py --count $(or $(COUNT),200)

## make bench: queries and p50/p95 of the busy pages on the ten-year dataset, next to a floor (REQUESTS=30)
bench: install-test
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/sakura_bench DJANGO_SETTINGS_MODULE=sakura.settings \
	DJANGO_DEBUG=false DJANGO_SECURE_SSL_REDIRECT=false DJANGO_TESTING=true \
	DJANGO_SECRET_KEY=bench-only-secret-key-0123456789-0123456789-0123456789 \
	PERSONAL_DATA_KEY=YmVuY2gtb25seS1wZXJzb25hbC1kYXRhLWtleS0wMTI= \
	$(BIN)/python bench/pages.py --create --drop --requests $(or $(REQUESTS),30)

## make loadtest: USERS (200) coordinators save and submit as a call closes, DURATION (3m) of locust,
## WAIT (5-15) s between actions, against gunicorn (WORKERS, 3) + PostgreSQL on 127.0.0.1;
## failures, p50/p95, lost drafts
loadtest: install-test
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/sakura_rush \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} DJANGO_SETTINGS_MODULE=sakura.settings \
	$(BIN)/python bench/rush.py --users $(or $(USERS),200) --duration $(or $(DURATION),3m) \
		--workers $(or $(WORKERS),3) --wait $(or $(WAIT),5-15)

## make profile-requests: CPU ms and queries per request of the rush's pages, replayed in-process
## (USERS, 20, coordinators; PROFILE=N adds cProfile's N costliest functions)
profile-requests: install-test
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/sakura_rush_profile \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} DJANGO_SETTINGS_MODULE=sakura.settings \
	$(BIN)/python bench/profile_requests.py --users $(or $(USERS),20) --profile $(or $(PROFILE),0)

worker: install
	$(BIN)/celery -A sakura worker -l info

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
