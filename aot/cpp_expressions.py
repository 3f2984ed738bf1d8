"""The C++ back end's expressions: literals, variables, indexing,
closures, table constructors, operators (on fix32 when both sides are
proven numeric, else through the runtime's metamethod-aware functions)
and conditions (C++ bools, with `and`/`or` short-circuited in C++)."""
from __future__ import annotations

from aot import ast
from aot.cpp_calls import CallEmitter
from aot.cpp_types import BITWISE
from aot.cpp_values import BOOL, CONST, IMPURE, LOCAL, NUM, VAL, VOLATILE, Operand, fix_code, multret

_ARITH_FN = {"+": "add", "-": "sub", "*": "mul", "/": "div", "\\": "idiv", "%": "mod", "^": "pow",
             "&": "band", "|": "bor", "^^": "bxor", "<<": "shl", ">>": "shr", ">>>": "lshr",
             "<<>": "rotl", ">><": "rotr"}
# fix32 -> fix32 C for operands proven numeric
_NUM_FN = {"+": "p8_fixi_add", "-": "p8_fixi_sub", "*": "p8_fixi_mul", "/": "p8_fix_div",
           "\\": "p8_fix_idiv", "%": "p8_fix_mod", "^": "p8_fix_pow", "&": "p8_fixi_band",
           "|": "p8_fixi_bor", "^^": "p8_fixi_bxor", "<<": "p8_fixi_shl", ">>": "p8_fixi_shr",
           ">>>": "p8_fixi_lshr", "<<>": "p8_fixi_rotl", ">><": "p8_fixi_rotr"}
_COMPARE = ("==", "~=", "<", "<=", ">", ">=")
_PEEK_FN = {1: "p8_peek", 2: "p8_peek2", 4: "p8_peek4"}
# type()'s answers -> the value tag each names (rp8rt.h)
_TYPE_TAGS = {"nil": "T_NIL", "boolean": "T_BOOL", "number": "T_NUM", "string": "T_STR",
              "table": "T_TABLE", "function": "T_FUNC", "thread": "T_THREAD"}


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


class ExpressionEmitter(CallEmitter):
    """Conditions, expressions, tables and operators."""

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
            # the address as peek()'s argument: a numeric string is its number,
            # anything else 0 (PICO-8 manual: @ADDR is PEEK(ADDR))
            addr = op.code if op.kind == NUM else f"rt_apinum(L, {self.as_val(op)}, 0)"
            return Operand(f"{_PEEK_FN[e.size]}(L->p8, {addr})", NUM, IMPURE)  # type: ignore[attr-defined]
        raise TypeError(t.__name__)  # pragma: no cover

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
        tail_multi = bool(items) and items[-1][0] is None and multret(items[-1][1])
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
                # a name = v field: the fresh table has no metatable, so
                # setfield is a raw set, with the key's main position inline
                fn = "setfield" if type(key) is ast.String else "rt_rawset"
                self.emit(f"{fn}(L, R[{s}], {self.as_val(k)}, {self.as_val(op)}, {site});")
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
        if len(args) != 1 or multret(args[0]):
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
