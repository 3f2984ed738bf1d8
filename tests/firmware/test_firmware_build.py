"""Real firmware builds against pico-sdk 2.x. They need PICO_SDK_PATH (a
pico-sdk checkout, never part of rp8) and arm-none-eabi-gcc; without them
they skip, saying so. The fixture app (tests/fixtures/fw_demo) stands in
for a cart where the test is about the platform layer."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from support.aot_frames import need_gxx
from console.cli import main
from console.firmware.boards import load_board
from console.firmware.budget import float_objects_in_map, float_symbols, read_elf
from console.firmware.project import App, Options, build_firmware, find_sdk
from console.firmware.uf2 import FAMILY, uf2_blocks

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "fw_demo" / "fw_demo.c"

pytestmark = [
    pytest.mark.skipif(not os.environ.get("PICO_SDK_PATH"),
                       reason="PICO_SDK_PATH is not set: firmware builds need a pico-sdk 2.x checkout"),
    pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None or shutil.which("cmake") is None,
                       reason="arm-none-eabi-gcc and cmake are needed for firmware builds"),
]


def symbol_addr(elf: Path, name: str) -> int:
    return read_elf(elf.read_bytes()).symbols[name][0]


@pytest.mark.parametrize("board_name", ["pico-lcd13", "pico2-lcd13", "picosystem"])
def test_fixture_firmware_builds(board_name: str, tmp_path: Path) -> None:
    board = load_board(board_name)
    out = tmp_path / "fw.uf2"
    res = build_firmware(board, App(sources=[FIXTURE]), tmp_path / "build", out, find_sdk(None),
                         say=lambda s: None)
    blocks = uf2_blocks(out.read_bytes())
    assert blocks[0][0] == 0x10000000 and all(f == FAMILY[board.chip] for _a, _p, f in blocks)
    if board.chip == "rp2040":
        # the RP2040's boot ROM checks boot2's CRC32 in the first 256 bytes
        assert len(blocks[0][1]) == 256
    assert res.budget.flash_used <= board.flash_bytes and res.budget.ram_used <= board.ram_bytes
    # no soft-float or double helpers anywhere in the image (symbols and map)
    assert float_symbols(read_elf(res.elf.read_bytes())) == []
    assert float_objects_in_map(Path(str(res.elf) + ".map").read_text()) == []
    # the line converter, core1's loop with its DMA wait (where it renders sound) and the
    # engine's hot files run from SRAM
    for name in ("rp8_scaler_line", "core1_main", "lcd_dma_wait", "core1_sound", "p8_circfill",
                 "p8_cls", "p8_audio_render"):
        assert 0x20000000 <= symbol_addr(res.elf, name) < 0x20080000, name
    assert res.budget.sram_code > 8 * 1024


def test_sram_hot_off_keeps_code_in_flash(tmp_path: Path) -> None:
    board = load_board("pico-lcd13")
    res = build_firmware(board, App(sources=[FIXTURE]), tmp_path / "build", tmp_path / "fw.uf2",
                         find_sdk(None), Options(sram_hot=False), say=lambda s: None)
    assert 0x10000000 <= symbol_addr(res.elf, "p8_circfill") < 0x11000000
    assert 0x20000000 <= symbol_addr(res.elf, "core1_main") < 0x20080000    # always: flash writes


@pytest.mark.skipif(not (ROOT / "aot" / "runner" / "rp8_runner.cpp").is_file(), reason="no device runner yet")
def test_rp8_build_cart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "hello.uf2"
    code = main(["build", str(ROOT / "carts" / "hello.p8"), "--board", "pico-lcd13", "-o", str(out),
                 "--build-dir", str(tmp_path / "build")])
    text = capsys.readouterr().out
    assert code == 0, text
    for step in ("[1/4] aot:", "[2/4] configure:", "[3/4] build:", "[4/4] uf2: family 0xe48bff56"):
        assert step in text
    assert "flash:" in text and "Lua heap:" in text and "takes all the RAM" in text
    # the heap the cart needs, measured before building, against the board's
    # (hello's strings and the runtime's own tables: a few KiB, as measured before the build)
    need = re.search(r"\[1/4\] heap: this cart needs ~(\d+) KiB of Lua heap", text)
    assert need is not None and 1 <= int(need.group(1)) <= 8, text
    m = re.search(rf"\[3/4\] heap: this cart needs ~{need.group(1)} KiB of Lua heap; pico-lcd13 has (\d+) KiB", text)
    assert m is not None and 60 <= int(m.group(1)) <= 200, text
    assert f"heap: checked: 1800 frames run in {m.group(1)} KiB" in text
    assert "map file checked, no float or double code" in text
    blocks = uf2_blocks(out.read_bytes())
    assert blocks[0][0] == 0x10000000 and blocks[0][2] == 0xE48BFF56
    elf = tmp_path / "build" / "cmake" / "rp8.elf"
    assert float_symbols(read_elf(elf.read_bytes())) == []
    assert "rp8_cart_rom" in read_elf(elf.read_bytes()).symbols
    # the engine reads the cart data where it is, in flash (XIP), not a RAM copy
    assert 0x10000000 <= symbol_addr(elf, "rp8_cart_rom") < 0x11000000
    assert "rp8_menu_frame" in read_elf(elf.read_bytes()).symbols      # the pause menu is linked in


@pytest.mark.skipif(not (ROOT / "aot" / "runner" / "rp8_runner.cpp").is_file(), reason="no device runner yet")
def test_rp8_build_refuses_a_cart_whose_heap_does_not_fit(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    need_gxx()
    cart = tmp_path / "big.p8"
    # 20,000 numbers: an array part of 32,768 values (256 KiB), grown in
    # place (rt_grow), with the runtime's own about 258 KiB
    cart.write_text("pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"
                    "t={} for i=1,20000 do t[i]=i end\nfunction _draw() cls() end\n")
    code = main(["build", str(cart), "--board", "pico-lcd13", "-o", str(tmp_path / "x.uf2"),
                 "--build-dir", str(tmp_path / "build"), "--heap-frames", "30"])
    out, err = capsys.readouterr()
    assert code == 2
    # 256 KiB of array part and the runtime's own few KiB
    need = re.search(r"\[1/4\] heap: this cart needs ~(\d+) KiB of Lua heap", out)
    assert need is not None and 256 <= int(need.group(1)) <= 264, out
    kib = need.group(1)
    # too little heap: built again with the engine's hot code in flash (more heap), still too little
    assert "[3/4] heap: too little; building again with the engine's per-frame code in flash" in out
    sizes = [int(k) for k in re.findall(rf"this cart needs ~{kib} KiB of Lua heap; pico-lcd13 has (\d+) KiB", out)]
    assert len(sizes) == 2 and sizes[1] >= sizes[0] + 16, out
    # the last line (a first compiled run also says "compiling ... to native code" before it)
    assert re.fullmatch(rf"rp8: big\.p8 does not fit pico-lcd13: it needs ~{kib} KiB of Lua heap and pico-lcd13 "
                        r"has \d+ KiB \(\d+ bytes too few; at its peak: array parts 257 KiB \(99%\), "
                        r"strings \d KiB \(\d%\), runtime tables \d KiB \(\d%\)\)", err.splitlines()[-1]), err
    assert not (tmp_path / "x.uf2").exists()


@pytest.mark.skipif(not (ROOT / "aot" / "runner" / "rp8_runner.cpp").is_file(), reason="no device runner yet")
def test_rp8_build_refuses_what_does_not_fit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["build", str(ROOT / "carts" / "hello.p8"), "--board", "pico-lcd13",
                 "-o", str(tmp_path / "x.uf2"), "--build-dir", str(tmp_path / "build"), "--min-arena", "400"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("rp8: the cart does not fit in RAM: ") and "bytes too many" in err
    assert err.count("\n") == 1
    assert not (tmp_path / "x.uf2").exists()
