"""Borderless tables: columns split by whitespace, on a rendered page read by real tesseract."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr import borderless, layout
from ocr.engines import get_engine
from ocr.page_ocr import ocr_page
from ocr.pdf_source import PageImage
from tools.pdfgen.pdf_canvas import font_files

ROWS = [
    ["TT", "Nhiệm vụ", "Chủ trì", "Thời gian"],
    ["1", "Rà soát văn bản", "Sở Tư pháp", "Quý I/2024"],
    ["2", "Số hóa hồ sơ", "Sở Nội vụ", "Thường xuyên"],
    ["3", "Kiểm tra công vụ", "Văn phòng", "Năm 2024"],
]
COLUMN_X = [200, 420, 1200, 1800]


def _page() -> np.ndarray:
    """An A4 page at 300 dpi: a paragraph, then the rows above as unruled aligned columns."""
    font = ImageFont.truetype(str(font_files()[0]), 50)
    image = Image.new("RGB", (2480, 3508), "white")
    draw = ImageDraw.Draw(image)
    draw.text((200, 300), "Kế hoạch thực hiện các nhiệm vụ cải cách hành chính năm 2024 như sau:", font=font, fill="black")
    for r, row in enumerate(ROWS):
        for x, text in zip(COLUMN_X, row, strict=True):
            draw.text((x, 500 + 110 * r), text, font=font, fill="black")
    draw.text((200, 1100), "Các cơ quan, đơn vị triển khai thực hiện nghiêm túc kế hoạch này.", font=font, fill="black")
    return cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)


def test_borderless_table_split_into_columns_by_whitespace() -> None:
    page = ocr_page(PageImage(_page(), 300.0, True), 1, get_engine("tesseract"))
    assert len(page.tables) == 1
    table = page.tables[0]
    assert (table.n_rows, table.n_cols) == (len(ROWS), len(ROWS[0]))
    grid = table.grid()
    assert [row[0] for row in grid] == [row[0] for row in ROWS]
    assert grid[1][2] == "Sở Tư pháp" and grid[2][3] == "Thường xuyên"
    # The paragraphs around the table stay body text, in order.
    assert page.text.index("Kế hoạch thực hiện") < page.text.index("Sở Tư pháp") < page.text.index("nghiêm túc")


def _line(y: float, pieces: list[tuple[float, str]]) -> list[layout.Token]:
    return [layout.Token(text, x, y, x + 25 * len(text), y + 30) for x, text in pieces]


def test_two_column_header_and_prose_are_not_tables() -> None:
    header = _line(0, [(0, "ỦY BAN NHÂN DÂN"), (1200, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA")])
    header += _line(40, [(0, "TỈNH ĐỒNG NAI"), (1200, "Độc lập - Tự do - Hạnh phúc")])
    header += _line(80, [(0, "Số: 300/KH-UBND"), (1200, "Đồng Nai, ngày 28 tháng 12")])
    prose = [t for i in range(4) for t in _line(200 + 40 * i, [(0, "Nâng"), (110, "cao"), (200, "chất"), (330, "lượng")])]
    tables, rest = borderless.find_tables(layout.split_segments(header + prose), 1)
    assert tables == [] and len(rest) == len(layout.split_segments(header + prose))


def test_columns_that_do_not_line_up_are_not_a_table() -> None:
    tokens = _line(0, [(0, "một"), (400, "hai"), (800, "ba")])
    tokens += _line(40, [(0, "bốn"), (380, "năm năm năm năm năm năm năm năm"), (1400, "sáu")])
    tokens += _line(80, [(0, "bảy"), (600, "tám tám tám tám tám tám tám"), (1600, "chín")])
    tables, _ = borderless.find_tables(layout.split_segments(tokens), 1)
    assert tables == []
