# Set-up is part of every target: on a fresh machine with Python 3.11+,
# `make demo` and `make test` create .venv and install what they need.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: install demo test lint man bench bench-instructions clean

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
	$(BIN)/anp-extract convert seeds -o demo-out/briefs.tsv --table briefs --dedupe
	@echo; echo "demo-out/briefs.tsv (first rows; columns places, agencies, age, seen):"
	@cut -f 7,8,10,13 demo-out/briefs.tsv | head -6
	@echo
	$(BIN)/anp-extract stats seeds

test: $(STAMP)
	$(BIN)/python -m pytest

# The manual page, generated from the commands' own help: man -l man/anp-extract.1
man: $(STAMP)
	@mkdir -p man
	$(BIN)/python -m anp_extract.cli.manpage > man/anp-extract.1
	@echo "man -l man/anp-extract.1 shows it"

lint: $(STAMP)
	$(BIN)/ruff check anp_extract tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py && $(BIN)/python benchmarks/bench_convert.py \
		&& $(BIN)/python benchmarks/startup.py && $(BIN)/python benchmarks/memory.py \
		&& $(BIN)/python benchmarks/bench_formats.py && $(BIN)/python benchmarks/bench_dask.py \
		&& $(BIN)/python benchmarks/bench_sources.py

# Instructions per page (valgrind): the same figures on a busy machine as on a quiet one.
bench-instructions: $(STAMP)
	$(BIN)/python benchmarks/instructions.py && $(BIN)/python benchmarks/stages.py

clean:
	rm -rf $(VENV) demo-out man bench-data .pytest_cache .mypy_cache .ruff_cache .hypothesis
