"""sfx() and music(): channel selection, -1/-2 forms, offset/length, pattern flow, fades, stat.

The rules under test are the PICO-8 manual's ("Audio": SFX / MUSIC; "Music
Editor": flow control; stat 46..57): a pattern ends with its left-most
non-looping channel; STOP ends the music; LOOP BACK returns to the nearest
LOOP START pattern, else pattern 0; reserved channels are only used by sfx()
when asked for by number.
"""
from __future__ import annotations

import numpy as np

from console.audio_render import music, poke_pattern, sfx, stat
from console.machine import Machine
from support.audio_probe import RATE, TICK, pack_note, poke_sfx, rms, samples


def channels(m: Machine) -> list[int]:
    return [stat(m, 46 + ch) for ch in range(4)]


def tone(m: Machine, n: int, key: int = 33, speed: int = 4, notes: int = 32, **kw: int) -> None:
    poke_sfx(m, n, [pack_note(key, 3)] * notes, speed=speed, **kw)


def test_idle_machine_reports_nothing(m: Machine) -> None:
    assert channels(m) == [-1, -1, -1, -1]
    assert [stat(m, n) for n in range(50, 58)] == [-1] * 7 + [0]
    assert np.all(samples(m, 1000) == 0)


def test_sfx_takes_the_first_free_channel(m: Machine) -> None:
    for n in range(1, 4):
        tone(m, n)
    sfx(m, 1)
    sfx(m, 2)
    sfx(m, 3, 3)
    assert channels(m) == [1, 2, -1, 3]


def test_same_sfx_restarts_on_its_channel(m: Machine) -> None:
    tone(m, 1)
    sfx(m, 1)
    samples(m, 5 * 4 * TICK)
    assert stat(m, 50) == 5
    sfx(m, 1)
    assert channels(m) == [1, -1, -1, -1] and stat(m, 50) == 0


def test_a_fifth_sound_replaces_the_fastest(m: Machine) -> None:
    for n, speed in ((1, 9), (2, 3), (3, 7), (4, 3), (5, 5)):
        tone(m, n, speed=speed)
    for n in (1, 2, 3, 4):
        sfx(m, n)
    sfx(m, 5)
    assert channels(m) == [1, 2, 3, 5]      # speeds 9,3,7,3: the last of the fastest


def test_explicit_channel_moves_the_sfx(m: Machine) -> None:
    tone(m, 1)
    sfx(m, 1, 0)
    sfx(m, 1, 2)                              # one sfx plays on one channel at a time
    assert channels(m) == [-1, -1, 1, -1]


def test_stop_and_release_forms(m: Machine) -> None:
    tone(m, 1)
    tone(m, 2)
    poke_sfx(m, 3, [pack_note(33, 3)] * 4, speed=1, loop_start=0, loop_end=4)
    sfx(m, 1, 0)
    sfx(m, 2, 1)
    sfx(m, 3, 2)
    sfx(m, -1, 1)                             # stop channel 1
    assert channels(m) == [1, -1, 3, -1]
    sfx(m, 1, -2)                             # stop sfx 1 wherever it plays
    assert channels(m) == [-1, -1, 3, -1]
    samples(m, 20 * TICK)
    assert stat(m, 48) == 3                   # still looping
    sfx(m, -2, 2)                             # release: finishes the pass, then ends
    samples(m, 5 * TICK)
    assert stat(m, 48) == -1
    sfx(m, 2, 0)
    sfx(m, 1, 1)
    sfx(m, -1)                                # stop everything
    assert channels(m) == [-1] * 4


def test_release_all_channels(m: Machine) -> None:
    poke_sfx(m, 3, [pack_note(33, 3)] * 4, speed=1, loop_start=0, loop_end=4)
    sfx(m, 3, 0)
    sfx(m, -2)
    samples(m, 5 * TICK)
    assert stat(m, 46) == -1


def test_offset_and_length(m: Machine) -> None:
    tone(m, 1, speed=1)
    sfx(m, 1, 0, 8, 4)
    notes = []
    for _ in range(6):
        notes.append(stat(m, 50))
        samples(m, TICK)
    assert notes == [8, 9, 10, 11, -1, -1]


def test_offset_beyond_31_is_ignored_and_negative_is_0(m: Machine) -> None:
    tone(m, 1)
    sfx(m, 1, 0, 32)
    assert stat(m, 46) == -1
    sfx(m, 1, 0, -5)
    assert stat(m, 46) == 1 and stat(m, 50) == 0


def test_sfx_ends_after_its_last_audible_note(m: Machine) -> None:
    tone(m, 1, speed=1, notes=3)
    sfx(m, 1)
    samples(m, 3 * TICK)
    assert stat(m, 46) == -1


def test_len_shortens_an_sfx(m: Machine) -> None:
    tone(m, 1, speed=1, loop_start=5, loop_end=0)
    sfx(m, 1)
    samples(m, 5 * TICK - 1)
    assert stat(m, 50) == 4
    samples(m, 1)
    assert stat(m, 46) == -1


def test_loop_repeats_between_start_and_end(m: Machine) -> None:
    tone(m, 1, speed=1, loop_start=2, loop_end=4)
    sfx(m, 1)
    seen = []
    for _ in range(8):
        seen.append(stat(m, 50))
        samples(m, TICK)
    assert seen == [0, 1, 2, 3, 2, 3, 2, 3]


def song(m: Machine) -> None:
    """Patterns 0-3 on channel 0 (sfx 10-13, 4 notes at speed 1 = 4 ticks each); pattern 4
    has every channel off, as carts store unused patterns."""
    for i in range(4):
        poke_sfx(m, 10 + i, [pack_note(30 + i, 3)] * 4, speed=1, loop_start=4)
        poke_pattern(m, i, [10 + i])
    poke_pattern(m, 4, [])


def patterns(m: Machine, count: int) -> list[int]:
    seen = []
    for _ in range(count):
        seen.append(stat(m, 54))
        samples(m, 4 * TICK)
    return seen


def test_music_plays_patterns_in_order_and_stops_when_no_data(m: Machine) -> None:
    song(m)
    music(m, 1)
    assert stat(m, 57) == 1 and stat(m, 55) == 0
    assert patterns(m, 4) == [1, 2, 3, -1]
    assert stat(m, 57) == 0 and channels(m) == [-1] * 4


def test_music_stop_flag(m: Machine) -> None:
    song(m)
    poke_pattern(m, 1, [11], stop=True)
    music(m, 0)
    assert patterns(m, 3) == [0, 1, -1]


def test_music_loops_back_to_loop_start(m: Machine) -> None:
    song(m)
    poke_pattern(m, 1, [11], loop_start=True)
    poke_pattern(m, 3, [13], loop_back=True)
    music(m, 0)
    assert patterns(m, 8) == [0, 1, 2, 3, 1, 2, 3, 1]
    assert stat(m, 55) == 8                   # patterns played so far


def test_loop_back_without_loop_start_returns_to_0(m: Machine) -> None:
    song(m)
    poke_pattern(m, 2, [12], loop_back=True)
    music(m, 1)
    assert patterns(m, 5) == [1, 2, 0, 1, 2]


def test_pattern_length_is_the_leftmost_non_looping_channel(m: Machine) -> None:
    poke_sfx(m, 20, [pack_note(33, 3)] * 32, speed=2, loop_start=0, loop_end=8)   # loops
    poke_sfx(m, 21, [pack_note(40, 3)] * 32, speed=3)                             # 96 ticks
    poke_sfx(m, 22, [pack_note(45, 3)] * 32, speed=1)                             # 32 ticks
    poke_pattern(m, 0, [20, 21, 22], stop=True)
    music(m, 0)
    samples(m, 96 * TICK - 1)
    assert stat(m, 54) == 0 and stat(m, 56) == 95
    samples(m, 1)
    assert stat(m, 54) == -1


def test_all_looping_pattern_lasts_32_notes_of_the_slowest(m: Machine) -> None:
    poke_sfx(m, 20, [pack_note(33, 3)] * 32, speed=2, loop_start=0, loop_end=8)
    poke_sfx(m, 21, [pack_note(40, 3)] * 32, speed=3, loop_start=0, loop_end=4)
    poke_pattern(m, 0, [20, 21], stop=True)
    music(m, 0)
    samples(m, 96 * TICK - 1)
    assert stat(m, 54) == 0
    samples(m, 1)
    assert stat(m, 54) == -1


def test_ticks_played_on_pattern(m: Machine) -> None:
    song(m)
    music(m, 0)
    samples(m, 3 * TICK + 5)
    assert stat(m, 56) == 3


def test_disabled_channels_stay_free(m: Machine) -> None:
    poke_sfx(m, 20, [pack_note(33, 3)] * 32, speed=4)
    poke_pattern(m, 0, [None, 20, None, None])
    music(m, 0)
    assert channels(m) == [-1, 20, -1, -1]


def test_sfx_interrupts_music_and_music_resumes(m: Machine) -> None:
    poke_sfx(m, 20, [pack_note(33, 3)] * 32, speed=4)
    poke_pattern(m, 0, [20, 20, 20, 20])
    tone(m, 1, speed=1, notes=2)
    music(m, 0)
    sfx(m, 1)                                 # every channel has music: take channel 0
    assert channels(m) == [1, 20, 20, 20]
    samples(m, 2 * TICK + 1)
    assert channels(m) == [20, 20, 20, 20]    # picked up where the pattern is
    assert stat(m, 50) == stat(m, 51) == 0
    samples(m, 8 * TICK)
    assert stat(m, 50) == stat(m, 51) == 2


def test_music_channel_mask_reserves_channels(m: Machine) -> None:
    poke_sfx(m, 20, [pack_note(33, 3)] * 32, speed=4)
    poke_pattern(m, 0, [20, 20, None, None])
    tone(m, 1)
    tone(m, 2)
    tone(m, 3)
    music(m, 0, 0, 3)                         # channels 0 and 1 reserved
    sfx(m, 1)
    sfx(m, 2)
    sfx(m, 3)                                 # no free unreserved channel: replaces one
    assert channels(m)[:2] == [20, 20]
    sfx(m, 1, 0)                              # asked for by number: allowed
    assert channels(m)[0] == 1


def test_sfx_minus_one_leaves_music_alone(m: Machine) -> None:
    poke_sfx(m, 20, [pack_note(33, 3)] * 32, speed=4)
    poke_pattern(m, 0, [20])
    music(m, 0)
    sfx(m, -1)
    sfx(m, -1, 0)
    assert stat(m, 46) == 20
    music(m, -1)
    assert stat(m, 46) == -1 and stat(m, 54) == -1


def level(m: Machine, seconds: float) -> list[float]:
    block = RATE // 20
    a = samples(m, int(seconds * RATE))
    return [float(np.abs(a[i:i + block]).max()) for i in range(0, len(a) - block + 1, block)]


def test_music_fades_in(m: Machine) -> None:
    poke_sfx(m, 20, [pack_note(33, 3)] * 32, speed=32, loop_start=0, loop_end=32)
    poke_pattern(m, 0, [20], loop_back=True)
    music(m, 0, 1000)
    env = level(m, 1.5)
    assert env[0] < 8192 * 0.1
    assert 8192 * 0.4 < env[9] < 8192 * 0.6          # half way at 0.5 s
    assert env[-1] == 8192
    assert all(b >= a - 1 for a, b in zip(env, env[1:]))


def test_music_fades_out_then_stops(m: Machine) -> None:
    poke_sfx(m, 20, [pack_note(33, 3)] * 32, speed=32, loop_start=0, loop_end=32)
    poke_pattern(m, 0, [20], loop_back=True)
    music(m, 0)
    samples(m, 1000)
    music(m, -1, 500)
    assert stat(m, 57) == 1
    env = level(m, 0.5)
    assert env[0] > 8192 * 0.85 and env[-1] < 8192 * 0.15
    samples(m, 200)
    assert stat(m, 57) == 0 and stat(m, 46) == -1


def test_writes_to_music_memory_take_effect_while_playing(m: Machine) -> None:
    song(m)
    music(m, 0)
    poke_pattern(m, 0, [10], stop=True)       # set the stop flag mid-pattern
    assert patterns(m, 2) == [0, -1]


def test_pause_byte_freezes_audio(m: Machine) -> None:
    tone(m, 1)
    sfx(m, 1)
    samples(m, 100)
    m.ram[0x5F2F] = 1
    assert np.all(samples(m, 2000) == 0) and stat(m, 46) == 1
    m.ram[0x5F2F] = 0
    assert rms(samples(m, 2000)) > 1000
