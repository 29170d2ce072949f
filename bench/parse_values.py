"""Right or wrong, value by value: the verdict behind every pooled metric of `pipeline.evaluate`.

`value_checks(gold, pred)` lists one `Check` per gold value (header field, area, target, task row
and, on matched rows, lead agencies and deadline) plus one per predicted value the gold does not
have, using the same matching rules as `pipeline.evaluate.score`. Benchmarks use it to say which
values fail; a confidence-calibration table (issue 20) can join it with the confidence of each
predicted value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.evaluate import HEADER_FIELDS, _agencies_equal, match_tasks, norm, similar, target_pairs


@dataclass(frozen=True)
class Check:
    kind: str  # header | area | target | task | task_lead | task_deadline
    key: str  # field name, area code, target metric, task row label
    gold: Any
    pred: Any
    ok: bool


def _header_checks(gold: dict, pred: dict) -> list[Check]:
    head = pred.get("header") or {}
    return [Check("header", f, v, head.get(f), norm(v) == norm(head.get(f)))
            for f, v in (gold.get("header") or {}).items() if f in HEADER_FIELDS]


def _area_checks(gold: dict, pred: dict) -> list[Check]:
    if "areas" not in gold:
        return []
    gs, ps = set(gold["areas"]), set(pred.get("areas") or [])
    return ([Check("area", a, a, a if a in ps else None, a in ps) for a in sorted(gs)]
            + [Check("area", a, None, a, False) for a in sorted(ps - gs)])


def _target_checks(gold: dict, pred: dict) -> list[Check]:
    if "targets" not in gold:
        return []
    preds = pred.get("targets") or []
    pairs = target_pairs(gold["targets"], preds)
    hit_gold = {id(g) for g, _ in pairs}
    hit_pred = {id(p) for _, p in pairs}
    out = [Check("target", g.get("metric", ""), g, p, True) for g, p in pairs]
    out += [Check("target", g.get("metric", ""), g, None, False) for g in gold["targets"] if id(g) not in hit_gold]
    out += [Check("target", p.get("metric") or "", None, p, False) for p in preds if id(p) not in hit_pred]
    return out


def _task_checks(gold: dict, pred: dict) -> list[Check]:
    if "tasks" not in gold:
        return []
    rows = gold["tasks"].get("rows") or []
    preds = pred.get("tasks") or []
    pairs = match_tasks(rows, preds)
    out: list[Check] = []
    for g, p in pairs:
        label = g.get("row_label") or ""
        out.append(Check("task", label, g.get("content"), p.get("content"), True))
        if "lead_agencies" in g:
            out.append(Check("task_lead", label, g["lead_agencies"], p.get("lead_agencies"),
                             _agencies_equal(g["lead_agencies"], p.get("lead_agencies") or [])))
        if "deadline_text" in g:
            ok = norm(g["deadline_text"]) == norm(p.get("deadline_text")) or (
                similar(g["deadline_text"], p.get("deadline_text")) >= 95)
            out.append(Check("task_deadline", label, g["deadline_text"], p.get("deadline_text"), ok))
    hit_gold = {id(g) for g, _ in pairs}
    hit_pred = {id(p) for _, p in pairs}
    out += [Check("task", g.get("row_label") or "", g.get("content"), None, False) for g in rows
            if id(g) not in hit_gold]
    out += [Check("task", p.get("row_label") or "", None, p.get("content"), False) for p in preds
            if id(p) not in hit_pred]
    return out


def value_checks(gold: dict, pred: dict | None) -> list[Check]:
    """Every gold value of one document (and every extra prediction) with its verdict."""
    pred = pred or {"header": {}, "areas": [], "targets": [], "tasks": []}
    return _header_checks(gold, pred) + _area_checks(gold, pred) + _target_checks(gold, pred) + _task_checks(
        gold, pred)
