"""Corpus heads set again in the official two-column letterhead and scanned at 300 dpi (`bench.parse_headers
--scans N`): the issuer block on the left with the number under it, the national motto on the right with
place and date under it, the type word and title centred, then the first paragraphs of the document.

The page is drawn from the head's own lines (`bench.parse_headers.Head`), scanned by
`tools.pdfgen.pdf_scan.scan_pdf` ("noisy": skew, blur, noise, JPEG), read by the OCR stage (cached like
`make bench-parse`'s pages), restored and parsed like a plan. The issuer is checked against what the same
head gives as plain text.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from reportlab.lib.pagesizes import A4

from bench.parse_headers import _TYPES, Head, _check
from bench.parse_inputs import ocr_key, read_pages
from parsers.header import parse_header
from parsers.text import document_lines
from pipeline.process import Stage, read_and_restore
from schema.document import Page
from tools.pdfgen.pdf_canvas import MM, PageWriter, register_fonts, wrap
from tools.pdfgen.pdf_document import MOTTO, NATIONAL
from tools.pdfgen.pdf_scan import scan_pdf

_PLACE_DATE = re.compile(r"([^,\n]{2,40}),\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}")


def _parts(head: Head) -> tuple[list[str], str | None, list[str]]:
    """(issuer block text lines, place-and-date line, type word and title lines) of a head."""
    motto = next((i for i, ln in enumerate(head.lines) if ln.startswith("CỘNG")), None)
    issuer = head.lines[:motto] if motto else []
    flat = " ".join(head.lines)
    m = _PLACE_DATE.search(flat)
    date_line = m.group(0).strip() if m else None
    if date_line:
        date_line = re.sub(r"^.*Số:\s*\S*\s*", "", date_line).strip()
    type_at = next((i for i, ln in enumerate(head.lines) if ln in _TYPES), None)
    title = head.lines[type_at:type_at + 3] if type_at is not None else []
    return issuer, date_line, title


def draw_head(head: Head, body: list[str], path: Path) -> None:
    """One A4 page: the head in the official layout, then the body's first lines."""
    w = PageWriter(path, register_fonts(), title=head.name)
    w.new_page(A4)
    issuer, date_line, title = _parts(head)
    left, right = 30 * MM + 30 * MM, A4[0] - 15 * MM - 48 * MM
    block = wrap(" ".join(issuer), w.fonts["B"], 12.5, 52 * MM) if issuer else []
    y = 20 * MM + 8
    for i, line in enumerate(block):
        w.draw(left, y + i * 16, line, "B", 12.5, align="center")
    w.draw(right, y, NATIONAL, "B", 12.5, align="center")
    w.draw(right, y + 16, MOTTO, "B", 13.5, align="center")
    low = y + max(len(block), 2) * 16 + 20
    if head.number:
        w.draw(left, low, f"Số: {head.number}", "R", 13, align="center")
    if date_line:
        w.draw(right, low, date_line, "I", 13, align="center")
    y = low + 40
    for line in title:
        for part in wrap(line, w.fonts["B"], 14, A4[0] - 60 * MM):
            w.draw(A4[0] / 2 + 7 * MM, y, part, "B", 14, align="center")
            y += 19
    y += 14
    for para in body:
        for part in wrap(para, w.fonts["R"], 13, A4[0] - 45 * MM):
            if y > A4[1] - 25 * MM:
                break
            w.draw(30 * MM, y, part, "R", 13)
            y += 17
    w.save()


def score_scans(heads: list[Head], cache: Path, dpi: int = 300) -> list[dict]:
    """Every head drawn, scanned at `dpi`, read, restored and parsed; checked like the plain-text heads."""
    from bench.parse_headers import REPO

    key, rows = ocr_key(), []
    cache.mkdir(parents=True, exist_ok=True)
    for h in heads:
        folder, name = h.name.split("/")
        text = (REPO / "data" / "corpus" / folder / name).read_text(encoding="utf-8")
        body = [" ".join(p.replace("*", " ").split()) for p in text.split("\n\n") if "Căn cứ" in p][:4]
        stem = hashlib.sha256(h.name.encode()).hexdigest()[:12]
        pdf, scan = cache / f"{stem}.pdf", cache / f"{stem}_s{dpi}.pdf"
        if not scan.exists():
            draw_head(h, body, pdf)
            scan_pdf(pdf, scan, "noisy", seed=int(stem[:6], 16), stamp=False, dpi=dpi, stamp_text="")
        pages = read_and_restore(iter(read_pages(scan, key)), Stage("read"))
        got = parse_header(document_lines(pages), pages=pages)
        plain = parse_header(document_lines([Page(page_no=1, method="text", text="\n".join(h.lines))]))
        row = {"name": h.name, "split": h.split, **_check(h, got.doc_number, got.issue_date, got.doc_type,
                                                          got.issuer),
               "got": [got.doc_number, str(got.issue_date), got.doc_type, got.issuer],
               "want": [h.number, str(h.date), h.doc_type, plain.issuer]}
        if plain.issuer:
            row["issuer_as_text"] = got.issuer == plain.issuer
        rows.append(row)
    return rows
