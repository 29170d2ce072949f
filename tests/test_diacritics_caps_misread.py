"""A short word English OCR read in capitals because its vowel carries a stacked mark ("BO" for
"Bộ") comes back in Title case amid ordinary words, and keeps its capitals in a heading.  Cases
are generated from the model's commonest short marked syllables, not taken from a seed."""

from __future__ import annotations

import importlib

import pytest

from diacritics import restore
from diacritics.caps_misread import MAX_LETTERS
from diacritics.model import load_model
from diacritics.text import SYLLABLE_SHAPE, TOKEN_RE, has_marks, strip_marks

CM = importlib.import_module("diacritics.caps_misread")


def _short_marked(limit: int, longest: int = MAX_LETTERS) -> list[str]:
    """The commonest syllables of at most MAX_LETTERS letters with a mark on a vowel."""
    model = load_model()
    out = []
    for lm_id in sorted(range(3, model.size), key=lambda i: -model.counts[i]):
        form = model.vocab[lm_id]
        if (
            form.isalpha()
            and 2 <= len(form) <= longest
            and has_marks(form.replace("đ", "d"))
            and SYLLABLE_SHAPE.match(strip_marks(form))
        ):
            out.append(form)
        if len(out) == limit:
            break
    return out


def _restored_token(page: str, index: int) -> str:
    return TOKEN_RE.findall(restore(page, mode="ocr"))[index]


def test_a_misread_capital_amid_ordinary_words_is_title_case() -> None:
    forms = _short_marked(40)
    assert len(forms) == 40
    marked = 0
    for form in forms:
        caps = strip_marks(form).upper()
        page = f"Cac co quan gui van ban cho {caps} theo quy dinh cua phap luat."
        token = _restored_token(page, 7)
        if has_marks(token.lower().replace("đ", "d")):  # the decoder gave it a mark
            marked += 1
            assert not token.isupper(), (caps, token)
    assert marked >= 20


@pytest.mark.parametrize("form", ["bộ", "sở", "có", "lý"])
def test_a_heading_keeps_its_capitals(form: str) -> None:
    caps = strip_marks(form).upper()
    for page in (f"SUA DOI {caps} SUNG MOT SO DIEU", f"QUY DINH {caps} 7 NAM 2022 CUA UY BAN"):
        token = _restored_token(page, 2)
        assert token.isupper(), (page, token)


def test_abbreviations_keep_their_capitals() -> None:
    out = restore("Quyet dinh so 12/QD-UBND cua UBND tinh va DKDD cua HDND xa.", mode="ocr")
    for token in TOKEN_RE.findall(out)[3:]:
        if strip_marks(token).upper() in ("QD", "UBND", "DKDD", "HDND"):
            assert token.isupper(), out


def test_misread_capitals_wants_a_marked_syllable() -> None:
    parts = ["", "cua", " ", "BO", " ", "Tai", ""]
    assert CM.misread_capitals(parts, 3, "bộ")
    assert not CM.misread_capitals(parts, 3, "bo")  # no mark: an abbreviation or a name
    assert not CM.misread_capitals(["", "cua", " ", "QD", " ", "so", ""], 3, "qđ")
    assert not CM.misread_capitals(["", "cua", " ", "BOOT", " ", "so", ""], 3, "bộôt")


def test_a_heading_word_with_one_small_letter_is_in_capitals() -> None:
    """"CHi" between words in capitals: the marked capital "Ỉ" read as a small "i"."""
    forms = [f for f in _short_marked(60, 5) if "i" in strip_marks(f)[1:] and strip_marks(f)[0] != "i"][:15]
    assert len(forms) >= 10
    changed = 0
    for form in forms:
        caps = strip_marks(form).upper()
        k = caps.rindex("I")
        garble = caps[:k] + "i" + caps[k + 1 :]
        page = f"QUY DINH VE {garble} SACH HOC PHI"
        token = _restored_token(page, 3)
        if token != garble:  # the decoder gave it marks (an unchanged token keeps its letters)
            changed += 1
            assert token.isupper(), (garble, token)
    assert changed >= 8


def test_mixed_case_words_outside_a_heading_keep_their_case() -> None:
    parts = ["", "cua", " ", "CHi", " ", "nhanh", ""]
    assert not CM.misread_lower(parts, 3)  # running text around it
    assert not CM.misread_lower(["", "VE", " ", "Chi", " ", "SACH", ""], 3)  # Title case: one capital
