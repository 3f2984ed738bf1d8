"""The oscillators: pitch, the eight waveforms' shapes, volume, noise, determinism.

Shapes and levels are the ones measured from PICO-8's WAV exports (published
with zepto8's synth): triangle peak 0.5 of full scale, square/pulse 0.25, saw
0.653 x 0.5, organ 1/3; square duty 1/2 (buzz 0.4), pulse 0.316 (buzz 0.255),
tilted saw rising for 7/8 of the cycle.
"""
from __future__ import annotations

import numpy as np
import pytest

from console.audio_render import sfx
from console.machine import Machine
from console._engine import lib
from support.audio_probe import RATE, TICK, frequency, pack_note, poke_sfx, rms, samples

BUZZ = 4


def hold(m: Machine, key: int, wave: int, vol: int = 7, filters: int = 0, n: int = 0) -> None:
    """sfx n: one pitch held for 32 notes at speed 32 (~9 s), started on channel 0."""
    poke_sfx(m, n, [pack_note(key, wave, vol)] * 32, speed=32, filters=filters)
    sfx(m, n, 0)


def steady(m: Machine, seconds: float = 0.5) -> np.ndarray:
    """Skip the start-up crossfade, then return `seconds` of sound."""
    samples(m, 400)
    return samples(m, int(seconds * RATE))


def test_phase_table_follows_equal_temperament() -> None:
    # PICO-8 pitch 33 (A2 in its octave naming) is 440 Hz, 12 notes an octave.
    for key in range(64):
        want = round(440 * 2 ** ((key - 33) / 12) * 2 ** 32 / 22050)
        assert lib.p8_audio_phase_inc(key) == want


@pytest.mark.parametrize("key,hz", [(33, 440.0), (45, 880.0), (21, 220.0), (24, 261.626), (63, 2489.016)])
def test_pitch_renders_at_its_frequency(m: Machine, key: int, hz: float) -> None:
    hold(m, key, 0)
    f = frequency(steady(m, 1.0))
    assert abs(f - hz) / hz < 0.005, f


def test_note_lasts_speed_ticks_of_183_samples(m: Machine) -> None:
    poke_sfx(m, 0, [pack_note(33, 3)] * 3, speed=5)
    sfx(m, 0, 0)
    notes = []
    for _ in range(3 * 5 * TICK):
        samples(m, 1)
        notes.append(lib.p8_audio_stat(m.state, 50) >> 16)
    # note 0 for 5 x 183 samples, then 1, then 2; the channel frees after the last note
    assert notes.index(1) == 5 * TICK - 1
    assert notes.index(2) == 10 * TICK - 1
    assert notes[-1] == -1 and notes.index(-1) == 15 * TICK - 1


def test_square_is_half_duty_at_a_quarter_of_full_scale(m: Machine) -> None:
    hold(m, 33, 3)
    a = steady(m)
    assert set(np.unique(a)) == {-8192.0, 8192.0}
    assert abs(np.mean(a > 0) - 0.5) < 0.01


def test_buzz_square_duty_is_40_percent(m: Machine) -> None:
    hold(m, 33, 3, filters=BUZZ)
    a = steady(m)
    assert abs(np.mean(a > 0) - 0.4) < 0.01


@pytest.mark.parametrize("filters,duty", [(0, 0.316), (BUZZ, 0.255)])
def test_pulse_duty(m: Machine, filters: int, duty: float) -> None:
    hold(m, 33, 4, filters=filters)
    a = steady(m)
    assert set(np.unique(a)) == {-8192.0, 8192.0}
    assert abs(np.mean(a > 0) - duty) < 0.01


def test_triangle_is_symmetric_at_half_scale(m: Machine) -> None:
    hold(m, 21, 0)  # 220 Hz: ~100 samples a cycle
    a = steady(m)
    assert a.max() > 16000 and a.min() < -16000
    assert a.max() <= 16384 and a.min() >= -16384
    d = np.diff(a)
    assert abs(np.mean(d > 0) - 0.5) < 0.02          # rises as long as it falls
    assert abs(d[d > 0].mean() + d[d < 0].mean()) < 5  # with equal slopes


def test_tilted_saw_rises_for_seven_eighths(m: Machine) -> None:
    hold(m, 21, 1)
    d = np.diff(steady(m))
    assert abs(np.mean(d > 0) - 7 / 8) < 0.02
    assert abs(d[d < 0].mean() / d[d > 0].mean() + 7) < 0.5   # falls 7x as steeply


def test_saw_ramps_up_then_drops(m: Machine) -> None:
    hold(m, 21, 2)
    a = steady(m)
    d = np.diff(a)
    drops = np.sum(d < -5000)
    cycles = len(a) * 220 / RATE
    assert abs(drops - cycles) <= 1          # one drop per cycle
    assert np.mean(d > 0) > 0.95             # rising the rest of the time
    assert abs(a.max() - 0.653 * 0.5 * 32768) < 150


def test_organ_has_two_humps_a_cycle(m: Machine) -> None:
    hold(m, 21, 5)
    a = steady(m)
    peaks = np.sum((a[1:-1] > a[:-2]) & (a[1:-1] >= a[2:]))
    cycles = len(a) * 220 / RATE
    assert abs(peaks / cycles - 2) < 0.05
    assert abs(a.max() - 32768 / 3) < 200 and abs(a.min() + 32768 / 3) < 200


def test_phaser_beats_at_a_110th_of_the_note(m: Machine) -> None:
    hold(m, 45, 7)  # 880 Hz: the two triangles drift apart every 110 cycles = 1/8 s
    a = steady(m, 1.0)
    block = RATE // 80                       # 10 ms windows
    env = np.array([np.abs(a[i:i + block]).max() for i in range(0, len(a) - block, block)])
    assert env.max() > 1.4 * env.min()       # amplitude swings with the beat
    spectrum = np.abs(np.fft.rfft(env - env.mean()))
    beat = np.argmax(spectrum) * 80 / len(env)
    assert abs(beat - 8.0) < 1.0             # 880 / 110 = 8 Hz


def test_volume_scales_linearly(m: Machine) -> None:
    hold(m, 33, 3, vol=3)
    a = steady(m)
    assert np.abs(a).max() == pytest.approx(8192 * 3 / 7, abs=1)


def test_noise_is_not_periodic_and_follows_pitch(m: Machine) -> None:
    lows, highs = [], []
    for key in (12, 60):
        m2 = Machine()
        hold(m2, key, 6)
        a = steady(m2)
        spec = np.abs(np.fft.rfft(a)) ** 2
        freqs = np.fft.rfftfreq(len(a), 1 / RATE)
        (lows if key == 12 else highs).append(float((spec * freqs).sum() / spec.sum()))
        assert rms(a) > 500
    assert highs[0] > 2 * lows[0]            # higher pitch, brighter noise


def test_noiz_is_white_and_buzz_noise_is_brown(m: Machine) -> None:
    def centroid(filters: int) -> float:
        m2 = Machine()
        hold(m2, 63, 6, filters=filters)
        a = steady(m2)
        spec = np.abs(np.fft.rfft(a)) ** 2
        freqs = np.fft.rfftfreq(len(a), 1 / RATE)
        return float((spec * freqs).sum() / spec.sum())
    white = centroid(2)
    brown = centroid(BUZZ)
    assert 4500 < white < 6500          # flat spectrum: centroid near 11025 / 2
    assert brown < white / 3


def test_same_memory_gives_the_same_samples() -> None:
    def run() -> bytes:
        m = Machine()
        poke_sfx(m, 0, [pack_note(20 + i, i % 8, 5, i % 8) for i in range(32)], speed=3,
                 filters=2 + 4 + 8 + 24 + 72)
        sfx(m, 0, 1)
        return samples(m, 20000).tobytes()
    assert run() == run()


def test_writes_to_sfx_memory_are_heard_at_once(m: Machine) -> None:
    hold(m, 33, 3)
    steady(m, 0.1)
    m.ram[0x3200] = (m.ram[0x3200] & 0xC0) | 45   # note 0 pitch 33 -> 45, mid-note
    samples(m, 400)                               # (note 0 lasts 32 x 183 = 5856 samples)
    assert abs(frequency(samples(m, 2500)) - 880) < 5
