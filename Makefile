# Set-up is part of every target: on a fresh machine with Python 3.11+,
# `make demo` and `make test` create .venv and install what they need.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@mkdir -p demo-out
	$(BIN)/anp-extract parse seeds/*.txt > demo-out/pages.jsonl
	@echo "wrote demo-out/pages.jsonl: $$(wc -l < demo-out/pages.jsonl) page records"
	$(BIN)/python -c "import json,sys; r=[json.loads(l) for l in open('demo-out/pages.jsonl')]; [print(f\"{p['source']}: {p['kind']}, {p['title']!r}, {len(p['briefs'])} briefs, {len(p['unparsed'])} unparsed\") for p in r]"

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check anp_extract tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py && $(BIN)/python benchmarks/bench_convert.py

clean:
	rm -rf $(VENV) demo-out bench-data .pytest_cache .mypy_cache .ruff_cache .hypothesis
