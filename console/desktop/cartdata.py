"""cartdata(): 64 persistent numbers per cart id, kept in RAM 0x5e00-0x5eff.

A cart calls cartdata("some_id") once; dget/dset then read and write the
RAM directly (no Python). The console calls `CartData.flush` after each
frame, which writes the 256 bytes when they changed, at most once per
SAVE_INTERVAL (a durable write costs ~20 ms, too much for every frame of a
cart that dsets each frame); what is still unwritten is written when the
cart ends or reboots and when the program exits. The file is text, one
line per eight numbers as 8-digit hex fix32 values (as PICO-8's own
`cdata/<id>.p8d.txt`), written to a temporary file of its own (a unique
name per write, so two instances of one cart never share it), flushed to
disk and renamed over the old one: a crash never leaves half a file, and
of two writers the last complete write wins.
"""
from __future__ import annotations

import atexit
import contextlib
import os
import re
import sys
import tempfile
import time
import weakref
from pathlib import Path
from typing import Optional

_ID = re.compile(r"[a-z0-9_]{1,64}\Z")
SIZE = 0x100
BASE = 0x5E00
SAVE_INTERVAL = 1.0          # seconds between writes of one cart's data


def default_dir() -> Path:
    """The user's data folder for rp8 (platformdirs: XDG on Linux, roaming
    AppData on Windows, Application Support on macOS); RP8_DATA overrides."""
    env = os.environ.get("RP8_DATA")
    if env:
        return Path(env)
    import platformdirs

    return platformdirs.user_data_path("rp8", appauthor=False, roaming=True)


def valid_id(ident: str) -> bool:
    """PICO-8 accepts up to 64 characters of a-z, 0-9 and underscore."""
    return bool(_ID.match(ident))


def encode(data: bytes) -> str:
    words = [int.from_bytes(data[i:i + 4], "little") for i in range(0, SIZE, 4)]
    lines = ["".join(f"{w:08x}" for w in words[r * 8:(r + 1) * 8]) for r in range(8)]
    return "\n".join(lines) + "\n"


def decode(text: str) -> bytes:
    digits = re.sub(r"[^0-9a-fA-F]", "", text)[: SIZE * 2]
    digits = digits.ljust(SIZE * 2, "0")
    out = bytearray()
    for i in range(0, SIZE * 2, 8):
        out += int(digits[i:i + 8], 16).to_bytes(4, "little")
    return bytes(out)


def _read_head(path: Path) -> str:
    """The start of a saved file: 64 words of hex and line ends fit in 1 KiB."""
    with open(path, "rb") as f:
        return f.read(4096).decode("ascii", errors="replace")


class CartData:
    """The persistent numbers of one running cart."""

    def __init__(self, folder: Optional[Path]) -> None:
        self.folder = folder
        self.path: Optional[Path] = None
        self.saved = bytes(SIZE)
        self.pending: Optional[bytes] = None     # changed, not yet written
        self.last_write = float("-inf")

    def open(self, ident: str, ram: memoryview) -> bool:
        """cartdata(id): load the saved numbers into RAM; True if there were any."""
        if not valid_id(ident):
            raise ValueError(f"cartdata id {ident!r}: use up to 64 of a-z, 0-9 and _")
        if self.folder is None:
            self.path = None
            return False
        self.path = self.folder / "cdata" / f"{ident}.p8d.txt"
        existed = self.path.is_file()
        try:
            data = decode(_read_head(self.path)) if existed else bytes(SIZE)
        except OSError as exc:
            self._fault(f"cannot read {self.path.name} ({exc.strerror})")
            existed, data = False, bytes(SIZE)
        ram[BASE:BASE + SIZE] = data
        self.saved = data
        return existed

    def flush(self, ram: memoryview, force: bool = False) -> bool:
        """Write the numbers if they changed since the last write and the
        last write is SAVE_INTERVAL old (or `force`); True if written."""
        if self.path is None:
            return False
        now = bytes(ram[BASE:BASE + SIZE])
        self.pending = None if now == self.saved else now
        if self.pending is None:
            return False
        if not force and time.monotonic() - self.last_write < SAVE_INTERVAL:
            _UNSAVED.add(self)
            return False
        return self._write(now)

    def _write(self, now: bytes) -> bool:
        if self.path is None:
            return False
        try:
            write_atomic(self.path, encode(now).encode("ascii"))
        except OSError as exc:
            # the data folder is broken (full, read-only, a folder in the
            # way): the cart plays on without saving, and the user is told once
            self._fault(f"cannot save {self.path.name} ({exc.strerror}); the cart's data is not saved")
            self.path = None
            return False
        self.saved, self.pending = now, None
        self.last_write = time.monotonic()
        return True

    def close(self) -> None:
        """Write what is still unwritten (the cart ended, rebooted, or the
        program exits)."""
        if self.pending is not None:
            self._write(self.pending)

    def _fault(self, message: str) -> None:
        print(f"rp8: cartdata: {message}", file=sys.stderr, flush=True)


_UNSAVED: "weakref.WeakSet[CartData]" = weakref.WeakSet()


@atexit.register
def _save_all() -> None:
    for data in list(_UNSAVED):
        data.close()


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a reader (or a crash) sees the
    old file or the new one, never part of one: a unique temporary file in
    the same folder, fsync'd, renamed over the target, then the folder
    fsync'd so the rename itself is on disk."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if hasattr(os, "O_DIRECTORY"):         # folders cannot be fsync'd on Windows
        dfd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
