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
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

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


@dataclass(frozen=True)
class Passthrough:
    """When a `-- rp8:native` BIOS function is exactly its engine binding
    `c` (so compiled code may call the binding directly): when the call
    gives at most `at_most` arguments, or when for one (i, missing_ok) of
    `numbers` argument i is a proven number (or, missing_ok, not given)."""
    c: str
    numbers: tuple[tuple[int, bool], ...] = ()
    at_most: Optional[int] = None


def _param_index(e: ast.Expr, f: ast.Function) -> Optional[int]:
    """i when e is f's parameter i"""
    if type(e) is ast.Name and e.var is not None:  # type: ignore[attr-defined]
        for i, p in enumerate(f.params):
            if e.var is p:  # type: ignore[attr-defined]
                return i
    return None


def _false_for_numbers(e: ast.Expr, f: ast.Function) -> tuple[tuple[int, bool], ...]:
    """(i, missing_ok) pairs such that `e` is false when argument i is a
    number (or, missing_ok, is not given): `type(p) == "table"` (nil is no
    table either), `p == nil`, and `a and b` of those (either false will do)."""
    if type(e) is not ast.BinOp:
        return ()
    if e.op == "and":  # type: ignore[attr-defined]
        return _false_for_numbers(e.left, f) + _false_for_numbers(e.right, f)  # type: ignore[attr-defined]
    if e.op != "==":  # type: ignore[attr-defined]
        return ()
    left, right = e.left, e.right  # type: ignore[attr-defined]
    if type(right) is ast.Nil:
        i = _param_index(left, f)
        return ((i, False),) if i is not None else ()
    if (type(left) is ast.Call and type(left.func) is ast.Name  # type: ignore[attr-defined]
            and left.func.name == "type" and left.func.var is None  # type: ignore[attr-defined]
            and len(left.args) == 1 and type(right) is ast.String  # type: ignore[attr-defined]
            and right.value == "table"):  # type: ignore[attr-defined]
        i = _param_index(left.args[0], f)  # type: ignore[attr-defined]
        return ((i, True),) if i is not None else ()
    return ()


def _binding_call(st: ast.Stmt, f: ast.Function, nparams: int) -> Optional[str]:
    """`p8_x` when st is `return p8_x(<f's first nparams parameters, in order>)`"""
    if type(st) is not ast.Return or len(st.values) != 1 or type(st.values[0]) is not ast.Call:  # type: ignore[attr-defined]
        return None
    call = st.values[0]  # type: ignore[attr-defined]
    fn = call.func
    if type(fn) is not ast.Name or fn.var is not None or not fn.name.startswith("p8_"):  # type: ignore[attr-defined]
        return None
    if len(call.args) != nparams or any(_param_index(a, f) != i for i, a in enumerate(call.args)):
        return None
    return fn.name  # type: ignore[attr-defined]


def _no_more_args(e: ast.Expr, f: ast.Function) -> Optional[int]:
    """k when `e` is true exactly when at most k arguments are given:
    `p == nil` for parameter k (the call gives fewer, so p is nil), or
    `select("#", ...) == 0` in a vararg function of k parameters."""
    if type(e) is not ast.BinOp or e.op != "==":  # type: ignore[attr-defined]
        return None
    left, right = e.left, e.right  # type: ignore[attr-defined]
    if type(right) is ast.Nil:
        return _param_index(left, f)
    if (type(left) is ast.Call and type(left.func) is ast.Name and left.func.var is None  # type: ignore[attr-defined]
            and left.func.name == "select" and len(left.args) == 2  # type: ignore[attr-defined]
            and type(left.args[0]) is ast.String and left.args[0].value == "#"  # type: ignore[attr-defined]
            and type(left.args[1]) is ast.Vararg and f.is_vararg  # type: ignore[attr-defined]
            and type(right) is ast.Number and right.raw == 0):  # type: ignore[attr-defined]
        return len(f.params)
    return None


def _passes_through(f: ast.Function) -> Optional[Passthrough]:
    """f's Passthrough when its body begins
        if <test> then ... end
        return p8_x(<its parameters, in order>)
    with a test that is false on numbers (pal, rnd: `type(c0) == "table"`;
    tline: `y0 == nil and x1 == nil`), or
        if <at most k arguments> then return p8_x(<the first k>) end
    (peek: `n == nil`; poke: `select("#", ...) == 0`); else None."""
    body = f.body.body
    if not body or type(body[0]) is not ast.If:
        return None
    test = body[0]
    if len(test.clauses) != 1 or test.orelse is not None:  # type: ignore[attr-defined]
        return None
    cond, block = test.clauses[0]  # type: ignore[attr-defined]
    k = _no_more_args(cond, f)
    if k is not None and len(block.body) == 1:
        c = _binding_call(block.body[0], f, k)
        if c is not None:
            return Passthrough(c, at_most=k)
    numbers = _false_for_numbers(cond, f)
    if len(body) == 2 and numbers:
        c = _binding_call(body[1], f, len(f.params))
        if c is not None:
            return Passthrough(c, numbers=numbers)
    return None


@functools.lru_cache(maxsize=1)
def numeric_passthrough() -> dict[str, Passthrough]:
    """BIOS builtin -> when it is its engine binding, for the
    `-- rp8:native` functions that are their binding on some calls (pal,
    rnd, tline with numbers; peek(a), poke(a, v)): compiled code calls the
    binding directly there (aot/cpp_calls.py api_direct), checked from the
    BIOS's own code."""
    from aot import pipeline

    source = bios_source()
    chunk = pipeline.run(source, stop_after="resolve").chunk
    names = top_functions(chunk, source)
    skip = uncounted(chunk, source)
    out: dict[str, Passthrough] = {}
    for st in chunk.body.body:
        f = st.values[0]  # type: ignore[attr-defined]
        if id(f) in skip:
            pt = _passes_through(f)
            if pt is not None:
                out[names[id(f)]] = pt
    return out
