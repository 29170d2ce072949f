"""Which documents are copies of the same plan, and which copy is the best.

A plan is an administrative act: its issuer, number and date identify it; when the number is
unreadable, its title, issuer and period do. Copies of one act arrive as a text-layer PDF, a
scan, an old OCR dump; each is parsed on its own, so the identity fields of copies agree only
up to OCR damage (a mark lost, a digit misread, a field not found at all). The match here is
therefore lenient where OCR errs and strict where two acts really differ:
- text is compared accent- and case-folded (`schema.vntext.fold`), numbers after mapping the
  letters OCR reads for digits (`schema.vntext.LETTER_AS_DIGIT`) (O -> 0, l -> 1, ...);
- a field missing on one side neither confirms nor refutes;
- one wrong character in a number or date is tolerated only when the rest agrees (title).
Copies are grouped by connected components of the match, so the grouping does not depend on
the order documents were ingested in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from schema.vntext import LETTER_AS_DIGIT, fold

GOOD_SCAN_CONFIDENCE = 80.0
"""Mean OCR word confidence from which a scan counts as good (outranks a text dump)."""

ISSUER_SIMILARITY = 85.0
TITLE_SIMILARITY = 90.0

_DIGIT_LOOKALIKES = str.maketrans(LETTER_AS_DIGIT)


@dataclass(frozen=True)
class Copy:
    """What identifies the plan in one document, and how good a copy the document is."""

    source_sha256: str
    doc_number: str | None = None
    plan_doc_number: str | None = None
    issuer: str | None = None
    locality: str | None = None
    issue_date: dt.date | None = None
    title: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    text_source: str | None = None
    ocr_confidence: float | None = None
    status: str = "ok"
    page_count: int = 0


def number_key(doc_number: str | None) -> tuple[str, str] | None:
    """(digits, folded rest) of a document number: `45/KH-UBND` -> ("45", "kh-ubnd")."""
    if not doc_number:
        return None
    text = fold(doc_number).replace(" ", "")
    head, _, rest = text.partition("/")
    digits = head.translate(_DIGIT_LOOKALIKES)
    if not digits.isdigit():
        return None
    return digits.lstrip("0") or "0", rest


def _one_char_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _similar(a: str | None, b: str | None) -> float:
    return float(fuzz.ratio(fold(a or ""), fold(b or "")))


def _numbers(c: Copy) -> list[tuple[str, str]]:
    keys = [number_key(c.doc_number), number_key(c.plan_doc_number)]
    return [k for k in keys if k]


def _issuer_compatible(a: Copy, b: Copy) -> bool:
    if a.issuer and b.issuer:
        return _similar(a.issuer, b.issuer) >= ISSUER_SIMILARITY
    if a.locality and b.locality:
        return _similar(a.locality, b.locality) >= ISSUER_SIMILARITY
    return True


def _dates(a: Copy, b: Copy) -> str:
    """'same', 'near' (one character apart: an OCR slip), 'unknown' or 'different'."""
    if a.issue_date is None or b.issue_date is None:
        return "unknown"
    if a.issue_date == b.issue_date:
        return "same"
    return "near" if _one_char_apart(a.issue_date.isoformat(), b.issue_date.isoformat()) else "different"


def _periods_agree(a: Copy, b: Copy) -> bool:
    pairs = ((a.period_start, b.period_start), (a.period_end, b.period_end))
    return all(x is None or y is None or x == y for x, y in pairs)


def _titles_agree(a: Copy, b: Copy) -> bool:
    return bool(a.title and b.title) and _similar(a.title, b.title) >= TITLE_SIMILARITY


def same_plan(a: Copy, b: Copy) -> bool:
    """True when two documents are copies of one administrative act (see the module docstring)."""
    if a.status == "failed" or b.status == "failed":  # not a plan: nothing identifies it
        return False
    if not _issuer_compatible(a, b) or not (a.issuer or a.locality) or not (b.issuer or b.locality):
        return False
    dates = _dates(a, b)
    if dates == "different" or not _periods_agree(a, b):
        return False
    na, nb = _numbers(a), _numbers(b)
    if na and nb:
        if any(x == y for x in na for y in nb):
            return True
        # A misread digit: the same act only if everything else agrees.
        near = any(x[1] == y[1] and _one_char_apart(x[0], y[0]) for x in na for y in nb)
        return near and dates == "same" and _titles_agree(a, b)
    # The number is unreadable on one side: title, issuer and a stated period identify the act.
    has_period = (a.period_start or a.period_end) and (b.period_start or b.period_end)
    return bool(has_period) and _titles_agree(a, b)


def group_copies(copies: Sequence[Copy]) -> list[list[Copy]]:
    """Connected components of `same_plan`, each best copy first, groups in a stable order."""
    parent = list(range(len(copies)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Blocking: only documents sharing a number, a period year or an issue year can match.
    blocks: dict[tuple, list[int]] = {}
    for i, c in enumerate(copies):
        keys = {("n", k[0]) for k in _numbers(c)}
        keys |= {("p", y) for y in (c.period_start, c.period_end) if y}
        if c.issue_date:
            keys |= {("y", c.issue_date.year), ("y", c.issue_date.year + 1)}
        for key in keys:
            blocks.setdefault(key, []).append(i)
    checked: set[tuple[int, int]] = set()
    for members in blocks.values():
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                pair = (min(i, j), max(i, j))
                if pair in checked or find(i) == find(j):
                    continue
                checked.add(pair)
                if same_plan(copies[i], copies[j]):
                    parent[find(i)] = find(j)
    groups: dict[int, list[Copy]] = {}
    for i, c in enumerate(copies):
        groups.setdefault(find(i), []).append(c)
    ranked = [sorted(g, key=rank_key, reverse=True) for g in groups.values()]
    return sorted(ranked, key=lambda g: g[0].source_sha256)


def copy_score(c: Copy) -> float:
    """Text layer 3 > mixed 2.5 > good scan 2 > text dump 1 > poor scan 0.5, plus confidence/1000."""
    conf = c.ocr_confidence
    good = conf is None or conf >= GOOD_SCAN_CONFIDENCE
    tier = {"text_layer": 3.0, "mixed": 2.5 if good else 0.75, "ocr": 2.0 if good else 0.5, "text": 1.0}.get(
        c.text_source or "", 0.0
    )
    if conf is None:
        conf = 100.0 if c.text_source == "text_layer" else 0.0
    return round(tier + conf / 1000.0, 5)


_STATUS_RANK = {"ok": 2, "partial": 1, "failed": 0}


def rank_key(c: Copy) -> tuple:
    """Best copy first: by score, then a complete parse, more pages, and the sha as the last word
    (so the choice, and the plan_id it gives, is the same on every run)."""
    return (copy_score(c), _STATUS_RANK.get(c.status, 0), c.page_count, _invert(c.source_sha256))


def _invert(sha: str) -> str:
    """Sort key making the *smaller* sha win under `reverse=True`."""
    return "".join(chr(0x10FFFF - ord(ch)) for ch in sha)

