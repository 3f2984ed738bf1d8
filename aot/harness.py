"""A minimal headless PICO-8: compile a cart to Lua and run it in LuaJIT.

This is what the self-checking suites run on before the player exists: no
screen, no input, no sound; `print` and `printh` append to `Harness.output`.

How the engine is reached (the pattern the player follows): the engine is
a cffi extension (console._engine). Its C functions' addresses are taken
once with `ffi.cast("uintptr_t", ffi.addressof(lib, "p8_fix_sin"))`, passed
to LuaJIT as numbers, and cast there to FFI function pointers
(`ffi.cast("int32_t (*)(int32_t)", addr)`); the p8_state pointer travels
the same way. After that a cart's `sin(x)` is LuaJIT calling C directly
(~2 ns); Python is not on the path. The FFI handles live in upvalues of the
API closures: the cart's environment is a fresh table holding only the
PICO-8 API, never `ffi`, `io`, `os`, `debug`, `require`, `package`, `load`
or `string.dump`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from aot import ast
from aot.lua_backend import CHUNK_NAME, LuaChunk, emit_lua
from aot.p8scii import to_unicode
from aot.parser import Parser
from aot.resolver import resolve
from aot.source import Source
from console.errors import UserError

_HERE = Path(__file__).resolve().parent
RUNTIME_LUA = (_HERE / "lua_runtime.lua").read_text()
HARNESS_API_LUA = (_HERE / "harness_api.lua").read_text()

# engine function -> (C signature as LuaJIT declares it, takes the state)
_ENGINE_FUNCS = {
    "p8_fix_pow": ("int32_t (*)(int32_t, int32_t)", False),
    "p8_fix_sqrt": ("int32_t (*)(int32_t)", False),
    "p8_fix_sin": ("int32_t (*)(int32_t)", False),
    "p8_fix_cos": ("int32_t (*)(int32_t)", False),
    "p8_fix_atan2": ("int32_t (*)(int32_t, int32_t)", False),
    "p8_rnd": ("int32_t (*)(void *, int32_t)", True),
    "p8_rnd_int": ("int32_t (*)(void *, int32_t)", True),
    "p8_srand": ("void (*)(void *, int32_t)", True),
    "p8_peek": ("int32_t (*)(void *, int32_t)", True),
    "p8_peek2": ("int32_t (*)(void *, int32_t)", True),
    "p8_peek4": ("int32_t (*)(void *, int32_t)", True),
    "p8_poke": ("void (*)(void *, int32_t, int32_t)", True),
    "p8_poke2": ("void (*)(void *, int32_t, int32_t)", True),
    "p8_poke4": ("void (*)(void *, int32_t, int32_t)", True),
    "p8_memcpy": ("void (*)(void *, int32_t, int32_t, int32_t)", True),
    "p8_memset": ("void (*)(void *, int32_t, int32_t, int32_t)", True),
}

# Lua that turns the addresses into number-taking functions. Raw bits go in
# as number*65536 (an exact integer) and come back divided by 65536.
_BIND_ENGINE = r"""
local ffi = require("ffi")
local addrs, state_addr = ...
local state = ffi.cast("void *", ffi.cast("uintptr_t", state_addr))
local function fn(name, sig)
  local a = addrs[name]
  if a == nil then return nil end
  return ffi.cast(sig, ffi.cast("uintptr_t", a))
end
local eng, fix = {}, {}
local sigs = addrs.__sigs
local pow = fn("p8_fix_pow", sigs.p8_fix_pow)
if pow then fix.pow = function(a, b) return pow(a, b) end end
local function un(name)
  local f = fn(name, sigs[name])
  if f then return function(x) return f(x * 65536) / 65536 end end
end
eng.sqrt, eng.sin, eng.cos = un("p8_fix_sqrt"), un("p8_fix_sin"), un("p8_fix_cos")
local at = fn("p8_fix_atan2", sigs.p8_fix_atan2)
if at then eng.atan2 = function(x, y) return at(x * 65536, y * 65536) / 65536 end end
local function st1(name)
  local f = fn(name, sigs[name])
  if f then return function(x) return f(state, x * 65536) / 65536 end end
end
eng.rnd, eng.peek, eng.peek2, eng.peek4 = st1("p8_rnd"), st1("p8_peek"), st1("p8_peek2"), st1("p8_peek4")
local ri = fn("p8_rnd_int", sigs.p8_rnd_int)
if ri then eng.rnd_int = function(n) return ri(state, n) end end
local sr = fn("p8_srand", sigs.p8_srand)
if sr then eng.srand = function(x) sr(state, x * 65536) end end
local function st2(name)
  local f = fn(name, sigs[name])
  if f then return function(a, v) f(state, a * 65536, v * 65536) end end
end
eng.poke, eng.poke2, eng.poke4 = st2("p8_poke"), st2("p8_poke2"), st2("p8_poke4")
local function st3(name)
  local f = fn(name, sigs[name])
  if f then return function(a, b, c) f(state, a * 65536, b * 65536, c * 65536) end end
end
eng.memcpy, eng.memset = st3("p8_memcpy"), st3("p8_memset")
for k, v in pairs(eng) do return eng, fix end
return nil, fix
"""

# Runs a compiled chunk in a fresh environment; errors come back as text
# with a traceback, never as a Python exception from inside Lua.
_RUN = r"""
local code, env, rt, counter = ...
local chunk, err = loadstring(code, "=""" + CHUNK_NAME + r"""")
if not chunk then return false, err end
setfenv(chunk, env)
local ok, msg = xpcall(function() return chunk(rt, env, counter) end,
                       function(m) return debug.traceback(tostring(m), 2) end)
return ok, msg
"""


class CartRuntimeError(UserError):
    """A Lua error raised by cart code; the message names the cart tab and
    line (mapped from the emitted Lua's line, which equals the cart line)."""


@dataclass
class Compiled:
    source: Source
    chunk: ast.Chunk
    lua: LuaChunk


def compile_cart(source: Source, counters: bool = True) -> Compiled:
    """Parse, resolve and emit Lua for one cart (syntax errors raise
    aot.source.CartSyntaxError)."""
    chunk = Parser(source).chunk()
    resolve(chunk, source)
    return Compiled(source, chunk, emit_lua(chunk, counters))


def map_lua_error(message: str, source: Source) -> str:
    """Replace `p8cart:N:` in a LuaJIT message or traceback with the cart's
    tab and line, and drop traceback lines from the harness itself."""
    def repl(m: re.Match[str]) -> str:
        return source.where(int(m.group(1))) + ":"

    lines = []
    for ln in message.split("\n"):
        if "[C]:" in ln or "[string" in ln or "harness" in ln:
            continue
        lines.append(re.sub(CHUNK_NAME + r":(\d+):", repl, ln))
    return to_unicode("\n".join(lines).strip())


def _lua_runtime_class() -> Any:
    try:
        from lupa import luajit21 as mod  # lupa >= 2.0 ships LuaJIT 2.1
    except ImportError:  # pragma: no cover - depends on the lupa build
        import lupa as mod  # type: ignore[no-redef]
    return mod.LuaRuntime


class Harness:
    """One headless console: a LuaJIT state, an engine p8_state for the
    functions that need one, and the output lines of print/printh."""

    def __init__(self, use_engine: bool = True, seed: int = 0) -> None:
        LuaRuntime = _lua_runtime_class()
        # encoding=None: Lua strings stay bytes (P8SCII), never decoded.
        self.lua = LuaRuntime(encoding=None, unpack_returned_tuples=True, register_eval=False,
                              register_builtins=False)
        self.machine: Optional[Any] = None
        addrs: dict[str, Any] = {}
        state_addr = 0
        if use_engine:
            addrs, state_addr = self._engine_addresses()
        lua_addrs = self.lua.table_from({k.encode(): v for k, v in addrs.items()})
        lua_addrs[b"__sigs"] = self.lua.table_from({k.encode(): v[0].encode() for k, v in _ENGINE_FUNCS.items()})
        bind = self.lua.execute(_BIND_ENGINE.encode(), lua_addrs, state_addr)
        eng, fix = bind if isinstance(bind, tuple) else (bind, None)
        bit = self.lua.eval(b'require("bit")')
        make = self.lua.execute(RUNTIME_LUA.encode())
        self.rt = make(bit, fix)
        self.out = self.lua.table()
        build = self.lua.execute(HARNESS_API_LUA.encode())
        self.env = build(self.rt, bit, eng, self.out)
        if eng is not None and seed is not None and "p8_srand" in addrs:
            self.env[b"srand"](seed)
        self.counter = self.lua.eval(b"{[0] = 0}")
        self._run = self.lua.execute(("return function(...) " + _RUN + " end").encode())

    def _engine_addresses(self) -> tuple[dict[str, int], int]:
        try:
            from console._engine import ffi, lib
            from console.machine import Machine
        except ImportError:
            return {}, 0
        self.machine = Machine()
        addrs = {}
        for name in _ENGINE_FUNCS:
            if hasattr(lib, name):
                addrs[name] = int(ffi.cast("uintptr_t", ffi.addressof(lib, name)))
        state_addr = int(ffi.cast("uintptr_t", self.machine.state))
        return addrs, state_addr

    @property
    def output(self) -> list[str]:
        """print/printh lines so far, as readable Unicode."""
        return [to_unicode(bytes(self.out[i + 1])) for i in range(len(self.out))]

    @property
    def cost(self) -> int:
        return int(self.counter[0])

    def define(self, name: str, lua_expr: str) -> None:
        """Set a global of the cart's environment to a Lua expression's value
        (evaluated in the host state, e.g. a helper a test suite expects)."""
        self.env[name.encode("latin-1")] = self.lua.eval(lua_expr.encode("latin-1"))

    def run(self, source: Source | str, name: str = "cart") -> Compiled:
        """Compile and run a cart's top level. Raises CartSyntaxError or
        CartRuntimeError."""
        src = source if isinstance(source, Source) else Source(source, name)
        compiled = compile_cart(src)
        self.run_compiled(compiled)
        return compiled

    def run_compiled(self, compiled: Compiled) -> None:
        code = compiled.lua.code.encode("latin-1")
        ok, msg = self._run(code, self.env, self.rt, self.counter)
        if not ok:
            text = msg.decode("latin-1") if isinstance(msg, bytes) else str(msg)
            raise CartRuntimeError("runtime error: " + map_lua_error(text, compiled.source))

    def call(self, global_name: str, compiled: Compiled) -> None:
        """Call a global function of the cart (e.g. `main`), mapping errors."""
        src = Source(f"{global_name}()", "call")
        call_chunk = Compiled(compiled.source, compiled.chunk,
                              emit_lua(_resolved(src), counters=False))
        self.run_compiled(call_chunk)


def _resolved(src: Source) -> ast.Chunk:
    chunk = Parser(src).chunk()
    resolve(chunk, src)
    return chunk
