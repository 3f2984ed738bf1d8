"""Front-end speed on the largest corpus cart: median time of parse +
resolve + Lua emission over several runs. A benchmark, not a test.

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

from aot.lua_backend import emit_lua  # noqa: E402
from aot.parser import Parser  # noqa: E402
from aot.resolver import resolve  # noqa: E402
from aot_corpus import cart_source, text_carts  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def main(runs: int = 7) -> None:
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}")
        return
    sources = [cart_source(p) for p in text_carts(CORPUS)]
    src = max(sources, key=lambda s: len(s.text))
    times = {"parse": [], "resolve": [], "emit": [], "total": []}
    for _ in range(runs):
        t0 = time.perf_counter()
        chunk = Parser(src).chunk()
        t1 = time.perf_counter()
        resolve(chunk, src)
        t2 = time.perf_counter()
        emit_lua(chunk)
        t3 = time.perf_counter()
        for k, v in zip(times, (t1 - t0, t2 - t1, t3 - t2, t3 - t0)):
            times[k].append(v)
    print(f"{src.name}: {len(src.text)} bytes of code, {runs} runs (median)")
    for k, v in times.items():
        print(f"  {k:8s} {statistics.median(v) * 1000:7.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
