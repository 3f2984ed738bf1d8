"""PICO-8's random generator: srand/rnd sequences and the state at 0x5f44.

No public recording of a real PICO-8 rnd() sequence exists that we know of.
The algorithm is zepto8's reverse engineering, which a BBS user's
re-implementation (lexaloffle tid 51113) was checked against real PICO-8
with assert(rnd(m) == prng.rnd(m)); fix32_model.Rng restates it, and the
first values below are written out so a change to either side shows.
"""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import support.fix32_model as fm
from console._engine import lib
from console.machine import Machine

MANY = settings(max_examples=3000, deadline=None)
ONE = fm.ONE


def state(m: Machine) -> tuple[int, int]:
    hi = int.from_bytes(m.ram[0x5F44:0x5F48], "little")
    lo = int.from_bytes(m.ram[0x5F48:0x5F4C], "little")
    return hi, lo


def test_srand_state_layout(m: Machine) -> None:
    ref = fm.Rng()
    ref.srand(123 << 16)
    lib.p8_srand(m.state, 123 << 16)
    assert state(m) == (ref.hi, ref.lo)


def test_seed_zero_and_top_bit() -> None:
    """srand drops the seed's top bit; a zero seed becomes 0xdeadbeef."""
    a, b, c = Machine(), Machine(), Machine()
    lib.p8_srand(a.state, 0)
    lib.p8_srand(b.state, fm.MIN)          # srand(-32768): top bit only
    lib.p8_srand(c.state, 0)
    ref = fm.Rng()
    ref.srand(0)
    assert state(a) == state(b) == (ref.hi, ref.lo)
    lib.p8_srand(c.state, -1)              # 0xffffffff -> 0x7fffffff
    ref.srand(0x7FFFFFFF)
    assert state(c) == (ref.hi, ref.lo)


def test_first_values_for_seed_1(m: Machine) -> None:
    lib.p8_srand(m.state, 1 << 16)
    got = [lib.p8_rnd(m.state, ONE) for _ in range(8)]
    ref = fm.Rng()
    ref.srand(1 << 16)
    assert got == [ref.rnd(ONE) for _ in range(8)]
    assert all(0 <= v < ONE for v in got)
    assert len(set(got)) == 8


def test_same_seed_same_sequence_and_different_seeds_differ(m: Machine) -> None:
    """femto8 tests.p8 srand1/srand2."""
    lib.p8_srand(m.state, 123 << 16)
    a = lib.p8_rnd(m.state, ONE)
    lib.p8_srand(m.state, 123 << 16)
    assert lib.p8_rnd(m.state, ONE) == a
    lib.p8_srand(m.state, 234 << 16)
    assert lib.p8_rnd(m.state, ONE) != a


def test_rnd_zero_does_not_step(m: Machine) -> None:
    lib.p8_srand(m.state, 5 << 16)
    before = state(m)
    assert lib.p8_rnd(m.state, 0) == 0
    assert state(m) == before


def test_poking_the_state_replays(m: Machine) -> None:
    lib.p8_srand(m.state, 42 << 16)
    saved = bytes(m.ram[0x5F44:0x5F4C])
    first = [lib.p8_rnd(m.state, 100 << 16) for _ in range(5)]
    m.ram[0x5F44:0x5F4C] = saved
    assert [lib.p8_rnd(m.state, 100 << 16) for _ in range(5)] == first
    m.ram[0x5F44:0x5F4C] = bytes(8)       # the dead state: hi = lo = 0
    assert [lib.p8_rnd(m.state, 100 << 16) for _ in range(3)] == [0, 0, 0]


def test_negative_range_is_unsigned(m: Machine) -> None:
    """rnd(-1) takes hi % 0xffff0000 (BBS tid 51113: PICO-8 uses u32 here)."""
    lib.p8_srand(m.state, 7 << 16)
    ref = fm.Rng()
    ref.srand(7 << 16)
    for rng in (-ONE, fm.MIN, -1, 0x7FFFFFFF):
        assert lib.p8_rnd(m.state, rng) == ref.rnd(rng)


def test_rnd_int_picks_like_rnd_of_a_table(m: Machine) -> None:
    lib.p8_srand(m.state, 9 << 16)
    ref = fm.Rng()
    ref.srand(9 << 16)
    for n in (1, 2, 3, 7, 100, 32767):
        got = lib.p8_rnd_int(m.state, n)
        assert got == ref.rnd(n << 16) >> 16
        assert 0 <= got < n
    before = state(m)
    assert lib.p8_rnd_int(m.state, 0) == 0
    assert state(m) == before


@MANY
@given(st.integers(fm.MIN, fm.MAX), st.lists(st.integers(fm.MIN, fm.MAX), min_size=1, max_size=20))
def test_sequences_match_model(seed: int, ranges: list[int]) -> None:
    m = Machine()
    lib.p8_srand(m.state, seed)
    ref = fm.Rng()
    ref.srand(seed)
    for rng in ranges:
        assert lib.p8_rnd(m.state, rng) == ref.rnd(rng)
    assert state(m) == (ref.hi, ref.lo)


@MANY
@given(st.integers(fm.MIN, fm.MAX), st.integers(1, fm.MAX))
def test_positive_range_bounds(seed: int, rng: int) -> None:
    m = Machine()
    lib.p8_srand(m.state, seed)
    for _ in range(4):
        assert 0 <= lib.p8_rnd(m.state, rng) < rng
