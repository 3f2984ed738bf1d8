"""The C++ runtime's API builtins are generated from aot/api.py
(aot/cpp_api.py); the checked-in aot/runtime/rt_api.cpp must be what the
generator makes from the table as it is now."""
from __future__ import annotations

from aot import cpp_api
from aot.api import API


def test_generated_bindings_are_up_to_date() -> None:
    assert cpp_api.TARGET.read_text() == cpp_api.generate(), \
        "aot/runtime/rt_api.cpp is stale: run `python -m aot.cpp_api`"


def test_every_engine_row_is_generated_once() -> None:
    """ffi and math rows are generated, never also written by hand in the
    runtime library (whose builtin table would shadow them)."""
    generated = {r.name for r in cpp_api.generated_rows()}
    text = (cpp_api.RUNTIME_DIR / "rt_lib.cpp").read_text() + (cpp_api.RUNTIME_DIR / "rt_host.cpp").read_text()
    for row in API:
        if row.binding in ("ffi", "math"):
            assert row.name in generated, row.name
            assert f'{{"{row.name}", ' not in text, row.name


def test_a_row_becomes_the_call_the_table_describes() -> None:
    row = next(r for r in API if r.name == "circ")
    text = cpp_api.builtin_cpp(row)
    # r defaults to 4 (PICO-8 manual: circ(x, y, [r,] [col])); argc counts given arguments
    assert "fix32 r = apinum(L, argv(R, nargs, 2), P8_FIX(4));" in text
    assert "int argc = argcount(R, nargs, 4);" in text
    assert "p8_circ(L->p8, x, y, r, col, argc);" in text
    camera = cpp_api.builtin_cpp(next(r for r in API if r.name == "camera"))
    assert "R[-1] = int16num(r);" in camera and "return 2;" in camera


def test_compiled_bios_is_up_to_date() -> None:
    from aot import cpp_bios
    assert cpp_bios.TARGET.read_text() == cpp_bios.generate(), \
        "aot/runtime/rt_bios.cpp is stale: run `python -m aot.cpp_bios`"


def test_both_consoles_provide_exactly_the_host_primitives() -> None:
    """The BIOS reaches each console through api.HOST_PRIMITIVES alone:
    the player defines each as prim.host_x (host_lua.lua), compiled carts
    as the builtin "(host_x)" (rt_host.cpp), and the BIOS uses them all."""
    import re
    from pathlib import Path

    from aot.api import HOST_PRIMITIVES
    from aot.bios import BIOS_PATH

    root = Path(__file__).resolve().parents[2]
    lua = (root / "console" / "desktop" / "host_lua.lua").read_text()
    cpp = (cpp_api.RUNTIME_DIR / "rt_host.cpp").read_text()
    names = set(HOST_PRIMITIVES)
    assert set(re.findall(r"\bprim\.(host_\w+) = function", lua)) == names
    assert set(re.findall(r'\{"\((host_\w+)\)", bi_host_\w+\}', cpp)) == names
    assert set(re.findall(r"\b(host_\w+)\(", BIOS_PATH.read_text())) == names
    assert all(HOST_PRIMITIVES.values())
