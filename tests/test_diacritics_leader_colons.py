"""The colon that opens a dot leader ("Địa chỉ: ........") and that English OCR read as "?",
"%", "°" or "2" comes back as a colon, and the words right after a leader that it read in
capitals come back in lower case.  Lines are generated from form labels, signs and leader
lengths, not taken from a seed."""

from __future__ import annotations

import itertools

from diacritics import restore
from diacritics.leaders import clean_leaders
from diacritics.text import SYLLABLE_SHAPE

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


AFTER = ["NGAY CAP", "NOI CAP", "BAO CAO", "NGUOI", "NGAY HET"]


def test_words_in_capitals_right_after_a_leader_in_running_text_are_lower_case() -> None:
    for label, words, end in itertools.product(LABELS, AFTER, ("", ".", ":", " 22....", " v.....")):
        line = f"- {label}: {'.' * 30} {words}{end}"
        assert clean_leaders(line) == f"- {label}: {'.' * 30} {words.lower()}{end}", line


def test_headings_and_longer_capitals_after_a_leader_keep_their_case() -> None:
    for line in (
        "CHUONG I .......... 5",  # a table of contents: no lower-case text in front
        "ngay......thang.......nam...... DAI DIEN CO SO KINH DOANH",  # three words or more
        "Noi nhan: ........ UBND tinh va cac so",  # running on into lower-case words
    ):
        assert clean_leaders(line) == line, line


def test_restored_page_reads_the_words_after_the_leader() -> None:
    page = "Thong tin ca nhan:\n- So Can cuoc cong dan: " + "." * 30 + " NGAY CAP " + "." * 20 + " NOI CAP"
    out = restore(page, mode="ocr").split("\n")[1]
    assert out.endswith("ngày cấp " + "." * 20 + " nơi cấp"), out


def test_dashes_and_guillemets_read_for_leader_dots_are_dots() -> None:
    for n, sign in itertools.product((3, 8, 20), ("-", "--", "«", "»")):
        dots = "." * n
        line = f"- Ho va ten nguoi de nghi {dots}{sign}{dots} (A)"
        assert clean_leaders(line) == f"- Ho va ten nguoi de nghi {dots}{'.' * len(sign)}{dots} (A)", line
    for line in ("So: .../QD-... ngay ... thang", "Giay phep so .../GP-BS-... ngay", "Ma so: KH-2025"):
        assert clean_leaders(line) == line, line  # a dash after a letter is a dash


WORDS_BEFORE = ["Dia chi thuong tru", "Dien thoai", "So giay phep", "Nguoi dai dien", "Ho va ten"]


def test_a_colon_read_as_a_letter_glued_before_a_leader() -> None:
    fixed = 0
    for label, letter, space in itertools.product(WORDS_BEFORE, "serz", ("", " ")):
        line = f"- {label}{letter}{space}{'.' * 30}"
        if SYLLABLE_SHAPE.match(label.split()[-1] + letter):  # "tru" + "e": "thuê" is a syllable
            assert clean_leaders(line) == line
            continue
        assert clean_leaders(line) == f"- {label}:{space}{'.' * 30}", line
        fixed += 1
    assert fixed >= 30
    for line in ("- Xe ..........", "- Nghe ...........", "Fax ........", "Website........"):
        assert clean_leaders(line) == line, line  # a syllable as it stands, or none without the letter
