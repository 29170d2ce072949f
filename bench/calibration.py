"""Is `confidence` honest? Share of wrong values per confidence band, judged against the gold files.

`python -m bench.calibration --db FILE [--gold tests/gold] [--json bench/results/calibration.json]`
prints the band table; `band_table` is what the parse benchmark calls with its own right/wrong list.

A value is one header field, one predicted target, or one matched task's content, lead agencies
and deadline (unmatched predicted tasks count as wrong content when the gold lists every row).
The goals (issue #20): values below 0.5 hold >= 70% of the wrong ones; values >= 0.9 are >= 98% right.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.evaluate import (
    HEADER_FIELDS,
    _agencies_equal,
    load_gold,
    match_tasks,
    norm,
    similar,
    target_pairs,
)
from pipeline.snapshot import every_copy

BANDS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.0001))


@dataclass
class Judged:
    plan: str
    kind: str
    field: str
    confidence: float
    right: bool


def band_table(values: list[tuple[bool, float]]) -> dict:
    """Per band: values, wrong, share wrong, share of all wrong values; plus the two goal numbers."""
    wrong_all = sum(1 for r, _ in values if not r)
    rows = []
    for lo, hi in BANDS:
        inside = [r for r, c in values if lo <= c < hi]
        wrong = sum(1 for r in inside if not r)
        rows.append(
            {
                "band": f"[{lo:.1f}, {min(hi, 1.0):.1f}{']' if hi > 1 else ')'}",
                "values": len(inside),
                "wrong": wrong,
                "wrong_share": wrong / len(inside) if inside else 0.0,
                "share_of_all_wrong": wrong / wrong_all if wrong_all else 0.0,
            }
        )
    low_wrong = sum(1 for r, c in values if not r and c < 0.5)
    high = [r for r, c in values if c >= 0.9]
    return {
        "bands": rows,
        "values": len(values),
        "wrong": wrong_all,
        "wrong_caught_below_0_5": low_wrong / wrong_all if wrong_all else 1.0,
        "right_at_or_above_0_9": sum(high) / len(high) if high else 1.0,
    }


def format_table(table: dict) -> str:
    lines = [f"{'band':<12} {'values':>7} {'wrong':>6} {'wrong %':>8} {'of all wrong':>13}"]
    for r in table["bands"]:
        lines.append(
            f"{r['band']:<12} {r['values']:>7} {r['wrong']:>6} {100 * r['wrong_share']:>7.1f}% "
            f"{100 * r['share_of_all_wrong']:>12.1f}%"
        )
    lines.append(
        f"values {table['values']}, wrong {table['wrong']}; wrong below 0.5: "
        f"{100 * table['wrong_caught_below_0_5']:.1f}% (goal >= 70%); right at >= 0.9: "
        f"{100 * table['right_at_or_above_0_9']:.1f}% (goal >= 98%)"
    )
    return "\n".join(lines)


def judge(gold_dir: str | Path, db_path: str | Path) -> list[Judged]:
    """Every predicted value the gold files of a folder can judge, with its stored confidence."""
    return judge_docs(load_gold(gold_dir), db_path)


def judge_docs(gold_docs: list[dict], db_path: str | Path) -> list[Judged]:
    """Every predicted value these gold documents can judge (plans tied by file name), with its confidence."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        src = {t: every_copy(con, t) for t in ("plans", "value_boxes", "targets", "tasks")}
        plans = con.execute(f"SELECT plan_id, source_path, {', '.join(HEADER_FIELDS)} FROM {src['plans']}").fetchall()
        boxes = con.execute(f"SELECT plan_id, record, key, field, confidence FROM {src['value_boxes']}").fetchall()
        targets = con.execute(
            f"SELECT plan_id, target_id, area, value, unit, comparator, metric, confidence FROM {src['targets']}"
        ).fetchall()
        tasks = con.execute(
            f"SELECT plan_id, task_id, area, row_label, content, lead_agencies, deadline_text FROM {src['tasks']}"
        ).fetchall()
    finally:
        con.close()
    conf = {(p, r, k, f): c for p, r, k, f, c in boxes}
    by_source = {Path(row[1]).name: row for row in plans}
    out: list[Judged] = []
    for g in gold_docs:
        row = by_source.get(g["source"])
        if row is None:
            continue
        pid = row[0]
        header = dict(zip(HEADER_FIELDS, row[2:], strict=True))
        for f, v in (g.get("header") or {}).items():
            c = conf.get((pid, "plans", pid, f))
            if f in HEADER_FIELDS and header.get(f) is not None and c is not None:
                out.append(Judged(g["source"], "header", f, c, norm(v) == norm(header[f])))
        if "targets" in g:
            pred = [
                {"id": t[1], "area": t[2], "value": t[3], "unit": t[4], "comparator": t[5], "metric": t[6], "c": t[7]}
                for t in targets
                if t[0] == pid
            ]
            hits = {id(p) for _, p in target_pairs(g["targets"], pred)}
            out += [Judged(g["source"], "target", "value", p["c"] or 0.0, id(p) in hits) for p in pred]
        if "tasks" in g:
            pred = [
                {"id": t[1], "area": t[2], "row_label": t[3], "content": t[4], "lead_agencies": list(t[5] or []),
                 "deadline_text": t[6]}
                for t in tasks
                if t[0] == pid
            ]
            rows = g["tasks"].get("rows") or []
            pairs = match_tasks(rows, pred)
            matched = {id(p) for _, p in pairs}
            for gr, pr in pairs:
                tid = pr["id"]
                out.append(Judged(g["source"], "task", "content", conf.get((pid, "tasks", tid, "content"), 0.0), True))
                if "lead_agencies" in gr:
                    c = conf.get((pid, "tasks", tid, "lead_agencies"), conf.get((pid, "tasks", tid, "content"), 0.0))
                    out.append(Judged(g["source"], "task", "lead_agencies", c,
                                      _agencies_equal(gr["lead_agencies"], pr["lead_agencies"])))
                if "deadline_text" in gr and pr["deadline_text"] is not None:
                    ok = norm(gr["deadline_text"]) == norm(pr["deadline_text"]) or similar(
                        gr["deadline_text"], pr["deadline_text"]) >= 95
                    out.append(Judged(g["source"], "task", "deadline_text",
                                      conf.get((pid, "tasks", tid, "deadline_text"), 0.0), ok))
            if int(g["tasks"].get("count", len(rows))) == len(rows):
                for p in pred:
                    if id(p) not in matched:
                        out.append(Judged(g["source"], "task", "content",
                                          conf.get((pid, "tasks", p["id"], "content"), 0.0), False))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.calibration", description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--gold", default="tests/gold")
    ap.add_argument("--json", help="also save the table (and the wrong values) as JSON here")
    ap.add_argument("--show-wrong", action="store_true", help="list the wrong values with their confidence")
    args = ap.parse_args(argv)
    judged = judge(args.gold, args.db)
    table = band_table([(j.right, j.confidence) for j in judged])
    print(format_table(table))
    if args.show_wrong:
        for j in sorted(judged, key=lambda j: -j.confidence):
            if not j.right:
                print(f"  {j.confidence:.3f} {j.plan} {j.kind}.{j.field}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        table["wrong_values"] = [j.__dict__ for j in judged if not j.right]
        Path(args.json).write_text(json.dumps(table, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
