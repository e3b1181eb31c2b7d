# Aftersales — the commands of the README (CONTRACT.md "Commands").
PYTHON ?= python3
VENV   ?= .venv
HOST   ?= 127.0.0.1
PORT   ?= 8000
BIN    := $(VENV)/bin

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

## make run: migrate the embedded database under var/, load the demo data, serve on HOST:PORT
run: install
	@mkdir -p var
	$(BIN)/aftersales migrate --noinput
	$(BIN)/aftersales demo
	@echo "Aftersales: http://$(HOST):$(PORT)/   API docs: http://$(HOST):$(PORT)/api/v1/docs"
	$(BIN)/aftersales runserver --noreload $(HOST):$(PORT)

## make test: the whole suite (DATABASE_URL picks the database); browser tests need /usr/bin/chromium
test: install-dev
	$(BIN)/python -m pytest -q -p no:playwright --ignore=tests/e2e
	$(BIN)/python -m pytest -q tests/e2e
	@test -x /usr/bin/chromium || echo "NOTE: the browser tests were SKIPPED: /usr/bin/chromium is not installed (apt-get install chromium)"

## make bench: benchmarks on the configured database, printed as a table
bench: install-dev
	$(BIN)/python -m bench

## make lint: ruff (lint, format check), mypy, and the layers of docs/architecture.md (import-linter)
lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/aftersales
	$(BIN)/lint-imports
