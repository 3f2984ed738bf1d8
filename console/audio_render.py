"""Rendering the engine's sound to samples and WAV files.

The synth itself is C (console/engine/p8_audio.c); this module drives it
for tools and tests: play an sfx or a music pattern on a Machine, pull
22050 Hz mono 16-bit samples out with `p8_audio_render`, and wrap them in
a WAV file with the standard library's `wave` module. The desktop player
streams with the same `render`, one frame's worth of samples at a time, so
what a WAV holds is what the player plays.
"""
from __future__ import annotations

import io
import sys
import wave
from array import array
from typing import Callable

from console._engine import ffi, lib
from console.api_calls import ApiCalls
from console.machine import Machine

RATE = 22050
TICK = 183                       # samples per tick; an sfx note lasts speed ticks
CHUNK = 1024                     # samples rendered per engine call


def pack_note(key: int, wave: int = 0, vol: int = 7, fx: int = 0, custom: bool = False) -> int:
    """One note as PICO-8 stores it: pitch, waveform, volume, effect, SFX-instrument bit."""
    return (key & 63) | (wave & 7) << 6 | (vol & 7) << 9 | (fx & 7) << 12 | int(custom) << 15


def poke_sfx(machine: Machine, n: int, notes: list[int], speed: int = 16,
             loop_start: int = 0, loop_end: int = 0, filters: int = 0) -> None:
    """Write sfx `n` into RAM: up to 32 packed notes (the rest silent) and its header."""
    base = 0x3200 + 68 * n
    body = bytearray(68)
    for i, w in enumerate(notes[:32]):
        body[2 * i] = w & 0xFF
        body[2 * i + 1] = w >> 8
    body[64:68] = bytes([filters, speed, loop_start, loop_end])
    machine.ram[base:base + 68] = bytes(body)


def poke_pattern(machine: Machine, n: int, sfx: list[int | None], loop_start: bool = False,
                 loop_back: bool = False, stop: bool = False) -> None:
    """Write music pattern `n`: one sfx per channel (None = channel off) and its flags."""
    data = [(s if s is not None else 0x40 | ch) for ch, s in enumerate((sfx + [None] * 4)[:4])]
    data[0] |= 0x80 if loop_start else 0
    data[1] |= 0x80 if loop_back else 0
    data[2] |= 0x80 if stop else 0
    machine.ram[0x3100 + 4 * n:0x3100 + 4 * n + 4] = bytes(data)


def sfx_is_empty(data: bytes, n: int) -> bool:
    """Whether sfx `n` of cart data `data` has no audible note (every
    note's volume is 0), as an sfx the editor was never used on."""
    base = 0x3200 + 68 * n
    notes = data[base:base + 64]
    return all((notes[i] | notes[i + 1] << 8) >> 9 & 7 == 0 for i in range(0, 64, 2))


def pattern_is_empty(data: bytes, n: int) -> bool:
    """Whether music pattern `n` has every channel off (or only empty sfx
    on), so playing it is silence."""
    channels = data[0x3100 + 4 * n:0x3100 + 4 * n + 4]
    return all(c & 0x40 or sfx_is_empty(data, c & 0x3F) for c in channels)


def render(machine: Machine, nsamples: int) -> array:
    """The next `nsamples` mixed samples (signed 16-bit) of `machine`."""
    out = array("h", bytes(2 * nsamples))
    if nsamples:
        buf = ffi.from_buffer("int16_t[]", out)
        lib.p8_audio_render(machine.state, buf, nsamples)
    return out


def stat(machine: Machine, n: int) -> int:
    """stat(n) for the audio values 16..26 and 46..57, as an integer."""
    return lib.p8_audio_stat(machine.state, n) >> 16


def sfx(machine: Machine, n: int, channel: int = -1, offset: int = 0, length: int = 0) -> None:
    """sfx(n, channel, offset, length) as a cart would call it."""
    ApiCalls(machine).sfx(n, channel, offset, length)


def music(machine: Machine, n: int, fade_ms: int = 0, channel_mask: int = 0) -> None:
    """music(n, fade_len, channel_mask) as a cart would call it."""
    ApiCalls(machine).music(n, fade_ms, channel_mask)


def sfx_playing(machine: Machine) -> bool:
    return any(stat(machine, 46 + ch) >= 0 for ch in range(4))


def render_until_silent(machine: Machine, max_samples: int,
                        playing: Callable[[Machine], bool]) -> array:
    """Render until `playing(machine)` turns false (then one more chunk, so
    echoes and the final declick ring out) or `max_samples` are rendered."""
    out = array("h")
    while len(out) < max_samples:
        out.extend(render(machine, min(CHUNK, max_samples - len(out))))
        if not playing(machine):
            tail = min(RATE // 10, max_samples - len(out))
            out.extend(render(machine, tail))
            break
    return out


def render_sfx(data: bytes, n: int, max_seconds: float = 10.0) -> array:
    """Samples of sfx `n` of a cart whose data (0x4300 bytes or a full ROM)
    is `data`, from its start until it stops (at most `max_seconds`)."""
    machine = Machine(bytes(data))
    sfx(machine, n, 0)
    return render_until_silent(machine, int(max_seconds * RATE), sfx_playing)


def render_music(data: bytes, n: int, seconds: float | None = None,
                 max_seconds: float = 180.0) -> array:
    """Samples of the cart's music from pattern `n`: `seconds` long, or until
    the music stops (at most `max_seconds`) when `seconds` is None."""
    machine = Machine(bytes(data))
    music(machine, n)
    if seconds is not None:
        return render(machine, int(seconds * RATE))
    return render_until_silent(machine, int(max_seconds * RATE),
                               lambda m: stat(m, 57) != 0)


def wav_bytes(samples: array) -> bytes:
    """A mono 16-bit 22050 Hz WAV file holding `samples`."""
    data = array("h", samples)
    if data.itemsize != 2:
        raise ValueError("samples must be 16-bit")
    if sys.byteorder == "big":
        data.byteswap()
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(data.tobytes())
    return buf.getvalue()
