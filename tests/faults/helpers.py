"""Shared pieces of the fault tests: the real CLI as a subprocess, the processes of a run, the
database after it, and the inputs (a real scan cut to a few pages, a decompression bomb)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

import duckdb

from tests.conftest import RAW, REPO

SCAN = RAW / "generated" / "gen_dongnai_scan.pdf"
DIGITAL = RAW / "generated" / "gen_dongnai_digital.pdf"
SEED = RAW / "seeds" / "001_0dfc435017dae436.txt"
FAULT_ENV = {"CCHC_OCR_PLUGINS": "tests.faults.fault_engine", "CCHC_OCR_ENGINE": "fault"}


def env(**extra: str) -> dict[str, str]:
    out = {**os.environ, "PYTHONPATH": str(REPO)}
    out.update(extra)
    return out


def cli(*args: str, extra_env: dict[str, str] | None = None, timeout: float = 600,
        prefix: list[str] | None = None) -> subprocess.CompletedProcess:
    """`python -m pipeline ARGS`; `prefix`: a wrapper command (e.g. `unshare -n`, no network)."""
    return subprocess.run([*(prefix or []), sys.executable, "-m", "pipeline", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=timeout, env=env(**(extra_env or {})))


def start(*args: str, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    """The CLI in its own session, so every process of the run can be found (and cleaned up) by it."""
    return subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env(**(extra_env or {})), start_new_session=True)


def session_pids(sid: int) -> list[int]:
    """Live (not zombie) processes of session `sid`."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            pids.append(int(entry))
    return pids


def kill_session(sid: int) -> None:
    for pid in session_pids(sid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def wait_for(cond, timeout: float = 300.0, step: float = 0.1) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(step)
    return False


def checkpointed_pages(out: Path) -> int:
    """Pages checkpointed so far under an ingest's `--out` (one JSON line a page)."""
    folder = out / ".checkpoints"
    return sum(f.read_text().count("\n") for f in folder.glob("*.jsonl")) if folder.is_dir() else 0


def interrupt_once_checkpointed(proc: subprocess.Popen, out: Path, timeout: float = 30) -> tuple[str, float]:
    """SIGINT to a running ingest's process group as soon as a page is checkpointed (so there is work
    to keep); returns its stderr and the seconds from the signal to its exit. The session is killed
    whatever happens, so a failing test leaves no process behind."""
    try:
        assert wait_for(lambda: checkpointed_pages(out) >= 1 or proc.poll() is not None, 300)
        assert proc.poll() is None, "the run ended before a page was checkpointed"
        sent = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=timeout)
        return err, time.monotonic() - sent
    finally:
        kill_session(proc.pid)


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def scan_pdf(dst: Path, n_pages: int) -> Path:
    """The generated scanned plan's pages (real page images), cycled to `n_pages`."""
    import pypdfium2 as pdfium

    src, out = pdfium.PdfDocument(str(SCAN)), pdfium.PdfDocument.new()
    for i in range(n_pages):
        out.import_pages(src, [i % len(src)])
    out.save(str(dst))
    out.close()
    src.close()
    return dst


def big_scan_pdf(dst: Path, n_pages: int, dpi: int = 200) -> Path:
    """A real scanned plan of `n_pages` that OCRs fast: the generated scan's first page (the plan's
    heading), then small pages (A6 at `dpi`, image-only, as a scanner writes them) of three printed
    lines each, numbered, so every page has its own text. About 0.2 s of OCR a page on one core."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 30)
    pages = []
    for n in range(2, n_pages + 1):
        img = Image.new("L", (830, 1170), 255)
        draw = ImageDraw.Draw(img)
        for i, text in enumerate((f"Trang {n}", f"{n}. Rà soát, đơn giản hóa thủ tục hành chính",
                                  "năm 2024 theo kế hoạch của tỉnh.")):
            draw.text((80, 120 + 60 * i), text, font=font, fill=0)
        pages.append(img)
    small = dst.with_name(dst.stem + "-pages.pdf")
    pages[0].save(small, save_all=True, append_images=pages[1:], resolution=dpi)
    src, rest, out = pdfium.PdfDocument(str(SCAN)), pdfium.PdfDocument(str(small)), pdfium.PdfDocument.new()
    out.import_pages(src, [0])
    out.import_pages(rest)
    out.save(str(dst))
    for doc in (out, rest, src):
        doc.close()
    small.unlink()
    return dst


def fill_db(db: Path, parsed_json: Path, n: int, folder: Path) -> None:
    """A database as after an earlier run over `n` plans: the plan of `parsed_json` (a real parse)
    stored `n` times as different documents (own file in `folder`, content hash, plan id and
    number), then published."""
    import hashlib
    import json

    from pipeline.snapshot import open_working, publish
    from schema.records import ParsedPlan

    text = parsed_json.read_text(encoding="utf-8")
    plan = ParsedPlan.model_validate_json(text).plan
    number = json.dumps(plan.doc_number or "")[1:-1]
    folder.mkdir(parents=True, exist_ok=True)
    with open_working(db) as store:
        for i in range(n):
            path = folder / f"prior_{i:04d}.txt"
            path.write_text(f"{i}\n", encoding="utf-8")
            sha = hashlib.sha256(f"{plan.source_sha256} {i}".encode()).hexdigest()
            copy = text.replace(plan.source_sha256, sha).replace(plan.plan_id, sha[:len(plan.plan_id)])
            copy = copy.replace(json.dumps(plan.source_path)[1:-1], json.dumps(str(path))[1:-1])
            if number:
                copy = copy.replace(number, f"{9000 + i}/KH-UBND")
            store.write_plan(ParsedPlan.model_validate_json(copy))
        publish(store, db)


def bomb_pdf(dst: Path, side: int = 30000) -> Path:
    """One page whose scan is `side` x `side` pixels (900 megapixels by default) in a 0.1 MB file:
    a 1-bit all-white image, Flate-compressed row block by row block, so making it costs no memory."""
    row = bytes((side + 7) // 8)
    comp = zlib.compressobj(9)
    block = row * 1000
    data = b"".join(comp.compress(block) for _ in range(side // 1000)) + comp.compress(row * (side % 1000))
    data += comp.flush()
    content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1 "
        b"/Decode [1 0] /Filter /FlateDecode /Length %d >>\nstream\n" % (side, side, len(data)) + data + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    dst.write_bytes(bytes(out))
    return dst


def no_traceback(proc: subprocess.CompletedProcess | str) -> bool:
    text = proc if isinstance(proc, str) else proc.stderr + proc.stdout
    return "Traceback" not in text


def mount_tmpfs(target: Path, size: str, read_only: bool = False) -> bool:
    """A small tmpfs (root only): a disk that fills up, or one that cannot be written."""
    target.mkdir(parents=True, exist_ok=True)
    opts = f"size={size}" + (",ro" if read_only else "")
    return subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(target)],
                          capture_output=True).returncode == 0


def remount(target: Path, opts: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{opts}", str(target)], check=True, capture_output=True)


def umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True)


def query_files(db: Path, sql: str) -> list[tuple]:
    """`query` over each input file's own rows: the working file (`pipeline.snapshot`), where copies
    of one plan are not merged yet and an interrupted run's work is kept until the next publish."""
    from pipeline.snapshot import working_path

    return query(working_path(db), sql)
