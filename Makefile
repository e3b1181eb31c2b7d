# Aftersales — the commands of the README (CONTRACT.md "Commands").
PYTHON ?= python3
VENV   ?= .venv
HOST   ?= 127.0.0.1
PORT   ?= 8000
BIN    := $(VENV)/bin
VAR    := $(or $(AFTERSALES_VAR_DIR),var)

.PHONY: run test bench lint install install-dev e2e

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: a random SECRET_KEY in var/secret_key (first run only), migrate the embedded database
## under var/, load the demo data, then `aftersales serve` on HOST:PORT with one `aftersales worker`
## beside it. Ctrl-C stops both: the worker runs in its own session, so the terminal's Ctrl-C
## reaches the server only and the worker is stopped once, with SIGTERM, finishing its task.
run: install
	@mkdir -p $(VAR)
	@test -s $(VAR)/secret_key || (umask 077 && $(BIN)/python -c \
		'import secrets; print(secrets.token_urlsafe(50))' > $(VAR)/secret_key)
	$(BIN)/aftersales migrate --noinput
	$(BIN)/aftersales demo
	@echo "Aftersales: http://$(HOST):$(PORT)/   API docs: http://$(HOST):$(PORT)/api/v1/docs"
	@$$(command -v setsid) $(BIN)/aftersales worker & worker=$$!; trap : INT TERM HUP; \
	HOST=$(HOST) PORT=$(PORT) $(BIN)/aftersales serve; status=$$?; \
	kill -TERM $$worker 2>/dev/null; wait $$worker; exit $$status

## make test: the whole suite (DATABASE_URL picks the database); browser tests need /usr/bin/chromium
test: install-dev
	$(BIN)/python -m pytest -q -p no:playwright --ignore=tests/e2e
	$(BIN)/python -m pytest -q tests/e2e
	@test -x /usr/bin/chromium || echo "NOTE: the browser tests were SKIPPED: /usr/bin/chromium is not installed (apt-get install chromium)"

## make bench: benchmarks on the configured database, printed as a table, then intake over HTTP
## against the framework floor and the web workers' memory (docs/bench.md; python -m bench --help)
bench: install-dev
	$(BIN)/python -m bench

## make lint: ruff (lint, format check), mypy, and the layers of docs/architecture.md (import-linter)
lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/aftersales
	$(BIN)/lint-imports
