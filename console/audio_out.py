"""Live sound for the window: the synth's samples streamed to the sound card.

The frame loop renders each frame's samples with `p8_audio_render` (on the
cart's thread, so the synth stays serialised with cart code) and writes them
into a `SampleRing`; SDL's audio thread drains the ring from a callback. The
ring holds a lead of a few frames, so a slow frame does not starve the card,
and the frame loop is paced by the card: after a frame it waits until the
ring is back down to the lead. The lead starts at 93 ms and grows after
each underrun (a machine busy with other work), up to 372 ms. Emulated time and the sound card's clock so
stay within the lead of each other for as long as the cart plays, whatever
the display's or the OS timer's rate.

`AudioOut` opens the device through pygame 2's SDL2 binding
(pygame._sdl2.audio); the SDL driver is chosen as usual (SDL_AUDIODRIVER:
`disk` writes what the card would play to SDL_DISKAUDIOFILE, which is how
benches/audio_gaps.py measures gaps and drift).
"""
from __future__ import annotations

import sys
import threading
import time
from array import array
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    import ctypes

RATE = 22050
CHUNK = 512                 # samples per device callback (23 ms)
LEAD = 2048                 # samples kept queued ahead of the card (93 ms) ...
MAX_LEAD = 8192             # ... grown after each underrun, up to 372 ms
VOLUME_STEPS = 8            # volume 0..8; 8 plays the synth's samples unchanged


def frame_samples(frame: int, fps: int) -> int:
    """Samples that belong to frame `frame` (0-based) at `fps` frames per
    second: 735 at 30 fps, alternately 367 and 368 at 60, so any run of
    frames holds exactly frames / fps seconds of sound."""
    return (frame + 1) * RATE // fps - frame * RATE // fps


def scale(samples: array, volume: int) -> array:
    """`samples` at `volume` out of VOLUME_STEPS (0 is silence)."""
    if volume >= VOLUME_STEPS:
        return samples
    if volume <= 0:
        return array("h", bytes(2 * len(samples)))
    return array("h", [s * volume // VOLUME_STEPS for s in samples])


class SampleRing:
    """A fixed-size FIFO of signed 16-bit mono samples between one writer
    (the frame loop) and one reader (the audio callback).

    `read_into` always fills the whole buffer it is given: when fewer samples
    are queued, the rest is silence and, while the writer has declared the
    stream live, the shortfall is counted as an underrun (a gap the listener
    hears). Counters are totals since creation: `written`, `read` (samples
    taken from the ring), `played` (samples handed to the card, silence
    included)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._buf = bytearray(2 * capacity)
        self._lock = threading.Lock()
        self.written = 0
        self.read = 0
        self.played = 0
        self.live = False
        self.underruns = 0          # callbacks that found too few samples while live
        self.underrun_samples = 0   # silence inserted while live
        self.dropped = 0            # samples refused because the ring was full

    def fill(self) -> int:
        with self._lock:
            return self.written - self.read

    def write(self, data: bytes) -> int:
        """Queue the samples in `data` (int16, native order); returns how many
        were queued (the rest is dropped when the ring is full)."""
        n = len(data) // 2
        with self._lock:
            room = self.capacity - (self.written - self.read)
            take = min(n, room)
            start = self.written % self.capacity
            first = min(take, self.capacity - start)
            self._buf[2 * start:2 * (start + first)] = data[:2 * first]
            if take > first:
                self._buf[:2 * (take - first)] = data[2 * first:2 * take]
            self.written += take
            self.dropped += n - take
        return take

    def read_into(self, out: Any) -> int:
        """Fill `out` (a writable buffer of int16 samples) from the ring;
        returns how many samples came from the ring."""
        view = memoryview(out).cast("B")
        want = len(view) // 2
        with self._lock:
            have = min(want, self.written - self.read)
            start = self.read % self.capacity
            first = min(have, self.capacity - start)
            view[:2 * first] = self._buf[2 * start:2 * (start + first)]
            if have > first:
                view[2 * first:2 * have] = self._buf[:2 * (have - first)]
            self.read += have
            self.played += want
            if have < want:
                view[2 * have:2 * want] = bytes(2 * (want - have))
                if self.live:
                    self.underruns += 1
                    self.underrun_samples += want - have
        return have


def _sdl_library() -> Optional[ctypes.CDLL]:
    """The SDL2 library pygame has loaded (its wheel bundles one), for the
    calls that must release the GIL; None if it cannot be found."""
    import ctypes
    import glob
    import os

    import pygame

    candidates: list[str] = []
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                path = line.split()[-1] if "/" in line else ""
                name = os.path.basename(path)
                if name.startswith("libSDL2-2") or name.startswith("libSDL2.so") or \
                        name.startswith("libSDL2-2.0.so"):
                    candidates.append(path)
    except OSError:
        pass
    here = os.path.dirname(pygame.__file__)
    candidates += glob.glob(os.path.join(here, "SDL2.dll"))
    candidates += glob.glob(os.path.join(here, ".dylibs", "libSDL2-2*.dylib"))
    for path in candidates + ["find_library"]:
        if path == "find_library":      # last: it may run ldconfig (a tenth of a second)
            import ctypes.util

            path = ctypes.util.find_library("SDL2") or ""
            if not path:
                break
        try:
            lib = ctypes.CDLL(path)
            lib.SDL_WasInit.restype = ctypes.c_uint32
            if lib.SDL_WasInit(0x10):          # SDL_INIT_AUDIO: pygame's instance
                return lib
        except (OSError, AttributeError):
            continue
    return None


class AudioOut:
    """The sound card, fed from a SampleRing by SDL's audio thread."""

    def __init__(self, lead: int = LEAD, chunk: int = CHUNK) -> None:
        from console.pygame_load import load_pygame

        load_pygame()
        import pygame._sdl2.audio as sdl_audio
        import pygame._sdl2.sdl2 as sdl2

        self.lead = lead
        self.ring = SampleRing(max(2 * MAX_LEAD, RATE))
        self._underruns_seen = 0
        self.frame = 0
        self.stalled = False
        sdl2.init_subsystem(sdl2.INIT_AUDIO)
        # SDL's name for "the default device" (every driver knows it), then
        # the devices it lists
        names = ["System audio output device"] + list(sdl_audio.get_audio_device_names(False))
        last: Optional[Exception] = None
        for name in names:
            try:
                self.device = sdl_audio.AudioDevice(
                    devicename=name, iscapture=False, frequency=RATE,
                    audioformat=sdl_audio.AUDIO_S16LSB if sys.byteorder == "little"
                    else sdl_audio.AUDIO_S16MSB, numchannels=1, chunksize=chunk,
                    allowed_changes=0, callback=self._callback)
                break
            except Exception as err:   # pygame raises its own error type
                last = err
        else:
            raise RuntimeError(f"no audio device ({last})")
        self.started = False        # the card starts with the first frame's samples
        # SDL holds the device lock while the callback runs, and the callback
        # needs the GIL: pausing or closing through pygame (which keeps the
        # GIL) can deadlock with it, so those two calls go through ctypes,
        # which releases the GIL
        self._sdl = _sdl_library()
        self.closed = False
        import pygame

        pygame.register_quit(self.close)     # pygame.quit() closes us first

    def _callback(self, device: Any, buf: memoryview) -> None:
        self.ring.read_into(buf)

    def push(self, samples: array, volume: int = VOLUME_STEPS) -> None:
        """Queue one frame's samples (at `volume`). After idle(), a lead of
        silence goes first, so the frames that follow are paced at once."""
        if not self.ring.live:
            short = self.lead - self.ring.fill()
            if short > 0:
                self.ring.write(bytes(2 * short))
            self.ring.live = True
        self.ring.write(scale(samples, volume).tobytes())
        self.frame += 1
        if not self.started:
            self.started = True
            self._pause(0)

    def idle(self) -> None:
        """No samples are coming for a while (the pause menu, an error
        screen): the silence that follows is not a gap."""
        self.ring.live = False

    def wait_for_card(self) -> bool:
        """Wait until the card has played the ring down to the lead. Returns
        False (and waits no longer from then on) if the card stops taking
        samples, so the caller can pace by the clock instead."""
        if self.stalled:
            return False
        if self.ring.underruns != self._underruns_seen:
            # the card ran dry: this machine has slower frames than the lead
            # covers, so keep more queued from now on
            self._underruns_seen = self.ring.underruns
            self.lead = min(MAX_LEAD, self.lead * 3 // 2)
        deadline = time.monotonic() + 0.5
        while True:
            excess = self.ring.fill() - self.lead
            if excess <= 0:
                return True
            if time.monotonic() > deadline:
                self.stalled = True
                print("rp8: the sound card stopped taking samples; pacing by the clock",
                      file=sys.stderr)
                return False
            time.sleep(min(excess / RATE, 0.004))

    def _pause(self, on: int) -> None:
        if self._sdl is not None:
            import ctypes

            self._sdl.SDL_PauseAudioDevice(ctypes.c_uint32(self.device.deviceid), on)
        else:
            self.device.pause(on)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self._sdl is not None:
            import ctypes

            self._pause(1)
            self._sdl.SDL_CloseAudioDevice(ctypes.c_uint32(self.device.deviceid))
        self.device.close()          # after the ctypes close, only forgets the id


__all__ = ["AudioOut", "SampleRing", "frame_samples", "scale", "RATE", "LEAD", "VOLUME_STEPS"]
