"""The engine's PICO-8 API called from Python as a cart calls it, made from
the API table (aot/api.py) like the LuaJIT and C++ bindings: defaults for
missing arguments, `argc` counted from the last argument given, booleans
and results converted by the row's kinds. Tests and tools (sfx/music
previews) use it, so a rule of the table is not written again by hand.

    api = ApiCalls(machine)
    api.circfill(64, 64, 10, 8)
    api.camera(5, 6)        # -> the previous camera, (0, 0)

Only rows with an engine function and numeric or boolean arguments are
callable (binding "ffi", and the numeric form of "bios" rows such as pal);
the others are Lua-valued or host rows and raise AttributeError.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Optional

from aot.api import API, Api, Arg
from console.machine import Machine, from_fix, to_fix

CALLABLE = ("ffi", "bios")


def _rows() -> dict[str, Api]:
    out: dict[str, Api] = {}
    for row in API:
        if row.binding in CALLABLE and row.c and all(a.kind in ("num", "bool", "int") for a in row.args):
            for name in (row.name,) + row.aliases:
                out[name] = row
    return out


ROWS = _rows()


def _number(v: Any) -> float:
    """As the bindings' N(): a number stays, anything else is 0."""
    if isinstance(v, bool) or not isinstance(v, (int, float)) or math.isnan(v) or math.isinf(v):
        return 0
    return v


def _convert(a: Arg, v: Any) -> int:
    if a.kind == "num":
        return to_fix(a.default if v is None and a.default is not None else _number(v))
    if a.kind == "bool":
        on = (v is None and bool(a.default)) or (v is not None and v is not False)
        return 1 if on else 0
    return math.floor(_number(v))          # "int"


def _signed16(v: int) -> int:
    return v - 0x10000 if v >= 0x8000 else v


def _result(row: Api, r: int, argc: int) -> Any:
    kind = row.ret
    if kind == "none":
        return None
    if kind == "num":
        return from_fix(r)
    if kind == "bool":
        return r != 0
    if kind == "bool_or_num":
        return from_fix(r) if argc < row.bool_argc else r != 0
    r &= 0xFFFFFFFF
    if kind == "xy16":
        return _signed16(r & 0xFFFF), _signed16(r >> 16)
    if kind == "cursor":
        return r & 0xFF, (r >> 8) & 0xFF, (r >> 16) & 0xFF
    if kind == "clip":
        x0, y0, x1, y1 = r & 0xFF, (r >> 8) & 0xFF, (r >> 16) & 0xFF, r >> 24
        return x0, y0, x1 - x0, y1 - y0
    if kind == "status":
        if r >= 0x80000000:
            raise ValueError(f"{row.name}: bad memory access")
        return None
    raise ValueError(f"{row.name}: result kind {kind}")


def call(machine: Machine, row: Api, args: tuple[Any, ...]) -> Any:
    """One call of `row` with a cart's arguments (None is nil)."""
    from console._engine import lib

    given = list(args[:len(row.args)])
    argc = max((i + 1 for i, v in enumerate(given) if v is not None), default=0)
    given += [None] * (len(row.args) - len(given))
    cargs: list[Any] = [machine.state] if row.state else []
    cargs += [_convert(a, v) for a, v in zip(row.args, given)]
    if row.argc:
        cargs.append(argc)
    return _result(row, getattr(lib, row.c or "")(*cargs), argc)


class ApiCalls:
    """The API rows as methods over one machine."""

    def __init__(self, machine: Machine) -> None:
        self.machine = machine

    def __getattr__(self, name: str) -> Callable[..., Any]:
        row: Optional[Api] = ROWS.get(name)
        if row is None:
            raise AttributeError(f"{name}: no engine row of aot/api.py callable from Python")
        return lambda *args: call(self.machine, row, args)
