"""An error inside a coroutine reaches the cart as coresume's second result;
its place must read as the cart's `name tab T line L`, the same in the
interpreter and in a compiled cart (the interpreter's chunk is named
p8cart internally, which a cart must never see)."""
from __future__ import annotations

import pytest

from support.aot_frames import console_from_code

pytest.importorskip("console._engine")
pytest.importorskip("lupa")

CODE = """
c = cocreate(function()
 local x = nil
 return x.y
end)
printh(tostr(coresume(c)) .. ' ' .. select(2, coresume(cocreate(function() local x = nil return x.y end))))
d = cocreate(function() error('boom') end)
local ok, e = coresume(d)
printh(tostr(ok) .. ' ' .. e)
t = cocreate(function() error({1, 2}) end)
local ok2, e2 = coresume(t)
printh(tostr(ok2) .. ' ' .. type(e2) .. ' ' .. e2[2])
function _draw() cls() end
"""

EXPECTED = [
    "false test.p8 tab 0 line 6: attempt to index local 'x' (a nil value)",
    "false test.p8 tab 0 line 7: boom",
    "false table 2",
]


@pytest.mark.parametrize("aot", [False, True], ids=["interpreter", "aot"])
def test_coroutine_error_places_name_the_cart(aot: bool) -> None:
    con = console_from_code(CODE, aot)
    assert con.step() == "frame"
    assert con.printh_lines == EXPECTED
