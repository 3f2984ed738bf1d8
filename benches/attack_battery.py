"""The long extreme-argument battery (issue 15, finding 8): every API
function x the extremes a cart can make, each call in its own coroutine,
for many rounds in both consoles (tests/attack/test_attack_battery.py runs a few).
Prints, per console, the calls tried and whether the run stayed contained
(exit 0, no signal, no traceback, no API result out of fix32's range).
Not a test.

Usage: python benches/attack_battery.py [frames] [--aot-only | --interp-only]
"""
from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.attack_battery import api_names, battery_cart  # noqa: E402
from support.attack_kit import run_cart  # noqa: E402

CALLS = 24


def one(aot: bool, frames: int) -> bool:
    names = api_names()
    code = battery_cart(names, calls=CALLS, string_log2=19 if aot else 20)
    with tempfile.TemporaryDirectory() as tmp:
        run = run_cart(Path(tmp), code, aot=aot, frames=frames, timeout=60, wall=3600)
    rounds = [int(m.group(1)) for m in re.finditer(r"^round \d+ bad (\d+)$", run.out, re.M)]
    bad = sum(rounds)
    ok = (run.rc == 0 and not run.timed_out and "Traceback" not in run.text() and bad == 0)
    label = "aot" if aot else "interp"
    print(f"{label}: {len(rounds)} rounds, {len(rounds) * len(names) * CALLS} calls tried "
          f"({len(names)} functions x {CALLS} per round), {bad} results out of range, "
          f"exit {run.rc}, {run.wall:.0f} s, peak {run.rss_mib:.0f} MiB: "
          f"{'contained' if ok else 'NOT CONTAINED'}")
    if not ok:
        print(run.err[-2000:])
    return ok


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    frames = int(args[0]) if args else 3000
    modes = [False, True]
    if "--aot-only" in sys.argv:
        modes = [True]
    if "--interp-only" in sys.argv:
        modes = [False]
    results = [one(aot, frames) for aot in modes]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
