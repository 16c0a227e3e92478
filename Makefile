# Two commands for a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Comunica, the JavaScript SPARQL client tests/test_sparql_clients.py runs (needs Node.js >= 20.18.1 and npm).
COMUNICA := tests/comunica/node_modules/.package-lock.json

.PHONY: serve test lint build bench clean

$(BIN)/clusterlod: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(COMUNICA): tests/comunica/package.json tests/comunica/package-lock.json
	cd tests/comunica && npm ci --no-audit --no-fund --loglevel=error
	touch $@

serve: $(BIN)/clusterlod
	$(BIN)/clusterlod serve

test: $(BIN)/clusterlod $(COMUNICA)
	$(BIN)/ruff check publisher tests bench
	$(BIN)/ruff format --check publisher tests bench
	$(BIN)/mypy
	$(BIN)/pytest

build: $(BIN)/clusterlod
	$(BIN)/clusterlod build

bench: $(BIN)/clusterlod
	$(BIN)/python bench/run.py --sizes 10000 100000 1000000

clean:
	rm -rf $(VENV) releases .pytest_cache .mypy_cache .ruff_cache tests/comunica/node_modules
