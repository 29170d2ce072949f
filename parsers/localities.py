"""Vietnamese administrative units: fuzzy lookup of OCR'd names in a shipped gazetteer.

The gazetteer (`parsers/data/gazetteer.tsv.gz`, built by
`tools/build_gazetteer.py` from the `vietnam-provinces` package) holds
both the pre-July-2025 three-level tree and the post-reform two-level tree,
because a plan keeps the name and level its issuer had when it was signed.
Names are matched on their folded form (see `parsers.text.fold`), so
"Quang Ngäi" still finds "Quảng Ngãi", and come back with diacritics.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from parsers.text import fold

GAZETTEER = Path(__file__).with_name("data") / "gazetteer.tsv.gz"

# Unit words as printed -> folded, longest first so "thành phố" wins over "thành".
KIND_WORDS: dict[str, str] = {
    "thanh pho": "thành phố",
    "thi xa": "thị xã",
    "thi tran": "thị trấn",
    "dac khu": "đặc khu",
    "tinh": "tỉnh",
    "huyen": "huyện",
    "quan": "quận",
    "phuong": "phường",
    "xa": "xã",
}
KIND_LEVEL: dict[str, str] = {
    "tỉnh": "tinh",
    "huyện": "huyen",
    "quận": "huyen",
    "thị xã": "huyen",
    "xã": "xa",
    "phường": "xa",
    "thị trấn": "xa",
    "đặc khu": "xa",
}


@dataclass(frozen=True)
class Unit:
    era: str  # "old" (before July 2025) or "new"
    level: str  # tinh | huyen | xa
    kind: str  # unit word with diacritics
    name: str  # name with diacritics, without the unit word
    province: str

    @property
    def issuer(self) -> str:
        return f"UBND {self.kind} {self.name}"


@lru_cache(maxsize=1)
def units() -> tuple[Unit, ...]:
    with gzip.open(GAZETTEER, "rt", encoding="utf-8") as fh:
        return tuple(Unit(*line.rstrip("\n").split("\t")) for line in fh if line.strip())


@lru_cache(maxsize=32)
def _index(kind: str | None) -> tuple[list[str], list[list[Unit]]]:
    """Folded names -> units, for one unit word (or all of them)."""
    by_name: dict[str, list[Unit]] = {}
    for u in units():
        if kind is None or u.kind == kind:
            by_name.setdefault(fold(u.name), []).append(u)
    names = sorted(by_name)
    return names, [by_name[n] for n in names]


def level_of(kind: str, unit: Unit) -> str:
    """Admin level of a unit as printed: "thành phố" is a province only for the centrally-run cities."""
    if kind == "thành phố":
        return "tinh" if unit.level == "tinh" else "huyen"
    return KIND_LEVEL.get(kind, unit.level)


def lookup(name: str, kind: str | None = None, year: int | None = None, cutoff: float = 80.0) -> Unit | None:
    """Best gazetteer unit for an OCR'd name, or None when nothing is close enough.

    `kind` (with diacritics, e.g. "thành phố") narrows the search; `year`
    prefers the tree in force then (the 2025 reform took effect 1 July 2025).
    """
    key = fold(name)
    if not key:
        return None
    names, groups = _index(kind)
    if not names:
        return None
    # "ừ" read as "ir"/"w" ("Tir Liém" for "Từ Liêm") is the commonest damage to names.
    hits = [
        process.extractOne(k, names, scorer=fuzz.ratio, score_cutoff=cutoff)
        for k in {key, key.replace("ir", "u").replace("w", "u")}
    ]
    hits = [h for h in hits if h is not None]
    if not hits:
        return None
    hit = max(hits, key=lambda h: h[1])
    group = groups[hit[2]]
    want = "new" if (year or 0) >= 2026 or (year == 2025) else "old"
    if kind == "thành phố":
        # A centrally-run city keeps its province-level entry first.
        group = sorted(group, key=lambda u: u.level != "tinh")
    preferred = [u for u in group if u.era == want] or group
    return preferred[0]


def match_prefix(tokens: list[str], kind: str | None, year: int | None, cutoff: float = 80.0) -> tuple[Unit, int] | None:
    """Best unit named by the first 1..4 tokens (OCR lines run on into other text).

    Returns the unit and how many tokens its name used.
    """
    best: tuple[float, Unit, int] | None = None
    for n in range(1, min(4, len(tokens)) + 1):
        cand = " ".join(tokens[:n])
        unit = lookup(cand, kind, year, cutoff)
        if unit is None:
            continue
        score = fuzz.ratio(fold(cand), fold(unit.name))
        if best is None or score > best[0] or (score == best[0] and n > best[2]):
            best = (score, unit, n)
    return (best[1], best[2]) if best else None
