"""The built diacritics model is cached per machine; the cache must never change what is decoded."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from diacritics import model_cache
from diacritics.model import MODEL_PATH, Model, build_model_object

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CCHC_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("diacritics-model-*.pickle")) if cache.exists() else []


def test_cold_load_writes_the_cache_and_warm_load_gives_the_same_model(cache: Path) -> None:
    built = []

    def build() -> Model:
        built.append(1)
        return build_model_object()

    first = model_cache.cached_build(MODEL_PATH, build, Model)
    assert len(_entries(cache)) == 1
    second = model_cache.cached_build(MODEL_PATH, build, Model)
    assert built == [1], "the second load must come from the cache, not a rebuild"
    assert second is not first
    for name in ("vocab", "unigram", "backoff", "preceding", "following", "tri_backoff", "by_base", "confusion"):
        assert getattr(second, name) == getattr(first, name), name


def test_a_damaged_cache_file_is_rebuilt_not_fatal(cache: Path) -> None:
    model_cache.cached_build(MODEL_PATH, build_model_object, Model)
    (entry,) = _entries(cache)
    entry.write_bytes(b"\x80\x05 truncated")
    model = model_cache.cached_build(MODEL_PATH, build_model_object, Model)
    assert isinstance(model, Model) and model.size > 1000
    with entry.open("rb") as fh:
        assert isinstance(pickle.load(fh), Model), "the damaged entry is replaced by a good one"


def test_a_foreign_object_in_the_cache_is_not_trusted(cache: Path) -> None:
    model_cache.cached_build(MODEL_PATH, build_model_object, Model)
    (entry,) = _entries(cache)
    entry.write_bytes(pickle.dumps({"not": "a model"}))
    assert isinstance(model_cache.cached_build(MODEL_PATH, build_model_object, Model), Model)


def test_the_key_follows_the_model_file(tmp_path: Path) -> None:
    copy = tmp_path / "m.json.gz"
    copy.write_bytes(MODEL_PATH.read_bytes())
    same = model_cache.cache_key(copy)
    assert same == model_cache.cache_key(MODEL_PATH)
    copy.write_bytes(MODEL_PATH.read_bytes() + b"\0")
    assert model_cache.cache_key(copy) != same


def test_an_unwritable_cache_directory_only_costs_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory should be")
    monkeypatch.setenv("CCHC_CACHE_DIR", str(blocker / "cache"))
    assert isinstance(model_cache.cached_build(MODEL_PATH, build_model_object, Model), Model)


def test_restoration_is_identical_with_a_cold_and_a_warm_cache(tmp_path: Path) -> None:
    """Two fresh interpreters, the first building the cache and the second reading it."""
    text = "Ke hoach cai cach hanh chinh nam 2024 cua UBND tinh Dong Nai\nS6 76/NQ-CP"
    env = {**os.environ, "CCHC_CACHE_DIR": str(tmp_path / "c")}
    code = "import sys, diacritics; sys.stdout.write(diacritics.restore(sys.stdin.read()))"
    runs = [
        subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True, env=env, cwd=REPO,
                       check=True).stdout
        for _ in range(2)
    ]
    assert len(_entries(tmp_path / "c")) == 1
    assert runs[0] == runs[1]
    assert runs[0].startswith("Kế hoạch cải cách hành chính năm 2024")
