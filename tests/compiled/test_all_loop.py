"""`for v in all(t)` in the interpreter goes through rt.forall
(aot/lua_runtime.lua), an iterator without a closure, where compiled carts
run the BIOS's all (aot/bios.lua): both must visit the same items and charge
the CPU model the same units at the same points (stat(1) shows them), also
when items are deleted or added during the loop, over holes, through
__index and __len, and when `all` is the cart's own or no function."""
from __future__ import annotations

import pytest

from support.aot_frames import compare, console_from_code

pytest.importorskip("console._engine")
pytest.importorskip("lupa")

LOOPS = r"""
t = {}
for i = 1, 12 do add(t, i) end
frame = 0
function visit(tab)
  local s = ""
  for v in all(tab) do
    s ..= tostr(v) .. ","
    if v == 3 then del(tab, v) end
    if v == 5 then deli(tab, 1) end
    if v == 7 then add(tab, 99) end
    if v == 8 then tab[#tab] = nil end
  end
  return s
end
holes = {1, 2, 3, 4, 5, 6, 7}
holes[2], holes[4], holes[5] = nil, nil, nil
proxy = setmetatable({}, {__index = function(_, k) if k <= 4 then return k * 10 end end,
                          __len = function() return 4 end})
function _update()
  frame += 1
  local c = {}
  for i = 1, frame % 9 do c[i] = i end
  printh(visit(c))
  printh(visit(t))
  local s = ""
  for v in all(holes) do s ..= v .. "," end
  printh(s)
  printh(visit(proxy))
  printh(visit({}))
  for a in all(c) do for b in all(c) do printh(a * b) end end
  foreach(c, function(v) printh(v) end)
  local n = 0
  for v in all(nil) do n += 1 end
  printh(n)
end
function _draw() cls() print(frame, 0, 0, 7) end
"""


def test_all_loops_agree_with_the_bios_closure() -> None:
    aot, lua = console_from_code(LOOPS, aot=True), console_from_code(LOOPS, aot=False)
    diff = compare(aot, lua, 24)
    assert diff.mismatch is None, diff.mismatch
    assert diff.frames == 24


def test_a_cart_that_defines_all_gets_its_own() -> None:
    code = r"""
function all(t) local i = 0 return function() i += 1 return t[i] and t[i] * 2 end end
function _update() for v in all({1, 2, 3}) do printh(v) end end
"""
    lua = console_from_code(code, aot=False)
    lines: list[str] = []
    lua.options.printh = lines.append
    assert lua.step() == "frame"
    assert lines == ["2", "4", "6"]


@pytest.mark.parametrize("value, kind", [("nil", "nil"), ("3", "number"), ("{}", "table")])
def test_all_that_cannot_be_called_has_luas_message(value: str, kind: str) -> None:
    lua = console_from_code(f"all = {value}\nfor v in all({{}}) do end\n", aot=False)
    lua.step()
    assert lua.error is not None
    assert f"line 2: attempt to call global 'all' (a {kind} value)" in lua.error.message
