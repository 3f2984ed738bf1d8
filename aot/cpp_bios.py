"""The BIOS (aot/bios.lua) compiled by the C++ back end into
aot/runtime/rt_bios.cpp, the compiled carts' copy of the library functions
the interpreter runs from the same source.

Each top-level `function name(...)` becomes the builtin `bi_<name>`, listed
in BIOS_BUILTINS (after the runtime's other builtin tables, so its ids
follow theirs); functions nested in them are builtins too, named
"(bios name#k)", so closures of them carry builtin ids. A hook of the
runtime, `function __name(...)`, is listed as "(__name)" (no global) and
its index is the constant BIOS_HOOK_NAME. The code is the
back end's ordinary output with three differences:
  - every error site is the caller's (`bare(L->site)`): an error inside a
    BIOS function names the cart line that called it, as in the
    interpreter (console/desktop/lua_env.py map_lua_error);
  - string constants live in `BK[]`, interned by rt_load and marked by the
    collector (rt_bios_open, rt_bios_roots);
  - the engine bindings of bios rows (aot/api.py) are reached by their
    C names (`p8_pal` is the generated builtin "(p8_pal)", rt_api.cpp).

The generated file is checked in (firmware builds need no Python); a test
holds it equal to `generate()`, and `python -m aot.cpp_bios` rewrites it.
"""
from __future__ import annotations

from pathlib import Path

from aot import ast, cpp_api
from aot.bios import bios_source, top_functions, uncounted
from aot.cpp_backend import CppEmitter, c_string
from aot.cpp_runtime import runtime_builtin_table
from aot.cpp_values import FuncState
from aot.generated import write_if_changed
from aot.parser import Parser
from aot.resolver import resolve
from aot.source import Source

TARGET = Path(__file__).resolve().parent / "runtime" / "rt_bios.cpp"
HOOK_PREFIX = "__"     # `function __name()`: a hook of the runtime, no builtin a cart sees


class BiosEmitter(CppEmitter):
    def __init__(self, chunk: ast.Chunk, source: Source) -> None:
        self.top = top_functions(chunk, source)
        self.uncounted = uncounted(chunk, source)
        info = chunk.info  # type: ignore[attr-defined]
        # the top-level definitions are the builtins themselves, not globals
        info.globals_written = {}
        names: list[tuple[str, str]] = []
        self.bios_index: dict[int, int] = {}
        nested = 0
        for f in info.functions[1:]:
            self.bios_index[id(f)] = len(names)
            if id(f) in self.top and self.top[id(f)].startswith(HOOK_PREFIX):
                # a runtime hook: no global, reached by its id (BIOS_HOOK_*)
                names.append((f"({self.top[id(f)]})", f"bi_{self.top[id(f)]}"))
            elif id(f) in self.top:
                names.append((self.top[id(f)], f"bi_{self.top[id(f)]}"))
            else:
                nested += 1
                outer = f
                while id(outer) not in self.top:
                    outer = outer.parent
                names.append((f"(bios {self.top[id(outer)]}#{nested})", ""))
        self.bios_names = names
        super().__init__(chunk, source)
        base = len(runtime_builtin_table(bios=False))
        for k, (name, _fn) in enumerate(names):
            if not name.startswith("("):
                self.builtin_id[name] = f"rt_bios_id({k})"
            elif name.startswith("(" + HOOK_PREFIX):
                # the BIOS's own code may call its `__` functions (__peek_n)
                self.builtin_id[name[1:-1]] = f"rt_bios_id({k})"
                self.builtin_fn[name[1:-1]] = _fn
        # the engine bindings of bios rows by C name, and the host primitives
        for name, fn in runtime_builtin_table(bios=False):
            if name.startswith("(p8_") or name.startswith("(host_"):
                self.builtin_id[name[1:-1]] = str(self.builtins.index(name))
                self.builtin_fn[name[1:-1]] = fn
        self.base = base

    def runtime_table(self) -> list[tuple[str, str]]:
        return runtime_builtin_table(bios=False) + [(n, fn) for n, fn in self.bios_names if fn]

    def proto_id(self, fid: int) -> str:
        f = self.info.functions[fid]
        return f"BUILTIN_BASE + rt_bios_id({self.bios_index[id(f)]})"

    def count(self, n: int) -> None:
        # `-- rp8:native` functions charge only their bindings' ticks (aot/bios.py)
        if id(self.fs.node) not in self.uncounted:
            super().count(n)

    def site(self, node: ast.Node | ast.LocalVar, what: str = "") -> str:  # type: ignore[override]
        return "bare(L->site)"

    def const(self, value: str) -> str:
        k = self.consts.get(value)
        if k is None:
            k = len(self.consts)
            self.consts[value] = k
        return f"BK[{k}]"

    def global_read(self, e: ast.Name):  # type: ignore[no-untyped-def]
        if e.name not in self.builtin_id:
            raise self.unsupported(e, f"the BIOS names '{e.name}', which is no builtin")
        return super().global_read(e)

    def function(self, f: ast.Function) -> None:
        if f.parent is None:
            # the main chunk only defines the builtins: nothing to run
            self.funcs.append(FuncState(f, 0, None, "bios_main"))
            return
        super().function(f)
        fs = self.funcs[-1]
        k = self.bios_index[id(f)]
        name, fn = self.bios_names[k]
        fs.cname = fn or f"bios_{k}"

    def function_text(self, fs: FuncState) -> list[str]:
        lines = super().function_text(fs)
        if fs.cname.startswith("bi_"):
            lines[1] = lines[1].replace("static int ", "int ", 1)
        return lines

    def assemble_bios(self) -> str:
        out = [
            "/*",
            "** rt_bios.cpp -- aot/bios.lua compiled by aot/cpp_bios.py. Do not",
            "** edit: change the BIOS (or the back end) and run `python -m aot.cpp_bios`.",
            "*/",
            '#include "rp8rt.h"', '#include "rt_ctx.h"', '#include "rt_cpu.h"', "",
            "namespace rp8 {", "",
        ]
        for b in sorted(self.used_builtins):
            out.append(f"int {b}(State *L, Value *R, int nargs);")
        for row in cpp_api.direct_rows():
            if f"api_{row.name}" in self.used_direct:
                out.append(cpp_api.direct_signature(row) + ";")
        for fs in self.funcs[1:]:
            if not fs.cname.startswith("bi_"):
                out.append(f"static int {fs.cname}(State *L, Value *A, int nargs);")
        out.append("")
        consts = sorted(self.consts, key=lambda v: self.consts[v])
        out.append(f"static Value BK[{max(len(consts), 1)}];")
        out.append("static const char *const BKDATA[] = {" +
                   ", ".join(c_string(v) for v in consts) + ("" if consts else "0") + "};")
        out.append("static const uint16_t BKLEN[] = {" +
                   ", ".join(str(len(v)) for v in consts) + ("" if consts else "0") + "};")
        out.append(f"static const uint32_t NBK = {len(consts)};")
        out.append("")
        out.append("void rt_bios_open(State *L) {")
        out.append("  for (uint32_t i = 0; i < NBK; i++) BK[i] = nil();")
        out.append("  for (uint32_t i = 0; i < NBK; i++) BK[i] = rt_str(L, BKDATA[i], BKLEN[i]);")
        out.append("}")
        out.append("")
        out.append("void rt_bios_roots(State *L, void (*mark)(State *L, Value v)) {")
        out.append("  for (uint32_t i = 0; i < NBK; i++) mark(L, BK[i]);")
        out.append("}")
        out.append("")
        for fs in self.funcs[1:]:
            out.extend(self.function_text(fs))
            out.append("")
        out.append("/* By builtin id order after HOST_BUILTINS (rt_bios_id); nested functions")
        out.append("** are named in parentheses, so they are no globals. */")
        out.append("extern const Builtin BIOS_BUILTINS[] = {")
        for k, (name, _fn) in enumerate(self.bios_names):
            out.append(f"  {{{c_string(name)}, {self.funcs[1 + k].cname}}},")
        out.append("};")
        out.append("extern const uint32_t NBIOS_BUILTINS = sizeof BIOS_BUILTINS / sizeof BIOS_BUILTINS[0];")
        for k, (name, _fn) in enumerate(self.bios_names):
            if name.startswith("(" + HOOK_PREFIX):
                out.append(f"extern const uint32_t BIOS_HOOK_{name[3:-1].upper()} = {k};")
        out.append("")
        out.append("}  // namespace rp8")
        return "\n".join(out) + "\n"


def generate() -> str:
    source = bios_source()
    chunk = Parser(source).chunk()
    resolve(chunk, source)
    em = BiosEmitter(chunk, source)
    for f in em.info.functions:
        em.function(f)
    return em.assemble_bios()


def main() -> int:
    write_if_changed(TARGET, generate())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
