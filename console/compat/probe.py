"""Run one cart headless for the compatibility report: load it, run N
frames with scripted input in the interpreter (and, with aot, as its
compiled build), and describe what happened as a plain dict (JSON-ready).

Runs in its own process (console.compat.sweep starts one per cart), so a
cart that hangs or crashes the native build takes only its own run down.

The dict:
    cart        the path as given
    loads       the file was read and its code parsed
    runs        no error in the frames run (a cart may end or stop()
                on its own: PICO-8 then shows its last screen)
    error       None or {kind, where, message}: the first error. kind is one
                of load (the file: format, encoding, #include), syntax (the
                code does not parse), runtime (the cart's error), timeout (a
                frame ran too long), build (g++ could not build the compiled
                cart), aot-differs (compiled frames differ), crash (an rp8 bug:
                a Python exception). where is "tab T line L" or "";
                console is "aot" when only the compiled build raised it.
    frames      frames run by the interpreter
    status      how the interpreter's run ended: frame (all N ran), error,
                stopped, ended
    blank       every frame run showed a single colour
    hashes      (only when asked) one sha1 per frame
    aot         with aot: {frames, status, equal, first_diff, error, heap}; equal:
                every frame identical, with stat(0) pinned to STAT0_PIN in both
                consoles (their heaps differ by design: Options.stat0_pin); heap:
                the Lua heap the compiled cart needed (bytes live at most,
                console.desktop.heap_need), as a device's arena would hold it
    thumbs      with thumbs: {first, last} PNG bytes, base64
    seconds     wall time of the whole probe
"""
from __future__ import annotations

import base64
import hashlib
import io
import re
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any, Optional

from aot.errors import UserError

# stat(0) in both consoles while their frames are compared (KiB; any fixed
# figure serves: carts print it or compare it with PICO-8's 2048)
STAT0_PIN = 100.0

_WHERE = re.compile(r"tab (\d+) line (\d+)|\.lua line (\d+)")


def where_of(message: str) -> str:
    """`tab T line L` (or `FILE.lua line L`) named first in a message, or ''."""
    m = _WHERE.search(message)
    if m is None:
        return ""
    if m.group(1) is not None:
        return f"tab {m.group(1)} line {m.group(2)}"
    start = message.rfind(" ", 0, m.start()) + 1
    return f"{message[start:m.start()]}.lua line {m.group(3)}"


def _error(kind: str, message: str) -> dict[str, str]:
    first = message.strip().split("\n")[0]
    return {"kind": kind, "where": where_of(first), "message": first}


def _classify(err: BaseException) -> dict[str, str]:
    """An exception raised while loading or building a cart -> error dict."""
    from console.aot_build import BuildError
    from aot.source import CartSyntaxError
    from console.desktop.frameloop import CartRuntimeError

    if isinstance(err, CartSyntaxError):
        return _error("syntax", str(err))
    if isinstance(err, BuildError):
        return _error("build", str(err))
    if isinstance(err, CartRuntimeError):
        return _runtime(err.message)
    if isinstance(err, UserError):
        return _error("load", str(err))
    tb = traceback.extract_tb(err.__traceback__)
    at = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
    return {"kind": "crash", "where": "", "message": f"{type(err).__name__}: {err}{at}"}


def _runtime(message: str) -> dict[str, str]:
    kind = "timeout" if "without finishing a frame" in message or "ran for more than" in message \
        else "runtime"
    return _error(kind, message)


def _one_colour(shown: bytes) -> bool:
    return shown.count(shown[0]) == len(shown)


def _png(con: Any) -> str:
    buf = io.BytesIO()
    con.image().save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _run(con: Any, frames: int, script: Any, thumbs: bool) -> dict[str, Any]:
    """Step a console; frames run, status, hashes, blank, thumbnails."""
    hashes: list[str] = []
    blank = True
    first: Optional[str] = None
    status = "frame"
    for n in range(frames):
        kind = con.step(script.masks(n))
        if kind not in ("frame", "skip"):
            status = kind
            break
        shown = con.indices()
        blank = blank and _one_colour(shown)
        hashes.append(hashlib.sha1(shown).hexdigest())
        if thumbs and first is None:
            first = _png(con)
    if status in ("ended", "stopped"):
        # PICO-8 leaves what the cart drew on screen: that counts as shown
        blank = blank and _one_colour(con.indices())
        if thumbs and first is None:
            first = _png(con)
    out: dict[str, Any] = {"frames": len(hashes), "status": status, "hashes": hashes,
                           "blank": blank, "error": None}
    if con.error is not None:
        out["error"] = _runtime(con.error.message)
    if thumbs:
        if con.error is not None:
            con.show_error()         # PICO-8's error screen over the last frame
        out["thumbs"] = {"first": first, "last": _png(con)}
    return out


def probe(cart: Path, frames: int, aot: bool = False, thumbs: bool = False,
          timeout: float = 10.0, keep_hashes: bool = False) -> dict[str, Any]:
    """Everything the report says about one cart (see the module doc)."""
    from console.desktop.buttons import script_for_cart
    from console.desktop.frameloop import Console, Options

    started = time.monotonic()
    result: dict[str, Any] = {"cart": str(cart), "loads": False, "runs": False, "error": None,
                              "frames": 0, "status": "error", "blank": True}
    script = script_for_cart(cart, frames)
    with tempfile.TemporaryDirectory(prefix="rp8-compat-") as tmp:
        def options(side: str) -> Options:
            # cartdata and printh files stay in a scratch folder; each console its own.
            # stat(0) is pinned: the consoles' heaps differ by design (Options.stat0_pin)
            return Options(seed=0, fixed_clock=True, printh=lambda s: None, frame_timeout=timeout,
                           stat0_pin=STAT0_PIN if aot else None,
                           data_dir=Path(tmp) / side, printh_dir=Path(tmp) / side / "printh")
        try:
            con = Console.from_path(cart, options("lua"))
            result["loads"] = True
            lua = _run(con, frames, script, thumbs)
        except Exception as err:  # every failure is reported, none ends the sweep
            result["error"] = _classify(err)
            result["seconds"] = round(time.monotonic() - started, 2)
            return result
        result.update(frames=lua["frames"], status=lua["status"], blank=lua["blank"],
                      error=lua["error"], runs=lua["error"] is None)
        if thumbs:
            result["thumbs"] = lua["thumbs"]
        if keep_hashes:
            result["hashes"] = lua["hashes"]
        if aot:
            result["aot"] = _probe_aot(cart, frames, script, options("aot"), lua)
            aot_error = result["aot"]["error"]
            if result["error"] is None and aot_error is not None:
                # which console raised it, unless the kind already says
                result["error"] = aot_error if aot_error["kind"] == "aot-differs" else \
                    dict(aot_error, console="aot")
    result["seconds"] = round(time.monotonic() - started, 2)
    return result


def _probe_aot(cart: Path, frames: int, script: Any, options: Any,
               lua: dict[str, Any]) -> dict[str, Any]:
    """The compiled cart's run, compared frame by frame with the interpreter's."""
    from console.desktop.aot_player import AotConsole
    from console.desktop.heap_need import GC_STEP

    try:
        con = AotConsole.from_path(cart, options, gc_step=GC_STEP)
    except Exception as err:
        return {"frames": 0, "status": "error", "equal": False, "first_diff": 0,
                "error": _classify(err)}
    try:
        run = _run(con, frames, script, False)
        heap = con.heap_peak()
    except Exception as err:
        return {"frames": 0, "status": "error", "equal": False, "first_diff": 0,
                "error": _classify(err)}
    finally:
        con.close()
    a, b = run["hashes"], lua["hashes"]
    diff = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), None)
    if diff is None and (len(a) != len(b) or run["status"] != lua["status"]):
        diff = min(len(a), len(b))
    out = {"frames": run["frames"], "status": run["status"], "equal": diff is None,
           "first_diff": diff, "error": run["error"], "heap": heap}
    if out["error"] is None and diff is not None:
        out["error"] = {"kind": "aot-differs", "where": "",
                        "message": f"compiled frames differ from the interpreter's from frame {diff} "
                                   f"(compiled: {run['frames']} frames, {run['status']}; interpreter: "
                                   f"{lua['frames']} frames, {lua['status']})"}
    return out
