"""Reading order from positioned words: lines, two-column zones, running headers.

Works on plain `Token`s so OCR words (pixels) and text-layer words (points) share
one implementation. Vietnamese official documents open with a two-column header
(issuing body | national motto, number | place and date) and close with a
two-column signature block; a reader going line by line across the page mixes
the two sides, so such zones are read left block first, then right block.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from schema.document import Line, Word


@dataclass
class Token:
    """A positioned word. `group` is the recogniser's own line id, when it has one."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    conf: float | None = None
    group: tuple[int, ...] | None = None


@dataclass
class Segment:
    """A run of words on one printed line with no wide gap inside."""

    tokens: list[Token] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return min(t.x0 for t in self.tokens)

    @property
    def x1(self) -> float:
        return max(t.x1 for t in self.tokens)

    @property
    def y0(self) -> float:
        return min(t.y0 for t in self.tokens)

    @property
    def y1(self) -> float:
        return max(t.y1 for t in self.tokens)

    @property
    def height(self) -> float:
        return statistics.median(t.y1 - t.y0 for t in self.tokens)

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


def _group_into_lines(tokens: list[Token]) -> list[list[Token]]:
    """Recogniser line ids when present; otherwise words whose vertical centres overlap."""
    if tokens and all(t.group is not None for t in tokens):
        groups: dict[tuple[int, ...], list[Token]] = {}
        for t in tokens:
            groups.setdefault(t.group, []).append(t)  # type: ignore[arg-type]
        return [sorted(g, key=lambda t: t.x0) for g in groups.values()]
    lines: list[list[Token]] = []
    for t in sorted(tokens, key=lambda t: ((t.y0 + t.y1) / 2, t.x0)):
        mid = (t.y0 + t.y1) / 2
        for line in lines:
            ref = line[-1]
            if ref.y0 <= mid <= ref.y1 and abs((ref.y1 - ref.y0) - (t.y1 - t.y0)) < 0.6 * (ref.y1 - ref.y0 + 1):
                line.append(t)
                break
        else:
            lines.append([t])
    return [sorted(g, key=lambda t: t.x0) for g in lines]


def split_segments(tokens: list[Token], gap_factor: float = 2.5) -> list[Segment]:
    """Lines cut wherever the gap between words exceeds `gap_factor` line heights."""
    segments: list[Segment] = []
    for line in _group_into_lines(tokens):
        height = statistics.median(t.y1 - t.y0 for t in line) or 1.0
        current = Segment([line[0]])
        for prev, tok in zip(line, line[1:], strict=False):
            if tok.x0 - prev.x1 > gap_factor * height:
                segments.append(current)
                current = Segment([])
            current.tokens.append(tok)
        segments.append(current)
    return segments


def group_rows(segments: list[Segment]) -> list[list[Segment]]:
    """Segments sharing a vertical band, top to bottom, each row left to right."""
    rows: list[list[Segment]] = []
    for seg in sorted(segments, key=lambda s: s.y0):
        mid = (seg.y0 + seg.y1) / 2
        if rows and any(o.y0 <= mid <= o.y1 or seg.y0 <= (o.y0 + o.y1) / 2 <= seg.y1 for o in rows[-1]):
            rows[-1].append(seg)
        else:
            rows.append([seg])
    return [sorted(r, key=lambda s: s.x0) for r in rows]


def reading_order(segments: list[Segment]) -> list[tuple[int, Segment]]:
    """(block number, segment) in reading order; two-column zones read left then right.

    Every step consumes at least one row (a row whose own segments straddle the
    split is read as a plain row), so the walk ends after at most len(rows) steps.
    """
    rows = group_rows(segments)
    splits = [
        (left.x1 + right.x0) / 2
        for row in rows
        if len(row) >= 2
        for left, right in zip(row, row[1:], strict=False)
        if right.x0 - left.x1 > 0
    ]
    out: list[tuple[int, Segment]] = []
    block = 0
    i = 0
    for _ in range(len(rows)):  # bounded: each step consumes >= 1 row
        if i >= len(rows):
            break
        split = _row_split(rows[i], splits)
        j = _zone_end(rows, i, split) if split is not None else i
        if split is None or j == i:
            out += [(block, seg) for seg in rows[i]]
            i += 1
            continue
        zone = [s for r in rows[i:j] for s in r]
        block += 1
        out += [(block, seg) for seg in sorted((s for s in zone if s.x1 < split), key=lambda s: s.y0)]
        block += 1
        out += [(block, seg) for seg in sorted((s for s in zone if s.x0 > split), key=lambda s: s.y0)]
        block += 1
        i = j
    return out


def _zone_end(rows: list[list[Segment]], i: int, split: float) -> int:
    """End (exclusive) of the two-column zone from row `i`: rows whose segments all stay on one side of `split`.

    Returns `i` when row `i` itself has a segment straddling the split.
    """
    j = i
    while j < len(rows) and all(s.x1 < split or s.x0 > split for s in rows[j]):
        j += 1
    return j


def _row_split(row: list[Segment], splits: list[float]) -> float | None:
    """The column split this row sits on, if it has segments on both sides of one."""
    if len(row) < 2:
        return None
    for left, right in zip(row, row[1:], strict=False):
        gap_mid = (left.x1 + right.x0) / 2
        if right.x0 > left.x1:
            near = [s for s in splits if left.x1 < s < right.x0]
            return statistics.median(near) if near else gap_mid
    return None


def to_line(block: int, seg: Segment) -> Line:
    words = [
        Word(text=t.text, bbox=(t.x0, t.y0, t.x1, t.y1), confidence=t.conf) for t in seg.tokens
    ]
    confs = [t.conf for t in seg.tokens if t.conf is not None]
    return Line(
        text=seg.text,
        bbox=(seg.x0, seg.y0, seg.x1, seg.y1),
        confidence=round(sum(confs) / len(confs), 2) if confs else None,
        words=words,
        block=block,
    )


_PAGE_NUMBER = re.compile(r"^[\s\-–—.(]*(?:trang|page)?\s*\d{1,4}(?:\s*/\s*\d{1,4})?[\s\-–—.)]*$", re.IGNORECASE)


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def _without_digits(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def set_aside_running_text(
    lines: list[Line], page_height: float, previous_first_line: str | None, margin: float = 0.08
) -> tuple[list[Line], str | None]:
    """Remove page numbers and repeated running headers at the top/bottom margins.

    A line counts as a running header when it is a bare page number, or when it
    repeats the previous page's first line (digits ignored) and is short.
    """
    aside: list[str] = []
    kept = list(lines)
    while kept and kept[0].bbox and kept[0].bbox[3] < margin * page_height:
        first = kept[0].text
        repeated = (
            previous_first_line is not None
            and len(first) < 80
            and fuzz.ratio(_without_digits(first), _without_digits(previous_first_line)) > 90
        )
        if is_page_number(first) or repeated:
            aside.append(kept.pop(0).text)
        else:
            break
    while kept and kept[-1].bbox and kept[-1].bbox[1] > (1 - margin) * page_height and is_page_number(kept[-1].text):
        aside.append(kept.pop().text)
    return kept, ("\n".join(aside) if aside else None)
