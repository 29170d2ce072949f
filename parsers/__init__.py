"""Parsers: restored `schema.Page` objects in, an `schema.Extraction` out.

Interface used by the pipeline (keep this signature):
- `parse_plan(pages: list[Page], plan_id: str) -> Extraction`
"""

from parsers.plan import PARSER_VERSION, parse_plan

__all__ = ["PARSER_VERSION", "parse_plan"]
