# Two entry points: `make run` serves the demo, `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck install clean loadtest

# Where `make run` serves: `make run HOST=0.0.0.0 PORT=8080`.
HOST ?= 127.0.0.1
PORT ?= 8000

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
	$(BIN)/registrar serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff format --check src tests bench locustfiles
	$(BIN)/ruff check src tests bench locustfiles
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest -n 2 --dist loadfile

# The seed-002 scenarios (locustfiles/) headless against a running API, then an invariant
# audit: `make loadtest BASE_URL=http://127.0.0.1:8000 USERS=50 RUN_TIME=60s`; with
# DATABASE_URL set the audit reads the database too.
BASE_URL ?= http://127.0.0.1:$(PORT)
USERS ?= 50
RUN_TIME ?= 60s
loadtest: $(STAMP)
	$(BIN)/python -m locustfiles --host $(BASE_URL) --users $(USERS) --run-time $(RUN_TIME)

clean:
	rm -rf $(VENV) registrar.db registrar.db-* .secret_key
