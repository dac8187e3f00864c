# Mostrador: `make demo` runs the demo business, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
CHROMIUM := /usr/bin/chromium

.PHONY: demo test lint typecheck contracts pytest install chromium clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/mostrador demo

# Debian's Chromium for the browser tests (Playwright drives it; nothing is downloaded by Playwright).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "installing Debian's chromium for the browser tests"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install
	$(BIN)/mypy src

contracts: install
	$(BIN)/lint-imports

pytest: install chromium
	$(BIN)/pytest

test: lint typecheck contracts pytest

# Benchmarks (figures in bench/README.md); the reference data sets come with the bench extra.
bench: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/seed_bench.py --customers 10000 --months 24 --seed 1
	$(BIN)/python bench/identity_febrl.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
