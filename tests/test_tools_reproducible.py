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


def test_mark_model_arrays_round_trip_byte_identically(tmp_path):
    """The builder's npz writer: the shipped classifier's arrays written twice give the same bytes,
    and `MarkModel.load` reads back the same trees."""
    from ocr import mark_check
    from tools.reproducible import write_npz

    model = mark_check.MarkModel.load(mark_check.MODEL)
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    write_npz(a, model.arrays())
    write_npz(b, model.arrays())
    assert a.read_bytes() == b.read_bytes() == mark_check.MODEL.read_bytes()  # the shipped file is what the builder writes
    again = mark_check.MarkModel.load(a)
    for name, array in model.arrays().items():
        assert (again.arrays()[name] == array).all(), name
