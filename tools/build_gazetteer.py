"""Build `gazetteer.tsv.gz`: Vietnamese administrative units with diacritics, before and after July 2025.

Run by hand when the source data changes (needs network to PyPI):
    python tools/build_gazetteer.py

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

import gzip
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

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


def rows() -> list[tuple[str, str, str, str, str]]:
    out: list[tuple[str, str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        for prov in load(OLD, tmp):
            pk, pname = split_kind(prov["name"])
            out.append(("old", "tinh", pk or "tỉnh", pname, pname))
            for dist in prov["districts"]:
                dk, dname = split_kind(dist["name"])
                out.append(("old", "huyen", dk, dname, pname))
                for ward in dist["wards"]:
                    wk, wname = split_kind(ward["name"])
                    out.append(("old", "xa", wk, wname, pname))
        for prov in load(NEW, tmp):
            pk, pname = split_kind(prov["name"])
            out.append(("new", "tinh", pk or "tỉnh", pname, pname))
            for ward in prov["wards"]:
                wk, wname = split_kind(ward["name"])
                out.append(("new", "xa", wk, wname, pname))
    return sorted(set(out))


def main() -> None:
    data = rows()
    with gzip.open(OUT, "wt", encoding="utf-8") as fh:
        for row in data:
            fh.write("\t".join(row) + "\n")
    print(f"{OUT}: {len(data)} units")


if __name__ == "__main__":
    main()
