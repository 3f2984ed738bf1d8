"""Every cart in ../shared/corpus/carts boots and runs 600 frames with a
scripted input (console.desktop.buttons.demo_script: X, O and the arrows in
turn) without a Lua error, and ends on a screen that is not blank."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("console._engine")
pytest.importorskip("lupa")

from conftest import CORPUS  # noqa: E402
from console.desktop.buttons import demo_script  # noqa: E402
from console.desktop.frameloop import Console, Options  # noqa: E402
from console.desktop.headless import run_headless  # noqa: E402

FRAMES = 600

# Carts that cannot pass, each with the exact reason.
KNOWN = {
    "_env.p8": "the cart itself ends its top level with assert(false) (line 25): an _ENV "
               "experiment, not a game",
    "test.p8.png": "only defines a cheat-code helper: no _update/_draw, nothing is drawn",
}


def _carts() -> list[str]:
    root = CORPUS / "carts"
    if not root.is_dir():
        return ["(no corpus)"]
    found = [p for p in root.rglob("*") if p.is_file() and
             (p.name.endswith(".p8") or p.name.endswith(".p8.png"))]
    return sorted(str(p.relative_to(root)) for p in found)


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RP8_DATA", str(tmp_path / "rp8-data"))


@pytest.mark.parametrize("name", _carts())
def test_cart_runs_600_frames(corpus: Path, name: str, tmp_path: Path) -> None:
    if Path(name).name in KNOWN:
        pytest.xfail(KNOWN[Path(name).name])
    options = Options(seed=0, fixed_clock=True, frame_timeout=30, printh=lambda s: None,
                      printh_dir=tmp_path)
    con = Console.from_path(corpus / "carts" / name, options)
    res = run_headless(con, FRAMES, demo_script(FRAMES))
    assert res.error is None, f"frame {res.frames}: {res.error.message} {res.error.places}"
    assert res.status == "frame" and res.frames == FRAMES
    assert len(set(con.indices())) > 1, "blank screen after 600 frames"


def test_galton_board_fills_its_histogram(corpus: Path) -> None:
    """galton-board-tweet.p8 sets _ENV to a particle table and then calls
    pset, poke, cos and sin, which PICO-8 keeps as top-level locals (see
    aot/lua_backend.py PICO8_LOCAL_BUILTINS); particles that land poke their
    column's count into RAM 0-127, the histogram it draws. Each frame draws
    the whole dithered peg board (colour 5, one line per column) and 128
    particles fall at once."""
    options = Options(seed=0, fixed_clock=True, printh=lambda s: None)
    con = Console.from_path(corpus / "carts" / "galton-board-tweet.p8", options)
    res = run_headless(con, FRAMES)
    assert res.error is None and res.frames == FRAMES
    assert sum(1 for c in con.indices() if c == 5) > 1000
    assert sum(con.machine.ram[0:128]) > 100
