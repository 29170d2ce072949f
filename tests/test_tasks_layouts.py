"""Appendix task tables typeset in many layouts (tools.appendix_tables), read back from the PDF.

Each layout is a generated document: the rows of a labelled seed in another column set, order
and wording, over many pages (header repeated, rows split at page breaks, section rows merged
over the columns). Text-layer PDFs here; `bench.tasks_bench` measures the scans too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ocr
from parsers.tasks import extract_tasks
from pipeline.evaluate import score
from tools.appendix_tables import VARIANTS, build_variant_pdf, gold_document, variant

DEV = [v.name for v in VARIANTS if not v.held_out]


def _scores(pdf: Path, gold: dict) -> tuple[dict[str, float], list]:
    pages = list(ocr.read_pdf(pdf))
    tasks = extract_tasks(pages, "p", []).tasks
    predicted = {pdf.name: {"header": {}, "areas": [], "targets": [], "tasks": [t.model_dump() for t in tasks]}}
    return score([gold], predicted), tasks


@pytest.mark.parametrize("name", DEV)
def test_layout_variant_read_back_from_text_layer(name: str, tmp_path: Path) -> None:
    v = variant(name)
    pdf = tmp_path / f"{name}.pdf"
    build_variant_pdf(v, pdf)
    gold = gold_document(v, pdf.name)
    m, tasks = _scores(pdf, gold)
    # every row back, none split in two or merged into its neighbour (sub-rows without a number
    # open some pages: they are rows of their own, not the rest of the row above)
    assert len(tasks) == gold["tasks"]["count"] and m["tasks_f1"] >= 0.98, m
    assert m["task_lead_agency_accuracy"] >= 0.95 and m["task_deadline_accuracy"] >= 0.95, m
    assert not any("nội dung" in t.content.lower()[:12] or t.content.startswith("Mục tiêu") for t in tasks)


def test_merged_lead_partner_column_is_split() -> None:
    from parsers.task_table import split_lead_partner

    assert split_lead_partner("Chủ trì: Sở Nội vụ. Phối hợp: Các sở, ban, ngành; UBND cấp huyện") == (
        "Sở Nội vụ", "Các sở, ban, ngành; UBND cấp huyện")
    assert split_lead_partner("Sở Tư pháp (chủ trì); Văn phòng UBND tỉnh (phối hợp)") == (
        "Sở Tư pháp", "Văn phòng UBND tỉnh")
    assert split_lead_partner("Sở Tài chính; UBND cấp huyện") == ("Sở Tài chính", "UBND cấp huyện")


def test_lost_section_row_does_not_shift_the_areas_below(tmp_path: Path) -> None:
    """The section row of area III is not printed: its rows restart at 1 and still get their own area."""
    v = variant("seed001_6col")
    pdf = tmp_path / "dropped.pdf"
    build_variant_pdf(v, pdf, drop_sections=frozenset({2}))
    m, tasks = _scores(pdf, gold_document(v, pdf.name))
    assert m["tasks_f1"] >= 0.98, m
    areas = [t.area for t in tasks]
    assert areas.count("to_chuc_bo_may") == 6 and areas.count("che_do_cong_vu") == 7


def test_portrait_seven_column_table_scanned_at_200_dpi(tmp_path: Path) -> None:
    """Narrow columns on a portrait page: the column profile is as sharp as a turned page's, yet the
    page is read upright, and every row comes back with its lead agency and deadline."""
    from tools.pdfgen.pdf_scan import scan_pdf

    v = variant("seed001_7col_portrait")
    digital = tmp_path / "p7.pdf"
    build_variant_pdf(v, digital, limit=14)
    scan = scan_pdf(digital, tmp_path / "p7_scan200.pdf", "noisy", seed=11, stamp=False, dpi=200)
    pages = list(ocr.read_pdf(scan))
    assert all(p.rotation == 0 for p in pages)
    gold = gold_document(v, scan.name, limit=14)
    m, tasks = _scores(scan, gold)
    assert m["tasks_f1"] >= 0.92 and m["task_lead_agency_accuracy"] >= 0.9, m
