"""`rp8 bench CART --mode rp2040 --profile K`: the top-K functions by
emulated cycles per frame, after the usual report."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from console.cli import main

CARTS = Path(__file__).resolve().parents[2] / "carts"
HEADER = " cycles/frame   ms@250  share  where"
ROW = re.compile(r"^ *(\d+) +(\d+\.\d{3}) +(\d+\.\d)%  (\S.*)$")
HEAD = re.compile(r"^\[rp2040 profile\] EMULATED cycles per frame by function \(rp2040js, .*\), "
                  r"top (\d+) over (\d+) frames after (\d+) warm-up: (\d+) cycles per frame in all$")


def _rp2040_or_skip() -> None:
    from console.bench import rp2040
    from aot.errors import UserError

    if shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("arm-none-eabi-gcc not installed (apt-get install gcc-arm-none-eabi "
                    "libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib)")
    need = rp2040.missing()
    if need is not None:
        pytest.skip(f"rp2040 mode needs {need}")
    try:
        rp2040.ensure_rp2040js()
    except UserError as err:
        pytest.skip(f"rp2040js is not installed in benches/ and could not be: {err}")


def test_profile_needs_the_host_or_rp2040_mode(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", str(CARTS / "hello.p8"), "--mode", "aot", "--profile", "5"]) == 2
    assert capsys.readouterr().err == ("rp8: --profile needs --mode host (API functions in the "
                                       "interpreter) or --mode rp2040 (functions of the emulated "
                                       "RP2040 image)\n")
    assert main(["bench", str(CARTS / "hello.p8"), "--mode", "rp2040", "--profile", "0"]) == 2
    assert capsys.readouterr().err == "rp8: --profile K must list 1 or more functions\n"


def test_profile_table_for_hello(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _rp2040_or_skip()
    out_json = tmp_path / "hello.json"
    assert main(["bench", str(CARTS / "hello.p8"), "--mode", "rp2040", "--frames", "4",
                 "--warmup", "2", "--profile", "6", "--quiet", "--json", str(out_json)]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("[rp2040 profile]"))
    table = lines[at:]
    head = HEAD.match(table[0])
    assert head is not None, table[0]
    assert head.groups()[:3] == ("6", "4", "2")
    total = int(head.group(4))
    assert table[1] == HEADER
    assert len(table) == 2 + 6                      # K rows, nothing after them
    rows = [ROW.match(line) for line in table[2:]]
    assert all(r is not None for r in rows), table[2:]
    cycles = [int(r.group(1)) for r in rows if r is not None]
    names = [r.group(4) for r in rows if r is not None]
    assert cycles == sorted(cycles, reverse=True)
    assert sum(cycles) <= total
    for r in rows:
        assert r is not None
        c = int(r.group(1))
        assert r.group(2) == f"{c / 250_000:.3f}"            # ms at the default 250 MHz
        assert abs(float(r.group(3)) - 100 * c / total) <= 0.06
    # hello is cls and print: the glyph blit is by far its hottest function
    assert names[0] == "p8_draw_bits_pen"
    assert "p8_print_step" in names
    # the profiled frames are the measured ones: the same total, give or
    # take the few cycles the stops between frames cost
    frames = json.loads(out_json.read_text())["modes"][0]["frames"]
    mean = sum(f["total"] for f in frames) / len(frames)
    assert abs(total - mean) <= 16, (total, mean)


HOST_HEAD = re.compile(r"^\[host profile\] wall time per frame by API function \(LuaJIT interpreter; "
                       r"a clock read around each call, its cost of \d+ ns a call subtracted\), "
                       r"top (\d+) over (\d+) frames after (\d+) warm-up \((\d+) preempted frames left out\): "
                       r"([\d.]+) us per frame in all$")
HOST_ROW = re.compile(r"^ +([\d.]+) +(\d+) +([\d.]+) +([\d.]+)%  (\S+)$")
HOST_REST = re.compile(r"^ {23,}([\d.]+) +([\d.]+)%  \(cart Lua, runtime, host\)$")


def test_host_profile_counts_hello_calls(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", str(CARTS / "hello.p8"), "--mode", "host", "--frames", "20",
                 "--warmup", "3", "--profile", "3", "--quiet"]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("[host profile]"))
    table = lines[at:]
    head = HOST_HEAD.match(table[0])
    assert head is not None, table[0]
    assert (int(head.group(2)) + int(head.group(4)), head.group(1), head.group(3)) == (20, "3", "3")
    assert table[1] == " calls/frame   ns/call  us/frame  share  function"
    assert len(table) == 2 + 3 + 1                  # K rows, then the rest of the frame
    rows = [HOST_ROW.match(line) for line in table[2:5]]
    assert all(r is not None for r in rows), table[2:5]
    # hello's _draw: cls, then 8 lines of text at cos-driven x, then 2 more
    # (print is by far its most expensive call)
    calls = {r.group(5): float(r.group(1)) for r in rows if r is not None}
    assert int(head.group(2)) > 0
    assert list(calls)[0] == "print"
    assert calls == {"print": 10.0, "cls": 1.0, "cos": 8.0}
    rest = HOST_REST.match(table[5])
    assert rest is not None, table[5]
    shares = [float(r.group(4)) for r in rows if r is not None] + [float(rest.group(2))]
    assert abs(sum(shares) - 100.0) <= 0.2
    us = [float(r.group(3)) for r in rows if r is not None]
    assert us == sorted(us, reverse=True)


def test_host_profile_rows_subtract_the_timer() -> None:
    from console.bench.host_profile import profile_rows

    # 10 frames; pset: 1000 calls, 50_000 ns timed; cls: 10 calls, 20_000 ns;
    # a timer adds 10 ns inside a call and 30 ns to the frame per call
    table, frame = profile_rows([("pset", 1000, 50_000.0), ("cls", 10, 20_000.0), ("spr", 0, 0.0)],
                                total_ns=200_000.0, frames=10, inside_ns=10.0, whole_ns=30.0)
    assert frame == (200_000 - 1010 * 30) / 10
    assert table[0] == ("pset", 100.0, 40.0, 4000.0)
    assert table[1] == ("cls", 1.0, 1990.0, 1990.0)
    assert table[2] == ("(cart Lua, runtime, host)", 0.0, 0.0, frame - 4000.0 - 1990.0)
    assert len(table) == 3                           # spr was never called
