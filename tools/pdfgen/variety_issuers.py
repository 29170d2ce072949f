"""Issuing bodies for the layout-variety generator: how each prints its letterhead and number, and its gold.

Real plans come from people's committees of every level, people's councils,
ministries, steering committees and departments under a committee (Sở), and their numbers carry the issuer's own
letters ("NQ-HĐND", "KH-BGDĐT", "KH-BCĐ"). Each `Issuer` holds both what is
printed (letterhead lines, number suffix, the authority line of a decision,
the signer block) and what the contract's gold says (`issuer`, `admin_level`,
`locality`), so the two cannot drift apart.

Letterheads of provincial committees are also read from the legal corpus
(`data/corpus/legal`, "| **ỦY BAN NHÂN DÂN ** TỈNH LAI CHÂU ---- | ..."), which
gives the generator names as real documents print them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "data" / "corpus" / "legal"


@dataclass(frozen=True)
class Issuer:
    """One issuing body, as printed and as labelled."""

    key: str  # short id used in case names: "ubnd_tinh", "bo", ...
    lines: tuple[str, ...]  # letterhead, top to bottom: ("ỦY BAN NHÂN DÂN", "TỈNH LAI CHÂU")
    suffix: str  # number suffix as printed: "UBND", "HĐND", "BGDĐT", "BCĐ"
    place: str  # place name of the date line
    issuer: str  # gold: "UBND tỉnh Lai Châu", "Bộ Giáo dục và Đào tạo"
    admin_level: str | None
    locality: str | None
    unit_phrase: str  # how the title names it: "tỉnh Lai Châu", "của Bộ Giáo dục và Đào tạo"
    authority: str  # the authority line of its decisions: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LAI CHÂU"
    signer_lines: tuple[str, ...]  # ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    decision_code: str = "QĐ"  # type code of the decision that issues its plans ("QĐ", "NQ")
    decision_word: str = "QUYẾT ĐỊNH"

    @property
    def short(self) -> str:
        """How running text names it after "của": "UBND tỉnh Lai Châu"."""
        return self.issuer


_KIND_UPPER = {"tỉnh": "TỈNH", "thành phố": "THÀNH PHỐ", "huyện": "HUYỆN", "thị xã": "THỊ XÃ", "quận": "QUẬN",
               "xã": "XÃ", "phường": "PHƯỜNG", "thị trấn": "THỊ TRẤN"}
_LEVEL = {"tỉnh": "tinh", "huyện": "huyen", "thị xã": "huyen", "quận": "huyen", "xã": "xa", "phường": "xa",
          "thị trấn": "xa"}


def people_committee(kind: str, name: str, level: str | None = None) -> Issuer:
    """UBND of a unit: "ỦY BAN NHÂN DÂN / TỈNH X"; a city is a province or a district by `level`."""
    lvl = level or _LEVEL[kind]
    unit = f"{kind} {name}"
    return Issuer(
        key=f"ubnd_{lvl}", lines=("ỦY BAN NHÂN DÂN", f"{_KIND_UPPER[kind]} {name.upper()}"), suffix="UBND",
        place=name, issuer=f"UBND {unit}", admin_level=lvl, locality=name, unit_phrase=unit,
        authority=f"CHỦ TỊCH ỦY BAN NHÂN DÂN {_KIND_UPPER[kind]} {name.upper()}",
        signer_lines=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    )


def people_council(kind: str, name: str) -> Issuer:
    """HĐND of a unit; its plans are issued with a resolution (NQ-HĐND)."""
    lvl = _LEVEL.get(kind, "tinh")
    unit = f"{kind} {name}"
    return Issuer(
        key="hdnd", lines=("HỘI ĐỒNG NHÂN DÂN", f"{_KIND_UPPER[kind]} {name.upper()}"), suffix="HĐND",
        place=name, issuer=f"HĐND {unit}", admin_level=lvl, locality=name, unit_phrase=unit,
        authority=f"HỘI ĐỒNG NHÂN DÂN {_KIND_UPPER[kind]} {name.upper()}",
        signer_lines=("TM. HỘI ĐỒNG NHÂN DÂN", "CHỦ TỊCH"), decision_code="NQ", decision_word="NGHỊ QUYẾT",
    )


def ministry(lines: tuple[str, ...], name: str, suffix: str) -> Issuer:
    """A ministry: "BỘ GIÁO DỤC VÀ ĐÀO TẠO", numbers like 12/KH-BGDĐT; no locality."""
    return Issuer(
        key="bo", lines=lines, suffix=suffix, place="Hà Nội", issuer=name, admin_level=None, locality=None,
        unit_phrase=f"của {name}", authority=f"BỘ TRƯỞNG {name.upper()}",
        signer_lines=("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"),
    )


def steering_committee(kind: str, name: str) -> Issuer:
    """A steering committee under a UBND: "UBND TỈNH X / BAN CHỈ ĐẠO CẢI CÁCH HÀNH CHÍNH", KH-BCĐ."""
    unit = f"{kind} {name}"
    return Issuer(
        key="bcd", lines=(f"UBND {_KIND_UPPER[kind]} {name.upper()}", "BAN CHỈ ĐẠO CẢI CÁCH HÀNH CHÍNH"),
        suffix="BCĐ", place=name, issuer=f"Ban Chỉ đạo cải cách hành chính {unit}", admin_level=_LEVEL.get(kind, "tinh"),
        locality=name, unit_phrase=unit, authority=f"TRƯỞNG BAN CHỈ ĐẠO CẢI CÁCH HÀNH CHÍNH {_KIND_UPPER[kind]} "
        f"{name.upper()}", signer_lines=("TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN"),
    )


def department(kind: str, name: str, body: str, suffix: str, three_lines: bool = False) -> Issuer:
    """A department under a committee: "UBND TỈNH X / SỞ NỘI VỤ" (or the committee's name on two lines above
    it); numbers like 12/KH-SNV; the gold names the department and the unit ("Sở Nội vụ tỉnh X")."""
    unit = f"{kind} {name}"
    top = ("ỦY BAN NHÂN DÂN", f"{_KIND_UPPER[kind]} {name.upper()}") if three_lines else (
        f"UBND {_KIND_UPPER[kind]} {name.upper()}",)
    return Issuer(
        key="so", lines=(*top, body.upper()), suffix=suffix, place=name, issuer=f"{body} {unit}",
        admin_level=_LEVEL.get(kind, "tinh"), locality=name, unit_phrase=f"của {body} {unit}",
        authority=f"GIÁM ĐỐC {body.upper()} {_KIND_UPPER[kind]} {name.upper()}",
        signer_lines=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    )


_DEPARTMENTS = (("Sở Nội vụ", "SNV"), ("Sở Tư pháp", "STP"), ("Sở Tài chính", "STC"))


_LETTERHEAD = re.compile(r"\|\s*\**\s*ỦY BAN NHÂN DÂN\s*\**\s*\**(TỈNH|THÀNH PHỐ) ([A-ZÀ-Ỹ ]+?)\**\s*-{3,}")


@lru_cache(maxsize=1)
def corpus_provinces() -> tuple[tuple[str, str], ...]:
    """(kind, Name) of provincial committees whose letterhead the legal corpus prints, in file order."""
    seen: list[tuple[str, str]] = []
    for path in sorted(CORPUS.glob("*.md")):
        m = _LETTERHEAD.search(path.read_text(encoding="utf-8")[:400])
        if not m:
            continue
        kind = "tỉnh" if m.group(1) == "TỈNH" else "thành phố"
        name = _gazetteer_name(" ".join(w.capitalize() for w in m.group(2).split()), kind)
        if (kind, name) not in seen:
            seen.append((kind, name))
    return tuple(seen)


def _gazetteer_name(name: str, kind: str) -> str:
    """The gazetteer's spelling ("Thanh Hóa", not "Thanh Hoá"): the gold must say what the contract stores."""
    from parsers.localities import lookup

    unit = lookup(name, kind)
    return unit.name if unit is not None else name


MINISTRIES = (
    ministry(("BỘ GIÁO DỤC", "VÀ ĐÀO TẠO"), "Bộ Giáo dục và Đào tạo", "BGDĐT"),
    ministry(("BỘ NỘI VỤ",), "Bộ Nội vụ", "BNV"),
    ministry(("BỘ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH"), "Bộ Văn hóa, Thể thao và Du lịch", "BVHTTDL"),
)


def issuer_for(key: str, index: int = 0) -> Issuer:
    """A deterministic issuer of one kind; `index` picks among several of that kind."""
    provinces = corpus_provinces() or (("tỉnh", "Lai Châu"),)
    if key == "ubnd_tinh":
        kind, name = provinces[index % len(provinces)]
        return people_committee(kind, name, "tinh")
    if key == "ubnd_huyen":
        kind, name = (("huyện", "Định Quán"), ("thành phố", "Từ Sơn"), ("thị xã", "Phú Mỹ"),
                      ("huyện", "Ea Kar"))[index % 4]
        return people_committee(kind, name, "huyen")
    if key == "ubnd_xa":
        kind, name = (("xã", "Định Quán"), ("phường", "Sài Gòn"), ("xã", "Tam Nông"))[index % 3]
        return people_committee(kind, name, "xa")
    if key == "hdnd":
        kind, name = provinces[(index + 3) % len(provinces)]
        return people_council(kind, name)
    if key == "bo":
        return MINISTRIES[index % len(MINISTRIES)]
    if key == "bcd":
        kind, name = provinces[(index + 5) % len(provinces)]
        return steering_committee(kind, name)
    if key == "so":
        kind, name = provinces[(index + 7) % len(provinces)]
        body, suffix = _DEPARTMENTS[index % len(_DEPARTMENTS)]
        return department(kind, name, body, suffix, three_lines=index % 2 == 1)
    raise ValueError(f"unknown issuer kind {key!r}")


ISSUER_KINDS = ("ubnd_tinh", "ubnd_huyen", "ubnd_xa", "hdnd", "bo", "bcd", "so")
