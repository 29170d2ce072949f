"""Header parsing on the damaged seed dumps, on clean state documents, and on header layouts of every level."""

from __future__ import annotations

import json
import re

import pytest

from ocr import read_text_dump
from parsers.header import normalise_doc_number, parse_header
from parsers.localities import lookup
from parsers.text import document_lines, fold
from schema.document import Page
from tests.conftest import GOLD, RAW, REPO

SEEDS = sorted((RAW / "seeds").glob("*.txt"))
CORPUS = REPO / "data" / "corpus" / "legal"


def _lines(text: str) -> list[tuple[int, str]]:
    return document_lines([Page(page_no=1, method="text", text=text)])


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_headers_match_gold(seed):
    """The four real OCR dumps (three mangled by an English OCR model) give the gold header."""
    gold = json.loads((GOLD / f"{seed.stem}.json").read_text(encoding="utf-8"))["header"]
    header = parse_header(document_lines(read_text_dump(seed))).model_dump(mode="json")
    for field in ("doc_number", "doc_type", "issuer", "admin_level", "locality", "issue_date",
                  "period_start", "period_end", "title"):
        if field in gold:
            assert header[field] == gold[field], field
    if "issue_date" not in gold:
        assert header["issue_date"] is None  # "ngayUL thang 8": illegible day is left out, not guessed


@pytest.mark.parametrize(
    ("num", "year", "code", "suffix", "expected"),
    [
        ("244", None, "QD", "UBND", "244/QĐ-UBND"),
        ("244", None, "0D", "UBND", "244/QĐ-UBND"),
        ("05", None, "KH", "UBND", "05/KH-UBND"),
        ("44", "2025", "QĐ", "UBND", "44/2025/QĐ-UBND"),
    ],
)
def test_doc_number_normalisation(num, year, code, suffix, expected):
    assert normalise_doc_number(num, year, code, suffix) == expected


def _corpus_docs():
    docs = []
    for path in sorted(CORPUS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if "ỦY BAN NHÂN DÂN" in text[:300] and re.search(r"Số:?\s*\n?\s*\d", text[:800]):
            docs.append(path)
    return docs


def test_clean_state_documents_headers():
    """On clean UBND documents of many provinces (2025, post-merger names) the number, issuer,
    level and date agree with what the document prints; none of these files was a development target."""
    docs = _corpus_docs()
    assert len(docs) >= 30
    for path in docs:
        text = path.read_text(encoding="utf-8")
        header = parse_header(_lines(text))
        printed_no = re.search(r"Số:?\s*\n?\s*([\w/Đ-]+)", text[:800]).group(1)
        assert header.doc_number == printed_no, path.name
        place = re.search(r"\*?([^\n*|]+?), ngày", text[:1200]).group(1).strip()
        assert header.locality and fold(header.locality) in fold(text[:400]), path.name
        assert header.admin_level == "tinh", path.name
        assert header.issuer == f"UBND {'thành phố' if 'THÀNH PHỐ' in text[:300] else 'tỉnh'} {header.locality}"
        if header.issue_date is not None:
            assert header.issue_date.year == 2025, path.name
        assert place  # the right-hand column is there to be read


@pytest.mark.parametrize(
    ("unit_line", "year", "issuer", "level"),
    [
        ("THỊ XÃ PHƯỚC LONG", 2023, "UBND thị xã Phước Long", "huyen"),
        ("HUYỆN ĐỒNG PHÚ", 2022, "UBND huyện Đồng Phú", "huyen"),
        ("THÀNH PHỐ TỪ SƠN", 2023, "UBND thành phố Từ Sơn", "huyen"),
        ("THÀNH PHỐ CẦN THƠ", 2024, "UBND thành phố Cần Thơ", "tinh"),
        ("XÃ BÌNH TÂN", 2025, "UBND xã Bình Tân", "xa"),
        ("PHUONG BINH TAN", 2025, "UBND phường Bình Tân", "xa"),
    ],
)
def test_issuer_level_from_header_block(unit_line, year, issuer, level):
    text = (
        f"ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{unit_line} Độc lập - Tự do - Hạnh phúc\n"
        f"Số: 12/KH-UBND Nơi nào đó, ngày 05 tháng 01 năm {year}\nKẾ HOẠCH\n"
        f"Cải cách hành chính năm {year}\n\nCăn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021;\n"
    )
    header = parse_header(_lines(text))
    assert (header.issuer, header.admin_level) == (issuer, level)
    assert header.doc_type == "ke_hoach" and header.doc_number == "12/KH-UBND"
    assert (header.period_start, header.period_end) == (year, year)


def test_decision_issuing_a_plan_with_illegible_date_takes_the_appendix_date():
    text = (
        "UY BAN NHAN DAN CONG HOA XA HOI CHU NGHIA VIET NAM\nTINH BINH PHUOC Poc lap - Tu do\n"
        "S6: o17) /QD-UBND Binh Phuée, ngay ol9thdng 43 nim 2021\nQUYET PINH\n\n"
        "Ban hanh Ké hoach cai cach hanh chinh giai doan 2021 - 2025 trén dia ban tinh\n\n"
        "Can cir Ludt Té chire chinh quyén dia phwong ngay 19/6/2015;\n"
        + "noi dung\n" * 30
        + "(Ban hanh kém theo Quyét dinh s0.17/QD-UBND ngay 09/02/2021 ciia UBND tinh)\n"
    )
    header = parse_header(_lines(text))
    assert header.doc_number == "17/QĐ-UBND" and header.doc_type == "quyet_dinh"
    assert header.issue_date is not None and header.issue_date.isoformat() == "2021-02-09"
    assert (header.period_start, header.period_end) == (2021, 2025)
    assert header.issuer == "UBND tỉnh Bình Phước"


def test_gazetteer_keeps_pre_and_post_2025_units():
    assert lookup("Tir Son", "thành phố", 2023).name == "Từ Sơn"  # district-level city before the reform
    assert lookup("Binh Tan", "xã", 2025).province == "Đồng Nai"  # commune of the merged province
    assert lookup("Zzyzx", "tỉnh") is None


def test_state_documents_are_not_taken_for_plans_and_seeds_are():
    """Decisions, resolutions and other plans of the corpus mention reform in passing; none is a CCHC plan."""
    from parsers.areas import extract_areas
    from parsers.plan import looks_like_plan

    def is_plan(lines):
        return looks_like_plan(parse_header(lines).title, len(extract_areas(lines, "p")))

    for path in sorted(CORPUS.glob("*.md")):
        assert not is_plan(_lines(path.read_text(encoding="utf-8"))), path.name
    for seed in SEEDS:
        assert is_plan(document_lines(read_text_dump(seed))), seed.name


def test_title_stops_at_the_first_part_heading():
    text = ("ỦY BAN NHÂN DÂN\nHUYỆN ĐỒNG PHÚ\nSố: 5/KH-UBND    Đồng Phú, ngày 3 tháng 1 năm 2024\nKẾ HOẠCH\n"
            "Cải cách hành chính huyện Đồng Phú\nnăm 2024\nI. MỤC TIÊU, YÊU CẦU\n1. Mục tiêu\n")
    header = parse_header(_lines(text))
    assert header.title == "Kế hoạch cải cách hành chính huyện Đồng Phú năm 2024"
    assert (header.place, header.issue_date.isoformat()) == ("Đồng Phú", "2024-01-03")


def test_decision_and_the_number_of_the_plan_it_issues():
    text = ("ỦY BAN NHÂN DÂN\nTỈNH BÌNH PHƯỚC\nSố: 17/QĐ-UBND    Đồng Xoài, ngày 3 tháng 1 năm 2024\nQUYẾT ĐỊNH\n"
            "Ban hành Kế hoạch cải cách hành chính năm 2024\n\nCăn cứ Kế hoạch số 106/KH-UBND ngày 31/3/2023;\n"
            "ỦY BAN NHÂN DÂN\nTỈNH BÌNH PHƯỚC\nSố: 18/KH-UBND\nKẾ HOẠCH\nCải cách hành chính năm 2024\n")
    header = parse_header(_lines(text))
    assert (header.doc_type, header.doc_number, header.plan_doc_number) == ("quyet_dinh", "17/QĐ-UBND", "18/KH-UBND")
    assert header.title == "Kế hoạch cải cách hành chính năm 2024"
