"""A cart compiled ahead of time, as a frame source for the player.

`AotConsole` is the AOT twin of console.desktop.frameloop.Console: the same
`step(masks)` / `status` / `indices()` interface, so the window, the
headless runner and the differential tests drive either. The cart is
compiled to C++ (aot/cpp_backend.py), built with the engine, the runtime,
the runner (aot/runner/rp8_runner.cpp) and platform/host into a shared
library (cached by content hash, console/aot_build.py), and loaded with cffi.
Each console loads its own copy of the library, since the runner keeps one
machine per loaded library.

What the runner asks of the console goes through platform/host's
callbacks: cartdata, printh to a file, the frame marks (`rp8 bench`), and
other carts. load() asks whether the cart exists and, if so, ends the
cart's code (rp8_frame returns RP8_LOAD); the console then compiles and
builds the other cart and boots it with the interpreter's rules for
stat(6), the breadcrumb (stat(100), extcmd("breadcrumb")) and bad carts.
A cart loaded again reuses its library. The pause menu's entries and
callbacks (menuitem) run in the library between frames (rp8_menu_call).
"""
from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from cffi import FFI

from aot.p8scii import to_unicode
from aot.source import Source
from console import cache
from console.cart import Cart, CartError, load_cart
from console.aot_toolchain import HOST_DIR, RUNNER_DIR
from console.engine_build import api_blocks
from console.machine import to_fix
from console.player import Player
from console.desktop.cartdata import CartData, default_dir
from console.desktop import screen
from console.desktop.frameloop import CartRuntimeError, Options, find_cart_near, printh_files_for
from console.desktop.host_limits import HOST_TURN, KEPT_LINE_CHARS, KEPT_REQUESTS, RecentLines
from console.desktop.cart_console import RunState

ROM_SIZE = 0x8000

# the runner's and platform/host's declarations, read from their headers'
# rp8:api blocks (one set of declarations for the C build and for cffi)
_CDEF = ("typedef struct p8_state p8_state;\n"
         + "".join(api_blocks(RUNNER_DIR / "rp8_runner.h") + api_blocks(HOST_DIR / "rp8host.h")))
# the runtime's object types (rp8rt.h O_*), as rp8_heap_census counts them
HEAP_KINDS = ("free", "string", "table", "closure", "cell", "array", "nodes", "refs", "thread")
_KINDS = {0: "frame", 1: "skip", 2: "ended", 3: "error", 4: "stopped", 5: "load"}
_NO_BUTTONS = [0] * 8
_LOGGED = 0x100        # rp8host.h's RP8HOST_LOGGED: rp8host_frame's "printh text waits"

_ffi = FFI()
_ffi.cdef(_CDEF)


class _AotMachine:
    """What the player's audio and menu code read of a Machine."""

    def __init__(self, state: Any, ram: memoryview) -> None:
        self.state = state
        self.ram = ram


@dataclass
class _AotBoot:
    """One cart as the console boots it (as frameloop._Boot)."""
    path: Optional[Path]
    source: Source
    rom: bytes
    param: str = ""
    breadcrumb: Optional[str] = None
    breadcrumb_file: Optional[str] = None
    cart: Optional[Cart] = None     # a cart file's (the loader's line places)


@dataclass
class _LoadRequest:
    file: Optional[str]           # None: back to the breadcrumb's cart
    breadcrumb: Optional[str]
    param: str


class AotConsole(RunState):
    """One console running one compiled cart (and the carts it load()s)."""

    def __init__(self, source: Source, rom: bytes, options: Optional[Options] = None,
                 path: Optional[Path] = None, *, heap_limit: int = 0, gc_step: int = 0,
                 build_flags: tuple[str, ...] = (), cart: Optional[Cart] = None,
                 build: str = "optimised") -> None:
        self.options = options or Options()
        # which build plays (console/aot_tiers.MODES): one tier, or tiered
        # (`rp8 run --aot`: the quick build until the optimised one is made)
        self.build = build
        self.tier = ""                    # the build the running cart is: quick or optimised
        # heap measurement (console.desktop.heap_need): the arena capped at a
        # device's size, and a collection every gc_step bytes (0: as shipped)
        self.heap_limit, self.gc_step = heap_limit, gc_step
        # extra compiler flags for the cart's library (tests: sanitizers, GC stress)
        self.build_flags = build_flags
        self.printh_lines: list[str] = RecentLines()
        self.warnings: list[str] = RecentLines(lines=KEPT_REQUESTS)
        self.printh_files = printh_files_for(self.options)
        self.frame = 0                    # frames run since power-on (all boots)
        # the private copies of the cart libraries; removed with the console,
        # or by the cache's pruning if the process is killed
        self._dir = Path(tempfile.mkdtemp(prefix=cache.TMP_PREFIX + "console-", dir=cache.kind_dir("aot")))
        self._remove_dir = weakref.finalize(self, shutil.rmtree, self._dir, True)
        self._libs: dict[Path, Any] = {}  # built library -> its loaded private copy
        self._mark: Any = _ffi.NULL          # the frame-mark callback, or NULL
        self._request: Optional[_LoadRequest] = None
        self._other_rom: Any = None       # the last ROM plat_cart_rom handed out
        # C callbacks into this console, alive as long as it is
        self._fault: Optional[str] = None   # a host callback's failure, for the message
        self._host_calls = 0
        fail = self._callback_failed
        self._callbacks = (_ffi.callback("int(const char *, uint8_t *)", self._cd_load, onerror=fail),
                           _ffi.callback("void(const char *, const uint8_t *)", self._cd_save, onerror=fail))
        self._printh_cb = _ffi.callback("const char *(const char *, size_t, const char *, size_t, int)",
                                        self._printh_file, onerror=fail)
        self._printh_err: Any = None
        self._load_cb = _ffi.callback("int(const char *, size_t, const char *, size_t, int, "
                                      "const char *, size_t)", self._cart_load, onerror=fail)
        self._rom_cb = _ffi.callback("const uint8_t *(const char *, size_t, size_t *)", self._cart_rom,
                                     onerror=fail)
        self._poll_cb = _ffi.callback("const char *(int64_t)", self._poll, onerror=fail)
        self._poll_reason: Any = None
        self._logbuf = _ffi.new("char[]", 65536)
        from console._engine import ffi as eng_ffi, lib as eng_lib

        self._eng_ffi, self._eng_lib = eng_ffi, eng_lib
        # each frame's buttons, for step's call through the engine's extension
        self._masks = eng_ffi.new("uint8_t[8]")
        self._masks_set: list[int] = [0] * 8   # what _masks holds
        self._pending = b""        # printh text after its last end of line
        rom = bytes(rom).ljust(ROM_SIZE, b"\0")[:ROM_SIZE]
        self._boot(_AotBoot(path, source, rom, self.options.param, cart=cart))

    @classmethod
    def from_path(cls, path: Path, options: Optional[Options] = None, *, heap_limit: int = 0,
                  gc_step: int = 0, build_flags: tuple[str, ...] = (), build: str = "optimised") -> "AotConsole":
        boot = _boot_for(Path(path))
        return cls(boot.source, boot.rom, options, boot.path, heap_limit=heap_limit, gc_step=gc_step,
                   build_flags=build_flags, cart=boot.cart, build=build)

    @classmethod
    def from_code(cls, code: str, name: str = "test.p8", options: Optional[Options] = None,
                  rom: bytes = b"") -> "AotConsole":
        return cls(Source(code, name, form="unicode"), rom, options)

    # ------------------------------------------------------------ booting

    def _boot(self, boot: _AotBoot) -> None:
        """Compile and build the cart (both cached by content), load its
        library (once per console: a cart loaded again reuses it) and power
        it on. Compile and build errors leave the running cart as it was."""
        from dataclasses import replace

        from console.aot_build import compile_source, host_toolchain
        from console.aot_tiers import cart_library

        compiled = compile_source(boot.source) if boot.cart is None else \
            compile_cpp_cached(boot.source, places_of(boot.cart))
        tc = host_toolchain()
        library = cart_library(compiled, boot.rom, replace(tc, flags=tc.flags + self.build_flags), self.build,
                               say=self.options.on_progress or _say, name=boot.source.name)
        built = library.path
        lib = self._libs.get(built)
        if lib is None:
            # a private copy: dlopen of one path shares the runner's state
            so = self._dir / f"cart{len(self._libs)}.so"
            self._dir.mkdir(parents=True, exist_ok=True)     # pruned if a day old
            shutil.copyfile(built, so)
            lib = _ffi.dlopen(str(so), _ffi.RTLD_NOW | _ffi.RTLD_LOCAL)
            lib.rp8host_set_cartdata(*self._callbacks)
            lib.rp8host_set_printh_file(self._printh_cb)
            lib.rp8host_set_carts(self._load_cb, self._rom_cb)
            lib.rp8host_set_poll(self._poll_cb)
            self._libs[built] = lib
        self.lib: Any = lib
        # step's one call: the library's rp8host_frame, called from the engine's
        # extension (platform/host/rp8host_call.h), cheaper than through cffi's
        # call into the opened library
        self._frame_fn = self._eng_ffi.cast("void *", int(_ffi.cast("uintptr_t", lib.rp8host_frame)))
        self._call_frame = self._eng_lib.rp8host_call_frame
        self.tier = library.tier
        self.compiled = compiled
        self.boot_info = boot
        self.name = boot.source.name
        self.error: Optional[CartRuntimeError] = None
        self.stop_message: Optional[str] = None
        self.ended = False
        if getattr(self, "cartdata", None) is not None:
            self.cartdata.close()             # what the cart left unwritten
        self.cartdata = CartData(self.options.data_dir or default_dir())
        lib.rp8host_set_frame_mark(self._mark)
        if boot.breadcrumb is None:
            lib.rp8host_set_breadcrumb(_ffi.NULL, 0)
        else:
            crumb = boot.breadcrumb.encode("latin-1")
            lib.rp8host_set_breadcrumb(crumb, len(crumb))
        if self.options.frame_timeout is not None and not lib.rp8_cpu_model():
            # with the CPU model the limit is checked in _poll, as the interpreter does
            lib.rp8_set_frame_limit_us(min(int(self.options.frame_timeout * 1e6), 0xFFFFFFFF))
        if self.options.stat0_pin is not None:
            lib.rp8_pin_stat0(to_fix(self.options.stat0_pin))
        # the seed is srand()'s argument; without one, raw bits from the clock
        seed = self.options.seed
        raw = to_fix(seed) if seed is not None else time.time_ns() & 0x7FFFFFFF
        lib.rp8_set_heap_limit(self.heap_limit)
        lib.rp8_set_gc_step(self.gc_step)
        lib.rp8_boot(raw & 0xFFFFFFFF, boot.param.encode("latin-1"))
        addr = int(_ffi.cast("uintptr_t", lib.rp8_machine()))
        self.state = self._eng_ffi.cast("p8_state *", addr)
        self.ram = memoryview(self._eng_ffi.buffer(self._eng_lib.p8_ram(self.state), 0x10000))
        self.machine = _AotMachine(self.state, self.ram)

    def _loaded(self) -> None:
        """The cart called load() (or extcmd("breadcrumb")): boot the other
        cart as the interpreter's Console does."""
        req, self._request = self._request, None
        here = self.boot_info
        # this cart's code is over; if the other cart cannot be booted (its
        # file or code is bad: the error is raised), nothing runs on
        self.ended = True
        if req is None:
            return
        name = req.file if req.file is not None else (here.breadcrumb_file or "")
        target = self.resolve_cart(name, None if req.file is not None else here.breadcrumb_file)
        if target is None:
            self.error = CartRuntimeError(f"load: cannot find cart {name}", [])
            return
        new = _boot_for(target)
        new.param = req.param
        if req.file is not None and req.breadcrumb is not None and here.path is not None:
            new.breadcrumb, new.breadcrumb_file = req.breadcrumb, str(here.path.resolve())
        self._boot(new)

    # ------------------------------------------------------------ services

    def resolve_cart(self, name: str, back: Optional[str] = None) -> Optional[Path]:
        return find_cart_near(self.boot_info.path, name, back)

    def _cart_load(self, name: Any, nlen: int, crumb: Any, clen: int, has_crumb: int,
                   param: Any, plen: int) -> int:
        if name == _ffi.NULL:
            if self.boot_info.breadcrumb_file is None:
                return -1
            self._request = _LoadRequest(None, None, "")
            return 0
        fname = _ffi.buffer(name, nlen)[:].decode("latin-1")
        if self.resolve_cart(fname) is None:
            return -1
        label = _ffi.buffer(crumb, clen)[:].decode("latin-1") if has_crumb else None
        self._request = _LoadRequest(fname, label, _ffi.buffer(param, plen)[:].decode("latin-1"))
        return 0

    def _cart_rom(self, name: Any, nlen: int, out_len: Any) -> Any:
        path = self.resolve_cart(_ffi.buffer(name, nlen)[:].decode("latin-1"))
        if path is None:
            return _ffi.NULL
        try:
            rom = load_cart(path).data      # reload() reads no code area (engine: P8_ROM_DATA)
        except CartError:
            return _ffi.NULL
        self._other_rom = _ffi.new("uint8_t[]", bytes(rom))   # alive until the next call
        out_len[0] = len(rom)
        return self._other_rom

    def _cd_load(self, ident: Any, out: Any) -> int:
        try:
            existed = self.cartdata.open(_ffi.string(ident).decode("latin-1"), self.ram)
        except ValueError:
            return -1
        if not existed:
            return -1
        _ffi.memmove(out, bytes(self.ram[0x5E00:0x5F00]), 256)
        return 0

    def _cd_save(self, ident: Any, data: Any) -> None:
        self.cartdata.flush(self.ram)

    def _printh_file(self, name: Any, nlen: int, text: Any, n: int, overwrite: int) -> Any:
        """printh(s, file): the interpreter's own rules and folder. Every
        HOST_TURN calls the runaway check gets a turn, as in the interpreter
        (the time spent writing files adds no CPU units)."""
        from console.desktop.frameloop import _ConsoleCallbacks

        self._host_calls += 1
        if self._host_calls >= HOST_TURN:
            self._host_calls = 0
            why = _ConsoleCallbacks(self).slice(self.lib.rp8_cpu_frame_half() / 2)
            if why is not None:
                self.lib.rp8_abort(why)
        err = _ConsoleCallbacks(self).printh_file(_ffi.buffer(text, n)[:], _ffi.buffer(name, nlen)[:],
                                                  bool(overwrite))
        if err is None:
            return _ffi.NULL
        self._printh_err = _ffi.new("char[]", err)   # alive until the next call
        return self._printh_err

    def _callback_failed(self, exc_type: Any, exc: Any, tb: Any) -> None:
        """A host callback raised (a fault of the host, not the cart): no
        traceback; the compiled cart is stopped at its next counted block
        with the message, and the callback returns 0 or NULL."""
        text = f"internal error in host: {exc_type.__name__}: {exc}".split("\n")[0][:190]
        self._fault = text
        try:
            self.lib.rp8_abort(text.encode("latin-1", "replace"))
        except Exception:  # noqa: BLE001 - nothing may escape into C
            pass
        return None

    def _drain_log(self) -> None:
        n = self.lib.rp8host_log_take(self._logbuf, 65536)
        if n == 0 and not self._pending:
            return                      # the usual frame: nothing printed
        self._pending += _ffi.unpack(self._logbuf, n)
        while n == 65536:               # (a full buffer: there may be more)
            n = self.lib.rp8host_log_take(self._logbuf, 65536)
            self._pending += _ffi.unpack(self._logbuf, n)
        # the frame's whole lines translated in one pass (newline stays itself)
        done, end, self._pending = self._pending.rpartition(b"\n")
        lines = to_unicode(done).split("\n") if end else []
        if len(self._pending) > KEPT_LINE_CHARS:      # no end of line in sight
            lines.append(to_unicode(self._pending))
            self._pending = b""
        # (a line of the runner's own error report: the console keeps it as .error)
        if b"runtime error: " in done:
            lines = [line for line in lines if not line.startswith("runtime error: ")]
        self.printh_lines.extend(lines)
        sink = self.options.printh
        if sink is None:
            if lines:
                print("\n".join(lines), flush=True)
        else:
            for line in lines:
                sink(line)

    def heap_peak(self) -> int:
        """The most Lua heap bytes found live after a collection since boot
        (a collection now included): exact to within gc_step bytes."""
        return int(self.lib.rp8_heap_peak())

    def heap_census(self) -> dict[str, tuple[int, int]]:
        """The live heap now, by object kind: (bytes, blocks) after a
        collection; empty when the cart is over."""
        b, n = _ffi.new("uint32_t[9]"), _ffi.new("uint32_t[9]")
        if not self.lib.rp8_heap_census(b, n):
            return {}
        return {kind: (b[i], n[i]) for i, kind in enumerate(HEAP_KINDS) if n[i]}

    def heap_peak_census(self) -> dict[str, int]:
        """What heap_peak's bytes were made of: bytes by object kind at that
        moment ("free": the free bytes among them), kept when the console
        was made with a gc_step."""
        b = _ffi.new("uint32_t[9]")
        self.lib.rp8_heap_peak_census(b)
        return {kind: b[i] for i, kind in enumerate(HEAP_KINDS) if b[i]}

    def coroutine_peak(self) -> int:
        """The most coroutines the cart kept alive at once since power-on."""
        return int(self.lib.rp8_coroutine_peak())

    def set_frame_mark(self, fn: Optional[Callable[[int], None]]) -> None:
        """Call fn(0) after each _update and fn(1) after each _draw (the
        runner's plat_frame_mark): how `rp8 bench --mode aot` splits a frame."""
        self._mark = _ffi.NULL if fn is None else _ffi.callback("void(int)", fn)
        self.lib.rp8host_set_frame_mark(self._mark)

    def record_frame_marks(self) -> None:
        """Keep the thread's CPU time (time.thread_time_ns's clock) at each
        frame's two marks, for frame_marks: the bench's split without a
        call back into Python."""
        self.lib.rp8host_record_marks(1)
        self._marks_out = _ffi.new("long long[3]")

    def frame_marks(self) -> tuple[int, int, int]:
        """Monotonic ns at the start of the last frame, after its _update
        and after its _draw."""
        self.lib.rp8host_frame_marks(self._marks_out)
        out = self._marks_out
        return int(out[0]), int(out[1]), int(out[2])

    # ------------------------------------------------------------ running

    def _set_masks(self, masks: list[int]) -> None:
        m = self._masks
        try:
            m[0:8] = masks                     # the usual case: eight bytes
        except (ValueError, OverflowError, TypeError):
            m[0:8] = ([x & 0xFF for x in masks] + [0] * 8)[:8]
        self._masks_set = list(masks)

    def step(self, masks: Optional[list[int]] = None) -> str:
        if self.error is not None or self.stop_message is not None or self.ended:
            return self.status
        if masks is None:
            masks = _NO_BUTTONS
        if masks != self._masks_set:           # held buttons mostly stay as they were
            self._set_masks(masks)
        got = self._call_frame(self._frame_fn, self._masks)
        if got == 0 and not self._pending:     # a frame, nothing logged: the usual case
            self.frame += 1
            return "frame"
        if got & _LOGGED or self._pending:
            self._drain_log()
        kind = _KINDS[got & ~_LOGGED]
        if kind in ("frame", "skip"):
            self.frame += 1
            return kind
        self.cartdata.close()
        if kind == "ended":
            self.ended = True
        elif kind == "load":
            self._loaded()
        else:
            n = _ffi.new("size_t *")
            text = _ffi.buffer(self.lib.rp8_message(n), n[0])[:].decode("latin-1")
            if kind == "error":
                self.error = CartRuntimeError(to_unicode(text), [])
            else:
                self.stop_message = to_unicode(text)
        if self._fault is not None and self.error is not None:
            # the cart failed because a host callback did: say so
            self.error = CartRuntimeError(f"{self.name}: {self._fault}", [])
        return self.status

    @property
    def frame_started(self) -> float:
        """time.monotonic() when the running frame started, from the
        runner's own clock read (step reads none: it is a frame's fixed cost)."""
        return time.monotonic() - self.lib.rp8_frame_age_us() / 1e6

    def _poll(self, frame_half_ticks: int) -> Any:
        """plat_poll: the interpreter's slice check (frame and time limits,
        the window's events) for a compiled cart in a long frame."""
        from console.desktop.frameloop import _ConsoleCallbacks

        why = _ConsoleCallbacks(self).slice(frame_half_ticks / 2)  # type: ignore[arg-type]
        if why is None:
            return _ffi.NULL
        self._poll_reason = _ffi.new("char[]", why)     # alive until the next call
        return self._poll_reason

    def abort(self, message: str) -> None:
        """Stop the cart from outside (as Console.abort): its next counted
        block raises."""
        if self.lib.rp8_abort(message.encode("latin-1")) != 0:
            raise NotImplementedError("not supported yet: stopping a compiled cart built without "
                                      "the CPU model")

    def fps(self) -> int:
        return int(self.lib.rp8_fps())

    def cpu(self) -> float:
        """The CPU use of the frame just run, as a fraction of its budget
        (stat(1) unrounded, as Console.cpu)."""
        half = int(self.lib.rp8_cpu_frame_half())
        if half < 0:
            raise NotImplementedError("not supported yet: stat(1) of a compiled cart built without "
                                      "the CPU model")
        return half * self.fps() / float(1 << 23)

    def cpu_counts(self) -> tuple[int, int]:
        """Units of Lua work and system ticks counted since boot (the
        interpreter's host.cpu() has the same two)."""
        out = _ffi.new("int64_t[2]")
        if self.lib.rp8_cpu_counts(out, out + 1) != 0:
            raise NotImplementedError("not supported yet: CPU counts of a compiled cart built without "
                                      "the CPU model")
        return int(out[0]), int(out[1])

    def menu_items(self) -> list[tuple[int, str]]:
        """The cart's menuitem() entries for the pause menu: (index, label)."""
        out = []
        n = _ffi.new("size_t *")
        for i in range(1, 6):
            label = self.lib.rp8_menu_label(i, n)
            if label != _ffi.NULL:
                out.append((i, to_unicode(_ffi.buffer(label, n[0])[:].decode("latin-1"))))
        return out

    def menu_call(self, index: int, buttons: int) -> bool:
        """Run entry `index`'s callback with the button bits (left 1, right
        2, O 16, X 32); True when it asks for the menu to stay open."""
        if not self.running:
            return False
        keep = bool(self.lib.rp8_menu_call(index, buttons))
        self._drain_log()
        return keep

    # ------------------------------------------------------------ the screen

    def indices(self) -> bytes:
        return screen.indices(self._eng_ffi, self._eng_lib, self.state)

    def rgb(self) -> bytes:
        return screen.rgb(self._eng_ffi, self._eng_lib, self.state)

    def frame_hash(self) -> str:
        return hashlib.sha1(self.indices()).hexdigest()

    def image(self) -> Any:
        return screen.image(self._eng_ffi, self._eng_lib, self.state)

    def show_error(self) -> None:
        """PICO-8's error screen over the last frame (as Console.show_error)."""
        if self.error is None:
            return
        lines = screen.error_lines(self.error.message, [])
        screen.draw_error(self._eng_lib, self.state, self.ram, lines)

    def close(self) -> None:
        self._remove_dir()


def _say(text: str) -> None:
    """Progress while a compiled cart is built (seconds, the first time)."""
    print(f"rp8: {text}...", file=sys.stderr, flush=True)


def compile_cpp_cached(source: Source, places: str) -> Any:
    """aot_build.compile_source's C++ (a CppCart), kept between runs by the
    cart's code and name, `places` (where its lines came from: the C++
    names them in error messages) and the front end's sources
    (console/desktop/start_cache.py): a second play of a cart runs no front end."""
    import json

    from aot.cpp_backend import CartPieces, CppCart
    from console.aot_build import compile_source
    from console.desktop import start_cache

    def make() -> bytes:
        c = compile_source(source)
        pc = c.pieces
        assert pc is not None
        return json.dumps({"code": c.code, "header": c.header, "globals": c.globals, "protos": c.protos,
                           "dynamic": c.dynamic_globals, "head": pc.head, "data": pc.data,
                           "funcs": pc.funcs, "tail": pc.tail}).encode()

    d = json.loads(start_cache.remembered("front", ["cpp", source.name, source.text, places], make))
    pieces = CartPieces(d["head"], d["data"], [(n, t) for n, t in d["funcs"]], d["tail"])
    return CppCart(d["code"], d["header"], d["globals"], d["protos"], d["dynamic"], pieces)


def _boot_for(path: Path) -> _AotBoot:
    cart = load_cart(path)
    source = Source(cart.code, path.name, form="bytes", locator=lambda line: str(cart.locate(line)))
    # the code area stays zero: nothing reads it, and a .p8's costs a PXA compression
    return _AotBoot(path, source, bytes(cart.data).ljust(ROM_SIZE, b"\0")[:ROM_SIZE], cart=cart)


def places_of(cart: Cart) -> str:
    """What Cart.locate maps lines to (the files #include brought in, and
    which line came from where), as a short text for a cache key."""
    if len(cart.files) <= 1:
        return cart.path.name
    return cache.key(repr([(f.path.name, f.has_tabs) for f in cart.files]), repr(cart.origins))


class AotPlayer(Player):
    """The desktop window (console.player) around a compiled cart: the same
    input, sound, pause menu (with the cart's menuitem entries) and captures.
    build: which build plays (console/aot_tiers.MODES)."""

    def __init__(self, path: Path, *args: Any, build: str = "optimised", **kwargs: Any) -> None:
        self.build = build
        super().__init__(path, *args, **kwargs)

    def _boot(self) -> Any:
        # on_slice: the window stays alive in a long frame, and closing it
        # (or Esc) stops a runaway cart, as in the interpreter's player
        options = Options(seed=self.seed, param=self.param, on_slice=self._on_slice,
                          on_extcmd=self._on_extcmd, on_progress=self._progress)
        return AotConsole.from_path(self.path, options, build=self.build)

    def _progress(self, text: str) -> None:
        """A build that takes seconds: said on stderr and in the window."""
        from console.player import Canvas

        _say(text)
        canvas = Canvas()
        canvas.box(0, 52, 127, 75, 0, 7)
        words, line = text.split(), ""
        lines = []
        for w in words:
            if len(line) + len(w) + 1 > 30:
                lines.append(line)
                line = w
            else:
                line = f"{line} {w}".strip()
        lines.append(line)
        for i, ln in enumerate(lines[:2]):
            canvas.text(ln.lower(), 3, 56 + 8 * i, 7)
        self._present(canvas.rgb())
        self._events()


def play_aot(path: Path, seed: Optional[int] = None, param: str = "", scale: int = 0,
             mute: bool = False, capture_dir: Optional[Path] = None, watch: bool = False,
             build: str = "optimised") -> int:
    """`rp8 run CART --aot` in a window."""
    return AotPlayer(path, seed=seed, param=param, scale=scale, mute=mute,
                     capture_dir=capture_dir, watch=watch, build=build).play()


__all__ = ["AotConsole", "AotPlayer", "play_aot"]
