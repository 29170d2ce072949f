"""The sample-PDF generator: layout, text layer, scanned and mixed twins, gold files, determinism.

Other stages' tests trust these PDFs as ground truth, so what is checked here
is that the truth really is what a reader of the PDF finds.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import pytest
from PIL import Image

from schema.records import AREA_CODES, Header, TargetRow, TaskRow
from tools.pdfgen.make_pdfs import (
    PAGE_QUALITIES,
    TASK_HEADER,
    build_digital_pdf,
    build_table_pdf,
    degrade_image,
    gold_dict,
    main,
    render_pages,
    scan_pdf,
    spec_commune,
    spec_dongnai,
    task_rows,
)
from tools.pdfgen.pdf_document import layout_plan

REPO = Path(__file__).resolve().parent.parent
GEN = REPO / "data" / "raw" / "generated"
GOLD = REPO / "tests" / "gold"
SPECS = {
    "gen_dongnai_digital.pdf": spec_dongnai,
    "gen_dongnai_scan.pdf": spec_dongnai,
    "gen_commune_scan.pdf": spec_commune,
    "gen_mixed.pdf": spec_commune,
}


def _words(text: str) -> Counter[str]:
    return Counter(w for w in text.split() if w != "|")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _page_objects(pdf: Path, bitmaps: bool = False) -> list[list[dict]]:
    """Per page, the page objects as plain dicts (pdfium objects must not outlive their document)."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            objs = []
            for o in page.get_objects():
                info: dict = {"image": isinstance(o, pdfium.PdfImage)}
                if info["image"]:
                    info["filters"] = o.get_filters()
                    info["size"] = o.get_px_size()
                    if bitmaps:
                        info["pil"] = o.get_bitmap().to_pil().copy()
                objs.append(info)
            out.append(objs)
            page.close()
        return out
    finally:
        doc.close()


@pytest.fixture(scope="module")
def digital(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    path = tmp_path_factory.mktemp("gen") / "dongnai.pdf"
    return path, build_digital_pdf(spec_dongnai(), path)


@pytest.fixture(scope="module")
def small_table(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[list[str]]]:
    """Two landscape pages of the Đồng Nai task table (cheap input for scan tests)."""
    rows = task_rows(spec_dongnai())[:12]
    path = tmp_path_factory.mktemp("table") / "table.pdf"
    return path, build_table_pdf(rows, path, list(TASK_HEADER))


# -- digital PDF --------------------------------------------------------------------------------------

def test_digital_text_layer_has_header_fields(digital: tuple[Path, list[str]]) -> None:
    path, _ = digital
    with pdfplumber.open(path) as pdf:
        first = _norm(pdf.pages[0].extract_text())
    for field in ("ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG NAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                  "Độc lập - Tự do - Hạnh phúc", "Số: 300/KH-UBND", "Đồng Nai, ngày 28 tháng 12 năm 2023",
                  "KẾ HOẠCH", "Cải cách hành chính tỉnh Đồng Nai năm 2024"):
        assert field in first, field


def test_text_layer_words_equal_page_truth(digital: tuple[Path, list[str]]) -> None:
    """Every word drawn is in the truth of its page and nothing else is (order aside)."""
    path, truth = digital
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == len(truth)
        for page, expected in zip(pdf.pages, truth, strict=True):
            assert _words(page.extract_text()) == _words(expected), page.page_number


def test_body_portrait_appendix_landscape_with_repeated_header(digital: tuple[Path, list[str]]) -> None:
    path, truth = digital
    with pdfplumber.open(path) as pdf:
        shapes = [p.width > p.height for p in pdf.pages]
        texts = [p.extract_text() for p in pdf.pages]
    assert shapes[0] is False and shapes[-1] is True
    first_landscape = shapes.index(True)
    assert all(shapes[first_landscape:]) and len(shapes) - first_landscape >= 2
    assert "Phụ lục" in texts[first_landscape]
    for text, page_truth in zip(texts[first_landscape:], truth[first_landscape:], strict=True):
        assert "Nội dung nhiệm vụ" in text and "Cơ quan phối hợp" in text
        assert page_truth.splitlines()[1 if "Phụ lục" in page_truth else 0].startswith("TT | Nội dung nhiệm vụ") \
            or "TT | Nội dung nhiệm vụ" in page_truth


def test_body_prints_every_area_heading_and_labelled_target(digital: tuple[Path, list[str]]) -> None:
    _, truth = digital
    body = _norm(" ".join(truth))
    for heading in ("Cải cách thể chế", "Cải cách thủ tục hành chính", "Cải cách tổ chức bộ máy",
                    "Cải cách chế độ công vụ", "Cải cách tài chính công", "chính quyền số", "chỉ đạo, điều hành"):
        assert heading in body, heading
    for target in spec_dongnai().targets():
        assert _norm(target.source_text) in body, target.source_text


@pytest.mark.parametrize("make_spec", [spec_dongnai, spec_commune])
def test_a_task_row_breaks_across_pages(tmp_path: Path, make_spec) -> None:
    """The split row's content ends the ruled table on one page and continues it on the next."""
    path = tmp_path / "plan.pdf"
    _, table = layout_plan(make_spec(), path)
    assert table.split_rows, "no row crosses a page boundary"
    row = table.grid[table.split_rows[0]]
    start = table.pages[table.split_rows[0]]
    with pdfplumber.open(path) as pdf:
        before = pdf.pages[start].extract_tables()[-1]
        after = pdf.pages[start + 1].extract_tables()[0]
    head, tail = before[-1], after[1]
    assert after[0][1] == "Nội dung nhiệm vụ"  # header repeated above the continuation
    assert head[0] == row[0] and not tail[0]  # TT printed once, on the first part
    assert _norm(head[1]) and _norm(tail[1])
    assert _norm(f"{head[1]} {tail[1]}") == row[1]


# -- tables -------------------------------------------------------------------------------------------

def test_build_table_pdf_returns_grid_and_spans_pages(small_table: tuple[Path, list[list[str]]]) -> None:
    path, grid = small_table
    rows = task_rows(spec_dongnai())[:12]
    assert grid[0] == list(TASK_HEADER)
    assert len(grid) == len(rows) + 1 and all(len(r) == len(TASK_HEADER) for r in grid)
    for src, got in zip(rows, grid[1:], strict=True):
        assert got[: len(src)] == [_norm(c) for c in src]
        if len(src) == 2:  # section row: merged slots are empty
            assert got[2:] == [""] * (len(TASK_HEADER) - 2)
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            assert page.width > page.height
            assert "Nội dung nhiệm vụ" in page.extract_text()
            assert len(page.lines) >= len(TASK_HEADER) + 1  # a ruled grid, not loose text


# -- scanned and mixed twins -----------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "dpi"), [("gen_dongnai_scan.pdf", 300), ("gen_commune_scan.pdf", 200)])
def test_scanned_twin_is_one_jpeg_per_page_without_text(name: str, dpi: int) -> None:
    path = GEN / name
    with pdfplumber.open(path) as pdf:
        assert all(not p.chars for p in pdf.pages)
        sizes = [(p.width, p.height) for p in pdf.pages]
    for objs, (w, h) in zip(_page_objects(path), sizes, strict=True):
        assert len(objs) == 1 and objs[0]["image"]
        assert objs[0]["filters"] == ["DCTDecode"]  # the JPEG itself, extractable without decoding
        px_w, px_h = objs[0]["size"]
        assert abs(px_w - w / 72 * dpi) <= 2 and abs(px_h - h / 72 * dpi) <= 2
    assert any(w > h for w, h in sizes) and any(w < h for w, h in sizes)


def test_scanned_twin_matches_digital_page_geometry() -> None:
    with pdfplumber.open(GEN / "gen_dongnai_digital.pdf") as a, pdfplumber.open(GEN / "gen_dongnai_scan.pdf") as b:
        assert [(round(p.width), round(p.height)) for p in a.pages] == \
            [(round(p.width), round(p.height)) for p in b.pages]


def test_commune_scan_has_a_red_seal_on_the_signature_page(tmp_path: Path) -> None:
    red_pages = []
    for i, objs in enumerate(_page_objects(GEN / "gen_commune_scan.pdf", bitmaps=True)):
        img = objs[0]["pil"]
        if img.mode != "RGB":
            continue
        a = np.asarray(img).astype(int)
        red = (a[:, :, 0] > 150) & (a[:, :, 0] - a[:, :, 1] > 70)
        if red.sum() > 2000:
            red_pages.append(i)
    assert len(red_pages) == 1
    truth = [p.truth for p in layout_plan(spec_commune(), tmp_path / "c.pdf")[0]]
    assert "CHỦ TỊCH" in truth[red_pages[0]]


def test_mixed_pdf_has_text_pages_and_scanned_pages() -> None:
    path = GEN / "gen_mixed.pdf"
    with pdfplumber.open(path) as pdf:
        kinds = [("text" if p.chars else "image", p.width > p.height) for p in pdf.pages]
        first = pdf.pages[0].extract_text()
    assert "Số: 05/KH-UBND" in first
    assert {k for k, _ in kinds} == {"text", "image"}
    for (kind, landscape), objs in zip(kinds, _page_objects(path), strict=True):
        images = [o for o in objs if o["image"]]
        if kind == "image":
            assert landscape and len(objs) == 1 and len(images) == 1
        else:
            assert not images


def test_rotate_landscape_stores_landscape_pages_turned(small_table: tuple[Path, list[list[str]]],
                                                        tmp_path: Path) -> None:
    src, _ = small_table
    out = scan_pdf(src, tmp_path / "rot.pdf", "noisy", seed=3, stamp=False, rotate_landscape=True, dpi=60)
    with pdfplumber.open(out) as pdf:
        assert all(p.height > p.width for p in pdf.pages)
    for objs in _page_objects(out):
        w, h = objs[0]["size"]
        assert h > w


# -- degradation --------------------------------------------------------------------------------------

def _row_peak(img: Image.Image) -> float:
    """Darkest-row ink count: a ruled table's horizontal lines give sharp peaks that skew flattens."""
    a = np.asarray(img.convert("L"))
    return float((a < 128).sum(axis=1).max()) / a.shape[1]


def test_degrade_qualities(small_table: tuple[Path, list[list[str]]]) -> None:
    src, _ = small_table
    full = render_pages(src, 300)[0]
    page = full.crop((0, 0, full.width, full.height * 2 // 5))  # title and first rows: enough, and fast
    out = {q: degrade_image(page, q, np.random.default_rng(0)) for q in PAGE_QUALITIES}
    assert np.array_equal(np.asarray(out["clean"]), np.asarray(page))
    assert out["noisy"].size == page.size and out["noisy"].mode == "L"
    assert out["hard"].size == (round(page.width * 2 / 3), round(page.height * 2 / 3))
    assert out["hard"].mode == "RGB"  # hard always carries a (red) seal over text
    clean_peak = _row_peak(out["clean"])
    assert _row_peak(out["noisy"]) < 0.8 * clean_peak  # skewed: rules no longer sit on one pixel row
    assert _row_peak(out["hard"]) < 0.5 * clean_peak
    hard = np.asarray(out["hard"].convert("L")).astype(float)
    assert np.percentile(hard, 99) - np.percentile(hard, 1) < 200  # low contrast
    stamped = degrade_image(page, "noisy", np.random.default_rng(0), stamp=True)
    a = np.asarray(stamped).astype(int)
    assert stamped.mode == "RGB" and ((a[:, :, 0] - a[:, :, 1]) > 70).sum() > 2000
    with pytest.raises(ValueError):
        degrade_image(page, "awful", np.random.default_rng(0))


# -- gold files ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(SPECS))
def test_gold_file_is_the_spec_and_fits_the_contract(name: str) -> None:
    gold = json.loads((GOLD / f"{Path(name).stem}.json").read_text(encoding="utf-8"))
    assert gold == json.loads(json.dumps(gold_dict(SPECS[name](), name), ensure_ascii=False))
    assert gold["source"] == name and (GEN / name).exists()
    header = Header(**gold["header"])
    assert header.doc_number and header.issue_date and header.title.startswith("Kế hoạch")
    assert set(gold["areas"]) == set(AREA_CODES)
    assert gold["targets"]
    for t in gold["targets"]:
        TargetRow(plan_id="x", target_id="x", **{k: v for k, v in t.items() if k != "source_text"},
                  source_text=t["source_text"])
    tasks = gold["tasks"]
    assert tasks["count"] == len(tasks["rows"]) >= 12
    for r in tasks["rows"]:
        TaskRow(plan_id="x", task_id="x", **r)
        assert r["lead_agencies"] and r["deadline_text"]


# -- determinism and CLI --------------------------------------------------------------------------------

def test_generation_is_deterministic(tmp_path: Path, small_table: tuple[Path, list[list[str]]]) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert build_digital_pdf(spec_commune(), a) == build_digital_pdf(spec_commune(), b)
    assert a.read_bytes() == b.read_bytes()
    src, _ = small_table
    digests = {hashlib.sha256(scan_pdf(src, tmp_path / f"s{i}.pdf", "hard", seed=7, dpi=150).read_bytes())
               .hexdigest() for i in range(2)}
    assert len(digests) == 1


def test_committed_samples_match_the_current_specs(tmp_path: Path) -> None:
    """Text-layer pages of the shipped PDFs carry exactly the words the specs draw today."""
    truths = {name: [p.truth for p in layout_plan(SPECS[name](), tmp_path / name)[0]]
              for name in ("gen_dongnai_digital.pdf", "gen_mixed.pdf")}
    for name, truth in truths.items():
        with pdfplumber.open(GEN / name) as pdf:
            assert len(pdf.pages) == len(truth)
            for page, expected in zip(pdf.pages, truth, strict=True):
                if page.chars:
                    assert _words(page.extract_text()) == _words(expected), (name, page.page_number)
    for name in ("gen_dongnai_scan.pdf", "gen_commune_scan.pdf"):
        twin = "gen_dongnai_digital.pdf" if "dongnai" in name else "gen_mixed.pdf"
        with pdfplumber.open(GEN / name) as a, pdfplumber.open(GEN / twin) as b:
            assert len(a.pages) == len(b.pages)
    assert sum(p.stat().st_size for p in GEN.glob("gen_*.pdf")) < 8 * 1024 * 1024


def test_cli_writes_requested_samples_and_gold(tmp_path: Path) -> None:
    out, gold = tmp_path / "out", tmp_path / "gold"
    assert main(["--out", str(out), "--gold", str(gold), "--only", "gen_dongnai_digital.pdf"]) == 0
    assert [p.name for p in out.iterdir()] == ["gen_dongnai_digital.pdf"]
    written = gold / "gen_dongnai_digital.json"
    assert written.read_text(encoding="utf-8") == (GOLD / written.name).read_text(encoding="utf-8")
    with pdfplumber.open(out / "gen_dongnai_digital.pdf") as m, \
            pdfplumber.open(GEN / "gen_dongnai_digital.pdf") as s:
        assert [_words(p.extract_text()) for p in m.pages] == [_words(p.extract_text()) for p in s.pages]
    with pytest.raises(SystemExit):
        main(["--out", str(out), "--only", "nonexistent.pdf"])
