"""One conformance suite for both consoles: each case below is PICO-8 code
and the lines it must print, run by the interpreter (LuaJIT) and by the
compiled cart (C++), each held to the same expected values.

The cases cover the BIOS (aot/bios.lua: library functions written
once, compiled by both back ends) and the language primitives each runtime
provides itself (aot/api.py LANGUAGE_PRIMITIVES). All cases run in one
program per console; each runs in its own coroutine, so an error in one
is a printed line, not the end of the run."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from aot.source import Source
from support.aot_cpp import need_gxx, run_cpp, run_lua
from support.aot_frames import console_from_code, cpu_counts

pytest.importorskip("console._engine")

# name -> (code, expected lines). `show(...)` prints its arguments with
# tostr, separated by spaces.
CASES: dict[str, tuple[str, list[str]]] = {
    # the sunset with the secret palette: pal(tbl, p) takes p from its
    # second argument (the interpreter read the third, and set the draw
    # palette instead of the screen palette)
    "pal_table_screen": ("pal({[0]=0,128+1,128+2,128+15},1) "
                         "show(peek(0x5f10), peek(0x5f11), peek(0x5f12), peek(0x5f13), peek(0x5f01))",
                         ["0 129 130 143 1"]),
    "pal_table_draw": ("pal({[1]=8, [2]=9, x=3}) show(peek(0x5f01), peek(0x5f02), peek(0x5f15))",
                       ["8 9 5"]),
    "pal_table_secondary": ("pal({[3]=0x21}, 2) show(peek(0x5f63))", ["33"]),
    "pal_numbers": ("pal(3, 11) show(pal(3, 5)) pal() show(peek(0x5f03)) show(pal({}))",
                    ["11", "3", "0"]),
    "add": ("local t = {1, 2} show(add(t, 3), #t, t[3]) show(add(t, 0, 1), t[1], t[2], #t) "
            "show(add(t, 9, 99), t[5]) show(add(nil, 1)) show(add(t, 7, '2'), t[2])",
            ["3 3 3", "0 0 1 4", "9 9", "[nil]", "7 7"]),
    "del": ("local t = {1, 2, 3, 2} show(del(t, 2), #t, t[2], t[3]) show(select('#', del(t, 7))) "
            "show(del(nil, 1))",
            ["2 3 3 2", "0", "[nil]"]),
    "deli": ("local t = {1, 2, 3} show(deli(t), #t) show(deli(t, 1), t[1], #t) show(deli(t, 5)) "
             "show(deli({}))",
             ["3 2", "1 2 1", "[nil]", "[nil]"]),
    "count": ("show(count({1, 2, 1, nil, 1}, 1), count({1, nil, 3}), count(nil), count('abc'))",
              ["3 2 0 0"]),
    "all_keeps_place": ("local t = {1, 2, 3, 4} local s = '' for v in all(t) do "
                        "if v == 2 then del(t, v) end s = s .. v end show(s, #t)",
                        ["1234 3"]),
    "all_nil": ("local n = 0 for v in all(nil) do n += 1 end show(n)", ["0"]),
    "foreach": ("local s = '' foreach({5, 6, 7}, function(v) s = s .. v end) show(s) "
                "foreach(nil, print) show('ok')",
                ["567", "ok"]),
    "foreach_meta_len": ("local t = setmetatable({}, {__len = function() return 2 end, "
                         "__index = function(_, k) if k <= 2 then return k * 10 end end}) "
                         "local s = '' foreach(t, function(v) s = s .. v .. ',' end) show(s, count(t))",
                         ["10,20, 2"]),
    # s[i] on a string (PICO-8 0.2.5 release notes: "ABCDE"[2.6] is "B",
    # [-2] "D", [99] ""): sub(s, i, i), written once in the BIOS
    "string_index": ("local s = 'abcde' show(s[2.6], s[-2], s[99] == '', s[0] == '', s[-99] == '', "
                     "s[1], ('xyz')[3], #s[5])",
                     ["b d true true true a z 1"]),
    "string_index_in_loop": ("local s, r = 'pico', '' for i = #s, 1, -1 do r ..= s[i] end show(r)",
                             ["ocip"]),
    # a string has no fields or methods: other keys are an error, as is
    # assigning into a string (PICO-8: "s[2] = 'z' is not allowed")
    "string_index_name": ("local s = 'abc' show(s.len)",
                          ["error: attempt to index a string value with key 'len'"]),
    "string_index_method": ("local s = 'abc' show(s:sub(1, 2))",
                            ["error: attempt to index a string value with key 'sub'"]),
    "string_index_bool": ("local s = 'abc' show(s[true])",
                          ["error: attempt to index a string value with a boolean key"]),
    "string_assign": ("local s = 'abc' s[2] = 'z'",
                      ["error: attempt to index local 's' (a string value)"]),
    # concatenation errors name the operand that is not text (a nil or false
    # right of a string was reported as "a string value" by the interpreter)
    "concat_nil_right": ("local s = 'a' show(s .. nothing_here)", ["error: attempt to concatenate a nil value"]),
    "concat_false_right": ("local s = 'a' show(1 .. (1 == 2))", ["error: attempt to concatenate a boolean value"]),
    "concat_nil_left": ("local s = 'a' show(nothing_here .. s)", ["error: attempt to concatenate a nil value"]),
    # the length of what is no table or string names it as Lua does
    "len_named": ("local n show(#n)", ["error: attempt to get length of local 'n' (a nil value)"]),
    "len_field": ("local t = {} show(#t.f)", ["error: attempt to get length of field 'f' (a nil value)"]),
    "len_global": ("show(#no_such_global)",
                   ["error: attempt to get length of global 'no_such_global' (a nil value)"]),
    # a numeric for's bounds: numeric strings convert; Lua's words for the rest
    "for_string_bounds": ("local s = 0 for i = '1', '3' do s += i end show(s)", ["6"]),
    "for_bad_start": ("for i = 'x', 2 do end", ["error: 'for' initial value must be a number"]),
    "for_bad_limit": ("for i = 1, {} do end", ["error: 'for' limit must be a number"]),
    "for_bad_step": ("for i = 1, 2, true do end", ["error: 'for' step must be a number"]),
    # library argument errors in Lua 5.2's words (an explicit nil is "got nil")
    "ipairs_nil_arg": ("for i in ipairs(nil) do end", ["error: bad argument #1 to 'ipairs' (table expected, got nil)"]),
    "select_not_number": ("show(select('x', 1))", ["error: bad argument #1 to 'select' (number expected, got string)"]),
    "inext_not_table": ("show(inext('12', 0))", ["error: bad argument #1 to 'inext' (table expected, got string)"]),
    "inext_raw": ("local t = setmetatable({}, {__index = function() return 7 end}) show(inext(t, 0), inext({5}, 0))",
                  ["[nil] 1 5"]),
    "rawlen_number": ("show(rawlen(5))", ["error: bad argument #1 to 'rawlen' (table or string expected)"]),
    "rawequal_one_arg": ("show(rawequal(1))", ["error: bad argument #2 to 'rawequal' (value expected)"]),
    "cocreate_nil": ("cocreate(nil)", ["error: bad argument #1 to 'cocreate' (function expected, got nil)"]),
    # the peek operators read their address as peek() does: anything but a
    # number or numeric string is 0 (PICO-8 manual: @ADDR is PEEK(ADDR))
    "peek_ops_any_address": ("poke4(0, 0x1234.5678) show(@{}, %{}, $'x', $'0', %'1', @nil)",
                             ["120 22136 4660.3378 4660.3378 13398 120"]),
    # a __call or __newindex that is no function or table: an error about the
    # value, not a chain (Lua 5.2 ldo.c tryfuncTM, lvm.c luaV_settable)
    "call_meta_not_function": ("local t = setmetatable({}, {__call = 5}) t()",
                               ["error: attempt to call local 't' (a table value)"]),
    "newindex_meta_number": ("local t = setmetatable({}, {__newindex = 5}) t.x = 1",
                             ["error: attempt to index a number value"]),
    # an error in the BIOS's code names no variable of the BIOS's own
    "foreach_not_function": ("foreach({1}, 5)", ["error: attempt to call a number value"]),
    "foreach_not_function_in_coroutine": (
        "local ok, e = coresume(cocreate(function() foreach({1}, nil) end)) show(ok, sub(e, #e - 26))",
        ["false attempt to call a nil value"]),
    # numbers to and from text: the engine's one rule (p8_str.c)
    "tostr_numbers": ("show(tostr(1/3), tostr(-12345.67), tostr(2.3, true), tostr(-1, 3), tostr(5, 2), "
                      "tostr(0x7fff.ffff))",
                      ["0.3333 -12345.6699 0x0002.4ccc 0xffff0000 327680 32768"]),
    "tonum_forms": ("show(tonum('0x10.8'), tonum(' -12 '), tonum('zz'), tonum('zz', 4), tonum('ff', 1), "
                    "tonum('0b101'), tonum(7))",
                    ["16.5 -12 [nil] 0 255 5 7"]),
    # issue 14 s3 (PICO-8 0.2.x; MiniMechMedia's kaiju-companions.p8 adds
    # tonum(btn(...)) up): tonum of a boolean is 1 or 0
    "tonum_bool": ("show(tonum(true), tonum(false), -tonum(false) + tonum(true))", ["1 0 1"]),
    # issue 14 s3: tostr() with no argument is "", tostr(nil) "[nil]"
    "tostr_nothing": ("show(#tostr(), tostr(nil), tostr(false), tostr(true))", ["0 [nil] false true"]),
    # compat finding A3 (lazydevs expl.p8 runs on PICO-8): a library
    # function reads a number argument as the API does, a non-number is 0
    "deli_non_number": ("local t = {1, 2, 3} show(deli(t, true), #t, flr(true), flr('3'), flr('x'), "
                        "min('2', false))",
                        ["[nil] 3 0 3 0 0"]),
    # compat finding 7 (zepto8 launcher.p8 takes its length): stat(124) is
    # the current folder, a string
    "stat_124": ("show(stat(124), type(stat(124)))", ["/ string"]),
    # undocumented _set_fps (compat finding 6, PennDraken road_demo.p8
    # calls _set_fps(60) beside _update60): the loop's own rate is accepted
    "set_fps_same": ("show(_set_fps(30))", [""]),
    "set_fps_other": ("local ok, e = coresume(cocreate(function() _set_fps(60) end)) "
                      "local p = split(e, ': ', false) show(ok, p[#p - 1], p[#p])",
                      ["false not supported yet _set_fps(60) when the game loop runs at 30 fps"]),
    # the draw-state setters return the previous state (rp8's engine rule,
    # p8_pal.c; PICO-8 0.2.x returns the previous values)
    "draw_state_returns": ("show(color(3), color()) show(camera(5, 6)) show(camera()) "
                           "show(clip(1, 2, 3, 4)) show(clip()) show(cursor(7, 8, 9)) show(cursor(0, 0, 6)) "
                           "show(pal(1, 2), pal(1, 3, 1), pal()) show(palt(0x8000), palt()) "
                           "show(fillp(0x5a5a), fillp(1.5), fillp())",
                           ["6 3", "0 0", "5 6", "0 0 128 128", "1 2 3 4", "0 0 6", "7 8 9",
                            "1 1 0", "-32768 -32768", "0 23130 1.5"]),
    # rnd(tbl) picks tbl[flr(rnd(#tbl)) + 1] (manual, rnd), written once in the BIOS
    "rnd_table": ("srand(7) local a = rnd(100) srand(7) local t = {} for i = 1, 100 do t[i] = i * 2 end "
                  "show(rnd(t) == (flr(a) + 1) * 2, rnd({}), rnd(0), rnd() < 1, rnd('4') < 4)",
                  ["true [nil] 0 true true"]),
    # split: z8lua pull request 3 (checked on PICO-8): split(nil) gives
    # nothing, "1,,2," four pieces; the manual: numbers converted unless
    # convert is false, a number separator cuts pieces of that size
    "split": ("show(select('#', split()), #split('1,,2,'), split('1,,2,')[3] + 1) "
              "local t = split('ab12cd', 2) show(#t, t[1], t[2] + 1, t[3]) "
              "t = split('1:x:3', ':', false) show(type(t[1]), t[2]) show(#split('abc', ''), split('', ',')[1] == '')",
              ["0 4 3", "3 ab 13 cd", "string x", "3 true"]),
    # sub, chr, ord: Lua's string.sub/char/byte with PICO-8's number
    # arguments (manual, sub/chr/ord; issue 14 s3 ord(123) is nil)
    "sub_chr_ord": ("show(sub('hello', 2, 3), sub('hello', -3), sub('hello', 2.9), sub(12345, 2, '3'), "
                    "#sub('hello', 4, 2)) show(chr(104, 105, 256 + 33), #chr(), ord('abc', 2), ord(123), "
                    "ord('abc', 5)) show(ord('abcdef', 2, 4))",
                    ["el llo ello 23 0", "hi! 0 98 [nil]", "98 99 100 101"]),
    # the engine's argc forms (generated bindings, ret kind bool_or_num):
    # fget(n) is the flag byte, fget(n, f) a flag (manual, fget); btn() a
    # bitfield, btn(i) a button (manual, btn)
    "fget_btn_forms": ("fset(3, 0x85) show(fget(3), fget(3, 0), fget(3, 1), fget(3, 7), fget(), "
                       "btn(), btn(0), btnp(9), btn(0, 9))",
                       ["133 true false true 0 0 false false false"]),
    # printh(s, "@clip") copies s to the clipboard, stat(4) reads it back
    # (PICO-8 manual, printh; femto8's tests.p8 does it)
    "printh_clip": ("show(stat(4) == '') printh('Hello, world!', '@clip', true) show(stat(4))",
                    ["true", "Hello, world!"]),
    # type(x) == "name" (compiled as a tag test)
    "type_tests": ("local f = function() end local t = {} "
                   "show(type(nil) == 'nil', type(1) ~= 'number', type('a') == 'string', type(t) == 'table', "
                   "type(f) == 'function', type(cocreate(f)) == 'thread', type(print) == 'function', "
                   "'table' == type(t), type(true) == 'boolean', type(t) == 'tab')",
                   ["true false true true true true true true true false"]),
    # language primitives each runtime provides
    "pairs_nil": ("local n = 0 for k in pairs(nil) do n += 1 end show(n)", ["0"]),
    "select": ("show(select('#', 1, nil, 3), select(2, 'a', 'b', 'c'), select(-1, 'x', 'y'))",
               ["3 b y"]),
    "unpack_pack": ("local p = pack(1, nil, 3) show(p.n, unpack({1, 2, 3}, 2))", ["3 2 3"]),
    "rawlen": ("show(rawlen({1, 2, 3}), rawlen('abcd'))", ["3 4"]),
    # unpack gives up to 8192 values in both (LuaJIT's own stops near 8000)
    "unpack_8192": ("local t = {} for i = 1, 8193 do t[i] = i end "
                    "show(select('#', unpack(t, 2)), select(8192, unpack(t, 2))) show(unpack(t))",
                    ["8192 8193", "error: too many results to unpack"]),
    # peek/poke's many-value forms (aot/bios.lua): the count is flr(n) (a
    # numeric string its number), none for n <= 0; a nil value writes 0;
    # poke(addr) alone writes a 0; addresses wrap at 0xffff
    "peek_counts": ("poke(0x4300, 1, 2, 3) show(select('#', peek(0x4300, 0)), select('#', peek(0x4300, -3)), "
                    "select('#', peek2(0x4300, 2.9)), peek(0x4300, '2'))", ["0 0 2 1 2"]),
    "peek_poke_wide_many": ("poke4(0x4300, 1, 2.5) show(peek4(0x4300, 2)) poke2(0x4300, 5, -6, 7) "
                            "show(peek2(0x4300, 3)) show(peek('0x4300', 2)) show(peek(0x4300.9, 2))",
                            ["1 2.5", "5 -6 7", "5 0", "5 0"]),
    "poke_nil_values": ("poke(0x4300, 9, 9, 9, 9) poke(0x4300) poke(0x4301, 5, nil, 6) show(peek(0x4300, 4)) "
                        "poke2(0x4300, 9) poke2(0x4300) show(peek2(0x4300))", ["0 5 0 6", "0"]),
    "peek_poke_wrap": ("local k = peek(0) poke(0xffff, 1, 2) show(peek(0xffff, 2)) show(peek2(-1), %0xffff) "
                       "poke(0, k)", ["1 2", "513 513"]),
    # print (aot/bios.lua): print() is an empty line, print(nil) prints
    # "[nil]" (5 characters of 4 pixels), print(s, col) takes the colour
    # second; each returns the right-most x; numbers print through tostr
    # (the suite also records each print's text as a line)
    "print_forms": ("reset() cls() cursor(0, 0) print() local y1 = peek(0x5f27) local r = print(nil, 10, 20, 7) "
                    "local r2 = print('ab', 9) local c = peek(0x5f25) local r3 = print(1.5, 0, 40) "
                    "show(y1, r, r2, c, peek(0x5f27), r3) reset() cls()",
                    ["", "[nil]", "ab", "1.5", "6 30 18 9 46 12"]),
    # tline(bits): the engine takes 0 to 31 fraction bits
    "tline_precision_range": ("tline(13) tline(32)", ["error: not supported yet: tline precision outside "
                                                      "0-31 bits"]),
    "metatables": ("local mt = {__index = function(t, k) return k .. '!' end} "
                   "local t = setmetatable({}, mt) show(t.x, getmetatable(t) == mt, rawget(t, 'x'), "
                   "type(t), rawequal(t, t))",
                   ["x! true [nil] table true"]),
    "coroutines": ("local co = cocreate(function(a) local b = yield(a + 1) return b * 2 end) "
                   "show(coresume(co, 1)) show(coresume(co, 5)) show(costatus(co))",
                   ["true 2", "true 10", "dead"]),
    # as many live coroutines as a cart makes (PICO-8 counts only their
    # memory; compiled carts once stopped at 16, nuke.p8 keeps 20 or so)
    "coroutines_many": ("local cs = {} for i = 1, 300 do cs[i] = cocreate(function() yield(i % 7) return i % 5 end) end "
                        "local s = 0 for i = 1, 300 do local _, v = coresume(cs[i]) s += v end "
                        "for i = 1, 300 do local _, v = coresume(cs[i]) s += v end show(s, costatus(cs[300]))",
                        ["1503 dead"]),
    # pairs() and next() visit keys in one order in both consoles (LuaJIT
    # seeds its string hash per process): numbers ascending, strings in
    # byte order, false, true, then other keys (api_lua.lua, rt_lib.cpp)
    "pairs_order": ("local t = {} t.zeta = 1 t[5] = 2 t.alpha = 3 t[-1] = 4 t[true] = 5 t[0.5] = 6 "
                    "t[false] = 7 t.Beta = 8 t[100] = 9 t[1] = 10 t['a b'] = 11 t.beta = 12 "
                    "local s = '' for k, v in pairs(t) do s ..= tostr(k) .. '=' .. v .. ' ' end show(s)",
                    ["-1=4 0.5=6 1=10 5=2 100=9 Beta=8 a b=11 alpha=3 beta=12 zeta=1 false=7 true=5 "]),
    "pairs_order_array": ("local a = {} for i = 10, 1, -1 do a[i] = i * i end a[20] = 0 "
                          "local s = '' for k, v in pairs(a) do s ..= k .. ':' .. v .. ' ' end show(s)",
                          ["1:1 2:4 3:9 4:16 5:25 6:36 7:49 8:64 9:81 10:100 20:0 "]),
    "pairs_order_delete": ("local t = {x = 1, y = 2, z = 3, w = 4} local s = '' "
                           "for k, v in pairs(t) do if k == 'w' then t.y = nil t.x = nil end s ..= k end "
                           "show(s, t.y, t.z)",
                           ["wz [nil] 3"]),
    "next_order": ("local t = {c = 3, [2] = 'two', a = 1, b = 2, [1] = 'one'} local s = '' "
                   "local k, v = next(t) while k do s ..= tostr(k) .. ' ' if k == 'a' then t.a = nil end "
                   "k, v = next(t, k) end show(s, next({}))",
                   ["1 2 a b c  [nil]"]),
    "next_order_after_change": ("local t = {b = 1, a = 2} for k in pairs(t) do end t.c = 3 t[1] = 0 local s = '' "
                                "for k in next, t do s ..= k end local a = {7, 8, 9} "
                                "for k, v in next, a do s ..= ' ' .. k .. v end show(s)",
                                ["1abc 17 28 39"]),
}

# Every PICO-8 0.2.6 global exists (aot/api.py PICO8_GLOBALS, and the
# glyphs P8SCII 0x80-0x99); those rp8 does not do yet say so when called.
from aot.api import PICO8_GLOBALS, unsupported_rows  # noqa: E402

_NAMES = list(PICO8_GLOBALS) + [chr(c) for c in range(0x80, 0x9a)]
CASES["globals_exist"] = (
    "local miss = '' " + " ".join(f"if {n} == nil then miss = miss .. '{n} ' end" for n in _NAMES)
    + " show(miss == '', miss)",
    ["true "])
CASES["globals_not_supported_yet"] = (
    "local n = 0 " + " ".join(
        f"local ok, e = coresume(cocreate(function() {r.name}() end)) "
        f"if not ok and sub(e, -{len(r.name) + 21}) == 'not supported yet: {r.name}()' then n += 1 end"
        for r in unsupported_rows()) + " show(n)",
    [str(len(unsupported_rows()))])
CASES["inext"] = ("local t = {5, 6} show(inext(t, 0)) show(inext(t, 1)) show(inext(t, 2))",
                  ["1 5", "2 6", "[nil]"])
# a generic for over inext passes nil as the first index (shrinko8's test input does this)
CASES["inext_from_nil"] = ("local t, s = {5, 6}, 0 for i, v in inext, t do s += i * v end show(s)",
                           ["17"])

# The API edge-case table (tests/support/conformance_edges.py): one case per row,
# each row with its source.
from support.conformance_edges import EDGES  # noqa: E402

for _edge in EDGES:
    assert "edge_" + _edge.name not in CASES, _edge.name
    CASES["edge_" + _edge.name] = (_edge.code, _edge.want)

_PRELUDE = """
function show(...)
  local s = ""
  for i = 1, select("#", ...) do
    if i > 1 then s = s .. " " end
    s = s .. tostr((select(i, ...)))
  end
  printh(s)
end
"""


def _program() -> str:
    parts = [_PRELUDE]
    for name, (code, _want) in CASES.items():
        parts.append(f'printh("@{name}")')
        parts.append(f"do local ok, e = coresume(cocreate(function() {code} end)) "
                     "if not ok then printh('error: ' .. tostr(e)) end end")
    return "\n".join(parts) + "\n"


def _split(lines: list[str]) -> dict[str, list[str]]:
    """Each case's lines; an error's place (the line in the one program,
    which each console names its own way) is left out."""
    out: dict[str, list[str]] = {}
    cur: list[str] = []
    for ln in lines:
        if ln.startswith("@") and ln[1:] in CASES:
            cur = out.setdefault(ln[1:], [])
        else:
            cur.append(re.sub(r"^error: (?:\S+ tab \d+ )?line \d+: ", "error: ", ln))
    return out


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[str]]]:
    src = Source(_program(), "conformance.p8")
    lua = run_lua(src)
    assert lua.error is None, lua.error
    need_gxx()
    cpp, _res = run_cpp(src, tmp_path_factory.mktemp("conformance"))
    assert cpp.error is None, cpp.error
    return {"interpreter": _split(lua.lines), "compiled": _split(cpp.lines)}


@pytest.mark.parametrize("console", ["interpreter", "compiled"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_case(results: dict[str, dict[str, list[str]]], console: str, name: str) -> None:
    assert results[console].get(name) == CASES[name][1]


# API functions the edge table has no row for, and why: no source this
# project could find states their edge cases (or they need the console
# around the cart, which this one program does not have).
NOT_COVERED: dict[str, str] = {
    "cstore": "writes the cart: no sourced edge case that one program can observe",
    "next": "Lua's; not in the PICO-8 manual", "ipairs": "Lua's; not in the PICO-8 manual",
    "inext": "undocumented (see the inext cases above)",
    "unpack": "Lua's; not in the PICO-8 manual", "pack": "Lua's; not in the PICO-8 manual",
    "tostring": "Lua's, kept by PICO-8 0.2.5g+; unsourced edge cases",
    "flip": "needs the frame loop", "printh": "only printh(s, '@clip') is sourced (printh_clip)",
    "extcmd": "host effects only", "menuitem": "needs the pause menu",
    "load": "needs another cart", "run": "restarts the program", "stop": "ends the program",
    "holdframe": "undocumented", "_set_fps": "undocumented (see set_fps cases above)",
}


def test_every_api_function_has_an_edge_row_or_a_reason() -> None:
    """The edge table covers each function of aot/api.py that PICO-8 does
    (binding != unsupported), or NOT_COVERED says why not."""
    from aot.api import API

    covered = {f for e in EDGES for f in e.covers}
    names = {row.name for row in API if row.binding not in ("unsupported", "prim")}
    assert covered <= names | {"t"}, covered - names
    missing = names - covered - set(NOT_COVERED)
    assert not missing, sorted(missing)
    assert not covered & set(NOT_COVERED), sorted(covered & set(NOT_COVERED))
    assert all(e.source for e in EDGES)


SUNSET = """
function _draw()
 cls()
 pal({[0]=0,128+1,128+2,128+3,128+4,128+5,128+6,128+7,128+8,128+9,128+10,128+11,128+12,128+13,128+14,128+15},1)
 for i=0,15 do rectfill(i*8,0,i*8+7,127,i) end
end
"""


@pytest.mark.parametrize("aot", [False, True])
def test_sunset_secret_palette_screen(aot: bool) -> None:
    """The screen shows the secret colours (index 16 + c in the display
    palette of `indices()`) from the first frame, in both consoles."""
    con = console_from_code(SUNSET, aot)
    assert con.step([0] * 8) == "frame"
    shown = con.indices()
    for c in range(16):
        want = 0 if c == 0 else 16 + c     # secret colour c: display index 16 + c
        assert shown[c * 8] == shown[127 * 128 + c * 8 + 7] == want, (c, shown[c * 8])


FOREACH_BOMB = """
local mt={__call=foreach} local g=setmetatable({},mt) g[1]=g
local n=setmetatable({},mt)
for d=1,12 do local m=setmetatable({},mt) for i=1,8 do m[i]=n end n=m end
function _draw() cls() n(g) end
"""


@pytest.mark.parametrize("aot", [False, True])
def test_runaway_library_work_is_stopped(aot: bool) -> None:
    """Issue #15 finding 1: foreach through __call chains did unbounded
    work no counter saw. The BIOS is counted like cart code, so the
    per-frame unit limit stops it in both consoles."""
    from console.desktop.frameloop import Options

    opts = Options(seed=0, fixed_clock=True, printh=lambda s: None, max_frame_units=4_000_000)
    if aot:
        need_gxx()
        from console.desktop.aot_player import AotConsole
        con = AotConsole.from_code(FOREACH_BOMB, options=opts)
    else:
        from console.desktop.frameloop import Console
        con = Console.from_code(FOREACH_BOMB, options=opts)
    kinds = [con.step([0] * 8) for _ in range(3)]
    assert "error" in kinds, kinds
    assert "CPU units" in con.error.message


def test_library_work_is_counted_the_same() -> None:
    """foreach over 500 items counts its own units, equally in both consoles."""
    code = ("t = {} for i = 1, 500 do t[i] = i end\n"
            "function _update() foreach(t, function(v) end) end\n")
    lua, aot = console_from_code(code, False), console_from_code(code, True)
    for _ in range(3):
        lua.step([0] * 8)
        aot.step([0] * 8)
    a, b = cpu_counts(lua), cpu_counts(aot)
    assert a == b
    empty = console_from_code("t = {} for i = 1, 500 do t[i] = i end\nfunction _update() end\n", False)
    for _ in range(3):
        empty.step([0] * 8)
    assert a[0] - cpu_counts(empty)[0] >= 3 * 500 * 10


@pytest.mark.parametrize("aot", [False, True])
def test_string_index_error_names_the_cart_line(aot: bool) -> None:
    """The BIOS's __index_string raises; both consoles name the cart line
    that indexed the string, not the BIOS."""
    con = console_from_code('s = "abc"\nfunction _update()\n x = s.y\nend\n', aot)
    assert con.step([0] * 8) == "error"
    assert con.error.message == "test.p8 tab 0 line 3: attempt to index a string value with key 'y'"
