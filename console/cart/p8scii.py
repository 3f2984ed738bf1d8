"""P8SCII, PICO-8's 256-character set, and its UTF-8 form in text files.

Inside rp8 a cart's code is a `str` holding one character per P8SCII byte:
character `chr(b)` stands for byte `b` (so `code.encode("latin-1")` gives
the exact bytes PICO-8 would hold in memory). Text files (.p8, .lua) store
bytes 0x00-0x1f (except tab, newline and carriage return), 0x7f and
0x80-0xff as the Unicode glyphs PICO-8 shows for them; this module converts
between the two.

The glyph table is rp8's one P8SCII table, aot/p8scii.py (the compiler
shows code with it); this module adds what reading and writing text files
needs beyond it.
"""
from __future__ import annotations

import re

from aot.p8scii import EMOJI, P8_TO_UNICODE, to_unicode

# PICO-8 copies upper-case (small caps) letters to the clipboard as Unicode
# mathematical sans-serif italic small letters; accept those too.
_UNICAPS_BASE = 0x1D622  # MATHEMATICAL SANS-SERIF ITALIC SMALL A


def _build_lookup() -> dict[str, int]:
    """A glyph's first character -> its byte (every byte but ASCII reads
    back to itself), and the clipboard's small capitals -> A-Z."""
    lookup = {g: b for b, g in enumerate(P8_TO_UNICODE)}
    for i in range(26):
        lookup[chr(_UNICAPS_BASE + i)] = ord("A") + i
    return lookup


_LOOKUP = _build_lookup()
#: Byte -> the text a .p8 file holds for it (a glyph, with U+FE0F for EMOJI).
GLYPHS: tuple[str, ...] = tuple(g + ("\ufe0f" if b in EMOJI else "") for b, g in enumerate(P8_TO_UNICODE))

__all__ = ["GLYPHS", "from_bytes", "from_unicode", "to_bytes", "to_unicode"]


def from_unicode(text: str) -> str:
    """Unicode text as written in a .p8/.lua file -> P8SCII (one char per byte).

    Known glyphs become their byte (a following U+FE0F is dropped). ASCII is
    kept. A raw byte that was not valid UTF-8 in the file (decoded with
    "surrogateescape" as U+DC80-U+DCFF, see p8text.decode_text) is that byte.
    Any other character becomes the bytes of its UTF-8 encoding, as PICO-8
    itself reads characters it does not know.
    """
    if text.isascii():                 # most carts' code: nothing to convert
        return text
    return _NON_ASCII.sub(_from_glyph, text)


# a non-ASCII character, and the U+FE0F (emoji presentation) after it
_NON_ASCII = re.compile("([^\x00-\x7f])(\ufe0f?)")


def _from_glyph(m: re.Match[str]) -> str:
    ch, selector = m.group(1), m.group(2)
    b = _LOOKUP.get(ch)
    if b is not None:
        return chr(b)                       # the selector after a glyph is dropped
    return _from_other(ch) + (_from_other(selector) if selector else "")


def _from_other(ch: str) -> str:
    """A character that is no glyph: a raw byte the file held (decoded as
    U+DC80-U+DCFF), else the bytes of its UTF-8 encoding."""
    if "\udc80" <= ch <= "\udcff":
        return chr(ord(ch) - 0xDC00)
    return ch.encode("utf-8", "surrogatepass").decode("latin-1")


def from_bytes(data: bytes) -> str:
    """Raw P8SCII bytes (as stored in a ROM) -> the one-char-per-byte str form."""
    return data.decode("latin-1")


def to_bytes(p8: str) -> bytes:
    """The one-char-per-byte str form -> raw P8SCII bytes."""
    return p8.encode("latin-1")
