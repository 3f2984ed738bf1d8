"""Presenting the screen: palette colours, the byte -> two pixels lookup
table, screen modes (0x5f2c), scanline palettes (0x5f5f) and row slices
(console/engine/p8_present.c).

The RGB values are PICO-8's published palette (PICO-8 wiki "Palette" page,
which lists 0-15 and the secret colours 128-143). Screen-mode positions are
worked out from the documented meaning of each mode: 1/2/3 stretch,
5/6/7 mirror, 129-131 flip, 133-135 rotate 90/180/270 degrees clockwise.
"""
from __future__ import annotations

from typing import Callable

import pytest

from console._engine import ffi, lib
from console.machine import Machine

# PICO-8 wiki "Palette": colours 0-15, then 128-143.
PALETTE = [
    0x000000, 0x1D2B53, 0x7E2553, 0x008751, 0xAB5236, 0x5F574F, 0xC2C3C7, 0xFFF1E8,
    0xFF004D, 0xFFA300, 0xFFEC27, 0x00E436, 0x29ADFF, 0x83769C, 0xFF77A8, 0xFFCCAA,
    0x291814, 0x111D35, 0x422136, 0x125359, 0x742F29, 0x49333B, 0xA28879, 0xF3EF7D,
    0xBE1250, 0xFF6C24, 0xA8E72E, 0x00B543, 0x065AB5, 0x754665, 0xFF6E59, 0xFF9D81,
]


def rgb565(c: int) -> int:
    r, g, b = c >> 16, (c >> 8) & 0xFF, c & 0xFF
    return (r >> 3) << 11 | (g >> 2) << 5 | (b >> 3)


def set_pixel(m: Machine, x: int, y: int, c: int, base: int = 0x6000) -> None:
    i = base + y * 64 + (x >> 1)
    if x & 1:
        m.ram[i] = (m.ram[i] & 0x0F) | (c << 4)
    else:
        m.ram[i] = (m.ram[i] & 0xF0) | c


def indices(m: Machine, y0: int = 0, y1: int = 128) -> list[list[int]]:
    rows = lib.p8_present_rows(y0, y1)
    buf = ffi.new("uint8_t[]", 128 * max(rows, 1))
    assert lib.p8_present_indices(m.state, y0, y1, buf) == rows
    return [list(buf[r * 128 : (r + 1) * 128]) for r in range(rows)]


def rgb565_frame(m: Machine, y0: int = 0, y1: int = 128) -> list[int]:
    rows = lib.p8_present_rows(y0, y1)
    buf = ffi.new("uint16_t[]", 128 * max(rows, 1))
    assert lib.p8_present_rgb565(m.state, y0, y1, buf) == rows
    return list(buf[0 : 128 * rows])


def xrgb_frame(m: Machine, y0: int = 0, y1: int = 128) -> list[int]:
    rows = lib.p8_present_rows(y0, y1)
    buf = ffi.new("uint32_t[]", 128 * max(rows, 1))
    assert lib.p8_present_xrgb8888(m.state, y0, y1, buf) == rows
    return list(buf[0 : 128 * rows])


# ---- colours ----

def test_palette_rgb_all_32_colours() -> None:
    assert [lib.p8_palette_rgb(i) for i in range(32)] == PALETTE
    assert lib.p8_palette_rgb(32 + 8) == PALETTE[8]          # index & 31


def test_palette_rgb565_truncates_channels() -> None:
    assert [lib.p8_palette_rgb565(i) for i in range(32)] == [rgb565(c) for c in PALETTE]
    assert lib.p8_palette_rgb565(7) == 0xFF9D                # fff1e8
    assert lib.p8_palette_rgb565(8) == 0xF809                # ff004d


# ---- lookup table ----

def lut565(m: Machine) -> list[int]:
    return list(lib.p8_present_lut565(m.state)[0:512])


def test_lut_identity_palette_every_byte(m: Machine) -> None:
    lut = lut565(m)
    lut32 = list(lib.p8_present_lut8888(m.state)[0:512])
    for b in range(256):
        assert lut[2 * b] == rgb565(PALETTE[b & 15])        # left = low nibble
        assert lut[2 * b + 1] == rgb565(PALETTE[b >> 4])
        assert lut32[2 * b] == 0xFF000000 | PALETTE[b & 15]
        assert lut32[2 * b + 1] == 0xFF000000 | PALETTE[b >> 4]


def test_lut_secret_palette_every_byte(m: Machine) -> None:
    for i in range(16):
        m.ram[0x5F10 + i] = 0x80 | (15 - i)                 # 143 .. 128
    lut = lut565(m)
    for b in range(256):
        assert lut[2 * b] == rgb565(PALETTE[16 + 15 - (b & 15)])
        assert lut[2 * b + 1] == rgb565(PALETTE[16 + 15 - (b >> 4)])


def test_screen_palette_values_are_masked_with_0x8f(m: Machine) -> None:
    m.ram[0x5F10] = 0x10     # bit 4 ignored -> colour 0
    m.ram[0x5F11] = 0x9C     # 0x80 | 12 -> secret colour 140
    m.ram[0x5F12] = 0x7F     # bits 4-6 ignored -> colour 15
    lut = lut565(m)
    assert lut[2 * 0x10] == rgb565(PALETTE[0])
    assert lut[2 * 0x10 + 1] == rgb565(PALETTE[28])
    assert lut[2 * 0x02] == rgb565(PALETTE[15])


def test_lut_rebuilt_only_when_screen_palette_changes(m: Machine) -> None:
    lut = lib.p8_present_lut565(m.state)
    writable = ffi.cast("uint16_t *", lut)
    writable[2 * 7] = 0x1234                 # mark the table
    frame = rgb565_frame(m)                  # palette unchanged: no rebuild
    assert lib.p8_present_lut565(m.state)[2 * 7] == 0x1234
    m.ram[0x6000] = 0x07
    assert rgb565_frame(m)[0] == 0x1234      # the fast path reads the table
    m.ram[0x5F17] = 7                        # a poke that changes nothing
    assert lib.p8_present_lut565(m.state)[2 * 7] == 0x1234
    m.ram[0x5F17] = 8                        # screen palette changed
    frame = rgb565_frame(m)
    assert lib.p8_present_lut565(m.state)[2 * 7] == rgb565(PALETTE[8])
    assert frame[0] == rgb565(PALETTE[8])


def test_power_on_invalidates_the_lut(m: Machine) -> None:
    writable = ffi.cast("uint16_t *", lib.p8_present_lut565(m.state))
    writable[0] = 0x4321
    lib.p8_power_on(m.state)
    assert lib.p8_present_lut565(m.state)[0] == rgb565(PALETTE[0])


# ---- screen modes ----

MARKERS = [(0, 0, 8), (127, 0, 9), (0, 127, 10), (127, 127, 11), (3, 5, 12), (70, 90, 14)]


def marker_screen(m: Machine) -> None:
    for x, y, c in MARKERS:
        set_pixel(m, x, y, c)


def frame_with(points: list[tuple[int, int, int]]) -> list[list[int]]:
    rows = [[0] * 128 for _ in range(128)]
    for x, y, c in points:
        rows[y][x] = c
    return rows


# Where each marker shows in each mode (out_x, out_y, colour).
MODE_EXPECT: dict[int, list[tuple[int, int, int]]] = {
    0: MARKERS,
    1: [(0, 0, 8), (1, 0, 8), (0, 127, 10), (1, 127, 10), (6, 5, 12), (7, 5, 12)],
    2: [(0, 0, 8), (1 * 127, 0, 9), (0, 1, 8), (127, 1, 9), (3, 10, 12), (3, 11, 12)],
    3: [(0, 0, 8), (1, 0, 8), (0, 1, 8), (1, 1, 8),
        (6, 10, 12), (7, 10, 12), (6, 11, 12), (7, 11, 12)],
    5: [(0, 0, 8), (127, 0, 8), (0, 127, 10), (127, 127, 10), (3, 5, 12), (124, 5, 12)],
    6: [(0, 0, 8), (127, 0, 9), (0, 127, 8), (127, 127, 9), (3, 5, 12), (3, 122, 12)],
    7: [(0, 0, 8), (127, 0, 8), (0, 127, 8), (127, 127, 8),
        (3, 5, 12), (124, 5, 12), (3, 122, 12), (124, 122, 12)],
    129: [(127, 0, 8), (0, 0, 9), (127, 127, 10), (0, 127, 11), (124, 5, 12), (57, 90, 14)],
    130: [(0, 127, 8), (127, 127, 9), (0, 0, 10), (127, 0, 11), (3, 122, 12), (70, 37, 14)],
    131: [(127, 127, 8), (0, 127, 9), (127, 0, 10), (0, 0, 11), (124, 122, 12), (57, 37, 14)],
    132: MARKERS,
    # 90 degrees clockwise: screen (x, y) shows at (127 - y, x).
    133: [(127, 0, 8), (127, 127, 9), (0, 0, 10), (0, 127, 11), (122, 3, 12), (37, 70, 14)],
    134: [(127, 127, 8), (0, 127, 9), (127, 0, 10), (0, 0, 11), (124, 122, 12), (57, 37, 14)],
    # 270 degrees clockwise: screen (x, y) shows at (y, 127 - x).
    135: [(0, 127, 8), (0, 0, 9), (127, 127, 10), (127, 0, 11), (5, 124, 12), (90, 57, 14)],
    0x40 | 133: [(127, 0, 8), (127, 127, 9), (0, 0, 10), (0, 127, 11), (122, 3, 12), (37, 70, 14)],
    4: MARKERS,
    128: MARKERS,
}


@pytest.mark.parametrize("mode", sorted(MODE_EXPECT))
def test_screen_mode_marker_positions(m: Machine, mode: int) -> None:
    marker_screen(m)
    m.ram[0x5F2C] = mode
    assert indices(m) == frame_with(MODE_EXPECT[mode])


def busy_screen(m: Machine) -> None:
    m.ram[0x6000:0x8000] = bytes((i * 29 + (i >> 6) * 7) & 0xFF for i in range(0x2000))


def general_mapping(mode: int) -> Callable[[int, int], tuple[int, int]]:
    """Output (x, y) -> screen (x, y), straight from the mode table."""
    h = {1: "s", 3: "s", 5: "m", 7: "m", 129: "f", 131: "f"}.get(mode, "")
    v = {2: "s", 3: "s", 6: "m", 7: "m", 130: "f", 131: "f"}.get(mode, "")

    def axis(op: str, o: int) -> int:
        return {"s": o // 2, "m": min(o, 127 - o), "f": 127 - o}.get(op, o)

    if mode == 133:
        return lambda x, y: (y, 127 - x)
    if mode == 134:
        return lambda x, y: (127 - x, 127 - y)
    if mode == 135:
        return lambda x, y: (127 - y, x)
    return lambda x, y: (axis(h, x), axis(v, y))


@pytest.mark.parametrize("mode", [0, 1, 2, 3, 5, 6, 7, 129, 130, 131, 133, 134, 135])
def test_screen_mode_whole_frame(m: Machine, mode: int) -> None:
    busy_screen(m)
    m.ram[0x5F2C] = mode
    screen = Machine.screen_pixels(m)
    f = general_mapping(mode)
    expect = [[screen[f(x, y)[1]][f(x, y)[0]] for x in range(128)] for y in range(128)]
    assert indices(m) == expect


@pytest.mark.parametrize("mode", [0, 1, 2, 5, 6, 7, 129, 130, 131, 133, 134, 135, 0x10])
def test_rgb_outputs_agree_with_indices(m: Machine, mode: int) -> None:
    busy_screen(m)
    m.ram[0x5F10:0x5F20] = bytes([0x80 | 3, 1, 2, 0x8E, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0x8F])
    m.ram[0x5F2C] = mode
    flat = [c for row in indices(m) for c in row]
    assert rgb565_frame(m) == [rgb565(PALETTE[c]) for c in flat]
    assert xrgb_frame(m) == [0xFF000000 | PALETTE[c] for c in flat]


def test_screen_palette_applies_to_output(m: Machine) -> None:
    m.ram[0x6000] = 0x21                   # pixels 1, 2
    m.ram[0x5F11] = 0x80 | 1               # 1 -> 129
    m.ram[0x5F12] = 9
    assert indices(m, 0, 1)[0][0:3] == [17, 9, 0]
    assert rgb565_frame(m, 0, 1)[0:2] == [rgb565(0x111D35), rgb565(0xFFA300)]


def test_present_reads_the_remapped_screen(m: Machine) -> None:
    m.ram[0x8000] = 0x0B
    m.ram[0x6000] = 0x03
    m.ram[0x5F55] = 0x80
    assert indices(m, 0, 1)[0][0] == 11
    m.ram[0x5F55] = 0x60
    assert indices(m, 0, 1)[0][0] == 3


# ---- scanline palettes (0x5f5f) ----

def test_scanline_palette_mode_0x10(m: Machine) -> None:
    for y in range(128):
        set_pixel(m, 0, y, 4)
    for c in range(16):
        m.ram[0x5F60 + c] = 0x80 | c             # secondary: secret colours
    m.ram[0x5F70] = 0b00000101                  # rows 0 and 2
    m.ram[0x5F7F] = 0b10000000                  # row 127
    m.ram[0x5F5F] = 0x10
    col = [row[0] for row in indices(m)]
    assert col[0] == 20 and col[1] == 4 and col[2] == 20 and col[3] == 4
    assert col[126] == 4 and col[127] == 20
    assert rgb565_frame(m, 0, 1)[0] == rgb565(PALETTE[20])
    assert rgb565_frame(m, 1, 2)[0] == rgb565(PALETTE[4])


def test_scanline_rows_follow_the_screen_under_rotation(m: Machine) -> None:
    for x in range(128):
        set_pixel(m, x, 0, 4)                     # screen row 0 ...
    m.ram[0x5F64] = 0x80 | 4
    m.ram[0x5F70] = 1
    m.ram[0x5F5F] = 0x10
    m.ram[0x5F2C] = 133                           # ... shows as column 127
    frame = indices(m)
    assert [row[127] for row in frame] == [20] * 128
    assert [row[126] for row in frame] == [0] * 128


def test_gradient_mode_0x3n(m: Machine) -> None:
    for y in range(128):
        set_pixel(m, 0, y, 5)
        set_pixel(m, 1, y, 6)
    for c in range(16):
        m.ram[0x5F60 + c] = (c + 1) & 15
    m.ram[0x5F71] = 0b00000010                    # row 9: one step further
    m.ram[0x5F5F] = 0x35
    frame = indices(m)
    # Colour 5 on row y shows secondary entry (y // 8 + bit) % 16.
    assert [frame[y][0] for y in (0, 7, 8, 9, 10, 127)] == [1, 1, 2, 3, 2, 0]
    assert all(row[1] == 6 for row in frame)      # other colours untouched


# ---- row slices ----

def test_present_rows_clamps() -> None:
    assert lib.p8_present_rows(0, 128) == 128
    assert lib.p8_present_rows(-5, 200) == 128
    assert lib.p8_present_rows(10, 10) == 0
    assert lib.p8_present_rows(20, 10) == 0
    assert lib.p8_present_rows(120, 130) == 8
    assert lib.p8_present_rows(-2147483648, 2147483647) == 128


def test_slices_equal_the_whole_frame(m: Machine) -> None:
    busy_screen(m)
    for mode in (0, 3, 133):
        m.ram[0x5F2C] = mode
        whole = rgb565_frame(m)
        parts: list[int] = []
        for y in range(0, 128, 16):
            parts += rgb565_frame(m, y, y + 16)
        assert parts == whole
        assert rgb565_frame(m, 120, 500) == whole[120 * 128 :]


def test_empty_slice_writes_nothing(m: Machine) -> None:
    buf = ffi.new("uint16_t[]", [0xBEEF] * 128)
    assert lib.p8_present_rgb565(m.state, 50, 50, buf) == 0
    assert lib.p8_present_rgb565(m.state, 128, 300, buf) == 0
    assert list(buf) == [0xBEEF] * 128
