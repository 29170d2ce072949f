"""The colon that opens a dot leader ("Địa chỉ: ........") and that English OCR read as "?",
"%", "°" or "2" comes back as a colon.  Lines are generated from form labels, signs and leader
lengths, not taken from a seed."""

from __future__ import annotations

import itertools

from diacritics import restore
from diacritics.leaders import clean_leaders

LABELS = ["Dia chi tru so", "So dien thoai", "Ho va ten (viet chu in hoa)", "Quoc tich (doi voi ca nhan)"]


def test_a_sign_before_a_leader_is_its_colon() -> None:
    for label, sign, space, dots in itertools.product(LABELS, "?%°", ("", " "), (6, 40)):
        line = f"{label}{space}{sign}{'.' * dots}"
        assert clean_leaders(line) == f"{label}{space}:{'.' * dots}", line


def test_a_two_after_a_bracket_or_colon_before_a_leader() -> None:
    for label in LABELS:
        assert clean_leaders(f"- {label}) 2{'.' * 30}") == f"- {label}) :{'.' * 30}"
        assert clean_leaders(f"- {label}: 2{'.' * 30}") == f"- {label}: .{'.' * 30}"


def test_a_page_keeps_its_numbers_and_questions() -> None:
    for line in ("Muc 2. TO CHUC THUC HIEN", "Chuong 2......... 15", "Tai sao? ... khong ro",
                 "ngay 2...... thang 3", "Ty le 50%... tang"):
        assert clean_leaders(line) == line, line


def test_restored_page_has_the_colon() -> None:
    page = "Thong tin ve to chuc de nghi:\n" + "\n".join(f"- {label}?{'.' * 40}" for label in LABELS)
    out = restore(page, mode="ocr").split("\n")
    assert all(line.endswith(":" + "." * 40) for line in out[1:]), out
