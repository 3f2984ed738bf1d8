"""Every API function with odd arguments, under both consoles: the same
results and the same errors.

Each of ~90 functions of the cart environment is called with 15 argument
lists (none, nil, numeric and other strings, tables, booleans, fractions,
extremes, too many), each call in its own coroutine so an error is a line;
the interpreter's and the compiled cart's lines must be equal. Sweeps like
this found compiled carts reading `%{}` as an arithmetic error where PICO-8
reads peek2(0), inext indexing strings, and a dozen error messages worded
differently. What legitimately differs is left out: stat(0) (each runtime's
heap size), and the text of a table's address."""
from __future__ import annotations

import re

import pytest

from aot.source import Source
from support.aot_cpp import need_gxx, run_cpp, run_lua

pytest.importorskip("console._engine")

# left out: functions that end, pause or replace the cart or the frame, write
# the host's files, read the clock, or make sounds (nothing to compare), and
# PICO-8's internal main-loop hooks
SKIP = {"holdframe", "flip", "yield", "error", "assert", "reset", "stop", "run", "load", "extcmd",
        "printh", "cartdata", "dset", "dget", "cstore", "reload", "menuitem", "srand", "t", "time",
        "music", "sfx", "cocreate", "coresume", "serial", "ls", "trace", "set_draw_slice",
        "_set_mainloop_exists", "_startframe", "_update_buttons", "_pausemenu", "_mark_cpu",
        "_update_framerate", "_map_display", "_get_menu_item_selected", "print", "tostring"}

ARGS = ["", "nil", "'12'", "{}", "true", "0.5, -1", "-1, 200, 300", "'a', 'b'", "0x7fff, -32768, 8192",
        "1, 2, 3, 4, 5, 6, 7, 8", "{1,2,3}, 2", "nil, nil, 5", "'0x10', '2'", "-0.5, 0.25, 3.75, 9.5",
        "{1,2,3}, '2', true"]

PRELUDE = """
function show(v)
  local t = type(v)
  if t == 'function' or t == 'table' or t == 'thread' then return t end
  return t..':'..tostr(v)
end
function try(label, f)
  local ok, e = coresume(cocreate(function()
    local r = pack(f())
    local s = ''
    for i = 1, r.n do s = s..show(r[i])..' ' end
    return s
  end))
  printh(label..' -> '..tostr(ok)..' '..tostr(e))
end
"""


def _names() -> list[str]:
    from support.attack_battery import api_names

    return [n for n in api_names() if n not in SKIP]


def sweep_code(names: list[str]) -> str:
    calls = []
    for n in names:
        for a in ARGS:
            label = f"{n}({a})".replace("'", "\\'")
            # not `return n(a)`: a tail call would leave the caller's name to LuaJIT's messages
            calls.append(f"srand(1) try('{label}', function() local r = pack({n}({a})) return unpack(r, 1, r.n) end)")
    return PRELUDE + "\n".join(calls) + "\n"


def _normal(line: str) -> str:
    line = re.sub(r"(sweep\.p8 tab 0 )?line \d+: ", "", line)   # (the harnesses place it apart)
    if line.startswith(("stat(", "tostr({")):
        return ""                  # the heap's size; a table's address
    return line


def test_both_consoles_answer_every_call_alike(tmp_path) -> None:
    need_gxx()
    names = _names()
    assert len(names) > 80
    src = Source(sweep_code(names), "sweep.p8")
    lua = run_lua(src)
    cpp, _ = run_cpp(src, tmp_path)
    assert lua.error is None and cpp.error is None, (lua.error, cpp.error)
    assert len(lua.lines) == len(names) * len(ARGS)
    diffs = [(a, b) for a, b in zip(lua.lines, cpp.lines) if _normal(a) != _normal(b)]
    assert diffs == [], "\n".join(f"interpreter: {a}\ncompiled:    {b}" for a, b in diffs[:20])
