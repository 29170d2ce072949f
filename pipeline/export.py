"""Parquet export of every contract table, for data-lake use.

Reads the published snapshot read-only (so it runs during an ingest), and passes the output
path to DuckDB as a value (relation API), never inside SQL text: any folder name works,
quotes, spaces and Vietnamese letters included. The other copies' rows (schema `copies`, see
`pipeline.snapshot`) go to `copies/<table>.parquet`.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.snapshot import open_snapshot
from schema.records import TABLES
from schema.store import document_tables


def export_parquet(db_path: str | Path, out_dir: str | Path) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with open_snapshot(db_path) as store:
        schemas = {r[0] for r in store.con.execute("SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database()").fetchall()}
        for name in TABLES:
            target = out / f"{name}.parquet"
            store.con.table(name).to_parquet(str(target))
            written.append(target)
        if "copies" in schemas:
            (out / "copies").mkdir(exist_ok=True)
            for name in document_tables():
                target = out / "copies" / f"{name}.parquet"
                store.con.table(f"copies.{name}").to_parquet(str(target))
                written.append(target)
    return written
