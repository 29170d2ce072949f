"""Command line: `python -m diacritics restore [FILE]` — restored text on stdout, line for line."""

from __future__ import annotations

import argparse
import sys

from diacritics.restore import restore


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m diacritics", description="Vietnamese diacritic restoration")
    sub = ap.add_subparsers(dest="command", required=True)
    rp = sub.add_parser("restore", help="restore FILE (or stdin) to stdout, same number of lines")
    rp.add_argument("file", nargs="?", help="UTF-8 text file; stdin when omitted")
    args = ap.parse_args(argv)
    if args.file:
        try:
            with open(args.file, encoding="utf-8", newline="") as fh:
                text = fh.read()
        except OSError as exc:
            print(f"{args.file}: {exc.strerror}", file=sys.stderr)
            return 2
    else:
        text = sys.stdin.read()
    sys.stdout.write(restore(text))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
