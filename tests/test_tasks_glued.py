"""Words OCR glued together in short cells (header and agency cells of scanned tables)."""

from __future__ import annotations

import pytest

from parsers.agencies import split_agencies
from parsers.task_columns import assign_roles


def test_glued_header_words_still_name_their_columns() -> None:
    header = ["STT", "Mụctiêu", "Nhiệmvụ", "KếtquảSản phẩm", "Chủtrì", "Phối hợp", "Thời gian hoàn thành"]
    assert assign_roles(header) == {"label": 0, "objective": 1, "content": 2, "output": 3, "lead": 4,
                                    "partner": 5, "deadline": 6}


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("SởNộivụ", ["Sở Nội vụ"]),
        ("SởTưpháp; Văn phòng UBND tỉnh", ["Sở Tư pháp", "Văn phòng UBND tỉnh"]),
        ("Các sở, ban ngànhUBND cấp huyện", ["Các sở, ban, ngành", "UBND cấp huyện"]),
    ],
)
def test_glued_agency_names_are_found(cell: str, names: list[str]) -> None:
    assert [m.canonical for m in split_agencies(cell)] == names


@pytest.mark.parametrize(
    ("cell", "restored"),
    [
        ("Thường xuyên theoKế hoạch đào tạo", "Thường xuyên theo Kế hoạch đào tạo"),
        ("Quý I[I/2024", "Quý III/2024"),  # serif I read as a bracket
        ("Quý il2024", "Quý II/2024"),  # and the slash lost
        ("Quý 1/2024", "Quý I/2024"),
        ("Theo KH-UBND", "Theo KH-UBND"),
    ],
)
def test_deadline_cells_repaired(cell: str, restored: str) -> None:
    from parsers.deadlines import restore_deadline_text

    assert restore_deadline_text(cell) == restored
