"""The pixel primitive and single-pixel/cell API: cls, pset, pget, sget,
sset, fget, fset, mget, mset, and how the draw state in RAM steers them."""
from __future__ import annotations

from console.machine import Machine
from support.gfx import Cart, art, count_drawn, region


def test_pset_pget_and_screen_bytes(m: Machine) -> None:
    # low nibble is the left pixel (PICO-8 manual, memory layout); the
    # pset_screen_mem case of femto8's tests.p8 expects 0x47 here
    c = Cart(m)
    c.pset(50, 2, 7)
    c.pset(51, 2, 4)
    assert m.ram[0x6000 + 2 * 64 + 25] == 0x47
    assert c.pget(50, 2) == 7 and c.pget(51, 2) == 4


def test_pset_uses_and_sets_pen(m: Machine) -> None:
    c = Cart(m)
    c.pset(1, 1)                       # pen defaults to 6
    assert c.pget(1, 1) == 6
    c.pset(2, 1, 9)
    assert c.peek(0x5F25) == 9         # a given colour becomes the pen
    c.pset(3, 1)
    assert c.pget(3, 1) == 9


def test_pset_fractional_and_negative_coordinates_floor(m: Machine) -> None:
    c = Cart(m)
    c.pset(3.99, 4.5, 8)
    assert c.pget(3, 4) == 8
    c.camera(-10, -10)
    c.pset(-0.5, -0.5, 9)              # flr(-0.5) = -1 -> screen (9, 9)
    c.camera()
    assert c.pget(9, 9) == 9


def test_camera_applies_to_pset_and_pget(m: Machine) -> None:
    # femto8 tests.p8 "camera": draw at (10,10) with camera(10,10) lands on 0,0
    c = Cart(m)
    c.pset(10, 10, 1)
    c.camera(10, 10)
    c.pset(10, 10, 3)
    assert c.pget(10, 10) == 3         # pget goes through the camera too
    c.camera(0, 0)
    assert c.pget(0, 0) == 3 and c.pget(10, 10) == 1


def test_camera_poke_changes_next_draw(m: Machine) -> None:
    c = Cart(m)
    c.poke(0x5F28, 0xFE, 0xFF, 0xFD, 0xFF)   # camera(-2, -3) as int16s
    c.pset(0, 0, 5)
    c.poke(0x5F28, 0, 0, 0, 0)
    assert c.pget(2, 3) == 5


def test_clip_applies_to_pset_and_pget(m: Machine) -> None:
    # femto8 tests.p8 pset_clip / pget_clip: pget reads 0 outside the clip
    c = Cart(m)
    c.pset(25, 25, 8)
    c.clip(3, 3, 7, 7)
    c.pset(25, 25, 3)
    assert c.pget(25, 25) == 0
    c.clip(0, 0, 128, 128)
    assert c.pget(25, 25) == 8


def test_clip_poke_changes_next_draw(m: Machine) -> None:
    c = Cart(m)
    c.poke(0x5F20, 10, 10, 12, 11)     # x0, y0, x1, y1 (exclusive)
    c.rectfill(0, 0, 127, 127, 7)
    c.poke(0x5F20, 0, 0, 128, 128)
    assert region(m, 9, 9, 4, 3) == ["....", ".77.", "...."]


def test_pget_out_of_bounds_default_and_custom(m: Machine) -> None:
    # manual: out of bounds pget returns 0, or peek(0x5f5b) with 0x5f36 & 0x10
    c = Cart(m)
    c.cls(7)
    assert c.pget(-1, 0) == 0 and c.pget(128, 5) == 0
    c.poke(0x5F36, 0x10)
    c.poke(0x5F5B, 12)
    assert c.pget(-10, -10) == 12
    assert c.pget(5, 5) == 7


def test_draw_palette_remaps_and_poke(m: Machine) -> None:
    c = Cart(m)
    c.pal(9, 8)
    c.pset(0, 0, 9)
    assert c.pget(0, 0) == 8           # femto8 tests.p8 pal_draw
    c.poke(0x5F00 + 3, 0x0C)
    c.pset(1, 0, 3)
    assert c.pget(1, 0) == 12


def test_pen_poke_changes_next_draw(m: Machine) -> None:
    c = Cart(m)
    c.poke(0x5F25, 11)
    c.pset(4, 4)
    assert c.pget(4, 4) == 11


def test_fill_pattern_two_colours_in_screen_space(m: Machine) -> None:
    # bit 15 is the top-left of the 4x4 tile (manual's FILLP table); the
    # high nibble of the colour is the second colour
    c = Cart(m)
    c.fillp(0b1010_0101_1010_0101)
    c.rectfill(0, 0, 7, 3, 0x4E)
    assert region(m, 0, 0, 8, 4) == art("""
        4e4e4e4e
        e4e4e4e4
        4e4e4e4e
        e4e4e4e4
    """)
    # the pattern stays put on the screen when the camera moves
    c.cls()
    c.camera(1, 0)
    c.rectfill(1, 0, 4, 0, 0x4E)
    c.camera()
    assert region(m, 0, 0, 4, 1) == ["4e4e"]


def test_fill_pattern_transparency(m: Machine) -> None:
    c = Cart(m)
    c.cls(1)
    c.fillp(0b1100_1100_0011_0011 + 0.5)   # 0b0.1: the 1 bits are not drawn
    c.rectfill(0, 0, 3, 3, 7)
    assert region(m, 0, 0, 4, 4) == art("""
        1177
        1177
        7711
        7711
    """)
    assert c.peek(0x5F31) == 0x33 and c.peek(0x5F32) == 0xCC and c.peek(0x5F33) == 1


def test_fill_pattern_poke_changes_next_draw(m: Machine) -> None:
    c = Cart(m)
    c.poke(0x5F31, 0xFF, 0x00)         # bottom two rows of the tile set
    c.rectfill(0, 0, 3, 3, 0x52)
    assert region(m, 0, 0, 4, 4) == ["2222", "2222", "5555", "5555"]


def test_fill_pattern_global_secondary_palette(m: Machine) -> None:
    # manual: fillp(0b0011001111001100.001) pal(12, 0x87, 2) circfill(...,12)
    # is a red and white checkerboard; the draw palette applies first
    c = Cart(m)
    c.fillp(0b0011_0011_1100_1100 + 0.125)
    c.pal(12, 0x87, 2)
    c.pal(3, 12)
    c.rectfill(0, 0, 3, 1, 3)
    assert region(m, 0, 0, 4, 2) == ["7788", "7788"]


def test_colour_argument_carries_fill_pattern_with_0x5f34(m: Machine) -> None:
    # manual: poke(0x5f34, 1) then a colour 0x114e.abcd sets fillp 0xabcd,
    # transparency (0x0100.0000), colours 0x4e
    c = Cart(m)
    c.poke(0x5F34, 1)
    c.cls(1)
    c.rectfill(0, 0, 3, 3, 0x114E + 0xABCD / 65536)
    assert c.peek(0x5F31) == 0xCD and c.peek(0x5F32) == 0xAB
    assert c.peek(0x5F33) == 1 and c.peek(0x5F25) == 0x4E
    # 0xabcd = 1010 1011 1100 1101: 1 bits are transparent (keep colour 1)
    assert region(m, 0, 0, 4, 4) == ["1e1e", "1e11", "11ee", "11e1"]


def test_colour_fill_bits_ignored_without_0x5f34(m: Machine) -> None:
    c = Cart(m)
    c.rectfill(0, 0, 1, 0, 0x114E + 0xABCD / 65536)
    assert c.peek(0x5F31) == 0 and c.peek(0x5F33) == 0
    assert region(m, 0, 0, 2, 1) == ["ee"]


def test_bitplane_masks(m: Machine) -> None:
    # 0x5f5e: dst = (dst & ~write) | (src & write & read)
    c = Cart(m)
    assert c.peek(0x5F5E) == 0xFF
    c.cls(0b1010)
    c.poke(0x5F5E, 0xF3)               # write bits 0-1 only
    c.pset(0, 0, 0b0101)
    assert c.pget(0, 0) == 0b1001
    c.poke(0x5F5E, 0x1F)               # read mask 1: only bit 0 of src
    c.pset(1, 0, 0b0111)
    assert c.pget(1, 0) == 0b0001


def test_screen_remap_0x5f55(m: Machine) -> None:
    # manual: 0x5f55 = 0x00 uses the sprite sheet as the screen
    c = Cart(m)
    c.poke(0x5F55, 0x00)
    c.pset(3, 0, 9)
    c.rectfill(0, 2, 1, 2, 5)
    assert c.pget(3, 0) == 9
    c.poke(0x5F55, 0x60)
    assert c.sget(3, 0) == 9 and c.sget(1, 2) == 5
    assert count_drawn(m) == 0
    c.poke(0x5F55, 0x80)               # upper memory
    c.cls(3)
    assert m.ram[0x8000] == 0x33 and m.ram[0x9FFF] == 0x33 and m.ram[0xA000] == 0


def test_cls_on_a_screen_remapped_near_the_top_wraps_to_zero(m: Machine) -> None:
    """A screen at 0xf000 covers 0xf000-0xffff and then 0x0000-0x0fff, as
    every other access to the address space wraps."""
    c = Cart(m)
    c.poke(0x5F55, 0xF0)
    c.cls(5)
    assert bytes(m.ram[0xF000:0x10000]) == b"\x55" * 0x1000
    assert bytes(m.ram[0x0000:0x1000]) == b"\x55" * 0x1000
    assert m.ram[0x1000] == 0 and m.ram[0xEFFF] == 0


def test_cls_colour_cursor_and_clip(m: Machine) -> None:
    c = Cart(m)
    c.clip(10, 10, 5, 5)
    c.cursor(40, 50)
    c.cls(0x17)                        # only the low nibble counts
    assert m.ram[0x6000] == 0x77 and m.ram[0x7FFF] == 0x77
    assert [c.peek(a) for a in range(0x5F20, 0x5F24)] == [0, 0, 128, 128]
    assert c.peek(0x5F26) == 0 and c.peek(0x5F27) == 0
    c.cls()
    assert count_drawn(m) == 0


def test_sget_sset(m: Machine) -> None:
    # femto8 tests.p8 sset_sget: sset(x, y, x*y/8) then sget(3,7) == 2
    c = Cart(m)
    for y in range(16):
        for x in range(16):
            c.sset(x, y, x * y / 8)
    assert c.sget(0, 0) == 0 and c.sget(3, 7) == 2
    assert m.ram[7 * 64 + 1] & 0xF0 == 0x20
    c.sset(-10, -10, 7)
    assert c.sget(-10, -10) == 0 and c.sget(128, 0) == 0
    c.poke(0x5F36, 0x10)
    c.poke(0x5F59, 5)
    assert c.sget(-1, 0) == 5


def test_sset_pen_and_sheet_remap(m: Machine) -> None:
    c = Cart(m)
    c.color(12)
    c.sset(0, 0)
    assert c.sget(0, 0) == 12
    c.poke(0x5F54, 0x60)               # sheet reads/writes go to the screen
    c.sset(2, 0, 8)
    assert m.ram[0x6001] == 0x08
    c.pset(5, 1, 6)
    assert c.sget(5, 1) == 6


def test_fget_fset_forms(m: Machine) -> None:
    # manual: fset(2, 1|2|8) fset(2, 4, true) -> fget(2) == 27
    c = Cart(m)
    c.fset(2, 1 | 2 | 8)
    c.fset(2, 4, True)
    assert c.fget(2) == 27
    assert m.ram[0x3002] == 27
    assert c.fget(2, 3) == 1 and c.fget(2, 2) == 0
    c.fset(2, 0, False)
    assert c.fget(2) == 26
    assert c.fget(256) == 0 and c.fget(-1) == 0
    c.fset(300, 255)                   # out of range: nothing written
    assert bytes(m.ram[0x3000:0x3100]).count(0) == 255


def test_mget_mset_default_layout(m: Machine) -> None:
    # rows 0-31 at 0x2000, rows 32-63 in the shared area at 0x1000
    c = Cart(m)
    c.mset(5, 3, 42)
    assert m.ram[0x2000 + 3 * 128 + 5] == 42
    c.mset(127, 40, 9)
    assert m.ram[0x1000 + 8 * 128 + 127] == 9
    assert c.mget(5, 3) == 42 and c.mget(127, 40) == 9
    assert c.mget(128, 0) == 0 and c.mget(0, 64) == 0 and c.mget(-1, 0) == 0
    c.mset(0, 64, 1)
    c.mset(-1, 0, 1)
    assert bytes(m.ram[0x1000:0x3000]).count(0) == 0x2000 - 2
    c.poke(0x5F36, 0x10)
    c.poke(0x5F5A, 77)
    assert c.mget(0, 64) == 77


def test_map_remap_width_and_upper_memory(m: Machine) -> None:
    c = Cart(m)
    c.poke(0x5F57, 64)                 # 64 wide: 128 rows in 8 KiB
    c.mset(63, 100, 5)
    assert c.mget(64, 0) == 0 and c.mget(63, 100) == 5
    assert m.ram[0x1000 + (100 * 64 + 63 - 0x1000)] == 5
    c.poke(0x5F56, 0x80, 0)            # upper memory, width 256 (0 means 256)
    c.mset(255, 3, 6)
    assert m.ram[0x8000 + 3 * 256 + 255] == 6
    assert c.mget(0, 127) == 0 and c.mget(0, 128) == 0   # 32 KiB / 256 = 128 rows
    c.poke(0x5F56, 0x30, 128)          # 0x30 means 0x10
    c.mset(1, 0, 4)
    assert m.ram[0x1001] == 4
