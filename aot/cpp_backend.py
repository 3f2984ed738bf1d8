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

The emitter is one class in layers, a module each, every layer a subclass
of the one before: cpp_values (state, output, operands, variables,
globals), cpp_calls (calls, builtins, API calls on numbers),
cpp_expressions (expressions, operators, conditions, tables),
cpp_statements (functions, blocks, statements), and here CppEmitter, which
puts the cart's C++ file together (CppCart). cpp_runtime is the runtime
as the compiler sees it (its folder, its builtin tables).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from aot import ast, cpp_api
from aot.cpp_statements import StatementEmitter
from aot.cpp_values import FuncState
from aot.source import Source

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


class CppEmitter(StatementEmitter):
    """The whole C++ back end: values (cpp_values), calls (cpp_calls),
    expressions (cpp_expressions), statements (cpp_statements), and here
    the cart's C++ file around them."""

    def emit_cart(self) -> CppCart:
        if len(self.info.functions) >= 0x8000:
            raise self.unsupported(self.chunk, "more than 32767 functions")
        for f in self.info.functions:
            self.function(f)
        return self.assemble()

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

    def function_text(self, fs: FuncState) -> list[str]:
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


def name_of(f: ast.Function) -> str:
    return f.name or "function"


def _plain(name: str) -> bool:
    return re.match(r"[A-Za-z_][A-Za-z0-9_]*\Z", name) is not None


def emit_cpp(chunk: ast.Chunk, source: Source) -> CppCart:
    """C++ for a resolved chunk (see the module docstring). Raises
    CartSyntaxError for constructs not supported yet."""
    return CppEmitter(chunk, source).emit_cart()
