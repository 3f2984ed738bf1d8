"""The PICO-8 API, described once.

Every function a cart can call is one `Api` row below: its PICO-8 name, the
engine C function it maps to, its arguments (kind, default), whether the C
function takes `argc` (PICO-8 treats an omitted argument differently from
any value), how the result converts back, and what it costs in PICO-8's CPU
model. The bindings are generated from this table, never written by hand:

  - console/desktop/bindgen.py turns every `binding="ffi"` row into a LuaJIT
    wrapper that converts numbers to fix32 and calls the engine through an
    FFI function pointer (no Python on the path of a call);
  - rows with `binding="bios"` are written once, in PICO-8 Lua, in
    aot/bios.lua; both back ends compile that file (the Lua back end
    for LuaJIT, the C++ back end into aot/runtime/rt_bios.cpp), so both
    consoles run the same code and the CPU model counts it. When such a
    row names an engine function `c`, the row's generated binding of `c`
    (arguments, argc, result, cost as for an ffi row) is what the BIOS
    calls under the C name (`p8_pal`); carts never see it;
  - rows with `binding="prim"` are further engine functions only the BIOS
    calls, by their C name (the row's name is its `c`), bound as a bios
    row's engine function is (tline's p8_tline_precision); no cart global;
  - rows with `binding="math"` are engine functions (fix32 in, fix32 out)
    that the player computes in its Lua runtime (aot/lua_runtime.lua,
    wrapped in api_lua.lua: LuaJIT is faster there than through a call),
    tests/compiler/test_numbers_lua.py holding the two bit for bit; compiled carts
    get the generated binding as for an ffi row;
  - rows with `binding="lua"` are written in console/desktop/api_lua.lua
    (they need Lua values: tables, strings, varargs, coroutines) and reach
    the engine functions named in `c` through the same generated pointers;
  - the system functions (stat, cartdata, printh, load, flip, reload,
    ...) are BIOS functions over the hosts' HOST_PRIMITIVES (their host
    side in console/desktop/host_lua.lua and aot/runtime/rt_host.cpp);
  - rows with `binding="unsupported"` are PICO-8 globals rp8 does not do
    yet: both generators make them raise "not supported yet: NAME()";
  - the cffi declarations come from the engine headers themselves
    (console/engine_build.py), and the AOT compiler's C++ bindings are
    generated from this same table.

Every layer of one function NAME (its row's `c`: C_NAME):
  row        here (`grep -n '"NAME"' aot/api.py`)
  behaviour  ffi and math rows, and bios rows with a `c`: the engine's C_NAME
             in console/engine/p8_*.c, declared in its header's rp8:api block;
             bios rows: `function NAME` in aot/bios.lua, its host_*
             primitives in console/desktop/host_lua.lua and
             aot/runtime/rt_host.cpp, a device's side in platform/platform.h;
             lua rows (the language's primitives): console/desktop/api_lua.lua
             (interpreter) and the BUILTINS of aot/runtime/rt_lib.cpp or
             rt_co.cpp (compiled)
  bindings   generated, never edited: LuaJIT by console/desktop/bindgen.py,
             C++ `api_NAME` in aot/runtime/rt_api.cpp by aot/cpp_api.py
             (the BIOS's by aot/cpp_bios.py into rt_bios.cpp), Python by
             console/api_calls.py (what the engine tests call)
  tests      the engine's exact behaviour in tests/engine/ (test_gfx_*,
             test_print, test_mem, test_audio_*...: `grep -rl NAME tests/engine`);
             both consoles against PICO-8's documented answers in
             tests/suites/test_conformance.py, its edge rows in
             tests/support/conformance_edges.py; the table and its generated
             bindings in tests/player/test_runtime_api.py,
             tests/compiler/test_aot_api.py and test_generated_files.py.

Argument kinds:
  num   a PICO-8 number -> fix32 (nil -> the default, or 0; a numeric string
        -> tonum(); anything else -> 0, as PICO-8's C API reads it)
  bool  truthiness -> C int 0/1 (nil -> the default, false)
  str   any value -> tostr() -> P8SCII bytes + length
  int   a number -> flr() as a C int

Return kinds:
  none, num (fix32 -> number), bool (fix32 or int, nonzero -> true),
  bool_or_num (fix32: a bool when at least `bool_argc` arguments were given,
    else a number: btn() is a bitfield, btn(i) a bool; fget(n) the flag
    byte, fget(n, f) a bool),
  xy16 (uint32: two int16, e.g. camera's previous x, y),
  cursor (uint32: x byte, y byte, pen byte), clip (uint32: x0, y0, x1, y1
  bytes -> x, y, w, h), status (int: negative -> "bad memory access"),
  int (a C int as a whole number, for the BIOS to read: cstore's count or
  P8_MEM_READ_ONLY).

`argc`: the bindings pass the number of arguments up to the last one that
is not nil. PICO-8 reads an explicit nil like a missing argument in the
functions rp8 has checked (pset(x, y, nil) draws in the pen colour), so the
two are not told apart.

CPU costs: PICO-8 counts Lua VM instructions and "system" ticks; 2^22 ticks
make a second (pico-8.fandom.com/wiki/CPU, measured by the community). The
per-call ticks below come from that page; `per` names a formula over the
arguments that each binding generator implements (see COST_FORMULAS).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union

Default = Union[int, float, bool, str, None]

# PICO-8's CPU: 2^22 system ticks per second; Lua VM instructions are
# counted on the same scale by the Lua back end's per-block counters.
TICKS_PER_SECOND = 1 << 22

ARG_KINDS = ("num", "bool", "str", "int")
RET_KINDS = ("none", "num", "bool", "bool_or_num", "xy16", "cursor", "clip", "status", "int")
BINDINGS = ("ffi", "math", "bios", "prim", "lua", "unsupported")


@dataclass(frozen=True)
class Arg:
    name: str
    kind: str = "num"
    default: Default = None      # value used when the cart passes nil / nothing


@dataclass(frozen=True)
class Cost:
    """System ticks of one call: `base`, plus formula `per` if given."""
    base: int = 0
    per: Optional[str] = None


# Formulas the generators implement, in ticks (pico-8.fandom.com/wiki/CPU):
COST_FORMULAS = {
    "chars": "2 + 8 per character of the string",
    "spr": "w*8 * h*8: every pixel of the sprite rectangle, 0 if n is outside 0..255",
    "sspr": "dw * dh: every destination pixel",
    "rect": "max(1, 2*ceil(a/4)) + max(0, 2*ceil(b/2 - 1)); a, b = longer, shorter side",
    "rectfill": "max(1, flr(w*h/16))",
    "rrect": "the rect formula over the box x, y, x+w-1, y+h-1 (PICO-8's rrect cost is "
             "unmeasured)",
    "rrectfill": "the rectfill formula over the box (PICO-8's rrectfill cost is unmeasured)",
    "circ": "max(1, flr((2r+1)^2/16)): a rectfill of the bounding square (PICO-8's circle cost is unmeasured)",
    "line": "ceil(n/2) for the n pixels of the longer axis",
    "map": "64 per cell of the drawn area, at most the 17x17 cells a screen can show "
           "(PICO-8 counts the non-empty cells drawn, which the binding cannot see)",
    "memcpy": "len + 1",
    "memset": "max(1, ceil(len/2))",
    "reload": "max(1, len*8) with len, 0x4300*8 (the whole cart data) without",
}


@dataclass(frozen=True)
class Api:
    name: str
    c: Optional[str]                 # engine function (or the main one), None if none
    args: tuple[Arg, ...] = ()
    argc: bool = False               # the C function takes argc last
    ret: str = "none"
    cost: Cost = field(default_factory=Cost)
    binding: str = "ffi"
    state: bool = True               # the C function takes p8_state * first
    bool_argc: int = 1               # ret "bool_or_num": argc from which it is a bool
    aliases: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()       # further engine functions a lua/host binding calls
    doc: str = ""


def _n(name: str, default: Default = None) -> Arg:
    return Arg(name, "num", default)


def _b(name: str, default: Default = None) -> Arg:
    return Arg(name, "bool", default)


XY = (_n("x"), _n("y"))
RECT = (_n("x0"), _n("y0"), _n("x1"), _n("y1"))

API: tuple[Api, ...] = (
    # ---------------------------------------------------------------- graphics
    Api("cls", "p8_cls", (_n("col", 0),), cost=Cost(1024)),
    Api("pset", "p8_pset", XY + (_n("col"),), argc=True, cost=Cost(1)),
    Api("pget", "p8_pget", XY, ret="num", cost=Cost(1)),
    Api("sget", "p8_sget", XY, ret="num", cost=Cost(1)),
    Api("sset", "p8_sset", XY + (_n("col"),), argc=True, cost=Cost(1)),
    Api("fget", "p8_fget", (_n("n"), _n("f")), argc=True, ret="bool_or_num", bool_argc=2,
        doc="fget(n) is the flag byte, fget(n, f) a boolean"),
    Api("fset", "p8_fset", (_n("n"), _n("f"), _b("v")), argc=True),
    Api("mget", "p8_mget", XY, ret="num", cost=Cost(1)),
    Api("mset", "p8_mset", XY + (_n("v"),), cost=Cost(1)),
    Api("line", "p8_line", RECT + (_n("col"),), argc=True, cost=Cost(0, "line")),
    Api("rect", "p8_rect", RECT + (_n("col"),), argc=True, cost=Cost(0, "rect")),
    Api("rectfill", "p8_rectfill", RECT + (_n("col"),), argc=True, cost=Cost(0, "rectfill")),
    Api("rrect", "p8_rrect", XY + (_n("w"), _n("h"), _n("r", 0), _n("col")), argc=True,
        cost=Cost(0, "rrect"), doc="PICO-8 0.2.6 rounded rectangle: x, y, width, height, radius"),
    Api("rrectfill", "p8_rrectfill", XY + (_n("w"), _n("h"), _n("r", 0), _n("col")), argc=True,
        cost=Cost(0, "rrectfill")),
    Api("circ", "p8_circ", XY + (_n("r", 4), _n("col")), argc=True, cost=Cost(0, "circ")),
    Api("circfill", "p8_circfill", XY + (_n("r", 4), _n("col")), argc=True,
        cost=Cost(0, "circ")),
    Api("oval", "p8_oval", RECT + (_n("col"),), argc=True, cost=Cost(0, "rectfill")),
    Api("ovalfill", "p8_ovalfill", RECT + (_n("col"),), argc=True, cost=Cost(0, "rectfill")),
    Api("spr", "p8_spr", (_n("n"), _n("x"), _n("y"), _n("w", 1), _n("h", 1),
                          _b("flip_x"), _b("flip_y")), cost=Cost(0, "spr")),
    Api("sspr", "p8_sspr", (_n("sx"), _n("sy"), _n("sw"), _n("sh"), _n("dx"), _n("dy"),
                            _n("dw"), _n("dh"), _b("flip_x"), _b("flip_y")),
        argc=True, cost=Cost(0, "sspr")),
    Api("map", "p8_map", (_n("celx"), _n("cely"), _n("sx"), _n("sy"), _n("celw"),
                          _n("celh"), _n("layers")), argc=True, cost=Cost(0, "map"),
        aliases=("mapdraw",)),
    Api("tline", "p8_tline", RECT + (_n("mx"), _n("my"), _n("mdx", 0.125), _n("mdy", 0),
                                     _n("layers", 0)),
        binding="bios", cost=Cost(0, "line"),
        doc="tline(bits) with one argument sets the precision (0-31 fraction bits) "
            "through p8_tline_precision"),
    Api("p8_tline_precision", "p8_tline_precision", (_n("bits"),), ret="num", binding="prim"),
    Api("color", "p8_color", (_n("col"),), argc=True, ret="num"),
    Api("cursor", "p8_cursor", XY + (_n("col"),), argc=True, ret="cursor"),
    Api("camera", "p8_camera", XY, argc=True, ret="xy16"),
    Api("clip", "p8_clip_set", (_n("x"), _n("y"), _n("w"), _n("h"), _b("previous")),
        argc=True, ret="clip"),
    Api("pal", "p8_pal", (_n("c0"), _n("c1"), _n("p")), argc=True, ret="num", binding="bios",
        doc="pal(tbl, p) sets every entry of the table"),
    Api("palt", "p8_palt", (_n("c"), _b("t")), argc=True, ret="num"),
    Api("fillp", "p8_fillp", (_n("p"),), argc=True, ret="num"),
    Api("print", "p8_print_start", (Arg("str", "str"), _n("x"), _n("y"), _n("col")), argc=True,
        ret="num", binding="bios", cost=Cost(0, "chars"),
        doc="the BIOS's: tostr, then the engine's job, flipping frames at its waits "
            "(\\^1-9, \\^d) through p8_print_resume and p8_print_result"),
    Api("p8_print_resume", "p8_print_resume", (Arg("str", "str"),), ret="num", binding="prim"),
    Api("p8_print_result", "p8_print_result", (), ret="num", binding="prim"),

    # ---------------------------------------------------------------- memory
    # peek(addr, n) gives n values, poke(addr, v1, v2, ...) writes them: the
    # BIOS's, over the one-value engine functions
    *(Api(f"peek{w}", f"p8_peek{w}", (_n("addr"),), ret="num", binding="bios") for w in ("", "2", "4")),
    *(Api(f"poke{w}", f"p8_poke{w}", (_n("addr"), _n("value")), binding="bios") for w in ("", "2", "4")),
    Api("memcpy", "p8_memcpy", (_n("dst"), _n("src"), _n("len")), cost=Cost(1, "memcpy")),
    Api("memset", "p8_memset", (_n("dst"), _n("val"), _n("len")), cost=Cost(0, "memset")),
    Api("reload", "p8_reload", (_n("dst"), _n("src"), _n("len")), argc=True, ret="status",
        binding="bios", cost=Cost(0, "reload"),
        doc="reload(dst, src, len, filename) reads another cart's data: the host stages its ROM "
            "(host_stage_rom) for p8_reload_other"),
    Api("p8_reload_other", "p8_reload_other", (_n("dst"), _n("src"), _n("len")), argc=True,
        ret="status", binding="prim", cost=Cost(0, "reload")),
    Api("cstore", "p8_cstore", (_n("dst"), _n("src"), _n("len")), argc=True, ret="int",
        binding="bios", doc="the BIOS turns a read-only ROM (a device's flash) into its error"),

    # ---------------------------------------------------------------- math
    # binding="math": the player computes these in its Lua runtime
    # (aot/lua_runtime.lua) where LuaJIT is faster than a call; the C
    # functions are the reference and what compiled carts call.
    Api("flr", "p8_fix_flr", (_n("x"),), ret="num", binding="math", state=False),
    Api("ceil", "p8_fix_ceil", (_n("x"),), ret="num", binding="math", state=False),
    Api("abs", "p8_fix_abs", (_n("x"),), ret="num", binding="math", state=False),
    Api("sgn", "p8_fix_sgn", (_n("x"),), ret="num", binding="math", state=False),
    Api("min", "p8_fix_min", (_n("a"), _n("b")), ret="num", binding="math", state=False),
    Api("max", "p8_fix_max", (_n("a"), _n("b")), ret="num", binding="math", state=False),
    Api("mid", "p8_fix_mid", (_n("a"), _n("b"), _n("c")), ret="num", binding="math", state=False),
    Api("sqrt", "p8_fix_sqrt", (_n("x"),), ret="num", state=False, cost=Cost(24)),
    Api("sin", "p8_fix_sin", (_n("x"),), ret="num", state=False),
    Api("cos", "p8_fix_cos", (_n("x"),), ret="num", state=False),
    Api("atan2", "p8_fix_atan2", (_n("dx"), _n("dy")), ret="num", state=False),
    Api("band", "p8_fix_band", (_n("a"), _n("b")), ret="num", binding="math", state=False),
    Api("bor", "p8_fix_bor", (_n("a"), _n("b")), ret="num", binding="math", state=False),
    Api("bxor", "p8_fix_bxor", (_n("a"), _n("b")), ret="num", binding="math", state=False),
    Api("bnot", "p8_fix_bnot", (_n("a"),), ret="num", binding="math", state=False),
    Api("shl", "p8_fix_shl", (_n("a"), _n("n")), ret="num", binding="math", state=False),
    Api("shr", "p8_fix_shr", (_n("a"), _n("n")), ret="num", binding="math", state=False),
    Api("lshr", "p8_fix_lshr", (_n("a"), _n("n")), ret="num", binding="math", state=False),
    Api("rotl", "p8_fix_rotl", (_n("a"), _n("n")), ret="num", binding="math", state=False),
    Api("rotr", "p8_fix_rotr", (_n("a"), _n("n")), ret="num", binding="math", state=False),
    Api("rnd", "p8_rnd", (_n("x", 1),), ret="num", binding="bios", cost=Cost(4),
        doc="rnd(tbl) picks an element"),
    Api("srand", "p8_srand", (_n("x"),)),

    # ---------------------------------------------------------------- sound
    Api("sfx", "p8_sfx", (_n("n"), _n("channel", -1), _n("offset", 0), _n("length", 0)),
        cost=Cost(16)),
    Api("music", "p8_music", (_n("n", 0), _n("fade_ms", 0), _n("channel_mask", 0)),
        cost=Cost(16)),

    # ---------------------------------------------------------------- strings
    Api("tostr", None, (Arg("v", "str"), _n("flags")), binding="lua"),
    Api("tonum", None, (Arg("v", "str"), _n("flags")), binding="lua"),
    Api("sub", None, (Arg("s", "str"), _n("i"), _n("j")), binding="lua"),
    Api("chr", None, (), binding="lua"),
    Api("ord", None, (Arg("s", "str"), _n("i", 1), _n("n", 1)), binding="lua"),
    Api("split", None, (Arg("s", "str"), Arg("sep", "str", ","), _b("convert", True)),
        binding="lua"),

    # ---------------------------------------------------------------- tables
    *(Api(n, None, binding="bios") for n in ("add", "del", "deli", "count", "all", "foreach")),
    *(Api(n, None, binding="lua") for n in (
        "pairs", "ipairs", "inext", "next",
        "select", "unpack", "pack", "type", "setmetatable", "getmetatable", "rawget",
        "rawset", "rawequal", "rawlen", "cocreate", "coresume", "costatus", "yield",
        "assert", "error")),

    # ---------------------------------------------------------------- system
    Api("btn", "p8_btn", (_n("i"), _n("p")), argc=True, ret="bool_or_num", cost=Cost(4),
        doc="btn() is players 0 and 1 as a bitfield; the host feeds p8_input_frame"),
    Api("btnp", "p8_btnp", (_n("i"), _n("p")), argc=True, ret="bool_or_num", cost=Cost(4)),
    Api("time", "p8_time", (), ret="num", aliases=("t",),
        doc="frames counted by the host's p8_clock_tick"),
    Api("stat", "p8_audio_stat", (Arg("n", "int"),), ret="num", binding="bios", cost=Cost(16),
        doc="the table of numbers in the BIOS; the engine's audio ones, the hosts' "
            "host_memory, host_cpu, host_fps, ... (HOST_PRIMITIVES)"),
    Api("flip", None, (), binding="bios", doc="over the host primitive host_flip"),
    Api("printh", None, (Arg("str", "str"), Arg("filename", "str"), _b("overwrite"),
                         _b("save_to_desktop")), binding="bios"),
    Api("extcmd", None, (Arg("cmd", "str"),), binding="bios"),
    Api("menuitem", None, (_n("index"), Arg("label", "str")), binding="bios",
        doc="over the host primitives host_menu_current, host_menu_set"),
    Api("cartdata", None, (Arg("id", "str"),), binding="bios"),
    Api("dget", None, (_n("index"),), binding="bios"),
    Api("dset", None, (_n("index"), _n("value")), binding="bios"),
    Api("load", None, (Arg("filename", "str"), Arg("breadcrumb", "str"), Arg("param", "str")),
        binding="bios"),
    Api("run", None, (Arg("param", "str"),), binding="bios"),
    Api("stop", None, (Arg("message", "str"),), binding="bios"),
    Api("reset", "p8_reset", ()),
    Api("holdframe", None, (), binding="bios", doc="over the host primitive host_holdframe"),
    Api("_set_fps", None, (_n("fps"),), binding="bios",
        doc="undocumented; only the rate the game loop picks itself (30 or 60)"),
    Api("serial", None, binding="unsupported"),
    Api("tostring", None, binding="lua", doc="Lua's, as PICO-8 0.2.5g+ keeps it"),

    # ---------------------------------------------------------------- not yet
    # PICO-8 0.2.6 globals rp8 does not do yet (see PICO8_GLOBALS): the
    # system's own main-loop hooks, the file listing, tracebacks
    *(Api(n, None, binding="unsupported") for n in (
        "_get_menu_item_selected", "_map_display", "_mark_cpu", "_pausemenu",
        "_set_mainloop_exists", "_startframe", "_update_buttons", "_update_framerate",
        "ls", "set_draw_slice", "trace")),
)

# Every global a cart sees in PICO-8 0.2.6 (besides the glyphs P8SCII
# 0x80-0x99, GLYPH_GLOBALS), documented and undocumented: the list shrinko8
# keeps from the PICO-8 binary (thisismypassport/shrinko8, pico_process.py
# builtin_globals, release 1.2.7.4). tests/suites/test_conformance.py checks that
# each exists in both consoles.
PICO8_GLOBALS: tuple[str, ...] = (
    # documented
    "abs", "add", "all", "assert", "atan2", "btn", "btnp", "camera", "cartdata", "ceil", "chr",
    "circ", "circfill", "clip", "cls", "cocreate", "color", "coresume", "cos", "costatus",
    "count", "cstore", "cursor", "del", "deli", "dget", "dset", "extcmd", "fget", "fillp",
    "flip", "flr", "foreach", "fset", "getmetatable", "ipairs", "inext", "line", "load", "ls",
    "map", "max", "memcpy", "memset", "menuitem", "mget", "mid", "min", "mset", "music", "next",
    "ord", "oval", "ovalfill", "pack", "pairs", "pal", "palt", "peek", "peek2", "peek4", "pget",
    "poke", "poke2", "poke4", "print", "printh", "pset", "rawequal", "rawget", "rawlen",
    "rawset", "rect", "rectfill", "reload", "reset", "rnd", "rrect", "rrectfill", "run",
    "select", "setmetatable", "serial", "sfx", "sget", "sgn", "sin", "split", "spr", "sqrt",
    "srand", "sset", "sspr", "stat", "stop", "sub", "time", "tline", "tonum", "tostr", "trace",
    "type", "unpack", "yield", "t",
    # deprecated
    "band", "bnot", "bor", "bxor", "lshr", "rotl", "rotr", "shl", "shr", "mapdraw",
    # undocumented
    "holdframe", "_set_fps", "_update_buttons", "_mark_cpu", "_startframe",
    "_update_framerate", "_set_mainloop_exists", "_map_display", "_get_menu_item_selected",
    "_pausemenu", "set_draw_slice", "tostring",
)


# What each runtime must provide itself, in its own terms (LuaJIT's own
# functions wrapped in console/desktop/api_lua.lua; aot/runtime/rt_lib.cpp
# and rt_co.cpp for compiled carts): the language's primitives, over which
# the BIOS (aot/bios.lua) is written. tests/suites/test_conformance.py holds
# the two implementations of each to the same answers.
LANGUAGE_PRIMITIVES: tuple[str, ...] = (
    "pairs", "ipairs", "inext", "next", "tostring", "select", "unpack", "pack", "type", "setmetatable",
    "getmetatable", "rawget", "rawset", "rawequal", "rawlen", "cocreate", "coresume",
    "costatus", "yield", "assert", "error",
)


def unsupported_rows() -> list[Api]:
    """PICO-8 globals rp8 does not do yet: "not supported yet" when called."""
    return [row for row in API if row.binding == "unsupported"]


# What the BIOS reaches of each console's host, by name (aot/bios.lua):
# the player's in host_lua.lua (kit.prim), compiled carts' in rt_host.cpp
# (builtins "(host_...)"), each a store or a measurement with no rule of
# its own (argument checks, defaults and errors are the BIOS's).
HOST_PRIMITIVES: dict[str, str] = {
    "host_menu_current": "the pause-menu item whose callback is running, or nil",
    "host_menu_set": "(i, [label, callback, filter]): store or (no label) remove menu item i",
    "host_memory": "Lua memory in use in KiB (stat(0); the pinned value when comparing consoles)",
    "host_cpu": "(n): the frame's CPU use as a fraction, all of it (n=1) or system ticks (n=2)",
    "host_fps": "the frame rate the game loop runs at (30 or 60)",
    "host_fps_actual": "the frame rate the console achieves",
    "host_param": "the parameter string run() or load() passed (\"\" if none)",
    "host_breadcrumb": "the breadcrumb label load() passed, or nil",
    "host_clipboard": "the clipboard's text (\"\" if none)",
    "host_key": "(take): the pending keyboard character (\"\" if none), consumed when take",
    "host_mouse": "(i): the mouse's x, y, buttons, wheel (i = 1..4)",
    "host_clock": "(n): stat(n)'s clock field, n in 80..85 (UTC) or 90..95 (local)",
    "host_cartdata": "(id): open id's 64 saved numbers into 0x5e00 (nil id: none), true if "
                     "there were any; nil when cartdata was called before",
    "host_printh": "(s): write the line s to the console's log",
    "host_printh_file": "(s, filename, overwrite): write the line s to a file; nil or an error",
    "host_set_clipboard": "(s): put s on the clipboard",
    "host_run": "(param): end the cart's code and run it again from the top, stat(6) = param",
    "host_stop": "(message): end the cart's code, showing message",
    "host_load": "(filename, breadcrumb or nil, param): end the cart's code and boot that "
                 "cart; false when there is no such cart",
    "host_back": "end the cart's code and boot the cart that loaded it with a breadcrumb; "
                 "returns when there is none",
    "host_extcmd": "(cmd, arg): the host's other commands (screenshot, recording...), if any",
    "host_update60": "whether the cart defines _update60",
    "host_flip": "end the frame here: present it (unless held), wait for the next one, read "
                 "its buttons; true, or false at once where the console has no frame loop",
    "host_holdframe": "the frame ending next is not presented",
    "host_stage_rom": "(filename): stage that cart's ROM for the engine's next p8_reload_other; "
                      "false when there is no such cart",
}


def hand_costed_rows() -> list[Api]:
    """Rows written by hand in each runtime (binding lua) that
    charge a CPU cost: both generators emit the cost as a function of the
    arguments the formula uses (`apicost.<name>` in the player's bindings,
    `rt_cost_<name>` in rt_api.cpp), which the hand-written code calls."""
    return [row for row in API if row.binding == "lua" and (row.cost.base or row.cost.per)]


def bios_rows() -> list[Api]:
    """Rows written in aot/bios.lua."""
    return [row for row in API if row.binding == "bios"]


def bios_primitives() -> list[Api]:
    """bios rows whose engine binding the BIOS calls under its C name, and
    the prim rows (engine functions only the BIOS calls)."""
    return [row for row in API if (row.binding == "bios" and row.c is not None) or row.binding == "prim"]


def by_name() -> dict[str, Api]:
    """Every API row by PICO-8 name, aliases included (not the prim rows,
    which name no global)."""
    table: dict[str, Api] = {}
    for row in API:
        if row.binding == "prim":
            continue
        table[row.name] = row
        for alias in row.aliases:
            table[alias] = row
    return table


def engine_functions() -> list[str]:
    """Every engine C function a binding calls, in table order, no repeats."""
    seen: dict[str, None] = {}
    for row in API:
        for fn in ((row.c,) if row.c else ()) + row.uses:
            seen.setdefault(fn, None)
    return list(seen)


# PICO-8's string functions: Lua 5.2's string.sub, string.char,
# string.byte and tostring/tonumber under PICO-8's names and number
# arguments, plus split. Each runtime provides them as it provides the
# language (the interpreter through LuaJIT's string library, compiled carts
# through rt_lib.cpp); they cannot be written in the BIOS, which has no
# string operation below them (and PICO-8 arithmetic cannot index past
# 32767 characters, which split must). Numbers to and from text are the
# engine's one rule (p8_str.c) in both; tests/suites/test_conformance.py holds
# the two implementations of each to the same answers.
STRING_PRIMITIVES: tuple[str, ...] = ("tostr", "tonum", "sub", "chr", "ord", "split")


def check() -> None:
    """The table's own rules (run by the tests)."""
    names: set[str] = set()
    for row in API:
        for n in (row.name,) + row.aliases:
            if n in names:
                raise ValueError(f"{n}: listed twice")
            names.add(n)
        if row.binding not in BINDINGS:
            raise ValueError(f"{row.name}: binding {row.binding!r}")
        if row.ret not in RET_KINDS:
            raise ValueError(f"{row.name}: return kind {row.ret!r}")
        if row.binding == "lua" and row.c is None and row.name not in LANGUAGE_PRIMITIVES \
                and row.name not in STRING_PRIMITIVES:
            raise ValueError(f"{row.name}: a library function over Lua values belongs in the BIOS")
        if row.binding == "unsupported" and (row.c is not None or row.args):
            raise ValueError(f"{row.name}: an unsupported row names nothing to call")
        if row.binding == "math" and (row.c is None or row.state or row.ret != "num"
                                      or any(a.kind != "num" for a in row.args)):
            raise ValueError(f"{row.name}: a math row is a stateless engine function on numbers")
        if row.binding == "prim" and (row.c != row.name or row.aliases):
            raise ValueError(f"{row.name}: a prim row is named by its engine function")
        if row.binding == "ffi" and row.c is None:
            raise ValueError(f"{row.name}: an ffi binding needs a C function")
        for a in row.args:
            if a.kind not in ARG_KINDS:
                raise ValueError(f"{row.name}: argument {a.name} kind {a.kind!r}")
        if row.cost.per is not None and row.cost.per not in COST_FORMULAS:
            raise ValueError(f"{row.name}: cost formula {row.cost.per!r}")
