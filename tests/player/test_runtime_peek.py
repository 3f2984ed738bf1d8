"""The peek operators @a, %a, $a of emitted code read RAM directly over
LuaJIT FFI (aot/lua_runtime.lua); every read must equal the engine's
p8_peek, p8_peek2 and p8_peek4 (console/engine/p8_mem.c), the reference,
including wrapped, negative and fractional addresses and the sprite-sheet
and screen windows that 0x5f54 / 0x5f55 move."""
from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("console._engine")
pytest.importorskip("lupa")

from console.desktop.harness import Harness  # noqa: E402
from aot.source import Source  # noqa: E402
from console.machine import to_fix  # noqa: E402

OPS = {"@": "p8_peek", "%": "p8_peek2", "$": "p8_peek4"}
EDGE_ADDRESSES = [0, 1, 0x1fff, 0x2000, 0x5f53, 0x5f54, 0x5fff, 0x6000, 0x7ffd, 0x7fff, 0x8000,
                  0xfffd, 0xfffe, 0xffff, -1, -2, -3, -0x8000, 0x7fff, 0.5, 1.75, -0.25, 0x7fffffff / 65536]


class Peeks:
    """A harness with one cart function per operator, and random RAM."""

    def __init__(self) -> None:
        self.h = Harness()
        self.h.run(Source("function op1(a) return @a end function op2(a) return %a end "
                          "function op4(a) return $a end", "peek.p8"))
        rng = random.Random(8)
        self.h.machine.ram[0:0x10000] = bytes(rng.randrange(256) for _ in range(0x10000))

    def check(self, addrs: list[float], sheet: int, screen: int) -> None:
        from console._engine import lib

        ram = self.h.machine.ram
        ram[0x5F54], ram[0x5F55] = sheet, screen
        st8 = self.h.machine.state
        for op, fn in zip(("op1", "op2", "op4"), OPS.values()):
            f = self.h.env[op.encode()]
            ref = getattr(lib, fn)
            for a in addrs:
                want = ref(st8, to_fix(a))
                got = f(a)
                assert got * 65536 == want, f"{op}({a!r}) with 0x5f54={sheet:#x} 0x5f55={screen:#x}"


@pytest.fixture(scope="module")
def peeks() -> Peeks:
    return Peeks()


@pytest.mark.parametrize("sheet,screen", [(0x00, 0x60), (0x60, 0x00), (0x80, 0xc0), (0xff, 0xff), (0x20, 0x10)])
def test_edges_match_the_engine(peeks: Peeks, sheet: int, screen: int) -> None:
    peeks.check(EDGE_ADDRESSES, sheet, screen)


address = st.one_of(st.integers(-0x8000, 0x7FFF),
                    st.integers(-0x80000000, 0x7FFFFFFF).map(lambda r: r / 65536))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(addrs=st.lists(address, min_size=50, max_size=50), sheet=st.integers(0, 255),
       screen=st.integers(0, 255))
def test_random_reads_match_the_engine(peeks: Peeks, addrs: list[float], sheet: int, screen: int) -> None:
    peeks.check(addrs, sheet, screen)


def test_operators_in_a_cart() -> None:
    """A poke seen by each operator (little endian; % and $ signed), and
    the address coerced as peek() coerces it."""
    h = Harness()
    h.run(Source('poke(0x4300, 0x01, 0x02, 0x03, 0x80) poke(0, 7)\n'
                 'printh(@0x4300) printh(%0x4300) printh(tostr($0x4300, 1))\n'
                 'printh(%0x4302) printh(@"0x4301") printh(@nil) printh(@0x4300 + 1)', "ops.p8"))
    assert h.output == ["1", "513", "0x8003.0201", "-32765", "2", "7", "2"]


def test_reads_are_not_engine_calls() -> None:
    """@ is a direct RAM read: the runtime gets the RAM pointer and the
    emitted code calls the runtime's peek, not an API function a cart could
    replace."""
    h = Harness()
    h.run(Source("peek = nil poke(5, 42) x = @5", "ops.p8"))
    assert h.env[b"x"] == 42
