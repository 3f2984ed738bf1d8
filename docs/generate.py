"""Writes the manual's generated pages from rp8 itself:

- docs/cli.md: every command's help, from the argparse definitions;
- docs/boards.md: each bundled board's wiring, from its board file.

Run `python docs/generate.py` after changing a command's options or a board
file; tests/commands/test_docs.py fails while a page is out of date.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))

WIDTH = "100"          # argparse wraps help text to $COLUMNS


def cli_page() -> str:
    os.environ["COLUMNS"] = WIDTH
    from console.cli import build_parser

    parser = build_parser()
    out = ["# Command reference", "",
           "Generated from rp8's own option definitions by `docs/generate.py`; "
           "`rp8 COMMAND --help` shows the same.", "",
           "## rp8", "", "```text", parser.format_help().rstrip(), "```", ""]
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, command in sorted(sub.choices.items()):
        out += [f"## rp8 {name}", "", "```text", command.format_help().rstrip(), "```", ""]
    return "\n".join(out)


def _gpio(n: int) -> str:
    return "not wired" if n < 0 else f"GP{n}"


def boards_page() -> str:
    from console.firmware.boards import load_board
    from console.sources import BOARDS_DIR

    out = ["# Boards", "",
           "Generated from the bundled board files (`boards/*.toml`) by `docs/generate.py`. "
           "Buttons are active low with the chip's internal pull-ups: wire each between its GPIO "
           "and ground. A board of your own is a TOML file in the same format "
           "(`boards/README.md` in the repository).", ""]
    for path in sorted(BOARDS_DIR.glob("*.toml")):
        b = load_board(str(path))
        d = b.display
        out += [f"## {b.name}", "", b.description + ".", "",
                f"{b.chip.upper()}, {b.flash_bytes // 1024 // 1024} MiB flash, "
                f"{b.ram_bytes // 1024} KiB RAM, {b.clock_khz // 1000} MHz; "
                f"{d.controller.upper()} display {d.width}x{d.height}, rotated {d.rotation}°, "
                f"scaled `{d.scaling}`.", "",
                "| signal | GPIO |", "| --- | --- |",
                f"| display SPI clock (SCK) | {_gpio(d.sck)} |",
                f"| display SPI data (MOSI) | {_gpio(d.mosi)} |",
                f"| display chip select (CS) | {_gpio(d.cs)} |",
                f"| display data/command (DC) | {_gpio(d.dc)} |",
                f"| display reset | {_gpio(d.reset)} |",
                f"| display backlight | {_gpio(d.backlight)} |"]
        for button in ("left", "right", "up", "down", "o", "x", "pause"):
            pins = ", ".join(_gpio(p) for p in b.buttons[button])
            label = {"o": "O", "x": "X"}.get(button, button)
            out.append(f"| button {label} | {pins} |")
        out += [f"| speaker (PWM) | {_gpio(b.audio_pin)} |", ""]
    return "\n".join(out)


PAGES = {"cli.md": cli_page, "boards.md": boards_page}


def main() -> int:
    for name, make in PAGES.items():
        (DOCS / name).write_text(make(), encoding="utf-8")
        print(f"wrote docs/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
