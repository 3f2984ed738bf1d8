"""The shape of the BIOS (aot/bios.lua), shared by both back ends'
builds of it (console/desktop/lua_env.bios_lua for LuaJIT, aot/cpp_bios.py
for C++), so the two read the file by the same rules:

  - only `function name(...) ... end` at the top level: each defines the
    cart-visible builtin `name`;
  - a function whose line above reads `-- rp8:native` is compiled without
    the CPU model's per-block counters (nor do the functions nested in
    it count): it stands for a C function of PICO-8's and charges only
    the system ticks of the engine bindings it calls (aot/api.py
    costs), as a native call would. Only functions doing a bounded amount
    of work per call are marked so (rnd, pal); loops over a cart's values
    stay counted, so runaway library work reaches the unit limit.
"""
from __future__ import annotations

import functools
from pathlib import Path

from aot import ast
from aot.source import CartSyntaxError, Source

BIOS_PATH = Path(__file__).resolve().parent / "bios.lua"
NATIVE_MARK = "-- rp8:native"


def bios_source() -> Source:
    """aot/bios.lua, the library functions both consoles run."""
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


def _is_table_test(e: ast.Expr, param: object) -> bool:
    """`type(param) == "table"`"""
    return (type(e) is ast.BinOp and e.op == "=="  # type: ignore[attr-defined]
            and type(e.left) is ast.Call and type(e.left.func) is ast.Name  # type: ignore[attr-defined]
            and e.left.func.name == "type" and e.left.func.var is None  # type: ignore[attr-defined]
            and len(e.left.args) == 1 and type(e.left.args[0]) is ast.Name  # type: ignore[attr-defined]
            and e.left.args[0].var is param  # type: ignore[attr-defined]
            and type(e.right) is ast.String and e.right.value == "table")  # type: ignore[attr-defined]


def _passes_through(f: ast.Function) -> str | None:
    """The engine binding `p8_x` when f's body is exactly
        if type(<first parameter>) == "table" then ... end
        return p8_x(<its parameters, in order>)
    so that, called with a first argument that is no table, f is that
    binding; else None."""
    body = f.body.body
    if len(body) != 2 or type(body[0]) is not ast.If or type(body[1]) is not ast.Return:
        return None
    test = body[0]
    if len(test.clauses) != 1 or test.orelse is not None or not f.params:  # type: ignore[attr-defined]
        return None
    if not _is_table_test(test.clauses[0][0], f.params[0]):  # type: ignore[attr-defined]
        return None
    ret = body[1].values  # type: ignore[attr-defined]
    if len(ret) != 1 or type(ret[0]) is not ast.Call:
        return None
    call = ret[0]
    fn = call.func  # type: ignore[attr-defined]
    if type(fn) is not ast.Name or fn.var is not None or not fn.name.startswith("p8_"):  # type: ignore[attr-defined]
        return None
    args = call.args  # type: ignore[attr-defined]
    if len(args) != len(f.params) or any(type(a) is not ast.Name or a.var is not p
                                          for a, p in zip(args, f.params)):
        return None
    return fn.name  # type: ignore[attr-defined]


@functools.lru_cache(maxsize=1)
def numeric_passthrough() -> dict[str, str]:
    """BIOS builtin -> engine binding, for the `-- rp8:native` functions
    that are their binding whenever the first argument is no table (pal,
    rnd): compiled code calls the binding directly on proven numbers
    (aot/cpp_calls.py api_direct), checked from the BIOS's own code."""
    from aot import pipeline

    source = bios_source()
    chunk = pipeline.run(source, stop_after="resolve").chunk
    names = top_functions(chunk, source)
    skip = uncounted(chunk, source)
    out: dict[str, str] = {}
    for st in chunk.body.body:
        f = st.values[0]  # type: ignore[attr-defined]
        if id(f) in skip:
            c = _passes_through(f)
            if c is not None:
                out[names[id(f)]] = c
    return out
