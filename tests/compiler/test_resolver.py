"""The resolver: locals, upvalues, globals, _ENV, gotos."""
from __future__ import annotations

import pytest

from aot import ast
from aot.parser import parse
from aot.resolver import ChunkInfo, resolve
from aot.source import CartSyntaxError, Source


def resolved(code: str) -> tuple[ast.Chunk, ChunkInfo]:
    src = Source(code)
    chunk = parse(src)
    return chunk, resolve(chunk, src)


def names(chunk: ast.Chunk, name: str) -> list[ast.Name]:
    return [n for n in ast.walk(chunk) if isinstance(n, ast.Name) and n.name == name]


def test_locals_globals_and_shadowing() -> None:
    chunk, info = resolved("local a=1 do local a=a+1 b=a end c=a")
    refs = names(chunk, "a")
    # `a+1` reads the outer a; `b=a` the inner one; `c=a` the outer again
    outer = chunk.body.body[0].vars[0]  # type: ignore[attr-defined]
    inner = chunk.body.body[1].body.body[0].vars[0]  # type: ignore[attr-defined]
    assert [r.var for r in refs] == [outer, inner, outer]
    assert info.globals_written == {"b": 1, "c": 1}
    assert info.globals_read == {}
    assert not info.globals_dynamic


def test_upvalues_are_captured_through_every_level() -> None:
    chunk, info = resolved("local x=1 function f() return function() return x end end")
    x = chunk.body.body[0].vars[0]  # type: ignore[attr-defined]
    f, inner = info.functions[1], info.functions[2]
    assert x.captured
    assert f.upvalues == [x] and inner.upvalues == [x]
    assert inner.parent is f and f.parent is chunk.func
    ref = names(chunk, "x")[0]
    assert ref.upvalue


def test_writes_are_counted() -> None:
    chunk, _ = resolved("local a, b = 1, 2 a = 3 a += 1")
    a, b = chunk.body.body[0].vars  # type: ignore[attr-defined]
    assert (a.writes, b.writes) == (2, 0)


def test_local_function_sees_itself_local_assignment_does_not() -> None:
    chunk, info = resolved("local function f() return f end local g = function() return g end")
    f_ref, g_ref = names(chunk, "f")[0], names(chunk, "g")[0]
    assert f_ref.var is not None
    assert g_ref.var is None and info.globals_read == {"g": 1}


def test_repeat_condition_sees_body_locals() -> None:
    chunk, info = resolved("repeat local u=2 until u==2")
    assert names(chunk, "u")[0].var is not None
    assert info.globals_read == {}


def test_env_local_redirects_free_names() -> None:
    chunk, info = resolved("local _ENV = {x=1} y = x")
    env_local = chunk.body.body[0].vars[0]  # type: ignore[attr-defined]
    for n in names(chunk, "x") + names(chunk, "y"):
        assert n.var is None and n.env is env_local
    assert info.env_shadowed and not info.env_named
    assert info.globals_read == {} and info.globals_written == {}
    assert info.globals_dynamic


def test_env_read_and_assignment_of_the_chunk_env() -> None:
    chunk, info = resolved("local z=_ENV local function o(k) _ENV=k end")
    assert info.env_named and info.env_assigned
    refs = names(chunk, "_ENV")
    assert all(r.var is chunk.env for r in refs)
    assert chunk.env is not None and chunk.env.captured


def test_env_parameter() -> None:
    chunk, info = resolved("function f(_ENV) return a end")
    a = names(chunk, "a")[0]
    assert a.env is info.functions[1].params[0]


def test_vararg_use() -> None:
    _, info = resolved("function f(...) return ... end")
    assert info.functions[1].has_vararg_use
    with pytest.raises(CartSyntaxError, match="outside a vararg function"):
        resolved("function f() return ... end")


def test_goto_resolution() -> None:
    chunk, _ = resolved("do ::x:: u += 1 if (u==4) goto e goto x end ::e::")
    gotos = [n for n in ast.walk(chunk) if isinstance(n, ast.Goto)]
    labels = {n.name: n for n in ast.walk(chunk) if isinstance(n, ast.Label)}
    assert [g.target for g in gotos] == [labels["e"], labels["x"]]
    assert labels["x"].backward and not labels["e"].backward


def test_inner_block_may_reuse_a_label_name() -> None:
    # shrinko8 test.p8 case 49
    resolved("do ::y:: do goto y ::y:: end end")


@pytest.mark.parametrize("code,message", [
    ("goto nowhere", "no visible label 'nowhere'"),
    ("do goto x local a ::x:: a=1 end", "jumps into the scope of local 'a'"),
    ("::a:: ::a::", "label 'a' already defined"),
    ("break", "break outside a loop"),
    ("while true do function f() break end end", "break outside a loop"),
    ("function f() goto out end ::out::", "no visible label 'out'"),
])
def test_compile_time_errors(code: str, message: str) -> None:
    with pytest.raises(CartSyntaxError, match=message):
        resolved(code)


def test_label_at_block_end_may_follow_a_local() -> None:
    # shrinko8 test.p8: `do goto foo local bah ::foo::;; end`
    resolved("do goto foo local bah ::foo:: end")
