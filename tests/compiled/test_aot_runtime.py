"""The C++ runtime itself: memory safety under sanitizers with the
collector collecting at every allocation, the sanitizer check's own
ability to fail, and compiling for the devices (cortex-m0plus without a
floating-point unit, cortex-m33)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from aot.cpp_runtime import RUNNER_DIR, RUNTIME_DIR
from console.aot_build import ENGINE_DIR, PLATFORM_DIR, Toolchain, build_executable, compile_source, run_executable
from aot.source import Source
from support.aot_cpp import assert_same, need_gxx, sanitizer_toolchain
from support.aot_programs import PROGRAMS, SHOW

pytest.importorskip("console._engine")

ARM_CXX = shutil.which("arm-none-eabi-g++")
ARM_NM = shutil.which("arm-none-eabi-nm")
ARM_TARGETS = {
    "cortex-m0plus": ["-mcpu=cortex-m0plus", "-mthumb"],
    "cortex-m33": ["-mcpu=cortex-m33", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv5-sp-d16"],
}
ARM_FLAGS = ["-std=c++17", "-fno-exceptions", "-fno-rtti", "-fno-strict-aliasing", "-Os",
             "-Wall", "-Wextra", "-Werror", "-ffunction-sections", "-c"]
# libgcc's soft-float helpers (the same pattern tests/engine/test_cross_compile.py uses for the engine)
SOFT_FLOAT = re.compile(r"^(__aeabi_(?:[fd][a-z0-9]+|[a-z0-9]*2[fd]|[a-z0-9]*2[fd]z)"
                        r"|__(?:add|sub|mul|div|neg|cmp)[sd]f3|__(?:float|fix|extend|trunc)[a-z0-9]*[sd]f[a-z0-9]*)$")


@pytest.fixture(scope="module")
def san(tmp_path_factory: pytest.TempPathFactory) -> tuple[Toolchain, Path]:
    work = tmp_path_factory.mktemp("aotsan")
    return sanitizer_toolchain(work), work


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_under_sanitizers_and_gc_stress(name: str, san: tuple[Toolchain, Path]) -> None:
    tc, work = san
    assert_same(Source(SHOW + PROGRAMS[name], f"{name}.p8"), work, tc)


def test_sanitizers_catch_an_unrooted_value(san: tuple[Toolchain, Path]) -> None:
    """A runtime caller that keeps a table only in a C++ local across an
    allocation breaks the rooting rule; in GC-stress builds the table is
    collected at once and ASan reports the use of its poisoned block."""
    tc, work = san
    bad = work / "bad.cpp"
    bad.write_text("""
#include "rp8rt.h"
using namespace rp8;
static const Proto protos[] = {{0, "x"}};
static const Site sites[] = {{"", ""}};
static Value G[1], K[1];
static const char *const names[] = {"g"};
static const char *const kdata[] = {"k"};
static const uint32_t klen[] = {1};
const Cart cart = {"bad", protos, 1, sites, 1, G, names, 0, K, kdata, klen, 0, false};
alignas(8) static uint8_t mem[1 << 20];
static p8_state m;
int main() {
  static State L;
  rt_init(&L, mem, sizeof mem, 1024, &m, 0, 0);
  rt_load(&L, &cart);
  Value t = rt_newtable(L.top == L.stack ? &L : &L, 4, 4);   /* not rooted anywhere */
  rt_newtable(&L, 0, 0);                                      /* collects t */
  return (int)tab(&L, t)->asize;                              /* use after free */
}
""")
    lib = __import__("console.aot_build", fromlist=["runtime_library"]).runtime_library(tc)
    exe = work / "bad"
    done = subprocess.run(["g++", "-std=c++17", *tc.flags, f"-I{ENGINE_DIR}", f"-I{RUNTIME_DIR}",
                           str(bad), str(lib), "-o", str(exe)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    res = run_executable(exe, env={"ASAN_OPTIONS": "exitcode=86"})
    assert res.returncode == 86
    assert "use-after-poison" in res.stderr


def test_gc_stress_build_really_collects(san: tuple[Toolchain, Path]) -> None:
    """The same program in stress mode collects on every allocation, so
    its table of 1000 live items survives thousands of collections."""
    tc, work = san
    src = Source("local t = {} for i = 1, 1000 do t[i] = 'v' .. i end "
                 "local n = 0 for k, v in pairs(t) do n += 1 end printh(n) printh(t[777])", "s.p8")
    exe = build_executable(compile_source(src), work / "stress", tc)
    res = run_executable(exe)
    assert (res.returncode, res.stdout) == (0, "1000\nv777\n"), res.stderr


def _arm_compile(src: Path, target: str, out: Path) -> Path:
    assert ARM_CXX is not None
    obj = out / f"{src.stem}.{target}.o"
    cmd = [ARM_CXX, *ARM_TARGETS[target], *ARM_FLAGS, f"-I{ENGINE_DIR}", f"-I{RUNTIME_DIR}",
           f"-I{RUNNER_DIR}", f"-I{PLATFORM_DIR}", str(src), "-o", str(obj)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, f"{src.name} for {target}:\n{done.stderr[-3000:]}"
    return obj


@pytest.mark.skipif(ARM_CXX is None or ARM_NM is None,
                    reason="arm-none-eabi-g++ not installed (Debian: gcc-arm-none-eabi, libstdc++-arm-none-eabi-newlib)")
@pytest.mark.parametrize("target", sorted(ARM_TARGETS))
def test_runtime_and_a_cart_compile_for_the_devices(target: str, tmp_path: Path) -> None:
    need_gxx()
    cart = compile_source(Source(SHOW + PROGRAMS["metatables"] + PROGRAMS["closures_and_upvalues"], "m.p8"))
    cpp = tmp_path / "cart.cpp"
    cpp.write_text(cart.code)
    sources = sorted(RUNTIME_DIR.glob("rt_*.cpp")) + [RUNNER_DIR / "rp8_runner.cpp", cpp]
    objs = [_arm_compile(s, target, tmp_path) for s in sources]
    if target == "cortex-m0plus":
        assert ARM_NM is not None
        for obj in objs:
            done = subprocess.run([ARM_NM, "-u", str(obj)], capture_output=True, text=True, check=True)
            floats = [ln.split()[-1] for ln in done.stdout.splitlines() if SOFT_FLOAT.match(ln.split()[-1])]
            assert floats == [], f"{obj.name} uses floating point on the RP2040: {floats}"
