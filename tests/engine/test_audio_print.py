"""print's "\\a" sound command: the sfx memory it writes and what it plays.

Syntax and defaults from the PICO-8 manual (Appendix A, "Audio"): "\\a" is a
single beep, "\\a12" plays sfx 12's existing data, no index picks a
non-active sfx of 60..63, "s"/"l" set speed and loop, notes "a".."g" with
"#"/"-" and an octave digit, "." empty, "i"/"v"/"x" set instrument (5),
volume (5), effect (0), "<"/">" step the volume. What the manual leaves
open (default octave 3, speed 4, the beep's note, 63 chosen first) follows
zepto8's implementation.
"""
from __future__ import annotations

from console._engine import ffi, lib
from console.machine import Machine

SFX = 0x3200


def play(m: Machine, cmd: str) -> int:
    data = cmd.encode("latin-1")
    buf = ffi.from_buffer("uint8_t[]", data) if data else ffi.NULL
    return lib.p8_print_audio(m.state, buf, len(data))


def notes(m: Machine, n: int) -> list[tuple[int, int, int, int]]:
    """(key, instrument, volume, effect) of sfx n's 32 notes."""
    base = SFX + 68 * n
    out = []
    for i in range(32):
        v = m.ram[base + 2 * i] | m.ram[base + 2 * i + 1] << 8
        out.append((v & 63, v >> 6 & 7, v >> 9 & 7, v >> 12 & 7))
    return out


def playing(m: Machine) -> list[int]:
    """stat(46..49): the sfx on each channel, -1 when idle."""
    return [lib.p8_audio_stat(m.state, 46 + c) >> 16 for c in range(4)]


def test_minor_triad_fills_sfx_63_and_plays_it(m: Machine) -> None:
    # manual: ?"\ace-g" -- minor triad
    assert play(m, "ce-g") == 63
    got = notes(m, 63)
    assert got[:3] == [(36, 5, 5, 0), (39, 5, 5, 0), (43, 5, 5, 0)]  # C3, D#3, G3
    assert got[3:] == [(0, 0, 0, 0)] * 29
    assert m.ram[SFX + 68 * 63 + 64: SFX + 68 * 64] == bytes([0, 4, 0, 0])
    assert playing(m) == [63, -1, -1, -1]


def test_staccato_rests_and_next_free_sfx(m: Machine) -> None:
    play(m, "ce-g")                          # sfx 63 is playing now
    # manual: ?"\ac..e-..g" -- staccato minor triad
    assert play(m, "c..e-..g") == 62
    got = notes(m, 62)
    assert [k for k, _, v, _ in got[:7] if v] == [36, 39, 43]
    assert [v for _, _, v, _ in got[:7]] == [5, 0, 0, 5, 0, 0, 5]
    assert playing(m) == [63, 62, -1, -1]


def test_arpeggio_with_speed_effect_and_octaves(m: Machine) -> None:
    # manual: ?"\as4x5c1egc2egc3egc4" -- fast (speed 4), staccato (effect 5)
    # arpeggio starting at C1; the octave carries on to e and g
    play(m, "s4x5c1egc2egc3egc4")
    got = notes(m, 63)
    keys = [12, 16, 19, 24, 28, 31, 36, 40, 43, 48]
    assert got[:10] == [(k, 5, 5, 5) for k in keys]
    assert m.ram[SFX + 68 * 63 + 65] == 4


def test_attributes_loop_volume_steps_and_instrument(m: Machine) -> None:
    play(m, "s9l18i2v7c>d<<ex3f#5b-0")
    base = SFX + 68 * 63
    assert (m.ram[base + 65], m.ram[base + 66], m.ram[base + 67]) == (9, 1, 8)
    # ">" at volume 7 stays 7; "<<" takes it to 5; f#5 is 5*12 + 6 = 66,
    # kept to the highest key 63; b-0 is b flat in octave 0 = 10
    assert notes(m, 63)[:5] == [(36, 2, 7, 0), (38, 2, 7, 0), (40, 2, 5, 0),
                                (63, 2, 5, 3), (10, 2, 5, 3)]


def test_p8scii_parameters_beyond_9(m: Machine) -> None:
    play(m, "sgc")                            # g = 16 (P8SCII parameter)
    assert m.ram[SFX + 68 * 63 + 65] == 16
    play(m, "i9v9x9c")                        # low 3 bits: 9 -> 1
    assert notes(m, 62)[0] == (36, 1, 1, 1)


def test_index_plays_existing_data_untouched(m: Machine) -> None:
    base = SFX + 68 * 12
    m.ram[base: base + 68] = bytes(range(68))
    assert play(m, "12") == 12
    assert bytes(m.ram[base: base + 68]) == bytes(range(68))
    assert 12 in playing(m)


def test_index_with_data_fills_that_sfx(m: Machine) -> None:
    assert play(m, "7c2") == 7
    assert notes(m, 7)[0] == (24, 5, 5, 0)
    assert play(m, "99c") == -1               # no sfx 99: nothing written
    assert bytes(m.ram[0x4300:0x4400]) == bytes(0x100)


def test_single_beep(m: Machine) -> None:
    assert play(m, "") == 63
    base = SFX + 68 * 63
    assert notes(m, 63)[0] == (46, 0, 5, 0)
    assert notes(m, 63)[1:] == [(0, 0, 0, 0)] * 31
    assert m.ram[base + 65] == 16
    assert playing(m)[0] == 63


def test_thirty_two_notes_at_most(m: Machine) -> None:
    play(m, "c" * 40)
    assert notes(m, 63) == [(36, 5, 5, 0)] * 32
    assert bytes(m.ram[SFX + 68 * 63 + 64: SFX + 68 * 64]) == bytes([0, 4, 0, 0])


def test_all_four_inline_sfx_playing_reuses_63(m: Machine) -> None:
    assert [play(m, "c") for _ in range(4)] == [63, 62, 61, 60]
    assert play(m, "d") == 63
    assert notes(m, 63)[0] == (38, 5, 5, 0)


def test_one_shot_print_plays_the_command_and_skips_its_text(m: Machine) -> None:
    data = b"\x07ce-g 1"
    buf = ffi.from_buffer("uint8_t[]", data)
    lib.p8_print(m.state, buf, len(data), 0, 0, 0, 1)
    assert playing(m) == [63, -1, -1, -1]
    assert notes(m, 63)[:3] == [(36, 5, 5, 0), (39, 5, 5, 0), (43, 5, 5, 0)]
    # only "1" is drawn, at x = 0: the command and its space print nothing
    row = m.screen_pixels()[0]
    assert row[:4] == [6, 6, 0, 0]
