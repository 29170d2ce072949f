"""Reading order, running headers and cross-page table stitching on hand-built inputs (no OCR)."""

from __future__ import annotations

from ocr import layout
from ocr.reader import parse_pages, stitch_stream
from ocr.stitch import stitch
from schema.document import Cell, Line, Page, Table


def _tok(text: str, x0: float, y0: float, width: float | None = None, height: float = 30) -> layout.Token:
    return layout.Token(text, x0, y0, x0 + (width or 18 * len(text)), y0 + height, 90.0)


def _texts(tokens: list[layout.Token]) -> list[str]:
    return [seg.text for _, seg in layout.reading_order(layout.split_segments(tokens))]


def test_two_column_header_read_left_block_then_right_block() -> None:
    tokens = [
        _tok("ỦY BAN NHÂN DÂN", 200, 100), _tok("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1100, 100),
        _tok("TỈNH ĐỒNG NAI", 230, 150), _tok("Độc lập - Tự do - Hạnh phúc", 1250, 150),
        _tok("Số: 300/KH-UBND", 220, 250), _tok("Đồng Nai, ngày 28 tháng 12 năm 2023", 1150, 250),
        _tok("KẾ HOẠCH", 1100, 350),
        _tok("Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2022 của Chính phủ về việc ban hành", 300, 450),
    ]
    assert _texts(tokens) == [
        "ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG NAI", "Số: 300/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Đồng Nai, ngày 28 tháng 12 năm 2023",
        "KẾ HOẠCH",
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2022 của Chính phủ về việc ban hành",
    ]


def test_words_of_one_line_stay_together_and_far_gaps_split() -> None:
    tokens = [_tok("Nơi", 100, 100, 60), _tok("nhận:", 175, 100, 90), _tok("CHỦ", 1500, 100, 80),
              _tok("TỊCH", 1595, 100, 80)]
    segments = layout.split_segments(tokens)
    assert sorted(s.text for s in segments) == ["CHỦ TỊCH", "Nơi nhận:"]


def test_page_numbers_and_repeated_running_header_set_aside() -> None:
    def line(text: str, y: float) -> Line:
        return Line(text=text, bbox=(100, y, 400, y + 30))

    lines = [line("- 2 -", 40), line("Kế hoạch CCHC năm 2024", 120), line("Nội dung", 600)]
    kept, aside = layout.set_aside_running_text(lines, 3500, previous_first_line=None)
    assert aside == "- 2 -" and [ln.text for ln in kept] == ["Kế hoạch CCHC năm 2024", "Nội dung"]
    lines = [line("Kế hoạch CCHC năm 2024 (trang 3)", 40), line("Nội dung", 600), line("3", 3400)]
    kept, aside = layout.set_aside_running_text(lines, 3500, previous_first_line="Kế hoạch CCHC năm 2024 (trang 2)")
    assert [ln.text for ln in kept] == ["Nội dung"] and aside is not None and "3" in aside


def _table(page: int, rows: list[list[str]], top: float, bottom: float) -> Table:
    widths = [0, 100, 600, 800]
    cells = [
        Cell(row=r, col=c, text=text, bbox=(widths[c], top + 10 * r, widths[c + 1], top + 10 * r + 10))
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    ]
    return Table(page=page, pages=[page], n_rows=len(rows), n_cols=3, cells=cells, row_pages=[page] * len(rows),
                 bbox=(0, top, 800, bottom))


HEADER = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì"]


def test_continued_table_stitched_header_dropped_split_row_joined() -> None:
    first = _table(4, [HEADER, ["1", "Rà soát văn bản", "Sở Tư pháp"], ["2", "Tuyên truyền phổ biến", "Sở"]], 100, 950)
    second = _table(5, [HEADER, ["", "pháp luật", "Nội vụ"], ["3", "Kiểm tra", "Văn phòng"]], 50, 400)
    merged = stitch(first, second)
    assert merged.pages == [4, 5] and merged.n_rows == 4 and merged.row_pages == [4, 4, 4, 5]
    assert merged.grid() == [HEADER, ["1", "Rà soát văn bản", "Sở Tư pháp"],
                             ["2", "Tuyên truyền phổ biến pháp luật", "Sở Nội vụ"], ["3", "Kiểm tra", "Văn phòng"]]


def test_stitch_stream_holds_pages_until_the_table_closes() -> None:
    pages = [
        Page(page_no=4, method="ocr", text="", height=1000,
             tables=[_table(4, [HEADER, ["1", "a", "b"]], 100, 950)]),
        Page(page_no=5, method="ocr", text="", height=1000,
             tables=[_table(5, [HEADER, ["2", "c", "d"]], 50, 960)]),
        Page(page_no=6, method="ocr", text="", height=1000,
             tables=[_table(6, [HEADER, ["3", "e", "f"]], 50, 300)]),
        Page(page_no=7, method="ocr", text="", height=1000,
             tables=[_table(7, [["X", "other", "table"]], 50, 300)]),
    ]
    pages[3].tables[0].cells = [c.model_copy(update={"bbox": (0, 50, 50 + 200 * c.col, 60)})
                                for c in pages[3].tables[0].cells]
    out = list(stitch_stream(pages))
    assert [p.page_no for p in out] == [4, 5, 6, 7]
    assert [len(p.tables) for p in out] == [1, 0, 0, 1]
    assert out[0].tables[0].pages == [4, 5, 6] and out[0].tables[0].n_rows == 4


def test_page_ranges() -> None:
    assert parse_pages("1-3", 10) == [1, 2, 3]
    assert parse_pages("2,5-6", 10) == [2, 5, 6]
    assert parse_pages("8-", 10) == [8, 9, 10]
    assert parse_pages(None, 3) == [1, 2, 3]


def test_reading_order_ends_when_a_segment_of_the_first_row_straddles_the_split() -> None:
    """A wide line sharing a band with two short pieces: the split falls inside the wide one.

    This shape (a heading line and a line cut by a wide gap, vertically overlapping on a
    skewed scan) made the zone walk stand still on its first row for ever.
    """
    lines = [
        [_tok("CẢI CÁCH THỦ TỤC HÀNH CHÍNH TRÊN ĐỊA BÀN TỈNH", 100, 100, 1400, 40)],
        [_tok("Sở", 300, 115, 60), _tok("Nội vụ", 700, 115, 120)],
        [_tok("Căn cứ Kế hoạch", 100, 300, 500), _tok("Quý II", 1300, 300, 120)],
    ]
    tokens = []
    for n, line in enumerate(lines):  # the recogniser's own line ids, as OCR gives them
        for t in line:
            t.group = (n,)
            tokens.append(t)
    texts = _texts(tokens)
    assert sorted(texts) == sorted(["CẢI CÁCH THỦ TỤC HÀNH CHÍNH TRÊN ĐỊA BÀN TỈNH", "Sở", "Nội vụ",
                                    "Căn cứ Kế hoạch", "Quý II"])
    assert texts[0] == "CẢI CÁCH THỦ TỤC HÀNH CHÍNH TRÊN ĐỊA BÀN TỈNH"


def test_page_top_row_without_number_joined_only_when_it_is_the_rest_of_a_cut_row() -> None:
    first = _table(4, [HEADER, ["1", "Rà soát văn bản", "Sở Tư pháp"]], 100, 950)
    sub_row = _table(5, [HEADER, ["", "Kiểm tra văn bản sau ban hành", "Sở Tư pháp"]], 50, 400)
    kept = stitch(first, sub_row)
    assert kept.n_rows == 3 and kept.grid()[2] == ["", "Kiểm tra văn bản sau ban hành", "Sở Tư pháp"]
    rest = _table(5, [HEADER, ["", "", "UBND tỉnh"]], 50, 400)  # only a long cell went on
    joined = stitch(first, rest)
    assert joined.n_rows == 2 and joined.grid()[1] == ["1", "Rà soát văn bản", "Sở Tư pháp UBND tỉnh"]
