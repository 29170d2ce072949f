"""Agency cells ("Sở Tư pháp; Các sở, ban ngành, UBND cấp huyện") → canonical agency names.

A gazetteer (`parsers/data/agencies.tsv`) lists the bodies that lead or
partner on CCHC tasks at every level — provincial sở/ban/ngành, district
phòng, commune bodies, and the generic groups plans use ("Các sở, ban,
ngành", "UBND cấp huyện"). Cells are cut into candidate mentions on `;`,
line breaks, commas and "và + agency head", then adjacent pieces are joined
back greedily (longest first) when the joined span fuzzy-matches an alias:
commas occur *inside* names ("Các sở, ban, ngành", "Sở Văn hóa, Thể thao và
Du lịch") as well as between them. Matching is on a folded, punctuation-free
key with rapidfuzz, so OCR damage ("S& Noi vu", "Cac s0, ban, nganh") still
finds the entry. A piece that matches nothing but starts with an agency head
word ("Báo Quảng Ngãi") is kept as printed, so local bodies are not lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from parsers.text import fold, nfc
from schema.records import AgencyRow
from schema.vntext import HeadUse, agency_heads, letters_for_digits

_GAZETTEER = Path(__file__).with_name("data") / "agencies.tsv"
_MAX_SPAN = 6
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_PAREN = re.compile(r"\([^)]*\)?")
_OCR_AMP = re.compile(r"(?<=\b[A-Za-z])[&@¢](?=\s)|(?<=\bS[a-z])[&@¢](?=\s)")
_MIXED = re.compile(r"\b(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]+\b")
"""OCR reads "ở" in "Sở" as "&" or "@" ("S& Noi vu"); elsewhere "&" means "và" ("HĐND&UBND")."""
_HEAD_SPLIT = re.compile(r"\s(?=(?:" + "|".join(agency_heads(HeadUse.SPLIT, printed=True)) + r")\s)")

HEAD_WORDS = agency_heads()
_HEAD = re.compile(r"^(?:" + "|".join(sorted((h.replace(" ", r"\s") for h in HEAD_WORDS), key=len, reverse=True)) + r")\b")
_AND_HEAD = re.compile(
    r"\s+(?:và|va|vả|vá)\s+(?=(?:c\S{1,2}c|s\S?[&@¢]|sớ|"
    + "|".join(sorted({f for h in agency_heads(HeadUse.AFTER_AND, printed=True) for f in (h.lower(), fold(h))}))
    + r")\b)",
    re.IGNORECASE,
)


def key(text: str) -> str:
    """Folded, punctuation-free form used for all agency matching ("&" reads as "và")."""
    text = _OCR_AMP.sub("o", text)
    folded = fold(text.replace("&", " và ").replace("@", "o").replace("¢", "o"))
    folded = _MIXED.sub(lambda m: letters_for_digits(m.group(0)), folded)
    return _NON_ALNUM.sub(" ", folded).strip()


def slug(name: str) -> str:
    """Stable agency_id: the folded canonical name with dashes ("so-noi-vu")."""
    return key(name).replace(" ", "-")


@dataclass(frozen=True)
class GazetteerEntry:
    canonical: str
    level: str


@dataclass
class Gazetteer:
    """Alias key → entry, plus the key list rapidfuzz searches."""

    by_key: dict[str, GazetteerEntry]
    keys: list[str] = field(default_factory=list)
    by_compact: dict[str, GazetteerEntry] = field(default_factory=dict)
    """Keys without spaces: OCR glues the words of short cells ("SởNộivụ")."""

    def lookup(self, text: str, joined: bool = False) -> tuple[GazetteerEntry | None, float]:
        """Best entry for a span and its score (0-100); short keys (abbreviations) must match exactly.

        `joined` spans (several comma pieces) need a closer match, or a name
        would swallow the next agency ("Sở Thông tin và Truyền thông, Tư pháp").
        """
        k = key(text)
        if not k:
            return None, 0.0
        if k in self.by_key:
            return self.by_key[k], 100.0
        compact = k.replace(" ", "")
        if compact in self.by_compact:
            return self.by_compact[compact], 99.0
        if len(k) < 8:
            return None, 0.0
        cutoff = 82.0 if joined else (80.0 if len(k) < 16 else 84.0)
        hit = process.extractOne(k, self.keys, scorer=fuzz.ratio, score_cutoff=cutoff)
        if hit is None:
            return None, 0.0
        return self.by_key[hit[0]], float(hit[1])


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Load `parsers/data/agencies.tsv` once; each canonical name is also its own alias."""
    by_key: dict[str, GazetteerEntry] = {}
    for raw in _GAZETTEER.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        parts = raw.split("\t")
        canonical, level = nfc(parts[0].strip()), parts[1].strip()
        entry = GazetteerEntry(canonical, level)
        aliases = [canonical] + [a.strip() for a in (parts[2].split("|") if len(parts) > 2 else [])]
        for alias in aliases:
            k = key(alias)
            if k and k not in by_key:
                by_key[k] = entry
    compact: dict[str, GazetteerEntry] = {}
    for k, entry in by_key.items():
        compact.setdefault(k.replace(" ", ""), entry)
    return Gazetteer(by_key=by_key, keys=list(by_key), by_compact=compact)


@dataclass(frozen=True)
class Mention:
    """One agency named in a cell: canonical name and the text as printed."""

    canonical: str
    printed: str
    known: bool


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+(?:và|va)$", "", text.strip(" -–+.,;:*•"))
    return text.strip(" -–+.,;:*•")


_LINKS = frozenset({"tại", "thuộc", "của", "trên", "ở", "với", "về", "cho", "đến", "theo", "trực", "cấp", "giữa"})
"""Words after which an agency head names the place or owner in a description ("… giải quyết tại Trung tâm
Phục vụ hành chính công", "… thuộc UBND"), not a new agency."""
_OPENERS = ("các ", "những ", "và ")


def _split_heads(part: str) -> str:
    """A comma before every agency head inside the piece, except after a linking word (`_LINKS`)."""
    def cut(m: re.Match[str]) -> str:
        before = part[: m.start()].split()
        return " " if before and before[-1].lower() in _LINKS else ", "
    return _HEAD_SPLIT.sub(cut, part)


def _generic(atom: str) -> bool:
    """A collective phrase without a proper name ("Các cơ quan", "Cơ quan chuyên môn", "Sở"): every word after
    the first is in lower case, so a comma after it goes on listing kinds of body, not naming a new one."""
    words = atom.split()
    return bool(words) and all(w[:1].islower() for w in words[1:]) and not any(ch.isdigit() for ch in atom)


def _join_descriptions(atoms: list[str]) -> list[str]:
    """Atoms of one description back together: "Các cơ quan, đơn vị có TTHC …" is one agency. A piece in lower
    case that does not open a new group ("các sở", "và …") goes on the generic phrase before it."""
    out: list[str] = []
    for atom in atoms:
        if out and atom[:1].islower() and not atom.lower().startswith(_OPENERS) and _generic(out[-1]) \
                and _describes(atom):
            out[-1] = f"{out[-1]}, {atom}"
        else:
            out.append(atom)
    return out


def _describes(atom: str) -> bool:
    """A lower-case piece that says which bodies (it has a verb or place after the kind: "đơn vị có TTHC …",
    "địa phương có liên quan"), long enough not to be a bare kind the gazetteer joins itself."""
    return len(atom.split()) >= 4


def _atoms(text: str) -> list[list[str]]:
    """Cell text → groups (split on ; and newlines) of comma-separated atoms."""
    text = _PAREN.sub(" ", nfc(text))
    groups: list[list[str]] = []
    for part in re.split(r"[;+]", text):
        if not part or not part.strip():
            continue
        part = re.sub(r"\s+", " ", part)
        part = _split_heads(_AND_HEAD.sub(", ", part))
        atoms = [_clean(a) for a in part.split(",")]
        atoms = _join_descriptions([a for a in atoms if a])
        if atoms:
            groups.append(atoms)
    return groups


def _stands_alone(atom: str, prev_head: str) -> bool:
    """Whether a piece is an agency by itself (so a loosely matching joined span must not swallow it)."""
    gaz = gazetteer()
    if gaz.lookup(atom)[0] is not None:
        return True
    return any(gaz.lookup(f"{head} {atom}")[0] is not None for head in {prev_head or "Sở", "Sở"})


def _has_head(text: str) -> bool:
    return bool(_HEAD.match(key(text)))


def has_agency_head(text: str) -> bool:
    """Whether a piece of text starts like an agency's name ("Sở …", "Ban …", "Trung tâm …")."""
    return _has_head(text)


_GLUED_HEAD = re.compile(r"(?<=[a-zà-ỹđ])(?=(?:UBND|Sở|Phòng|Văn phòng|Trung tâm|Công an|Ban|Cục|Đài)(?:\s|$))")
"""Two names glued where OCR lost the separator at a wrapped line ("ban ngànhUBND cấp huyện")."""


def split_agencies(text: str | None, keep_unknown: bool = True) -> list[Mention]:
    """All agencies named in a cell, in order, deduplicated by canonical name.

    `keep_unknown=False` returns gazetteer hits only — used on scrambled OCR
    text where an unmatched piece is more likely task wording than an agency.
    """
    if not text or not text.strip():
        return []
    text = _GLUED_HEAD.sub("; ", text)
    gaz = gazetteer()
    out: list[Mention] = []
    for atoms in _atoms(text):
        i = 0
        prev_head = ""
        while i < len(atoms):
            found: tuple[int, GazetteerEntry, str] | None = None
            if prev_head and not _has_head(atoms[i]):
                entry, _score = gaz.lookup(f"{prev_head} {atoms[i]}")
                if entry is not None:
                    found = (i + 1, entry, atoms[i])
            for j in range(min(len(atoms), i + _MAX_SPAN), i, -1) if found is None else ():
                span = ", ".join(atoms[i:j])
                entry, score = gaz.lookup(span, joined=j - i > 1)
                if entry is not None and j - i > 1 and score < 90 and _stands_alone(atoms[j - 1], prev_head):
                    entry = None
                if entry is not None:
                    found = (j, entry, span)
                    break
            if found is not None:
                j, entry, span = found
                out.append(Mention(entry.canonical, span, True))
                prev_head = entry.canonical.split()[0] if entry.canonical.split()[0] in ("Sở", "Phòng") else ""
                i = j
                continue
            atom = atoms[i]
            if keep_unknown and _has_head(atom) and key(atom) not in HEAD_WORDS and 6 <= len(atom) <= 90:
                out.append(Mention(_clean(atom), atom, False))
            i += 1
    seen: set[str] = set()
    unique: list[Mention] = []
    for m in out:
        if m.canonical not in seen:
            seen.add(m.canonical)
            unique.append(m)
    return unique


def canonical_agency(name: str) -> str:
    """Canonical form of one agency name (itself, cleaned, when the gazetteer does not know it).

    Exposed for scorers: comparing canonical forms makes "UBND các huyện" and
    "UBND cấp huyện" the same agency, as the contract asks.
    """
    mentions = split_agencies(name)
    return mentions[0].canonical if len(mentions) == 1 else _clean(nfc(name))


class AgencyRegistry:
    """Collects the agencies a plan names, with every spelling seen, for the `agencies` table."""

    def __init__(self) -> None:
        self._aliases: dict[str, set[str]] = {}

    def add(self, mention: Mention) -> str:
        """Record a mention; returns its agency_id."""
        spellings = self._aliases.setdefault(mention.canonical, set())
        if mention.printed and mention.printed != mention.canonical:
            spellings.add(mention.printed)
        return slug(mention.canonical)

    def rows(self) -> list[AgencyRow]:
        return [
            AgencyRow(agency_id=slug(name), canonical_name=name, aliases=sorted(spellings))
            for name, spellings in sorted(self._aliases.items())
        ]


def complete_cut_name(cell: str, next_cell: str) -> tuple[str, str] | None:
    """A cell that ends in a bare agency head ("…; Văn phòng"), cut by a page break, and the
    cell of the same column in the row after the break: the piece of that cell which completes
    the head to a known name ("UBND tỉnh (trên Cổng TTĐT tỉnh)" → "Văn phòng UBND tỉnh") is
    moved back. Returns the two cells, or None when nothing completes the name."""
    pieces = [p for p in re.split(r"[;,]", cell)]
    tail = _clean(pieces[-1]) if pieces else ""
    if not tail or key(tail) not in HEAD_WORDS:
        return None
    by_key = gazetteer().by_key
    for part in _HEAD_SPLIT.sub("\n", nfc(next_cell)).split("\n"):
        piece = _clean(_PAREN.sub(" ", part))
        if piece and key(piece) != key(tail) and key(f"{tail} {piece}") in by_key:
            rest = nfc(next_cell).replace(part.strip(), " ", 1)
            return f"{cell.rstrip()} {piece}", _clean(rest)
    return None
