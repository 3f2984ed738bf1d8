"""`rp8 export CART --html`: the page's two forms, and the message without
emscripten (the pages' behaviour: tests/web/test_web_browser.py; frames:
tests/web/test_web_frames.py)."""
from __future__ import annotations

import base64
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
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


# ------------------------------------------------------------ multicarts (no emscripten needed)

MULTI = ROOT / "tests" / "fixtures" / "web_multi"
HEADER = "pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"


def test_bundle_finds_the_carts_a_cart_names() -> None:
    from console.web_export import bundle

    carts, notes = bundle(MULTI / "title.p8")
    assert [(c.name, c.code is not None) for c in carts] == [("title.p8", True), ("rooms/level.p8", True),
                                                            ("rooms/tiles.p8", False)]
    assert notes == ["bundled rooms/level.p8 (load() in title.p8)",
                     "bundled rooms/tiles.p8 (reload() in rooms/level.p8; data only)",
                     "title.p8 tab 0 line 3: load('missing'): no such cart beside it; "
                     "load() returns false in the page"]
    assert carts[2].rom[4:8] == bytes([0xcc] * 4)      # the top row of tiles.p8's sprite 1


def test_bundle_extra_carts_folders_and_run_time_names(tmp_path: Path) -> None:
    from console.web_export import bundle

    (tmp_path / "levels").mkdir()
    (tmp_path / "main.p8").write_text(HEADER + "reload(0, 0, 4, 'levels/a')\nload('levels/a.p8', 'm')\n"
                                      "load('l'..'x')\n")
    # a cart in levels/ names its neighbours as the desktop finds them: beside itself
    (tmp_path / "levels" / "a.p8").write_text(HEADER + "reload(0, 0, 4, 'b.p8')\n")
    (tmp_path / "levels" / "b.p8").write_text(HEADER)
    (tmp_path / "extra.p8").write_text(HEADER)
    carts, notes = bundle(tmp_path / "main.p8", [tmp_path / "extra.p8"])
    # reload() first, load() later: the cart comes in whole
    assert [(c.name, c.code is not None) for c in carts] == [
        ("main.p8", True), ("extra.p8", True), ("levels/a.p8", True), ("levels/b.p8", False)]
    assert notes == ["bundled extra.p8 (named on the command line)",
                     "bundled levels/a.p8 (reload() in main.p8, load() in main.p8)",
                     "bundled levels/b.p8 (reload() in levels/a.p8; data only)",
                     "main.p8 tab 0 line 3: a cart name made at run time; "
                     "name the carts it may be on the command line"]


def test_bundle_refuses_a_cart_outside_the_folder(tmp_path: Path) -> None:
    from aot.errors import UserError
    from console.web_export import bundle

    (tmp_path / "game").mkdir()
    (tmp_path / "game" / "main.p8").write_text(HEADER)
    (tmp_path / "other.p8").write_text(HEADER)
    with pytest.raises(UserError, match="other.p8: not in the folder of the first cart"):
        bundle(tmp_path / "game" / "main.p8", [tmp_path / "other.p8"])
    with pytest.raises(UserError, match="nothere.p8: no such cart"):
        bundle(tmp_path / "game" / "main.p8", [tmp_path / "nothere.p8"])


def test_a_page_holds_at_most_16_carts() -> None:
    from aot.errors import UserError
    from console.aot_build import compile_source
    from console.web_build import BundledCart, build_module
    from aot.source import Source

    code = compile_source(Source("", "a.p8"))
    carts = [BundledCart(f"c{k}.p8", b"", code) for k in range(17)]
    with pytest.raises(UserError, match="at most 16 carts .* this one would hold 17"):
        build_module(carts)


def test_bundle_table_names_are_c_strings() -> None:
    from console.web_build import BundledCart, bundle_cpp

    text = bundle_cpp([BundledCart("a.p8", b"", None), BundledCart('we"ird\\é.p8', b"", None)])
    assert '{"we\\042ird\\134\\303\\251.p8", 0, rp8_cart_rom_1},' in text
    assert "rp8web_ncarts = 2;" in text


def test_extra_carts_on_the_command_line(tmp_path: Path) -> None:
    # after --html too; without --html, refused; without emcc, the install hint
    (tmp_path / "a.p8").write_text(HEADER)
    (tmp_path / "b.p8").write_text(HEADER)
    bare = tmp_path / "bin"
    bare.mkdir()
    done = rp8("export", "a.p8", "--html", "b.p8", "-o", "p.html", path=str(bare), cwd=tmp_path)
    assert done.returncode != 0 and "emcc: not found" in done.stderr, done.stderr
    done = rp8("export", "a.p8", "-o", "c.p8", "b.p8", cwd=tmp_path)
    assert done.returncode != 0
    assert "b.p8: more carts go into a web page only (--html)" in done.stderr
    done = rp8("export", "a.p8", "--html", "b.p8", "--bogus", cwd=tmp_path)
    assert done.returncode != 0 and "unrecognized arguments: --bogus" in done.stderr
