"""The table row a task's boxes come from (`parsers.provenance._GridCandidates`) is the one a plain scan
of every row and cell picks: the best cell within a page of the task, the first row on a tie, 70 at least."""

from __future__ import annotations

import random

from rapidfuzz import fuzz

from parsers.provenance import _best_cell, _GridCandidates, _GridRow

WORDS = ["ra soat", "thu tuc", "hanh chinh", "so noi vu", "ubnd", "cap xa", "quy iv", "2024", "cai cach",
         "bao cao", "ket qua", "trien khai", "ke hoach", "so tu phap", "phong", "ab", ""]


def _cell_text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randrange(0, 6))).strip()


def _grid(rng: random.Random) -> list[_GridRow]:
    return [
        _GridRow(page=rng.randrange(1, 8),
                 cells=[(_cell_text(rng), (float(i), 0.0, float(i + 1), 1.0), None) for i in range(rng.randrange(1, 7))])
        for _ in range(rng.randrange(0, 40))
    ]


def _scan_rows(grid: list[_GridRow], content: str, page: int | None) -> _GridRow | None:
    """Every row within a page of the task, the best of its cells of 3+ characters; strictly better wins."""
    best, best_score = None, 0.0
    for row in grid:
        if page is not None and abs(row.page - page) > 1:
            continue
        score = max((fuzz.partial_ratio(content[:120], t) for t, _, _ in row.cells if len(t) >= 3), default=0.0)
        if score > best_score:
            best, best_score = row, score
    return best if best is not None and best_score >= 70 else None


def _scan_cells(text: str, row: _GridRow) -> tuple | None:
    scored = [(fuzz.partial_ratio(text[:120], t) if t else 0.0, t, b, c) for t, b, c in row.cells]
    best = max(scored, key=lambda s: s[0])
    return best if best[0] >= 50 else None


def test_row_and_cell_picked_as_a_scan_of_every_row_picks_them() -> None:
    rng = random.Random(7)
    found = 0
    for _ in range(400):
        grid = _grid(rng)
        candidates = _GridCandidates(grid)
        for _ in range(5):
            content = _cell_text(rng) or "ra soat"
            page = rng.choice([None, *range(1, 9)])
            got = candidates.best_row(content, page)
            assert got is _scan_rows(grid, content, page)
            if got is not None:
                found += 1
                text = _cell_text(rng)
                assert _best_cell(text, got) == _scan_cells(text, got)
    assert found > 100  # the searches did find rows, not only misses
