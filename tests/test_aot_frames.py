"""Differential frame tests: every cart in carts/ and ../shared/corpus/carts
runs in the desktop interpreter and as its AOT build (C++ through g++,
loaded as a shared library) with the same input script and seed; the
screens must be identical at every frame, the frame kinds and printh
output too. A mismatch names the first differing frame and pixel.

FRAMES frames per cart keeps the suite's time reasonable; the comparison
itself has no such limit (tests/aot_frames.py).

Known, legitimate differences are xfail with the reason:
  - a cart that draws stat(1) shows CPU use, which the interpreter
    estimates from its model of PICO-8's VM and the compiled cart measures
    on this machine's clock;
  - after a frame the interpreter reports over PICO-8's CPU budget, it
    cuts or drops frames as PICO-8 would; the compiled cart has no
    instruction count to do the same, so a later difference is expected
    (a difference before any such frame still fails).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from aot_frames import compare, need_gxx, script_for
from conftest import CORPUS

pytest.importorskip("console._engine")

FRAMES = 60
ROOT = Path(__file__).resolve().parent.parent
OWN = sorted((ROOT / "carts").glob("*.p8"))
THEIRS = sorted((CORPUS / "carts").glob("*.p8*")) if (CORPUS / "carts").is_dir() else []

# carts that print stat(1) on screen (checked in their source)
SHOWS_CPU = {"cast.p8", "mode7_tline3.p8", "10440.p8.png"}


def _run(cart: Path, tmp_path: Path) -> None:
    need_gxx()
    from console.runtime.aot_player import AotConsole
    from console.runtime.frameloop import Console, Options

    def opts() -> Options:
        return Options(seed=0, fixed_clock=True, printh=lambda s: None, data_dir=tmp_path,
                       printh_dir=tmp_path / "printh", frame_timeout=20.0)
    aot = AotConsole.from_path(cart, opts())
    lua = Console.from_path(cart, opts())
    try:
        diff = compare(aot, lua, FRAMES, script_for(cart, FRAMES))
    finally:
        aot.close()
    if diff.mismatch is not None and cart.name in SHOWS_CPU:
        pytest.xfail(f"draws stat(1) (measured CPU in the compiled cart): {diff.mismatch}")
    if diff.mismatch is not None and diff.over_budget is not None and diff.over_budget <= diff.frames:
        pytest.xfail(f"{diff.mismatch}, after the interpreter went over PICO-8's CPU budget at frame "
                     f"{diff.over_budget}, which compiled carts do not model")
    assert diff.mismatch is None, f"{cart.name}: {diff.mismatch}"


@pytest.mark.parametrize("cart", OWN, ids=[p.name for p in OWN])
def test_own_cart(cart: Path, tmp_path: Path) -> None:
    _run(cart, tmp_path)


@pytest.mark.parametrize("name", [p.name for p in THEIRS] or ["(no corpus)"])
def test_corpus_cart(name: str, corpus: Path, tmp_path: Path) -> None:
    _run(corpus / "carts" / name, tmp_path)
