"""#include, as the PICO-8 manual describes it: .lua files, whole .p8 carts
and single tabs (`other.p8:N`), relative to the cart, not recursive."""
from __future__ import annotations

from pathlib import Path

import pytest

from console.cart import CartError, load_cart

HEAD = "pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"


def put(p: Path, text: str) -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(text.encode("utf-8"))
    return p


def test_include_lua_p8_and_tab(tmp_path: Path) -> None:
    put(tmp_path / "lib" / "util.lua", "function u() end\r\nu2=\"🐱\"\n")
    put(tmp_path / "other.p8", HEAD + "o0=0\n-->8\no1=1\no1b=2\n-->8\no2=2\n__gfx__\n11\n")
    cart = load_cart(put(tmp_path / "main.p8", HEAD + "a=1\n#include lib/util.lua\n"
                         "  #include other.p8:1\n#include other.p8\nz=9\n"))
    assert cart.code == ("a=1\nfunction u() end\nu2=\"\x82\"\no1=1\no1b=2\n"
                         "o0=0\n-->8\no1=1\no1b=2\n-->8\no2=2\nz=9")
    assert cart.source.startswith("a=1\n#include lib/util.lua")
    loc = [cart.locate(n) for n in range(1, 13)]
    assert [(p.path.name, p.tab, p.line) for p in loc] == [
        ("main.p8", 0, 1),
        ("util.lua", None, 1), ("util.lua", None, 2),
        ("other.p8", 1, 1), ("other.p8", 1, 2),
        ("other.p8", 0, 1), ("other.p8", 0, 2), ("other.p8", 1, 1), ("other.p8", 1, 2),
        ("other.p8", 1, 3), ("other.p8", 2, 1),
        ("main.p8", 0, 5),
    ]
    assert str(loc[1]) == "util.lua line 1"
    # an included cart's data is not merged: only its code
    assert cart.data[0] == 0


def test_includes_are_not_recursive(tmp_path: Path) -> None:
    put(tmp_path / "b.lua", "b=1\n")
    put(tmp_path / "a.lua", "#include b.lua\na=1")
    cart = load_cart(put(tmp_path / "main.p8", HEAD + "#include a.lua\n"))
    assert cart.code == "#include b.lua\na=1"


def test_include_in_string_or_comment_is_text(tmp_path: Path) -> None:
    src = HEAD + "--[[\n#include gone.lua\n]]\ns=[[\n#include gone.lua\n]]\n-- #include gone.lua\n"
    cart = load_cart(put(tmp_path / "main.p8", src))
    assert cart.code == cart.source


def test_saved_p8_keeps_include_lines(tmp_path: Path) -> None:
    from console.cart import save_p8

    put(tmp_path / "a.lua", "a=1\n")
    cart = load_cart(put(tmp_path / "main.p8", HEAD + "#include a.lua\nb=2\n"))
    save_p8(cart, tmp_path / "copy.p8")
    assert "#include a.lua\nb=2\n" in (tmp_path / "copy.p8").read_text()
    assert load_cart(tmp_path / "copy.p8").code == "a=1\nb=2"


def test_missing_include(tmp_path: Path) -> None:
    p = put(tmp_path / "main.p8", HEAD + "x=1\n#include missing.lua\n")
    with pytest.raises(CartError) as err:
        load_cart(p)
    msg = str(err.value)
    assert msg == f"{p}: line 5: #include missing.lua: file not found"


def test_missing_tab(tmp_path: Path) -> None:
    put(tmp_path / "other.p8", HEAD + "o=0\n")
    p = put(tmp_path / "main.p8", HEAD + "#include other.p8:3\n")
    with pytest.raises(CartError, match=r"main.p8: line 4: #include other.p8:3: other.p8 has no tab 3"):
        load_cart(p)


def test_bad_included_file(tmp_path: Path) -> None:
    put(tmp_path / "bad.p8", HEAD + "__gfx__\nzz\n")
    p = put(tmp_path / "main.p8", HEAD + "#include bad.p8\n")
    with pytest.raises(CartError, match=r"main.p8: line 4: #include bad.p8: bad.p8: line 5: bad hex digit"):
        load_cart(p)


def test_included_raw_bytes_are_p8scii(tmp_path: Path) -> None:
    (tmp_path / "old.lua").write_bytes(b"x='\xff\x8b'\n")
    cart = load_cart(put(tmp_path / "main.p8", HEAD + "#include old.lua\n"))
    assert cart.code == "x='\xff\x8b'"


def test_headerless_p8_is_lua_and_parent_folder_is_reachable(tmp_path: Path) -> None:
    # frozax's carts share ../libs/*.p8 files that are plain Lua
    put(tmp_path / "repo" / "libs" / "vec2.p8", "-- vec2\nfunction v2() end\n-->8\nv=1\n")
    p = put(tmp_path / "repo" / "game" / "main.p8",
            HEAD + "#include ../libs/vec2.p8\n#include ..\\libs\\vec2.p8:1\nx=1\n")
    cart = load_cart(p)
    assert cart.code == "-- vec2\nfunction v2() end\n-->8\nv=1\nv=1\nx=1"
    assert str(cart.locate(2)) == "vec2.p8 line 2"
    assert len(cart.files) == 2          # one file, read once


def test_directive_inside_any_string_or_comment_is_text(tmp_path: Path) -> None:
    eq = "=" * 300
    src = (HEAD + f"s=[{eq}[\n#include gone.lua\n]{eq}]\n--[{eq}[\n#include gone.lua\n]{eq}]\n"
           "t='a\\\n#include gone.lua'\nprint(\n#[[\n#include gone.lua\n]]\n)\n"
           "--[[ [[ ]]\n#include gone.lua\n]]\n")
    cart = load_cart(put(tmp_path / "main.p8", src))
    assert cart.code == cart.source


def test_directive_after_strings_and_comments_counts(tmp_path: Path) -> None:
    put(tmp_path / "a.lua", "a=1")
    src = HEAD + "s=[[x]] t='y' --[[c]] --d\n  #include a.lua\n--[==[\n]==]\n\t#include a.lua\n"
    assert load_cart(put(tmp_path / "main.p8", src)).code == "s=[[x]] t='y' --[[c]] --d\na=1\n--[==[\n]==]\na=1"


def test_corpus_picodex_includes_code_lua(corpus: Path) -> None:
    from console.cart.p8scii import from_unicode

    cart = load_cart(corpus / "carts" / "picodex" / "game.p8")
    assert cart.source.split("\n")[3] == "#include .code.lua"
    assert "#include" not in cart.code
    inc = (corpus / "carts" / "picodex" / ".code.lua").read_text(encoding="utf-8")
    assert cart.code.split("\n")[3] == from_unicode(inc.split("\n", 1)[0])
    loc = cart.locate(4)
    assert (loc.path.name, loc.tab, loc.line) == (".code.lua", None, 1)
    assert (cart.locate(3).path.name, cart.locate(3).line) == ("game.p8", 3)


def test_corpus_frozax_carts_share_libs(corpus: Path) -> None:
    base = corpus / "more" / "frozax+pico-8"
    if not base.is_dir():
        pytest.skip("frozax's carts are not in this corpus")
    carts = [p for p in sorted(base.rglob("*.p8")) if "#include ../libs/" in p.read_text("utf-8", "replace")]
    assert len(carts) >= 3
    for p in carts:
        cart = load_cart(p)
        assert "#include" not in cart.code.replace("#include ../libs", ""), p
        assert any(f.path.parent.name == "libs" for f in cart.files[1:]), p


def test_a_named_include_root_widens_or_narrows_the_reach(tmp_path: Path) -> None:
    put(tmp_path / "shared" / "s.lua", "s=1")
    game = tmp_path / "carts" / "deep" / "game"
    p = put(game / "main.p8", HEAD + "#include ../../../shared/s.lua\n")
    with pytest.raises(CartError, match="outside the folders this cart may include from"):
        load_cart(p)
    assert load_cart(p, include_root=tmp_path).code == "s=1"
    # (the default root is game's parent, deep/)
    put(tmp_path / "carts" / "deep" / "up.lua", "u=1")
    q = put(game / "up.p8", HEAD + "#include ../up.lua\n")
    assert load_cart(q).code == "u=1"
    with pytest.raises(CartError, match="outside the folder named as the include root"):
        load_cart(q, include_root=game)
