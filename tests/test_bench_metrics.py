"""The benchmark's table metrics: the wrong-cell list agrees with the exact-cell share."""

from __future__ import annotations

from bench.ocr_bench import table_scores, wrong_cells

TRUTH = [
    ["TT", "Nội dung nhiệm vụ", "Sản phẩm"],
    ["I", "CẢI CÁCH THỂ CHẾ", ""],
    ["1", "Rà soát, đề xuất sửa đổi", "Các VB QPPL"],
    ["2", "Tổ chức bộ máy", "Đề án"],
]


def test_wrong_cells_lists_exactly_the_cells_not_counted_exact() -> None:
    pred = [
        ["TT", "Nội dung nhiệm vụ", "Sản phấm"],  # hook-above read as an acute
        ["I", "CẢI  CÁCH THỂ CHẾ", ""],  # layout whitespace is not an error
        ["1", "Rà soát, đề xuất sửa đối", "Các VB QPPL"],
        # the last row was not found at all
    ]
    wrong = wrong_cells(TRUTH, pred)
    assert wrong == [
        (0, 2, "Sản phẩm", "Sản phấm"),
        (2, 1, "Rà soát, đề xuất sửa đổi", "Rà soát, đề xuất sửa đối"),
        (3, 0, "2", None), (3, 1, "Tổ chức bộ máy", None), (3, 2, "Đề án", None),
    ]
    cells = sum(len(r) for r in TRUTH)
    assert table_scores(TRUTH, pred)["cells_exact"] == (cells - len(wrong)) / cells


def test_dev_harness_settings_keep_their_type() -> None:
    from bench.diacritics_dev import _typed

    assert _typed(True, "0") is False and _typed(True, "false") is False and _typed(False, "1") is True
    assert _typed(2.0, "1.5") == 1.5 and _typed(3, "7") == 7
