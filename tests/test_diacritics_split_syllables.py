"""Syllables that English OCR cut in two at a mark residue ("thy'c" for "thực") are read as one
syllable.  Cases are generated from the model's commonest syllables with a horn vowel (ư, ơ)
inside them, not taken from a seed."""

from __future__ import annotations

import pytest

from diacritics import restore
from diacritics.model import load_model
from diacritics.split_syllables import join_split_syllables
from diacritics.text import TOKEN_RE, strip_marks

HORN = {"ư": "u", "ơ": "o", "ứ": "u", "ừ": "u", "ử": "u", "ữ": "u", "ự": "u",
        "ớ": "o", "ờ": "o", "ở": "o", "ỡ": "o", "ợ": "o"}


def _split_forms(limit: int) -> list[tuple[str, str]]:
    """(syllable, its OCR reading cut at the horn) for the commonest syllables whose horn vowel
    has one to three letters after it: "thực" -> "thu'c"."""
    model = load_model()
    out = []
    for lm_id in sorted(range(3, model.size), key=lambda i: -model.counts[i]):
        form = model.vocab[lm_id]
        cut = next((k for k, ch in enumerate(form) if ch in HORN), -1)
        if cut < 1 or not 1 <= len(form) - cut - 1 <= 3 or not form.isalpha():
            continue
        out.append((form, strip_marks(form[:cut]) + HORN[form[cut]] + "'" + strip_marks(form[cut + 1 :])))
        if len(out) == limit:
            break
    return out


@pytest.mark.parametrize("residue", ["'", "’", "?"])
def test_a_syllable_cut_at_its_horn_comes_back_as_one_syllable(residue: str) -> None:
    """The lone tail ("c" of "thu'c") is no word of its own: the decoder sees one token."""
    cases = _split_forms(30)
    assert len(cases) == 30
    for _form, garble in cases:
        page = "Cac co quan, don vi {} theo quy dinh cua phap luat."
        out = restore(page.format(garble.replace("'", residue)), mode="ocr")
        assert len(TOKEN_RE.findall(out)) == len(TOKEN_RE.findall(page)) + 1, (garble, out)  # one token, not two
        assert residue not in out, (garble, out)
        # read exactly as the same letters without the residue
        assert out == restore(page.format(garble.replace("'", "")), mode="ocr"), (garble, out)


def test_only_a_lower_case_tail_after_a_letter_is_joined() -> None:
    assert join_split_syllables("ket qua thy'c hien") == "ket qua thyc hien"
    for text in (
        "Quoc gia? Ban hanh",  # a question mark before a space ends a sentence
        "O'Neil va O'Brien",  # a foreign name: a capital after the apostrophe
        "ghi ro 'hanh chinh'",  # quotes: no letter before the opening one
        "the 'b' va 'c'",
        "ma so 12'5",  # digits
        "tu khoa'abcd",  # four letters after it: no syllable tail
    ):
        assert join_split_syllables(text) == text, text


def test_clean_text_with_apostrophes_is_unchanged() -> None:
    text = "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về việc rà soát 'thủ tục' hành chính năm 2025."
    assert restore(text) == text
