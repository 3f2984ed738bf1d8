"""The C++ back end's functions and statements: a Lua function becomes a C++
function whose body is its statements in source order, each preceded by a
comment naming its cart tab and line; blocks start with the CPU model's
count (aot/costs.py); loops are C++ `for (;;)` with a tick on each
back-edge; assignments evaluate as Lua 5.2 does (targets' objects and keys,
then the values, then the stores right to left)."""
from __future__ import annotations

from aot import ast, costs
from aot.cpp_expressions import ExpressionEmitter
from aot.cpp_values import (CONST, IMPURE, LOCAL, NUM, VAL, VOLATILE, FuncState, Operand, Storage,
                            c_ident, fix_code, glyph_value, multret)


class StatementEmitter(ExpressionEmitter):
    """Functions, blocks and statements."""

    def function(self, f: ast.Function) -> None:
        fid = self.fid[id(f)]
        parent = self.funcs[self.fid[id(f.parent)]] if f.parent is not None else None
        fs = FuncState(f, fid, parent, f"f{fid}_{c_ident(f.name or 'anon')}")
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
            name = f"L_{c_ident(node.name)}_{len(self.label_ids)}"
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
            if last and multret(e) and len(ops) < want:
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
        fn = "setfield" if type(target.key) is ast.String else "setindex"  # type: ignore[attr-defined]
        self.emit(f"{fn}(L, {self.as_val(obj)}, {self.as_val(key)}, {self.as_val(op)}, {s});")

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
        for role, op in enumerate(ops):
            n = self.ctemp("fix32")
            code = op.code if op.kind == NUM else f"forfix(L, {self.as_val(op)}, {s}, {role})"
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
        if len(values) == 1 and self.tail_call(last):
            self.call(last, -1, tail=True)
            return
        if len(values) == 1 and not multret(last):
            op = self.expr(last)
            self.emit(f"A[-1] = {self.as_val(op)};")
            self.emit("return 1;")
            return
        base = self.fs.sp
        fixed = values[:-1] if multret(last) else values
        for e in fixed:
            s = self.slot()
            op = self.expr(e)
            self.emit(f"R[{s}] = {self.as_val(op)};")
            self.fs.sp = s + 1
        if multret(last):
            cnt = self.expand(last)
            self.emit(f"return rt_ret(A, R + {base}, {len(fixed)} + {cnt});")
        else:
            self.emit(f"return rt_ret(A, R + {base}, {len(fixed)});")
