"""Assemble one plan's extraction: header, reform areas, numeric targets, appendix tasks.

The stages share one line list (page number, text) and one outline (where
each area is headed and where the plan body ends), so a figure is filed
under the section it sits in and appendix tables never count as body text.
Task tables are parsed by `parsers.tasks`; a failure there leaves the rest
of the extraction intact and is reported in `missing`.

Bump PARSER_VERSION whenever output changes: ingest re-parses documents whose
stored parser version differs.
"""

from __future__ import annotations

import logging

from rapidfuzz import fuzz

from parsers.areas import build_outline, extract_areas
from parsers.confidence import score_values
from parsers.header import parse_header
from parsers.provenance import attach_provenance
from parsers.targets import extract_targets
from parsers.tasks import extract_tasks
from parsers.text import document_lines, ocr_fold
from schema.document import Page
from schema.records import Extraction

PARSER_VERSION = "0.9.0"

log = logging.getLogger(__name__)

_HEADER_FIELDS = ("doc_number", "issuer", "issue_date", "title")


def looks_like_plan(title: str | None, areas: int) -> bool:
    """A CCHC plan names administrative reform in its title, or heads several reform areas.

    Other documents (decisions, invoices) are still parsed so the reason can be
    reported, but flagged: they may mention "cải cách hành chính" in passing.
    """
    f = ocr_fold(title or "")
    titled = "cchc" in f or fuzz.partial_ratio("cai cach hanh chinh", f) >= 85
    return titled or areas >= 3


def parse_plan(pages: list[Page], plan_id: str) -> Extraction:
    lines = document_lines(pages)
    outline = build_outline(lines)
    header = parse_header(lines, body_end=outline.body_end, pages=pages)
    areas = extract_areas(lines, plan_id, outline)
    targets = extract_targets(lines, outline, plan_id)

    out = Extraction(header=header, areas=areas, targets=targets)
    out.is_plan = looks_like_plan(header.title, len({a.area for a in areas}))

    try:
        tasks = extract_tasks(pages, plan_id, areas)
        out.tasks, out.agencies, out.task_agencies = tasks.tasks, tasks.agencies, tasks.task_agencies
    except Exception as exc:  # a task-table bug must not lose the header and targets
        log.warning("task extraction failed for %s: %s", plan_id, exc)
        out.missing.append("tasks")

    out.missing += [f for f in _HEADER_FIELDS if getattr(header, f) is None]
    if not areas:
        out.missing.append("areas")
    return score_values(attach_provenance(out, pages, plan_id), pages)
