"""Builds the C engine into the `console._engine` extension (cffi, API mode).

The cdef is not written by hand: every engine header marks its public
declarations with `rp8:api begin` / `rp8:api end`, and those lines are
collected here, so a function declared once in C is callable from Python.
Run directly (`python -m console.engine_build`) to rebuild in place.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cffi import FFI

ENGINE_DIR = Path(__file__).resolve().parent / "engine"
# The pause menu is the device's (platform/common/rp8_menu.c, plain C over the
# engine): the desktop player draws the same menu, with its two extra rows.
MENU_DIR = ENGINE_DIR.parent.parent / "platform" / "common"
MENU_DEFINES = ["-DRP8_MENU_DESKTOP_ROWS=2"]
# The player's call into a compiled cart's library (platform/host/rp8host_call.h):
# a plain C call from here costs less than cffi's call into the opened library.
HOST_DIR = ENGINE_DIR.parent.parent / "platform" / "host"
# Its declarations come from the header's rp8:api blocks; its struct has
# arrays sized by macros, which cffi's cdef cannot read: the fields the
# player touches are declared and cffi takes the layout from the compiler.
MENU_STRUCT = """
typedef struct rp8_menu {
  int open; int sel; int rows; int sound; int volume; int volume_steps; int can_exit;
  uint32_t held;
  ...;
} rp8_menu;
"""
API_BLOCK = re.compile(r"/\* rp8:api begin \*/(.*?)/\* rp8:api end \*/", re.S)
CFLAGS = ["-std=c11", "-O2", "-Wall", "-Wextra", "-fwrapv"]


def engine_sources() -> list[Path]:
    """Every C file of the engine, in a stable order."""
    return sorted(ENGINE_DIR.glob("*.c"))


def api_blocks(header: Path) -> list[str]:
    """The rp8:api blocks of one header, in order."""
    return API_BLOCK.findall(header.read_text())


def menu_cdef() -> str:
    """The pause menu's declarations for cffi: its cart callbacks, the
    struct's fields the player uses, its functions."""
    cart, functions = api_blocks(MENU_DIR / "rp8_menu.h")
    return cart + MENU_STRUCT + functions


def engine_cdef() -> str:
    """The public declarations of every engine header, for cffi."""
    parts = ["typedef int32_t fix32;", "typedef struct p8_state p8_state;"]
    for header in sorted(ENGINE_DIR.glob("*.h")):
        for block in API_BLOCK.findall(header.read_text()):
            parts.append(block)
    return "\n".join(parts)


def make_builder(absolute: bool = False) -> FFI:
    """The engine's cffi builder (setup.py's cffi_modules calls this; made
    on demand, since reading the cdef costs every start that imports this
    module). setuptools wants source paths relative to the project root; an
    in-place build compiles from a temporary folder and needs them absolute."""
    root = ENGINE_DIR.parent.parent
    from cffi import FFI

    rel = (lambda p: str(p)) if absolute else (lambda p: str(p.relative_to(root)))
    ffi = FFI()
    ffi.cdef(engine_cdef() + menu_cdef() + "".join(api_blocks(HOST_DIR / "rp8host_call.h")))
    headers = "".join(f'#include "{h.name}"\n' for h in sorted(ENGINE_DIR.glob("*.h")))
    ffi.set_source(
        "console._engine",
        headers + '#include "rp8_menu.h"\n#include "rp8host_call.h"\n',
        sources=[rel(p) for p in engine_sources()] + [rel(MENU_DIR / "rp8_menu.c"),
                                                      rel(HOST_DIR / "rp8host_call.c")],
        include_dirs=[rel(ENGINE_DIR), rel(MENU_DIR), rel(HOST_DIR)],
        extra_compile_args=CFLAGS + MENU_DEFINES,
    )
    return ffi


def build_in_place() -> Path:
    """Compile into a private temporary folder (so concurrent builds never
    share object files) and move the extension next to the package."""
    import os
    import shutil
    import tempfile

    root = ENGINE_DIR.parent.parent
    cwd = os.getcwd()
    os.chdir(root)
    try:
        with tempfile.TemporaryDirectory(prefix="rp8-engine-") as tmp:
            built = Path(make_builder(absolute=True).compile(tmpdir=tmp, verbose=False))
            target = ENGINE_DIR.parent / built.name
            staged = target.with_suffix(".new")
            shutil.copyfile(built, staged)
            os.replace(staged, target)
    finally:
        os.chdir(cwd)
    return target


if __name__ == "__main__":
    print(build_in_place())
