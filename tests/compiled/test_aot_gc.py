"""The AOT runtime's collector never changes what a cart does (compiled
carts cannot see collections: no weak tables, no __gc).

- Every cart in carts/ and a corpus cart run STRESS_FRAMES frames in a
  GC-stress build under AddressSanitizer (a collection before every
  allocation, freed blocks poisoned: tests/support/aot_stress.py) and must show the
  normal build's frames. RP8_GC_STRESS_ALL=1 runs every corpus cart instead
  of the one (all 36: about 20 minutes on a busy 2-core machine). Found this way: the code
  generator lowered L->top below a caller's top after dropping extra call
  results, so the caller's leftover slots were freed and then marked again
  (porklike, use-after-poison in _init).
- Regression: corpus picodex with a collection every 4 KiB (how `rp8 compat`
  measures a cart's heap) stopped at frame 210 with "attempt to call method
  'tt'": split() left each new piece only in a C++ variable while the table
  it went into grew, so a collection there freed it (rt_table.cpp now pins
  what it inserts while the table grows).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from support.aot_frames import compare, need_gxx, script_for
from support.aot_stress import asan_runtime, frame_hashes, run_stressed
from conftest import CORPUS

pytest.importorskip("console._engine")

ROOT = Path(__file__).resolve().parents[2]
STRESS_FRAMES = 150
OWN = sorted((ROOT / "carts").glob("*.p8"))
# a corpus cart that allocates all the time (strings split into tables,
# closures per object) and draws no stat(0), the one thing a collection
# changes; RP8_GC_STRESS_ALL=1 runs them all (jelpi is another good one)
FEW = ["porklike.p8"]
# cart -> why its frames differ in the stress build though nothing is wrong
KNOWN_DIFFERENCES: dict[str, str] = {}


def _corpus_carts() -> list[str]:
    if os.environ.get("RP8_GC_STRESS_ALL") != "1" or not (CORPUS / "carts").is_dir():
        return FEW
    return sorted(str(p.relative_to(CORPUS / "carts")) for p in (CORPUS / "carts").glob("**/*.p8*")
                  if p.suffix in (".p8", ".png"))


def _stress(cart: Path) -> None:
    need_gxx()
    if asan_runtime() is None:
        pytest.skip("g++ has no libasan.so: the stress build cannot run under AddressSanitizer")
    want = frame_hashes(cart, STRESS_FRAMES)
    got, log = run_stressed([cart], STRESS_FRAMES, timeout=3600)
    assert str(cart) in got, f"the GC-stress build of {cart.name} did not finish: {log}"
    rec = got[str(cart)]
    a, b = rec["hashes"], want["hashes"]
    diff = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), None)
    if diff is None and (len(a), rec["status"], rec["error"]) != (len(b), want["status"], want["error"]):
        diff = min(len(a), len(b))
    if diff is not None and cart.name in KNOWN_DIFFERENCES:
        pytest.xfail(KNOWN_DIFFERENCES[cart.name])
    assert diff is None, (f"{cart.name}: frame {diff} differs in the GC-stress build (stress: "
                          f"{len(a)} frames, {rec['status']}, {rec['error']}; normal: {len(b)} frames, "
                          f"{want['status']}, {want['error']})")


@pytest.mark.parametrize("cart", OWN, ids=[p.name for p in OWN])
def test_own_cart_under_gc_stress(cart: Path) -> None:
    _stress(cart)


@pytest.mark.parametrize("name", _corpus_carts())
def test_corpus_cart_under_gc_stress(name: str, corpus: Path) -> None:
    _stress(corpus / "carts" / name)


def test_picodex_with_a_collection_every_4_kib(corpus: Path, tmp_path: Path) -> None:
    need_gxx()
    from console.desktop.aot_player import AotConsole
    from console.desktop.frameloop import Console, Options
    from console.desktop.heap_need import GC_STEP

    cart = corpus / "carts" / "picodex" / "game.p8"

    def opts(side: str) -> Options:
        return Options(seed=0, fixed_clock=True, printh=lambda s: None, data_dir=tmp_path / side,
                       printh_dir=tmp_path / side / "printh", frame_timeout=20.0)
    aot = AotConsole.from_path(cart, opts("aot"), gc_step=GC_STEP)
    lua = Console.from_path(cart, opts("lua"))
    try:
        diff = compare(aot, lua, 300, script_for(cart, 300))
    finally:
        aot.close()
    assert diff.mismatch is None, diff.mismatch
    assert (diff.frames, diff.status) == (300, "frame")
