"""What a worker hands back when an input (or one page of it) cannot be loaded.

Its own small module so the orchestrator can handle results without importing the stages (their
imports cost about half a second of CPU, paid once by the workers' fork server instead).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schema.records import ParsedPlan


@dataclass
class Failure:
    """Why an input could not be loaded; `message` is the one line the user sees."""

    source_path: str
    sha256: str | None
    stage: str
    message: str
    partial: ParsedPlan | None = None  # what was read, kept so nothing is lost (e.g. not a plan)
    page_no: int | None = None  # set when only this page failed (the document may still load)
