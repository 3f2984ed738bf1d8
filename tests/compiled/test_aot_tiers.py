"""Which build of a compiled cart plays (console/aot_tiers.py): a new cart's
first play runs the quick build while the optimised one is made in the
background, later plays run the optimised one; the cache's states (quick
only, both, a failed optimised build) and the forced tiers."""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from console import aot_build, aot_tiers, cache
from console.aot_toolchain import host_toolchain, player_toolchain
from console.desktop.aot_player import AotConsole
from console.desktop.frameloop import Options
from console.sources import CARTS_DIR
from conftest import CORPUS

pytestmark = pytest.mark.skipif(shutil.which("g++") is None and shutil.which("clang++") is None,
                                reason="compiled carts need a C++ compiler")

CART = """
t = 0
function _update() t += 1 end
function _draw()
 cls(1)
 for i = 0, 15 do circfill(64 + cos(t / 60 + i / 16) * 40, 64 + sin(t / 60 + i / 16) * 40, 3, i) end
 print(t * 7 % 1000, 4, 4, 7)
end
"""


@pytest.fixture(autouse=True)
def _own_background_lock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The one-at-a-time lock of background builds is this test's own: the
    cache is the user's, where another rp8 may be building."""
    name = f"aot-background-test-{uuid.uuid4()}"
    monkeypatch.setattr(aot_tiers, "BACKGROUND_LOCK", name)
    yield
    cache.lock_file(name).unlink(missing_ok=True)


def new_cart(folder: Path) -> Path:
    """A cart the cache has never seen (new code, so new builds)."""
    path = folder / "tiers.p8"
    path.write_text("pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"
                    f"salt = \"{uuid.uuid4()}\"\n{CART}")
    return path


def boot(path: Path, build: str) -> tuple[AotConsole, list[str]]:
    said: list[str] = []
    return AotConsole.from_path(path, Options(seed=0, on_progress=said.append), build=build), said


def optimised_key(con: AotConsole) -> str:
    return aot_build.library_key(con.compiled, con.boot_info.rom, player_toolchain(host_toolchain()))


def has_optimised(con: AotConsole) -> bool:
    return aot_build.find_player_library(con.compiled, con.boot_info.rom, host_toolchain()) is not None


def hashes(con: AotConsole, frames: int) -> list[str]:
    out = []
    for _ in range(frames):
        con.step()
        out.append(con.frame_hash())
    con.close()
    return out


def test_a_new_cart_plays_the_quick_build_then_the_optimised_one(tmp_path: Path) -> None:
    path = new_cart(tmp_path)
    first, said = boot(path, "tiered")
    assert first.tier == "quick"
    assert said[-2:] == [f"compiling tiers.p8 to native code: quick build ({aot_build.compile_jobs()} compilers)",
                         "playing the quick build of tiers.p8; the optimised build is being made in the "
                         "background for the next play"]
    with cache.locked(aot_tiers.lock_of(optimised_key(first))):
        pass                                     # the background build has ended
    assert has_optimised(first)
    second, said = boot(path, "tiered")
    assert (second.tier, said) == ("optimised", [])
    assert hashes(first, 90) == hashes(second, 90)


def test_quick_only_while_another_rp8_builds_the_optimised_one(tmp_path: Path) -> None:
    path = new_cart(tmp_path)
    quick, said = boot(path, "quick")
    assert (quick.tier, len(said)) == ("quick", 1) and not has_optimised(quick)
    fd = cache.hold(aot_tiers.lock_of(optimised_key(quick)))     # as a running background build does
    assert fd is not None
    try:
        again, said = boot(path, "tiered")
    finally:
        os.close(fd)
    assert again.tier == "quick"
    assert said == ["playing the quick build of tiers.p8; another rp8 is making the optimised "
                    "build in the background"]
    assert not has_optimised(again)              # nothing was started beside the holder


def test_a_failed_optimised_build_is_recorded_and_never_played(tmp_path: Path) -> None:
    path = new_cart(tmp_path)
    quick, _ = boot(path, "quick")
    key = optimised_key(quick)
    job = aot_tiers.write_job(quick.compiled, quick.boot_info.rom, host_toolchain(), key)
    (job / "cart0.cpp").write_text("#error the optimiser's build broke\n")
    assert aot_tiers.build_job(job) is False
    assert not job.exists()
    failed = aot_tiers.failure_of(key)
    assert failed is not None and "the optimiser's build broke" in failed.read_text()
    # a half-written optimised entry (a build killed while renaming cannot
    # leave one, but a damaged disk can) is not loaded either
    half = cache.kind_dir("aot") / aot_build.library_name(key)
    half.mkdir()
    (half / "cart.so").write_bytes(b"not a library")
    again, said = boot(path, "tiered")
    assert again.tier == "quick"
    assert said == [f"playing the quick build of tiers.p8; its optimised build failed ({failed})"]
    fd = cache.hold(aot_tiers.lock_of(key))
    assert fd is not None                        # no background build was started
    os.close(fd)


def test_a_build_that_could_not_run_is_tried_again(tmp_path: Path) -> None:
    import json

    path = new_cart(tmp_path)
    quick, _ = boot(path, "quick")
    key = optimised_key(quick)
    job = aot_tiers.write_job(quick.compiled, quick.boot_info.rom, host_toolchain(), key)
    spec = json.loads((job / "job.json").read_text())
    (job / "job.json").write_text(json.dumps({**spec, "cxx": "rp8-test-no-such-g++"}))
    assert aot_tiers.build_job(job) is False
    assert not job.exists() and aot_tiers.failure_of(key) is None and not has_optimised(quick)


@pytest.mark.parametrize("cart", [CARTS_DIR / "particles.p8", CORPUS / "carts" / "birdswithguns.p8"],
                         ids=["particles", "birdswithguns"])
def test_the_forced_tiers_play_the_same_frames(cart: Path) -> None:
    """Screens, frame kinds, printh and CPU counts of both builds, frame by
    frame with the cart's input (support.aot_frames; "compiled" in its
    messages is the quick build, "interpreter" the optimised one)."""
    from support.aot_frames import compare, script_for

    if not cart.is_file():
        pytest.skip(f"corpus not found: {cart}")
    opts = Options(seed=0, fixed_clock=True, printh=lambda s: None)
    quick, fast = (AotConsole.from_path(cart, opts, build=tier) for tier in ("quick", "optimised"))
    assert (quick.tier, fast.tier) == ("quick", "optimised")
    try:
        diff = compare(quick, fast, 300, script_for(cart, 300))
    finally:
        quick.close()
        fast.close()
    assert (diff.mismatch, diff.frames) == (None, 300)


def test_the_build_mode_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from aot.errors import UserError

    monkeypatch.delenv(aot_tiers.MODE_ENV)
    assert aot_tiers.default_mode() == "tiered"
    monkeypatch.setenv(aot_tiers.MODE_ENV, "quick")
    assert aot_tiers.default_mode() == "quick"
    monkeypatch.setenv(aot_tiers.MODE_ENV, "fast")
    with pytest.raises(UserError, match="RP8_AOT_BUILD=fast: not a build mode"):
        aot_tiers.default_mode()


def test_one_background_build_at_a_time(tmp_path: Path) -> None:
    path = new_cart(tmp_path)
    fd = cache.hold(cache.lock_file(aot_tiers.BACKGROUND_LOCK))      # another cart's background build
    assert fd is not None
    try:
        con, said = boot(path, "tiered")
    finally:
        os.close(fd)
    assert con.tier == "quick"
    assert said[-1] == ("playing the quick build of tiers.p8; the optimised build starts on a later play "
                        "(another cart's is being made now)")
    mine = cache.hold(aot_tiers.lock_of(optimised_key(con)))
    assert mine is not None and not has_optimised(con)      # none was started
    os.close(mine)
