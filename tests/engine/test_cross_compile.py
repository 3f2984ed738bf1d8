"""Every engine C file compiles for the devices, warning-free, and the
RP2040 build needs no floating point.

Targets: cortex-m0plus (RP2040: no FPU, so any float or double becomes a
call into libgcc's soft-float helpers) and cortex-m33 with its FPU
(RP2350). The m0plus objects must not reference a soft-float helper or a
libm function; the m33 objects must not contain FPU arithmetic. Skips when
arm-none-eabi-gcc is missing (Debian: gcc-arm-none-eabi).
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "console" / "engine"
SOURCES = sorted(ENGINE.glob("*.c"))
CC = shutil.which("arm-none-eabi-gcc")
NM = shutil.which("arm-none-eabi-nm")
OBJDUMP = shutil.which("arm-none-eabi-objdump")

COMMON = ["-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-ffunction-sections", "-c"]
TARGETS = {
    "cortex-m0plus": ["-mcpu=cortex-m0plus", "-mthumb"],
    "cortex-m33": ["-mcpu=cortex-m33", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv5-sp-d16"],
}

# libgcc soft-float entry points (ARM EABI names and the generic ones) and
# the libm functions a float-using engine would pull in.
SOFT_FLOAT = re.compile(
    r"^(__aeabi_(?:[fd][a-z0-9]+|[a-z0-9]*2[fd]|[a-z0-9]*2[fd]z)"
    r"|__(?:add|sub|mul|div|neg|cmp|eq|ne|lt|le|gt|ge|unord)[sdtx]f[23]"
    r"|__(?:float|fix|fixuns|extend|trunc)[a-z0-9]*[sdtx]f[a-z0-9]*"
    r"|(?:sqrt|sin|cos|tan|atan2?|floor|ceil|fmod|pow|exp|log|round|lround|trunc|fabs)f?)$"
)
# FPU data-processing and conversion instructions (VFP), as objdump prints them.
FPU_INSN = re.compile(r"\tv(?:add|sub|mul|div|sqrt|cvt[a-z]*|mla|mls|fma|fms|nmul|nmla|nmls|"
                      r"neg|abs|cmpe?|rint[a-z]*|sel[a-z]*|maxnm|minnm)\.")

pytestmark = pytest.mark.skipif(
    CC is None or NM is None or OBJDUMP is None,
    reason="arm-none-eabi-gcc/nm/objdump not installed (Debian package gcc-arm-none-eabi)",
)


def compile_for(target: str, source: Path, out_dir: Path) -> Path:
    obj = out_dir / f"{source.stem}.{target}.o"
    assert CC is not None
    cmd = [CC, *TARGETS[target], *COMMON, f"-I{ENGINE}", str(source), "-o", str(obj)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, f"{source.name} for {target}:\n{done.stderr}"
    return obj


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize("source", SOURCES, ids=[s.name for s in SOURCES])
def test_compiles_warning_free(source: Path, target: str, tmp_path: Path) -> None:
    compile_for(target, source, tmp_path)


def undefined_symbols(obj: Path) -> list[str]:
    assert NM is not None
    done = subprocess.run([NM, "-u", str(obj)], capture_output=True, text=True, check=True)
    return [line.split()[-1] for line in done.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("source", SOURCES, ids=[s.name for s in SOURCES])
def test_m0plus_needs_no_soft_float(source: Path, tmp_path: Path) -> None:
    obj = compile_for("cortex-m0plus", source, tmp_path)
    floats = [s for s in undefined_symbols(obj) if SOFT_FLOAT.match(s)]
    assert floats == [], f"{source.name} uses floating point on the RP2040: {floats}"


@pytest.mark.parametrize("source", SOURCES, ids=[s.name for s in SOURCES])
def test_m33_has_no_fpu_arithmetic(source: Path, tmp_path: Path) -> None:
    obj = compile_for("cortex-m33", source, tmp_path)
    assert OBJDUMP is not None
    done = subprocess.run([OBJDUMP, "-d", str(obj)], capture_output=True, text=True, check=True)
    hits = [line.strip() for line in done.stdout.splitlines() if FPU_INSN.search(line)]
    assert hits == [], f"{source.name} does floating-point arithmetic: {hits[:5]}"


def test_detectors_recognise_floating_point(tmp_path: Path) -> None:
    """The checks above can fail: a float function trips both."""
    src = tmp_path / "uses_float.c"
    src.write_text("float half(float x) { return x * 0.5f; }\n"
                   "double thrice(int i) { return (double)i * 3.0; }\n")
    m0 = compile_for("cortex-m0plus", src, tmp_path)
    assert {"__aeabi_fmul", "__aeabi_i2d", "__aeabi_dmul"} <= set(undefined_symbols(m0))
    assert all(SOFT_FLOAT.match(s) for s in ("__aeabi_fmul", "__aeabi_i2d", "__aeabi_d2iz",
                                             "__addsf3", "__floatsisf", "sqrtf"))
    assert not any(SOFT_FLOAT.match(s) for s in ("__aeabi_idiv", "__aeabi_uidivmod",
                                                 "__aeabi_lmul", "memcpy", "memset"))
    m33 = compile_for("cortex-m33", src, tmp_path)
    assert OBJDUMP is not None
    done = subprocess.run([OBJDUMP, "-d", str(m33)], capture_output=True, text=True, check=True)
    assert any(FPU_INSN.search(line) for line in done.stdout.splitlines())
