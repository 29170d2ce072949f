"""`python -m ocr FILE.pdf [--pages A-B] [--json] [--ocr-engine NAME] [-v|-q] [--version]`.

Plain output is each page's text, pages separated by form feeds, so it can be
diffed against a text dump; `--json` is the full per-page record for debugging.
Exit codes (as every CLI, `schema.errors`): 0 ok, 1 unreadable input (one line on stderr),
2 bad usage (also `--pages` beyond the last page), 3 setup error (no tesseract or `vie` data).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys

from ocr.engines import DEFAULT_ENGINE, ENGINE_ENV, engine_names
from ocr.errors import InputError
from ocr.pdf_source import pdf_page_count
from ocr.reader import read_pdf
from schema.cli import add_common_options, run, setup_logging
from schema.document import Page
from schema.errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, one_line

log = logging.getLogger("ocr")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def display_path(path: str) -> str:
    """The file name on one line: bytes that are not UTF-8 and control characters escaped."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return _CONTROL_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


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


def _out_of_range(spec: str | None, count: int) -> str | None:
    """Why `--pages` asks for pages the PDF does not have, or None."""
    if not spec:
        return None
    wanted = []
    for part in spec.split(","):
        a, dash, b = part.strip().partition("-")
        if not a and not b:
            continue
        try:
            start = int(a) if a else 1
            end = int(b) if b else (count if dash else start)
        except ValueError:
            return f"bad page range {part.strip()!r}"
        wanted.append((start, end))
    beyond = [f"{s}-{e}" if s != e else str(s) for s, e in wanted if s > count or e > count]
    return f"--pages {', '.join(beyond)}: the PDF has {count} page(s)" if beyond else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ocr", description="Read a PDF's pages (text layer or OCR).")
    add_common_options(parser)
    parser.add_argument("pdf")
    parser.add_argument("--pages", help="page range, e.g. 1-3 or 2,5-6 (1-based)")
    parser.add_argument("--json", action="store_true", help="one JSON document with every page's details")
    parser.add_argument("--ocr-engine", default=None, choices=engine_names(),
                        help=f"recogniser (default: ${ENGINE_ENV} or {DEFAULT_ENGINE})")
    args = parser.parse_args(argv)
    setup_logging(args)
    return run(lambda: _read(args, parser))


def _read(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    try:
        count = pdf_page_count(args.pdf)
        problem = _out_of_range(args.pages, count)
        if problem:
            parser.print_usage(sys.stderr)
            log.error("%s: error: %s", parser.prog, problem)
            return EXIT_USAGE
        pages = read_pdf(args.pdf, pages=args.pages, engine=args.ocr_engine)
        if args.json:
            out = {"file": display_path(args.pdf), "pages": [page_json(p) for p in pages]}
            json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        else:
            for i, page in enumerate(pages):
                if i:
                    sys.stdout.write("\f")
                sys.stdout.write(page.text + "\n")
                sys.stdout.flush()
    except InputError as exc:
        msg = str(exc)
        log.error("%s", one_line(msg if args.pdf in msg else f"{args.pdf}: {msg}").replace(args.pdf, display_path(args.pdf)))
        return EXIT_FAILED
    except ValueError as exc:
        log.error("error: %s", one_line(str(exc)))
        return EXIT_USAGE
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
