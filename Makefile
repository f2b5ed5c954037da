# Two entry points: `make run` serves the demo, `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The demo serves two institutions; clients that send no x-tenant-tag header get the university.
run: export REGISTRAR_DEFAULT_TENANT ?= ap-university
run: $(STAMP)
	$(BIN)/registrar migrate
	$(BIN)/registrar demo --if-empty
	$(BIN)/registrar serve

lint: $(STAMP)
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest -n 2 --dist loadfile

clean:
	rm -rf $(VENV) registrar.db registrar.db-* .secret_key
