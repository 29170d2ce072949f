"""Appendix task tables → `tasks`, `agencies`, `task_agencies` rows.

Entry point called by `parsers.plan`: `extract_tasks(pages, plan_id, areas)`.
Sources are tried from the most to the least structured, because a cell
grid is far more reliable than text: table grids from the OCR stage (PDF
text layer or OCR'd ruled grid), then tab-separated rows of a text dump,
then blank-line blocks of unstructured OCR text.
"""

from __future__ import annotations

import re
from collections import Counter

from pydantic import BaseModel, Field

from parsers.agencies import AgencyRegistry, split_agencies
from parsers.deadlines import parse_deadline, repair_deadline_year, restore_deadline_text
from parsers.task_labels import repair_labels, split_missed_sections
from parsers.task_table import RawTask, TableSequenceReader
from parsers.task_text import block_tasks, tab_table
from schema.document import Page
from schema.records import AgencyRow, AreaRow, TaskAgencyRow, TaskRow

_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


class TaskExtraction(BaseModel):
    """Task rows with the agencies they name, ready for their three tables."""

    tasks: list[TaskRow] = Field(default_factory=list)
    agencies: list[AgencyRow] = Field(default_factory=list)
    task_agencies: list[TaskAgencyRow] = Field(default_factory=list)


def raw_tasks(pages: list[Page]) -> list[RawTask]:
    """Task rows as read, from the best source the document offers."""
    area: str | None = None
    reader = TableSequenceReader()
    for page in pages:
        for table in page.tables:
            _, area = reader.read(table, area)
    if reader.tasks:
        repair_labels(reader.tasks)
        split_missed_sections(reader.tasks)
        return reader.tasks
    area, reader = None, TableSequenceReader()
    for page in pages:
        table = tab_table(page)
        if table is not None:
            _, area = reader.read(table, area)
    if reader.tasks:
        return reader.tasks
    return block_tasks(pages)


def plan_year(raw: list[RawTask], pages: list[Page]) -> int | None:
    """The year year-less deadlines refer to: the commonest year in deadline cells, else the latest on page 1.

    A plan is issued late in the year before the one it covers, so on the
    first page the plan year is the latest year printed (the issue date's is
    earlier).
    """
    years = Counter(int(y) for t in raw for y in _YEAR.findall(t.deadline_text))
    if years:
        return years.most_common(1)[0][0]
    first_page = [int(y) for y in _YEAR.findall(pages[0].text)] if pages else []
    return max(first_page) if first_page else None


def extract_tasks(pages: list[Page], plan_id: str, areas: list[AreaRow]) -> TaskExtraction:
    """All appendix tasks of a plan with canonical agencies and normalised deadlines.

    `areas` (what the header/area parser found) is accepted for the pipeline's
    sake; a task's area comes from the table section it sits in.
    """
    raw = [t for t in raw_tasks(pages) if t.content or t.output]
    year = plan_year(raw, pages)
    seen_years = Counter(int(y) for t in raw for y in set(_YEAR.findall(t.deadline_text)))
    common = frozenset(y for y, n in seen_years.items() if n >= 2)
    registry = AgencyRegistry()
    tasks: list[TaskRow] = []
    links: list[TaskAgencyRow] = []
    for n, item in enumerate(raw, start=1):
        task_id = f"{plan_id}-t{n:03d}"
        lead = split_agencies(item.lead_text, keep_unknown=not item.scrambled)
        partner = split_agencies(item.partner_text, keep_unknown=not item.scrambled)
        item.deadline_text = repair_deadline_year(item.deadline_text, year, common) or ""
        deadline = parse_deadline(item.deadline_text, year)
        for role, mentions in (("lead", lead), ("partner", partner)):
            for m in mentions:
                agency_id = registry.add(m)
                links.append(TaskAgencyRow(plan_id=plan_id, task_id=task_id, agency_id=agency_id, role=role))
        tasks.append(
            TaskRow(
                plan_id=plan_id,
                task_id=task_id,
                area=item.area,  # type: ignore[arg-type]
                row_label=item.row_label,
                content=item.content,
                output=item.output,
                lead_agencies=[m.canonical for m in lead],
                partner_agencies=[m.canonical for m in partner],
                deadline_text=restore_deadline_text(item.deadline_text) or None,
                deadline_date=deadline.date,
                recurring=deadline.recurring,
                page=item.page,
            )
        )
    return TaskExtraction(tasks=tasks, agencies=registry.rows(), task_agencies=links)
