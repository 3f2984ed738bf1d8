"""PICO-8 cart files: .p8 text, .p8.png images and .p8.rom binaries.

    from console.cart import load_cart, Cart, CartError
    cart = load_cart(path)

`load_cart` sniffs the content (PNG signature, 32 KiB binary, or text) and
uses the extension only as a hint. Every fault in a file raises CartError
(a aot.errors.UserError) with a one-line message naming the file.
`load_cart(path, include_root=DIR)` names the folder a .p8's #includes must
stay inside (default: see console/cart/include.py, include_root).

The Cart (console/cart/model.py):
  cart.rom    bytes, exactly 0x8000: 0x0000-0x42ff the cart data as PICO-8
              memory holds it, 0x4300-0x7fff the code as PICO-8 stores it in
              a ROM (for .p8 text: PXA-compressed by rp8, computed on first use)
  cart.data   the first 0x4300 bytes alone (no compression needed)
  cart.code   the Lua source, #include lines expanded.

              REPRESENTATION: a str with exactly one character per P8SCII
              byte, chr(b) for byte b (0-255). `cart.code.encode("latin-1")`
              is the byte string PICO-8 holds; glyphs such as "⬅️" in a .p8
              file arrive as chr(0x8b). Convert with console.cart.p8scii
              (from_unicode / to_unicode / to_bytes).
  cart.source the cart's own code, #include lines not expanded
  cart.label  128 rows of 128 colour indices (0-15, 128-143) or None
  cart.path, cart.name (file name without the cart extension)
  cart.locate(line) -> SourceLocation(path, tab, line): where 1-based line
              `line` of cart.code came from (the cart or an included file,
              its tab (None for .lua files), the 1-based line in that tab)

Writing: save_p8, save_png, save_rom (console/cart/writer.py), and the
limits in console/cart/tokens.py.
"""
from __future__ import annotations

from console.cart.loader import load_cart
from console.cart.model import Cart, CartError, SourceLocation
from console.cart.writer import save_cart, save_p8, save_png, save_rom

__all__ = [
    "Cart", "CartError", "SourceLocation", "load_cart",
    "save_cart", "save_p8", "save_png", "save_rom",
]
