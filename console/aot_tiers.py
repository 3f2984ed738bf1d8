"""Which build of a compiled cart a play runs: the quick one or the optimised one.

A cart's library comes in two tiers (aot_toolchain.TIERS, cart_opt): the
optimised build, and a quick build that compiles in a fraction of the time
and runs the cart's own code somewhat slower. `rp8 run --aot` plays them
tiered: the optimised build when the cache has it; else the quick build
(compiled first when missing), while a detached process at the lowest
priority (nice 19) makes the optimised build for the next play. Benches,
tests and the other callers ask for one tier.

The background build is a cache entry like any other (console/cache.py:
made in a temporary folder, renamed into place complete), so a console or
a build killed midway leaves no entry, only a temporary folder that pruning
removes. One background build per cart at a time: it holds a lock named by
the optimised build's key, taken by the player that starts it and handed to
the child; and one background build at all at a time (a second lock), so
a player reloading an edited cart (--watch) starts no pile of them. When
the optimised build fails, the failure is kept as its own
entry (failed-KEY, with the compiler's message) so later plays run the
quick build without trying again; a failed or half-made build is never
loaded, since only a complete entry under the exact key is.

The quick build is not swapped for the optimised one within a session: the
cart's state (heap, globals, coroutine stacks with return addresses) lives
in the loaded library and points into its code, so it cannot move to the
other build. A cart that load()s a cart, itself included, gets whichever
build is ready by then.

`python -m console.aot_tiers JOB` is the background build (JOB: a folder
with the units and job.json, removed when done).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from aot.cpp_backend import CppCart
from aot.errors import UserError
from console import aot_build, cache
from console.aot_toolchain import BuildError, Toolchain, player_toolchain

MODES = ("tiered", "quick", "optimised")
MODE_ENV = "RP8_AOT_BUILD"       # `rp8 run --aot`'s default mode
FAILED = "failed"                # the entry that records a failed optimised build
LOG = "build.log"
BACKGROUND_LOCK = "aot-background"   # held by the one background build running


@dataclass
class Library:
    """The cart library a play loads, and which build it is."""
    path: Path
    tier: str               # "quick" or "optimised"


def default_mode() -> str:
    """`rp8 run --aot`'s mode: $RP8_AOT_BUILD, else tiered."""
    mode = os.environ.get(MODE_ENV) or "tiered"
    if mode not in MODES:
        raise UserError(f"{MODE_ENV}={mode}: not a build mode (one of {', '.join(MODES)})")
    return mode


def lock_of(key: str) -> Path:
    """The lock a background build of the optimised entry KEY holds."""
    return cache.lock_file(f"aot-{key}")


def failure_of(key: str) -> Optional[Path]:
    """The compiler's message of a failed optimised build KEY, if one failed."""
    folder = cache.kind_dir("aot") / f"{FAILED}-{key}"
    return folder / LOG if cache.is_complete(folder) else None


def cart_library(cart: CppCart, rom: bytes, tc: Toolchain, mode: str = "optimised",
                 say: Optional[Callable[[str], None]] = None, name: str = "the cart") -> Library:
    """The library to play in mode (MODES), built when missing; tiered mode
    says which build runs unless it is the optimised one."""
    if mode not in MODES:
        raise UserError(f"{mode}: not a build mode (one of {', '.join(MODES)})")
    if mode != "tiered":
        return Library(aot_build.build_player_library(cart, rom, tc, say, name, tier=mode), mode)
    fast = aot_build.find_player_library(cart, rom, tc, "optimised")
    if fast is not None:
        return Library(fast, "optimised")
    quick = aot_build.build_player_library(cart, rom, tc, say, name, tier="quick")
    key = aot_build.library_key(cart, rom, player_toolchain(tc), "optimised")
    failed = failure_of(key)
    if failed is not None:
        why = f"its optimised build failed ({failed})"
    else:
        try:
            why = BACKGROUND_SAYS[start_background(cart, rom, tc, key)]
        except OSError as err:          # no process to be had: the quick build still plays
            why = f"the optimised build could not be started ({err.strerror or err})"
    if say is not None:
        say(f"playing the quick build of {name}; {why}")
    return Library(quick, "quick")


BACKGROUND_SAYS = {
    "started": "the optimised build is being made in the background for the next play",
    "running": "another rp8 is making the optimised build in the background",
    "busy": "the optimised build starts on a later play (another cart's is being made now)",
    "done": "the optimised build is ready for the next play",
}


def start_background(cart: CppCart, rom: bytes, tc: Toolchain, key: str) -> str:
    """Start the optimised build of the cart in a detached process at the
    lowest priority: "started"; else "running" (one is already), "busy"
    (another cart's background build runs: one at a time, so a player
    reloading an edited cart starts no pile of them) or "done"."""
    fd = cache.hold(lock_of(key))
    if fd is None:
        return "running"
    try:
        if aot_build.find_player_library(cart, rom, tc, "optimised") is not None:
            return "done"
        one = cache.hold(cache.lock_file(BACKGROUND_LOCK))
        if one is None:
            return "busy"
        try:
            job = write_job(cart, rom, tc, key)
            try:
                with open(job / LOG, "w") as log:
                    subprocess.Popen([sys.executable, "-m", "console.aot_tiers", str(job)], pass_fds=(fd, one),
                                     stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
            except OSError:
                shutil.rmtree(job, ignore_errors=True)
                raise
        finally:
            os.close(one)
        return "started"
    finally:
        os.close(fd)            # the child's copies keep both locks until it ends


def write_job(cart: CppCart, rom: bytes, tc: Toolchain, key: str) -> Path:
    """A job folder for build_job: the cart's units and job.json (the key,
    the player toolchain), in the cache (pruned if a killed build leaves it)."""
    job = Path(tempfile.mkdtemp(prefix=cache.TMP_PREFIX + "job-", dir=cache.kind_dir("aot")))
    srcs = aot_build.write_units(cart, rom, job)
    ptc = player_toolchain(tc)
    (job / "job.json").write_text(json.dumps({
        "key": key, "cxx": ptc.cxx, "cc": ptc.cc, "ar": ptc.ar, "flags": list(ptc.flags),
        "srcs": [s.name for s in srcs]}))
    return job


def build_job(job: Path) -> bool:
    """The optimised build a job folder describes, into the cache entry its
    key names; the compiler's refusal is recorded as the entry failed-KEY.
    The job folder is removed either way."""
    try:
        spec = json.loads((job / "job.json").read_text())
        key = spec["key"]
        ptc = Toolchain(spec["cxx"], spec["cc"], spec["ar"], tuple(spec["flags"]))
        srcs = [job / s for s in spec["srcs"]]
        try:
            cache.entry("aot", aot_build.library_name(key), lambda stage: aot_build.link_library(
                srcs, ptc, "optimised", stage))
        except BuildError as err:       # the compiler refused: the same next time
            cache.entry("aot", f"{FAILED}-{key}", lambda stage: (stage / LOG).write_text(f"{err}\n"))
            return False
        except UserError:               # the cache or the tools, perhaps not for long: tried again next play
            return False
        return True
    finally:
        shutil.rmtree(job, ignore_errors=True)


def main(argv: list[str]) -> int:
    try:
        os.nice(19)
    except (AttributeError, OSError):
        pass
    return 0 if build_job(Path(argv[0])) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
