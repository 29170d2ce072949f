"""Orchestration only: find inputs, run the stages, store results. No extraction logic lives here.

Library API (the CLI is a thin layer over it):
- `pipeline.ingest.ingest(paths, db_path, out_dir, workers=None, force=False, executor="process", progress=None,
  lock_wait=10.0) -> IngestSummary`
- `pipeline.process.process_file(path) -> ParsedPlan | Failure` (one document through every stage, no I/O to the DB)
"""
