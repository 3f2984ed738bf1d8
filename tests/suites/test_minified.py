"""Carts minified by shrinko8 run as their source does (issue 14, s2).

Minifiers write PICO-8's dialect at its tersest: numbers glued to keywords
(`3do`, `0and`), one-line `if`/`while`, `?`, compound assignment, renamed
locals, folded constants. Every cart of carts/ and ../shared/corpus/carts
is minified with `--minify-safe-only` and with `--minify` (shrinko8's
aggressive mode: renames globals and table keys too) and must draw the same
screen, print the same lines and end the same way as its source, frame for
frame, in the interpreter. The compiled console is held to the same under
the `minified_aot` marker (one g++ build per cart and mode, cached by
content), which the default run leaves out for time: `pytest -m
minified_aot`.

Screens and output are compared, not CPU counts: minifying changes how
many VM instructions a cart runs, in PICO-8 as here. Once either side goes
over budget, where its frames are cut depends on those counts, so the
comparison ends at that frame (for the heaviest carts that is early)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from support.aot_frames import need_gxx, script_for
from conftest import CORPUS

pytest.importorskip("console._engine")

FRAMES = 120
ROOT = Path(__file__).resolve().parents[2]
CARTS = sorted((ROOT / "carts").glob("*.p8")) + (
    sorted((CORPUS / "carts").glob("*.p8*")) if (CORPUS / "carts").is_dir() else [])
MODES = {"safe": ["--minify-safe-only"], "aggressive": ["--minify"]}

STAT1 = ("prints stat(1), the CPU used, on screen: minifying changes the count of VM "
         "instructions (in PICO-8 too), so the digits differ")
AGGRESSIVE = ("shrinko8 --minify renames globals and table keys on the assumption that the cart "
              "never reaches one through the other; this cart does (not checked in PICO-8)")
# (cart, mode) -> why its minified form does not match (checked by hand)
KNOWN: dict[tuple[str, str], str] = {
    ("cast.p8", "safe"): STAT1, ("cast.p8", "aggressive"): STAT1,
    ("10440.p8.png", "safe"): STAT1, ("10440.p8.png", "aggressive"): STAT1,
    ("mode7_tline3.p8", "safe"): STAT1, ("mode7_tline3.p8", "aggressive"): STAT1,
    ("galton-board-tweet.p8", "aggressive"): AGGRESSIVE + ": _ENV = p[i] makes fields globals",
    ("justoneboss.p8", "aggressive"): AGGRESSIVE,
}
# carts shrinko8 cannot read: nothing to compare
UNREADABLE = {"birdswithguns.p8": "shrinko8 1.2 fails on the long comment nested inside a long "
                                  "comment at line 431 (PICO-8 nests them)"}


def shrinko8() -> str:
    found = shutil.which("shrinko8") or str(Path(sys.executable).parent / "shrinko8")
    if not Path(found).exists():
        pytest.skip("shrinko8 is not installed (pip install shrinko)")
    return found


def minify(cart: Path, mode: str, out_dir: Path) -> Path:
    if cart.name in UNREADABLE:
        pytest.skip(UNREADABLE[cart.name])
    out = out_dir / (cart.name.split(".")[0] + f".{mode}.p8")
    done = subprocess.run([shrinko8(), str(cart), str(out), *MODES[mode]],
                          capture_output=True, text=True, cwd=cart.parent)
    if done.returncode != 0 or not out.exists():
        pytest.fail(f"shrinko8 {' '.join(MODES[mode])} failed on {cart.name}: {done.stderr[-500:]}")
    # the cart's input script goes with it
    script = cart.with_name(cart.name.split(".")[0] + ".input")
    if script.exists():
        shutil.copy(script, out.with_name(out.name.split(".")[0] + ".input"))
    return out


def options(tmp: Path, side: str) -> Any:
    from console.desktop.frameloop import Options
    return Options(seed=0, fixed_clock=True, printh=lambda s: None, data_dir=tmp / side,
                   printh_dir=tmp / side / "printh", frame_timeout=20.0)


def same_frames(a: Any, b: Any, frames: int, cart: Path) -> str | None:
    """Step both; the first difference in what a player sees, or None."""
    script = script_for(cart, frames)
    for n in range(frames):
        masks = script.masks(n)
        ka, kb = a.step(masks), b.step(masks)
        drawn = ("frame", "skip")
        if (ka in drawn) != (kb in drawn):
            return f"frame {n}: minified {ka!r}, source {kb!r}"
        if ka not in drawn:
            ea, eb = _what(a.error), _what(b.error)
            return None if (ka, ea) == (kb, eb) else f"frame {n}: minified {ka} {ea!r}, source {kb} {eb!r}"
        if a.cpu() >= 1.0 or b.cpu() >= 1.0:
            # over budget: where the frame is cut depends on the counts
            return None
        if ka == kb == "frame" and a.indices() != b.indices():
            return f"frame {n}: the screens differ"
        if a.printh_lines != b.printh_lines:
            return f"frame {n}: printh differs: {a.printh_lines[-2:]} vs {b.printh_lines[-2:]}"
    return None


def _what(error: Any) -> str | None:
    """An error's message without its place (minifying moves lines)."""
    if error is None:
        return None
    return str(error.message).split(": ", 1)[-1]


def check(cart: Path, mode: str, tmp_path: Path, aot: bool) -> None:
    from console.desktop.frameloop import Console
    small = minify(cart, mode, tmp_path)
    if aot:
        need_gxx()
        from console.desktop.aot_player import AotConsole
        a = AotConsole.from_path(small, options(tmp_path, "min"))
    else:
        a = Console.from_path(small, options(tmp_path, "min"))
    b = Console.from_path(cart, options(tmp_path, "src"))
    try:
        diff = same_frames(a, b, FRAMES, cart)
    finally:
        if aot:
            a.close()
    if diff is not None and (cart.name, mode) in KNOWN:
        pytest.xfail(KNOWN[cart.name, mode])
    assert diff is None, f"{cart.name} ({mode}): {diff}"


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("cart", CARTS, ids=[p.name for p in CARTS])
def test_minified_cart_runs_as_its_source(cart: Path, mode: str, tmp_path: Path) -> None:
    check(cart, mode, tmp_path, aot=False)


@pytest.mark.minified_aot
@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("cart", CARTS, ids=[p.name for p in CARTS])
def test_minified_cart_compiled_runs_as_its_source(cart: Path, mode: str, tmp_path: Path) -> None:
    check(cart, mode, tmp_path, aot=True)
