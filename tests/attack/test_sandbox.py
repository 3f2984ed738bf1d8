"""Escape attempts a hostile cart would try (issue 5, "Sandbox and limits").

Every test runs real cart code in the player's LuaJIT state and checks that
the cart reaches only the PICO-8 API: no io/os/ffi/debug/jit/require, no
string library through the string metatable, no host values through the
chunk's varargs, no Python objects; memory is capped and endless loops are
stopped, each as a clean cart error rather than a host crash."""
from __future__ import annotations

import pytest

pytest.importorskip("console._engine")
pytest.importorskip("lupa")

from console.desktop.frameloop import Console, Options  # noqa: E402


def run(code: str, frames: int = 1, **opts: object) -> tuple[Console, list[str]]:
    lines: list[str] = []
    options = Options(seed=0, printh=lines.append, **opts)  # type: ignore[arg-type]
    con = Console.from_code(code, options=options)
    for _ in range(frames):
        if con.step() not in ("frame", "skip"):
            break
    return con, lines


FORBIDDEN = ["io", "os", "ffi", "debug", "jit", "require", "package", "loadstring", "dofile",
             "loadfile", "getfenv", "setfenv", "collectgarbage", "python", "_G", "string",
             "math", "table", "coroutine", "module", "newproxy", "pcall", "xpcall", "gcinfo",
             "load_lua", "bit"]


@pytest.mark.parametrize("name", FORBIDDEN)
def test_host_global_is_absent(name: str) -> None:
    con, lines = run(f'printh(tostr({name} == nil))\nprinth(tostr(rawget(_ENV, "{name}") == nil))')
    assert con.error is None
    assert lines == ["true", "true"]


def test_no_string_methods() -> None:
    """The shared string metatable would hand out string.dump and string.rep."""
    con, lines = run('printh(tostr(getmetatable("")))\nlocal s = "x"\nprinth(s:rep(3))')
    assert lines == ["[nil]"]
    assert con.error is not None and "attempt to index" in con.error.message


def test_string_dump_via_index_fails() -> None:
    con, _ = run('local f = ("").dump')
    assert con.error is not None


def test_top_level_varargs_are_empty() -> None:
    """The host calls the chunk with its runtime table, _ENV and CPU counter;
    the cart's own `...` must not see them."""
    con, lines = run('printh(select("#", ...))\nlocal a, b, c = ...\nprinth(tostr(c))')
    assert con.error is None
    assert lines == ["0", "[nil]"]


def test_pico8_load_does_not_compile_code() -> None:
    """load() is PICO-8's cart loader, not Lua's; a code string is not a cart."""
    con, lines = run('printh(tostr(load("return os")))')
    assert con.error is None
    assert lines == ["false"]


def test_yield_from_top_level_is_refused() -> None:
    con, _ = run("yield(1)")
    assert con.error is not None
    assert "outside a coroutine" in con.error.message


def test_errors_carry_no_host_objects() -> None:
    con, lines = run(
        'local ok, e = coresume(cocreate(function() local x = nil + 1 end))\n'
        'printh(tostr(ok)) printh(type(e))')
    assert con.error is None
    assert lines == ["false", "string"]


def test_api_functions_are_plain_functions() -> None:
    """Nothing in _ENV is userdata or cdata (an FFI pointer or a Python object)."""
    con, lines = run('for k, v in pairs(_ENV) do local t = type(v)\n'
                     'if t ~= "function" and t ~= "number" then printh(k .. " " .. t) end end')
    assert con.error is None
    assert lines == []


def test_redefining_the_api_does_not_break_the_host() -> None:
    con, lines = run("flip = nil\nyield = nil\nfunction _update() end\n"
                     "function _draw() cls(3) end", frames=3)
    assert con.error is None and con.frame == 3


def test_memory_bomb_is_out_of_memory() -> None:
    con, _ = run('local s = "0123456789abcdef" while true do s = s .. s end', frames=100)
    assert con.error is not None
    assert "out of memory" in con.error.message


def test_table_growth_is_out_of_memory() -> None:
    # a chain of tables: `t[#t + 1] = {...}` stops growing at 32767 entries,
    # where PICO-8's numbers wrap, before the interpreter's cap (in LuaJIT's
    # bytes) is reached
    con, _ = run("local h while true do h = {h, 1, 2, 3} end", frames=1000)
    assert con.error is not None
    assert "out of memory" in con.error.message


def test_memory_under_the_limit_is_fine() -> None:
    con, lines = run("local t = {} for i = 1, 20000 do t[i] = i end printh(#t)")
    assert con.error is None and lines == ["20000"]


def test_endless_loop_is_stopped() -> None:
    con, _ = run("function _draw() while true do local a = 1 end end", max_frame_units=5_000_000)
    assert con.error is not None
    assert "without finishing a frame" in con.error.message


def test_endless_top_level_loop_shows_frames() -> None:
    """Outside _draw a loop that never flips still gets its screen shown
    once per frame's CPU budget (PICO-8 manual, flip())."""
    con, _ = run("c = 0 while true do c += 1 pset(c % 128, 0, 7) end", frames=3)
    assert con.error is None and con.frame == 3


# Loops that do no work of their own: every loop back-edge and every
# backward goto must still count, or nothing could ever stop them. The tail
# call recurses in constant stack in PICO-8 (PUC Lua 5.2) as in LuaJIT: an
# endless loop, not a stack overflow.
RUNAWAY = [
    "while true do end",
    "repeat until false",
    "for i = 1, 32767 do for j = 1, 32767 do end end",
    "::a:: goto a",
    "::a:: ::b:: goto a",
    "while true do ::continue:: end",
    "local function f() return f() end f()",
]


@pytest.mark.parametrize("body", RUNAWAY)
def test_runaway_in_draw_is_stopped_at_its_line(body: str) -> None:
    con, _ = run(f"function _draw()\n{body}\nend", max_frame_units=5_000_000)
    assert con.error is not None
    assert "without finishing a frame" in con.error.message
    assert any(p.startswith("test.p8 tab 0 line 2: in function ") for p in con.error.places), \
        con.error.places


@pytest.mark.parametrize("body", RUNAWAY)
def test_runaway_at_top_level_ends_frames_and_can_be_closed(body: str) -> None:
    """At top level the frame is shown each time its CPU budget is spent
    (PICO-8 manual, flip()), so the host gets control every frame; the
    window's close (on_slice) then stops the cart."""
    con, _ = run(body, frames=3)
    assert con.error is None and con.frame == 3
    con, _ = run(body, frames=20, on_slice=lambda: "closed by the user")
    assert con.error is not None and "closed by the user" in con.error.message


def test_endless_loop_in_a_coroutine_is_stopped() -> None:
    """coresume catches errors; the abort must still reach the host."""
    code = ("function _draw() co = cocreate(function() while true do local a = 1 end end)\n"
            "while true do coresume(co) end end")
    con, _ = run(code, max_frame_units=5_000_000)
    assert con.error is not None
    assert "without finishing a frame" in con.error.message


def test_endless_loop_in_draw_is_stopped() -> None:
    con, _ = run("function _draw() local i = 0 while true do i += 1 end end",
                 max_frame_units=5_000_000)
    assert con.error is not None


def test_runaway_recursion_is_an_error() -> None:
    con, _ = run("function f(n) return f(n + 1) + 1 end f(0)")
    assert con.error is not None
    assert "stack overflow" in con.error.message


@pytest.mark.parametrize("where", ["top", "update"])
def test_recursion_without_work_is_a_stack_overflow_at_its_line(where: str) -> None:
    """`function f() f() end`: no loop, no tail call; the error names the
    cart line (also when LuaJIT raises it without running an error
    handler) and the console keeps its last frame for the error screen."""
    call = "f()" if where == "top" else "function _update() f() end"
    con, _ = run(f"x = 1\nfunction f()\n  f()\nend\n{call}\n", frames=2)
    assert con.error is not None
    assert con.error.message == "test.p8 tab 0 line 3: stack overflow"
    assert con.error.places[0] == "test.p8 tab 0 line 3: in function 'f'"
    assert con.status == "error" and con.step() == "error"


@pytest.mark.parametrize("locals_", range(4))
def test_a_stack_overflow_inside_a_host_call_is_the_carts(locals_: int) -> None:
    """Recursion that meets LuaJIT's stack limit in a call to the host
    (printh) is the cart's "stack overflow" at its line, in the main cart and
    as a coroutine's error, as any other call's: not an internal error, not a
    message without its place. (Frame sizes vary where the limit is met.)"""
    pad = "".join(f"local a{i} = n " for i in range(locals_))
    rec = f"function h(n) {pad}printh(n) return 1 + h(n + 1) end\n"
    con, _ = run(rec + "h(1)\n")
    assert con.error is not None
    assert con.error.message == "test.p8 tab 0 line 1: stack overflow"
    con, lines = run(rec + "local ok, e = coresume(cocreate(function() h(1) end)) printh(e)\n")
    assert con.error is None
    assert lines[-1] == "test.p8 tab 0 line 1: stack overflow"
    assert int(lines[-2]) > 5000


def test_host_abort_stops_a_looping_cart() -> None:
    """The window's Esc: on_slice returns a reason while a frame runs."""
    calls: list[int] = []

    def on_slice() -> str | None:
        calls.append(1)
        return "closed by the user" if len(calls) >= 2 else None

    con, _ = run("function _draw() while true do local a = 1 end end", on_slice=on_slice)
    assert con.error is not None and "closed by the user" in con.error.message
