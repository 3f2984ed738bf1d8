"""The AST both back ends read: one node class per construct of PICO-8 Lua.

Every node carries the position of its first token (`line`, `col`, both
1-based, in the normalised cart source; `aot.source` maps a line to its cart
tab). PICO-8's own extensions are lowered by the parser into ordinary nodes
where that loses nothing (`?a,b` is a `Call` of the name `print`, `!=` is
`~=`, `if (c) s` is an `If`), and kept as their own nodes where a back end
must see them: `OpAssign` (single evaluation of the target), `Peek`
(`@ % $`), the PICO-8 binary operators in `BinOp.op`.

The resolver (aot.resolver) fills in the fields documented as "resolved":
which variable each `Name` is, where closures capture upvalues, which
globals exist and whether the global table is reached dynamically.

`_fields` lists the child slots in source order, which is also evaluation
order; `walk` uses it, so a pass that only cares about some nodes need not
know every class.
"""
from __future__ import annotations

from typing import Iterator, Optional, Union


class Node:
    __slots__ = ("line", "col")
    _fields: tuple[str, ...] = ()

    def __init__(self, line: int = 0, col: int = 0) -> None:
        self.line = line
        self.col = col

    def __repr__(self) -> str:
        parts = []
        for f in self._fields + getattr(self, "_attrs", ()):
            parts.append(f"{f}={getattr(self, f)!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def children(self) -> Iterator["Node"]:
        for f in self._fields:
            v = getattr(self, f)
            if isinstance(v, Node):
                yield v
            elif isinstance(v, list):
                for item in v:
                    if isinstance(item, Node):
                        yield item
                    elif isinstance(item, tuple):
                        for sub in item:
                            if isinstance(sub, Node):
                                yield sub


def walk(node: Node) -> Iterator[Node]:
    """Every node under `node` (itself first), depth first, in source order."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        kids = list(n.children())
        kids.reverse()
        stack.extend(kids)


# ---------------------------------------------------------------- variables

class LocalVar:
    """One declared local (or parameter, loop variable, implicit `_ENV`).

    Resolved facts: `func` is the Function that declares it (None for the
    main chunk); `captured` is True when a nested function uses it (it needs
    a shared cell in C++); `writes` counts assignments after declaration
    (0 means it is never reassigned, so its initial value is its value);
    `uid` is unique per chunk, for naming it in emitted code."""

    __slots__ = ("name", "uid", "func", "captured", "writes", "attrib", "line", "col")

    def __init__(self, name: str, uid: int, func: Optional["Function"], line: int, col: int) -> None:
        self.name = name
        self.uid = uid
        self.func = func
        self.captured = False
        self.writes = 0
        self.attrib: str | None = None   # "param", "for", "implicit" (the chunk's _ENV) or None
        self.line = line
        self.col = col

    def __repr__(self) -> str:
        return f"LocalVar({self.name!r}#{self.uid})"


# ---------------------------------------------------------------- expressions

class Expr(Node):
    __slots__ = ()


class Nil(Expr):
    __slots__ = ()


class TrueExpr(Expr):
    __slots__ = ()


class FalseExpr(Expr):
    __slots__ = ()


class Number(Expr):
    """A literal; `raw` is its fix32 bits as a signed 32-bit int."""
    __slots__ = ("raw",)
    _attrs = ("raw",)

    def __init__(self, raw: int, line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.raw = raw


class String(Expr):
    """A literal; `value` is byte text (one char per P8SCII byte)."""
    __slots__ = ("value",)
    _attrs = ("value",)

    def __init__(self, value: str, line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.value = value


class Vararg(Expr):
    __slots__ = ()


class Name(Expr):
    """A name. Resolved: `var` is its LocalVar, or None for a free name,
    which is then a field of `env` (the LocalVar of the `_ENV` in scope:
    the chunk's implicit one unless a `local _ENV` or `_ENV` parameter
    shadows it). `upvalue` is True when `var` belongs to an enclosing
    function."""
    __slots__ = ("name", "var", "env", "upvalue")
    _attrs = ("name",)

    def __init__(self, name: str, line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.name = name
        self.var: LocalVar | None = None
        self.env: LocalVar | None = None
        self.upvalue = False


class Index(Expr):
    """obj[key]; `dot` is True for obj.name (key is then a String)."""
    __slots__ = ("obj", "key", "dot")
    _fields = ("obj", "key")

    def __init__(self, obj: Expr, key: Expr, dot: bool = False, line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.obj = obj
        self.key = key
        self.dot = dot


class Call(Expr):
    __slots__ = ("func", "args")
    _fields = ("func", "args")

    def __init__(self, func: Expr, args: list[Expr], line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.func = func
        self.args = args


class MethodCall(Expr):
    """obj:name(args)"""
    __slots__ = ("obj", "name", "args")
    _fields = ("obj", "args")
    _attrs = ("name",)

    def __init__(self, obj: Expr, name: str, args: list[Expr], line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.obj = obj
        self.name = name
        self.args = args


class Function(Expr):
    """function(params) body end. `name` is a readable name for messages
    ("f", "a.b:m", or "" when anonymous); `is_method` means the parser
    added `self` as the first parameter.

    Resolved: `params` are LocalVars; `parent` is the enclosing Function
    (None at chunk level); `upvalues` lists the enclosing functions'
    LocalVars it uses, in first-use order; `locals` lists every local it
    declares (parameters first); `has_vararg_use` tells whether `...`
    appears directly in its body."""
    __slots__ = ("param_names", "is_vararg", "body", "name", "is_method", "end_line",
                 "params", "parent", "upvalues", "locals", "has_vararg_use")
    _fields = ("body",)
    _attrs = ("param_names", "is_vararg", "name")

    def __init__(self, param_names: list[tuple[str, int, int]], is_vararg: bool, body: "Block",
                 name: str = "", is_method: bool = False, line: int = 0, col: int = 0,
                 end_line: int = 0) -> None:
        super().__init__(line, col)
        self.param_names = param_names      # (name, line, col)
        self.is_vararg = is_vararg
        self.body = body
        self.name = name
        self.is_method = is_method
        self.end_line = end_line
        self.params: list[LocalVar] = []
        self.parent: Function | None = None
        self.upvalues: list[LocalVar] = []
        self.locals: list[LocalVar] = []
        self.has_vararg_use = False


class BinOp(Expr):
    """left op right. `op` is the PICO-8 spelling, normalised: arithmetic
    + - * / \\ % ^, concat .., comparison == ~= < <= > >=, logic and or,
    bitwise & | ^^ (also written ~), shifts << >> >>> <<> >><."""
    __slots__ = ("op", "left", "right")
    _fields = ("left", "right")
    _attrs = ("op",)

    def __init__(self, op: str, left: Expr, right: Expr, line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.op = op
        self.left = left
        self.right = right


class UnOp(Expr):
    """op operand, op one of: - not # ~ (bnot)."""
    __slots__ = ("op", "operand")
    _fields = ("operand",)
    _attrs = ("op",)

    def __init__(self, op: str, operand: Expr, line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.op = op
        self.operand = operand


class Peek(Expr):
    """PICO-8's unary memory reads: @a is peek(a), %a is peek2(a), $a is
    peek4(a). `size` is 1, 2 or 4."""
    __slots__ = ("size", "operand")
    _fields = ("operand",)
    _attrs = ("size",)

    def __init__(self, size: int, operand: Expr, line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.size = size
        self.operand = operand


class Paren(Expr):
    """(expr): truncates a call or `...` to one value."""
    __slots__ = ("expr",)
    _fields = ("expr",)

    def __init__(self, expr: Expr, line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.expr = expr


class Table(Expr):
    """{ ... }. `items` in source order: (None, value) for a positional item,
    (key, value) for [key]=value and name=value (key a String then)."""
    __slots__ = ("items",)
    _fields = ("items",)

    def __init__(self, items: list[tuple[Optional[Expr], Expr]], line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.items = items


# ---------------------------------------------------------------- statements

class Stmt(Node):
    __slots__ = ()


class Block(Node):
    """A statement list with its own scope. Resolved: `locals` declared
    directly in it, in order."""
    __slots__ = ("body", "locals", "end_line")
    _fields = ("body",)

    def __init__(self, body: list[Stmt], line: int = 0, col: int = 0, end_line: int = 0) -> None:
        super().__init__(line, col)
        self.body = body
        self.locals: list[LocalVar] = []
        self.end_line = end_line


class Local(Stmt):
    """local a, b <attrib>? = values. Resolved: `vars`."""
    __slots__ = ("names", "values", "vars")
    _fields = ("values",)
    _attrs = ("names",)

    def __init__(self, names: list[tuple[str, int, int]], values: list[Expr], line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.names = names
        self.values = values
        self.vars: list[LocalVar] = []


class LocalFunction(Stmt):
    """local function name ... end (the name is in scope in the body)."""
    __slots__ = ("name", "func", "var")
    _fields = ("func",)
    _attrs = ("name",)

    def __init__(self, name: str, func: Function, line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.name = name
        self.func = func
        self.var: LocalVar | None = None


class Assign(Stmt):
    """targets = values (also `function a.b:c() end`, lowered by the parser
    into an Assign of a Function with is_method)."""
    __slots__ = ("targets", "values")
    _fields = ("targets", "values")

    def __init__(self, targets: list[Expr], values: list[Expr], line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.targets = targets
        self.values = values


class OpAssign(Stmt):
    """target op= value. The target (a Name or Index) is evaluated once: for
    `a[f()] += 1`, f is called once. `op` is a BinOp operator."""
    __slots__ = ("op", "target", "value")
    _fields = ("target", "value")
    _attrs = ("op",)

    def __init__(self, op: str, target: Expr, value: Expr, line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.op = op
        self.target = target
        self.value = value


class CallStat(Stmt):
    __slots__ = ("call",)
    _fields = ("call",)

    def __init__(self, call: Expr, line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.call = call


class Do(Stmt):
    __slots__ = ("body",)
    _fields = ("body",)

    def __init__(self, body: Block, line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.body = body


class While(Stmt):
    __slots__ = ("cond", "body")
    _fields = ("cond", "body")

    def __init__(self, cond: Expr, body: Block, line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.cond = cond
        self.body = body


class Repeat(Stmt):
    """repeat body until cond (cond sees the body's locals)."""
    __slots__ = ("body", "cond")
    _fields = ("body", "cond")

    def __init__(self, body: Block, cond: Expr, line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.body = body
        self.cond = cond


class If(Stmt):
    """if/elseif chain: `clauses` is [(cond, block)], `orelse` a Block or None.
    `short` is True for PICO-8's one-line `if (c) ...` form."""
    __slots__ = ("clauses", "orelse", "short")
    _fields = ("clauses", "orelse")

    def __init__(self, clauses: list[tuple[Expr, Block]], orelse: Optional[Block], short: bool = False,
                 line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.clauses = clauses
        self.orelse = orelse
        self.short = short


class NumericFor(Stmt):
    """for var = start, stop[, step] do body end. Resolved: `var`."""
    __slots__ = ("name", "start", "stop", "step", "body", "var")
    _fields = ("start", "stop", "step", "body")
    _attrs = ("name",)

    def __init__(self, name: str, start: Expr, stop: Expr, step: Optional[Expr], body: Block,
                 line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.name = name
        self.start = start
        self.stop = stop
        self.step = step
        self.body = body
        self.var: LocalVar | None = None


class GenericFor(Stmt):
    """for names in exprs do body end. Resolved: `vars`."""
    __slots__ = ("names", "exprs", "body", "vars")
    _fields = ("exprs", "body")
    _attrs = ("names",)

    def __init__(self, names: list[tuple[str, int, int]], exprs: list[Expr], body: Block,
                 line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.names = names
        self.exprs = exprs
        self.body = body
        self.vars: list[LocalVar] = []


class Return(Stmt):
    __slots__ = ("values",)
    _fields = ("values",)

    def __init__(self, values: list[Expr], line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.values = values


class Break(Stmt):
    __slots__ = ()


class Goto(Stmt):
    """goto label. Resolved: `target` is the Label it jumps to."""
    __slots__ = ("label", "target")
    _attrs = ("label",)

    def __init__(self, label: str, line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.label = label
        self.target: Label | None = None


class Label(Stmt):
    """::name::. Resolved: `backward` is True when some goto jumps back to it
    (it heads a loop, which matters for cost counters)."""
    __slots__ = ("name", "backward")
    _attrs = ("name",)

    def __init__(self, name: str, line: int = 0, col: int = 0) -> None:
        super().__init__(line, col)
        self.name = name
        self.backward = False


class Chunk(Node):
    """A whole cart. Resolved: `func` is a Function standing for the main
    chunk (vararg, no parameters), `env` the implicit `_ENV` LocalVar, and
    `info` the resolver's summary (aot.resolver.ChunkInfo)."""
    __slots__ = ("body", "func", "env", "info")
    _fields = ("body",)

    def __init__(self, body: Block, line: int = 1, col: int = 1) -> None:
        super().__init__(line, col)
        self.body = body
        self.func: Function | None = None
        self.env: LocalVar | None = None
        self.info = None


AnyNode = Union[Expr, Stmt, Block, Chunk]
