"""Agency normalisation: damaged and abbreviated spellings → canonical names; lists split correctly."""

from __future__ import annotations

import pytest

from parsers.agencies import AgencyRegistry, canonical_agency, slug, split_agencies


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("Sở Nội vụ", "Sở Nội vụ"),
        ("S& Noi vu", "Sở Nội vụ"),
        ("SNV", "Sở Nội vụ"),
        ("So NO1 vu", "Sở Nội vụ"),
        ("S¢ Thong tin va Truyén thong", "Sở Thông tin và Truyền thông"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("Sa& Tai chinh", "Sở Tài chính"),
        ("UBND các huyện, thị xã, thành phố", "UBND cấp huyện"),
        ("UBND các huyện", "UBND cấp huyện"),
        ("UBND cép huyén", "UBND cấp huyện"),
        ("UBND các xã, phường, thị trấn", "UBND cấp xã"),
        ("Cac s0, ban, nganh tinh", "Các sở, ban, ngành"),
        ("Các Sở, ngành", "Các sở, ban, ngành"),
        ("Văn phòng Ủy ban nhân dân tỉnh", "Văn phòng UBND tỉnh"),
        ("Phòng Văn hóa - Thông tin", "Phòng Văn hóa và Thông tin"),
        ("Văn phòng HĐND&UBND thành phố", "Văn phòng HĐND và UBND cấp huyện"),
        ("Trung tam Phuc vu hanh chinh cong", "Trung tâm Phục vụ hành chính công"),
        ("Các đơn vị, địa phương có liên quan", "Các cơ quan, đơn vị có liên quan"),
    ],
)
def test_canonical_agency(printed: str, canonical: str) -> None:
    assert canonical_agency(printed) == canonical


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Sở Tư pháp; Các sở, ban ngành, UBND cấp huyện", ["Sở Tư pháp", "Các sở, ban, ngành", "UBND cấp huyện"]),
        ("UBND cấp huyện, cấp xã", ["UBND cấp huyện", "UBND cấp xã"]),
        (
            "Văn phòng UBND tỉnh, Sở Thông tin và Truyền thông, Tư pháp, Xây dựng",
            ["Văn phòng UBND tỉnh", "Sở Thông tin và Truyền thông", "Sở Tư pháp", "Sở Xây dựng"],
        ),
        (
            "S& Tu phap va cac so. ban, nganh tinh; UBND cap huyén",
            ["Sở Tư pháp", "Các sở, ban, ngành", "UBND cấp huyện"],
        ),
        ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("Sở Tư pháp (trên CSDL quốc gia)", ["Sở Tư pháp"]),
    ],
)
def test_split_agencies(cell: str, expected: list[str]) -> None:
    assert [m.canonical for m in split_agencies(cell)] == expected


def test_unknown_body_kept_as_printed_only_when_asked() -> None:
    assert [m.canonical for m in split_agencies("Báo Bình Phước")] == ["Báo Bình Phước"]
    assert split_agencies("Báo Bình Phước", keep_unknown=False) == []
    assert split_agencies("Tổ chức tập huấn cho công chức", keep_unknown=False) == []


def test_registry_collects_aliases_under_stable_ids() -> None:
    reg = AgencyRegistry()
    ids = {reg.add(m) for cell in ("SNV", "S& Noi vu", "Sở Nội vụ") for m in split_agencies(cell)}
    assert ids == {slug("Sở Nội vụ")} == {"so-noi-vu"}
    (row,) = reg.rows()
    assert row.canonical_name == "Sở Nội vụ"
    assert set(row.aliases) == {"SNV", "S& Noi vu"}


def test_district_finance_office_is_not_the_provincial_department() -> None:
    # "Phòng Tài chính" is how district plans name their finance office; it must not fold into "Sở Tài chính".
    assert canonical_agency("Phòng Tài chính") == "Phòng Tài chính - Kế hoạch"
    assert canonical_agency("Sở Tài chính") == "Sở Tài chính"
