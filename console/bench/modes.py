"""Running one cart in one bench mode and turning what was measured into a
schema "rp8-bench/2" mode entry (console/bench/schema.py).

  host    the desktop player's LuaJIT interpreter; CPU time of the thread
          per frame, with _update and _draw timed by wrappers the bench
          puts around the cart's callbacks (re-applied every frame, so a
          cart that swaps its _update is still timed)
  aot     the AOT-compiled cart in the desktop player (a shared library);
          update and draw split at the runner's plat_frame_mark calls,
          which platform/host passes on (AotConsole.set_frame_mark)
  rp2040  a bare-metal Cortex-M0+ image in rp2040js: emulated cycles
  m33     a bare-metal Cortex-M33 image in unicorn: emulated instructions
"""
from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from console.bench import stats
from console.bench.image import Image
from console.bench.mailbox import BKPT_AUDIO, BKPT_CUT, BKPT_DISPLAY, BKPT_DRAW, BKPT_READY, BKPT_SNAP, \
    BKPT_UPDATE, MAGIC
from aot.errors import UserError
from console.machine import to_fix
from console.desktop.buttons import InputScript

MODES = ("host", "aot", "rp2040", "m33")

# The firmware's work after a frame, as platform/rp2 splits it between the
# cores: core0 takes the snapshot; core1 converts it into panel lines while
# DMA sends them over SPI (a 240x240 RGB565 panel at the pico-lcd13's
# 62.5 MHz: 14.7 ms a frame, which core1's conversion overlaps); audio is
# rendered on AUDIO_CORE (core1: plat_rp2.c's plat_audio_frame), in pieces
# while it waits for DMA, so it shares the transfer's slack with the
# conversion.
AUDIO_CORE = 1
PANEL_BYTES = 240 * 240 * 2
PANEL_SPI_HZ = 62_500_000
LABELS = {
    "host": "desktop, LuaJIT interpreter: CPU ms per frame",
    "aot": "desktop, AOT-compiled C++: CPU ms per frame",
    "rp2040": "EMULATED RP2040 (rp2040js, Cortex-M0+ core0, no XIP cache model): cycles per frame",
    "m33": "EMULATED Cortex-M33 (unicorn, MPS2-AN505 map, the RP2350's 520 KiB SRAM): "
           "instructions per frame, not cycles",
}


@dataclass
class Job:
    cart: Path
    frames: int
    warmup: int
    seed: int
    script: Optional[InputScript]
    clock_mhz: float = 250.0
    progress: Optional[Callable[[str, int, int], None]] = None   # (mode, done, total)
    aot_build: str = "optimised"    # aot: the build timed (aot_toolchain.TIERS), never tiered
    arena: Optional[int] = None      # rp2040: the image's GC arena in bytes (default: the target's)
    co_max: Optional[int] = None     # images: coroutine pool slots (default: the target's; 0 for a
                                     # cart that creates none, whose arena may then be larger)

    def masks(self, frame: int) -> list[int]:
        return self.script.masks(frame) if self.script is not None else [0] * 8


@dataclass
class Frame:
    update: Optional[float]      # None: the mode cannot split this frame
    draw: Optional[float]
    total: float


@dataclass
class Measured:
    """What one mode measured, before it becomes JSON."""
    mode: str
    frames: list[Frame] = field(default_factory=list)
    status: str = "ok"
    message: Optional[str] = None
    workload: str = "cart"
    image: Optional[dict[str, Any]] = None
    phases: list[tuple[int, int, int]] = field(default_factory=list)  # (snap, display, audio) per frame
    audio_hash: Optional[int] = None      # of every sample the image rendered
    audio_samples: int = 0
    build: str = ""                       # aot: the build timed, when not the optimised one


def run_mode(mode: str, job: Job) -> Measured:
    if mode == "host":
        return run_host(job)
    if mode == "aot":
        return run_aot(job)
    if mode in ("rp2040", "m33"):
        return run_image(mode, job)
    raise UserError(f"unknown bench mode {mode!r} (use {', '.join(MODES)})")


def _progress(job: Job, mode: str, done: int, total: int) -> None:
    if job.progress is not None:
        job.progress(mode, done, total)


# ------------------------------------------------------------------ host

_WRAP_LUA = """
function(env, t)
  -- the split of a frame into _update and _draw, on a monotonic clock read
  -- through the FFI (tens of ns; a call back into Python would cost
  -- microseconds, more than a small cart's whole frame)
  local ffi = require("ffi")
  pcall(ffi.cdef, "typedef struct { long sec; long nsec; } rp8_bench_ts; "
                  .. "int clock_gettime(int, rp8_bench_ts *);")
  local now
  if ffi.os == "Windows" then
    pcall(ffi.cdef, "int QueryPerformanceCounter(int64_t *c); int QueryPerformanceFrequency(int64_t *f);")
    local c, f = ffi.new("int64_t[1]"), ffi.new("int64_t[1]")
    ffi.C.QueryPerformanceFrequency(f)
    local ns = 1e9 / tonumber(f[0])
    now = function() ffi.C.QueryPerformanceCounter(c); return tonumber(c[0]) * ns end
  else
    local id, ts, gettime = ffi.os == "OSX" and 6 or 1, ffi.new("rp8_bench_ts"), ffi.C.clock_gettime
    now = function() gettime(id, ts); return tonumber(ts.sec) * 1e9 + tonumber(ts.nsec) end
  end
  local ours = setmetatable({}, { __mode = "k" })
  return function()
    t[1], t[2], t[3], t[4] = 0, 0, 0, 0
    for name, at in pairs({ _update = 1, _update60 = 1, _draw = 3 }) do
      local f = env[name]
      if type(f) == "function" and not ours[f] then
        local w = function(...)
          t[at] = now()
          f(...)
          t[at + 1] = now()
        end
        ours[w] = true
        env[name] = w
      end
    end
  end
end
"""


def run_host(job: Job) -> Measured:
    from console.desktop.frameloop import Console, Options

    con = Console.from_path(job.cart, Options(seed=job.seed, fixed_clock=True, frame_timeout=60.0,
                                              printh=lambda line: None))
    clock = time.thread_time_ns
    spans = [[0, 0], [0, 0]]          # [update start, end], [draw start, end]
    marks = con.lua.lua.table_from([0, 0, 0, 0])
    rewrap = con.lua.lua.eval(_WRAP_LUA)(con.lua.env, marks)

    def read_marks() -> None:
        spans[0] = [marks[1], marks[2]]
        spans[1] = [marks[3], marks[4]]

    return _run_stepper(job, "host", con, rewrap, spans, clock, read_marks)


def run_aot(job: Job) -> Measured:
    try:
        from console.desktop.aot_player import AotConsole
    except ImportError as err:
        raise UserError(f"not supported yet: aot mode needs the AOT player ({err})") from None
    from console.desktop.frameloop import Options

    con = AotConsole.from_path(job.cart, Options(seed=job.seed, fixed_clock=True,
                                                 printh=lambda line: None), build=job.aot_build)
    clock = time.thread_time_ns
    spans = [[0, 0], [0, 0]]
    # platform/host keeps a monotonic clock at the frame's start and at the
    # runner's plat_frame_mark after _update and after _draw (as host mode's
    # marks: the thread's CPU clock is a system call inside the frame)
    con.record_frame_marks()

    def read_marks() -> None:
        start, upd, drw = con.frame_marks()
        spans[0] = [start, upd]
        spans[1] = [upd, drw]

    measured = _run_stepper(job, "aot", con, lambda: None, spans, clock, read_marks)
    measured.build = "" if con.tier == "optimised" else con.tier
    return measured


def _run_stepper(job: Job, mode: str, con: Any, before: Callable[[], None],
                 spans: list[list[int]], clock: Callable[[], int],
                 after: Optional[Callable[[], None]] = None) -> Measured:
    """Step con, timing each frame with clock; `spans` is filled during the
    frame (or by `after`, from the host's own marks on a wall clock) with
    the [start, end] of its update and of its draw."""
    out = Measured(mode)
    total_frames = job.warmup + job.frames
    for n in range(total_frames):
        before()
        spans[0] = [0, 0]
        spans[1] = [0, 0]
        masks = job.masks(n)      # the script's work, not the cart's: before the clock
        t0 = clock()
        kind = con.step(masks)
        t1 = clock()
        if after is not None:
            after()
        if kind not in ("frame", "skip"):
            out.status = kind
            err = getattr(con, "error", None)
            out.message = (err.message if err is not None else
                           getattr(con, "stop_message", None) or f"the cart {kind} after {n} frames")
            break
        if n >= job.warmup:
            total = (t1 - t0) / 1e6
            up = max(0, spans[0][1] - spans[0][0]) / 1e6
            dr = max(0, spans[1][1] - spans[1][0]) / 1e6
            if after is not None and up + dr > total:
                # the host's wall-clock marks over a frame that waited for
                # the CPU: the split keeps its proportions within the total
                up, dr = up * total / (up + dr), dr * total / (up + dr)
            out.frames.append(Frame(up, dr, max(total, up + dr)))
        _progress(job, mode, n + 1, total_frames)
    return out


# ------------------------------------------------------------------ images

def run_image(mode: str, job: Job) -> Measured:
    from console.bench import image as images

    target = "rp2040" if mode == "rp2040" else "m33"
    if mode == "m33":
        from console.bench import m33
        need = m33.available()
        if need is not None:
            raise UserError(f"m33 mode needs {need}")
    _progress(job, mode, 0, job.warmup + job.frames)
    img = images.build_cart(target, job.cart, job.arena, job.co_max)
    total = job.warmup + job.frames
    seed_raw = to_fix(job.seed) & 0xFFFFFFFF
    if mode == "rp2040":
        from console.bench import rp2040
        res: Any = rp2040.run(img, total, job.masks, seed_raw=seed_raw,
                              progress=lambda done: _progress(job, mode, done, total),
                              clock_mhz=job.clock_mhz)
    else:
        from console.bench import m33
        res = m33.run(img, total, job.masks, seed_raw=seed_raw,
                      progress=lambda done: _progress(job, mode, done, total), clock_mhz=job.clock_mhz)
    out = Measured(mode, workload=img.workload)
    frames = frames_from_marks(res.marks)
    out.frames = [Frame(float(u), float(d), float(t)) for u, d, t in frames[job.warmup:]]
    # every frame but the last (the image stops at its draw mark) has them
    out.phases = phases_from_marks(res.marks)[job.warmup:job.warmup + len(out.frames)]
    if res.status not in ("done",):
        out.status = "error" if res.status != "ended" else "ended"
        # the log holds the cart's printh output, then the runner's error text
        log = res.mailbox.log.strip().splitlines() if res.mailbox is not None else []
        text = (log[-1] if log else "") or res.status
        if res.status == "frame-timeout":
            text = "a frame ran past the emulator's per-frame limit (an endless loop?)"
        out.message = f"the image stopped after {len(frames)} frames: {text}"
    box = res.mailbox
    if box is not None and box.magic == MAGIC:
        out.image = image_dict(img, res.stack_peak, box.arena_size, box.arena_peak)
        out.audio_hash, out.audio_samples = box.audio_hash, box.audio_samples
    _progress(job, mode, total, total)
    return out


def desktop_audio(job: Job, frames: int) -> tuple[int, int]:
    """(hash, samples) of the sound the desktop player renders for the first
    `frames` frames of the compiled cart, one frame's worth after each frame
    as the player does: what a bench image's audio_hash must equal."""
    from console.audio_out import frame_samples
    from console.audio_render import render
    from console.bench.mailbox import FNV_BASIS, audio_hash
    from console.desktop.aot_player import AotConsole
    from console.desktop.frameloop import Options

    con = AotConsole.from_path(job.cart, Options(seed=job.seed, fixed_clock=True, printh=lambda line: None))
    h, n = FNV_BASIS, 0
    try:
        for f in range(frames):
            if con.step(job.masks(f)) not in ("frame", "skip"):
                break
            got = render(con.machine, frame_samples(f, con.fps()))
            h, n = audio_hash(got, h), n + len(got)
    finally:
        con.close()
    return h, n


def frames_from_marks(marks: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(update, draw, total) counts per frame from the BKPT marks: a frame's
    update runs from the previous frame's draw mark (or the ready mark) to
    its update mark, its draw from there to its draw mark. A frame the clock
    cut (BKPT_CUT) is part of the cart's next frame: its update goes on
    there (the firmware's work after the cut is not counted)."""
    out: list[tuple[int, int, int]] = []
    start: Optional[int] = None
    mid: Optional[int] = None
    carried = 0                       # update counts of the frames cut before this one
    for code, count in marks:
        if code == BKPT_READY:
            start = count
        elif code == BKPT_CUT and start is not None and mid is None:
            carried += count - start
            start = count
        elif code == BKPT_UPDATE and start is not None:
            mid = count
        elif code == BKPT_DRAW and start is not None and mid is not None:
            out.append((carried + mid - start, count - mid, carried + count - start))
            start, mid, carried = count, None, 0
        elif code in (BKPT_SNAP, BKPT_DISPLAY, BKPT_AUDIO) and start is not None and mid is None:
            start = count     # the firmware's work after a frame is not the next update
    return out


def phases_from_marks(marks: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(snapshot, display conversion, audio) counts after each frame's draw
    mark, for the frames that have all three."""
    out: list[tuple[int, int, int]] = []
    prev: Optional[int] = None
    got: list[int] = []
    order = (BKPT_SNAP, BKPT_DISPLAY, BKPT_AUDIO)
    for code, count in marks:
        if code == BKPT_DRAW:
            prev, got = count, []
        elif prev is not None and code in order and code == order[len(got)]:
            got.append(count - prev)
            prev = count
            if len(got) == 3:
                out.append((got[0], got[1], got[2]))
                prev = None
    return out


def core_frames(m: Measured, clock_mhz: float) -> dict[str, list[float]]:
    """Both cores' work per frame (cycles, or instructions) from the image's
    phases: core0 runs the cart and takes the snapshot, core1 converts it
    and renders the sound while DMA feeds the panel (it takes at least the
    SPI transfer's time), or audio runs on core0 (AUDIO_CORE 0); the
    two-core frame ("frame") is the longer of the two. Empty lists when the
    image had no phases."""
    spi = PANEL_BYTES * 8 / PANEL_SPI_HZ * clock_mhz * 1e6 if m.mode == "rp2040" else 0.0
    rows: dict[str, list[float]] = {k: [] for k in ("snap", "display", "audio", "core0", "core1", "frame")}
    for f, (snap, disp, audio) in zip(m.frames, m.phases):
        core0 = f.total + snap + (audio if AUDIO_CORE == 0 else 0)
        core1 = max(float(disp) + (audio if AUDIO_CORE == 1 else 0), spi)
        for k, v in (("snap", snap), ("display", disp), ("audio", audio), ("core0", core0),
                     ("core1", core1), ("frame", max(core0, core1))):
            rows[k].append(float(v))
    return rows


def device_entry(m: Measured, clock_mhz: float) -> Optional[dict[str, Any]]:
    """Both cores' work per frame (core_frames), summarised. EMULATED figures."""
    if not m.phases:
        return None
    rows = core_frames(m, clock_mhz)
    summary = {k: stats.summarize(v).as_dict() for k, v in rows.items()}
    summary_ms = None
    if m.mode == "rp2040":
        k = 1000.0 / (clock_mhz * 1e6)
        summary_ms = {name: stats.summarize([x * k for x in v]).as_dict() for name, v in rows.items()}
    return {"audio_core": AUDIO_CORE, "spi_ms": round(PANEL_BYTES * 8 / PANEL_SPI_HZ * 1000, 3),
            "frames": [{"snap": s, "display": d, "audio": a} for s, d, a in m.phases],
            "summary": summary, "summary_ms": summary_ms,
            "audio_hash": m.audio_hash, "audio_samples": m.audio_samples}


def image_dict(img: Image, stack_peak: int, arena_size: int, arena_peak: int) -> dict[str, Any]:
    # what the cart needs: static data without the reserved arena, plus the
    # arena's high-water mark and the stack's
    peak = img.static_ram_bytes - arena_size + arena_peak + stack_peak
    return {
        "target": img.target.name, "flash_bytes": img.flash_bytes,
        "static_ram_bytes": img.static_ram_bytes, "stack_peak_bytes": stack_peak,
        "arena_bytes": arena_size, "arena_peak_bytes": arena_peak,
        "peak_ram_bytes": peak, "ram_bytes": img.target.ram_bytes,
        "ram_free_bytes": max(0, img.target.ram_bytes - peak),
    }


# ------------------------------------------------------------------ JSON

def mode_entry(m: Measured, clock_mhz: float) -> dict[str, Any]:
    unit = {"host": "ms", "aot": "ms", "rp2040": "cycles", "m33": "instructions"}[m.mode]
    frames = [{"update": f.update, "draw": f.draw, "total": f.total} for f in m.frames]
    summary = summary_ms = over = None
    if m.frames:
        summary = _summaries(m.frames, 1.0)
        if unit != "instructions":
            k = 1.0 if unit == "ms" else 1000.0 / (clock_mhz * 1e6)
            summary_ms = _summaries(m.frames, k)
            over = stats.over_budget([f.total * k for f in m.frames])
    label = LABELS[m.mode]
    if m.mode == "rp2040":
        label += f", ms at {clock_mhz:g} MHz"
    if m.workload == "calibration":
        label += " [calibration program, not the cart]"
    if m.build:
        label += f" [{m.build} build, not the optimised one]"
    return {
        "mode": m.mode, "emulated": m.mode in ("rp2040", "m33"), "unit": unit, "label": label,
        "status": m.status, "message": m.message,
        "clock_mhz": clock_mhz if m.mode == "rp2040" else None,
        "workload": m.workload, "frames": frames, "summary": summary, "summary_ms": summary_ms,
        "over_budget": over, "image": m.image,
        "device": device_entry(m, clock_mhz) if m.mode in ("rp2040", "m33") else None,
    }


def _summaries(frames: list[Frame], k: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in ("update", "draw", "total"):
        vals = [getattr(f, part) for f in frames]
        out[part] = None if None in vals else stats.summarize([v * k for v in vals]).as_dict()
    return out


def document(job: Job, input_path: Optional[Path], measured: list[Measured]) -> dict[str, Any]:
    from console.bench.schema import SCHEMA

    return {
        "schema": SCHEMA, "cart": str(job.cart),
        "cart_sha1": hashlib.sha1(job.cart.read_bytes()).hexdigest(),
        "frames": job.frames, "warmup": job.warmup, "seed": job.seed,
        "input": None if input_path is None else str(input_path),
        "modes": [mode_entry(m, job.clock_mhz) for m in measured],
    }


def stderr_progress() -> Callable[[str, int, int], None]:
    """Progress on stderr about once a second: `rp8 bench: host 120/330`."""
    last = [0.0]

    def report(mode: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done not in (0, total) and now - last[0] < 1.0:
            return
        last[0] = now
        print(f"rp8 bench: {mode} frame {done}/{total}", file=sys.stderr, flush=True)

    return report
