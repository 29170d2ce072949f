"""Boxes and confidence per value (parsers.provenance, parsers.confidence) on real pages and on built ones."""

from __future__ import annotations

from pathlib import Path

import pytest

import diacritics
import ocr
import parsers
from parsers.confidence import restoration_change, score_values
from parsers.provenance import DocumentIndex, PageIndex, attach_provenance, scale_to_points
from pipeline.pdf_pages import pdf_page_sizes
from schema.document import Cell, Line, Page, Table, Word
from schema.records import Extraction, Header, TargetRow, TaskRow

REPO = Path(__file__).resolve().parent.parent
DIGITAL = REPO / "data" / "raw" / "generated" / "gen_dongnai_digital.pdf"
SEED_UNSTRUCTURED = REPO / "data" / "raw" / "seeds" / "003_9bfe1781afd0dd40.txt"


def _page(words: list[tuple[str, tuple[float, float, float, float], float | None]], no: int = 1, method="ocr",
          width: float = 1000.0, height: float = 1400.0) -> Page:
    lines: dict[float, list[Word]] = {}
    for text, box, conf in words:
        lines.setdefault(box[1], []).append(Word(text=text, bbox=box, confidence=conf))
    page_lines = [
        Line(text=" ".join(w.text for w in ws), bbox=(ws[0].bbox[0], y, ws[-1].bbox[2], ws[-1].bbox[3]), words=ws)
        for y, ws in sorted(lines.items())
    ]
    return Page(page_no=no, method=method, text="\n".join(ln.text for ln in page_lines), lines=page_lines,
                width=width, height=height)


def test_find_returns_union_of_the_matching_words_boxes() -> None:
    page = _page([
        ("Tỷ", (100, 100, 130, 120), 95), ("lệ", (135, 100, 160, 120), 90), ("đạt", (165, 100, 200, 120), 60),
        ("97%", (205, 100, 250, 120), 40), ("khác", (100, 200, 150, 220), 99),
    ])
    hit = PageIndex(page).find("ty le dat 97%")
    assert hit is not None and hit.score == 1.0
    assert hit.bbox == (100, 100, 250, 120)
    assert hit.word_confidence == pytest.approx((95 + 90 + 60 + 40) / 4)
    # a damaged spelling is still found, with a lower score
    fuzzy = PageIndex(page).find("Ty le dat 91%")
    assert fuzzy is not None and 0.6 < fuzzy.score < 1.0


def test_text_dump_values_have_a_page_but_no_box() -> None:
    dump = Page(page_no=2, method="text", text="Số: 12/KH-UBND\nngày 5 tháng 1 năm 2024")
    hit = DocumentIndex([dump]).find("12/KH-UBND", 2)
    assert hit is not None and hit.page == 2 and hit.bbox is None and hit.score == 1.0


def test_ocr_pixels_become_pdf_points() -> None:
    page = _page([("Số", (200, 280, 260, 320), 90)], width=1654, height=2339)
    ext = Extraction(header=Header(doc_number="Số"))
    attach_provenance(ext, [page], "p")
    scale_to_points(ext, [page], {1: (595.28, 841.89)})
    box = ext.boxes[0]
    assert box.x0 == pytest.approx(200 * 595.28 / 1654) and box.y1 == pytest.approx(320 * 841.89 / 2339)
    # an OCR page whose PDF size is unknown keeps no box rather than a pixel one
    ext2 = Extraction(header=Header(doc_number="Số"))
    attach_provenance(ext2, [page], "p")
    scale_to_points(ext2, [page], {})
    assert ext2.boxes[0].x0 is None and ext2.boxes[0].page == 1


def test_task_cells_get_their_own_boxes() -> None:
    cells = [
        Cell(row=0, col=0, text="Nội dung", bbox=(10, 10, 200, 30)),
        Cell(row=0, col=1, text="Cơ quan chủ trì", bbox=(200, 10, 300, 30)),
        Cell(row=1, col=0, text="Rà soát văn bản quy phạm pháp luật", bbox=(10, 30, 200, 80)),
        Cell(row=1, col=1, text="Sở Tư pháp", bbox=(200, 30, 300, 80)),
    ]
    page = Page(page_no=1, method="text_layer", text="", width=595, height=842,
                tables=[Table(page=1, pages=[1], n_rows=2, n_cols=2, cells=cells, row_pages=[1, 1])])
    task = TaskRow(plan_id="p", task_id="p-t001", content="Rà soát văn bản quy phạm pháp luật",
                   lead_agencies=["Sở Tư pháp"], page=1)
    ext = Extraction(tasks=[task])
    attach_provenance(ext, [page], "p")
    boxes = {b.field: b for b in ext.boxes}
    assert (boxes["content"].x0, boxes["content"].y0, boxes["content"].x1) == (10, 30, 200)
    assert (boxes["lead_agencies"].x0, boxes["lead_agencies"].x1) == (200, 300)
    assert (task.bbox_x0, task.bbox_y0, task.bbox_x1, task.bbox_y1) == (10, 30, 300, 80)


def test_restoration_change_measures_rewritten_marks() -> None:
    page = Page(page_no=1, method="text", text="Sở Tư pháp chủ trì", raw_text="So Tu phap chu tri")
    assert restoration_change("Sở Tư pháp", page) > 0.3
    same = Page(page_no=1, method="text", text="Sở Tư pháp", raw_text="Sở Tư pháp")
    assert restoration_change("Sở Tư pháp", same) == 0.0


def test_confidence_drops_with_weak_ocr_and_a_figure_missing_from_its_sentence() -> None:
    good = _page([("đạt", (0, 0, 10, 10), 96), ("97%", (12, 0, 30, 10), 96)])
    weak = _page([("đạt", (0, 0, 10, 10), 55), ("97%", (12, 0, 30, 10), 50)])
    scores = []
    for page in (good, weak):
        ext = Extraction(targets=[TargetRow(plan_id="p", target_id="t1", value=97, unit="%",
                                            metric="tỷ lệ hồ sơ", source_text="đạt 97%", page=1)])
        score_values(attach_provenance(ext, [page], "p"), [page])
        scores.append(ext.targets[0].confidence)
    assert 0 <= scores[1] < scores[0] <= 1
    wrong = Extraction(targets=[TargetRow(plan_id="p", target_id="t1", value=79, unit="%",
                                          metric="tỷ lệ hồ sơ", source_text="đạt 97%", page=1)])
    score_values(attach_provenance(wrong, [good], "p"), [good])
    assert wrong.targets[0].confidence < scores[0]


@pytest.fixture(scope="module")
def digital() -> tuple[list[Page], Extraction]:
    pages = diacritics.restore_document(list(ocr.read_document(str(DIGITAL))))
    ext = parsers.parse_plan(pages, "digital")
    scale_to_points(ext, pages, pdf_page_sizes(DIGITAL))
    return pages, ext


def _words_in(page: Page, box: tuple) -> str:
    x0, y0, x1, y1 = box
    return " ".join(
        w.text for ln in page.lines for w in ln.words
        if w.bbox and x0 - 1 <= (w.bbox[0] + w.bbox[2]) / 2 <= x1 + 1 and y0 - 1 <= (w.bbox[1] + w.bbox[3]) / 2 <= y1 + 1
    )


def test_digital_pdf_every_value_boxed_on_its_page(digital: tuple[list[Page], Extraction]) -> None:
    pages, ext = digital
    by_no = {p.page_no: p for p in pages}
    header = [b for b in ext.boxes if b.record == "plans"]
    assert {b.field for b in header} >= {"doc_number", "issuer", "issue_date", "title", "locality"}
    for b in ext.boxes:
        if b.record == "tasks" and b.x0 is None:
            continue
        page = by_no[b.page]
        assert b.x0 is not None, (b.record, b.key, b.field)
        assert 0 <= b.x0 < b.x1 <= page.width + 1 and 0 <= b.y0 < b.y1 <= page.height + 1
    assert sum(b.x0 is not None for b in ext.boxes if b.record == "tasks") >= 0.95 * sum(
        1 for b in ext.boxes if b.record == "tasks")
    areas = [b for b in ext.boxes if b.record == "areas"]
    assert {b.key for b in areas} == {a.area for a in ext.areas} and all(b.x0 is not None for b in areas)
    doc = next(b for b in header if b.field == "doc_number")
    assert "300/KH-UBND" in _words_in(by_no[doc.page], (doc.x0, doc.y0, doc.x1, doc.y1)).replace(" ", "")
    for t in ext.targets:  # the figure is printed inside the target's box
        words = _words_in(by_no[t.bbox_page], (t.bbox_x0, t.bbox_y0, t.bbox_x1, t.bbox_y1))
        assert f"{t.value:g}" in words, (t.target_id, t.value, words[:200])
    assert all(t.confidence is not None and t.confidence >= 0.9 for t in ext.targets)
    assert ext.header.header_confidence is not None and ext.header.header_confidence >= 0.9


def test_unstructured_dump_tasks_are_doubtful() -> None:
    pages = diacritics.restore_document(list(ocr.read_document(str(SEED_UNSTRUCTURED))))
    ext = parsers.parse_plan(pages, "seed")
    task_conf = [t.confidence for t in ext.tasks]
    assert task_conf and all(c is not None for c in task_conf)
    assert all(b.x0 is None for b in ext.boxes)  # a text dump has no geometry
    # tasks pieced together from running text are flagged for review
    assert sum(c < 0.5 for c in task_conf) >= 0.5 * len(task_conf)
