"""Loaded once by the worker fork server, so every pool worker starts with the stages ready.

Importing the stages (OpenCV, pdfplumber, pydantic models) and loading their
lazy data (the diacritics language model, the gazetteers, tesseract's language
list) costs seconds per process. Doing it once in the fork server and forking
workers from it makes a worker's start-up instant, and the loaded data is
shared copy-on-write between workers instead of held once per worker.

The fork server also ties its life to the orchestrator that started it (`PR_SET_PDEATHSIG`):
its workers die with it in turn, so a `kill -9` of the orchestrator leaves no process behind.
"""

from __future__ import annotations

import logging
import os

from pipeline.workers import PARENT_ENV, die_with_parent

if os.environ.get(PARENT_ENV) == str(os.getppid()):  # loaded by the fork server the orchestrator started
    die_with_parent(os.getppid())

import diacritics
import ocr  # noqa: F401 - imported for its side effect: loaded before workers fork
import parsers
import pipeline.process  # noqa: F401
from schema.document import Page

_SAMPLE = (
    "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI\nSố: 1/KH-UBND\nQuảng Ngãi, ngày 2 tháng 1 năm 2024\nKẾ HOẠCH\n"
    "Cải cách hành chính năm 2024\nI. MỤC TIÊU\n- 100% thu tuc hanh chinh duoc cong khai\n"
)


def warm_up() -> None:
    """Touch every lazily loaded resource once; a failure here only costs the warm start."""
    try:
        from ocr._exec.tesseract import available_languages
        from ocr.engines import default_backend, load_plugins

        available_languages()
        default_backend()
        load_plugins()  # in-process or CLI, decided here once; the API itself is built per worker
        text = diacritics.restore(_SAMPLE)
        parsers.parse_plan([Page(page_no=1, method="text", text=text)], "warmup")
    except Exception as exc:  # warm-up is an optimisation, never a reason to fail
        logging.getLogger(__name__).debug("warm-up incomplete: %s", exc)


warm_up()
