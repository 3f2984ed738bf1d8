"""Draw-state functions: pal, palt, color, cursor, camera, clip, fillp --
their RAM effects and return values."""
from __future__ import annotations

from console.machine import Machine, to_fix
from support.gfx import Cart


def test_power_on_draw_state(m: Machine) -> None:
    c = Cart(m)
    assert bytes(m.ram[0x5F00:0x5F10]) == bytes([0x10] + list(range(1, 16)))
    assert bytes(m.ram[0x5F10:0x5F20]) == bytes(range(16))
    assert bytes(m.ram[0x5F20:0x5F24]) == bytes([0, 0, 128, 128])
    assert c.peek(0x5F25) == 6 and c.peek(0x5F35) == 1 and c.peek(0x5F5E) == 0xFF


def test_pal_entries_and_returns(m: Machine) -> None:
    c = Cart(m)
    assert c.pal(9, 8) == 9
    assert c.pal(9, 0x13) == 8            # returns previous; only 4 bits stored
    assert c.peek(0x5F09) == 3
    c.palt(9, True)
    c.pal(9, 5)
    assert c.peek(0x5F09) == 0x15         # transparency bit kept
    assert c.pal(6, 14, 1) == 6
    assert c.peek(0x5F16) == 14
    c.pal(6, 17, 1)                       # fake-08 "17 remapped to 1"
    assert c.peek(0x5F16) == 1
    c.pal(6, 0x8C, 1)                     # secret colours 128-143
    assert c.peek(0x5F16) == 0x8C
    assert c.pal(12, 0x87, 2) == 0
    assert c.peek(0x5F6C) == 0x87


def test_pal_resets(m: Machine) -> None:
    c = Cart(m)
    c.pal(1, 2)
    c.palt(3, True)
    c.pal(4, 5, 1)
    c.pal(6, 0x77, 2)
    c.pal(0)                              # draw colours only, keeps palt
    assert c.peek(0x5F01) == 1 and c.peek(0x5F03) == 0x13 and c.peek(0x5F14) == 5
    c.pal(1)
    assert c.peek(0x5F14) == 4 and c.peek(0x5F66) == 0x77
    c.pal(2)
    assert c.peek(0x5F66) == 0
    c.pal(1, 2)
    c.pal(4, 5, 1)
    c.pal()                               # everything, including transparency
    assert bytes(m.ram[0x5F00:0x5F10]) == bytes([0x10] + list(range(1, 16)))
    assert bytes(m.ram[0x5F10:0x5F20]) == bytes(range(16))


def test_palt_forms(m: Machine) -> None:
    c = Cart(m)
    assert c.palt(8, True) == 0
    assert c.palt(8, True) == 1
    assert c.peek(0x5F08) & 0x10
    # manual: palt(0b1100000000000000) makes colours 0 and 1 transparent
    prev = c.palt(0b1100_0000_0000_0000)
    assert int(prev) & 0xFFFF == 0b1000_0000_1000_0000   # a 16-bit value, as PICO-8 numbers wrap
    assert [c.peek(0x5F00 + i) >> 4 for i in range(16)] == [1, 1] + [0] * 14
    c.palt(0, False)
    assert c.palt() == 0b0100_0000_0000_0000
    assert [c.peek(0x5F00 + i) >> 4 for i in range(16)] == [1] + [0] * 15


def test_color_returns_previous_and_defaults_to_6(m: Machine) -> None:
    # femto8 color_no_param; pico8 python port doctests: color(-2.5) -> 253
    c = Cart(m)
    assert c.color(9) == 6
    assert c.color() == 9
    assert c.peek(0x5F25) == 6
    c.color(-2.5)
    assert c.peek(0x5F25) == 253
    assert c.color(0x12) == 253


def test_cursor_sets_position_and_pen(m: Machine) -> None:
    c = Cart(m)
    prev = c.cursor(40, 50, 11)
    assert prev == (0, 0, 6)
    assert c.peek(0x5F26) == 40 and c.peek(0x5F27) == 50 and c.peek(0x5F25) == 11
    assert c.cursor() == (40, 50, 11)
    assert c.peek(0x5F26) == 0 and c.peek(0x5F27) == 0 and c.peek(0x5F25) == 11


def test_camera_stores_int16_and_returns_previous(m: Machine) -> None:
    c = Cart(m)
    assert c.camera(-3, 300) == (0, 0)
    assert bytes(m.ram[0x5F28:0x5F2C]) == bytes([0xFD, 0xFF, 0x2C, 0x01])
    assert c.camera() == (-3, 300)
    assert bytes(m.ram[0x5F28:0x5F2C]) == bytes(4)
    c.camera(7)
    assert bytes(m.ram[0x5F28:0x5F2C]) == bytes([7, 0, 0, 0])


def test_clip_forms(m: Machine) -> None:
    # femto8 tests.p8 clip cases
    c = Cart(m)
    assert c.clip(20, 20, 10, 10) == (0, 0, 128, 128)
    assert bytes(m.ram[0x5F20:0x5F24]) == bytes([20, 20, 30, 30])
    c.clip(5, 5, 50, 50, True)            # clip_previous: intersect
    assert bytes(m.ram[0x5F20:0x5F24]) == bytes([20, 20, 30, 30])
    c.clip(25, 0, 50, 28, True)
    assert bytes(m.ram[0x5F20:0x5F24]) == bytes([25, 20, 30, 28])
    c.clip()
    assert bytes(m.ram[0x5F20:0x5F24]) == bytes([0, 0, 128, 128])
    c.clip(-10, -10, 148, 148)            # clamped to the screen
    assert bytes(m.ram[0x5F20:0x5F24]) == bytes([0, 0, 128, 128])
    c.clip(0, 0, 0, 0)
    c.pset(0, 0, 2)
    c.clip(200, 300, -5, 10)              # empty, never inverted
    r = bytes(m.ram[0x5F20:0x5F24])
    assert r[0] <= r[2] and r[1] <= r[3]
    c.clip()
    assert c.pget(0, 0) == 0


def test_fillp_ram_and_return(m: Machine) -> None:
    c = Cart(m)
    assert c.fillp(0xABCD - 0x10000 + 0.5 + 0.125) == 0
    assert c.peek(0x5F31) == 0xCD and c.peek(0x5F32) == 0xAB and c.peek(0x5F33) == 0b101
    prev = c.fillp()
    assert to_fix(prev) & 0xFFFFFFFF == 0xABCDA000
    assert bytes(m.ram[0x5F31:0x5F34]) == bytes(3)
    c.fillp(0x5A5A + 0.25)
    assert c.peek(0x5F33) == 0b010
