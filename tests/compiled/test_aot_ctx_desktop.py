"""The desktop context switches (aot/runtime/rt_ctx.cpp) on each desktop
variant (tests/support/aot_targets.py): this machine's assembly switch, the portable
ucontext switch (-DRP8_CTX_PORTABLE=1), and AArch64 Linux under qemu-user.

tests/compiled/aot_ctx_probe.c ping-pongs two contexts and sets every callee-saved
register in assembly around a switch; its numbers are computed here from
its arithmetic (the same as the ARM probe's, test_aot_coswitch.py). Then a
compiled program with coroutines prints what the interpreter prints. The
deep-recursion guard runs on the same variants in test_aot_stack.py.
The player's library itself (`rp8 run --aot`) is held to the interpreter
frame by frame with the portable switch (RP8_CTX_PORTABLE=1). Kept small:
under qemu each program is a few small runs.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aot.cpp_runtime import RUNTIME_DIR
from aot.source import Source
from support.aot_cpp import run_cpp, run_lua
from support.aot_targets import PORTABLE, SMALL_STACKS, probe_numbers, target
from support.aot_programs import COROUTINES

PROBE = Path(__file__).resolve().parent / "aot_ctx_probe.c"
REGISTERS = {"x86_64": 5, "aarch64": 18}    # rbx, r12-r15; x19-x28 and d8-d15

VARIANTS = {"asm": ("asm", ()), "portable": ("portable", ()), "aarch64": ("aarch64", ()),
            "aarch64-portable": ("aarch64", (PORTABLE,))}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_switch_keeps_callee_saved_registers(variant: str, tmp_path: Path) -> None:
    name, flags = VARIANTS[variant]
    t = target(name, flags)
    if t.arch not in REGISTERS:
        pytest.skip(f"the probe has no register check for {t.arch}")
    tc = t.toolchain
    common = ["-O2", "-Wall", "-Wextra", "-Werror", f"-I{RUNTIME_DIR}", *tc.flags]
    ctx_obj, exe = tmp_path / "ctx.o", tmp_path / "probe"
    done = subprocess.run([tc.cxx, *common, "-std=c++17", "-fno-exceptions", "-fno-rtti", "-c",
                           str(RUNTIME_DIR / "rt_ctx.cpp"), "-o", str(ctx_obj)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # the probe's calls from inside its asm would overwrite x86-64's red zone
    no_red_zone = ["-mno-red-zone"] if t.arch == "x86_64" else []
    done = subprocess.run([tc.cc, *common, *no_red_zone, "-std=c11", str(PROBE), str(ctx_obj), "-o", str(exe)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    run = subprocess.run([*t.runner, str(exe)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    shared, checksum = probe_numbers()
    n = REGISTERS[t.arch]
    assert run.stdout.splitlines() == ["aligned 1", f"shared {shared}", f"checksum {checksum}",
                                       f"registers {n} of {n} kept"]


@pytest.mark.parametrize("triple", ["arm64-apple-macos11", "x86_64-apple-macos10.15"])
def test_macos_switch_assembles(triple: str, tmp_path: Path) -> None:
    """macOS's spelling of the switch (Mach-O: a leading underscore, no
    .type/.size) assembles and defines what the runtime calls. Built only:
    nothing here runs a Mach-O program."""
    clang, nm = shutil.which("clang++"), shutil.which("llvm-nm")
    if clang is None or nm is None:
        pytest.skip("clang++ and llvm-nm not installed (Debian: apt-get install clang llvm): "
                    "they cross-assemble the macOS switch")
    obj = tmp_path / "ctx.o"
    done = subprocess.run([clang, "-target", triple, "-std=c++17", "-O2", "-ffreestanding", "-nostdinc++",
                           "-fno-exceptions", "-fno-rtti", "-Wall", "-Wextra", "-Werror", "-c",
                           str(RUNTIME_DIR / "rt_ctx.cpp"), "-o", str(obj)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    syms = subprocess.run([nm, str(obj)], capture_output=True, text=True, check=True).stdout.split()
    assert {"_rp8_ctx_swap", "_rp8_ctx_init", "_rp8_ctx_floor"} <= set(syms)
    assert syms[syms.index("_rp8_ctx_swap") - 1] == "T"


@pytest.mark.parametrize("name", ["portable", "aarch64"])
def test_coroutines_match_the_interpreter(name: str, tmp_path: Path) -> None:
    t = target(name, SMALL_STACKS)
    src = Source(COROUTINES, "co.p8")
    got, res = run_cpp(src, tmp_path, t.toolchain, timeout=120, runner=t.runner)
    assert got.error is None, res.stderr[-2000:]
    want = run_lua(src)
    assert want.error is None and "many ok" in want.lines
    assert got.lines == want.lines


PLAYER = """
local co = cocreate(function()
  for i = 1, 4 do cls(i) print("co " .. i, 10, 10, 7) flip() end
  return "done"
end)
repeat local ok, r = coresume(co) printh(tostr(ok) .. " " .. tostr(r)) until costatus(co) == "dead"
function down(n) if n == 0 then yield(n) return 0 end return 1 + down(n - 1) end
function _update() n = (n or 0) + 1 end
function _draw()
  local d = cocreate(function() return down(50 + n) end)
  coresume(d)
  cls(n % 16) print(tostr(select(2, coresume(d))), 2, 2, 7)
end
"""


def test_portable_switch_runs_the_player(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cart's own context, flip() inside a coroutine and coroutines in
    every frame, through the player's library built with RP8_CTX_PORTABLE=1."""
    from console.aot_build import PORTABLE_ENV
    from support.aot_frames import compare, console_from_code

    target("portable")
    monkeypatch.setenv(PORTABLE_ENV, "1")
    aot, lua = console_from_code(PLAYER, aot=True), console_from_code(PLAYER, aot=False)
    diff = compare(aot, lua, 12)
    assert diff.mismatch is None, diff.mismatch
    assert diff.status == "frame"


def test_aot_without_a_compiler_says_so(tmp_path: Path) -> None:
    """No C++ compiler on PATH: one line naming the missing tool, exit 2."""
    cart = tmp_path / "c.p8"
    cart.write_text("pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\nfunction _draw() cls(1) end\n")
    env = {"PATH": str(tmp_path / "nothing"), "RP8_CACHE": str(tmp_path / "cache"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-m", "console", "run", str(cart), "--aot", "--headless",
                           "--frames", "1", "-o", str(tmp_path / "out")], capture_output=True, text=True, env=env)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        "rp8: g++: not found; compiled carts need a C and C++ compiler "
        "(Debian/Ubuntu: apt install g++; macOS: xcode-select --install)"]
