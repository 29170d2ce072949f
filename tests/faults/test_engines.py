"""The engine registry: engines by name, plugins registering theirs, a clear error otherwise."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from ocr import engines
from schema.errors import SetupError


def test_engines_by_name_and_unknown_name():
    assert {"tesseract", "tesseract-cli", "trueocr"} <= set(engines.engine_names())
    assert engines.get_engine("tesseract") is engines.get_engine("tesseract")  # one per process
    with pytest.raises(ValueError, match="unknown OCR engine 'nope'.*available: .*tesseract"):
        engines.get_engine("nope")


def test_plugin_registers_an_engine_and_the_default_follows_the_environment(monkeypatch):
    monkeypatch.setenv(engines.PLUGINS_ENV, "tests.faults.fault_engine")
    monkeypatch.setenv(engines.ENGINE_ENV, "fault")
    assert "fault" in engines.engine_names()
    engine = engines.get_engine()
    assert engine.name == "fault"
    with engines.page_context("x.pdf", 7):
        assert engines.current_page() == engines.PageContext("x.pdf", 7)
        words = engine.words(np.full((60, 200), 255, np.uint8), psm=6)
    assert words == [] and engines.current_page() is None


def test_plugin_that_does_not_import_is_a_setup_error(monkeypatch):
    monkeypatch.setenv(engines.PLUGINS_ENV, "no_such_module_for_cchc")
    with pytest.raises(SetupError, match="no_such_module_for_cchc"):
        engines.get_engine("tesseract")


def test_trueocr_missing_is_a_setup_error_naming_the_install(monkeypatch):
    """The package is a test dependency (tests/faults/test_trueocr.py reads real pages with it);
    without it, asking for the engine is one setup line."""
    monkeypatch.setitem(sys.modules, "trueocr", None)  # as if not installed: its import fails
    monkeypatch.setattr(engines, "_INSTANCES", {})
    with pytest.raises(SetupError, match="pip install trueocr"):
        engines.get_engine("trueocr")
