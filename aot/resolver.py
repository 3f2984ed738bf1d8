"""Names -> variables: locals, upvalues, globals and `_ENV`.

Lua 5.2 scoping, which PICO-8 follows: a free name `x` means `_ENV.x`,
where `_ENV` is whatever variable of that name is in scope. At chunk level
that is an implicit local holding the global table; a cart may shadow it
(`local _ENV = t`, a parameter named `_ENV`) or assign it (`_ENV = t`),
after which free names in the functions that see it go to the new table.

After `resolve`, every Name says which LocalVar it is (or which `_ENV` it
indexes), every Function lists its locals and the outer locals it captures,
every LocalVar knows whether a closure captures it and whether it is ever
reassigned, every goto knows its label, and `Chunk.info` summarises what a
back end needs to decide how to hold globals (see ChunkInfo).

Errors a Lua compiler reports at compile time are reported here too, as
CartSyntaxError: `...` outside a vararg function, `break` outside a loop,
a goto with no visible label, a goto into the scope of a local, a label
declared twice in one function.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from aot import ast
from aot.builtins import LUA_MEMORY
from aot.source import CartSyntaxError, Source


@dataclass
class ChunkInfo:
    """What the resolver learnt about a whole cart.

    `globals_read` / `globals_written`: free names (through the chunk's own
    `_ENV`) and how often each is read / assigned.
    `env_named`: the chunk's `_ENV` appears by name somewhere (read, e.g.
    `all(_ENV)`, `local t = _ENV`, `setmetatable(_ENV, ...)`; or assigned).
    When it is False, the set of globals is exactly the names above, and a
    back end may keep them in fixed slots (C++ statics).
    `env_assigned`: the chunk's `_ENV` is assigned somewhere, so the table
    free names refer to can change at run time.
    `env_shadowed`: some `local _ENV` or `_ENV` parameter exists, so some
    free names index a table other than the globals (`Name.env` says which).
    `functions`: every Function, the main chunk's first."""

    globals_read: dict[str, int] = field(default_factory=dict)
    globals_written: dict[str, int] = field(default_factory=dict)
    env_named: bool = False
    env_assigned: bool = False
    env_shadowed: bool = False
    functions: list[ast.Function] = field(default_factory=list)

    @property
    def globals_dynamic(self) -> bool:
        """True when globals may be reached by computed name or table swap."""
        return self.env_named or self.env_shadowed


# Lua 5.2's limits per function (lparser.c MAXVARS, llimits.h MAXUPVAL,
# lcode.c MAXSTACK): PICO-8 refuses a cart that passes them, with these
# messages. LuaJIT has the same local and register limits.
MAX_LOCALS = 200
MAX_UPVALUES = 255
MAX_REGISTERS = 250
# How deep statements and expressions may nest, counting every operator of
# a chain (a+b+c+..., a.b.c..., f()()...), which Lua reads in a loop and so
# takes at any length. The parser already holds true nesting to Lua's 200
# levels; this bounds the chains, so every pass's recursion stays bounded.
MAX_DEPTH = 1000
HIDDEN_LOOP_LOCALS = 3   # Lua keeps a for loop's state in three hidden locals


class _Scope:
    __slots__ = ("names", "block", "func", "labels", "gotos", "loop", "current", "count")

    def __init__(self, block: ast.Block | None, func: ast.Function, loop: bool) -> None:
        self.names: dict[str, ast.LocalVar] = {}
        self.block = block
        self.func = func
        self.labels: dict[str, tuple[ast.Label, int]] = {}
        self.gotos: list[tuple[ast.Goto, int]] = []
        self.loop = loop
        self.current = 0      # index of the statement being resolved
        self.count = 0        # locals declared in this scope (Lua counts shadowed ones too)


class Resolver:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.scopes: list[_Scope] = []
        self.uid = 0
        self.info = ChunkInfo()
        self.env: ast.LocalVar | None = None
        self.depth = 0
        self.active: dict[int, int] = {}   # id(function) -> locals active in it
        self.strings: set[str] = set()      # distinct string constants seen
        self.string_bytes = 0

    def limit_error(self, node: ast.Node | ast.LocalVar, what: str, limit: int, func: ast.Function,
                    near: str) -> CartSyntaxError:
        """Lua 5.2's message for a per-function limit (lparser.c errorlimit)."""
        where = "main function" if func.parent is None else f"function at line {func.line}"
        return self.error(node, f"too many {what} (limit is {limit}) in {where} near '{near}'")

    def deeper(self, node: ast.Node) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(node, f"not supported yet: code nested more than {MAX_DEPTH} levels deep "
                                   "(each operator of a chain such as a+b+c counts)")

    def registers(self, node: ast.Node, n: int) -> None:
        """Lua puts each value of a list (call arguments, return values,
        values assigned) in its own register above the active locals."""
        func = self.scopes[-1].func
        if self.active.get(id(func), 0) + n >= MAX_REGISTERS:
            raise self.error(node, "function or expression too complex")

    def error(self, node: ast.Node | ast.LocalVar, message: str) -> CartSyntaxError:
        return CartSyntaxError(self.source, node.line, node.col, message)

    def string_constant(self, e: ast.String) -> None:
        """PICO-8 holds a cart's string constants (each distinct one once)
        in its Lua memory while loading: past LUA_MEMORY the cart does not
        load. Counted here, once for both consoles (the interpreter does
        not count loaded code, the compiled arena does), at the literal
        that goes over."""
        if e.value in self.strings:
            return
        self.strings.add(e.value)
        self.string_bytes += len(e.value)
        if self.string_bytes > LUA_MEMORY:
            raise self.error(e, f"out of memory: the cart's string constants take over "
                                f"{LUA_MEMORY // (1024 * 1024)} MiB, PICO-8's Lua memory")

    # ------------------------------------------------------------ scopes

    def declare(self, name: str, line: int, col: int, func: ast.Function) -> ast.LocalVar:
        self.uid += 1
        var = ast.LocalVar(name, self.uid, func, line, col)
        scope = self.scopes[-1]
        n = self.active.get(id(func), 0) + 1
        if n > MAX_LOCALS:
            raise self.limit_error(var, "local variables", MAX_LOCALS, func, name)
        self.active[id(func)] = n
        scope.count += 1
        scope.names[name] = var
        if scope.block is not None:
            scope.block.locals.append(var)
        func.locals.append(var)
        if name == "_ENV" and var is not self.env:
            self.info.env_shadowed = True
        return var

    def lookup(self, name: str) -> tuple[ast.LocalVar | None, bool]:
        """The variable `name` means here, and whether it is an upvalue."""
        cur = self.scopes[-1].func
        for scope in reversed(self.scopes):
            var = scope.names.get(name)
            if var is not None:
                if scope.func is not cur:
                    var.captured = True
                    # every function between the owner and here captures it
                    f: ast.Function | None = cur
                    while f is not None and f is not scope.func:
                        if var not in f.upvalues:
                            if len(f.upvalues) >= MAX_UPVALUES:
                                raise self.limit_error(f, "upvalues", MAX_UPVALUES, f, name)
                            f.upvalues.append(var)
                        f = f.parent
                    return var, True
                return var, False
        return None, False

    # ------------------------------------------------------------ entry

    def chunk(self, chunk: ast.Chunk) -> ChunkInfo:
        main = ast.Function([], True, chunk.body, "main chunk", False, 1, 1, chunk.body.end_line)
        chunk.func = main
        self.info.functions.append(main)
        root = _Scope(None, main, False)
        self.scopes.append(root)
        self.uid += 1
        env = ast.LocalVar("_ENV", self.uid, main, 0, 0)
        env.attrib = "implicit"
        root.names["_ENV"] = env
        self.env = env
        chunk.env = env
        main.locals.append(env)
        self.block(chunk.body, loop=False)
        self.scopes.pop()
        chunk.info = self.info
        return self.info

    # ------------------------------------------------------------ statements

    def block(self, block: ast.Block, loop: bool, pre: list[tuple[str, int, int, str | None]] | None = None,
              tail: ast.Expr | None = None) -> list[ast.LocalVar]:
        """Resolve a block in a new scope. `pre` declares variables first
        (loop variables, parameters); `tail` is resolved inside the scope
        after the statements (repeat's `until` condition)."""
        func = self.scopes[-1].func
        scope = _Scope(block, func, loop)
        self.scopes.append(scope)
        declared = []
        if pre and pre[0][3] == "for":
            self.active[id(func)] = self.active.get(id(func), 0) + HIDDEN_LOOP_LOCALS
            scope.count += HIDDEN_LOOP_LOCALS
        for name, line, col, attrib in pre or ():
            v = self.declare(name, line, col, func)
            v.attrib = attrib
            declared.append(v)
        body = block.body
        for i, st in enumerate(body):
            self.statement(st, i)
        if tail is not None:
            self.expr(tail)
        self.close_gotos(scope)
        self.pop_scope()
        return declared

    def pop_scope(self) -> None:
        scope = self.scopes.pop()
        key = id(scope.func)
        self.active[key] = self.active.get(key, 0) - scope.count

    def close_gotos(self, scope: _Scope) -> None:
        """Match this block's pending gotos with its labels; pass the rest
        out to the enclosing block of the same function."""
        body = scope.block.body if scope.block is not None else []
        pending = []
        for g, idx in scope.gotos:
            hit = scope.labels.get(g.label)
            if hit is None:
                pending.append(g)
                continue
            label, lidx = hit
            g.target = label
            if lidx <= idx:
                label.backward = True
            else:
                self.check_goto_scope(g, body, idx, lidx)
        if not pending:
            return
        outer = None
        for s in reversed(self.scopes[:-1]):
            if s.func is scope.func:
                outer = s
                break
        if outer is None or outer.block is None:
            raise self.error(pending[0], f"no visible label '{pending[0].label}' for goto")
        # each goto now counts as sitting in the statement being resolved there
        outer.gotos.extend((g, outer.current) for g in pending)

    def check_goto_scope(self, g: ast.Goto, body: list[ast.Stmt], gidx: int, lidx: int) -> None:
        """Lua 5.2: a forward goto may not jump into the scope of a local,
        unless the label ends its block (only labels follow it)."""
        if all(isinstance(s, ast.Label) for s in body[lidx + 1:]):
            return
        for s in body[gidx + 1 : lidx]:
            if isinstance(s, (ast.Local, ast.LocalFunction)):
                name = s.names[0][0] if isinstance(s, ast.Local) else s.name
                raise self.error(g, f"<goto {g.label}> jumps into the scope of local '{name}'")

    def statement(self, st: ast.Stmt, index: int) -> None:
        self.deeper(st)
        self.statement_body(st, index)
        self.depth -= 1

    def statement_body(self, st: ast.Stmt, index: int) -> None:
        scope = self.scopes[-1]
        scope.current = index
        t = type(st)
        func = scope.func
        if t is ast.Local:
            self.registers(st, max(len(st.values), len(st.names)))
            for v in st.values:
                self.expr(v)
            st.vars = [self.declare(n, l, c, func) for n, l, c in st.names]
        elif t is ast.Assign:
            self.registers(st, len(st.values))
            for target in st.targets:
                self.target(target)
            for v in st.values:
                self.expr(v)
        elif t is ast.OpAssign:
            self.target(st.target)
            self.expr(st.value)
        elif t is ast.CallStat:
            self.expr(st.call)
        elif t is ast.LocalFunction:
            st.var = self.declare(st.name, st.line, st.col, func)
            self.function(st.func)
        elif t is ast.Do:
            self.block(st.body, loop=False)
        elif t is ast.While:
            self.expr(st.cond)
            self.block(st.body, loop=True)
        elif t is ast.Repeat:
            self.block(st.body, loop=True, tail=st.cond)
        elif t is ast.If:
            for cond, body in st.clauses:
                self.expr(cond)
                self.block(body, loop=False)
            if st.orelse is not None:
                self.block(st.orelse, loop=False)
        elif t is ast.NumericFor:
            self.expr(st.start)
            self.expr(st.stop)
            if st.step is not None:
                self.expr(st.step)
            (st.var,) = self.block(st.body, loop=True, pre=[(st.name, st.line, st.col, "for")])
        elif t is ast.GenericFor:
            for e in st.exprs:
                self.expr(e)
            st.vars = self.block(st.body, loop=True, pre=[(n, l, c, "for") for n, l, c in st.names])
        elif t is ast.Return:
            self.registers(st, len(st.values))
            for v in st.values:
                self.expr(v)
        elif t is ast.Break:
            for s in reversed(self.scopes):
                if s.func is not func:
                    break
                if s.loop:
                    return
            raise self.error(st, "break outside a loop")
        elif t is ast.Goto:
            scope.gotos.append((st, index))
        elif t is ast.Label:
            # Lua 5.2 (and PICO-8) only refuse a repeated label within one
            # block; an inner block may reuse an outer label's name.
            if st.name in scope.labels:
                other = scope.labels[st.name][0]
                raise self.error(st, f"label '{st.name}' already defined on line {other.line}")
            scope.labels[st.name] = (st, index)
        else:  # pragma: no cover - the parser makes no other statements
            raise TypeError(f"unknown statement {t.__name__}")

    def target(self, e: ast.Expr) -> None:
        if type(e) is ast.Name:
            self.name(e, write=True)
        else:
            self.expr(e)

    # ------------------------------------------------------------ expressions

    def name(self, e: ast.Name, write: bool = False) -> None:
        var, up = self.lookup(e.name)
        if var is not None:
            e.var = var
            e.upvalue = up
            if write:
                var.writes += 1
            if var is self.env:
                self.info.env_named = True
                if write:
                    self.info.env_assigned = True
            return
        env, up = self.lookup("_ENV")
        e.env = env
        e.upvalue = up
        if env is self.env:
            table = self.info.globals_written if write else self.info.globals_read
            table[e.name] = table.get(e.name, 0) + 1

    def expr(self, e: ast.Expr) -> None:
        self.deeper(e)
        self.expr_body(e)
        self.depth -= 1

    def expr_body(self, e: ast.Expr) -> None:
        t = type(e)
        if t is ast.Name:
            self.name(e)  # type: ignore[arg-type]
        elif t is ast.BinOp:
            self.expr(e.left)  # type: ignore[attr-defined]
            self.expr(e.right)  # type: ignore[attr-defined]
        elif t is ast.Index:
            self.expr(e.obj)  # type: ignore[attr-defined]
            self.expr(e.key)  # type: ignore[attr-defined]
        elif t is ast.Call:
            self.registers(e, 1 + len(e.args))  # type: ignore[attr-defined]
            self.expr(e.func)  # type: ignore[attr-defined]
            for a in e.args:  # type: ignore[attr-defined]
                self.expr(a)
        elif t is ast.MethodCall:
            self.registers(e, 2 + len(e.args))  # type: ignore[attr-defined]
            self.expr(e.obj)  # type: ignore[attr-defined]
            for a in e.args:  # type: ignore[attr-defined]
                self.expr(a)
        elif t is ast.UnOp or t is ast.Peek:
            self.expr(e.operand)  # type: ignore[attr-defined]
        elif t is ast.Paren:
            self.expr(e.expr)  # type: ignore[attr-defined]
        elif t is ast.Function:
            self.function(e)  # type: ignore[arg-type]
        elif t is ast.Table:
            for k, v in e.items:  # type: ignore[attr-defined]
                if k is not None:
                    self.expr(k)
                self.expr(v)
        elif t is ast.String:
            self.string_constant(e)  # type: ignore[arg-type]
        elif t is ast.Vararg:
            if not self.scopes[-1].func.is_vararg:
                raise self.error(e, "cannot use '...' outside a vararg function")
            self.scopes[-1].func.has_vararg_use = True
        # literals need nothing

    def function(self, f: ast.Function) -> None:
        f.parent = self.scopes[-1].func
        self.info.functions.append(f)
        outer = _Scope(None, f, False)
        self.scopes.append(outer)
        f.params = []
        for name, line, col in f.param_names:
            v = self.declare(name, line, col, f)
            v.attrib = "param"
            f.params.append(v)
        self.block(f.body, loop=False)
        self.pop_scope()


def describe(e: ast.Expr) -> str:
    """How Lua names a resolved expression in an error message ("global
    'f'", "upvalue 'u'", "field 'k'", "method 'm'"), or "" (both back ends
    say it so)."""
    t = type(e)
    if t is ast.Name:
        if e.var is None:  # type: ignore[attr-defined]
            return f"global '{e.name}'"  # type: ignore[attr-defined]
        return f"{'upvalue' if e.upvalue else 'local'} '{e.name}'"  # type: ignore[attr-defined]
    if t is ast.Index and type(e.key) is ast.String and _PLAIN_NAME.match(e.key.value):  # type: ignore[attr-defined]
        return f"field '{e.key.value}'"  # type: ignore[attr-defined]
    if t is ast.MethodCall:
        return f"method '{e.name}'"  # type: ignore[attr-defined]
    return ""


_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def resolve(chunk: ast.Chunk, source: Source) -> ChunkInfo:
    """Resolve every name in `chunk` (in place); returns its ChunkInfo."""
    return Resolver(source).chunk(chunk)
