"""printh in the interpreter: the host takes the lines in batches
(console/desktop/host_lua.lua), so these check that every line arrives
once, in the cart's order, and before anything the host says after it
(extcmd, a menu callback's return, an error, print in the harness)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("console._engine")
pytest.importorskip("lupa")

from console.desktop.frameloop import Console, Options  # noqa: E402
from console.desktop.harness import Harness  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RP8_DATA", str(tmp_path / "rp8-data"))


def recording(code: str) -> tuple[Console, list[str]]:
    """A console whose printh lines and extcmd calls go to one list."""
    seen: list[str] = []
    opts = Options(seed=0, printh=seen.append, on_extcmd=lambda cmd, a: seen.append(f"extcmd {cmd} {a}"))
    return Console.from_code(code, options=opts), seen


def test_lines_cross_batches_in_order_and_once() -> None:
    # 150 lines a frame is more than one batch; the extcmd between them
    # must come after the lines printed before it
    con, seen = recording("n = 0\nfunction _update() n += 1\n"
                          " for i = 1, 150 do printh(n..':'..i) if i == 100 then extcmd('x', n) end end\n"
                          "end")
    for _ in range(3):
        assert con.step() == "frame"
    want = []
    for n in (1, 2, 3):
        want += [f"{n}:{i}" for i in range(1, 101)] + [f"extcmd x {n}"] + [f"{n}:{i}" for i in range(101, 151)]
    assert seen == want
    assert list(con.printh_lines) == [w for w in want if not w.startswith("extcmd")]


def test_lines_are_the_hosts_by_the_end_of_each_frame() -> None:
    con, seen = recording("function _update() printh('u'..t()) end function _draw() printh('d') end")
    con.step()
    assert seen == ["u0", "d"]
    con.step()
    assert seen == ["u0", "d", "u0.0333", "d"]


def test_long_lines_and_glyphs_arrive_whole() -> None:
    con, seen = recording('s = "ab" for i = 1, 16 do s = s..s end\n'
                          'printh("first") printh(s) printh("\\x8b\\x00\\t\\n!") printh(123) printh(nil)')
    con.step()
    assert seen == ["first", "ab" * 65536, "⬅️\x00\t\n!", "123", "[nil]"]


def test_lines_before_an_error_are_kept() -> None:
    con, seen = recording("for i = 1, 70 do printh(i) end\nlocal x = nil\nx.y = 1")
    assert con.step() == "error"
    assert seen == [str(i) for i in range(1, 71)]
    assert con.error is not None and "attempt to index" in con.error.message


def test_lines_before_a_stop_are_kept() -> None:
    con, seen = recording("printh('a') printh('b') stop('bye') printh('never')")
    con.step()
    assert seen == ["a", "b"]
    assert con.stop_message == "bye"


def test_a_menu_callback_hands_its_lines_over_when_it_returns() -> None:
    con, seen = recording("menuitem(1, 'go', function(b) printh('menu '..b) printh('again') end)\n"
                          "function _update() printh('frame') end")
    con.step()
    assert seen == ["frame"]
    con.menu_call(1, 112)
    assert seen == ["frame", "menu 112", "again"]


def test_a_failing_sink_ends_the_cart_with_a_message() -> None:
    con, _ = recording("function _update() printh('x') end")

    def boom(_line: str) -> None:
        raise RuntimeError("host bug")
    con.options.printh = boom
    assert con.step() == "error"
    assert con.error is not None and "internal error in host printh: RuntimeError: host bug" in con.error.message


def test_the_harness_keeps_print_and_printh_in_order() -> None:
    h = Harness()
    h.run("printh('a') print('b') for i = 1, 70 do printh(i) end print('c') printh('d')")
    assert h.output == ["a", "b"] + [str(i) for i in range(1, 71)] + ["c", "d"]


def test_rp8_run_prints_the_lines_before_the_error(tmp_path: Path) -> None:
    cart = tmp_path / "e.p8"
    cart.write_text("pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"
                    "function _update() for i = 1, 3 do printh('line '..i) end\n"
                    "if t() > 0 then local x = nil x.y = 1 end end\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT), SDL_VIDEODRIVER="dummy")
    done = subprocess.run([sys.executable, "-m", "console", "run", "--headless", "--frames", "5", str(cart)],
                          cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=120)
    out = done.stdout.splitlines()
    assert out[:6] == ["line 1", "line 2", "line 3"] * 2, done.stdout
    assert "attempt to index" in out[6] and "e.p8" in out[6], done.stdout
    assert done.returncode != 0


def test_kept_lines_drop_the_oldest_a_batch_at_a_time() -> None:
    from console.desktop.host_limits import RecentLines

    kept = RecentLines(lines=8, chars=1000, line_chars=5)
    kept.extend(str(i) for i in range(10))
    assert list(kept) == [str(i) for i in range(4, 10)] and kept.dropped == 4   # down to 3/4 of 8
    kept.append("abcdefgh")
    assert kept[-1] == "abcde..." and kept.chars == sum(map(len, kept))


def test_a_batch_translates_as_its_lines_would_one_by_one() -> None:
    from aot.p8scii import to_unicode, to_unicode_lines

    for batch in ([b"a", b"\x8bb", b""], [b"x\x00y", b"\x80"], [b"\x00"], [b"one"]):
        assert to_unicode_lines(batch) == [to_unicode(t) for t in batch]
