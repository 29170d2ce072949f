"""Who issued a document, from the issuer block of its letterhead (the left column, above the number).

Issuers of every kind print their name there:
- people's committees: "ỦY BAN NHÂN DÂN / TỈNH X" -> "UBND tỉnh X" (the contract's form);
- people's councils: "HỘI ĐỒNG NHÂN DÂN / THÀNH PHỐ X" -> "HĐND thành phố X";
- steering committees under a committee: "UBND TỈNH X / BAN CHỈ ĐẠO CẢI CÁCH HÀNH CHÍNH" ->
  "Ban Chỉ đạo cải cách hành chính tỉnh X";
- ministries and other central bodies: "BỘ GIÁO DỤC / VÀ ĐÀO TẠO" -> "Bộ Giáo dục và Đào tạo", the
  name as the government spells it (`parsers/data/issuing_bodies.tsv`), without admin level or locality.
A chairman signing for a committee issues in the committee's name (seed 000), so the letterhead,
not the signature, decides. Units come from the gazetteer, with diacritics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from parsers.agencies import canonical_agency, has_agency_head
from parsers.localities import KIND_WORDS, Unit, level_of, match_prefix
from parsers.text import ocr_fold

DATA = Path(__file__).with_name("data")
_WORD = re.compile(r"[a-z0-9]+")
UBND = re.compile(r"u[yv]\s*ban\s*nh[a-z]{1,2}\s*d[a-z]{1,2}|\bubnd\b")
_HDND = re.compile(r"h[o0][il1]\s*d[o0]ng\s*nh[a-z]{1,2}\s*d[a-z]{1,2}|\bhdnd\b")
_STEERING = re.compile(r"\bban\s*ch[il1]\s*d[a-z]{1,2}o\b")


@dataclass(frozen=True)
class IssuerFound:
    issuer: str
    admin_level: str | None
    locality: str | None
    unit: Unit | None


def _kind_at(tokens: list[str]) -> tuple[str, int] | None:
    """Unit word at the start of folded tokens: ('thành phố', 2)."""
    for key, kind in KIND_WORDS.items():
        parts = key.split()
        if tokens[: len(parts)] == parts:
            return kind, len(parts)
    return None


def unit_after(text: str, year: int | None) -> tuple[str, Unit, int] | None:
    """First '<unit word> <name>' in a piece of text that names a known unit, with the token where it starts."""
    tokens = _WORD.findall(ocr_fold(text))
    for i in range(len(tokens)):
        hit = _kind_at(tokens[i:])
        if hit is None:
            continue
        kind, n = hit
        found = match_prefix(tokens[i + n : i + n + 4], kind, year)
        if found:
            return kind, found[0], i
    return None


def _unit_issuer(prefix: str, text: str, year: int | None) -> IssuerFound | None:
    found = unit_after(text, year)
    if found is None:
        return None
    kind, unit, _ = found
    return IssuerFound(f"{prefix} {kind} {unit.name}", level_of(kind, unit), unit.name, unit)


@lru_cache(maxsize=1)
def central_bodies() -> dict[str, str]:
    """Folded name -> name as spelled, for ministries and other central bodies."""
    out = {}
    for line in (DATA / "issuing_bodies.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name = line.split("\t")[0].strip()
            out[" ".join(_WORD.findall(ocr_fold(name)))] = name
    return out


@lru_cache(maxsize=1)
def _bodies_by_code() -> dict[str, str]:
    out = {}
    for line in (DATA / "issuing_bodies.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, code = (part.strip() for part in line.split("\t"))
            out[code] = name
    return out


def code_of_body(name: str | None) -> str | None:
    """The number code a central body prints ("Bộ Văn hóa, Thể thao và Du lịch" -> "BVHTTDL"), or None."""
    return next((code for code, body in _bodies_by_code().items() if body == name), None) if name else None


def issuer_of_number(doc_number: str | None) -> IssuerFound | None:
    """The central body a number's issuer code names ("NQ-UBTVQH15" -> Ủy ban Thường vụ Quốc hội), for
    documents that print no letterhead block (the authority line comes under the title instead)."""
    if not doc_number or "-" not in doc_number:
        return None
    name = _bodies_by_code().get(doc_number.rsplit("-", 1)[1])
    return IssuerFound(name, None, None, None) if name else None


def _central(folded: str) -> IssuerFound | None:
    """A central body whose name the block starts with (the block may run on into other text)."""
    tokens = folded.split()
    best: tuple[float, str] | None = None
    for key, name in central_bodies().items():
        n = len(key.split())
        score = fuzz.ratio(" ".join(tokens[:n]), key)
        if score >= 86 and (best is None or score > best[0] or (score == best[0] and len(name) > len(best[1]))):
            best = (score, name)
    return IssuerFound(best[1], None, None, None) if best else None


def _parent_lines(block: list[str], year: int | None) -> tuple[int, tuple[str, Unit, int]] | None:
    """How many lines the committee's name takes ("ỦY BAN NHÂN DÂN / THÀNH PHỐ X" is two), and its unit."""
    for k in range(1, len(block)):
        head = " ".join(block[:k])
        if UBND.search(ocr_fold(head)):
            parent = unit_after(head, year)
            if parent is not None:
                return k, parent
    return None


def _sub_body(block: list[str], year: int | None) -> IssuerFound | None:
    """A body under a committee: "UBND TỈNH X" (on one line or two) at the top, the body's name below it.

    Steering committees are named "Ban Chỉ đạo <topic> <unit>" (the topic as printed, lower case);
    other bodies (a department, a service centre) by their name as agency names are spelled
    (`parsers.agencies`), else in sentence case, and the unit.
    """
    found = _parent_lines(block, year) if len(block) >= 2 else None
    if found is None:
        return None
    k, (kind, unit, _) = found
    body = " ".join(block[k:])
    m = _STEERING.search(ocr_fold(body))
    if not m and (unit_after(body, year) is not None or not has_agency_head(body)):
        return None  # the unit's name runs on to the next line, or the line is no body's name (OCR debris)
    if m:
        topic = body[m.end():].strip(" -,.").lower()
        name = f"Ban Chỉ đạo {topic}" if topic else "Ban Chỉ đạo"
    else:
        name = body.strip(" -,.")
        known = canonical_agency(name)  # "SỞ NỘI VỤ" -> "Sở Nội vụ", as agency names are spelled
        name = known if known != name else name[:1].upper() + name[1:].lower()
    return IssuerFound(f"{name} {kind} {unit.name}", level_of(kind, unit), unit.name, unit)


_UNDER_MINISTRY = re.compile(r"^(?:tong cuc|cuc|vu|vien|thue|kho bac|thanh tra|trung tam|hoc vien|ban|van phong)\b")
"""Bodies a ministry's letterhead names under it ("BỘ TÀI CHÍNH / CỤC THUẾ"): they issue the document."""


def _under_central(block: list[str], central: IssuerFound) -> IssuerFound:
    """The body printed under a ministry's name, when there is one: "BỘ TÀI CHÍNH / CỤC HẢI QUAN" -> Cục hải quan
    (header fields compare without case; the ministry's own lines are those its name takes)."""
    n = len(central.issuer.split())
    taken = 0
    for k, line in enumerate(block):
        taken += len(_WORD.findall(ocr_fold(line)))
        if taken >= n:
            rest = " ".join(t for t in block[k + 1:] if t).strip(" -,.")
            if rest and _UNDER_MINISTRY.match(" ".join(_WORD.findall(ocr_fold(rest)))):
                return IssuerFound(rest[:1].upper() + rest[1:].lower(), None, None, None)
            break
    return central


_MOTTO = "cong hoa xa hoi chu nghia viet nam"


def _motto_cut(block: list[str]) -> list[str]:
    """Lines left over from the national motto ("CỘNG" when the motto wraps after its first word) dropped."""
    out = list(block)
    while out:
        words = " ".join(_WORD.findall(ocr_fold(out[-1])))
        if not words or not _MOTTO.startswith(words):
            break
        out.pop()
    return out


def issuer_of_block(block: list[str], year: int | None) -> IssuerFound | None:
    """The issuer named by the letterhead's issuer block (its lines top to bottom, national motto cut off)."""
    block = _motto_cut(block)
    text = " ".join(t for t in block if t)
    folded = " ".join(_WORD.findall(ocr_fold(text)))
    if not folded:
        return None
    found = _sub_body(block, year)
    if found:
        return found
    council, committee = _HDND.search(folded), UBND.search(folded)
    if council and (committee is None or council.start() < committee.start()):
        return _unit_issuer("HĐND", text, year)
    if committee is None:
        central = _central(folded)
        return _under_central(block, central) if central else None
    # A people's committee (or its chairman, who issues in its name): the unit after the words.
    return _unit_issuer("UBND", " ".join(_WORD.findall(ocr_fold(text)))[committee.end():], year)
