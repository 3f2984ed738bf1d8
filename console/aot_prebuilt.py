"""The runtime library and player objects built when rp8 is installed.

setup.py's build_ext calls build() after the engine, for the toolchain
`rp8 run --aot` would use, into console/_prebuilt/ (the wheel's copy, or
the checkout's for an editable install). Each build is a folder named as
its cache entry would be (aot_toolchain.runtime_name, player_name: keys of
compilers, flags and sources), so find() hands one out only when every
input matches; anything else (another compiler, edited sources, extra
flags) is built into the cache as before. A first `--aot` play then
compiles only the cart. RP8_NO_PREBUILT=1 leaves them unused.
Standard library only (setup.py runs it).
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Callable

from aot.errors import UserError
from console import aot_toolchain as tools
from console.sources import PACKAGE_DIR

PREBUILT_DIR = PACKAGE_DIR / "_prebuilt"
OFF_ENV = "RP8_NO_PREBUILT"


def find(name: str) -> Path | None:
    """The prebuilt folder by that name (complete: it is renamed into place
    last), or None."""
    if os.environ.get(OFF_ENV) == "1":
        return None
    path = PREBUILT_DIR / name
    return path if path.is_dir() else None


def _one(dest: Path, name: str, build: Callable[[Path], None]) -> None:
    stage = dest / f".tmp-{name}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    try:
        build(stage)
        os.rename(stage, dest / name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def build(dest: Path = PREBUILT_DIR, say: Callable[[str], None] = print) -> bool:
    """Build both for the player's toolchain into dest (emptied first: only
    this version's builds stay). False, saying why, when that cannot be
    done here (no C++ compiler): `--aot` then builds them on first use."""
    try:
        ptc = tools.player_toolchain(tools.host_toolchain())
        rt, player = tools.runtime_name(ptc), tools.player_name(ptc)
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        _one(dest, rt, lambda stage: tools.build_runtime(ptc, stage))
        _one(dest, player, lambda stage: tools.build_player_objects(ptc, stage))
    except (UserError, OSError) as err:
        say(f"rp8: the runtime for compiled carts was not built now ({str(err).splitlines()[0]}); "
            "`rp8 run --aot` builds it when first used")
        return False
    return True


if __name__ == "__main__":
    sys.exit(0 if build() else 1)
