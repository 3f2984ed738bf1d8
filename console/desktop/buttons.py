"""Buttons: PICO-8's bit numbers and the scripted-input file format.

Each player has six buttons, bit i of the player's mask (PICO-8 manual,
btn()): 0 left, 1 right, 2 up, 3 down, 4 O (Z/C/N), 5 X (X/V/M); bit 6 is
the pause button. The console passes eight masks per frame (players 0-7).

Input script format (`rp8 run --headless --input FILE`), plain text:

    # comments and blank lines are ignored
    FRAME  P0 [P1 ... P7]

From frame FRAME (0 = the first frame) on, player k holds mask Pk, until a
later line says otherwise; players not listed hold nothing. A mask is a
number (decimal, 0x.. hex or 0b.. binary) or button letters: L R U D O X
(e.g. `RX` = right + X), or `-` for none. Lines must come in frame order.

    0    -
    30   X        # press X on frame 30 ...
    32   -        # ... and let go two frames later
    40   R  L     # player 0 holds right, player 1 left
"""
from __future__ import annotations

from bisect import bisect_right
from pathlib import Path
from typing import Sequence

from aot.errors import UserError

LEFT, RIGHT, UP, DOWN, O, X, PAUSE = range(7)
LETTERS = {"L": LEFT, "R": RIGHT, "U": UP, "D": DOWN, "O": O, "X": X}
PLAYERS = 8


def parse_mask(text: str) -> int:
    """One mask: a number or button letters; raises ValueError."""
    t = text.strip()
    if t == "-":
        return 0
    if t[:1].isdigit():
        value = int(t, 0)
        if not 0 <= value <= 255:
            raise ValueError(f"mask {t} is outside 0..255")
        return value
    mask = 0
    for ch in t.upper():
        if ch not in LETTERS:
            raise ValueError(f"unknown button {ch!r} in {t!r} (use L R U D O X)")
        mask |= 1 << LETTERS[ch]
    return mask


class InputScript:
    """Button masks per frame from an input script (see the module doc)."""

    def __init__(self, changes: Sequence[tuple[int, list[int]]]) -> None:
        self.changes = sorted(changes, key=lambda c: c[0])
        self._starts = [start for start, _ in self.changes]

    @classmethod
    def parse(cls, text: str, name: str = "input") -> "InputScript":
        changes: list[tuple[int, list[int]]] = []
        last = -1
        for n, raw in enumerate(text.splitlines(), 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            try:
                frame = int(parts[0], 0)
                masks = [parse_mask(p) for p in parts[1:]]
            except ValueError as err:
                raise UserError(f"{name} line {n}: {err}") from None
            if frame < 0 or frame <= last:
                raise UserError(f"{name} line {n}: frame {frame} is not after frame {last}")
            if len(masks) > PLAYERS:
                raise UserError(f"{name} line {n}: more than {PLAYERS} players")
            last = frame
            changes.append((frame, masks + [0] * (PLAYERS - len(masks))))
        return cls(changes)

    @classmethod
    def load(cls, path: Path) -> "InputScript":
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise UserError(f"{path}: cannot read input script ({err.strerror})") from None
        return cls.parse(text, str(path))

    def masks(self, frame: int) -> list[int]:
        """The eight masks held on `frame` (a binary search: the player and
        rp8 bench ask every frame, and a script may hold thousands of changes)."""
        k = bisect_right(self._starts, frame)
        return list(self.changes[k - 1][1]) if k else [0] * PLAYERS


def demo_script(frames: int, period: int = 45) -> InputScript:
    """A fixed input that walks a cart through title screens and menus:
    tap X then O every `period` frames, with the arrows in turn held between."""
    changes: list[tuple[int, list[int]]] = []
    arrows = [RIGHT, DOWN, LEFT, UP]
    for k, start in enumerate(range(0, frames, period)):
        changes.append((start, [1 << X] + [0] * 7))
        changes.append((start + 2, [0] * 8))
        changes.append((start + 10, [1 << O] + [0] * 7))
        changes.append((start + 12, [1 << arrows[k % 4]] + [0] * 7))
        changes.append((start + 30, [0] * 8))
    return InputScript(changes)


def script_for_cart(cart: Path, frames: int) -> InputScript:
    """The input a cart is run with in tests and `rp8 compat`: its own
    `.input` script beside it (CART.input or NAME.input), else the demo walk."""
    for cand in (cart.with_suffix(".input"), cart.parent / (cart.name.split(".")[0] + ".input")):
        if cand.is_file():
            return InputScript.load(cand)
    return demo_script(frames)
