# Everything a developer needs: `make run` serves the demo, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 8000
PG_PORT ?= 55432
PG_DIR ?= $(CURDIR)/instance/pg-test
PG_BIN := $(shell ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

.PHONY: run install install-dev translations fonts migrate seed serve test test-quick test-postgres e2e fuzz-api bench bench-kpis bench-app ci clean extract-messages lint

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

translations: install
	$(FLASK) compile-translations

migrate: translations
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo --if-empty

serve:
	@echo ""
	@echo "Think & Do Tank platform: http://$(HOST):$(PORT)/"
	@echo "Demo logins (password for all):"
	@$(FLASK) demo-logins
	@echo ""
	GUNICORN_BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

run: seed serve

# The Japanese font that PDF exports embed (tests/needs, tests/kpis) and the browser tests render.
fonts:
	@test -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc || \
	  (apt-get update -q && apt-get install -y -q fonts-noto-cjk)

test: install-dev translations fonts
	$(BIN)/python -m pytest -q -m "not e2e and not fuzz"

# The quick path while developing: without the slow tests that start servers and process pools.
test-quick: install-dev translations
	$(BIN)/python -m pytest -q

# The same suite against a throwaway PostgreSQL cluster on a loopback port.
test-postgres: install-dev translations fonts
	@test -n "$(PG_BIN)" || (apt-get update -q && apt-get install -y -q postgresql)
	PG_BIN="$$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)" PG_DIR="$(PG_DIR)" PG_PORT="$(PG_PORT)" \
	  bash tests/postgres.sh $(BIN)/python -m pytest -q -m "not e2e and not fuzz"

# Browser tests: Playwright driving Debian's Chromium.
e2e: install-dev translations
	@command -v chromium >/dev/null 2>&1 && fc-list | grep -qi "Noto Sans CJK" || \
	  (apt-get update -q && apt-get install -y -q chromium fonts-noto-cjk)
	@command -v npm >/dev/null 2>&1 || (apt-get update -q && apt-get install -y -q npm)
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error  # axe-core for the accessibility walk
	$(BIN)/python -m pytest -q -m e2e -p no:cacheprovider tests/e2e

# Static security checks (CI): ruff's default rules plus its security rules (S), and bandit, over the
# shipped code. Every accepted finding is explained on its own line; see pyproject.toml.
lint: install-dev
	$(BIN)/ruff check app models matching
	$(BIN)/bandit -q -c pyproject.toml -r app models matching

# Schemathesis against the running API, once per role (bounded: FUZZ_SECONDS per role, about 3 minutes in all).
fuzz-api: install-dev translations
	$(BIN)/python -m pytest -q -m fuzz -p no:cacheprovider tests/api/test_fuzz.py

bench: install-dev
	$(BIN)/python -m bench.matching_bench

bench-kpis: install-dev
	$(BIN)/python -m bench.kpis_bench

# Pages at 10,000 and 100,000 needs on SQLite and PostgreSQL (throwaway cluster, loopback), then a Locust
# load test on each: one table. BENCH_ARGS="--sizes 10000 --engines sqlite" for a shorter run.
bench-app: install-dev translations
	@test -n "$(PG_BIN)" || (apt-get update -q && apt-get install -y -q postgresql)
	PG_PORT=$(PG_PORT) $(BIN)/python -m bench.app_bench $(BENCH_ARGS)

extract-messages: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -o instance/messages.pot .

ci: test test-postgres e2e fuzz-api

clean:
	rm -rf $(VENV) instance/pg-test
