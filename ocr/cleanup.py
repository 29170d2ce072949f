"""Page clean-up with OpenCV before recognition.

Every step was chosen by measurement on rendered Vietnamese pages (see the issue):
a 3x3 median filter on the greyscale page plus deskew cut tesseract's CER on noisy
pages from 0.44% to 0.18% and made it faster, while Otsu or adaptive binarisation
made it worse (0.42-3.2%) because they erase the thin hook-above and tilde marks.
So the page stays greyscale; binarisation is only used internally for *analysis*
(skew, orientation, ruling lines), never for what tesseract reads.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

TARGET_DPI = 300
LOW_DPI = 180
"""Scans below this are upsampled to TARGET_DPI. Measured on 200 dpi pages: reading them at their
own resolution (tesseract told the true dpi) gave CER 0.46% vs 0.56% upsampled to 300 dpi, and
upsampling blurred word gaps so table cells came out with words glued together ("Nộidungnhiệmvụ").
So only scans too coarse for tesseract's ~20 px x-height are resampled."""
HIGH_DPI = 420
"""Scans above this are downsampled: more pixels cost time without helping accuracy."""
COLOUR_INK_CHROMA = 35
"""Pixels whose channels differ by more than this are coloured ink (seal, signature), not print."""

cv2.setNumThreads(1)
"""OpenCV's own thread pool off: on this 2-CPU machine its workers spun, so the full-page openings
and resizes cost ~2x their single-thread CPU (measured: a ruling-line opening 27 ms vs 11 ms of
CPU) for little wall time, and the pipeline already runs pages in parallel processes. Results are
the same either way (no OpenCV call used here depends on the thread count)."""


def to_grey(pixels: np.ndarray) -> np.ndarray:
    """Greyscale page with coloured ink (red seals, blue signatures) removed. Pixels are BGR.

    Printed text and ruling lines are black or grey, so their chroma (max - min
    channel) is small. Seal and signature ink is strongly coloured:
    - red ink is bright in the red channel, so the red channel is used there: the
      seal fades to paper while print *under* the seal (dark in every channel,
      hence also in red) keeps its darkness -- whiting out every reddish pixel
      would cut the ruling lines and letter edges the seal overlaps;
    - blue ink (signatures) is painted white, with its lighter, less saturated
      stroke edges next to it.
    """
    if pixels.ndim == 2:
        return pixels
    blue, green, red = cv2.split(pixels)  # OpenCV per-channel ops: ~10x faster than numpy axis=2 reductions
    hi = cv2.max(cv2.max(blue, green), red)
    chroma = cv2.subtract(hi, cv2.min(cv2.min(blue, green), red))
    # Masks as 0/255 uint8 images combined with cv2 bitwise ops (numpy boolean indexing on a
    # full page cost ~0.1 s of CPU per page); OR-ing a 255 mask into the page paints it white.
    coloured = cv2.compare(chroma, COLOUR_INK_CHROMA, cv2.CMP_GT)
    if not cv2.countNonZero(coloured):
        return hi
    # Everything below changes pixels only within 3 px (the 7x7 dilation) of coloured ink: work on that
    # box (a seal and a signature are a small part of the page), painting into `hi` through views.
    x, y, w, h = cv2.boundingRect(coloured)
    x0, y0 = max(x - 3, 0), max(y - 3, 0)
    x1, y1 = min(x + w + 3, hi.shape[1]), min(y + h + 3, hi.shape[0])
    box = (slice(y0, y1), slice(x0, x1))
    region = hi[box]
    region[...] = _colour_removed(region, coloured[box], chroma[box], blue[box], red[box])
    return hi


def _colour_removed(hi: np.ndarray, coloured: np.ndarray, chroma: np.ndarray, blue: np.ndarray,
                    red: np.ndarray) -> np.ndarray:
    """`to_grey`'s page (`hi`, the brightest channel) with the coloured ink painted out, as described there."""
    reddish = cv2.bitwise_and(coloured, cv2.compare(red, blue, cv2.CMP_GE))
    grey = cv2.bitwise_or(hi, cv2.bitwise_and(reddish, cv2.compare(red, 150, cv2.CMP_GT)))
    bluish = cv2.bitwise_and(coloured, cv2.compare(blue, red, cv2.CMP_GT))
    if cv2.countNonZero(bluish):
        near = cv2.dilate(bluish, np.ones((7, 7), np.uint8))
        edges = cv2.bitwise_and(cv2.bitwise_and(near, cv2.compare(chroma, 18, cv2.CMP_GT)),
                                cv2.compare(hi, 100, cv2.CMP_GT))
        grey = cv2.bitwise_or(grey, cv2.bitwise_or(bluish, edges))
    return grey


def normalise_dpi(grey: np.ndarray, dpi: float) -> tuple[np.ndarray, float]:
    """Resample to TARGET_DPI when the scan is low- or very high-resolution."""
    if dpi <= 0 or LOW_DPI <= dpi <= HIGH_DPI:
        return grey, dpi
    scale = TARGET_DPI / dpi
    interp = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
    return cv2.resize(grey, None, fx=scale, fy=scale, interpolation=interp), float(TARGET_DPI)


def _stretch_lut(grey: np.ndarray) -> np.ndarray | None:
    """The grey-level map of `stretch_contrast` (None: the page is left as it is)."""
    small = grey[::4, ::4]
    lo, hi = np.percentile(small, (0.5, 90))
    if hi - lo < 30 or (lo < 20 and hi > 235):
        return None
    return np.clip((np.arange(256, dtype=np.float32) - lo) * 255.0 / (hi - lo), 0, 255).astype(np.uint8)


def stretch_contrast(grey: np.ndarray) -> np.ndarray:
    """Map the darkest ink to black and the paper to white (helps faded, low-contrast scans)."""
    lut = _stretch_lut(grey)
    return grey if lut is None else cv2.LUT(grey, lut)


def finish_tones(grey: np.ndarray) -> np.ndarray:
    """`whiten_paper(stretch_contrast(grey))` in one pass over the page: both are grey-level maps,
    and whitening's statistics come from the [::3, ::3] sample, which is mapped on its own."""
    stretch = _stretch_lut(grey)
    sample = grey[::3, ::3] if stretch is None else cv2.LUT(np.ascontiguousarray(grey[::3, ::3]), stretch)
    whiten = _whiten_lut(sample)
    if whiten is None:
        return grey if stretch is None else cv2.LUT(grey, stretch)
    return cv2.LUT(grey, whiten if stretch is None else whiten[stretch])


def _histogram(grey: np.ndarray) -> np.ndarray:
    """Counts of the 256 grey levels (int64), by cv2.calcHist (one pass, no sort of the page)."""
    return cv2.calcHist([np.ascontiguousarray(grey)], [0], None, [256], [0, 256]).ravel().astype(np.int64)


def _sorted_at(cumulative: np.ndarray, ranks: np.ndarray | int) -> np.ndarray:
    """Values at `ranks` of the sorted sample whose cumulative level counts are given."""
    return np.searchsorted(cumulative, np.asarray(ranks), side="right")


def _hist_median(levels: np.ndarray, counts: np.ndarray) -> float:
    """np.median of the sample holding counts[i] copies of levels[i] (levels ascending): same value, same rule."""
    cumulative = np.cumsum(counts)
    n = int(cumulative[-1])
    upper = float(levels[_sorted_at(cumulative, n // 2)])
    if n % 2:
        return upper
    return (float(levels[_sorted_at(cumulative, n // 2 - 1)]) + upper) / 2


def _paper_and_spread(grey: np.ndarray) -> tuple[float, float]:
    """(median grey level, `noise_level`) of the page, both from one histogram of the [::3, ::3] sample.

    Exactly the values the numpy medians over the sample gave (they were a tenth of the
    clean-up's CPU: two full sorts of a million pixels per page).
    """
    return _paper_and_spread_of(grey[::3, ::3])


def _paper_and_spread_of(sample: np.ndarray) -> tuple[float, float]:
    hist = _histogram(sample)
    levels = np.arange(256, dtype=np.float64)
    paper = _hist_median(levels, hist)
    keep = levels > paper - 60
    if not hist[keep].any():
        return paper, 0.0
    deviation = np.abs(levels[keep] - paper)
    order = np.argsort(deviation, kind="stable")
    mad = np.float32(_hist_median(deviation[order], hist[keep][order]))  # float32, as the old sample was
    return paper, float(mad * 1.4826)


def noise_level(grey: np.ndarray) -> float:
    """Robust spread (MAD x 1.4826) of the paper's grey levels: 0 for a rendered page, ~4+ for a scan."""
    return _paper_and_spread(grey)[1]


def denoise(grey: np.ndarray) -> np.ndarray:
    """3x3 median: removes salt-and-pepper and JPEG speckle but keeps diacritics intact.

    Also applied to clean pages: skipping it there was measured slightly worse
    overall (body CER 0.64% vs 0.52% on the clean bench pages) because it also
    removes the debris a seal and signature leave around the signer's name.
    """
    return cv2.medianBlur(grey, 3)


def whiten_paper(grey: np.ndarray) -> np.ndarray:
    """Clip the paper (and its speckle) to pure white, leaving every ink tone as it was.

    Not a binarisation: anti-aliased edges and thin marks keep their grey levels.
    Measured: a crisp "1.5" on speckled paper reads as "đi"; with the paper
    clipped it reads "1.5". The cut sits well below the paper's own noise band.
    """
    lut = _whiten_lut(grey[::3, ::3])
    return grey if lut is None else cv2.LUT(grey, lut)


def _whiten_lut(sample: np.ndarray) -> np.ndarray | None:
    """The grey-level map of `whiten_paper`, from the page's [::3, ::3] sample (None: nothing to clip)."""
    paper, spread = _paper_and_spread_of(sample)
    cut = paper - max(3.0 * spread, 18.0)
    if cut < 100:
        return None
    lut = np.arange(256, dtype=np.uint8)
    lut[lut > cut] = 255
    return lut


def ink_mask(grey: np.ndarray) -> np.ndarray:
    """Binary ink mask (255 = ink) for layout analysis only."""
    _, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return mask


def analysis_image(grey: np.ndarray) -> np.ndarray:
    """The small binarised copy `skew_angle` and `upright_score` analyse (compute once, pass to both)."""
    return _analysis_image(grey)


def _analysis_image(grey: np.ndarray, width: int = 900) -> np.ndarray:
    scale = width / grey.shape[1]
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return ink_mask(small)


def _profile_sharpness(mask: np.ndarray, axis: int) -> float:
    profile = cv2.reduce(mask, axis, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel().astype(np.float64)
    return float(np.square(np.diff(profile)).sum())


def _rotate_small(mask: np.ndarray, angle: float) -> np.ndarray:
    h, w = mask.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(mask, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)


def orientation(grey: np.ndarray, limit: float = 5.0) -> tuple[bool, float]:
    """(text runs vertically, coarse skew in whole degrees) from one cheap profile sweep.

    Horizontal text makes the row profile jump between lines and gaps; the
    column profile of the same page is smooth. A quarter-turned page swaps them.
    Both are compared at their best small skew so a tilted scan is not mistaken
    for a turned one. Cheap (no OCR), so it runs on every page; OSD is only asked
    which quarter when this says the text is vertical.
    """
    mask = _analysis_image(grey, width=600)
    mask = cv2.bitwise_and(mask, cv2.bitwise_not(_long_lines(mask, 0.08)))
    rows = cols = 0.0
    best_angle = 0.0
    for angle in np.arange(-limit, limit + 1e-6, 1.0):
        turned = _rotate_small(mask, float(angle))
        row_score = _profile_sharpness(turned, axis=1)
        if row_score > rows:
            rows, best_angle = row_score, float(angle)
        cols = max(cols, _profile_sharpness(turned, axis=0))
    return cols > 1.5 * rows, best_angle


def text_is_vertical(grey: np.ndarray, limit: float = 5.0) -> bool:
    return orientation(grey, limit)[0]


def skew_angle(grey: np.ndarray, limit: float = 5.0, near: float | None = None,
               analysis: np.ndarray | None = None) -> float:
    """Skew in degrees (counter-clockwise positive, as cv2) by projection-profile search.

    With `near` (a coarse estimate from `orientation`, 1-degree steps), only +-0.6 degree around it is searched.
    `analysis`: `analysis_image(grey)` when the caller already has it (also used by `upright_score`).
    """
    mask = analysis if analysis is not None else _analysis_image(grey)
    mask = cv2.bitwise_and(mask, cv2.bitwise_not(_long_lines(mask, 0.25)))

    def score(angle: float) -> float:
        return _profile_sharpness(_rotate_small(mask, angle), axis=1)

    if near is None:
        near = max(np.arange(-limit, limit + 1e-6, 0.5), key=score)
    fine = np.arange(near - 0.6, near + 0.6 + 1e-6, 0.1)
    best = max(fine, key=score)
    return float(round(best, 2))


def upright_score(grey: np.ndarray, angle: float = 0.0, analysis: np.ndarray | None = None) -> float:
    """Which way up the (horizontal) text is: > 0 upright, < 0 upside down; about -1..1.

    Vietnamese print carries most of its ink outside the x-height band *above*
    it: tone marks, circumflexes and breves on top of ascenders and capitals,
    against a few descenders (g, p, q, y) and the dot below. So in every text
    line's row profile the ink above the core outweighs the ink below it, and
    a page turned half a turn shows the opposite. Measured on the bench pages
    after deskewing (the profile smears on a tilted page): +0.32..+0.74 upright,
    -0.34..-0.75 turned, every quality. It tells 90 from 270 on landscape pages
    without OSD (0.3 s of CPU per page). `analysis`: as for `skew_angle`.
    """
    mask = analysis if analysis is not None else _analysis_image(grey)
    mask = cv2.bitwise_and(mask, cv2.bitwise_not(_long_lines(mask, 0.08)))
    if abs(angle) >= 0.1:
        mask = _rotate_small(mask, angle)
    profile = (mask > 0).sum(axis=1).astype(np.float64)
    if profile.max() <= 0:
        return 0.0
    above = below = 0.0
    for start, end in true_runs(profile > 0.02 * profile.max()):
        line = profile[start : end + 1]
        if line.size < 5:
            continue
        core = np.flatnonzero(line >= 0.5 * line.max())
        above += float(line[: core[0]].sum())
        below += float(line[core[-1] + 1 :].sum())
    return (above - below) / max(above + below, 1.0)


def true_runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of every run of True in a 1-D array: text rows of a profile, letter stems of a crop."""
    idx = np.flatnonzero(flags)
    if idx.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) > 1)
    starts = np.concatenate(([idx[0]], idx[breaks + 1]))
    ends = np.concatenate((idx[breaks], [idx[-1]]))
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def rotate(grey: np.ndarray, angle: float) -> np.ndarray:
    """Rotate about the centre by `angle` degrees, filling with white; size kept."""
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def quarter_turn(grey: np.ndarray, clockwise_degrees: int) -> np.ndarray:
    """Rotate by a multiple of 90 degrees clockwise (lossless)."""
    turns = (clockwise_degrees // 90) % 4
    # cv2.rotate: the same pixels as np.rot90 + a contiguous copy, at a quarter of the CPU (3 ms vs 12 ms a page).
    return cv2.rotate(grey, _QUARTER_TURNS[turns]) if turns else grey


_QUARTER_TURNS = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}


def _long_lines(mask: np.ndarray, share: float) -> np.ndarray:
    """Horizontal and vertical strokes longer than `share` of the page side."""
    h, w = mask.shape
    horiz = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(int(w * share), 10), 1)))
    vert = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(int(h * share), 10))))
    return cv2.bitwise_or(horiz, vert)


def _ink_for_lines(grey: np.ndarray) -> np.ndarray:
    """Adaptive threshold: keeps faint lines on unevenly lit scans (for analysis only)."""
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)


def _open_lines(mask: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    horiz = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vert = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    return horiz, vert


def ruling_masks_lazy(
    grey: np.ndarray, short_len_px: int
) -> tuple[tuple[np.ndarray, np.ndarray], Callable[[], tuple[np.ndarray, np.ndarray]]]:
    """(horizontal, vertical) ruling-line masks (255 on line pixels) now, the short-stroke ones
    only if asked (pages with a grid).

    Opening with a long thin kernel keeps only straight strokes far longer than any letter.
    Same threshold for both; the two extra full-page openings were a third of the
    clean-up's morphology time on the many pages that have no table at all.
    """
    mask = _ink_for_lines(grey)
    return _open_lines(mask, max(grey.shape[1] // 30, 40)), lambda: _open_lines(mask, short_len_px)


def erase(grey: np.ndarray, mask: np.ndarray, grow: int = 2) -> np.ndarray:
    """Paint masked pixels (slightly grown) white, e.g. ruling lines under text."""
    if grow:
        mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * grow + 1, 2 * grow + 1)))
    return cv2.bitwise_or(grey, cv2.compare(mask, 0, cv2.CMP_GT))  # OR-ing 255 paints white
