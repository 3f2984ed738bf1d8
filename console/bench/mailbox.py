"""The bench images' mailbox and BKPT codes, as platform/bench/bench_mailbox.h
defines them (keep the two in step: tests/bench/test_bench_image.py checks)."""
from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Sequence

MAGIC = 0x42385052
BKPT_UPDATE, BKPT_DRAW, BKPT_READY, BKPT_END, BKPT_FAULT = 0x10, 0x11, 0x20, 0x30, 0x3F
BKPT_SNAP, BKPT_DISPLAY, BKPT_AUDIO = 0x12, 0x13, 0x14      # the firmware's work after a frame
BKPT_CUT = 0x15           # the clock cut a frame of the game loop: the cart's frame goes on
BKPT_CLOCK = 0x21         # the image reads the time (time_us); the runners answer, no mark
STACK_PAINT = 0x5354434B
LOG_OFFSET, LOG_SIZE = 76, 512
SEED_OFFSET = LOG_OFFSET + LOG_SIZE
AUDIO_HASH_OFFSET = SEED_OFFSET + 4          # then audio_samples
TIME_OFFSET = AUDIO_HASH_OFFSET + 8          # time_us, written at BKPT_CLOCK
FNV_BASIS, FNV_PRIME = 2166136261, 16777619


@dataclass
class Mailbox:
    magic: int
    version: int
    frames_wanted: int
    frame: int
    status: int
    arena_size: int
    arena_peak: int
    presents: int
    stack_base: int
    stack_top: int
    log: str
    audio_hash: int = FNV_BASIS
    audio_samples: int = 0

    @classmethod
    def parse(cls, ram: bytes) -> "Mailbox":
        """From RAM starting at the mailbox (the RAM base)."""
        magic, version, wanted, frame = struct.unpack_from("<4I", ram, 0)
        status, asize, apeak, presents, sbase, stop, log_len = struct.unpack_from("<7I", ram, 48)
        log_len = min(log_len, LOG_SIZE)
        log = ram[LOG_OFFSET:LOG_OFFSET + log_len].decode("latin-1")
        ahash, asamples = struct.unpack_from("<2I", ram, AUDIO_HASH_OFFSET)
        return cls(magic, version, wanted, frame, status, asize, apeak, presents, sbase, stop, log,
                   ahash, asamples)

    @classmethod
    def from_json(cls, d: dict) -> "Mailbox":
        return cls(d["magic"], d["version"], d["frames_wanted"], d["frame"], d["status"],
                   d["arena_size"], d["arena_peak"], d["presents"], d["stack_base"],
                   d["stack_top"], d.get("log", ""), d.get("audio_hash", FNV_BASIS),
                   d.get("audio_samples", 0))


def audio_hash(samples: "Sequence[int]", h: int = FNV_BASIS) -> int:
    """bench_main.c's running FNV-1a over int16 samples' little-endian bytes."""
    for v in samples:
        u = v & 0xFFFF
        h = ((h ^ (u & 0xFF)) * FNV_PRIME) & 0xFFFFFFFF
        h = ((h ^ (u >> 8)) * FNV_PRIME) & 0xFFFFFFFF
    return h


def stack_peak(ram: bytes, ram_base: int, box: Mailbox) -> int:
    """Bytes of the main stack ever used: the part no longer painted."""
    if box.magic != MAGIC:
        return 0
    p, top = box.stack_base - ram_base, box.stack_top - ram_base
    while p < top and struct.unpack_from("<I", ram, p)[0] == STACK_PAINT:
        p += 4
    return top - p
