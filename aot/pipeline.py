"""The compiler as one pipeline: every caller compiles a cart through here.

The passes run in this order, each on the result of the one before:

  lex      cart text -> tokens                      (aot.lexer)
  parse    tokens -> AST                            (aot.parser)
  resolve  names bound to locals, upvalues, _ENV    (aot.resolver, annotates the AST)
  emit     the resolved AST -> Lua (LuaJIT, desktop) or C++ (native, devices)

The C++ back end runs its numeric analysis (aot.cpp_types) as part of
emitting. `stop_after` ends the run after a pass, for tests and for
`rp8 aot --dump PASS`, which shows a pass's result to people.
"""
from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from typing import Any, Callable, Literal, Optional, TypeVar

from aot import ast
from aot.lexer import Token, tokenize
from aot.parser import Parser
from aot.resolver import resolve
from aot.source import Source

PASSES = ("lex", "parse", "resolve", "emit")
Target = Literal["lua", "cpp"]
T = TypeVar("T")

# The resolver and both back ends recurse over the AST, a few Python frames
# per level; the parser and resolver bound the levels (Lua's 200, and
# resolver.MAX_DEPTH for operator chains), so the passes run on a thread
# with room for that many frames: deep carts get a syntax error, never a
# RecursionError.
RECURSION_LIMIT = 30000
STACK_BYTES = 512 << 20


def deep(work: Callable[[], T]) -> T:
    """Run `work` on a thread whose stack and recursion limit fit the
    deepest code the front end accepts; its exception is raised here."""
    box: dict[str, Any] = {}

    def body() -> None:
        try:
            box["value"] = work()
        except BaseException as err:  # handed to the caller below
            box["error"] = err

    old_limit = sys.getrecursionlimit()
    old_stack = threading.stack_size()
    threading.stack_size(STACK_BYTES)
    try:
        sys.setrecursionlimit(max(old_limit, RECURSION_LIMIT))
        worker = threading.Thread(target=body, name="rp8-compile")
        worker.start()
        worker.join()
    finally:
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
    if "error" in box:
        raise box["error"]
    return box["value"]


@dataclass
class Result:
    """What the pipeline produced: the last pass's output, and the earlier
    results still useful to callers (the resolved AST for tests)."""
    source: Source
    tokens: Optional[list[Token]] = None
    chunk: Optional[ast.Chunk] = None
    output: Any = None       # LuaChunk (lua) or CppCart (cpp) after "emit"


def run(source: Source, target: Target = "lua", stop_after: str = "emit",
        counters: bool = True) -> Result:
    """Run the passes up to and including `stop_after`. Syntax errors raise
    aot.source.CartSyntaxError (a UserError naming the cart, tab and line)."""
    if stop_after not in PASSES:
        raise ValueError(f"unknown pass {stop_after!r}: one of {', '.join(PASSES)}")
    return deep(lambda: _run(source, target, stop_after, counters))


def _run(source: Source, target: Target, stop_after: str, counters: bool) -> Result:
    result = Result(source)
    if stop_after == "lex":
        result.tokens = tokenize(source)
        return result
    result.chunk = Parser(source).chunk()
    if stop_after == "parse":
        return result
    resolve(result.chunk, source)
    if stop_after == "resolve":
        return result
    result.output = _emit(result.chunk, source, target, counters)
    return result


def _emit(chunk: ast.Chunk, source: Source, target: Target, counters: bool) -> Any:
    if target == "lua":
        from aot.lua_backend import emit_lua
        return emit_lua(chunk, counters, source)
    if target == "cpp":
        from aot.cpp_backend import emit_cpp
        return emit_cpp(chunk, source)
    raise ValueError(f"unknown target {target!r}: lua or cpp")


def to_lua(source: Source, counters: bool = True) -> Result:
    """Cart source -> resolved AST and LuaJIT code."""
    return run(source, "lua", counters=counters)


def to_cpp(source: Source) -> Result:
    """Cart source -> resolved AST and C++ (CppCart)."""
    return run(source, "cpp")


def dump(result: Result, stop_after: str) -> str:
    """A pass's result as text for people (`rp8 aot --dump PASS`)."""
    if stop_after == "lex":
        assert result.tokens is not None
        return "".join(f"{t.line}:{t.col}\t{t.type}\t{t.describe()}\n" for t in result.tokens)
    if stop_after in ("parse", "resolve"):
        assert result.chunk is not None
        lines: list[str] = []
        _dump_node(result.chunk, 0, lines, resolved=stop_after == "resolve")
        return "\n".join(lines) + "\n"
    output = result.output
    text = output.code
    if getattr(output, "header", None):
        text = output.header + "\n" + text
    return text if text.endswith("\n") else text + "\n"


def _dump_node(node: ast.Node, depth: int, lines: list[str], resolved: bool) -> None:
    """One line per node, indented by depth: its type, line, and the fields
    that are not nodes (names, operators, values; with `resolved`, also
    what the resolver wrote: bindings, upvalues, captured locals)."""
    names = list(node._fields + getattr(node, "_attrs", ()))
    if resolved:
        for cls in type(node).__mro__:
            names += [n for n in getattr(cls, "__slots__", ()) if n not in names]
    plain = []
    for f in names:
        if f in ("line", "col") or not hasattr(node, f):
            continue
        v = getattr(node, f)
        if v is not None and v is not False and not _has_nodes(v):
            text = repr(v)
            plain.append(f"{f}={text if len(text) <= 80 else text[:77] + '...'}")
    lines.append(f"{'  ' * depth}{type(node).__name__} @{node.line} {' '.join(plain)}".rstrip())
    for child in node.children():
        _dump_node(child, depth + 1, lines, resolved)


def _has_nodes(v: Any) -> bool:
    if isinstance(v, ast.Node):
        return True
    if isinstance(v, (list, tuple)):
        return any(_has_nodes(x) for x in v)
    return False
