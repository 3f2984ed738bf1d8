"""The desktop player's pause menu: the device's menu (platform/common/
rp8_menu.c, compiled into the engine extension) with the desktop's two
extra rows, volume and exit. One menu, so both show the same rows, draw
the same box and hand a cart's menu items the same buttons.

It draws into the running console's screen and puts the cart's bytes and
draw state back before a callback runs and when it closes, as on a device.
"""
from __future__ import annotations

from typing import Any, Callable

from aot.p8scii import normalize, to_bytes
from console.desktop.cart_console import CartConsole

# rp8_menu.h's results and button bits
RUN, SHOW, RESET, ENDED, EXIT = 0, 1, 2, 3, 4
LEFT, RIGHT, UP, DOWN, O, X, PAUSE = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40


class PauseMenu:
    """One menu for the console `console_of()` returns (the player swaps
    consoles when a cart is reloaded, so it is asked each time)."""

    def __init__(self, console_of: Callable[[], CartConsole], volume: int, steps: int,
                 sound: bool) -> None:
        from console._engine import ffi, lib

        self._ffi, self._lib = ffi, lib
        self._console_of = console_of
        # the callbacks must live as long as the menu
        self._item = ffi.callback("int(void *, int, uint8_t *, int)", self._label, error=-1)
        self._call = ffi.callback("int(void *, int, int)", self._callback, error=-1)
        cart = ffi.new("rp8_menu_cart *", {"item": self._item, "call": self._call})
        self._m = ffi.new("rp8_menu *")
        lib.rp8_menu_init(self._m, cart)
        lib.rp8_menu_desktop(self._m, volume, steps)
        self._m.sound = 1 if sound else 0

    # the cart, as the menu sees it

    def _label(self, ctx: Any, index: int, out: Any, most: int) -> int:
        for i, label in self._console_of().menu_items():
            if i == index:
                data = to_bytes(normalize(label, "unicode"))[:most]
                self._ffi.memmove(out, data, len(data))
                return len(data)
        return -1

    def _callback(self, ctx: Any, index: int, buttons: int) -> int:
        con = self._console_of()
        keep = con.menu_call(index, buttons)
        return -1 if not con.running else 1 if keep else 0

    # the player's side

    @property
    def is_open(self) -> bool:
        return bool(self._m.open)

    @property
    def sound(self) -> bool:
        return bool(self._m.sound)

    @property
    def volume(self) -> int:
        return int(self._m.volume)

    def set_sound(self, on: bool, volume: int) -> None:
        self._m.sound = 1 if on else 0
        self._m.volume = max(0, min(self._m.volume_steps, volume))

    def frame(self, buttons: int, pressed: int = 0) -> tuple[int, int]:
        """One frame with player 1's buttons held now (PAUSE for the menu
        key) and those pressed since the last frame (a key pressed and let
        go between two frames still counts): the result (RUN: the cart runs
        with the buttons returned)."""
        self._m.held &= ~pressed
        b = self._ffi.new("uint32_t *", buttons | pressed)
        r = self._lib.rp8_menu_frame(self._m, self._console_of().machine.state, b)
        return int(r), int(b[0])

    def open(self) -> None:
        self._lib.rp8_menu_open(self._m, self._console_of().machine.state)

    def close(self) -> None:
        self._lib.rp8_menu_close(self._m, self._console_of().machine.state)

    def forget(self) -> None:
        """The console was replaced (a reload): nothing of it to put back."""
        self._m.open = 0

    def rows(self) -> list[bytes]:
        out = self._ffi.new("uint8_t[16]")
        return [bytes(out[0:self._lib.rp8_menu_row_text(self._m, i, out)]) for i in range(self._m.rows)]
