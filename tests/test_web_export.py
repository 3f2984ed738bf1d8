"""`rp8 export CART --html`: the page's two forms, and the message without
emscripten (the pages' behaviour: tests/test_web_browser.py; frames:
tests/test_web_frames.py)."""
from __future__ import annotations

import base64
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HELLO = ROOT / "carts" / "hello.p8"


def rp8(*args: str, path: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    import os
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if path is not None:
        env["PATH"] = path
    return subprocess.run([sys.executable, "-m", "console", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=600)


def test_without_emscripten_says_how_to_install(tmp_path: Path) -> None:
    bare = tmp_path / "bin"
    bare.mkdir()
    done = rp8("export", str(HELLO), "--html", "-o", str(tmp_path / "p.html"), path=str(bare))
    assert done.returncode != 0
    assert "emcc: not found" in done.stderr and "apt install emscripten" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "p.html").exists()


def test_label_refused_with_html(tmp_path: Path) -> None:
    done = rp8("export", str(HELLO), "--html", "--label", "x.png")
    assert done.returncode != 0 and "a web page shows no label" in done.stderr


def test_one_file_and_folder(tmp_path: Path) -> None:
    if shutil.which("emcc") is None:
        pytest.skip("emscripten (emcc) not installed: apt install emscripten")
    done = rp8("export", str(HELLO), "--html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "hello.html").read_text()
    # self-contained: no script or resource fetched from anywhere
    assert "src=" not in page
    wasm64 = re.search(r'id="rp8-wasm">([A-Za-z0-9+/=]+)</script>', page).group(1)
    assert base64.b64decode(wasm64)[:4] == b"\0asm"
    done = rp8("export", str(HELLO), "--html", "-o", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    site = tmp_path / "site"
    assert sorted(p.name for p in site.iterdir()) == ["cart.js", "cart.wasm", "index.html"]
    assert (site / "cart.wasm").read_bytes() == base64.b64decode(wasm64)
    assert '<script src="cart.js"></script>' in (site / "index.html").read_text()
