"""schema.vntext: the one copy of the Vietnamese text rules, checked against real text.

The reference for mark stripping is the rule the stages wrote by hand before (NFD, drop the
combining marks, đ→d); `vn_text`'s `strip_stroke(deaccent(x))` must give the same on the
held-out corpus, the seed dumps and the gold files.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from parsers.agencies import key
from schema import vntext
from schema.vntext import HeadUse, agency_heads, fold, fold_keep, letters_for_digits, ocr_fold, strip_marks
from tools.corpus import corpus_files

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted((REPO / "data" / "raw" / "seeds").glob("*.txt"))
GOLD = sorted((REPO / "tests" / "gold").glob("0*.json"))


def _nfd_strip(text: str) -> str:
    """The hand-written rule vn_text replaces: NFD, combining marks dropped, đ→d, NFC."""
    bare = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "D"))


def _lines(paths: list[Path]) -> list[str]:
    return [ln for p in paths for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()]


@pytest.fixture(scope="module")
def held_out_lines() -> list[str]:
    lines = _lines(corpus_files(held_out=True))
    assert len(lines) > 5000
    return lines


def test_vn_text_strip_equals_nfd_strip_on_held_out_text(held_out_lines):
    real = held_out_lines + _lines(SEEDS) + _lines(GOLD)
    differ = [ln for ln in real if strip_marks(ln) != _nfd_strip(ln)]
    assert not differ, differ[:3]
    assert sum(strip_marks(ln) != ln for ln in real) > 0.5 * len(real)  # the text does carry marks


def test_fold_table_matches_the_general_rule_on_every_latin_code_point():
    """The fast translate table and the slow path agree wherever the table is defined."""
    for rng in (range(0x20, 0x250), range(0x1E00, 0x1F00)):
        for cp in rng:
            ch = chr(cp)
            if unicodedata.normalize("NFC", ch) != ch:
                continue
            slow = strip_marks(ch).lower()
            assert fold_keep(ch) == (slow[:1] or " "), hex(cp)


def test_folds_keep_length_and_meaning(held_out_lines):
    for ln in held_out_lines[:3000]:
        n = len(unicodedata.normalize("NFC", ln))
        assert len(fold_keep(ln)) == n
        assert len(ocr_fold(ln)) == n  # spans in the folded text index the original
        assert fold(ln) == " ".join(fold_keep(ln).split())
    assert fold("  Điều 1.  Phê DUYỆT  ") == "dieu 1. phe duyet"


# Real OCR readings from the seed dumps (English-model OCR of Vietnamese) and what they stand for.
SEED_READINGS = [
    ("s6", "so"), ("S¢", "se"), ("hi¢u", "hieu"), ("nghi¢p", "nghiep"),  # số, hiệu, nghiệp
    ("1y", "ly"), ("1ap", "lap"), ("1a", "la"), ("16p", "lop"), ("1ong", "long"), ("1én", "len"),  # lý, lập, là, lớp, lòng, lên
    ("to1", "toi"), ("d01", "doi"), ("th1", "thi"), ("n61", "noi"), ("k1en", "kien"), ("T1ep", "tiep"),  # tới, đối, thì, nội
    ("x4", "xa"), ("c8", "co"), ("$o", "so"),
]


@pytest.mark.parametrize(("read", "meant"), SEED_READINGS)
def test_digit_look_alikes_read_back(read, meant):
    assert fold(letters_for_digits(read)) == meant
    assert ocr_fold(f"({read})") == f"({meant})"


def test_one_reads_l_only_where_a_syllable_can_open_with_l(held_out_lines):
    """Generated from real words: every "l" that opens a word and every "i" inside one, printed as
    "1", reads back as the word. Vietnamese "l" only begins a syllable, so the two never clash."""
    words = {w for ln in held_out_lines for w in fold(ln).split() if re.fullmatch(r"[a-z]{2,7}", w)}
    cases = [w for w in words if w[0] == "l" or "i" in w[1:]]
    assert len(cases) > 150
    for w in cases:
        read = "1" + w[1:] if w[0] == "l" else w[0] + w[1:].replace("i", "1")
        assert letters_for_digits(read) == w, (w, read)


def test_numbers_and_codes_are_not_read_as_words():
    assert ocr_fold("2024") == "2024"
    assert ocr_fold("o244") == "o244"  # a number with junk
    assert ocr_fold("Số 15/KH-UBND") == "so 15/kh-ubnd"


def test_agency_key_uses_the_shared_look_alikes():
    assert key("S0 N61 vu") == "so noi vu"
    assert key("Cac s0, ban, nganh") == "cac so ban nganh"


def test_agency_heads_one_table():
    heads = agency_heads()
    assert len(heads) == len(set(heads)) == len(vntext.AGENCY_HEADS)
    assert all(h == fold(h) for h in heads)
    for use in HeadUse:
        sub = agency_heads(use)
        assert set(sub) <= set(heads)
        lengths = [len(h.split()) for h in sub]
        assert lengths == sorted(lengths, reverse=True), use  # "van phong" before "phong"
    # a specific body's head is never a generic group
    assert not {"cac", "ubnd", "co quan"} & set(agency_heads(HeadUse.BODY))
    assert {fold(h) for h in agency_heads(HeadUse.SPLIT, printed=True)} == set(agency_heads(HeadUse.SPLIT))


def test_latin_letters_of_vietnamese_and_not_of_legacy_encodings():
    assert all(vntext.is_latin_letter(ch) for ch in "aĂâĐđêÔơƯưếỮỹ")
    # letters a legacy font encoding or another script puts where Vietnamese ones should be
    assert not any(vntext.is_latin_letter(ch) for ch in "µþðЖжΩλ")


def test_the_two_look_alike_directions_agree_on_zero_and_one():
    """A "0" or "1" inside a word is read as a letter ("s0" so, "1ap" lap, "th1" thi); inside a number
    each of those letters is read back as the digit. (3, 4, 6, 8 read as "a"/"o" in words; in a
    number "o" is taken for 0, the likeliest.)"""
    for digit in "01":
        readings = {letters_for_digits("x" + digit)[-1], letters_for_digits(digit + "a")[0]}
        assert {vntext.LETTER_AS_DIGIT[ch] for ch in readings} == {digit}, (digit, readings)
