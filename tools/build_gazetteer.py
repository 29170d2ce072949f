"""Build `gazetteer.tsv.gz`: Vietnamese administrative units with diacritics, before and after July 2025.

Run when the source data changes (`make gazetteer`; needs PyPI through pip):
    python -m tools.build_gazetteer [--out FILE]

The output is byte-reproducible: sorted rows, gzip without a timestamp or file name.

Why two snapshots: plans keep the name and level the issuer had when the plan
was signed. A 2023 plan of "thành phố Từ Sơn" is a district-level city, a
2025 plan of "xã Bình Tân" is a commune of the merged Đồng Nai. The
`vietnam-provinces` package publishes the pre-reform three-level tree in its
0.6.x releases and the post-reform two-level tree from 2025.8 on, so both are
read from the package wheels and flattened into one compact table:

    era  level  kind  name  province

era: `old` (63 provinces / districts / communes) or `new` (34 provinces / communes);
level: `tinh`, `huyen`, `xa`; kind: the unit word as printed (tỉnh, thành phố,
huyện, quận, thị xã, xã, phường, thị trấn, đặc khu); name without that word.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from tools.reproducible import write_gzip_lines

OUT = Path(__file__).resolve().parents[1] / "parsers" / "data" / "gazetteer.tsv.gz"
OLD, NEW = "0.6.0", "2025.10.1"
KINDS = ("thành phố", "thị xã", "thị trấn", "đặc khu", "tỉnh", "huyện", "quận", "phường", "xã")


def split_kind(full: str) -> tuple[str, str]:
    """'Thành phố Từ Sơn' -> ('thành phố', 'Từ Sơn'); names without a unit word keep kind ''."""
    low = full.lower()
    for kind in KINDS:
        if low.startswith(kind + " "):
            return kind, full[len(kind) + 1 :].strip()
    return "", full.strip()


def load(version: str, tmp: Path) -> list[dict]:
    dest = tmp / version
    subprocess.run(
        [sys.executable, "-m", "pip", "download", f"vietnam-provinces=={version}", "--no-deps", "-q", "-d", str(dest)],
        check=True,
    )
    wheel = next(dest.glob("*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        return json.loads(zf.read("vietnam_provinces/data/nested-divisions.json"))


Row = tuple[str, str, str, str, str]


def _units(era: str, level: str, units: list[dict], province: str) -> list[Row]:
    """Rows of one level's units (communes of a district, or of a post-2025 province)."""
    return [(era, level, kind, name, province) for kind, name in (split_kind(u["name"]) for u in units)]


def rows() -> list[Row]:
    out: list[Row] = []
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        for prov in load(OLD, tmp):
            pk, pname = split_kind(prov["name"])
            out.append(("old", "tinh", pk or "tỉnh", pname, pname))
            for dist in prov["districts"]:
                out += _units("old", "huyen", [dist], pname)
                out += _units("old", "xa", dist["wards"], pname)
        for prov in load(NEW, tmp):
            pk, pname = split_kind(prov["name"])
            out.append(("new", "tinh", pk or "tỉnh", pname, pname))
            out += _units("new", "xa", prov["wards"], pname)
    return sorted(set(out))


def write(data: list[Row], out: Path) -> None:
    """One tab-separated line per unit; gzip without a timestamp or file name, so rebuilds are byte-identical."""
    write_gzip_lines(out, ("\t".join(row) for row in data))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    data = rows()
    write(data, args.out)
    print(f"{args.out}: {len(data)} units")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
