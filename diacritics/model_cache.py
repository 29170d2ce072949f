"""A per-machine cache of the built `Model`, so a run starts in ~0.1 s instead of ~1 s.

Building the integer-id view of `vi_model.json.gz` (log-probabilities of 90k pairs and 170k
triples, the base-letter index) is pure-Python work that cost about 1.0 s of CPU per run,
measured, most of an ingest's start-up; unpickling the built object costs about 0.1 s.  The
shipped JSON stays the model of record (reviewable, byte-reproducible by `python -m tools.build_diacritics_model`); the
pickle is only a derived artefact in the user's cache directory, never in the repository.

The key covers everything the built object depends on: the model file's bytes and the source
of the modules that turn it into a `Model` (model.py with its constants, text.py and the
`strip_marks` of `schema/vntext.py`), plus the Python version (pickles of one interpreter are not promised to
another).  Any failure to read or write the cache only costs the build: a read-only home, a
full disk or a truncated file never stops restoration.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Modules whose source decides what a built model holds (relative to the repository's packages).
_BUILD_SOURCES = ("diacritics/model.py", "diacritics/text.py", "schema/vntext.py")


def cache_dir() -> Path:
    """`$CCHC_CACHE_DIR`, else `$XDG_CACHE_HOME/cchc-ingest`, else `~/.cache/cchc-ingest`."""
    explicit = os.environ.get("CCHC_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cchc-ingest"


def cache_key(model_path: Path) -> str:
    """Hash of the model file, the build code and the interpreter version."""
    h = hashlib.sha256()
    h.update(model_path.read_bytes())
    here = Path(__file__).resolve().parent.parent
    for name in _BUILD_SOURCES:
        h.update(name.encode())
        h.update((here / name).read_bytes())
    h.update(sys.version.encode())
    return h.hexdigest()[:24]


def cached_build(model_path: Path, build: Callable[[], T], cls: type[T]) -> T:
    """The object `build()` returns, from the cache when a valid entry exists.

    `cls` guards against a stale or foreign pickle: anything else is rebuilt.
    """
    try:
        target = cache_dir() / f"diacritics-model-{cache_key(model_path)}.pickle"
    except OSError as exc:
        log.debug("model cache unavailable: %s", exc)
        return build()
    try:
        with target.open("rb") as fh:
            obj = pickle.load(fh)
        if isinstance(obj, cls):
            return obj
        log.debug("model cache %s holds %s, rebuilding", target, type(obj).__name__)
    except FileNotFoundError:
        pass
    except Exception as exc:  # a damaged cache file is rebuilt, whatever the damage
        log.debug("model cache %s unreadable (%s), rebuilding", target, exc)
    obj = build()
    _write(target, obj)
    return obj


def _write(target: Path, obj: object) -> None:
    """Atomic write (temp file + rename): concurrent workers never read a half-written pickle."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.debug("model cache not written (%s)", exc)
