"""AST -> C++17 for the rp8 runtime (aot/runtime/rp8rt.h).

Each cart becomes one .cpp file: one C++ function per Lua function, a table
of them (the function ids), the sites an error can name, the string
constants and the globals. Statements are emitted in source order, each
preceded by a comment naming its cart tab and line.

How Lua maps onto the runtime (details in rp8rt.h):
- a function's locals and temporaries are slots of its frame on the value
  stack, `R[i]`; a local captured by a closure holds a cell (`T_CELL`) in
  its slot, created where the `local` runs, so each loop iteration gets a
  fresh variable; a closure copies the cells it needs when it is created;
- locals proven numeric (aot.cpp_types) are C++ `fix32` variables;
- every expression compiles to an operand: C++ code plus its kind (a
  Value, a fix32 or a bool) and how it may be used. Code with an effect (a
  call, anything that can run a metamethod or allocate) is stored into a
  slot before anything else is evaluated, so C++'s unspecified argument
  order never matters and every Value a runtime function receives is
  rooted for the collector. A global or upvalue read is snapshotted the
  same way when a later operand could change it (Lua loads it first);
- globals are C++ statics (`G[i]`) unless the cart reaches its global table
  dynamically (`_ENV` by name, `local _ENV`): then they are fields of that
  table; builtins the cart never reassigns are constants;
- a static global whose every assignment is proven numeric is `GN[i]`, a
  fix32, with `GD[i]` saying whether it was assigned yet (it starts nil). A
  read that surely runs after an assignment (earlier in an enclosing block
  of the same function, or in the main chunk's leading assignments, before
  anything can call a function) is the fix32; any other read is a Value,
  nil until assigned, so errors and tostr() are unchanged;
- API builtins the cart never reassigns whose arguments are numbers or
  booleans are called as `api_<name>` (aot/cpp_api.py) on arguments
  converted in place by the builtins' own rules, with no Values between;
- calls place the function at `R[k]` and the arguments above it; results
  come back from `R[k]`; the last argument, return value or table item may
  expand to several values (a call or `...`), counted at run time;
- the CPU model: each basic block starts with RP8_COST(L, n), the units
  the Lua back end counts there too (aot/costs.py decides both), and each
  loop back-edge and goto has RP8_TICK(L), the clock's look in builds
  without the model (aot/runtime/rt_cpu.h).

Anything not handled yet raises CartSyntaxError ("not supported yet")
naming the cart line, so the compiler never emits wrong code silently.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

from aot import ast, costs, cpp_api
from aot.cpp_types import ARITH, BITWISE, ONE_RESULT, NumericLocals
from aot.resolver import ChunkInfo, describe
from aot.bios import numeric_passthrough
from aot.builtins import GLYPH_GLOBALS, PICO8_LOCAL_BUILTINS, glyph_raw
from aot.source import CartSyntaxError, Source

RUNTIME_DIR = Path(__file__).resolve().parent / "runtime"

# kinds of operand
VAL, NUM, BOOL = "val", "num", "bool"
# how an operand may be used: constants and this function's locals can be
# read any time; volatile reads (globals, upvalues) must be taken before a
# later operand with effects runs; impure code must be stored first.
CONST, LOCAL, VOLATILE, IMPURE = 0, 1, 2, 3

_ARITH_FN = {"+": "add", "-": "sub", "*": "mul", "/": "div", "\\": "idiv", "%": "mod", "^": "pow",
             "&": "band", "|": "bor", "^^": "bxor", "<<": "shl", ">>": "shr", ">>>": "lshr",
             "<<>": "rotl", ">><": "rotr"}
# fix32 -> fix32 C for operands proven numeric
_NUM_FN = {"+": "p8_fixi_add", "-": "p8_fixi_sub", "*": "p8_fixi_mul", "/": "p8_fix_div",
           "\\": "p8_fix_idiv", "%": "p8_fix_mod", "^": "p8_fix_pow", "&": "p8_fixi_band",
           "|": "p8_fixi_bor", "^^": "p8_fixi_bxor", "<<": "p8_fixi_shl", ">>": "p8_fixi_shr",
           ">>>": "p8_fixi_lshr", "<<>": "p8_fixi_rotl", ">><": "p8_fixi_rotr"}
_COMPARE = ("==", "~=", "<", "<=", ">", ">=")
# builtins whose call on numbers is one engine function: name -> (C, arity)
_INLINE_MATH = {
    "flr": ("p8_fixi_flr", 1), "ceil": ("p8_fixi_ceil", 1), "abs": ("p8_fixi_abs", 1),
    "sgn": ("p8_fixi_sgn", 1), "min": ("p8_fixi_min", 2), "max": ("p8_fixi_max", 2),
    "mid": ("p8_fix_mid", 3), "band": ("p8_fixi_band", 2), "bor": ("p8_fixi_bor", 2),
    "bxor": ("p8_fixi_bxor", 2), "bnot": ("p8_fixi_bnot", 1), "shl": ("p8_fixi_shl", 2),
    "shr": ("p8_fixi_shr", 2), "lshr": ("p8_fixi_lshr", 2), "rotl": ("p8_fixi_rotl", 2),
    "rotr": ("p8_fixi_rotr", 2), "sin": ("p8_fix_sin", 1), "cos": ("p8_fix_cos", 1),
    "atan2": ("p8_fix_atan2", 2), "sqrt": ("p8_fix_sqrt", 1),
}
_PEEK_FN = {1: "p8_peek", 2: "p8_peek2", 4: "p8_peek4"}
# type()'s answers -> the value tag each names (rp8rt.h)
_TYPE_TAGS = {"nil": "T_NIL", "boolean": "T_BOOL", "number": "T_NUM", "string": "T_STR",
              "table": "T_TABLE", "function": "T_FUNC", "thread": "T_THREAD"}


_BUILTIN_TABLES = (("rt_lib.cpp", "static const Builtin BUILTINS[] = {"),
                   ("rt_api.cpp", "extern const Builtin API_BUILTINS[] = {"),
                   ("rt_host.cpp", "extern const Builtin HOST_BUILTINS[] = {"),
                   ("rt_bios.cpp", "extern const Builtin BIOS_BUILTINS[] = {"))


def runtime_builtin_table(bios: bool = True) -> list[tuple[str, str]]:
    """(name, C++ function) of every builtin in id order, read from the
    runtime's own tables: rt_lib.cpp's BUILTINS, the generated API_BUILTINS
    (rt_api.cpp), HOST_BUILTINS (rt_host.cpp), then the generated
    BIOS_BUILTINS (rt_bios.cpp; not with bios=False, for generating it), so
    compiler and runtime always agree on names and ids."""
    out: list[tuple[str, str]] = []
    for fname, table in _BUILTIN_TABLES[:None if bios else 3]:
        text = (RUNTIME_DIR / fname).read_text()
        block = text[text.index(table):]
        block = block[: block.index("};")]
        out += re.findall(r'\{"([^"]+)", (\w+)\}', block)
    return out


def runtime_builtins() -> list[str]:
    """Builtin names in id order (see runtime_builtin_table)."""
    return [name for name, _fn in runtime_builtin_table()]


def _inline_cost(name: str) -> int:
    """System ticks the API charges for a call of an inlined builtin (a
    fixed cost: no inlined builtin has a formula)."""
    from aot import api

    row = api.by_name().get(name)
    if row is None:
        return 0
    assert row.cost.per is None, f"{name}: inlined with a cost formula"
    return row.cost.base


def pico8_api_names() -> frozenset[str]:
    """Every PICO-8 API name (aot/api.py), or the empty set."""
    try:
        from aot import api
    except ImportError:  # pragma: no cover - the table is part of rp8
        return frozenset()
    return frozenset(api.by_name())


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


# what a split cart shares between its units: hidden, so a shared library
# reaches it directly (PC-relative, never through the GOT) and exports none of it
SHARED = '__attribute__((visibility("hidden"))) '


@dataclass
class CartPieces:
    """`code` in pieces, for building it as several translation units."""
    head: list[str]                 # comment, includes, the runtime's declarations
    data: list[str]                 # G, K, GN, GD: "Type Name[size];" each
    funcs: list[tuple[str, list[str]]]   # (C name, its text starting "int fN(...) {")
    tail: list[str]                 # the cart's tables and rp8_cart


@dataclass
class CppCart:
    """The emitted C++ and what a host needs to know about it."""
    code: str
    header: str
    globals: list[str]
    protos: int
    dynamic_globals: bool
    pieces: Optional[CartPieces] = field(default=None, repr=False, compare=False)

    def units(self, n: int) -> list[str]:
        """The same program as `code` as at most n translation units of
        about equal size, to compile in parallel: the functions are shared
        across units (they only reach each other through the protos table,
        so nothing inlines less), the globals and constants are defined in
        the first unit, which also holds the tables and rp8_cart."""
        if self.pieces is None or n <= 1 or len(self.pieces.funcs) < 2:
            return [self.code]
        pc = self.pieces
        n = min(n, len(pc.funcs))
        bins: list[list[int]] = [[] for _ in range(n)]
        sizes = [0] * n
        weight = [sum(len(line) for line in text) for _, text in pc.funcs]
        for i in sorted(range(len(pc.funcs)), key=lambda i: -weight[i]):
            k = sizes.index(min(sizes))
            bins[k].append(i)
            sizes[k] += weight[i]
        protos = [f"{SHARED}int {cname}(State *L, Value *A, int nargs);" for cname, _ in pc.funcs]
        out = []
        for k, members in enumerate(bins):
            lines = list(pc.head)
            lines += [("" if k == 0 else "extern ") + SHARED + d for d in pc.data]
            lines += protos + [""]
            for i in sorted(members):
                lines += pc.funcs[i][1] + [""]
            if k == 0:
                lines += pc.tail
            out.append("\n".join(lines) + "\n")
        return out


@dataclass
class _Func:
    node: ast.Function
    fid: int
    parent: Optional["_Func"]
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


def _c_ident(name: str) -> str:
    s = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return s[:24] if s else "v"


_C_ESCAPED = re.compile(r'[^ -~]|["\\?]')


def _c_escape(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in '"\\?':
        return "\\" + ch
    return "\\%03o" % ord(ch)      # always 3 digits, so a digit after it stays apart


def c_string(value: str) -> str:
    """Byte text -> a C string literal (octal escapes, no trigraphs; time
    and memory linear in its length)."""
    return '"' + _C_ESCAPED.sub(_c_escape, value) + '"'


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



def unwrap(code: str) -> str:
    """`code` without outer parentheses that enclose all of it."""
    while code.startswith("(") and code.endswith(")"):
        depth = 0
        for k, ch in enumerate(code):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and k < len(code) - 1:
                return code          # "(a) && (b)": the first pair closes early
        code = code[1:-1]
    return code

class CppEmitter:
    def __init__(self, chunk: ast.Chunk, source: Source) -> None:
        self.chunk = chunk
        self.source = source
        self.info: ChunkInfo = chunk.info  # type: ignore[assignment]
        self.dynamic = self.info.globals_dynamic
        table = self.runtime_table()
        self.builtins = [name for name, _fn in table]
        self.builtin_fn = dict(table)
        self.builtin_id = {n: i for i, n in enumerate(self.builtins) if not n.startswith("(")}
        self.api_names = pico8_api_names()
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
            if row.binding == "bios" and passthrough.get(row.name) != row.c:
                continue
            for n in (row.name,) + row.aliases:
                self.direct_api[n] = (f"api_{row.name}", row)
        self.used_direct: set[str] = set()
        self.env_var = chunk.env
        self.consts: dict[str, int] = {}
        self.globals: dict[str, int] = {}
        self.sites: dict[tuple[int, str], int] = {(0, ""): 0}
        self.funcs: list[_Func] = []
        self.fid: dict[int, int] = {id(f): i for i, f in enumerate(self.info.functions)}
        self.fs: _Func = None  # type: ignore[assignment]
        self.used_builtins: set[str] = set()
        # PICO-8's hidden top-level locals (see aot.lua_backend): under a
        # changed _ENV these names still reach the builtins, and assigning
        # one changes the cart's copy; with static globals nothing differs
        self.local_builtins = frozenset(n for n in PICO8_LOCAL_BUILTINS if n in self.builtin_id)
        self.label_ids: dict[int, str] = {}
        self.goto_targets = {id(n.target) for n in ast.walk(chunk) if type(n) is ast.Goto}

    def runtime_table(self) -> list[tuple[str, str]]:
        """The builtins this code can name (aot/cpp_bios.py adds its own)."""
        return runtime_builtin_table()

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
            name = f"n_{_c_ident(var.name)}_{var.uid}"
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
            self.emit(f"setindex(L, {self.as_val(env)}, {self.const(name)}, {self.as_val(op)}, {s});")
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
            if t not in (ast.Assign, ast.OpAssign, ast.Local) or _may_call(st):
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

    # ------------------------------------------------------------ chunk

    def emit_cart(self) -> CppCart:
        if len(self.info.functions) >= 0x8000:
            raise self.unsupported(self.chunk, "more than 32767 functions")
        for f in self.info.functions:
            self.function(f)
        return self.assemble()

    def function(self, f: ast.Function) -> None:
        fid = self.fid[id(f)]
        parent = self.funcs[self.fid[id(f.parent)]] if f.parent is not None else None
        fs = _Func(f, fid, parent, f"f{fid}_{_c_ident(f.name or 'anon')}")
        if f.parent is not None:
            fs.gset = set(self.global_init)
        self.funcs.append(fs)
        saved = self.fs
        self.fs = fs
        for k, v in enumerate(self.closure_upvalues(f)):
            fs.upidx[v.uid] = k
        params = f.params
        for p in params:
            st = Storage("cell" if p.captured else "slot", self.slot())
            fs.storage[p.uid] = st
        with self.capture() as body:
            self.fs.depth = 1
            for p in params:
                st = fs.storage[p.uid]
                if st.kind == "cell":
                    self.emit(f"R[{st.slot}] = newcell(L, R[{st.slot}], {self.site(p)});")
            if f.parent is None:
                self.main_prologue()
            self.block(f.body)
            if f.parent is None and self.dynamic:
                # PICO-8 finds _init/_update/_draw in the top level's final _ENV
                env = self.settle(self.read_var(self.env_var, False), False)
                self.emit(f"L->main_env = {self.as_val(env)};")
            self.emit("return 0;")
        fs.lines = body
        self.fs = saved

    def main_prologue(self) -> None:
        """The main chunk: globals that start as builtins, and _ENV."""
        if self.dynamic:
            st = self.declare(self.env_var)
            if st.kind == "slot":
                self.emit(f"R[{st.slot}] = L->genv;")
            else:
                self.emit(f"R[{st.slot}] = rt_newcell(L, L->genv);")
            for name in sorted(self.local_builtins):
                self.emit(f"{self.global_slot(name)} = lightfn(BUILTIN_BASE + {self.builtin_id[name]});")
            return
        if self.num_globals:
            # every run of the cart starts with them nil (the runtime nils G)
            self.emit(f"for (int i = 0; i < {len(self.num_globals)}; i++) GD[i] = 0;")
        for name in sorted(self.info.globals_written):
            if name in self.builtin_id:
                self.emit(f"{self.global_slot(name)} = lightfn(BUILTIN_BASE + {self.builtin_id[name]});")
            elif glyph_value(name) is not None:
                self.emit(f"{self.global_slot(name)} = num({fix_code(glyph_value(name) or 0)});")

    # ------------------------------------------------------------ blocks

    def block(self, block: ast.Block, loop: ast.Expr | bool = False) -> None:
        """A nested block: what it assigns may not have run after it."""
        saved = self.fs.sp
        gsaved = set(self.fs.gset)
        self.block_statements(block.body, loop)
        self.fs.sp = saved
        self.fs.gset = gsaved

    def block_statements(self, body: list[ast.Stmt], loop: ast.Expr | bool = False) -> None:
        """A block's statements with the CPU model's counts where the Lua
        back end puts them (aot/costs.py): at the start (a loop body's also
        counts its test) and after each label."""
        self.count(costs.block_entry(body, loop))
        entry = set(self.fs.gset)
        for i, st in enumerate(body):
            if type(st) is ast.Label and id(st) in self.goto_targets:
                # a goto comes from inside this block, after its start
                self.fs.gset = set(entry)
            self.statement(st)
            if type(st) is ast.Label:
                self.count(costs.after_label(body, i))

    def count(self, n: int) -> None:
        if n:
            self.emit(f"RP8_COST(L, {n});")

    def statement(self, st: ast.Stmt) -> None:
        self.comment_line(st.line)
        base = self.fs.sp
        t = type(st)
        if t is ast.Local:
            self.local_stmt(st)  # type: ignore[arg-type]
            self.reset_top()
            return   # keeps its slots
        if t is ast.LocalFunction:
            self.local_function(st)  # type: ignore[arg-type]
            return
        if t is ast.Assign:
            self.assign(st)  # type: ignore[arg-type]
        elif t is ast.OpAssign:
            self.op_assign(st)  # type: ignore[arg-type]
        elif t is ast.CallStat:
            op = self.api_direct(st.call, False) if type(st.call) is ast.Call else None  # type: ignore[attr-defined]
            if op is not None:
                self.emit(f"{op.code};")
            else:
                self.call(st.call, 0)  # type: ignore[attr-defined]
        elif t is ast.Do:
            self.emit("{")
            self.nested(st.body)  # type: ignore[attr-defined]
            self.emit("}")
        elif t is ast.While:
            self.while_stmt(st)  # type: ignore[arg-type]
        elif t is ast.Repeat:
            self.repeat_stmt(st)  # type: ignore[arg-type]
        elif t is ast.If:
            self.if_stmt(st)  # type: ignore[arg-type]
        elif t is ast.NumericFor:
            self.numeric_for(st)  # type: ignore[arg-type]
        elif t is ast.GenericFor:
            self.generic_for(st)  # type: ignore[arg-type]
        elif t is ast.Return:
            self.return_stmt(st)  # type: ignore[arg-type]
        elif t is ast.Break:
            self.emit("break;")
        elif t is ast.Goto:
            self.emit("RP8_TICK(L);")
            self.emit(f"goto {self.label(st.target)};")  # type: ignore[attr-defined]
        elif t is ast.Label:
            if id(st) in self.goto_targets:
                self.emit(f"{self.label(st)}:;")
        else:  # pragma: no cover
            raise TypeError(t.__name__)
        self.reset_top()
        self.fs.sp = base

    def nested(self, block: ast.Block) -> None:
        self.fs.depth += 1
        self.block(block)
        self.fs.depth -= 1

    def label(self, node: ast.Label | None) -> str:
        assert node is not None
        name = self.label_ids.get(id(node))
        if name is None:
            name = f"L_{_c_ident(node.name)}_{len(self.label_ids)}"
            self.label_ids[id(node)] = name
        return name

    def reset_top(self) -> None:
        """After a statement whose call results ran past the frame (the
        runtime raised L->top to keep them rooted)."""
        if self.fs.expanded:
            self.drop_results()
            self.fs.expanded = False

    def drop_results(self) -> None:
        """L->top back to where it was when the frame began: never lower
        (R + FS may lie below the caller's top, whose slots the collector
        must keep seeing: rt_enter)."""
        self.fs.drops_results = True
        self.emit("L->top = TOP;")

    # ------------------------------------------------------------ statements

    def local_stmt(self, st: ast.Local) -> None:
        """Storage first (the names are not in scope in the values, so
        this is safe), then the values above it, then the stores."""
        names = st.vars
        values = st.values
        stores = [self.declare(v) for v in names]
        keep = self.fs.sp
        if len(names) == 1 and len(values) == 1:
            op = self.expr(values[0])
            self.set_local(names[0], stores[0], op)
        else:
            ops = self.value_list(values, len(names))
            for var, store, op in zip(names, stores, ops):
                self.set_local(var, store, op)
        self.fs.sp = keep

    def value_list(self, values: list[ast.Expr], want: int) -> list[Operand]:
        """Evaluate `values` for `want` targets (Lua's adjustment: extra
        values are evaluated and dropped, missing ones are nil, a last call
        or `...` fills the rest). Results are settled operands."""
        ops: list[Operand] = []
        for i, e in enumerate(values):
            last = i == len(values) - 1
            if last and _multret(e) and len(ops) < want:
                need = want - len(ops)
                base = self.multi(e, need)
                ops.extend(Operand(f"R[{base + j}]", VAL, LOCAL) for j in range(need))
                return ops
            op = self.expr(e)
            if len(ops) < want:
                ops.append(self.spill(op) if op.cls >= VOLATILE else op)
            elif op.cls == IMPURE:
                self.emit(f"(void){op.code};")
        while len(ops) < want:
            ops.append(Operand("nil()", VAL, CONST))
        return ops

    def multi(self, e: ast.Expr, n: int) -> int:
        """Exactly n values of a call or `...` into consecutive slots."""
        if type(e) is ast.Vararg:
            base = self.fs.sp
            for j in range(n):
                s = self.slot()
                self.emit(f"R[{s}] = NVA > {j} ? VA[{j}] : nil();")
            return base
        k = self.call(e, n)
        return k

    def local_function(self, st: ast.LocalFunction) -> None:
        var = st.var
        assert var is not None
        st_ = self.declare(var)
        if st_.kind == "cell":
            self.emit(f"R[{st_.slot}] = newcell(L, nil(), {self.site(st)});")
            op = self.function_value(st.func)
            self.emit(f"*cellref(L, R[{st_.slot}]) = {op.code};")
        elif st_.kind == "slot":
            op = self.function_value(st.func)
            self.emit(f"R[{st_.slot}] = {op.code};")
        else:  # pragma: no cover - functions are never numeric
            raise TypeError("numeric function")

    def assign(self, st: ast.Assign) -> None:
        targets, values = st.targets, st.values
        if len(targets) == 1 and len(values) == 1:
            self.assign_one(targets[0], values[0])
            return
        # targets' objects and keys first, then every value, then the stores
        # right to left (as Lua 5.2 does)
        prepared = []
        for tg in targets:
            if type(tg) is ast.Index:
                obj = self.settle(self.expr(tg.obj), True)  # type: ignore[attr-defined]
                key = self.settle(self.expr(tg.key), True)  # type: ignore[attr-defined]
                if obj.cls == VOLATILE:
                    obj = self.spill(obj)
                if key.cls == VOLATILE:
                    key = self.spill(key)
                prepared.append((tg, obj, key))
            else:
                prepared.append((tg, None, None))
        ops = self.value_list(values, len(targets))
        # a, b = b, a: every value must be taken before any store
        ops = [self.spill(op) if op.cls == LOCAL and not op.code.startswith("R[") or
               (op.cls == LOCAL and self.is_target_slot(op, targets)) else op for op in ops]
        for (tg, obj, key), op in reversed(list(zip(prepared, ops))):
            self.store(tg, obj, key, op)

    def is_target_slot(self, op: Operand, targets: list[ast.Expr]) -> bool:
        for tg in targets:
            if type(tg) is ast.Name and tg.var is not None and tg.var.uid in self.fs.storage:  # type: ignore[attr-defined]
                st = self.fs.storage[tg.var.uid]  # type: ignore[attr-defined]
                if st.kind != "num" and f"R[{st.slot}]" in op.code:
                    return True
        return False

    def assign_one(self, target: ast.Expr, value: ast.Expr) -> None:
        if type(target) is ast.Index:
            obj = self.expr(target.obj)  # type: ignore[attr-defined]
            later = not self.trivial(target.key) or not self.trivial(value)  # type: ignore[attr-defined]
            obj = self.settle(obj, later)
            key = self.settle(self.expr(target.key), not self.trivial(value))  # type: ignore[attr-defined]
            op = self.expr(value)
            if op.cls == IMPURE or (op.cls == VOLATILE and op.kind == VAL):
                op = self.spill(op)
            self.store(target, obj, key, op)
            return
        op = self.expr(value)
        self.store(target, None, None, op)

    def store(self, target: ast.Expr, obj: Operand | None, key: Operand | None, op: Operand) -> None:
        if type(target) is ast.Name:
            var = target.var  # type: ignore[attr-defined]
            if var is not None:
                self.write_var(var, target.upvalue, op)  # type: ignore[attr-defined]
            else:
                self.global_write(target, op)  # type: ignore[arg-type]
            return
        assert obj is not None and key is not None
        if op.cls == IMPURE:
            op = self.spill(op)
        s = self.site(target, self.describe(target.obj))  # type: ignore[attr-defined]
        self.emit(f"setindex(L, {self.as_val(obj)}, {self.as_val(key)}, {self.as_val(op)}, {s});")

    def op_assign(self, st: ast.OpAssign) -> None:
        tgt = st.target
        if type(tgt) is ast.Name:
            left = self.expr(tgt)
            left = self.settle(left, not self.trivial(st.value))
            result = self.binary(st.op, left, st.value, st, left_node=tgt)
            self.store(tgt, None, None, result)
            return
        assert isinstance(tgt, ast.Index)
        obj = self.settle(self.expr(tgt.obj), True)
        key = self.settle(self.expr(tgt.key), True)
        if obj.cls == VOLATILE:
            obj = self.spill(obj)
        if key.cls == VOLATILE:
            key = self.spill(key)
        s = self.site(tgt, self.describe(tgt.obj))
        cur = self.spill(Operand(f"index(L, {self.as_val(obj)}, {self.as_val(key)}, {s})", VAL, IMPURE))
        result = self.binary(st.op, cur, st.value, st, left_node=tgt)
        self.store(tgt, obj, key, result)

    def while_stmt(self, st: ast.While) -> None:
        self.emit("for (;;) {")
        self.emit("RP8_TICK(L);")
        self.fs.depth += 1
        base = self.fs.sp
        c = self.cond(st.cond)
        self.emit(f"if (!({c})) break;")
        self.fs.sp = base
        self.block(st.body, st.cond)
        self.fs.depth -= 1
        self.emit("}")

    def repeat_stmt(self, st: ast.Repeat) -> None:
        self.emit("for (;;) {")
        self.emit("RP8_TICK(L);")
        self.fs.depth += 1
        saved = self.fs.sp
        gsaved = set(self.fs.gset)
        self.block_statements(st.body.body, st.cond)
        self.comment_line(st.cond.line)
        c = self.cond(st.cond)     # sees the body's locals
        self.emit(f"if ({c}) break;")
        self.fs.sp = saved
        self.fs.gset = gsaved
        self.fs.depth -= 1
        self.emit("}")

    def if_stmt(self, st: ast.If) -> None:
        closers = 0
        for i, (cond, body) in enumerate(st.clauses):
            if i > 0:
                self.emit("} else {")
                self.fs.depth += 1
                closers += 1
            c = self.cond(cond)
            self.emit(f"if ({c}) {{")
            self.nested(body)
        if st.orelse is not None:
            self.emit("} else {")
            self.nested(st.orelse)
        self.emit("}")
        for _ in range(closers):
            self.fs.depth -= 1
            self.emit("}")

    def numeric_for(self, st: ast.NumericFor) -> None:
        """Lua 5.2's loop on exact values: the counter never wraps; the loop
        ends once the next value would pass the limit."""
        s = self.site(st, "")
        parts = [st.start, st.stop] + ([st.step] if st.step is not None else [])
        ops = self.operands(parts)
        names = []
        for op in ops:
            n = self.ctemp("fix32")
            code = op.code if op.kind == NUM else f"tofix(L, {self.as_val(op)}, {s})"
            self.emit(f"{n} = {code};")
            names.append(n)
        i, lim = names[0], names[1]
        step = names[2] if len(names) == 3 else None
        cont = f"{i} <= {lim}" if step is None else f"({step} > 0 ? {i} <= {lim} : {i} >= {lim})"
        self.emit(f"if ({cont}) for (;;) {{")
        self.emit("RP8_TICK(L);")
        self.fs.depth += 1
        base = self.fs.sp
        var = st.var
        assert var is not None
        self.init_local(var, Operand(i, NUM, LOCAL))
        self.block(st.body, True)
        self.fs.sp = base
        if step is None:
            self.emit(f"if ((int64_t){i} + P8_FIX_ONE > {lim}) break;")
            self.emit(f"{i} += P8_FIX_ONE;")
        else:
            self.emit(f"{{ int64_t nx = (int64_t){i} + {step};")
            self.emit(f"  if ({step} > 0 ? nx > {lim} : nx < {lim}) break;")
            self.emit(f"  {i} = (fix32)nx; }}")
        self.fs.depth -= 1
        self.emit("}")

    def generic_for(self, st: ast.GenericFor) -> None:
        s = self.site(st, "for iterator")
        h = self.fs.sp
        for j in range(3):
            self.slot()
        ops = self.value_list(st.exprs, 3)
        self.fs.sp = h + 3
        for j, op in enumerate(ops):
            self.emit(f"R[{h + j}] = {self.as_val(op)};")
        n = len(st.vars)
        self.emit("for (;;) {")
        self.emit("RP8_TICK(L);")
        self.fs.depth += 1
        base = self.fs.sp
        k = self.slot()
        for _ in range(max(n, 2)):
            self.slot()
        self.emit(f"R[{k}] = R[{h}]; R[{k + 1}] = R[{h + 1}]; R[{k + 2}] = R[{h + 2}];")
        self.emit(f"rt_call(L, R + {k}, 2, {n}, {s});")
        self.emit(f"if (isnil(R[{k}])) break;")
        self.emit(f"R[{h + 2}] = R[{k}];")
        self.fs.sp = base
        vals = [Operand(f"R[{k + j}]", VAL, LOCAL) for j in range(n)]
        # the loop variables' slots start at k, where the results already are
        for var, op in zip(st.vars, vals):
            self.init_local(var, op)
        self.block(st.body, True)
        self.fs.sp = base
        self.fs.depth -= 1
        self.emit("}")

    def return_stmt(self, st: ast.Return) -> None:
        values = st.values
        if not values:
            self.emit("return 0;")
            return
        last = values[-1]
        if len(values) == 1 and not _multret(last):
            op = self.expr(last)
            self.emit(f"A[-1] = {self.as_val(op)};")
            self.emit("return 1;")
            return
        base = self.fs.sp
        fixed = values[:-1] if _multret(last) else values
        for e in fixed:
            s = self.slot()
            op = self.expr(e)
            self.emit(f"R[{s}] = {self.as_val(op)};")
            self.fs.sp = s + 1
        if _multret(last):
            cnt = self.expand(last)
            self.emit(f"return rt_ret(A, R + {base}, {len(fixed)} + {cnt});")
        else:
            self.emit(f"return rt_ret(A, R + {base}, {len(fixed)});")

    def expand(self, e: ast.Expr) -> str:
        """All values of a call or `...` at the next slot; returns the C++
        count expression (the values may run past the frame)."""
        if type(e) is ast.Vararg:
            s = self.fs.sp
            self.reach(s + 1)
            self.emit(f"rt_checkstack(L, R + {s}, NVA);")
            self.emit(f"for (int i = 0; i < NVA; i++) R[{s} + i] = VA[i];")
            return "NVA"
        c = self.ctemp("int")
        k = self.call(e, -1, count=c)
        del k
        return c

    # ------------------------------------------------------------ conditions

    def cond(self, e: ast.Expr) -> str:
        """C++ for `e` as a condition, without a redundant outer pair of
        parentheses (clang's -Wparentheses-equality rejects `if ((a == b))`)."""
        return unwrap(self.cond_expr(e))

    def cond_expr(self, e: ast.Expr) -> str:
        t = type(e)
        if t is ast.Paren:
            return self.cond_expr(e.expr)  # type: ignore[attr-defined]
        if t is ast.UnOp and e.op == "not":  # type: ignore[attr-defined]
            return f"!({self.cond_expr(e.operand)})"  # type: ignore[attr-defined]
        if t is ast.BinOp and e.op in ("and", "or"):  # type: ignore[attr-defined]
            a = self.cond_expr(e.left)  # type: ignore[attr-defined]
            with self.capture() as buf:
                b = self.cond_expr(e.right)  # type: ignore[attr-defined]
            join = "&&" if e.op == "and" else "||"  # type: ignore[attr-defined]
            if not buf:
                return f"({a} {join} {b})"
            flag = self.ctemp("bool")
            self.emit(f"{flag} = {a};")
            self.emit(f"if ({'' if e.op == 'and' else '!'}{flag}) {{")  # type: ignore[attr-defined]
            self.replay(buf, 1)
            self.emit(f"  {flag} = {b};")
            self.emit("}")
            return flag
        op = self.expr(e)
        return self.truth(op)

    def truth(self, op: Operand) -> str:
        if op.kind == BOOL:
            return op.code
        if op.kind == NUM:
            if op.cls == IMPURE:
                self.emit(f"(void)({op.code});")
            return "true"
        if op.code == "nil()":
            return "false"
        return f"truthy({op.code})"

    # ------------------------------------------------------------ expressions

    def expr(self, e: ast.Expr) -> Operand:
        t = type(e)
        if t is ast.Number:
            return Operand(fix_code(e.raw), NUM, CONST)  # type: ignore[attr-defined]
        if t is ast.String:
            return Operand(self.const(e.value), VAL, CONST)  # type: ignore[attr-defined]
        if t is ast.Nil:
            return Operand("nil()", VAL, CONST)
        if t is ast.TrueExpr:
            return Operand("true", BOOL, CONST)
        if t is ast.FalseExpr:
            return Operand("false", BOOL, CONST)
        if t is ast.Vararg:
            return Operand("(NVA > 0 ? VA[0] : nil())", VAL, LOCAL)
        if t is ast.Name:
            if e.var is not None:  # type: ignore[attr-defined]
                return self.read_var(e.var, e.upvalue)  # type: ignore[attr-defined]
            return self.global_read(e)  # type: ignore[arg-type]
        if t is ast.Paren:
            return self.expr(e.expr)  # type: ignore[attr-defined]
        if t is ast.Index:
            return self.index(e)  # type: ignore[arg-type]
        if t is ast.Call or t is ast.MethodCall:
            if t is ast.Call:
                inline = self.inline_math(e)  # type: ignore[arg-type]
                if inline is None:
                    inline = self.api_direct(e, True)  # type: ignore[arg-type]
                if inline is not None:
                    return inline
            k = self.call(e, 1)
            return Operand(f"R[{k}]", VAL, LOCAL)
        if t is ast.Function:
            return self.function_value(e)  # type: ignore[arg-type]
        if t is ast.Table:
            return self.table(e)  # type: ignore[arg-type]
        if t is ast.BinOp:
            return self.binop(e)  # type: ignore[arg-type]
        if t is ast.UnOp:
            return self.unop(e)  # type: ignore[arg-type]
        if t is ast.Peek:
            op = self.expr(e.operand)  # type: ignore[attr-defined]
            op = self.settle(op, False)
            s = self.site(e)
            addr = op.code if op.kind == NUM else f"rt_numarg(L, {self.as_val(op)}, {s})"
            return Operand(f"{_PEEK_FN[e.size]}(L->p8, {addr})", NUM, IMPURE)  # type: ignore[attr-defined]
        raise TypeError(t.__name__)  # pragma: no cover

    def describe(self, e: ast.Expr) -> str:
        """How Lua names an expression in an error message."""
        return describe(e)

    def index(self, e: ast.Index) -> Operand:
        obj = self.settle(self.expr(e.obj), not self.trivial(e.key))
        key = self.settle(self.expr(e.key), False)
        s = self.site(e, self.describe(e.obj))
        if type(e.key) is ast.String:
            return Operand(f"getfield(L, {self.as_val(obj)}, {key.code}, {s})", VAL, IMPURE)
        return Operand(f"index(L, {self.as_val(obj)}, {self.as_val(key)}, {s})", VAL, IMPURE)

    def function_value(self, f: ast.Function) -> Operand:
        fid = self.proto_id(self.fid[id(f)])
        ups = self.closure_upvalues(f)
        if not ups:
            return Operand(f"lightfn({fid})", VAL, CONST)
        s = self.slot()
        self.emit(f"R[{s}] = newclosure(L, {fid}, {len(ups)}, {self.site(f)});")
        self.emit(f"{{ Ref *u = upcells(ptr<Closure>(L, R[{s}].bits));")
        for k, v in enumerate(ups):
            st = self.fs.storage.get(v.uid)
            if st is not None and v.func is self.fs.node:
                src = f"R[{st.slot}].bits"
            elif v is self.env_var and self.fs.node is self.chunk.func:
                src = f"R[{self.fs.storage[v.uid].slot}].bits"
            else:
                src = f"upcell(L, A, {self.upvalue_index(v)})"
            self.emit(f"  u[{k}] = {src};")
        self.emit("}")
        return Operand(f"R[{s}]", VAL, LOCAL)

    def table(self, e: ast.Table) -> Operand:
        items = e.items
        positional = [v for k, v in items if k is None]
        narr = len(positional)
        nhash = len(items) - narr
        tail_multi = bool(items) and items[-1][0] is None and _multret(items[-1][1])
        if tail_multi:
            narr -= 1
        s = self.slot()
        self.emit(f"R[{s}] = newtable(L, {narr}, {nhash}, {self.site(e)});")
        pos = 0
        runs, covered = _constant_runs(items, tail_multi)
        for i, (key, value) in enumerate(items):
            base = self.fs.sp
            run = runs.get(i)
            if run is not None:
                self.constant_run(s, pos + 1, run)
            if i in covered:
                pos += 1
                continue
            if key is None:
                pos += 1
                if i == len(items) - 1 and tail_multi:
                    start = self.fs.sp
                    cnt = self.expand(value)
                    self.emit(f"rt_setlist_reserve(L, R[{s}], {pos - 1} + {cnt});")
                    self.emit(f"for (int i = 0; i < {cnt}; i++) rt_rawsetint(L, R[{s}], {pos} + i, R[{start} + i]);")
                    self.drop_results()
                else:
                    op = self.expr(value)
                    if op.cls == IMPURE:
                        op = self.spill(op)
                    self.emit(f"rt_rawsetint(L, R[{s}], {pos}, {self.as_val(op)});")
            else:
                k = self.settle(self.expr(key), not self.trivial(value))
                if k.cls == VOLATILE:
                    k = self.spill(k)
                op = self.expr(value)
                if op.cls >= VOLATILE:
                    op = self.spill(op)
                site = self.site(key)
                self.emit(f"rt_rawset(L, R[{s}], {self.as_val(k)}, {self.as_val(op)}, {site});")
            self.fs.sp = base
        return Operand(f"R[{s}]", VAL, LOCAL)

    def constant_run(self, table: int, first: int, values: list[ast.Expr]) -> None:
        """Positional constants of one kind as a static array and a loop:
        g++ takes time far beyond linear for a function of 100,000 stores."""
        if type(values[0]) is ast.String:
            data = ", ".join(self.const(v.value)[2:-1] for v in values)  # type: ignore[attr-defined]
            ctype, value = "uint32_t", "K[T[i]]"
        else:
            data = ", ".join(fix_code(_number_literal(v)) for v in values)  # type: ignore[arg-type]
            ctype, value = "fix32", "num(T[i])"
        self.emit(f"{{ static const {ctype} T[] = {{{data}}};")
        self.emit(f"  for (int i = 0; i < {len(values)}; i++) rt_rawsetint(L, R[{table}], {first} + i, {value}); }}")

    # ------------------------------------------------------------ operators

    def binop(self, e: ast.BinOp) -> Operand:
        op = e.op
        if op in ("and", "or"):
            return self.logical(e)
        if op == "..":
            return self.concat(e)
        if op in ("==", "~="):
            test = self.type_test(e)
            if test is not None:
                return test
        left = self.settle(self.expr(e.left), not self.trivial(e.right))
        if op in _COMPARE:
            right = self.settle(self.expr(e.right), False)
            return self.compare(op, left, right, e)
        return self.binary(op, left, e.right, e)

    def type_test(self, e: ast.BinOp) -> Operand | None:
        """`type(x) == "table"` (either order, or ~=) with the builtin type:
        a test of x's tag, with no string made or compared (the BIOS's
        table-form dispatch, and a common idiom in carts)."""
        call, lit = e.left, e.right
        if type(call) is ast.String:
            call, lit = lit, call
        if type(lit) is not ast.String or lit.value not in _TYPE_TAGS:  # type: ignore[attr-defined]
            return None
        if type(call) is not ast.Call or type(call.func) is not ast.Name:  # type: ignore[attr-defined]
            return None
        fn = call.func  # type: ignore[attr-defined]
        args = call.args  # type: ignore[attr-defined]
        if fn.var is not None or fn.name != "type" or not self.types.pure_builtin("type"):
            return None
        if len(args) != 1 or _multret(args[0]):
            return None
        op = self.settle(self.expr(args[0]), False)
        cmp = "==" if e.op == "==" else "!="  # type: ignore[attr-defined]
        return Operand(f"(({self.as_val(op)}).tag {cmp} {_TYPE_TAGS[lit.value]})",  # type: ignore[attr-defined]
                       BOOL, op.cls)

    def binary(self, op: str, left: Operand, right_node: ast.Expr, node: ast.Node,
               left_node: ast.Expr | None = None) -> Operand:
        """left (evaluated) op right (an expression, evaluated here)."""
        if op == "..":
            right = self.settle(self.expr(right_node), False)
            if left.cls == VOLATILE:
                left = self.spill(left)
            s = self.site(node)
            return Operand(f"rt_concat(L, {self.as_val(left)}, {self.as_val(right)}, {s})", VAL, IMPURE)
        right = self.settle(self.expr(right_node), False)
        if left.kind == NUM and right.kind == NUM:
            return Operand(f"{_NUM_FN[op]}({left.code}, {right.code})", NUM, max(left.cls, right.cls))
        s = self.site(node)
        code = f"{_ARITH_FN[op]}(L, {self.as_val(left)}, {self.as_val(right)}, {s})"
        if op in BITWISE or self.types.no_meta:
            # no metamethod can answer: a number or an error
            return Operand(f"fixof({code})", NUM, IMPURE)
        return Operand(code, VAL, IMPURE)

    def compare(self, op: str, a: Operand, b: Operand, node: ast.Node) -> Operand:
        if a.kind == NUM and b.kind == NUM:
            cop = {"==": "==", "~=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}[op]
            return Operand(f"({a.code} {cop} {b.code})", BOOL, max(a.cls, b.cls))
        va, vb = self.as_val(a), self.as_val(b)
        cls = IMPURE
        if op in ("==", "~="):
            code = f"eq(L, {va}, {vb})"
            if a.kind != VAL or b.kind != VAL or a.code == "nil()" or b.code == "nil()":
                code = f"rawequal({va}, {vb})"   # no __eq unless both are tables
                cls = max(a.cls, b.cls)
            return Operand(code if op == "==" else f"!{code}", BOOL, cls)
        s = self.site(node)
        if op == "<":
            return Operand(f"lt(L, {va}, {vb}, {s})", BOOL, IMPURE)
        if op == "<=":
            return Operand(f"le(L, {va}, {vb}, {s})", BOOL, IMPURE)
        if op == ">":
            return Operand(f"lt(L, {vb}, {va}, {s})", BOOL, IMPURE)
        return Operand(f"le(L, {vb}, {va}, {s})", BOOL, IMPURE)

    def logical(self, e: ast.BinOp) -> Operand:
        a = self.expr(e.left)
        if a.kind == NUM or (a.kind == BOOL and a.code in ("true", "false")):
            # a number is always true; a constant boolean decides statically
            truth = a.kind == NUM or a.code == "true"
            if (e.op == "and") == truth:
                if a.cls == IMPURE:
                    self.emit(f"(void)({a.code});")
                return self.expr(e.right)
            return a
        s = self.slot()
        self.emit(f"R[{s}] = {self.as_val(a)};")
        test = f"truthy(R[{s}])" if e.op == "and" else f"!truthy(R[{s}])"
        self.emit(f"if ({test}) {{")
        self.fs.depth += 1
        b = self.expr(e.right)
        self.emit(f"R[{s}] = {self.as_val(b)};")
        self.fs.depth -= 1
        self.emit("}")
        self.fs.sp = s + 1
        return Operand(f"R[{s}]", VAL, LOCAL)

    def concat(self, e: ast.BinOp) -> Operand:
        parts: list[ast.Expr] = []
        node: ast.Expr = e
        while type(node) is ast.BinOp and node.op == "..":  # type: ignore[attr-defined]
            parts.append(node.left)  # type: ignore[attr-defined]
            node = node.right  # type: ignore[attr-defined]
        parts.append(node)
        s = self.site(e)
        if len(parts) == 2:
            ops = self.operands(parts)
            ops = [self.spill(o) if o.cls == VOLATILE else o for o in ops]
            return Operand(f"rt_concat(L, {self.as_val(ops[0])}, {self.as_val(ops[1])}, {s})", VAL, IMPURE)
        base = self.fs.sp
        for p in parts:
            slot = self.slot()
            op = self.expr(p)
            self.emit(f"R[{slot}] = {self.as_val(op)};")
            self.fs.sp = slot + 1
        return Operand(f"rt_concat_n(L, R + {base}, {len(parts)}, {s})", VAL, IMPURE)

    def unop(self, e: ast.UnOp) -> Operand:
        op = e.op
        if op == "not":
            c = self.cond_expr(e.operand)
            return Operand(f"!({c})", BOOL, IMPURE if "(" in c else LOCAL)
        if op == "-" and type(e.operand) is ast.Number:
            return Operand(fix_code(-e.operand.raw), NUM, CONST)  # type: ignore[attr-defined]
        a = self.settle(self.expr(e.operand), False)
        s = self.site(e, self.describe(e.operand))
        if op == "-":
            if a.kind == NUM:
                return Operand(f"p8_fixi_neg({a.code})", NUM, a.cls)
            if self.types.no_meta:
                return Operand(f"fixof(unm(L, {self.as_val(a)}, {s}))", NUM, IMPURE)
            return Operand(f"unm(L, {self.as_val(a)}, {s})", VAL, IMPURE)
        if op == "~":
            if a.kind == NUM:
                return Operand(f"p8_fixi_bnot({a.code})", NUM, a.cls)
            return Operand(f"fixof(bnot(L, {self.as_val(a)}, {s}))", NUM, IMPURE)
        if op == "#":
            if type(e.operand) is ast.String:
                return Operand(f"P8_FIX({len(e.operand.value) & 0x7FFF})", NUM, CONST)  # type: ignore[attr-defined]
            return Operand(f"rt_len(L, {self.as_val(a)}, {s})", VAL, IMPURE)
        raise TypeError(op)  # pragma: no cover

    # ------------------------------------------------------------ calls

    def call(self, e: ast.Expr, nres: int, count: str | None = None) -> int:
        """Emit a call; its results start at the returned slot. nres < 0:
        all results, their number stored in `count`."""
        assert nres >= 0 or count is not None
        k = self.slot()
        args = e.args  # type: ignore[attr-defined]
        direct = None
        if type(e) is ast.MethodCall:
            obj = self.expr(e.obj)  # type: ignore[attr-defined]
            self.reach(k + 2)
            self.emit(f"R[{k + 1}] = {self.as_val(obj)};")
            s = self.site(e, self.describe(e.obj))  # type: ignore[attr-defined]
            self.emit(f"R[{k}] = getfield(L, R[{k + 1}], {self.const(e.name)}, {s});")  # type: ignore[attr-defined]
            fixed = 1
            what = f"method '{e.name}'"  # type: ignore[attr-defined]
        else:
            func = e.func  # type: ignore[attr-defined]
            direct = self.builtin_callee(func)
            if direct is None:
                op = self.expr(func)
                self.emit(f"R[{k}] = {self.as_val(op)};")
            fixed = 0
            what = self.describe(func)
        self.fs.sp = k + 1 + fixed
        nargs = str(fixed + len(args))
        for i, a in enumerate(args):
            if i == len(args) - 1 and _multret(a) and not self.one_result(a):
                cnt = self.expand(a)
                nargs = f"{fixed + i} + {cnt}"
                break
            s = self.slot()
            op = self.expr(a)
            self.emit(f"R[{s}] = {self.as_val(op)};")
            self.fs.sp = s + 1
        site = self.site(e, what)
        self.reach(k + max(nres, 1))
        if direct is not None:
            self.used_builtins.add(direct)
            call = f"rt_callfn(L, {direct}, R + {k}, {nargs}, {nres}, {site})"
        else:
            call = f"rt_call(L, R + {k}, {nargs}, {nres}, {site})"
        if count is not None:
            self.fs.expanded = True
            self.emit(f"{count} = {call};")
        else:
            self.emit(f"{call};")
        self.fs.sp = k + max(nres, 1)
        return k

    def builtin_callee(self, func: ast.Expr) -> str | None:
        """The C++ function of a builtin the cart never reassigns."""
        if type(func) is not ast.Name or func.var is not None:  # type: ignore[attr-defined]
            return None
        name = func.name  # type: ignore[attr-defined]
        if self.dynamic:
            return None
        self.check_api(func, name)
        if name in self.builtin_id and name not in self.info.globals_written:
            return self.builtin_fn[name]
        return None

    def inline_math(self, e: ast.Call) -> Operand | None:
        """flr(x), sin(x), min(a, b)...: one engine call on numbers."""
        func = e.func
        if type(func) is not ast.Name or func.var is not None:  # type: ignore[attr-defined]
            return None
        name = func.name  # type: ignore[attr-defined]
        spec = _INLINE_MATH.get(name)
        if spec is None or not self.types.pure_builtin(name):
            return None
        cfn, arity = spec
        if len(e.args) > arity or not all(self.num_expr(a) for a in e.args):
            return None
        if e.args and _multret(e.args[-1]) and not self.one_result(e.args[-1]):
            return None
        ops = self.operands(e.args)
        codes = [self.num_code(o, a) for o, a in zip(ops, e.args)] + ["0"] * (arity - len(ops))
        code = f"{cfn}({', '.join(codes)})"
        ticks = _inline_cost(name)
        if ticks:
            # the API's system ticks (sqrt), charged once and in order: an
            # effect, so the operand is computed where the call stands
            return Operand(f"rt_charge({ticks}, {code})", NUM, IMPURE)
        return Operand(code, NUM, max([o.cls for o in ops] + [CONST]))

    def num_expr(self, e: ast.Expr) -> bool:
        """e gives exactly one value, a number, here: proven numeric
        (cpp_types), or an unboxed global assigned before this point. A
        call proven numeric is a builtin that returns one number."""
        if self.types.is_numeric(e):
            return True
        t = type(e)
        if t is ast.Name:
            return e.var is None and e.name in self.fs.gset  # type: ignore[attr-defined]
        if t is ast.Paren:
            return self.num_expr(e.expr)  # type: ignore[attr-defined]
        if t is ast.BinOp and e.op in ARITH:  # type: ignore[attr-defined]
            return self.num_expr(e.left) and self.num_expr(e.right)  # type: ignore[attr-defined]
        if t is ast.UnOp and e.op == "-":  # type: ignore[attr-defined]
            return self.num_expr(e.operand)  # type: ignore[attr-defined]
        return False

    def api_arg(self, op: Operand, param: object) -> str:
        """An argument converted as the generated builtin would (rt_api.cpp
        apinum, apibool); op is settled, so its code may be read twice."""
        dflt = param.default  # type: ignore[attr-defined]
        if param.kind == "num":  # type: ignore[attr-defined]
            if op.kind == NUM:
                return op.code
            if op.kind == BOOL:
                return "0"   # a boolean is no number
            return f"rt_apinum(L, {op.code}, {cpp_api._fix_literal(dflt)})"
        if op.kind == NUM:
            return "1"
        if op.kind == BOOL:
            return f"({op.code} ? 1 : 0)"
        return f"rt_apibool({op.code}, {1 if dflt else 0})"

    def one_result(self, e: ast.Expr) -> bool:
        """A call that gives exactly one value (a last argument that does not
        expand): a numeric builtin such as sqrt or sget."""
        f = e.func if type(e) is ast.Call else None  # type: ignore[attr-defined]
        return (type(f) is ast.Name and f.var is None and f.name in ONE_RESULT  # type: ignore[attr-defined]
                and self.types.pure_builtin(f.name))  # type: ignore[attr-defined]

    def api_direct(self, e: ast.Call, result: bool) -> Operand | None:
        """sget(x, y), pset(x, y, c)...: an API builtin the cart never
        reassigns, on arguments proven numeric, called as a C++ function on
        fix32 (cpp_api.direct_rows) with no Values in between. Missing
        arguments take the row's defaults; `argc` is the count given."""
        func = e.func
        if type(func) is not ast.Name or func.var is not None:  # type: ignore[attr-defined]
            return None
        name = func.name  # type: ignore[attr-defined]
        spec = self.direct_api.get(name)
        if spec is None or not self.types.pure_builtin(name):
            return None
        cfn, row = spec
        params = row.args  # type: ignore[attr-defined]
        if result and row.ret == "none":  # type: ignore[attr-defined]
            return None
        if len(e.args) > len(params) or any(_multret(a) and not self.one_result(a) for a in e.args):
            return None
        if row.binding == "bios" and e.args and not self.num_expr(e.args[0]):  # type: ignore[attr-defined]
            return None   # maybe a table: the BIOS function's other branch
        ops = self.operands(e.args)
        codes = [self.api_arg(o, p) for o, p in zip(ops, params)]
        codes += [cpp_api._fix_literal(p.default) if p.kind == "num" else "1" if p.default else "0"
                  for p in params[len(ops):]]
        if row.argc:  # type: ignore[attr-defined]
            # up to the last non-nil argument: numbers and booleans never are
            known = max([i + 1 for i, o in enumerate(ops) if o.kind != VAL], default=0)
            argc = str(known)
            for i in range(known, len(ops)):
                argc = f"(!isnil({ops[i].code}) ? {i + 1} : {argc})"
            codes.append(argc)
        self.used_direct.add(cfn)
        code = f"{cfn}({', '.join(['L'] + codes)})"
        if row.ret == "num":  # type: ignore[attr-defined]
            return Operand(code, NUM, IMPURE)
        if row.ret == "bool":  # type: ignore[attr-defined]
            return Operand(code, BOOL, IMPURE)
        return Operand(code, VAL, IMPURE)

    # ------------------------------------------------------------ assembly

    def assemble(self) -> CppCart:
        name = self.source.name
        out = [f"// {name}: compiled by rp8 aot (PICO-8 Lua -> C++17). Do not edit; regenerate.",
               "// Each statement is preceded by its cart tab and line.",
               '#include "rp8rt.h"', '#include "rt_ctx.h"', '#include "rt_cpu.h"', "", "using namespace rp8;", "",
               "namespace rp8 {"]
        for b in sorted(self.used_builtins):
            out.append(f"int {b}(State *L, Value *R, int nargs);")
        for row in cpp_api.direct_rows():
            if f"api_{row.name}" in self.used_direct:
                out.append(cpp_api.direct_signature(row) + ";")
        out.append("}")
        out.append("")
        head = list(out)
        data = [f"Value G[{max(len(self.globals), 1)}];", f"Value K[{max(len(self.consts), 1)}];"]
        out += ["static " + d for d in data]
        if self.num_globals:
            out.append("/* globals that only ever hold numbers: value, and whether assigned yet */")
            data += [f"fix32 GN[{len(self.num_globals)}];", f"uint8_t GD[{len(self.num_globals)}];"]
            out.append(f"static {data[2][:-1]}; /* " +
                       " ".join(n if _plain(n) else "?" for n in self.num_globals).replace("*/", "") + " */")
            out.append(f"static {data[3]}")
        out.append("")
        for fs in self.funcs:
            out.append(f"static int {fs.cname}(State *L, Value *A, int nargs);")
        out.append("")
        funcs = []
        for fs in self.funcs:
            text = self.function_text(fs)
            out.extend(["static " + line if i == 1 else line for i, line in enumerate(text)])
            out.append("")
            funcs.append((fs.cname, text))
        tail_start = len(out)
        out.append("static const Proto protos[] = {")
        for fs in self.funcs:
            out.append(f"  {{{fs.cname}, {c_string(fs.node.name or 'function')}}},")
        out.append("};")
        out.append("static const Site sites[] = {")
        for (line, what), _s in sorted(self.sites.items(), key=lambda kv: kv[1]):
            where = self.source.where(line) if line > 0 else ""
            out.append(f"  {{{c_string(where)}, {c_string(what)}}},")
        out.append("};")
        gnames = sorted(self.globals, key=lambda n: self.globals[n])
        out.append("static const char *const gnames[] = {" +
                   ", ".join(c_string(n) for n in gnames) + ("" if gnames else "0") + "};")
        consts = sorted(self.consts, key=lambda v: self.consts[v])
        out.append("static const char *const kdata[] = {")
        for v in consts:
            out.append(f"  {c_string(v)},")
        if not consts:
            out.append("  0,")
        out.append("};")
        out.append("static const uint32_t klen[] = {" +
                   ", ".join(str(len(v)) for v in consts) + ("" if consts else "0") + "};")
        out.append("")
        out.append("extern const Cart rp8_cart;")
        out.append("const Cart rp8_cart = {")
        out.append(f"  {c_string(name)}, protos, {len(self.funcs)}, sites, {len(self.sites)},")
        out.append(f"  G, gnames, {len(self.globals)}, K, kdata, klen, {len(self.consts)},")
        out.append(f"  {'true' if self.dynamic else 'false'},")
        out.append("};")
        header = ("// compiled cart: the runtime reads everything from rp8_cart.\n"
                  "#pragma once\n#include \"rp8rt.h\"\nextern const rp8::Cart rp8_cart;\n")
        pieces = CartPieces(head, data, funcs, out[tail_start:])
        return CppCart("\n".join(out) + "\n", header, gnames, len(self.funcs), self.dynamic, pieces)

    def function_text(self, fs: _Func) -> list[str]:
        f = fs.node
        np = len(f.params)
        framesize = max(fs.maxslot, 1)
        lines = [f"/* {self.source.where(f.line) if f.line else name_of(f)}: {f.name or 'function'} */",
                 f"int {fs.cname}(State *L, Value *A, int nargs) {{",
                 f"  enum {{ FS = {framesize} }};",
                 # the C stack guard (rt_ctx.h): "stack overflow", not a crash;
                 # in every function, since any operation may call a metamethod
                 "  if (rp8_ctx_low()) rt_stack_overflow(L);"]
        if f.is_vararg:
            lines.append(f"  Value *R = rt_enter_vararg(L, A, nargs, {np}, FS);")
            lines.append(f"  Value *VA = A + {np};")
            lines.append(f"  int NVA = nargs > {np} ? nargs - {np} : 0;")
            lines.append("  (void)R; (void)VA; (void)NVA;")
        else:
            lines.append(f"  rt_enter(L, A, nargs, {np}, FS);")
            lines.append("  Value *R = A;")
            lines.append("  (void)R;")
        if fs.drops_results:
            lines.append("  Value *const TOP = L->top;")
        for decl in fs.ctemps:
            name = decl.split()[1]
            lines.append(f"  {decl} (void){name};")
        lines.extend(fs.lines)
        lines.append("}")
        return lines


CONSTANT_RUN = 16   # positional constants in a row worth a static array


def _number_literal(e: ast.Expr) -> int | None:
    """The raw fix32 of a number literal or a negated one, else None."""
    if type(e) is ast.Number:
        return e.raw  # type: ignore[attr-defined]
    if type(e) is ast.UnOp and e.op == "-" and type(e.operand) is ast.Number:  # type: ignore[attr-defined]
        return -e.operand.raw  # type: ignore[attr-defined]
    return None


def _constant_kind(item: tuple[ast.Expr | None, ast.Expr]) -> str | None:
    key, value = item
    if key is not None:
        return None
    if type(value) is ast.String:
        return "string"
    return "number" if _number_literal(value) is not None else None


def _constant_runs(items: list[tuple[ast.Expr | None, ast.Expr]],
                   tail_multi: bool) -> tuple[dict[int, list[ast.Expr]], set[int]]:
    """Runs of at least CONSTANT_RUN positional items that are all number
    literals or all string literals: {index of a run's first item: its
    values}, and the set of every index a run covers."""
    runs: dict[int, list[ast.Expr]] = {}
    covered: set[int] = set()
    last = len(items) - 1 if tail_multi else len(items)
    i = 0
    while i < last:
        kind = _constant_kind(items[i])
        j = i
        while kind is not None and j < last and _constant_kind(items[j]) == kind:
            j += 1
        if j - i >= CONSTANT_RUN:
            runs[i] = [v for _, v in items[i:j]]
            covered.update(range(i, j))
            i = j
        else:
            i = max(j, i + 1)
    return runs, covered


def name_of(f: ast.Function) -> str:
    return f.name or "function"


def _multret(e: ast.Expr) -> bool:
    return type(e) in (ast.Call, ast.MethodCall, ast.Vararg)


def _may_call(node: ast.Node) -> bool:
    """A call anywhere in node, outside the functions it defines."""
    stack: list[ast.Node] = [node]
    while stack:
        n = stack.pop()
        if type(n) in (ast.Call, ast.MethodCall):
            return True
        if type(n) is not ast.Function:
            stack.extend(n.children())
    return False


def _plain(name: str) -> bool:
    return re.match(r"[A-Za-z_][A-Za-z0-9_]*\Z", name) is not None


def emit_cpp(chunk: ast.Chunk, source: Source) -> CppCart:
    """C++ for a resolved chunk (see the module docstring). Raises
    CartSyntaxError for constructs not supported yet."""
    return CppEmitter(chunk, source).emit_cart()

