"""The JSON that `rp8 bench --json` writes: schema "rp8-bench/2" (/1 without
"device").

This layout is stable: fields are only ever added under a new schema
string, never renamed or removed within one. `validate()` checks a document
and is what the tests use.

    {
      "schema": "rp8-bench/2",
      "cart": "carts/rotor.p8",          # the path as given
      "cart_sha1": "…",                  # of the cart file's bytes
      "frames": 300,                      # measured frames per mode
      "warmup": 30,                       # frames run before measuring
      "seed": 0,                          # srand() before the cart starts
      "input": "carts/rotor.input",      # input script, or null
      "modes": [ MODE, … ]                # in the order asked for
    }

    MODE = {
      "mode": "host" | "aot" | "rp2040" | "m33",
      "emulated": bool,                   # true: figures come from an emulator
      "unit": "ms" | "cycles" | "instructions",
      "label": "…",                       # human description, says "emulated" when it is
      "status": "ok" | "error" | "stopped" | "ended",
      "message": str or null,             # why, when status is not "ok"
      "clock_mhz": number or null,        # rp2040: the clock cycles are converted at
      "workload": "cart" | "calibration", # calibration: platform/bench/calib_main.c ran
                                          # instead of the cart (no AOT runner built in)
      "frames": [ {"update": x, "draw": y, "total": z}, … ],   # in `unit`; update and
                                          # draw are null when the mode cannot split a frame
      "summary": {"update": S, "draw": S, "total": S},          # in `unit`; S is null
                                          # where the frames' values are null
      "summary_ms": {"update": S, "draw": S, "total": S} or null,  # null for instructions
      "over_budget": {"30fps": int, "60fps": int} or null,      # from frame totals in ms
      "image": IMAGE or null,             # rp2040 and m33 only
      "device": DEVICE or null            # rp2040 and m33 cart images only
    }
    S = {"median": x, "mean": x, "p95": x, "max": x}   (console/bench/stats.py)

    IMAGE = {
      "target": "rp2040" | "m33",
      "flash_bytes": int,                 # code + constants + data initialisers
      "static_ram_bytes": int,            # mailbox + .data + .bss (incl. the engine state)
      "stack_peak_bytes": int,            # main stack high-water mark
      "arena_bytes": int,                 # GC arena reserved (inside static RAM)
      "arena_peak_bytes": int,            # GC arena high-water mark
      "peak_ram_bytes": int,              # static - arena + arena peak + stack peak
      "ram_bytes": 270336,                # the RP2040's 264 KiB
      "ram_free_bytes": int               # ram_bytes - peak_ram_bytes
    }

    DEVICE = {                            # the firmware's work after each frame, EMULATED
      "audio_core": 0 | 1,                # the core that renders audio
      "spi_ms": number,                   # sending a 240x240 RGB565 frame at 62.5 MHz
      "frames": [ {"snap": x, "display": x, "audio": x}, … ],  # in `unit`, per frame
                                          # (all measured frames but the run's last)
      "summary": {"snap", "display", "audio", "core0", "core1", "frame": S},
                                          # core0: total + snap (+ audio), core1: display
                                          # (+ audio), at least spi_ms, frame: the larger
      "summary_ms": the same in ms or null (instructions),
      "audio_hash": int or null,          # FNV-1a of every rendered sample's bytes
      "audio_samples": int
    }

`total` is the whole frame: update, draw and the frame loop around them;
host mode measures CPU time of the interpreter thread, rp2040 emulated
cycles, m33 emulated instructions.
"""
from __future__ import annotations

from typing import Any

SCHEMA = "rp8-bench/2"
MODES = ("host", "aot", "rp2040", "m33")
UNITS = {"host": "ms", "aot": "ms", "rp2040": "cycles", "m33": "instructions"}
STATUSES = ("ok", "error", "stopped", "ended")
STAT_KEYS = ("median", "mean", "p95", "max")
PARTS = ("update", "draw", "total")
DEVICE_KEYS = ("audio_core", "spi_ms", "frames", "summary", "summary_ms", "audio_hash", "audio_samples")
DEVICE_PHASES = ("snap", "display", "audio")
DEVICE_SUMMARY = ("snap", "display", "audio", "core0", "core1", "frame")
IMAGE_KEYS = ("target", "flash_bytes", "static_ram_bytes", "stack_peak_bytes", "arena_bytes",
              "arena_peak_bytes", "peak_ram_bytes", "ram_bytes", "ram_free_bytes")


class SchemaError(ValueError):
    pass


def _need(cond: bool, where: str, what: str) -> None:
    if not cond:
        raise SchemaError(f"{where}: {what}")


def _num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _stats(d: Any, where: str, split: bool) -> None:
    _need(isinstance(d, dict) and set(d) == set(PARTS), where, f"needs exactly {PARTS}")
    for part in PARTS:
        s = d[part]
        if part != "total" and not split:
            _need(s is None, f"{where}.{part}", "must be null when frames are not split")
            continue
        _need(isinstance(s, dict) and set(s) == set(STAT_KEYS), f"{where}.{part}",
              f"needs exactly {STAT_KEYS}")
        for k in STAT_KEYS:
            _need(_num(s[k]) and s[k] >= 0, f"{where}.{part}.{k}", "must be a number >= 0")
        _need(s["max"] >= s["p95"] and s["max"] >= s["median"], f"{where}.{part}",
              "max must be the largest")


def validate(doc: Any) -> None:
    """Raise SchemaError naming the first field that breaks the schema."""
    _need(isinstance(doc, dict), "document", "must be an object")
    keys = ("schema", "cart", "cart_sha1", "frames", "warmup", "seed", "input", "modes")
    _need(set(doc) == set(keys), "document", f"needs exactly the keys {keys}")
    _need(doc["schema"] == SCHEMA, "schema", f"must be {SCHEMA!r}")
    _need(isinstance(doc["cart"], str), "cart", "must be a string")
    _need(isinstance(doc["cart_sha1"], str) and len(doc["cart_sha1"]) == 40, "cart_sha1",
          "must be 40 hex digits")
    for k in ("frames", "warmup", "seed"):
        _need(isinstance(doc[k], int) and not isinstance(doc[k], bool), k, "must be an integer")
    _need(doc["input"] is None or isinstance(doc["input"], str), "input", "must be a string or null")
    _need(isinstance(doc["modes"], list) and doc["modes"], "modes", "must be a non-empty list")
    for i, m in enumerate(doc["modes"]):
        _mode(m, f"modes[{i}]")


def _mode(m: Any, where: str) -> None:
    keys = ("mode", "emulated", "unit", "label", "status", "message", "clock_mhz", "workload",
            "frames", "summary", "summary_ms", "over_budget", "image", "device")
    _need(isinstance(m, dict) and set(m) == set(keys), where, f"needs exactly the keys {keys}")
    _need(m["mode"] in MODES, f"{where}.mode", f"must be one of {MODES}")
    _need(m["unit"] == UNITS[m["mode"]], f"{where}.unit", f"must be {UNITS[m['mode']]!r}")
    emulated = m["mode"] in ("rp2040", "m33")
    _need(m["emulated"] is emulated, f"{where}.emulated", f"must be {emulated}")
    _need(isinstance(m["label"], str) and (not emulated or "emulated" in m["label"].lower()),
          f"{where}.label", "must be a string that says 'emulated' for emulated modes")
    _need(m["status"] in STATUSES, f"{where}.status", f"must be one of {STATUSES}")
    _need(m["message"] is None or isinstance(m["message"], str), f"{where}.message",
          "must be a string or null")
    _need(m["workload"] in ("cart", "calibration"), f"{where}.workload",
          "must be 'cart' or 'calibration'")
    _need(m["clock_mhz"] is None or (_num(m["clock_mhz"]) and m["clock_mhz"] > 0),
          f"{where}.clock_mhz", "must be a positive number or null")
    _need(isinstance(m["frames"], list), f"{where}.frames", "must be a list")
    split = all(f.get("update") is not None for f in m["frames"] if isinstance(f, dict))
    for j, f in enumerate(m["frames"]):
        _need(isinstance(f, dict) and set(f) == set(PARTS), f"{where}.frames[{j}]",
              f"needs exactly {PARTS}")
        for p in PARTS:
            if p != "total" and not split:
                _need(f[p] is None, f"{where}.frames[{j}].{p}",
                      "update and draw are null in every frame or in none")
                continue
            _need(_num(f[p]) and f[p] >= 0, f"{where}.frames[{j}].{p}", "must be a number >= 0")
    _need(split or m["mode"] == "aot", f"{where}.frames", "only aot mode may leave frames unsplit")
    if m["frames"]:
        _stats(m["summary"], f"{where}.summary", split)
    else:
        _need(m["summary"] is None and m["status"] != "ok", f"{where}.summary",
              "must be null, with a non-ok status, when no frame was measured")
    if m["unit"] == "instructions":
        _need(m["summary_ms"] is None and m["over_budget"] is None, where,
              "instructions have no time: summary_ms and over_budget must be null")
    elif m["frames"]:
        _stats(m["summary_ms"], f"{where}.summary_ms", split)
        ob = m["over_budget"]
        _need(isinstance(ob, dict) and set(ob) == {"30fps", "60fps"}, f"{where}.over_budget",
              "needs exactly 30fps and 60fps")
        _need(all(isinstance(v, int) and 0 <= v <= len(m["frames"]) for v in ob.values()),
              f"{where}.over_budget", "counts must be integers within the frame count")
    img = m["image"]
    if emulated and m["status"] == "ok":
        _need(isinstance(img, dict) and set(img) == set(IMAGE_KEYS), f"{where}.image",
              f"needs exactly {IMAGE_KEYS}")
        _need(img["target"] == m["mode"], f"{where}.image.target", "must match the mode")
        for k in IMAGE_KEYS[1:]:
            _need(isinstance(img[k], int) and img[k] >= 0, f"{where}.image.{k}",
                  "must be an integer >= 0")
    elif not emulated:
        _need(img is None, f"{where}.image", "must be null for desktop modes")
    dev = m["device"]
    if dev is not None:
        _need(emulated, f"{where}.device", "must be null for desktop modes")
        _device(dev, f"{where}.device", len(m["frames"]), m["unit"] == "instructions")


def _stat_set(d: Any, names: tuple[str, ...], where: str) -> None:
    _need(isinstance(d, dict) and set(d) == set(names), where, f"needs exactly {names}")
    for n in names:
        s = d[n]
        _need(isinstance(s, dict) and set(s) == set(STAT_KEYS), f"{where}.{n}", f"needs exactly {STAT_KEYS}")
        for k in STAT_KEYS:
            _need(_num(s[k]) and s[k] >= 0, f"{where}.{n}.{k}", "must be a number >= 0")


def _device(d: Any, where: str, frames: int, instructions: bool) -> None:
    _need(isinstance(d, dict) and set(d) == set(DEVICE_KEYS), where, f"needs exactly {DEVICE_KEYS}")
    _need(d["audio_core"] in (0, 1), f"{where}.audio_core", "must be 0 or 1")
    _need(_num(d["spi_ms"]) and d["spi_ms"] > 0, f"{where}.spi_ms", "must be a positive number")
    _need(isinstance(d["frames"], list) and 0 < len(d["frames"]) <= frames, f"{where}.frames",
          "must be a non-empty list, no longer than the mode's frames")
    for j, f in enumerate(d["frames"]):
        _need(isinstance(f, dict) and set(f) == set(DEVICE_PHASES), f"{where}.frames[{j}]",
              f"needs exactly {DEVICE_PHASES}")
        _need(all(_num(f[p]) and f[p] >= 0 for p in DEVICE_PHASES), f"{where}.frames[{j}]",
              "must hold numbers >= 0")
    _stat_set(d["summary"], DEVICE_SUMMARY, f"{where}.summary")
    if instructions:
        _need(d["summary_ms"] is None, f"{where}.summary_ms", "must be null for instructions")
    else:
        _stat_set(d["summary_ms"], DEVICE_SUMMARY, f"{where}.summary_ms")
    _need(d["audio_hash"] is None or (isinstance(d["audio_hash"], int) and 0 <= d["audio_hash"] < 2 ** 32),
          f"{where}.audio_hash", "must be a 32-bit integer or null")
    _need(isinstance(d["audio_samples"], int) and d["audio_samples"] >= 0, f"{where}.audio_samples",
          "must be an integer >= 0")
