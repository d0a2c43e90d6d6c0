# Set-up is part of every target: on a fresh machine with Python 3.11+,
# `make demo` and `make test` create .venv and install what they need.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: install demo test lint bench bench-instructions clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The main job on the bundled seeds: the whole folder to a dataset of pages and one of
# unique briefs, then a look at what the scrape holds.
demo: $(STAMP)
	@mkdir -p demo-out
	$(BIN)/anp-extract convert seeds -o demo-out/pages.jsonl
	$(BIN)/anp-extract convert seeds -o demo-out/briefs.csv --table briefs --dedupe
	@echo; echo "demo-out/briefs.csv (first rows, some columns):"
	@$(BIN)/anp-extract convert -q seeds -o - --table briefs --dedupe --to tsv --fields age,places,agencies,seen | head -6
	@echo
	$(BIN)/anp-extract stats seeds

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check anp_extract tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py && $(BIN)/python benchmarks/bench_convert.py \
		&& $(BIN)/python benchmarks/bench_sources.py

# Instructions per page (valgrind): the same figures on a busy machine as on a quiet one.
bench-instructions: $(STAMP)
	$(BIN)/python benchmarks/instructions.py

clean:
	rm -rf $(VENV) demo-out bench-data .pytest_cache .mypy_cache .ruff_cache .hypothesis
