"""Compiled carts as WebAssembly (console/web_build.py, platform/web) run under
node with the same input script and seed as the desktop interpreter: the
screens must be identical at every frame (SHA-1 of the display colours,
as the interpreter's frame_hash), the frame kinds and the printh output
too. Every cart in carts/ and a few corpus carts (one with coroutines);
the corpus as a whole is tests/compiled/test_aot_frames.py's, on the native build.

Skips, naming what is missing, without emcc (`apt install emscripten`) or
node. A cold run builds each cart with emcc (about a minute each on a
loaded 2-core machine; cached by content afterwards).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from support.aot_frames import script_for
from conftest import CORPUS
from support.web_run import need_web_tools, run_wasm

pytest.importorskip("console._engine")

FRAMES = 300
ROOT = Path(__file__).resolve().parents[2]
OWN = sorted((ROOT / "carts").glob("*.p8"))
CORPUS_SAMPLE = ["jelpi.p8", "guncho.p8"]   # guncho: coroutines
KINDS = {0: "frame", 1: "skip", 2: "ended", 3: "error", 4: "stopped", 5: "load"}


def run_interpreter(cart: Path, masks: list[int], tmp_path: Path) -> tuple[list[str], list[str]]:
    """(kind hash per frame, printh lines) from the desktop interpreter."""
    from console.desktop.frameloop import Console, Options

    printed: list[str] = []
    con = Console.from_path(cart, Options(seed=0, fixed_clock=True, printh=printed.append,
                                          data_dir=tmp_path / "lua", printh_dir=tmp_path / "printh",
                                          frame_timeout=20.0))
    lines = []
    for m in masks:
        kind = con.step([m] + [0] * 7)
        lines.append(f"{kind} {con.frame_hash()}")
        if kind in ("error", "stopped"):
            lines.append(f"message {con.error.message if con.error else con.stop_message}")
        if kind not in ("frame", "skip"):
            break
    return lines, printed


def check(cart: Path, tmp_path: Path, frames: int = FRAMES) -> list[str]:
    """The page's frames and printh against the interpreter's; returns the
    interpreter's printh lines."""
    need_web_tools()
    script = script_for(cart, frames)
    masks = [script.masks(n)[0] for n in range(frames)]
    got = run_wasm(cart, masks, tmp_path)
    frames = [ln for ln in got if not ln.startswith("printh ")]
    wasm = [f"{KINDS[int(ln.split()[0])]} {ln.split()[1]}" if not ln.startswith("message ") else ln
            for ln in frames]
    want, printed = run_interpreter(cart, masks, tmp_path)
    for n, (a, b) in enumerate(zip(wasm, want)):
        assert a == b, f"{cart.name}: frame {n}: wasm {a!r}, interpreter {b!r}"
    assert len(wasm) == len(want), f"{cart.name}: wasm ran {len(wasm)} frames, interpreter {len(want)}"
    text = "\n".join(ln[len("printh "):] for ln in got if ln.startswith("printh ")).rstrip("\n")
    lines = text.splitlines()
    if wasm and wasm[-1].startswith("message ") and lines and lines[-1].startswith("runtime error: "):
        lines.pop()   # the page logs the error it shows (plat_log); the interpreter raises it
    assert lines == [p for s in printed for p in s.splitlines()], f"{cart.name}: printh"
    return printed


@pytest.mark.parametrize("cart", OWN, ids=[p.name for p in OWN])
def test_own_cart(cart: Path, tmp_path: Path) -> None:
    check(cart, tmp_path)


@pytest.mark.parametrize("name", CORPUS_SAMPLE)
def test_corpus_cart(name: str, corpus: Path, tmp_path: Path) -> None:
    check(corpus / "carts" / name, tmp_path)


MULTI = ROOT / "tests" / "fixtures" / "web_multi"


def test_multicart(tmp_path: Path) -> None:
    """title.p8 load()s rooms/level.p8 (found by name, bundled with it)
    with a breadcrumb and a param; level.p8 draws stat(6) and stat(100)
    with sprites reload()ed from tiles.p8 beside it (bundled as data: a
    name found from the running cart's folder), and goes back along the
    breadcrumb: every screen and printh line as the interpreter's, through
    four visits to each cart."""
    printed = check(MULTI / "title.p8", tmp_path, frames=40)
    # what the check held the page to: both carts ran, with the param and the crumb
    assert printed[:3] == ["title  [nil]", "missing false", "level lvl 3 title"]
    assert printed.count("level lvl 3 title") == 4     # loaded on frames 3, 13, 23 and 33
