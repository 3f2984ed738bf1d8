"""What a cart's start keeps between runs (console/desktop/start_cache.py):
a second start of a cart skips the front end, a changed cart or a changed
front end does not reuse it, and a cache that cannot be used costs only time."""
from __future__ import annotations

from pathlib import Path

import pytest

from aot import pipeline
from aot.source import CartSyntaxError, Source
from console.desktop import lua_env, start_cache
from console.desktop.frameloop import Console, Options

CART = """pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
function _draw() cls(1) print("hi "..stat(6), 10, 10, 7) end
"""


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("RP8_CACHE", str(folder))
    return folder


@pytest.fixture
def front_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the sources the Lua front end compiles from here on."""
    runs: list[str] = []
    real = pipeline.to_lua

    def counted(source: Source, counters: bool = True) -> pipeline.Result:
        runs.append(source.name)
        return real(source, counters)

    monkeypatch.setattr(pipeline, "to_lua", counted)
    return runs


def test_second_compile_of_a_cart_comes_from_the_cache(own_cache: Path, front_runs: list[str]) -> None:
    src = Source("x = 1\nprint(x)\n", "a.p8", form="unicode")
    first = lua_env.compile_cached(src)
    again = lua_env.compile_cached(Source("x = 1\nprint(x)\n", "a.p8", form="unicode"))
    assert front_runs == ["a.p8"]
    assert again.lua == first.lua == lua_env.compile_source(src).lua
    assert again.chunk is None
    assert len(list((own_cache / "start").glob("front-*"))) == 1


def test_another_cart_or_name_is_compiled(own_cache: Path, front_runs: list[str]) -> None:
    lua_env.compile_cached(Source("x = 1\n", "a.p8", form="unicode"))
    lua_env.compile_cached(Source("x = 2\n", "a.p8", form="unicode"))
    lua_env.compile_cached(Source("x = 1\n", "b.p8", form="unicode"))
    assert front_runs == ["a.p8", "a.p8", "b.p8"]


def test_a_changed_front_end_makes_new_entries(own_cache: Path, front_runs: list[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    src = Source("x = 1\n", "a.p8", form="unicode")
    lua_env.compile_cached(src)
    monkeypatch.setattr(start_cache, "maker_key", lambda group: "an edited front end")
    lua_env.compile_cached(src)
    assert front_runs == ["a.p8", "a.p8"]


def test_maker_files_cover_the_front_end_and_bindings() -> None:
    front = {p.name for p in start_cache.maker_files("front")}
    assert {"parser.py", "resolver.py", "lua_backend.py", "bios.lua", "api.py"} <= front
    bindings = {p.name for p in start_cache.maker_files("bindings")}
    assert {"bindgen.py", "api.py", "p8_gfx.h"} <= bindings
    assert all(p.is_file() for g in ("front", "bindings") for p in start_cache.maker_files(g))


def test_a_syntax_error_is_not_kept(own_cache: Path, front_runs: list[str]) -> None:
    bad = Source("x = = 1\n", "bad.p8", form="unicode")
    for _ in range(2):
        with pytest.raises(CartSyntaxError, match="bad.p8 tab 0 line 1"):
            lua_env.compile_cached(bad)
    assert front_runs == ["bad.p8", "bad.p8"]
    assert list((own_cache / "start").glob("front-*")) == []


def test_an_unusable_cache_folder_still_starts_the_cart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("RP8_CACHE", str(blocker / "cache"))
    cart = tmp_path / "c.p8"
    cart.write_text(CART)
    con = Console.from_path(cart, Options(seed=0))
    assert con.step() == "frame"
    assert con.error is None


def test_a_cart_file_starts_the_same_from_the_cache(own_cache: Path, tmp_path: Path,
                                                    front_runs: list[str]) -> None:
    cart = tmp_path / "c.p8"
    cart.write_text(CART)
    hashes = []
    for _ in range(2):
        con = Console.from_path(cart, Options(seed=0, param="there"))
        assert con.step() == "frame"
        hashes.append(con.frame_hash())
    plain = Console.from_code(CART.split("__lua__\n")[1], "c.p8", Options(seed=0, param="there"))
    plain.step()
    assert front_runs.count("c.p8") == 2           # the file once, from_code (never cached) once
    assert hashes[0] == hashes[1] == plain.frame_hash()
