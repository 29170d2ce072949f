"""Appendix tables whose columns OCR interleaved line by line (no grid, no tabs).

The tables below are synthetic, written the way district and commune CCHC
appendices print them (STT | Nhiệm vụ | Sản phẩm | Chủ trì | Phối hợp |
Thời gian), then "OCR'd" line by line: each line holds a fragment of every
column, a cell's words are spread over the row's lines, and "|" separators
appear only where OCR saw a rule.
"""

from __future__ import annotations

from parsers.task_anchors import agency_anchors, row_starts, tail_deadline
from parsers.task_text import section_heading
from parsers.tasks import extract_tasks
from schema.document import Page

INTERLEAVED = """\
UY BAN NHAN DAN HUYEN

PHU LUC
NHIEM VU CAI CACH HANH CHINH NAM 2025
TT Nhiem vu | San pham | Co quan chu tri | Co quan phoi hop | Thoi gian
I Cai cach the che
Ra soat, he thong hoa van ban QPPL | Bao cao ket | Phong Tu | Cac co quan, | Quy
do HDND, UBND huyen ban hanh | qua ra soat | phap | don vi lien quan | II/2025
Tham dinh du thao van ban QPPL | Bao cao tham | Phong Tu | UBND cac xa, thi | Thuong
thuoc tham quyen cua UBND huyen | dinh | phap | tran | xuyen
Lua chon noi dung tuyen truyen | Ke hoach cua | Phong Tu | Cac co quan, | Nam
phap luat cho can bo, cong chuc | UBND huyen | phap | don vi | 2025
II Cai cach to chuc bo may
Kien toan to chuc cac co quan | Quyet dinh kien | Phong Noi | Cac phong | Thang
chuyen mon thuoc UBND huyen toan | vu chuyen mon 06/2025
Danh gia, xep loai cong chuc | Bao cao | Van phong Cac co quan, | Nam
hang nam theo quy dinh | HDND va UBND | don vi | 2025
huyen
"""


def _pages(text: str) -> list[Page]:
    return [Page(page_no=1, method="text", text=text)]


def test_interleaved_rows_get_their_lead_and_deadline() -> None:
    tasks = extract_tasks(_pages(INTERLEAVED), "p", []).tasks
    assert [t.area for t in tasks] == ["the_che", "the_che", "the_che", "to_chuc_bo_may", "to_chuc_bo_may"]
    assert [t.lead_agencies for t in tasks] == [
        ["Phòng Tư pháp"],
        ["Phòng Tư pháp"],
        ["Phòng Tư pháp"],
        ["Phòng Nội vụ"],
        ["Văn phòng HĐND và UBND cấp huyện"],
    ]
    assert [t.deadline_text for t in tasks] == ["Quý II/2025", "Thường xuyên", "Năm 2025", "Tháng 06/2025", "Năm 2025"]
    assert tasks[0].content.startswith("Ra soat, he thong hoa van ban QPPL")
    # a task line naming "nội dung" and "cơ quan" is task wording, not a repeated table header
    assert tasks[2].content.startswith("Lua chon noi dung tuyen truyen")
    assert tasks[3].deadline_date is not None and tasks[3].deadline_date.isoformat() == "2025-06-30"
    assert tasks[1].recurring


def test_cut_agency_names_are_completed_from_the_gazetteer() -> None:
    # "Phòng Nội" alone names one district office; "Phòng Văn" needs the next line's words.
    found = agency_anchors(["Kế hoạch của Phòng Nội Các cơ quan,", "vụ đơn vị"])
    assert [a.entry.canonical for a in found] == ["Phòng Nội vụ"]
    found = agency_anchors(["Quyết định của | Phong Van | Cac co quan", "UBND huyen | hoa - Thong | don vi", "tin"])
    assert [a.entry.canonical for a in found] == ["Phòng Văn hóa và Thông tin"]


def test_common_words_are_not_agency_heads() -> None:
    # "hồ sơ", "chỉ số", "số hóa", "phường", "tham mưu UBND …" are task wording.
    lines = ["Số hóa hồ sơ công việc, nâng cao Chỉ số hài lòng", "UBND các phường tham mưu Sở Nội vụ"]
    assert agency_anchors(lines) == []


def test_deadline_is_read_from_the_line_tails() -> None:
    assert tail_deadline(["Trien khai ke hoach | Thang", "nam 2025 cua huyen | 09/2025"]) == "Tháng 09/2025"
    assert tail_deadline(["Cap nhat du lieu | Thuong", "len he thong | xuyen", "trong", "nam"]) == (
        "Thường xuyên trong năm"
    )
    assert tail_deadline(["Tong ket cong tac | Quy", "CCHC nam 2024 | 112025"]) == "Quý II/2025"
    # OCR glues a cell's word to its neighbour's ("lien quan;{xuyén") and damages the letters
    assert tail_deadline(["Bao cao | Phong Noi | Cac co quan, | Thudng", "don vi lien quan;{xuyén trong", "UBND xa nam"]) == (
        "Thường xuyên trong năm"
    )
    # "xuyên" lost altogether: "Thường … trong … năm" still spells the recurring deadline
    assert tail_deadline(["Thuc hien phan cap | Phong Noi | Cac co quan, Thudng", "quan ly | vu | don vi [{WY€N tron", "UBND xa trong", "nam"]) == (
        "Thường xuyên trong năm"
    )
    # a date inside the wording ("ngày 14/5/2024") is not a deadline
    assert tail_deadline(["Thuc hien Nghi dinh so 10 ngay 14/5/2024"]) is None
    # nor is an older date a line tail happens to end with, when the deadline column names a later year
    assert tail_deadline(["Nghi dinh 34/2016/ND-CP ngay 14/5/2016 cua", "Chinh phu | So Tu phap | Trong nam 2025"]) == "Năm 2025"


def test_rows_split_where_a_new_task_meets_a_new_lead() -> None:
    lines = [
        "Ra soat van ban | Bao cao | Phong Tu | Cac co quan",
        "QPPL nam 2024 | phap | lien quan",
        "Tham dinh du thao | Bao cao | Phong Tu | UBND cac xa",
        "van ban | phap",
    ]
    assert row_starts(lines) == [0, 2]
    # a second agency with no new task wording before it is the same row's partner
    assert row_starts(["Ra soat van ban | Phong Noi vu | So Noi vu", "QPPL | phoi hop"]) == []


def test_section_headings_without_numeral_or_with_a_damaged_one() -> None:
    assert section_heading("VI Cai cach tai chinh cong") == "tai_chinh_cong"
    assert section_heading("Cải cách chế độ công vụ") == "che_do_cong_vu"
    assert section_heading("Cải cách thủ tục hành chính trong lĩnh vực đất đai cho người dân") is None


RESTORED = """\
PHU LUC
STT Noi dung, nhiem vu Co quan chu tri Co quan phoi hop Thoi gian hoan thanh

I | Cong tac chi dao dieu hanh

Ban hanh ke hoach cai cach hanh chinh nam 2025 cua huyen.

Phong Noi vu

Cac co quan, don vi lien quan

Quy I/2025

{line}

Phong Noi vu

Cac co quan, don vi lien quan

Trong nam 2025
"""


def test_restoration_cannot_invent_an_area_heading() -> None:
    # OCR printed "Té chire tap huan" (Tổ chức tập huấn); restoration guessed "Thể chế tập huấn".
    raw = RESTORED.format(line="Té chire tap huan cho cong chuc phu trach cai cach hanh chinh.")
    restored = RESTORED.format(line="Thể chế tập huấn cho công chức phụ trách cải cách hành chính.")
    page = Page(page_no=1, method="text", text=restored, raw_text=raw)
    tasks = extract_tasks([page], "p", []).tasks
    assert [t.area for t in tasks] == ["chi_dao_dieu_hanh", "chi_dao_dieu_hanh"]
    assert tasks[1].content.startswith("Thể chế tập huấn")
    assert [t.deadline_text for t in tasks] == ["Quý I/2025", "Trong năm 2025"]


def test_block_without_rules_but_with_columns_side_by_side() -> None:
    text = """\
PHU LUC
STT Noi dung, nhiem vu Co quan chu tri Co quan phoi hop Thoi gian hoan thanh

II | Cai cach to chuc bo may

Kien toan to chuc bo may cac co quan Phong Noi Cac co quan, Thang
chuyen mon thuoc UBND huyen theo quy vu don vi lien quan 06/2025
dinh cua Chinh phu
"""
    (task,) = extract_tasks([Page(page_no=1, method="text", text=text)], "p", []).tasks
    assert task.area == "to_chuc_bo_may"
    assert task.lead_agencies == ["Phòng Nội vụ"]
    assert task.deadline_text == "Tháng 06/2025"
    assert task.content.startswith("Kien toan to chuc bo may cac co quan")


def test_agency_cell_damaged_by_restoration_is_read_as_printed() -> None:
    cells = """\
PHU LUC
STT Noi dung, nhiem vu Co quan chu tri Co quan phoi hop Thoi gian hoan thanh

I | Cong tac chi dao dieu hanh

Tang cuong tuyen truyen cai cach hanh chinh tren bao, dai cua tinh.

So Noi vu

{cell}

Thuong xuyen trong nam
"""
    raw = cells.format(cell="S& Noi vu, Dai Phat thanh - Truyen hinh va Bao Binh Duong")
    restored = cells.format(cell="Sở Nội vụ, Đài Phát thanh - Truyền hình và Bảo Bình Dương")
    (task,) = extract_tasks([Page(page_no=1, method="text", text=restored, raw_text=raw)], "p", []).tasks
    assert task.lead_agencies == ["Sở Nội vụ"]
    assert task.partner_agencies == ["Sở Nội vụ", "Đài Phát thanh và Truyền hình tỉnh"]
    assert task.deadline_text == "Thường xuyên trong năm"


def test_cut_agency_cell_does_not_open_a_row() -> None:
    text = """\
PHU LUC
STT Noi dung, nhiem vu Co quan chu tri Co quan phoi hop Thoi gian hoan thanh

VI | Xay dung va phat trien chinh quyen so

Trien khai nen tang so hoa ho so cong viec tai cac co quan, don vi.

Van phong UBND tinh

So Thong tin va

Thuong xuyen
"""
    (task,) = extract_tasks([Page(page_no=1, method="text", text=text)], "p", []).tasks
    assert task.area == "chinh_quyen_so"
    assert task.lead_agencies == ["Văn phòng UBND tỉnh"]
    assert task.deadline_text == "Thường xuyên"


def test_wording_cells_fill_the_header_columns_in_order() -> None:
    text = """\
PHU LUC
TT Muc tieu Nhiem vu Ket qua/San pham Co quan chu tri Co quan phoi hop Thoi gian

I | Cai cach thu tuc hanh chinh

100% thu tuc hanh chinh duoc cong khai dung quy dinh

Niem yet cong khai thu tuc hanh chinh tai Bo phan Mot cua

Danh muc duoc niem yet day du

Phong Van hoa va Thong tin

UBND cac xa, thi tran

Thuong xuyen
"""
    (task,) = extract_tasks([Page(page_no=1, method="text", text=text)], "p", []).tasks
    assert task.content == "Niem yet cong khai thu tuc hanh chinh tai Bo phan Mot cua"
    assert task.output == "Danh muc duoc niem yet day du"
    assert task.lead_agencies == ["Phòng Văn hóa và Thông tin"]
    assert task.deadline_text == "Thường xuyên"


def _interleaved_lead(lines: list[str], lead_text: str = "") -> list[str]:
    from parsers.agencies import split_agencies
    from parsers.task_anchors import fill_from_lines
    from parsers.task_table import RawTask

    task = RawTask("chi_dao_dieu_hanh", "1", "x", None, lead_text, "", "", 1, True, lines, True)
    fill_from_lines(task)
    return [m.canonical for m in split_agencies(task.lead_text, keep_unknown=False)]


def test_generic_groups_opening_the_row_are_its_lead_and_the_body_after_them_the_partner() -> None:
    # Provincial appendix, STT | Nội dung | Chủ trì | Phối hợp | Thời gian: the lead cell
    # "Các sở, ban, ngành tỉnh; UBND cấp huyện" is cut over three lines, "Sở Nội vụ" (partner)
    # printed between its pieces, "huyện" alone at the end of the third line.
    lines = [
        "Rà soát, sắp xếp vị trí việc làm của các | Các sở, ban, ngành Trong năm",
        "5.| cơ quan hành chính nhà nước trên địa bàn tỉnh; UBND cấp Sở Nội vụ 2025",
        "và các đơn vị sự nghiệp công lập huyện",
    ]
    assert _interleaved_lead(lines) == ["Các sở, ban, ngành", "UBND cấp huyện"]
    # "và UBND cấp xã" opening a later line continues the list; a specific body opening a
    # line after the list ("Văn phòng UBND tỉnh") is the partner column's
    lines = [
        "Tổ chức triển khai Kế hoạch CCHC năm 2025 | Các sở, ban, ngành",
        "trên địa bàn tỉnh tỉnh; UBND cấp huyện Sở Nội vụ Trong năm 2025",
        "và UBND cấp xã",
        "Văn phòng UBND tỉnh,",
    ]
    assert _interleaved_lead(lines) == ["Các sở, ban, ngành", "UBND cấp huyện", "UBND cấp xã"]


def test_specific_body_heading_a_semicolon_list_keeps_the_groups_after_it() -> None:
    lines = [
        "Thực hiện số hóa hồ sơ, kết quả giải quyết | Trung tâm Phục vụ",
        "thủ tục hành chính theo quy định | hành chính công; các | Sở Thông tin và Truyền",
        "7.| của cán bộ, công chức | sở, ban, ngành tỉnh; thông, Văn phòng Thường xuyên",
        "trong quá trình giải quyết | UBND cấp huyện; UBND tỉnh",
    ]
    assert _interleaved_lead(lines) == ["Trung tâm Phục vụ hành chính công", "Các sở, ban, ngành", "UBND cấp huyện"]
    # without the ";" the groups after a specific lead are the partner column's
    lines = [
        "Tổ chức kiểm tra công tác CCHC | Sở Nội vụ Các sở, ban, ngành Trong năm",
        "tại các cơ quan, đơn vị | UBND cấp huyện 2025",
    ]
    assert _interleaved_lead(lines) == ["Sở Nội vụ"]


def test_groups_inside_the_task_wording_are_no_lead() -> None:
    lines = [
        "Hướng dẫn 100% UBND cấp xã triển khai chứng thực | Sở Tư pháp Các sở, ban,",
        "bản sao điện tử từ bản chính | ngành Thường xuyên",
    ]
    assert _interleaved_lead(lines) == ["Sở Tư pháp"]


def test_body_joined_by_va_at_the_next_lines_agency_start_is_a_second_lead() -> None:
    # District appendix: lead cell "Trung tâm Hành chính công và Bộ phận Một cửa các xã" over
    # two lines; the partner "Các cơ quan, đơn vị" stands further right.
    lines = [
        "Niem yet cong khai | Trung tam Hanh chinh | TTHC duoc | Cac co quan, don vi Thuong",
        "1 cong va Bo phan Mot | cong khai day du | lien quan xuyen",
        "cua cac xa;",
    ]
    assert _interleaved_lead(lines) == ["Trung tâm Phục vụ hành chính công", "Bộ phận Một cửa"]
    # "và" further right on a line joins the partner's names, not the lead's
    lines = [
        "Kiem tra cong tac CCHC | Phong Noi vu | Van phong HDND va UBND Nam",
        "tai cac xa | huyen va Phong Tu phap 2025",
    ]
    assert _interleaved_lead(lines) == ["Phòng Nội vụ"]


def test_lead_followed_by_va_cac_continues_with_the_related_bodies_below() -> None:
    # lead cell "Sở Nội vụ và các cơ quan, đơn vị có liên quan" cut over three lines, the
    # partner "UBND cấp huyện" printed right of its first piece
    lines = [
        "To chuc danh gia chi so hai long | So Noi vu va cac UBND cap huyen Trong nam",
        "cua nguoi dan nam 2025 co quan, don vi co 2025",
        "lien quan",
    ]
    assert _interleaved_lead(lines) == ["Sở Nội vụ", "Các cơ quan, đơn vị có liên quan"]
    # without "và các" after the lead the bodies below are the partner's
    lines = [
        "To chuc danh gia chi so hai long | So Noi vu Cac UBND cap huyen Trong nam",
        "cua nguoi dan nam 2025 co quan, don vi co 2025",
    ]
    assert _interleaved_lead(lines) == ["Sở Nội vụ"]


def test_groups_whose_first_and_last_words_ocr_damaged_are_still_read() -> None:
    # lead cell "Các sở, ban, ngành tỉnh; UBND cấp huyện": "Các" lost, "sở" and "ngành"
    # misread, only "ban" and the "-anh" ending of "ngành" intact
    lines = [
        "Rà soát quy trình nội bộ giải quyết thủ tục hành chính của Lé, ban. Rpanh",
        "7.| các cơ quan hành chính tỉnh; UBND cấp Sở Tư pháp Trong năm 2025",
        "huyện",
    ]
    assert _interleaved_lead(lines) == ["Các sở, ban, ngành", "UBND cấp huyện"]
    # "ban hành", "Ban Thanh tra" in the wording are no group
    lines = [
        "Rà soát các văn bản do Ban thanh tra nhân dân ban hành | Sở Tư pháp Trong năm",
        "7.| trên địa bàn tỉnh | 2025",
    ]
    assert _interleaved_lead(lines) == ["Sở Tư pháp"]
