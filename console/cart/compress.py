"""The code area of a PICO-8 ROM (0x4300-0x7fff) and its three formats.

1. Plain: the code's bytes, ending at the first NUL (or the end of the area).
2. Old compression (PICO-8 0.1.x), header ":c:\\0": a byte stream where a
   byte below 60 is a literal (0 = "next byte is the literal", 1-59 index a
   table of common characters) and a byte of 60 or more starts a two-byte
   back-reference.
3. PXA (PICO-8 0.2.0 and later), header "\\0pxa": a bit stream, least
   significant bit first, of literals coded by their index in a
   move-to-front list and back-references with variable-width offsets.

The bit layouts are facts of PICO-8, taken from the public description of
the format (Lexaloffle's pxa snippets, the PICO-8 wiki's P8PNGFileFormat
page); the code is rp8's own.

The code is a C string inside PICO-8: whatever the format, it ends at the
first NUL byte.
"""
from __future__ import annotations

CODE_START = 0x4300
CODE_SIZE = 0x8000 - CODE_START        # 0x3d00 = 15616 bytes
MAX_CODE_CHARS = 0xFFFF                # PICO-8's character limit

OLD_HEADER = b":c:\0"
PXA_HEADER = b"\0pxa"

# Characters 1..59 of the old format; index 0 means "raw byte follows".
OLD_TABLE = b"\n 0123456789abcdefghijklmnopqrstuvwxyz!#%(){}[]<>+=/*:;.,~_"
assert len(OLD_TABLE) == 59

# PICO-8 0.1.7 to 0.1.11 appended one of these to code before compressing it
# (so older players ran _update60 carts at 30 fps), and strips it after
# decompressing old-format code when its first occurrence ends the code
# (Lexaloffle's p8_compress.c). rp8 strips it the same way.
OLD_FUTURE_CODE = (
    b"if(_update60)_update=function()_update60()_update60()end",
    b"if(_update60)_update=function()_update60()_update_buttons()_update60()end",
)


class CodeError(Exception):
    """The code area is not valid; the message says why (no file name)."""


def code_format(area: bytes) -> str:
    """Which of the three formats the code area uses: "plain", "old" or "pxa"."""
    head = bytes(area[:4])
    if head == OLD_HEADER:
        return "old"
    if head == PXA_HEADER:
        return "pxa"
    return "plain"


def decompress(area: bytes, max_size: int = CODE_SIZE) -> tuple[bytes, str, int]:
    """Decode a ROM's code area.

    Returns (code bytes, format name, bytes the stored code occupies).
    Raises CodeError when compressed code is corrupt. `max_size` is the
    largest compressed stream accepted (a ROM's code area; tests raise it).
    """
    fmt = code_format(area)
    if fmt == "old":
        code, used = _decompress_old(area)
    elif fmt == "pxa":
        code, used = _decompress_pxa(area, max_size)
    else:
        code = bytes(area[:max_size])
        used = len(code)
    nul = code.find(0)
    if nul >= 0:
        if fmt == "plain":
            used = nul
        code = code[:nul]
    if fmt == "old":
        code = _strip_future_code(code)
    return code, fmt, used


# --- old ":c:" format ----------------------------------------------------

def _decompress_old(area: bytes) -> tuple[bytes, int]:
    if len(area) < 8:
        raise CodeError("compressed code header is truncated")
    length = area[4] << 8 | area[5]
    out = bytearray()
    pos = 8
    end = len(area)
    while len(out) < length:
        if pos >= end:
            raise CodeError("compressed code (:c: format) runs past the end of the cart")
        val = area[pos]
        pos += 1
        if val < 60:
            if val == 0:
                if pos >= end:
                    raise CodeError("compressed code (:c: format) runs past the end of the cart")
                out.append(area[pos])
                pos += 1
            else:
                out.append(OLD_TABLE[val - 1])
            continue
        if pos >= end:
            raise CodeError("compressed code (:c: format) runs past the end of the cart")
        nxt = area[pos]
        pos += 1
        offset = (val - 60) * 16 + (nxt & 15)
        count = (nxt >> 4) + 2
        if offset == 0 or offset > len(out):
            raise CodeError(
                f"compressed code (:c: format) refers back {offset} bytes "
                f"at output byte {len(out)}")
        start = len(out) - offset
        for i in range(count):
            out.append(out[start + i])
    return bytes(out), pos


def _strip_future_code(code: bytes) -> bytes:
    for footer in OLD_FUTURE_CODE:
        at = code.find(footer)
        if at >= 0 and at + len(footer) == len(code):
            code = code[:at]
    return code


# --- PXA format ----------------------------------------------------------

class _BitReader:
    """Reads PXA's bit stream: bytes in order, each from its lowest bit."""

    def __init__(self, data: bytes, start: int) -> None:
        self.data = data
        self.pos = start * 8   # in bits
        self.limit = len(data) * 8

    def bit(self) -> int:
        pos = self.pos
        if pos >= self.limit:
            raise CodeError("compressed code (pxa format) runs past the end of the cart")
        self.pos = pos + 1
        return (self.data[pos >> 3] >> (pos & 7)) & 1

    def bits(self, n: int) -> int:
        val = 0
        for i in range(n):
            val |= self.bit() << i
        return val

    @property
    def byte_pos(self) -> int:
        return self.pos >> 3


def _decompress_pxa(area: bytes, max_size: int) -> tuple[bytes, int]:
    if len(area) < 8:
        raise CodeError("compressed code header is truncated")
    raw_len = area[4] << 8 | area[5]
    comp_len = area[6] << 8 | area[7]
    if comp_len < 8 or comp_len > min(len(area), max_size):
        raise CodeError(f"compressed code (pxa format) claims an impossible size of {comp_len} bytes")
    mtf = list(range(256))
    out = bytearray()
    r = _BitReader(bytes(area[:comp_len]), 8)
    while r.byte_pos < comp_len and len(out) < raw_len:
        if r.bit():
            # Literal: unary count of extra index bits, then the index.
            extra = 0
            base = 0
            while r.bit():
                base += 1 << (4 + extra)
                extra += 1
                if extra > 16:
                    raise CodeError("compressed code (pxa format) has a malformed literal")
            index = base + r.bits(4 + extra)
            if index > 255:
                raise CodeError("compressed code (pxa format) has a malformed literal")
            ch = mtf.pop(index)
            mtf.insert(0, ch)
            out.append(ch)
            continue
        # Back-reference: offset width 15 ("0"), 10 ("10") or 5 ("11") bits.
        if r.bit():
            width = 5 if r.bit() else 10
        else:
            width = 15
        raw = r.bits(width)
        if width == 10 and raw == 0:
            # Uncompressed run of bytes up to a NUL.
            while len(out) < raw_len:
                b = r.bits(8)
                if b == 0:
                    break
                out.append(b)
            continue
        offset = raw + 1
        count = 3
        while True:
            part = r.bits(3)
            count += part
            if part != 7:
                break
        if offset > len(out):
            raise CodeError(
                f"compressed code (pxa format) refers back {offset} bytes "
                f"at output byte {len(out)}")
        start = len(out) - offset
        for i in range(count):
            out.append(out[start + i])
    if len(out) < raw_len:
        raise CodeError(
            f"compressed code (pxa format) ends after {len(out)} of {raw_len} bytes")
    return bytes(out), comp_len


# --- PXA compression -----------------------------------------------------

class _BitWriter:
    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.nbits = 0

    def put(self, val: int, n: int) -> None:
        self.acc |= (val & ((1 << n) - 1)) << self.nbits
        self.nbits += n
        while self.nbits >= 8:
            self.out.append(self.acc & 0xFF)
            self.acc >>= 8
            self.nbits -= 8

    def flush(self) -> bytes:
        if self.nbits:
            self.out.append(self.acc & 0xFF)
            self.acc = 0
            self.nbits = 0
        return bytes(self.out)


def _literal_bits(index: int) -> int:
    """Bits a literal costs at move-to-front position `index`."""
    extra = 0
    limit = 16
    while index >= limit:
        extra += 1
        limit += 1 << (4 + extra)
    return 1 + (extra + 1) + 4 + extra


def _block_bits(offset: int, length: int) -> int:
    """Bits a back-reference costs."""
    o = offset - 1
    if o < 32:
        head = 2 + 5
    elif o < 1024:
        head = 2 + 10
    else:
        head = 1 + 15
    return 1 + head + 3 * ((length - 3) // 7 + 1)


_MAX_OFFSET = 0x8000
_CHAIN_DEPTH = 48


def _find_match(data: bytes, pos: int, chains: dict[bytes, list[int]]) -> tuple[int, int]:
    """Best (length, offset) back-reference at `pos`, by characters per bit."""
    n = len(data)
    if pos + 3 > n:
        return 0, 0
    cands = chains.get(data[pos:pos + 3])
    if not cands:
        return 0, 0
    best_len, best_off, best_score = 0, 0, 0.0
    lo = pos - _MAX_OFFSET
    checked = 0
    for j in reversed(cands):
        if j >= pos:
            continue  # indexed early by a look-ahead
        if j < lo or checked >= _CHAIN_DEPTH:
            break
        checked += 1
        # Extend the match; it may run into the bytes it produces.
        length = 3
        limit = n - pos
        while length < limit and data[j + length] == data[pos + length]:
            length += 1
        score = length / _block_bits(pos - j, length)
        if score > best_score:
            best_len, best_off, best_score = length, pos - j, score
    return best_len, best_off


def compress_pxa(code: bytes) -> bytes:
    """PXA-compress `code` (header included).

    A greedy parse that weighs each back-reference by characters per bit
    against the literal it replaces, and looks one and two characters ahead
    before taking a weak match (as PICO-8's own compressor does).
    """
    n = len(code)
    if n > MAX_CODE_CHARS:
        raise CodeError(f"code is {n} characters; PICO-8 allows {MAX_CODE_CHARS}")
    w = _BitWriter()
    mtf = list(range(256))
    chains: dict[bytes, list[int]] = {}

    def index_upto(start: int, stop: int) -> None:
        for i in range(start, min(stop, n - 2)):
            key = code[i:i + 3]
            lst = chains.get(key)
            if lst is None:
                chains[key] = [i]
            else:
                lst.append(i)

    pos = 0
    indexed = 0
    while pos < n:
        index_upto(indexed, pos)
        indexed = max(indexed, pos)
        length, offset = _find_match(code, pos, chains)
        ch = code[pos]
        lit_score = 1 / _literal_bits(mtf.index(ch))
        take = False
        if length >= 3:
            score = length / _block_bits(offset, length)
            take = score > lit_score
            if take and score < 0.5:
                for ahead in (1, 2):
                    index_upto(indexed, pos + ahead)
                    indexed = max(indexed, pos + ahead)
                    l2, o2 = _find_match(code, pos + ahead, chains)
                    if l2 >= 3 and l2 / _block_bits(o2, l2) > score * 1.2:
                        take = False
                        break
        if take:
            w.put(0, 1)
            o = offset - 1
            if o < 32:
                w.put(0b11, 2)
                w.put(o, 5)
            elif o < 1024:
                w.put(0b01, 2)    # bits "1" then "0"
                w.put(o, 10)
            else:
                w.put(0, 1)
                w.put(o, 15)
            rest = length - 3
            while True:
                part = min(rest, 7)
                w.put(part, 3)
                rest -= part
                if part != 7:
                    break
            pos += length
        else:
            index = mtf.index(ch)
            w.put(1, 1)
            extra = 0
            base = 0
            while index >= base + (1 << (4 + extra)):
                base += 1 << (4 + extra)
                extra += 1
            w.put((1 << extra) - 1, extra)   # `extra` one bits
            w.put(0, 1)
            w.put(index - base, 4 + extra)
            del mtf[index]
            mtf.insert(0, ch)
            pos += 1
    body = w.flush()
    total = 8 + len(body)
    header = PXA_HEADER + bytes((n >> 8, n & 0xFF, (total >> 8) & 0xFF, total & 0xFF))
    return header + body


def encode_code_area(code: bytes) -> bytes:
    """The 0x3d00-byte code area PICO-8 would store for `code`.

    PXA-compressed, or the plain bytes when compression would not make them
    smaller (PICO-8 does the same). Raises CodeError when neither fits.
    """
    area = code
    if code:
        packed = compress_pxa(code)
        if len(packed) <= len(code):
            area = packed
    if len(area) > CODE_SIZE:
        raise CodeError(
            f"code compresses to {len(area)} bytes; a cart holds {CODE_SIZE}")
    return area + bytes(CODE_SIZE - len(area))
