"""An exported page (`rp8 export --html`) in a real headless Chromium, in its
three forms: one file served by a loopback http.server, the same file
opened from disk (file://), and the folder form served. The page boots the
cart; a script in the page presses a key (a keydown event on the window, as a keyboard gives) and reads the
canvas, and posts what it saw back to the server. One cart paints the
screen dark blue, and red while X is held: both must show, pixel exact;
Enter opens the pause menu over it; another cart fails when X is pressed:
the error screen shows and the page stays up; a multicart's X loads its
second cart, which shows it got the param and the breadcrumb. X also plays an sfx: its
samples must reach the page's sound ring buffer (window.rp8Stats; Chromium
runs with autoplay allowed, since synthetic keys are no user gesture).

Skips, naming what is missing, without emcc (`apt install emscripten`) or
Chromium (`apt install chromium`).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytest.importorskip("console._engine")

CART = """pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
function _update()
 if btnp(5) then sfx(0) end
end
function _draw()
 cls(1)
 if btn(5) then rectfill(0,0,127,127,8) end
end
__sfx__
00100000""" + "24050" * 32 + """
"""

# X calls a function that does not exist: the error screen (black box over
# the top 41 rows, as rp8_runner.cpp's show_error), and the page stays up
FAILING = """pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
function _draw()
 cls(1)
 if btn(5) then nothing_here() end
end
"""

# a multicart: X load()s second.p8 (bundled by name) with a param, which
# paints red only when it got the param; it stays after X is let go
MULTI = """pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
function _draw()
 cls(1)
 if btn(5) then load('second', 'back', 'go') end
end
"""
SECOND = """pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
function _draw() cls(stat(6) == 'go' and stat(100) == 'back' and 8 or 0) end
"""

# after the cart is up: read a pixel, hold X, read again, post both
PROBE = """<script>
function rp8Probe() {
  const c = document.getElementById('rp8-screen');
  const px = () => Array.from(c.getContext('2d').getImageData(PX, PY, 1, 1).data.slice(0, 3));
  const seen = {};
  setTimeout(() => {
    seen.before = px();
    window.dispatchEvent(new KeyboardEvent('keydown', {code: 'KEY'}));
    setTimeout(() => {
      seen.held = px();
      window.dispatchEvent(new KeyboardEvent('keyup', {code: 'KEY'}));
      setTimeout(() => {
        seen.after = px();
        seen.note = document.getElementById('rp8-note').textContent.startsWith('This cart stopped');
        seen.sound = window.rp8Stats.samples > 0 && window.rp8Stats.peak > 0;
        fetch('RESULT_URL', {method: 'POST', mode: 'no-cors', body: JSON.stringify(seen)});
      }, 500);
    }, 500);
  }, 1500);
}
window.addEventListener('load', rp8Probe);
</script>
"""


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return name
    pytest.skip("Chromium not installed: apt install chromium")


DARK_BLUE, RED, BLACK, WHITE = [0x1D, 0x2B, 0x53], [0xFF, 0x00, 0x4D], [0, 0, 0], [0xFF, 0xF1, 0xE8]


KEYS = {"before": DARK_BLUE, "held": RED, "after": DARK_BLUE, "note": False, "sound": True}
# Enter opens the pause menu: its box's white left border at x 24, and it stays open
MENU = {"before": DARK_BLUE, "held": WHITE, "after": WHITE, "note": False, "sound": False}
ERROR = {"before": DARK_BLUE, "held": BLACK, "after": BLACK, "note": False, "sound": False}
LOADED = {"before": DARK_BLUE, "held": RED, "after": RED, "note": False, "sound": False}


@pytest.mark.parametrize("code, key, at, want, form", [
    (CART, "KeyX", (64, 64), KEYS, "one-file"),
    (CART, "KeyX", (64, 64), KEYS, "one-file-from-disk"),
    (CART, "KeyX", (64, 64), KEYS, "folder"),
    (CART, "Enter", (24, 64), MENU, "one-file"),
    (FAILING, "KeyX", (126, 38), ERROR, "one-file"),
    (MULTI, "KeyX", (64, 64), LOADED, "one-file-from-disk"),
], ids=["keys", "keys-from-disk", "keys-folder", "pause-menu", "error-screen", "multicart"])
def test_page_in_chromium(code: str, key: str, at: tuple[int, int], want: dict, form: str,
                          tmp_path: Path) -> None:
    if shutil.which("emcc") is None:
        pytest.skip("emscripten (emcc) not installed: apt install emscripten")
    browser = _browser()
    from console.web_export import export_html

    cart = tmp_path / "probe.p8"
    cart.write_text(code)
    if code is MULTI:
        (tmp_path / "second.p8").write_text(SECOND)
    site = tmp_path / "site"
    site.mkdir()
    page_file = site / "index.html"
    if form == "folder":
        export_html(cart, site)
    else:
        export_html(cart, page_file)

    results: list[dict] = []
    done = threading.Event()

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *a, **k) -> None:
            super().__init__(*a, directory=str(site), **k)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            results.append(json.loads(body))
            self.send_response(204)
            self.end_headers()
            done.set()

        def log_message(self, *a) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    probe = (PROBE.replace("PX", str(at[0])).replace("PY", str(at[1])).replace("KEY", key)
             .replace("RESULT_URL", base + "/result"))
    page_file.write_text(page_file.read_text().replace("</body>", probe + "</body>"))
    url = page_file.as_uri() if form == "one-file-from-disk" else base + "/index.html"
    proc = subprocess.Popen([browser, "--headless", "--no-sandbox", "--disable-gpu",
                             "--no-first-run", "--autoplay-policy=no-user-gesture-required",
                             f"--user-data-dir={tmp_path / 'profile'}", url],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert done.wait(90), "the page posted no result within 90 s"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        server.shutdown()
    assert results[0] == want
