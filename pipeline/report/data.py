"""What the report shows, read from the database in one place (the templates only lay it out)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from parsers.text import fold
from pipeline.report.charts import metric_group
from pipeline.report.crops import CropRequest, crop_name
from schema.corrections import as_text
from schema.views import LOW_CONFIDENCE

HEADER_SHOWN = ("doc_number", "doc_type", "issuer", "admin_level", "locality", "issue_date", "title",
                "period_start", "period_end", "signer", "place")
TASK_CELLS = ("row_label", "content", "output", "lead_agencies", "partner_agencies", "deadline_text")


@dataclass
class Value:
    """One shown value: its text, confidence, page and (when the page has an image) its crop."""

    field: str
    text: str
    confidence: float | None = None
    page: int | None = None
    crop: str | None = None
    corrected: bool = False

    @property
    def low(self) -> bool:
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE


@dataclass
class ReportData:
    plans: list[dict[str, Any]] = field(default_factory=list)
    by_locality: list[tuple] = field(default_factory=list)
    by_level: list[tuple] = field(default_factory=list)
    targets_by_area: list[tuple[str, str, int]] = field(default_factory=list)
    metric_values: list[tuple[str, str, float]] = field(default_factory=list)
    agency_load: list[tuple[str, int]] = field(default_factory=list)
    deadlines: list[tuple[str, int]] = field(default_factory=list)
    low_count: int = 0
    corrections: int = 0
    threshold: float = LOW_CONFIDENCE
    crop_requests: list[CropRequest] = field(default_factory=list)
    _values: list[Value] = field(default_factory=list)

    def drop_crops(self, names: set[str]) -> None:
        """Forget crops that could not be written, so no link points at a missing file."""
        for v in self._values:
            if v.crop in names:
                v.crop = None


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def load_report_data(con: duckdb.DuckDBPyConnection) -> ReportData:
    """Everything the templates show: one page per plan (each value with its box and crop) and the charts."""
    data = ReportData()
    targets = _rows(con, "SELECT * FROM targets ORDER BY plan_id, target_id")
    data.plans = _plan_pages(con, data, targets)
    _chart_data(con, data, targets)
    return data


def _plan_pages(con: duckdb.DuckDBPyConnection, data: ReportData, targets: list[dict]) -> list[dict]:
    """Plans with their header, areas, targets and tasks, every shown value linked to its box."""
    plans = _rows(con, "SELECT * FROM plans ORDER BY locality, source_path")
    boxes = _rows(con, "SELECT * FROM value_boxes")
    box = {(b["plan_id"], b["record"], b["key"], b["field"]): b for b in boxes}
    corrected = {
        (r["plan_id"], r["record"], r["key"], r["field"])
        for r in _rows(con, "SELECT plan_id, record, key, field FROM corrections")
    }
    data.corrections = len(corrected)
    areas = _rows(con, "SELECT * FROM areas ORDER BY plan_id, page_start NULLS LAST, area")
    tasks = _rows(con, "SELECT * FROM tasks ORDER BY plan_id, task_id")

    def value(p: dict, record: str, key: str, fld: str, raw: Any) -> Value:
        b = box.get((p["plan_id"], record, key, fld), {})
        v = Value(fld, as_text(raw) or "", b.get("confidence"), b.get("page"),
                  corrected=(p["plan_id"], record, key, fld) in corrected)
        if b.get("x0") is not None and str(p["source_path"]).lower().endswith(".pdf") and Path(p["source_path"]).is_file():
            v.crop = crop_name(p["plan_id"], record, key, fld)
            data.crop_requests.append(
                CropRequest(p["source_path"], b["page"], b["x0"], b["y0"], b["x1"], b["y1"], v.crop)
            )
        data._values.append(v)
        return v

    copies = dict(con.execute("SELECT plan_id, count(*) FROM plan_documents GROUP BY 1").fetchall())
    for p in plans:
        pid = p["plan_id"]
        p["header_values"] = [value(p, "plans", pid, f, p.get(f)) for f in HEADER_SHOWN if p.get(f) is not None]
        p["areas"] = [a for a in areas if a["plan_id"] == pid]
        for a in p["areas"]:
            a["shown"] = value(p, "areas", a["area"], "heading", a["heading"])
        p["targets"] = []
        for t in (t for t in targets if t["plan_id"] == pid):
            t["shown"] = value(p, "targets", t["target_id"], "value", t["value"])
            p["targets"].append(t)
        p["tasks"] = []
        for t in (t for t in tasks if t["plan_id"] == pid):
            t["cells"] = {c: value(p, "tasks", t["task_id"], c, t.get(c)) for c in TASK_CELLS}
            p["tasks"].append(t)
        p["low"] = sum(1 for b in boxes if b["plan_id"] == pid and (b["confidence"] or 0) < LOW_CONFIDENCE)
        p["copies"] = copies.get(pid, 1)
    return plans


def _chart_data(con: duckdb.DuckDBPyConnection, data: ReportData, targets: list[dict]) -> None:
    """The overview tables and the four charts' series, from the views analysts query too."""
    data.by_locality = con.execute(
        "SELECT coalesce(locality, '?'), coalesce(admin_level, '?'), count(*), min(period_start), max(period_end) "
        "FROM plans GROUP BY ALL ORDER BY 1"
    ).fetchall()
    data.by_level = con.execute(
        "SELECT coalesce(admin_level, '?'), count(*), count(*) FILTER (WHERE status = 'ok'), "
        "round(avg(ocr_confidence), 1) FROM plans GROUP BY ALL ORDER BY 1"
    ).fetchall()
    data.targets_by_area = [
        (a, lvl or "?", int(n))
        for a, lvl, n in con.execute(
            "SELECT area, admin_level, sum(targets) FROM v_targets_by_area GROUP BY ALL"
        ).fetchall()
    ]
    locality = {p["plan_id"]: p["locality"] for p in data.plans}
    data.metric_values = []
    for t in targets:
        group = metric_group(fold(t["metric"] or ""))
        if group and t["unit"] == "%":
            data.metric_values.append((group, locality.get(t["plan_id"]) or "?", float(t["value"])))
    data.agency_load = [
        (a, int(n)) for a, n in con.execute("SELECT agency, tasks_led FROM v_agency_load ORDER BY 2 DESC, 1").fetchall()
    ]
    data.deadlines = [
        (q, int(n)) for q, n in con.execute("SELECT year_quarter, count(*) FROM v_deadlines GROUP BY ALL ORDER BY 1")
        .fetchall()
    ]
    data.low_count = con.execute("SELECT count(*) FROM v_low_confidence").fetchone()[0]
