"""The ARM context switches (aot/runtime/rt_ctx.cpp) run on emulated cores.

tests/compiled/aot_coswitch_probe.c ping-pongs two contexts through rp8_ctx_swap;
it is cross-compiled for Cortex-M0+ (ARMv6-M, Thumb-1) and Cortex-M33
(ARMv8-M mainline, with and without the FPU), linked freestanding at a
fixed address and run in the `unicorn` CPU emulator. The expected numbers
are computed here from the probe's arithmetic; a switch that loses a
callee-saved register (r4-r11, or s16-s31 with the FPU) or misaligns the
new stack changes them. The desktop switches (x86-64, AArch64, portable)
have their own probe (test_aot_ctx_desktop.py).
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from aot.cpp_runtime import RUNTIME_DIR
from support.aot_targets import probe_numbers

unicorn = pytest.importorskip("unicorn", reason="the unicorn emulator (pip install unicorn) runs the ARM probes")
from unicorn import arm_const  # noqa: E402

GCC = shutil.which("arm-none-eabi-gcc")
GXX = shutil.which("arm-none-eabi-g++")
NM = shutil.which("arm-none-eabi-nm")
OBJCOPY = shutil.which("arm-none-eabi-objcopy")
PROBE = Path(__file__).resolve().parent / "aot_coswitch_probe.c"

TARGETS = {
    "cortex-m0plus": (["-mcpu=cortex-m0plus", "-mthumb"], arm_const.UC_CPU_ARM_CORTEX_M0),
    "cortex-m33": (["-mcpu=cortex-m33", "-mthumb", "-mfloat-abi=soft"], arm_const.UC_CPU_ARM_CORTEX_M33),
    "cortex-m33-fpu": (["-mcpu=cortex-m33", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv5-sp-d16"],
                       arm_const.UC_CPU_ARM_CORTEX_M33),
}
BASE = 0x10000
RETURN = 0x8000          # the probe "returns" here; the emulator stops
STACK_TOP = 0x80000


def _build(target: str, tmp: Path) -> tuple[bytes, dict[str, int]]:
    flags, _cpu = TARGETS[target]
    elf = tmp / f"probe-{target}.elf"
    common = [*flags, "-Os", "-fomit-frame-pointer", "-ffreestanding", "-nostdlib", "-Wall", "-Wextra", "-Werror",
              f"-I{RUNTIME_DIR}"]
    ctx_obj = tmp / f"ctx-{target}.o"
    done = subprocess.run([GXX, *common, "-std=c++17", "-fno-exceptions", "-fno-rtti", "-c",
                           str(RUNTIME_DIR / "rt_ctx.cpp"), "-o", str(ctx_obj)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([GCC, *common, "-std=c11", str(PROBE), str(ctx_obj), f"-Wl,-Ttext={BASE:#x}",
                           "-Wl,-e,probe", "-o", str(elf)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    syms = {}
    out = subprocess.run([NM, str(elf)], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    image = tmp / f"probe-{target}.bin"
    subprocess.run([OBJCOPY, "-O", "binary", str(elf), str(image)], check=True)
    return image.read_bytes(), syms


@pytest.mark.skipif(None in (GCC, GXX, NM, OBJCOPY), reason="arm-none-eabi-gcc/g++ not installed")
@pytest.mark.parametrize("target", sorted(TARGETS))
def test_switch_keeps_callee_saved_registers(target: str, tmp_path: Path) -> None:
    image, syms = _build(target, tmp_path)
    _flags, cpu = TARGETS[target]
    uc = unicorn.Uc(unicorn.UC_ARCH_ARM, unicorn.UC_MODE_THUMB | unicorn.UC_MODE_MCLASS)
    uc.ctl_set_cpu_model(cpu)
    uc.mem_map(0, 0x100000)
    uc.mem_write(BASE, image)
    uc.reg_write(arm_const.UC_ARM_REG_SP, STACK_TOP)
    uc.reg_write(arm_const.UC_ARM_REG_LR, RETURN | 1)
    if target.endswith("fpu"):
        # CPACR: full access to CP10/CP11, as a device's startup code enables the FPU
        uc.reg_write(arm_const.UC_ARM_REG_C1_C0_2, 0xF << 20)
    uc.emu_start(syms["probe"] | 1, RETURN, count=200000)
    raw = uc.mem_read(syms["result"], 6 * 4)
    result = [int.from_bytes(raw[i:i + 4], "little") for i in range(0, 24, 4)]
    shared, checksum = probe_numbers()
    assert result[4] == 0x600D, f"the probe did not finish: {result}"
    assert result[0] == 0, "the new context's stack is not 8-byte aligned"
    assert (result[1], result[2]) == (shared, checksum)
    assert result[3] == 1, "s16-s31 were not restored across the switch"
    # r4-r11 held 11..18 (and s16-s31 pairs of 11..18) before the switch
    want = sum(range(11, 19)) + (2 * sum(range(11, 19)) if target.endswith("fpu") else 0)
    assert result[5] == want, "a callee-saved register changed across the switch"
