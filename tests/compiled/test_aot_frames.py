"""Differential frame tests: every cart in carts/ and ../shared/corpus/carts
runs in the desktop interpreter and as its AOT build (C++ through g++,
loaded as a shared library) with the same input script and seed; the
screens must be identical at every frame, the frame kinds, the printh
output and the CPU model's counts too (tests/support/aot_frames.py). A mismatch
names the first differing frame and pixel.

Both run the same CPU model (aot/costs.py, console/desktop/host_lua.lua,
aot/runtime/rt_cpu.h), so carts that go over PICO-8's budget, skip draws or
draw stat(1) on screen are held to the same frames as any other.

FRAMES frames per cart: 600 (20 s of a 30 fps cart). Stepping both
consoles is cheap (the slowest cart, heartbyte, takes about 4 s for both);
most of a cold run is g++ building each cart once (cached by content).

A cart that still differs is xfail with the investigated reason in
KNOWN_DIFFERENCES (first frame, what differs, why); the test still fails if
it differs earlier than that frame.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from support.aot_frames import compare, need_gxx, script_for
from console.compat.probe import STAT0_PIN
from conftest import CORPUS

pytest.importorskip("console._engine")

FRAMES = 600
ROOT = Path(__file__).resolve().parents[2]
OWN = sorted((ROOT / "carts").glob("*.p8"))
THEIRS = sorted((CORPUS / "carts").glob("*.p8*")) if (CORPUS / "carts").is_dir() else []

# cart -> (first differing frame, why)
KNOWN_DIFFERENCES: dict[str, tuple[int, str]] = {}


def _run(cart: Path, tmp_path: Path) -> None:
    need_gxx()
    from console.desktop.aot_player import AotConsole
    from console.desktop.frameloop import Console, Options

    def opts(side: str) -> Options:
        # each its own cartdata: the first to save would change what the other loads
        return Options(seed=0, fixed_clock=True, printh=lambda s: None, data_dir=tmp_path / side,
                       printh_dir=tmp_path / side / "printh", frame_timeout=20.0,
                       stat0_pin=STAT0_PIN)
    aot = AotConsole.from_path(cart, opts("aot"))
    lua = Console.from_path(cart, opts("lua"))
    try:
        diff = compare(aot, lua, FRAMES, script_for(cart, FRAMES))
    finally:
        aot.close()
    known = KNOWN_DIFFERENCES.get(cart.name)
    if diff.mismatch is not None and known is not None and diff.frames >= known[0]:
        pytest.xfail(f"{diff.mismatch}: {known[1]}")
    assert diff.mismatch is None, f"{cart.name}: {diff.mismatch}"


@pytest.mark.parametrize("cart", OWN, ids=[p.name for p in OWN])
def test_own_cart(cart: Path, tmp_path: Path) -> None:
    _run(cart, tmp_path)


@pytest.mark.parametrize("name", [p.name for p in THEIRS] or ["(no corpus)"])
def test_corpus_cart(name: str, corpus: Path, tmp_path: Path) -> None:
    _run(corpus / "carts" / name, tmp_path)
