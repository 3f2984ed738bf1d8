"""firmware/hot_files.txt: the hot source files and what each gets per chip
(-O3, SRAM). The firmware's CMakeLists.txt and the bench images
(console/bench/image.py) both build by this one list."""
from __future__ import annotations

from pathlib import Path

from aot.errors import UserError
from console import sources

HOT_FILES = sources.FIRMWARE_DIR / "hot_files.txt"
CHIPS = ("rp2040", "rp2350")
MARKS = {"o3", "sram"}


def read(chip: str, path: Path = HOT_FILES) -> dict[str, frozenset[str]]:
    """File name -> its marks ("o3", "sram") on `chip`; files without marks
    on that chip are left out."""
    column = CHIPS.index(chip) + 1
    out: dict[str, frozenset[str]] = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line or line[0] in "# \t":
            continue
        cells = line.split()
        marks = set() if len(cells) != 3 or cells[column] == "-" else set(cells[column].split(","))
        if len(cells) != 3 or not marks <= MARKS or (not marks and cells[column] != "-"):
            raise UserError(f"{path} line {number}: expected 'FILE RP2040 RP2350', each chip's "
                            f"marks 'o3', 'sram', 'sram,o3' or '-'")
        if marks:
            out[cells[0]] = frozenset(marks)
    return out


def o3_files(chip: str) -> frozenset[str]:
    """The file names compiled at -O3 on `chip`."""
    return frozenset(name for name, marks in read(chip).items() if "o3" in marks)
