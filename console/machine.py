"""The engine as Python sees it: one PICO-8 machine backed by the C engine.

Python never sits on the path of a single cart API call (the player hands
the raw pointers to LuaJIT FFI); this wrapper is for loading carts, tests,
tools and presenting frames.
"""
from __future__ import annotations

from typing import Any

from console._engine import ffi, lib

FIX_ONE = 0x10000
ROM_SIZE = 0x8000          # a cart ROM: 0x4300 bytes of data, then code


def to_fix(value: float) -> int:
    """A Python number as fix32 raw bits (truncated toward -inf, wrapped)."""
    raw = int(value * FIX_ONE // 1) if isinstance(value, float) else int(value) * FIX_ONE
    raw &= 0xFFFFFFFF
    return raw - 0x100000000 if raw & 0x80000000 else raw


def from_fix(raw: int) -> float:
    """fix32 raw bits as a Python float (exact: doubles hold every fix32)."""
    return raw / FIX_ONE


class Machine:
    """One console: its state block, RAM and cart ROM.

    The engine does not hold the ROM; it borrows a pointer. Here it is a
    writable 32 KiB buffer this object owns (so cstore() writes it, as
    PICO-8 writes the loaded cart); a device lends the const data in flash.
    """

    def __init__(self, rom: bytes | None = None) -> None:
        self._block = ffi.new("char[]", lib.p8_state_size())
        self.state: Any = ffi.cast("p8_state *", self._block)
        self._rom_block = ffi.new("uint8_t[]", ROM_SIZE)     # lives as long as the machine
        self.ram = memoryview(ffi.buffer(lib.p8_ram(self.state), 0x10000))
        self.rom = memoryview(ffi.buffer(self._rom_block, ROM_SIZE))
        if rom is not None:
            self.rom[0 : len(rom)] = rom
        lib.p8_set_rom_rw(self.state, self._rom_block)
        lib.p8_power_on(self.state)

    def screen_bytes(self) -> bytes:
        """The 8 KiB screen as stored at 0x6000 (4bpp, low nibble left)."""
        return bytes(self.ram[0x6000:0x8000])

    def screen_pixels(self) -> list[list[int]]:
        """The screen as 128 rows of 128 colour indices (before palettes)."""
        raw = self.screen_bytes()
        rows = []
        for y in range(128):
            line = raw[y * 64 : (y + 1) * 64]
            row = []
            for b in line:
                row.append(b & 15)
                row.append(b >> 4)
            rows.append(row)
        return rows

