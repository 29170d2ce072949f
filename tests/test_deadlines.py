"""Deadline cells → last allowed day and recurring flag (table-driven)."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers.deadlines import looks_like_deadline, parse_deadline, restore_deadline_text

D = dt.date

CASES = [
    ("Quý I/2024", D(2024, 3, 31), False),
    ("Quý IV năm 2024", D(2024, 12, 31), False),
    ("Trong quý II/2024", D(2024, 6, 30), False),
    ("Quý II-III/2024", D(2024, 9, 30), False),
    ("Quý II-IIH/2024", D(2024, 9, 30), False),
    ("Tháng 02/2024", D(2024, 2, 29), False),
    ("Tháng 02/2023", D(2023, 2, 28), False),
    ("Tháng 11-12/2024", D(2024, 12, 31), False),
    ("Trong năm 2024", D(2024, 12, 31), False),
    ("Năm 2024", D(2024, 12, 31), False),
    ("Trước ngày 14/3/2024", D(2024, 3, 14), False),
    ("Trước 31/01/2024", D(2024, 1, 31), False),
    ("6 tháng đầu năm", D(2024, 6, 30), False),
    ("06 tháng cuối năm 2025", D(2025, 12, 31), False),
    ("Giai đoạn 2021 - 2025", D(2025, 12, 31), False),
    ("Thường xuyên", None, True),
    ("Thường xuyên trong năm", None, True),
    ("Hằng quý, 06 tháng, năm và đột xuất", None, True),
    ("Hàng tháng", None, True),
    ("Định kỳ hằng quý", None, True),
    ("Thường xuyên - Tại cấp huyện trong quý I/2024", D(2024, 3, 31), True),
    ("Theo Kế hoạch số 45/KH-UBND ngày 22/01/2023", None, False),
    ("Theo hướng dẫn của Bộ Nội vụ", None, False),
    # OCR damage seen in the seeds
    ("Thudng xuyén trong nam", None, True),
    ("Trong ndm 2024", D(2024, 12, 31), False),
    ("Quy 1V/2024", D(2024, 12, 31), False),
    ("Thang 12/2024", D(2024, 12, 31), False),
]


@pytest.mark.parametrize(("text", "date", "recurring"), CASES)
def test_parse_deadline(text: str, date: dt.date | None, recurring: bool) -> None:
    got = parse_deadline(text, plan_year=2024)
    assert (got.date, got.recurring) == (date, recurring)


def test_year_less_wording_needs_plan_year() -> None:
    assert parse_deadline("6 tháng đầu năm", plan_year=None).date is None
    assert parse_deadline("6 tháng đầu năm", plan_year=2025).date == D(2025, 6, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quý I/2024", True),
        ("Thường xuyên trong năm", True),
        ("Tháng 02/2024", True),
        ("Sở Tư pháp", False),
        ("Rà soát, đề xuất sửa đổi các văn bản QPPL không còn phù hợp trong năm 2024", False),
        ("Trong năm 2025 (sau khi có văn bản hướng dẫn của Bộ Nội vụ)", True),
        ("Định kỳ hoặc đột xuất tổ chức đối thoại với người dân, doanh nghiệp", False),
    ],
)
def test_looks_like_deadline(text: str, expected: bool) -> None:
    assert looks_like_deadline(text) is expected


@pytest.mark.parametrize(
    ("printed", "restored"),
    [
        ("Thudng xuyén trong ndm", "Thường xuyên trong năm"),
        ("Quy 1V/2024", "Quý IV/2024"),
        ("Quý II1/2025", "Quý III/2025"),
        ("Quý 1/2024", "Quý I/2024"),
        ("Hang quy, 06 thang, nam va dot xuat", "Hằng quý, 06 tháng, năm và đột xuất"),
        ("Hàng tháng", "Hàng tháng"),
        ("Theo hướng dẫn của Bộ Nội vụ", "Theo hướng dẫn của Bộ Nội vụ"),
        ("Theo huong dan cua Bo", "Theo huong dan cua Bo"),
        ("Quý II-IIH/2025", "Quý II-III/2025"),
    ],
)
def test_restore_deadline_text(printed: str, restored: str) -> None:
    assert restore_deadline_text(printed) == restored
