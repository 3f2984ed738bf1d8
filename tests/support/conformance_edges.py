"""The API edge-case table (issue 14, section 3): for the functions of
aot/api.py, what PICO-8 does with missing, nil, wrong-typed, extra,
out-of-range and fractional arguments, and what each call returns.

Every row says where its expected output comes from; a row is here only
when a source states it. Sources, by the short names used below:
  manual   PICO-8 User Manual v0.2.6b (lexaloffle.com/pico-8.php?page=resources)
  wiki     pico-8.fandom.com/wiki/<Page> (the page is named)
  femto8   femto8 carts/tests.p8 (test_case name given): its expectations
  zepto8   zepto8 t/<file>.p8 fixture (name given)
  picopico PicoPico tests/regression/api.p8
  tac08    tac08 tests/apitest1.p8
  bbs N    lexaloffle BBS post (pid / tid N), real PICO-8 output quoted there
Where no source says what happens (for example max(nil), chr() with no
argument, the return values of cursor/palt/fillp) there is no row;
NOT_COVERED in tests/suites/test_conformance.py names the functions with none.

tests/suites/test_conformance.py runs every row, as one of its cases, in both
consoles (interpreter and compiled C++). `show(...)` prints its arguments
with tostr, separated by spaces; each row's code runs in its own
coroutine, so an error is a printed "error: ..." line. Rows that draw or
set draw state begin with reset() (manual: RESET() restores the draw
state 0x5f00..0x5f7f) or set what they read."""
from __future__ import annotations

from typing import NamedTuple


class Edge(NamedTuple):
    name: str
    covers: tuple[str, ...]      # the API functions whose behaviour the row states
    code: str
    want: list[str]
    source: str


EDGES: list[Edge] = [
    # ------------------------------------------------------------ draw state
    Edge("color_returns_previous", ("color",),
         "color(5) local a = color(3) local b = color() show(a, b, peek(0x5f25))",
         ["5 3 6"], "wiki Color: the previous color is returned; manual COLOR: no COL sets 6"),
    Edge("camera_returns_previous", ("camera",),
         "camera(5, -6) show(camera(7, 8)) show(camera()) show(camera())",
         ["5 -6", "7 8", "0 0"], "wiki Camera: return-value is the previous x,y; manual CAMERA() resets"),
    Edge("camera_draw_state", ("camera",),
         "camera(-10, -10) show(peek2(0x5f28), peek2(0x5f2a)) camera()",
         ["-10 -10"], "femto8 camera_to_draw_state; wiki Camera 0x5f28..0x5f2b"),
    Edge("clip_returns_previous", ("clip",),
         "clip(1, 2, 3, 4) show(clip(5, 6, 7, 8)) show(clip()) show(clip())",
         ["1 2 3 4", "5 6 7 8", "0 0 128 128"],
         "wiki Clip: return-value is the previous x,y,w,h; clip() resets (0.2.0d)"),
    Edge("clip_draw_state", ("clip",),
         "clip(7, 11, 32, 40) show(peek(0x5f20), peek(0x5f21), peek(0x5f22), peek(0x5f23)) clip()",
         ["7 11 39 51"], "femto8 clip_to_draw_state; wiki Clip (x_end, y_end)"),
    Edge("clip_previous_intersects", ("clip",),
         "clip(20, 20, 10, 10) clip(5, 5, 50, 50, true) show(clip())",
         ["20 20 10 10"], "wiki Clip: clip_previous clips the new rectangle to the old; femto8 clip_previous"),
    Edge("clip_limits_drawing", ("clip", "pset", "pget"),
         "reset() cls() pset(0, 0, 1) clip(20, 20, 10, 10) pset(0, 0, 2) pset(25, 25, 2) clip() "
         "show(pget(0, 0), pget(25, 25))",
         ["1 2"], "femto8 clip, clip_ok"),
    Edge("clip_empty", ("clip", "pset", "pget"),
         "reset() cls() pset(0, 0, 1) clip(0, 0, 0, 0) pset(0, 0, 2) clip() show(pget(0, 0))",
         ["1"], "femto8 clip_empty"),
    Edge("cls_resets_clip", ("cls", "clip"),
         "clip(1, 1, 2, 2) cls() show(clip())",
         ["0 0 128 128"], "manual CLS: clears the screen and resets the clipping rectangle; wiki Clip"),
    Edge("cls_colour", ("cls",),
         "reset() cls(7) local a = pget(0, 0) cls() show(a, pget(0, 0), pget(127, 127))",
         ["7 0 0"], "manual CLS: COL defaults to 0; femto8 cls, cls_col"),
    Edge("cursor_draw_state", ("cursor",),
         "cursor(77, 55) show(peek(0x5f26), peek(0x5f27)) cursor(34, 66, 11) show(peek(0x5f25)) reset()",
         ["77 55", "11"], "manual CURSOR: COL also sets the colour; femto8 cursor_to_draw_state, "
         "cursor_col_to_draw_state"),
    Edge("pal_reset_all", ("pal",),
         "pal(9, 8) pal(9, 4, 1) pal() show(peek(0x5f09), peek(0x5f19))",
         ["9 9"], "manual PAL: PAL() resets all palettes"),
    Edge("pal_reset_one", ("pal",),
         "pal() pal(9, 8) pal(9, 4, 1) pal(1) show(peek(0x5f09), peek(0x5f19)) pal()",
         ["8 9"], "manual PAL: PAL(P) resets one palette"),
    Edge("pal_table", ("pal",),
         "pal() pal({[12]=9, [14]=8}) show(peek(0x5f0c), peek(0x5f0e), peek(0x5f0d)) pal()",
         ["9 8 13"], "manual PAL(TBL, [P]); femto8 pal_table"),
    Edge("pal_table_keys_mod_16", ("pal",),
         "pal() pal({[16] = 5, [17] = 9, [-1] = 4}) show(peek(0x5f00) & 15, peek(0x5f01), peek(0x5f0f)) "
         "pal({1, 1, 5, 5, 5, 6, 7, 13, 6, 7, 7, 6, 13, 6, 7, 1}, 1) show(peek(0x5f10), peek(0x5f11), peek(0x5f1f)) "
         "pal()",
         ["5 9 4", "1 1 7"], "wiki Pal: table keys outside 0..15 are taken modulo 16; manual PAL(TBL): "
         "\"colour 0 is given at the end\" of a 16-entry table"),
    Edge("pal_resets_transparency", ("pal", "palt", "spr", "sset"),
         "reset() sset(0, 0, 0) sset(1, 0, 8) palt(8, true) palt(0, false) pal() cls(5) spr(0, 0, 0) "
         "show(pget(0, 0), pget(1, 0)) sset(1, 0, 0)",
         ["5 8"], "wiki Pal and manual PAL(): pal() also resets transparency, as palt() does"),
    Edge("pal_draws", ("pal", "pset", "pget"),
         "reset() pal(9, 8) pset(0, 0, 9) pal(9, 9) local a = pget(0, 0) pal(9, 8, 1) pset(1, 0, 9) pal() "
         "show(a, pget(1, 0))",
         ["8 9"], "manual PAL 0 draw palette, 1 display palette; femto8 pal_draw, pal_display"),
    Edge("palt_bitfield", ("palt", "spr", "sset"),
         "reset() sset(0, 0, 0) sset(1, 0, 1) sset(2, 0, 2) palt(0b1100000000000000) cls(5) spr(0, 0, 0) "
         "show(pget(0, 0), pget(1, 0), pget(2, 0)) palt()",
         ["5 5 2"], "manual PALT: one argument is a bitfield, 0b11 << 14 makes colours 0 and 1 "
         "transparent; femto8 palt"),
    Edge("palt_reset", ("palt", "spr", "sset"),
         "reset() sset(0, 0, 0) sset(1, 0, 8) palt(8, true) palt(0, false) palt() cls(5) spr(0, 0, 0) "
         "show(pget(0, 0), pget(1, 0))",
         ["5 8"], "manual PALT(): all colours opaque except colour 0"),
    Edge("fillp_pattern", ("fillp", "rectfill"),
         "reset() cls() fillp(0b1010101010100000) rectfill(1, 1, 10, 10, 0x4e) show(pget(1, 1), pget(2, 1)) "
         "fillp()",
         ["14 4"], "manual FILLP (second colour in the high bits); femto8 fillp"),
    Edge("fillp_transparent", ("fillp", "rectfill"),
         "reset() cls() fillp(0b1010101010100000.1) rectfill(1, 1, 10, 10, 0x4e) show(pget(1, 1), pget(2, 1)) "
         "fillp()",
         ["14 0"], "manual FILLP 0b0.100 transparency; femto8 fillp_transparency"),
    Edge("fillp_glyph", ("fillp", "rectfill"),
         "reset() cls() fillp(▒) rectfill(1, 1, 10, 10, 0x4e) show(pget(1, 1), pget(2, 1)) fillp()",
         ["14 0"], "femto8 fillp_symbol"),
    Edge("fillp_in_colour", ("fillp", "rectfill"),
         "reset() cls() poke(0x5f34, 0x3) rectfill(1, 1, 10, 10, 0x104e.aaaa) show(pget(1, 1), pget(2, 1)) "
         "reset()",
         ["14 4"], "manual FILLP: pattern in the colour argument with 0x5f34; femto8 fillp_color"),
    Edge("camera_does_not_move_clip", ("camera", "clip"),
         "reset() cls() pset(10, 10, 1) pset(0, 0, 2) clip(7, 7, 5, 5) camera(10, 10) pset(10, 10, 3) camera() "
         "clip() local a, b = pget(0, 0), pget(10, 10) clip(0, 0, 5, 5) camera(10, 10) pset(10, 10, 3) camera() "
         "clip() show(a, b, pget(0, 0))",
         ["2 1 3"], "femto8 camera_clip1, camera_clip3 (the clip rectangle is in screen pixels)"),
    Edge("fillp_secondary_palette", ("fillp", "pal", "rectfill"),
         "reset() cls() for i = 0, 15 do pal(i, i + i * 16, 2) end pal(2, 0x87, 2) "
         "fillp(0b1010101010100000.001) rectfill(0, 0, 10, 10, 1) rectfill(20, 0, 30, 10, 2) "
         "show(pget(0, 0), pget(20, 0), pget(21, 0)) reset()",
         ["1 8 7"], "manual FILLP 0b0.001 applies the secondary palette globally; femto8 fillp_global_2nd"),
    Edge("print_attributes", ("print",),
         "reset() cls(2) poke(0x5f58, 1 | 0x10) print('oo', 0, 0) local a = pget(0, 0) cls(2) "
         "poke(0x5f58, 1 | 0x20) color(3) print('oo', 0, 0) show(a, pget(0, 0)) reset() cls()",
         ["oo", "oo", "0 3"], "femto8 print_attributes_solid_background, print_attributes_invert"),
    Edge("print_scrolls", ("print",),
         "reset() cls() local ys = '' for i = 1, 22 do print('l') ys ..= peek(0x5f27) .. ',' end show(ys) "
         "poke(0x5f36, 0x40) cls() for i = 1, 22 do print('l') end show(peek(0x5f27)) reset() cls()",
         ["l"] * 22 + ["6,12,18,24,30,36,42,48,54,60,66,72,78,84,90,96,102,108,114,120,120,120,"]
         + ["l"] * 22 + ["132"],
         "manual PRINT: below 122 the console scrolls, unless POKE(0x5f36, 0x40); femto8 print_scroll, "
         "print_no_scroll"),
    Edge("print_types", ("print", "tostr"),
         "local function same(v, s) cls() print(v, 0, 0) local a = {} for i = 0, 511 do a[i] = peek4(0x6000 + i * 4) end "
         "cls() print(s, 0, 0) for i = 0, 511 do if a[i] != peek4(0x6000 + i * 4) then return false end end return true end "
         "reset() show(same(false, 'false'), same(true, 'true'), same(1, '1'), same(nil, '[nil]'), same({}, '[table]'), "
         "same(cos, '[function]'), same(cocreate(cos), '[thread]')) cls()",
         ["false", "false", "true", "true", "1", "1", "[nil]", "[nil]", "[table]", "[table]", "[function]",
          "[function]", "[thread]", "[thread]", "true true true true true true true"],
         "zepto8 print.p8 t2.01..t3.04 (print draws these as the named strings)"),
    Edge("reset_hardware_state", ("reset",),
         "poke(0x5f58, 0x81, 0x55, 7, 9) poke(0x5f54, 0x60, 0x60, 0x10, 64) reset() "
         "show(peek(0x5f58, 4)) show(peek(0x5f54, 4))",
         ["0 0 0 0", "0 96 32 128"],
         "manual RESET(): RAM 0x5f00..0x5f7f to defaults; manual remapping: 0x5f54 default 0x00, 0x5f55 0x60, "
         "0x5f56 0x20, 0x5f57 128"),
    Edge("reset_draw_state", ("reset",),
         "camera(5, 5) clip(1, 1, 2, 2) pal(1, 2) fillp(0x5a5a) reset() "
         "show(peek2(0x5f28), peek(0x5f20), peek(0x5f22), peek(0x5f01), peek2(0x5f31))",
         ["0 0 128 1 0"], "manual RESET(): palette, camera, clipping and fill pattern to defaults"),

    # ------------------------------------------------------------ pixels, sprites, map
    Edge("color_through_draw_palette", ("color", "pal", "pset"),
         "reset() cls() pal(7, 10) color(7) pset(0, 0) show(pget(0, 0)) reset()",
         ["10"], "wiki Color: color() honors the palette set by pal()"),
    Edge("cls_homes_cursor", ("cls", "cursor"),
         "cursor(50, 60) cls() show(peek(0x5f26), peek(0x5f27))",
         ["0 0"], "wiki Cursor (2020 revision): calling cls() effectively also calls cursor(0, 0)"),
    Edge("pset_pen_colour", ("pset", "color"),
         "reset() cls() color(10) pset(3, 3) show(pget(3, 3)) poke(0x5f25, 11) pset(4, 4) show(pget(4, 4))",
         ["10", "11"], "manual PSET: without COL the current colour; femto8 color_from_draw_state"),
    Edge("pset_fractional_colour", ("pset", "pget"),
         "reset() cls() pset(3, 7, 3 * 7 / 8) show(pget(3, 7))",
         ["2"], "manual PSET example PSET(X, Y, X*Y/8); femto8 pset_pget"),
    Edge("pset_out_of_bounds", ("pset", "pget"),
         "reset() cls() pset(-10, -10, 7) pset(128, 0, 7) show(pget(-10, -10), pget(128, 0), pget(127, 0))",
         ["0 0 0"], "manual PGET: out of bounds returns 0; femto8 pset_out_of_bounds"),
    Edge("pget_custom_default", ("pget",),
         "poke(0x5f36, 0x10) poke(0x5f5b, 4) local a = pget(-10, -10) reset() show(a, pget(-10, -10))",
         ["4 0"], "manual PGET: POKE(0x5f36, 0x10) POKE(0x5f5b, NEWVAL); femto8 pget_out_of_bounds_value"),
    Edge("pget_screen_memory", ("pget", "pset"),
         "reset() cls() poke(0x6000 + 2 * 64 + 25, 0x74) show(pget(50, 2), pget(51, 2)) pset(50, 2, 7) "
         "pset(51, 2, 4) show(peek(0x6000 + 2 * 64 + 25))",
         ["4 7", "71"], "manual memory layout (low bits = left pixel); femto8 pget_screen_mem, pset_screen_mem"),
    Edge("sget_sset", ("sget", "sset"),
         "sset(3, 7, 21 / 8) show(sget(3, 7), sget(-10, -10), sget(128, 0)) sset(-10, -10, 7) "
         "poke(0x5f36, 0x10) poke(0x5f59, 21) show(sget(-10, -10)) reset()",
         ["2 0 0", "21"], "manual SGET: out of bounds 0, custom value at 0x5f59; femto8 sset_sget, "
         "sget_out_of_bounds, sget_out_of_bounds_value"),
    Edge("fget_fset_forms", ("fget", "fset"),
         "fset(2, 0) fset(2, 1 | 2 | 8) fset(2, 4, true) show(fget(2), fget(2, 4), fget(2, 2)) "
         "fset(2, 0, false) show(fget(2))",
         ["27 true false", "26"], "manual FGET/FSET example (27); femto8 fset_fget_bitfield"),
    Edge("fget_all_bytes", ("fget", "fset"),
         "local bad = 0 for n = 0, 255 do fset(n, n) end for n = 0, 255 do if fget(n) != n then bad += 1 end end "
         "for n = 0, 255 do fset(n, band(n, 7), false) fset(n, band(n + 1, 7), true) end "
         "for n = 0, 255 do if fget(n, band(n, 7)) != false or fget(n, band(n + 1, 7)) != true then bad += 1 end end "
         "show(bad)",
         ["0"], "tac08 apitest1 test1, test2"),
    Edge("mget_mset", ("mget", "mset"),
         "mset(0, 0, 42) show(mget(0, 0), mget(-10, -10), mget(128, 64)) poke(0x5f36, 0x10) poke(0x5f5a, 83) "
         "show(mget(-10, -10)) reset() mset(0, 0, 0)",
         ["42 0 0", "83"], "manual MGET: out of bounds 0, custom value at 0x5f5a; femto8 mget_mset_map, "
         "mget_out_of_bounds_value"),
    Edge("map_no_arguments", ("map",),
         "reset() map() show('ok')",
         ["ok"], "picopico test_map_no_args; manual MAP: TILE_W/H default to the whole map"),
    Edge("map_skips_sprite_0", ("map", "mset", "sset"),
         "reset() sset(0, 0, 7) sset(8, 0, 9) mset(0, 0, 0) mset(1, 0, 1) cls() map(0, 0, 0, 0, 2, 1) "
         "show(pget(0, 0), pget(8, 0)) poke(0x5f36, 0x8) cls() map(0, 0, 0, 0, 2, 1) show(pget(0, 0)) "
         "reset() mset(1, 0, 0) sset(0, 0, 0) sset(8, 0, 0)",
         ["0 9", "7"], "manual MAP: sprite 0 is empty and not drawn, unless POKE(0x5F36, 0x8)"),
    Edge("map_layers", ("map", "mset", "fset", "sset"),
         "reset() sset(8, 0, 9) sset(16, 0, 10) fset(1, 0) fset(2, 0b101) mset(0, 0, 1) mset(1, 0, 2) cls() "
         "map(0, 0, 0, 0, 2, 1, 0x5) show(pget(0, 0), pget(8, 0)) "
         "mset(0, 0, 0) mset(1, 0, 0) sset(8, 0, 0) sset(16, 0, 0) fset(2, 0)",
         ["0 10"], "manual MAP: LAYERS 0x5 draws only sprites with flag 0 and 2"),
    Edge("spr_flip", ("spr", "sset"),
         "reset() sset(8, 0, 3) sset(8, 7, 4) cls() spr(1, 0, 0) local a, b = pget(0, 0), pget(0, 7) "
         "cls() spr(1, 0, 0, 1, 1, true) local c = pget(7, 0) cls() spr(1, 0, 0, 1, 1, false, true) "
         "show(a, b, c, pget(0, 0), pget(0, 7)) sset(8, 0, 0) sset(8, 7, 0)",
         ["3 4 3 4 3"], "manual SPR: W, H default 1; FLIP_X / FLIP_Y flip; femto8 spr_hflip, spr_vflip"),
    Edge("spr_transparent_0", ("spr", "sset"),
         "reset() sset(8, 0, 0) sset(9, 0, 5) cls(7) spr(1, 0, 0) show(pget(0, 0), pget(1, 0)) sset(9, 0, 0)",
         ["7 5"], "manual SPR: colour 0 drawn as transparent by default"),
    Edge("sspr_default_size", ("sspr", "sset"),
         "reset() sset(8, 0, 3) sset(15, 7, 4) cls() sspr(8, 0, 8, 8, 10, 10) local a, b = pget(10, 10), pget(17, 17) "
         "cls() sspr(8, 0, 8, 8, 0, 0, 16, 16) show(a, b, pget(1, 1), pget(2, 2), pget(15, 15)) "
         "sset(8, 0, 0) sset(15, 7, 0)",
         ["3 4 3 0 4"], "manual SSPR: dw, dh default to sw, sh; stretch to the destination; femto8 sspr"),
    Edge("sspr_flip", ("sspr", "sset"),
         "reset() sset(8, 0, 3) sset(8, 7, 4) cls() sspr(8, 0, 8, 8, 0, 0, 8, 8, true) local a = pget(7, 0) "
         "cls() sspr(8, 0, 8, 8, 0, 0, 8, 8, false, true) show(a, pget(0, 7), pget(0, 0)) sset(8, 0, 0) sset(8, 7, 0)",
         ["3 3 4"], "manual SSPR: FLIP_X / FLIP_Y; femto8 sspr_hflip, sspr_vflip"),
    Edge("spr_several_tiles", ("spr", "sset"),
         "reset() sset(8, 0, 3) sset(16, 0, 5) sset(8, 8, 6) cls() spr(1, 0, 0, 2, 1) local a, b, c = pget(0, 0), "
         "pget(8, 0), pget(0, 8) cls() spr(1, 0, 0, 1, 2) show(a, b, c, pget(0, 8)) sset(8, 0, 0) sset(16, 0, 0) "
         "sset(8, 8, 0)",
         ["3 5 0 6"], "manual SPR: W, H sprites wide and high; femto8 spr_tiled"),
    Edge("map_example", ("map", "mset", "sset"),
         "reset() sset(8, 0, 9) mset(1, 1, 1) cls() map(0, 0, 20, 20, 4, 2) show(pget(28, 28), pget(20, 20)) "
         "mset(1, 1, 0) sset(8, 0, 0)",
         ["9 0"], "manual MAP example: MAP(0, 0, 20, 20, 4, 2) draws 4x2 tiles from 0,0 at 20,20"),
    Edge("colour_argument_sets_pen", ("rectfill", "line", "color"),
         "reset() cls() color(5) rectfill(0, 0, 1, 1, 9) local a = peek(0x5f25) line(0, 0, 1, 1, 10) "
         "show(a, peek(0x5f25)) reset()",
         ["9 10"], "wiki Color: an explicit color argument to a graphics function changes the draw color"),
    Edge("print_colour_form", ("print",),
         "reset() cls() print('x', 12) show(peek(0x5f25), pget(0, 0) == 12 or pget(1, 0) == 12) reset() cls()",
         ["x", "12 true"], "manual PRINT(STR, [COL]): print and set the draw colour to COL"),
    Edge("tline_defaults_and_precision", ("tline", "mset", "sset"),
         "reset() for i = 0, 7 do sset(8 + i, 0, 8 + i) end mset(0, 0, 1) cls() tline(0, 0, 7, 0, 0, 0) "
         "local s = '' for x = 0, 7 do s ..= pget(x, 0) .. ',' end "
         "tline(16) cls() tline(0, 0, 7, 0, 0, 0, 1, 0) local p = '' for x = 0, 7 do p ..= pget(x, 0) .. ',' end "
         "tline(13) show(s) show(p) mset(0, 0, 0) for i = 0, 7 do sset(8 + i, 0, 0) end",
         ["8,9,10,11,12,13,14,15,", "8,9,10,11,12,13,14,15,"],
         "manual TLINE: MDX, MDY default 0.125, 0 (in tiles); TLINE(16) makes MX..MDY pixels; 13 bits by default"),
    Edge("line_end_points", ("line",),
         "reset() cls() color(2) line() line(20, 20) local a = pget(20, 20) color(3) line(5, 5) "
         "show(a, pget(20, 20), pget(5, 5), pget(12, 12))",
         ["0 3 3 3"], "manual LINE: LINE() then LINE(X1, Y1) only sets the end point; femto8 line_end_points"),
    Edge("line_both_ends", ("line",),
         "reset() cls() line(90, 90, 80, 30, 3) show(pget(90, 90), pget(80, 30), pget(80, 31))",
         ["3 3 3"], "femto8 line"),
    Edge("rect_rectfill", ("rect", "rectfill"),
         "reset() cls() rect(1, 1, 126, 126, 6) local a = pget(0, 0) .. pget(1, 1) .. pget(126, 126) .. pget(2, 2) "
         "cls() rectfill(1, 1, 126, 126, 6) show(a, pget(0, 0), pget(1, 1), pget(126, 126), pget(64, 64), "
         "pget(127, 127))",
         ["0660 0 6 6 6 0"], "manual RECT/RECTFILL: corners inclusive; femto8 rect, rectfill"),
    Edge("circ_negative_radius", ("circ", "circfill"),
         "reset() cls() circfill(64, 64, -1, 7) circ(64, 64, -3, 7) show(pget(64, 64), pget(61, 64))",
         ["0 0"], "manual CIRC: if r is negative, the circle is not drawn"),
    Edge("circ_pen_and_extent", ("circ", "circfill", "color"),
         "reset() cls() color(9) circ(50, 40, 20) local a = pget(50, 40) .. pget(50, 20) .. pget(50, 19) "
         ".. pget(70, 40) .. pget(71, 40) cls() circfill(50, 40, 20, 9) "
         "show(a, pget(50, 40), pget(50, 60), pget(50, 61), pget(30, 40), pget(31, 21))",
         ["09090 9 9 0 9 0"], "femto8 circ, circfill_col"),
    Edge("oval_ovalfill", ("oval", "ovalfill"),
         "reset() cls() oval(40, 30, 80, 60, 7) local a = pget(60, 45) .. pget(40, 30) .. pget(60, 30) .. pget(40, 45) "
         "cls() ovalfill(40, 30, 80, 60, 7) show(a, pget(60, 45), pget(80, 60), pget(60, 60), pget(80, 45))",
         ["0077 7 0 7 7"], "femto8 oval, ovalfill"),
    Edge("rrect_rrectfill", ("rrect", "rrectfill"),
         "reset() cls() rrect(1, 1, 126, 126, 20, 6) local a = pget(6, 6) .. pget(8, 8) .. pget(64, 64) "
         "cls() rrectfill(1, 1, 126, 126, 20, 6) show(a, pget(6, 6), pget(8, 8), pget(64, 64))",
         ["000 0 6 6"], "femto8 rrect, rrectfill"),
    Edge("print_returns_right_x", ("print",),
         "reset() show(print('hoge', 0, -20))",
         ["hoge", "16"], "manual PRINT: returns the right-most x; W = PRINT(\"HOGE\", 0, -20) -- 16; femto8 print_width"),
    Edge("print_cursor", ("print", "cursor"),
         "reset() cls() print('line') local y = peek(0x5f27) print('hoge\\0') local x2, y2 = peek(0x5f26), peek(0x5f27) "
         "cursor(50) print('line') show(y, x2, y2, peek(0x5f26)) reset()",
         ["line", "hoge\x00", "line", "6 16 6 50"], "manual PRINT: a newline unless the string ends in \\0; femto8 "
         "print_cursor_to_draw_state, print_no_newline, print_left_margin_cursor"),
    Edge("print_colour", ("print",),
         "reset() cls() color(9) print('hello, world!', 28, 16) local a = pget(28, 16) cursor(80, 50) color(11) "
         "print('hello') show(a, pget(80, 50), peek(0x5f25)) reset()",
         ["hello, world!", "hello", "9 11 11"], "femto8 print_xy, cursor_print"),

    # ------------------------------------------------------------ memory
    Edge("peek_poke_many", ("peek", "poke"),
         "poke(0x4300, 1, 2, 3, 0xff) show(peek(0x4300, 4)) show(select('#', peek(0x4300, 3)), peek(0x4300))",
         ["1 2 3 255", "3 1"], "manual PEEK(ADDR, [N]) returns N results; POKE writes each value; femto8 peek, "
         "poke_ff"),
    Edge("peek_at_most_8192", ("peek",),
         "local a = {peek(0x4300, 8192)} poke(0x4300, 9) poke(0x4300 + 8191, 7) local b = {peek(0x4300, 8192)} "
         "show(select('#', peek(0x4300, 8192)), select('#', peek(0, 9000)), #a, b[1], b[8192], b[8193])",
         ["8192 8192 8192 9 7 [nil]"], "manual PEEK: N results (max: 8192)"),
    Edge("memory_remapping", ("sset", "pset", "sget"),
         "reset() cls() poke(0x5f54, 0x60) sset(0, 0, 7) sset(1, 0, 0) local a = peek(0x6000) reset() "
         "local keep = peek(0) poke(0x5f55, 0) pset(0, 0, 7) pset(1, 0, 0) local b = peek(0) reset() poke(0, keep) "
         "show(a, b)",
         ["7 7"], "manual remapping: 0x5f54 = 0x60 uses the screen as the sprite sheet, 0x5f55 = 0x00 the "
         "sprite sheet as the screen; femto8 gfx_0x60, screen_0x0"),
    Edge("peek_operators", ("peek", "peek2", "peek4", "poke"),
         "poke(0x4300, 0x12, 0x34, 0x56, 0x78) show(tostr(peek2(0x4300), 1), tostr(%0x4300, 1), "
         "tostr(peek4(0x4300), 1), tostr($0x4300, 1), @0x4301)",
         ["0x3412.0000 0x3412.0000 0x7856.3412 0x7856.3412 52"],
         "manual PEEK2/PEEK4 little-endian and @ % $; femto8 peek2, peek4, peek4_alt"),
    Edge("poke2_poke4", ("poke2", "poke4"),
         "poke2(0x4300, 0xcdab) poke4(0x4302, 0x7856.3412) show(peek(0x4300, 6))",
         ["171 205 18 52 86 120"], "manual POKE2/POKE4 little-endian; femto8 poke2, poke4"),
    Edge("peek2_unaligned", ("peek2", "poke"),
         "poke(0x4300, 0xab, 0xcd, 0xef) show(tostr(peek2(0x4301), 1))",
         ["0xefcd.0000"], "manual: ADDR does not need to be aligned to 2 or 4-byte boundaries"),
    Edge("memcpy_overlapping", ("memcpy",),
         "poke(0x4300, 1, 2, 3, 4) memcpy(0x4301, 0x4300, 3) show(peek(0x4300, 4)) "
         "poke(0x4300, 1, 2, 3, 4) memcpy(0x4300, 0x4301, 3) show(peek(0x4300, 4))",
         ["1 1 2 3", "2 3 4 4"], "manual MEMCPY: sections can be overlapping"),
    Edge("memset_screen", ("memset",),
         "reset() memset(0x6000, 0xc8, 0x1000) show(pget(0, 0), pget(1, 0), pget(0, 63), pget(0, 64)) cls()",
         ["8 12 8 0"], "manual MEMSET example (half of video memory with 0xC8); femto8 memset"),
    Edge("reload_from_rom", ("reload",),
         "local a = peek(5) poke(5, a + 1) reload(5, 5, 1) show(peek(5) == a)",
         ["true"], "manual RELOAD: same as MEMCPY, but copies from cart rom; femto8 reload"),

    # ------------------------------------------------------------ math
    Edge("min_max_mid", ("min", "max", "mid"),
         "show(max(4, 9), max(-2, -7), max(2, -7), min(4, 9), min(-2, -7), min(2, -7), mid(7, 5, 10))",
         ["9 -2 2 4 -7 -7 7"], "manual MAX/MIN/MID; femto8 max*, min*, mid"),
    Edge("mid_any_order", ("mid",),
         "show(mid(10, 5, 7), mid(5, 10, 7), mid(7, 10, 5), mid(-1, 0, 1))",
         ["7 7 7 0"], "manual MID: the middle value of the parameters"),
    Edge("flr_ceil", ("flr", "ceil"),
         "show(flr(4.1), flr(-2.3), ceil(4.1), ceil(-2.3), 9 \\ 2)",
         ["4 -3 5 -2 4"], "manual FLR, CEIL and integer division examples"),
    Edge("sgn_zero", ("sgn",),
         "show(sgn(0), sgn(-0.5), sgn(3))",
         ["1 -1 1"], "manual: SGN(0) returns 1"),
    Edge("trig", ("sin", "cos", "atan2"),
         "show(sin(0.25), cos(0), atan2(0, -1), sin(0), cos(0.5))",
         ["-1 1 0.25 0 -1"], "manual SIN(0.25) is -1 (inverted), ATAN2(0, -1) is 0.25; femto8 cos, sin, atan2"),
    Edge("sqrt_abs", ("sqrt", "abs"),
         "show(sqrt(9), abs(-5), abs(5))",
         ["3 5 5"], "manual SQRT, ABS; femto8 sqrt, abs"),
    Edge("abs_min_number", ("abs",),
         "show(tostr(abs(0x8000), 1), tostr(abs(0x8000.0001), 1), tostr(abs(-1.3), 1))",
         ["0x7fff.ffff 0x7fff.ffff 0x0001.4ccc"],
         "shrinko8 test_compare/const.p8.printh (real PICO-8 output): abs saturates at 0x7fff.ffff"),
    Edge("bitwise_functions", ("band", "bor", "bxor", "bnot"),
         "show(band(0b1010, 0b0110), bor(0b1001, 0b1010), bxor(0b101, 0b110), tostr(bnot(0b110), 1))",
         ["2 11 3 0xfff9.ffff"], "manual bitwise operations; femto8 band, bor, bxor, bnot"),
    Edge("bitwise_non_numbers_are_0", ("band", "bor", "bxor", "bnot", "shl", "shr", "lshr", "rotl", "rotr"),
         "show(band(true, 7), bor(nil, 5), bxor({}, 3), tostr(bnot(nil), 1), shl(false, 2), shr(nil, 1), "
         "lshr(true, 1), rotl(nil, 3), rotr({}, 3), band(7))",
         ["0 5 3 0xffff.ffff 0 0 0 0 0 0"],
         "manual: the function versions of bitwise operators take a non-number operand as 0"),
    Edge("bitwise_operators_need_numbers", ("band", "bor"),
         "local ok1 = coresume(cocreate(function() return 1 & true end)) "
         "local ok2 = coresume(cocreate(function() return {} | 1 end)) show(ok1, ok2, band(1, true), bor({}, 1))",
         ["false false 0 1"],
         "manual bitwise operations: the operators raise a runtime error on a non-number operand, the "
         "functions take it as 0"),
    Edge("shifts", ("shl", "shr", "lshr", "rotl", "rotr"),
         "show(shl(0b101, 3), shr(0b1111111111101000, 3), lshr(0b101000, 3), rotl(0b10100, 2), rotr(0b10100, 2))",
         ["40 -3 5 80 5"], "femto8 shl, shr1, lshr, rotl, rotr"),
    Edge("shl_range", ("shl", "shr"),
         "show(shl(1, 15), shl(1, 16), shl(1.125, 1), shl(-32767.5, 1), shl(-1, 15), shr(-2, 1))",
         ["-32768 0 2.25 1 -32768 -1"], "zepto8 math.p8 t1.04, t1.05, t1.06, t1.09, t1.11, t2.02"),
    Edge("rnd_range_and_table", ("rnd",),
         "local ok = true for i = 1, 200 do local r = rnd(1) if r < 0 or r >= 1 then ok = false end end "
         "local t, hit = {11, 22, 33}, true for i = 1, 50 do local v = rnd(t) if v != 11 and v != 22 and v != 33 "
         "then hit = false end end show(ok, hit)",
         ["true true"], "manual RND: 0 <= n < x; an array-style table gives one of its elements"),
    Edge("srand_repeats", ("srand", "rnd"),
         "srand(123) local a = rnd(1) srand(123) local b = rnd(1) srand(234) show(a == b, rnd(1) == a)",
         ["true false"], "manual SRAND sets the seed; femto8 srand1, srand2"),

    # ------------------------------------------------------------ strings and conversion
    Edge("tostr_manual", ("tostr",),
         "show(tostr(nil), #tostr(), tostr(17), tostr(17, 0x1), tostr(17, 0x3), tostr(17, 0x2))",
         ["[nil] 0 17 0x0011.0000 0x00110000 1114112"],
         "manual TOSTR: TOSTR(NIL) is \"[nil]\", TOSTR() is \"\", the flag examples"),
    Edge("tostr_hex_limits", ("tostr",),
         "show(tostr(-32768, true), tostr(32767.99999, true), tostr(142, 0x1), tostr(255, true))",
         ["0x8000.0000 0x7fff.ffff 0x008e.0000 0x00ff.0000"],
         "manual types section (tostr(-32768,true), tostr(32767.99999,true)); femto8 tostr_hex*; "
         "bbs pid 107591 (142); bbs tid 30910 (255)"),
    Edge("tostr_decimals", ("tostr",),
         "show(tostr(0x7.ffff), tostr(-0x0.0006), tostr(0xffff.ffff), tostr(0x0.0001), tostr(0x7fff.ffff), "
         "tostr(-0x8000))",
         ["8 -0 -0 0 32768 -32768"],
         "bbs pid 74969 (0x7.ffff -> 8, -0x.0006 -> -0); bbs pid 46822 (0xffff.ffff -> -0, 0x.0001 -> 0); "
         "bbs tid 30763 (0x7fff.ffff prints 32768); see console/engine/p8_str.c"),
    Edge("tonum_manual", ("tonum",),
         "show(tonum('17.5'), tonum(17.5), select('#', tonum('hoge')), tonum('ff', 0x1), tonum('1114112', 0x2), "
         "tostr(tonum('1234abcd', 0x3), 1), tonum('hoge', 0x4))",
         ["17.5 17.5 0 255 17 0x1234.abcd 0"],
         "manual TONUM: \"HOGE\" gives no value; flags 0x1, 0x2, 0x3, 0x4; femto8 tonum"),
    Edge("tonum_hex_flag_non_digits", ("tonum",),
         "show(tonum('3xz', 1), tonum('0x3xz', 4), select('#', tonum('0x3xz')), tonum('008e', 0x1))",
         ["768 0 0 142"],
         "manual TONUM 0x1: non-hexadecimal characters are taken to be '0'; bbs pid 90457 / 107591"),
    Edge("chr_forms", ("chr",),
         "show(chr(64), chr(104, 101, 108, 108, 111))",
         ["@ hello"], "manual CHR; femto8 chr"),
    Edge("chr_many_codes", ("chr",),
         "local t = {} for i = 1, 600 do t[i] = 65 + i % 26 end local s = chr(unpack(t)) "
         "show(#s, sub(s, 1, 3), ord(s, 600) == 65 + 600 % 26)",
         ["600 BCD true"], "manual CHR(VAL0, VAL1, ...): one or more codes, no limit given"),
    Edge("ord_forms", ("ord",),
         "show(ord('@'), ord('123', 2)) show(ord('1234', 2, 3))",
         ["64 50", "50 51 52"], "manual ORD: NUM_RESULTS values from INDEX (its example ORD(\"123\",2,3) "
         "-- 50,51,52 reads past the string, so the row uses \"1234\"); femto8 ord"),
    Edge("ord_many_results", ("ord",),
         "local s = '' for i = 1, 600 do s ..= chr(32 + i % 64) end local t = {ord(s, 1, 600)} "
         "local b = s for i = 1, 4 do b ..= b end local u = {ord(b, 2, 9000)} "
         "show(select('#', ord(s, 1, 600)), #t, t[600] == 32 + 600 % 64, #u, u[1] == ord(b, 2), "
         "u[9000] == ord(b, 9001))",
         ["600 600 true 9000 true true"],
         "manual ORD: with NUM_RESULTS, that many values from INDEX (no limit given; issue 14 saw rp8 stop "
         "with \"string slice too long\")"),
    Edge("ord_out_of_range", ("ord",),
         "show(ord('abc', 4), ord('abc', 0), ord(123), ord(nil), ord({}), ord(true))",
         ["[nil] [nil] [nil] [nil] [nil] [nil]"],
         "manual ORD: when INDEX is out of range or STR is not a string, ORD returns nil"),
    Edge("sub_forms", ("sub",),
         "local s = 'the quick brown fox' show(sub(s, 5, 9)) show(sub(s, 5)) show(sub(s, 5, true), sub(s, 5, {}))",
         ["quick", "quick brown fox", "q q"],
         "manual SUB: POS1 omitted is the rest; POS1 given but not a number is one character; femto8 sub"),
    Edge("split_forms", ("split",),
         "local a = split('1,2,3') local b = split('one:two:3', ':', false) local c = split('1,,2,') "
         "show(#a, type(a[1]), a[3] + 1) show(#b, b[1], type(b[3])) show(#c, c[1], c[2] == '', c[3], c[4] == '')",
         ["3 number 4", "3 one string", "4 1 true 2 true"],
         "manual SPLIT examples; femto8 split"),
    Edge("split_by_length", ("split",),
         "local t = split('abcdef', 2) show(#t, t[1], t[2], t[3])",
         ["3 ab cd ef"], "manual SPLIT: a number separator n splits into n-character groups"),
    Edge("type_names", ("type",),
         "show(type(3), type('3'), type(nil), type({}), type(true), type(print))",
         ["number string nil table boolean function"], "manual TYPE; femto8 type"),
    Edge("string_coercion", ("tostr", "tonum"),
         "show('three ' .. 4, 2 + '3')",
         ["three 4 5"], "manual strings: joining numbers converts them; arithmetic converts strings; "
         "femto8 concatenation, string_arithmetic"),

    # ------------------------------------------------------------ tables
    Edge("add_forms", ("add",),
         "local foo = {} add(foo, 11) add(foo, 22) add(foo, 5, 1) show(foo[1], foo[2], foo[3], #foo)",
         ["5 11 22 3"], "manual ADD: appends; with INDEX inserts at that position; femto8 add"),
    Edge("del_returns", ("del",),
         "local a = {1, 10, 2, 11, 3, 12} for item in all(a) do if item < 10 then del(a, item) end end "
         "local s = '' foreach(a, function(v) s ..= v .. ',' end) show(s, a[3], del(a, 11), select('#', del(a, 99)))",
         ["10,11,12, 12 11 0"],
         "manual DEL: the example, returns the deleted item or no value when nothing was deleted"),
    Edge("deli_forms", ("deli",),
         "local a = {'x', 'y', 'z'} local v = deli(a, 2) local w = deli(a) show(v, w, #a, a[1])",
         ["y z 1 x"], "manual DELI: without I the last element is removed and returned; femto8 deli"),
    Edge("count_forms", ("count",),
         "local a = {1, 2, 2, 3, 2} show(count(a), count(a, 2), count(a, 7))",
         ["5 3 0"], "manual COUNT; femto8 count, count_value"),
    Edge("all_order", ("all", "add"),
         "local t = {11, 12, 13} add(t, 14) add(t, 'hi') local s = '' for v in all(t) do s ..= v .. ' ' end show(s, #t)",
         ["11 12 13 14 hi  5"], "manual ALL example"),
    Edge("foreach_sum", ("foreach",),
         "local s = 0 foreach({1, 2, 3}, function(v) s += v end) show(s)",
         ["6"], "manual FOREACH; femto8 foreach"),
    Edge("pairs_every_item", ("pairs",),
         "local t = {['hello'] = 3, [10] = 'blah'} t.blue = 5 local n, sum = 0, 0 for k, v in pairs(t) do n += 1 "
         "if type(v) == 'number' then sum += v end end show(n, sum)",
         ["3 8"], "manual PAIRS example; femto8 pairs"),
    Edge("select_forms", ("select",),
         "local function foo(...) return select('#', ...), select(3, ...) end show(foo(1, 2, 3, 4))",
         ["4 3 4"], "manual function arguments: select('#', ...) counts, select(i, ...) from i on"),
    Edge("metatable_add", ("setmetatable", "getmetatable"),
         "local vec2d = {__add = function(a, b) return {x = a.x + b.x, y = a.y + b.y} end} "
         "local v1 = setmetatable({x = 2, y = 9}, vec2d) local v2 = setmetatable({x = 1, y = 5}, vec2d) "
         "local v3 = v1 + v2 show(v3.x .. ',' .. v3.y, getmetatable(v1) == vec2d, getmetatable({}))",
         ["3,14 true [nil]"], "manual metatables example; GETMETATABLE is nil if none is set"),
    Edge("raw_access", ("rawget", "rawset", "rawequal", "rawlen"),
         "local t = setmetatable({}, {__index = function() return 'meta' end, __newindex = function() end, "
         "__len = function() return 99 end}) rawset(t, 1, 'a') t[2] = 'b' show(t.x, rawget(t, 'x'), rawget(t, 1), "
         "rawget(t, 2), #t, rawlen(t), rawequal(t, t))",
         ["meta [nil] a [nil] 99 1 true"], "manual RAWSET/RAWGET/RAWEQUAL/RAWLEN: as if no metamethods"),
    Edge("coroutine_status", ("cocreate", "coresume", "costatus", "yield"),
         "local sum = 0 local co = cocreate(function() for i = 1, 3 do sum += i yield() end end) "
         "local s = costatus(co) coresume(co) coresume(co) coresume(co) local s2 = costatus(co) coresume(co) "
         "show(s, s2, costatus(co), sum)",
         ["suspended suspended dead 6"], "manual COSTATUS strings; femto8 coroutines"),
    Edge("coresume_arguments", ("cocreate", "coresume", "costatus"),
         "local r, st local co co = cocreate(function(a, b) r = a + b st = costatus(co) end) "
         "local ok = coresume(co, 2, 3) show(ok, r, st, costatus(co))",
         ["true 5 running dead"], "manual CORESUME: P0, P1.. are passed to the function; COSTATUS \"running\""),
    Edge("coresume_error", ("coresume", "error"),
         "local ok, e = coresume(cocreate(function() error('boom') end)) show(ok, sub(e, -4))",
         ["false boom"], "manual CORESUME: returns false, error_message if there is an error"),
    Edge("assert_message", ("assert",),
         "local ok, e = coresume(cocreate(function() assert(1 > 2, 'out of range') end)) "
         "show(ok, sub(e, -12), assert(true) == true)",
         ["false out of range true"], "manual ASSERT: stops with MESSAGE when CONDITION is false"),

    # ------------------------------------------------------------ input, sound, system
    Edge("btn_no_input", ("btn", "btnp"),
         "show(btn(), btn(0), btn(5, 1), btn(0, 7), btnp(4), btn(⬅️), btn(❎, 1))",
         ["0 false false false false false false"],
         "manual BTN: no parameters is a bitfield of 12 buttons; PL 0..7; a glyph in place of B"),
    Edge("sfx_stat_idle", ("sfx", "music", "stat"),
         "sfx(-1) music(-1) show(stat(46), stat(47), stat(48), stat(49), stat(54), stat(57))",
         ["-1 -1 -1 -1 -1 false"],
         "manual STAT 46..49 SFX per channel, 54 pattern, 57 music playing; SFX(-1) stops all; "
         "femto8 stat46_49, stat54, stat57"),
    Edge("time_same_in_frame", ("time",),
         "show(time() == time(), t() == time())",
         ["true true"], "manual TIME: calls from the same frame return the same result"),
    Edge("stat_ranges", ("stat",),
         "local m = stat(0) show(m > 0 and m < 2048)",
         ["true"], "manual STAT 0: memory usage 0..2048; femto8 stat0 (stat(1) is left out: this one "
         "program never flips, so its CPU use passes 1.0)"),
    Edge("stat_numbers", ("stat",),
         "local m0, mx, m1 = stat(0), stat('x'), stat(0) "
         "show(stat(5), stat('5'), stat(5.9), stat(8), stat(124), stat(999), stat(86), stat(-1), "
         "mx == m0 or mx == m1, type(stat(true)))",
         ["42 42 42 30 / 0 0 0 true number"],
         "manual STAT(5) version (42: 0.2.6), STAT(8) target frame rate, STAT(124) current path; "
         "rp8: a numeric string is its number, another value 0, as the API reads numbers (stat(0) "
         "read on both sides: a collection step between two reads may change it)"),
    Edge("stat_devkit", ("stat", "poke"),
         "show(stat(30), stat(31) == '', stat(32), stat(36)) poke(0x5f2d, 1) "
         "show(stat(30), stat(31) == '', stat(32), stat(33), stat(34), stat(36)) poke(0x5f2d, 0)",
         ["false true 0 0", "false true 0 0 0 0"],
         "manual STAT 30..36 with devkit mode (POKE(0x5F2D, 1)): no key pressed, mouse at 0,0 "
         "in a run with no input; without devkit mode they read nothing"),
    Edge("dget_dset_range", ("dget", "dset"),
         "dset(3, 7.5) show(dget(3), peek4(0x5e0c), dget('3'), dget(3.9), dget(-1), dget(64)) "
         "local a = peek4(0x5f00) dset(64, 9) dset(-1, 9) show(peek4(0x5f00) == a, peek4(0x5dfc)) "
         "dset(3) show(dget(3))",
         ["7.5 7.5 7.5 7.5 0 0", "true 0", "0"],
         "manual DGET/DSET: index 0..63 of the 64 numbers at 0x5E00 (memory map: 0x5e00 persistent "
         "cart data); femto8 dset_to_mem, dget_from_mem; rp8: another index reads 0, writes nothing"),
    Edge("cartdata_bad_id_once", ("cartdata",),
         "show(cartdata('Bad Id!')) cartdata('fine_id')",
         ["false", "error: cartdata() can only be called once"],
         "manual CARTDATA: call once per cart run; ids are up to 64 of a-z, 0-9 and _ "
         "(rp8: another id opens nothing, false)"),
    Edge("stat_breadcrumb", ("stat",),
         "show(stat(100))",
         ["[nil]"], "manual STAT(100): current breadcrumb label, or nil"),
]
