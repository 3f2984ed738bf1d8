"""Cartdata in two flash sectors (platform/common/rp8_store.c), against a
simulated NOR flash: erase sets 0xff, program can only clear bits, and a
power cut can stop either after any byte."""
from __future__ import annotations

import zlib
from typing import Any

import pytest

from support.firmware_clib import build

SECTOR = 4096


@pytest.fixture(scope="module")
def c(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    return build(tmp_path_factory.mktemp("fwstore"))


class PowerCut(Exception):
    pass


class Flash:
    """Two sectors of NOR flash; `budget` bytes of erase/program work are
    done before the power fails (None: never)."""

    def __init__(self, c: tuple[Any, Any]) -> None:
        self.ffi, self.lib = c
        self.mem = self.ffi.new("uint8_t[]", 2 * SECTOR)
        for i in range(2 * SECTOR):
            self.mem[i] = 0xFF
        self.budget: int | None = None
        self.erases = self.programs = 0
        self.cut = False
        self._cbs = (self.ffi.callback("const uint8_t *(void *, uint32_t)", self._read),
                     self.ffi.callback("void (void *, uint32_t)", self._erase),
                     self.ffi.callback("void (void *, uint32_t, const uint8_t *, uint32_t)", self._program))
        self.ops = self.ffi.new("rp8_flash *", {"read": self._cbs[0], "erase": self._cbs[1],
                                                "program": self._cbs[2], "ctx": self.ffi.NULL})

    def _spend(self) -> bool:
        if self.budget is None:
            return True
        if self.budget == 0:
            self.cut = True
            return False
        self.budget -= 1
        return True

    def _read(self, _ctx: Any, off: int) -> Any:
        return self.mem + off

    def _erase(self, _ctx: Any, off: int) -> None:
        assert off % SECTOR == 0
        self.erases += 1
        for i in range(SECTOR):
            if not self._spend():
                return
            self.mem[off + i] = 0xFF

    def _program(self, _ctx: Any, off: int, data: Any, n: int) -> None:
        assert off % 256 == 0 and n % 256 == 0
        self.programs += 1
        for i in range(n):
            if not self._spend():
                return
            self.mem[off + i] &= data[i]

    def save(self, cid: bytes, data: bytes) -> int:
        r = self.lib.rp8_store_save(self.ops, cid, data)
        return r

    def load(self, cid: bytes) -> bytes | None:
        out = self.ffi.new("uint8_t[256]")
        return bytes(out) if self.lib.rp8_store_load(self.ops, cid, out) == 0 else None


def data(n: int) -> bytes:
    return bytes((i * 7 + n) & 255 for i in range(256))


def test_crc32_is_ieee(c: tuple[Any, Any]) -> None:
    msg = b"123456789"
    assert c[1].rp8_crc32(msg, len(msg)) == 0xCBF43926 == zlib.crc32(msg)


def test_empty_flash_loads_nothing(c: tuple[Any, Any]) -> None:
    assert Flash(c).load(b"mycart") is None


def test_save_load_and_alternate_sectors(c: tuple[Any, Any]) -> None:
    f = Flash(c)
    assert f.save(b"mycart", data(1)) == 1
    assert f.load(b"mycart") == data(1)
    assert f.load(b"other") is None                  # another cart id sees nothing
    assert bytes(f.mem[0:4]) == b"RP8D" and f.mem[SECTOR] == 0xFF
    assert f.save(b"mycart", data(2)) == 1
    assert bytes(f.mem[SECTOR:SECTOR + 4]) == b"RP8D"  # the second save went to sector 1
    assert f.load(b"mycart") == data(2)
    assert f.save(b"mycart", data(3)) == 1          # and back to sector 0
    assert f.load(b"mycart") == data(3)
    seqs = [int.from_bytes(bytes(f.mem[o + 4:o + 8]), "little") for o in (0, SECTOR)]
    assert seqs == [3, 2]


def test_unchanged_data_writes_nothing(c: tuple[Any, Any]) -> None:
    f = Flash(c)
    f.save(b"mycart", data(1))
    erases, programs = f.erases, f.programs
    assert f.save(b"mycart", data(1)) == 0
    assert (f.erases, f.programs) == (erases, programs)


@pytest.mark.parametrize("cut_at", [0, 1, 100, 4095, 4096, 4097, 4096 + 255, 4096 + 300, 4096 + 511])
def test_power_cut_keeps_the_previous_save(c: tuple[Any, Any], cut_at: int) -> None:
    f = Flash(c)
    f.save(b"mycart", data(1))
    f.save(b"mycart", data(2))                      # newest in sector 1
    f.budget = cut_at                                # erase of sector 0 is 4096 bytes, then 512 programmed
    f.save(b"mycart", data(3))
    assert f.cut
    assert f.load(b"mycart") == data(2)
    f.budget = None                                  # power back: the next save works
    assert f.save(b"mycart", data(4)) == 1
    assert f.load(b"mycart") == data(4)


def test_complete_write_wins(c: tuple[Any, Any]) -> None:
    f = Flash(c)
    f.save(b"mycart", data(1))
    f.budget = 4096 + 512                            # exactly enough
    f.save(b"mycart", data(2))
    assert not f.cut and f.load(b"mycart") == data(2)


def test_sequence_compare_wraps(c: tuple[Any, Any]) -> None:
    f = Flash(c)
    f.save(b"mycart", data(1))
    # forge sector 0's record to seq 0xffffffff, then save: the new record
    # (seq 0) must be taken as newer
    rec = bytearray(bytes(f.mem[0:512]))
    rec[4:8] = (0xFFFFFFFF).to_bytes(4, "little")
    rec[508:512] = zlib.crc32(bytes(rec[:508])).to_bytes(4, "little")
    for i, b in enumerate(rec):
        f.mem[i] = b
    assert f.save(b"mycart", data(5)) == 1
    assert int.from_bytes(bytes(f.mem[SECTOR + 4:SECTOR + 8]), "little") == 0
    assert f.load(b"mycart") == data(5)
