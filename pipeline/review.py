"""The review loop: export doubtful values, apply the analyst's fixes, turn a reviewed plan into gold.

`python -m pipeline review export --db FILE --out review.csv [--below 0.7]`
    values under the threshold, worst first, each with the page crop to look at
    (written beside the CSV) and an empty `corrected_value` column;
`python -m pipeline review apply review.csv --db FILE`
    every filled `corrected_value` becomes a row of `corrections` and is applied now; the
    store applies it again after every re-ingest (`schema.corrections`);
`python -m pipeline review to-gold --db FILE --plan ID --out FILE.json`
    the plan as stored (corrections included) in the gold format of CONTRACT.md, so the
    regression set grows with every reviewed plan.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from pathlib import Path

import duckdb

from pipeline.report.crops import CropRequest, crop_name, render_crops
from pipeline.snapshot import open_working, publish
from schema.corrections import KEY_COLUMN, apply_one, as_text

DEFAULT_BELOW = 0.7
COLUMNS = ("plan_id", "source", "record", "key", "field", "value", "confidence", "page", "crop", "corrected_value")
GOLD_HEADER = ("doc_number", "doc_type", "issuer", "admin_level", "locality", "issue_date",
               "period_start", "period_end", "title")


def _column_for(record: str, field: str) -> str:
    """The table column a box field stands for (a target's box is its `value`)."""
    return field


def current_value(con: duckdb.DuckDBPyConnection, plan_id: str, record: str, key: str, field: str) -> str | None:
    key_col = KEY_COLUMN[record]
    try:
        row = con.execute(
            f'SELECT "{_column_for(record, field)}" FROM {record} WHERE plan_id = ? AND {key_col} = ?', [plan_id, key]
        ).fetchone()
    except duckdb.Error:
        return None
    return as_text(row[0]) if row else None


def export_queue(db: str | Path, out_csv: str | Path, below: float = DEFAULT_BELOW, crops: bool = True) -> int:
    """Write the review queue; returns the number of rows. Crops go to `<csv folder>/crops/`."""
    out = Path(out_csv)
    out.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            """SELECT b.plan_id, p.source_path, b.record, b.key, b.field, b.confidence, b.page,
                      b.x0, b.y0, b.x1, b.y1
               FROM value_boxes b JOIN plans p USING (plan_id)
               WHERE b.confidence < ?
               ORDER BY b.confidence, b.plan_id, b.record, b.key, b.field""",
            [below],
        ).fetchall()
        records = []
        requests = []
        for pid, source, record, key, field, conf, page, x0, y0, x1, y1 in rows:
            crop = ""
            if x0 is not None and page is not None and source.lower().endswith(".pdf"):
                crop = crop_name(pid, record, key, field)
                requests.append(CropRequest(source, page, x0, y0, x1, y1, crop))
            records.append(
                {
                    "plan_id": pid,
                    "source": Path(source).name,
                    "record": record,
                    "key": key,
                    "field": field,
                    "value": current_value(con, pid, record, key, field) or "",
                    "confidence": f"{conf:.3f}",
                    "page": page if page is not None else "",
                    "crop": crop,
                    "corrected_value": "",
                }
            )
    finally:
        con.close()
    failed = render_crops(requests, out.parent) if crops and requests else {}
    for r in records:
        if r["crop"] in failed:
            r["crop"] = ""
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(records)
    return len(records)


def apply_review(csv_path: str | Path, db: str | Path) -> tuple[int, list[str]]:
    """Store and apply every filled `corrected_value`; returns (applied, problems).

    A correction is stored only when it applies now: one made for a value the database no
    longer holds (re-ingested since the export) is reported instead. `db` is the published
    snapshot: corrections go into its working file (where ingest re-applies them), then the
    snapshot is published again (`pipeline.snapshot`).
    """
    applied = 0
    problems: list[str] = []
    with Path(csv_path).open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if (r.get("corrected_value") or "").strip()]
    with open_working(db) as store:
        con = store.con
        for r in rows:
            pid, record, key, field = r["plan_id"], r["record"], r["key"], r["field"]
            old, new = r.get("value") or None, r["corrected_value"].strip()
            con.execute("BEGIN TRANSACTION")
            why = apply_one(con, pid, record, key, field, old, new)
            if why:
                con.execute("ROLLBACK")
                problems.append(why)
                continue
            con.execute(
                "DELETE FROM corrections WHERE plan_id = ? AND record = ? AND key = ? AND field = ? AND new = ?",
                [pid, record, key, field, new],
            )
            con.execute(
                'INSERT INTO corrections (plan_id, record, key, field, old, new, "at") VALUES (?, ?, ?, ?, ?, ?, ?)',
                [pid, record, key, field, old, new, dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)],
            )
            con.execute("COMMIT")
            applied += 1
        if applied:
            store.touch()
            publish(store, db)
    return applied, problems


def to_gold(db: str | Path, plan_id: str, out: str | Path) -> dict:
    """The stored plan (corrections applied) as a gold file; every task row is listed."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            f"SELECT source_path, {', '.join(GOLD_HEADER)} FROM plans WHERE plan_id = ?", [plan_id]
        ).fetchone()
        if row is None:
            raise KeyError(f"no plan {plan_id} in {db}")
        header = {f: as_text(v) if f not in ("period_start", "period_end") else v
                  for f, v in zip(GOLD_HEADER, row[1:], strict=True) if v is not None}
        areas = [a for (a,) in con.execute("SELECT area FROM areas WHERE plan_id = ? ORDER BY area", [plan_id]).fetchall()]
        targets = [
            {"area": a, "value": v, "unit": u, "comparator": c, "metric": m}
            for a, v, u, c, m in con.execute(
                "SELECT area, value, unit, comparator, metric FROM targets WHERE plan_id = ? ORDER BY target_id",
                [plan_id],
            ).fetchall()
        ]
        tasks = [
            {"area": a, "row_label": lab, "content": c, "lead_agencies": list(lead or []), "deadline_text": d}
            for a, lab, c, lead, d in con.execute(
                "SELECT area, row_label, content, lead_agencies, deadline_text FROM tasks WHERE plan_id = ? "
                "ORDER BY task_id",
                [plan_id],
            ).fetchall()
        ]
    finally:
        con.close()
    for t in tasks:
        if t["deadline_text"] is None:
            del t["deadline_text"]
    gold = {
        "source": Path(row[0]).name,
        "header": header,
        "areas": areas,
        "targets": targets,
        "tasks": {"count": len(tasks), "rows": tasks},
    }
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
    return gold


def add_parser(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser | None = None) -> None:
    """`review export|apply|to-gold` on the CLI."""
    rv = sub.add_parser("review", parents=[parent] if parent else [], help="review loop: export doubtful values, apply fixes, write gold")
    rsub = rv.add_subparsers(dest="review_command", required=True)
    ex = rsub.add_parser("export", help="values below a confidence threshold, worst first, as CSV")
    ex.add_argument("--db", required=True)
    ex.add_argument("--out", required=True, help="CSV to write (crops go to crops/ beside it)")
    ex.add_argument("--below", type=float, default=DEFAULT_BELOW, help=f"threshold (default {DEFAULT_BELOW})")
    ex.add_argument("--no-crops", action="store_true")
    ap = rsub.add_parser("apply", help="store and apply the filled corrected_value cells")
    ap.add_argument("csv")
    ap.add_argument("--db", required=True)
    tg = rsub.add_parser("to-gold", help="write a reviewed plan as a gold file")
    tg.add_argument("--db", required=True)
    tg.add_argument("--plan", required=True, help="plan_id")
    tg.add_argument("--out", required=True)


def run(args: argparse.Namespace) -> int:
    from schema.errors import SetupError

    if not Path(args.db).is_file():
        raise SetupError(f"--db {args.db} does not exist (run `python -m pipeline ingest ... --db {args.db}` first)")
    if args.review_command == "export":
        n = export_queue(args.db, args.out, args.below, crops=not args.no_crops)
        print(f"{n} values below {args.below} written to {args.out}", file=sys.stderr)
        return 0
    if args.review_command == "apply":
        if not Path(args.csv).is_file():
            raise SetupError(f"{args.csv} does not exist (write it with `review export`)")
        applied, problems = apply_review(args.csv, args.db)
        for p in problems:
            print(f"not applied: {p}", file=sys.stderr)
        print(f"{applied} corrections applied, {len(problems)} not applied", file=sys.stderr)
        return 1 if problems else 0
    if args.review_command == "to-gold":
        try:
            to_gold(args.db, args.plan, args.out)
        except KeyError as exc:
            print(f"error: {exc.args[0]}", file=sys.stderr)
            return 2
        print(args.out)
        return 0
    return 2
