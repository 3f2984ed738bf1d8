"""Runs a bench image in the rp2040js emulator (Node.js) and counts cycles
between the image's BKPT markers.

rp2040js is pinned in benches/package.json and package-lock.json. On first
use they and the runner scripts are copied into an entry of rp8's cache
(console.cache, kind "node", named by the hash of those files) and
`npm ci` installs rp2040js there, so a checkout and an installed rp8 (whose
package holds the files, but where site-packages may not be writable) work
alike, and an install killed midway is redone, never used.
rp2040_runner.mjs loads the image, starts core0 from its vector table, answers each BKPT
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

import sys

from console import cache, sources
from console.bench.image import Image
from console.bench.mailbox import Mailbox
from aot.errors import UserError


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


def _node_files() -> list[Path]:
    return [sources.NODE_DIR / name for name in sources.NODE_FILES]


def _entry_name() -> str:
    return "rp2040js-" + cache.key(files=[f for f in _node_files() if f.is_file()])[:16]


def installed() -> bool:
    """rp2040js is installed, completely, as benches/ pins it today."""
    return cache.is_complete(cache.kind_dir("node") / _entry_name())


def _npm_install(folder: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise UserError("the emulated modes need npm to install the pinned rp2040js emulator "
                        "(Node.js 18 or newer with npm)")
    for f in _node_files():
        shutil.copy2(f, folder / f.name)
    print(f"rp8: installing the pinned rp2040js emulator with npm (once) into "
          f"{cache.kind_dir('node')}", file=sys.stderr, flush=True)
    proc = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=folder,
                          capture_output=True, text=True)
    if proc.returncode != 0 or not (folder / "node_modules" / "rp2040js" / "package.json").is_file():
        raise UserError("npm ci of rp2040js failed: "
                        + (proc.stderr.strip().splitlines() or ["no output"])[-1])


def ensure_rp2040js() -> Path:
    """The folder holding rp2040js and the runner scripts, installed on first
    use (one install at a time: a lock in the cache folder)."""
    name = _entry_name()
    with cache.locked(cache.lock_file("npm-" + name)):
        return cache.entry("node", name, _npm_install)


def run(image: Image, frames: int, buttons: Callable[[int], list[int]], seed_raw: int = 0,
        max_cycles: int = 400_000_000_000, max_frame_cycles: int = 1_000_000_000,
        progress: Optional[Callable[[int], None]] = None,
        profile_after: Optional[int] = None,
        profile_callers: tuple[int, ...] = (), clock_mhz: float = 250.0) -> RunResult:
    """Run `frames` frames. With `profile_after` (frames of warm-up), the
    result also holds a per-instruction cycle profile of the frames after it
    (about three times slower to emulate). The image's clock reads the
    cycles so far at `clock_mhz`."""
    need = missing()
    if need is not None:
        raise UserError(f"rp2040 mode needs {need}")
    runner = ensure_rp2040js() / "rp2040_runner.mjs"
    # buttons for every frame up front: the runner feeds them at each BKPT
    masks = [(list(buttons(f)) + [0] * 8)[:8] for f in range(frames + 1)]
    with tempfile.TemporaryDirectory(prefix="rp8-bench-") as tmp:
        job = Path(tmp) / "job.json"
        job.write_text(json.dumps({
            "bin": str(image.bin), "load": image.target.load, "vectors": image.target.vectors,
            "ram": image.target.ram, "frames": frames, "buttons": masks,
            "max_cycles": max_cycles, "seed_raw": seed_raw,
            "max_frame_cycles": max_frame_cycles, "clock_mhz": clock_mhz,
            **({"profile": {"after": profile_after, "callers": list(profile_callers)}}
               if profile_after is not None else {}),
        }))
        # the runner reports `progress N` lines on stderr about once a second
        # the result goes to a file: a large one (a profile) would fill the
        # stdout pipe while this reads stderr to its end
        result = Path(tmp) / "result.json"
        with result.open("w") as out_file, subprocess.Popen(
                ["node", str(runner), str(job)], stdout=out_file, stderr=subprocess.PIPE,
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
