"""Front-end speed on the largest corpus cart: median time of each pass of
aot.pipeline (lex, parse, resolve, Lua emission) over several runs. A benchmark, not a test.

Usage: python benches/frontend_bench.py [runs]
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from aot import pipeline  # noqa: E402
from support.aot_corpus import cart_source, text_carts  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def main(runs: int = 7) -> None:
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}")
        return
    sources = [cart_source(p) for p in text_carts(CORPUS)]
    src = max(sources, key=lambda s: len(s.text))
    times: dict[str, list[float]] = {p: [] for p in pipeline.PASSES}
    for _ in range(runs):
        # each pass's time is the pipeline run up to it less the run before it
        last = 0.0
        for p in pipeline.PASSES:
            t0 = time.perf_counter()
            pipeline.run(src, "lua", stop_after=p)
            total = time.perf_counter() - t0
            times[p].append(max(0.0, total - last))
            last = total
    print(f"{src.name}: {len(src.text)} bytes of code, {runs} runs (median)")
    for k, v in times.items():
        print(f"  {k:8s} {statistics.median(v) * 1000:7.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
