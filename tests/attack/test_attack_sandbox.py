"""Attack suite, issue 15 findings 2-5, 10 and 11 and variants: what a
hostile cart reaches through the host's callbacks, its error objects and
the host's buffers and files. Every cart runs as `rp8 run --headless` in a
child process (tests/support/attack_kit.py), in both consoles where the construct
applies, and must stay contained."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("console._engine")
pytest.importorskip("lupa")

from support.attack_kit import assert_contained, plant_secret, run_cart, run_cli, write_cart  # noqa: E402

BOTH = pytest.mark.parametrize("aot", [False, True], ids=["interp", "aot"])

# a long file name, a name with a newline: printh refuses both with a string error
LONG = "a" * 300


# ---------------------------------------------------------------- finding 2

@BOTH
def test_host_errors_reach_the_cart_as_strings(tmp_path: Path, aot: bool) -> None:
    """Every host service that can fail hands a coroutine a plain string;
    getmetatable of it (and of anything not a table) is nil; so the
    watchdog cannot be disarmed and the endless loop is stopped."""
    code = f"""
function try(f) local ok, e = coresume(cocreate(f)) printh(type(e).." "..tostr(getmetatable(e))) end
try(function() printh("x", "{LONG}") end)
try(function() printh("x", "a\\nb") end)
try(function() printh(setmetatable({{}}, {{__tostring=function() return {{}} end}})) end)
try(function() extcmd(setmetatable({{}}, {{__tostring=function() return function() end end}})) end)
try(function() stop(setmetatable({{}}, {{__tostring=function() return cocreate(print) end}})) end)
try(function() menuitem(1, setmetatable({{}}, {{__tostring=function() return true end}})) end)
try(function() local t = nil t.x = 1 end)
for v in all({{printh, cocreate(printh), "", 1, true}}) do printh(tostr(getmetatable(v))) end
function _draw() while true do end end
"""
    run = run_cart(tmp_path, code, aot=aot, timeout=1.0)
    assert_contained(run, rcs=(1,), expect="endless loop", line=not aot)
    lines = run.out.splitlines()
    assert lines[:7] == ["string [nil]"] * 7, run.out
    assert lines[7:12] == ["[nil]"] * 5, run.out


def test_python_exception_in_a_callback_aborts_cleanly() -> None:
    """A host callback that raises (a bug of the host) ends the cart with a
    message; the exception never reaches Lua as an object."""
    from console.desktop.frameloop import Console, Options

    con = Console.from_code("local ok, e = coresume(cocreate(function() printh('x') end))\n"
                            "printh(type(e))\n", options=Options(seed=0))

    def boom(_line: str) -> None:
        raise RuntimeError("host bug")
    con.options.printh = boom
    assert con.step() == "error"
    assert "internal error in host printh: RuntimeError: host bug" in con.error.message


def test_a_callback_returning_a_python_object_aborts_cleanly() -> None:
    from console.machine import Machine
    from console.desktop.lua_env import Callbacks, LuaConsole, compile_source
    from aot.source import Source

    class Odd(Callbacks):
        def cartdata(self, ident: bytes) -> object:   # type: ignore[override]
            return [1, 2]

    lua = LuaConsole(Machine(), Odd())
    lua.load(compile_source(Source("printh(tostr(cartdata('x')))", "odd.p8")))
    kind, value = lua.step([0] * 8)
    assert kind == "abort"
    assert value[b"message"] == b"internal error in host cartdata: returned a list"


# ---------------------------------------------------------------- finding 3

@BOTH
@pytest.mark.parametrize("how", ['stop("x")', 'run()', 'extcmd("shutdown")', 'extcmd("reset")'])
def test_an_abort_cannot_be_caught_or_forged(tmp_path: Path, aot: bool, how: str) -> None:
    """stop/run/shutdown/reset inside a coroutine end (or restart) the cart:
    coresume never hands the cart the abort to modify (reset reboots the
    cart every frame here, which is contained too)."""
    code = f"""
n = (n or 0)
if stat(6) == "again" then stop("restarted") end
local ok, e = coresume(cocreate(function() {how} end))
printh("CAUGHT "..type(e))
if type(e) == "table" then e.kind = 5 e.message = {{}} end
error(e)
"""
    if how == "run()":
        code = code.replace("run()", 'run("again")')
    if how == 'extcmd("reset")':
        code = code.replace('if stat(6) == "again" then stop("restarted") end',
                            'if booted then stop("restarted") end booted = true')
    run = run_cart(tmp_path, code, aot=aot)
    assert_contained(run, rcs=(0, 1))
    assert "CAUGHT" not in run.out, run.out


@BOTH
def test_a_timeout_inside_a_coroutine_cannot_be_swallowed(tmp_path: Path, aot: bool) -> None:
    code = """
function _draw()
  while true do
    local ok, e = coresume(cocreate(function() while true do end end))
    if type(e) == "table" then e.kind = "stop" end
  end
end
"""
    run = run_cart(tmp_path, code, aot=aot, timeout=1.0)
    assert_contained(run, rcs=(1,), expect="endless loop", line=False)


# ---------------------------------------------------------------- finding 4

@BOTH
@pytest.mark.parametrize("body,shown", [
    ('stop("hah") return "x"', None),                 # stops the cart (rc 0)
    ("while true do end", "(error object is a table value)"),
    ("local x = nil + 1", "(error object is a table value)"),
    ("return {}", "(error object is a table value)"),
    ("flip() return 'late'", None),
    ('return "custom"', "custom"),
])
def test_error_objects_are_stringified_safely(tmp_path: Path, aot: bool, body: str,
                                              shown: str | None) -> None:
    if aot and body == "while true do end":
        pytest.skip("compiled: a looping __tostring runs on frame after frame (Esc stops it)")
    code = f"function _draw() cls() error(setmetatable({{}}, {{__tostring=function() {body} end}})) end"
    run = run_cart(tmp_path, code, aot=aot, timeout=2.0)
    assert_contained(run, rcs=(0, 1), line=False, wall=30)
    if shown is not None:
        assert run.rc == 1 and shown in run.error_line(), run.err


@BOTH
def test_odd_error_values(tmp_path: Path, aot: bool) -> None:
    for value, shown in (("nil", "nil"), ("true", "true"), ("print", "(error object is a function value)"),
                         ("cocreate(print)", "(error object is a thread value)"),
                         ('("x"):rep(100000)' if False else "12.5", "12.5")):
        sub = tmp_path / value.replace("(", "").replace(")", "")
        run = run_cart(sub, f"function _update() error({value}) end", aot=aot)
        assert_contained(run, rcs=(1,), line=False)
        assert shown in run.error_line(), (value, run.err)


def test_menu_callback_error_object_is_stringified_safely() -> None:
    from console.desktop.frameloop import Console, Options

    con = Console.from_code(
        'menuitem(1, "boom", function() error(setmetatable({}, {__tostring=function() '
        'while true do end end})) end)\nfunction _update() end', options=Options(seed=0))
    assert con.step() == "frame"
    assert con.menu_call(1, 112) is False
    assert con.step() == "frame"


# ---------------------------------------------------------------- finding 5

@BOTH
def test_extcmd_flood_keeps_host_memory_bounded(tmp_path: Path, aot: bool) -> None:
    """Was 9.1 GB after 40 s: every call was kept in a Python list."""
    code = 's = "x" for i = 1, 13 do s = s..s end\nfunction _update() for i = 1, 4000 do extcmd(s) end end'
    run = run_cart(tmp_path, code, aot=aot, frames=40, timeout=20)
    assert_contained(run, rss_mib=400)


def test_printh_record_is_bounded() -> None:
    from console.desktop.frameloop import Console, Options
    from console.desktop.host_limits import KEPT_CHARS, KEPT_LINES

    con = Console.from_code('s = "x" for i = 1, 10 do s = s..s end\n'
                            'function _update() for i = 1, 3000 do printh(s) end printh("end") end',
                            options=Options(seed=0, printh=lambda s: None))
    for _ in range(10):
        con.step()
    assert len(con.printh_lines) <= KEPT_LINES
    assert sum(map(len, con.printh_lines)) <= KEPT_CHARS
    assert con.printh_lines[-1] == "end" and con.printh_lines.dropped > 25000


@BOTH
def test_printh_files_are_capped(tmp_path: Path, aot: bool) -> None:
    code = """
s = "x" for i = 1, 16 do s = s..s end
local ok, e = coresume(cocreate(function() for i = 1, 1000 do printh(s, "big.txt") end end))
printh(e)
for i = 1, 40 do
  local ok, e = coresume(cocreate(function() printh("x", "f"..i) end))
  if e then printh(e) break end
end
"""
    run = run_cart(tmp_path, code, aot=aot, frames=1)
    assert_contained(run)
    assert "big.txt would grow past 16 MiB" in run.out
    assert "at most 32 files" in run.out
    files = list((tmp_path / "out" / "printh").iterdir())
    assert len(files) == 32 and max(f.stat().st_size for f in files) <= 16 << 20


# ---------------------------------------------------------------- finding 10

def test_cartdata_two_instances_at_once(tmp_path: Path) -> None:
    """Two players of one cart (the interpreter and the compiled build, or
    two interpreters without g++) write one save every frame: neither
    dies, no temporary file is left, and the save is one whole write."""
    import shutil
    import subprocess
    import sys

    code = 'cartdata("rp8_attack_twins")\nfunction _update() for i = 0, 63 do dset(i, rnd(1000)) end end'
    cart = write_cart(tmp_path / "carts", code, "twins.p8")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]),
               RP8_DATA=str(tmp_path / "data"))
    second = ["--aot"] if shutil.which("g++") else []
    if second:      # build first, so both write at once
        subprocess.run([sys.executable, "-m", "console", "run", "--aot", "--headless", "--frames", "0",
                        str(cart)], env=env, capture_output=True, timeout=300)
    procs = [subprocess.Popen([sys.executable, "-m", "console", "run", *flags, "--headless", "--frames",
                               "150", "--seed", str(seed), str(cart)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for seed, flags in ((1, []), (2, second))]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0 and "Traceback" not in err, err
    folder = tmp_path / "data" / "cdata"
    assert [f.name for f in folder.iterdir()] == ["rp8_attack_twins.p8d.txt"]
    lines = (folder / "rp8_attack_twins.p8d.txt").read_text().splitlines()
    assert len(lines) == 8 and all(len(ln) == 64 for ln in lines)


def test_cartdata_write_is_atomic_under_threads(tmp_path: Path) -> None:
    import threading

    from console.desktop.cartdata import write_atomic

    target = tmp_path / "d" / "x.p8d.txt"
    errors: list[BaseException] = []

    def writer(ch: str) -> None:
        try:
            for _ in range(100):
                write_atomic(target, (ch * 64 + "\n").encode() * 8)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
    threads = [threading.Thread(target=writer, args=(c,)) for c in "ab"]
    for t in threads:
        t.start()
    seen = set()
    while any(t.is_alive() for t in threads):
        if target.exists():
            data = target.read_text()
            assert len(data) == 65 * 8 and len(set(data) - {"\n"}) == 1
            seen.add(data[0])
    for t in threads:
        t.join()
    assert not errors and [p.name for p in target.parent.iterdir()] == ["x.p8d.txt"]


# ---------------------------------------------------------------- finding 11

@BOTH
def test_printh_cannot_touch_the_runs_outputs(tmp_path: Path, aot: bool) -> None:
    """printh files go to --out/printh; hashes.txt and the frames are the
    run's own."""
    code = """
printh("forged", "hashes.txt", true)
printh("forged", "frame_00000.png", true)
function _draw() cls(7) end
"""
    run = run_cart(tmp_path, code, aot=aot, frames=2)
    assert_contained(run)
    out = tmp_path / "out"
    assert (out / "hashes.txt").read_text().splitlines()[0].startswith("0 ")
    assert (out / "frame_00001.png").read_bytes()[:4] == b"\x89PNG"
    assert (out / "printh" / "hashes.txt").read_text() == "forged\n"


@BOTH
def test_printh_names_are_plain(tmp_path: Path, aot: bool) -> None:
    secret = plant_secret(tmp_path)
    names = ["../secret.txt", "/etc/passwd", "a\\nb", "a\\rb", "\\0x", ".hidden", "..", "a/b", "a\\\\b",
             "c:x", "tab\\tname", LONG, "", "x\\27[2J", "\\x80\\xff"]
    tries = "\n".join(f'local ok, e = coresume(cocreate(function() printh("w", "{n}") end)) '
                      f'printh(e and "refused" or "written")' for n in names)
    run = run_cart(tmp_path, tries + '\nprinth(tostr(#sub("' + "x" * 10 + '", 1)))', aot=aot, frames=1)
    assert_contained(run, secret=secret)
    assert run.out.splitlines()[:len(names)] == ["refused"] * len(names), run.out
    assert (tmp_path / "secret.txt").read_text().startswith(secret)
    assert not (tmp_path / "out" / "printh").exists()


def test_printh_refuses_a_planted_symlink(tmp_path: Path) -> None:
    """A link in the printh folder (left by anything) is not followed."""
    secret = plant_secret(tmp_path)
    (tmp_path / "out" / "printh").mkdir(parents=True)
    (tmp_path / "out" / "printh" / "log.txt").symlink_to(tmp_path / "secret.txt")
    run = run_cart(tmp_path, 'local ok, e = coresume(cocreate(function() printh("w", "log.txt", true) end))'
                   '\nprinth(tostr(e))', frames=1)
    assert_contained(run, secret=secret)
    assert "cannot write log.txt" in run.out
    assert (tmp_path / "secret.txt").read_text().startswith(secret)


def test_run_cli_reports_a_missing_cart(tmp_path: Path) -> None:
    """The kit itself: an rp8 error is one line, exit 2."""
    run = run_cli(["run", "--headless", str(tmp_path / "none.p8")], tmp_path)
    assert_contained(run, cart="none.p8", rcs=(2,), line=False)


def test_window_captures_a_cart_asks_for_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """extcmd("screen") in a loop wrote a file per call; now one per frame
    and kind, 64 in all; a title is printable and short."""
    pytest.importorskip("pygame")
    from console.desktop.host_limits import CART_CAPTURES

    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.setenv("RP8_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("RP8_CONFIG", str(tmp_path / "config"))
    cart = write_cart(tmp_path / "carts", 'function _update() for i = 1, 500 do extcmd("screen") '
                      'extcmd("label") end extcmd("set_title", "a\\nb\\7"..chr(27).."c") end', "caps.p8")
    from console.player import Player

    p = Player(cart, seed=0, scale=1, capture_dir=tmp_path / "caps", mute=True)
    try:
        for _ in range(3):
            p.tick()
        files = [f for f in (tmp_path / "caps").rglob("*") if f.is_file()]
        assert 1 <= len(files) <= 2 * 3
        for _ in range(60):
            p.tick()
        files = [f for f in (tmp_path / "caps").rglob("*") if f.is_file()]
        assert len(files) <= CART_CAPTURES
        assert p.pg.display.get_caption()[0] == "abc"
    finally:
        p.close()


# ---------------------------------------------------------------- variants

@BOTH
def test_cart_visible_errors_name_no_host_path(tmp_path: Path, aot: bool) -> None:
    """What a cart reads in an error names the cart, never a host file or
    folder (the player's own summary line is not the cart's)."""
    code = """
function try(f) local ok, e = coresume(cocreate(f)) printh("E "..tostr(e)) end
try(function() reload(0, 0, 16, "missing.p8") end)
try(function() reload(0, 0, 16, "/etc/passwd") end)
try(function() printh("x", "../x") end)
try(function() cstore(0, 0, 16, "other.p8") end)
try(function() local t = nil t.x = 1 end)
try(function() print(setmetatable({}, {__tostring=function() return {} end})) end)
printh(tostr(load("../../secret")))
printh(tostr(cartdata("../../etc")))
"""
    run = run_cart(tmp_path, code, aot=aot, frames=1)
    assert_contained(run)
    cart_lines = [ln for ln in run.out.splitlines() if not ln.startswith("attack.p8: ")]
    assert len(cart_lines) == 8, run.out
    for ln in cart_lines:
        assert str(tmp_path) not in ln and "rp8-data" not in ln, ln
    assert cart_lines[-2:] == ["false", "false"]


@BOTH
def test_load_and_reload_stay_in_the_carts_folder(tmp_path: Path, aot: bool) -> None:
    """A cart outside the running cart's folder, reached by .., an absolute
    path or a link planted inside the folder, is neither loaded nor read."""
    secret = plant_secret(tmp_path)
    outside = write_cart(tmp_path, f'printh("{secret}")', "outside.p8")
    carts = tmp_path / "carts"
    carts.mkdir()
    (carts / "link.p8").symlink_to(outside)
    code = """
for name in all({"../outside.p8", "../outside", "%s", "link.p8", "link"}) do
  printh(tostr(load(name)))
  local ok, e = coresume(cocreate(function() reload(0x6000, 0, 0x2000, name) end))
  printh(tostr(ok))
end
""" % outside
    run = run_cart(tmp_path, code, aot=aot, frames=2)
    assert_contained(run, secret=secret)
    assert run.out.splitlines()[:10] == ["false", "false"] * 5, run.out


def test_stop_from_a_menu_callback_stops(tmp_path: Path) -> None:
    """The pause menu's callback runs host-side (pcall): an abort inside it
    is kept for the next frame, not swallowed, not handed to the cart."""
    from console.desktop.frameloop import Console, Options

    con = Console.from_code(
        'menuitem(1, "quit", function() local ok, e = coresume(cocreate(function() stop("menu") end)) '
        'printh("CAUGHT") end)\nfunction _update() end', options=Options(seed=0, printh=print))
    assert con.step() == "frame"
    assert con.menu_call(1, 112) is False
    assert con.step() == "stopped" and con.stop_message == "menu"
    assert "CAUGHT" not in con.printh_lines


@BOTH
def test_error_objects_of_every_size(tmp_path: Path, aot: bool) -> None:
    """A 1 MiB error message, a __tostring that recurses, one that runs
    out of memory: each ends the cart with one bounded line."""
    for name, body in (("big", 'local s = "x" for i = 1, 20 do s = s..s end error(s)'),
                       ("recurse", "local t t = setmetatable({}, {__tostring=function(e) return tostr(e) end}) error(t)"),
                       ("oom", 'error(setmetatable({}, {__tostring=function() local s = "x" while true do s = s..s end end}))')):
        run = run_cart(tmp_path / name, f"function _update() {body} end", aot=aot)
        assert_contained(run, rcs=(1,), line=False)
        assert len(run.error_line()) < 5000, (name, len(run.error_line()))


@BOTH
def test_tostring_that_is_not_a_function(tmp_path: Path, aot: bool) -> None:
    """__tostring a callable table, a number, a string: the plain form."""
    for name, mt in (("calltable", "{__tostring=setmetatable({}, {__call=function() return 'c' end})}"),
                     ("number", "{__tostring=5}"), ("string", "{__tostring='s'}")):
        run = run_cart(tmp_path / name, f"function _update() error(setmetatable({{}}, {mt})) end", aot=aot)
        assert_contained(run, rcs=(1,), line=False)


def test_a_fault_of_the_host_lua_ends_the_cart_cleanly() -> None:
    """The last net: an error in the host's own Lua (not the cart's) while
    a frame runs becomes a cart abort with a message."""
    from console.desktop.frameloop import Console, Options

    con = Console.from_code("function _update() end", options=Options(seed=0))
    # (the console keeps host.step from when it was made: replace that)
    con.lua._host_step = con.lua.lua.eval("function() error({}) end")
    assert con.step() == "error"
    assert "internal error" in con.error.message


@BOTH
def test_a_broken_data_folder_is_no_traceback(tmp_path: Path, aot: bool) -> None:
    """A folder where the save file should be: the cart plays on unsaved,
    the user is told once."""
    code = 'cartdata("rp8_attack_dir")\nfunction _update() dset(0, rnd(100)) end'
    (tmp_path / "rp8-data" / "cdata" / "rp8_attack_dir.p8d.txt").mkdir(parents=True)
    run = run_cart(tmp_path, code, aot=aot, frames=5)
    assert_contained(run, rcs=(0,))
    assert run.err.count("rp8: cartdata: cannot save rp8_attack_dir.p8d.txt") == 1, run.err


def test_a_compiled_carts_host_callback_fault_stops_it_cleanly(tmp_path: Path) -> None:
    from support.attack_kit import need_gxx

    need_gxx()
    from console.desktop.aot_player import AotConsole
    from console.desktop.frameloop import Options

    path = write_cart(tmp_path, 'function _update() reload(0, 0, 16, "other.p8") end', "fault.p8")
    con = AotConsole.from_path(path, Options(seed=0, printh=lambda s: None))

    def broken(name: str) -> None:
        raise ZeroDivisionError("host bug")
    con.resolve_cart = broken  # type: ignore[method-assign]
    assert con.step() == "error"
    assert "internal error in host: ZeroDivisionError: host bug" in con.error.message


def test_cartdata_written_at_most_once_a_second_and_at_the_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cart that dsets every frame is saved once per SAVE_INTERVAL, not
    every frame (each durable write costs ~20 ms); the end writes the rest."""
    from console.desktop import cartdata
    from console.desktop.frameloop import Console, Options

    writes: list[bytes] = []
    real = cartdata.write_atomic
    monkeypatch.setattr(cartdata, "write_atomic", lambda path, data: (writes.append(data), real(path, data)))
    con = Console.from_code('cartdata("rp8_attack_rate") n = 0\n'
                            'function _update() n += 1 dset(0, n) if n == 20 then stop() end end',
                            options=Options(seed=0, data_dir=tmp_path))
    while con.step() in ("frame", "skip"):
        pass
    assert 1 <= len(writes) <= 3, len(writes)      # the first change, maybe one timed, the end
    saved = (tmp_path / "cdata" / "rp8_attack_rate.p8d.txt").read_text().split()
    assert saved[0][:8] == "00140000"                 # dset(0, 20): the last value is on disk


@BOTH
def test_a_loop_of_host_calls_is_stopped(tmp_path: Path, aot: bool) -> None:
    """Time in printh-to-file adds no CPU units: a loop of them ran 2^20
    units' worth of file writes (minutes) between two runaway checks."""
    code = 'function _update() for i = 1, 300 do for j = 1, 3000 do printh(i, "x", true) end end end'
    run = run_cart(tmp_path, code, aot=aot, timeout=1.0, wall=60)
    assert_contained(run, rcs=(1,), expect="without finishing a frame", line=False, wall=60)


@BOTH
def test_an_error_message_with_line_breaks_is_one_line(tmp_path: Path, aot: bool) -> None:
    """error("a\\nb") and control codes: the player's message stays one line
    (found by attack_sandbox_mix; the interpreter keeps the first line of
    the message, the compiled cart shows the break as \\n)."""
    run = run_cart(tmp_path, 'function _update() error("a\\nb\\rc\\27[2J") end', aot=aot)
    assert_contained(run, rcs=(1,))
    # (a first compiled run also says what it builds, each on a line of its own ending "...")
    err = "".join(ln for ln in run.err.splitlines(keepends=True) if not ln.rstrip().endswith("..."))
    assert err.count("\n") == 1 and "line 1: a" in err, run.err
    assert all(ch >= " " for ch in err.rstrip("\n")), run.err
