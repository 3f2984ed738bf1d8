"""Which locals the C++ back end may hold as unboxed fix32.

A local is numeric when every value it can ever hold is a number: it is
not a parameter, not captured by a closure, and each assignment to it
(its declaration, plain and compound assignments, a numeric `for`) is an
expression proven numeric. Proofs may lean on other numeric locals, so
the set is found by shrinking: assume every candidate numeric, drop those
with a non-numeric assignment, repeat until nothing changes.

An expression is proven numeric when it is a number literal, a numeric
local, arithmetic on proven numbers (no metamethod can intervene), a
bitwise operator or shift (which either gives a number or raises), unary
minus of a number, a memory read (`@ % $`), or a call of a math builtin
the cart never reassigns (it returns a number or raises). When the cart
never names `setmetatable` (and reaches no global table dynamically), no
value can have a metatable, so every arithmetic operator and unary minus
gives a number or raises whatever its operands: `no_meta`.

Globals get the same treatment (`numeric_globals`): a global of a cart
with static globals whose every assignment is proven numeric only ever
holds a number once assigned, so the back end can keep it as a fix32 and
a "still nil" flag. Reads of globals are never counted as numeric here
(an unassigned one is nil); the back end proves per read site that one
has been assigned.
"""
from __future__ import annotations

from aot import ast
from aot.resolver import ChunkInfo

ARITH = frozenset(("+", "-", "*", "/", "\\", "%", "^"))
BITWISE = frozenset(("&", "|", "^^", "<<", ">>", ">>>", "<<>", ">><"))

# builtins that always return one number (or raise)
NUMERIC_BUILTINS = frozenset((
    "flr", "ceil", "abs", "sgn", "min", "max", "mid", "band", "bor", "bxor", "bnot",
    "shl", "shr", "lshr", "rotl", "rotr", "sin", "cos", "atan2", "sqrt", "peek2", "peek4",
    "sget", "pget", "mget",
))

# ... and exactly one value whatever the arguments (peek2(a, n) gives n)
ONE_RESULT = NUMERIC_BUILTINS - {"peek2", "peek4"}

_UNKNOWN = "unknown"
_NIL = "nil"
_NUM = "num"


def _multret(e: ast.Expr) -> bool:
    return type(e) in (ast.Call, ast.MethodCall, ast.Vararg)


class NumericLocals:
    """`numeric` is the set of LocalVar uids proven numeric."""

    def __init__(self, chunk: ast.Chunk, builtins: frozenset[str]) -> None:
        self.info: ChunkInfo = chunk.info  # type: ignore[assignment]
        self.builtins = builtins
        self.no_meta = (not self.info.globals_dynamic
                        and "setmetatable" not in self.info.globals_read
                        and "setmetatable" not in self.info.globals_written)
        self.global_assigned: dict[str, list[object]] = {}
        self.assigned: dict[int, list[object]] = {}
        self.candidates: set[int] = set()
        self._collect(chunk)
        self.numeric = self._solve()

    # ------------------------------------------------------------ facts

    def pure_builtin(self, name: str) -> bool:
        """`name` is a global that always holds the runtime's builtin."""
        return (name in self.builtins and not self.info.globals_dynamic
                and name not in self.info.globals_written)

    def _add(self, var: ast.LocalVar | str | None, what: object) -> None:
        if var is None:
            return
        if isinstance(var, str):
            self.global_assigned.setdefault(var, []).append(what)
            return
        self.assigned.setdefault(var.uid, []).append(what)

    def _pair(self, vars_: list[ast.LocalVar | str | None], values: list[ast.Expr]) -> None:
        for i, var in enumerate(vars_):
            if i < len(values):
                if i == len(values) - 1 and _multret(values[i]) and i < len(vars_) - 1:
                    # f() filling several names: only its first value is e
                    self._add(var, _UNKNOWN)
                else:
                    self._add(var, values[i])
            elif values and _multret(values[-1]):
                self._add(var, _UNKNOWN)
            else:
                self._add(var, _NIL)

    def _collect(self, chunk: ast.Chunk) -> None:
        for node in ast.walk(chunk):
            t = type(node)
            if t is ast.Local:
                for v in node.vars:  # type: ignore[attr-defined]
                    if not v.captured:
                        self.candidates.add(v.uid)
                self._pair(list(node.vars), node.values)  # type: ignore[attr-defined]
            elif t is ast.Assign:
                targets = [_target(tg) for tg in node.targets]  # type: ignore[attr-defined]
                self._pair(targets, node.values)  # type: ignore[attr-defined]
            elif t is ast.OpAssign:
                tg = node.target  # type: ignore[attr-defined]
                if type(tg) is ast.Name:
                    self._add(_target(tg), ("op", node.op, node.value))  # type: ignore[attr-defined]
            elif t is ast.NumericFor:
                v = node.var  # type: ignore[attr-defined]
                if v is not None and not v.captured:
                    self.candidates.add(v.uid)
                self._add(v, _NUM)
            elif t is ast.GenericFor:
                for v in node.vars:  # type: ignore[attr-defined]
                    self._add(v, _UNKNOWN)
            elif t is ast.LocalFunction:
                self._add(node.var, _UNKNOWN)  # type: ignore[attr-defined]

    def _solve(self) -> set[int]:
        numeric = set(self.candidates)
        changed = True
        while changed:
            changed = False
            for uid in sorted(numeric):
                for what in self.assigned.get(uid, [_NIL]):
                    if not self._numeric_assignment(what, numeric):
                        numeric.discard(uid)
                        changed = True
                        break
        return numeric

    def _numeric_assignment(self, what: object, numeric: set[int]) -> bool:
        if what == _NUM:
            return True
        if what in (_NIL, _UNKNOWN):
            return False
        if isinstance(what, tuple):
            _, op, value = what
            if op in BITWISE:
                return True
            # the var itself is in the set (a global: nil until assigned, and
            # arithmetic on nil raises)
            return op in ARITH and (self.no_meta or self.is_numeric(value, numeric))
        return self.is_numeric(what, numeric)  # type: ignore[arg-type]

    def numeric_globals(self, exclude: frozenset[str]) -> set[str]:
        """Globals (static globals only) whose every assignment is proven
        numeric; `exclude`: names that must stay Values (builtins, glyphs,
        names the runner looks up such as _update)."""
        if self.info.globals_dynamic:
            return set()
        out = set()
        for name, whats in self.global_assigned.items():
            if name in exclude or name.startswith("_"):
                continue
            if all(self._numeric_assignment(w, self.numeric) for w in whats):
                out.add(name)
        return out

    # ------------------------------------------------------------ expressions

    def is_numeric(self, e: ast.Expr, numeric: set[int] | None = None) -> bool:
        nums = self.numeric if numeric is None else numeric
        t = type(e)
        if t is ast.Number or t is ast.Peek:
            return True
        if t is ast.Name:
            v = e.var  # type: ignore[attr-defined]
            return v is not None and v.uid in nums
        if t is ast.Paren:
            return self.is_numeric(e.expr, nums)  # type: ignore[attr-defined]
        if t is ast.BinOp:
            op = e.op  # type: ignore[attr-defined]
            if op in BITWISE:
                return True
            if op in ARITH:
                return self.no_meta or (self.is_numeric(e.left, nums)  # type: ignore[attr-defined]
                                        and self.is_numeric(e.right, nums))  # type: ignore[attr-defined]
            return False
        if t is ast.UnOp:
            op = e.op  # type: ignore[attr-defined]
            if op == "~":
                return True
            if op == "-":
                return self.no_meta or self.is_numeric(e.operand, nums)  # type: ignore[attr-defined]
            return False
        if t is ast.Call:
            f = e.func  # type: ignore[attr-defined]
            return (type(f) is ast.Name and f.var is None  # type: ignore[attr-defined]
                    and f.name in NUMERIC_BUILTINS and self.pure_builtin(f.name))  # type: ignore[attr-defined]
        return False


def _target(tg: ast.Expr) -> ast.LocalVar | str | None:
    """An assignment target as the analysis tracks it: a local, a global
    name, or None (a table field)."""
    if type(tg) is not ast.Name:
        return None
    var = tg.var  # type: ignore[attr-defined]
    return var if var is not None else tg.name  # type: ignore[attr-defined]
