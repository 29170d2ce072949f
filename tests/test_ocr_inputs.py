"""Unreadable inputs fail before any OCR, with one clear line; text-layer pages are never OCR'd."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

import ocr
from ocr.errors import CorruptPDFError, EmptyDocumentError, EncryptedPDFError, InputError, UnreadableFileError
from ocr.text_layer import text_layer_problem
from tools.pdfgen.make_pdfs import build_digital_pdf, spec_dongnai

REPO = Path(__file__).resolve().parent.parent


def _two_page_pdf(path: Path, **kwargs) -> Path:
    c = canvas.Canvas(str(path), **kwargs)
    for i in (1, 2):
        c.drawString(72, 720, f"page {i}")
        c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def digital(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    path = tmp_path_factory.mktemp("digital") / "plan.pdf"
    truth = build_digital_pdf(spec_dongnai(), path)
    return path, truth


def test_corrupt_encrypted_empty_and_non_pdf_inputs_raise_clear_errors(tmp_path: Path) -> None:
    good = _two_page_pdf(tmp_path / "good.pdf")
    assert ocr.pdf_page_count(good) == 2
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    encrypted = _two_page_pdf(tmp_path / "encrypted.pdf", encrypt="secret")
    zero = tmp_path / "zero.pdf"
    zero.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    text = tmp_path / "notes.pdf"
    text.write_text("just some text, not a PDF")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    cases = [
        (truncated, CorruptPDFError, "corrupt"),
        (encrypted, EncryptedPDFError, "encrypted"),
        (zero, EmptyDocumentError, "no pages"),
        (text, UnreadableFileError, "not a PDF"),
        (empty, EmptyDocumentError, "empty"),
        (tmp_path / "missing.pdf", UnreadableFileError, "not found"),
    ]
    for path, kind, words in cases:
        with pytest.raises(kind) as info:
            list(ocr.read_pdf(path))
        message = str(info.value)
        assert words in message and "\n" not in message, message
        with pytest.raises(InputError):
            ocr.pdf_page_count(path)


def test_reason_does_not_leak_from_the_previous_failed_file(tmp_path: Path) -> None:
    """pdfium's last-error code is process state: a page-less PDF opened after an encrypted one
    in the same worker was reported as "encrypted" (fresh-clone make test, December); each file gets its own reason."""
    from tests.fixtures import bad_inputs

    encrypted = _two_page_pdf(tmp_path / "encrypted.pdf", encrypt="secret")
    zero = bad_inputs.zero_page_pdf(tmp_path / "zero_pages.pdf")
    good = _two_page_pdf(tmp_path / "good.pdf")
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    expected = {encrypted: "encrypted", zero: "no pages", truncated: "corrupt"}
    for path in [zero, encrypted, zero, truncated, encrypted, truncated, zero]:
        with pytest.raises(InputError) as info:
            ocr.pdf_page_count(path)
        assert expected[path] in str(info.value), (path.name, str(info.value))


def test_cli_reports_unreadable_input_on_one_line_with_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    run = subprocess.run([sys.executable, "-m", "ocr", str(bad)], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 1
    assert len(run.stderr.strip().splitlines()) == 1 and "bad.pdf" in run.stderr


def test_text_layer_problems_are_recognised() -> None:
    clean = "Kế hoạch cải cách hành chính tỉnh Đồng Nai năm 2024, nâng cao hiệu quả giải quyết thủ tục."
    assert text_layer_problem(clean) is None
    stripped = "Ke hoach cai cach hanh chinh tinh Dong Nai nam 2024, nang cao hieu qua giai quyet thu tuc hanh chinh."
    assert text_layer_problem(stripped) == "no Vietnamese diacritics"
    tcvn3 = "KÕ ho¹ch c¶i c¸ch hµnh chÝnh tØnh §ång Nai n¨m 2024, n©ng cao hiÖu qu¶ gi¶i quyÕt thñ tôc."
    assert text_layer_problem(tcvn3) == "legacy font encoding"
    assert text_layer_problem("(cid:12)(cid:34)(cid:56)(cid:78) " * 5) == "garbage characters"
    assert text_layer_problem("  2  ") == "no text"


def test_text_layer_pages_read_without_ocr_and_table_stitched(digital: tuple[Path, list[str]]) -> None:
    from bench.ocr_bench import table_scores
    from tools.pdfgen.make_pdfs import layout_plan

    path, truth = digital
    pages = list(ocr.read_pdf(path))
    assert [p.page_no for p in pages] == list(range(1, len(truth) + 1))
    assert all(p.method == "text_layer" and p.confidence is None for p in pages)
    first = pages[0].text
    assert "Số: 300/KH-UBND" in first and "Đồng Nai, ngày 28 tháng 12 năm 2023" in first
    # Two-column header: issuing-body block first, then the national-motto block.
    assert first.index("TỈNH ĐỒNG NAI") < first.index("Số: 300/KH-UBND") < first.index("CỘNG HÒA")
    assert pages[1].header_text == "2" and not pages[1].text.startswith("2\n")
    tables = [t for p in pages for t in p.tables]
    assert len(tables) == 1, [t.pages for t in tables]
    table = tables[0]
    _, result = layout_plan(spec_dongnai(), path.with_name("again.pdf"))
    assert table.n_cols == 6 and len(table.pages) >= 2 and len(table.row_pages) == table.n_rows
    scores = table_scores(result.grid, table.grid())
    assert scores["rows_right"] >= 0.95 and scores["cells_exact"] >= 0.95, scores


def test_cli_text_and_json(digital: tuple[Path, list[str]]) -> None:
    path, _ = digital
    text = subprocess.run([sys.executable, "-m", "ocr", str(path), "--pages", "1-2"], cwd=REPO,
                          capture_output=True, text=True, check=True).stdout
    assert text.count("\f") == 1 and "KẾ HOẠCH" in text.split("\f")[0]
    out = subprocess.run([sys.executable, "-m", "ocr", str(path), "--pages", "1", "--json"], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout
    doc = json.loads(out)
    assert len(doc["pages"]) == 1
    page = doc["pages"][0]
    assert page["page"] == 1 and page["method"] == "text_layer" and "confidence" in page
    line = page["lines"][0]
    assert set(line) >= {"text", "bbox", "confidence"} and len(line["bbox"]) == 4
    assert isinstance(page["tables"], list)


# -- the pdfium text-layer path gives what pdfplumber gives -----------------------------

GENERATED = REPO / "data" / "raw" / "generated"
VIET = "Kế hoạch cải cách hành chính tỉnh Đồng Nai năm 2024, nâng cao hiệu quả giải quyết thủ tục."


class _Plumber:
    """A real pdfplumber document that counts how often a page of it was asked for."""

    def __init__(self, path: Path) -> None:
        import pdfplumber

        self.pdf = pdfplumber.open(path)
        self.asked: list[int] = []

    def page(self, n: int):  # pdfplumber.page.Page
        self.asked.append(n)
        return self.pdf.pages[n]


def _both_ways(path: Path) -> list[tuple[object, object, object, object, bool]]:
    """Per page: (fast page, fast reason, pdfplumber page, pdfplumber reason, pdfplumber consulted by the fast path)."""
    import pypdfium2 as pdfium

    from ocr.text_layer import read_page, read_text_layer

    doc, plumber = pdfium.PdfDocument(str(path)), _Plumber(path)
    out = []
    try:
        for i in range(len(doc)):
            before = len(plumber.asked)
            fast, fast_reason = read_page(doc[i], i + 1, lambda i=i: plumber.page(i))
            ref, ref_reason = read_text_layer(plumber.pdf.pages[i], i + 1)
            out.append((fast, fast_reason, ref, ref_reason, len(plumber.asked) > before))
    finally:
        plumber.pdf.close()
        doc.close()
    return out


def _cells(page) -> list[list[tuple]]:
    return [[(c.row, c.col, c.row_span, c.col_span, c.text) for c in t.cells] for t in page.tables]


@pytest.mark.parametrize("name", ["gen_dongnai_digital.pdf", "gen_mixed.pdf"])
def test_pdfium_text_layer_reads_the_samples_as_pdfplumber_does(name: str) -> None:
    results = _both_ways(GENERATED / name)
    text_pages = [r for r in results if r[2] is not None]
    assert len(text_pages) >= 2
    for fast, fast_reason, ref, ref_reason, consulted in results:
        assert fast_reason == ref_reason
        if ref is None:
            assert fast is None
            continue
        assert not consulted, "a clean text page should not need pdfplumber"
        assert fast.text == ref.text
        assert [ln.text for ln in fast.lines] == [ln.text for ln in ref.lines]
        assert _cells(fast) == _cells(ref) and (fast.width, fast.height) == (ref.width, ref.height)
        for a, b in zip(fast.lines, ref.lines, strict=True):
            if a.bbox and b.bbox:  # pdfium rounds glyph widths: positions agree to within a point
                assert max(abs(x - y) for x, y in zip(a.bbox, b.bbox, strict=True)) < 1.0
        for a, b in zip(fast.tables, ref.tables, strict=True):
            assert max(abs(x - y) for x, y in zip(a.bbox, b.bbox, strict=True)) < 0.05
    assert any(p[0] is not None and p[0].tables for p in results) or name == "gen_mixed.pdf"


def test_broken_text_layers_are_still_recognised_through_pdfplumber(tmp_path: Path) -> None:
    from tools.pdfgen.pdf_canvas import register_fonts

    font = register_fonts()["R"]
    path = tmp_path / "broken.pdf"
    c = canvas.Canvas(str(path))
    cases = [
        ("Helvetica", "KÕ ho¹ch c¶i c¸ch hµnh chÝnh tØnh §ång Nai n¨m 2024, n©ng cao hiÖu qu¶ gi¶i quyÕt thñ tôc."),
        ("Helvetica", "Ke hoach cai cach hanh chinh tinh Dong Nai nam 2024, nang cao hieu qua giai quyet thu tuc."),
        (font, VIET),
    ]
    for face, line in cases:
        c.setFont(face, 11)
        for k in range(3):
            c.drawString(60, 760 - 20 * k, line)
        c.showPage()
    c.save()
    results = _both_ways(path)
    assert [r[1] for r in results] == ["legacy font encoding", "no Vietnamese diacritics", None]
    assert [r[3] for r in results] == ["legacy font encoding", "no Vietnamese diacritics", None]
    assert [r[4] for r in results] == [True, True, False]  # the reason for a broken layer is pdfplumber's
    assert results[2][0].text == results[2][2].text and VIET in results[2][0].text.replace("\n", " ")


def test_pages_pdfium_cannot_describe_are_read_by_pdfplumber(tmp_path: Path) -> None:
    from tools.pdfgen.pdf_canvas import register_fonts

    font = register_fonts()["R"]
    path = tmp_path / "odd.pdf"
    c = canvas.Canvas(str(path))
    c.setPageRotation(90)  # a rotated page: pdfplumber turns the coordinates, pdfium does not
    c.setFont(font, 11)
    c.drawString(60, 760, VIET)
    c.showPage()
    c.beginForm("body")  # text inside a form XObject
    c.setFont(font, 11)
    c.drawString(60, 700, VIET)
    c.endForm()
    c.doForm("body")
    c.showPage()
    c.setFont(font, 11)  # a curve on the page: outside what the pdfium path describes
    c.drawString(60, 760, VIET)
    c.circle(300, 400, 50)
    c.showPage()
    c.save()
    results = _both_ways(path)
    assert [r[4] for r in results] == [True, True, True]
    for fast, fast_reason, ref, ref_reason, _ in results:
        assert fast_reason is None and ref_reason is None
        assert fast.model_dump() == ref.model_dump()


def test_table_ruled_with_rectangles_is_read_by_pdfium_as_pdfplumber_reads_it(tmp_path: Path) -> None:
    from tools.pdfgen.pdf_canvas import register_fonts

    font = register_fonts()["R"]
    path = tmp_path / "rects.pdf"
    c = canvas.Canvas(str(path))
    c.setFont(font, 11)
    c.drawString(60, 780, VIET)
    xs, ys = [60, 160, 300, 520], [700, 680, 660, 640]
    for i in range(3):
        for j in range(3):  # every cell its own stroked rectangle (`re`), as many generators draw them
            c.rect(xs[j], ys[i + 1], xs[j + 1] - xs[j], ys[i] - ys[i + 1], stroke=1, fill=0)
            c.drawString(xs[j] + 4, ys[i + 1] + 6, f"ô {i}{j} Đồng")
    c.setFillGray(0.9)
    c.rect(60, 500, 200, 40, stroke=0, fill=1)  # a shaded box: filled, not stroked, still edges to pdfplumber
    c.setFillGray(0)
    c.drawString(60, 480, VIET)
    c.showPage()
    c.save()
    [(fast, fast_reason, ref, ref_reason, consulted)] = _both_ways(path)
    assert fast_reason is None and ref_reason is None and not consulted
    assert len(fast.tables) == 1 and fast.tables[0].n_rows == 3 and fast.tables[0].n_cols == 3
    assert fast.tables[0].cells[4].text == "ô 11 Đồng"
    assert [t.model_dump() for t in fast.tables] == [t.model_dump() for t in ref.tables]
    assert fast.text == ref.text
