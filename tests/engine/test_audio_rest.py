"""A silent console costs nothing: once a sound has ended and its echo has
died away, a channel is skipped and the renderer writes silence directly.
The skip must be invisible -- silence out, and a channel that rested sounds
the same whether the renderer took the fast path or not."""
from __future__ import annotations

import numpy as np

from console.audio_render import sfx
from console.machine import Machine
from support.audio_probe import pack_note, poke_sfx, samples

REVERB_DAMPEN = 2 * 24 + 1 * 72      # sfx filters: long reverb, dampen 1


def _short_sound(m: Machine) -> None:
    # two notes at speed 4 (~0.07 s), with reverb so the echo rings on
    poke_sfx(m, 0, [pack_note(33, 2, 7), pack_note(40, 3, 5)], speed=4,
             filters=REVERB_DAMPEN)
    poke_sfx(m, 1, [pack_note(28, 1, 6)] * 3, speed=8)


def test_rest_is_the_same_in_one_call_or_many() -> None:
    # one machine renders the sound's tail and the rest in a single call
    # (the fast path never triggers inside it); the other in small calls,
    # most of which start at rest and take the fast path. Then both play
    # again and must sound the same, sample for sample.
    whole, chunks = Machine(), Machine()
    for m in (whole, chunks):
        _short_sound(m)
        sfx(m, 0, 0)
    heard = samples(whole, 44100)
    assert np.abs(heard[:2000]).max() > 1000
    assert not heard[-5000:].any()            # silence, exactly
    pieces = np.concatenate([samples(chunks, 441) for _ in range(100)])
    assert np.array_equal(heard, pieces)
    for m in (whole, chunks):
        sfx(m, 1, 0)
    assert np.array_equal(samples(whole, 8000), samples(chunks, 8000))


def test_idle_console_renders_exact_silence_and_keeps_stats() -> None:
    m = Machine()
    assert not samples(m, 30000).any()
    _short_sound(m)
    sfx(m, 1, 2)
    out = samples(m, 3000)
    assert out.any()
    from console._engine import lib
    from console.machine import from_fix
    assert from_fix(lib.p8_audio_stat(m.state, 48)) == 1      # channel 2 plays sfx 1
    samples(m, 22050)
    assert from_fix(lib.p8_audio_stat(m.state, 48)) == -1
    assert not samples(m, 5000).any()


def test_echo_rings_on_after_the_sound_ends() -> None:
    # resting starts only once the echo has died away, not when sfx() ends
    from console._engine import lib
    from console.machine import from_fix
    m = Machine()
    _short_sound(m)
    sfx(m, 0, 0)
    for _ in range(200):
        samples(m, 64)
        if from_fix(lib.p8_audio_stat(m.state, 46)) == -1:
            break
    else:
        raise AssertionError("sfx 0 never ended")
    tail = samples(m, 2000)
    assert np.abs(tail).max() > 100
