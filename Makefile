# cchc-ingest: `make ingest` and `make test` work on a fresh machine; they install what is missing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= data/plans.duckdb
OUT ?= data/parsed
RAW ?= data/raw
WORKERS ?=
REPORT ?= data/report
# libtesseract-dev, libleptonica-dev, pkg-config, g++: to build tesserocr against the CLI's own libtesseract.
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd poppler-utils fonts-dejavu-core \
	fonts-liberation fonts-liberation2 libtesseract-dev libleptonica-dev pkg-config g++ chromium chromium-driver
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: report bench-calibration ingest test lint bench bench-ocr bench-diacritics bench-throughput bench-parse system-deps install samples clean \
	models model-diacritics model-marks model-pairs gazetteer

ingest: install
	$(BIN)/python -m pipeline ingest $(RAW) --db $(DB) --out $(OUT) $(if $(WORKERS),--workers $(WORKERS))

# Static HTML report of $(DB) (ingests first when needed): $(REPORT)/index.html opens from disk.
report: ingest
	$(BIN)/python -m pipeline report --db $(DB) --out $(REPORT)

# Is `confidence` honest? Share of wrong values per confidence band against tests/gold (issue #20 goals).
bench-calibration: ingest
	$(BIN)/python -m bench.calibration --db $(DB) --gold tests/gold --json bench/results/calibration.json

test: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

# ruff, then the layering contract of pyproject.toml ([tool.importlinter]).
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

install: system-deps $(STAMP)

# System OCR packages: only touched when something is missing.
system-deps:
	@missing=""; \
	command -v tesseract >/dev/null || missing=1; \
	tesseract --list-langs 2>/dev/null | grep -qx vie || missing=1; \
	tesseract --list-langs 2>/dev/null | grep -qx eng || missing=1; \
	tesseract --list-langs 2>/dev/null | grep -qx osd || missing=1; \
	command -v pdftoppm >/dev/null || missing=1; \
	pkg-config --exists tesseract lept 2>/dev/null || missing=1; \
	command -v g++ >/dev/null || missing=1; \
	command -v chromium >/dev/null || missing=1; \
	command -v chromedriver >/dev/null || missing=1; \
	[ -e /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf ] || missing=1; \
	[ -e /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || missing=1; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages: $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	fi

# tesserocr from source (--no-binary), linked to the system libtesseract the `tesseract` CLI uses: the
# PyPI wheel bundles its own libtesseract, another recogniser than the baseline (~80 s to build once,
# then pip's wheel cache). Without it the pipeline falls back to the CLI (ocr/engines.py).
$(STAMP): pyproject.toml
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --no-binary tesserocr -e '.[dev,bench]'
	touch $(STAMP)

# Everything that builds data lives in tools/ (python -m tools.NAME); one target each.
# Regenerate the shipped sample PDFs (deterministic).
samples: install
	$(BIN)/python -m tools.pdfgen.make_pdfs --out $(RAW)/generated

# Rebuild every model and lexicon shipped in the repo (see docs/architecture.md for which are byte-identical).
models: model-diacritics model-pairs model-marks gazetteer

# diacritics/vi_model.json.gz from all of data/corpus, held-out files too (+ OCR confusions of
# rendered training-side pages; ~25 min with 400 pages to OCR, ~15 s once bench/cache holds them).
# make bench-diacritics builds its own model without the held-out files (bench/diacritics_bench.py).
model-diacritics: install
	$(BIN)/python -m tools.build_diacritics_model --workers 2

# ocr/syllable_pairs.tsv.gz, the pair counts ocr.word_choice ranks by (corpus training side).
model-pairs: install
	$(BIN)/python -m tools.build_pair_lexicon

# ocr/mark_model.npz, the acute-vs-hook classifier of ocr.mark_check (~6 min; needs the bench extra).
model-marks: install
	$(BIN)/python -m tools.build_mark_model --tables 110 --bodies 16 --jobs 2

# parsers/data/gazetteer.tsv.gz from the vietnam-provinces package (pip download, PyPI).
gazetteer: install
	$(BIN)/python -m tools.build_gazetteer

bench: bench-ocr bench-diacritics bench-throughput bench-parse

bench-ocr: install
	$(BIN)/pip install -q --no-binary tesserocr -e '.[dev,bench,bench-ocr]'
	$(BIN)/python -m bench.ocr_bench

bench-diacritics: install
	$(BIN)/python -m bench.diacritics_bench

bench-throughput: install
	$(BIN)/python -m bench.throughput_bench

# Parsing of plans never seen (issue 16): generated layouts x seed contents, text layer / 300 dpi /
# 200 dpi / OCR dump, dev and held-out splits (bench/parse_cases.py); OCR cached in bench/cache/.
# QUICK=1: dev cases, text layer and 300 dpi only.
bench-parse: install
	$(BIN)/python -m bench.parse_bench $(if $(QUICK),--quick)

clean:
	rm -rf $(VENV) $(DB) $(DB).wal $(DB).work $(DB).work.wal $(OUT)/*.json
