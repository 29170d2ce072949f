"""Two checkouts of this project, same inputs, runs interleaved: CPU seconds of `pipeline ingest`
before and after a change, on a machine other jobs share (wall time swings with their load; CPU
time barely does, and interleaving spreads what drift there is over both).

Run: `python -m bench.compare_trees --before DIR --after DIR [--rounds 4]
[--configs startup1,text1,startup2,text2,scan1,scan2]` (each checkout needs its `.venv` or the
shared one; `startupN` is a 1-page text PDF, `textN` 120 text-layer pages, `scanN` 12 scanned pages,
N workers). Prints each run and the after/before ratio of the summed CPU seconds per config.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from bench import throughput_bench as tb


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", required=True, type=Path)
    ap.add_argument("--after", required=True, type=Path)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--configs", default="startup1,text1,startup2,text2,scan1,scan2")
    ap.add_argument("--json", type=Path, help="save every run here")
    args = ap.parse_args(argv)
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    configs = args.configs.split(",")
    res: dict[str, list[dict]] = {k: [] for k in trees}
    with tempfile.TemporaryDirectory(prefix="compare_trees_") as tmp:
        work = Path(tmp)
        pdfs = {"scan": tb.cycled_pdf(tb.SCAN_SRC, work / "scan.pdf", 12),
                "text": tb.cycled_pdf(tb.TEXT_SRC, work / "text.pdf", 120),
                "startup": tb.cycled_pdf(tb.TEXT_SRC, work / "one.pdf", 1)}
        for r in range(args.rounds):
            order = list(trees.items()) if r % 2 == 0 else list(reversed(trees.items()))
            for name, tree in order:
                tb.REPO = tree  # run_ingest runs `python -m pipeline` in this checkout
                row = {}
                for label in configs:
                    kind, workers = label[:-1], int(label[-1])
                    # A database of its own each round: the store skips rewriting an identical reading
                    # (`Store._same_reading`), so a re-used one leaves storing out of every round but the first.
                    fresh = work / name / str(r)
                    fresh.mkdir(parents=True, exist_ok=True)
                    x = tb.run_ingest(pdfs[kind], workers, "process", fresh, {"PYTHONPATH": str(tree)})
                    row[label] = {"wall": round(x["wall_s"], 2), "cpu": round(x["cpu_s"], 2)}
                res[name].append(row)
                print(name, r, row, f"load {os.getloadavg()[0]:.1f}", flush=True)
    for label in configs:
        b = [x[label]["cpu"] for x in res["before"]]
        a = [x[label]["cpu"] for x in res["after"]]
        print(f"{label}: CPU s before {b} after {a}: ratio {sum(a) / sum(b):.3f}")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
