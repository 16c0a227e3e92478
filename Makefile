# Two commands for a fresh machine: `make serve` (needs only Python) and `make test` (installs what it needs:
# Debian's chromium, virtuoso-opensource-7-bin, redis-server, Node.js/npm and CKAN's build libraries when
# missing, see scripts/install-test-tools.sh, then each real client the tests run in a folder of its own,
# tests/clients/).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Comunica, the JavaScript SPARQL client tests/test_sparql_clients.py runs (needs Node.js >= 20.18.1 and npm).
COMUNICA := tests/comunica/node_modules/.package-lock.json
# The other real clients the tests run, each installed in a folder of its own (tests/clients/README.md):
# npm clients from their package.json and lockfile, Python clients into a venv of their own.
NPM_CLIENTS := $(foreach name,yasgui fetch-sparql-endpoint sparql-http-client ldes jsonld,tests/clients/$(name)/node_modules/.package-lock.json)
PYTHON_CLIENTS := $(foreach name,ckan reconciler,tests/clients/$(name)/.venv/installed)
# Node.js from the npm registry, which scripts/install-test-tools.sh fetches when the machine's is too old.
export PATH := $(CURDIR)/.tools/node/bin:$(PATH)

.PHONY: serve test test-tools lint build bench clean

$(BIN)/clusterlod: pyproject.toml
	@echo "Setting up $(VENV): the publisher and its development tools from PyPI (about half a minute)" >&2
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Debian packages the tests need that pip and npm cannot install; apt-get runs only for what is missing. Then
# Node.js 20 from the npm registry into .tools/node when the machine's is older (Debian 12 ships 18.x).
test-tools:
	@bash scripts/install-test-tools.sh

tests/%/node_modules/.package-lock.json: tests/%/package.json tests/%/package-lock.json | test-tools
	@echo "Installing tests/$* from npm (its lockfile)" >&2
	cd tests/$* && npm ci --no-audit --no-fund --loglevel=error
	touch $@

tests/clients/%/.venv/installed: tests/clients/%/requirements.txt | test-tools
	@echo "Installing tests/clients/$* into a venv of its own from PyPI (tests/clients/$*/requirements.txt)" >&2
	rm -rf tests/clients/$*/.venv
	$(PYTHON) -m venv tests/clients/$*/.venv
	tests/clients/$*/.venv/bin/pip install --quiet --upgrade pip
	tests/clients/$*/.venv/bin/pip install --quiet --requirement $<
	touch $@

serve: $(BIN)/clusterlod
	$(BIN)/clusterlod serve

test: test-tools $(BIN)/clusterlod $(COMUNICA) $(NPM_CLIENTS) $(PYTHON_CLIENTS)
	$(BIN)/ruff check publisher tests bench
	$(BIN)/ruff format --check publisher tests bench
	$(BIN)/mypy
	$(BIN)/pytest

build: $(BIN)/clusterlod
	$(BIN)/clusterlod build

bench: $(BIN)/clusterlod
	$(BIN)/python bench/run.py --sizes 10000 100000 1000000

clean:
	rm -rf $(VENV) releases .pytest_cache .mypy_cache .ruff_cache tests/comunica/node_modules \
		tests/clients/*/node_modules tests/clients/*/.venv .tools
