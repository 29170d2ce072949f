"""The cases of `make bench-parse` and its fixed dev / held-out split (issue 16).

A case is a content (tools.pdfgen.variety.CONTENTS) printed with one `Variation`. The split was
fixed before any parser was tuned on these documents and must not change: tune only on `DEV`;
`HELD_OUT` holds combinations of variation and content that never appear in `DEV` (every
variation value is seen in dev, but with other contents and other partners), and its scores are
what the done-when of issue 16 is judged on. Adding cases is fine; moving one between the lists
is not.
"""

from __future__ import annotations

from dataclasses import dataclass

from tools.pdfgen.variety import Variation, VarietySpec, build_case


@dataclass(frozen=True)
class Case:
    name: str
    split: str  # dev | held_out
    content: str
    variation: Variation
    serial: int

    def spec(self) -> VarietySpec:
        return build_case(self.name, self.content, self.variation, self.serial)


V = Variation
_DEV = (
    ("dongnai", V("numbered", "ubnd_tinh", 0, "standard", False, "shipped6", True, "a4", 13)),
    ("dongnai", V("with_decision", "ubnd_tinh", 1, "wide", False, "official7", True, "a4", 14)),
    ("commune", V("numbered", "ubnd_xa", 0, "narrow", False, "content6", False, "letter", 13)),
    ("dongnai", V("decision_then_plan", "ubnd_huyen", 0, "standard", True, "merged5", True, "a4", 13)),
    ("commune", V("with_decision", "hdnd", 0, "wide", False, "reordered6", True, "a4", 14)),
    ("dongnai", V("numbered", "bo", 0, "wide", False, "wide8", True, "a4", 13)),
    ("commune", V("numbered", "bcd", 0, "standard", False, "official7", False, "a4", 14)),
    ("seed001", V("numbered", "ubnd_tinh", 2, "standard", False, "official7", True, "a4", 13)),
    ("dongnai", V("decision_then_plan", "bo", 1, "narrow", True, "content6", False, "a4", 14)),
    ("commune", V("decision_then_plan", "ubnd_xa", 1, "standard", False, "shipped6", True, "a4", 13)),
)
_HELD_OUT = (
    ("commune", V("numbered", "ubnd_tinh", 3, "wide", False, "merged5", True, "a4", 13)),
    ("dongnai", V("with_decision", "bcd", 1, "narrow", False, "reordered6", False, "a4", 13)),
    ("dongnai", V("numbered", "hdnd", 1, "standard", False, "content6", True, "a4", 14)),
    ("commune", V("with_decision", "bo", 2, "standard", False, "wide8", True, "letter", 14)),
    ("seed001", V("with_decision", "ubnd_tinh", 4, "wide", False, "content6", True, "a4", 14)),
    ("dongnai", V("decision_then_plan", "ubnd_huyen", 1, "wide", False, "official7", True, "a4", 13)),
    ("commune", V("numbered", "ubnd_xa", 2, "standard", False, "official7", False, "a4", 14)),
    ("dongnai", V("with_decision", "hdnd", 2, "narrow", True, "shipped6", True, "a4", 13)),
)

DEV = tuple(Case(f"dev{i + 1:02d}_{c}_{v.mode}_{v.issuer}", "dev", c, v, i) for i, (c, v) in enumerate(_DEV))
HELD_OUT = tuple(Case(f"ho{i + 1:02d}_{c}_{v.mode}_{v.issuer}", "held_out", c, v, 50 + i)
                 for i, (c, v) in enumerate(_HELD_OUT))
ALL_CASES = DEV + HELD_OUT
