"""The C++ back end's base: the emitter's state and output, and where a
compiled function's values live and how they are read and written.

An operand is C++ code plus its kind (a Value, a fix32 or a bool) and how
it may be used (a constant, this function's local, a volatile read of a
global or upvalue, or impure code that must be stored before anything else
runs). A local lives in a slot of the frame, `R[i]`, in a cell there when a
closure captures it, or in a C++ fix32 when proven numeric; a global in
`G[i]`, in `GN[i]`/`GD[i]` when only ever numeric, or in the _ENV table
when the cart reaches its globals dynamically. The other parts
(cpp_calls, cpp_expressions, cpp_statements) build on this class, each a
subclass of the one before; cpp_backend's CppEmitter is the whole.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator, Optional

from aot import ast, cpp_api, cpp_runtime
from aot.bios import numeric_passthrough
from aot.builtins import GLYPH_GLOBALS, PICO8_LOCAL_BUILTINS, glyph_raw
from aot.cpp_types import ARITH, NumericLocals
from aot.resolver import ChunkInfo, describe
from aot.source import CartSyntaxError, Source

# kinds of operand
VAL, NUM, BOOL = "val", "num", "bool"
# how an operand may be used: constants and this function's locals can be
# read any time; volatile reads (globals, upvalues) must be taken before a
# later operand with effects runs; impure code must be stored first.
CONST, LOCAL, VOLATILE, IMPURE = 0, 1, 2, 3


@dataclass
class Operand:
    code: str
    kind: str
    cls: int


@dataclass
class Storage:
    kind: str            # "slot", "cell" or "num"
    slot: int = -1
    cname: str = ""


@dataclass
class FuncState:
    node: ast.Function
    fid: int
    parent: Optional["FuncState"]
    cname: str
    lines: list[str] = field(default_factory=list)
    depth: int = 1
    sp: int = 0
    maxslot: int = 0
    storage: dict[int, Storage] = field(default_factory=dict)
    upidx: dict[int, int] = field(default_factory=dict)
    ctemps: list[str] = field(default_factory=list)
    last_line: int = 0
    expanded: bool = False
    drops_results: bool = False   # sets L->top back to TOP, the frame's top
    gset: set[str] = field(default_factory=set)


def c_ident(name: str) -> str:
    s = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return s[:24] if s else "v"


# The glyph globals' initial values as raw fix32 bits (aot/builtins.py)
GLYPHS = {code: glyph_raw(code) for code in GLYPH_GLOBALS}


def glyph_value(name: str) -> int | None:
    """The raw fix32 of a glyph global's initial value, or None."""
    if len(name) == 1 and ord(name) in GLYPHS:
        return GLYPHS[ord(name)]
    return None


def fix_code(raw: int) -> str:
    """A fix32 raw value as C++ (fix32 type)."""
    raw &= 0xFFFFFFFF
    if raw & 0x80000000:
        raw -= 1 << 32
    if raw & 0xFFFF == 0:
        return f"P8_FIX({raw >> 16})"
    if raw == -(1 << 31):
        return "P8_FIX_MIN"
    return f"(fix32){raw}"


def multret(e: ast.Expr) -> bool:
    return type(e) in (ast.Call, ast.MethodCall, ast.Vararg)


def may_call(node: ast.Node) -> bool:
    """A call anywhere in node, outside the functions it defines."""
    stack: list[ast.Node] = [node]
    while stack:
        n = stack.pop()
        if type(n) in (ast.Call, ast.MethodCall):
            return True
        if type(n) is not ast.Function:
            stack.extend(n.children())
    return False


class ValueEmitter:
    """The emitter's state, output, slots, operands, variables and globals
    (see the module docstring)."""

    def __init__(self, chunk: ast.Chunk, source: Source) -> None:
        self.chunk = chunk
        self.source = source
        self.info: ChunkInfo = chunk.info  # type: ignore[assignment]
        self.dynamic = self.info.globals_dynamic
        table = self.runtime_table()
        self.builtins = [name for name, _fn in table]
        self.builtin_fn = dict(table)
        self.builtin_id = {n: i for i, n in enumerate(self.builtins) if not n.startswith("(")}
        self.api_names = cpp_runtime.pico8_api_names()
        self.types = NumericLocals(chunk, frozenset(self.builtin_id))
        # globals kept as fix32 GN[i] plus an "assigned" flag GD[i]
        # (aot.cpp_types.NumericLocals.numeric_globals)
        keep_boxed = frozenset(self.builtin_id) | frozenset(chr(c) for c in GLYPHS)
        self.num_globals = sorted(self.types.numeric_globals(keep_boxed))
        self.num_gid = {n: i for i, n in enumerate(self.num_globals)}
        self.global_init = self.initial_globals()
        self.direct_api: dict[str, tuple[str, object]] = {}
        passthrough = numeric_passthrough()
        for row in cpp_api.direct_rows():
            pt = passthrough.get(row.name)
            if row.binding == "prim" or (row.binding == "bios" and (pt is None or pt.c != row.c)):
                continue
            for n in (row.name,) + row.aliases:
                self.direct_api[n] = (f"api_{row.name}", row)
        self.used_direct: set[str] = set()
        self.env_var = chunk.env
        self.consts: dict[str, int] = {}
        self.globals: dict[str, int] = {}
        self.sites: dict[tuple[int, str], int] = {(0, ""): 0}
        self.funcs: list[FuncState] = []
        self.fid: dict[int, int] = {id(f): i for i, f in enumerate(self.info.functions)}
        self.fs: FuncState = None  # type: ignore[assignment]
        self.used_builtins: set[str] = set()
        # PICO-8's hidden top-level locals (see aot.lua_backend): under a
        # changed _ENV these names still reach the builtins, and assigning
        # one changes the cart's copy; with static globals nothing differs
        self.local_builtins = frozenset(n for n in PICO8_LOCAL_BUILTINS if n in self.builtin_id)
        self.label_ids: dict[int, str] = {}
        self.goto_targets = {id(n.target) for n in ast.walk(chunk) if type(n) is ast.Goto}

    def runtime_table(self) -> list[tuple[str, str]]:
        """The builtins this code can name (aot/cpp_bios.py adds its own)."""
        return cpp_runtime.runtime_builtin_table()

    def proto_id(self, fid: int) -> str:
        """A function's id as C++ (the BIOS's are builtin ids)."""
        return str(fid)

    # ------------------------------------------------------------ errors

    def unsupported(self, node: ast.Node, what: str) -> CartSyntaxError:
        return CartSyntaxError(self.source, node.line, node.col, f"not supported yet: {what}")

    # ------------------------------------------------------------ tables of the cart

    def const(self, value: str) -> str:
        k = self.consts.get(value)
        if k is None:
            k = len(self.consts)
            self.consts[value] = k
        return f"K[{k}]"

    def global_slot(self, name: str) -> str:
        g = self.globals.get(name)
        if g is None:
            g = len(self.globals)
            self.globals[name] = g
        return f"G[{g}]"

    def site(self, node: ast.Node | ast.LocalVar, what: str = "") -> int:
        key = (node.line, what)
        s = self.sites.get(key)
        if s is None:
            s = len(self.sites)
            self.sites[key] = s
        return s

    # ------------------------------------------------------------ output

    def emit(self, text: str) -> None:
        self.fs.lines.append("  " * self.fs.depth + text)

    @contextmanager
    def capture(self) -> Iterator[list[str]]:
        saved = self.fs.lines
        buf: list[str] = []
        self.fs.lines = buf
        try:
            yield buf
        finally:
            self.fs.lines = saved

    def replay(self, buf: list[str], extra: int = 0) -> None:
        for ln in buf:
            self.fs.lines.append("  " * extra + ln)

    def comment_line(self, line: int) -> None:
        if line <= 0 or line == self.fs.last_line:
            return
        self.fs.last_line = line
        text = self.source.line_text(line).strip().replace("*/", "* /")
        text = "".join(c if 32 <= ord(c) < 127 else "?" for c in text)
        if len(text) > 70:
            text = text[:67] + "..."
        where = self.source.where(line).replace("*/", "* /")
        self.emit(f"/* {where}: {text} */")

    # ------------------------------------------------------------ slots and temps

    def slot(self) -> int:
        s = self.fs.sp
        self.fs.sp += 1
        self.reach(self.fs.sp)
        return s

    def reach(self, n: int) -> None:
        if n > self.fs.maxslot:
            self.fs.maxslot = n

    def ctemp(self, ctype: str) -> str:
        name = f"{ctype[0]}{len(self.fs.ctemps)}"
        self.fs.ctemps.append(f"{ctype} {name} = 0;")
        return name

    # ------------------------------------------------------------ operands

    def as_val(self, op: Operand) -> str:
        if op.kind == VAL:
            return op.code
        if op.kind == NUM:
            return f"num({op.code})"
        return f"boolean({op.code})"

    def spill(self, op: Operand) -> Operand:
        if op.kind == VAL:
            s = self.slot()
            self.emit(f"R[{s}] = {op.code};")
            return Operand(f"R[{s}]", VAL, LOCAL)
        name = self.ctemp("fix32" if op.kind == NUM else "bool")
        self.emit(f"{name} = {op.code};")
        return Operand(name, op.kind, LOCAL)

    def settle(self, op: Operand, later: bool) -> Operand:
        """Make an operand safe to use after more code runs (`later`: a
        following operand may have effects)."""
        if op.cls == IMPURE or (op.cls == VOLATILE and later):
            return self.spill(op)
        return op

    def trivial(self, e: ast.Expr) -> bool:
        """Evaluating e has no effect (no call, metamethod or allocation)."""
        t = type(e)
        if t in (ast.Number, ast.String, ast.Nil, ast.TrueExpr, ast.FalseExpr, ast.Vararg):
            return True
        if t is ast.Name:
            return e.var is not None or not self.dynamic  # type: ignore[attr-defined]
        if t is ast.Paren:
            return self.trivial(e.expr)  # type: ignore[attr-defined]
        if t is ast.Function:
            return not self.closure_upvalues(e)  # type: ignore[arg-type]
        if t is ast.BinOp:
            op = e.op  # type: ignore[attr-defined]
            if op in ARITH and self.types.is_numeric(e.left) and self.types.is_numeric(e.right):  # type: ignore[attr-defined]
                return self.trivial(e.left) and self.trivial(e.right)  # type: ignore[attr-defined]
            return False
        if t is ast.UnOp:
            if e.op in ("-", "~") and self.types.is_numeric(e.operand):  # type: ignore[attr-defined]
                return self.trivial(e.operand)  # type: ignore[attr-defined]
            if e.op == "not":  # type: ignore[attr-defined]
                return self.trivial(e.operand)  # type: ignore[attr-defined]
            return False
        return False

    def operands(self, exprs: list[ast.Expr]) -> list[Operand]:
        """Evaluate expressions in order, each settled against the rest."""
        out = []
        for i, e in enumerate(exprs):
            later = any(not self.trivial(x) for x in exprs[i + 1:])
            out.append(self.settle(self.expr(e), later))
        return out

    # ------------------------------------------------------------ variables

    def storage(self, var: ast.LocalVar) -> Storage:
        st = self.fs.storage.get(var.uid)
        if st is None:  # pragma: no cover - the resolver declares before use
            raise self.unsupported_var(var)
        return st

    def unsupported_var(self, var: ast.LocalVar) -> CartSyntaxError:
        return CartSyntaxError(self.source, var.line, var.col, f"internal: no storage for '{var.name}'")

    def declare(self, var: ast.LocalVar) -> Storage:
        """Give a new local its storage (no code)."""
        if var.uid in self.types.numeric:
            name = f"n_{c_ident(var.name)}_{var.uid}"
            self.fs.ctemps.append(f"fix32 {name} = 0;")
            st = Storage("num", cname=name)
        else:
            st = Storage("cell" if var.captured else "slot", self.slot())
        self.fs.storage[var.uid] = st
        return st

    def init_local(self, var: ast.LocalVar, op: Operand) -> None:
        """Declare var and give it the value op (already evaluated)."""
        self.set_local(var, self.declare(var), op)

    def set_local(self, var: ast.LocalVar, st: Storage, op: Operand) -> None:
        """A declared local's first value (a cell is created here)."""
        if st.kind == "slot" and op.code == f"R[{st.slot}]":
            return
        if st.kind == "num":
            self.emit(f"{st.cname} = {self.num_code(op, var)};")
        elif st.kind == "slot":
            self.emit(f"R[{st.slot}] = {self.as_val(op)};")
        else:
            self.emit(f"R[{st.slot}] = {self.as_val(op)};")
            self.emit(f"R[{st.slot}] = newcell(L, R[{st.slot}], {self.site(var)});")

    def num_code(self, op: Operand, node: ast.Node | ast.LocalVar) -> str:
        if op.kind == NUM:
            return op.code
        # only reached when the analysis proved the value numeric
        return f"fixof({self.as_val(op)})"

    def read_var(self, var: ast.LocalVar, up: bool) -> Operand:
        if up or var.uid not in self.fs.storage:
            k = self.upvalue_index(var)
            return Operand(f"upval(L, A, {k})", VAL, VOLATILE)
        st = self.fs.storage[var.uid]
        if st.kind == "num":
            return Operand(st.cname, NUM, LOCAL)
        if st.kind == "slot":
            return Operand(f"R[{st.slot}]", VAL, LOCAL)
        return Operand(f"cellget(L, R[{st.slot}])", VAL, LOCAL)

    def write_var(self, var: ast.LocalVar, up: bool, op: Operand) -> None:
        if up or var.uid not in self.fs.storage:
            k = self.upvalue_index(var)
            if op.cls == IMPURE:
                op = self.spill(op)
            self.emit(f"*upref(L, A, {k}) = {self.as_val(op)};")
            return
        st = self.fs.storage[var.uid]
        if st.kind == "num":
            self.emit(f"{st.cname} = {self.num_code(op, var)};")
        elif st.kind == "slot":
            self.emit(f"R[{st.slot}] = {self.as_val(op)};")
        else:
            if op.cls == IMPURE:
                op = self.spill(op)
            self.emit(f"*cellref(L, R[{st.slot}]) = {self.as_val(op)};")

    def upvalue_index(self, var: ast.LocalVar) -> int:
        k = self.fs.upidx.get(var.uid)
        if k is None:  # pragma: no cover - the resolver lists every upvalue
            raise self.unsupported_var(var)
        return k

    def closure_upvalues(self, f: ast.Function) -> list[ast.LocalVar]:
        """The cells a closure of f carries (the static-globals build has
        no _ENV variable to carry)."""
        return [v for v in f.upvalues if self.dynamic or v is not self.env_var]

    # ------------------------------------------------------------ globals

    def global_read(self, e: ast.Name) -> Operand:
        name = e.name
        if self.dynamic and name in self.local_builtins:
            return Operand(self.global_slot(name), VAL, VOLATILE)
        if self.dynamic:
            if e.env is self.env_var:
                self.check_api(e, name)
            env = self.read_var(e.env, e.upvalue)  # type: ignore[arg-type]
            env = self.settle(env, False)
            s = self.site(e, f"global '{name}'")
            return Operand(f"getfield(L, {self.as_val(env)}, {self.const(name)}, {s})", VAL, IMPURE)
        self.check_api(e, name)
        if name not in self.info.globals_written:
            if name in self.builtin_id:
                return Operand(f"lightfn(BUILTIN_BASE + {self.builtin_id[name]}) /* {name} */", VAL, CONST)
            glyph = glyph_value(name)
            if glyph is not None:
                return Operand(fix_code(glyph), NUM, CONST)
            return Operand("nil()", VAL, CONST)
        if name in self.num_gid:
            return self.num_global_read(name)
        return Operand(self.global_slot(name), VAL, VOLATILE)

    def global_write(self, e: ast.Name, op: Operand) -> None:
        name = e.name
        if self.dynamic and name in self.local_builtins:
            self.emit(f"{self.global_slot(name)} = {self.as_val(op)};")
            return
        if self.dynamic:
            env = self.settle(self.read_var(e.env, e.upvalue), False)  # type: ignore[arg-type]
            if op.cls != CONST and op.cls != LOCAL:
                op = self.spill(op)
            s = self.site(e, f"global '{name}'")
            self.emit(f"setfield(L, {self.as_val(env)}, {self.const(name)}, {self.as_val(op)}, {s});")
            return
        if name in self.num_gid:
            self.num_global_write(name, op, e)
            return
        self.emit(f"{self.global_slot(name)} = {self.as_val(op)};")

    def num_global_read(self, name: str) -> Operand:
        """An unboxed global: its fix32 where this code runs only after an
        assignment (fs.gset), else a Value that is nil until assigned."""
        i = self.num_gid[name]
        if name in self.fs.gset:
            return Operand(f"GN[{i}]", NUM, VOLATILE)
        return Operand(f"gnum(GD[{i}], GN[{i}])", VAL, VOLATILE)

    def num_global_write(self, name: str, op: Operand, node: ast.Node) -> None:
        i = self.num_gid[name]
        self.emit(f"GN[{i}] = {self.num_code(op, node)};")
        if name not in self.fs.gset:
            self.emit(f"GD[{i}] = 1;")
            self.fs.gset.add(name)

    def initial_globals(self) -> frozenset[str]:
        """Unboxed globals assigned before any other function can run: by
        the main chunk's leading top-level assignments, up to the first
        statement that could call anything (or is not an assignment). An
        assignment always leaves a number there, so once assigned a global
        stays assigned, and every other function may read it as fix32."""
        done: set[str] = set()
        for st in self.chunk.body.body:
            t = type(st)
            if t not in (ast.Assign, ast.OpAssign, ast.Local) or may_call(st):
                break
            targets = st.targets if t is ast.Assign else [st.target] if t is ast.OpAssign else []  # type: ignore[attr-defined]
            for tg in targets:
                if type(tg) is ast.Name and tg.var is None and tg.name in self.num_gid:  # type: ignore[attr-defined]
                    done.add(tg.name)  # type: ignore[attr-defined]
        return frozenset(done)

    def check_api(self, node: ast.Node, name: str) -> None:
        if name in self.info.globals_written:
            return
        if name in self.api_names and name not in self.builtin_id:
            raise self.unsupported(node, f"{name}() in compiled carts")

    def describe(self, e: ast.Expr) -> str:
        """How Lua names an expression in an error message."""
        return describe(e)

    def expr(self, e: ast.Expr) -> Operand:
        """e compiled to an operand (cpp_expressions)."""
        raise NotImplementedError
