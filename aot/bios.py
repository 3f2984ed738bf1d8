"""The shape of the BIOS (console/bios.lua), shared by both back ends'
builds of it (console/runtime/lua_env.bios_lua for LuaJIT, aot/cpp_bios.py
for C++), so the two read the file by the same rules:

  - only `function name(...) ... end` at the top level: each defines the
    cart-visible builtin `name`;
  - a function whose line above reads `-- rp8:native` is compiled without
    the CPU model's per-block counters (nor do the functions nested in
    it count): it stands for a C function of PICO-8's and charges only
    the system ticks of the engine bindings it calls (console/api.py
    costs), as a native call would. Only functions doing a bounded amount
    of work per call are marked so (rnd, pal); loops over a cart's values
    stay counted, so runaway library work reaches the unit limit.
"""
from __future__ import annotations

from pathlib import Path

from aot import ast
from aot.source import CartSyntaxError, Source

BIOS_PATH = Path(__file__).resolve().parent.parent / "console" / "bios.lua"
NATIVE_MARK = "-- rp8:native"


def bios_source() -> Source:
    """console/bios.lua, the library functions both consoles run."""
    return Source(BIOS_PATH.read_text(encoding="utf-8"), name="bios.lua")


def top_functions(chunk: ast.Chunk, source: Source) -> dict[int, str]:
    """id(Function) -> builtin name of every top-level `function name()`;
    anything else at the top level is refused."""
    out: dict[int, str] = {}
    for st in chunk.body.body:
        ok = (type(st) is ast.Assign and len(st.targets) == 1 and len(st.values) == 1
              and type(st.targets[0]) is ast.Name and type(st.values[0]) is ast.Function)
        if not ok:
            raise CartSyntaxError(source, st.line, st.col,
                                  "the BIOS holds only top-level `function name() ... end`")
        out[id(st.values[0])] = st.targets[0].name  # type: ignore[attr-defined]
    return out


def uncounted(chunk: ast.Chunk, source: Source) -> frozenset[int]:
    """id() of every function compiled without counters: the top-level
    functions marked `-- rp8:native` and the functions nested in them."""
    lines = source.text.split("\n")
    marked: set[int] = set()
    for st in chunk.body.body:
        if st.line >= 2 and lines[st.line - 2].strip() == NATIVE_MARK:
            marked.add(id(st.values[0]))  # type: ignore[attr-defined]
    out: set[int] = set()
    for f in chunk.info.functions[1:]:  # type: ignore[attr-defined]
        outer = f
        while outer is not None and id(outer) not in marked:
            outer = outer.parent
        if outer is not None:
            out.add(id(f))
    return frozenset(out)
