"""`rp8 compat`: the report on a fixture folder of four carts (one that
runs, a syntax error in a subfolder, a runtime error at frame 9, a blank
screen), its JSON, exit status, progress lines and HTML contact sheet.

Each cart runs in its own worker process, as users run the command."""
from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from support.aot_frames import need_gxx

pytest.importorskip("console._engine")

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "compat"


def _rp8(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "console", "compat", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def _carts(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {}
    for c in report["carts"]:
        c = dict(c)
        assert c.pop("seconds") >= 0
        out[c.pop("cart")] = c
    return out


def test_fixture_folder_report_and_exit_status(tmp_path: Path) -> None:
    done = _rp8("tests/fixtures/compat", "--frames", "30", "--jobs", "2",
                "--json", str(tmp_path / "r.json"))
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("1 of 4 carts run (30 frames each, ")
    report = json.loads((tmp_path / "r.json").read_text())
    assert (report["schema"], report["frames"], report["aot"], report["summary"]) == \
        ("rp8-compat/1", 30, False, "1 of 4 carts run")
    # sub/lib.p8 has no cart header: plain Lua for #include, not a cart
    assert _carts(report) == {
        "tests/fixtures/compat/blank.p8": {
            "loads": True, "runs": True, "error": None, "frames": 30, "status": "frame", "blank": True, "verdict": "blank"},
        "tests/fixtures/compat/good.p8": {
            "loads": True, "runs": True, "error": None, "frames": 30, "status": "frame", "blank": False, "verdict": "runs"},
        "tests/fixtures/compat/runtime.p8": {
            "loads": True, "runs": False, "frames": 9, "status": "error", "blank": False,
            "verdict": "runtime",
            "error": {"kind": "runtime", "where": "tab 0 line 6",
                      "message": "runtime.p8 tab 0 line 6: attempt to index local 't' (a nil value)"}},
        "tests/fixtures/compat/sub/syntax.p8": {
            "loads": False, "runs": False, "frames": 0, "status": "error", "blank": True,
            "verdict": "syntax",
            "error": {"kind": "syntax", "where": "tab 1 line 1",
                      "message": "syntax error: syntax.p8 tab 1 line 1:5: unexpected symbol near '='"}},
    }
    # progress: one line per cart on stderr, "[k/4] VERDICT path ..."
    progress = sorted(ln.split("] ", 1)[1].split()[0] for ln in done.stderr.splitlines())
    assert progress == ["blank", "runs", "runtime", "syntax"]


def test_every_cart_running_exits_0(tmp_path: Path) -> None:
    done = _rp8(str(FIXTURES / "good.p8"), "--frames", "5")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("1 of 1 carts run (5 frames each, ")


def test_bad_arguments_are_one_line_exit_2(tmp_path: Path) -> None:
    done = _rp8(str(tmp_path / "nothing-here"))
    assert (done.returncode, done.stderr.strip()) == \
        (2, f"rp8: {tmp_path / 'nothing-here'}: no such file or folder")
    done = _rp8(str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.strip() == f"rp8: no carts (.p8, .p8.png, .p8.rom) found in {tmp_path}"


def test_a_cart_stuck_in_a_loop_shows_no_frame(tmp_path: Path) -> None:
    # the CPU model ends each frame at the budget: the cart runs on, but
    # never draws
    (tmp_path / "hang.p8").write_text("pico-8 cartridge // http://www.pico-8.com\nversion 42\n"
                                      "__lua__\nfunction _update()\n while true do end\nend\n")
    done = _rp8(str(tmp_path / "hang.p8"), "--frames", "5", "--json", str(tmp_path / "r.json"))
    assert done.returncode == 1
    (cart,) = json.loads((tmp_path / "r.json").read_text())["carts"]
    assert (cart["verdict"], cart["frames"], cart["runs"], cart["error"]) == \
        ("blank", 5, True, None)


def test_aot_compares_frames_with_the_interpreter(tmp_path: Path) -> None:
    need_gxx()
    one = tmp_path / "one.p8"
    one.write_text("pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"
                   "t = {}\nfunction _draw() cls(1) pset(1, 1, 7) end\n")
    done = _rp8(str(FIXTURES / "good.p8"), str(FIXTURES / "runtime.p8"), str(one), "--aot",
                "--frames", "20", "--json", str(tmp_path / "r.json"))
    assert done.returncode == 1, done.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["summary"] == "2 of 3 carts run (interpreter and compiled: identical frames)"
    good, runtime, small = report["carts"]
    # heap: the bytes the compiled cart keeps live (console.desktop.heap_need),
    # as a device's arena holds them. Most are the runtime's own (the BIOS's
    # string constants: they grow as the BIOS does), the same in every cart;
    # one.p8 keeps one empty table more than good.p8: a table header, 24 bytes
    # (since cedc00d)
    heap = small["aot"]["heap"] - good["aot"].pop("heap")
    assert good["aot"] == {"frames": 20, "status": "frame", "equal": True, "first_diff": None,
                           "error": None}
    assert heap == 24
    assert good["verdict"] == "runs"
    # both consoles stop at the same frame with the same message
    assert runtime["aot"]["frames"] == 9 and runtime["aot"]["equal"] is True
    assert runtime["aot"]["error"]["message"] == runtime["error"]["message"]


class _Sheet(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Any]]) -> None:
        a = dict(attrs)
        if tag == "div" and "cart" in (a.get("class") or "").split():
            self.cards.append({"verdict": a["data-verdict"], "imgs": []})
        elif tag == "img" and self.cards:
            self.cards[-1]["imgs"].append(a.get("src"))


def test_html_contact_sheet(tmp_path: Path) -> None:
    from PIL import Image

    done = _rp8("tests/fixtures/compat", "--frames", "30", "--html", str(tmp_path / "r.html"))
    assert done.returncode == 1
    text = (tmp_path / "r.html").read_text()
    assert "<title>rp8 compat: 1 of 4 carts run</title>" in text
    assert "http" not in text and "<script" not in text      # self-contained
    sheet = _Sheet()
    sheet.feed(text)
    # failures first, then by path: blank, runtime, syntax; then the one that runs
    assert [c["verdict"] for c in sheet.cards] == ["blank", "runtime", "syntax", "runs"]
    blank, runtime, syntax, good = sheet.cards
    assert syntax["imgs"] == [None, None]                     # nothing ran: no frames
    for card in (blank, runtime, good):
        assert len(card["imgs"]) == 2
        for src in card["imgs"]:
            prefix = "data:image/png;base64,"
            assert src.startswith(prefix)
            img = Image.open(io.BytesIO(base64.b64decode(src[len(prefix):])))
            assert img.size == (128, 128)
    first = Image.open(io.BytesIO(base64.b64decode(good["imgs"][0].split(",", 1)[1])))
    assert first.convert("RGB").getpixel((0, 0)) == (29, 43, 83)      # cls(1): dark blue
    assert first.convert("RGB").getpixel((62, 62)) == (255, 0, 77)    # the red box


def test_a_multicart_loads_its_sibling_from_its_own_folder(tmp_path: Path) -> None:
    from PIL import Image

    # run from elsewhere: load("level.p8") must still find the sibling
    done = _rp8(str(ROOT / "tests/fixtures/compat_multi/menu.p8"), "--frames", "10",
                "--json", str(tmp_path / "r.json"), "--html", str(tmp_path / "r.html"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (cart,) = json.loads((tmp_path / "r.json").read_text())["carts"]
    assert (cart["verdict"], cart["frames"], cart["error"]) == ("runs", 10, None)
    sheet = _Sheet()
    sheet.feed((tmp_path / "r.html").read_text())
    first, last = (Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB")
                   for src in sheet.cards[0]["imgs"])
    assert first.getpixel((64, 64)) == (29, 43, 83)      # menu.p8: cls(1)
    assert last.getpixel((64, 64)) == (126, 37, 83)      # level.p8: cls(2)
    assert last.getpixel((0, 0)) == (255, 241, 232)      # "from menu" in white: stat(6)
