"""Tasks from a table grid: column roles by header text, sections, continuations over a page break."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers.task_sections import area_of_heading
from parsers.tasks import extract_tasks
from schema.document import Cell, Page, Table


def _table(rows: list[list[str]], row_pages: list[int]) -> Table:
    cells = [Cell(row=r, col=c, text=t) for r, row in enumerate(rows) for c, t in enumerate(row) if t]
    return Table(
        page=row_pages[0],
        pages=sorted(set(row_pages)),
        n_rows=len(rows),
        n_cols=max(len(r) for r in rows),
        cells=cells,
        row_pages=row_pages,
    )


# Columns deliberately out of the usual order: roles must come from header text.
HEADER = ["TT", "Thời gian hoàn thành", "Nội dung, nhiệm vụ", "Cơ quan phối hợp", "Cơ quan chủ trì", "Kết quả/Sản phẩm"]
ROWS = [
    HEADER,
    ["I", "", "CẢI CÁCH THỂ CHẾ", "", "", ""],
    ["1", "Quý I/2024", "Rà soát văn bản QPPL\ncủa tỉnh", "Các sở, ban, ngành", "S& Tu phap", "Báo cáo"],
    ["2", "Thường xuyên", "Kiểm tra văn bản QPPL", "UBND các huyện, thị xã, thành phố", "Sở Tư pháp", ""],
    ["II", "", "Cai cach thu tuc hanh chinh", "", "", ""],
    ["1", "Tháng 02/2024", "Công bố thủ tục hành chính mới ban hành và", "Văn phòng UBND tỉnh", "SNV", "Quyết định"],
    # page 2: the header repeats, then the cell split by the page break continues
    HEADER,
    ["", "", "thủ tục được sửa đổi, bổ sung", "", "", ""],
    ["2", "6 tháng đầu năm 2024", "Số hóa hồ sơ thủ tục hành chính", "", "UBND cấp huyện, cấp xã", ""],
    ["VI", "", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", "", "", ""],
    ["1", "Trong năm 2024", "Triển khai Hệ thống quản lý văn bản", "Các sở, ban ngành", "Sở TT&TT", "Hệ thống"],
]
PAGES = [3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4]


def _extract():
    table = _table(ROWS, PAGES)
    pages = [Page(page_no=3, method="text_layer", text="", tables=[table]), Page(page_no=4, method="text_layer", text="")]
    return extract_tasks(pages, "plan1", [])


def test_rows_areas_labels_and_columns_by_header() -> None:
    result = _extract()
    got = [(t.area, t.row_label) for t in result.tasks]
    assert got == [
        ("the_che", "1"),
        ("the_che", "2"),
        ("thu_tuc_hanh_chinh", "1"),
        ("thu_tuc_hanh_chinh", "2"),
        ("chinh_quyen_so", "1"),
    ]
    first = result.tasks[0]
    assert first.content == "Rà soát văn bản QPPL của tỉnh"
    assert first.output == "Báo cáo"
    assert first.lead_agencies == ["Sở Tư pháp"]
    assert first.partner_agencies == ["Các sở, ban, ngành"]
    assert first.deadline_text == "Quý I/2024"
    assert first.deadline_date == dt.date(2024, 3, 31)
    assert first.page == 3
    assert result.tasks[1].recurring and result.tasks[1].deadline_date is None
    assert result.tasks[1].partner_agencies == ["UBND cấp huyện"]


def test_cell_continued_over_page_break_is_joined() -> None:
    task = _extract().tasks[2]
    assert task.content.endswith("mới ban hành và thủ tục được sửa đổi, bổ sung")
    assert task.lead_agencies == ["Sở Nội vụ"]
    assert task.deadline_date == dt.date(2024, 2, 29)


def test_agency_rows_and_links_are_consistent() -> None:
    result = _extract()
    assert [t.task_id for t in result.tasks] == [f"plan1-t{n:03d}" for n in range(1, 6)]
    ids = {a.agency_id for a in result.agencies}
    assert {link.agency_id for link in result.task_agencies} == ids
    names = {a.canonical_name for a in result.agencies}
    assert {"Sở Tư pháp", "Sở Nội vụ", "UBND cấp huyện", "UBND cấp xã", "Sở Thông tin và Truyền thông"} <= names
    tuphap = next(a for a in result.agencies if a.canonical_name == "Sở Tư pháp")
    assert "S& Tu phap" in tuphap.aliases
    leads = {(link.task_id, link.agency_id) for link in result.task_agencies if link.role == "lead"}
    assert ("plan1-t004", "ubnd-cap-xa") in leads


def test_no_task_table_gives_no_tasks() -> None:
    table = _table([["Chỉ tiêu", "Năm 2023", "Năm 2024"], ["Tỷ lệ hồ sơ trực tuyến", "60%", "80%"]], [1, 1])
    pages = [Page(page_no=1, method="text_layer", text="Không có phụ lục", tables=[table])]
    assert extract_tasks(pages, "p", []).tasks == []


def test_unstitched_follow_on_table_continues_with_previous_roles() -> None:
    """Page 2's table has no header row (the OCR stage could not stitch it): same columns, same roles."""
    first = _table(ROWS[:6], [3] * 6)
    rest = _table(ROWS[7:], [4] * 4)
    pages = [
        Page(page_no=3, method="ocr", text="", tables=[first]),
        Page(page_no=4, method="ocr", text="", tables=[rest]),
    ]
    tasks = extract_tasks(pages, "p", []).tasks
    assert [(t.area, t.row_label, t.page) for t in tasks] == [
        ("the_che", "1", 3),
        ("the_che", "2", 3),
        ("thu_tuc_hanh_chinh", "1", 3),
        ("thu_tuc_hanh_chinh", "2", 4),
        ("chinh_quyen_so", "1", 4),
    ]
    assert tasks[2].content.endswith("thủ tục được sửa đổi, bổ sung")
    assert tasks[3].lead_agencies == ["UBND cấp huyện", "UBND cấp xã"]


def test_ocr_damaged_roman_section_numbers_still_open_sections() -> None:
    rows = [
        ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"],
        ["HI", "CẢI CÁCH TỔ CHỨC BỘ MÁY", "", ""],
        ["1", "Rà soát chức năng, nhiệm vụ", "Phòng Nội vụ", "Quý III/2025"],
        ["vn", "CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH", "", ""],
        ["1", "Ban hành Kế hoạch tuyên truyền", "Phòng Văn hóa - Xã hội", "Năm 2025"],
    ]
    pages = [Page(page_no=1, method="ocr", text="", tables=[_table(rows, [1] * len(rows))])]
    tasks = extract_tasks(pages, "p", []).tasks
    assert [(t.area, t.lead_agencies) for t in tasks] == [
        ("to_chuc_bo_may", ["Phòng Nội vụ"]),
        ("chi_dao_dieu_hanh", ["Phòng Văn hóa - Xã hội"]),
    ]


def test_section_number_read_as_a_word_still_opens_the_section() -> None:
    rows = [
        ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"],
        ["I", "CẢI CÁCH THỂ CHẾ", "", ""],
        ["1", "Rà soát văn bản QPPL", "Văn phòng HĐND và UBND xã", "Quý II/2025"],
        ["lỗi", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "", ""],
        ["1", "Niêm yết công khai TTHC", "Trung tâm Phục vụ hành chính công xã", "Thường xuyên"],
    ]
    pages = [Page(page_no=1, method="ocr", text="", tables=[_table(rows, [1] * len(rows))])]
    tasks = extract_tasks(pages, "p", []).tasks
    assert [(t.area, t.row_label) for t in tasks] == [("the_che", "1"), ("thu_tuc_hanh_chinh", "1")]


@pytest.mark.parametrize(
    ("heading", "strict", "area"),
    [
        ("I | Cai cich thé ché", False, "the_che"),
        ("Cii cach thé ché", True, "the_che"),
        ("IV | Cii cach to chirc bd may", False, "to_chuc_bo_may"),
        ("Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", False, "chinh_quyen_so"),
        ("Cong tac chi dao diéu hanh", True, "chi_dao_dieu_hanh"),
        ("Kiểm soát thủ tục hành chính", True, None),
        ("Đẩy mạnh chuyển đổi số trong giải quyết thủ tục hành chính", True, None),
        ("chu", False, None),
    ],
)
def test_area_of_section_heading(heading: str, strict: bool, area: str | None) -> None:
    assert area_of_heading(heading, strict=strict) == area


def test_table_without_number_column() -> None:
    rows = [
        ["Nhiệm vụ", "Đơn vị thực hiện", "Thời gian thực hiện"],
        ["CẢI CÁCH TÀI CHÍNH CÔNG", "", ""],
        ["Rà soát định mức chi thường xuyên", "Phòng Tài chính - Kế hoạch", "Tháng 6/2025"],
    ]
    pages = [Page(page_no=1, method="text_layer", text="", tables=[_table(rows, [1, 1, 1])])]
    (task,) = extract_tasks(pages, "p", []).tasks
    assert (task.area, task.row_label, task.lead_agencies) == ("tai_chinh_cong", "", ["Phòng Tài chính - Kế hoạch"])
    assert task.deadline_date == dt.date(2025, 6, 30)


def test_two_row_header_with_merged_agency_column() -> None:
    rows = [
        ["STT", "Nội dung công việc", "Cơ quan thực hiện", "", "Tiến độ"],
        ["", "", "Chủ trì", "Phối hợp", ""],
        ["1", "Kiểm tra công tác cải cách hành chính", "SNV", "VP UBND tỉnh", "Quý IV/2025"],
    ]
    pages = [Page(page_no=1, method="text_layer", text="", tables=[_table(rows, [1, 1, 1])])]
    (task,) = extract_tasks(pages, "p", []).tasks
    assert (task.lead_agencies, task.partner_agencies) == (["Sở Nội vụ"], ["Văn phòng UBND tỉnh"])
    assert task.deadline_date == dt.date(2025, 12, 31)


def test_agency_name_cut_by_a_page_break_after_its_head_word_is_completed() -> None:
    # The lead cell "Sở Tư pháp; Văn phòng UBND tỉnh" is cut after "Văn phòng" at the page
    # foot; the row on the next page (a sub-task without number) prints the rest of the name
    # in the same column next to its own lead.
    header = ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
    rows = [
        header,
        ["I", "Cải cách thể chế", "", "", ""],
        ["1", "Công khai văn bản pháp luật trên cổng thông tin", "Sở Tư pháp; Văn phòng", "Các sở, ban, ngành", "Thường xuyên"],
        header,
        ["", "Tuyên truyền phổ biến pháp luật trên mạng xã hội", "Sở Tư pháp UBND tỉnh", "UBND cấp huyện", "Quý II/2025"],
    ]
    table = _table(rows, [1, 1, 1, 2, 2])
    pages = [Page(page_no=1, method="text_layer", text="", tables=[table]), Page(page_no=2, method="text_layer", text="")]
    first, second = extract_tasks(pages, "p", []).tasks
    assert first.lead_agencies == ["Sở Tư pháp", "Văn phòng UBND tỉnh"]
    assert second.lead_agencies == ["Sở Tư pháp"]
    assert second.partner_agencies == ["UBND cấp huyện"]
