"""`python -m ocr FILE.pdf [--pages A-B] [--json] [--ocr-engine tesseract]`.

Plain output is each page's text, pages separated by form feeds, so it can be
diffed against a text dump; `--json` is the full per-page record for debugging.
Exit codes: 0 ok, 1 unreadable input (one line on stderr), 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys

from ocr.engines import ENGINES
from ocr.errors import InputError
from ocr.reader import read_pdf
from schema.document import Page


def page_json(page: Page) -> dict:
    """Per-page record: method, confidence, lines with boxes, tables as cells."""
    return {
        "page": page.page_no,
        "method": page.method,
        "confidence": page.confidence,
        "rotation": page.rotation,
        "width": page.width,
        "height": page.height,
        "header_text": page.header_text,
        "text": page.text,
        "lines": [
            {"text": ln.text, "bbox": ln.bbox, "confidence": ln.confidence, "block": ln.block} for ln in page.lines
        ],
        "tables": [
            {
                "page": t.page,
                "pages": t.pages,
                "n_rows": t.n_rows,
                "n_cols": t.n_cols,
                "header_rows": t.header_rows,
                "row_pages": t.row_pages,
                "bbox": t.bbox,
                "cells": [
                    {"row": c.row, "col": c.col, "row_span": c.row_span, "col_span": c.col_span, "text": c.text}
                    for c in t.cells
                ],
            }
            for t in page.tables
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ocr", description="Read a PDF's pages (text layer or OCR).")
    parser.add_argument("pdf")
    parser.add_argument("--pages", help="page range, e.g. 1-3 or 2,5-6 (1-based)")
    parser.add_argument("--json", action="store_true", help="one JSON document with every page's details")
    parser.add_argument("--ocr-engine", default="tesseract", choices=sorted(ENGINES))
    args = parser.parse_args(argv)
    try:
        pages = read_pdf(args.pdf, pages=args.pages, engine=args.ocr_engine)
        if args.json:
            out = {"file": args.pdf, "pages": [page_json(p) for p in pages]}
            json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        else:
            for i, page in enumerate(pages):
                if i:
                    sys.stdout.write("\f")
                sys.stdout.write(page.text + "\n")
                sys.stdout.flush()
    except InputError as exc:
        print(f"{args.pdf}: {exc}" if args.pdf not in str(exc) else str(exc), file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
