"""The Lua heap a cart needs (console.desktop.heap_need): the bytes its
compiled build keeps live at most, in the arena layout devices share, and
"out of memory" exactly when a device's arena is too small."""
from __future__ import annotations

from pathlib import Path

import pytest

from support.aot_frames import need_gxx
from console.desktop.heap_need import GC_STEP, fits, kib, made_of, measure

pytest.importorskip("console._engine")

HEADER = "pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"


def _cart(tmp_path: Path, name: str, code: str) -> Path:
    p = tmp_path / name
    p.write_text(HEADER + code)
    return p


def _kept(n: int) -> str:
    return f"t={{}} for i=1,{n} do t[i]=i end\nfunction _update() end\n"


def test_the_need_is_what_the_cart_keeps(tmp_path: Path) -> None:
    need_gxx()
    base = measure(_cart(tmp_path, "e.p8", "function _update() end\n"), frames=10)
    small = measure(_cart(tmp_path, "a.p8", _kept(1000)), frames=10)
    big = measure(_cart(tmp_path, "b.p8", _kept(2000)), frames=10)
    assert (small.status, small.error, big.status, big.error) == ("frame", None, "frame", None)
    # a 24-byte table header and its array part (8 bytes each value, 8 of
    # header), grown in place as add() doubles it: no old block beside it
    assert small.peak == base.peak + 24 + (8 + 1024 * 8)
    assert big.peak == base.peak + 24 + (8 + 2048 * 8)


def test_garbage_is_not_counted(tmp_path: Path) -> None:
    need_gxx()
    base = measure(_cart(tmp_path, "a.p8", "function _update() end\n"), frames=60).peak
    # a 1024-value table made and dropped every frame, 60 times: at most one
    # of them is live, growing (its header, 512- and 1024-value arrays)
    churn = measure(_cart(tmp_path, "c.p8", "function _update() local t={} for i=1,1000 do t[i]=i end end\n"),
                    frames=60).peak
    assert churn <= base + 24 + (8 + 512 * 8) + (8 + 1024 * 8)


def test_an_arena_too_small_is_out_of_memory_as_on_the_device(tmp_path: Path) -> None:
    need_gxx()
    cart = _cart(tmp_path, "b.p8", _kept(2000))
    need = measure(cart, frames=5)
    assert fits(cart, need, need.peak - 1024, frames=5) is None      # known without a run
    tight = measure(cart, frames=5, limit=need.peak - 1024)
    assert tight.out_of_memory and tight.status == "error" and tight.frames == 0
    # the array part grows in place, so an arena just above the need holds it
    roomy = fits(cart, need, need.peak + GC_STEP, frames=5)
    assert roomy is not None and not roomy.out_of_memory and roomy.frames == 5


def test_the_capped_run_collects_as_a_device_does(corpus: Path) -> None:
    """fits() runs the cart as a device does, the collector paced as shipped:
    runjumpdie needs ~113 KiB, and in a Pico's 124.5 KiB (the drawing code in
    flash) it ran 1800 frames collecting every 4 KiB, but runs out of memory at
    frame 77 as shipped (free space in pieces), on the desktop as in the RP2040
    bench image. The capped run used to collect every 4 KiB, and said it fits."""
    need_gxx()
    cart = corpus / "carts" / "runjumpdie.p8.png"
    need = measure(cart, frames=100)
    assert 100 * 1024 < need.peak < 127488 and not need.out_of_memory
    assert not measure(cart, frames=100, limit=127488, step=GC_STEP).out_of_memory
    capped = fits(cart, need, 127488, frames=100)
    assert capped is not None and capped.out_of_memory and capped.frames == 77


def test_a_grown_block_that_is_not_the_last_moves(tmp_path: Path) -> None:
    need_gxx()
    # two arrays doubling at the same items: when t's part doubles, s's was
    # made after it, so t's is not the last block and is copied to a new
    # block beside the old one
    code = "t={} s={} for i=1,2000 do t[i]=i s[i]=tostr(i)..'x' end\nfunction _update() end\n"
    cart = _cart(tmp_path, "m.p8", code)
    need = measure(cart, frames=5)
    assert need.peak >= (8 + 1024 * 8) + (8 + 2048 * 8)


def test_the_peak_is_told_by_kind(tmp_path: Path) -> None:
    need_gxx()
    base = measure(_cart(tmp_path, "e.p8", "l={}\nfunction _update() end\n"), frames=5)
    # 100 points of two fields: each a 24-byte header and a hash part of two
    # 12-byte nodes (4 bytes of header, 8-byte granules: 32); the list's
    # array part doubled to 128 values
    pts = measure(_cart(tmp_path, "p.p8", "l={} for i=1,100 do l[i]={x=i,y=i} end\nfunction _update() end\n"),
                  frames=5)
    c, b = pts.peak_census, base.peak_census
    assert sum(n for k, n in c.items() if k != "free") == pts.peak
    assert c["table"] - b["table"] == 100 * 24
    assert c["nodes"] - b.get("nodes", 0) == 100 * 32
    assert c["array"] - b.get("array", 0) == 8 + 128 * 8
    assert made_of({"nodes": 3 * 1024, "table": 1024, "free": 9999}) == \
        "hash parts 3 KiB (75%), table headers 1 KiB (25%)"


def test_kib_rounds_up() -> None:
    assert (kib(0), kib(1), kib(1024), kib(1025)) == ("0 KiB", "1 KiB", "1 KiB", "2 KiB")


def test_the_coroutines_kept_alive_at_once_are_counted(tmp_path: Path) -> None:
    """A device's coroutine pool must hold them (rp8 build sizes it from this):
    5 kept in a table, then dropped; 2 more made one at a time and finished."""
    need_gxx()
    code = ("cs={} for i=1,5 do cs[i]=cocreate(function() yield() end) end\n"
            "function _update() if cs then cs=nil end local c=cocreate(function() end) coresume(c) end\n")
    run = measure(_cart(tmp_path, "co.p8", code), frames=10)
    assert (run.status, run.error) == ("frame", None)
    assert run.coroutines == 6      # the five, and the frame's own while they were still alive
    assert measure(_cart(tmp_path, "none.p8", "function _update() end\n"), frames=3).coroutines == 0
