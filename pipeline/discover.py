"""Which files an ingest run covers.

Nothing is dropped silently: an entry that looks like an input by its name
but cannot be one (a broken symbolic link, a directory called `x.pdf`, a
socket) is reported as a problem rather than skipped.
"""

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
                if f.suffix.lower() not in SUPPORTED_SUFFIXES or f.name.startswith("."):
                    continue
                if f.is_file():
                    found.append(str(f))
                else:
                    problems.append((str(f), not_a_file_reason(f)))
        elif p.is_file():
            if p.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(str(p))
            else:
                problems.append((raw, f"unsupported file type '{p.suffix or '(none)'}' (expected .pdf or .txt)"))
        elif p.is_symlink():
            problems.append((raw, not_a_file_reason(p)))
        else:
            problems.append((raw, "no such file or directory"))
    seen: set[str] = set()
    unique = [f for f in found if not (f in seen or seen.add(f))]
    return unique, problems


def not_a_file_reason(p: Path) -> str:
    """Why a path with an input's name cannot be read as one."""
    if p.is_symlink() and not p.exists():
        return f"cannot read file: broken symbolic link (points to {p.readlink()})"
    if p.is_dir():
        return "cannot read file: is a directory, not a file"
    return "cannot read file: not a regular file"
