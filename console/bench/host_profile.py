"""`rp8 bench CART --mode host --profile K`: where a frame's time goes in the
desktop interpreter, by API function.

The cart runs once more from power-on with every function of its
environment wrapped in a timer (host_profile.lua): calls per frame, time
per call and share of the frame for the K functions that take the most
time, then one row for everything else (the cart's own Lua, the runtime's
arithmetic helpers, the host). Times are wall-clock (a monotonic clock read
around each call, its own cost measured and subtracted), over the measured
frames; the frame total is the profiled run's, less what the timers cost.
Frames during which the process waited for the CPU (wall time well over
its CPU time: a busy machine) are left out, counts and time alike.
A function's time includes the FFI call, the argument conversion and the
engine's work, and excludes API functions it calls in turn.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable

from aot.errors import UserError

_HERE = Path(__file__).resolve().parent

# functions not wrapped: they run cart code or pass the host's frame yield
# (their time is the cart's, not the API's)
SKIP = ("flip", "cocreate", "coresume", "costatus", "yield", "foreach")
CALIBRATION_CALLS = 5_000          # per round: about a millisecond
CALIBRATION_ROUNDS = 100


class HostProfile:
    """The wrappers of one console boot (a cart that load()s another is
    profiled from its last boot on)."""

    def __init__(self) -> None:
        self.prof: Any = None

    def install(self, lua_console: Any) -> None:
        lua = lua_console.lua
        make = lua.execute((_HERE / "host_profile.lua").read_bytes())
        self.prof = make(lua.eval("require('ffi')"))
        self.prof.install(lua_console.env, lua.table_from({name.encode(): True for name in SKIP}))

    def rows(self) -> list[tuple[str, int, float]]:
        out = []
        for row in self.prof.rows().values():
            out.append((row[1].decode("latin-1"), int(row[2]), float(row[3])))
        return out


def profile_rows(rows: list[tuple[str, int, float]], total_ns: float, frames: int,
                 inside_ns: float, whole_ns: float) -> tuple[list[tuple[str, float, float, float]], float]:
    """(name, calls per frame, ns per call, ns per frame) for every function
    called, most time first, then the rest of the frame as the last row
    ("(cart Lua, runtime, host)"); and the frame total the shares are of.
    `inside_ns` is what a timer adds inside a timed call, `whole_ns` what
    it adds to the frame per call."""
    called = [(n, c, max(0.0, ns - c * inside_ns)) for n, c, ns in rows if c > 0]
    all_calls = sum(c for _, c, _ in called)
    total = max(1.0, total_ns - all_calls * whole_ns)
    table = sorted(((n, c / frames, ns / c, ns / frames) for n, c, ns in called),
                   key=lambda r: -r[3])
    rest = max(0.0, total - sum(ns for _, _, ns in called)) / frames
    return table + [("(cart Lua, runtime, host)", 0.0, 0.0, rest)], total / frames


def format_table(table: list[tuple[str, float, float, float]], frame_ns: float, top: int) -> list[str]:
    out = [f"{'calls/frame':>12} {'ns/call':>9} {'us/frame':>9} {'share':>6}  function"]
    shown = table[:top] if len(table) - 1 > top else table[:-1]
    for name, per_frame, per_call, ns in shown:
        out.append(f"{per_frame:12.1f} {per_call:9.0f} {ns / 1000:9.1f} {100 * ns / frame_ns:5.1f}%  {name}")
    for name, per_frame, per_call, ns in table[-1:]:
        calls, each = f"{'':>12}", f"{'':>9}"
        out.append(f"{calls} {each} {ns / 1000:9.1f} {100 * ns / frame_ns:5.1f}%  {name}")
    return out


def preempted(wall_ns: int, cpu_ns: int) -> bool:
    """Did the thread wait for the CPU during a frame? (Its wall time is
    over its CPU time by more than the clocks' disagreement.)"""
    return wall_ns - cpu_ns > max(50_000, wall_ns // 20)


def function_report(cart: Path, frames: int, warmup: int, seed: int,
                    buttons: Callable[[int], list[int]], top: int) -> list[str]:
    """Run `cart` from power-on with the profile on and list the `top`
    API functions by time per measured frame; the first line says what the
    numbers are."""
    from console.desktop.frameloop import Console, Options

    prof = HostProfile()
    con = Console.from_path(cart, Options(seed=seed, fixed_clock=True, frame_timeout=60.0,
                                          printh=lambda line: None, on_env=prof.install))
    wall, cpu = time.perf_counter_ns, time.thread_time_ns
    total = 0
    done = dropped = 0
    for n in range(warmup + frames):
        prof.prof.step()
        w0, c0 = wall(), cpu()
        kind = con.step(buttons(n))
        w1, c1 = wall(), cpu()
        if kind not in ("frame", "skip"):
            break
        keep = n >= warmup and not preempted(w1 - w0, c1 - c0)
        prof.prof.commit(keep)
        if keep:
            total += w1 - w0
            done += 1
        elif n >= warmup:
            dropped += 1
    if done == 0:
        raise UserError(f"{cart}: the profiled run stopped before its measured frames ({con.status})"
                        if dropped == 0 else f"{cart}: every profiled frame was preempted (a busy machine)")
    inside, whole = prof.prof.calibrate(CALIBRATION_CALLS, CALIBRATION_ROUNDS)
    table, frame_ns = profile_rows(prof.rows(), float(total), done, float(inside), float(whole))
    head = (f"[host profile] wall time per frame by API function (LuaJIT interpreter; a clock read "
            f"around each call, its cost of {whole:.0f} ns a call subtracted), top {top} over {done} "
            f"frames after {warmup} warm-up ({dropped} preempted frames left out): "
            f"{frame_ns / 1000:.1f} us per frame in all")
    return [head] + format_table(table, frame_ns, top)

