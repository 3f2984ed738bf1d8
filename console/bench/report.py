"""The text table `rp8 bench` prints: one row per mode, update / draw /
total as median, mean, p95 and max, in the mode's unit and (where there is
a clock) in ms. Emulated rows say so."""
from __future__ import annotations

from typing import Any, Optional


def _fmt(x: Optional[float], unit: str) -> str:
    if x is None:
        return "-"
    if unit == "ms":
        return f"{x:.3f}"
    return f"{x:,.0f}"


def lines(doc: dict[str, Any]) -> list[str]:
    out = [f"{doc['cart']}: {doc['frames']} frames after {doc['warmup']} warm-up, seed {doc['seed']}"
           + (f", input {doc['input']}" if doc["input"] else "")]
    for m in doc["modes"]:
        out.append("")
        out.append(f"[{m['mode']}] {m['label']}")
        if m["status"] != "ok":
            out.append(f"  {m['status']}: {m['message']}")
        elif m["message"]:
            out.append(f"  note: {m['message']}")
        if not m["frames"]:
            continue
        views = [(m["unit"], m["summary"])]
        if m["summary_ms"] is not None and m["unit"] != "ms":
            views.append((f"ms @ {m['clock_mhz']:g} MHz", m["summary_ms"]))
        for unit, summ in views:
            out.append(f"  {unit:<18} {'median':>12} {'mean':>12} {'p95':>12} {'max':>12}")
            for part in ("update", "draw", "total"):
                s = summ[part]
                vals = [None] * 4 if s is None else [s["median"], s["mean"], s["p95"], s["max"]]
                key = "ms" if unit.startswith("ms") else unit
                out.append(f"  {part:<18} " + " ".join(f"{_fmt(v, key):>12}" for v in vals))
        if m["over_budget"] is not None:
            ob = m["over_budget"]
            out.append(f"  frames over budget: {ob['30fps']} of {len(m['frames'])} at 30 fps, "
                       f"{ob['60fps']} at 60 fps")
        img = m["image"]
        if img is not None:
            out.append(f"  image: flash {img['flash_bytes'] / 1024:.1f} KiB; peak RAM "
                       f"{img['peak_ram_bytes'] / 1024:.1f} KiB of {img['ram_bytes'] // 1024} KiB "
                       f"({img['ram_free_bytes'] / 1024:.1f} KiB free): static "
                       f"{(img['static_ram_bytes'] - img['arena_bytes']) / 1024:.1f} KiB + arena "
                       f"peak {img['arena_peak_bytes'] / 1024:.1f} of {img['arena_bytes'] // 1024} KiB"
                       f" + stack peak {img['stack_peak_bytes']} B")
        dev = m.get("device")
        if dev is not None:
            out.extend(device_lines(m, dev))
    return out


def device_lines(m: dict[str, Any], dev: dict[str, Any]) -> list[str]:
    """Both cores per frame, EMULATED: the phases after the cart's frame and
    the two-core estimate."""
    ms = dev["summary_ms"]
    summ, unit = (ms, "ms") if ms is not None else (dev["summary"], m["unit"])
    where = f"audio on core{dev['audio_core']}"
    out = [f"  both cores per frame (EMULATED, {where}; core1 sends a 240x240 panel over SPI in "
           f"{dev['spi_ms']:.1f} ms beside its conversion), median / p95 {unit}:"]
    names = {"snap": "snapshot (core0)", "display": "panel conversion (core1)", "audio": "audio render",
             "core0": "core0 frame", "core1": "core1 frame", "frame": "two-core frame"}
    for k, label in names.items():
        s = summ[k]
        out.append(f"    {label:<26} {_fmt(s['median'], unit):>12} {_fmt(s['p95'], unit):>12}")
    return out
