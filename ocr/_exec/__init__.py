"""Thin wrappers around external programs, one module per program (as OCRmyPDF's `_exec`).

Keeping every subprocess call in one place means the rest of `ocr/` deals in numpy
images and plain records, and a missing or broken binary fails in exactly one spot
with one clear message.
"""
