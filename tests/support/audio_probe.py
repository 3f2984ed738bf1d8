"""Measuring rendered sound: helpers shared by the test_audio_* files (no tests here)."""
from __future__ import annotations

import numpy as np

from console.audio_render import RATE, TICK, pack_note, poke_sfx, render
from console.machine import Machine

__all__ = ["RATE", "TICK", "pack_note", "poke_sfx", "samples", "frequency", "crossings",
           "rms", "note_window"]


def samples(m: Machine, n: int) -> np.ndarray:
    """The next n samples of m as a float array."""
    return np.frombuffer(render(m, n).tobytes(), dtype=np.int16).astype(np.float64)


def crossings(a: np.ndarray) -> np.ndarray:
    """Sub-sample positions where the signal crosses zero going up."""
    idx = np.where((a[:-1] < 0) & (a[1:] >= 0))[0]
    return idx + (-a[idx]) / (a[idx + 1] - a[idx])


def frequency(a: np.ndarray) -> float:
    """Fundamental frequency from upward zero crossings (interpolated)."""
    z = crossings(a)
    assert len(z) >= 3, "too few zero crossings to measure a frequency"
    return RATE * (len(z) - 1) / (z[-1] - z[0])


def rms(a: np.ndarray) -> float:
    return float(np.sqrt(np.mean(a * a)))


def note_window(speed: int, note: int, start: float = 0.0, end: float = 1.0) -> slice:
    """The samples of note `note` of an sfx at `speed`, from fraction start to end of it."""
    n = speed * TICK
    return slice(int(note * n + start * n), int(note * n + end * n))
