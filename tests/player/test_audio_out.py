"""The sound stream's ring buffer and frame arithmetic, deterministically
(no device, no clock): what the audio callback hands the card."""
from __future__ import annotations

from array import array

from console.audio_out import RATE, SampleRing, frame_samples, scale


def samples(*values: int) -> bytes:
    return array("h", values).tobytes()


def take(ring: SampleRing, n: int) -> list[int]:
    out = array("h", bytes(2 * n))
    ring.read_into(out)
    return list(out)


def test_fifo_order_across_the_wrap() -> None:
    ring = SampleRing(5)
    assert ring.write(samples(1, 2, 3, 4)) == 4
    assert take(ring, 3) == [1, 2, 3]
    assert ring.write(samples(5, 6, 7, 8)) == 4      # wraps at the end of the buffer
    assert ring.fill() == 5
    assert take(ring, 5) == [4, 5, 6, 7, 8]
    assert ring.fill() == 0 and ring.underruns == 0


def test_short_reads_are_silence_and_count_only_while_live() -> None:
    ring = SampleRing(8)
    assert take(ring, 4) == [0, 0, 0, 0]              # not live yet: no gap counted
    assert ring.underruns == 0 and ring.played == 4
    ring.live = True
    ring.write(samples(-7, 9))
    assert take(ring, 5) == [-7, 9, 0, 0, 0]
    assert (ring.underruns, ring.underrun_samples) == (1, 3)
    ring.live = False                                 # the pause menu: silence is wanted
    assert take(ring, 2) == [0, 0]
    assert (ring.underruns, ring.underrun_samples) == (1, 3)
    assert (ring.written, ring.read, ring.played) == (2, 2, 11)


def test_a_full_ring_drops_the_newest() -> None:
    ring = SampleRing(3)
    assert ring.write(samples(1, 2, 3, 4, 5)) == 3
    assert ring.dropped == 2
    assert take(ring, 3) == [1, 2, 3]


def test_frames_hold_exact_seconds_of_sound() -> None:
    assert frame_samples(0, 30) == 735
    assert [frame_samples(i, 60) for i in range(4)] == [367, 368, 367, 368]
    assert sum(frame_samples(i, 60) for i in range(60 * 7)) == 7 * RATE
    assert sum(frame_samples(i, 30) for i in range(30 * 7)) == 7 * RATE


def test_volume_scales_and_mutes() -> None:
    s = array("h", [8000, -8000, 7])
    assert scale(s, 8) is s
    assert list(scale(s, 4)) == [4000, -4000, 3]
    assert list(scale(s, 0)) == [0, 0, 0]
