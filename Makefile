# unspin: everything a new machine needs, from a fresh clone.
#   make demo   create .venv, install unspin, index the bundled sample corpus, check the sample suspects
#   make test   create or update .venv with the development extras, lint, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_INDEX := build/demo-index

.PHONY: demo test install dev lint clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

dev: $(VENV)/.dev

demo: install
	rm -rf $(DEMO_INDEX)
	$(BIN)/unspin index build examples/corpus --index $(DEMO_INDEX)
	$(BIN)/unspin check examples/suspects/spun.txt examples/suspects/reordered.txt \
	    examples/suspects/verbatim-partial.html examples/suspects/same-subject.txt --index $(DEMO_INDEX)

lint: dev
	$(BIN)/ruff check src tests benchmarks scripts

test: dev lint
	$(BIN)/python -m pytest

bench: dev
	$(BIN)/python -m unspin.bench run --data ../shared/data --out benchmarks/results

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
