"""`rp8 bench` in host mode on carts/hello.p8, through the command line."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from console.bench import modes
from console.bench.schema import validate
from console.cli import main

CARTS = Path(__file__).resolve().parents[2] / "carts"


def test_host_mode_json(tmp_path, capsys):
    out = tmp_path / "hello.json"
    plot = tmp_path / "hello.png"
    rc = main(["bench", str(CARTS / "hello.p8"), "--frames", "12", "--warmup", "3",
               "--json", str(out), "--plot", str(plot), "--quiet"])
    assert rc == 0
    doc = json.loads(out.read_text())
    validate(doc)
    assert (doc["frames"], doc["warmup"], doc["seed"]) == (12, 3, 0)
    assert doc["input"] == str(CARTS / "hello.input")          # found beside the cart
    (m,) = doc["modes"]
    assert m["mode"] == "host" and m["status"] == "ok" and m["unit"] == "ms"
    assert len(m["frames"]) == 12
    for f in m["frames"]:
        # hello's _draw does cls and ten prints; _update one addition
        assert f["draw"] > 0 and f["update"] >= 0
        assert f["total"] >= f["update"] + f["draw"]
        assert f["total"] < 1000      # a hello frame never takes a second of CPU
    text = capsys.readouterr().out
    assert "[host] desktop, LuaJIT interpreter" in text and "median" in text
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_wrappers_follow_a_swapped_update(tmp_path):
    # a cart that replaces _update after frame 2: the new one is timed too
    cart = tmp_path / "swap.p8"
    cart.write_text("pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"
                    "n=0\nfunction busy() for i=1,20000 do n+=1 end end\n"
                    "function _update() if n>1 then _update=busy end n+=1 end\n"
                    "function _draw() cls() end\n")
    job = modes.Job(cart, 6, 1, 0, None)
    m = modes.run_host(job)
    assert m.status == "ok" and len(m.frames) == 6
    # busy() runs 20000 iterations; the first _update a handful of operations
    assert m.frames[-1].update > 5 * m.frames[0].update


def test_runtime_error_is_reported(tmp_path):
    cart = tmp_path / "boom.p8"
    cart.write_text("pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"
                    "t=0\nfunction _update() t+=1 if t==4 then x=nil+1 end end\n"
                    "function _draw() end\n")
    m = modes.run_host(modes.Job(cart, 10, 1, 0, None))
    assert m.status == "error" and len(m.frames) == 2
    assert "boom.p8" in m.message


def test_mode_lists(tmp_path):
    from console.cli import build_parser

    p = build_parser()
    a = p.parse_args(["bench", "x.p8", "--mode", "host", "aot", "--mode", "m33"])
    assert a.modes == ["host", "aot", "m33"]
    assert p.parse_args(["bench", "x.p8"]).modes is None      # host by default


def test_user_mistakes_exit_2(tmp_path, capsys):
    assert main(["bench", str(tmp_path / "missing.p8")]) == 2
    assert main(["bench", str(CARTS / "hello.p8"), "--warmup", "0"]) == 2
    err = capsys.readouterr().err
    assert "no such cart file" in err and "--warmup" in err


def test_aot_mode_runs_hello():
    import shutil

    import pytest

    if shutil.which("g++") is None:
        pytest.skip("aot mode needs g++")
    m = modes.run_aot(modes.Job(CARTS / "hello.p8", 5, 2, 0, None))
    assert m.status == "ok" and len(m.frames) == 5
    for f in m.frames:
        assert f.total > 0
        # split when the AOT player offers plat_frame_mark's callback, else whole frames
        assert (f.update is None) == (f.draw is None)


def test_aot_mode_times_the_optimised_build_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    if shutil.which("g++") is None:
        pytest.skip("aot mode needs g++")
    monkeypatch.setenv("RP8_AOT_BUILD", "quick")     # `rp8 run --aot`'s setting, not the bench's
    job = modes.Job(CARTS / "hello.p8", 2, 1, 0, None)
    labels = [modes.mode_entry(modes.run_aot(job), 250.0)["label"]]
    job.aot_build = "quick"
    labels.append(modes.mode_entry(modes.run_aot(job), 250.0)["label"])
    assert labels == [modes.LABELS["aot"], modes.LABELS["aot"] + " [quick build, not the optimised one]"]
