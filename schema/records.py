"""One pydantic model per DuckDB table (see CONTRACT.md).

These are the single definition of each record: the DuckDB DDL is derived
from them (`schema.ddl`), parsers build them, the JSON written to
`data/parsed/` is their dump. Field order is column order.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

AreaCode = Literal[
    "the_che",
    "thu_tuc_hanh_chinh",
    "to_chuc_bo_may",
    "che_do_cong_vu",
    "tai_chinh_cong",
    "chinh_quyen_so",
    "chi_dao_dieu_hanh",
]
AREA_CODES: tuple[str, ...] = AreaCode.__args__  # type: ignore[attr-defined]

AdminLevel = Literal["tinh", "huyen", "xa"]
Comparator = Literal[">=", "=", "<=", ">", "<"]
TextSource = Literal["text_layer", "ocr", "mixed", "text"]
PlanStatus = Literal["ok", "partial", "failed"]


class PlanRow(BaseModel):
    """`plans`: one row per ingested document."""

    plan_id: str = Field(json_schema_extra={"primary_key": True})
    source_path: str
    source_sha256: str
    doc_number: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    admin_level: AdminLevel | None = None
    locality: str | None = None
    issue_date: dt.date | None = None
    title: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    page_count: int = 0
    text_source: TextSource | None = None
    ocr_confidence: float | None = None
    status: PlanStatus = "ok"
    parser_version: str = ""
    signer: str | None = None
    place: str | None = None
    plan_doc_number: str | None = Field(default=None, description="number of the inner plan when a decision issues it")
    missing: list[str] = Field(default_factory=list, description="parts not found (why status is partial)")
    header_page: int | None = None
    ingested_at: dt.datetime | None = None
    header_confidence: float | None = Field(default=None, description="0-1, lowest confidence of the header fields found")


class AreaRow(BaseModel):
    """`areas`: one row per reform area found in a plan."""

    plan_id: str
    area: AreaCode
    heading: str
    body: str
    page_start: int | None = None
    page_end: int | None = None


class TargetRow(BaseModel):
    """`targets`: one numeric target; `source_text` and `page` are its provenance."""

    plan_id: str
    target_id: str
    area: AreaCode | None = None
    value: float
    unit: str
    comparator: Comparator = "="
    scope: str | None = None
    deadline_year: int | None = None
    metric: str = ""
    source_text: str = ""
    page: int | None = None
    bbox_page: int | None = Field(default=None, description="page of the box (parsers.provenance)")
    bbox_x0: float | None = Field(default=None, description="PDF points, origin top-left; NULL for text dumps")
    bbox_y0: float | None = None
    bbox_x1: float | None = None
    bbox_y1: float | None = None
    confidence: float | None = Field(default=None, description="0-1, parsers.confidence")


class TaskRow(BaseModel):
    """`tasks`: one row of an appendix task table."""

    plan_id: str
    task_id: str
    area: AreaCode | None = None
    row_label: str = ""
    content: str = ""
    output: str | None = None
    lead_agencies: list[str] = Field(default_factory=list)
    partner_agencies: list[str] = Field(default_factory=list)
    deadline_text: str | None = None
    deadline_date: dt.date | None = None
    recurring: bool = False
    page: int | None = None
    bbox_page: int | None = Field(default=None, description="page of the box (parsers.provenance)")
    bbox_x0: float | None = Field(default=None, description="PDF points, origin top-left; NULL for text dumps")
    bbox_y0: float | None = None
    bbox_x1: float | None = None
    bbox_y1: float | None = None
    confidence: float | None = Field(default=None, description="0-1, parsers.confidence")


class AgencyRow(BaseModel):
    """`agencies`: canonical agency names with the spellings seen for them."""

    agency_id: str = Field(json_schema_extra={"primary_key": True})
    canonical_name: str
    aliases: list[str] = Field(default_factory=list)


class TaskAgencyRow(BaseModel):
    """`task_agencies`: which agency leads or partners on which task."""

    plan_id: str
    task_id: str
    agency_id: str
    role: Literal["lead", "partner"]


class ValueBoxRow(BaseModel):
    """`value_boxes`: where one extracted value was printed and how sure the parser is of it.

    `record` is the table (`plans`, `areas`, `targets`, `tasks`), `key` the row's id there (plan_id,
    area code, target_id, task_id) and `field` the column (a header field; `heading` for an area;
    `value` for a target; a task cell: `row_label`, `content`, `output`, `lead_agencies`,
    `partner_agencies`, `deadline_text`).
    Boxes are PDF points with the origin at the page's top-left; NULL when the page has no
    geometry (text dumps) or the value was not found on the page.
    """

    plan_id: str
    record: str
    key: str
    field: str
    page: int | None = None
    x0: float | None = None
    y0: float | None = None
    x1: float | None = None
    y1: float | None = None
    confidence: float | None = None
    ocr_confidence: float | None = Field(default=None, description="0-1 mean word confidence of the source words")
    restoration_change: float | None = Field(default=None, description="0-1 share changed by restoration")
    match_score: float | None = Field(default=None, description="0-1 how well the value was found on its page")
    source_text: str | None = None


class CorrectionRow(BaseModel):
    """`corrections`: an analyst's fix, re-applied after every re-ingest (pipeline.review)."""

    plan_id: str
    record: str
    key: str
    field: str
    old: str | None = None
    new: str | None = None
    at: dt.datetime


class PageRow(BaseModel):
    """`pages`: what OCR read (`raw_text`) and what restoration made of it (`text`)."""

    plan_id: str
    page_no: int
    method: str
    confidence: float | None = None
    raw_text: str = ""
    text: str = ""
    restored: bool = False


class IngestErrorRow(BaseModel):
    """`ingest_errors`: every input that failed, and why."""

    source_path: str
    source_sha256: str | None = None
    stage: str
    message: str
    at: dt.datetime


class DocumentRow(BaseModel):
    """`documents`: one input file's content (a copy of a plan). A file edited in place gets a new
    row and its old one stays here as history, with `superseded_at` set and no other rows left."""

    source_sha256: str = Field(json_schema_extra={"primary_key": True})
    document_id: str = Field(description="first 16 hex chars of source_sha256; names data/parsed/<document_id>.json")
    source_path: str
    plan_id: str | None = Field(default=None, description="the plan this document is a copy of")
    text_source: TextSource | None = None
    ocr_confidence: float | None = None
    page_count: int = 0
    status: PlanStatus = "ok"
    parser_version: str = ""
    ingested_at: dt.datetime | None = None
    superseded_at: dt.datetime | None = Field(default=None, description="set when the file changed under the same path")
    reading_sha256: str | None = Field(default=None, description="hash of the rows read, to know an identical re-reading")


class PlanDocumentRow(BaseModel):
    """`plan_documents`: which documents fed a plan; the `primary` one supplied its rows."""

    plan_id: str
    source_sha256: str
    role: Literal["primary", "copy"]
    score: float = Field(description="copy rank: text layer 3 > mixed 2.5 > good scan 2 > text dump 1 > poor scan 0.5, + confidence/1000")


class ConflictRow(BaseModel):
    """`conflicts`: a field on which a plan's copies disagree; the primary copy's value was kept."""

    plan_id: str
    field: str
    kept_value: str | None = None
    kept_sha256: str
    source_sha256s: list[str] = Field(default_factory=list, description="every copy, the primary first")
    document_values: list[str | None] = Field(default_factory=list, description="each copy's value, same order")


class SnapshotRow(BaseModel):
    """`snapshot`: the one published run analysts are reading."""

    generation: int
    published_at: dt.datetime
    documents: int
    plans: int


class Header(BaseModel):
    """Header fields a parser found; the pipeline adds file facts to make a `PlanRow`."""

    doc_number: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    admin_level: AdminLevel | None = None
    locality: str | None = None
    issue_date: dt.date | None = None
    title: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    signer: str | None = None
    place: str | None = None
    plan_doc_number: str | None = None
    header_page: int | None = None
    header_confidence: float | None = None


class Extraction(BaseModel):
    """What `parsers.parse_plan` returns for one document."""

    header: Header = Field(default_factory=Header)
    areas: list[AreaRow] = Field(default_factory=list)
    targets: list[TargetRow] = Field(default_factory=list)
    tasks: list[TaskRow] = Field(default_factory=list)
    agencies: list[AgencyRow] = Field(default_factory=list)
    task_agencies: list[TaskAgencyRow] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    boxes: list[ValueBoxRow] = Field(default_factory=list, description="provenance boxes and confidence per value")
    is_plan: bool = Field(default=True, description="False when the text is not a CCHC plan at all")


class ParsedPlan(BaseModel):
    """Everything extracted from one document; dumped to `data/parsed/<plan_id>.json`."""

    plan: PlanRow
    areas: list[AreaRow] = Field(default_factory=list)
    targets: list[TargetRow] = Field(default_factory=list)
    tasks: list[TaskRow] = Field(default_factory=list)
    agencies: list[AgencyRow] = Field(default_factory=list)
    task_agencies: list[TaskAgencyRow] = Field(default_factory=list)
    pages: list[PageRow] = Field(default_factory=list)
    boxes: list[ValueBoxRow] = Field(default_factory=list)


TABLES: dict[str, type[BaseModel]] = {
    "plans": PlanRow,
    "areas": AreaRow,
    "targets": TargetRow,
    "tasks": TaskRow,
    "agencies": AgencyRow,
    "task_agencies": TaskAgencyRow,
    "pages": PageRow,
    "ingest_errors": IngestErrorRow,
    "value_boxes": ValueBoxRow,
    "corrections": CorrectionRow,
    "documents": DocumentRow,
    "plan_documents": PlanDocumentRow,
    "conflicts": ConflictRow,
}
