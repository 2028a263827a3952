# ppss_qual: `make run` opens the TUI on the demo project; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DIR := demo
DEMO := $(DEMO_DIR)/ppss-demo.db
DEMO_SOURCES := $(wildcard transcripts/*) $(wildcard codebooks/*)
PYTEST_WORKERS ?= 2

.PHONY: install run demo test bench lint clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The demo project is rebuilt when it is missing or older than its sources.
$(DEMO): $(STAMP) $(DEMO_SOURCES)
	mkdir -p $(DEMO_DIR)
	$(BIN)/ppss-qual demo --out $(DEMO)

demo: $(DEMO)

run: $(DEMO)
	$(BIN)/ppss-qual --project $(DEMO) tui

test: $(STAMP)
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS)

# `make bench QUICK=1` runs on a small corpus in a few minutes.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(if $(QUICK),--quick,)

lint: $(STAMP)
	$(BIN)/ruff check ppss_qual tests benchmarks
	$(BIN)/ruff format --check ppss_qual tests benchmarks
	$(BIN)/mypy ppss_qual
	$(BIN)/lint-imports

clean:
	rm -rf $(DEMO_DIR) benchmarks/work .pytest_cache
