"""PICO-8's frame loop in the player: _init/_update/_update60/_draw, flip
loops, btn/btnp with repeat, time(), over-budget frames and errors."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("console._engine")
pytest.importorskip("lupa")

from console.desktop.buttons import InputScript, parse_mask  # noqa: E402
from console.desktop.frameloop import Console, Options  # noqa: E402


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RP8_DATA", str(tmp_path / "rp8-data"))


def console(code: str, **opts: object) -> tuple[Console, list[str]]:
    lines: list[str] = []
    return Console.from_code(code, options=Options(seed=0, printh=lines.append, **opts)), lines  # type: ignore[arg-type]


def test_init_update_draw_order() -> None:
    con, lines = console("printh('top') function _init() printh('init') end\n"
                         "function _update() printh('u') end function _draw() printh('d') end")
    assert con.step() == "frame" and con.step() == "frame"
    assert lines == ["top", "init", "u", "d", "u", "d"]


def test_update60_runs_at_60_and_time_advances() -> None:
    con, lines = console("function _update60() end function _draw() printh(t()) end")
    for _ in range(60):
        con.step()
    assert con.fps() == 60
    assert lines[0] == "0" and lines[-1] == "0.9833" and lines[59] == "0.9833"
    con2, lines2 = console("function _update() end function _draw() printh(time()) end")
    for _ in range(31):
        con2.step()
    assert lines2[30] == "1"


def test_flip_loop_frames() -> None:
    con, lines = console("for i = 1, 3 do cls(i) flip() end printh('done')")
    assert [con.step() for _ in range(4)] == ["frame", "frame", "frame", "ended"]
    assert lines == ["done"]


def test_goto_loop_with_flip() -> None:
    con, _ = console("::a:: c = (c or 0) + 1 pset(0, 0, c % 16) flip() goto a")
    for _ in range(5):
        con.step()
    assert con.machine.screen_pixels()[0][0] == 5


def test_btn_and_btnp_repeat() -> None:
    """btnp: true on the first frame held, then after 15 frames every 4
    (PICO-8 manual, btnp; delays counted at 30 fps)."""
    con, lines = console("function _update() printh(tostr(btn(5)) .. ' ' .. tostr(btnp(5))) end")
    for _ in range(25):
        con.step([1 << 5])
    hits = [i for i, ln in enumerate(lines) if ln.endswith("true")]
    assert all(ln.startswith("true") for ln in lines)
    assert hits == [0, 15, 19, 23]


def test_btnp_custom_delay_and_no_repeat() -> None:
    con, lines = console("poke(0x5f5c, 3) poke(0x5f5d, 2)\n"
                         "function _update() printh(tostr(btnp(0))) end")
    for _ in range(9):
        con.step([1])
    assert [i for i, ln in enumerate(lines) if ln == "true"] == [0, 3, 5, 7]
    con2, lines2 = console("poke(0x5f5c, 255) function _update() printh(tostr(btnp(0))) end")
    for _ in range(40):
        con2.step([1])
    assert lines2.count("true") == 1


def test_btn_bitfield_players_and_ram() -> None:
    con, lines = console("function _update() printh(btn()) printh(tostr(btn(1, 1))) printh(peek(0x5f4d)) end")
    con.step([0b100001, 0b10])
    assert lines == [str(0b100001 + 0b10 * 256), "true", "2"]


def test_over_budget_draws_every_other_frame() -> None:
    con, _ = console("function _update() end\n"
                     "function _draw() for i = 1, 400 do cls() end end")
    kinds = [con.step() for _ in range(6)]
    assert kinds == ["frame", "skip", "frame", "skip", "frame", "skip"]


def test_holdframe_skips_one_present() -> None:
    con, _ = console("function _draw() holdframe() end")
    assert con.step() == "skip"


def test_runtime_error_names_tab_and_line() -> None:
    code = "function _update()\nend\n-->8\nfunction _draw()\n  local x = nil\n  x.y = 1\nend"
    con, _ = console(code)
    assert con.step() == "error"
    assert con.error is not None
    assert con.error.message.startswith("test.p8 tab 1 line 3:")
    assert "attempt to index" in con.error.message
    assert any("tab 1 line 3" in p for p in con.error.places)
    con.show_error()                 # the error screen draws over the frame
    assert 8 in con.machine.screen_pixels()[2]


def test_syntax_error_is_a_user_error() -> None:
    from aot.source import CartSyntaxError

    with pytest.raises(CartSyntaxError) as err:
        Console.from_code("x = = 1")
    assert "tab 0 line 1" in str(err.value)


def test_stat_frame_rates_follow_the_update_callback() -> None:
    """stat(7) (the rate the frames run at), stat(8) (the target) and
    stat(9): 60 with _update60, 30 with _update, and they follow a cart
    that turns to _update60 while running."""
    con, lines = console("function _update60() end function _draw() printh(stat(7)..' '..stat(8)..' '..stat(9)) end")
    con.step()
    con2, lines2 = console("function _update() if stat(7) == 30 then _update60 = _update end end\n"
                           "function _draw() printh(stat(7)..' '..stat(8)..' '..stat(9)) end")
    con2.step()
    con2.step()
    assert lines == ["60 60 60"]
    assert lines2 == ["30 30 30", "60 60 60"]


def test_run_restarts() -> None:
    con, lines = console("n = (n or 0) + 1 printh(stat(6)) if stat(6) == '' then run('two') end")
    con.step()
    con.step()
    assert lines == ["", "two"]


def test_input_script_format() -> None:
    s = InputScript.parse("# start\n0 -\n30 X\n32 -   # let go\n40 R L\n")
    assert s.masks(0) == [0] * 8
    assert s.masks(31)[0] == 32 and s.masks(33)[0] == 0
    assert s.masks(100)[:2] == [2, 1]
    assert parse_mask("0x11") == 17 and parse_mask("UD") == 12


def test_input_script_masks_at_every_edge() -> None:
    s = InputScript.parse("5 X\n6 O\n9 -\n")
    assert [s.masks(f)[0] for f in range(11)] == [0] * 5 + [32, 16, 16, 16, 0, 0]
    held = s.masks(6)
    held[0] = 99                       # a copy: the script is not changed
    assert s.masks(6)[0] == 16


def test_input_script_errors() -> None:
    from aot.errors import UserError

    with pytest.raises(UserError, match="line 2"):
        InputScript.parse("5 X\n3 O", "in.txt")
    with pytest.raises(UserError, match="unknown button"):
        InputScript.parse("0 Q", "in.txt")
