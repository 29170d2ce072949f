"""Task tables printed with the generator's table switches (issue 16, second round), read back from the
text layer: two-level headers, extra columns to ignore, no repeated header, section rows in other wordings
or none, another area order, every deadline wording, descriptive agency names with commas."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

import ocr
from parsers.agencies import split_agencies
from parsers.task_columns import assign_roles
from parsers.tasks import extract_tasks
from pipeline.evaluate import score
from tools.pdfgen.pdf_variety import layout_variety
from tools.pdfgen.variety import DESCRIPTIVE_AGENCIES, Variation, build_case


def _read(tmp_path: Path, content: str, v: Variation):
    spec = build_case("t", content, v, 7)
    pdf = tmp_path / "t.pdf"
    layout_variety(spec, pdf)
    gold = spec.gold(pdf.name)
    tasks = extract_tasks(list(ocr.read_pdf(pdf)), "p", []).tasks
    predicted = {pdf.name: {"header": {}, "areas": [], "targets": [], "tasks": [t.model_dump() for t in tasks]}}
    return spec, pdf, gold, tasks, score([gold], predicted)


CASES = {
    "two_level_no_repeat": ("dongnai", Variation(columns="twolevel7", header_repeat=False, sections="roman_full")),
    "two_level_note_arabic": ("commune", Variation(columns="twolevel_note8", table_landscape=False,
                                                   sections="arabic", deadlines="varied")),
    "funding_nhiem_vu_shuffled": ("dongnai", Variation(columns="funding7", sections="nhiem_vu",
                                                       area_order="shuffled", agencies="descriptive")),
    "no_sections": ("commune", Variation(columns="official7", sections="none", deadlines="varied")),
    # "(1) | (2) | …" under the header on every page: no task, and rows split at a page break still join
    "column_numbers": ("dongnai", Variation(columns="twolevel7", table_landscape=False, number_row=True)),
    "no_number_column": ("commune", Variation(columns="nolabel5", sections="roman_full")),
    # a row cut by a page break whose deadline cell is cut too ("Trước ngày" / "15/12/2024"), the rest of its
    # content starting with a capital ("UBND tỉnh về …"): one task, not two
    "deadline_cut_at_page_break": ("dongnai", Variation(columns="twolevel_note8", agencies="descriptive",
                                                        deadlines="varied")),
    "column_numbers_6": ("commune", Variation(columns="content6", number_row=True, header_repeat=False)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_table_switches_read_back_from_the_text_layer(tmp_path: Path, name: str) -> None:
    content, v = CASES[name]
    spec, _pdf, gold, tasks, m = _read(tmp_path, content, v)
    assert len(tasks) == len(gold["tasks"]["rows"]) and m["tasks_f1"] == 1.0, m
    assert m["task_lead_agency_accuracy"] == 1.0 and m["task_deadline_accuracy"] == 1.0, m
    if v.sections != "none":  # every section row, in any wording and order, sets the area of its rows
        by_content = {t.content[:30]: t.area for t in tasks}
        assert all(by_content.get(r["content"][:30]) == r["area"] for r in gold["tasks"]["rows"])


def test_two_level_header_is_drawn_and_the_start_column_is_no_deadline(tmp_path: Path) -> None:
    spec = build_case("t", "dongnai", Variation(columns="twolevel7"), 1)
    pdf = tmp_path / "t.pdf"
    layout_variety(spec, pdf)
    with pdfplumber.open(str(pdf)) as doc:
        table_pages = [p.extract_text() or "" for p in doc.pages if "Cơ quan thực hiện" in (p.extract_text() or "")]
    assert len(table_pages) >= 2  # repeated on every page of the table
    assert all("Bắt đầu" in t and "Hoàn thành" in t for t in table_pages)
    # header texts joined per column, as find_header joins a two-row header
    roles = assign_roles(["STT", "Nội dung nhiệm vụ", "Cơ quan thực hiện Chủ trì", "Phối hợp", "Thời gian Bắt đầu",
                          "Hoàn thành", "Sản phẩm"])
    assert roles["lead"] == 2 and roles["partner"] == 3 and roles["deadline"] == 5 and roles["output"] == 6


def test_column_number_row() -> None:
    from parsers.task_table import is_column_number_row

    assert is_column_number_row(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"])
    assert is_column_number_row(["1", "2", "3", "4", "5", "", "7"])
    assert is_column_number_row(["(1)", "(2)", "(3)", "(4)", "G)", "(6)"])  # read from a 200 dpi scan
    assert not is_column_number_row(["1", "Rà soát văn bản", "Sở Tư pháp", "", "Quý I/2025", ""])
    assert not is_column_number_row(["3", "2", "1", "", "", ""])
    assert not is_column_number_row(["(1)", "(2)", "Sở Nội vụ", "(4)", "(5)", "(6)"])


def test_header_repeat_switch(tmp_path: Path) -> None:
    counts = {}
    for repeat in (True, False):
        spec = build_case("t", "dongnai", Variation(columns="content6", table_landscape=False, header_repeat=repeat), 2)
        pdf = tmp_path / f"t{repeat}.pdf"
        layout_variety(spec, pdf)
        with pdfplumber.open(str(pdf)) as doc:
            counts[repeat] = sum("Nội dung nhiệm vụ" in (p.extract_text() or "") for p in doc.pages)
    assert counts[True] >= 2 and counts[False] == 1


@pytest.mark.parametrize("name", DESCRIPTIVE_AGENCIES)
def test_descriptive_agency_names_with_commas_stay_whole(name: str) -> None:
    assert len(split_agencies(name)) == 1
    assert [m.canonical for m in split_agencies(f"Sở Nội vụ; {name}")][0] == "Sở Nội vụ"
    assert len(split_agencies(f"Sở Nội vụ; {name}")) == 2


def test_commas_between_named_agencies_still_split() -> None:
    names = [m.canonical for m in split_agencies("Văn phòng UBND tỉnh, Sở Tư pháp, Sở Nội vụ")]
    assert names == ["Văn phòng UBND tỉnh", "Sở Tư pháp", "Sở Nội vụ"]
    assert len(split_agencies("Sở Tư pháp, các cơ quan, đơn vị liên quan")) == 2
    # an agency head after "tại"/"thuộc" names where the bodies are, not another agency
    assert len(split_agencies("Các cơ quan, đơn vị có TTHC tiếp nhận và giải quyết tại Bộ phận Một cửa xã")) == 1


@pytest.mark.parametrize(("block", "issuer"), [
    (["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HẢI PHÒNG", "SỞ NỘI VỤ"], "Sở Nội vụ thành phố Hải Phòng"),
    (["ỦY BAN NHÂN", "DÂN", "TỈNH NGHỆ AN", "CỘNG"], "UBND tỉnh Nghệ An"),
    (["BỘ TÀI CHÍNH", "CỤC THUẾ", "CỘNG HÒA XÃ"], "Cục thuế"),
    (["BỘ", "TÀI CHÍNH", "KHO BẠC NHÀ NƯỚC"], "Kho bạc nhà nước"),
    (["BỘ GIÁO DỤC", "VÀ ĐÀO TẠO"], "Bộ Giáo dục và Đào tạo"),
    (["UY BAN NHAN DAN", "PHUONG SAI GON", "ee eee —— EP A OO ~"], "UBND phường Sài Gòn"),  # a dump's motto rule
    (["UBND TỈNH NGHỆ AN", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"], "Trung tâm Phục vụ hành chính công tỉnh Nghệ An"),
])
def test_body_under_a_committee_or_ministry_issues(block: list[str], issuer: str) -> None:
    """The letterhead's lowest body issues: a department under a committee whose name takes two lines, a
    department under a ministry; a word left over from the wrapped national motto is no body."""
    from parsers.header_issuers import issuer_of_block

    found = issuer_of_block(block, 2025)
    assert found is not None and found.issuer == issuer


@pytest.mark.parametrize(("text", "number"), [
    ("(Ban hành kèm theo Quyết định số 309/QĐÐ-BCŒĐ ngày 28 tháng 12 năm 2023", "309/QĐ-BCĐ"),
    ("Số: 12/2024/TT-BGDŒĐT", "12/2024/TT-BGDĐT"),
    ("Số: 5/KH-UBND", "5/KH-UBND"),
])
def test_stray_glyph_inside_a_number_code(text: str, number: str) -> None:
    """Tesseract reads a bold Đ of a 300 dpi scan as "ŒĐ" or "ĐÐ" (a steering committee's plan issued with a
    decision lost its number that way): the code is read past the stray glyph and matched without it."""
    from parsers.header_numbers import find_number

    found = find_number(text)
    assert found is not None and found[0] == number


@pytest.mark.parametrize("lost", [2, 4])
def test_lost_section_row_in_another_area_order(tmp_path: Path, lost: int) -> None:
    """Areas in another order than the programme's and one section row not printed: the lost section's rows
    (their numbering restarts at 1) take the one area no other section row names, not the next in the usual
    order."""
    v = Variation(columns="content6", area_order="shuffled", lost_section=lost)
    _spec, _pdf, gold, tasks, m = _read(tmp_path, "commune", v)
    assert m["tasks_f1"] == 1.0, m
    by_content = {t.content[:30]: t.area for t in tasks}
    assert all(by_content.get(r["content"][:30]) == r["area"] for r in gold["tasks"]["rows"])


def test_lost_section_area_from_the_rows_words() -> None:
    from parsers.task_sections import area_of_rows

    rows = ["Rà soát, cập nhật thủ tục hành chính, niêm yết công khai TTHC", "Số hóa hồ sơ, kết quả giải quyết TTHC"]
    assert area_of_rows(rows, ["thu_tuc_hanh_chinh", "che_do_cong_vu", "tai_chinh_cong"]) == "thu_tuc_hanh_chinh"
    assert area_of_rows(["Tổ chức hội nghị"], ["thu_tuc_hanh_chinh", "che_do_cong_vu"]) is None


@pytest.mark.parametrize(("read", "printed"), [
    ("Thườngxuyên", "Thường xuyên"), ("Trongnăm 2025", "Trong năm 2025"), ("Trướcngày 30/6/2025", "Trước ngày 30/6/2025"),
    ("Hằngnăm", "Hằng năm"), ("Thuongxuyen trong nam", "Thường xuyên trong năm"), ("Tháng 6/2025", "Tháng 6/2025"),
])
def test_deadline_words_run_together_are_split(read: str, printed: str) -> None:
    """Every deadline wording the generator prints, as a narrow 300 dpi cell may come back (spaces lost)."""
    from parsers.deadlines import restore_deadline_text

    assert restore_deadline_text(read) == printed


@pytest.mark.parametrize(("read", "printed"), [
    ("Trong quý IL2024", "Trong quý II/2024"), ("Quý IHI/2025", "Quý III/2025"), ("Quý H/2024", "Quý II/2024"),
    ("Quý HI/2024", "Quý III/2024"), ("Quý IV/2024", "Quý IV/2024"), ("Quý iiu2024", "Quý III/2024"),
])
def test_quarter_numerals_as_300_dpi_scans_read_them(read: str, printed: str) -> None:
    """Read on the dev scans: the slash lost after "II" ("IL2024"), an I blotted to H, two I's run into one H."""
    from parsers.deadlines import restore_deadline_text

    assert restore_deadline_text(read) == printed


@pytest.mark.parametrize(("read", "printed"), [
    ("Trước 30/6/2021", "Trước 30/6/2025"), ("Quý I/202!", "Quý I/2025"), ("Trước ngày 15/12/20.", "Trước ngày 15/12/2025"), ("Tháng 6/2025", "Tháng 6/2025"),
    ("Theo Nghị định 30/2020/NĐ-CP", "Theo Nghị định 30/2020/NĐ-CP"), ("Quý I/2022", "Quý I/2022"),
])
def test_deadline_year_with_a_damaged_last_digit(read: str, printed: str) -> None:
    """A 2025 plan: its deadlines' years are the plan's; 2022 is kept when other cells use it (a multi-year plan)."""
    from parsers.deadlines import repair_deadline_year

    assert repair_deadline_year(read, 2025, frozenset({2022, 2025})) == printed


@pytest.mark.parametrize("mode", ["numbered", "with_decision", "decision_then_plan"])
@pytest.mark.parametrize("index", [0, 1])
def test_department_under_a_committee_issues_its_plan(tmp_path: Path, mode: str, index: int) -> None:
    """A Sở's plan: "UBND TỈNH X / SỞ NỘI VỤ" or the committee on two lines above "SỞ TƯ PHÁP" (index 1)."""
    from parsers.header import parse_header
    from parsers.text import document_lines

    spec = build_case("h", "commune", Variation(mode, "so", index, ("standard", "narrow")[index]), index)
    pdf = tmp_path / "h.pdf"
    layout_variety(spec, pdf)
    pages = list(ocr.read_pdf(pdf))
    header = parse_header(document_lines(pages), pages=pages)
    gold = spec.gold(pdf.name)["header"]
    for field in ("doc_number", "doc_type", "issuer", "admin_level", "locality", "title"):
        assert str(getattr(header, field)) == str(gold[field]), field


def test_a_table_row_alone_on_its_page_is_a_grid(tmp_path: Path) -> None:
    """The last row of a table printed without its header repeated, alone on the last page of a 300 dpi scan:
    one ruled row of six cells is still read as a table (it was lost: a grid needed two rows)."""
    import pypdfium2 as pdfium

    from tools.pdfgen.pdf_scan import scan_pdf

    spec = build_case("one", "dongnai", Variation("decision_then_plan", "bo", 0, columns="content6",
                                                  table_landscape=False, font=14.0, header_repeat=False,
                                                  area_order="shuffled", deadlines="varied"), 14)
    pdf = tmp_path / "one.pdf"
    layout_variety(spec, pdf)
    doc, out = pdfium.PdfDocument(str(pdf)), pdfium.PdfDocument.new()
    out.import_pages(doc, [len(doc) - 1])
    last = tmp_path / "last.pdf"
    out.save(str(last))
    scan = tmp_path / "last_s300.pdf"
    scan_pdf(last, scan, "noisy", seed=7, stamp=False, dpi=300, stamp_text="")
    tables = [t for p in ocr.read_document(scan) for t in p.tables]
    assert len(tables) == 1 and tables[0].n_rows == 1 and tables[0].n_cols == 6
    assert "Tập huấn" in tables[0].grid()[0][1]


def test_issuer_code_garbled_past_reading_comes_from_the_letterhead() -> None:
    """A ministry's bold code read "BVHL'1UL" on a 300 dpi scan of a corpus head: the letterhead names the
    ministry, whose code starts the same, so the number takes the code as printed."""
    from parsers.header import parse_header
    from parsers.text import document_lines
    from schema.document import Page

    text = ("BỘ VĂN HÓA, THỂ THAO\nVÀ DU LỊCH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 4385/QĐÐ-BVHL'1UL\nHà Nội, ngày 18 tháng 11 năm 2025\nQUYẾT ĐỊNH\nVề việc ban hành quy chế")
    header = parse_header(document_lines([Page(page_no=1, method="text", text=text)]))
    assert header.doc_number == "4385/QĐ-BVHTTDL"
    assert header.issuer == "Bộ Văn hóa, Thể thao và Du lịch"


def test_held_out_2_is_disjoint_from_dev() -> None:
    """Held-out-2 pairs never appear in dev, and every table switch value it uses is seen in dev."""
    from bench.parse_cases import DEV, HELD_OUT_2

    assert len(HELD_OUT_2) >= 6
    assert not {(c.content, c.variation) for c in DEV} & {(c.content, c.variation) for c in HELD_OUT_2}
    for field in ("columns", "header_repeat", "sections", "area_order", "deadlines", "agencies"):
        used = {getattr(c.variation, field) for c in HELD_OUT_2}
        assert used <= {getattr(c.variation, field) for c in DEV} | {"roman", "usual", "plain", True}, field
