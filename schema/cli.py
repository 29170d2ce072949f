"""What every command line of the project shares (`python -m pipeline`, `python -m ocr`,
`python -m diacritics`): -v/-q/--version, logging set up once, and the one mapping from an error
to a line and an exit code (`schema.errors`). No traceback reaches a user: an error the project
knows is its one line; anything else is one "internal error" line (the traceback with -v).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from importlib import metadata

from schema.errors import EXIT_FAILED, EXIT_INTERRUPTED, CchcError, exit_code_for, one_line

DIST = "cchc-ingest"


def version() -> str:
    try:
        return metadata.version(DIST)
    except metadata.PackageNotFoundError:
        return "unknown"


def add_common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more detail on stderr (-vv: debug)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors and warnings on stderr")
    parser.add_argument("--version", action="version", version=f"%(prog)s ({DIST}) {version()}")


def common_parent() -> argparse.ArgumentParser:
    """-v/-q for subcommands too (`python -m pipeline ingest -q ...`)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS,
                        help="more detail on stderr (-vv: debug)")
    parent.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="only errors and warnings on stderr")
    return parent


def setup_logging(args: argparse.Namespace) -> None:
    """Lines on stderr as plain messages: INFO by default, WARNING with -q, DEBUG for our code with -vv."""
    verbose, quiet = getattr(args, "verbose", 0) or 0, getattr(args, "quiet", False)
    level = logging.WARNING if quiet else logging.DEBUG if verbose >= 2 else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s" if verbose else "%(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)  # other libraries' chatter stays out
    for name in ("pipeline", "ocr", "diacritics", "parsers", "schema", "cli"):
        logging.getLogger(name).setLevel(level)


def run(main: Callable[[], int]) -> int:
    """Run a CLI body; map every way it can end to an exit code and at most one line."""
    log = logging.getLogger("cli")
    try:
        return main()
    except KeyboardInterrupt:
        log.error("interrupted")
        return EXIT_INTERRUPTED
    except CchcError as exc:
        log.error("error: %s", one_line(str(exc)))
        return exit_code_for(exc)
    except BrokenPipeError:  # `| head`: the reader left; nothing more to say
        return EXIT_FAILED
    except Exception as exc:
        log.debug("traceback", exc_info=True)
        log.error("internal error: %s: %s (run with -vv for the traceback)", type(exc).__name__,
                  one_line(str(exc)))
        return EXIT_FAILED
