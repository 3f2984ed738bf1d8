"""`rp8 bench --plot`: a PNG of frame times, drawn with Pillow (already a
dependency for screenshots, so no plotting library is added).

One row per mode: on the left, each frame's update and draw stacked (time
over frames), with the 30 and 60 fps budgets as lines where the mode has
time; on the right, a histogram of frame totals. Both panels have axes with
ticks at round values (1, 2 or 5 times a power of ten) and labelled units.
Each row is titled with the mode's label, which says "emulated" for
emulated modes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

W_SERIES, W_HIST, ROW_H, PAD = 640, 260, 200, 36
LEFT = 60                      # room for the value labels left of each panel
TICK = 4
UPDATE, DRAW, TOTAL = (66, 135, 245), (245, 140, 50), (90, 90, 90)
BUDGET = {30: (200, 40, 40), 60: (230, 170, 0)}
BG, AXIS, TEXT = (255, 255, 255), (0, 0, 0), (20, 20, 20)


def ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    """Round values from lo to hi for an axis: multiples of a step of 1, 2
    or 5 times a power of ten, at most `most` of them (lo and hi included
    when they are multiples)."""
    import math

    span = hi - lo
    if span <= 0:
        return [lo]
    step = 10 ** math.floor(math.log10(span))
    for k in (0.1, 0.2, 0.5, 1, 2, 5, 10):
        if span / (step * k) <= most - 1:
            step *= k
            break
    first = math.ceil(lo / step - 1e-9)
    out = []
    i = first
    while i * step <= hi + step * 1e-9:
        out.append(round(i * step, 10))
        i += 1
    return out


def _label(v: float) -> str:
    return f"{v:.4g}"


def _y_axis(d: ImageDraw.ImageDraw, x0: int, y0: int, h: int, top: float, unit: str) -> None:
    """Ticks and labels up the left edge of a panel whose top is `top`."""
    for t in ticks(0.0, top):
        y = y0 + h - h * t / top
        d.line([x0 - TICK, y, x0, y], fill=AXIS)
        text = _label(t)
        d.text((x0 - TICK - 2 - 6 * len(text), y - 5), text, fill=TEXT)
    d.text((x0 + 4, y0 + 2), unit, fill=TEXT)


def _x_axis(d: ImageDraw.ImageDraw, x0: int, y0: int, w: int, h: int, lo: float, hi: float,
            name: str) -> None:
    """Ticks and labels along the bottom edge, for values lo..hi."""
    span = (hi - lo) or 1.0
    for t in ticks(lo, hi):
        x = x0 + w * (t - lo) / span
        d.line([x, y0 + h, x, y0 + h + TICK], fill=AXIS)
        text = _label(t)
        d.text((x - 3 * len(text), y0 + h + TICK + 1), text, fill=TEXT)
    d.text((x0 + w - 6 * len(name), y0 + h + TICK + 12), name, fill=TEXT)


def _values(mode: dict[str, Any]) -> tuple[list[float], list[float], list[float], str, float]:
    """update, draw, total in the unit plotted, that unit, and k: units per ms
    (0 when the mode has no time)."""
    frames = mode["frames"]
    if mode["unit"] == "cycles":
        k = 1000.0 / (mode["clock_mhz"] * 1e6)
        unit, per_ms = "ms (emulated)", 1.0
    elif mode["unit"] == "ms":
        k, unit, per_ms = 1.0, "ms", 1.0
    else:
        k, unit, per_ms = 1.0 / 1e6, "M instructions (emulated)", 0.0
    up = [(f["update"] or 0.0) * k for f in frames]
    dr = [(f["draw"] or 0.0) * k for f in frames]
    tot = [f["total"] * k for f in frames]
    return up, dr, tot, unit, per_ms


def plot(doc: dict[str, Any], out: Path) -> None:
    modes = [m for m in doc["modes"] if m["frames"]]
    height = PAD + max(1, len(modes)) * (ROW_H + PAD)
    img = Image.new("RGB", (2 * LEFT + W_SERIES + W_HIST + PAD, height), BG)
    d = ImageDraw.Draw(img)
    d.text((PAD, 8), f"rp8 bench {doc['cart']}: {doc['frames']} frames "
           f"(warm-up {doc['warmup']}, seed {doc['seed']})", fill=TEXT)
    for row, m in enumerate(modes):
        top = PAD + row * (ROW_H + PAD)
        _row(d, m, top)
    out.parent.mkdir(parents=True, exist_ok=True)
    img.save(out)


def _row(d: ImageDraw.ImageDraw, m: dict[str, Any], top: int) -> None:
    up, dr, tot, unit, per_ms = _values(m)
    d.text((PAD, top - 14), f"[{m['mode']}] {m['label']}", fill=TEXT)
    # headroom above the tallest frame; show the 60 fps line when it is near
    peak = max(max(tot), 1e-9) * 1.15
    if per_ms and peak < 1000 / 60 * 1.1 and peak > 1000 / 60 * 0.4:
        peak = 1000 / 60 * 1.1
    x0, y0, w, h = LEFT, top, W_SERIES, ROW_H
    d.rectangle([x0, y0, x0 + w, y0 + h], outline=AXIS)
    n = len(tot)
    split = any(f["update"] is not None for f in m["frames"])
    for i in range(n):
        xa = x0 + int(i * w / n)
        xb = max(xa, x0 + int((i + 1) * w / n) - 1)
        if split:
            hu = h * up[i] / peak
            hd = h * dr[i] / peak
            d.rectangle([xa, y0 + h - hu, xb, y0 + h], fill=UPDATE)
            d.rectangle([xa, y0 + h - hu - hd, xb, y0 + h - hu], fill=DRAW)
        else:
            d.rectangle([xa, y0 + h - h * tot[i] / peak, xb, y0 + h], fill=TOTAL)
    if per_ms:
        for fps, col in BUDGET.items():
            ms = 1000 / fps
            if ms <= peak:
                y = y0 + h - h * ms / peak
                d.line([x0, y, x0 + w, y], fill=col)
                d.text((x0 + w - 70, y - 12), f"{fps} fps", fill=col)
    _y_axis(d, x0, y0, h, peak, unit)
    _x_axis(d, x0, y0, w, h, 0, n, "frame")
    if split:
        d.text((x0 + w - 110, y0 - 14), "update", fill=UPDATE)
        d.text((x0 + w - 60, y0 - 14), "draw", fill=DRAW)
    # histogram of totals
    hx = x0 + w + LEFT
    d.rectangle([hx, y0, hx + W_HIST, y0 + h], outline=AXIS)
    bins = 24
    lo, hi = min(tot), max(tot)
    span = (hi - lo) or 1.0
    counts = [0] * bins
    for t in tot:
        counts[min(bins - 1, int((t - lo) / span * bins))] += 1
    cmax = max(counts) * 1.15          # headroom for the unit label
    bw = W_HIST / bins
    for i, c in enumerate(counts):
        if c:
            d.rectangle([hx + i * bw, y0 + h - h * c / cmax, hx + (i + 1) * bw - 1, y0 + h], fill=TOTAL)
    _y_axis(d, hx, y0, h, float(cmax), "frames")
    _x_axis(d, hx, y0, W_HIST, h, lo, lo + span, f"frame total, {unit}")
