"""The firmware's display path on the host: core0's snapshot, core1's
RGB565 conversion and 128 -> panel scaling (platform/common/rp8_frame.c)."""
from __future__ import annotations

from typing import Any

import pytest

from console.machine import Machine
from support.firmware_clib import build

FIT, CROP = 0, 1

# PICO-8's 16 standard colours (PICO-8 manual / wiki "Palette"), as RGB565
# computed here independently of the engine: each channel truncated.
PALETTE = [0x000000, 0x1D2B53, 0x7E2553, 0x008751, 0xAB5236, 0x5F574F, 0xC2C3C7, 0xFFF1E8,
           0xFF004D, 0xFFA300, 0xFFEC27, 0x00E436, 0x29ADFF, 0x83769C, 0xFF77A8, 0xFFCCAA]


def rgb565(rgb: int) -> int:
    return ((rgb >> 19) & 0x1F) << 11 | ((rgb >> 10) & 0x3F) << 5 | ((rgb >> 3) & 0x1F)


@pytest.fixture(scope="module")
def c(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    return build(tmp_path_factory.mktemp("fwframe"))


def state_ptr(ffi: Any, m: Machine) -> Any:
    from console.machine import ffi as engine_ffi
    return ffi.cast("p8_state *", int(engine_ffi.cast("uintptr_t", m.state)))


def panel(c: tuple[Any, Any], m: Machine, mode: int, w: int, h: int) -> list[list[int]]:
    ffi, lib = c
    snap = ffi.new("rp8_snap *")
    sc = ffi.new("rp8_scaler *")
    lib.rp8_snap_take(state_ptr(ffi, m), snap)
    assert lib.rp8_scaler_init(sc, mode, w, h) == 0
    lib.rp8_scaler_frame(sc)
    line = ffi.new("uint16_t[]", w)
    rows = []
    for y in range(h):
        lib.rp8_scaler_line(sc, snap, y, line)
        rows.append(list(line))
    return rows


def test_rgb565_constants_match_palette(c: tuple[Any, Any]) -> None:
    assert rgb565(0xFF004D) == 0xF809          # colour 8, worked by hand
    assert rgb565(0xFFF1E8) == 0xFF9D
    assert [rgb565(v) for v in PALETTE][:3] == [0x0000, 0x194A, 0x792A]


@pytest.mark.parametrize("o,src", [(0, 0), (1, 0), (2, 1), (3, 1), (4, 2), (15, 8), (119, 63), (120, 64),
                                   (238, 127), (239, 127)])
def test_fit_240_maps_nearest(c: tuple[Any, Any], o: int, src: int) -> None:
    # nearest neighbour: the source pixel under the output pixel's centre,
    # floor((o + 1/2) * 128 / 240)
    assert c[1].rp8_scale_src(FIT, 240, o) == src
    assert c[1].rp8_scale_src(FIT, 240, 239 - o) == 127 - src       # symmetric


def test_fit_240_every_source_pixel_shown(c: tuple[Any, Any]) -> None:
    srcs = [c[1].rp8_scale_src(FIT, 240, o) for o in range(240)]
    assert sorted(set(srcs)) == list(range(128))
    # 112 source pixels shown twice, 16 once (240 = 128 + 112)
    assert sum(1 for s in range(128) if srcs.count(s) == 2) == 112
    assert c[1].rp8_scale_src(FIT, 240, -1) == -1 and c[1].rp8_scale_src(FIT, 240, 240) == -1


@pytest.mark.parametrize("o,src", [(0, 4), (1, 4), (2, 5), (119, 63), (120, 64), (238, 123), (239, 123)])
def test_crop_2x_240(c: tuple[Any, Any], o: int, src: int) -> None:
    # 2x: 256 pixels, 8 cut off each side of a 240 panel -> source 4..123
    assert c[1].rp8_scale_src(CROP, 240, o) == src


def test_crop_2x_on_a_wider_panel_has_borders(c: tuple[Any, Any]) -> None:
    # 320 wide: 256 shown from x=32, black (-1) around it
    lib = c[1]
    assert [lib.rp8_scale_src(CROP, 320, o) for o in (0, 31, 32, 33, 34, 287, 288, 319)] == \
        [-1, -1, 0, 0, 1, 127, -1, -1]


def test_fit_exact_pixels_240(c: tuple[Any, Any], m: Machine) -> None:
    # screen row 0: colour 8 at x=0, 12 at x=1, 7 at x=127; row 127: colour 11 at x=64
    m.ram[0x6000:0x8000] = bytes(0x2000)
    m.ram[0x6000] = 0xC8
    m.ram[0x6000 + 63] = 0x70
    m.ram[0x6000 + 127 * 64 + 32] = 0x0B
    rows = panel(c, m, FIT, 240, 240)
    red, blue, white, green = rgb565(PALETTE[8]), rgb565(PALETTE[12]), rgb565(PALETTE[7]), rgb565(PALETTE[11])
    # panel x 0,1 -> source 0; x 2,3 -> source 1; x 238, 239 -> source 127
    assert rows[0][:5] == [red, red, blue, blue, 0]
    assert rows[0][236:] == [0, 0, white, white]
    assert rows[1][:4] == [red, red, blue, blue]      # panel row 1 shows screen row 0
    assert rows[2][:4] == [0, 0, 0, 0]                # panel row 2 shows screen row 1
    # source x 64 is under panel x 120 and 121 ((2*120+1)*128//480 = 64)
    assert rows[239][119:123] == [0, green, green, 0]
    assert rows[238][120] == green and rows[237][120] == 0


def test_crop_exact_pixels_240(c: tuple[Any, Any], m: Machine) -> None:
    m.ram[0x6000:0x8000] = bytes(0x2000)
    m.ram[0x6000 + 4 * 64 + 2] = 0x98           # row 4: x=4 colour 8, x=5 colour 9
    m.ram[0x6000 + 3 * 64 + 2] = 0x77           # row 3 is cropped away
    rows = panel(c, m, CROP, 240, 240)
    red, orange = rgb565(PALETTE[8]), rgb565(PALETTE[9])
    assert rows[0][:6] == [red, red, orange, orange, 0, 0]
    assert rows[1][:6] == [red, red, orange, orange, 0, 0]
    assert rows[2][:6] == [0] * 6
    assert all(px != rgb565(PALETTE[7]) for row in rows for px in row)


def test_screen_palette_and_secret_colours(c: tuple[Any, Any], m: Machine) -> None:
    m.ram[0x6000:0x8000] = bytes(0x2000)
    m.ram[0x6000] = 0x21                         # x=0 colour 1, x=1 colour 2
    m.ram[0x5F11] = 0x8C                         # colour 1 shows secret 140 (0x065ab5)
    m.ram[0x5F12] = 0x18                         # bits 4-6 ignored: shows colour 8
    rows = panel(c, m, FIT, 128, 128)
    assert rows[0][:2] == [rgb565(0x065AB5), rgb565(PALETTE[8])]


def test_fit_non_square_panel_centres(c: tuple[Any, Any], m: Machine) -> None:
    m.ram[0x6000:0x8000] = bytes([0x88]) * 0x2000     # all red
    rows = panel(c, m, FIT, 320, 240)
    red = rgb565(PALETTE[8])
    assert rows[0][:40] == [0] * 40 and rows[0][40:280] == [red] * 240 and rows[0][280:] == [0] * 40


def test_screen_base_remap_wraps(c: tuple[Any, Any], m: Machine) -> None:
    # 0x5f55 = 0xf0: screen at 0xf000, its second half wraps to 0x0000
    m.ram[0x5F55] = 0xF0
    m.ram[0xF000] = 0x08
    m.ram[0x0000] = 0x0C                         # byte 0x1000 of the screen: row 64, x=0
    rows = panel(c, m, FIT, 128, 128)
    assert rows[0][0] == rgb565(PALETTE[8]) and rows[64][0] == rgb565(PALETTE[12])


def engine_rows(c: tuple[Any, Any], m: Machine) -> list[list[int]]:
    ffi, lib = c
    out = ffi.new("uint16_t[]", 128 * 128)
    assert lib.p8_present_rgb565(state_ptr(ffi, m), 0, 128, out) == 128
    return [list(out[y * 128:(y + 1) * 128]) for y in range(128)]


def draw_test_screen(m: Machine) -> None:
    for y in range(128):
        for x in range(0, 128, 2):
            m.ram[0x6000 + y * 64 + x // 2] = ((x * 7 + y * 3) & 15) | (((x + y * 5) & 15) << 4)


@pytest.mark.parametrize("mode", [1, 2, 3, 5, 6, 7, 0x81, 0x82, 0x83, 0x85, 0x86, 0x87, 0x41, 0xC5])
def test_screen_modes_match_engine(c: tuple[Any, Any], m: Machine, mode: int) -> None:
    """At 128x128 the panel must show exactly what the engine's present shows."""
    draw_test_screen(m)
    m.ram[0x5F13] = 0x8A
    m.ram[0x5F2C] = mode
    assert panel(c, m, FIT, 128, 128) == engine_rows(c, m)


@pytest.mark.parametrize("hc", [0x10, 0x33, 0x3A])
def test_scanline_palettes_match_engine(c: tuple[Any, Any], m: Machine, hc: int) -> None:
    draw_test_screen(m)
    m.ram[0x5F5F] = hc
    for i in range(16):
        m.ram[0x5F60 + i] = (15 - i) | (0x80 if i & 1 else 0)
        m.ram[0x5F70 + i] = 0xA5 ^ i
    snap_rows = panel(c, m, FIT, 128, 128)
    assert snap_rows == engine_rows(c, m)


def test_plain_frame_is_uniform_and_mode_frame_is_not(c: tuple[Any, Any], m: Machine) -> None:
    ffi, lib = c
    snap = ffi.new("rp8_snap *")
    lib.rp8_snap_take(state_ptr(ffi, m), snap)
    assert snap.uniform == 1 and snap.lossy == 0
    m.ram[0x5F2C] = 0x85
    lib.rp8_snap_take(state_ptr(ffi, m), snap)
    assert snap.uniform == 0 and snap.lossy == 0


def test_rotation_with_scanline_palette_counts_lossy_rows(c: tuple[Any, Any], m: Machine) -> None:
    # rotate 90 + gradient on colour 0: an output row crosses all 128 screen
    # rows, so it shows 16 gradient colours plus the others: > 16 per row
    ffi, lib = c
    draw_test_screen(m)
    m.ram[0x5F2C] = 0x85
    m.ram[0x5F5F] = 0x30
    for i in range(16):
        m.ram[0x5F60 + i] = 0x80 | i
    snap = ffi.new("rp8_snap *")
    lib.rp8_snap_take(state_ptr(ffi, m), snap)
    assert snap.lossy > 0


def test_scaler_rejects_bad_sizes(c: tuple[Any, Any]) -> None:
    ffi, lib = c
    sc = ffi.new("rp8_scaler *")
    assert lib.rp8_scaler_init(sc, FIT, 0, 240) == -1
    assert lib.rp8_scaler_init(sc, FIT, 240, 321) == -1
    assert lib.rp8_scaler_init(sc, FIT, 320, 320) == 0
