"""A fingerprint of the sound every cart's data makes, to show that a synth
change keeps every sample (console/engine/p8_audio.c, p8_wave.c).

    python benches/audio_hash.py ../shared/corpus/carts ../shared/corpus/more > before.txt
    (change the synth, rebuild the engine)
    python benches/audio_hash.py ../shared/corpus/carts ../shared/corpus/more | diff before.txt -

One line per cart: the SHA-1 of every non-empty sfx played alone (up to 3 s)
and every non-empty music pattern played from its start (2 s), each rendered
in the player's 735-sample frames; then the number of sfx and patterns
heard. A cart that does not load is listed with the reason.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from console import audio_render as ar  # noqa: E402
from console.cart import load_cart  # noqa: E402
from console.compat.sweep import find_carts  # noqa: E402
from console.machine import Machine  # noqa: E402

FRAME = 735


def frames(machine: Machine, nsamples: int) -> bytes:
    out = bytearray()
    while nsamples > 0:
        n = min(FRAME, nsamples)
        out += ar.render(machine, n).tobytes()
        nsamples -= n
    return bytes(out)


def cart_hash(data: bytes) -> tuple[str, int, int]:
    h = hashlib.sha1()
    sfx = pats = 0
    for n in range(64):
        if ar.sfx_is_empty(data, n):
            continue
        m = Machine(data)
        ar.sfx(m, n, 0)
        h.update(frames(m, 3 * ar.RATE))
        sfx += 1
    for n in range(64):
        if ar.pattern_is_empty(data, n):
            continue
        m = Machine(data)
        ar.music(m, n)
        h.update(frames(m, 2 * ar.RATE))
        pats += 1
    return h.hexdigest(), sfx, pats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+", type=Path)
    args = ap.parse_args(argv)
    for folder in args.folders:
        for cart in find_carts([folder]):
            name = cart.relative_to(folder)
            try:
                data = bytes(load_cart(cart).data)
            except Exception as err:   # a cart that does not load is listed, not fatal
                print(f"{name} not loaded: {str(err).splitlines()[0] if str(err) else type(err).__name__}")
                continue
            digest, sfx, pats = cart_hash(data)
            print(f"{name} {digest} sfx={sfx} patterns={pats}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
