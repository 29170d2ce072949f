"""Score the database against hand-labelled gold plans (`python -m pipeline eval`).

Matching follows the contract (CONTRACT.md, "Gold files"):
- header fields exactly, text after Unicode NFC and case/space folding;
- areas as a set per plan;
- a gold target matches an unmatched predicted one of the same plan with the
  same area, value, unit and comparator whose metric is similar
  (rapidfuzz token-set ratio >= 70); metrics are compared on accent-folded
  text, because a metric cut from OCR'd text may carry imperfectly restored
  marks and the ratio is meant to judge *what* is measured, not spelling;
- a gold task row matches on area and row label or, failing that, content
  similarity >= 70; lead agencies and deadline text are then scored on the
  matched rows; `targets_scope_accuracy` likewise scores the level of matched
  targets whose gold states one (informative, not part of the contract match).
Counts are pooled over all plans (micro averages). `overall_f1` is the mean
of header accuracy and the areas, targets and tasks F1 that the gold covers.
Gold files are tied to plans by `source` == file name of `plans.source_path`.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from schema.vntext import fold

HEADER_FIELDS = (
    "doc_number",
    "doc_type",
    "issuer",
    "admin_level",
    "locality",
    "issue_date",
    "period_start",
    "period_end",
    "title",
)
SIMILARITY = 70.0


def norm(value: Any) -> Any:
    """NFC, case- and space-folded text; numbers and dates as plain comparable values."""
    if value is None:
        return None
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFC", value).casefold().split())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def similar(a: str | None, b: str | None) -> float:
    return float(fuzz.token_set_ratio(fold(a or ""), fold(b or "")))


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _same_target(g: dict, p: dict) -> bool:
    return (
        g.get("area") == p.get("area")
        and abs(float(g["value"]) - float(p["value"])) < 1e-6
        and norm(g.get("unit")) == norm(p.get("unit"))
        and (g.get("comparator") or "=") == (p.get("comparator") or "=")
    )


def match_targets(gold: list[dict], pred: list[dict]) -> int:
    return len(target_pairs(gold, pred))


def target_pairs(gold: list[dict], pred: list[dict]) -> list[tuple[dict, dict]]:
    """Size of a maximum matching between gold and predicted targets (Kuhn's augmenting paths).

    A maximum matching, not a greedy one: a gold target must not take the one
    prediction another gold target could only match.
    """
    edges = [
        [i for i, p in enumerate(pred) if _same_target(g, p) and similar(g.get("metric"), p.get("metric")) >= SIMILARITY]
        for g in gold
    ]
    owner: dict[int, int] = {}

    def augment(gi: int, seen: set[int]) -> bool:
        for pi in edges[gi]:
            if pi in seen:
                continue
            seen.add(pi)
            if pi not in owner or augment(owner[pi], seen):
                owner[pi] = gi
                return True
        return False

    for gi in range(len(gold)):
        augment(gi, set())
    return [(gold[gi], pred[pi]) for pi, gi in sorted(owner.items(), key=lambda kv: kv[1])]


def _agencies_equal(gold: list[str], pred: list[str]) -> bool:
    """Same number of agencies, each gold one paired with a prediction: equal after folding
    case and space, else similar (accent-folded token-set ratio >= 90).

    The contract stores *canonical* names while gold files spell agencies as printed
    ("UBND các huyện"), so the gold name is compared in its canonical form as well.
    """
    from parsers.agencies import canonical_agency

    if len(gold) != len(pred):
        return False
    left = list(pred)
    for g in gold:
        canon = canonical_agency(g)
        if any(norm(canon) == norm(p) for p in left):
            g = canon
        hit = next((p for p in left if norm(g) == norm(p)), None)
        if hit is None:
            hit = next((p for p in left if similar(g, p) >= 90), None)
        if hit is None:
            return False
        left.remove(hit)
    return True


def match_tasks(gold_rows: list[dict], pred: list[dict]) -> list[tuple[dict, dict]]:
    """Pairs (gold, predicted): area + row label first, then content similarity."""
    pairs: list[tuple[dict, dict]] = []
    used: set[int] = set()
    rest: list[dict] = []
    for g in gold_rows:
        label = norm(g.get("row_label") or "")
        hit = None
        if label:
            hit = next(
                (
                    i
                    for i, p in enumerate(pred)
                    if i not in used and p.get("area") == g.get("area") and norm(p.get("row_label") or "") == label
                ),
                None,
            )
        if hit is None:
            rest.append(g)
        else:
            used.add(hit)
            pairs.append((g, pred[hit]))
    for g in rest:
        best, best_score = None, SIMILARITY
        for i, p in enumerate(pred):
            if i in used:
                continue
            score = similar(g.get("content"), p.get("content"))
            if score >= best_score:
                best, best_score = i, score
        if best is not None:
            used.add(best)
            pairs.append((g, pred[best]))
    return pairs


@dataclass
class _Tally:
    """Counts over every gold document; each section of a gold file adds to its own counters."""

    h_ok: int = 0
    h_all: int = 0
    per_field: dict[str, list[int]] = field(default_factory=dict)
    areas: list[int] = field(default_factory=lambda: [0, 0, 0])  # tp, fp, fn
    targets: list[int] = field(default_factory=lambda: [0, 0, 0])
    tasks: list[int] = field(default_factory=lambda: [0, 0, 0])
    lead_ok: int = 0
    dl_ok: int = 0
    matched_rows: int = 0
    scope_ok: int = 0
    scope_all: int = 0
    have: set[str] = field(default_factory=set)

    def header(self, gold: dict, pred: dict) -> None:
        for f, v in gold.items():
            if f not in HEADER_FIELDS:
                continue
            self.have.add("header")
            ok = norm(v) == norm(pred.get(f))
            self.h_ok += ok
            self.h_all += 1
            self.per_field.setdefault(f, [0, 0])
            self.per_field[f][0] += ok
            self.per_field[f][1] += 1

    def area_codes(self, gold: list, pred: list) -> None:
        self.have.add("areas")
        gs, ps = set(gold), set(pred)
        self.areas[0] += len(gs & ps)
        self.areas[1] += len(ps - gs)
        self.areas[2] += len(gs - ps)

    def target_rows(self, gold: list[dict], pred: list[dict]) -> None:
        self.have.add("targets")
        pairs = target_pairs(gold, pred)
        for gt, pt in pairs:
            if "scope" in gt:
                self.scope_all += 1
                self.scope_ok += gt["scope"] == pt.get("scope")
        self.targets[0] += len(pairs)
        self.targets[1] += len(pred) - len(pairs)
        self.targets[2] += len(gold) - len(pairs)

    def task_rows(self, gold: dict, pred: list[dict]) -> None:
        self.have.add("tasks")
        rows = gold.get("rows") or []
        count = int(gold.get("count", len(rows)))
        pairs = match_tasks(rows, pred)
        self.tasks[0] += len(pairs)
        self.tasks[2] += len(rows) - len(pairs)
        self.tasks[1] += (len(pred) - len(pairs)) if count == len(rows) else max(0, len(pred) - count)
        for gr, pr in pairs:
            self.matched_rows += 1
            if "lead_agencies" in gr:
                self.lead_ok += _agencies_equal(gr["lead_agencies"], pr.get("lead_agencies") or [])
            if "deadline_text" in gr:
                self.dl_ok += norm(gr["deadline_text"]) == norm(pr.get("deadline_text")) or (
                    similar(gr["deadline_text"], pr.get("deadline_text")) >= 95
                )

    def metrics(self, m: dict[str, float]) -> dict[str, float]:
        m["header_accuracy"] = self.h_ok / self.h_all if self.h_all else 0.0
        for f in HEADER_FIELDS:
            if f in self.per_field:
                m[f"header_{f}_accuracy"] = self.per_field[f][0] / self.per_field[f][1]
        for name, c in (("areas", self.areas), ("targets", self.targets), ("tasks", self.tasks)):
            p_, r_, f_ = _prf(*c)
            m[f"{name}_precision"], m[f"{name}_recall"], m[f"{name}_f1"] = p_, r_, f_
            if name == "targets" and self.scope_all:
                m["targets_scope_accuracy"] = self.scope_ok / self.scope_all
        m["task_lead_agency_accuracy"] = self.lead_ok / self.matched_rows if self.matched_rows else 0.0
        m["task_deadline_accuracy"] = self.dl_ok / self.matched_rows if self.matched_rows else 0.0
        parts = [m["header_accuracy"]] if "header" in self.have else []
        parts += [m[f"{n}_f1"] for n in ("areas", "targets", "tasks") if n in self.have]
        m["overall_f1"] = sum(parts) / len(parts) if parts else 0.0
        return m


def score(gold_docs: list[dict], predicted: dict[str, dict]) -> dict[str, float]:
    """Metrics for gold documents against predictions keyed by source file name.

    A prediction is {"header": {...}, "areas": [codes], "targets": [dicts], "tasks": [dicts]};
    a gold document whose plan is missing counts as all wrong.
    """
    tally = _Tally()
    found = 0
    for g in gold_docs:
        p = predicted.get(g.get("source", ""))
        found += p is not None
        p = p or {"header": {}, "areas": [], "targets": [], "tasks": []}
        tally.header(g.get("header") or {}, p["header"])
        if "areas" in g:
            tally.area_codes(g["areas"], p["areas"])
        if "targets" in g:
            tally.target_rows(g["targets"], p["targets"])
        if "tasks" in g:
            tally.task_rows(g["tasks"], p["tasks"])
    return tally.metrics({"gold_files": float(len(gold_docs)), "plans_found": float(found)})


def load_gold(gold_dir: str | Path) -> list[dict]:
    """Gold documents of a folder; other JSON there (such as `floors.json`) has no `source` and is skipped."""
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(gold_dir).glob("*.json"))]
    return [d for d in docs if isinstance(d, dict) and "source" in d]


def load_predictions(db_path: str | Path) -> dict[str, dict]:
    """Every plan in the database as a prediction, keyed by its source file name."""
    import duckdb

    from pipeline.snapshot import every_copy

    con = duckdb.connect(str(db_path), read_only=True)
    try:  # every document's own reading, the plan's other copies included (gold labels files)
        cols = ["plan_id", "source_path", *HEADER_FIELDS]
        plans = con.execute(f"SELECT {', '.join(cols)} FROM {every_copy(con, 'plans')} ORDER BY source_path").fetchall()
        areas = con.execute(f"SELECT plan_id, area FROM {every_copy(con, 'areas')}").fetchall()
        targets = con.execute(
            f"SELECT plan_id, area, value, unit, comparator, metric, scope FROM {every_copy(con, 'targets')}"
        ).fetchall()
        tasks = con.execute(
            f"SELECT plan_id, area, row_label, content, lead_agencies, deadline_text FROM {every_copy(con, 'tasks')}"
        ).fetchall()
    finally:
        con.close()
    by_id: dict[str, dict] = {}
    out: dict[str, dict] = {}
    for row in plans:
        rec = dict(zip(cols, row, strict=True))
        pred = {"header": {f: rec[f] for f in HEADER_FIELDS}, "areas": [], "targets": [], "tasks": []}
        by_id[rec["plan_id"]] = pred
        out.setdefault(Path(rec["source_path"]).name, pred)
    for pid, area in areas:
        if pid in by_id:
            by_id[pid]["areas"].append(area)
    for pid, area, value, unit, comparator, metric, scope in targets:
        if pid in by_id:
            by_id[pid]["targets"].append(
                {"area": area, "value": value, "unit": unit, "comparator": comparator, "metric": metric, "scope": scope}
            )
    for pid, area, label, content, lead, deadline in tasks:
        if pid in by_id:
            by_id[pid]["tasks"].append(
                {
                    "area": area,
                    "row_label": label,
                    "content": content,
                    "lead_agencies": list(lead or []),
                    "deadline_text": deadline,
                }
            )
    return out


def evaluate(gold_dir: str | Path, db_path: str | Path) -> dict[str, float]:
    return score(load_gold(gold_dir), load_predictions(db_path))


def format_report(metrics: dict[str, float]) -> str:
    """One `metric: value` line per metric, `overall_f1` last."""
    lines = [f"{k}: {v:.4f}" for k, v in metrics.items() if k != "overall_f1"]
    lines.append(f"overall_f1: {metrics.get('overall_f1', 0.0):.4f}")
    return "\n".join(lines)
