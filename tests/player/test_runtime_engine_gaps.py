"""Engine gaps found by running real carts, checked through cart code in the
player: ^ wrapping, rrect/rrectfill, tline(bits), print(nil), print's "\\a"
and cursor()'s left margin."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("console._engine")
pytest.importorskip("lupa")

from console.desktop.frameloop import Console, Options  # noqa: E402


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RP8_DATA", str(tmp_path / "rp8-data"))


def run(code: str) -> tuple[Console, list[str]]:
    lines: list[str] = []
    con = Console.from_code(code, options=Options(seed=0, printh=lines.append))
    con.step()
    assert con.error is None, con.error
    return con, lines


def test_pow_wraps_like_pico8() -> None:
    # the tweet cart among-us writes 0x6000 as 6^13 (13060694016 wraps)
    _, lines = run("printh(tostr(6^13,1)) printh(tostr(2^16,1)) printh(tostr(10^5))"
                   " printh(tostr(0^-1,1)) printh(tostr((-8)^0.5,1))")
    assert lines == ["0x6000.0000", "0x0000.0000", "-31072", "0x0000.0000", "0x0000.0000"]


def test_rrect_and_rrectfill_bindings() -> None:
    con, _ = run("cls() rrectfill(1,1,10,7,3,9) color(8) rrect(12,1,10,7,2)")
    px = con.machine.screen_pixels()
    assert [px[1][x] for x in range(12)] == [0, 0, 0, 9, 9, 9, 9, 9, 9, 0, 0, 0]
    assert [px[4][x] for x in range(23)] == [0] + [9] * 10 + [0, 8] + [0] * 8 + [8, 0]


def test_tline_bits_one_argument_form() -> None:
    con, _ = run("sset(9,0,7) mset(0,0,1) cls(3) tline(17)"
                 " tline(0,0,3,0,0,0,1,0) tline(13) tline(0,1,3,1,0,0)")
    px = con.machine.screen_pixels()
    assert [px[0][x] for x in range(4)] == [3, 3, 7, 7]   # half map pixels per step
    assert [px[1][x] for x in range(4)] == [3, 7, 3, 3]   # tiles again: pixel 1 is 7
    con = Console.from_code("tline(32)", options=Options(seed=0))
    con.step()
    assert con.error is not None and "not supported yet: tline precision" in con.error.message


def test_print_nil_prints_the_word() -> None:
    con, _ = run("cls() print(nil) a=peek4(0x6000) b=peek4(0x6004) cls() print('[nil]')"
                 " assert(a==peek4(0x6000) and b==peek4(0x6004)) assert(a~=0)")
    assert con.machine.ram[0x5F27] == 6


def test_print_audio_command_plays_sfx() -> None:
    con, _ = run('print("\\ace-g hi")')
    assert con.warnings == []
    ram = con.machine.ram
    first = ram[0x3200 + 68 * 63] | ram[0x3200 + 68 * 63 + 1] << 8
    assert first & 63 == 36 and first >> 9 & 7 == 5     # C3, volume 5
    from console._engine import lib
    assert lib.p8_audio_stat(con.machine.state, 46) >> 16 == 63
    # the command and its space are not printed; "hi" is, from x = 0
    px = con.machine.screen_pixels()
    assert any(px[y][0] for y in range(5))


def test_cursor_sets_print_margin() -> None:
    con, _ = run('cls() cursor(40,10) print("1\\n1")')
    px = con.machine.screen_pixels()
    assert px[16][40] != 0 and all(px[16][x] == 0 for x in range(40))
