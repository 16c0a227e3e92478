# Two commands for a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: serve test lint build bench clean

$(BIN)/clusterlod: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

serve: $(BIN)/clusterlod
	$(BIN)/clusterlod serve

test: $(BIN)/clusterlod
	$(BIN)/ruff check publisher tests bench
	$(BIN)/ruff format --check publisher tests bench
	$(BIN)/mypy
	$(BIN)/pytest

build: $(BIN)/clusterlod
	$(BIN)/clusterlod build

bench: $(BIN)/clusterlod
	$(BIN)/python bench/run.py --sizes 10000 100000 1000000

clean:
	rm -rf $(VENV) releases .pytest_cache .mypy_cache .ruff_cache
