"""The AOT runtime's collector never changes what a cart does (compiled
carts cannot see collections: no weak tables, no __gc).

- Regression: corpus picodex with a collection every 4 KiB (how `rp8 compat`
  measures a cart's heap) stopped at frame 210 with "attempt to call method
  'tt'": split() left each new piece only in a C++ variable while the table
  it went into grew, so a collection there freed it (rt_table.cpp now pins
  what it inserts while the table grows).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from aot_frames import compare, need_gxx, script_for

pytest.importorskip("console._engine")


def test_picodex_with_a_collection_every_4_kib(corpus: Path, tmp_path: Path) -> None:
    need_gxx()
    from console.runtime.aot_player import AotConsole
    from console.runtime.frameloop import Console, Options
    from console.runtime.heap_need import GC_STEP

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
