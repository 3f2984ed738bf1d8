"""Facts about PICO-8's global environment that both back ends need (so
neither back end imports the other)."""
from __future__ import annotations

# PICO-8's Lua memory (manual: stat(0), "0..2048"): everything a cart's Lua
# holds, its string constants included, in 2 MiB.
LUA_MEMORY = 2 * 1024 * 1024

# The builtins PICO-8 copies into top-level locals before the cart's code,
# so they stay reachable under any _ENV. Fact from shrinko8
# (pico_process.py, builtins_copied_to_locals, read from the `local ...`
# script inside the PICO-8 binary): rnd is missing from it, by a PICO-8
# typo, and carts rely on that (galton-board-tweet.p8 stashes rnd before
# `_ENV = p[i]` and calls pset, poke, cos and sin after it).
PICO8_LOCAL_BUILTINS = frozenset("""
    time sub chr ord tostr tonum add del deli clip color pal palt fillp
    pget pset sget sset fget fset circ circfill rect rectfill oval ovalfill
    line spr sspr mget mset tline peek poke peek2 poke2 peek4 poke4 memcpy
    memset max min mid flr ceil cos sin atan2 srand band bor bxor bnot shl
    shr lshr rotl rotr
""".split())

# The glyphs P8SCII 0x80-0x99 are predefined globals: 0-5 for the buttons
# (PICO-8 manual, btn()), the other twenty fill patterns for fillp(), .5
# setting the transparency bit (PICO-8 manual, fillp(); the values as
# public PICO-8 reimplementations list them). Both consoles take them from
# here: the player through console/desktop/lua_env.py, compiled carts
# through rt_api.cpp (aot/cpp_api.py) and the C++ back end's static globals.
GLYPH_GLOBALS: dict[int, float] = {
    0x80: 0.5, 0x81: 23130.5, 0x82: 20767.5, 0x83: 3, 0x84: 32125.5, 0x85: -18402.5,
    0x86: -1632.5, 0x87: 20927.5, 0x88: -19008.5, 0x89: -26208.5, 0x8a: -20192.5, 0x8b: 0,
    0x8c: -24351.5, 0x8d: -25792.5, 0x8e: 4, 0x8f: -20032.5, 0x90: -2560.5, 0x91: 1,
    0x92: -20128.5, 0x93: 6943.5, 0x94: 2, 0x95: -2624.5, 0x96: 31455.5, 0x97: 5,
    0x98: 3855.5, 0x99: 21845.5,
}


def glyph_raw(code: int) -> int:
    """A glyph global's value as raw fix32 bits (a signed 32-bit int)."""
    return round(GLYPH_GLOBALS[code] * 65536)
