"""`ocr.mark_check`: the acute-vs-hook second look on low-resolution scans.

What must hold: only an acute can become a hook, on the character tesseract marked, every other
letter as read; nothing happens without the model or without character boxes (CLI engine); the
shipped model, on a generated 200 dpi table (text of its own, not the benchmark's), puts back
hooks tesseract read as acutes and changes nothing else.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pytest

from ocr import mark_check
from ocr._exec import tesserocr_api
from ocr._exec.tesseract import TessWord
from ocr.engines import TesseractCliEngine, get_engine, gives_symbols, words_many


class _Always:
    """A stand-in classifier that gives every crop the same P(hook)."""

    def __init__(self, p: float) -> None:
        self.p = p

    def p_hook(self, x: np.ndarray) -> np.ndarray:
        return np.full(len(np.atleast_2d(x)), self.p)


def _word(text: str, with_symbols: bool = True) -> TessWord:
    syms = tuple((ch, (10 + 20 * i, 10, 28 + 20 * i, 50)) for i, ch in enumerate(text)) if with_symbols else ()
    return TessWord(text, 10, 10, 20 * len(text), 40, 90.0, 1, 1, 1, symbols=syms)


_PAGE = np.full((80, 400), 255, dtype=np.uint8)


def test_marks_swap_and_fold() -> None:
    assert mark_check.swapped("ố") == "ổ" and mark_check.swapped("Á") == "Ả" and mark_check.swapped("ử") == "ứ"
    assert mark_check.mark_of("ấ") == mark_check.ACUTE and mark_check.mark_of("ở") == mark_check.HOOK
    assert mark_check.mark_of("à") is None and mark_check.mark_of("a") is None
    assert mark_check.fold("kiểm tổ") == mark_check.fold("kiếm tố") == "kiếm tố"


def test_sure_classifier_turns_acutes_into_hooks_and_nothing_else() -> None:
    words = [_word("kiếm"), _word("tố"), _word("Sở"), _word("ngành"), _word("chính")]
    out = mark_check.check_words(words, _PAGE, clf=_Always(0.99))
    assert [w.text for w in out] == ["kiểm", "tổ", "Sở", "ngành", "chỉnh"]
    for before, after in zip(words, out, strict=True):
        assert mark_check.fold(after.text) == mark_check.fold(before.text)  # only acute <-> hook
        assert len(after.text) == len(before.text) and [b for _, b in after.symbols] == [b for _, b in before.symbols]


def test_unsure_classifier_and_hooks_are_left_alone() -> None:
    words = [_word("kiếm"), _word("tổ")]
    assert [w.text for w in mark_check.check_words(words, _PAGE, clf=_Always(0.5))] == ["kiếm", "tổ"]
    # P(hook) = 0: a hook tesseract read is never turned into an acute
    assert [w.text for w in mark_check.check_words(words, _PAGE, clf=_Always(0.0))] == ["kiếm", "tổ"]


def test_words_without_matching_character_boxes_are_never_changed() -> None:
    no_boxes = _word("kiếm", with_symbols=False)
    mismatched = TessWord("kiếm", 10, 10, 80, 40, 90.0, 1, 1, 1, symbols=(("k", (10, 10, 30, 50)), ("i", (30, 10, 40, 50))))
    out = mark_check.check_words([no_boxes, mismatched], _PAGE, clf=_Always(1.0))
    assert [w.text for w in out] == ["kiếm", "kiếm"]


def test_character_box_is_trimmed_to_the_gap_its_neighbours_leave() -> None:
    # "Nội" as tesseract boxed it on a bench-like cell: the ộ box starts at the N's left edge
    noi = TessWord("Nội", 263, 73, 72, 47, 95.0, 1, 1, 1,
                   symbols=(("N", (263, 73, 288, 120)), ("ộ", (263, 73, 321, 120)), ("i", (324, 74, 335, 111))))
    assert mark_check.char_box(noi, 1) == (288, 73, 321, 120)
    # "phối": neighbours overlap the ố box almost entirely -> tesseract's own box is kept
    phoi = TessWord("phối", 1507, 72, 95, 50, 95.0, 1, 1, 1,
                    symbols=(("p", (1507, 85, 1533, 122)), ("h", (1535, 73, 1561, 111)), ("ố", (1553, 72, 1574, 122)),
                             ("i", (1563, 72, 1602, 111))))
    assert mark_check.char_box(phoi, 2) == (1553, 72, 1574, 122)
    f = mark_check.features(np.full((200, 1700), 255, dtype=np.uint8), phoi, 2)
    assert f is not None and f.shape == (mark_check.N_FEATURES,) and f[-2:].tolist() == [1.0, 0.0]


def test_without_the_model_file_nothing_applies(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(mark_check, "MODEL", tmp_path / "missing.npz")
    mark_check.model.cache_clear()
    try:
        assert mark_check.model() is None
        assert not mark_check.applies(200)
        words = [_word("kiếm")]
        assert mark_check.check_words(words, _PAGE) == words
    finally:
        mark_check.model.cache_clear()


def test_shipped_model_loads_and_applies_only_to_low_resolution() -> None:
    clf = mark_check.model()
    assert clf is not None, "ocr/mark_model.npz is missing: python -m tools.build_mark_model"
    p = clf.p_hook(np.zeros((3, mark_check.N_FEATURES), dtype=np.float32))
    assert p.shape == (3,) and ((0 <= p) & (p <= 1)).all()
    assert mark_check.applies(200) and not mark_check.applies(300)


@pytest.mark.skipif(tesserocr_api.unusable_reason() is not None, reason="in-process tesseract not usable")
def test_character_boxes_from_tesserocr_join_to_the_word() -> None:
    from tests.test_ocr_cells import _render

    image = _render("kiểm tra tổ chức", bold=False)
    engine = get_engine("tesseract")
    assert gives_symbols(engine) and not gives_symbols(TesseractCliEngine())
    (words,) = words_many(engine, [image], psm=7, dpi=300, symbols=True)
    assert words and all(w.symbols for w in words)
    for w in words:
        assert "".join(t for t, _ in w.symbols) == w.text
        for _, (x0, y0, x1, y1) in w.symbols:
            assert w.left - 2 <= x0 < x1 <= w.right + 2 and w.top - 2 <= y0 < y1 <= w.bottom + 2
    # The CLI engine has no character boxes: the same call gives plain words, which pass through.
    (plain,) = words_many(TesseractCliEngine(), [image], psm=7, dpi=300, symbols=True)
    assert [w.text for w in plain] == [w.text for w in words] and not any(w.symbols for w in plain)
    assert mark_check.check_words(plain, image) == plain


@pytest.mark.skipif(tesserocr_api.unusable_reason() is not None, reason="in-process tesseract not usable")
def test_character_boxes_of_pages_without_text_do_not_fail() -> None:
    # tesserocr raises "No text returned" for an element without text: a blank page or specks must read as nothing
    blank = np.full((300, 300), 255, dtype=np.uint8)
    specks = blank.copy()
    specks[np.random.default_rng(0).random(specks.shape) < 0.01] = 0
    bar = blank.copy()
    bar[100:110, 100:140] = 0
    for image in (blank, specks, bar):
        words = tesserocr_api.image_to_words(image, psm=6, dpi=200, symbols=True)
        assert words == tesserocr_api.image_to_words(image, psm=6, dpi=200)


_HOOK_ROWS = [
    ["1", "Kiểm tra, rà soát thủ tục hành chính và bổ sung hồ sơ điện tử", "Sở Nội vụ", "Các sở, ngành",
     "Quý II/2025", "Báo cáo kết quả kiểm tra"],
    ["2", "Tổ chức triển khai phần mềm quản lý văn bản, cải tiến quy trình", "Sở Tư pháp", "UBND cấp xã",
     "Năm 2025", "Phần mềm được triển khai"],
    ["3", "Đẩy mạnh chuyển đổi số trong giải quyết thủ tục, bảo đảm hiệu quả", "Văn phòng", "Các sở",
     "Quý III/2025", "Kế hoạch chuyển đổi số"],
    ["4", "Củng cố tổ chức bộ máy, kiện toàn đội ngũ cán bộ chủ chốt", "Sở Nội vụ", "Các đơn vị",
     "Quý IV/2025", "Đề án được phê duyệt"],
    ["5", "Khảo sát mức độ hài lòng, tổng hợp kiến nghị của tổ chức", "Sở Tài chính", "Bưu điện tỉnh",
     "Năm 2026", "Báo cáo tổng hợp"],
]


@pytest.mark.slow
@pytest.mark.skipif(tesserocr_api.unusable_reason() is not None, reason="in-process tesseract not usable")
def test_low_resolution_table_gets_its_hooks_back_and_nothing_else_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ocr import read_pdf, word_choice

    monkeypatch.setattr(word_choice, "lexicon", lambda: None)  # this test is about the pixels alone
    from tools.pdfgen.make_pdfs import TASK_HEADER, build_table_pdf, scan_pdf

    digital = tmp_path / "hooks.pdf"
    truth = build_table_pdf(_HOOK_ROWS, digital, list(TASK_HEADER))
    scanned = scan_pdf(digital, tmp_path / "hooks_hard.pdf", quality="hard", seed=7, stamp=False,
                       rotate_landscape=True)

    def cells() -> dict[tuple[int, int], str]:
        pages = list(read_pdf(scanned))
        grid = max((t for p in pages for t in p.tables), key=lambda t: t.n_rows).grid()
        return {(r, c): unicodedata.normalize("NFC", " ".join(text.split()))
                for r, row in enumerate(grid) for c, text in enumerate(row)}

    with_check = cells()
    real = mark_check.model
    mark_check.model = lambda: None  # what a checkout without the model file reads
    try:
        without = cells()
    finally:
        mark_check.model = real
    assert with_check.keys() == without.keys()
    changed = [k for k in with_check if with_check[k] != without[k]]
    for k in changed:  # an acute <-> hook swap, nothing else
        assert mark_check.fold(with_check[k]) == mark_check.fold(without[k])
    want = {(r, c): " ".join(t.split()) for r, row in enumerate(truth) for c, t in enumerate(row)}
    right = lambda got: sum(got.get(k) == v for k, v in want.items())  # noqa: E731
    assert changed, "no hook put back on a 200 dpi table full of them"
    assert right(with_check) > right(without)
