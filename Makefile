# qbath: two entry points, `make demo` and `make test`; each creates .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
JOBS   ?= 2

.PHONY: demo demo-quick test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.demo-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[demo]"
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

# every paper at full size (figures, netCDF, summary.md per paper under results/)
demo: $(VENV)/.demo-installed
	$(BIN)/qbath reproduce all --out results

# the same at reduced size: under two minutes on 2 cores
demo-quick: $(VENV)/.demo-installed
	$(BIN)/qbath reproduce all --quick --out results-quick

test: $(VENV)/.test-installed
	$(BIN)/python -m ruff check src tests benchmarks
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/python -m pytest -q -n $(JOBS) -p no:cacheprovider

lint: $(VENV)/.test-installed
	$(BIN)/python -m ruff check src tests benchmarks
	$(BIN)/python -m ruff format --check src tests benchmarks

bench: $(VENV)/.test-installed
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f --quick; done

clean:
	rm -rf $(VENV) results .pytest_cache
