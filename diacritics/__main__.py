"""Command line: `python -m diacritics restore [FILE]` — restored text on stdout, line for line.

Exit codes as every CLI of the project (`schema.errors`): 0 ok, 1 unreadable input, 2 bad usage.
"""

from __future__ import annotations

import argparse
import logging
import sys

from schema.cli import add_common_options, common_parent, run, setup_logging
from schema.errors import EXIT_FAILED, EXIT_OK, one_line

log = logging.getLogger("diacritics")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m diacritics", description="Vietnamese diacritic restoration")
    add_common_options(ap)
    sub = ap.add_subparsers(dest="command", required=True)
    rp = sub.add_parser("restore", parents=[common_parent()],
                        help="restore FILE (or stdin) to stdout, same number of lines")
    rp.add_argument("file", nargs="?", help="UTF-8 text file; stdin when omitted")
    args = ap.parse_args(argv)
    setup_logging(args)
    return run(lambda: _restore(args))


def _restore(args: argparse.Namespace) -> int:
    from diacritics.restore import restore

    if args.file:
        try:
            with open(args.file, encoding="utf-8", newline="") as fh:
                text = fh.read()
        except OSError as exc:
            log.error("%s: %s", args.file.encode("utf-8", "backslashreplace").decode(), exc.strerror or exc)
            return EXIT_FAILED
        except UnicodeDecodeError as exc:
            log.error("%s: not UTF-8 text (%s)", args.file, one_line(str(exc)))
            return EXIT_FAILED
    else:
        text = sys.stdin.read()
    sys.stdout.write(restore(text))
    sys.stdout.flush()
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
