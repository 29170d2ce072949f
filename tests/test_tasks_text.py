"""Tasks from plain-text OCR: tab-separated rows and scrambled blank-line blocks."""

from __future__ import annotations

import datetime as dt

from parsers.tasks import extract_tasks
from schema.document import Page

SCRAMBLED = """\
UY BAN NHAN DAN TINH

PHU LUC
CAC NHIEM VU CAI CACH HANH CHINH NAM 2024

STT Noi dung, nhiem vu Co quan chu tri Co quan phoi hop Thoi gian hoan thanh

I | Cai cach the che

Thuc hien cong tac theo doi thi hanh phap luat, kien nghi
sua doi van ban khong phu hop.

Cac so, ban, nganh
tinh; UBND cap
huyen

S& Tu phap

Thudng xuyén trong nam

Kip thoi pho bien, to chuc thuc hien cac van ban QPPL moi.

Cac s0, ban, nganh tinh; UBND cép huyén

So Tu phap va cac co quan, don vi lien quan

Quy 1V/2024

II

Cai cach thu tuc hanh chinh

Cong khai bo chi so phuc vu nguoi dan va doanh nghiep.

Van phong UBND tinh

S& Thong tin va Truyén thong

Thuong xuyén hang thang
"""


def test_scrambled_blocks_are_assembled_into_tasks() -> None:
    tasks = extract_tasks([Page(page_no=9, method="text", text=SCRAMBLED)], "p", []).tasks
    assert [t.area for t in tasks] == ["the_che", "the_che", "thu_tuc_hanh_chinh"]
    first, second, third = tasks
    assert first.content.startswith("Thuc hien cong tac theo doi")
    assert first.lead_agencies == ["Các sở, ban, ngành", "UBND cấp huyện"]
    assert first.partner_agencies == ["Sở Tư pháp"]
    # OCR damage in the deadline wording is repaired (closed vocabulary)
    assert first.deadline_text == "Thường xuyên trong năm" and first.recurring
    assert second.lead_agencies == ["Các sở, ban, ngành", "UBND cấp huyện"]
    assert second.partner_agencies == ["Sở Tư pháp", "Các cơ quan, đơn vị có liên quan"]
    assert second.deadline_date == dt.date(2024, 12, 31)
    assert third.lead_agencies == ["Văn phòng UBND tỉnh"]
    assert third.partner_agencies == ["Sở Thông tin và Truyền thông"]
    assert third.page == 9


def test_tab_separated_rows_are_read_as_a_table() -> None:
    text = "\n".join(
        [
            "STT\tNội dung\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành",
            "V\tCải cách tài chính công\t\t\t",
            "1\tRà soát định mức chi\tSở Tài chính\tCác sở, ngành\tQuý II/2024",
        ]
    )
    (task,) = extract_tasks([Page(page_no=1, method="text", text=text)], "p", []).tasks
    assert (task.area, task.row_label, task.lead_agencies) == ("tai_chinh_cong", "1", ["Sở Tài chính"])
    assert task.deadline_date == dt.date(2024, 6, 30)


def test_text_without_task_appendix_gives_no_tasks() -> None:
    text = "PHỤ LỤC\n\nBảng tổng hợp chỉ tiêu\n\nTỷ lệ hồ sơ trực tuyến đạt 80% trở lên trong toàn tỉnh."
    assert extract_tasks([Page(page_no=1, method="text", text=text)], "p", []).tasks == []


def test_label_gaps_filled_only_when_neighbours_agree() -> None:
    from parsers.task_table import RawTask
    from parsers.task_text import fill_label_gaps

    tasks = [RawTask(None, label, "c", None, "", "", "", 1) for label in ["3", "", "", "6", "", "9"]]
    fill_label_gaps(tasks)
    assert [t.row_label for t in tasks] == ["3", "4", "5", "6", "", "9"]


def test_sub_row_number_whose_dot_ocr_dropped_is_restored() -> None:
    from parsers.task_table import RawTask
    from parsers.task_text import restore_sub_labels

    def rows(area: str, labels: list[str]) -> list[RawTask]:
        return [RawTask(area, label, "c", None, "", "", "", 1) for label in labels]

    # an area numbered from 1 opening with "11": sub-row "1.1"
    tasks = rows("chinh_quyen_so", ["11", "", "2", "3"])
    restore_sub_labels(tasks)
    assert [t.row_label for t in tasks] == ["1.1", "", "2", "3"]
    # numbering that runs on across areas ("11", "12", …) and an area with one number after it stay
    tasks = rows("the_che", ["9", "10"]) + rows("thu_tuc_hanh_chinh", ["11", "12", "13"]) + rows("cong_vu", ["21", "3"])
    restore_sub_labels(tasks)
    assert [t.row_label for t in tasks] == ["9", "10", "11", "12", "13", "21", "3"]


def test_cell_naming_a_known_body_and_a_local_one_is_an_agency_cell() -> None:
    # "Đài Phát thanh - Truyền hình và Báo Thừa Thiên Huế": the provincial newspaper carries the
    # province's name, which no gazetteer lists; the cell is still the lead, not task wording.
    text = SCRAMBLED.replace(
        "Cong khai bo chi so phuc vu nguoi dan va doanh nghiep.\n\nVan phong UBND tinh\n\nS& Thong tin va Truyén thong",
        "Tuyen truyen ve cai cach hanh chinh tren song phat thanh.\n\ndai Phat thanh - Truyen hinh va\nBao Thua Thien Hue\n\n"
        "Cac so, ban, nganh tinh; UBND cap huyen",
    )
    third = extract_tasks([Page(page_no=9, method="text", text=text)], "p", []).tasks[2]
    assert third.lead_agencies == ["Đài Phát thanh và Truyền hình tỉnh"]
    assert third.partner_agencies == ["Các sở, ban, ngành", "UBND cấp huyện"]
    # "Báo cáo …" is wording, not the newspaper
    from parsers.task_text import _is_agency_block

    assert not _is_agency_block("Báo cáo kết quả thực hiện gửi Sở Nội vụ tổng hợp")


def test_lead_list_ending_in_semicolon_takes_the_group_opening_the_next_block() -> None:
    # The lead cell "Trung tâm Phục vụ hành chính công; các sở, ban, ngành tỉnh; UBND cấp
    # huyện; UBND cấp xã" was read as a block up to "huyện;"; its last line ("UBND cấp xã",
    # with the partner's cut "quan" after it) opens the next, piped block.
    text = SCRAMBLED.replace(
        "II\n\nCai cach thu tuc hanh chinh\n\n",
        "II\n\nCai cach thu tuc hanh chinh\n\n"
        "Thuc hien xin loi nguoi dan khi de ho so qua han giai quyet.\n\n"
        "Trung tam Phuc vu hanh chinh cong; cac so, ban, nganh tinh;\nUBND cap huyen;\n\n"
        "So Noi vu va cac co quan, don vi co lien\n\n"
        "UBND cap xa quan\n"
        "Tiep tuc thuc hien co che mot cua lien thong | Van phong UBND tinh | So Noi vu | Thuong xuyen\n"
        "trong giai quyet thu tuc hanh chinh | | |\n\n",
    )
    tasks = extract_tasks([Page(page_no=9, method="text", text=text)], "p", []).tasks
    first = next(t for t in tasks if t.content.startswith("Thuc hien xin loi"))
    assert first.lead_agencies == ["Trung tâm Phục vụ hành chính công", "Các sở, ban, ngành", "UBND cấp huyện", "UBND cấp xã"]
