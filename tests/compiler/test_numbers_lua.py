"""Exact PICO-8 numbers in emitted Lua: every operator, run in LuaJIT,
equals the engine's fix32 function bit for bit (console/engine/p8_fix.h).

Each operator is compiled from PICO-8 source (`return a OP b`) by the front
end and the Lua back end, run in lupa's LuaJIT, and compared with the
engine called through cffi over an edge grid plus hypothesis-drawn operand
lists (well over 100k pairs in all)."""
from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.desktop.harness import Harness, compile_cart
from aot.source import Source

lib = pytest.importorskip("console._engine").lib

BINARY = {
    "+": "p8_fix_add", "-": "p8_fix_sub", "*": "p8_fix_mul", "/": "p8_fix_div",
    "\\": "p8_fix_idiv", "%": "p8_fix_mod", "^": "p8_fix_pow",
    "&": "p8_fix_band", "|": "p8_fix_bor", "^^": "p8_fix_bxor",
    "<<": "p8_fix_shl", ">>": "p8_fix_shr", ">>>": "p8_fix_lshr",
    "<<>": "p8_fix_rotl", ">><": "p8_fix_rotr",
}
UNARY = {"-": "p8_fix_neg", "~": "p8_fix_bnot"}

EDGES = sorted({
    0, 1, -1, 0x10000, -0x10000, 0x8000, -0x8000, 0x7FFFFFFF, -0x7FFFFFFF, -0x80000000,
    0x7FFF0000, -0x7FFF0000, 0xFFFF, -0xFFFF, 0x10001, 0x20000, 0x1F0000, 0x200000,
    0x210000, -0x200000, 0x4000_0000, 0x12345678, -0x12345678, 0x5555, 0xAAAA, 0x1999,
    0x3, 0x10000 * 255, 0x10000 * 31, 0x10000 * 32, 0x10000 * 33, -0x10000 * 31,
    -0x10000 * 32, 0x7FFF_FFFF - 0xFFFF, 0x00018000, -0x00018000,
})

int32 = st.integers(min_value=-(2**31), max_value=2**31 - 1)
small = st.integers(min_value=-0x400000, max_value=0x400000)        # |x| < 64
shift_count = st.integers(min_value=-40, max_value=40).map(lambda n: n << 16)
operand = st.one_of(int32, small, st.sampled_from(EDGES))


def wrap32(v: int) -> int:
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v & 0x80000000 else v


class Ops:
    """One LuaJIT state with each operator compiled from PICO-8 source."""

    def __init__(self) -> None:
        self.h = Harness()
        lines = []
        for i, op in enumerate(BINARY):
            lines.append(f"function bin{i}(a, b) return a {op} b end")
        for i, op in enumerate(UNARY):
            lines.append(f"function un{i}(a) return {op}a end")
        self.h.run_compiled(compile_cart(Source("\n".join(lines), "ops")))
        self.batch = self.h.lua.execute(b"""
            return function(f, as, bs, n)
              local out = {}
              for i = 1, n do
                local r
                if bs then r = f(as[i] / 65536, bs[i] / 65536) else r = f(as[i] / 65536) end
                if type(r) ~= "number" or r * 65536 ~= math.floor(r * 65536)
                   or r < -32768 or r >= 32768 then
                  out[i] = "not a fix32: " .. tostring(r)
                else
                  out[i] = r * 65536
                end
              end
              return out
            end""")

    def run(self, name: str, a: list[int], b: list[int] | None = None) -> list[object]:
        f = self.h.env[name.encode()]
        lt = self.h.lua.table_from(a)
        lb = self.h.lua.table_from(b) if b is not None else None
        out = self.batch(f, lt, lb, len(a))
        return [out[i + 1] for i in range(len(a))]


@pytest.fixture(scope="module")
def ops() -> Ops:
    return Ops()


def check_binary(ops: Ops, op: str, a: list[int], b: list[int]) -> None:
    idx = list(BINARY).index(op)
    got = ops.run(f"bin{idx}", a, b)
    ref = getattr(lib, BINARY[op])
    for x, y, g in zip(a, b, got):
        want = ref(x, y)
        assert g == want, f"{x:#x} {op} {y:#x}: lua {g!r} engine {want:#x}"


@pytest.mark.parametrize("op", list(BINARY))
def test_binary_edge_grid(ops: Ops, op: str) -> None:
    pairs = list(itertools.product(EDGES, EDGES))
    check_binary(ops, op, [p[0] for p in pairs], [p[1] for p in pairs])


@pytest.mark.parametrize("op", list(BINARY))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_binary_random(ops: Ops, op: str, data: st.DataObject) -> None:
    n = 400
    a = data.draw(st.lists(operand, min_size=n, max_size=n))
    rhs = shift_count if op in ("<<", ">>", ">>>", "<<>", ">><") else operand
    b = data.draw(st.lists(st.one_of(rhs, operand), min_size=n, max_size=n))
    check_binary(ops, op, a, b)


@pytest.mark.parametrize("op", list(UNARY))
def test_unary(ops: Ops, op: str) -> None:
    idx = list(UNARY).index(op)
    values = EDGES + list(range(-0x30000, 0x30000, 0x101)) + [wrap32(v * 0x9E3779B1) for v in range(5000)]
    got = ops.run(f"un{idx}", values)
    ref = getattr(lib, UNARY[op])
    for x, g in zip(values, got):
        assert g == ref(x), f"{op}{x:#x}"


def test_literal_wrapping_and_folding(ops: Ops) -> None:
    h = ops.h
    h.run(Source("r1 = -0x8000 r2 = -(-32768) r3 = 0x7fff.ffff + 0x.0001 r4 = 32767 + 1"))
    assert [h.env[k] for k in (b"r1", b"r2", b"r3", b"r4")] == [-32768, -32768, -32768, -32768]


def test_unwrapped_loop_arithmetic_is_exact(ops: Ops) -> None:
    """Loop counters with constant bounds are emitted as plain Lua + - *
    (no runtime call); their results still equal the engine's."""
    src = Source("""
function grid()
  local out = {}
  for i = -181, 181 do
    for j = -181, 181, 19 do
      out[#out + 1] = i * j
      out[#out + 1] = i + j - 3
    end
  end
  return out
end""", "grid")
    compiled = compile_cart(src)
    code = compiled.lua.code
    assert "__p8_mul" not in code and "= i * j;" in code and "= i + j - 3;" in code
    ops.h.run_compiled(compiled)
    out = ops.h.env[b"grid"]()
    k = 1
    for i in range(-181, 182):
        for j in range(-181, 182, 19):
            assert out[k] * 65536 == lib.p8_fix_mul(i << 16, j << 16)
            assert out[k + 1] == i + j - 3
            k += 2


def test_loop_ending_at_32767_terminates(ops: Ops) -> None:
    ops.h.run(Source("n=0 for i=32760,32767 do n+=1 end for i=0,32767,10000 do n+=1 end"))
    assert ops.h.env[b"n"] == 12


def test_division_by_zero_and_saturation(ops: Ops) -> None:
    # femto8 tests.p8: 1/0 == 0x7fff.ffff, -1/0 == -0x7fff.ffff
    ops.h.run(Source("d1 = 1/0 d2 = -1/0 d3 = 0/0 d4 = 4\\0 d5 = 12%0"))
    env = ops.h.env
    assert env[b"d1"] * 65536 == 0x7FFFFFFF
    assert env[b"d2"] * 65536 == -0x7FFFFFFF
    assert env[b"d3"] * 65536 == 0x7FFFFFFF
    assert env[b"d4"] == 32767                       # shrinko8 const.p8: 4 \ 0 = 0x7fff.0000
    assert env[b"d5"] == 0


def test_string_coercion_and_concatenation(ops: Ops) -> None:
    h = ops.h
    h.run(Source('s1 = "1" + "2" s2 = "a"..2 s3 = 1/3 .. "" s4 = 0x8000 .. -2 s5 = "1" .. 2.3 s6 = "0x10" * 2'))
    env = h.env
    assert env[b"s1"] == 3                           # shrinko8 const.p8 expectations
    assert env[b"s2"] == b"a2"
    assert env[b"s3"] == b"0.3333"
    assert env[b"s4"] == b"-32768-2"
    assert env[b"s5"] == b"12.3"
    assert env[b"s6"] == 32


@pytest.mark.parametrize("raw", EDGES + [0x14CCC, 0x24CCC, -0x6, 0x7FFFF, 0x5555, 0xAAAA, 0x10, 0x8])
def test_tostr_matches_engine(ops: Ops, raw: int) -> None:
    from console._engine import ffi
    buf = ffi.new("char[32]")
    tostr = ops.h.env[b"tostr"]
    for flags in (0, 1, 2, 3):
        n = lib.p8_tostr(raw, flags, buf, 32)
        want = ffi.string(buf, n)
        assert tostr(raw / 65536, flags) == want, (hex(raw), flags)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=int32)
def test_tostr_random_matches_engine(ops: Ops, raw: int) -> None:
    from console._engine import ffi
    buf = ffi.new("char[32]")
    n = lib.p8_tostr(raw, 0, buf, 32)
    assert ops.h.env[b"tostr"](raw / 65536) == ffi.string(buf, n)


@pytest.mark.parametrize("text", [
    "1", "-1", "1.5", " 12 ", "0x10", "0x.8", "0b101.1", "-0x8000", "32768", "99999", "1.1",
    "0xffff.ffff", "1e3", "", "-", "abc", "0x", ".5", "5.", "+3", "0x12345.6789a", "1 2",
])
def test_tonum_matches_engine(ops: Ops, text: str) -> None:
    from console._engine import ffi
    out = ffi.new("fix32 *")
    tonum = ops.h.env[b"tonum"]
    for flags in (0, 1, 2, 4):
        ok = lib.p8_tonum(text.encode(), len(text), flags, out)
        got = tonum(text.encode(), flags)
        if ok:
            assert got is not None and got * 65536 == out[0], (text, flags)
        else:
            assert got is None, (text, flags)
