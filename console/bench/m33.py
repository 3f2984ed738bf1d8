"""Runs a bench image for Cortex-M33 under the `unicorn` emulator and counts
instructions between the image's BKPT markers.

Unicorn (QEMU's CPU emulation as a library) executes the image on the MPS2
AN505 memory map that platform/bench/an505.ld links for. It has no timing
model at all: what it counts is instructions executed (the same quantity
as QEMU's -icount), never cycles, so rp8 reports them as instructions.

Counting: a hook runs once per translated block with the block's address
and size in bytes; the number of Thumb instructions in those bytes is
decoded once per block and cached, so the cost per instruction stays low.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Callable, Optional

from console.bench.image import Image
from console.bench.mailbox import BKPT_AUDIO, BKPT_CLOCK, BKPT_CUT, BKPT_DISPLAY, BKPT_DRAW, BKPT_END, \
    BKPT_FAULT, BKPT_READY, BKPT_SNAP, BKPT_UPDATE, SEED_OFFSET, TIME_OFFSET, Mailbox, stack_peak

CODE_SIZE = 4 << 20
EXCP_BKPT = 7                  # QEMU's exception number for BKPT


def available() -> Optional[str]:
    """None when unicorn can be used, else what is missing."""
    try:
        import unicorn  # noqa: F401
    except ImportError:
        return "the `unicorn` Python package (pip install unicorn)"
    return None


@dataclass
class RunResult:
    marks: list[tuple[int, int]] = field(default_factory=list)   # (bkpt, instructions so far)
    status: str = "timeout"
    mailbox: Optional[Mailbox] = None
    stack_peak: int = 0


def thumb_count(code: bytes) -> int:
    """Instructions in a run of Thumb code: a halfword whose top five bits
    are 0b11101, 0b11110 or 0b11111 starts a 32-bit instruction."""
    n = i = 0
    while i + 1 < len(code):
        hw = code[i] | code[i + 1] << 8
        i += 4 if (hw >> 11) >= 0b11101 else 2
        n += 1
    return n


def run(image: Image, frames: int, buttons: Callable[[int], list[int]], seed_raw: int = 0,
        max_instructions: int = 20_000_000_000, max_frame_instructions: int = 300_000_000,
        progress: Optional[Callable[[int], None]] = None, clock_mhz: float = 250.0) -> RunResult:
    """Run the image until it ends, faults, or a frame runs longer than
    max_frame_instructions (status "frame-timeout"). The image's clock reads
    the instructions so far as cycles at `clock_mhz` (one instruction a
    cycle: unicorn counts no cycles)."""
    from unicorn import UC_ARCH_ARM, UC_HOOK_BLOCK, UC_HOOK_INTR, UC_MODE_MCLASS, UC_MODE_THUMB, \
        Uc, UcError
    from unicorn.arm_const import UC_ARM_REG_PC, UC_ARM_REG_SP, UC_CPU_ARM_CORTEX_M33

    target = image.target
    data = image.bin.read_bytes()
    uc = Uc(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS)
    uc.ctl_set_cpu_model(UC_CPU_ARM_CORTEX_M33)
    uc.mem_map(target.load, CODE_SIZE)
    uc.mem_map(target.ram, target.ram_bytes)
    uc.mem_write(target.load, data)
    sp, reset = struct.unpack_from("<II", data, target.vectors - target.load)
    uc.reg_write(UC_ARM_REG_SP, sp)

    count = [0]
    sizes: dict[tuple[int, int], int] = {}
    hit: list[int] = []

    last_mark = [0]

    def on_block(uc_: object, addr: int, size: int, _: object) -> None:
        key = (addr, size)
        n = sizes.get(key)
        if n is None:
            n = sizes[key] = thumb_count(bytes(uc.mem_read(addr, size)))
        count[0] += n
        if count[0] - last_mark[0] > max_frame_instructions:
            hit.append(-1)
            uc.emu_stop()

    def on_intr(uc_: object, intno: int, _: object) -> None:
        hit.append(intno)
        uc.emu_stop()

    uc.hook_add(UC_HOOK_BLOCK, on_block)
    uc.hook_add(UC_HOOK_INTR, on_intr)

    result = RunResult()
    box_addr = target.ram
    pc = reset | 1
    while count[0] < max_instructions:
        hit.clear()
        try:
            uc.emu_start(pc, 0xFFFFFFFF, count=0)
        except UcError as err:
            result.status = f"fault: {err}"
            break
        stop = uc.reg_read(UC_ARM_REG_PC) & ~1
        if hit and hit[0] == -1:
            result.status = "frame-timeout"
            break
        if not hit or hit[0] != EXCP_BKPT:
            result.status = "fault"
            break
        code = uc.mem_read(stop, 2)[0]
        pc = (stop + 2) | 1
        if code == BKPT_CLOCK:
            uc.mem_write(box_addr + TIME_OFFSET, struct.pack("<I", int(count[0] // clock_mhz) & 0xFFFFFFFF))
            continue
        result.marks.append((code, count[0]))
        last_mark[0] = count[0]
        if code == BKPT_READY:
            uc.mem_write(box_addr + 8, struct.pack("<I", frames))
            uc.mem_write(box_addr + SEED_OFFSET, struct.pack("<I", seed_raw))
            _feed(uc, box_addr, buttons(0))
        elif code == BKPT_DRAW:
            done = struct.unpack("<I", uc.mem_read(box_addr + 12, 4))[0]
            _feed(uc, box_addr, buttons(done))
            if progress is not None:
                progress(done)
        elif code == BKPT_END:
            st = struct.unpack("<I", uc.mem_read(box_addr + 48, 4))[0]
            result.status = {1: "done", 3: "ended"}.get(st, "error")
            break
        elif code == BKPT_FAULT:
            result.status = "fault"
            break
        elif code not in (BKPT_UPDATE, BKPT_SNAP, BKPT_DISPLAY, BKPT_AUDIO, BKPT_CUT):
            result.status = f"fault: unknown BKPT {code:#x}"
            break
    ram = bytes(uc.mem_read(target.ram, target.ram_bytes))
    result.mailbox = Mailbox.parse(ram)
    result.stack_peak = stack_peak(ram, target.ram, result.mailbox)
    return result


def _feed(uc: object, box: int, masks: list[int]) -> None:
    m = (list(masks) + [0] * 8)[:8]
    uc.mem_write(box + 16, struct.pack("<8I", *m))  # type: ignore[attr-defined]
