"""Real tesseract on generated scans: header, deskew, orientation, stitched ruled table, broken text layer.

Each test OCRs at most two pages, so the module stays well under a minute or two.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen import canvas

import ocr
from bench.ocr_bench import table_scores
from ocr import cleanup
from tools.pdfgen.make_pdfs import TASK_HEADER, build_digital_pdf, build_table_pdf, scan_pdf, spec_dongnai
from tools.pdfgen.pdf_scan import render_pages

TABLE_ROWS = [
    ["I", "CẢI CÁCH THỂ CHẾ"],
    ["1", "Tham mưu ban hành văn bản quy phạm pháp luật của HĐND, UBND các cấp đúng quy định, kịp thời",
     "Các sở, ban ngành; UBND các huyện", "Sở Tư pháp", "Thường xuyên", "Các văn bản"],
    ["2", "Rà soát, đề xuất sửa đổi các văn bản không còn phù hợp với quy định hiện hành",
     "Sở Tư pháp", "Các sở, ban ngành", "Quý II/2024", "Danh mục văn bản"],
    ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"],
    ["1", "Rà soát, cập nhật, công bố kịp thời thủ tục hành chính các ngành, các cấp theo quy định",
     "Các sở, ban ngành", "Văn phòng UBND tỉnh", "Thường xuyên", "Quyết định công bố"],
    ["2", "Rà soát, kiến nghị đơn giản hóa, loại bỏ thành phần hồ sơ không cần thiết, rút ngắn thời gian "
     "giải quyết; chuẩn hóa, điện tử hóa mẫu đơn, tờ khai; cắt giảm thông tin phải khai báo",
     "Các sở, ban ngành; UBND cấp huyện", "Văn phòng UBND tỉnh", "Quý III/2024", "Phương án đơn giản hóa"],
    ["3", "Triển khai tiếp nhận, giải quyết hồ sơ trực tuyến toàn trình trên Cổng dịch vụ công",
     "UBND cấp huyện", "Sở Thông tin và Truyền thông", "Quý I/2024", "Hồ sơ trực tuyến"],
    ["4", "Đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
     "Các sở, ban ngành", "Văn phòng UBND tỉnh", "Trong năm 2024", "Dữ liệu số hóa"],
]


def _first_page(src: Path, dst: Path) -> Path:
    """Only page 1 is scanned: degrading every page of the plan would cost more than the OCR."""
    doc, out = pdfium.PdfDocument(str(src)), pdfium.PdfDocument.new()
    out.import_pages(doc, [0])
    out.save(str(dst))
    out.close()
    doc.close()
    return dst


@pytest.fixture(scope="module")
def plan_scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("plan_scan")
    digital = work / "plan.pdf"
    build_digital_pdf(spec_dongnai(), digital)
    return scan_pdf(_first_page(digital, work / "page1.pdf"), work / "plan_scan.pdf", quality="noisy", seed=3)


def test_scanned_header_fields_readable_in_block_order(plan_scan: Path) -> None:
    (page,) = ocr.read_pdf(plan_scan, pages="1")
    assert page.method == "ocr" and page.page_no == 1
    assert page.confidence is not None and page.confidence > 80
    assert all(w.confidence is not None for line in page.lines for w in line.words)
    text = page.text
    for field in ("ỦY BAN NHÂN DÂN", "Số: 300/KH-UBND", "Đồng Nai, ngày 28 tháng 12 năm 2023", "KẾ HOẠCH"):
        assert field in text, field
    assert text.index("TỈNH ĐỒNG NAI") < text.index("Số: 300/KH-UBND") < text.index("CỘNG HÒA")


def test_skew_is_measured_and_corrected(tmp_path: Path) -> None:
    digital = tmp_path / "plan.pdf"
    build_digital_pdf(spec_dongnai(), digital)
    grey = np.asarray(render_pages(digital, dpi=150)[1].convert("L"))
    for angle in (-2.5, 1.2):
        tilted = cleanup.rotate(grey, angle)
        assert abs(cleanup.skew_angle(tilted) + angle) <= 0.2
        assert not cleanup.text_is_vertical(tilted)
    assert cleanup.text_is_vertical(cleanup.quarter_turn(grey, 90))


def test_red_seal_removed_but_print_under_it_kept() -> None:
    page = np.full((200, 400, 3), 240, np.uint8)
    cv2.putText(page, "TEXT", (40, 120), cv2.FONT_HERSHEY_SIMPLEX, 2.5, (0, 0, 0), 8)
    cv2.circle(page, (200, 100), 80, (45, 30, 200), 10)  # BGR red ring over the word
    grey = cleanup.to_grey(page)
    ring_only = (page[:, :, 2] > 150) & (page[:, :, 0] < 100)
    assert (grey[ring_only] == 255).all()
    print_pixels = page.max(axis=2) < 50
    assert (grey[print_pixels] < 100).all()


def test_rotated_two_page_ruled_table_is_stitched(tmp_path: Path) -> None:
    digital = tmp_path / "table.pdf"
    truth = build_table_pdf(TABLE_ROWS * 2, digital, header=list(TASK_HEADER), landscape=True)
    scan = scan_pdf(digital, tmp_path / "table_scan.pdf", quality="noisy", seed=1, stamp=False,
                    rotate_landscape=True)
    pages = list(ocr.read_pdf(scan))
    assert len(pages) >= 2 and all(p.rotation in (90, 270) for p in pages)
    tables = [t for p in pages for t in p.tables]
    assert len(tables) == 1, [t.pages for t in tables]
    table = tables[0]
    assert table.pages == [p.page_no for p in pages] and len(table.row_pages) == table.n_rows
    assert table.n_cols == len(TASK_HEADER)
    assert [c.text for c in table.cells if c.row == 0][:2] == ["TT", "Nội dung nhiệm vụ"]
    section = [c for c in table.cells if c.row == 1 and c.col == 1]
    assert section and section[0].col_span == len(TASK_HEADER) - 1
    # Repeated header dropped and the row split over the page break joined: one row per truth row.
    assert table.n_rows == len(truth)
    scores = table_scores(truth, table.grid())
    assert scores["rows_right"] >= 0.9 and scores["cells_exact"] >= 0.8, scores


def test_broken_text_layer_page_is_ocred(tmp_path: Path) -> None:
    """A text layer without any tone marks (lost in a bad export) is not trusted: the page is OCR'd."""
    from tools.pdfgen.pdf_canvas import register_fonts

    fonts = register_fonts()
    path = tmp_path / "broken.pdf"
    c = canvas.Canvas(str(path))
    c.setFont(fonts["R"], 14)
    lines = ["Kế hoạch cải cách hành chính tỉnh Đồng Nai năm 2024", "Nâng cao hiệu quả giải quyết thủ tục hành chính"]
    for i, line in enumerate(lines):
        c.drawString(72, 720 - 24 * i, line)
    c.showPage()
    c.save()
    # Same drawing, but the text layer says the marks-free version: draw invisible ASCII over rendered glyphs.
    broken = tmp_path / "broken_layer.pdf"
    image = render_pages(path, dpi=300)[0]
    c = canvas.Canvas(str(broken))
    from reportlab.lib.utils import ImageReader

    c.drawImage(ImageReader(image), 0, 0, *c._pagesize)
    text = c.beginText(72, 720)
    text.setTextRenderMode(3)  # invisible, like an OCR layer
    text.setFont("Helvetica", 14)
    for line in ["Ke hoach cai cach hanh chinh tinh Dong Nai nam 2024",
                 "Nang cao hieu qua giai quyet thu tuc hanh chinh"]:
        text.textLine(line)
    c.drawText(text)
    c.showPage()
    c.save()
    (page,) = ocr.read_pdf(broken)
    assert page.method == "ocr"
    assert "cải cách hành chính" in page.text and "Đồng Nai" in page.text
