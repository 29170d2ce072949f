"""`ocr.word_choice`: a lexicon choice among tesseract's own alternatives, inside OCR.

What must hold: a reading changes only to one of the recogniser's alternatives for one character,
only when the corpus counts make it clear (its neighbours show the candidate and not the reading,
or the reading is no syllable at all); right readings, codes and numbers stay; punctuation and
case are kept; words without alternatives (CLI engine) pass through; the in-process engine gives
alternatives aligned with the characters, its own reading among them.
"""

from __future__ import annotations

import pytest

from ocr import word_choice
from ocr._exec import tesserocr_api
from ocr._exec.tesseract import TessWord
from ocr.engines import get_engine, words_many


def _line(*items: tuple[str, dict[int, list[tuple[str, float]]]]) -> list[TessWord]:
    """Words side by side on one line; `alts[i]` are extra alternatives for character i."""
    out, x = [], 10
    for text, alts in items:
        width = 18 * len(text)
        syms = tuple((ch, (x + 18 * i, 10, x + 18 * (i + 1), 40)) for i, ch in enumerate(text))
        choices = tuple(((ch, 95.0), *alts.get(i, [])) for i, ch in enumerate(text))
        out.append(TessWord(text, x, 10, width, 30, 90.0, 1, 1, 1, symbols=syms, choices=choices))
        x += width + 12
    return out


def _texts(words: list[TessWord]) -> list[str]:
    return [w.text for w in word_choice.choose_words(words)]


def test_shipped_counts_load() -> None:
    lex = word_choice.lexicon()
    assert lex is not None, "ocr/syllable_pairs.tsv.gz is missing: python -m tools.build_pair_lexicon"
    assert lex.pairs[("sửa", "đổi")] > 100 and ("sửa", "đối") not in lex.pairs
    assert lex.syllables["các"] > 1000 and "chuấn" not in lex.syllables


def test_neighbours_pick_the_mark_tesseract_offered() -> None:
    # "sửa đối" never occurs, "sửa đổi" hundreds of times: the alternative at confidence 0 still wins
    assert _texts(_line(("sửa", {}), ("đối", {1: [("ổ", 0.0)]}), ("các", {}))) == ["sửa", "đổi", "các"]
    # punctuation after the word stays; context from the left is enough
    assert _texts(_line(("sửa", {}), ("đối,", {1: [("ổ", 0.0)]}))) == ["sửa", "đổi,"]
    # upper case: the alternative of the same case
    assert _texts(_line(("CÀI", {1: [("Ả", 55.0)]}), ("CÁCH", {}))) == ["CẢI", "CÁCH"]


def test_right_readings_stay() -> None:
    # "đối với" is what the corpus writes: the offered hook is not taken
    assert _texts(_line(("đối", {1: [("ổ", 60.0)]}), ("với", {}))) == ["đối", "với"]
    # no neighbour, and the reading is a common syllable: nothing to go on
    assert _texts(_line(("đối", {1: [("ổ", 60.0)]}))) == ["đối"]
    # an alternative tesseract did not offer is never made up
    assert _texts(_line(("sửa", {}), ("đối", {}), ("các", {}))) == ["sửa", "đối", "các"]


def test_non_syllables_become_the_offered_syllable() -> None:
    assert _texts(_line(("tiêu", {}), ("chuấn", {3: [("ẩ", 31.0)]}))) == ["tiêu", "chuẩn"]
    # another letter only when tesseract gave it real confidence
    assert _texts(_line(("UBNĐ", {3: [("D", 70.9)]}))) == ["UBND"]
    assert _texts(_line(("UBNĐ", {3: [("D", 10.0)]}))) == ["UBNĐ"]


def test_codes_numbers_and_words_without_alternatives_pass() -> None:
    assert _texts(_line(("300/KH-UBND", {8: [("Ủ", 0.0)]}), ("ngày", {}))) == ["300/KH-UBND", "ngày"]
    assert _texts(_line(("1.5", {2: [("9", 50.0)]}))) == ["1.5"]
    plain = [TessWord("đối", 10, 10, 54, 30, 90.0, 1, 1, 1)]
    assert word_choice.choose_words(plain) == plain


def test_words_far_apart_or_on_other_lines_are_no_context() -> None:
    far = _line(("sửa", {}), ("đối", {1: [("ổ", 0.0)]}))
    far[1] = TessWord(far[1].text, far[1].left + 400, 10, far[1].width, 30, 90.0, 1, 1, 1,
                      symbols=far[1].symbols, choices=far[1].choices)
    assert _texts(far) == ["sửa", "đối"]


@pytest.mark.skipif(tesserocr_api.unusable_reason() is not None, reason="in-process tesseract not usable")
def test_tesserocr_gives_alternatives_per_character() -> None:
    from tests.test_ocr_cells import _render

    image = _render("sửa đổi bổ sung", bold=False)
    (words,) = words_many(get_engine("tesseract"), [image], psm=7, dpi=300, symbols=True)
    assert words and all(len(w.choices) == len(w.text) for w in words)
    for w in words:
        for ch, alts in zip(w.text, w.choices, strict=True):
            assert alts and ch in [a for a, _ in alts]
            assert all(0.0 <= c <= 100.0 for _, c in alts)
    # asking for alternatives does not change the reading
    (again,) = words_many(get_engine("tesseract"), [image], psm=7, dpi=300)
    assert [w.text for w in again] == [w.text for w in words]


@pytest.mark.slow
@pytest.mark.skipif(tesserocr_api.unusable_reason() is not None, reason="in-process tesseract not usable")
def test_low_resolution_table_gains_cells_and_loses_none(tmp_path, monkeypatch) -> None:
    import unicodedata

    from ocr import read_pdf
    from tests.test_ocr_mark_check import _HOOK_ROWS
    from tools.pdfgen.make_pdfs import TASK_HEADER, build_table_pdf, scan_pdf

    digital = tmp_path / "rows.pdf"
    truth = build_table_pdf(_HOOK_ROWS, digital, list(TASK_HEADER))
    scanned = scan_pdf(digital, tmp_path / "rows_hard.pdf", quality="hard", seed=7, stamp=False,
                       rotate_landscape=True)

    def cells() -> dict[tuple[int, int], str]:
        pages = list(read_pdf(scanned))
        grid = max((t for p in pages for t in p.tables), key=lambda t: t.n_rows).grid()
        return {(r, c): unicodedata.normalize("NFC", " ".join(text.split()))
                for r, row in enumerate(grid) for c, text in enumerate(row)}

    with_choice = cells()
    monkeypatch.setattr(word_choice, "lexicon", lambda: None)  # a checkout without the counts
    without = cells()
    want = {(r, c): " ".join(t.split()) for r, row in enumerate(truth) for c, t in enumerate(row)}
    fixed = [k for k, v in want.items() if with_choice.get(k) == v and without.get(k) != v]
    broken = [k for k, v in want.items() if with_choice.get(k) != v and without.get(k) == v]
    assert fixed and not broken, (fixed, broken)


def test_an_alternative_without_text_is_no_candidate() -> None:
    # tesseract's choice iterator can yield a choice whose text is None (seen on a CI machine on a
    # 200 dpi commune scan): it must be skipped, not crash the page
    assert _texts(_line(("sửa", {}), ("đối", {1: [(None, 10.0), ("", 5.0), ("ổ", 0.0)]}))) == ["sửa", "đổi"]
