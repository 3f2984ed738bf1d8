"""Depth guards of web builds (console/web_build.py): recursion and yields from
deep inside a coroutine end as ordinary cart errors, "stack overflow" at
the cart's tab and line, exactly one level past the documented limits
(WEB_DEPTH in the cart's context, WEB_CO_DEPTH in a coroutine), never as a
crashed module; at the limit itself they work. Functions with small frames
and with 180 locals (near Lua's 200), whose CPU cost makes the frame cut
(a switch back to the runner) fall deep inside the recursion, so the
Asyncify save areas are filled at the limit.

Skips, naming what is missing, without emcc or node.
"""
from __future__ import annotations

from pathlib import Path

from support.web_run import need_web_tools, run_wasm

# calls below a cart function at the top: the main chunk and _init (cart
# context), the coroutine's function (coroutine; it keeps its frame: `return f(d)`
# would be a proper tail call), counted by the limit too
CART_BASE, CO_BASE = 3, 3


def _cart(limit: int, co_limit: int) -> str:
    locs = "\n".join(f" local v{i}=n+{i}" for i in range(180))
    total = " + ".join(f"v{i}" for i in range(0, 180, 7))
    ok, over = limit - CART_BASE, limit - CART_BASE + 1
    co_ok, co_over = co_limit - CO_BASE, co_limit - CO_BASE + 1
    return f"""pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
function small(n) if n==0 then return 0 end return 1+small(n-1) end
function ysmall(n) if n==0 then yield(7) return 0 end return 1+ysmall(n-1) end
function big(n)
{locs}
 if n==0 then return 0 end
 local r=big(n-1)
 return r+1+({total})*0
end
function ybig(n)
{locs}
 if n==0 then yield(7) return 0 end
 local r=ybig(n-1)
 return r+1+({total})*0
end
function try(f, d)
 local c=cocreate(function() local r=f(d) return r end)  -- no tail call: CO_BASE counts it
 local ok,e=coresume(c)
 printh(tostr(ok).." "..tostr(e))
 if ok then ok,e=coresume(c) printh(tostr(ok).." "..tostr(e)) end
end
function _init()
 try(ysmall,{co_ok}) try(ysmall,{co_over})
 try(ybig,{co_ok}) try(ybig,{co_over})
 printh(small({ok})) printh(big({ok}))
 printh(big({over}))
end
"""


def test_limits_exactly(tmp_path: Path) -> None:
    need_web_tools()
    from console.web_build import WEB_CO_DEPTH, WEB_DEPTH

    cart = tmp_path / "deep.p8"
    code = _cart(WEB_DEPTH, WEB_CO_DEPTH)
    cart.write_text(code)
    lines = run_wasm(cart, [0] * 600, tmp_path)
    big_line = 1 + code.split("\n__lua__\n")[1].split("\n").index(" local r=big(n-1)")
    ybig_line = 1 + code.split("\n__lua__\n")[1].split("\n").index(" local r=ybig(n-1)")
    small_line = 2   # ysmall
    printed = [ln[len("printh "):] for ln in lines if ln.startswith("printh ")]
    co_ok = WEB_CO_DEPTH - CO_BASE
    assert printed[:8] == [
        "true 7", f"true {co_ok}",
        f"false deep.p8 tab 0 line {small_line}: stack overflow",
        "true 7", f"true {co_ok}",
        f"false deep.p8 tab 0 line {ybig_line}: stack overflow",
        str(WEB_DEPTH - CART_BASE), str(WEB_DEPTH - CART_BASE),
    ]
    assert f"message deep.p8 tab 0 line {big_line}: stack overflow" in lines
