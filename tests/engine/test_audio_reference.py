"""The synth's pieces against the synth sample by sample.

p8_audio_render makes its samples in pieces: a channel whose note holds
still (or whose note only fades), or that rings out its echo, runs its
oscillators and filters over many samples at once, and the music clock moves
a piece at a time. Built with P8_REFERENCE=1 (p8_audio.c) every sample goes
through the one-sample path instead. Both builds play the same random sfx
and music data -- every waveform, effect, filter byte, SFX and waveform
instrument, loops and lengths, music flags and fades, the 0x5f40-0x5f43
effects and pause -- through the same random calls and buffer sizes, and
every sample, every stat(), the RAM and the synth's state must be identical.
"""
from __future__ import annotations

import random
from types import ModuleType
from typing import Any

import pytest

from console._engine import ffi as fast_ffi
from console._engine import lib as fast_lib

ROM_SIZE = 0x8000


def random_note(rng: random.Random, effects: bool) -> int:
    key = rng.randrange(64)
    wave = rng.randrange(8)
    vol = rng.choice([0, 1, 3, 5, 7, 7, 7]) if rng.random() < 0.9 else rng.randrange(8)
    fx = rng.choice([0, 0, 0, 4, 5, 1, 2, 3, 6, 7]) if effects else 0
    custom = int(rng.random() < 0.15)
    return key | wave << 6 | vol << 9 | fx << 12 | custom << 15


def random_sfx(rng: random.Random) -> bytes:
    """68 bytes of one sfx: notes that often repeat (held voices) and
    headers with every filter digit, short speeds, loops and LEN."""
    body = bytearray(68)
    effects = rng.random() < 0.7
    w = random_note(rng, effects)
    for i in range(32):
        if rng.random() < 0.4:
            w = random_note(rng, effects)
        body[2 * i] = w & 0xFF
        body[2 * i + 1] = w >> 8
    body[64] = rng.randrange(256) if rng.random() < 0.5 else rng.choice([0, 2, 4, 8, 16, 24, 72, 144])
    body[65] = rng.choice([0, 1, 2, 3, 4, 5, 8, 12, 16, 32])
    kind = rng.random()
    if kind < 0.3:
        body[66], body[67] = sorted(rng.sample(range(33), 2))
    elif kind < 0.45:
        body[66], body[67] = rng.randrange(1, 33), 0
    return bytes(body)


def random_data(rng: random.Random) -> bytes:
    data = bytearray(0x4300)
    for n in range(64):
        data[0x3200 + 68 * n:0x3200 + 68 * n + 68] = random_sfx(rng)
    for n in range(8):                      # some waveform instruments
        if rng.random() < 0.3:
            base = 0x3200 + 68 * n
            data[base:base + 64] = bytes(rng.randrange(256) for _ in range(64))
            data[base + 66] |= 0x80
            data[base + 65] = rng.randrange(4)
    for p in range(64):
        chans = [rng.randrange(64) | (0x40 if rng.random() < 0.2 else 0) for _ in range(4)]
        if rng.random() < 0.15:
            chans[0] |= 0x80
        if rng.random() < 0.1:
            chans[1] |= 0x80
        if rng.random() < 0.05:
            chans[2] |= 0x80
        data[0x3100 + 4 * p:0x3100 + 4 * p + 4] = bytes(chans)
    return bytes(data)


class Box:
    def __init__(self, ffi: Any, lib: Any, data: bytes) -> None:
        self.ffi, self.lib = ffi, lib
        self.block = ffi.new("char[]", lib.p8_state_size())
        self.state = ffi.cast("p8_state *", self.block)
        self.rom = ffi.new("uint8_t[]", ROM_SIZE)
        ffi.buffer(self.rom, ROM_SIZE)[0:len(data)] = data
        lib.p8_set_rom_rw(self.state, self.rom)
        lib.p8_power_on(self.state)
        self.ram = ffi.buffer(lib.p8_ram(self.state), 0x10000)

    def render(self, n: int) -> bytes:
        out = self.ffi.new("int16_t[]", max(n, 1))
        self.lib.p8_audio_render(self.state, out, n)
        return bytes(self.ffi.buffer(out, 2 * n))

    def state_bytes(self) -> bytes:
        """p8_state after the RAM and the two ROM pointers (which differ
        between the boxes): the synth's state among the rest."""
        skip = 0x10000 + 2 * self.ffi.sizeof("void *")
        return bytes(self.ffi.buffer(self.block, self.lib.p8_state_size()))[skip:]


def fx(v: int) -> int:
    return v * 65536


def random_step(rng: random.Random) -> tuple[str, tuple[int, ...]]:
    r = rng.random()
    if r < 0.3:
        return "p8_sfx", (fx(rng.randrange(-2, 64)), fx(rng.choice([-1, -1, 0, 1, 2, 3, -2])),
                          fx(rng.choice([0, 0, rng.randrange(-2, 34)])),
                          fx(rng.choice([0, 0, rng.randrange(-1, 40)])))
    if r < 0.45:
        return "p8_music", (fx(rng.randrange(-1, 64)), fx(rng.choice([0, 0, 0, 100, 1000])),
                            fx(rng.randrange(16) if rng.random() < 0.3 else 0))
    if r < 0.6:
        addr = rng.choice([0x5f40, 0x5f41, 0x5f42, 0x5f43, 0x5f2f])
        val = rng.randrange(256) if rng.random() < 0.5 else 0
        if addr == 0x5f2f:
            val = rng.choice([0, 0, 1])
        return "poke", (addr, val)
    return "render", (rng.choice([1, 2, 31, 32, 33, 367, 368, 735, 735, 1024, 3000]),)


@pytest.mark.parametrize("seed", range(12))
def test_pieces_sound_as_the_sample_by_sample_synth(ref_module: ModuleType, seed: int) -> None:
    rng = random.Random(seed)
    data = random_data(rng)
    fast = Box(fast_ffi, fast_lib, data)
    ref = Box(ref_module.ffi, ref_module.lib, data)
    for step in range(120):
        name, args = random_step(rng)
        if name == "render":
            a, b = fast.render(args[0]), ref.render(args[0])
            assert a == b, f"seed {seed} step {step}: samples differ"
            for n in range(46, 58):
                assert fast.lib.p8_audio_stat(fast.state, n) == ref.lib.p8_audio_stat(ref.state, n)
        elif name == "poke":
            fast.ram[args[0]] = args[1].to_bytes(1, "little")
            ref.ram[args[0]] = args[1].to_bytes(1, "little")
        else:
            getattr(fast.lib, name)(fast.state, *args)
            getattr(ref.lib, name)(ref.state, *args)
        assert fast.ram[:] == ref.ram[:], f"seed {seed} step {step} ({name}): RAM differs"
        assert fast.state_bytes() == ref.state_bytes(), f"seed {seed} step {step} ({name}): state differs"
