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
