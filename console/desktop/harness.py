"""Run cart code to completion and keep what it prints: the player's own
runtime (console/desktop/lua_env.py: the same sandboxed LuaJIT state, the
same API, the same frame handling) without a frame loop.

What the self-checking suites, the number property tests and the AOT
compiler's differential tests run on:

    h = Harness()
    h.run(Source("printh(1/3)"))       # the top level, to its end
    h.output == ["0.3333"]

`run` runs only the cart's top level (flip() still ends a frame and the next
one starts, as in the player); _init/_update/_draw are not called. `printh`
appends its text to `output`, and so does `print` (which still draws)
unless the harness is made with record_print=False.
Several chunks may run one after another in the same environment.
"""
from __future__ import annotations

from typing import Any, Optional

from aot import pipeline
from aot.p8scii import to_unicode
from aot.source import Source
from aot.errors import UserError
from console.machine import Machine, to_fix
from console.desktop.lua_env import (CART_MEMORY, Callbacks, Compiled, LuaConsole, compile_source, map_lua_error,
                                     printh_batch)

# Wraps the API's print so its text is also recorded (the C++ runtime's
# print does the same through the engine's print_text hook, host_main.cpp).
_RECORD_PRINT = b"""
local env, record, tostr, select, flush_printh = ...
local draw = env.print
env.print = function(...)
  flush_printh()      -- printh lines made before this print come first
  -- print() alone prints an empty line; print(nil) prints "[nil]"
  if select("#", ...) == 0 then record("") else record(tostr((...))) end
  return draw(...)
end
"""


class CartRuntimeError(UserError):
    """A Lua error raised by cart code; the message names the cart tab and
    line (mapped from the emitted Lua's line, which equals the cart line)."""


class _Recorder(Callbacks):
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def printh(self, *batch: Any) -> None:
        self.lines.extend(printh_batch(batch))

    def warn(self, message: bytes) -> None:
        return None


class Harness:
    """One headless console with its engine machine: run chunks of cart
    code in one environment and collect their print/printh lines."""

    def __init__(self, seed: Optional[int] = 0, memory: int = CART_MEMORY,
                 record_print: bool = True) -> None:
        from console._engine import lib

        self.machine = Machine()
        if seed is not None:
            lib.p8_srand(self.machine.state, to_fix(seed))
        self._lines: list[str] = []
        self.console = LuaConsole(self.machine, _Recorder(self._lines), memory)
        self.lua: Any = self.console.lua
        self.env: Any = self.console.env
        if record_print:
            self.lua.execute(_RECORD_PRINT, self.env, self._record, self.env[b"tostr"],
                             self.lua.eval(b"select"), self.console.host[b"flush_printh"])

    def _record(self, text: bytes) -> None:
        self._lines.append(to_unicode(text.decode("latin-1")))

    @property
    def output(self) -> list[str]:
        """print/printh lines so far, as readable Unicode."""
        return list(self._lines)

    @property
    def cost(self) -> int:
        """CPU counter units the cart's code has added so far."""
        used = self.console.call("cpu")
        return int(used[0] if isinstance(used, tuple) else used)

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
        self.console.load(compiled, top_only=True)
        while True:
            kind, value = self.console.step([0] * 8)
            if kind in ("frame", "skip"):
                continue
            if kind != "end":
                self._failed(kind, value, compiled.source)
            return

    def _failed(self, kind: str, value: Any, source: Source) -> None:
        if kind == "error":
            text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
            message, _places = map_lua_error(text, source)
            raise CartRuntimeError("runtime error: " + message)
        if kind == "oom":
            raise CartRuntimeError(f"runtime error: {source.name}: out of memory")
        what = value[b"kind"].decode("latin-1")
        if what == "stop":
            return                       # stop(): the program ends there
        if what == "oom":
            raise CartRuntimeError(f"runtime error: {source.name}: out of memory")
        message = value[b"message"]
        text = message.decode("latin-1") if isinstance(message, bytes) else f"{what}() needs the player"
        raise CartRuntimeError(f"runtime error: {source.name}: {to_unicode(text)}")

    def call(self, global_name: str, compiled: Compiled) -> None:
        """Call a global function of the cart (e.g. `main`), mapping errors
        to the cart's lines."""
        src = Source(f"{global_name}()", "call")
        result = pipeline.to_lua(src, counters=False)
        self.run_compiled(Compiled(compiled.source, result.chunk, result.output))


def compile_cart(source: Source, counters: bool = True) -> Compiled:
    """Parse, resolve and emit Lua for one cart (syntax errors raise
    aot.source.CartSyntaxError)."""
    return compile_source(source, counters)


__all__ = ["Harness", "CartRuntimeError", "compile_cart", "Compiled"]
