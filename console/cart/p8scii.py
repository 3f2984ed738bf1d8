"""P8SCII, PICO-8's 256-character set, and its UTF-8 form in text files.

Inside rp8 a cart's code is a `str` holding one character per P8SCII byte:
character `chr(b)` stands for byte `b` (so `code.encode("latin-1")` gives
the exact bytes PICO-8 would hold in memory). Text files (.p8, .lua) store
bytes 0x00-0x1f (except tab, newline and carriage return), 0x7f and
0x80-0xff as the Unicode glyphs PICO-8 shows for them; this module converts
between the two.

The glyph table is a fact of PICO-8 (the glyphs its editor writes into .p8
files), transcribed from the charset table in shrinko8's pico_defs.py.
"""
from __future__ import annotations

# Glyphs for bytes 0x00-0x1f. Tab, newline and carriage return are themselves.
_LOW = "\0¹²³⁴⁵⁶⁷⁸\t\nᵇᶜ\rᵉᶠ▮■□⁙⁘‖◀▶「」¥•、。゛゜"

# Glyphs for bytes 0x7f-0xff. Five arrows are written with the emoji
# variation selector U+FE0F after them; see _VS16 below.
_HIGH = (
    "○"
    "█▒🐱⬇░✽●♥☉웃⌂⬅😐♪🅾◆…➡★⧗⬆ˇ∧❎▤▥"
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをんっゃゅょ"
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンッャュョ"
    "◜◝"
)

# Bytes whose glyph PICO-8 writes followed by U+FE0F (VARIATION SELECTOR-16).
_VS16 = frozenset((0x83, 0x8B, 0x8E, 0x91, 0x94))

# PICO-8 copies upper-case (small caps) letters to the clipboard as Unicode
# mathematical sans-serif italic small letters; accept those too.
_UNICAPS_BASE = 0x1D622  # MATHEMATICAL SANS-SERIF ITALIC SMALL A

assert len(_LOW) == 32 and len(_HIGH) == 129


def _build_tables() -> tuple[list[str], dict[str, int]]:
    glyphs: list[str] = []
    for b in range(256):
        if b < 0x20:
            g = _LOW[b]
        elif b < 0x7F:
            g = chr(b)
        else:
            g = _HIGH[b - 0x7F]
            if b in _VS16:
                g += "\ufe0f"
        glyphs.append(g)
    lookup: dict[str, int] = {}
    for b, g in enumerate(glyphs):
        lookup[g[0]] = b
    for i in range(26):
        lookup[chr(_UNICAPS_BASE + i)] = ord("A") + i
    return glyphs, lookup


GLYPHS, _LOOKUP = _build_tables()


def from_unicode(text: str) -> str:
    """Unicode text as written in a .p8/.lua file -> P8SCII (one char per byte).

    Known glyphs become their byte (a following U+FE0F is dropped). ASCII is
    kept. A raw byte that was not valid UTF-8 in the file (decoded with
    "surrogateescape" as U+DC80-U+DCFF, see p8text.decode_text) is that byte.
    Any other character becomes the bytes of its UTF-8 encoding, as PICO-8
    itself reads characters it does not know.
    """
    out: list[str] = []
    append = out.append
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        i += 1
        if ch < "\x80":
            append(ch)
            continue
        b = _LOOKUP.get(ch)
        if b is not None:
            append(chr(b))
            if i < n and text[i] == "\ufe0f":
                i += 1
            continue
        if "\udc80" <= ch <= "\udcff":
            append(chr(ord(ch) - 0xDC00))
            continue
        for byte in ch.encode("utf-8", "surrogatepass"):
            append(chr(byte))
    return "".join(out)


def to_unicode(p8: str) -> str:
    """P8SCII (one char per byte) -> the Unicode text PICO-8 writes to a .p8 file."""
    return "".join(GLYPHS[ord(c)] for c in p8)


def from_bytes(data: bytes) -> str:
    """Raw P8SCII bytes (as stored in a ROM) -> the one-char-per-byte str form."""
    return data.decode("latin-1")


def to_bytes(p8: str) -> bytes:
    """The one-char-per-byte str form -> raw P8SCII bytes."""
    return p8.encode("latin-1")
