"""menuitem() details both consoles share (PICO-8 manual and wiki,
menuitem()): bits 0xff00 of the index are buttons the callback never sees
(0x300 turns off left and right; a press filtered to nothing keeps the menu
open), and inside a callback `menuitem(nil, label)` relabels the callback's
own item. The desktop player passes 112 (16|32|64) for O, X or pause, which
PICO-8 does not tell apart."""
from __future__ import annotations

import pytest

from support.aot_frames import console_from_code

pytest.importorskip("console._engine")
pytest.importorskip("lupa")

CART = """
menuitem(2 | 0x300, 'tune', function(b) printh('tune '..b) menuitem(nil, 'tuned '..b) end)
menuitem(0x1004, 'left only', function(b) printh('left '..b) return true end)
function _update() end
function _draw() cls() end
"""


@pytest.mark.parametrize("aot", [False, True], ids=["interpreter", "aot"])
def test_filter_bits_and_nil_index(aot: bool) -> None:
    con = console_from_code(CART, aot)
    assert con.step() == "frame"
    assert con.menu_items() == [(2, "tune"), (4, "left only")]
    # item 2 filters left/right: a left press reaches nothing, the menu stays
    assert con.menu_call(2, 1) is True
    assert con.menu_call(2, 112) is False
    assert con.menu_items() == [(2, "tuned 112"), (4, "left only")]
    # item 4 filters O (0x10): only the other bits get through
    assert con.menu_call(4, 16) is True
    assert con.menu_call(4, 112) is True
    assert con.printh_lines == ["tune 112", "left 96"]
