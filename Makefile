# `make run` and `make test` are the only set-up a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench reset clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/claimwatch run

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python bench/devset.py
	$(BIN)/python bench/feed.py
	$(BIN)/python bench/scale.py --half report
	$(BIN)/python bench/pairs.py
	$(BIN)/python bench/judge.py --skip-speed
	$(BIN)/python bench/speed.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/status.py

reset:
	rm -rf var/

clean: reset
	rm -rf $(VENV) .pytest_cache .ruff_cache
