"""The cart ROM is lent to the engine by the platform (p8_set_rom,
p8_set_rom_rw): power-on and reload read through the pointer, cstore
writes only a writable ROM and reports a read-only one."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from console._engine import ffi, lib
from console.machine import Machine, to_fix

READ_ONLY = -3
DATA = 0x4300


def bare_machine() -> tuple[Any, Any]:
    block = ffi.new("char[]", lib.p8_state_size())
    return block, ffi.cast("p8_state *", block)


def test_state_no_longer_carries_a_rom_copy() -> None:
    # ram (64 KiB) + two pointers + present tables + audio: well under 64 KiB + 32 KiB
    assert 0x10000 < lib.p8_state_size() < 0x10000 + 0x8000


def test_read_only_rom_powers_on_and_reloads_but_refuses_cstore() -> None:
    block, st = bare_machine()
    rom = ffi.new("uint8_t[]", [(i * 7) & 0xFF for i in range(DATA)])    # exactly the cart data
    lib.p8_set_rom(st, rom)
    lib.p8_power_on(st)
    ram = ffi.buffer(lib.p8_ram(st), 0x10000)
    assert ram[0:DATA] == bytes(rom)
    assert lib.p8_rom(st) == rom
    ram[0:16] = b"\xee" * 16
    assert lib.p8_cstore(st, 0, 0, to_fix(16), 3) == READ_ONLY
    assert lib.p8_cstore(st, 0, 0, 0, 0) == READ_ONLY
    assert bytes(rom[0:16]) == bytes((i * 7) & 0xFF for i in range(16))      # untouched
    assert lib.p8_reload(st, 0, 0, to_fix(16), 3) == 0
    assert ram[0:16] == bytes((i * 7) & 0xFF for i in range(16))
    # past the cart data reads 0, without reading past the 0x4300 bytes lent
    assert lib.p8_reload(st, to_fix(0x8000), to_fix(0x42F0), to_fix(0x20), 3) == 0
    assert ram[0x8000:0x8020] == bytes(rom[0x42F0:0x4300]) + bytes(16)


def test_no_rom_means_zero_data() -> None:
    block, st = bare_machine()
    lib.p8_set_rom(st, ffi.NULL)
    lib.p8_power_on(st)
    ram = ffi.buffer(lib.p8_ram(st), 0x10000)
    ram[0:8] = b"\x01" * 8
    assert lib.p8_reload(st, 0, 0, 0, 0) == 0
    assert ram[0:DATA] == bytes(DATA)
    assert lib.p8_cstore(st, 0, 0, 0, 0) == READ_ONLY


def test_writable_rom_is_the_machines_buffer() -> None:
    m = Machine(bytes([9]) * 0x8000)
    assert m.ram[0] == 9
    m.ram[0x100:0x104] = b"abcd"
    assert lib.p8_cstore(m.state, to_fix(0x10), to_fix(0x100), to_fix(4), 3) == 4
    assert bytes(m.rom[0x10:0x14]) == b"abcd"             # Machine.rom is what the engine writes
    m.rom[0x20:0x22] = b"zz"
    assert lib.p8_reload(m.state, to_fix(0x200), to_fix(0x20), to_fix(2), 3) == 0
    assert bytes(m.ram[0x200:0x202]) == b"zz"             # and what it reads
    assert lib.p8_rom(m.state) == ffi.cast("uint8_t *", ffi.from_buffer(m.rom))


ROM_CART = """pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
poke(0x10, 0) poke(0x13, 0)
reload(0x10, 0, 4)
printh(peek(0x10)..","..peek(0x13))
poke(0x100, 42)
cstore(0x20, 0x100, 1)
reload(0x200, 0x20, 1)
printh("cstore "..peek(0x200))
function _draw() end
__gfx__
12345678
"""


def test_compiled_cart_on_the_desktop_cstores_into_its_rom_copy(tmp_path: Path) -> None:
    if shutil.which("g++") is None:
        pytest.skip("needs g++ (the AOT runtime is compiled for the host)")
    from console.desktop.aot_player import AotConsole
    from console.desktop.frameloop import Options

    cart = tmp_path / "rom.p8"
    cart.write_text(ROM_CART)
    lines: list[str] = []
    con = AotConsole.from_path(cart, Options(seed=0, printh=lines.append, data_dir=tmp_path))
    con.step()
    # sprite 0's first row: pixels 1,2 -> 0x21; 7,8 -> 0x87 (low nibble left)
    assert lines == ["33,135", "cstore 42"]


def test_device_image_reads_rom_in_flash_and_refuses_cstore(tmp_path: Path) -> None:
    """A bench image lends the engine rp8_cart_rom in flash, as firmware
    does: reload reads it; cstore is a clear runtime error."""
    if shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("needs arm-none-eabi-gcc")
    from console.bench import image, m33

    need = m33.available()
    if need is not None:
        pytest.skip(f"m33 mode needs {need}")
    cart = tmp_path / "rom.p8"
    cart.write_text(ROM_CART)
    img = image.build_cart("m33", cart)
    res = m33.run(img, 2, lambda f: [0] * 8)
    assert res.status == "error" and res.mailbox is not None
    log = res.mailbox.log
    assert log.startswith("33,135\n")
    assert "not supported yet: cstore() on a device (the cart ROM is read-only flash)" in log
