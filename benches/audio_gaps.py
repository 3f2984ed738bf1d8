"""Gaps and drift of the window's live sound, measured at the sound card.

Plays a music cart in the real player (console.player.Player) for S seconds
of wall time with SDL's dummy video driver and its disk audio driver, which
writes every sample the device callback hands the "card" to a file at the
card's own pace. Everything the player queued is recorded too, so the file
is that stream with silence inserted wherever the card found the queue
empty; the inserted runs are the gaps a listener hears.

Reports: gaps >= 5 ms (count, total, longest), and the drift between
emulated time (frames run / fps) and card time (samples played / 22050) at
the start and end of the run. Optional --stall-ms makes every 150th frame
that much slower, to show the lead riding out slow frames.

    python benches/audio_gaps.py [CART] [--seconds 60] [--stall-ms 0]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_CART = ROOT.parent / "shared" / "corpus" / "carts" / "pcraft.p8"
RATE = 22050
GAP = RATE * 5 // 1000          # 5 ms


def inserted_runs(queued: array, heard: array) -> list[int]:
    """Lengths of the runs of silence in `heard` that are not in `queued`
    (heard = queued with zero runs inserted, then a silent tail)."""
    runs: list[int] = []
    i = j = 0
    run = 0
    while i < len(heard) and j < len(queued):
        if heard[i] == queued[j]:
            if run:
                runs.append(run)
                run = 0
            i += 1
            j += 1
        elif heard[i] == 0:
            run += 1
            i += 1
        else:
            raise SystemExit(f"the card played a sample that was never queued (at {i})")
    if run:
        runs.append(run)
    return runs


def _leading_zeros(a: array) -> int:
    n = 0
    while n < len(a) and a[n] == 0:
        n += 1
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cart", nargs="?", type=Path, default=DEFAULT_CART)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--stall-ms", type=float, default=0.0,
                    help="make every 150th frame this much slower")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="rp8-audio-"))
    disk = work / "card.raw"
    os.environ.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="disk",
                      SDL_DISKAUDIOFILE=str(disk), RP8_CONFIG=str(work / "config"),
                      RP8_DATA=str(work / "data"), PYGAME_HIDE_SUPPORT_PROMPT="1")
    from console.player import Player

    player = Player(args.cart, seed=0, scale=1, capture_dir=work)
    audio = player.audio
    if audio is None:
        raise SystemExit("no audio device opened")
    queued = array("h")
    ring_write = audio.ring.write

    def record(data: bytes) -> int:
        n = ring_write(data)
        queued.frombytes(bytes(data[:2 * n]))
        return n

    audio.ring.write = record                      # type: ignore[method-assign]
    real_run = player._run_frame

    frame_ms: list[float] = []

    def run_frame() -> bool:
        t0 = time.perf_counter()
        if args.stall_ms and player.audio_frame % 150 == 149:
            time.sleep(args.stall_ms / 1000)
        played = real_run()
        frame_ms.append((time.perf_counter() - t0) * 1000)
        return played

    player._run_frame = run_frame                  # type: ignore[method-assign]

    def drift() -> float:
        emulated = player.audio_frame / player.console.fps()
        return emulated - audio.ring.played / RATE

    start = time.monotonic()
    player.tick()
    first = drift()
    while time.monotonic() - start < args.seconds and player.console.running:
        player.tick()
    last = drift()
    wall = time.monotonic() - start
    frames = player.audio_frame
    player.close()

    heard = array("h")
    heard.frombytes(disk.read_bytes())
    # SDL writes silence while the device is paused (before the first frame's
    # samples): not a gap, so drop the zeros the queue does not start with
    pre = max(0, _leading_zeros(heard) - _leading_zeros(queued))
    heard = heard[pre:]
    runs = inserted_runs(queued, heard)
    unplayed = len(queued) - (len(heard) - sum(runs))
    gaps = [r for r in runs if r >= GAP]
    print(f"cart {args.cart.name}: {frames} frames in {wall:.1f} s of wall time, "
          f"{len(heard) / RATE:.1f} s played by the card after {pre / RATE * 1000:.0f} ms of "
          "pre-roll")
    print(f"gaps >= 5 ms: {len(gaps)} (total {sum(gaps) / RATE * 1000:.0f} ms, "
          f"longest {max(gaps, default=0) / RATE * 1000:.0f} ms); "
          f"shorter: {len(runs) - len(gaps)}; underruns counted by the ring: {audio.ring.underruns}")
    frame_ms.sort()
    print(f"frame time: median {frame_ms[len(frame_ms) // 2]:.1f} ms, "
          f"slowest {frame_ms[-1]:.0f} ms; frames over 93 ms: {sum(t > 93 for t in frame_ms)}; "
          f"lead at the end {audio.lead / RATE * 1000:.0f} ms")
    print(f"emulated time - card time: {first * 1000:+.0f} ms after the first frame, "
          f"{last * 1000:+.0f} ms after {wall:.0f} s: drift {(last - first) * 1000:+.0f} ms "
          f"({unplayed / RATE * 1000:.0f} ms still "
          "queued at the end)")
    return 0 if not gaps else 1


if __name__ == "__main__":
    sys.exit(main())
