"""What the synth costs on the RP2040 for a cart's music: EMULATED cycles of
`p8_audio_render` per 30 fps frame (735 samples), median and p95.

    python benches/audio_cost.py ../shared/corpus/carts/jelpi.p8 ... [--frames 300] [--json OUT]

For each .p8 cart a copy is made whose code only starts its music -- the
pattern of the first `music(N)` with N >= 0 in its code, else its first
pattern with sound -- and `rp8 bench COPY --mode rp2040` runs it; the figure
is the bench's audio phase (the same p8_audio_render call the firmware
makes after each frame), so the cart's own drawing does not slow the run.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from console import audio_render as ar  # noqa: E402
from console.cart import load_cart  # noqa: E402


def start_pattern(cart: Path) -> int:
    loaded = load_cart(cart)
    for m in re.finditer(r"\bmusic\s*\(\s*(\d+)", loaded.code):
        return int(m.group(1))
    data = bytes(loaded.data)
    return next((n for n in range(64) if not ar.pattern_is_empty(data, n)), 0)


def music_only(cart: Path, pattern: int, out: Path) -> None:
    text = cart.read_text(encoding="utf-8", errors="surrogateescape")
    lua = f"function _init() music({pattern}) end\nfunction _update() end\nfunction _draw() end\n"
    text = re.sub(r"__lua__\n.*?(?=^__\w+__$)", lambda _: "__lua__\n" + lua, text, count=1,
                  flags=re.S | re.M)
    out.write_text(text, encoding="utf-8", errors="surrogateescape")


def measure(cart: Path, frames: int) -> dict[str, object]:
    pattern = start_pattern(cart)
    with tempfile.TemporaryDirectory(prefix="rp8-audio-cost-") as tmp:
        copy = Path(tmp) / cart.name
        music_only(cart, pattern, copy)
        result = Path(tmp) / "bench.json"
        subprocess.run([sys.executable, "-m", "console", "bench", str(copy), "--mode", "rp2040",
                        "--frames", str(frames), "--json", str(result), "--quiet"],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        mode = json.loads(result.read_text())["modes"][0]
    audio = [f["audio"] for f in mode["device"]["frames"]]
    p95 = sorted(audio)[int(0.95 * (len(audio) - 1))]
    return {"cart": cart.name, "pattern": pattern, "median": statistics.median(audio),
            "p95": p95, "frames": len(audio)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("carts", nargs="+", type=Path)
    ap.add_argument("--frames", type=int, default=300)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    rows = []
    print(f"{'cart':24} {'pattern':>7} {'median':>10} {'p95':>10}  EMULATED cycles per frame")
    for cart in args.carts:
        row = measure(cart, args.frames)
        rows.append(row)
        print(f"{row['cart']:24} {row['pattern']:>7} {row['median']:>10,.0f} {row['p95']:>10,.0f}",
              flush=True)
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
