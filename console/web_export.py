"""`rp8 export CART --html`: a compiled cart as a web page.

The cart is compiled to C++ and built to WebAssembly (console/web_build.py,
cached by content); the page is platform/web/page.html with
platform/web/rp8_page.js around emscripten's loader. Two forms:
- OUT.html: one self-contained file (the loader, the page script and the
  wasm as base64 inlined), which works opened from disk (file://);
- any other OUT: a folder for a web host, holding index.html, cart.js and
  cart.wasm (fetched by the page; browsers refuse that from file://).
Nothing is fetched from the network, at export time or in the page.

Multicarts: the page holds the carts named after the first (as PICO-8's
`EXPORT GAME.HTML CART2.P8 ...`, up to 15) and those the carts name by a
literal in load("...") (code and data) or reload(..., "...") (data),
found beside the cart that names them as the desktop player finds them
(console.desktop.frameloop.find_cart_near). In the page load() and
reload() reach exactly these; load() of any other cart returns false.
"""
from __future__ import annotations

import base64
import html
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from aot.errors import UserError
from aot.source import Source
from console.sources import PLATFORM_DIR
from console.web_build import BundledCart

WEB_DIR = PLATFORM_DIR / "web"


def _inline(js: str) -> str:
    """JS text safe inside a <script> element."""
    return "<script>\n" + js.replace("</script", "<\\/script") + "\n</script>"


def _page(title: str, scripts: str) -> str:
    page = (WEB_DIR / "page.html").read_text()
    return page.replace("{{TITLE}}", html.escape(title)).replace("{{SCRIPTS}}", scripts)


@dataclass
class _Found:
    path: Path
    code: bool                      # loaded (code and data), or only reloaded from (data)
    why: str                        # how it came in, for the export's message


def _named_carts(source: Source) -> tuple[list[tuple[str, bool, int]], list[int]]:
    """The carts a cart's code names by a literal: (name, for load(), line),
    and the lines of load()/reload() calls whose name is made at run time."""
    from aot import ast, pipeline

    chunk = pipeline.run(source, stop_after="parse").chunk
    assert chunk is not None
    named: list[tuple[str, bool, int]] = []
    dynamic: list[int] = []
    for node in ast.walk(chunk):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        fn, args = node.func.name, node.args
        at = 0 if fn == "load" else 3 if fn == "reload" else -1
        if at < 0 or len(args) <= at:
            continue
        if isinstance(args[at], ast.String):
            named.append((args[at].value, fn == "load", node.line))
        elif not isinstance(args[at], ast.Nil):
            dynamic.append(node.line)
    return named, dynamic


def _relative(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        raise UserError(f"{path}: not in the folder of the first cart ({base}) or below it; "
                        "load() reaches only those, as in PICO-8") from None


def bundle(cart_path: Path, extra: Sequence[Path] = ()) -> tuple[list[BundledCart], list[str]]:
    """The carts of a page (the first one first) and lines saying which
    were bundled and why, or what load() will not find."""
    from console.aot_build import compile_source
    from console.desktop.aot_player import _boot_for
    from console.desktop.frameloop import find_cart_near

    base = cart_path.resolve().parent
    found: dict[str, _Found] = {_relative(cart_path, base): _Found(cart_path.resolve(), True, "")}
    for p in extra:
        if not p.is_file():
            raise UserError(f"{p}: no such cart")
        name = _relative(p, base)
        if name not in found:
            found[name] = _Found(p.resolve(), True, "named on the command line")
    notes: list[str] = []
    boots = {}
    queue = list(found)
    while queue:
        name = queue.pop(0)
        here = found[name]
        if not here.code:
            continue
        boots[name] = boot = _boot_for(here.path)
        named, dynamic = _named_carts(boot.source)
        for line in dynamic:
            notes.append(f"{boot.source.where(line)}: a cart name made at run time; "
                         "name the carts it may be on the command line")
        for file, loads, line in named:
            target = find_cart_near(here.path, file)
            call = "load" if loads else "reload"
            if target is None:
                notes.append(f"{boot.source.where(line)}: {call}({file!r}): no such cart beside it; "
                             f"{'load() returns false' if loads else 'reload() fails'} in the page")
                continue
            key = _relative(target, base)
            have = found.get(key)
            if have is None or (loads and not have.code):
                why = f"{call}() in {name}" if have is None else f"{have.why}, load() in {name}"
                found[key] = _Found(target, loads, why)
                queue.append(key)
    carts, said = [], []
    for name, f in found.items():
        if f.code:
            boot = boots[name]
            carts.append(BundledCart(name, boot.rom, compile_source(boot.source)))
        else:
            from console.cart import load_cart
            carts.append(BundledCart(name, bytes(load_cart(f.path).data), None))
        if f.why:
            said.append(f"bundled {name} ({f.why}{'' if f.code else '; data only'})")
    return carts, said + notes


def export_html(cart_path: Path, out: Path, extra: Sequence[Path] = ()) -> str:
    """Build the cart (and the carts it loads) and write the page (a .html
    file) or the folder. Returns what was written, a line each."""
    from console import web_build

    if not web_build.have_emcc():
        raise web_build.emscripten_missing()
    carts, notes = bundle(cart_path, extra)
    module = web_build.build_module(carts)
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
        return "\n".join(notes + [f"{out}: written ({out.stat().st_size // 1024} KiB, one file; "
                                   f"wasm {len(wasm) // 1024} KiB{_held(carts)})"])
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
    return "\n".join(notes + [f"{out}: written (index.html, cart.js, cart.wasm: {len(wasm) // 1024} KiB"
                               f"{_held(carts)}); serve the folder over http(s), browsers do not fetch "
                               "cart.wasm from file://"])


def _held(carts: Sequence[BundledCart]) -> str:
    return "" if len(carts) == 1 else f"; {len(carts)} carts"
