"""Attacks on `#include` (issue 15, findings 6 and 7): a cart must not read
host files through it, nor exhaust memory or hang the loader, in any
command that loads a cart (`rp8 run`, `rp8 run --aot`, `rp8 info`, `rp8 sfx`).

Each attack runs the real CLI in a subprocess and asserts containment: exit
code 2, one line naming the cart and the line, no traceback, no host file
content in the output, bounded peak memory."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from console.cart import CartError, load_cart
from console.cart.include import MAX_INCLUDE_BYTES, include_root

HEAD = "pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"
ROOT = Path(__file__).resolve().parent.parent
PEAK_RSS_KIB = 400 * 1024       # the player needs ~35 MiB; /dev/zero took GBs
COMMANDS = {
    "info": ["info"],
    "run": ["run", "--headless", "--frames", "2"],
    "aot": ["run", "--aot", "--headless", "--frames", "2"],
    "sfx": ["sfx", "-o", os.devnull],
}


def put(p: Path, text: str) -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(text.encode("utf-8"))
    return p


def rp8(args: list[str], cwd: Path) -> tuple[int, str, int]:
    """(exit code, stdout+stderr, peak RSS in KiB of the command and what it waited for)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([sys.executable, "-m", "console", *args], cwd=cwd, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120        # a hang guard, not a timing assertion
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                raise AssertionError(f"rp8 {' '.join(args)} did not finish in 120 s")
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        out = log.read().decode("utf-8", "replace")
    return proc.returncode, out, usage.ru_maxrss


def contained(cart: Path, command: str, reason: str) -> None:
    args = COMMANDS[command] + [str(cart)] + (["0"] if command == "sfx" else [])
    code, out, _ = rp8(args, cart.parent)
    lines = out.strip().splitlines()
    assert code == 2, out
    assert len(lines) == 1 and str(cart) in lines[0] and "line 4" in lines[0], out
    assert reason in lines[0], out
    assert "Traceback" not in out and "root:" not in out and "secret" not in out, out


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
    put(tmp_path / "home" / "outside.lua", "secret='root:x:0:0'\n")
    game = base / "game"
    game.mkdir(parents=True)
    put(game / "secret.txt", "secret\n")
    (game / "link_out.lua").symlink_to(tmp_path / "home" / "outside.lua")
    (game / "zero.lua").symlink_to("/dev/zero")
    os.mkfifo(game / "fifo.lua")
    (game / "dir.lua").mkdir()
    (game / "big.lua").write_bytes(b"-" * (MAX_INCLUDE_BYTES + 1))
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
@pytest.mark.parametrize("directive, reason", [ATTACKS[0], ATTACKS[3], ATTACKS[9], ATTACKS[10]])
def test_include_attack_is_contained_in_every_command(host: Path, command: str, directive: str,
                                                      reason: str) -> None:
    contained(attack_cart(host, directive), command, reason)


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
    code, out, peak = rp8(["info", "/dev/zero"], tmp_path)
    assert code == 2 and "too large" in out and "Traceback" not in out
    assert peak < PEAK_RSS_KIB, peak


HIDE = "=" * 300


@pytest.mark.parametrize("command", ["run", "aot"])
def test_a_directive_in_a_long_string_stays_text(tmp_path: Path, command: str) -> None:
    # issue 15 finding 6: a 300-'=' long bracket hid the directive from a
    # look-ahead window, so the file became a cart string
    put(tmp_path / "game" / "secret.lua", "root:x:0:0\n")
    cart = put(tmp_path / "game" / "hide.p8",
               HEAD + f"s=[{HIDE}[\n#include secret.lua\n]{HIDE}]\nprinth(s)\n"
               "function _draw() cls() end\n")
    assert load_cart(cart).code == load_cart(cart).source
    code, out, _ = rp8(COMMANDS[command] + [str(cart)], tmp_path)
    assert code == 0, out
    assert "#include secret.lua" in out and "root:x" not in out


def test_included_file_errors_name_the_included_file(tmp_path: Path) -> None:
    put(tmp_path / "game" / "lib.lua", "x=1\nfunction (\n")
    cart = put(tmp_path / "game" / "main.p8", HEAD + "#include lib.lua\nfunction _draw() end\n")
    code, out, _ = rp8(COMMANDS["run"] + [str(cart)], tmp_path)
    assert code == 2 and "lib.lua line 2" in out and "Traceback" not in out, out
