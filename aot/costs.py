"""The CPU model's per-block costs, shared by both back ends.

PICO-8 counts the Lua VM instructions a frame runs; rp8 estimates them from
the AST: each statement and each expression node it evaluates itself costs
one unit (nested blocks and function bodies count where they run). Both
back ends add a block's units to the cart's counter where the block starts,
so the interpreter (aot/lua_backend.py) and a compiled cart
(aot/cpp_backend.py) see the same count at every point a cart or the host
can observe it (stat(1), a frame cut, the end of a frame). That holds only
if both place the same numbers at the same places, which is why the
numbers and the places are decided here and nowhere else:

  - `block_entry(body, loop)`: added where a block starts. A loop body
    (`loop` is its condition expression, or True for `for` loops) adds one
    more unit per iteration plus the condition's nodes, so even an empty
    loop counts and no loop runs unseen by the host. A function body and
    the main chunk are blocks without a loop.
  - `after_label(body, i)`: added right after label `body[i]`, since a
    label is a jump target and begins a new basic block (0 when only
    labels follow it, or nothing).

Nothing else counts: `goto`, `break` and `return` add nothing, and a
condition whose loop body never runs is not counted.

The host turns units into PICO-8's system ticks at VM_TICKS each (see
console/desktop/host_lua.lua and aot/runtime/rt_cpu.h, which must agree).
"""
from __future__ import annotations

from typing import Iterator

from aot import ast

# PICO-8's CPU: 2^22 system ticks per second (aot/api.py); one counted
# unit is VM_TICKS ticks. Both frame loops use these numbers.
TICKS_PER_SECOND = 1 << 22
VM_TICKS_NUM, VM_TICKS_DEN = 1, 2   # 0.5 ticks per unit, kept exact as a fraction
SLICE = 1 << 20                     # counted units between calls to the host


def shallow(node: ast.Node) -> Iterator[ast.Node]:
    """Expression nodes of a statement, not descending into blocks or
    function bodies (those are counted where they run)."""
    stack = list(node.children())
    while stack:
        n = stack.pop()
        if isinstance(n, (ast.Block, ast.Function)):
            continue
        yield n
        stack.extend(n.children())


def expr_cost(e: ast.Expr) -> int:
    """Expression nodes evaluated by `e` itself (not inside functions)."""
    return 1 + sum(1 for _ in shallow(e))


def stmts_cost(stmts: list[ast.Stmt]) -> int:
    """Units of a straight run of statements: 1 per statement and 1 per
    expression node each evaluates itself."""
    n = 0
    for st in stmts:
        n += 1
        for _ in shallow(st):
            n += 1
    return n


def until_label(body: list[ast.Stmt], start: int) -> list[ast.Stmt]:
    """The statements of `body` from `start` up to the next label."""
    out = []
    for st in body[start:]:
        if isinstance(st, ast.Label):
            break
        out.append(st)
    return out


def loop_extra(loop: ast.Expr | bool) -> int:
    """Units a loop adds per iteration beyond its body: the test and jump
    (1) and the condition's nodes for while/repeat; 0 for a plain block."""
    if loop is False:
        return 0
    return 1 + (expr_cost(loop) if isinstance(loop, ast.Expr) else 0)


def block_entry(body: list[ast.Stmt], loop: ast.Expr | bool = False) -> int:
    """Units added where a block starts (0: nothing is emitted)."""
    return stmts_cost(until_label(body, 0)) + loop_extra(loop)


def after_label(body: list[ast.Stmt], i: int) -> int:
    """Units added right after the label body[i] (0: nothing is emitted).
    Lua 5.2 allows no statement after a block-ending label, so nothing is
    counted when only labels follow."""
    if not any(not isinstance(s, ast.Label) for s in body[i + 1:]):
        return 0
    return stmts_cost(until_label(body, i + 1))
