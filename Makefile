# Two commands for a fresh machine: `make serve` (needs only Python) and `make test` (installs what it needs:
# Debian's chromium, virtuoso-opensource-7-bin and Node.js/npm when missing, see scripts/install-test-tools.sh).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Comunica, the JavaScript SPARQL client tests/test_sparql_clients.py runs (needs Node.js >= 20.18.1 and npm).
COMUNICA := tests/comunica/node_modules/.package-lock.json

.PHONY: serve test test-tools lint build bench clean

$(BIN)/clusterlod: pyproject.toml
	@echo "Setting up $(VENV): the publisher and its development tools from PyPI (about half a minute)" >&2
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Debian packages the tests need that pip and npm cannot install; apt-get runs only for what is missing.
test-tools:
	@bash scripts/install-test-tools.sh

$(COMUNICA): tests/comunica/package.json tests/comunica/package-lock.json | test-tools
	cd tests/comunica && npm ci --no-audit --no-fund --loglevel=error
	touch $@

serve: $(BIN)/clusterlod
	$(BIN)/clusterlod serve

test: test-tools $(BIN)/clusterlod $(COMUNICA)
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
