"""Shared data model: page documents, table records, DDL and the DuckDB store."""

from schema.document import Cell, Line, Page, Table, Word
from schema.records import (
    AREA_CODES,
    AgencyRow,
    AreaRow,
    Extraction,
    Header,
    IngestErrorRow,
    PageRow,
    ParsedPlan,
    PlanRow,
    TargetRow,
    TaskAgencyRow,
    TaskRow,
)

__all__ = [
    "AREA_CODES",
    "AgencyRow",
    "AreaRow",
    "Cell",
    "Extraction",
    "Header",
    "IngestErrorRow",
    "Line",
    "Page",
    "PageRow",
    "ParsedPlan",
    "PlanRow",
    "Table",
    "TargetRow",
    "TaskAgencyRow",
    "TaskRow",
    "Word",
]
