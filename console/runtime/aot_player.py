"""A cart compiled ahead of time, as a frame source for the player.

`AotConsole` is the AOT twin of console.runtime.frameloop.Console: the same
`step(masks)` / `status` / `indices()` interface, so the window, the
headless runner and the differential tests drive either. The cart is
compiled to C++ (aot/cpp_backend.py), built with the engine, the runtime,
the runner (aot/runtime/rt_runner.cpp) and platform/host into a shared
library (cached by content hash, aot/cpp_build.py), and loaded with cffi.
Each console loads its own copy of the library, since the runner keeps one
machine per loaded library.
"""
from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import Any, Optional

from cffi import FFI

from aot.p8scii import to_unicode
from aot.source import Source
from console.cart import load_cart
from console.machine import to_fix
from console.runtime.cartdata import CartData, default_dir
from console.runtime import screen
from console.runtime.frameloop import CartRuntimeError, Options

ROM_SIZE = 0x8000

_CDEF = """
int rp8_boot(uint32_t seed_raw, const char *param);
int rp8_frame(const uint8_t masks[8]);
void *rp8_machine(void);
int rp8_fps(void);
const char *rp8_message(size_t *len);
uint32_t rp8_memory_used(void);
uint32_t rp8_frames(void);
void rp8_set_frame_limit_us(uint32_t us);
size_t rp8host_log_take(char *out, size_t cap);
void rp8host_set_cartdata(int (*load)(const char *, uint8_t *), void (*save)(const char *, const uint8_t *));
void rp8host_set_printh_file(const char *(*fn)(const char *, size_t, const char *, size_t, int));
"""
_KINDS = {0: "frame", 1: "skip", 2: "ended", 3: "error", 4: "stopped"}

_ffi = FFI()
_ffi.cdef(_CDEF)


class _AotMachine:
    """What the player's audio and menu code read of a Machine."""

    def __init__(self, state: Any, ram: memoryview) -> None:
        self.state = state
        self.ram = ram


class AotConsole:
    """One console running one compiled cart."""

    def __init__(self, source: Source, rom: bytes, options: Optional[Options] = None) -> None:
        from aot.cpp_build import build_player_library, compile_source
        from console._engine import ffi as eng_ffi, lib as eng_lib

        self.options = options or Options()
        self.name = source.name
        self.printh_lines: list[str] = []
        self.warnings: list[str] = []
        self.error: Optional[CartRuntimeError] = None
        self.stop_message: Optional[str] = None
        self.ended = False
        self.frame = 0
        rom = bytes(rom).ljust(ROM_SIZE, b"\0")[:ROM_SIZE]
        self.compiled = compile_source(source)
        built = build_player_library(self.compiled, rom)
        # a private copy: dlopen of one path shares the runner's state
        self._dir = Path(tempfile.mkdtemp(prefix="rp8-aot-"))
        so = self._dir / "cart.so"
        shutil.copyfile(built, so)
        self.lib: Any = _ffi.dlopen(str(so), _ffi.RTLD_NOW | _ffi.RTLD_LOCAL)
        self.cartdata = CartData(self.options.data_dir or default_dir())
        self._callbacks = (_ffi.callback("int(const char *, uint8_t *)", self._cd_load),
                           _ffi.callback("void(const char *, const uint8_t *)", self._cd_save))
        self.lib.rp8host_set_cartdata(*self._callbacks)
        self._printh_cb = _ffi.callback("const char *(const char *, size_t, const char *, size_t, int)",
                                        self._printh_file)
        self._printh_err: Any = None
        self.lib.rp8host_set_printh_file(self._printh_cb)
        seed = self.options.seed
        raw = to_fix(seed) if seed is not None else 0
        if self.options.frame_timeout is not None:
            self.lib.rp8_set_frame_limit_us(min(int(self.options.frame_timeout * 1e6), 0xFFFFFFFF))
        self.lib.rp8_boot(raw & 0xFFFFFFFF, self.options.param.encode("latin-1"))
        addr = int(_ffi.cast("uintptr_t", self.lib.rp8_machine()))
        self._eng_ffi, self._eng_lib = eng_ffi, eng_lib
        self.state = eng_ffi.cast("p8_state *", addr)
        self.ram = memoryview(eng_ffi.buffer(eng_lib.p8_ram(self.state), 0x10000))
        self.machine = _AotMachine(self.state, self.ram)
        self._logbuf = _ffi.new("char[]", 65536)
        self._pending = ""

    @classmethod
    def from_path(cls, path: Path, options: Optional[Options] = None) -> "AotConsole":
        cart = load_cart(path)
        source = Source(cart.code, path.name, form="bytes", locator=lambda line: str(cart.locate(line)))
        return cls(source, cart.rom, options)

    @classmethod
    def from_code(cls, code: str, name: str = "test.p8", options: Optional[Options] = None,
                  rom: bytes = b"") -> "AotConsole":
        return cls(Source(code, name, form="unicode"), rom, options)

    # ------------------------------------------------------------ services

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
        """printh(s, file): the interpreter's own rules and folder."""
        from console.runtime.frameloop import _ConsoleCallbacks

        err = _ConsoleCallbacks(self).printh_file(_ffi.buffer(text, n)[:], _ffi.buffer(name, nlen)[:],
                                                  bool(overwrite))
        if err is None:
            return _ffi.NULL
        self._printh_err = _ffi.new("char[]", err)   # alive until the next call
        return self._printh_err

    def _drain_log(self) -> None:
        while True:
            n = self.lib.rp8host_log_take(self._logbuf, 65536)
            if n == 0:
                break
            self._pending += _ffi.buffer(self._logbuf, n)[:].decode("latin-1")
        while "\n" in self._pending:
            raw, self._pending = self._pending.split("\n", 1)
            if raw.startswith("runtime error: "):
                continue      # the runner's own report; the console keeps it as .error
            line = to_unicode(raw)
            self.printh_lines.append(line)
            if self.options.printh is not None:
                self.options.printh(line)
            else:
                print(line, flush=True)

    # ------------------------------------------------------------ running

    @property
    def running(self) -> bool:
        return self.error is None and self.stop_message is None and not self.ended

    @property
    def status(self) -> str:
        if self.error is not None:
            return "error"
        if self.stop_message is not None:
            return "stopped"
        if self.ended:
            return "ended"
        return "frame"

    def step(self, masks: Optional[list[int]] = None) -> str:
        if not self.running:
            return self.status
        m = _ffi.new("uint8_t[8]", [x & 0xFF for x in (masks or [0] * 8)][:8])
        kind = _KINDS[self.lib.rp8_frame(m)]
        self._drain_log()
        if kind in ("frame", "skip"):
            self.frame += 1
            return kind
        if kind == "ended":
            self.ended = True
        else:
            n = _ffi.new("size_t *")
            text = _ffi.buffer(self.lib.rp8_message(n), n[0])[:].decode("latin-1")
            if kind == "error":
                self.error = CartRuntimeError(to_unicode(text), [])
            else:
                self.stop_message = to_unicode(text)
        return self.status

    def abort(self, message: str) -> None:
        raise NotImplementedError("not supported yet: stopping a compiled cart in the middle of a frame")

    def fps(self) -> int:
        return int(self.lib.rp8_fps())

    def cpu(self) -> float:
        raise NotImplementedError("not supported yet: stat(1) CPU model for compiled carts")

    def menu_items(self) -> list[tuple[int, str]]:
        """The pause menu's cart entries: not offered for compiled carts yet
        (their menuitem() callbacks are kept by the runtime, unused)."""
        return []

    def menu_call(self, index: int, buttons: int) -> bool:
        return False

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
        shutil.rmtree(self._dir, ignore_errors=True)


def play_aot(path: Path, seed: Optional[int] = None, param: str = "", scale: int = 0,
             mute: bool = False) -> int:
    """`rp8 run CART --aot` in a window: the player's window, input and
    sound around the compiled cart."""
    from console.player import Player

    class AotPlayer(Player):
        def _boot(self) -> Any:
            options = Options(seed=self.seed, param=self.param, on_extcmd=self._on_extcmd)
            return AotConsole.from_path(self.path, options)

    return AotPlayer(path, seed=seed, param=param, scale=scale, mute=mute).play()


__all__ = ["AotConsole", "play_aot"]
