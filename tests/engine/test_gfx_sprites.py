"""spr, sspr, map, tline: exact pixels from the sprite sheet and the map."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from console._engine import lib
from console.machine import Machine
from support.gfx import Cart, art, count_drawn, region


def sheet(m: Machine, n: int, rows: list[str]) -> None:
    """Write sprite n's pixels (art rows, '.' = 0) straight into RAM."""
    c = Cart(m)
    ox, oy = n % 16 * 8, n // 16 * 8
    for y, row in enumerate(rows):
        for x, ch in enumerate(row):
            c.poke(0x5F54, 0)
            v = 0 if ch == "." else int(ch, 16)
            b = (oy + y) * 64 + (ox + x) // 2
            m.ram[b] = (m.ram[b] & 0x0F) | (v << 4) if (ox + x) & 1 else (m.ram[b] & 0xF0) | v


ARROW = art("""
    ...12...
    ..1221..
    .123321.
    12344321
    ...44...
    ...44...
    ...55...
    ...56...
""")


# ---- spr ----

def test_spr_draws_with_colour_0_transparent(m: Machine) -> None:
    c = Cart(m)
    sheet(m, 1, ARROW)
    c.cls(9)
    c.spr(1, 2, 1)
    assert region(m, 2, 1, 8, 8) == [r.replace(".", "9") for r in ARROW]
    assert region(m, 0, 0, 12, 1) == ["9" * 12]
    assert region(m, 0, 9, 12, 1) == ["9" * 12]



def test_spr_flips(m: Machine) -> None:
    c = Cart(m)
    sheet(m, 1, ARROW)
    c.spr(1, 0, 0, 1, 1, True, False)
    c.spr(1, 10, 0, 1, 1, False, True)
    assert region(m, 0, 0, 8, 8) == [r[::-1] for r in ARROW]
    assert region(m, 10, 0, 8, 8) == ARROW[::-1]


def test_spr_multiple_and_fractional_sizes(m: Machine) -> None:
    c = Cart(m)
    sheet(m, 1, ["1" * 8] * 8)
    sheet(m, 2, ["2" * 8] * 8)
    sheet(m, 17, ["3" * 8] * 8)
    c.spr(1, 0, 0, 2, 2)
    assert region(m, 0, 0, 16, 16) == ["1" * 8 + "2" * 8] * 8 + ["3" * 8 + "." * 8] * 8
    c.cls()
    c.spr(1, 0, 0, 1.5, 0.25)             # flr(w * 8) = 12, flr(h * 8) = 2
    assert region(m, 0, 0, 14, 3) == ["1" * 8 + "2222..", "1" * 8 + "2222..", "." * 14]
    c.cls()
    c.spr(1, 0, 0, 1.5, 0.25, True)       # flipped within the 12-pixel block
    assert region(m, 0, 0, 12, 1) == ["2222" + "1" * 8]
    c.cls()
    c.spr(1, 0, 0, 0, 1)
    c.spr(1, 0, 0, -1, 1)
    assert count_drawn(m) == 0


def test_spr_palette_palt_camera_clip(m: Machine) -> None:
    c = Cart(m)
    sheet(m, 1, ARROW)
    c.cls(9)
    c.pal(3, 11)
    c.palt(0, False)
    c.palt(4, True)
    c.camera(-1, 0)
    c.clip(0, 0, 6, 3)
    c.spr(1, 0, 0)
    c.camera()
    c.clip()
    # camera(-1, 0) moves the sprite right by one; the clip ends at x = 5
    assert region(m, 0, 0, 9, 4) == art("""
        9...12999
        9..122999
        9.12bb999
        999999999
    """)



def test_spr_edges_of_the_sheet(m: Machine) -> None:
    # sprite 255 is the bottom-right one; blocks running off the sheet read
    # colour 0 (transparent by default) instead of wrapping
    c = Cart(m)
    sheet(m, 255, ["f" * 8] * 8)
    sheet(m, 0, ["1" * 8] * 8)
    c.spr(255, 0, 0, 2, 2)
    assert region(m, 0, 0, 16, 9) == ["f" * 8 + "." * 8] * 8 + ["." * 16]


def test_spr_sheet_remap_and_poke_palette(m: Machine) -> None:
    c = Cart(m)
    c.rectfill(0, 0, 7, 7, 5)             # draw a sprite on the screen...
    c.poke(0x5F54, 0x60)                   # ...and use the screen as the sheet
    c.poke(0x5F00 + 5, 0x06)               # poked palette: 5 draws as 6
    c.spr(0, 20, 20)
    c.poke(0x5F54, 0x00)
    assert region(m, 20, 20, 8, 8) == ["66666666"] * 8


def test_spr_huge_coordinates(m: Machine) -> None:
    c = Cart(m)
    sheet(m, 1, ["1" * 8] * 8)
    c.spr(1, 32767, 32767, 32767, 32767)
    c.spr(1, -32768, -32768)
    assert count_drawn(m) == 0
    c.spr(1, -32768, -32768, 32767, 32767)   # 262136 pixels wide, off the sheet
    assert count_drawn(m) == 0


# ---- sspr ----

def gradient_columns(m: Machine) -> None:
    """Sheet pixel (x, y) = x for the first 16 columns, like fake-08's tests."""
    c = Cart(m)
    for y in range(16):
        for x in range(16):
            c.sset(x, y, x)


def test_sspr_uneven_stretch_samples_pixel_centres(m: Machine) -> None:
    # fake-08 graphicstests.cpp (the commented-out case noting how PICO-8
    # stretches): sspr(3, 1, 3, 1, 100, 50, 5, 1) gives colours 3,3,4,5,5
    c = Cart(m)
    gradient_columns(m)
    c.sspr(3, 1, 3, 1, 100, 50, 5, 1)
    assert region(m, 100, 50, 5, 1) == ["33455"]


def test_sspr_default_size_and_shrink(m: Machine) -> None:
    c = Cart(m)
    gradient_columns(m)
    c.sspr(2, 0, 4, 2, 0, 0)
    assert region(m, 0, 0, 5, 3) == ["2345.", "2345.", "....."]
    c.cls()
    c.sspr(0, 0, 16, 1, 0, 0, 4, 1)        # samples 2, 6, 10, 14
    assert region(m, 0, 0, 4, 1) == ["26ae"]


def test_sspr_negative_size_flips(m: Machine) -> None:
    # fake-08 "sspr(...) negative screen dimensions flip image": a negative
    # dh draws the block ending at dy - 1, flipped
    c = Cart(m)
    gradient_columns(m)
    c.sspr(3, 2, 3, 4, 100, 50, 3, -4)
    assert region(m, 100, 46, 3, 5) == ["345"] * 4 + ["..."]
    c.cls()
    c.sspr(3, 2, 3, 1, 100, 50, -3, 1)
    assert region(m, 96, 50, 5, 1) == [".543."]


def test_sspr_flip_flags_and_doubling(m: Machine) -> None:
    c = Cart(m)
    gradient_columns(m)
    c.sspr(1, 0, 3, 1, 0, 0, 6, 2, True, False)
    assert region(m, 0, 0, 6, 2) == ["332211", "332211"]


def test_sspr_clipped_and_huge(m: Machine) -> None:
    c = Cart(m)
    gradient_columns(m)
    c.clip(2, 0, 2, 1)
    c.sspr(0, 0, 8, 1, 0, 0)
    c.clip()
    assert region(m, 0, 0, 6, 1) == ["..23.."]
    c.cls()
    # 16 source pixels over 32767: the screen sees destination pixels
    # 16000..16127, all sampling source column 7
    c.sspr(0, 0, 16, 16, -16000, -16000, 32767, 32767)
    assert region(m, 0, 0, 128, 128) == ["7" * 128] * 128
    c.cls()
    c.sspr(0, 0, 0, 16, 0, 0)             # zero width: nothing
    assert count_drawn(m) == 0
    c.cls()
    c.sspr(0, 0, 16, 16, 0, 0, 0, 16)
    assert count_drawn(m) == 0


# ---- map ----

def map_setup(m: Machine) -> Cart:
    c = Cart(m)
    sheet(m, 1, ["1" * 8] * 8)
    sheet(m, 2, ["2" * 8] * 8)
    sheet(m, 3, ["3" * 4 + "...." ] * 8)
    m.ram[0x3001] = 0b01
    m.ram[0x3002] = 0b10
    m.ram[0x3003] = 0b11
    return c


def test_map_draws_cells_and_skips_sprite_0(m: Machine) -> None:
    c = map_setup(m)
    c.mset(0, 0, 1)
    c.mset(1, 0, 0)
    c.mset(2, 0, 2)
    c.mset(0, 1, 3)
    c.map(0, 0, 0, 0, 3, 2)
    assert region(m, 0, 0, 24, 16)[::7] == [
        "11111111........22222222", "11111111........22222222", "3333....................",
        "3333....................", "3333...................."][:3]
    assert count_drawn(m) == 64 + 64 + 32


def test_map_layers(m: Machine) -> None:
    c = map_setup(m)
    for i, v in enumerate([1, 2, 3]):
        c.mset(i, 0, v)
    c.map(0, 0, 0, 0, 3, 1, 0b10)          # sprites sharing a flag with 0b10
    assert region(m, 0, 0, 24, 1) == ["." * 8 + "2" * 8 + "3333...."]
    c.cls()
    c.map(0, 0, 0, 0, 3, 1, 0b01)
    assert region(m, 0, 0, 24, 1) == ["1" * 8 + "." * 8 + "3333...."]


def test_map_sprite_0_opaque_with_0x5f36(m: Machine) -> None:
    # manual: POKE(0x5F36, 0x8) draws sprite 0 in map()
    c = map_setup(m)
    sheet(m, 0, ["7" * 8] * 8)
    c.map(0, 0, 0, 0, 1, 1)
    assert count_drawn(m) == 0
    c.poke(0x5F36, 0x8)
    c.map(0, 0, 0, 0, 1, 1)
    assert count_drawn(m) == 64


def test_map_defaults_offsets_camera_clip(m: Machine) -> None:
    c = map_setup(m)
    c.mset(127, 31, 1)
    c.mset(0, 32, 2)                       # below the default 128x32 area
    c.camera(127 * 8 - 4, 31 * 8 - 4)
    c.map(0, 0, 0, 0)
    c.camera()
    assert region(m, 0, 0, 13, 13) == ["............."] * 4 + ["....11111111."] * 8 + ["............."]
    c.cls()
    c.mset(5, 6, 2)
    c.clip(0, 0, 3, 3)
    c.map(4, 5, -7, -7, 3, 3)              # cell (5, 6) lands at (1, 1)
    c.clip()
    assert region(m, 0, 0, 4, 4) == ["....", ".22.", ".22.", "...."]


def test_map_outside_and_huge(m: Machine) -> None:
    c = map_setup(m)
    c.mset(0, 0, 1)
    c.map(-1, -1, 0, 0, 2, 2)              # cell (-1, -1) etc. are empty
    assert region(m, 8, 8, 8, 1) == ["11111111"] and count_drawn(m) == 64
    c.cls()
    c.map(0, 0, -32768, -32768, 32767, 32767)
    c.map(0, 0, 0, 0, -5, -5)
    assert count_drawn(m) == 0


def test_map_remap_0x5f56(m: Machine) -> None:
    c = map_setup(m)
    c.poke(0x5F56, 0x80, 16)               # a 16-wide map in upper memory
    m.ram[0x8000 + 16 + 1] = 2             # cell (1, 1)
    c.map(0, 0, 0, 0, 3, 3)
    assert count_drawn(m) == 64 and region(m, 8, 8, 1, 1) == ["2"]


# ---- tline (femto8 tests/test_tline.p8, transcribed) ----

def tline_setup(m: Machine) -> Cart:
    """femto8's sprites: 1, 2 solid; 3 row gradient; 4 column gradient;
    5 (x + y) % 8; 6 solid 7 with flags 0x05; 7 solid 8 with flags 0x02.
    Screen cleared to 15, map rows 0-31 empty."""
    c = Cart(m)
    sheet(m, 1, ["1" * 8] * 8)
    sheet(m, 2, ["2" * 8] * 8)
    sheet(m, 3, [str(y).replace("0", ".") * 8 for y in range(8)])
    sheet(m, 4, [".1234567"] * 8)
    sheet(m, 5, ["".join("." if (x + y) % 8 == 0 else str((x + y) % 8) for x in range(8))
                 for y in range(8)])
    sheet(m, 6, ["7" * 8] * 8)
    sheet(m, 7, ["8" * 8] * 8)
    m.ram[0x3006] = 0x05
    m.ram[0x3007] = 0x02
    c.cls(15)
    return c


Case = tuple[str, Callable[[Cart], None], dict[tuple[int, int], int]]

ROW = lambda xs, v, y=0: {(x, y): v for x in xs}   # noqa: E731
COL = lambda ys, v, x=0: {(x, y): v for y in ys}   # noqa: E731


def seq(y: int, vals: dict[int, int]) -> dict[tuple[int, int], int]:
    return {(x, y): v for x, v in vals.items()}


TLINE_CASES: list[Case] = [
    ("horiz_solid", lambda c: (c.mset(0, 0, 1), c.tline(0, 0, 7, 0, 0, 0)),
     {**ROW(range(8), 1), (8, 0): 15}),
    ("horiz_two_tiles", lambda c: (c.mset(0, 0, 1), c.mset(1, 0, 2), c.tline(0, 0, 15, 0, 0, 0)),
     {**ROW(range(8), 1), **ROW(range(8, 16), 2)}),
    ("horiz_col_gradient", lambda c: (c.mset(0, 0, 4), c.tline(0, 0, 7, 0, 0, 0)),
     {(0, 0): 15, **{(x, 0): x for x in range(1, 8)}}),
    ("vert_row_gradient", lambda c: (c.mset(0, 0, 3), c.tline(0, 0, 0, 7, 0, 0, 0, 0.125)),
     {(0, 0): 15, **{(0, y): y for y in range(1, 8)}}),
    ("vert_two_tiles", lambda c: (c.mset(0, 0, 1), c.mset(0, 1, 2), c.tline(0, 0, 0, 15, 0, 0, 0, 0.125)),
     {**COL(range(8), 1), **COL(range(8, 16), 2)}),
    ("diag_45deg", lambda c: (c.mset(0, 0, 5), c.tline(0, 0, 7, 7, 0, 0, 0.125, 0.125)),
     {(k, k): (2 * k) % 8 or 15 for k in range(8)}),
    ("horiz_shallow_2_1", lambda c: (c.mset(0, 0, 4), c.mset(1, 0, 4), c.tline(0, 0, 15, 7, 0, 0)),
     {(0, 0): 15, (15, 7): 7}),
    ("vert_steep_1_2", lambda c: (c.mset(0, 0, 3), c.mset(0, 1, 3), c.tline(0, 0, 7, 15, 0, 0, 0, 0.125)),
     {(0, 0): 15, (7, 15): 7}),
    ("nonzero_mx", lambda c: (c.mset(0, 0, 4), c.tline(0, 0, 3, 0, 0.5, 0)),
     seq(0, {0: 4, 1: 5, 2: 6, 3: 7})),
    ("nonzero_my", lambda c: (c.mset(0, 0, 3), c.tline(0, 0, 0, 3, 0, 0.5, 0, 0.125)),
     {(0, 0): 4, (0, 1): 5, (0, 2): 6, (0, 3): 7}),
    ("scale_up_half_mdx", lambda c: (c.mset(0, 0, 4), c.tline(0, 0, 15, 0, 0, 0, 1 / 16, 0)),
     {(k, 0): (k // 2) or 15 for k in range(16)}),
    ("scale_down_double_mdx", lambda c: (c.mset(0, 0, 4), c.mset(1, 0, 4), c.tline(0, 0, 7, 0, 0, 0, 0.25, 0)),
     {(k, 0): (2 * k) % 8 or 15 for k in range(8)}),
    ("horiz_with_mdy", lambda c: (c.mset(0, 0, 5), c.tline(0, 0, 7, 0, 0, 0, 0.125, 0.125)),
     {(k, 0): (2 * k) % 8 or 15 for k in range(8)}),
    ("mask_wrap_x", lambda c: (c.mset(0, 0, 1), c.mset(1, 0, 2), c.poke(0x5F38, 1), c.tline(0, 0, 15, 0, 0, 0)),
     ROW(range(16), 1)),
    ("mask_wrap_y", lambda c: (c.mset(0, 0, 1), c.mset(0, 1, 2), c.poke(0x5F39, 1),
                               c.tline(0, 0, 0, 15, 0, 0, 0, 0.125)),
     COL(range(16), 1)),
    ("mask_wrap_x_2tiles", lambda c: (c.mset(0, 0, 1), c.mset(1, 0, 2), c.mset(2, 0, 7), c.poke(0x5F38, 2),
                                      c.tline(0, 0, 23, 0, 0, 0)),
     {**ROW(range(8), 1), **ROW(range(8, 16), 2), **ROW(range(16, 24), 1)}),
    ("offset_x", lambda c: (c.mset(0, 0, 1), c.mset(2, 0, 2), c.poke(0x5F3A, 2), c.tline(0, 0, 7, 0, 0, 0)),
     ROW(range(8), 2)),
    ("offset_y", lambda c: (c.mset(0, 0, 1), c.mset(0, 2, 2), c.poke(0x5F3B, 2),
                            c.tline(0, 0, 0, 7, 0, 0, 0, 0.125)),
     COL(range(8), 2)),
    ("layer_match", lambda c: (c.mset(0, 0, 6), c.tline(0, 0, 7, 0, 0, 0, 0.125, 0, 0x5)),
     ROW(range(8), 7)),
    ("layer_no_match", lambda c: (c.mset(0, 0, 7), c.tline(0, 0, 7, 0, 0, 0, 0.125, 0, 0x5)),
     ROW(range(8), 15)),
    ("layer_zero_draws_all", lambda c: (c.mset(0, 0, 7), c.tline(0, 0, 7, 0, 0, 0)),
     ROW(range(8), 8)),
    ("layer_partial_match", lambda c: (c.mset(0, 0, 6), c.mset(1, 0, 7), c.tline(0, 0, 15, 0, 0, 0, 0.125, 0, 0x1)),
     {**ROW(range(8), 7), **ROW(range(8, 16), 15)}),
    ("sprite_zero_not_drawn", lambda c: (c.mset(0, 0, 0), c.tline(0, 0, 7, 0, 0, 0)),
     ROW(range(8), 15)),
    ("sprite_zero_gap", lambda c: (c.mset(0, 0, 1), c.mset(2, 0, 2), c.tline(0, 0, 23, 0, 0, 0)),
     {**ROW(range(8), 1), **ROW(range(8, 16), 15), **ROW(range(16, 24), 2)}),
    ("sprite_zero_draw_enable", lambda c: (c.palt(0, False), c.poke(0x5F36, 0x8), c.tline(0, 0, 7, 0, 0, 0)),
     ROW(range(8), 0)),
    ("single_pixel", lambda c: (c.mset(0, 0, 1), c.tline(5, 5, 5, 5, 0, 0)),
     {(5, 5): 1, (4, 5): 15, (6, 5): 15, (5, 4): 15, (5, 6): 15}),
    ("reverse_horiz", lambda c: (c.mset(0, 0, 4), c.tline(7, 0, 0, 0, 0, 0)),
     {(7 - k, 0): k or 15 for k in range(8)}),
    ("reverse_vert", lambda c: (c.mset(0, 0, 3), c.tline(0, 7, 0, 0, 0, 0, 0, 0.125)),
     {(0, 7 - k): k or 15 for k in range(8)}),
    ("fillp_no_effect", lambda c: (c.mset(0, 0, 1), c.fillp(0b1010101001010101), c.tline(0, 0, 7, 0, 0, 0)),
     ROW(range(8), 1)),
    ("neg_x0", lambda c: (c.mset(0, 0, 1), c.mset(1, 0, 1), c.tline(-4, 0, 3, 0, 0, 0)),
     {**ROW(range(4), 1), (4, 0): 15}),
    ("neg_x1", lambda c: (c.mset(0, 0, 1), c.tline(0, 0, -5, 0, 0, 0)), {(0, 0): 1}),
    ("both_neg", lambda c: (c.mset(0, 0, 1), c.tline(-10, -10, -1, -1, 0, 0)), ROW(range(8), 15)),
    ("x0_past_right", lambda c: (c.mset(0, 0, 1), c.tline(130, 0, 125, 0, 0, 0)),
     {(124, 0): 15, (125, 0): 1, (126, 0): 1, (127, 0): 1}),
    ("y1_past_bottom", lambda c: (c.mset(0, 0, 1), c.tline(0, 124, 0, 132, 0, 0, 0, 0.125)),
     COL(range(124, 128), 1)),
    ("neg_mx", lambda c: (c.mset(0, 0, 4), c.tline(0, 0, 9, 0, -0.125, 0)), {(1, 0): 15, (2, 0): 1}),
    ("neg_mdx", lambda c: (c.mset(0, 0, 4), c.tline(0, 0, 7, 0, 0.875, 0, -0.125, 0)),
     seq(0, {0: 7, 1: 6, 6: 1, 7: 15})),
    ("neg_mdy", lambda c: (c.mset(0, 0, 3), c.tline(0, 0, 0, 7, 0, 0.875, 0, -0.125)),
     {(0, 0): 7, (0, 1): 6, (0, 6): 1, (0, 7): 15}),
    ("neg_mdx_mdy", lambda c: (c.mset(0, 0, 5), c.tline(0, 0, 7, 0, 0.875, 0.875, -0.125, -0.125)),
     seq(0, {0: 6, 1: 4, 2: 2, 3: 15})),
    ("neg_coords_neg_mdx", lambda c: (c.mset(0, 0, 4), c.tline(-3, 0, 4, 0, 0.875, 0, -0.125, 0)),
     seq(0, {0: 4, 1: 3, 2: 2, 3: 1, 4: 15})),
    ("cross_screen", lambda c: ([c.mset(i, 0, 1) for i in range(16)], c.tline(-64, 0, 191, 0, -8, 0)),
     seq(0, {0: 1, 64: 1, 127: 1})),
    ("fractional_mdy", lambda c: (c.mset(0, 0, 3), c.tline(0, 0, 0, 15, 0, 0, 0, 0.0625)),
     {(0, 0): 15, (0, 1): 15, (0, 2): 1, (0, 3): 1, (0, 4): 2}),
    ("mask8_offset8", lambda c: (c.mset(8, 8, 1), c.poke(0x5F38, 8, 8, 8, 8), c.tline(0, 0, 7, 0, 0, 0)),
     ROW(range(8), 1)),
    ("mask2_offset_y2", lambda c: (c.mset(0, 2, 2), c.poke(0x5F38, 2, 2, 0, 2), c.tline(0, 0, 7, 0, 0, 0)),
     ROW(range(8), 2)),
    ("mask16_offset94", lambda c: (c.mset(94, 8, 1), c.poke(0x5F38, 16, 8, 94, 8), c.tline(0, 0, 7, 0, 0, 0)),
     ROW(range(8), 1)),
    ("mask8_wrap_with_offset", lambda c: (c.mset(8, 0, 1), c.mset(9, 0, 2), c.poke(0x5F38, 8), c.poke(0x5F3A, 8),
                                          c.tline(0, 0, 15, 0, 7, 0)),
     {**ROW(range(8), 15), **ROW(range(8, 16), 1)}),
    ("mask_subtile_midtile", lambda c: (c.mset(0, 0, 4), c.poke(0x5F38, 1), c.tline(0, 0, 3, 0, 1.5, 0)),
     seq(0, {0: 4, 1: 5, 2: 6, 3: 7})),
    ("mask_subtile_y", lambda c: (c.mset(0, 0, 3), c.poke(0x5F39, 1), c.tline(0, 0, 0, 3, 0, 2.5, 0, 0.125)),
     {(0, 0): 4, (0, 1): 5, (0, 2): 6, (0, 3): 7}),
    ("mask4_offset10", lambda c: ([c.mset(10 + i, 0, 1 + i % 2) for i in range(4)], c.poke(0x5F38, 4),
                                  c.poke(0x5F3A, 10), c.tline(0, 0, 15, 0, 0, 0)),
     {**ROW(range(8), 1), **ROW(range(8, 16), 2)}),
    ("mask_offset_y", lambda c: (c.mset(0, 5, 1), c.mset(0, 6, 2), c.poke(0x5F39, 2), c.poke(0x5F3B, 5),
                                 c.tline(0, 0, 0, 15, 0, 0, 0, 0.125)),
     {**COL(range(8), 1), **COL(range(8, 16), 2)}),
    ("large_mx_wrap", lambda c: (c.mset(0, 0, 4), c.poke(0x5F38, 1), c.tline(0, 0, 7, 0, 100, 0)),
     seq(0, {0: 15, 1: 1, 7: 7})),
    ("neg_mx_wrap", lambda c: (c.mset(0, 0, 1), c.mset(1, 0, 2), c.poke(0x5F38, 2), c.tline(0, 0, 7, 0, -1, 0)),
     ROW(range(8), 2)),
]


@pytest.mark.parametrize("name,setup,expect", TLINE_CASES, ids=[c[0] for c in TLINE_CASES])
def test_tline_femto8(m: Machine, name: str, setup: Callable[[Cart], Any],
                      expect: dict[tuple[int, int], int]) -> None:
    c = tline_setup(m)
    setup(c)
    c.camera()
    c.clip()
    got = {p: c.pget(*p) for p in expect}
    assert got == expect


def test_tline_clip_and_camera_from_femto8(m: Machine) -> None:
    # femto8 "off_screen_clipped" and "camera_offset"
    c = tline_setup(m)
    c.mset(0, 0, 1)
    c.clip(2, 0, 4, 128)
    c.tline(0, 0, 7, 0, 0, 0)
    c.clip()
    assert [c.pget(x, 0) for x in range(8)] == [15, 15, 1, 1, 1, 1, 15, 15]
    c.camera(-10, -5)
    c.tline(0, 0, 7, 0, 0, 0)
    c.camera()
    assert [c.pget(x, 5) for x in range(9, 19)] == [15] + [1] * 8 + [15]


def test_tline_diagonal_follows_line_pixels(m: Machine) -> None:
    # tline steps exactly the pixels line() draws, sampling k steps along
    c = tline_setup(m)
    c.mset(0, 0, 1)
    c.mset(1, 0, 1)
    c.tline(3, 2, 17, 9, 0, 0)
    drawn = {(x, y) for y in range(20) for x in range(30) if c.pget(x, y) == 1}
    c.cls(15)
    c.line(3, 2, 17, 9, 1)
    assert drawn == {(x, y) for y in range(20) for x in range(30) if c.pget(x, y) == 1}


def test_tline_sprite_fill_pattern_and_palette(m: Machine) -> None:
    c = tline_setup(m)
    c.mset(0, 0, 2)
    c.pal(2, 9)
    c.tline(0, 0, 3, 0, 0, 0)
    assert [c.pget(x, 0) for x in range(4)] == [9, 9, 9, 9]
    # fill pattern applied to sprites (0x0.4): after the draw palette the
    # colour indexes the secondary palette, whose high nibble is used where
    # the pattern bit is set (manual, FILLP "Apply to Sprites")
    c.fillp(0b0101_0000_0000_0000 + 0.25)
    c.pal(9, 0x3A, 2)
    c.tline(0, 0, 3, 0, 0, 0)
    assert [c.pget(x, 0) for x in range(4)] == [10, 3, 10, 3]
    c.fillp(0b0101_0000_0000_0000 + 0.25 + 0.5)   # with transparency
    c.cls(15)
    c.tline(0, 0, 3, 0, 0, 0)
    assert [c.pget(x, 0) for x in range(4)] == [10, 15, 10, 15]



def test_tline_precision_register() -> None:
    """tline(16) makes mx/my/mdx/mdy map pixels instead of tiles (manual,
    TLINE "bits"); out-of-range precisions are refused, not ignored."""
    m = Machine()
    c = tline_setup(m)
    c.mset(0, 0, 4)                        # column gradient .1234567
    assert lib.p8_tline_precision(m.state, 16 << 16) == 0
    c.tline(0, 0, 3, 0, 3, 0, 1, 0)        # start at map pixel 3, one pixel per step
    assert [c.pget(x, 0) for x in range(4)] == [3, 4, 5, 6]
    c.tline(0, 1, 3, 1, 2, 0, 0.5, 0)      # half a map pixel per step
    assert [c.pget(x, 1) for x in range(4)] == [2, 2, 3, 3]
    assert lib.p8_tline_precision(m.state, 13 << 16) == 0
    c.tline(0, 2, 1, 2, 0.5, 0, 0.125, 0)  # back to tiles: 0.5 tile = pixel 4
    assert [c.pget(x, 2) for x in range(2)] == [4, 5]
    assert lib.p8_tline_precision(m.state, 32 << 16) == -1
    assert lib.p8_tline_precision(m.state, -1 << 16) == -1


def test_tline_precision_beyond_16_bits() -> None:
    """tline(17): coordinates in half map pixels (femto8 tests/test_tline.p8
    precision_17 and precision_17_neg_mx, transcribed)."""
    m = Machine()
    c = tline_setup(m)
    c.mset(0, 0, 4)                        # column gradient .1234567
    assert lib.p8_tline_precision(m.state, 17 << 16) == 0
    c.tline(0, 0, 7, 0, 0, 0, 2, 0)        # mdx 2 = one map pixel per step
    assert [c.pget(x, 0) for x in range(8)] == [15, 1, 2, 3, 4, 5, 6, 7]
    c.tline(0, 1, 5, 1, 0, 0, 1, 0)        # mdx 1 = half a map pixel
    assert [c.pget(x, 1) for x in range(6)] == [15, 15, 1, 1, 2, 2]
    c.tline(0, 2, 3, 2, -4, 0, 2, 0)       # starts at map pixel -2: off the map
    assert [c.pget(x, 2) for x in range(4)] == [15, 15, 15, 1]
    # 31 bits: the top bit of the raw coordinate is the map pixel, and the
    # 256-tile mask would need 42 bits, so nothing is masked
    assert lib.p8_tline_precision(m.state, 31 << 16) == 0
    c.tline(0, 3, 1, 3, 0xC000, 0, 0, 0)   # raw 0xc000.0000 >> 31 = pixel 1
    assert [c.pget(x, 3) for x in range(2)] == [1, 1]
