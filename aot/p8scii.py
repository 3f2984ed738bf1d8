"""P8SCII, PICO-8's 8-bit character set, and the one normal form of cart source.

The front end works on *byte text*: a Python str in which every character is
chr(b) for one P8SCII byte b (0..255). Cart code reaches rp8 in two forms:

- a .p8 text file stores glyphs (0x01-0x1f, 0x7f-0xff) as Unicode, e.g. the
  button glyph at 0x8b is written "⬅️" (U+2B05 plus the emoji variation
  selector U+FE0F, which PICO-8 itself writes but does not require);
- a .p8.png/.p8.rom cart stores one byte per character, which a loader may
  hand over as chr(byte).

`normalize` turns either form into byte text; `to_unicode` goes back for
display (error messages, printh on a terminal).
"""
from __future__ import annotations

import re

# The character shown for each P8SCII code, as .p8 files write them: rp8's
# one glyph table (console/cart/p8scii.py reads and writes .p8 files with
# it). The order is a fact of PICO-8 (the same 256-entry table appears in
# zepto8's charset code and in shrinko8); written out here in rp8's own
# layout.
_LOW = "\0¹²³⁴⁵⁶⁷⁸\t\nᵇᶜ\rᵉᶠ▮■□⁙⁘‖◀▶「」¥•、。゛゜"          # 0x00-0x1f
_HIGH = (
    "○"                                                          # 0x7f
    "█▒🐱⬇░✽●♥☉웃⌂⬅😐♪🅾◆…➡★⧗⬆ˇ∧❎▤▥"                             # 0x80-0x99
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめも"  # 0x9a-
    "やゆよらりるれろわをんっゃゅょアイウエオカキクケコサシスセソタチツテト"
    "ナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンッャュョ◜◝"        # -0xff
)
assert len(_LOW) == 32 and len(_HIGH) == 129

VARIATION_SELECTOR = "\ufe0f"

# PICO-8's "puny" letters are P8SCII 0x41-0x5a (ASCII capitals); when PICO-8
# copies code to the clipboard it writes them as these italic letters.
_PUNY_A = "\U0001d622"
_PUNY_Z = "\U0001d63b"

#: What a Unicode character outside P8SCII becomes (PICO-8 has no code for
#: it; in practice such characters sit in comments). Byte 0x7f's glyph ○.
UNKNOWN = "\x7f"

#: P8SCII code -> the Unicode text a .p8 file uses for it.
P8_TO_UNICODE: tuple[str, ...] = tuple(
    list(_LOW) + [chr(c) for c in range(0x20, 0x7F)] + list(_HIGH)
)

#: Glyphs PICO-8 writes followed by U+FE0F when it saves a .p8 (the arrows
#: and 🅾️; ❎ goes without).
EMOJI = frozenset((0x83, 0x8B, 0x8E, 0x91, 0x94))

#: Unicode character -> P8SCII code, for the glyphs above 0x7e and below 0x20
#: (tab, newline and carriage return stay themselves; \0 is not a glyph).
UNICODE_TO_P8: dict[str, int] = {
    ch: code for code, ch in enumerate(P8_TO_UNICODE) if code >= 0x7F or 0 < code < 0x20
}

#: Button glyph codes, as PICO-8 predefines them as globals 0-5.
BUTTON_GLYPHS: dict[int, int] = {0x8B: 0, 0x91: 1, 0x94: 2, 0x83: 3, 0x8E: 4, 0x97: 5}


def normalize(code: str, form: str | None = None) -> str:
    """Cart source -> byte text (every char < 256).

    `form` says how the caller holds the code: "unicode" (text of a .p8 file:
    glyphs as Unicode, a variation selector after a glyph is dropped) or
    "bytes" (chr(byte) per character, as decoded from a .p8.png/.p8.rom).
    Puny (small capital) letters written as U+1D622-U+1D63B become A-Z;
    other characters outside P8SCII become UNKNOWN. Four glyphs (¹ ² ³ ¥) are themselves below U+0100, so the two forms
    cannot always be told apart; with form=None the text counts as Unicode
    when it has any character above U+00FF and as bytes otherwise."""
    if code.isascii():
        return code
    if form is None:
        form = "unicode" if any(ord(c) > 0xFF for c in code) else "bytes"
    if form == "bytes":
        return code
    if form != "unicode":
        raise ValueError(f"unknown source form {form!r}")
    out: list[str] = []
    for ch in code:
        if ch < "\x80":
            out.append(ch)
            continue
        p8 = UNICODE_TO_P8.get(ch)
        if p8 is not None:
            out.append(chr(p8))
        elif ch == VARIATION_SELECTOR:
            continue
        elif _PUNY_A <= ch <= _PUNY_Z:
            out.append(chr(ord(ch) - ord(_PUNY_A) + 0x41))
        elif ch < "\u0100":
            out.append(ch)          # a byte a tool wrote as Latin-1
        else:
            out.append(UNKNOWN)
    return "".join(out)


def _unicode_table() -> dict[int, str]:
    """to_unicode's translation: each byte a .p8 does not write as itself."""
    table: dict[int, str] = {}
    for c in range(0x100):
        if (c < 0x20 and c not in (0, 9, 10, 13)) or c >= 0x7F:
            table[c] = P8_TO_UNICODE[c] + (VARIATION_SELECTOR if c in EMOJI else "")
    return table


def to_unicode(text: str | bytes) -> str:
    """Byte text (or bytes) -> readable Unicode, glyphs as a .p8 writes them.

    Control codes that a terminal shows fine (tab, newline, CR) stay as they
    are; 0x00 stays NUL. (str.translate: a cart may printh megabytes; text
    with nothing to translate, a cart's usual printh line, is only decoded,
    several times faster.)"""
    if isinstance(text, (bytes, bytearray)):
        raw = bytes(text)
        # (deleting the bytes written as themselves, in C, is a faster test
        # than the regular expression's per-character class)
        if not raw.translate(None, _AS_THEMSELVES):
            return raw.decode("latin-1")
        text = raw.decode("latin-1")
    elif text.isascii() and not text.translate(_DROP_ASCII_AS_THEMSELVES):
        return text
    if _TRANSLATED.search(text) is None:
        return text
    return text.translate(_TO_UNICODE)


def to_unicode_lines(texts: list[bytes]) -> list[str]:
    """to_unicode of each of `texts`, translated as one text when none of
    them holds a NUL (NUL stays NUL, so it can stand between them): a frame's
    printh lines in one pass instead of one each."""
    if len(texts) > 1:
        joined = b"\0".join(texts)
        if joined.count(b"\0") == len(texts) - 1:
            return to_unicode(joined).split("\0")
    return [to_unicode(t) for t in texts]


def to_bytes(text: str) -> bytes:
    """Byte text -> bytes (what LuaJIT is given)."""
    return text.encode("latin-1")


_TO_UNICODE = _unicode_table()
_AS_THEMSELVES = bytes(c for c in range(0x100) if c not in _TO_UNICODE)
_DROP_ASCII_AS_THEMSELVES = dict.fromkeys(_AS_THEMSELVES[:0x7F])
_TRANSLATED = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TO_UNICODE)) + "]")
