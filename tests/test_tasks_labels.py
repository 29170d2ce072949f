"""Row labels as a sequence: misread labels repaired from their neighbours, lost section rows found."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from parsers.task_labels import repair_labels, split_missed_sections, successors


@dataclass
class Row:
    row_label: str
    area: str | None = "the_che"
    section: int = 1


def _labels(labels: list[str], section: int = 1) -> list[str]:
    rows = [Row(label, section=section) for label in labels]
    repair_labels(rows)
    return [r.row_label for r in rows]


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        (["11", "12", "143", "14"], ["11", "12", "13", "14"]),  # "143" for 13
        (["1.8", "1.9", "21", "2.2"], ["1.8", "1.9", "2.1", "2.2"]),  # the dot lost
        (["1", "", "3"], ["1", "2", "3"]),  # blank, one hole
        (["l", "2", "3"], ["1", "2", "3"]),  # misread first label
        (["1.1", "1.2", "1.3"], ["1.1", "1.2", "1.3"]),  # a good sequence is left alone
        (["3.4", "", "3.5"], ["3.4", "", "3.5"]),  # an unnumbered sub-row stays blank
        (["2.2", "", "", "2.3"], ["2.2", "", "", "2.3"]),
        (["1", "2", "4", "5"], ["1", "2", "4", "5"]),  # a printed gap: nothing fits both sides
        (["a", "b", "c"], ["a", "b", "c"]),
    ],
)
def test_labels_repaired_from_neighbours(read: list[str], fixed: list[str]) -> None:
    assert _labels(read) == fixed


def test_successors_of_nested_labels() -> None:
    assert {(2,), (1, 1)} <= successors((1,))
    assert {(1, 10), (2, 1), (2,)} <= successors((1, 9))


def test_restarted_numbering_without_a_section_row_opens_the_next_area() -> None:
    rows = [Row(x, "thu_tuc_hanh_chinh", 2) for x in ("1", "2", "3", "1", "2")] + [Row("1", "tai_chinh_cong", 3)]
    split_missed_sections([Row("1", "the_che", 1), *rows])
    assert [r.area for r in rows] == ["thu_tuc_hanh_chinh"] * 3 + ["to_chuc_bo_may"] * 2 + ["tai_chinh_cong"]
