"""Builds through rp8's cache as users meet them: two copies of the source
tree (two checkouts, or two installed versions) building in turn with one
RP8_CACHE, a build killed midway and run again, `rp8 build --clean`. The
`--aot` ones need only g++; the firmware ones need pico-sdk (PICO_SDK_PATH)
and skip, saying so, without it."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest

from console import cache
from console.firmware.uf2 import FAMILY, uf2_blocks

ROOT = Path(__file__).resolve().parents[2]
TREE = ("aot", "console", "platform", "firmware", "boards", "carts", "benches", "pyproject.toml")
SKIP = shutil.ignore_patterns("__pycache__", "node_modules", "*.o")

needs_sdk = pytest.mark.skipif(not os.environ.get("PICO_SDK_PATH"),
                               reason="PICO_SDK_PATH is not set: firmware builds need a pico-sdk 2.x checkout")
needs_tools = pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None or shutil.which("cmake") is None,
                                 reason="arm-none-eabi-gcc and cmake are needed for firmware builds")


def copy_tree(dest: Path) -> Path:
    """A second copy of the sources (with the built engine), as a second
    checkout or another installed version would be."""
    for name in TREE:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=SKIP)
        else:
            shutil.copy2(src, dest / name)
    return dest


def tree_env(tree: Path, cache_dir: Path) -> dict[str, str]:
    """rp8 of that tree on that cache; a runtime prebuilt by an install of
    the tree (console/aot_prebuilt.py) left unused, so every build is the cache's."""
    return {**os.environ, "PYTHONPATH": str(tree), "RP8_CACHE": str(cache_dir), "RP8_NO_PREBUILT": "1"}


def rp8(tree: Path, args: list[str], cache_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "console", *args], cwd=tree, capture_output=True, text=True,
                          env=tree_env(tree, cache_dir), timeout=900)


def start_rp8(tree: Path, args: list[str], cache_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "console", *args], cwd=tree, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, text=True, start_new_session=True,
                            env=tree_env(tree, cache_dir))


def kill_when(proc: subprocess.Popen[str], ready: Callable[[], bool]) -> None:
    """Kill the process and everything it started (compilers included) once
    ready() holds; fails if it ends first."""
    while not ready():
        assert proc.poll() is None, "the build ended before it could be killed"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def entries(cache_dir: Path, kind: str) -> list[str]:
    folder = cache_dir / kind
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) if folder.is_dir() else []


# ---- rp8 run --aot ----

AOT_RUN = ["run", "carts/hello.p8", "--aot", "--headless", "--frames", "3", "--out"]
HELLO_FRAME = "hello.p8: 3 frames, last frame "


def test_aot_two_trees_in_turn_share_only_what_is_identical(tmp_path: Path) -> None:
    one = ROOT
    two = copy_tree(tmp_path / "two")
    # the second tree is another version: its desktop platform differs by a comment
    host = two / "platform" / "host" / "host.c"
    host.write_text(host.read_text() + "\n/* another version */\n")
    cache_dir = tmp_path / "cache"
    outs = []
    for i, tree in enumerate((one, two, one)):
        done = rp8(tree, AOT_RUN + [str(tmp_path / f"out{i}")], cache_dir)
        assert done.returncode == 0, done.stderr
        outs.append(done.stdout)
    assert all(HELLO_FRAME in o for o in outs)
    assert outs[0].split(HELLO_FRAME)[1][:12] == outs[1].split(HELLO_FRAME)[1][:12]
    names = entries(cache_dir, "aot")
    # one runtime library (identical sources), two builds of the runner and
    # platform objects and two cart libraries (the platform differs)
    assert [n.split("-")[0] for n in names] == ["cart", "cart", "player", "player", "rt"], names
    assert all(cache.is_complete(cache_dir / "aot" / n) for n in names)


def test_aot_a_build_killed_midway_is_rebuilt(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    aot = cache_dir / "aot"

    def compiling() -> bool:
        return aot.is_dir() and any(p.name.startswith(cache.TMP_PREFIX) and any(p.iterdir())
                                    for p in aot.iterdir())

    proc = start_rp8(ROOT, AOT_RUN + [str(tmp_path / "out0")], cache_dir)
    kill_when(proc, compiling)
    # what the killed build left is never taken for an entry
    assert all(cache.is_complete(aot / n) for n in entries(cache_dir, "aot"))
    done = rp8(ROOT, AOT_RUN + [str(tmp_path / "out1")], cache_dir)
    assert done.returncode == 0, done.stderr
    assert HELLO_FRAME in done.stdout


def test_aot_a_damaged_library_is_rebuilt_not_loaded(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    done = rp8(ROOT, AOT_RUN + [str(tmp_path / "out0")], cache_dir)
    assert done.returncode == 0, done.stderr
    [cart] = [n for n in entries(cache_dir, "aot") if n.startswith("cart-")]
    lib = cache_dir / "aot" / cart / "cart.so"
    lib.write_bytes(lib.read_bytes()[:4096])          # as a full disk or a crash would leave it
    again = rp8(ROOT, AOT_RUN + [str(tmp_path / "out1")], cache_dir)
    assert again.returncode == 0, again.stderr
    assert again.stdout.split(HELLO_FRAME)[1][:12] == done.stdout.split(HELLO_FRAME)[1][:12]
    assert cache.is_complete(cache_dir / "aot" / cart)


# ---- rp8 build ----

def build_args(out: Path, *extra: str) -> list[str]:
    return ["build", "carts/hello.p8", "--board", "pico-lcd13", "-o", str(out), *extra]


def assert_uf2(path: Path) -> None:
    blocks = uf2_blocks(path.read_bytes())
    assert blocks[0][0] == 0x10000000 and blocks[0][2] == FAMILY["rp2040"]


@needs_sdk
@needs_tools
def test_firmware_two_trees_in_turn_with_one_cache(tmp_path: Path) -> None:
    two = copy_tree(tmp_path / "two")
    cache_dir = tmp_path / "cache"
    for i, tree in enumerate((ROOT, two, ROOT)):
        out = tmp_path / f"hello{i}.uf2"
        done = rp8(tree, build_args(out), cache_dir)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "refused" not in done.stderr and "did not finish" not in done.stderr
        assert_uf2(out)
    # each tree has its own CMake folder, found again on its next build
    assert len(entries(cache_dir, "firmware")) == 2
    assert (tmp_path / "hello0.uf2").read_bytes() == (tmp_path / "hello2.uf2").read_bytes()


@needs_sdk
@needs_tools
def test_firmware_a_cmake_cache_from_another_tree_is_replaced(tmp_path: Path) -> None:
    # what every user met before the cache was keyed: one build folder, two trees
    two = copy_tree(tmp_path / "two")
    build = tmp_path / "shared-build"
    done = rp8(ROOT, build_args(tmp_path / "a.uf2", "--build-dir", str(build)), tmp_path / "cache")
    assert done.returncode == 0, done.stderr
    done = rp8(two, build_args(tmp_path / "b.uf2", "--build-dir", str(build)), tmp_path / "cache")
    assert done.returncode == 0, done.stderr
    notes = [line for line in done.stderr.splitlines() if line.startswith("rp8:")]
    assert notes == [f"rp8: CMake refused the cached build in {build / 'cmake'}; reconfiguring in a fresh folder"]
    assert_uf2(tmp_path / "b.uf2")


@needs_sdk
@needs_tools
def test_firmware_a_build_killed_midway_starts_afresh(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"

    def compiling() -> bool:
        logs = list((cache_dir / "firmware").glob("*/build.log")) if (cache_dir / "firmware").is_dir() else []
        return any("--build" in log.read_text() for log in logs)

    proc = start_rp8(ROOT, build_args(tmp_path / "x.uf2"), cache_dir)
    kill_when(proc, compiling)
    done = rp8(ROOT, build_args(tmp_path / "hello.uf2"), cache_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    [folder] = entries(cache_dir, "firmware")
    notes = [line for line in done.stderr.splitlines() if line.startswith("rp8:")]
    assert notes == [f"rp8: the last build in {cache_dir / 'firmware' / folder} did not finish; starting it afresh"]
    assert_uf2(tmp_path / "hello.uf2")
    again = rp8(ROOT, build_args(tmp_path / "clean.uf2", "--clean"), cache_dir)
    assert again.returncode == 0 and again.stderr == "", again.stderr
    assert (tmp_path / "clean.uf2").read_bytes() == (tmp_path / "hello.uf2").read_bytes()
