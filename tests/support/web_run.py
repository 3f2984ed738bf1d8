"""Running a compiled cart's WebAssembly build under node (web_frames.cjs),
for the web tests (test_web_frames.py, test_web_depth.py)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parent / "web_frames.cjs"


def need_web_tools() -> None:
    if shutil.which("emcc") is None:
        pytest.skip("emscripten (emcc) not installed: apt install emscripten")
    if shutil.which("node") is None:
        pytest.skip("node not installed: apt install nodejs")


def run_wasm(cart: Path, masks: list[int], tmp_path: Path) -> list[str]:
    """The node harness's lines for the cart's web build."""
    from console import web_build
    from console.web_export import bundle

    module = web_build.build_module(bundle(cart)[0])   # with the carts it loads, as the page
    mask_file = tmp_path / "masks.txt"
    mask_file.write_text(",".join(map(str, masks)))
    done = subprocess.run(["node", str(HARNESS), str(module.js), str(module.wasm), str(mask_file)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.splitlines()
