"""Reading the files a cart is made of, with a bound on what a read may cost.

A cart file and the files it `#include`s are read through `read_bounded`: at
most `limit` bytes are ever read (so `/dev/zero` or a huge file costs at most
the limit), and for included files only regular files are opened, without
following a symbolic link or waiting on a fifo.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

KIB = 1024
MIB = 1024 * KIB


class FileFault(Exception):
    """Why a file could not be read; a short phrase, without the file's name."""


def size_text(n: int) -> str:
    return f"{n // MIB} MiB" if n % MIB == 0 else f"{n // KIB} KiB" if n % KIB == 0 else f"{n} bytes"


def read_bounded(path: Path, limit: int, regular_only: bool) -> bytes:
    """The bytes of `path`, or FileFault when it is missing, not a file, or
    larger than `limit` bytes. With `regular_only`, a symbolic link as the
    last component, a device, fifo or socket is refused before any read."""
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
    if regular_only:
        flags |= getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileFault("file not found") from None
    except IsADirectoryError:
        raise FileFault("is a directory") from None
    except ValueError:
        raise FileFault("not a file name (it holds a zero byte)") from None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise FileFault("is a symbolic link") from None
        raise FileFault(f"cannot read ({err.strerror or err})") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise FileFault("is a directory")
        if regular_only and not stat.S_ISREG(st.st_mode):
            raise FileFault("not a regular file")
        too_large = f"too large (over {size_text(limit)})"
        if stat.S_ISREG(st.st_mode) and st.st_size > limit:
            raise FileFault(too_large)
        chunks: list[bytes] = []
        total = 0
        while True:
            try:
                chunk = os.read(fd, min(256 * KIB, limit + 1 - total))
            except OSError as err:
                raise FileFault(f"cannot read ({err.strerror or err})") from None
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise FileFault(too_large)
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
