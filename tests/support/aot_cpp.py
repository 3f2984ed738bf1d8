"""Helpers for the C++ back end's tests: compile a program both ways and
compare what each prints.

The reference is the desktop interpreter (console.desktop.harness: the Lua back end on
LuaJIT); the candidate is the same source compiled to C++, built with g++
against the runtime library (built once per flag set, cached by content
hash) and run as a native program. Tests skip when g++ is missing.
"""
from __future__ import annotations

import itertools
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from console.aot_build import RunResult, Toolchain, build_executable, compile_source, run_executable
from console.desktop.harness import CartRuntimeError, Harness
from aot.p8scii import to_unicode
from aot.source import Source

SANITIZE = ("-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-g")
STRESS = ("-DRP8_GC_STRESS",)

_counter = itertools.count()


def need_gxx() -> None:
    if shutil.which("g++") is None or shutil.which("gcc") is None:
        pytest.skip("g++/gcc not installed: the C++ back end's output cannot be built")


@dataclass
class Outcome:
    lines: list[str]
    error: str | None      # first line of the error message, or None


def run_bench_image(mode: str, cart: Path, frames: int = 3):
    """Build the cart's bare-metal bench image (a device build: the device's
    runner and runtime) and run it in the emulator of `mode` (m33: unicorn,
    rp2040: rp2040js); skips when the cross compiler or emulator is missing."""
    if shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("arm-none-eabi-gcc not installed (apt-get install gcc-arm-none-eabi "
                    "libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib)")
    from console.bench import image
    if mode == "m33":
        from console.bench import m33 as emu
        need = emu.available()
    else:
        from console.bench import rp2040 as emu
        need = emu.missing() or (None if emu.installed() else "rp2040js (installed on first use)")
    if need is not None:
        pytest.skip(f"{mode} mode needs {need}")
    return emu.run(image.build_cart(mode, cart), frames, lambda f: [0] * 8)


def run_lua(src: Source, setup: str = "") -> Outcome:
    h = Harness()
    if setup:
        h.run(Source(setup, "setup"))
    try:
        h.run(src)
    except CartRuntimeError as err:
        return Outcome(h.output, str(err).splitlines()[0])
    return Outcome(h.output, None)


def run_cpp(src: Source, work: Path, tc: Toolchain = Toolchain(), defines: tuple[str, ...] = (),
            timeout: float = 60, runner: tuple[str, ...] = ()) -> tuple[Outcome, RunResult]:
    cart = compile_source(src)
    out_dir = work / f"c{next(_counter)}"
    exe = build_executable(cart, out_dir, tc, defines)
    env = {"ASAN_OPTIONS": "detect_leaks=0:abort_on_error=0:exitcode=86"}
    res = run_executable(exe, timeout=timeout, env=env, runner=runner)
    err = None
    if res.returncode != 0:
        err = res.stderr.splitlines()[0] if res.stderr else f"exit status {res.returncode}"
    # printh writes P8SCII bytes; read them the way the harness reports them
    text = res.stdout[:-1] if res.stdout.endswith("\n") else res.stdout
    lines = [to_unicode(ln) for ln in text.split("\n")] if res.stdout else []
    return Outcome(lines, err), res


def sanitizer_toolchain(work: Path) -> Toolchain:
    """g++ with ASan+UBSan and the collector in stress mode, or skip."""
    need_gxx()
    probe = work / "probe.cpp"
    probe.write_text("int main() { return 0; }\n")
    import subprocess
    done = subprocess.run(["g++", *SANITIZE, str(probe), "-o", str(work / "probe")],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip("g++ cannot link -fsanitize=address,undefined (libasan/libubsan missing): "
                    + done.stderr.strip()[:200])
    return Toolchain(flags=SANITIZE + STRESS)


def assert_same(src: Source, work: Path, tc: Toolchain = Toolchain(), sort: bool = False) -> Outcome:
    """The interpreter and the compiled program print the same lines and
    fail (or not) at the same place. Returns the compiled outcome."""
    want = run_lua(src)
    got, res = run_cpp(src, work, tc)
    assert res.returncode in (0, 1), f"compiled program crashed ({res.returncode}):\n{res.stderr[-3000:]}"
    # one printh of a string holding "\n" is one harness entry, two lines here
    want_lines = "\n".join(want.lines).split("\n") if want.lines else []
    if sort:
        assert sorted(got.lines) == sorted(want_lines)
    else:
        assert got.lines == want_lines, f"stderr: {res.stderr[-2000:]}"
    if want.error is None:
        assert got.error is None, got.error
    else:
        assert got.error is not None, f"the interpreter failed ({want.error}), the compiled cart did not"
        assert _where(got.error) == _where(want.error), (got.error, want.error)
    return got


def _where(message: str) -> str:
    """`runtime error: NAME tab T line L: ...` -> `NAME tab T line L`."""
    body = message.split("runtime error: ", 1)[-1]
    return body.split(": ", 1)[0]


def jobs() -> int:
    return max(1, min(2, os.cpu_count() or 1))


Case = tuple[str, str, list[str]]   # (name, program, the lines it prints)


def assert_prints(name: str, code: str, want: list[str]) -> None:
    """The interpreter runs `code` without error and prints `want`."""
    out = run_lua(Source(code, f"{name}.p8"))
    assert out.error is None, out.error
    assert out.lines == want


def assert_cases_compiled(cases: list[Case], work: Path, name: str) -> None:
    """All cases as one compiled program (one g++ build), each in its own
    do-block: it runs without error and prints every case's lines."""
    need_gxx()
    code = "\n".join(f"do -- {n}\n{c}\nend" for n, c, _ in cases)
    out, res = run_cpp(Source(code, f"{name}.p8"), work)
    assert out.error is None, res.stderr[-2000:]
    assert out.lines == [line for _, _, want in cases for line in want]
