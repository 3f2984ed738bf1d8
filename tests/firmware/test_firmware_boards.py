"""Board files (console/firmware/boards.py): the bundled boards load with
the pin maps their sources give, and every mistake is one line naming the
file and the field."""
from __future__ import annotations

from pathlib import Path

import pytest

from console.cli import main
from console.firmware.boards import BoardError, board_cmake, board_header, bundled_boards, load_board, parse_board

GOOD = (Path(__file__).resolve().parents[2] / "boards" / "pico-lcd13.toml").read_text()


def test_bundled_boards() -> None:
    assert bundled_boards() == ["pico-lcd13", "pico2-lcd13", "picosystem"]


def test_pico_lcd13_pins() -> None:
    b = load_board("pico-lcd13")
    d = b.display
    # Waveshare Pico-LCD-1.3 (see the board file's sources)
    assert (d.dc, d.cs, d.sck, d.mosi, d.reset, d.backlight) == (8, 9, 10, 11, 12, 13)
    assert d.spi == 1 and (d.width, d.height) == (240, 240) and d.madctl == 0x60
    assert b.buttons == {"left": (16,), "right": (20,), "up": (2,), "down": (18,),
                         "o": (15,), "x": (17, 19), "pause": (21, 3)}
    assert (b.chip, b.sdk_board, b.pico_platform, b.audio_pin) == ("rp2040", "pico", "rp2040", -1)


def test_pico2_lcd13_is_the_same_on_rp2350() -> None:
    a, b = load_board("pico-lcd13"), load_board("pico2-lcd13")
    assert a.display == b.display and a.buttons == b.buttons
    assert (b.chip, b.sdk_board, b.pico_platform) == ("rp2350", "pico2", "rp2350-arm-s")
    assert (b.flash_bytes, b.ram_bytes) == (4 << 20, 520 * 1024)


def test_picosystem_pins() -> None:
    b = load_board("picosystem")
    d = b.display
    # Pimoroni picosystem library, hardware.cpp / picosystem.hpp
    assert (d.cs, d.sck, d.mosi, d.dc, d.reset, d.backlight, d.spi) == (5, 6, 7, 9, 4, 12, 0)
    assert b.buttons["up"] == (23,) and b.buttons["down"] == (20,) and b.buttons["left"] == (22,)
    assert b.buttons["right"] == (21,) and b.buttons["o"] == (18,) and b.audio_pin == 11
    assert b.flash_bytes == 16 << 20


def test_header_and_cmake() -> None:
    b = load_board("pico-lcd13")
    h = board_header(b)
    assert "#define RP8_LCD_SPI 1\n" in h and "#define RP8_LCD_MADCTL 0x60\n" in h
    assert "#define RP8_VREG VREG_VOLTAGE_1_15\n" in h and "#define RP8_AUDIO_PIN -1\n" in h
    # left=16, right=20, up=2, down=18, o=15, x=17|19, pause=21|3
    assert ("{ 0x00010000u, 0x00100000u, 0x00000004u, 0x00040000u, 0x00008000u, "
            "0x000a0000u, 0x00200008u }") in h
    assert board_cmake(load_board("pico2-lcd13")).splitlines()[1:3] == \
        ["set(PICO_PLATFORM rp2350-arm-s)", "set(PICO_BOARD pico2)"]


def bad(text: str) -> str:
    with pytest.raises(BoardError) as err:
        parse_board(Path("my.toml"), text)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith("my.toml: ")
    return msg


def edit(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


@pytest.mark.parametrize("old,new,field", [
    ('chip = "rp2040"', 'chip = "esp32"', "chip"),
    ('chip = "rp2040"\n', "", "chip: missing"),
    ("flash_bytes = 2097152", 'flash_bytes = "2MB"', "flash_bytes: expected int"),
    ("vreg_mv = 1150", "vreg_mv = 1175", "vreg_mv"),
    ("width = 240", "width = 0", "display.width"),
    ("rotation = 90", "rotation = 45", "display.rotation"),
    ('scaling = "fit"', 'scaling = "stretch"', "display.scaling"),
    ("sck = 10", "sck = 9", "display.sck"),
    ("mosi = 11", "mosi = 3", "display.mosi"),
    ("dc = 8", "dc = 99", "display.dc"),
    ("backlight = 13", "backlight = 9", "display.backlight: GPIO 9 is already display.cs"),
    ("offset = [0, 0]", "offset = [0]", "display.offset"),
    ("invert = true", "invert = 1", "display.invert: expected bool"),
    ("left = [16]", "left = []", "buttons.left"),
    ("left = [16]", "left = [16]\njump = [4]", "buttons.jump: unknown button"),
    ("o = [15]", "o = [11]", "buttons.o: GPIO 11 is already display.mosi"),
    ("[display]", "[screen]", "display: missing table"),
])
def test_malformed_boards(old: str, new: str, field: str) -> None:
    assert field in bad(edit(old, new))


def test_not_toml() -> None:
    assert "not a valid TOML board file" in bad("name = \n")


def test_unknown_board_name_via_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cart = tmp_path / "c.p8"
    cart.write_text("pico-8 cartridge // http://www.pico-8.com\nversion 41\n__lua__\nprint(1)\n")
    assert main(["build", str(cart), "--board", "gameboy", "-o", str(tmp_path / "x.uf2")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "gameboy: no such board (bundled: pico-lcd13, pico2-lcd13, picosystem)" in err


def test_board_file_error_via_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    board = tmp_path / "mine.toml"
    board.write_text(edit("sck = 10", "sck = 12"))
    cart = tmp_path / "c.p8"
    cart.write_text("pico-8 cartridge // http://www.pico-8.com\nversion 41\n__lua__\nprint(1)\n")
    assert main(["build", str(cart), "--board", str(board), "-o", str(tmp_path / "x.uf2")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{board}: display.sck: GPIO 12 cannot be an SPI clock" in err


def test_missing_sdk_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PICO_SDK_PATH", raising=False)
    cart = tmp_path / "c.p8"
    cart.write_text("pico-8 cartridge // http://www.pico-8.com\nversion 41\n__lua__\nprint(1)\n")
    assert main(["build", str(cart), "--board", "pico-lcd13", "-o", str(tmp_path / "x.uf2")]) == 2
    err = capsys.readouterr().err
    assert err == "rp8: pico-sdk not found: pass --sdk PATH or set PICO_SDK_PATH (see README, 'Building firmware')\n"
    assert main(["build", str(cart), "--board", "pico-lcd13", "-o", str(tmp_path / "x.uf2"),
                 "--sdk", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"rp8: {tmp_path}: not a pico-sdk checkout (no pico_sdk_init.cmake)\n"
