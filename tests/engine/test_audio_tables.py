"""The synth's constant tables (console/engine p8_audio.c, p8_wave.c) hold
what their formulas say: they replace divisions, which the Cortex-M0+ does
in a library call, so each entry must be the quotient it stands for."""
from __future__ import annotations

import re
from pathlib import Path

from console._engine import lib

ENGINE = Path(__file__).resolve().parents[2] / "console" / "engine"


def c_table(file: str, name: str) -> list[int]:
    """The numbers of `static const T name[N] = { ... };` in an engine file."""
    text = (ENGINE / file).read_text()
    m = re.search(rf"\b{name}\[\d+\]\s*=\s*\{{([^}}]*)\}}", text)
    assert m is not None, f"{name} not found in {file}"
    body = re.sub(r"/\*.*?\*/", "", m.group(1), flags=re.S)
    return [int(v) for v in re.findall(r"-?\d+", body)]


def test_pitch_increments() -> None:
    for key in range(64):
        assert lib.p8_audio_phase_inc(key) == round(440 * 2 ** ((key - 33) / 12) * 2 ** 32 / 22050)


def test_note_volumes_are_sevenths_of_q14() -> None:
    assert c_table("p8_audio.c", "vol_q14") == [v * 16384 // 7 for v in range(8)]


def test_filter_digits_are_the_base_3_digits_of_byte_64() -> None:
    table = c_table("p8_audio.c", "filter_digits")
    for b in range(256):
        d = table[b >> 3]
        assert (d & 3, d >> 2 & 3, d >> 4) == (b // 8 % 3, b // 24 % 3, b // 72 % 3), b


def test_noise_gain_by_key() -> None:
    assert c_table("p8_wave.c", "noise_gain") == [384 + 384 * (63 - key) ** 2 // 3969 for key in range(64)]
