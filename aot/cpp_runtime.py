"""The compiled carts' C++ runtime (aot/runtime/) as the C++ back end sees it:
where its files are, and the builtins it provides, read from its own tables
so compiler and runtime always agree on names and ids. Beside it, the
runner (aot/runner/): what runs a compiled cart on a platform (the frame
loop and the pause menu's glue, rp8_runner.cpp) or as a plain program of
its main chunk (host_main.cpp)."""
from __future__ import annotations

import re
from pathlib import Path

RUNTIME_DIR = Path(__file__).resolve().parent / "runtime"
RUNNER_DIR = Path(__file__).resolve().parent / "runner"

_BUILTIN_TABLES = (("rt_lib.cpp", "static const Builtin BUILTINS[] = {"),
                   ("rt_api.cpp", "extern const Builtin API_BUILTINS[] = {"),
                   ("rt_host.cpp", "extern const Builtin HOST_BUILTINS[] = {"),
                   ("rt_bios.cpp", "extern const Builtin BIOS_BUILTINS[] = {"))


def builtin_table_files() -> list[Path]:
    """The runtime files whose builtin tables runtime_builtin_table reads:
    what the C++ back end's output depends on besides aot/ itself."""
    return [RUNTIME_DIR / fname for fname, _table in _BUILTIN_TABLES]


def runtime_builtin_table(bios: bool = True) -> list[tuple[str, str]]:
    """(name, C++ function) of every builtin in id order, read from the
    runtime's own tables: rt_lib.cpp's BUILTINS, the generated API_BUILTINS
    (rt_api.cpp), HOST_BUILTINS (rt_host.cpp), then the generated
    BIOS_BUILTINS (rt_bios.cpp; not with bios=False, for generating it), so
    compiler and runtime always agree on names and ids."""
    out: list[tuple[str, str]] = []
    for fname, table in _BUILTIN_TABLES[:None if bios else 3]:
        text = (RUNTIME_DIR / fname).read_text()
        block = text[text.index(table):]
        block = block[: block.index("};")]
        out += re.findall(r'\{"([^"]+)", (\w+)\}', block)
    return out


def runtime_builtins() -> list[str]:
    """Builtin names in id order (see runtime_builtin_table)."""
    return [name for name, _fn in runtime_builtin_table()]


def pico8_api_names() -> frozenset[str]:
    """Every PICO-8 API name (aot/api.py), or the empty set."""
    try:
        from aot import api
    except ImportError:  # pragma: no cover - the table is part of rp8
        return frozenset()
    return frozenset(api.by_name())
