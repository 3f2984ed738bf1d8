"""Start-up time of a cart: from `rp8 run` to the first frame, median of N
runs, wall clock and CPU time (user + system of the child process; the wall
clock of a busy machine waits for the CPU). A benchmark, not a test.

  interpreter, cold   rp8 run CART --headless --frames 1, with an empty cache
  interpreter, warm   the same, the cache filled by an earlier start
  window, warm        rp8 run CART until the first frame is presented
                      (SDL_VIDEODRIVER=dummy: no display needed)
  aot, empty cache    rp8 run CART --aot --headless --frames 1, nothing built yet
                      but what the install prebuilt (console/_prebuilt: `python -m
                      console.aot_prebuilt` makes it in a checkout); --no-prebuilt
                      leaves that out (RP8_NO_PREBUILT=1)
  aot, new cart       the runtime library built, the cart not (a changed copy): its
                      first play runs the quick build (console/aot_tiers.py); the
                      optimised build it starts in the background is waited for
                      after the run, untimed
  aot, new, optimised the same with RP8_AOT_BUILD=optimised: the optimised build
                      compiled before the first frame (the first play before tiers)
  aot, second play    both built: the optimised build loaded

Children run with Python's bytecode cache on (in a private folder, filled
by a first run), as an installed rp8 runs.

Usage: python benches/startup.py [CART] [--runs N] [--aot] [--no-window]
The default cart is the largest corpus cart by tokens (../shared/corpus).
"""
from __future__ import annotations

import argparse
import fcntl
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "carts"

# the window's first frame: present it, then leave at once
WINDOW_PROBE = """
import os, sys
from console import player
shown = player.Player._present
def first(self, rgb):
    shown(self, rgb)
    os._exit(0)
player.Player._present = first
sys.argv = ["rp8", "run", sys.argv[1]]
from console.cli import main
sys.exit(main())
"""


def largest_cart() -> Path:
    sys.path.insert(0, str(ROOT))
    from console.cart import load_cart
    from console.cart.tokens import count_tokens

    carts = sorted(CORPUS.glob("*.p8"))
    return max(carts, key=lambda p: count_tokens(load_cart(p).code))


def has_prebuilt_runtime() -> bool:
    """This tree carries a runtime for --aot built for this toolchain."""
    sys.path.insert(0, str(ROOT))
    from console import aot_prebuilt, aot_toolchain as tools

    return aot_prebuilt.find(tools.runtime_name(tools.player_toolchain(tools.host_toolchain()))) is not None


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one child run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def wait_for_background(cache_dir: Path) -> None:
    """Wait until no background build of an optimised cart library runs
    (each holds its lock, console/aot_tiers.lock_of)."""
    for lock in sorted((cache_dir / ".locks").glob("aot-*.lock")):
        with lock.open("rb") as f:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX)


def changed_copy(cart: Path, folder: Path, n: object) -> Path:
    """The cart with one more comment line: new code, so a new build."""
    text = cart.read_text(encoding="utf-8")
    out = folder / f"new{n}-{cart.name}"
    out.write_text(text.replace("__lua__\n", f"__lua__\n-- startup bench {n}\n", 1), encoding="utf-8")
    return out


def measure(label: str, runs: int, once: Callable[[int], tuple[float, float]]) -> None:
    walls, cpus = [], []
    for i in range(runs):
        wall, cpu = once(i)
        walls.append(wall)
        cpus.append(cpu)
    print(f"{label:22s} wall {statistics.median(walls):6.2f} s   cpu {statistics.median(cpus):6.2f} s"
          f"   (wall min {min(walls):.2f}, max {max(walls):.2f}; {runs} runs)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cart", nargs="?", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--aot", action="store_true", help="also time rp8 run --aot")
    ap.add_argument("--no-window", action="store_true", help="leave out the window's first frame")
    ap.add_argument("--no-prebuilt", action="store_true",
                    help="--aot builds the runtime into the cache even where the install prebuilt it")
    args = ap.parse_args()
    cart = (args.cart or largest_cart()).resolve()
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="rp8-startup-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(work / "pyc"),
                   RP8_CACHE=str(work / "cache"), SDL_VIDEODRIVER="dummy")
        if args.no_prebuilt:
            env["RP8_NO_PREBUILT"] = "1"
        run = [py, "-m", "console", "run", str(cart), "--headless", "--frames", "1"]
        timed(run, env)                                   # bytecode and cache filled
        print(f"{cart.name}: first frame, median of {args.runs} runs "
              f"({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f})")

        def cold(i: int) -> tuple[float, float]:
            shutil.rmtree(work / "cache", ignore_errors=True)
            return timed(run, env)

        measure("interpreter, cold", args.runs, cold)
        measure("interpreter, warm", args.runs, lambda i: timed(run, env))
        if not args.no_window:
            probe = work / "window_probe.py"
            probe.write_text(WINDOW_PROBE)
            measure("window, warm", args.runs, lambda i: timed([py, str(probe), str(cart)], env))
        if not args.aot:
            return
        aot = run + ["--aot"]

        env.pop("RP8_AOT_BUILD", None)                    # tiered, as a user's first play
        optimised = {**env, "RP8_AOT_BUILD": "optimised"}

        def after_background(result: tuple[float, float]) -> tuple[float, float]:
            wait_for_background(work / "cache")
            return result

        def empty(i: int) -> tuple[float, float]:
            shutil.rmtree(work / "cache", ignore_errors=True)
            return after_background(timed(aot, env))

        def new(i: int, env: dict[str, str] = env, tag: str = "") -> tuple[float, float]:
            copy = changed_copy(cart, work, f"{tag}{i}")
            run_copy = [py, "-m", "console", "run", str(copy), "--headless", "--frames", "1", "--aot"]
            return after_background(timed(run_copy, env))

        prebuilt = not args.no_prebuilt and has_prebuilt_runtime()
        measure("aot, empty cache" + (" (runtime prebuilt)" if prebuilt else ""), max(1, args.runs // 2), empty)
        measure("aot, new cart", args.runs, new)
        measure("aot, new, optimised", args.runs, lambda i: new(i, optimised, "o"))
        measure("aot, second play", args.runs, lambda i: timed(aot, env))


if __name__ == "__main__":
    main()
