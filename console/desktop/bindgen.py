"""Generates the LuaJIT side of the API from aot/api.py.

Two pieces of Lua come out of here:
  - `lua_cdef()`: the engine's public declarations (the same blocks the cffi
    build reads), so LuaJIT knows `p8_printer` and the function types;
  - `lua_bindings()`: a chunk returning `bind(ffi, addrs, P, cpu, N)` that
    casts every engine function the table names to an FFI function pointer
    (`C.p8_cls` ...) and builds one wrapper per `binding="ffi"` row (`api.cls`
    ...). A wrapper converts numbers to fix32 (value * 65536: exact, since
    every PICO-8 number is a multiple of 2^-16), counts the call's system
    ticks into `cpu.sys`, calls C and converts the result.

The C signatures are read from the headers with pycparser, so the pointer
type LuaJIT casts to is the declaration the engine was compiled with.
"""
from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from pycparser import c_ast, c_generator

from aot.api import API, Api, Arg, COST_FORMULAS, engine_functions, hand_costed_rows, unsupported_rows
from console.engine_build import engine_cdef

_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_PREAMBLE = (
    "typedef int int32_t; typedef unsigned int uint32_t; typedef short int16_t; "
    "typedef unsigned short uint16_t; typedef unsigned char uint8_t; "
    "typedef unsigned long size_t; typedef unsigned long uintptr_t;\n"
)


@functools.lru_cache(maxsize=1)
def c_signatures() -> dict[str, str]:
    """Engine function name -> its pointer type as LuaJIT spells it,
    e.g. "p8_cls" -> "void (*)(p8_state *, fix32)". (pycparser is
    imported here: a start reads the bindings from its cache.)"""
    from pycparser import c_ast, c_generator, c_parser

    text = _PREAMBLE + _COMMENT.sub(" ", engine_cdef())
    tree = c_parser.CParser().parse(text)
    gen = c_generator.CGenerator()
    out: dict[str, str] = {}
    for node in tree.ext:
        if not isinstance(node, c_ast.Decl) or not isinstance(node.type, c_ast.FuncDecl):
            continue
        fdecl = node.type
        params = []
        for p in (fdecl.args.params if fdecl.args else []):
            params.append(_type_text(gen, p.type))
        ret = _type_text(gen, fdecl.type)
        out[node.name] = f"{ret} (*)({', '.join(params) or 'void'})"
    return out


def _type_text(gen: c_generator.CGenerator, t: c_ast.Node) -> str:
    """A declarator's type without its name ("const uint8_t *")."""
    from pycparser import c_ast

    if isinstance(t, c_ast.PtrDecl):
        return _type_text(gen, t.type) + " *"
    if isinstance(t, c_ast.TypeDecl):
        quals = " ".join(t.quals)
        base = gen.visit(t.type)
        return f"{quals} {base}".strip()
    return gen.visit(t)


def lua_cdef() -> str:
    """Declarations for LuaJIT's ffi.cdef (comments are fine for LuaJIT)."""
    return engine_cdef()


# ---------------------------------------------------------------- wrappers

def _conv(a: Arg) -> str:
    """Lua statement turning argument `a` into what C takes."""
    n = a.name
    # a number outside fix32's range (NaN, inf, a Lua count) is made one by
    # N as a non-number is: nothing else reaches C or the cost formulas
    fix = f"not (type({n}) == 'number' and {n} >= -32768 and {n} < 32768)"
    if a.kind == "num":
        if a.default is None:
            return f"if {fix} then {n} = N({n}) end"
        return (f"if {n} == nil then {n} = {_lua_num(a.default)} "
                f"elseif {fix} then {n} = N({n}) end")
    if a.kind == "bool":
        if a.default:
            return f"{n} = ({n} == nil or {n}) and 1 or 0"
        return f"{n} = {n} and 1 or 0"
    if a.kind == "int":
        return f"if {fix} then {n} = N({n}) end; {n} = floor({n})"
    if a.kind == "str":
        # only the BIOS calls these (print's job), with a string it made by tostr
        return f"if type({n}) ~= 'string' then error('{n}: a string is needed', 2) end"
    raise ValueError(f"argument kind {a.kind} needs a hand-written binding")


def _lua_num(v: object) -> str:
    if isinstance(v, bool):
        return "1" if v else "0"
    return repr(v)


def _c_arg(a: Arg) -> str:
    if a.kind == "str":
        return f"ffi.cast(u8p, {a.name}), #{a.name}"   # the bytes and their count
    return f"{a.name} * 65536" if a.kind == "num" else a.name


# Lua expressions of each cost formula over the converted arguments (and
# `argc`); see aot.api.COST_FORMULAS for what each means.
_COST_LUA = {
    "chars": "2 + 8 * #str",
    "spr": "((n >= 0 and n < 256) and max(0, floor(w * 8)) * max(0, floor(h * 8)) or 0)",
    "sspr": "abs(floor(argc >= 8 and dh or sh) * floor(argc >= 7 and dw or sw))",
    "rect": "rect_cost(x0, y0, x1, y1)",
    "rectfill": "max(1, floor((abs(floor(x1) - floor(x0)) + 1) * (abs(floor(y1) - floor(y0)) + 1) / 16))",
    "rrect": "rect_cost(x, y, x + w - 1, y + h - 1)",
    "rrectfill": "max(1, floor(max(0, floor(w)) * max(0, floor(h)) / 16))",
    "circ": "max(1, floor((2 * abs(floor(r)) + 1) ^ 2 / 16))",
    "line": "ceil((max(abs(floor(x1) - floor(x0)), abs(floor(y1) - floor(y0))) + 1) / 2)",
    "map": "64 * (argc >= 6 and min(17, abs(floor(celw))) * min(17, abs(floor(celh))) or 289)",
    "memcpy": "max(0, floor(len))",
    "memset": "max(1, ceil(floor(len) / 2))",
    "reload": "(argc >= 3 and max(1, floor(len) * 8) or 0x4300 * 8)",
}


def _cost_lua(row: Api) -> str:
    parts = []
    if row.cost.base:
        parts.append(str(row.cost.base))
    if row.cost.per:
        parts.append(_COST_LUA[row.cost.per])
    return " + ".join(parts)


def _ret_lua(row: Api, call: str) -> list[str]:
    r = row.ret
    if r == "none":
        return [f"{call}"]
    if r == "num":
        return [f"return {call} / 65536"]
    if r == "bool":
        return [f"return {call} ~= 0"]
    if r == "bool_or_num":
        return [f"local r = {call}", f"if argc < {row.bool_argc} then return r / 65536 end", "return r ~= 0"]
    if r == "xy16":
        return [f"local r = {call}",
                "local x, y = r % 65536, floor(r / 65536) % 65536",
                "if x >= 32768 then x = x - 65536 end",
                "if y >= 32768 then y = y - 65536 end",
                "return x, y"]
    if r == "cursor":
        return [f"local r = {call}",
                "return r % 256, floor(r / 256) % 256, floor(r / 65536) % 256"]
    if r == "clip":
        return [f"local r = {call}",
                "local x0, y0 = r % 256, floor(r / 256) % 256",
                "local x1, y1 = floor(r / 65536) % 256, floor(r / 16777216) % 256",
                "return x0, y0, x1 - x0, y1 - y0"]
    if r == "status":
        return [f"if {call} < 0 then error('bad memory access', 2) end"]
    if r == "int":
        return [f"return {call}"]
    raise ValueError(r)


def wrapper_lua(row: Api) -> str:
    """One `binding="ffi"` row as a Lua function definition: `api.<name>`,
    or for a `binding="bios"` or `"prim"` row the BIOS's primitive
    `prim.<c name>`."""
    names = [a.name for a in row.args]
    target = f"api[{row.name!r}]" if row.binding == "ffi" else f"prim[{row.c!r}]"
    lines = [f"{target} = function({', '.join(names)})"]
    if row.argc:
        terms = [f"({n} ~= nil and {i + 1})" for i, n in reversed(list(enumerate(names)))]
        lines.append(f"  local argc = {' or '.join(terms + ['0'])}")
    for a in row.args:
        lines.append("  " + _conv(a))
    cost = _cost_lua(row)
    if cost:
        lines.append(f"  cpu.sys = cpu.sys + {cost}")
    cargs = (["P"] if row.state else []) + [_c_arg(a) for a in row.args]
    if row.argc:
        cargs.append("argc")
    call = f"f_{row.name}({', '.join(cargs)})"
    lines += ["  " + ln for ln in _ret_lua(row, call)]
    lines.append("end")
    head = f"local f_{row.name} = C[{row.c!r}]"
    alias = [f"api[{al!r}] = api[{row.name!r}]" for al in row.aliases if row.binding == "ffi"]
    return "\n".join([head] + lines + alias)


def cost_function_lua(row: Api) -> str:
    """`apicost.<name>(args)`: the CPU cost of a hand-written row over the
    converted arguments its formula uses, in row order (and argc)."""
    cost = _cost_lua(row)
    used = set(re.findall(r"[A-Za-z_]\w*", cost))
    params = [a.name for a in row.args if a.name in used] + (["argc"] if "argc" in used else [])
    return f"apicost[{row.name!r}] = function({', '.join(params)}) return {cost} end"


# engine functions the host needs beyond the API rows: `^` (the runtime's
# pow), the RAM pointer, and numbers to and from text (the runtime's tostr
# and tonum), the start and end of a frame (buttons, time())
HOST_FUNCTIONS = ("p8_fix_pow", "p8_ram", "p8_tostr", "p8_tonum", "p8_input_frame", "p8_clock_tick",
                  "p8_stage_rom")


def bound_functions() -> list[str]:
    """Every engine function the Lua side casts a pointer to."""
    return engine_functions() + [f for f in HOST_FUNCTIONS if f not in engine_functions()]


def lua_bindings(rows: Iterable[Api] = API) -> str:
    """The Lua chunk that binds the engine: `bind(ffi, addrs, P, cpu, N)`
    returns C (engine function pointers by name), api (the wrappers),
    apicost (the costs of the hand-written rows, cost_function_lua) and
    prim (the engine bindings the BIOS calls, by C name)."""
    rows = list(rows)
    sigs = c_signatures()
    missing = [fn for fn in bound_functions() if fn not in sigs]
    if missing:
        raise ValueError(f"aot/api.py names engine functions no header declares: {missing}")
    out = [
        "-- generated by console/desktop/bindgen.py from aot/api.py: do not edit",
        "local type, error = type, error",
        "local floor, ceil, abs, max, min = math.floor, math.ceil, math.abs, math.max, math.min",
        "return function(ffi, addrs, P, cpu, N)",
        "local C, api, prim, apicost = {}, {}, {}, {}",
        "local u8p = ffi.typeof('const uint8_t *')",
        "local function rect_cost(x0, y0, x1, y1)",
        "  local w, h = abs(floor(x1) - floor(x0)), abs(floor(y1) - floor(y0))",
        "  local a, b = max(w, h), math.min(w, h)",
        "  return max(1, 2 * ceil(a / 4)) + max(0, 2 * ceil(b / 2 - 1))",
        "end",
    ]
    for fn in bound_functions():
        out.append(f"C[{fn!r}] = ffi.cast({sigs[fn]!r}, ffi.cast('uintptr_t', addrs[{fn!r}]))")
    for row in rows:
        if row.binding in ("ffi", "prim") or (row.binding == "bios" and row.c is not None):
            out.append(wrapper_lua(row))
    for row in hand_costed_rows():
        out.append(cost_function_lua(row))
    for row in unsupported_rows():
        out.append(f"api[{row.name!r}] = function() error({'not supported yet: ' + row.name + '()'!r}, 2) end")
    out.append("return C, api, prim, apicost")
    out.append("end")
    return "\n".join(out) + "\n"


def check_formulas() -> None:
    for name in COST_FORMULAS:
        if name not in _COST_LUA:
            raise ValueError(f"cost formula {name} has no Lua form")
