"""printh's lines in both consoles: the same lines, once each, in the
cart's order, through a batch boundary of the interpreter's host
(console/desktop/host_lua.lua) and the compiled runner's log, up to an
error. tests/player/test_runtime_printh.py has the interpreter's orderings
against the host's other output."""
from __future__ import annotations

import pytest

pytest.importorskip("console._engine")
pytest.importorskip("lupa")

from support.aot_frames import console_from_code  # noqa: E402

CART = """
n = 0
function _update()
  n += 1
  for i = 1, 90 do printh(n..":"..i) end
  if n == 3 then printh("\\x8b glyph") local x = nil x.y = 1 end
end
function _draw() printh("d"..n) end
"""


@pytest.mark.parametrize("aot", [False, True], ids=["interp", "aot"])
def test_printh_lines_exact(aot: bool) -> None:
    con = console_from_code(CART, aot)
    kinds = [con.step() for _ in range(4)]
    assert kinds[:2] == ["frame", "frame"] and kinds[2] == "error"
    want = []
    for n in (1, 2):
        want += [f"{n}:{i}" for i in range(1, 91)] + [f"d{n}"]
    want += [f"3:{i}" for i in range(1, 91)] + ["⬅️ glyph"]
    assert list(con.printh_lines) == want
