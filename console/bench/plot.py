"""`rp8 bench --plot`: a PNG of frame times, drawn with Pillow (already a
dependency for screenshots, so no plotting library is added).

One row per mode: on the left, each frame's update and draw stacked (time
over frames), with the 30 and 60 fps budgets as lines where the mode has
time; on the right, a histogram of frame totals. Each row is titled with
the mode's label, which says "emulated" for emulated modes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

W_SERIES, W_HIST, ROW_H, PAD = 640, 260, 200, 36
UPDATE, DRAW, TOTAL = (66, 135, 245), (245, 140, 50), (90, 90, 90)
BUDGET = {30: (200, 40, 40), 60: (230, 170, 0)}
BG, AXIS, TEXT = (255, 255, 255), (0, 0, 0), (20, 20, 20)


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
    img = Image.new("RGB", (W_SERIES + W_HIST + 3 * PAD, height), BG)
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
    x0, y0, w, h = PAD, top, W_SERIES, ROW_H
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
    d.text((x0 + 4, y0 + 2), f"top {peak:.3g} {unit}", fill=TEXT)
    if split:
        d.text((x0 + w - 110, y0 - 14), "update", fill=UPDATE)
        d.text((x0 + w - 60, y0 - 14), "draw", fill=DRAW)
    # histogram of totals
    hx = x0 + w + PAD
    d.rectangle([hx, y0, hx + W_HIST, y0 + h], outline=AXIS)
    bins = 24
    lo, hi = min(tot), max(tot)
    span = (hi - lo) or 1.0
    counts = [0] * bins
    for t in tot:
        counts[min(bins - 1, int((t - lo) / span * bins))] += 1
    cmax = max(counts)
    bw = W_HIST / bins
    for i, c in enumerate(counts):
        if c:
            d.rectangle([hx + i * bw, y0 + h - h * c / cmax, hx + (i + 1) * bw - 1, y0 + h], fill=TOTAL)
    d.text((hx + 4, y0 + 2), f"frame totals {lo:.3g}-{hi:.3g} {unit}", fill=TEXT)
