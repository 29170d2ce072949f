"""DuckDB DDL derived from the record models, so there is one definition of each table."""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any, Literal

from pydantic import BaseModel

from schema.records import TABLES


def _duck_type(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _duck_type(inner[0])
    if origin is Literal:
        return "VARCHAR"
    if origin is list:
        return f"{_duck_type(args[0])}[]"
    simple = {
        str: "VARCHAR",
        int: "INTEGER",
        float: "DOUBLE",
        bool: "BOOLEAN",
        dt.date: "DATE",
        dt.datetime: "TIMESTAMP",
    }
    if annotation in simple:
        return simple[annotation]
    raise TypeError(f"no DuckDB type for {annotation!r}")


def columns(model: type[BaseModel]) -> list[tuple[str, str]]:
    """(name, DuckDB type) for each field, in declaration order."""
    return [(name, _duck_type(f.annotation)) for name, f in model.model_fields.items()]


def create_table_sql(name: str, model: type[BaseModel]) -> str:
    cols = []
    for field_name, duck in columns(model):
        extra = model.model_fields[field_name].json_schema_extra or {}
        pk = " PRIMARY KEY" if isinstance(extra, dict) and extra.get("primary_key") else ""
        cols.append(f'  "{field_name}" {duck}{pk}')
    return f"CREATE TABLE IF NOT EXISTS {name} (\n" + ",\n".join(cols) + "\n)"


def all_ddl() -> list[str]:
    return [create_table_sql(name, model) for name, model in TABLES.items()]
