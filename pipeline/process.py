"""One document through every stage: read → restore → parse → validated `ParsedPlan`.

This runs inside worker processes, so it touches no database: it returns
either a `ParsedPlan` or a `Failure` naming the stage and a one-line reason,
and the orchestrator (the only DB writer) stores whichever it gets.
"""

from __future__ import annotations

import statistics
import traceback
from dataclasses import dataclass
from pathlib import Path

import diacritics
import ocr
import parsers
from ocr.errors import InputError
from pipeline.hashing import file_sha256, plan_id_for
from schema.document import Page
from schema.records import Extraction, PageRow, ParsedPlan, PlanRow


@dataclass
class Failure:
    """Why an input could not be loaded; `message` is the one line the user sees."""

    source_path: str
    sha256: str | None
    stage: str
    message: str
    partial: ParsedPlan | None = None  # what was read, kept so nothing is lost (e.g. not a plan)


class StageError(Exception):
    def __init__(self, stage: str, message: str) -> None:
        super().__init__(message)
        self.stage = stage
        self.message = message


def read_pages(path: str) -> list[Page]:
    """Text dumps split on form feeds; PDFs through the OCR stage (text layer or OCR per page)."""
    if Path(path).suffix.lower() == ".txt":
        return ocr.read_text_dump(path)
    pages = list(ocr.read_pdf(path))
    if not pages:
        raise InputError("PDF has no pages")
    return pages


def restore_pages(pages: list[Page]) -> list[Page]:
    """Restore diacritics where a page needs it, keeping what OCR read in `raw_text`."""
    out = []
    for page in pages:
        if page.text.strip() and diacritics.needs_restoration(page.text):
            tables = [
                t.model_copy(
                    update={"cells": [c.model_copy(update={"text": diacritics.restore(c.text)}) for c in t.cells]}
                )
                for t in page.tables
            ]
            out.append(
                page.model_copy(
                    update={"raw_text": page.text, "text": diacritics.restore(page.text), "tables": tables}
                )
            )
        else:
            out.append(page)
    return out


def _text_source(pages: list[Page]) -> str:
    methods = {p.method for p in pages}
    if len(methods) == 1:
        return next(iter(methods))
    return "mixed"


def build_plan(path: str, sha: str, pages: list[Page], ext: Extraction) -> ParsedPlan:
    pid = plan_id_for(sha)
    confidences = [p.confidence for p in pages if p.method == "ocr" and p.confidence is not None]
    h = ext.header
    missing = list(ext.missing)
    status = "ok" if ext.is_plan and not missing else ("partial" if ext.is_plan else "failed")
    plan = PlanRow(
        plan_id=pid,
        source_path=path,
        source_sha256=sha,
        **h.model_dump(),
        page_count=len(pages),
        text_source=_text_source(pages),
        ocr_confidence=round(statistics.fmean(confidences), 2) if confidences else None,
        status=status,
        parser_version=parsers.PARSER_VERSION,
        missing=missing,
    )
    page_rows = [
        PageRow(
            plan_id=pid,
            page_no=p.page_no,
            method=p.method,
            confidence=p.confidence,
            raw_text=p.raw_text if p.raw_text is not None else p.text,
            text=p.text,
            restored=p.raw_text is not None,
        )
        for p in pages
    ]
    return ParsedPlan(
        plan=plan,
        areas=ext.areas,
        targets=ext.targets,
        tasks=ext.tasks,
        agencies=ext.agencies,
        task_agencies=ext.task_agencies,
        pages=page_rows,
    )


def process_file(path: str, sha: str | None = None) -> ParsedPlan | Failure:
    """Never raises for bad input: every problem becomes a `Failure` with a clear reason."""
    stage = "read"
    try:
        if sha is None:
            try:
                sha = file_sha256(path)
            except OSError as exc:
                raise InputError(f"cannot read file: {exc.strerror or exc}") from exc
        pages = read_pages(path)
        stage = "restore"
        pages = restore_pages(pages)
        stage = "parse"
        ext = parsers.parse_plan(pages, plan_id_for(sha))
        parsed = build_plan(path, sha, pages, ext)
        if not ext.is_plan:
            return Failure(path, sha, "parse", "not a CCHC plan (no plan title or reform areas found)", parsed)
        return parsed
    except InputError as exc:
        return Failure(path, sha, stage, str(exc))
    except MemoryError:
        return Failure(path, sha, stage, "out of memory while processing this file")
    except Exception as exc:  # a bug in a stage must not stop the batch; keep the trace for the log
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(tb.filename).name}:{tb.lineno}"
        return Failure(path, sha, stage, f"internal error in {stage} stage: {type(exc).__name__}: {exc} ({where})")
