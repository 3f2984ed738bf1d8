"""Board files: what rp8 needs to know about a handheld, in TOML.

A board file (boards/NAME.toml, or any path) names the chip, the pico-sdk
board, flash and RAM sizes, clock, the display (controller, size, rotation,
SPI pins and clock, scaling mode), the GPIOs of each PICO-8 button and the
optional audio pin. boards/README.md documents every field. Every mistake
is a BoardError: one line naming the file and the field.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console import sources
from aot.errors import UserError

if sys.version_info >= (3, 11):
    import tomllib
else:                                   # Python 3.10: the same parser, as a package
    import tomli as tomllib

BOARDS_DIR = sources.BOARDS_DIR

CHIPS = ("rp2040", "rp2350")
BUTTONS = ("left", "right", "up", "down", "o", "x", "pause")
SCALING = {"fit": 0, "2x-crop": 1}
# ST7789 MADCTL for each rotation: MX|MV (90), MX|MY (180), MY|MV (270);
# see the ST7789 datasheet, "Memory data access control".
MADCTL = {0: 0x00, 90: 0x60, 180: 0xC0, 270: 0xA0}
VREG_MV = (850, 900, 950, 1000, 1050, 1100, 1150, 1200, 1250, 1300)
MAX_GPIO = {"rp2040": 29, "rp2350": 47}


class BoardError(UserError):
    """A board file that cannot be used."""


@dataclass(frozen=True)
class Display:
    controller: str
    width: int
    height: int
    rotation: int
    madctl: int
    offset: tuple[int, int]
    invert: bool
    spi_hz: int
    spi_mode: int
    scaling: str
    sck: int
    mosi: int
    cs: int
    dc: int
    reset: int       # -1: not wired
    backlight: int   # -1: not wired

    @property
    def spi(self) -> int:
        """The SPI block the pins belong to (GPIO n: block (n // 8) % 2)."""
        return (self.sck // 8) % 2


@dataclass(frozen=True)
class Board:
    name: str
    path: Path
    description: str
    chip: str
    sdk_board: str
    flash_bytes: int
    ram_bytes: int
    clock_khz: int
    vreg_mv: int
    display: Display
    buttons: dict[str, tuple[int, ...]]
    audio_pin: int   # -1: no speaker

    @property
    def pico_platform(self) -> str:
        return "rp2040" if self.chip == "rp2040" else "rp2350-arm-s"


class _Fields:
    """Typed access to one table of a board file, with errors naming it."""

    def __init__(self, path: Path, table: dict[str, Any], prefix: str = "") -> None:
        self.path, self.table, self.prefix = path, table, prefix

    def fail(self, key: str, what: str) -> BoardError:
        return BoardError(f"{self.path}: {self.prefix}{key}: {what}")

    def get(self, key: str, kind: type, default: Any = None) -> Any:
        if key not in self.table:
            if default is None:
                raise self.fail(key, "missing")
            return default
        value = self.table[key]
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            raise self.fail(key, f"expected {kind.__name__}, got {value!r}")
        return value

    def int_in(self, key: str, lo: int, hi: int, default: int | None = None) -> int:
        value = self.get(key, int, default)
        if not lo <= value <= hi:
            raise self.fail(key, f"{value} is outside {lo}..{hi}")
        return value

    def choice(self, key: str, options: tuple[Any, ...] | dict[Any, Any], default: Any = None) -> Any:
        value = self.table.get(key, default)
        if value is None:
            raise self.fail(key, "missing")
        if value not in options:
            raise self.fail(key, f"{value!r} is not one of {', '.join(map(str, options))}")
        return value


def _pin(f: _Fields, key: str, max_gpio: int, optional: bool = False) -> int:
    if optional and key not in f.table:
        return -1
    return f.int_in(key, 0, max_gpio)


def _display(path: Path, table: Any, chip: str) -> Display:
    if not isinstance(table, dict):
        raise BoardError(f"{path}: display: missing table [display]")
    f = _Fields(path, table, "display.")
    g = MAX_GPIO[chip]
    controller = f.choice("controller", ("st7789",))
    rotation = f.choice("rotation", tuple(MADCTL), 0)
    madctl = f.int_in("madctl", 0, 255, MADCTL[rotation])
    offset = f.get("offset", list, [0, 0])
    if len(offset) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 320 for v in offset):
        raise f.fail("offset", f"expected [x, y] in 0..319, got {offset!r}")
    d = Display(
        controller=controller,
        width=f.int_in("width", 1, 320), height=f.int_in("height", 1, 320),
        rotation=rotation, madctl=madctl, offset=(offset[0], offset[1]),
        invert=f.get("invert", bool, False),
        spi_hz=f.int_in("spi_hz", 100_000, 75_000_000, 62_500_000),
        spi_mode=f.int_in("spi_mode", 0, 3, 0),
        scaling=f.choice("scaling", tuple(SCALING), "fit"),
        sck=_pin(f, "sck", g), mosi=_pin(f, "mosi", g), cs=_pin(f, "cs", g), dc=_pin(f, "dc", g),
        reset=_pin(f, "reset", g, optional=True), backlight=_pin(f, "backlight", g, optional=True),
    )
    # RP2040/RP2350 pin functions: GPIO n is SPI((n // 8) % 2), and n % 4 is
    # RX, CSn, SCK, TX (datasheet, "Function select" table).
    if d.sck % 4 != 2:
        raise f.fail("sck", f"GPIO {d.sck} cannot be an SPI clock (use a GPIO n with n % 4 == 2)")
    if d.mosi % 4 != 3:
        raise f.fail("mosi", f"GPIO {d.mosi} cannot be SPI TX (use a GPIO n with n % 4 == 3)")
    if (d.mosi // 8) % 2 != d.spi:
        raise f.fail("mosi", f"GPIO {d.mosi} is on SPI{(d.mosi // 8) % 2} but sck GPIO {d.sck} is on SPI{d.spi}")
    return d


def _buttons(path: Path, table: Any, chip: str) -> dict[str, tuple[int, ...]]:
    if not isinstance(table, dict):
        raise BoardError(f"{path}: buttons: missing table [buttons]")
    out: dict[str, tuple[int, ...]] = {}
    for key in table:
        if key not in BUTTONS:
            raise BoardError(f"{path}: buttons.{key}: unknown button (expected {', '.join(BUTTONS)})")
    for key in BUTTONS:
        pins = table.get(key)
        if pins is None:
            raise BoardError(f"{path}: buttons.{key}: missing")
        if isinstance(pins, int) and not isinstance(pins, bool):
            pins = [pins]
        if not isinstance(pins, list) or not pins or not all(
                isinstance(p, int) and not isinstance(p, bool) and 0 <= p <= min(31, MAX_GPIO[chip]) for p in pins):
            raise BoardError(f"{path}: buttons.{key}: expected a list of GPIO numbers 0..31, got {pins!r}")
        out[key] = tuple(pins)
    return out


def parse_board(path: Path, text: str) -> Board:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise BoardError(f"{path}: not a valid TOML board file ({err})") from None
    f = _Fields(path, data)
    chip = f.choice("chip", CHIPS)
    vreg = f.get("vreg_mv", int, 0)
    if vreg and vreg not in VREG_MV:
        raise f.fail("vreg_mv", f"{vreg} is not one of 0 (leave as is), {', '.join(map(str, VREG_MV))}")
    audio = data.get("audio", {})
    if not isinstance(audio, dict):
        raise BoardError(f"{path}: audio: expected a table [audio]")
    audio_pin = _pin(_Fields(path, audio, "audio."), "pin", MAX_GPIO[chip], optional=True)
    board = Board(
        name=f.get("name", str), path=path, description=f.get("description", str, ""),
        chip=chip, sdk_board=f.get("sdk_board", str),
        flash_bytes=f.int_in("flash_bytes", 64 * 1024, 1 << 28),
        ram_bytes=f.int_in("ram_bytes", 64 * 1024, 1 << 24),
        clock_khz=f.int_in("clock_khz", 0, 400_000, 0), vreg_mv=vreg,
        display=_display(path, data.get("display"), chip),
        buttons=_buttons(path, data.get("buttons"), chip),
        audio_pin=audio_pin,
    )
    used: dict[int, str] = {}
    d = board.display
    named = [("display.sck", d.sck), ("display.mosi", d.mosi), ("display.cs", d.cs), ("display.dc", d.dc),
             ("display.reset", d.reset), ("display.backlight", d.backlight), ("audio.pin", audio_pin)]
    for field, pin in named:
        if pin >= 0 and pin in used:
            raise BoardError(f"{path}: {field}: GPIO {pin} is already {used[pin]}")
        if pin >= 0:
            used[pin] = field
    for key, pins in board.buttons.items():
        for pin in pins:
            if pin in used and not used[pin].startswith("buttons."):
                raise BoardError(f"{path}: buttons.{key}: GPIO {pin} is already {used[pin]}")
            used.setdefault(pin, f"buttons.{key}")
    return board


def load_board(name_or_path: str) -> Board:
    """A bundled board by name (boards/NAME.toml) or a board file path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = BOARDS_DIR / f"{name_or_path}.toml"
        if not path.is_file():
            raise BoardError(f"{name_or_path}: no such board (bundled: {', '.join(bundled_boards())})")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise BoardError(f"{path}: cannot read ({err.strerror or err})") from None
    return parse_board(path, text)


def bundled_boards() -> list[str]:
    return sorted(p.stem for p in BOARDS_DIR.glob("*.toml"))


def board_header(board: Board) -> str:
    """rp8_board.h for platform/rp2: the board as C macros."""
    d = board.display
    masks = []
    for key in BUTTONS:
        mask = 0
        for pin in board.buttons[key]:
            mask |= 1 << pin
        masks.append(f"0x{mask:08x}u")
    vreg = f"VREG_VOLTAGE_{board.vreg_mv // 1000}_{board.vreg_mv % 1000 // 10:02d}" if board.vreg_mv else "0"
    lines = [
        f"/* rp8_board.h -- written by `rp8 build` from {board.path.name}; do not edit. */",
        "#ifndef rp8_board_h", "#define rp8_board_h",
        f'#define RP8_BOARD_NAME "{board.name}"',
        f"#define RP8_CLOCK_KHZ {board.clock_khz}",
        f"#define RP8_VREG_MV {board.vreg_mv}",
        f"#define RP8_VREG {vreg}",
        f"#define RP8_LCD_SPI {d.spi}",
        f"#define RP8_LCD_SCK {d.sck}", f"#define RP8_LCD_MOSI {d.mosi}",
        f"#define RP8_LCD_CS {d.cs}", f"#define RP8_LCD_DC {d.dc}",
        f"#define RP8_LCD_RST {d.reset}", f"#define RP8_LCD_BL {d.backlight}",
        f"#define RP8_LCD_W {d.width}", f"#define RP8_LCD_H {d.height}",
        f"#define RP8_LCD_XOFF {d.offset[0]}", f"#define RP8_LCD_YOFF {d.offset[1]}",
        f"#define RP8_LCD_MADCTL 0x{d.madctl:02x}",
        f"#define RP8_LCD_INVERT {int(d.invert)}",
        f"#define RP8_LCD_SPI_HZ {d.spi_hz}",
        f"#define RP8_LCD_CPOL {'SPI_CPOL_1' if d.spi_mode & 2 else 'SPI_CPOL_0'}",
        f"#define RP8_LCD_CPHA {'SPI_CPHA_1' if d.spi_mode & 1 else 'SPI_CPHA_0'}",
        f"#define RP8_SCALE {SCALING[d.scaling]}",
        f"#define RP8_BUTTON_MASKS {{ {', '.join(masks)} }}  /* {' '.join(BUTTONS)} */",
        f"#define RP8_AUDIO_PIN {board.audio_pin}",
        "#endif", "",
    ]
    return "\n".join(lines)


def board_cmake(board: Board) -> str:
    """rp8_board.cmake: what pico-sdk must know before project()."""
    return (f"# written by `rp8 build` from {board.path.name}; do not edit\n"
            f"set(PICO_PLATFORM {board.pico_platform})\n"
            f"set(PICO_BOARD {board.sdk_board})\n"
            f"set(RP8_FLASH_BYTES {board.flash_bytes})\n")
