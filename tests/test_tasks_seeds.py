"""Task extraction on the seed OCR dumps, scored against the hand-labelled gold.

The scorer follows the contract's matching rule (area and row label, or else
content similarity ≥ 70) so these floors track what `pipeline eval` will
report; floors are what the parser measurably reaches now (see report), set
a little below so OCR-engine noise does not flake them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from ocr import read_pdf, read_text_dump
from parsers.agencies import canonical_agency
from parsers.deadlines import parse_deadline
from parsers.tasks import extract_tasks
from parsers.text import fold
from pipeline.evaluate import match_tasks as evaluate_match_tasks
from schema.records import TaskRow

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "raw" / "seeds"
GENERATED = ROOT / "data" / "raw" / "generated"
GOLD = ROOT / "tests" / "gold"


@dataclass
class TaskScore:
    gold: int
    predicted: int
    matched: int
    lead_ok: int
    lead_total: int
    deadline_ok: int
    deadline_total: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def lead_accuracy(self) -> float:
        return self.lead_ok / self.lead_total if self.lead_total else 0.0

    @property
    def deadline_accuracy(self) -> float:
        return self.deadline_ok / self.deadline_total if self.deadline_total else 0.0


def _similar(a: str, b: str) -> float:
    return fuzz.token_set_ratio(fold(a), fold(b))


def match_tasks(gold: list[dict], pred: list[TaskRow]) -> list[tuple[dict, TaskRow]]:
    """The official evaluator's matching rule (area + row label, else content similarity ≥ 70)."""
    dumped = [p.model_dump() for p in pred]
    index = {id(d): p for d, p in zip(dumped, pred, strict=True)}
    return [(g, index[id(d)]) for g, d in evaluate_match_tasks(gold, dumped)]


def _same_deadline(gold_text: str, pred_text: str | None) -> bool:
    if not pred_text:
        return False
    g, p = parse_deadline(gold_text, 2024), parse_deadline(pred_text, 2024)
    if g.date is not None or g.recurring:
        if g == p:
            return True
    return _similar(gold_text, pred_text) >= 85


def score_tasks(gold_doc: dict, pred: list[TaskRow]) -> TaskScore:
    rows = gold_doc["tasks"]["rows"]
    pairs = match_tasks(rows, pred)
    lead_ok = lead_total = dl_ok = dl_total = 0
    for g, p in pairs:
        if g.get("lead_agencies"):
            lead_total += 1
            lead_ok += {canonical_agency(a) for a in g["lead_agencies"]} == set(p.lead_agencies)
        if g.get("deadline_text"):
            dl_total += 1
            dl_ok += _same_deadline(g["deadline_text"], p.deadline_text)
    return TaskScore(
        gold=gold_doc["tasks"].get("count", len(rows)),
        predicted=len(pred),
        matched=len(pairs),
        lead_ok=lead_ok,
        lead_total=lead_total,
        deadline_ok=dl_ok,
        deadline_total=dl_total,
    )


def run_seed(stem: str) -> TaskScore:
    pages = read_text_dump(SEEDS / f"{stem}.txt")
    result = extract_tasks(pages, "p", [])
    return score_tasks(json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8")), result.tasks)


# Floors measured on the current parser (F1, lead accuracy, deadline accuracy).
# 000 and 003 are OCR of ruled tables without structure (scrambled / interleaved columns);
# these dumps are read here without diacritic restoration (the pipeline restores them first).
FLOORS = {
    "000_8a3462fcf3bb5988": (0.93, 0.82, 0.90),
    "001_0dfc435017dae436": (0.98, 0.98, 0.98),
    "003_9bfe1781afd0dd40": (0.80, 0.78, 0.73),
}


@pytest.mark.parametrize("stem", sorted(FLOORS))
def test_seed_tasks_meet_floor(stem: str) -> None:
    score = run_seed(stem)
    f1, lead, deadline = FLOORS[stem]
    assert score.f1 >= f1, score
    assert score.lead_accuracy >= lead, score
    assert score.deadline_accuracy >= deadline, score


def test_generated_text_layer_pdf_tasks() -> None:
    """Real PDF through the real OCR stage (pdfplumber grid), scored against its gold."""
    pages = list(read_pdf(GENERATED / "gen_dongnai_digital.pdf"))
    result = extract_tasks(pages, "p", [])
    gold = json.loads((GOLD / "gen_dongnai_digital.json").read_text(encoding="utf-8"))
    score = score_tasks(gold, result.tasks)
    assert score.f1 >= 0.95, score
    assert score.lead_accuracy >= 0.9, score
    assert score.deadline_accuracy >= 0.9, score


def _report() -> None:
    """`python -m tests.test_tasks_seeds`: the task table scores on every gold file (scans are OCR'd: slow)."""
    print(f"{'file':34} {'gold':>4} {'pred':>4} {'P':>5} {'R':>5} {'F1':>5} {'lead':>5} {'deadline':>8}")
    for gold_path in sorted(GOLD.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if not gold.get("tasks", {}).get("rows"):
            continue
        stem = gold_path.stem
        if (SEEDS / f"{stem}.txt").exists():
            pages = read_text_dump(SEEDS / f"{stem}.txt")
        elif (GENERATED / f"{stem}.pdf").exists():
            pages = list(read_pdf(GENERATED / f"{stem}.pdf"))
        else:
            continue
        s = score_tasks(gold, extract_tasks(pages, "p", []).tasks)
        print(
            f"{stem:34} {s.gold:4d} {s.predicted:4d} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f} "
            f"{s.lead_accuracy:5.2f} {s.deadline_accuracy:8.2f}"
        )


if __name__ == "__main__":
    _report()
