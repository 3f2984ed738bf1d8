"""Any RAM contents and any arguments: the synth stays in range and deterministic."""
from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings, strategies as st

from console.audio_render import music, render, sfx, stat
from console.machine import Machine

calls = st.lists(st.tuples(st.sampled_from(["sfx", "music", "render"]),
                           st.integers(-4, 70), st.integers(-3, 5),
                           st.integers(-40, 300), st.integers(-5, 40)), max_size=12)


def run(data: bytes, hw: bytes, script: list[tuple[str, int, int, int, int]]) -> bytes:
    m = Machine()
    m.ram[0x3100:0x4300] = data
    m.ram[0x5F40:0x5F44] = hw
    out = bytearray()
    for op, a, b, c, d in script:
        if op == "sfx":
            sfx(m, a, b, c, d)
        elif op == "music":
            music(m, a, c * 10, d & 15)
        else:
            out += render(m, 1 + (c & 1023)).tobytes()
        for ch in range(4):
            assert -1 <= stat(m, 46 + ch) <= 63
            assert -1 <= stat(m, 50 + ch) <= 255
        assert -1 <= stat(m, 54) <= 63
        assert stat(m, 57) in (0, 1) and (stat(m, 57) == 1) == (stat(m, 54) >= 0)
    return bytes(out)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.binary(min_size=4, max_size=4), calls)
def test_random_memory_and_calls(seed: int, hw: bytes,
                                 script: list[tuple[str, int, int, int, int]]) -> None:
    data = random.Random(seed).randbytes(0x1200)      # random music and sfx memory
    a = run(data, hw, script)
    assert a == run(data, hw, script)
    s = np.frombuffer(a, dtype=np.int16)
    assert len(s) == sum(1 + (c & 1023) for op, _, _, c, _ in script if op == "render")
