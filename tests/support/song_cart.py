"""A small .p8 cart with sfx and a two-pattern song, written for the sound
tests (test_audio_wav.py) and the command line's (test_cli.py)."""
from __future__ import annotations

from pathlib import Path

P8_HEADER = "pico-8 cartridge // http://www.pico-8.com\nversion 41\n__lua__\n\n"


def p8_sfx_line(notes: list[tuple[int, int, int, int]], speed: int, loop: tuple[int, int] = (0, 0),
                filters: int = 0) -> str:
    """One __sfx__ line of a .p8 file: header bytes, then pitch/wave/volume/effect per note."""
    head = f"{filters:02x}{speed:02x}{loop[0]:02x}{loop[1]:02x}"
    body = "".join(f"{k:02x}{w:x}{v:x}{e:x}" for k, w, v, e in notes)
    return head + body + "00000" * (32 - len(notes))


def write_cart(tmp_path: Path) -> Path:
    # sfx 0: 8 notes of A (pitch 33) square at speed 2; sfx 1: looping C; sfx 2: a 2-pattern song
    sfx = [
        p8_sfx_line([(33, 3, 7, 0)] * 8, 2),
        p8_sfx_line([(24, 0, 5, 0)] * 4, 1, loop=(0, 4)),
        p8_sfx_line([(36, 5, 6, 0)] * 32, 1),
    ] + [p8_sfx_line([], 16)] * 61
    music = ["00 02424344", "04 02424344"] + ["00 41424344"] * 62   # pattern 1: stop
    text = P8_HEADER + "__sfx__\n" + "\n".join(sfx) + "\n__music__\n" + "\n".join(music) + "\n"
    path = tmp_path / "song.p8"
    path.write_text(text)
    return path
