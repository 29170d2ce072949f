"""A static HTML report of the database: `python -m pipeline report --db FILE --out DIR`.

`DIR/index.html` (overview and charts), `DIR/plans/<plan_id>.html` (one page per plan),
`DIR/assets/style.css` and `DIR/crops/` (PNG crops of the source pages at each value's box).
Everything is a file: charts are inline SVG, no script or font is fetched, so the report opens
from disk with no server and no network. Pages are jinja2 templates (`templates/`).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def add_parser(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser | None = None) -> None:
    rp = sub.add_parser("report", parents=[parent] if parent else [], help="write a static HTML report (index.html, one page per plan, crops)")
    rp.add_argument("--db", required=True, help="DuckDB file to report on")
    rp.add_argument("--out", required=True, help="folder to write the report into")
    rp.add_argument("--no-crops", action="store_true", help="skip the page crops")


def run(args: argparse.Namespace) -> int:
    from schema.errors import SetupError

    if not Path(args.db).is_file():
        raise SetupError(f"--db {args.db} does not exist (run `python -m pipeline ingest ... --db {args.db}` first)")
    started = time.monotonic()
    index = build_report(args.db, args.out, crops=not args.no_crops)
    print(f"{index} ({time.monotonic() - started:.1f} s)", file=sys.stderr)
    return 0


def build_report(db: str | Path, out: str | Path, crops: bool = True) -> Path:
    """Write the report; returns the path of index.html."""
    import duckdb
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from pipeline.report import charts
    from pipeline.report.crops import render_crops
    from pipeline.report.data import load_report_data

    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db), read_only=True)
    try:
        data = load_report_data(con)
    finally:
        con.close()

    failed = render_crops(data.crop_requests, out_dir) if crops else {r.name: "" for r in data.crop_requests}
    data.drop_crops(set(failed))

    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda v: "" if v is None else f"{100 * v:.0f}%"
    env.globals["area_label"] = lambda a: charts.AREA_LABELS.get(a or "(general)", a)
    svg = {
        "targets_by_area": charts.targets_by_area(data.targets_by_area),
        "metric_distribution": charts.metric_distribution(data.metric_values),
        "agency_load": charts.agency_load(data.agency_load),
        "deadlines": charts.deadlines_by_quarter(data.deadlines),
    }
    assets = out_dir / "assets"
    assets.mkdir(exist_ok=True)
    shutil.copy(HERE / "assets" / "style.css", assets / "style.css")
    index = out_dir / "index.html"
    index.write_text(env.get_template("index.html.j2").render(data=data, charts=svg, root=""), encoding="utf-8")
    plans_dir = out_dir / "plans"
    plans_dir.mkdir(exist_ok=True)
    page = env.get_template("plan.html.j2")
    for plan in data.plans:
        (plans_dir / f"{plan['plan_id']}.html").write_text(
            page.render(data=data, plan=plan, root="../"), encoding="utf-8"
        )
    return index
