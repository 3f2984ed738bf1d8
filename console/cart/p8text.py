"""The .p8 text cart format: reading and writing.

A .p8 file is a header line (`pico-8 cartridge // http://www.pico-8.com`), a
`version N` line, then sections, each introduced by a `__name__` line:

  __lua__    the code, as UTF-8 with P8SCII glyphs (see p8scii.py); tabs are
             separated by `-->8` lines
  __gfx__    128 rows of 128 hex digits, one digit per pixel (left to right;
             in memory the left pixel of a byte is its low nibble)
  __label__  128 rows of 128 digits 0-9a-v: colours 0-15, then g-v = 128-143
  __gff__    2 rows of 128 bytes (256 hex digits): sprite flags at 0x3000
  __map__    32 rows of 128 bytes: the map at 0x2000 (rows 32-63, when a file
             has them, go to 0x1000, which the lower gfx rows share)
  __sfx__    64 lines of 168 hex digits: 4 header bytes (editor mode, speed,
             loop start, loop end) then 32 notes of 5 digits each:
             pitch (2 digits), waveform (bit 3 = custom instrument), volume,
             effect. In memory a sfx is 32 little-endian 16-bit notes
             (pitch bits 0-5, waveform 6-8, volume 9-11, effect 12-14,
             custom 15) followed by the 4 header bytes: 68 bytes at 0x3200.
  __music__  64 lines "FF AABBCCDD": a flag byte whose bit i goes to bit 7 of
             channel i's byte, then the four channel bytes (0x3100).

Sections may come in any order or be missing; real files may have CRLF
line ends, blank lines between sections, and no header at all. Data a file
leaves out keeps PICO-8's blank-cart values (see blank_data()).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from console.cart import p8scii

HEADER = "pico-8 cartridge // http://www.pico-8.com"
WRITE_VERSION = 42            # what PICO-8 0.2.6 writes; newer versions are kept

_SECTION_RE = re.compile(r"__([a-z0-9_:\-]+)__[ \t]*")
_HEX = frozenset("0123456789abcdefABCDEF")
_LABEL_DIGITS = "0123456789abcdefghijklmnopqrstuv"
# a label digit -> its colour (0-15, or 128-143 for the secondary palette)
_LABEL_COLOURS = str.maketrans({d: chr(v if v < 16 else v - 16 + 128) for v, d in enumerate(_LABEL_DIGITS)})
_LABEL_ROW = re.compile("[0-9a-v]*")
_HEX_ROW = re.compile("[0-9a-fA-F]*")
# a byte with its two nibbles swapped: a __gfx__ row lists the left pixel
# of each pair first, and memory holds it in the low nibble
_NIBBLE_SWAP = bytes((b >> 4) | (b & 15) << 4 for b in range(256))
_MUSIC_RE = re.compile(r"([0-9a-fA-F]{2}) ([0-9a-fA-F]{8})")

# (first address, rows, hex digits per row) of the plain byte sections.
_GFF = (0x3000, 2, 256)
_MAP = (0x2000, 64, 256)
_SFX_ROWS, _SFX_DIGITS = 64, 168
_GFX_ROWS, _GFX_DIGITS = 128, 128
_MUSIC_ROWS = 64


class P8TextError(Exception):
    """A fault in .p8 text; the message names the line, not the file."""


@dataclass
class P8Text:
    version: Optional[int]
    code: str                          # P8SCII, one char per byte
    code_line: int                     # 1-based file line of the first code line
    data: bytearray                    # 0x4300 bytes
    label: Optional[list[list[int]]]
    sections: list[str] = field(default_factory=list)
    extra_sections: list[tuple[str, list[str]]] = field(default_factory=list)


def blank_data() -> bytearray:
    """Cart data of a new PICO-8 cart: all zero except sfx speeds and music.

    Every music pattern has its four channels disabled (bit 6: 0x41-0x44)
    and sfx speed is 16 (sfx 0: 1). These are the values PICO-8 assumes for
    rows a .p8 leaves out (facts as shrinko8's mem_create_rom records them).
    """
    data = bytearray(0x4300)
    for i in range(64):
        data[0x3200 + i * 68 + 65] = 1 if i == 0 else 16
        for ch in range(4):
            data[0x3100 + i * 4 + ch] = 0x41 + ch
    return data


def decode_text(raw: bytes) -> str:
    """Bytes of a .p8/.lua file -> text with LF line ends.

    PICO-8 0.1.11e and later write P8SCII glyphs as UTF-8; older versions
    wrote them as raw bytes 0x80-0xff (and a file of any version may have
    been edited by other tools). Like PICO-8, which reads a byte it cannot
    decode as itself, every valid UTF-8 sequence is a character and every
    other byte stays a raw byte: it decodes as U+DC80-U+DCFF
    ("surrogateescape"), which p8scii.from_unicode turns back into the byte
    and which encodes back to the same byte when the file is written. So no
    file is refused for its encoding. (The rule shrinko8 and zepto8 follow.)
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.decode("utf-8", "surrogateescape").replace("\r\n", "\n")


def looks_like_p8(text: str) -> bool:
    """True if the text has a .p8 header or any section line."""
    if text.startswith("pico-8 cartridge"):
        return True
    return any(_SECTION_RE.fullmatch(line) for line in text.split("\n"))


def _hex_row(line: str, digits: int, what: str, lineno: int) -> str:
    """A row of hex digits, padded with zeros to `digits`. Extra digits past
    the row's width are tolerated when they are zeros (some real files have
    them); non-zero data there would be lost, so it is an error."""
    if not _HEX_ROW.fullmatch(line):
        for ch in line:
            if ch not in _HEX:
                raise P8TextError(f"line {lineno}: bad hex digit {ch!r} in {what}")
    if len(line) > digits:
        if line[digits:].strip("0"):
            raise P8TextError(
                f"line {lineno}: {what} row has {len(line)} digits; at most {digits} fit")
        return line[:digits]
    return line.ljust(digits, "0")


def parse(text: str) -> P8Text:
    """Parse .p8 text (already decoded, LF line ends).

    Text with no cart header and no section line is plain Lua: a cart that
    has only code (real carts `#include` such `.p8` files, and PICO-8 pastes
    them as Lua)."""
    if not looks_like_p8(text):
        code = text[:-1] if text.endswith("\n") else text   # as a section's last line end
        return P8Text(None, p8scii.from_unicode(code), 1, blank_data(), None, ["lua"])
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    data = blank_data()
    label: Optional[list[list[int]]] = None
    version: Optional[int] = None
    section: Optional[str] = None
    sections: list[str] = []
    extra: list[tuple[str, list[str]]] = []
    code_lines: list[str] = []
    code_line = 0
    row = 0
    for index, line in enumerate(lines):
        lineno = index + 1
        m = _SECTION_RE.fullmatch(line)
        if m:
            section = m.group(1)
            row = 0
            if section not in sections:
                sections.append(section)
            if section == "lua":
                code_lines = []
                code_line = lineno + 1
            elif section == "label":
                label = [[0] * 128 for _ in range(128)]
            elif section not in ("gfx", "gff", "map", "sfx", "music"):
                extra.append((section, []))
            continue
        if section is None:
            if line.startswith("version "):
                # Only the leading digits count (PICO-8 reads the number
                # as C's atoi would); a line without any gives no version.
                digits = re.match(r"[ \t]*([0-9]{1,9})", line[8:])
                version = int(digits.group(1)) if digits else None
            continue
        if section == "lua":
            code_lines.append(line)
            continue
        if section not in ("gfx", "gff", "map", "sfx", "music", "label"):
            extra[-1][1].append(line)
            continue
        clean = line.strip()
        if not clean:
            continue
        if section == "gfx":
            _parse_gfx_row(data, row, clean, lineno)
        elif section == "gff":
            _parse_byte_row(data, _GFF, row, clean, "__gff__", lineno)
        elif section == "map":
            _parse_byte_row(data, _MAP, row, clean, "__map__", lineno)
        elif section == "sfx":
            _parse_sfx_row(data, row, clean, lineno)
        elif section == "music":
            _parse_music_row(data, row, clean, lineno)
        else:
            assert label is not None
            _parse_label_row(label, row, clean, lineno)
        row += 1
    code = p8scii.from_unicode("\n".join(code_lines))
    return P8Text(version, code, code_line, data, label, sections, extra)


def _parse_gfx_row(data: bytearray, row: int, line: str, lineno: int) -> None:
    if row >= _GFX_ROWS:
        raise P8TextError(f"line {lineno}: __gfx__ has more than {_GFX_ROWS} rows")
    digits = _hex_row(line, _GFX_DIGITS, "__gfx__", lineno)
    base = row * 64
    data[base: base + 64] = bytes.fromhex(digits).translate(_NIBBLE_SWAP)


def _parse_byte_row(data: bytearray, spec: tuple[int, int, int], row: int,
                    line: str, what: str, lineno: int) -> None:
    addr, rows, digits = spec
    if row >= rows:
        raise P8TextError(f"line {lineno}: {what} has more than {rows} rows")
    hexes = _hex_row(line, digits, what, lineno)
    base = addr + row * (digits // 2)
    if what == "__map__" and row >= 32:
        base = 0x1000 + (row - 32) * 128   # lower map half shares gfx memory
    data[base: base + digits // 2] = bytes.fromhex(hexes)


def _parse_sfx_row(data: bytearray, row: int, line: str, lineno: int) -> None:
    if row >= _SFX_ROWS:
        raise P8TextError(f"line {lineno}: __sfx__ has more than {_SFX_ROWS} rows")
    h = _hex_row(line, _SFX_DIGITS, "__sfx__", lineno)
    base = 0x3200 + row * 68
    data[base + 64: base + 68] = bytes.fromhex(h[:8])
    for n in range(32):
        d = h[8 + n * 5: 13 + n * 5]
        pitch = int(d[0:2], 16) & 0x3F
        wave = int(d[2], 16)
        vol = int(d[3], 16) & 7
        fx = int(d[4], 16) & 7
        note = pitch | (wave & 7) << 6 | vol << 9 | fx << 12 | (wave & 8) << 12
        data[base + 2 * n] = note & 0xFF
        data[base + 2 * n + 1] = note >> 8


def _parse_music_row(data: bytearray, row: int, line: str, lineno: int) -> None:
    if row >= _MUSIC_ROWS:
        raise P8TextError(f"line {lineno}: __music__ has more than {_MUSIC_ROWS} rows")
    m = _MUSIC_RE.fullmatch(line)
    if not m:
        raise P8TextError(f"line {lineno}: bad __music__ line {line[:40]!r} (expected 'FF AABBCCDD')")
    flags = int(m.group(1), 16)
    chans = bytes.fromhex(m.group(2))
    for ch in range(4):
        data[0x3100 + row * 4 + ch] = (chans[ch] & 0x7F) | ((flags >> ch) & 1) << 7


def _parse_label_row(label: list[list[int]], row: int, line: str, lineno: int) -> None:
    if row >= 128:
        raise P8TextError(f"line {lineno}: __label__ has more than 128 rows")
    if len(line) > 128 and line[128:].strip("0"):
        raise P8TextError(f"line {lineno}: __label__ row has {len(line)} digits; at most 128 fit")
    digits = line[:128].lower()
    if not _LABEL_ROW.fullmatch(digits):
        bad = next(ch for ch in digits if ch not in _LABEL_DIGITS)
        raise P8TextError(f"line {lineno}: bad digit {bad!r} in __label__")
    label[row][: len(digits)] = digits.translate(_LABEL_COLOURS).encode("latin-1")


# --- writing -------------------------------------------------------------

def _rows_needed(data: bytes, addr: int, rows: int, stride: int, blank: bytes) -> int:
    """Rows up to and including the last that differs from a blank cart."""
    while rows > 0:
        start = addr + (rows - 1) * stride
        if data[start: start + stride] != blank[start: start + stride]:
            break
        rows -= 1
    return rows


def format_p8(data: bytes, code: str, label: Optional[list[list[int]]],
              version: Optional[int] = None,
              extra_sections: Optional[list[tuple[str, list[str]]]] = None) -> str:
    """The .p8 text PICO-8 writes for this cart (section order and trimming
    as PICO-8 0.2 writes them: trailing rows equal to a blank cart's are
    left out, and a section with no rows is left out)."""
    blank = bytes(blank_data())
    ver = max(version or 0, WRITE_VERSION)
    out = [HEADER, f"version {ver}", "__lua__", p8scii.to_unicode(code)]

    n = _rows_needed(data, 0, 128, 64, blank)
    if n:
        out.append("__gfx__")
        for y in range(n):
            row = data[y * 64: y * 64 + 64]
            out.append("".join(f"{b & 15:x}{b >> 4:x}" for b in row))
    if label is not None:
        out.append("__label__")
        for y in range(128):
            out.append("".join(_LABEL_DIGITS[c if c < 16 else c - 128 + 16] for c in label[y]))
        out.append("")
    # PICO-8 writes both flag rows whenever any flag is set.
    n = 2 if _rows_needed(data, 0x3000, 2, 128, blank) else 0
    if n:
        out.append("__gff__")
        out.extend(data[0x3000 + y * 128: 0x3080 + y * 128].hex() for y in range(n))
    n = _rows_needed(data, 0x2000, 32, 128, blank)
    if n:
        out.append("__map__")
        out.extend(data[0x2000 + y * 128: 0x2080 + y * 128].hex() for y in range(n))
    n = _rows_needed(data, 0x3200, 64, 68, blank)
    if n:
        out.append("__sfx__")
        for i in range(n):
            base = 0x3200 + i * 68
            parts = [data[base + 64: base + 68].hex()]
            for k in range(32):
                note = data[base + 2 * k] | data[base + 2 * k + 1] << 8
                wave = (note >> 6) & 7 | (note >> 12) & 8
                parts.append(f"{note & 0x3f:02x}{wave:x}{(note >> 9) & 7:x}{(note >> 12) & 7:x}")
            out.append("".join(parts))
    n = _rows_needed(data, 0x3100, 64, 4, blank)
    if n:
        out.append("__music__")
        for i in range(n):
            chans = data[0x3100 + i * 4: 0x3104 + i * 4]
            flags = sum(((c >> 7) & 1) << k for k, c in enumerate(chans))
            out.append(f"{flags:02x} " + bytes(c & 0x7F for c in chans).hex())
        out.append("")
    for name, lines in extra_sections or []:
        out.append(f"__{name}__")
        out.extend(lines)
    return "\n".join(out) + "\n"
