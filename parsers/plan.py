"""PLACEHOLDER until issue 5 lands."""

from schema.document import Page
from schema.records import Extraction

PARSER_VERSION = "0.0.1"


def parse_plan(pages: list[Page], plan_id: str) -> Extraction:
    return Extraction()
