"""peek/peek2/peek4 with a count and poke/poke2/poke4 with several values
(PICO-8 manual: "peek(addr, n)" returns n values; poke2(addr, a, b, ...)
writes each value 2 bytes on), the same in a compiled cart as in the
interpreter, which follows the engine's p8_peek_n/p8_poke_n."""
from __future__ import annotations

import pytest

from support.aot_frames import console_from_code

pytest.importorskip("console._engine")
pytest.importorskip("lupa")

CODE = """
poke2(0x4300, 3, 9, -2)
printh(max(peek2(0x4300, 2)))
printh(tostr(peek2(0x4300, 3)))
local a, b, c = peek2(0x4300, 3)
printh(a..' '..b..' '..c)
poke4(0x4310, 1.5, -0.25)
local x, y = peek4(0x4310, 2)
printh(x..' '..y)
poke(0x4320, 1, 2, 3, '4', 'x')
printh(#{peek(0x4320, 5)})
local p = {peek(0x4320, 6)}
printh(#p..' '..p[1]..p[2]..p[3]..p[4]..p[5]..p[6])
printh(#{peek(0x4320, 0)}..' '..#{peek(0x4320, -3)}..' '..#{peek2(0x4320, 0.5)})
poke2(0x4330)
poke4(0x4334, 7)
printh(peek2(0x4330)..' '..peek4(0x4334))
poke2(0xffff, 0x1234)
printh(peek(0xffff)..' '..peek(0))
function _draw() end
"""

EXPECTED = ["9", "0x0003.0000", "3 9 -2", "1.5 -0.25", "5", "6 123400", "0 0 0", "0 7", "52 18"]   # poke2 at 0xffff: the engine wraps the high byte to 0


@pytest.mark.parametrize("aot", [False, True], ids=["interpreter", "aot"])
def test_counted_peeks_and_multi_value_pokes(aot: bool) -> None:
    con = console_from_code(CODE, aot)
    assert con.step() == "frame"
    assert con.printh_lines == EXPECTED
