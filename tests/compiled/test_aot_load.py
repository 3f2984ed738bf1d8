"""load(), run(), reload() and cstore() with other carts, compiled
(console.desktop.aot_player.AotConsole) and held to the interpreter
(console.desktop.frameloop.Console): the same printh lines, screens, frame
kinds and errors, frame by frame.

PICO-8's rules (manual and wiki, load/reload/cstore): load(filename,
[breadcrumb, param]) returns false when there is no such cart, else runs
it at once with stat(6) = param and stat(100) = breadcrumb, and
extcmd("breadcrumb") goes back; reload(dst, src, len, filename) reads
another cart's ROM. A device has no cart files: load() and reload() of
another cart say "not supported yet" instead of failing silently.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from support.aot_cpp import run_bench_image
from support.aot_frames import compare, need_gxx

pytest.importorskip("console._engine")
pytest.importorskip("lupa")

HEADER = "pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"

FIRST = HEADER + """
printh('first '..stat(6)..' '..tostr(stat(100)))
printh('missing '..tostr(load('missing')))
if stat(6) == '' then load('second', 'back', 'p') end
function _draw() cls(1) print(stat(6), 0, 0, 7) end
"""

# the second cart shows the first cart's sprite 1 (reload from its file),
# then goes back along the breadcrumb on frame 3
SECOND = HEADER + """
printh('second '..stat(6)..' '..tostr(stat(100)))
reload(0x6000, 4, 4, 'first')
printh(peek(0x6000)..' '..peek(0x6001)..' '..peek(0x6002)..' '..peek(0x6003))
n = 0
function _update() n += 1 if n == 3 then extcmd('breadcrumb') end end
function _draw() rectfill(0, 8, 20, 20, 9) reload(0x6000, 4, 4, 'first.p8') end
"""

FIRST_GFX = "__gfx__\n" + "00000000" + "12345678" + "0" * 112 + "\n"


def _carts(tmp_path: Path) -> Path:
    (tmp_path / "first.p8").write_text(FIRST + FIRST_GFX)
    (tmp_path / "second.p8").write_text(SECOND)
    return tmp_path / "first.p8"


def _pair(path: Path, tmp_path: Path, param: str = ""):
    need_gxx()
    from console.desktop.aot_player import AotConsole
    from console.desktop.frameloop import Console, Options

    def opts() -> Options:
        return Options(seed=0, param=param, fixed_clock=True, printh=lambda s: None,
                       data_dir=tmp_path / "data")
    return AotConsole.from_path(path, opts()), Console.from_path(path, opts())


def test_load_breadcrumb_param_and_back(tmp_path: Path) -> None:
    aot, lua = _pair(_carts(tmp_path), tmp_path)
    diff = compare(aot, lua, 11)
    assert diff.mismatch is None, diff.mismatch
    assert diff.status == "frame"
    # frame 0 loads the second cart (its first frame is frame 1), which goes
    # back on its third update; the first cart then loads it again: after
    # 11 frames the second cart has drawn its second frame of the third visit
    assert aot.printh_lines[:5] == ["first  [nil]", "missing false", "second p back", "33 67 101 135",
                                    "first  [nil]"]
    assert aot.printh_lines == lua.printh_lines
    assert aot.boot_info.path is not None and aot.boot_info.path.name == "second.p8"
    # the first cart's sprite 1 row 0 (pixels 1,2,...,8 as nibbles) on screen
    assert list(aot.ram[0x6000:0x6004]) == [0x21, 0x43, 0x65, 0x87]


def test_run_keeps_the_breadcrumb_and_takes_a_new_param(tmp_path: Path) -> None:
    (tmp_path / "a.p8").write_text(HEADER + "load('b.p8', 'crumb')\n")
    (tmp_path / "b.p8").write_text(HEADER + "printh(stat(6)..' '..tostr(stat(100)))\n"
                                   "if stat(6) == '' then run('again') end\n"
                                   "function _draw() end\n")
    aot, lua = _pair(tmp_path / "a.p8", tmp_path)
    for _ in range(4):
        assert aot.step() == lua.step()
    assert aot.printh_lines == lua.printh_lines == [" crumb", "again crumb"]


@pytest.mark.parametrize("name,cart,error", [
    ("bad", HEADER + "function (\n", "CartSyntaxError"),
    ("broken.p8.png", None, "CartError"),
])
def test_loading_a_bad_cart_fails_as_in_the_interpreter(tmp_path: Path, name: str,
                                                        cart: str | None, error: str) -> None:
    if cart is None:
        (tmp_path / name).write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    else:
        (tmp_path / f"{name}.p8").write_text(cart)
    (tmp_path / "main.p8").write_text(HEADER + f"printh('a') load('{name}')\n")
    aot, lua = _pair(tmp_path / "main.p8", tmp_path)
    raised = []
    for con in (aot, lua):
        with pytest.raises(Exception) as info:
            con.step()
        raised.append((type(info.value).__name__, str(info.value)))
        assert con.step() == "ended"
    assert raised[0][0] == error
    # the interpreter's message names an object address for a corrupt PNG
    assert raised[0][1].split(" (")[0] == raised[1][1].split(" (")[0]
    assert raised[0][0] == raised[1][0]


def test_load_from_a_cart_without_a_file_returns_false(tmp_path: Path) -> None:
    need_gxx()
    from console.desktop.aot_player import AotConsole
    from console.desktop.frameloop import Options

    lines: list[str] = []
    con = AotConsole.from_code("printh(tostr(load('anything'))) function _draw() end",
                               options=Options(seed=0, printh=lines.append))
    assert con.step() == "frame"
    assert lines == ["false"]


RELOAD = HEADER + """
printh('x')
if stat(6) == 'missing' then reload(0, 0, 4, 'nothere') end
if stat(6) == 'store' then cstore(0, 0, 4, 'first.p8') end
if stat(6) == 'far' then reload(0xfffe, 4, 4, 'first') end
if stat(6) == 'ok' then reload(0x6000, 4, 0x40, 'first') end
function _draw() end
"""


@pytest.mark.parametrize("param,message", [
    ("missing", "rl.p8 tab 0 line 3: reload: could not read cart nothere"),
    ("store", "rl.p8 tab 0 line 4: not supported yet: cstore() into another cart file"),
    ("far", "rl.p8 tab 0 line 5: bad memory access"),
    ("ok", None),
])
def test_reload_and_cstore_with_a_file_name(tmp_path: Path, param: str, message: str | None) -> None:
    _carts(tmp_path)
    (tmp_path / "rl.p8").write_text(RELOAD)
    aot, lua = _pair(tmp_path / "rl.p8", tmp_path, param)
    diff = compare(aot, lua, 3)
    assert diff.mismatch is None, diff.mismatch
    if message is None:
        assert diff.status == "frame"
        assert list(aot.ram[0x6000:0x6004]) == [0x21, 0x43, 0x65, 0x87]
    else:
        assert diff.status == "error"
        assert aot.error.message == lua.error.message == message


def test_device_says_not_supported(tmp_path: Path) -> None:
    """Without the platform's cart hooks (a device; here the plain host of
    the runtime tests, which has none either) load() and reload() of
    another cart are clear errors, never a silent false."""
    from aot.source import Source
    from support.aot_cpp import run_cpp

    need_gxx()
    out, _ = run_cpp(Source("printh('a') load('other.p8')", "dev.p8"), tmp_path)
    assert out.lines == ["a"]
    assert out.error == "runtime error: dev.p8 tab 0 line 1: not supported yet: load() of another cart on a device"
    out, _ = run_cpp(Source("reload(0, 0, 4, 'other.p8')", "dev.p8"), tmp_path)
    assert out.error == ("runtime error: dev.p8 tab 0 line 1: not supported yet: "
                         "reload() from another cart file on a device")


@pytest.mark.parametrize("mode", ["m33", "rp2040"])
def test_load_in_a_bench_image_says_not_supported(mode: str, tmp_path: Path) -> None:
    """The bare-metal bench image is a device build: no cart files."""
    cart = tmp_path / "dev.p8"
    cart.write_text(HEADER + "function _update() printh('u') load('other.p8') end function _draw() end\n")
    res = run_bench_image(mode, cart)
    assert res.status == "error"
    assert res.mailbox is not None
    # the printh, then the runner's report (the image's own error line after)
    assert res.mailbox.log.splitlines()[:2] == [
        "u", "runtime error: dev.p8 tab 0 line 1: not supported yet: load() of another cart on a device"]


ESCAPE = HEADER + """
printh('up '..tostr(load('../outside')))
printh('sub '..tostr(load('sub/inside', '', 'p')))
function _draw() end
"""


def test_a_cart_reaches_only_its_own_folder_and_below(tmp_path: Path) -> None:
    # like PICO-8's carts folder: no reading or loading of carts above the
    # running cart's folder (a cart is untrusted code)
    (tmp_path / "outside.p8").write_text(HEADER + "printh('escaped')\n")
    game = tmp_path / "game"
    (game / "sub").mkdir(parents=True)
    (game / "sub" / "inside.p8").write_text(HEADER + "printh('inside '..stat(6))\nfunction _draw() end\n")
    (game / "main.p8").write_text(ESCAPE)
    aot, lua = _pair(game / "main.p8", tmp_path)
    diff = compare(aot, lua, 3)
    assert diff.mismatch is None, diff.mismatch
    assert aot.printh_lines == lua.printh_lines == ["up false", "inside p"]


def test_breadcrumb_back_from_a_subfolder_and_a_relative_start(tmp_path: Path, monkeypatch) -> None:
    # the cart a breadcrumb goes back to is reached wherever it is: from
    # levels/ back up to main.p8, with the first cart started by a relative path
    (tmp_path / "levels").mkdir()
    (tmp_path / "main.p8").write_text(HEADER + "printh('main '..stat(6))\n"
                                      "if stat(6) == '' then load('levels/a', 'menu', 'one') end\n"
                                      "function _draw() end\n")
    (tmp_path / "levels" / "a.p8").write_text(HEADER + "printh('a '..stat(6)..' '..stat(100))\n"
                                              "function _update() extcmd('breadcrumb') end\n")
    monkeypatch.chdir(tmp_path)
    aot, lua = _pair(Path("main.p8"), tmp_path)
    diff = compare(aot, lua, 4)
    assert diff.mismatch is None, diff.mismatch
    assert diff.status == "frame"
    assert aot.printh_lines == lua.printh_lines == ["main ", "a one menu", "main ", "a one menu"]
