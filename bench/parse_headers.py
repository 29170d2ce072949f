"""Header fields of real state documents (issue 16, point 4): `python -m bench.parse_headers`.

The legal corpus (data/corpus/legal, legal_extra: decisions, plans, resolutions, circulars, official
letters of ministries, provinces, communes) has no gold, so the expected values come from each
document's own head with strict patterns written here, not with the parser's code:
- number: "Số: 87/2025/QĐ-UBND" / "Số: 1147-QĐ/BTGDVTW" — digits, then a slash or dash, then the code, as
  printed up to the next space (only letterheads that print "Số:" are scored);
- date: the first "ngày D tháng M năm YYYY" before the type word (the letterhead's place and date);
- doc type: a line that is only a type word in capitals (QUYẾT ĐỊNH, KẾ HOẠCH, NGHỊ QUYẾT, THÔNG TƯ,
  CHỈ THỊ, CHƯƠNG TRÌNH); documents without one (official letters) are not scored on it;
- issuer: not checked against anything; the rate of documents with an issuer named is reported and a
  sample is printed to be looked at.

Sources: `text` — the head (up to the first "Căn cứ" or 60 lines) as plain text lines, markup dropped,
the crawl's line breaks kept (the letterhead columns come one after the other, as a text layer read
line by line may give them); `scan300` / `scan200` — a few heads set again in the official two-column letterhead
(issuer block left with the number under it, motto right with place and date), scanned at 300 and 200 dpi
("noisy": skew, blur, JPEG) and read by the OCR stage, restored and parsed like a plan.
Split (tools.corpus): held-out files (0-2) are reported, dev files (3-5) are the ones failures were
studied on. Results: bench/results/parse_headers.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from parsers.header import parse_header
from parsers.text import document_lines
from schema.document import Page
from tools.corpus import CORPUS_DIRS, is_dev, is_held_out

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
CACHE = REPO / "bench" / "cache" / "headers"

_MARKUP = re.compile(r"\*\*|\*|#+|\|")
_RULE = re.compile(r"^[-_=\s]*$")
_NUMBER = re.compile(r"\bSố\s*:\s*(\d+[/-][^\s]+)")
_DATE = re.compile(r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_TYPES = {"QUYẾT ĐỊNH": "quyet_dinh", "KẾ HOẠCH": "ke_hoach", "NGHỊ QUYẾT": "nghi_quyet", "THÔNG TƯ": "thong_tu",
          "CHỈ THỊ": "chi_thi", "CHƯƠNG TRÌNH": "chuong_trinh"}


@dataclass
class Head:
    """One document's head as plain lines and what its own text says its fields are."""

    name: str
    split: str
    lines: list[str]
    number: str | None
    date: dt.date | None
    doc_type: str | None


def head_lines(text: str, limit: int = 60) -> list[str]:
    """The document's first lines, markup and rule lines dropped, up to the first "Căn cứ"."""
    out: list[str] = []
    for raw in text.splitlines():
        line = " ".join(_MARKUP.sub(" ", raw).split())
        if not line or _RULE.match(line):
            continue
        if line.startswith("Căn cứ") or len(out) >= limit:
            break
        out.append(line)
    return out


def expected(lines: list[str]) -> tuple[str | None, dt.date | None, str | None]:
    """(number, date, doc type) by the strict patterns of this module."""
    joined = "\n".join(lines)
    type_at = next((i for i, ln in enumerate(lines) if ln in _TYPES), None)
    before = "\n".join(lines[:type_at]) if type_at is not None else joined
    m = _NUMBER.search(before.replace("Số:\n", "Số: "))
    number = m.group(1).rstrip(".,;") if m else None
    d = _DATE.search(" ".join(before.split()))
    date = None
    if d:
        try:
            date = dt.date(int(d.group(3)), int(d.group(2)), int(d.group(1)))
        except ValueError:
            date = None
    return number, date, _TYPES[lines[type_at]] if type_at is not None else None


def load_heads(splits: tuple[str, ...]) -> list[Head]:
    heads = []
    for folder in CORPUS_DIRS:
        for path in sorted(folder.glob("*.md")):
            split = "held_out" if is_held_out(path) else "dev" if is_dev(path) else "train"
            if split not in splits:
                continue
            lines = head_lines(path.read_text(encoding="utf-8"))
            heads.append(Head(f"{folder.name}/{path.name}", split, lines, *expected(lines)))
    return heads


def _check(head: Head, number: str | None, date: dt.date | None, doc_type: str | None, issuer: str | None) -> dict:
    out = {"issuer_named": issuer is not None}
    if head.number:
        out["number"] = number == head.number
    if head.date:
        out["date"] = date == head.date
    if head.doc_type:
        out["doc_type"] = doc_type == head.doc_type
    return out


def score_text(heads: list[Head]) -> list[dict]:
    """Every head parsed from its plain lines."""
    rows = []
    for h in heads:
        page = Page(page_no=1, method="text", text="\n".join(h.lines))
        got = parse_header(document_lines([page]))
        rows.append({"name": h.name, "split": h.split, **_check(h, got.doc_number, got.issue_date, got.doc_type,
                                                                got.issuer),
                     "got": [got.doc_number, str(got.issue_date), got.doc_type, got.issuer],
                     "want": [h.number, str(h.date), h.doc_type]})
    return rows


def summarise(rows: list[dict]) -> dict:
    out: dict = {}
    for split in sorted({r["split"] for r in rows}):
        group = [r for r in rows if r["split"] == split]
        out[split] = {"documents": len(group)}
        for f in ("number", "date", "doc_type", "issuer_named", "issuer_as_text"):
            scored = [r[f] for r in group if f in r]
            out[split][f] = [sum(scored), len(scored)]
    return out


def print_summary(title: str, summary: dict) -> None:
    print(f"\n== {title} ==")
    print(f"{'split':10s} {'number':>12s} {'date':>12s} {'doc_type':>12s} {'issuer named':>13s} "
          f"{'issuer = text':>13s}  docs")
    for split, s in summary.items():
        cells = " ".join(f"{s[f][0]}/{s[f][1]}".rjust(12 if f in ("number", "date", "doc_type") else 13)
                         for f in ("number", "date", "doc_type", "issuer_named", "issuer_as_text"))
        print(f"{split:10s} {cells}  {s['documents']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--splits", default="held_out,dev")
    ap.add_argument("--scans", type=int, default=0,
                    help="heads per split also set in a letterhead and scanned at 300 and 200 dpi")
    ap.add_argument("--show", action="store_true", help="print every miss")
    args = ap.parse_args(argv)
    heads = load_heads(tuple(args.splits.split(",")))
    rows = score_text(heads)
    report = {"command": "python -m bench.parse_headers " + " ".join(argv or []),
              "text": summarise(rows), "text_misses": [r for r in rows if not all(
                  r.get(f, True) for f in ("number", "date", "doc_type"))]}
    print_summary("corpus heads as plain text", report["text"])
    if args.show:
        for r in report["text_misses"]:
            print(r["split"], r["name"], "got", r["got"], "want", r["want"])
    if args.scans:
        from bench.parse_header_scans import score_scans

        picked = [h for s in args.splits.split(",") for h in [x for x in heads if x.split == s
                                                               and x.number and x.date][: args.scans]]
        for dpi in (300, 200):
            scan_rows = score_scans(picked, CACHE, dpi)
            report[f"scan{dpi}"] = summarise(scan_rows)
            report[f"scan{dpi}_rows"] = scan_rows
            print_summary(f"corpus heads in a two-column letterhead, {dpi} dpi scan", report[f"scan{dpi}"])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "parse_headers.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n",
                                                encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
