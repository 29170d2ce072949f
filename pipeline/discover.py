"""Which files an ingest run covers."""

from __future__ import annotations

from pathlib import Path

SUPPORTED_SUFFIXES = (".pdf", ".txt")


def discover(paths: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Expand folders recursively into supported files, in a stable order.

    Returns (inputs, problems): a path named on the command line that does not
    exist is a problem to report, not a reason to stop the whole run.
    """
    found: list[str] = []
    problems: list[tuple[str, str]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES and not f.name.startswith("."):
                    found.append(str(f))
        elif p.is_file():
            if p.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(str(p))
            else:
                problems.append((raw, f"unsupported file type '{p.suffix or '(none)'}' (expected .pdf or .txt)"))
        else:
            problems.append((raw, "no such file or directory"))
    seen: set[str] = set()
    unique = [f for f in found if not (f in seen or seen.add(f))]
    return unique, problems
