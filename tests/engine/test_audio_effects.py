"""Note effects over time, SFX instruments, sfx filters and the 0x5f40-0x5f43 hardware effects.

Expected behaviour is the PICO-8 manual's (effects list, "SFX Instruments",
filters) and, where the manual gives no numbers, the timings it implies:
arpeggios step every 4 / 8 ticks (2 / 4 when speed <= 8), reverb echoes 2 or
4 ticks later.
"""
from __future__ import annotations

import numpy as np
import pytest

from console.audio_render import sfx
from console.machine import Machine
from support.audio_probe import (RATE, TICK, crossings, frequency, note_window, pack_note,
                              poke_sfx, rms, samples)


def play(m: Machine, notes: list[int], speed: int = 32, n: int = 0, **kw: int) -> np.ndarray:
    poke_sfx(m, n, notes, speed=speed, **kw)
    sfx(m, n, 0)
    return samples(m, len(notes) * speed * TICK)


def local_freqs(a: np.ndarray) -> np.ndarray:
    """Frequency of each cycle (from one upward zero crossing to the next)."""
    z = crossings(a)
    return z[:-1], RATE / np.diff(z)


def envelope(a: np.ndarray, block: int = 200) -> np.ndarray:
    return np.array([np.abs(a[i:i + block]).max() for i in range(0, len(a) - block + 1, block)])


def test_slide_glides_from_the_previous_pitch(m: Machine) -> None:
    a = play(m, [pack_note(21, 0), pack_note(33, 0, fx=1), pack_note(33, 0)])
    note1 = a[note_window(32, 1)]
    pos, f = local_freqs(note1)
    assert 215 < f[:3].mean() < 235               # starts at note 0's 220 Hz
    assert 425 < f[-3:].mean() < 445              # ends at its own 440 Hz
    assert np.all(np.diff(f) > -2)                # rising all the way
    mid = f[np.argmin(np.abs(pos - len(note1) / 2))]
    assert 320 < mid < 340                        # linear in frequency: ~330 Hz halfway


def test_slide_also_ramps_the_volume(m: Machine) -> None:
    a = play(m, [pack_note(33, 3, vol=2), pack_note(33, 3, vol=7, fx=1)])
    env = envelope(a[note_window(32, 1)])
    assert env[0] < 8192 * 3 / 7 and env[-1] > 8192 * 6.5 / 7
    assert np.all(np.diff(env) >= 0)


def test_vibrato_wobbles_within_a_quarter_tone(m: Machine) -> None:
    # "within one quarter-tone": +-1/4 semitone around the note (1.0145)
    a = play(m, [pack_note(45, 0, fx=2)] * 2)
    pos, f = local_freqs(a[1000:])
    assert f.max() < 880 * 1.0155 and f.min() > 880 / 1.0155
    assert f.max() > 880 * 1.012 and f.min() < 880 / 1.012
    # the wobble repeats every 16 ticks (7.5 Hz)
    spec = np.abs(np.fft.rfft(np.interp(np.arange(0, pos[-1], 50), pos, f) - 880))
    rate = np.argmax(spec[1:]) + 1
    wobble_hz = rate * (RATE / 50) / (2 * (len(spec) - 1))
    assert abs(wobble_hz - RATE / (16 * TICK)) < 1.0


def test_drop_falls_towards_zero(m: Machine) -> None:
    a = play(m, [pack_note(45, 0, fx=3)])
    pos, f = local_freqs(a)
    assert f[0] > 800
    quarter = f[pos < len(a) / 4].mean()
    late = f[(pos > 0.7 * len(a)) & (pos < 0.8 * len(a))].mean()
    assert 880 * 0.8 < quarter < 880 * 0.95       # ~(1 - t) of the note's pitch
    assert 880 * 0.2 < late < 880 * 0.3


@pytest.mark.parametrize("fx,rising", [(4, True), (5, False)])
def test_fades_ramp_the_volume(m: Machine, fx: int, rising: bool) -> None:
    a = play(m, [pack_note(33, 3, fx=fx)])
    env = envelope(a)
    full = 8192
    if rising:
        assert env[0] < 0.05 * full and env[-1] > 0.95 * full
        assert np.all(np.diff(env) >= 0)
    else:
        assert env[1] > 0.95 * full and env[-1] < 0.05 * full
        assert np.all(np.diff(env[1:]) <= 0)
    mid = env[len(env) // 2]
    assert 0.4 * full < mid < 0.6 * full          # linear: half way, half volume


@pytest.mark.parametrize("speed,fx,ticks", [(16, 6, 4), (16, 7, 8), (8, 6, 2), (8, 7, 4)])
def test_arpeggio_steps_through_the_group_of_four(m: Machine, speed: int, fx: int,
                                                  ticks: int) -> None:
    keys = [33, 37, 40, 45]                       # A, C#, E, A: 440, 554, 659, 880 Hz
    a = play(m, [pack_note(k, 3, fx=fx) for k in keys], speed=speed)
    want = [440 * 2 ** ((k - 33) / 12) for k in keys]
    step = ticks * TICK
    for i in range(8):                            # steps cycle 0,1,2,3,0,1,...
        seg = a[i * step + 60:(i + 1) * step - 10]
        assert abs(frequency(seg) - want[i % 4]) / want[i % 4] < 0.03, i


def instrument_setup(m: Machine, inst_notes: list[int], inst_speed: int = 4, **kw: int) -> None:
    poke_sfx(m, 0, inst_notes, speed=inst_speed, **kw)


def test_sfx_instrument_plays_relative_to_c2(m: Machine) -> None:
    instrument_setup(m, [pack_note(33, 3)] * 32, loop_start=0, loop_end=32)   # A2: 440 Hz
    a = play(m, [pack_note(36, 0, custom=True)] * 2, n=8)                     # C3 = C2 + 12
    assert abs(frequency(a[1000:8000]) - 880) < 5                             # so A3 = 880 Hz
    assert set(np.unique(a[1000:8000])) == {-8192.0, 8192.0}                  # the square


def test_sfx_instrument_volume_is_multiplied(m: Machine) -> None:
    instrument_setup(m, [pack_note(24, 3, vol=4)] * 32, loop_start=0, loop_end=32)
    a = play(m, [pack_note(24, 0, vol=7, custom=True), pack_note(24, 0, vol=2, custom=True)],
             n=8)
    assert np.abs(a[500:5000]).max() == pytest.approx(8192 * 4 / 7, abs=2)
    assert np.abs(a[32 * TICK + 500:32 * TICK + 5000]).max() == pytest.approx(
        8192 * 4 / 7 * 2 / 7, abs=2)


def test_sfx_instrument_runs_its_own_notes_at_its_own_speed(m: Machine) -> None:
    # the instrument alternates C2 and C3 every 2 ticks, looping
    instrument_setup(m, [pack_note(24, 3), pack_note(36, 3)], inst_speed=2,
                     loop_start=0, loop_end=2)
    a = play(m, [pack_note(24, 0, custom=True)], n=8)
    first = frequency(a[60:2 * TICK - 10])
    second = frequency(a[2 * TICK + 60:4 * TICK - 10])
    third = frequency(a[4 * TICK + 60:6 * TICK - 10])
    assert abs(first - 261.6) < 3 and abs(second - 523.3) < 5 and abs(third - 261.6) < 3


def test_sfx_instrument_retriggers_only_on_new_pitch_or_drop(m: Machine) -> None:
    # a one-note instrument: sounds for 1 tick x 4 then ends (a "bell")
    instrument_setup(m, [pack_note(24, 3)], inst_speed=4)
    n = pack_note(24, 0, custom=True)
    a = play(m, [n, n, pack_note(26, 0, custom=True), pack_note(26, 0, custom=True, fx=3)],
             speed=8, n=8)
    per = 8 * TICK
    loud = [rms(a[i * per + 200:i * per + 4 * TICK - 20]) for i in range(4)]
    assert loud[0] > 4000          # first note triggers
    assert loud[1] < 100           # same pitch: the finished instrument is not restarted
    assert loud[2] > 4000          # new pitch: retrigger
    assert loud[3] > 4000          # drop forces a retrigger at the same pitch
    assert abs(frequency(a[3 * per + 100:3 * per + 4 * TICK - 20]) - 293.7) < 4  # and no drop


def test_waveform_instrument_plays_its_drawn_cycle(m: Machine) -> None:
    table = bytes([100] * 32 + [256 - 100] * 32)     # a square drawn as 64 samples
    m.ram[0x3200:0x3200 + 64] = table
    m.ram[0x3200 + 66] = 0x80                        # sfx 0 is a waveform instrument
    poke_sfx(m, 1, [pack_note(33, 0, custom=True)] * 2, speed=32)
    sfx(m, 1, 0)
    a = samples(m, 6000)[500:]
    assert set(np.unique(a)) == {-12800.0, 12800.0}  # +-100 of 128 at half scale
    assert abs(frequency(a) - 440) < 3
    m.ram[0x3200 + 65] = 1                           # "bass": an octave down
    samples(m, 400)
    assert abs(frequency(samples(m, 3000)) - 220) < 2


def blip_then_silence(m: Machine, filters: int) -> np.ndarray:
    # one tick of square, then silent notes kept playing by a loop
    poke_sfx(m, 0, [pack_note(33, 3)] + [pack_note(33, 3, vol=0)] * 7, speed=1,
             filters=filters, loop_start=1, loop_end=8)
    sfx(m, 0, 0)
    return samples(m, 8 * TICK)


@pytest.mark.parametrize("reverb,delay", [(1, 2 * TICK), (2, 4 * TICK)])
def test_reverb_echoes_two_or_four_ticks_later(m: Machine, reverb: int, delay: int) -> None:
    a = blip_then_silence(m, 24 * reverb)
    dry = a[20:TICK - 20]
    echo = a[delay + 20:delay + TICK - 20]
    assert np.allclose(echo, dry / 2, atol=2)         # half level, same shape
    assert rms(a[TICK + 200:delay - 20]) < 5 if delay > 2 * TICK else True
    plain = blip_then_silence(Machine(), 0)
    assert rms(plain[delay + 20:delay + TICK - 20]) == 0


@pytest.mark.parametrize("dampen", [1, 2])
def test_dampen_is_a_low_pass(m: Machine, dampen: int) -> None:
    def hf(filters: int) -> float:
        m2 = Machine()
        poke_sfx(m2, 0, [pack_note(33, 3)] * 32, speed=32, filters=filters)
        sfx(m2, 0, 0)
        a = samples(m2, 6000)[1000:]
        spec = np.abs(np.fft.rfft(a))
        freqs = np.fft.rfftfreq(len(a), 1 / RATE)
        return float(spec[freqs > 4000].sum() / spec[freqs < 1500].sum())
    plain, damped = hf(0), hf(72 * dampen)
    assert damped < plain * (0.75 if dampen == 1 else 0.4)
    if dampen == 2:
        assert damped < hf(72)


def test_detune_adds_a_second_voice(m: Machine) -> None:
    def run(filters: int) -> np.ndarray:
        m2 = Machine()
        poke_sfx(m2, 0, [pack_note(33, 0)] * 32, speed=32, filters=filters)
        sfx(m2, 0, 0)
        return samples(m2, 8000)[1000:]
    plain, d1, d2 = run(0), run(8), run(16)
    assert np.abs(d1).max() > 1.3 * np.abs(plain).max()   # the second voice adds up
    spec = np.abs(np.fft.rfft(d2))
    freqs = np.fft.rfftfreq(len(d2), 1 / RATE)
    assert spec[np.argmin(np.abs(freqs - 660))] > 20 * spec[np.argmin(np.abs(freqs - 600))]


def test_half_rate_channel_plays_slower_and_lower(m: Machine) -> None:
    m.ram[0x5F40] = 1                              # channel 0 at half rate
    poke_sfx(m, 0, [pack_note(45, 3)] * 2, speed=4)
    sfx(m, 0, 0)
    a = samples(m, 4 * 4 * TICK)
    assert abs(frequency(a[200:2 * 4 * TICK - 100]) - 440) < 3   # an octave down
    assert rms(a[2 * 4 * TICK + 200:4 * 4 * TICK - 200]) > 4000  # note 1 still sounding


def test_octave_down_bit_keeps_speed(m: Machine) -> None:
    m.ram[0x5F40] = 0x10
    poke_sfx(m, 0, [pack_note(45, 3)] * 2, speed=4)
    sfx(m, 0, 0)
    a = samples(m, 4 * 4 * TICK)
    assert abs(frequency(a[200:2 * 4 * TICK - 100]) - 440) < 3
    assert rms(a[2 * 4 * TICK + 300:]) < 100                     # ended on time


def test_distortion_quantises_to_eight_levels(m: Machine) -> None:
    m.ram[0x5F42] = 1
    poke_sfx(m, 0, [pack_note(21, 0)] * 8, speed=32)
    sfx(m, 0, 0)
    a = samples(m, 5000)[1000:]
    assert set(np.unique(a)) <= {k * 0x1249 for k in range(-7, 8)}
    assert len(np.unique(a)) >= 7


def test_hardware_lowpass_and_reverb_bits_apply_without_sfx_filters(m: Machine) -> None:
    dry = blip_then_silence(Machine(), 0)
    m.ram[0x5F41] = 0x10                          # short echo on channel 0
    wet = blip_then_silence(m, 0)
    assert np.allclose(wet[2 * TICK + 20:3 * TICK - 20], dry[20:TICK - 20] / 2, atol=2)
