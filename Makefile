# The documented entry points. `make reports` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
THEMED := $(basename $(notdir $(wildcard notebooks/[0-9][0-9]_*.ipynb)))

.PHONY: install data reports test lab bench clean-cache strip

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), f"plumbing needs Python 3.11, found {sys.version.split()[0]} ($(PYTHON)); set PYTHON=/path/to/python3.11"'
	$(PYTHON) -m venv $(VENV)

# reinstall whenever the package metadata changes
$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(INSTALLED)

## data: fill data/cache (live publishers where reachable, else the snapshot)
data: $(INSTALLED)
	$(BIN)/plumbing data sync

## reports: install, sync the data, render every report (themed notebooks and every episode) into reports/
reports: data
	$(BIN)/plumbing reports $(THEMED) --all-episodes

## test: install, then the whole test suite (offline: no test touches the network)
test: $(INSTALLED)
	PLUMBING_OFFLINE=1 $(BIN)/python -m pytest

## lab: JupyterLab on the notebooks
lab: $(INSTALLED)
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: $(INSTALLED)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b; done

clean-cache:
	rm -rf data/cache

## strip: clear notebook outputs and re-sync the jupytext .py pairs (run before committing notebooks)
strip: $(INSTALLED)
	$(BIN)/jupyter nbconvert --clear-output --inplace notebooks/*.ipynb
	$(BIN)/jupytext --sync notebooks/*.ipynb
