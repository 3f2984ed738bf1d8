"""The device's pause menu (platform/common/rp8_menu.c), run on the host
against a stand-in cart: rows, navigation, callbacks with PICO-8's button
bits, the pause-suppress byte 0x5f30, and the cart's screen and draw
state coming back byte for byte."""
from __future__ import annotations

import random
from typing import Any, Callable

import pytest

from console._engine import lib as engine
from console.machine import Machine, to_fix
from support.firmware_clib import build

LEFT, RIGHT, UP, DOWN, O, X, PAUSE = 1, 2, 4, 8, 16, 32, 64
RUN, SHOW, RESET, ENDED = 0, 1, 2, 3


@pytest.fixture(scope="module")
def c(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    return build(tmp_path_factory.mktemp("fwmenu"))


class Cart:
    """menuitem() slots 1-5 and what the callbacks were called with."""

    def __init__(self, c: tuple[Any, Any], m: Machine, items: dict[int, bytes],
                 answer: Callable[[int, int], int] = lambda i, b: 0) -> None:
        self.ffi, self.lib = c
        self.machine = m
        self.items = dict(items)
        self.answer = answer
        self.calls: list[tuple[int, int]] = []
        self.seen: list[tuple[bytes, bytes]] = []       # (regs, screen) at each call
        self._item = self.ffi.callback("int(void *, int, uint8_t *, int)", self.item)
        self._call = self.ffi.callback("int(void *, int, int)", self.call)
        cart = self.ffi.new("rp8_menu_cart *", {"item": self._item, "call": self._call})
        self.menu = self.ffi.new("rp8_menu *")
        self.lib.rp8_menu_init(self.menu, cart)
        from console.machine import ffi as engine_ffi
        self.p8 = self.ffi.cast("p8_state *", int(engine_ffi.cast("uintptr_t", m.state)))

    def item(self, ctx: Any, index: int, label: Any, most: int) -> int:
        text = self.items.get(index)
        if text is None:
            return -1
        n = min(len(text), most)
        self.ffi.memmove(label, text[:n], n)
        return n

    def call(self, ctx: Any, index: int, buttons: int) -> int:
        self.calls.append((index, buttons))
        ram = self.machine.ram
        self.seen.append((bytes(ram[0x5F00:0x5F80]), bytes(ram[0x6000:0x8000])))
        return self.answer(index, buttons)

    def frame(self, buttons: int) -> tuple[int, int]:
        b = self.ffi.new("uint32_t *", buttons)
        r = self.lib.rp8_menu_frame(self.menu, self.p8, b)
        return r, b[0]

    def press(self, button: int) -> int:
        """Press and release: the frame of the press, then an idle one."""
        r, _ = self.frame(button)
        self.frame(0)
        return r

    def rows(self) -> list[bytes]:
        out = self.ffi.new("uint8_t[16]")
        return [bytes(out[0:self.lib.rp8_menu_row_text(self.menu, i, out)])
                for i in range(self.menu.rows)]


def busy_machine(seed: int = 7) -> Machine:
    """A cart mid-game: a noisy screen and odd draw state everywhere."""
    m = Machine()
    rnd = random.Random(seed)
    m.ram[0x6000:0x8000] = bytes(rnd.randrange(256) for _ in range(0x2000))
    st = m.state
    engine.p8_camera(st, to_fix(13), to_fix(-7), 2)
    engine.p8_clip_set(st, to_fix(10), to_fix(20), to_fix(50), to_fix(60), 0, 4)
    engine.p8_pal(st, to_fix(7), to_fix(8), to_fix(0), 3)
    engine.p8_fillp(st, to_fix(0x5A5A), 1)
    for a in (0x5F2C, 0x5F54, 0x5F56, 0x5F58, 0x5F5E, 0x5F5F, 0x5F60, 0x5F70):
        m.ram[a] = rnd.randrange(1, 256)
    m.ram[0x5F55] = 0x60          # the screen itself stays the draw target
    return m


def test_rows_are_continue_items_sound_reset(c: tuple[Any, Any]) -> None:
    cart = Cart(c, Machine(), {2: b"easy mode", 5: b"a label longer than sixteen"})
    assert cart.press(PAUSE) == SHOW
    assert cart.menu.open == 1
    assert cart.rows() == [b"continue", b"easy mode", b"a label longer t", b"sound: on", b"reset cart"]
    assert list(cart.menu.index)[1:3] == [2, 5]


def test_menu_pixels_match_the_desktop_players_drawing(c: tuple[Any, Any]) -> None:
    m = busy_machine()
    m.ram[0x5F10:0x5F20] = bytes(range(16))       # identity screen palette, for simple expectations
    cart = Cart(c, m, {1: b"Restart Level"})
    cart.press(PAUSE)
    cart.press(DOWN)
    # the box and text drawn by hand with the engine, here
    # on a fresh machine: 4 rows -> h = 8*4+6 = 38, top = 45
    ref = Machine()
    ref.ram[0x6000:0x8000] = m.ram[0x6000:0x8000]
    st = ref.state
    top, h = 45, 38
    engine.p8_rectfill(st, to_fix(24), to_fix(top), to_fix(103), to_fix(top + h - 1), 0, 5)
    engine.p8_rect(st, to_fix(24), to_fix(top), to_fix(103), to_fix(top + h - 1), to_fix(7), 5)
    for i, text in enumerate([b"  continue", b"> restart level", b"  sound: on", b"  reset cart"]):
        engine.p8_print(st, text, len(text), to_fix(30), to_fix(top + 4 + 8 * i), to_fix(7), 4)
    assert bytes(m.ram[0x6000:0x8000]) == bytes(ref.ram[0x6000:0x8000])
    px = Machine()
    px.ram[0x6000:0x8000] = m.ram[0x6000:0x8000]
    pix = px.screen_pixels()
    assert pix[top][24] == 7 and pix[top + h - 1][103] == 7       # the border
    assert pix[top + 1][25] == 0 and pix[top + 2][102] == 0       # the black inside
    # '>' before row 1, at x=30, y=top+12: P8SCII '>' is 3x5 with its tip at column 2
    assert [pix[top + 12 + y][30:33] for y in range(5)] == [[7, 0, 0], [0, 7, 0], [0, 0, 7], [0, 7, 0], [7, 0, 0]]


def test_screen_and_draw_state_come_back_exactly(c: tuple[Any, Any]) -> None:
    m = busy_machine()
    before_regs, before_screen = bytes(m.ram[0x5F00:0x5F80]), bytes(m.ram[0x6000:0x8000])
    cart = Cart(c, m, {1: b"one", 3: b"three"})
    cart.press(PAUSE)
    assert bytes(m.ram[0x6000:0x8000]) != before_screen                # the menu is drawn
    for b in (DOWN, DOWN, UP, UP, UP, DOWN):                           # wraps both ways
        cart.press(b)
    assert cart.menu.sel == 0
    assert cart.press(O) == SHOW                                       # continue
    assert cart.menu.open == 0
    assert bytes(m.ram[0x5F00:0x5F80]) == before_regs
    assert bytes(m.ram[0x6000:0x8000]) == before_screen


def test_navigation_wraps(c: tuple[Any, Any]) -> None:
    cart = Cart(c, Machine(), {})
    cart.press(PAUSE)
    assert cart.rows() == [b"continue", b"sound: on", b"reset cart"]
    cart.press(UP)
    assert cart.menu.sel == 2
    cart.press(DOWN)
    assert cart.menu.sel == 0
    r, _ = cart.frame(DOWN | UP)            # both at once: up wins, one step
    assert (r, cart.menu.sel) == (SHOW, 2)


def test_select_calls_back_with_112_and_closes_unless_true(c: tuple[Any, Any]) -> None:
    m = busy_machine(3)
    regs, screen = bytes(m.ram[0x5F00:0x5F80]), bytes(m.ram[0x6000:0x8000])
    cart = Cart(c, m, {4: b"toggle"}, answer=lambda i, b: 1 if b == 112 and len(cart.calls) == 1 else 0)
    cart.press(PAUSE)
    cart.press(DOWN)
    assert cart.press(X) == SHOW
    assert cart.calls == [(4, 112)]                      # PICO-8: O, X and pause all give 16|32|64
    assert cart.seen[0] == (regs, screen)                # the callback saw the cart's own state
    assert cart.menu.open == 1                           # it returned true: still open
    assert cart.press(PAUSE) == SHOW                     # pause selects too
    assert cart.calls[-1] == (4, 112)
    assert cart.menu.open == 0                           # false: closed
    assert (bytes(m.ram[0x5F00:0x5F80]), bytes(m.ram[0x6000:0x8000])) == (regs, screen)


def test_left_right_call_back_and_never_close(c: tuple[Any, Any]) -> None:
    cart = Cart(c, Machine(), {1: b"volume"})
    cart.press(PAUSE)
    cart.press(DOWN)
    cart.press(LEFT)
    cart.press(RIGHT)
    assert cart.calls == [(1, 1), (1, 2)]
    assert cart.menu.open == 1


def test_labels_changed_in_a_callback_are_redrawn(c: tuple[Any, Any]) -> None:
    cart = Cart(c, Machine(), {1: b"shake: off"})

    def flip(i: int, b: int) -> int:
        cart.items[1] = b"shake: on"
        cart.items[2] = b"new item"
        return 1

    cart.answer = flip
    cart.press(PAUSE)
    cart.press(DOWN)
    cart.press(O)
    assert cart.rows() == [b"continue", b"shake: on", b"new item", b"sound: on", b"reset cart"]
    assert cart.menu.h == 8 * 5 + 6


def test_sound_row_toggles(c: tuple[Any, Any]) -> None:
    cart = Cart(c, Machine(), {})
    cart.press(PAUSE)
    cart.press(DOWN)
    cart.press(O)
    assert cart.menu.sound == 0 and cart.rows()[1] == b"sound: off"
    cart.press(RIGHT)
    assert cart.menu.sound == 1 and cart.rows()[1] == b"sound: on"
    assert cart.menu.open == 1


def test_reset_cart(c: tuple[Any, Any]) -> None:
    m = busy_machine(5)
    screen = bytes(m.ram[0x6000:0x8000])
    cart = Cart(c, m, {})
    cart.press(PAUSE)
    cart.press(UP)
    assert cart.rows()[cart.menu.sel] == b"reset cart"
    assert cart.press(LEFT) == SHOW                       # only a select resets
    assert cart.press(O) == RESET
    assert cart.menu.open == 0 and bytes(m.ram[0x6000:0x8000]) == screen


def test_a_cart_ended_by_its_callback_is_not_restored_over(c: tuple[Any, Any]) -> None:
    cart = Cart(c, Machine(), {1: b"quit"}, answer=lambda i, b: -1)
    cart.press(PAUSE)
    cart.press(DOWN)
    assert cart.press(O) == ENDED
    assert cart.menu.open == 0 and cart.menu.saved == 0


def test_poke_0x5f30_swallows_one_pause(c: tuple[Any, Any]) -> None:
    m = Machine()
    m.ram[0x5F30] = 1
    cart = Cart(c, m, {})
    r, seen = cart.frame(PAUSE)
    assert (r, seen, m.ram[0x5F30], cart.menu.open) == (RUN, PAUSE, 0, 0)   # the cart sees btn(6)
    cart.frame(0)
    assert cart.press(PAUSE) == SHOW                      # the next press opens it


def test_buttons_held_when_closing_stay_hidden_until_released(c: tuple[Any, Any]) -> None:
    cart = Cart(c, Machine(), {})
    cart.press(PAUSE)
    assert cart.frame(O | LEFT) == (SHOW, O | LEFT)       # continue, with left held too
    assert cart.frame(O | LEFT) == (RUN, 0)
    assert cart.frame(O | RIGHT) == (RUN, RIGHT)          # left released, right newly pressed
    assert cart.frame(0) == (RUN, 0)
    assert cart.frame(O) == (RUN, O)


def test_compiled_runner_filters_buttons_and_knows_the_callbacks_item(tmp_path: Any) -> None:
    """rt_host.cpp's menuitem and rp8_runner.cpp's rp8_menu_call, which the
    device's menu calls: bits 0xff00 of the index filter buttons (PICO-8
    manual: 0x300 turns off left and right), and menuitem(nil, ...) inside
    a callback changes that callback's own item."""
    import shutil

    if shutil.which("g++") is None:
        pytest.skip("needs g++ (the AOT runtime is compiled for the host)")
    from console.desktop.aot_player import AotConsole
    from console.desktop.frameloop import Options

    lines: list[str] = []
    code = ('menuitem(1 | 0x300, "no sides", function(b) printh("one "..b) end)\n'
            'menuitem(2, "tune", function(b) printh("two "..b) menuitem(nil, "tuned "..b) return true end)\n'
            'function _draw() end\n')
    con = AotConsole.from_code(code, options=Options(seed=0, printh=lines.append, data_dir=tmp_path))
    con.step()
    assert con.menu_items() == [(1, "no sides"), (2, "tune")]
    assert con.menu_call(1, LEFT) is True              # filtered: nothing ran, the menu stays
    assert con.menu_call(1, RIGHT) is True
    assert lines == []
    assert con.menu_call(1, 112) is False              # a select reaches it; nil result closes
    assert con.menu_call(2, RIGHT) is True
    assert lines == ["one 112", "two 2"]
    assert con.menu_items() == [(1, "no sides"), (2, "tuned 2")]


@pytest.mark.parametrize("page", [0x80, 0xFF])
def test_menu_draws_where_the_screen_is_shown_from(c: tuple[Any, Any], page: int) -> None:
    """poke(0x5f55, page) moves the screen (0xff: it wraps past 0xffff);
    the menu goes there and everything comes back."""
    m = busy_machine(11)
    m.ram[0x5F55] = page
    rnd = random.Random(page)
    m.ram[0:0x10000] = bytes(rnd.randrange(256) for _ in range(0x10000))
    m.ram[0x5F55] = page
    m.ram[0x5F30] = 0                                   # no pause suppression
    before = bytes(m.ram)
    cart = Cart(c, m, {})
    cart.press(PAUSE)
    changed = [a for a in range(0x10000) if m.ram[a] != before[a]]
    # 3 rows: h = 30, top = 49; the box spans x 24..103 = bytes 12..51 of each row
    offsets = [(a - (page << 8)) & 0xFFFF for a in changed if not 0x5F00 <= a < 0x5F80]
    assert {o // 64 for o in offsets} == set(range(49, 79))
    assert {o % 64 for o in offsets} <= set(range(12, 52))
    assert cart.press(O) == SHOW
    assert bytes(m.ram) == before


def test_wide_glyphs_stay_inside_the_box(c: tuple[Any, Any]) -> None:
    """P8SCII 0x80-0x99 are 8 pixels wide: 16 of them run far past the box,
    which clips them, so only the box's bytes change and come back."""
    m = busy_machine(13)
    before = bytes(m.ram[0x6000:0x8000])
    cart = Cart(c, m, {1: bytes(range(0x80, 0x90))})
    cart.press(PAUSE)
    cart.press(DOWN)
    now = bytes(m.ram[0x6000:0x8000])
    changed = {i for i in range(0x2000) if now[i] != before[i]}
    assert changed and {i % 64 for i in changed} <= set(range(12, 52))
    assert now[49 * 64 + 51] != before[49 * 64 + 51] or now[49 * 64 + 12] != before[49 * 64 + 12]
    cart.press(UP)
    cart.press(O)
    assert bytes(m.ram[0x6000:0x8000]) == before
