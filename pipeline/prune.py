"""`python -m pipeline prune --db FILE [PATH...] [--out DIR] [--dry-run]`: forget documents whose files are gone.

Ingest never deletes on its own (a folder that is not mounted right now must not empty the
database); it reports how many documents have lost their file, and this command removes them:
their rows, their history and their error rows, then publishes the snapshot (see
`pipeline.snapshot`). With PATHs, only documents under those files or folders are considered;
with `--out` (the folder given to ingest) their `<document_id>.json` go too.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pipeline.snapshot import file_exists, working_path, writing

log = logging.getLogger("pipeline")


def prune(db: str | Path, paths: list[str] | None = None, dry_run: bool = False,
          lock_wait: float = 10.0, out: str | Path | None = None) -> list[tuple[str, str]]:
    """(source_sha256, source_path) of the documents whose file is gone; removed unless `dry_run`
    (with `out`, their parsed JSON and that of their history at the same paths too)."""
    if not working_path(db).exists() and not Path(db).exists():
        raise FileNotFoundError(f"{db}: no such database")
    with writing(db, wait_seconds=lock_wait) as store:  # publishes only if something was removed
        gone = store.gone_documents(paths, exists=file_exists)
        if not dry_run and gone:
            ids = [r[0] for r in store.con.execute(
                "SELECT document_id FROM documents WHERE list_contains(?, source_path)", [[p for _, p in gone]]
            ).fetchall()]
            store.remove_documents([sha for sha, _ in gone])
            for document_id in ids if out is not None else []:
                (Path(out) / f"{document_id}.json").unlink(missing_ok=True)
    return gone


def main(db: str, paths: list[str], dry_run: bool, lock_wait: float, out: str | None = None) -> int:
    gone = prune(db, paths, dry_run=dry_run, lock_wait=lock_wait, out=out)
    for _, path in gone:
        print(path)
    verb = "would remove" if dry_run else "removed"
    log.info("%s %d document(s) whose file is gone", verb, len(gone))
    return 0
