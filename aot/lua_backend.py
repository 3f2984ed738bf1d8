"""AST -> Lua source that LuaJIT runs with exact PICO-8 semantics.

The emitted chunk is a loader. The host loads it, makes the cart's global
table its function environment, and calls it once as
`main = chunk(rt, env, counter)`:
- `rt` is the table aot/lua_runtime.lua builds (fix32 arithmetic, tostr,
  concatenation, the peek operators);
- `env` is the cart's global table (free names are plain LuaJIT globals of
  the chunk's environment: one hash lookup, which LuaJIT traces well);
- `counter` is the CPU cost counter: anything indexable as `c[0]` (the
  player's is a proxy that calls the host every so many units).
The loader runs no cart code. `main()` runs the cart's top level, with an
empty `...` as in PICO-8, and returns the top level's final `_ENV`: a cart
that ends its top level with `_ENV = tbl` defines _update/_draw in tbl and
PICO-8 finds them there.

Line N of the emitted Lua is line N of the cart (statements are placed on
their own source line; the loader's own code sits before the cart's first
statement on line 1 and after its last line), so a LuaJIT error
"p8cart:N:" names the cart line directly; `aot.source.Source.locate` turns
it into tab and line.

Builtins as locals. PICO-8 runs a cart as if it began with
`local time, sub, ... = time, sub, ...` for the names in
PICO8_LOCAL_BUILTINS, so those names are upvalues of the whole cart, not
fields of `_ENV`: they keep working after `_ENV = some_table`, and
assigning one (`function sub() ... end`) changes the cart's copy, not the
global table. The emitted code keeps the ones the cart uses as fields of
one hidden table `__p8b`, which the loader fills from `env` just before the
top level runs (one upvalue per function instead of up to 58 against
LuaJIT's limit of 60).

CPU counting: each basic block adds its estimated VM instructions to
`counter[0]` where it starts: at a block's start, after every label, and at
the top of every loop body, even an empty one (plus the loop condition), so
every loop back-edge and every backward goto counts and no loop can run
without the host seeing it. The numbers and places come from aot/costs.py,
which the C++ back end shares, so a compiled cart counts the same.

What stays exact on doubles, and how (the property tests check each against
the engine's fix32):
- `+ - * / \\ % ^`, unary minus, bitwise ops and shifts call the runtime,
  except where the operands are proven small integers (numeric `for`
  variables with constant bounds, integer literals) and the result provably
  stays inside [-32768, 32767]: then the plain Lua operator is exact.
- comparison, `==`, `not`, `and`, `or` are Lua's own; `#` goes through
  the runtime (PICO-8's border for tables with holes, and __len).
- `..` goes through the runtime so numbers print as PICO-8 prints them.
- number literals are emitted as the double equal to their fix32 value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from aot import ast, costs
from aot.builtins import PICO8_LOCAL_BUILTINS
from aot.resolver import ChunkInfo, describe
from aot.source import CartSyntaxError, Source


def runtime_source() -> str:
    """aot/lua_runtime.lua, the Lua runtime emitted code calls (`rt`): the
    player loads it into its LuaJIT state once, before any cart."""
    return (Path(__file__).resolve().parent / "lua_runtime.lua").read_text(encoding="utf-8")

CHUNK_NAME = "p8cart"
MAIN_FUNCTION = "__p8main"   # the cart's top level, as tracebacks name it

_LUA_KEYWORDS = frozenset(
    "and break do else elseif end false for function goto if in local nil not or "
    "repeat return then true until while".split()
)
_PLAIN_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

# runtime helper per operator
_BIN_HELPER = {
    "+": "add", "-": "sub", "*": "mul", "/": "div", "\\": "idiv", "%": "mod", "^": "pow",
    "&": "band", "|": "bor", "^^": "bxor", "<<": "shl", ">>": "shr", ">>>": "lshr",
    "<<>": "rotl", ">><": "rotr", "..": "cat",
}
_NATIVE = {"==": "==", "~=": "~=", "<": "<", "<=": "<=", ">": ">", ">=": ">=", "and": "and", "or": "or"}
# LuaJIT's priorities of the native operators; a left operand of the same or
# higher priority needs no parentheses, so `a and b and c...` stays flat
# (LuaJIT allows 200 syntax levels, and each parenthesis is one).
_NATIVE_PRIORITY = {"or": 1, "and": 2, "==": 3, "~=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3}
# LuaJIT's (left, right) priorities of the operators emitted as Lua
# operators (lj_parse.c); unary operators bind at 8.
_PRIORITY = {"+": (6, 6), "-": (6, 6), "*": (7, 7), "..": (5, 4),
             **{o: (p, p) for o, p in _NATIVE_PRIORITY.items()}}
_UNARY = 8


class _Op(str):
    """Emitted code whose outermost operation is a Lua operator, written
    without parentheses: each parenthesis is one of LuaJIT's 200 syntax
    levels, so the output nests no deeper than the cart. The consumer adds
    them where Lua's priorities need them (`operand`)."""
    left: int
    right: int

    def __new__(cls, code: str, left: int, right: int) -> "_Op":
        op = super().__new__(cls, code)
        op.left, op.right = left, right
        return op


def _unary(code: str) -> _Op:
    return _Op(code, _UNARY, _UNARY)


def operand(code: str, op: str, side: str) -> str:
    """`code` as the left or right operand of binary `op` (or of a unary
    operator, op "unary"), parenthesised only if Lua would group it
    otherwise."""
    if not isinstance(code, _Op):
        return code
    if side == "left":
        ok = _PRIORITY[op][0] <= code.right
    elif code.left == _UNARY and code.right == _UNARY:
        ok = True                          # `a - -b`, `not not b`: parsed in place
    else:
        ok = code.left > (_PRIORITY[op][1] if op != "unary" else _UNARY)
    return code if ok else f"({code})"
# A left-associative run of runtime-helper operators longer than this is
# emitted through rt.fold (see lua_runtime.lua) instead of nested calls.
FOLD_CHAIN = 16
# Deeper nesting than these is emitted flat through rt.unops, rt.rchain and
# rt.nest (lua_runtime.lua): a pending call takes two of LuaJIT's 250 slots
# and one of PUC Lua's, so nesting PICO-8 takes would not fit otherwise.
UNARY_RUN = 8
RIGHT_CHAIN = 8
CALL_NEST = 24
_UNARY_HELPER = {"-": "neg", "not": "lnot", "#": "len", "~": "bnot"}
_PEEK = {1: "peek", 2: "peek2", 4: "peek4"}

MAX_UPVALUES = 60   # LuaJIT's LJ_MAX_UPVAL
HIDDEN_UPVALUES = 3  # __p8env, __p8cost, __p8b (or the helper table)


# the loader's arguments: the runtime table, _ENV and the CPU counter
_LOADER_ARGS = "local __p8, __p8env, __p8cost = ...; "


@dataclass
class LuaChunk:
    """Emitted Lua and what the host needs to run it."""
    code: str
    helpers: list[str] = field(default_factory=list)
    counters: bool = False
    builtins: list[str] = field(default_factory=list)   # PICO8_LOCAL_BUILTINS it uses


def fix_literal(raw: int) -> str:
    """A fix32 value as a Lua number literal that reads back exactly."""
    if raw & 0xFFFF == 0:
        s = str(raw >> 16)
    else:
        s = repr(raw / 65536)
    return _unary(s) if s.startswith("-") else s


_LUA_ESCAPED = re.compile(r'[^ -~]|["\\]')


def _lua_escape(m: re.Match[str]) -> str:
    ch = m.group()
    if ch == '"' or ch == "\\":
        return "\\" + ch
    if ch == "\n":
        return "\\n"
    return "\\%03d" % ord(ch)     # always 3 digits, so a digit after it stays apart


def lua_string(value: str) -> str:
    """Byte text -> a Lua short string literal, ASCII only (time and
    memory linear in its length)."""
    return '"' + _LUA_ESCAPED.sub(_lua_escape, value) + '"'


class _Range:
    """Closed interval of integer values an expression is proven to take."""
    __slots__ = ("lo", "hi")

    def __init__(self, lo: int, hi: int) -> None:
        self.lo = lo
        self.hi = hi


_FIX_LO, _FIX_HI = -32768, 32767


class Emitter:
    def __init__(self, chunk: ast.Chunk, counters: bool = True, hidden_locals: bool = True,
                 uncounted: frozenset[int] = frozenset()) -> None:
        self.chunk = chunk
        # functions (by id) compiled without counters: the BIOS's
        # `-- rp8:native` ones (aot/bios.py)
        self.uncounted = uncounted
        self.counting = counters
        # PICO-8's hidden top-level locals (PICO8_LOCAL_BUILTINS): a cart's
        # names; the BIOS (aot/bios.lua), which defines some of them,
        # reads and writes them as plain globals of its own environment
        self.hidden_locals = hidden_locals
        self.info: ChunkInfo = chunk.info  # type: ignore[assignment]
        self.counters = counters
        self.out: list[str] = []
        self.line = 1
        self.helpers: set[str] = set()
        self.builtins: set[str] = set()
        self.tmp = 0
        self.ranges: dict[int, _Range] = {}   # LocalVar uid -> range of a for variable
        env = chunk.env
        self.env_var = env
        # globals through the chunk's own _ENV may be plain LuaJIT globals
        # (the host sets the chunk's fenv) unless the cart reassigns _ENV.
        self.env_indexed = bool(self.info.env_assigned)
        self.table_mode = self._needs_table_mode()
        self.memos = 0                  # closure sites made once (closure())
        self.separate: list[tuple[int, int, str]] = []   # (site, first line, code) loaded on their own
        self.once_vars = self._once_vars()

    # ------------------------------------------------------------ helpers

    def _needs_table_mode(self) -> bool:
        """Helpers are locals of the loader, so upvalues of every function
        that uses one, unless that could overflow LuaJIT's 60 upvalues a
        function; then they are fields of one local table. (The cart's own
        top-level locals live in the main function, apart from them.)"""
        helpers = len(_BIN_HELPER) + 8
        return any(len(f.upvalues) + helpers + HIDDEN_UPVALUES > MAX_UPVALUES
                   for f in self.info.functions)

    def _once_vars(self) -> set[int]:
        """uids of the variables that exist once per run of the cart: the
        chunk's _ENV and the locals of the top level's own block (run once,
        unless a goto jumps back in it)."""
        once = {self.env_var.uid} if self.env_var is not None else set()
        top = self.chunk.body
        if not any(type(st) is ast.Label and st.backward for st in top.body):  # type: ignore[attr-defined]
            once.update(v.uid for v in top.locals)
        return once

    def closure(self, f: ast.Function, code: str, line: int) -> str:
        """A function expression. Lua 5.2 (PICO-8's VM) reuses the closure a
        site made last when its upvalues are the same variables (manual
        8.1: "a function definition may not create a new value"); so when
        all of a nested function's upvalues exist once per run, it is made
        once per site here too. LuaJIT cannot compile closure creation
        (FNEW), so a constructor that makes methods per object (vec2() in
        toadally-normal-matching-game) otherwise stays interpreted and
        feeds the collector.

        LuaJIT also closes upvalues (UCLO, which it cannot compile either)
        at every return of a function that contains a function literal, so
        when such a function uses no local variable at all (only globals)
        its text is taken out of the enclosing function: the loader loads
        it as a chunk of its own, with the same name and line numbers
        (rt.closure_chunk), before the top level runs, and the site reads it
        from `__p8b.__p8fn`."""
        if f.parent is None or f.parent is self.chunk.func or \
                any(v.uid not in self.once_vars for v in f.upvalues):
            return code
        self.memos += 1
        k = self.memos
        if self.hidden_locals and not self.env_indexed and all(v is self.env_var for v in f.upvalues):
            self.separate.append((k, line, code))
            return f"__p8b.__p8fn[{k}]" + "\n" * code.count("\n")     # the lines it spans, kept
        return f"(__p8b.__p8fn[{k}] or {self.helper('memo')}(__p8b.__p8fn, {k}, {code}))"

    def helper(self, name: str) -> str:
        self.helpers.add(name)
        return f"__p8.{name}" if self.table_mode else f"__p8_{name}"

    def local_name(self, var: ast.LocalVar) -> str:
        if var is self.env_var:
            return "__p8env"
        n = var.name
        if _PLAIN_IDENT.match(n) and not n.startswith("__p8"):
            return n
        return f"__p8v{var.uid}"

    def global_ref(self, name: str, env: ast.LocalVar | None) -> str:
        if name in PICO8_LOCAL_BUILTINS and self.hidden_locals:
            # one of PICO-8's hidden top-level locals, whatever _ENV is
            self.builtins.add(name)
            return f"__p8b.{name}"
        key = lua_string(name)
        if env is not None and env is not self.env_var:
            return f"{self.local_name(env)}[{key}]"
        if self.env_indexed or not _PLAIN_IDENT.match(name) or name.startswith("__p8"):
            return f"__p8env[{key}]"
        return name

    def emit(self, text: str) -> None:
        self.out.append(text)

    def at(self, line: int) -> None:
        """Move the output to source line `line` (never backwards)."""
        if line > self.line:
            self.out.append("\n" * (line - self.line))
            self.line = line

    def new_tmp(self) -> str:
        self.tmp += 1
        return f"__p8t{self.tmp}"

    # ------------------------------------------------------------ chunk

    def chunk_code(self) -> LuaChunk:
        body_parts: list[str] = []
        self.out = body_parts
        self.line = 1
        self.block_body(self.chunk.body, self.chunk.func, entry=True)
        body = "".join(body_parts)
        helpers = sorted(self.helpers)
        builtins = sorted(self.builtins)
        loader = _LOADER_ARGS
        if helpers and not self.table_mode:
            names = ", ".join(f"__p8_{h}" for h in helpers)
            values = ", ".join(f"__p8.{h}" for h in helpers)
            loader += f"local {names} = {values}; "
        # the builtin locals, read from _ENV as the cart is about to run
        # (the host calls main() right after the loader)
        if builtins or self.memos:
            fill = ", ".join([f"{b} = __p8env.{b}" for b in builtins] + (["__p8fn = {}"] if self.memos else []))
            loader += f"local __p8b = {{{fill}}}; "
        if self.separate:
            # each taken-out function: its own chunk, whose first line (the
            # function's) first binds what the loader binds
            head = "local __p8, __p8env, __p8cost, __p8b = ...; "
            if helpers and not self.table_mode:
                head += f"local {names} = {values}; "
            for k, line, code in self.separate:
                text = lua_string(head + "return " + code)
                loader += (f"__p8b.__p8fn[{k}] = __p8.closure_chunk({line}, {text}, \"={CHUNK_NAME}\", __p8env, "
                           "__p8, __p8env, __p8cost, __p8b); ")
        # The top level is its own function, so its `...` is the cart's (empty).
        head = f"local function {MAIN_FUNCTION}(...) "
        tail = f"\n end; return function() {MAIN_FUNCTION}() return __p8env end\n"
        return LuaChunk(loader + head + body + tail, helpers, self.counters, builtins)

    # ------------------------------------------------------------ cost

    def count(self, n: int) -> None:
        """Add n units to the counter here (aot/costs.py decides n and
        where; nothing is emitted for 0)."""
        if not self.counting or n == 0:
            return
        self.emit(f" __p8cost[0] = __p8cost[0] + {n};")

    # ------------------------------------------------------------ blocks

    def block_body(self, block: ast.Block, func: ast.Function | None, entry: bool = False,
                   loop: ast.Expr | bool = False) -> None:
        """Statements of a block; a cost counter at the start and after each
        label (a jump target begins a new basic block). A loop body
        (`loop` is its condition, or True) always counts at least one unit
        per iteration, its condition included, so an empty loop counts."""
        body = block.body
        if not (block is self.chunk.body and not self.hidden_locals):
            # (the BIOS's top level only defines its functions; compiled
            # carts never run it, so it counts nothing here either)
            self.count(costs.block_entry(body, loop))
        for i, st in enumerate(body):
            if isinstance(st, ast.Label):
                self.statement(st)
                self.count(costs.after_label(body, i))
                continue
            self.statement(st, last=i == len(body) - 1)

    def statement(self, st: ast.Stmt, last: bool = False) -> None:
        self.at(st.line)
        t = type(st)
        if t is ast.Local:
            names = ", ".join(self.local_name(v) for v in st.vars)
            if st.values:
                self.emit(f" local {names} = {self.exprlist(st.values)};")
            else:
                self.emit(f" local {names};")
        elif t is ast.Assign:
            self.assign(st)
        elif t is ast.OpAssign:
            self.op_assign(st)
        elif t is ast.CallStat:
            self.emit(f" {self.expr(st.call)};")
        elif t is ast.LocalFunction:
            name = self.local_name(st.var)
            self.emit(f" local function {name}")
            self.function_rest(st.func)
            self.emit(";")
        elif t is ast.Do:
            self.emit(" do")
            self.block_body(st.body, None)
            self.at(st.body.end_line)
            self.emit(" end;")
        elif t is ast.While:
            self.emit(f" while {self.expr(st.cond)} do")
            self.block_body(st.body, None, loop=st.cond)
            self.at(st.body.end_line)
            self.emit(" end;")
        elif t is ast.Repeat:
            self.emit(" repeat")
            self.block_body(st.body, None, loop=st.cond)
            self.at(st.cond.line)
            self.emit(f" until {self.expr(st.cond)};")
        elif t is ast.If:
            first = True
            for cond, body in st.clauses:
                self.at(cond.line)
                self.emit(f" {'if' if first else 'elseif'} {self.expr(cond)} then")
                first = False
                self.block_body(body, None)
            if st.orelse is not None:
                self.at(st.orelse.line)
                self.emit(" else")
                self.block_body(st.orelse, None)
                self.at(st.orelse.end_line)
            else:
                self.at(st.clauses[-1][1].end_line)
            self.emit(" end;")
        elif t is ast.NumericFor:
            self.numeric_for(st)
        elif t is ast.GenericFor:
            names = ", ".join(self.local_name(v) for v in st.vars)
            self.emit(f" for {names} in {self.all_loop(st.exprs) or self.exprlist(st.exprs)} do")
            self.block_body(st.body, None, loop=True)
            self.at(st.body.end_line)
            self.emit(" end;")
        elif t is ast.Return:
            if st.values:
                # an operator's runtime call in tail position would drop the
                # cart's frame, and error messages would name the caller
                vals = [f"({self.expr(v)})" if type(v) in (ast.BinOp, ast.UnOp, ast.Peek) else self.expr(v)
                        for v in st.values]
                ret = f"return {', '.join(vals)}"
            else:
                ret = "return"
            # `do ... end` (a syntax level) only where Lua needs the return
            # to end a block
            self.emit(f" {ret};" if last else f" do {ret} end;")
        elif t is ast.Break:
            self.emit(" do break end;")
        elif t is ast.Goto:
            self.emit(f" goto {self.label_name(st.label)};")
        elif t is ast.Label:
            self.emit(f" ::{self.label_name(st.name)}::")
        else:  # pragma: no cover
            raise TypeError(f"unknown statement {t.__name__}")

    def all_loop(self, exprs: list[ast.Expr]) -> str | None:
        """`for v in all(t)` with the global all and one argument of one
        value: rt.forall, which iterates without making a closure when all is
        the BIOS's (LuaJIT compiles no closure creation, so the loop's
        function stayed interpreted); None for any other loop."""
        if len(exprs) != 1 or type(exprs[0]) is not ast.Call:
            return None
        call: ast.Call = exprs[0]  # type: ignore[assignment]
        f = call.func
        if (type(f) is not ast.Name or f.var is not None or f.name != "all"  # type: ignore[attr-defined]
                or len(call.args) != 1 or type(call.args[0]) in (ast.Call, ast.MethodCall, ast.Vararg)
                or _call_nest(call) >= CALL_NEST):
            return None
        self.at(call.line)
        return (f"{self.helper('forall')}({lua_string(describe(f))}, {self.prefix(f)}, "
                f"{self.expr(call.args[0])})")

    def label_name(self, name: str) -> str:
        if _PLAIN_IDENT.match(name) and name not in _LUA_KEYWORDS:
            return name
        return "__p8l_" + "".join(c if c.isalnum() and c.isascii() else f"_{ord(c):02x}" for c in name)

    def numeric_for(self, st: ast.NumericFor) -> None:
        """PICO-8's numeric for runs on exact values; in doubles the loop
        variable never wraps, so `for i=32760,32767` ends as it must."""
        start, stop = self.expr(st.start), self.expr(st.stop)
        step = self.expr(st.step) if st.step is not None else None
        var = st.var
        assert var is not None
        r = self._for_range(st)
        if r is not None and var.writes == 0:
            self.ranges[var.uid] = r
        name = self.local_name(var)
        head = f" for {name} = {start}, {stop}" + (f", {step}" if step is not None else "") + " do"
        self.emit(head)
        self.block_body(st.body, None, loop=True)
        self.at(st.body.end_line)
        self.emit(" end;")

    def _for_range(self, st: ast.NumericFor) -> _Range | None:
        a = self.int_range(st.start)
        b = self.int_range(st.stop)
        step = 1 if st.step is None else _int_literal(st.step)
        if a is None or b is None or step is None or step == 0:
            return None
        if step > 0:
            return _Range(a.lo, max(a.lo, b.hi))
        return _Range(min(a.hi, b.lo), a.hi)

    # ------------------------------------------------------------ assignment

    def assign(self, st: ast.Assign) -> None:
        if len(st.targets) == 1 and len(st.values) == 1:
            self.emit(f" {self.target(st.targets[0])} = {self.expr(st.values[0])};")
            return
        targets = ", ".join(self.target(t) for t in st.targets)
        self.emit(f" {targets} = {self.exprlist(st.values)};")

    def target(self, e: ast.Expr) -> str:
        if type(e) is ast.Name:
            return self.name_ref(e)  # type: ignore[arg-type]
        assert isinstance(e, ast.Index)
        return f"{self.prefix(e.obj)}[{self.expr(e.key)}]"

    def op_assign(self, st: ast.OpAssign) -> None:
        """target op= value, the target evaluated once."""
        tgt = st.target
        if type(tgt) is ast.Name:
            ref = self.name_ref(tgt)  # type: ignore[arg-type]
            self.emit(f" {ref} = {self.binop(st.op, tgt, st.value, left_code=ref)};")
            return
        assert isinstance(tgt, ast.Index)
        obj = self.prefix(tgt.obj)
        key = self.expr(tgt.key)
        pre = []
        if not self._stable(tgt.obj):
            t = self.new_tmp()
            pre.append((t, obj))
            obj = t
        if not self._stable(tgt.key):
            t = self.new_tmp()
            pre.append((t, key))
            key = t
        ref = f"{obj}[{key}]"
        rhs = self.binop(st.op, None, st.value, left_code=ref)
        if pre:
            names = ", ".join(p[0] for p in pre)
            vals = ", ".join(p[1] for p in pre)
            self.emit(f" do local {names} = {vals}; {ref} = {rhs} end;")
        else:
            self.emit(f" {ref} = {rhs};")

    def _stable(self, e: ast.Expr) -> bool:
        """Evaluating `e` twice gives the same value and has no effect:
        literals, and locals no closure can reassign meanwhile."""
        t = type(e)
        if t in (ast.Number, ast.String, ast.TrueExpr, ast.FalseExpr, ast.Nil):
            return True
        if t is ast.Name:
            v = e.var  # type: ignore[attr-defined]
            return v is not None and not v.captured and v is not self.env_var
        return False

    # ------------------------------------------------------------ functions

    def function_rest(self, f: ast.Function) -> None:
        params = [self.local_name(v) for v in f.params]
        if f.is_vararg:
            params.append("...")
        self.emit(f"({', '.join(params)})")
        saved = self.counting
        self.counting = self.counters and id(f) not in self.uncounted
        self.block_body(f.body, f)
        self.counting = saved
        self.at(f.end_line)
        self.emit(" end")

    # ------------------------------------------------------------ expressions

    def exprlist(self, exprs: list[ast.Expr]) -> str:
        return ", ".join(self.expr(e) for e in exprs)

    def name_ref(self, e: ast.Name) -> str:
        if e.var is not None:
            return self.local_name(e.var)
        return self.global_ref(e.name, e.env)

    def prefix(self, e: ast.Expr) -> str:
        """An expression usable before `[`, `.`, `(` or `:`."""
        code = self.expr(e)
        if type(e) in (ast.Name, ast.Index, ast.Call, ast.MethodCall, ast.Paren):
            return code
        return f"({code})"

    def expr(self, e: ast.Expr) -> str:
        t = type(e)
        if t is ast.Name:
            return self.name_ref(e)  # type: ignore[arg-type]
        if t is ast.Number:
            return fix_literal(e.raw)  # type: ignore[attr-defined]
        if t is ast.String:
            return lua_string(e.value)  # type: ignore[attr-defined]
        if t is ast.Nil:
            return "nil"
        if t is ast.TrueExpr:
            return "true"
        if t is ast.FalseExpr:
            return "false"
        if t is ast.Vararg:
            return "..."
        if t is ast.Index:
            return f"{self.prefix(e.obj)}[{self.expr(e.key)}]"  # type: ignore[attr-defined]
        if t is ast.Call:
            if _call_nest(e) >= CALL_NEST:
                return self.nest(e)  # type: ignore[arg-type]
            self.at(e.line)
            return f"{self.prefix(e.func)}({self.exprlist(e.args)})"  # type: ignore[attr-defined]
        if t is ast.MethodCall:
            self.at(e.line)
            obj = self.prefix(e.obj)  # type: ignore[attr-defined]
            name = e.name  # type: ignore[attr-defined]
            if _PLAIN_IDENT.match(name) and name not in _LUA_KEYWORDS:
                return f"{obj}:{name}({self.exprlist(e.args)})"  # type: ignore[attr-defined]
            # a method name LuaJIT cannot spell: evaluate obj once by hand
            args = self.exprlist(e.args)  # type: ignore[attr-defined]
            call = self.helper("callmethod")
            return f"{call}({obj}, {lua_string(name)}{', ' + args if args else ''})"
        if t is ast.Paren:
            inner = e.expr  # type: ignore[attr-defined]
            while type(inner) is ast.Paren:    # ((x)) is (x): one syntax level
                inner = inner.expr  # type: ignore[attr-defined]
            return f"({self.expr(inner)})"
        if t is ast.Function:
            self.emit("")
            saved, start = self.out, self.line
            self.out = []
            self.emit("function")
            self.function_rest(e)  # type: ignore[arg-type]
            code = "".join(self.out)
            self.out = saved
            return self.closure(e, code, start)  # type: ignore[arg-type]
        if t is ast.Table:
            return self.table(e)  # type: ignore[arg-type]
        if t is ast.BinOp:
            return self.binop(e.op, e.left, e.right)  # type: ignore[attr-defined]
        if t is ast.UnOp:
            return self.unop(e)  # type: ignore[arg-type]
        if t is ast.Peek:
            if _unary_run(e) >= UNARY_RUN:
                return self.unary_run(e)
            return f"{self.helper(_PEEK[e.size])}({self.expr(e.operand)})"  # type: ignore[attr-defined]
        raise TypeError(f"unknown expression {t.__name__}")  # pragma: no cover

    def table(self, e: ast.Table) -> str:
        parts = []
        for key, value in e.items:
            if value.line > self.line:
                parts.append("\n" * (value.line - self.line))
                self.line = value.line
            v = self.expr(value)
            if key is None:
                parts.append(v + ", ")
            else:
                parts.append(f"[{self.expr(key)}] = {v}, ")
        return "{" + "".join(parts) + "}"

    def nest(self, e: ast.Call) -> str:
        """f1(A1.., f2(A2.., ... fk(Ak...))) as rt.nest (one call)."""
        counts: list[str] = []
        parts: list[str] = []
        names: list[str] = []        # each callee as an error names it
        c = e
        while True:
            self.at(c.line)
            parts.append(self.prefix(c.func))
            names.append(describe(c.func))
            last = c.args[-1] if c.args else None
            if type(last) is not ast.Call:
                parts.extend(self.expr(a) for a in c.args)
                break
            counts.append(str(len(c.args) - 1))
            parts.extend(self.expr(a) for a in c.args[:-1])
            c = last  # type: ignore[assignment]
        shape = lua_string(",".join(counts) + ";" + "|".join(names))
        return f"{self.helper('nest')}({shape}, {', '.join(parts)})"

    def unary_run(self, e: ast.Expr) -> str:
        """A run of unary operators as rt.unops(x, innermost op first, ...)."""
        ops: list[str] = []
        while True:
            if type(e) is ast.Peek:
                ops.append(self.helper(_PEEK[e.size]))  # type: ignore[attr-defined]
            elif type(e) is ast.UnOp and not (e.op == "-" and type(e.operand) is ast.Number):  # type: ignore[attr-defined]
                ops.append(self.helper(_UNARY_HELPER[e.op]))  # type: ignore[attr-defined]
            else:
                break
            e = e.operand  # type: ignore[attr-defined]
        x = self.expr(e)
        return f"{self.helper('unops')}({x}, {', '.join(reversed(ops))})"

    def right_chain(self, op: str, left: ast.Expr, right: ast.Expr) -> str:
        """a1 op a2 op ... an (^ or .., right-associative) as rt.rchain:
        operands evaluated left to right, applied right to left."""
        items = [left]
        while type(right) is ast.BinOp and right.op == op:  # type: ignore[attr-defined]
            items.append(right.left)  # type: ignore[attr-defined]
            right = right.right  # type: ignore[attr-defined]
        items.append(right)
        codes = []
        for it in items:
            code = self.expr(it)
            # one value each, as an operand has
            codes.append(f"({code})" if type(it) in (ast.Call, ast.MethodCall, ast.Vararg) else code)
        return f"{self.helper('rchain')}({self.helper(_BIN_HELPER[op])}, {', '.join(codes)})"

    def unop(self, e: ast.UnOp) -> str:
        op = e.op
        if _unary_run(e) >= UNARY_RUN:
            return self.unary_run(e)
        if op == "-":
            if type(e.operand) is ast.Number:
                raw = -e.operand.raw  # type: ignore[attr-defined]
                raw &= 0xFFFFFFFF
                if raw & 0x80000000:
                    raw -= 1 << 32
                return fix_literal(raw)
            r = self.int_range(e.operand)
            if r is not None and r.lo > _FIX_LO:
                # a run of negations proven in range: -(-x) is x exactly,
                # so the run is x or 0 - x, however long
                inner, odd = e.operand, True
                while (type(inner) is ast.UnOp and inner.op == "-"  # type: ignore[attr-defined]
                       and type(inner.operand) is not ast.Number):  # type: ignore[attr-defined]
                    r = self.int_range(inner.operand)  # type: ignore[attr-defined]
                    if r is None or r.lo <= _FIX_LO:
                        break
                    inner, odd = inner.operand, not odd  # type: ignore[attr-defined]
                code = self.expr(inner)
                if not odd:
                    return code
                return _Op(f"0 - {operand(code, '-', 'right')}", 6, 6)
            return f"{self.helper('neg')}({self.expr(e.operand)})"
        if op == "not":
            return _unary(f"not {operand(self.expr(e.operand), 'unary', 'right')}")
        if op == "#":
            if type(e.operand) is ast.String and len(e.operand.value) < 32768:  # type: ignore[attr-defined]
                return _unary(f"#{self.prefix(e.operand)}")
            # named in an error, as compiled carts do (a cart's names: the BIOS,
            # compiled with hidden_locals off, keeps its own to itself)
            what = describe(e.operand) if self.hidden_locals else ""
            if what:
                return f"{self.helper('len')}({self.expr(e.operand)}, {lua_string(what)})"
            return f"{self.helper('len')}({self.expr(e.operand)})"
        if op == "~":
            return f"{self.helper('bnot')}({self.expr(e.operand)})"
        raise TypeError(op)  # pragma: no cover

    def binop(self, op: str, left: ast.Expr | None, right: ast.Expr, left_code: str | None = None) -> str:
        if left_code is None and op in _NATIVE:
            return self.native_run(op, left, right)  # type: ignore[arg-type]
        if left_code is None and op in _BIN_HELPER and _helper_run(left, FOLD_CHAIN) >= FOLD_CHAIN:  # type: ignore[arg-type]
            return self.fold_run(op, left, right)  # type: ignore[arg-type]
        if (left_code is None and op in ("^", "..") and _right_run(right, op) >= RIGHT_CHAIN
                and not (op == ".." and _is_string(left) and _is_string(right))):  # type: ignore[arg-type]
            return self.right_chain(op, left, right)  # type: ignore[arg-type]
        lc = left_code if left_code is not None else self.expr(left)  # type: ignore[arg-type]
        native = _NATIVE.get(op)
        if native is not None:
            rc = operand(self.expr(right), op, "right")
            return _Op(f"{operand(lc, op, 'left')} {native} {rc}", *_PRIORITY[op])
        rc = self.expr(right)
        if op in ("+", "-", "*") and left is not None:
            a, b = self.int_range(left), self.int_range(right)
            if a is not None and b is not None:
                r = _combine(op, a, b)
                if _FIX_LO <= r.lo and r.hi <= _FIX_HI:
                    return _Op(f"{operand(lc, op, 'left')} {op} {operand(rc, op, 'right')}", *_PRIORITY[op])
        if op == ".." and left is not None and _is_string(left) and _is_string(right):
            # literals only: one literal (a chain of them nests no levels)
            return lua_string(_string_value(left) + _string_value(right))
        return f"{self.helper(_BIN_HELPER[op])}({lc}, {rc})"

    def native_run(self, op: str, left: ast.Expr, right: ast.Expr) -> str:
        """`a and b or c ...` as one run: the left spine of native
        operators of non-decreasing priority needs no parentheses."""
        rights = [(op, right)]
        while (type(left) is ast.BinOp and left.op in _NATIVE  # type: ignore[attr-defined]
               and _NATIVE_PRIORITY[left.op] >= _NATIVE_PRIORITY[rights[-1][0]]):  # type: ignore[attr-defined]
            rights.append((left.op, left.right))  # type: ignore[attr-defined]
            left = left.left  # type: ignore[attr-defined]
        parts = [operand(self.expr(left), rights[-1][0], "left")]
        for o, r in reversed(rights):
            parts.append(f"{_NATIVE[o]} {operand(self.expr(r), o, 'right')}")
        return _Op(" ".join(parts), *_PRIORITY[op])

    def fold_run(self, op: str, left: ast.Expr, right: ast.Expr) -> str:
        """A long left spine of runtime-helper operators, as a run of calls
        through rt.fold, which LuaJIT parses without nesting."""
        rights = [(op, right)]
        while type(left) is ast.BinOp and left.op in _BIN_HELPER:  # type: ignore[attr-defined]
            rights.append((left.op, left.right))  # type: ignore[attr-defined]
            left = left.left  # type: ignore[attr-defined]
        parts = [f"{self.helper('fold')}({self.expr(left)})"]
        for o, r in reversed(rights):
            parts.append(f"({self.helper(_BIN_HELPER[o])}, {self.expr(r)})")
        parts.append("()")
        return "(" + "".join(parts) + ")"

    # ------------------------------------------------------------ ranges

    def int_range(self, e: ast.Expr) -> _Range | None:
        """The integer interval `e` is proven to lie in, or None."""
        t = type(e)
        if t is ast.Number:
            raw = e.raw  # type: ignore[attr-defined]
            if raw & 0xFFFF == 0:
                v = raw >> 16
                return _Range(v, v)
            return None
        if t is ast.Name:
            v = e.var  # type: ignore[attr-defined]
            if v is not None and v.attrib == "for" and v.writes == 0:
                return self.ranges.get(v.uid)
            return None
        if t is ast.Paren:
            return self.int_range(e.expr)  # type: ignore[attr-defined]
        if t is ast.BinOp and e.op in ("+", "-", "*"):  # type: ignore[attr-defined]
            a = self.int_range(e.left)  # type: ignore[attr-defined]
            b = self.int_range(e.right)  # type: ignore[attr-defined]
            if a is None or b is None:
                return None
            r = _combine(e.op, a, b)  # type: ignore[attr-defined]
            if _FIX_LO <= r.lo and r.hi <= _FIX_HI:
                return r
            return None
        if t is ast.UnOp and e.op == "-":  # type: ignore[attr-defined]
            a = self.int_range(e.operand)  # type: ignore[attr-defined]
            if a is None or a.lo <= _FIX_LO:
                return None
            return _Range(-a.hi, -a.lo)
        return None


def _call_nest(e: ast.Call) -> int:
    """How many calls nest as each one's last argument, from e down."""
    n = 1
    while e.args and type(e.args[-1]) is ast.Call:
        e = e.args[-1]  # type: ignore[assignment]
        n += 1
    return n


def _unary_run(e: ast.Expr) -> int:
    """How many unary operators (@ % $ included) run down from e."""
    n = 0
    while type(e) in (ast.UnOp, ast.Peek):
        if type(e) is ast.UnOp and e.op == "-" and type(e.operand) is ast.Number:  # type: ignore[attr-defined]
            break          # a negative literal
        n += 1
        e = e.operand  # type: ignore[attr-defined]
    return n


def _right_run(e: ast.Expr, op: str) -> int:
    """How many more `op` operators run down the right of `... op e`."""
    n = 1
    while type(e) is ast.BinOp and e.op == op:  # type: ignore[attr-defined]
        n += 1
        e = e.right  # type: ignore[attr-defined]
    return n


def _helper_run(e: ast.Expr, at_least: int) -> int:
    """How many runtime-helper operators run down the left of `e`
    (counting stops at `at_least`)."""
    n = 0
    while n < at_least and type(e) is ast.BinOp and e.op in _BIN_HELPER:  # type: ignore[attr-defined]
        n += 1
        e = e.left  # type: ignore[attr-defined]
    return n


def _combine(op: str, a: _Range, b: _Range) -> _Range:
    if op == "+":
        return _Range(a.lo + b.lo, a.hi + b.hi)
    if op == "-":
        return _Range(a.lo - b.hi, a.hi - b.lo)
    ps = (a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi)
    return _Range(min(ps), max(ps))


def _int_literal(e: ast.Expr) -> int | None:
    if type(e) is ast.Number and e.raw & 0xFFFF == 0:  # type: ignore[attr-defined]
        return e.raw >> 16  # type: ignore[attr-defined]
    if type(e) is ast.UnOp and e.op == "-" and type(e.operand) is ast.Number:  # type: ignore[attr-defined]
        v = _int_literal(e.operand)  # type: ignore[attr-defined]
        return None if v is None else -v
    return None


def _string_value(e: ast.Expr) -> str:
    """The value of an expression _is_string accepts."""
    if type(e) is ast.String:
        return e.value  # type: ignore[attr-defined]
    if type(e) is ast.Paren:
        return _string_value(e.expr)  # type: ignore[attr-defined]
    return _string_value(e.left) + _string_value(e.right)  # type: ignore[attr-defined]


def _is_string(e: ast.Expr) -> bool:
    if type(e) is ast.String:
        return True
    if type(e) is ast.Paren:
        return _is_string(e.expr)  # type: ignore[attr-defined]
    return type(e) is ast.BinOp and e.op == ".." and _is_string(e.left) and _is_string(e.right)  # type: ignore[attr-defined]


def check_limits(chunk: ast.Chunk, source: Source) -> None:
    """LuaJIT's limits that PICO-8's Lua 5.2 does not share, as a clear
    error before LuaJIT sees the code: a function may use at most 60 outer
    locals (Lua 5.2: 255), and the emitted code needs HIDDEN_UPVALUES of
    them for itself."""
    info: ChunkInfo = chunk.info  # type: ignore[assignment]
    for f in info.functions:
        if len(f.upvalues) + HIDDEN_UPVALUES > MAX_UPVALUES:
            raise CartSyntaxError(
                source, f.line, f.col,
                f"not supported yet: a function using {len(f.upvalues)} local variables of enclosing "
                f"functions (the interpreter's LuaJIT allows {MAX_UPVALUES - HIDDEN_UPVALUES})")


def emit_lua(chunk: ast.Chunk, counters: bool = True, source: Source | None = None,
             hidden_locals: bool = True, uncounted: frozenset[int] = frozenset()) -> LuaChunk:
    """Lua source for a resolved chunk (see the module docstring); with
    `source`, code LuaJIT could not load is refused first (check_limits);
    hidden_locals=False and `uncounted` for the BIOS (see Emitter)."""
    if source is not None:
        check_limits(chunk, source)
    return Emitter(chunk, counters, hidden_locals, uncounted).chunk_code()
