"""Attacks on `#include` (issue 15, findings 6 and 7): a cart must not read
host files through it, nor exhaust memory or hang the loader, in any
command that loads a cart (`rp8 run`, `rp8 run --aot`, `rp8 info`, `rp8 sfx`,
`rp8 music`, `rp8 aot`).

The loader is attacked directly (CartError, one line) and through the real
CLI (attack_kit: exit 2, one line naming cart and line, no traceback, no
host secret, bounded wall time and peak RSS)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from support.attack_kit import assert_contained, plant_secret, run_cli
from console.cart import CartError, load_cart
from console.cart.include import MAX_INCLUDE_BYTES, include_root

HEAD = "pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"
COMMANDS = {
    "info": ["info"],
    "run": ["run", "--headless", "--frames", "2"],
    "aot": ["run", "--aot", "--headless", "--frames", "2"],
    "sfx": ["sfx", "-o", os.devnull],
    "music": ["music", "-o", os.devnull],
    "compile": ["aot", "-o", "aot-out"],
}


def put(p: Path, text: str) -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(text.encode("utf-8"))
    return p


def cli(command: str, cart: Path, cwd: Path):
    return run_cli(COMMANDS[command] + [str(cart)] + (["0"] if command in ("sfx", "music") else []), cwd)


def attack_cart(folder: Path, directive: str) -> Path:
    return put(folder / "game" / "evil.p8", HEAD + directive + "\nfunction _draw() cls() end\n")


ATTACKS = [
    ("#include /etc/passwd", "absolute paths cannot be included"),
    ("#include ../../../../../../../../etc/passwd", "only .lua and .p8 files"),
    ("#include ../../../../../../../../etc/passwd.lua", "outside the folders"),
    ("#include /dev/zero", "absolute paths cannot be included"),
    ("#include \\etc\\passwd.lua", "absolute paths cannot be included"),
    ("#include C:\\secret.lua", "absolute paths cannot be included"),
    ("#include secret.txt", "only .lua and .p8 files"),
    ("#include ../../outside.lua", "outside the folders"),
    ("#include link_out.lua", "outside the folders"),
    ("#include zero.lua", "outside the folders"),
    ("#include fifo.lua", "not a regular file"),
    ("#include dir.lua", "is a directory"),
    ("#include big.lua", "too large"),
    ("#include \x1b[31mx.lua", "\\x1b[31mx.lua: file not found"),
]


@pytest.fixture
def host(tmp_path: Path) -> Path:
    """A folder tree with host files a cart must not reach: a secret one
    level above the include root, links out of it, a fifo, a large file."""
    base = tmp_path / "home" / "carts"
    base.mkdir(parents=True)
    secret = plant_secret(tmp_path / "home")
    put(tmp_path / "home" / "outside.lua", f"s='{secret}'\n")
    game = base / "game"
    game.mkdir()
    put(game / "secret.txt", secret + "\n")
    (game / "link_out.lua").symlink_to(tmp_path / "home" / "outside.lua")
    (game / "zero.lua").symlink_to("/dev/zero")
    os.mkfifo(game / "fifo.lua")
    (game / "dir.lua").mkdir()
    (game / "big.lua").write_bytes(b"-" * (MAX_INCLUDE_BYTES + 1))
    (base / "secret").write_text(secret)
    return base


@pytest.mark.parametrize("directive, reason", ATTACKS)
def test_include_attack_is_refused_by_the_loader(host: Path, directive: str, reason: str) -> None:
    cart = attack_cart(host, directive)
    with pytest.raises(CartError) as err:
        load_cart(cart)
    msg = str(err.value)
    assert msg.startswith(f"{cart}: line 4: #include ") and reason in msg and "\n" not in msg
    assert "\x1b" not in msg


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("directive, reason", [ATTACKS[0], ATTACKS[2], ATTACKS[3], ATTACKS[8],
                                               ATTACKS[9], ATTACKS[10], ATTACKS[12]])
def test_include_attack_is_contained_in_every_command(host: Path, command: str, directive: str,
                                                      reason: str) -> None:
    cart = attack_cart(host, directive)
    run = cli(command, cart, host)
    assert run.rc == 2, run.err
    assert_contained(run, cart=str(cart), expect=reason, secret=(host / "secret").read_text())
    assert "line 4: #include" in run.error_line()


def test_include_root_never_widens_to_home_or_the_file_system_root(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home" / "me"
    (home / "dl" / "deep").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    real = Path(os.path.realpath(home))
    assert include_root(home / "dl" / "deep" / "x.p8") == real / "dl"
    assert include_root(home / "dl" / "x.p8") == real / "dl"          # not the home folder
    assert include_root(home / "x.p8") == real                        # its own folder
    assert include_root(tmp_path / "home" / "x.p8") == Path(os.path.realpath(tmp_path / "home"))
    assert include_root(Path("/x.p8")) == Path("/")


def test_a_link_that_stays_inside_the_root_is_followed(tmp_path: Path) -> None:
    put(tmp_path / "carts" / "libs" / "v.lua", "v=1")
    game = tmp_path / "carts" / "game"
    game.mkdir()
    (game / "v.lua").symlink_to(tmp_path / "carts" / "libs" / "v.lua")
    assert load_cart(put(game / "main.p8", HEAD + "#include v.lua\n")).code == "v=1"


def test_the_code_with_its_includes_is_bounded(tmp_path: Path) -> None:
    put(tmp_path / "half.lua", "--" + "x" * (MAX_INCLUDE_BYTES - 10) + "\n")
    cart = put(tmp_path / "many.p8", HEAD + "#include half.lua\n" * 200)
    with pytest.raises(CartError, match=r"many.p8: line 8: #include half.lua: the code with its "
                                        r"includes is over 4 MiB characters"):
        load_cart(cart)


def test_a_cart_file_is_read_within_a_bound(tmp_path: Path) -> None:
    with pytest.raises(CartError, match=r"zero: too large \(over 4 MiB\)"):
        load_cart(Path("/dev/zero"))
    run = run_cli(["info", "/dev/zero"], tmp_path)
    assert run.rc == 2
    # (the kit's RSS bound: a forked child counts its parent's pages until exec)
    assert_contained(run, cart="/dev/zero", line=False, expect="too large")


HIDE = "=" * 300


@pytest.mark.parametrize("command", ["run", "aot"])
def test_a_directive_in_a_long_string_stays_text(tmp_path: Path, command: str) -> None:
    # issue 15 finding 6: a 300-'=' long bracket hid the directive from a
    # look-ahead window, so the file became a cart string
    secret = plant_secret(tmp_path)
    put(tmp_path / "game" / "secret.lua", secret + "\n")
    cart = put(tmp_path / "game" / "hide.p8",
               HEAD + f"s=[{HIDE}[\n#include secret.lua\n]{HIDE}]\nprinth(s)\n"
               "function _draw() cls() end\n")
    assert load_cart(cart).code == load_cart(cart).source
    run = cli(command, cart, tmp_path)
    assert run.rc == 0
    assert_contained(run, cart="hide.p8", expect="#include secret.lua", secret=secret)


def test_included_file_errors_name_the_included_file(tmp_path: Path) -> None:
    put(tmp_path / "game" / "lib.lua", "x=1\nfunction (\n")
    cart = put(tmp_path / "game" / "main.p8", HEAD + "#include lib.lua\nfunction _draw() end\n")
    run = cli("run", cart, tmp_path)
    # the front end's syntax error (its format is the front end's): rc 2,
    # the included file and its line named, no traceback
    assert run.rc == 2 and "lib.lua line 2" in run.err and "Traceback" not in run.text(), run.err
