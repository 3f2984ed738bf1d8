"""One sandboxed LuaJIT state bound to one engine machine.

The pattern (see DESIGN.md, "Data flow"): the engine is the cffi extension
console._engine. The address of every C function aot/api.py names is
taken once with cffi and handed to LuaJIT as a number; LuaJIT casts it to an
FFI function pointer (console/desktop/bindgen.py generates those casts and
the wrappers). After that a cart's `circfill(...)` is LuaJIT calling C
directly: Python is not on the path of an API call. Python comes in once a
frame (`step`) and on a few rare calls (printh to a file, cartdata, load).

Sandbox (tests/attack/test_sandbox.py tries the escapes):
  - the cart's globals are a fresh table holding only the PICO-8 API; the
    FFI, the runtime table, the host's globals and these callbacks live in
    upvalues of host code the cart cannot reach;
  - lupa is built with register_eval=False, register_builtins=False and an
    attribute filter that refuses every Python attribute, and the host's
    `python` global is removed;
  - strings have no methods (their shared metatable would hand out the
    string library: string.dump, string.rep);
  - Lua memory is capped: PICO-8's 2 MiB for the cart (in LuaJIT's bigger
    objects: LUAJIT_BYTES_PER_CART_BYTE) on top of what the host itself
    uses; going over is "out of memory";
  - the CPU counter the Lua back end bumps is a proxy that calls the host
    every SLICE units, so an endless loop can always be stopped.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from aot import ast
from aot import pipeline
from aot.builtins import GLYPH_GLOBALS, LUA_MEMORY
from aot.lua_backend import CHUNK_NAME, MAIN_FUNCTION, LuaChunk, runtime_source
from aot.p8scii import to_unicode, to_unicode_lines
from aot.source import Source
from aot.errors import UserError
from console.machine import Machine
from console.desktop.host_limits import HOST_TURN
from console.desktop import bindgen, start_cache

_HERE = Path(__file__).resolve().parent

CART_MEMORY = LUA_MEMORY            # PICO-8's Lua memory
# PICO-8's 2 MiB is counted in its own object sizes, which rp8 keeps in one
# place: the compiled carts' arena (the device's layout), where the 2 MiB
# line holds exactly. LuaJIT needs several times the bytes for the same
# data (measured after 300 frames, stat(0) against the arena's peak: corpus
# cart bump 2,415 vs 1,154 KiB, 2.1x; toyboxjam2020 4,782 vs 974 KiB, 4.9x),
# so the interpreter lets LuaJIT use this many of its bytes per byte of the
# cart's memory: a cart that fits the arena also fits the interpreter, and
# the arena is where "out of memory" is decided. (Runaway allocation is
# still stopped, a few MiB later.)
LUAJIT_BYTES_PER_CART_BYTE = 6
HOST_MARGIN = 16 * 1024 * 1024      # room above the cart's limit for the host


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


BIOS_CHUNK = "bios"      # the chunk name LuaJIT gives the BIOS's positions


@functools.lru_cache(maxsize=1)
def bios_lua() -> str:
    """The BIOS compiled by the Lua back end, with the CPU model's counters
    (but for its `-- rp8:native` functions, aot/bios.py): a loader
    `(rt, env, counter)` as for a cart, its globals plain globals of the
    environment it is given (api_lua.lua)."""
    from aot.bios import bios_source, uncounted
    from aot.lua_backend import emit_lua

    def make() -> bytes:
        source = bios_source()
        chunk = pipeline.run(source, stop_after="resolve").chunk
        return emit_lua(chunk, True, hidden_locals=False, uncounted=uncounted(chunk, source)).code.encode("latin-1")

    return start_cache.remembered("front", ["bios"], make).decode("latin-1")


@functools.lru_cache(maxsize=1)
def bindings_lua() -> str:
    """bindgen.lua_bindings(), kept between runs (it parses the engine's
    headers with pycparser)."""
    return start_cache.remembered("bindings", ["lua"], lambda: bindgen.lua_bindings().encode()).decode()


# host.step's kinds of a frame that ran, as step returns them
_FRAME_KINDS = {b"frame": "frame", b"skip": "skip"}


@dataclass
class Compiled:
    source: Source
    chunk: Optional[ast.Chunk]     # None when the Lua came from the cache
    lua: LuaChunk


def compile_source(source: Source, counters: bool = True) -> Compiled:
    """Parse, resolve and emit Lua for one cart (syntax errors raise
    aot.source.CartSyntaxError, a UserError naming the cart, tab and line)."""
    result = pipeline.to_lua(source, counters)
    return Compiled(source, result.chunk, result.output)


def compile_cached(source: Source, counters: bool = True) -> Compiled:
    """compile_source's Lua, kept between runs by the cart's code and name
    (and the front end's own sources): a cart's second start skips the
    front end. A cart with a syntax error is compiled (and refused) each time."""
    def make() -> bytes:
        out = compile_source(source, counters).lua
        return json.dumps({"code": out.code, "helpers": out.helpers, "counters": out.counters,
                           "builtins": out.builtins}).encode()

    data = json.loads(start_cache.remembered("front", ["cart", source.name, source.text, str(counters)],
                                             make))
    return Compiled(source, None, LuaChunk(data["code"], data["helpers"], data["counters"],
                                           data["builtins"]))


_CART_LINE = re.compile(re.escape(CHUNK_NAME) + r":(\d+):")
_MAIN = "'" + MAIN_FUNCTION + "'"
# a position in one of the host's chunks (lupa names its own "[string ...]")
_HOST_PLACE = re.compile(r'^(?:(?:runtime|bindings|api|bios):\d+|\[string "[^"]*"\]:\d+): ')
# LuaJIT names the variable in some messages ("attempt to call local 'f'
# (a nil value)"); inside the BIOS that name is the BIOS's, which compiled
# carts do not know, so both consoles say "attempt to call a nil value"
_BIOS_NAMED = re.compile(r"^(bios:\d+: attempt to [a-z ]+?) (?:local|global|field|upvalue|method) "
                         r"'[^']*' \((an? \w+ value)\)")


def map_lua_error(message: str, source: Source) -> tuple[str, list[str]]:
    """A LuaJIT error with traceback -> (message, cart places): `p8cart:N:`
    becomes the cart's file, tab and line; host frames are dropped."""
    lines = message.split("\n")
    head = _BIOS_NAMED.sub(r"\1 \2", lines[0])
    m = _CART_LINE.search(head)
    text = _CART_LINE.sub(lambda mm: source.where(int(mm.group(1))) + ":", head)
    places: list[str] = []
    first: str | None = None
    for ln in lines[1:]:
        mm = _CART_LINE.search(ln)
        if mm:
            where = source.where(int(mm.group(1)))
            first = first or where
            rest = ln[mm.end():].strip()
            if _MAIN in rest:
                # the cart's top level; what called it is the loader and host
                places.append(f"{where}: in main chunk")
                break
            rest = rest.replace("in function <p8cart:", "in function <line ")
            places.append(f"{where}: {rest}" if rest else where)
    if m and not places:
        places.append(source.where(int(m.group(1))))
    if first is not None:
        host = _HOST_PLACE.match(head) if m is None else None
        if head == "stack overflow" or head.endswith(": stack overflow"):
            # LuaJIT places a stack overflow at the header of the function
            # being entered, or nowhere; PUC Lua (PICO-8) at the call
            text = f"{first}: stack overflow"
        elif host:
            # raised inside the host's own Lua: the cart line that called it
            text = f"{first}: {head[host.end():]}"
    return to_unicode(text), [to_unicode(p) for p in places]


def out_of_memory(name: str, trace: str | None, source: Source) -> tuple[str, list[str]]:
    """Out of memory (the cart has used its 2 MiB): the message names the
    innermost cart line of the dead cart coroutine's traceback, as the
    compiled runtime's does; none when that frame has no line (LuaJIT
    gives none inside some library calls, or at flip() between callbacks)."""
    if not trace:
        return f"{name}: out of memory", []
    _, places = map_lua_error("out of memory\n" + trace, source)
    for ln in trace.split("\n"):
        ln = ln.strip()
        if ln.startswith(CHUNK_NAME):
            m = _CART_LINE.match(ln)
            if m:
                return f"{source.where(int(m.group(1)))}: out of memory", places
            break
    return f"{name}: out of memory", places


def refused(message: str, source: Source) -> UserError:
    """LuaJIT would not load the emitted code. The front end refuses what
    PICO-8 refuses and what LuaJIT cannot hold (aot.resolver, aot.parser,
    lua_backend.check_limits), so this is a limit it does not yet check:
    say so in one line, at the cart line LuaJIT names."""
    m = _CART_LINE.search(message)
    where = source.where(int(m.group(1))) if m else source.name
    what = _CART_LINE.sub("", message).strip()
    return UserError(f"{where}: not supported yet: code the interpreter's LuaJIT cannot load ({what})")


def _lupa() -> Any:
    try:
        from lupa import luajit21 as mod  # lupa >= 2.0 ships LuaJIT 2.1
    except ImportError:  # pragma: no cover - depends on the lupa build
        import lupa as mod  # type: ignore[no-redef]
    return mod


def _lua_runtime_class() -> Any:
    return _lupa().LuaRuntime


def _refuse_attributes(obj: Any, name: Any, is_setting: bool) -> Any:
    raise AttributeError("Python objects are not reachable from Lua")


_PLAIN = (type(None), bool, int, float, bytes)


def _guarded(fn: Any) -> Any:
    """A callback for the Lua host that never raises into Lua and returns
    only plain values: (True, result) or (False, message). A raised Python
    exception would reach Lua as a Python object (lupa wraps it); the host's
    `guard` (host_lua.lua) aborts the cart on (False, message)."""
    def call(*args: Any) -> tuple[bool, Any]:
        try:
            result = fn(*args)
        except BaseException as exc:   # noqa: BLE001 - nothing may cross into Lua
            return False, f"{type(exc).__name__}: {exc}"[:200].encode("latin-1", "replace")
        if not isinstance(result, _PLAIN):
            return False, f"returned a {type(result).__name__}".encode()
        return True, result
    return call


def printh_batch(batch: tuple[Any, ...]) -> list[str]:
    """The lines of one printh callback from the host (host_lua.lua's
    flush_printh), oldest first: (text, n), n lines joined by NULs (none of
    them holds one), or the lines themselves."""
    if len(batch) == 2 and not isinstance(batch[1], bytes):
        return to_unicode(batch[0]).split("\0")
    return to_unicode_lines(list(batch))


class Callbacks:
    """What the Lua host calls back into Python for (rarely). The player
    overrides what it supports; the defaults are a plain headless console."""

    def slice(self, units: float) -> Optional[bytes]:
        """Called every SLICE counter units while a frame runs; return a
        reason (bytes) to abort the cart, None to carry on."""
        return None

    def printh(self, *batch: Any) -> None:
        """printh lines, oldest first (the host hands them over in batches:
        printh_batch)."""
        print("\n".join(printh_batch(batch)), flush=True)

    def printh_file(self, text: bytes, name: bytes, overwrite: bool) -> Optional[bytes]:
        """Append (or write) `text` to file `name`; an error message or None."""
        return b"not supported yet: printh to a file in this console"

    def extcmd(self, cmd: bytes, arg: bytes) -> None:
        return None

    def cartdata(self, ident: bytes) -> bool:
        return False

    def can_load(self, name: bytes) -> bool:
        return False

    def other_rom(self, name: bytes) -> Optional[bytes]:
        return None

    def warn(self, message: bytes) -> None:
        print("rp8: " + message.decode("latin-1"), flush=True)

    def where(self, line: int) -> bytes:
        """A line of the compiled chunk as the cart's `name tab T line L`,
        for error messages a cart sees (coresume's)."""
        return f"line {line}".encode("latin-1")


class LuaConsole:
    """The LuaJIT side of one console: a state, its host driver and the
    cart's environment, bound to `machine`."""

    def __init__(self, machine: Machine, callbacks: Callbacks,
                 memory: int = CART_MEMORY, stat0_pin: Optional[float] = None) -> None:
        from console._engine import ffi, lib

        self.machine = machine
        self.callbacks = callbacks
        LuaRuntime = _lua_runtime_class()
        self.lua = LuaRuntime(encoding=None, unpack_returned_tuples=True, register_eval=False,
                              register_builtins=False, attribute_filter=_refuse_attributes,
                              max_memory=0)
        self.lua.execute(b"python = nil")
        addrs = {}
        for name in bindgen.bound_functions():
            addrs[name.encode()] = int(ffi.cast("uintptr_t", ffi.addressof(lib, name)))
        cb = self.lua.table_from({name.encode(): _guarded(getattr(callbacks, name)) for name in (
            "slice", "printh", "printh_file", "extcmd", "cartdata", "can_load", "other_rom",
            "warn", "where")})
        args = self.lua.table_from({
            b"cdef": bindgen.lua_cdef().encode(),
            b"bindings": bindings_lua().encode(),
            b"runtime": runtime_source().encode(),
            b"api_lua": _read(_HERE / "api_lua.lua").encode(),
            b"bios": bios_lua().encode("latin-1"),
            b"addrs": self.lua.table_from(addrs),
            b"glyphs": self.lua.table_from({bytes([c]): v for c, v in GLYPH_GLOBALS.items()}),
            b"state": int(ffi.cast("uintptr_t", machine.state)),
            b"callbacks": cb,
            b"memory_kib": int(memory * LUAJIT_BYTES_PER_CART_BYTE) // 1024 if memory else 1 << 30,
            b"host_turn": HOST_TURN,
            b"stat0_pin": stat0_pin,
        })
        make = self.lua.execute(_read(_HERE / "host_lua.lua").encode())
        self.host = make(args)
        self._host_step = self.host[b"step"]      # called every frame
        self.env = self.host[b"env"]()
        self.host[b"mark_memory"]()
        # The cart's limit is checked on live data in host_lua.lua; the
        # allocator's hard cap sits well above it so one runaway allocation
        # (s = s..s) becomes "out of memory" instead of taking the host down,
        # and the host always has room for its own calls.
        self._memory = memory
        self._hard_cap = int(memory * LUAJIT_BYTES_PER_CART_BYTE) * 4 + HOST_MARGIN if memory else 0
        if memory:
            self.lua.set_max_memory(self._hard_cap, total=False)

    def load(self, compiled: Compiled, top_only: bool = False) -> None:
        """Make `compiled` the program `step` runs: its top level, then the
        game loop (or, with top_only, the top level alone)."""
        code = compiled.lua.code.encode("latin-1")
        err = self.host[b"load"](code, top_only)
        if err is not None:
            raise refused(err.decode("latin-1"), compiled.source)
        self.host[b"mark_memory"]()
        if self._memory:
            self.lua.set_max_memory(self._hard_cap, total=False)

    def step(self, masks: list[int]) -> tuple[str, Any]:
        """Run the cart to its next frame end; see host_lua.lua host.step."""
        m = masks if len(masks) == 8 else (list(masks) + [0] * 8)[:8]
        try:
            res = self._host_step(*m)
            if res.__class__ is bytes:      # the usual frame: one kind, no value
                kind = _FRAME_KINDS.get(res)
                if kind is not None:
                    return kind, None
        except _lupa().LuaError as exc:
            # a fault of the host's own Lua (host.step contains cart errors):
            # the cart ends with a message, never a traceback
            self.lua.set_max_memory(0)
            first = str(exc).split("\n")[0][:200]
            return "abort", self.lua.table_from({b"kind": b"abort",
                                                 b"message": f"internal error: {first}".encode("latin-1", "replace")})
        kind0 = res[0] if isinstance(res, tuple) else res
        if kind0 not in (b"frame", b"skip"):
            # the cart is over: lift the cap so reading its state cannot fail
            self.lua.set_max_memory(0)
        if isinstance(res, tuple):
            kind, value = res[0], res[1] if len(res) > 1 else None
        else:
            kind, value = res, None
        return kind.decode(), value

    def call(self, name: str, *args: Any) -> Any:
        return self.host[name.encode()](*args)

