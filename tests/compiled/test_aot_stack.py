"""Deep recursion in compiled carts ends with PICO-8's "stack overflow"
error at the cart's tab and line, in the main cart and inside coroutines,
whether the value stack or the C stack runs out first: every compiled
function checks the stack pointer against its context's floor on entry
(rt_ctx.h), so a cart can never run off the end of a C stack."""
from __future__ import annotations

from pathlib import Path

import pytest

from support.aot_frames import need_gxx

pytest.importorskip("console._engine")

# h() recurses 100000 calls deep (c and k count, as PICO-8 numbers stop at
# 32767), far past any stack here; g() recurses through __index, which
# costs more C stack per level than a plain call
DEEP = """
c, k = 0, 0
function h() c += 1 if c == 10000 then c = 0 k += 1 end if k == 10 then return 0 end return 1 + h() end
mt = {} mt.__index = function(t, key) c += 1 return t[key] + 1 end
function g() return setmetatable({}, mt).x end
"""


@pytest.fixture(params=["asm", "portable"])
def switch(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The player's library with the assembly or the portable context switch."""
    from console.aot_build import PORTABLE_ENV

    if request.param == "portable":
        monkeypatch.setenv(PORTABLE_ENV, "1")
    else:
        monkeypatch.delenv(PORTABLE_ENV, raising=False)
    return request.param


def _console(code: str):
    need_gxx()
    from console.desktop.aot_player import AotConsole
    from console.desktop.frameloop import Options

    lines: list[str] = []
    return AotConsole.from_code(code, "rec.p8", Options(seed=0, printh=lines.append)), lines


@pytest.mark.parametrize("call,line", [("h()", 3), ("g()", 4)])
def test_main_cart(call: str, line: int, switch: str) -> None:
    con, lines = _console(DEEP + f"function _update() {call} end function _draw() cls(2) end")
    assert con.step() == "error"
    assert con.error.message == f"rec.p8 tab 0 line {line}: stack overflow"
    # the process lives on: the same console draws its error screen
    con.show_error()
    assert con.indices()[0] == 0
    other, _ = _console("function _draw() cls(5) end")
    assert other.step() == "frame" and set(other.indices()) == {5}


@pytest.mark.parametrize("fn,line", [("h", 3), ("g", 4)])
def test_inside_a_coroutine(fn: str, line: int, switch: str) -> None:
    con, lines = _console(DEEP + f"""
function _update()
  c, k = 0, 0
  local ok, e = coresume(cocreate({fn}))
  printh(tostr(ok)..' '..e..' '..tostr(k * 10000 + c > 100))
end
function _draw() cls(1) end
""")
    for _ in range(3):      # the cart goes on, frame after frame
        assert con.step() == "frame"
    assert set(con.indices()) == {1}
    assert lines == [f"false rec.p8 tab 0 line {line}: stack overflow true"] * 3


@pytest.mark.parametrize("name", ["asm", "portable", "aarch64"])
def test_the_c_stack_guard_itself(name: str, tmp_path: Path) -> None:
    """A coroutine with a small C stack and value and depth limits far out of
    reach (library flags: the defines of a cart's own build do not size the
    pool), so only the guard can stop the recursion; on each desktop context
    switch (aot_targets.py), the assembly one under ASan, so running past
    the stack would be reported, not missed. Without the guard this program
    crashes."""
    from console.aot_build import Toolchain
    from aot.source import Source
    from support.aot_cpp import run_cpp, sanitizer_toolchain
    from support.aot_targets import SMALL_STACKS, target

    t = target(name, SMALL_STACKS)
    tc = t.toolchain
    if name == "asm":
        tc = Toolchain(flags=sanitizer_toolchain(tmp_path).flags + tc.flags)
    src = Source(DEEP + """
for fn in all({h, g}) do
  c, k = 0, 0
  local ok, e = coresume(cocreate(fn))
  printh(tostr(ok)..' '..e)
  printh(tostr(k == 0 and c > 20))
end
printh('alive')
""", "guard.p8")
    out, res = run_cpp(src, tmp_path, tc, timeout=300, runner=t.runner)
    assert out.error is None, res.stderr[-2000:]
    assert out.lines == ["false guard.p8 tab 0 line 3: stack overflow", "true",
                         "false guard.p8 tab 0 line 4: stack overflow", "true", "alive"]


# `return f(...)` is a proper tail call (Lua's, PICO-8's): chains far
# deeper than any stack here (a parser recursing once per character, methods,
# mutual recursion, __call, varargs), in the main cart and in a coroutine
TAIL = """
function count(s, i, n) if i > #s then return n end return count(s, i + 1, n + (sub(s, i, i) == "a" and 1 or 0)) end
o = {} function o:m(k) if k == 0 then return "done" end return self:m(k - 1) end
function even(k) if k == 0 then return true end return odd(k - 1) end
function odd(k) if k == 0 then return false end return even(k - 1) end
c = setmetatable({}, {__call = function(self, k) if k == 0 then return 7, 8 end return self(k - 1) end})
function v(k, ...) if k == 0 then return select('#', ...), ... end return v(k - 1, ...) end
function _update()
  local s = "" for i = 1, 300 do s ..= "abcab" end
  local big = "" for i = 1, 13 do big ..= s end
  printh(count(big, 1, 0))
  printh(o:m(30000))
  printh(tostr(even(30001)))
  local x, y = c(30000) printh(y)
  local n, a, b, d = v(30000, 1, 2, 3) printh(n..a..b..d)
  local ok, e = coresume(cocreate(function() return even(20000) end)) printh(tostr(ok)..' '..tostr(e))
  local f = nil
  ok, e = coresume(cocreate(function() return f(1) end)) printh(e)
end
function _draw() cls(3) end
"""


def test_tail_calls_take_no_stack() -> None:
    con, lines = _console(TAIL)
    for _ in range(20):     # _update runs past PICO-8's CPU budget: several frames
        assert con.step() == "frame"
        if len(lines) >= 7:
            break
    assert lines == ["7800", "done", "false", "8", "3123", "true true",
                     "rec.p8 tab 0 line 18: attempt to call upvalue 'f' (a nil value)"]
