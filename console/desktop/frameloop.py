"""A running cart: boot, one frame at a time, and what ended it.

`Console` is what the window, the headless runner, `rp8 bench` and the
tests drive:

    con = Console.from_path(path, Options(seed=0))
    while con.running:
        kind = con.step(masks)       # "frame" (show it), "skip" (do not)
    con.error / con.stop_message / con.ended

PICO-8's frame loop itself (top level, _init, _update or _update60, _draw,
flip, over-budget frames drawn every other time) runs inside LuaJIT, in
console/desktop/host_lua.lua; one `step` resumes it until the next frame
ends. `load()`, `run()` and extcmd("reset") reboot the console here.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from aot.p8scii import to_unicode
from aot.source import Source
from console.cart import Cart, CartError, load_cart
from aot.errors import UserError
from console.machine import Machine, to_fix
from console.desktop import screen
from console.desktop.cartdata import CartData, default_dir
from console.desktop.host_limits import KEPT_REQUESTS, PrinthFiles, RecentLines
from console.desktop.cart_console import RunState
from console.desktop.lua_env import (CART_MEMORY, Callbacks, LuaConsole, compile_cached, compile_source, printh_batch,
                                     map_lua_error, out_of_memory)

ROM_SIZE = 0x8000

_NO_BUTTONS = [0] * 8      # (never changed: step only reads it)


class CartRuntimeError(UserError):
    """A cart's runtime error: the message names the cart, tab and line;
    `places` is the cart traceback, innermost first."""

    def __init__(self, message: str, places: list[str]) -> None:
        self.message = message
        self.places = places
        super().__init__("runtime error: " + message)


@dataclass
class Options:
    seed: Optional[int] = None            # None: from the clock, as PICO-8
    param: str = ""                       # stat(6)
    data_dir: Optional[Path] = None       # cartdata folder; None: the user's
    printh_dir: Optional[Path] = None     # printh(s, file)'s own folder; None: data_dir/printh
    frame_timeout: Optional[float] = None  # seconds one frame may run (headless)
    max_frame_units: Optional[float] = None  # CPU units one frame may use
    fixed_clock: bool = False             # stat(80-95) from frame count, not the clock
    printh: Optional[Callable[[str], None]] = None   # printh sink; None: stdout
    memory: int = CART_MEMORY
    # stat(0)'s answer (KiB) pinned, for comparing the interpreter's frames
    # with the compiled cart's: their heaps differ by design (LuaJIT's
    # objects, the compiled arena's), so a cart printing stat(0) would differ
    stat0_pin: Optional[float] = None
    on_slice: Optional[Callable[[], Optional[str]]] = None  # window: pump events
    on_extcmd: Optional[Callable[[str, str], None]] = None
    # called with each boot's LuaConsole once its environment is built and
    # before the cart is loaded (rp8 bench's API profile wraps it there)
    on_env: Optional[Callable[[LuaConsole], None]] = None
    on_progress: Optional[Callable[[str], None]] = None   # a compiled cart's build: what it does


@dataclass
class _Boot:
    path: Optional[Path]
    name: str
    rom: bytes                  # at least the 0x4300 bytes of cart data
    source: Source
    param: str = ""
    breadcrumb: Optional[str] = None
    breadcrumb_file: Optional[str] = None


def find_cart_near(running: Optional[Path], name: str, back: Optional[str] = None) -> Optional[Path]:
    """A cart named by load()/reload()/cstore(): relative to the running
    cart's folder, with .p8 / .p8.png tried when no extension is given. Like
    PICO-8, which keeps carts inside its carts folder, a cart reaches only
    its own folder and the folders below it. `back` is the cart that left
    the breadcrumb (a whole path): extcmd("breadcrumb") names it, and it is
    reached wherever it is (a cart in levels/ goes back to ../title.p8)."""
    if back is not None and name == back:
        return Path(back) if Path(back).is_file() else None
    if not name or running is None:
        return None
    base = running.parent.resolve()
    for cand in (name, name + ".p8", name + ".p8.png"):
        try:
            p = (base / cand).resolve()
            if p.is_file() and p.is_relative_to(base):
                return p
        except (OSError, ValueError):       # a name too long, with a NUL, a link loop
            return None
    return None


class _ConsoleCallbacks(Callbacks):
    def __init__(self, con: "Console") -> None:
        self.con = con

    def slice(self, units: float) -> Optional[bytes]:
        o = self.con.options
        if o.max_frame_units is not None and units > o.max_frame_units:
            return (f"the cart used more than {int(o.max_frame_units)} CPU units without "
                    "finishing a frame (an endless loop?)").encode()
        if o.frame_timeout is not None and time.monotonic() - self.con.frame_started > o.frame_timeout:
            return (f"the cart ran for more than {o.frame_timeout:g} s without finishing a "
                    "frame (an endless loop?)").encode()
        if o.on_slice is not None:
            reason = o.on_slice()
            if reason:
                return reason.encode()
        return None

    def printh(self, *batch: Any) -> None:
        lines = printh_batch(batch)   # oldest first
        self.con.printh_lines.extend(lines)
        sink = self.con.options.printh
        if sink is None:
            print("\n".join(lines), flush=True)
        else:
            for line in lines:
                sink(line)

    def printh_file(self, text: bytes, name: bytes, overwrite: bool) -> Optional[bytes]:
        err = self.con.printh_files.write(to_unicode(text.decode("latin-1")), name.decode("latin-1"),
                                          overwrite)
        return None if err is None else err.encode("latin-1", "replace")

    def extcmd(self, cmd: bytes, arg: bytes) -> None:
        self.con.extcmds.append(cmd.decode("latin-1"))
        if self.con.options.on_extcmd is not None:
            self.con.options.on_extcmd(cmd.decode("latin-1"), arg.decode("latin-1"))

    def cartdata(self, ident: bytes) -> bool:
        return self.con.open_cartdata(ident.decode("latin-1"))

    def where(self, line: int) -> bytes:
        return self.con.boot_info.source.where(int(line)).encode("latin-1", "replace")

    def can_load(self, name: bytes) -> bool:
        return self.con.resolve_cart(name.decode("latin-1")) is not None

    def other_rom(self, name: bytes) -> Optional[bytes]:
        path = self.con.resolve_cart(name.decode("latin-1"))
        if path is None:
            return None
        try:
            return bytes(load_cart(path).data)     # all reload() reads of it
        except CartError:
            return None

    def warn(self, message: bytes) -> None:
        self.con.warnings.append(message.decode("latin-1"))
        print("rp8: " + message.decode("latin-1"), file=sys.stderr, flush=True)


class Console(RunState):
    """One PICO-8 console running one cart (and the carts it load()s)."""

    def __init__(self, boot: _Boot, options: Optional[Options] = None) -> None:
        self.options = options or Options()
        self.printh_lines: list[str] = RecentLines()
        self.warnings: list[str] = RecentLines(lines=KEPT_REQUESTS)
        self.extcmds: list[str] = RecentLines(lines=KEPT_REQUESTS, line_chars=256)
        self.printh_files = printh_files_for(self.options)
        self.frame = 0                    # frames run since power-on (all boots)
        self.frame_started = time.monotonic()
        self._boot(boot)

    # ------------------------------------------------------------ creation

    @classmethod
    def from_path(cls, path: Path, options: Optional[Options] = None) -> "Console":
        return cls(_boot_for(Path(path)), options)

    @classmethod
    def from_code(cls, code: str, name: str = "test.p8", options: Optional[Options] = None,
                  rom: bytes = b"") -> "Console":
        """A console running Lua text (readable Unicode, as in a .p8 file),
        with `rom` as cart data (zeros by default)."""
        source = Source(code, name, form="unicode")
        return cls(_Boot(None, name, rom.ljust(ROM_SIZE, b"\0")[:ROM_SIZE], source), options)

    def _boot(self, boot: _Boot) -> None:
        from console._engine import lib

        if not boot.param and not boot.breadcrumb_file and self.options.param and \
                not hasattr(self, "boot_info"):
            boot.param = self.options.param       # the first boot's stat(6)

        self.boot_info = boot
        self.error: Optional[CartRuntimeError] = None
        self.stop_message: Optional[str] = None
        self.ended = False
        self.compiled = compile_source(boot.source) if boot.path is None else compile_cached(boot.source)
        self.machine = Machine(boot.rom)
        # the seed is srand()'s argument; without one, raw bits from the clock
        seed = self.options.seed
        raw = to_fix(seed) if seed is not None else time.time_ns() & 0x7FFFFFFF
        lib.p8_srand(self.machine.state, raw)
        self.cartdata = CartData(self.options.data_dir or default_dir())
        self.lua = LuaConsole(self.machine, _ConsoleCallbacks(self), self.options.memory,
                              stat0_pin=self.options.stat0_pin)
        self.lua.call("set_param", boot.param.encode("latin-1"),
                      None if boot.breadcrumb is None else boot.breadcrumb.encode("latin-1"),
                      None if boot.breadcrumb_file is None else boot.breadcrumb_file.encode("latin-1"))
        self._clock_key: Any = None
        self._clock_stamp: Optional[int] = None
        if self.options.on_env is not None:
            self.options.on_env(self.lua)
        self.lua.load(self.compiled)

    # ------------------------------------------------------------ running

    def step(self, masks: Optional[list[int]] = None) -> str:
        """Run to the end of the next frame. Returns "frame" (a new picture),
        "skip" (a frame without one: holdframe or an over-budget frame), or
        "error" / "stopped" / "ended" when the cart is no longer running."""
        if not self.running:
            return self.status
        self._set_clock()
        self.frame_started = time.monotonic()
        kind, value = self.lua.step(masks or _NO_BUTTONS)
        # at most once a second while it runs; whatever is left when it ends
        if self.cartdata.path is not None:
            self.cartdata.flush(self.machine.ram, force=kind not in ("frame", "skip"))
        if kind in ("frame", "skip"):
            self.frame += 1
            return kind
        if kind == "end":
            self.ended = True
        elif kind == "oom":
            self._out_of_memory(value)
        elif kind == "error":
            text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
            msg, places = map_lua_error(text, self.boot_info.source)
            self.error = CartRuntimeError(msg, places)
        elif kind == "abort":
            self._aborted(value)
        return self.status

    def _aborted(self, reason: Any) -> None:
        def field_(name: str) -> Optional[str]:
            # the record is the host's own (host_lua.lua); read it as text anyway
            v = reason[name.encode()]
            return v.decode("latin-1") if isinstance(v, bytes) else None

        kind = field_("kind")
        if kind == "oom":
            self._out_of_memory(field_("trace"))
        elif kind == "stop":
            self.stop_message = to_unicode(field_("message") or "")
        elif kind == "run":
            boot = self.boot_info
            self._boot(_Boot(boot.path, boot.name, boot.rom, boot.source, field_("param") or "",
                             boot.breadcrumb, boot.breadcrumb_file))
        elif kind == "load":
            target = self.resolve_cart(field_("file") or "", self.boot_info.breadcrumb_file)
            if target is None:
                self.error = CartRuntimeError(f"load: cannot find cart {field_('file')}", [])
                return
            here = self.boot_info
            crumb = field_("breadcrumb")
            new = _boot_for(target)
            new.param = field_("param") or ""
            if crumb is not None and here.path is not None:
                new.breadcrumb, new.breadcrumb_file = crumb, str(here.path.resolve())
            self._boot(new)
        else:
            trace = field_("trace")
            places = map_lua_error(trace, self.boot_info.source)[1] if trace else []
            self.error = CartRuntimeError(f"{self.boot_info.name}: {to_unicode(field_('message') or 'stopped')}",
                                          places)

    def _out_of_memory(self, trace: Any) -> None:
        if trace is None:                   # the allocator's cap: read it now the cap is lifted
            trace = self.lua.call("cart_trace")
        text = trace.decode("latin-1") if isinstance(trace, bytes) else trace if isinstance(trace, str) else None
        self.error = CartRuntimeError(*out_of_memory(self.boot_info.name, text, self.boot_info.source))

    def abort(self, message: str) -> None:
        """Stop the cart from outside (the window's Esc while a frame runs)."""
        self.lua.call("abort", message.encode("latin-1"))

    def _set_clock(self) -> None:
        # the clock's fields change once a second: nothing to do otherwise
        # (this runs every frame)
        stamp = self.frame // 30 if self.options.fixed_clock else int(time.time())
        if stamp == self._clock_stamp:
            return
        self._clock_stamp = stamp
        if self.options.fixed_clock:
            now = _dt.datetime(2000, 1, 1) + _dt.timedelta(seconds=self.frame // 30)
            utc = now
        else:
            utc = _dt.datetime.now(_dt.timezone.utc)
            now = utc.astimezone()
        key = (now.year, now.month, now.day, now.hour, now.minute, now.second)
        if key == self._clock_key:
            return
        self._clock_key = key
        values: dict[int, int] = {}
        for base, t in ((80, utc), (90, now)):
            for i, v in enumerate((t.year, t.month, t.day, t.hour, t.minute, t.second)):
                values[base + i] = v
        self.lua.call("set_clock", self.lua.lua.table_from(values))

    # ------------------------------------------------------------ services

    def open_cartdata(self, ident: str) -> bool:
        try:
            return self.cartdata.open(ident, self.machine.ram)
        except ValueError:
            return False

    def resolve_cart(self, name: str, back: Optional[str] = None) -> Optional[Path]:
        return find_cart_near(self.boot_info.path, name, back)

    def cpu(self) -> float:
        """stat(1) of the frame just run."""
        return float(self.lua.call("cpu")[2])

    def fps(self) -> int:
        return int(self.lua.call("fps"))

    def menu_items(self) -> list[tuple[int, str]]:
        items = self.lua.call("menu")
        out = []
        for i in range(1, len(items) + 1):
            it = items[i]
            out.append((int(it[b"index"]), to_unicode(it[b"label"].decode("latin-1"))))
        return out

    def menu_call(self, index: int, buttons: int) -> bool:
        res = self.lua.call("menu_call", index, buttons)
        keep = res[0] if isinstance(res, tuple) else res
        return bool(keep)

    # ------------------------------------------------------------ the screen

    def indices(self) -> bytes:
        """The displayed frame as 128x128 display colours 0-31 (after the
        screen palette and screen mode)."""
        from console._engine import ffi, lib

        return screen.indices(ffi, lib, self.machine.state)

    def rgb(self) -> bytes:
        """The displayed frame as 128x128 RGB bytes."""
        from console._engine import ffi, lib

        return screen.rgb(ffi, lib, self.machine.state)

    def frame_hash(self) -> str:
        return hashlib.sha1(self.indices()).hexdigest()

    def image(self) -> Any:
        from console._engine import ffi, lib

        return screen.image(ffi, lib, self.machine.state)

    def show_error(self) -> None:
        """Draw PICO-8's error screen: the message and where, over the last
        frame, in the system font."""
        from console._engine import lib

        if self.error is None:
            return
        lines = screen.error_lines(self.error.message, self.error.places)
        screen.draw_error(lib, self.machine.state, self.machine.ram, lines)


def printh_files_for(options: Options) -> PrinthFiles:
    """printh(s, file) writes in a folder of its own: never beside the cart
    (a shared folder, a download) nor among a run's other outputs."""
    return PrinthFiles(options.printh_dir or (options.data_dir or default_dir()) / "printh")


def _boot_for(path: Path) -> _Boot:
    cart: Cart = load_cart(path)
    source = Source(cart.code, path.name, form="bytes", locator=lambda line: str(cart.locate(line)))
    # the cart data only: the engine reads no ROM past 0x4300 (reload and
    # cstore see the data alone), and a .p8's code area costs a PXA compression
    return _Boot(path, path.name, bytes(cart.data), source)


__all__ = ["Console", "Options", "CartRuntimeError"]
