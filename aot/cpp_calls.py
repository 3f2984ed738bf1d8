"""The C++ back end's calls: a call's function and arguments placed on the
value stack (`R[k]` and above) and its results taken from `R[k]`, all of
them when it is a last argument, return value or table item; builtins the
cart never reassigns called by their C++ function; flr(x), sin(x),
min(a, b)... on numbers as one engine call; API builtins on numbers and
booleans as `api_<name>` (aot/cpp_api.py) with no Values in between."""
from __future__ import annotations

from aot import ast, cpp_api
from aot.bios import Passthrough, numeric_passthrough
from aot.cpp_types import ARITH, ONE_RESULT
from aot.cpp_values import BOOL, CONST, IMPURE, NUM, VAL, Operand, ValueEmitter, multret

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


def _inline_cost(name: str) -> int:
    """System ticks the API charges for a call of an inlined builtin (a
    fixed cost: no inlined builtin has a formula)."""
    from aot import api

    row = api.by_name().get(name)
    if row is None:
        return 0
    assert row.cost.per is None, f"{name}: inlined with a cost formula"
    return row.cost.base


class CallEmitter(ValueEmitter):
    """Calls, and the values of a call or `...` that expand."""

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

    # ------------------------------------------------------------ calls

    def call(self, e: ast.Expr, nres: int, count: str | None = None, tail: bool = False) -> int:
        """Emit a call; its results start at the returned slot. nres < 0:
        all results, their number stored in `count`. tail: `return e`, as a
        proper tail call (rt_tail; not for a builtin called directly)."""
        assert nres >= 0 or count is not None or tail
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
            if i == len(args) - 1 and multret(a) and not self.one_result(a):
                cnt = self.expand(a)
                nargs = f"{fixed + i} + {cnt}"
                break
            s = self.slot()
            op = self.expr(a)
            self.emit(f"R[{s}] = {self.as_val(op)};")
            self.fs.sp = s + 1
        site = self.site(e, what)
        self.reach(k + max(nres, 1))
        if tail:
            assert direct is None
            self.emit(f"L->site = {site};")
            self.emit(f"return rt_tail(A, R + {k}, {nargs});")
            return k
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

    def tail_call(self, e: ast.Expr) -> bool:
        """`return e` is a proper tail call: e is a call of a Lua function
        (a builtin called directly cannot recurse, and returns as it is)."""
        return type(e) is ast.MethodCall or (type(e) is ast.Call and self.builtin_callee(e.func) is None)

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
        if e.args and multret(e.args[-1]) and not self.one_result(e.args[-1]):
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

    def passes_through(self, e: ast.Call, pt: Passthrough) -> bool:
        """Whether this call of a BIOS function is its engine binding
        (aot.bios.Passthrough)."""
        if pt.at_most is not None and len(e.args) <= pt.at_most:
            return True
        return any((i >= len(e.args) and missing_ok) or (i < len(e.args) and self.num_expr(e.args[i]))
                   for i, missing_ok in pt.numbers)

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
        if len(e.args) > len(params) or any(multret(a) and not self.one_result(a) for a in e.args):
            return None
        if row.binding == "bios" and not self.passes_through(e, numeric_passthrough()[name]):  # type: ignore[attr-defined]
            return None   # maybe the BIOS function's other branch
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
