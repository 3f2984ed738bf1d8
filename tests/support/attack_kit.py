"""Shared helpers for the attack suite (tests/attack/): run a
hostile cart the way a player would, in a child process, and check that
it stayed contained.

    run = run_cart(tmp_path, "stop(setmetatable({}, ...))", aot=False)
    assert_contained(run, cart="attack.p8")

`run_cart` writes the code as a .p8 cart in a folder of its own and runs
`rp8 run --headless` on it with a wall-clock deadline and an address-space
ceiling; `assert_contained` checks what issue 15 calls containment: an
exit code of 0, 1 or 2 (never a signal, never killed at the deadline), no
Python traceback, an error as one line naming the cart (and its line,
where the cart has one), bounded wall time and peak RSS, and no host
secret in anything the run printed or wrote. Other helpers add their
findings to the suite with the same two calls (`run_cli` for commands
other than `run`).
"""
from __future__ import annotations

import os
import resource
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEADER = "pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\n"

# ceilings for one run: generous for a cart that behaves, far below what
# the findings reached (9 GB, hours)
WALL_S = 60.0
RSS_MIB = 1024
ADDRESS_SPACE = 8 << 30            # the child's hard ceiling (RLIMIT_AS)


def need_gxx() -> None:
    import shutil

    if shutil.which("g++") is None:
        pytest.skip("--aot needs g++")


@dataclass
class Run:
    """How one child process ended."""
    argv: list[str]
    rc: int                    # exit code; -N when killed by signal N
    out: str
    err: str
    wall: float                # seconds
    rss_mib: float             # peak resident set of the child
    timed_out: bool
    out_dir: Optional[Path] = None
    written: dict[str, bytes] = field(default_factory=dict)   # files the run left in out_dir

    def text(self) -> str:
        return self.out + self.err

    def error_line(self) -> str:
        lines = [ln for ln in self.err.splitlines() if ln.strip()]
        return lines[-1] if lines else ""


def write_cart(folder: Path, code: str, name: str = "attack.p8") -> Path:
    """A .p8 cart holding `code` (readable Unicode), alone in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(HEADER + code + "\n", encoding="utf-8")
    return path


def plant_secret(tmp_path: Path) -> str:
    """A host file a cart must never read, outside the cart's folder; its
    random content is what assert_contained looks for."""
    token = "rp8-host-secret-" + secrets.token_hex(8)
    (tmp_path / "secret.txt").write_text(token + "\n", encoding="ascii")
    return token


def _limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_cli(args: Sequence[str], cwd: Path, wall: float = WALL_S,
            env: Optional[dict[str, str]] = None, out_dir: Optional[Path] = None,
            script: Optional[Path] = None) -> Run:
    """`python -m console ARGS` (or `python SCRIPT`) in a child, killed at
    `wall` seconds."""
    argv = [sys.executable, str(script)] if script is not None else [sys.executable, "-m", "console", *args]
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT)
    e.setdefault("RP8_DATA", str(cwd / "rp8-data"))
    e["SDL_VIDEODRIVER"] = "dummy"
    if env:
        e.update(env)
    out_f, err_f = cwd / ".stdout", cwd / ".stderr"
    t0 = time.monotonic()
    with open(out_f, "wb") as fo, open(err_f, "wb") as fe:
        proc = subprocess.Popen(argv, cwd=cwd, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL,
                                env=e, preexec_fn=_limit_child, start_new_session=True)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - t0 > wall:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall_s = time.monotonic() - t0
    written: dict[str, bytes] = {}
    if out_dir is not None and out_dir.is_dir():
        for p in sorted(out_dir.rglob("*")):
            if p.is_file() and not p.is_symlink():
                written[str(p.relative_to(out_dir))] = p.read_bytes()[:1 << 20]
    return Run(argv, proc.returncode, out_f.read_text("utf-8", "replace"),
               err_f.read_text("utf-8", "replace"), wall_s, usage.ru_maxrss / 1024, timed_out,
               out_dir, written)


def run_py(code: str, cwd: Path, wall: float = WALL_S) -> Run:
    """Python `code` in a child with the same limits (for attacks that need
    the host's hands, e.g. values no cart can make), reported as run_cli."""
    cwd.mkdir(parents=True, exist_ok=True)
    script = cwd / ".attack.py"
    script.write_text(code, encoding="utf-8")
    return run_cli([], cwd, wall=wall, script=script)


def run_cart(tmp_path: Path, code: str, aot: bool = False, frames: int = 3, timeout: float = 5.0,
             name: str = "attack.p8", wall: float = WALL_S, extra: Iterable[str] = ()) -> Run:
    """Run `code` as a cart headless (interpreter, or --aot) for `frames`
    frames with the player's per-frame `timeout`; --out is tmp_path/out."""
    if aot:
        need_gxx()
    cart = write_cart(tmp_path / "carts", code, name)
    out = tmp_path / "out"
    args = ["run", "--headless", "--frames", str(frames), "--timeout", str(timeout),
            "--out", str(out), *extra, str(cart)]
    if aot:
        args.insert(1, "--aot")
    return run_cli(args, tmp_path, wall=wall, out_dir=out)


def assert_contained(run: Run, cart: str = "attack.p8", rcs: Iterable[int] = (0, 1, 2),
                     wall: float = WALL_S, rss_mib: float = RSS_MIB, secret: Optional[str] = None,
                     line: bool = True, expect: Optional[str] = None) -> None:
    """The run stayed contained (see the module's doc). With `line`, an
    error message must name a line (`tab T line L`); `expect` is text the
    one-line error (or the output) must contain."""
    what = f"{' '.join(run.argv[3:])}\nrc={run.rc} wall={run.wall:.1f}s rss={run.rss_mib:.0f}MiB\n" \
           f"stdout: {run.out[-2000:]}\nstderr: {run.err[-2000:]}"
    assert not run.timed_out, "killed at the deadline: " + what
    assert run.rc >= 0, f"killed by signal {-run.rc}: " + what
    assert run.rc in tuple(rcs), "unexpected exit code: " + what
    assert "Traceback" not in run.text(), "a Python traceback: " + what
    assert "Fatal Python error" not in run.text(), what
    assert run.wall <= wall, what
    assert run.rss_mib <= rss_mib, "peak RSS over the bound: " + what
    if run.rc in (1, 2):
        msg = run.error_line()
        assert msg.startswith("rp8: "), "the error is not rp8's one-line message: " + what
        assert cart in msg, "the error does not name the cart: " + what
        if line:
            assert " line " in msg, "the error does not name a line: " + what
    if expect is not None:
        assert expect in run.text(), f"expected {expect!r}: " + what
    if secret is not None:
        assert secret not in run.text(), "a host secret reached the output: " + what
        for name, data in run.written.items():
            assert secret.encode() not in data, f"a host secret reached {name}: " + what


__all__ = ["Run", "run_cart", "run_cli", "run_py", "write_cart", "plant_secret", "assert_contained",
           "need_gxx", "WALL_S", "RSS_MIB"]
