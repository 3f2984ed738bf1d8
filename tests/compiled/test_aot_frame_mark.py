"""The compiled runner's frame marks reach the desktop host
(platform/host's rp8host_set_frame_mark, AotConsole.set_frame_mark), so
`rp8 bench --mode aot` splits each frame into _update and _draw as host
mode does."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from support.aot_frames import need_gxx

pytest.importorskip("console._engine")

ROOT = Path(__file__).resolve().parents[2]
HEADER = "pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"


def test_marks_after_update_and_after_draw() -> None:
    need_gxx()
    from console.desktop.aot_player import AotConsole
    from console.desktop.frameloop import Options

    marks: list[int] = []
    con = AotConsole.from_code("function _update() printh('u') end function _draw() printh('d') end",
                               options=Options(seed=0, printh=lambda s: marks.append(9)))
    con.set_frame_mark(marks.append)
    for _ in range(3):
        assert con.step() == "frame"
    # printh text reaches Python after the frame; the marks during it
    assert marks == [0, 1, 9, 9] * 3
    con.set_frame_mark(None)
    con.step()
    assert marks[12:] == [9, 9]


def test_a_cart_with_its_own_loop_has_no_marks() -> None:
    need_gxx()
    from console.desktop.aot_player import AotConsole
    from console.desktop.frameloop import Options

    marks: list[int] = []
    con = AotConsole.from_code("while true do cls() flip() end", options=Options(seed=0))
    con.set_frame_mark(marks.append)
    assert [con.step() for _ in range(3)] == ["frame"] * 3
    assert marks == []


def test_bench_aot_reports_update_and_draw(tmp_path: Path) -> None:
    need_gxx()
    cart = tmp_path / "both.p8"
    cart.write_text(HEADER + """
s = 0
function _update() for i = 1, 3000 do s = (s + i * 7) % 1000 end end
function _draw() cls() for i = 0, 200 do circfill(64, 64, i % 60, i % 16) end end
""")
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, "-m", "console", "bench", str(cart), "--mode", "aot",
                           "--frames", "20", "--warmup", "2", "--quiet", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    mode = json.loads(out.read_text())["modes"][0]
    assert mode["mode"] == "aot" and mode["status"] == "ok" and mode["message"] is None
    assert len(mode["frames"]) == 20
    for part in ("update", "draw", "total"):
        assert mode["summary"][part]["median"] > 0, part
    for f in mode["frames"]:
        assert f["update"] > 0 and f["draw"] > 0 and f["total"] >= f["update"] + f["draw"]
