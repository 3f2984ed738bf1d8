"""What starting a cart computes, kept between runs (console/cache.py, kind
`start`), so the second start of a cart skips it.

Each value is one file in an entry named by a hash of everything it was
made from: the inputs themselves (a cart's code) and the content of every
source file of rp8 that makes it (`maker_files`), so an edit to the front
end, the BIOS or the API table makes new entries and nothing stale is
ever used. Old entries are pruned with the rest of the cache.

A cache folder that cannot be used costs the saving only: the value is
computed as if nothing were cached, and the cart starts.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable, Sequence

from console import cache

KIND = "start"
VALUE = "value"
_ROOT = Path(__file__).resolve().parent.parent.parent


@functools.lru_cache(maxsize=None)
def maker_files(group: str) -> tuple[Path, ...]:
    """The sources a group of cached values is made by.
    front: the front end and both back ends (all of aot/), the BIOS, the
    API table, and the runtime's builtin tables the C++ back end numbers
    builtins by (a cached cart's C++ with another runtime's numbering calls
    the wrong builtins); bindings: the binding generator, the API table and
    the engine headers."""
    from aot.cpp_runtime import builtin_table_files

    aot = sorted((_ROOT / "aot").glob("*.py")) + [_ROOT / "aot" / "lua_runtime.lua"]
    api = [_ROOT / "aot" / "api.py"]
    if group == "front":
        return tuple(aot + api + [_ROOT / "aot" / "bios.lua"] + builtin_table_files())
    if group == "bindings":
        headers = sorted((_ROOT / "console" / "engine").glob("*.h"))
        return tuple(api + [_ROOT / "console" / "desktop" / "bindgen.py",
                            _ROOT / "console" / "engine_build.py"] + headers)
    raise ValueError(f"unknown group {group!r}")


@functools.lru_cache(maxsize=None)
def maker_key(group: str) -> str:
    """A hash of the group's source files (read once per process)."""
    return cache.key(group, files=maker_files(group))


def remembered(group: str, parts: Sequence[str | bytes], make: Callable[[], bytes]) -> bytes:
    """make()'s bytes for these inputs: from the cache, else made and kept.
    Exceptions of make() (a syntax error in a cart) pass through and nothing
    is kept."""
    try:
        name = f"{group}-{cache.key(maker_key(group), *parts)}"
    except OSError:                     # a source file unreadable: no caching
        return make()
    made: list[bytes] = []

    def build(folder: Path) -> None:
        made.append(make())
        (folder / VALUE).write_bytes(made[0])

    try:
        return (cache.entry(KIND, name, build) / VALUE).read_bytes()
    except (cache.CacheError, OSError):
        return made[0] if made else make()
