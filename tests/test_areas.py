"""Reform-area headings and sections: Roman/Arabic numbering, OCR damage, split headings, repeats."""

from __future__ import annotations

import json

import pytest

from ocr import read_text_dump
from parsers.areas import area_of_heading, build_outline, extract_areas
from parsers.text import document_lines
from schema.document import Page
from tests.conftest import GOLD, RAW

SEEDS = sorted((RAW / "seeds").glob("*.txt"))


def _lines(text: str) -> list[tuple[int, str]]:
    pages = [Page(page_no=i, method="text", text=chunk) for i, chunk in enumerate(text.split("\f"), start=1)]
    return document_lines(pages)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_area_sets(seed):
    gold = json.loads((GOLD / f"{seed.stem}.json").read_text(encoding="utf-8"))["areas"]
    rows = extract_areas(document_lines(read_text_dump(seed)), "p")
    assert sorted(r.area for r in rows) == sorted(gold)
    for r in rows:
        assert len(r.body) > 200, r.area  # the task section, not a one-line mention


@pytest.mark.parametrize(
    ("heading", "area"),
    [
        ("Cải cách thể chế", "the_che"),
        ("Cai cach tha tuc hanh chinh", "thu_tuc_hanh_chinh"),
        ("C&i cach t6 chirc bo may", "to_chuc_bo_may"),
        ("Cai cach ché dj cong vu", "che_do_cong_vu"),
        ("Cải cách tài chính công", "tai_chinh_cong"),
        ("X4y dung, phat trién Chinh quyén dién tir, Chinh quyén s", "chinh_quyen_so"),
        ("Xây dựng và phát triển Chính phủ điện tử, Chính phủ số", "chinh_quyen_so"),
        ("CONG TAC CHI PAO PIEU HANH CAI CACH HANH CHINH", "chi_dao_dieu_hanh"),
        ("Mục tiêu", None),
        ("Chuyển đổi số trong giải quyết thủ tục hành chính cho người dân", None),
        ("Cải cách thể chế: rà soát, hoàn thiện hệ thống văn bản quy phạm pháp luật", "the_che"),
        ("Tổ chức thực hiện", None),
        ("Tiếp tục đẩy mạnh cải cách chế độ công vụ, công chức; cơ cấu, sắp xếp lại đội ngũ cán bộ", None),
    ],
)
def test_heading_names(heading, area):
    assert area_of_heading(heading)[0] == area


PLAN = """KẾ HOẠCH
Cải cách hành chính huyện X năm 2024
I. MỤC TIÊU, YÊU CẦU
- Tiếp tục cải cách thể chế, cải cách thủ tục hành chính.
II. NHIỆM VỤ
1. Cải cách thể chế
- Rà soát văn bản quy phạm pháp luật.
2. Cải cách thủ tục
hành chính
- Công khai 100% thủ tục hành chính.
\f3. C&i cach t6 chirc bo may
- Sắp xếp tổ chức bộ máy.
III. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH
1. Xây dựng kế hoạch.
IV. TỔ CHỨC THỰC HIỆN
1. Phòng Nội vụ chủ trì.
Nơi nhận:
- Như trên.
PHỤ LỤC
I\tCải cách tài chính công\t\t
1\tRà soát\tPhòng Tài chính\tNăm 2024
"""


def test_sections_split_headings_pages_and_appendix():
    lines = _lines(PLAN)
    outline = build_outline(lines)
    rows = {r.area: r for r in extract_areas(lines, "p", outline)}
    # Objectives that merely list areas are not headings; a heading split over two lines is.
    assert set(rows) == {"the_che", "thu_tuc_hanh_chinh", "to_chuc_bo_may", "chi_dao_dieu_hanh", "tai_chinh_cong"}
    assert "Công khai 100%" in rows["thu_tuc_hanh_chinh"].body
    assert rows["to_chuc_bo_may"].page_start == 2
    # A Roman part heading closes the section before it; the appendix is not body.
    assert "Phòng Nội vụ" not in rows["chi_dao_dieu_hanh"].body
    assert rows["tai_chinh_cong"].body == ""  # only named in the appendix table
    idx = next(i for i, (_, t) in enumerate(lines) if t.startswith("- Rà soát"))
    assert outline.area_at(idx) == "the_che"
    idx = next(i for i, (_, t) in enumerate(lines) if t.startswith("1. Phòng Nội vụ"))
    assert outline.area_at(idx) is None
    assert lines[outline.body_end][1].startswith("Nơi nhận")


def test_upper_case_subheadings_stay_inside_their_area():
    text = ("KẾ HOẠCH\nII. NHIỆM VỤ\n1. CẢI CÁCH THỂ CHẾ\n1.1. MỤC TIÊU\n- Rà soát 100% văn bản.\n"
            "1.2. NHIỆM VỤ\n- Rà soát văn bản.\n2. CẢI CÁCH THỦ TỤC HÀNH CHÍNH\n- Công khai.\n"
            "III. TỔ CHỨC THỰC HIỆN\n- Phòng Nội vụ.\n")
    lines = _lines(text)
    rows = {r.area: r for r in extract_areas(lines, "p")}
    assert "Rà soát văn bản" in rows["the_che"].body and "1.1. MỤC TIÊU" in rows["the_che"].body
    assert "Phòng Nội vụ" not in rows["thu_tuc_hanh_chinh"].body


def test_a_table_inside_the_body_does_not_end_it():
    text = ("KẾ HOẠCH\nII. NHIỆM VỤ\n1. Cải cách thể chế\nChỉ tiêu\tNăm 2023\tNăm 2024\n"
            "Văn bản được rà soát\t90%\t100%\n2. Cải cách tài chính công\n- Tự chủ 100% đơn vị.\n"
            "STT\tNội dung\tChủ trì\n1\tRà soát\tSở Tài chính\n")
    lines = _lines(text)
    outline = build_outline(lines)
    assert {r.area for r in extract_areas(lines, "p", outline)} == {"the_che", "tai_chinh_cong"}
    assert lines[outline.body_end][1].startswith("STT")
