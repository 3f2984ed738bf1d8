"""A cart's size against PICO-8's limits (what `rp8 info` reports)."""
from __future__ import annotations

from dataclasses import dataclass

from console.cart import compress, p8scii, tokens
from console.cart.model import Cart


@dataclass(frozen=True)
class Usage:
    name: str
    used: int
    limit: int

    @property
    def over(self) -> bool:
        return self.used > self.limit

    def percent(self) -> str:
        pct = 100 * self.used / self.limit
        return f"{pct:.2f}%" if pct >= 95 else f"{pct:.0f}%"


def compressed_size(cart: Cart) -> int:
    """Bytes the code takes in a ROM: as stored for .p8.png/.p8.rom carts;
    for .p8 text, the size of rp8's PXA compression of it (PICO-8 keeps
    the code plain when compression would not make it smaller)."""
    if cart.stored_code_size is not None:
        return cart.stored_code_size
    raw = p8scii.to_bytes(cart.code)
    if not raw:
        return 0
    return min(len(compress.compress_pxa(raw)), len(raw))


def usage(cart: Cart) -> list[Usage]:
    return [
        Usage("tokens", tokens.count_tokens(cart.code), tokens.TOKEN_LIMIT),
        Usage("chars", len(cart.code), tokens.CHAR_LIMIT),
        Usage("compressed", compressed_size(cart), tokens.COMPRESSED_LIMIT),
    ]
