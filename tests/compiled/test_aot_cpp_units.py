"""A compiled cart built as several translation units in parallel
(CppCart.units, aot_build.build_player_library): every function and global
defined once, the same program as the single file, and the build says what
it compiles while it takes seconds."""
from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from aot import pipeline
from aot.cpp_backend import CppCart
from aot.source import Source

CART = """
n = 0
score = {}
function _init() for i = 1, 3 do add(score, i * 10) end end
function _update() n += 1 end
local function bar(x, y) rectfill(x, y, x + 8, y + 3, (x \\ 8) % 16) end
function _draw()
 cls(1)
 for i, s in ipairs(score) do bar(s, i * 8) end
 print("frame " .. n, 4, 100, 7)
end
"""


def cpp(code: str = CART) -> CppCart:
    return pipeline.to_cpp(Source(code, "units.p8", form="unicode")).output


def definitions(text: str) -> list[str]:
    return re.findall(r"^(?:static )?int (f\d+_\w+)\(State \*L, Value \*A, int nargs\) \{", text, re.M)


def test_one_unit_is_the_single_file() -> None:
    c = cpp()
    assert c.units(1) == [c.code]


def test_each_function_and_global_is_defined_once() -> None:
    c = cpp()
    units = c.units(2)
    assert len(units) == 2
    defined = [definitions(u) for u in units]
    assert all(defined)
    assert sorted(defined[0] + defined[1]) == sorted(definitions(c.code))
    hidden = '__attribute__((visibility("hidden"))) '
    assert f"{hidden}Value G[" in units[0] and f"extern {hidden}Value G[" in units[1]
    assert "rp8_cart = {" in units[0] and "rp8_cart" not in units[1]
    assert "static int f" not in units[0] + units[1]


def test_more_units_than_functions() -> None:
    c = cpp("x = 1")
    assert len(c.units(8)) == len(definitions(c.code)) == 1


@pytest.fixture(scope="module")
def built_twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], list[str], str]:
    """A cart the cache has never seen (a fresh comment), booted twice; what
    each boot wrote on stderr, and the first frame's hash."""
    import contextlib
    import io

    from console.desktop.aot_player import AotConsole
    from console.desktop.frameloop import Console, Options

    folder = tmp_path_factory.mktemp("units")
    path = folder / "units.p8"
    path.write_text("pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"
                    f"salt = \"{uuid.uuid4()}\"\n{CART}")   # new C++ (a comment makes none)
    said, hashes = [], []
    for _ in range(2):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            con = AotConsole.from_path(path, Options(seed=0))
        con.step()
        hashes.append(con.frame_hash())
        said.append(err.getvalue())
    ref = Console.from_path(path, Options(seed=0))
    ref.step()
    return said, hashes, ref.frame_hash()


def test_a_new_cart_says_it_compiles_and_a_second_play_is_silent(built_twice: tuple[list[str], list[str], str]) -> None:
    said, _, _ = built_twice
    assert "rp8: compiling units.p8 to native code" in said[0]
    assert said[1] == ""


def test_the_split_build_draws_what_the_interpreter_draws(built_twice: tuple[list[str], list[str], str]) -> None:
    _, hashes, ref = built_twice
    assert hashes[0] == hashes[1] == ref


def test_the_cached_cpp_is_keyed_by_where_lines_came_from(tmp_path: Path) -> None:
    # one expanded text from three layouts: the compiled cart's error
    # messages name the file a line came from, so none may share C++
    from console.cart import load_cart
    from console.desktop.aot_player import places_of

    head = "pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"
    made = []
    for folder, main, lib in (("one", "#include a.lua\n", ("a.lua", "x = 1\n")),
                              ("two", "#include b.lua\n", ("b.lua", "x = 1\n")),
                              ("three", "x = 1\n", None)):
        (tmp_path / folder).mkdir()
        if lib is not None:
            (tmp_path / folder / lib[0]).write_text(lib[1])
        (tmp_path / folder / "m.p8").write_text(head + main)
        made.append(load_cart(tmp_path / folder / "m.p8"))
    assert len({c.code for c in made}) == 1
    assert len({places_of(c) for c in made}) == 3
