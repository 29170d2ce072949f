"""Parquet export of every contract table, for data-lake use."""

from __future__ import annotations

from pathlib import Path

from schema.records import TABLES
from schema.store import Store


def export_parquet(db_path: str | Path, out_dir: str | Path) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with Store(db_path, read_only=True) as store:
        for name in TABLES:
            target = out / f"{name}.parquet"
            store.con.execute(f"COPY {name} TO '{target.as_posix()}' (FORMAT parquet)")
            written.append(target)
    return written
