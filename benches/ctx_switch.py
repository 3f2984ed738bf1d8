"""What one context switch of compiled carts costs on this machine: the
assembly switch against the portable ucontext one (aot/runtime/rt_ctx.cpp).

    python benches/ctx_switch.py --round-trips 2000000 --runs 5

Builds tests/compiled/aot_ctx_probe.c twice (with and without -DRP8_CTX_PORTABLE=1)
with the host's g++/gcc at -O2 and prints the median time per switch of
each over the runs (one round trip is two switches).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNTIME = ROOT / "aot" / "runtime"
PROBE = ROOT / "tests" / "aot_ctx_probe.c"


def build(work: Path, name: str, flags: list[str]) -> Path:
    obj, exe = work / f"ctx-{name}.o", work / f"probe-{name}"
    subprocess.run(["g++", "-std=c++17", "-O2", "-fno-exceptions", "-fno-rtti", *flags, f"-I{RUNTIME}", "-c",
                    str(RUNTIME / "rt_ctx.cpp"), "-o", str(obj)], check=True)
    subprocess.run(["gcc", "-std=c11", "-O2", "-mno-red-zone", *flags, f"-I{RUNTIME}", str(PROBE), str(obj),
                    "-o", str(exe)], check=True)
    return exe


def ns_per_switch(exe: Path, round_trips: int) -> float:
    out = subprocess.run([str(exe), "bench", str(round_trips)], capture_output=True, text=True, check=True).stdout
    return float(out.split()[0])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--round-trips", type=int, default=2_000_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as d:
        exes = {"assembly": build(Path(d), "asm", []), "portable": build(Path(d), "portable", ["-DRP8_CTX_PORTABLE=1"])}
        times: dict[str, list[float]] = {name: [] for name in exes}
        for _ in range(args.runs):          # interleaved, so load changes hit both alike
            for name, exe in exes.items():
                times[name].append(ns_per_switch(exe, args.round_trips))
    med = {name: statistics.median(ts) for name, ts in times.items()}
    for name, m in med.items():
        print(f"{name:9} {m:8.1f} ns per switch (median of {args.runs} runs of {args.round_trips} round trips)")
    print(f"portable / assembly: {med['portable'] / med['assembly']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
