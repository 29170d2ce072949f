"""The shipped data files rebuild byte-identically from their sources (`make model-pairs`)."""

from __future__ import annotations

import gzip

from tools import build_pair_lexicon
from tools.reproducible import write_gzip_lines


def test_pair_lexicon_rebuilds_byte_identical(tmp_path):
    out = tmp_path / "pairs.tsv.gz"
    assert build_pair_lexicon.main(["--out", str(out)]) == 0
    assert out.read_bytes() == build_pair_lexicon.OUT.read_bytes()


def test_gzip_output_carries_no_time_or_name(tmp_path):
    a, b = tmp_path / "a.gz", tmp_path / "sub_b.gz"
    write_gzip_lines(a, ["xã\t1", "phường\t2"])
    write_gzip_lines(b, ["xã\t1", "phường\t2"])
    assert a.read_bytes() == b.read_bytes()
    assert gzip.decompress(a.read_bytes()).decode("utf-8") == "xã\t1\nphường\t2\n"
