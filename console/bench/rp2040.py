"""Runs a bench image in the rp2040js emulator (Node.js) and counts cycles
between the image's BKPT markers.

rp2040js is pinned in benches/package.json and package-lock.json and
installed there with `npm ci` on first use (benches/node_modules is never
committed). A stamp written after a finished install records the hash of
those two files, so an install killed midway or made for another pin is
redone, never used. benches/rp2040_runner.mjs
loads the image, starts core0 from its vector table, answers each BKPT
(feeding the next frame's buttons into the mailbox) and prints the cycle
count at every marker as JSON.

What the figures are: rp2040js counts about one cycle per instruction plus
wait states for peripheral accesses; it has no XIP flash cache (every flash
read costs what an SRAM read does), no bus contention and runs core0 only.
They are emulated cycles, never measurements of a Pico.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from console import cache
from console.bench.image import ROOT, Image
from console.bench.mailbox import Mailbox
from console.errors import UserError

BENCHES = ROOT / "benches"
RUNNER = BENCHES / "rp2040_runner.mjs"


@dataclass
class RunResult:
    marks: list[tuple[int, int]] = field(default_factory=list)   # (bkpt, cycles so far)
    status: str = "timeout"
    mailbox: Optional[Mailbox] = None
    stack_peak: int = 0
    profile: Optional["Profile"] = None


@dataclass
class Profile:
    """Cycles by instruction address after the warm-up (exact counts, not
    samples), and the cycles of each call of a watched function (with all
    it calls) by the return address of that call."""
    pcs: dict[int, int]
    callers: dict[int, int]
    cycles: int


def missing() -> Optional[str]:
    """None when node is there, else what is missing (rp2040js itself is
    installed on demand by `ensure_rp2040js`)."""
    if shutil.which("node") is None:
        return "Node.js (`node`, 18 or newer)"
    return None


NPM_FILES = (BENCHES / "package.json", BENCHES / "package-lock.json")
STAMP = BENCHES / "node_modules" / ".rp8-installed"


def _pin() -> str:
    return cache.key(files=[f for f in NPM_FILES if f.is_file()])


def installed() -> bool:
    """rp2040js is installed, completely, as benches/ pins it today."""
    try:
        return STAMP.read_text().strip() == _pin()
    except OSError:
        return False


def ensure_rp2040js() -> None:
    """npm ci the pinned rp2040js into benches/ unless it is there (one
    install at a time: a lock in the cache folder)."""
    if installed():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise UserError("the rp2040js emulator needs npm to install it (benches/package.json)")
    with cache.locked(cache.lock_file("npm-" + cache.key(str(BENCHES.resolve())))):
        if installed():
            return
        pin = _pin()
        mode = "ci" if NPM_FILES[1].is_file() else "install"
        proc = subprocess.run([npm, mode, "--no-audit", "--no-fund"], cwd=BENCHES,
                              capture_output=True, text=True)
        if proc.returncode != 0 or not (BENCHES / "node_modules" / "rp2040js" / "package.json").is_file():
            raise UserError(f"npm {mode} of rp2040js in benches/ failed: "
                            + (proc.stderr.strip().splitlines() or ["no output"])[-1])
        STAMP.write_text(pin + "\n")


def run(image: Image, frames: int, buttons: Callable[[int], list[int]], seed_raw: int = 0,
        max_cycles: int = 400_000_000_000, max_frame_cycles: int = 1_000_000_000,
        progress: Optional[Callable[[int], None]] = None,
        profile_after: Optional[int] = None,
        profile_callers: tuple[int, ...] = ()) -> RunResult:
    """Run `frames` frames. With `profile_after` (frames of warm-up), the
    result also holds a per-instruction cycle profile of the frames after it
    (about three times slower to emulate)."""
    need = missing()
    if need is not None:
        raise UserError(f"rp2040 mode needs {need}")
    ensure_rp2040js()
    # buttons for every frame up front: the runner feeds them at each BKPT
    masks = [(list(buttons(f)) + [0] * 8)[:8] for f in range(frames + 1)]
    with tempfile.TemporaryDirectory(prefix="rp8-bench-") as tmp:
        job = Path(tmp) / "job.json"
        job.write_text(json.dumps({
            "bin": str(image.bin), "load": image.target.load, "vectors": image.target.vectors,
            "ram": image.target.ram, "frames": frames, "buttons": masks,
            "max_cycles": max_cycles, "seed_raw": seed_raw,
            "max_frame_cycles": max_frame_cycles,
            **({"profile": {"after": profile_after, "callers": list(profile_callers)}}
               if profile_after is not None else {}),
        }))
        # the runner reports `progress N` lines on stderr about once a second
        # the result goes to a file: a large one (a profile) would fill the
        # stdout pipe while this reads stderr to its end
        result = Path(tmp) / "result.json"
        with result.open("w") as out_file, subprocess.Popen(
                ["node", str(RUNNER), str(job)], stdout=out_file, stderr=subprocess.PIPE,
                text=True) as proc:
            errors = []
            assert proc.stderr is not None
            for line in proc.stderr:
                if line.startswith("progress ") and progress is not None:
                    progress(int(line.split()[1]))
                elif not line.startswith("progress "):
                    errors.append(line)
            code = proc.wait()
        stdout = result.read_text()
    if code != 0 or not stdout.strip():
        raise RuntimeError("rp2040js runner failed: " + "".join(errors).strip()[-800:])
    out = json.loads(stdout.strip().splitlines()[-1])
    prof = out.get("profile")
    return RunResult([(int(c), int(n)) for c, n in out["marks"]], out["status"],
                     Mailbox.from_json(out["mailbox"]), int(out["stack_peak"]),
                     None if prof is None else Profile(
                         {int(a): int(c) for a, c in prof["pcs"]},
                         {int(a): int(c) for a, c in prof["callers"]}, int(prof["cycles"])))
