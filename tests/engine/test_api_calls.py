"""console/api_calls.py: the API table's engine rows called from Python as
a cart calls them (defaults, argc, results), the binding tests and the sfx
and music previews use."""
from __future__ import annotations

import pytest

from aot.api import API
from console.machine import Machine

pytest.importorskip("console._engine")

from console.api_calls import ROWS, ApiCalls  # noqa: E402


def test_every_engine_row_is_callable() -> None:
    from console._engine import lib

    ffi_rows = {row.name for row in API if row.binding == "ffi"}
    assert ffi_rows - set(ROWS) == {row.name for row in API if row.binding == "ffi"
                                    and any(a.kind == "str" for a in row.args)}
    for row in ROWS.values():
        assert hasattr(lib, row.c or "")


def test_argc_defaults_and_results(m: Machine) -> None:
    api = ApiCalls(m)
    assert api.color() == 6                     # the previous pen colour
    api.color(9)
    api.pset(3, 4)                              # no colour: argc 2, the pen colour
    assert api.pget(3, 4) == 9
    api.circfill(64, 64, None, 8)               # nil radius: the table's default, 4
    assert api.pget(68, 64) == 8 and api.pget(69, 64) == 0
    assert api.camera(-3, 300) == (0, 0)
    assert api.camera() == (-3, 300)
    assert api.fget(1) == 0 and api.fget(1, 0) is False     # a number, or a flag by argc
    with pytest.raises(AttributeError, match="add: no engine row"):
        api.add
