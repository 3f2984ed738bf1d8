"""Attack suite, issue 15 finding 8: the extreme-argument battery
(tests/support/attack_battery.py) in both consoles. It ended in SIGSEGV inside
LuaJIT: rawlen of a 1 MiB string gave a number past fix32's range, doubling
it gave inf and NaN, and btn(0, NaN) passed its range check (every
comparison with NaN is false) and indexed RAM through the FFI at NaN. Now
no API result is out of range, and every API entry makes any number a
fix32 before it reaches C, an FFI index or a cost formula."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("console._engine")
pytest.importorskip("lupa")

from support.attack_battery import api_names, battery_cart  # noqa: E402
from support.attack_kit import assert_contained, run_cart, run_py  # noqa: E402

ROUNDS = 4


def _rounds(out: str) -> list[int]:
    return [int(m.group(2)) for m in re.finditer(r"^round (\d+) bad (\d+)$", out, re.M)]


@pytest.mark.parametrize("aot", [False, True], ids=["interp", "aot"])
def test_extreme_argument_battery(tmp_path: Path, aot: bool) -> None:
    """Every API function x the extremes a cart can make, each call in its
    own coroutine, for ROUNDS rounds (over 10,000 calls): no crash, no
    returned number out of range."""
    names = api_names()
    # the compiled cart's 2 MiB arena has no room for s..s at 1 MiB
    code = battery_cart(names, calls=24, string_log2=19 if aot else 20)
    run = run_cart(tmp_path, code, aot=aot, frames=400, timeout=20, wall=300)
    assert_contained(run, rcs=(0,), wall=300)
    bad = _rounds(run.out)
    assert len(bad) >= ROUNDS and not any(bad), run.out[-3000:]
    assert "BAD" not in run.out
    assert len(names) * 24 * ROUNDS > 10_000


def test_battery_with_values_no_cart_can_make(tmp_path: Path) -> None:
    """NaN, infinities and numbers past fix32's range, handed to the cart
    by the host (no cart value can be one now): every API entry still
    turns them into fix32 before C sees them. The host collects garbage
    between frames."""
    code = battery_cart(api_names(), calls=24, string_log2=12, extra=("nan", "inf", "ninf", "big", "tiny"))
    script = f"""
from console.desktop.frameloop import Console, Options
con = Console.from_code({code!r}, "attack.p8", Options(seed=0, printh=print))
env = con.lua.env
for k, v in ((b"nan", float("nan")), (b"inf", float("inf")), (b"ninf", float("-inf")),
             (b"big", 2.0 ** 40), (b"tiny", -1e300)):
    env[k] = v
collect = con.lua.lua.eval("function() collectgarbage() end")
for _ in range(200):
    if con.step() not in ("frame", "skip"):
        print("status", con.status, con.error)
        break
    collect()
"""
    run = run_py(script, tmp_path, wall=300)
    assert_contained(run, rcs=(0,), wall=300)
    # (functions that return an argument -- add, assert, tonum, min --
    # hand the injected values back: BAD lines are expected here)
    assert len(_rounds(run.out)) >= ROUNDS, run.out[-3000:]
    assert "status" not in run.out, run.out[-3000:]


def test_btn_with_nan_player_reads_no_memory(tmp_path: Path) -> None:
    """The crash itself: btn/btnp with a NaN or huge player index."""
    script = """
from console.desktop.frameloop import Console, Options
con = Console.from_code("for i = 1, 3 do local v = ({nan, inf, big})[i] printh(tostr(btn(0, v))..' '..tostr(btnp(0, v))..' '..tostr(btn(v))) end",
                        "attack.p8", Options(seed=0, printh=print))
con.lua.env[b"nan"], con.lua.env[b"inf"], con.lua.env[b"big"] = float("nan"), float("inf"), 2.0 ** 40
print(con.step())
"""
    run = run_py(script, tmp_path)
    assert_contained(run, rcs=(0,))
    assert run.out.splitlines() == ["false false false"] * 3 + ["ended"], run.out


@pytest.mark.parametrize("aot", [False, True], ids=["interp", "aot"])
def test_counts_and_bitfields_stay_fix32(tmp_path: Path, aot: bool) -> None:
    """The sources of out-of-range numbers: rawlen and # of a 64 KiB string wrap."""
    code = """
s = "x" for i = 1, 16 do s = s..s end
t = {} for i = 1, 200 do for j = 1, 200 do add(t, true) end end
printh(rawlen(s)) printh(#s) printh(rawlen(t)) printh(#t) printh(tostr(btn() >= 0))
"""
    run = run_cart(tmp_path, code, aot=aot, frames=1)
    assert_contained(run)
    # (add() appends at #t + 1, which wraps: the table stops at 32767 in both)
    assert run.out.splitlines()[:5] == ["0", "0", "32767", "32767", "true"], run.out
