"""`rp8 export CART --html`: a compiled cart as a web page.

The cart is compiled to C++ and built to WebAssembly (console/web_build.py,
cached by content); the page is platform/web/page.html with
platform/web/rp8_page.js around emscripten's loader. Two forms:
- OUT.html: one self-contained file (the loader, the page script and the
  wasm as base64 inlined), which works opened from disk (file://);
- any other OUT: a folder for a web host, holding index.html, cart.js and
  cart.wasm (fetched by the page; browsers refuse that from file://).
Nothing is fetched from the network, at export time or in the page.
"""
from __future__ import annotations

import base64
import html
import shutil
from pathlib import Path

from aot.errors import UserError
from console.sources import PLATFORM_DIR

WEB_DIR = PLATFORM_DIR / "web"


def _inline(js: str) -> str:
    """JS text safe inside a <script> element."""
    return "<script>\n" + js.replace("</script", "<\\/script") + "\n</script>"


def _page(title: str, scripts: str) -> str:
    page = (WEB_DIR / "page.html").read_text()
    return page.replace("{{TITLE}}", html.escape(title)).replace("{{SCRIPTS}}", scripts)


def export_html(cart_path: Path, out: Path) -> str:
    """Build the cart and write the page (a .html file) or the folder.
    Returns a one-line description of what was written."""
    from console import web_build
    from console.aot_build import compile_source
    from console.runtime.aot_player import _boot_for

    if not web_build.have_emcc():
        raise web_build.emscripten_missing()
    boot = _boot_for(cart_path)
    module = web_build.build_module(compile_source(boot.source), boot.rom)
    wasm = module.wasm.read_bytes()
    loader = module.js.read_text()
    page_js = (WEB_DIR / "rp8_page.js").read_text()
    title = cart_path.name
    if out.suffix.lower() in (".html", ".htm"):
        wasm64 = base64.b64encode(wasm).decode("ascii")
        start = ("const bytes = Uint8Array.from(atob(document.getElementById('rp8-wasm').textContent),"
                 " (c) => c.charCodeAt(0));\nrp8Page(bytes);")
        scripts = "\n".join([f'<script type="application/octet-stream" id="rp8-wasm">{wasm64}</script>',
                             _inline(loader), _inline(page_js), _inline(start)])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(_page(title, scripts))
        return f"{out}: written ({out.stat().st_size // 1024} KiB, one file; wasm {len(wasm) // 1024} KiB)"
    if out.exists() and not out.is_dir():
        raise UserError(f"{out}: exists and is not a folder; name a .html file for one page, "
                        "or a folder for a web host")
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(module.wasm, out / "cart.wasm")
    shutil.copyfile(module.js, out / "cart.js")
    start = ("fetch('cart.wasm').then((r) => r.arrayBuffer()).then((b) => rp8Page(new Uint8Array(b)),"
             " (e) => { document.getElementById('rp8-note').textContent = 'cart.wasm: ' + e; });")
    scripts = "\n".join(['<script src="cart.js"></script>', _inline(page_js), _inline(start)])
    (out / "index.html").write_text(_page(title, scripts))
    return (f"{out}: written (index.html, cart.js, cart.wasm: {len(wasm) // 1024} KiB); "
            "serve the folder over http(s), browsers do not fetch cart.wasm from file://")
