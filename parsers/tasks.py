"""Appendix task tables → `tasks`, `agencies`, `task_agencies` rows.

Entry point called by `parsers.plan`: `extract_tasks(pages, plan_id, areas)`.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from schema.document import Page
from schema.records import AgencyRow, AreaRow, TaskAgencyRow, TaskRow


class TaskExtraction(BaseModel):
    """Task rows with the agencies they name, ready for their three tables."""

    tasks: list[TaskRow] = Field(default_factory=list)
    agencies: list[AgencyRow] = Field(default_factory=list)
    task_agencies: list[TaskAgencyRow] = Field(default_factory=list)


def extract_tasks(pages: list[Page], plan_id: str, areas: list[AreaRow]) -> TaskExtraction:
    """Placeholder: returns no tasks until the table/text readers land."""
    return TaskExtraction()
