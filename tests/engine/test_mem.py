"""Memory functions: peek/poke in three widths, multi-value forms, memcpy,
memset, reload and cstore (console/engine/p8_mem.c).

Expected values come from the PICO-8 manual (Memory chapter: little-endian
peek2/peek4, memcpy "sections can be overlapping", reload/cstore and the
protected code section at 0x4300, the 0x5f54/0x5f55 remapping affecting
peek, poke and memcpy), from femto8's tests.p8 where it has a case, and
from zepto8's reverse-engineered rules where noted.
"""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from console._engine import ffi, lib
from console.machine import Machine, to_fix

MEM_OK = 0
MEM_BAD_ACCESS = -1
MEM_BAD_WIDTH = -2


def fx(value: float) -> int:
    return to_fix(value)


def raw(bits: int) -> int:
    """A fix32 given as its 32 raw bits (0xdeadbeef is 0xdead.beef)."""
    bits &= 0xFFFFFFFF
    return bits - 0x100000000 if bits & 0x80000000 else bits


def peek(m: Machine, addr: float) -> int:
    return lib.p8_peek(m.state, fx(addr)) >> 16


# ---- peek / poke ----

def test_poke_writes_low_byte_of_integer_part(m: Machine) -> None:
    lib.p8_poke(m.state, fx(0x4300), raw(0x12345678))   # 0x1234.5678 -> 0x34
    lib.p8_poke(m.state, fx(0x4301), fx(-1))            # -1 -> 0xff
    lib.p8_poke(m.state, fx(0x4302), fx(256))           # 256 -> 0
    lib.p8_poke(m.state, fx(0x4303), fx(7.99))          # flr -> 7
    assert bytes(m.ram[0x4300:0x4304]) == bytes([0x34, 0xFF, 0x00, 0x07])


def test_peek_returns_byte_as_integer(m: Machine) -> None:
    m.ram[0x4300] = 0xC8
    assert lib.p8_peek(m.state, fx(0x4300)) == 0xC8 << 16


def test_addresses_are_floored_and_wrap_at_64k(m: Machine) -> None:
    m.ram[0xFFFF] = 0x11
    m.ram[0x4300] = 0x22
    assert peek(m, -1) == 0x11               # flr(-1) & 0xffff = 0xffff
    assert peek(m, -0.5) == 0x11             # flr(-0.5) = -1
    assert peek(m, 0x4300 + 0.99) == 0x22    # fractional part ignored
    assert lib.p8_peek(m.state, raw(0xFFFF0000)) == 0x11 << 16
    lib.p8_poke(m.state, raw(0x80000000), fx(5))   # -32768 is 0x8000
    assert m.ram[0x8000] == 5


def test_peek2_poke2_little_endian_signed(m: Machine) -> None:
    # femto8 tests.p8 "peek2"/"poke2": bytes ab cd read as 0xcdab.
    m.ram[0x4300] = 0xAB
    m.ram[0x4301] = 0xCD
    assert lib.p8_peek2(m.state, fx(0x4300)) == raw(0xCDAB0000)   # -12885
    lib.p8_poke2(m.state, fx(0x4310), raw(0xCDAB0000))
    assert bytes(m.ram[0x4310:0x4312]) == bytes([0xAB, 0xCD])
    lib.p8_poke2(m.state, fx(0x4320), raw(0x1234FFFF))   # fraction ignored
    assert bytes(m.ram[0x4320:0x4322]) == bytes([0x34, 0x12])


def test_peek4_poke4_raw_bits(m: Machine) -> None:
    # femto8 tests.p8 "peek4"/"poke4": 12 34 56 78 <-> 0x7856.3412.
    m.ram[0x4300:0x4304] = bytes([0x12, 0x34, 0x56, 0x78])
    assert lib.p8_peek4(m.state, fx(0x4300)) == raw(0x78563412)
    lib.p8_poke4(m.state, fx(0x4310), raw(0x78563412))
    assert bytes(m.ram[0x4310:0x4314]) == bytes([0x12, 0x34, 0x56, 0x78])
    lib.p8_poke4(m.state, fx(0x4320), raw(0x80000000))
    assert lib.p8_peek4(m.state, fx(0x4320)) == raw(0x80000000)


def test_multibyte_access_wraps_byte_by_byte(m: Machine) -> None:
    # The case yocto-8's compare test mem/peekpokeapi.p8 checks.
    lib.p8_poke4(m.state, raw(0xFFFF0000), raw(0xDEADBEEF))
    assert m.ram[0xFFFF] == 0xEF
    assert bytes(m.ram[0:3]) == bytes([0xBE, 0xAD, 0xDE])
    assert lib.p8_peek4(m.state, raw(0xFFFF0000)) == raw(0xDEADBEEF)
    assert lib.p8_peek2(m.state, raw(0xFFFF0000)) == raw(0xBEEF0000)
    assert lib.p8_peek4(m.state, fx(0)) == raw(0x00DEADBE)


# ---- multi-value forms ----

def peek_n(m: Machine, addr: float, n: float, width: int) -> list[int]:
    out = ffi.new("fix32[]", 8192)
    count = lib.p8_peek_n(m.state, fx(addr), fx(n), width, out)
    return list(out[0:count]) if count >= 0 else [count]


def test_peek_n_reads_consecutive_values(m: Machine) -> None:
    # femto8 tests.p8 "peek": a, b = peek(0x6000, 2).
    m.ram[0x6000:0x6002] = bytes([0x21, 0x43])
    assert peek_n(m, 0x6000, 2, 1) == [0x21 << 16, 0x43 << 16]
    m.ram[0x4300:0x4308] = bytes([1, 2, 3, 4, 5, 6, 7, 8])
    assert peek_n(m, 0x4300, 2, 2) == [raw(0x02010000), raw(0x04030000)]
    assert peek_n(m, 0x4300, 2, 4) == [raw(0x04030201), raw(0x08070605)]


def test_peek_n_count_limits(m: Machine) -> None:
    assert peek_n(m, 0x4300, 0, 1) == []
    assert peek_n(m, 0x4300, -5, 1) == []
    assert len(peek_n(m, 0x4300, 9000, 1)) == 8192     # manual: max 8192
    assert len(peek_n(m, 0x4300, 3.9, 1)) == 3
    assert peek_n(m, 0x4300, 1, 3) == [MEM_BAD_WIDTH]


def test_peek_n_wraps(m: Machine) -> None:
    m.ram[0xFFFE:0x10000] = bytes([1, 2])
    m.ram[0:2] = bytes([3, 4])
    assert peek_n(m, 0xFFFE, 4, 1) == [1 << 16, 2 << 16, 3 << 16, 4 << 16]
    assert peek_n(m, 0xFFFE, 2, 2) == [raw(0x02010000), raw(0x04030000)]


def poke_n(m: Machine, addr: float, width: int, values: list[int]) -> int:
    vals = ffi.new("fix32[]", max(1, len(values)))
    for i, v in enumerate(values):
        vals[i] = v
    return lib.p8_poke_n(m.state, fx(addr), width, vals, len(values))


def test_poke_n_writes_sequentially_and_wraps(m: Machine) -> None:
    assert poke_n(m, 0xFFFF, 1, [fx(0x12), fx(0x34), fx(0x56)]) == 3
    assert m.ram[0xFFFF] == 0x12 and bytes(m.ram[0:2]) == bytes([0x34, 0x56])
    assert poke_n(m, 0x4300, 2, [fx(0x1234), fx(-2)]) == 2
    assert bytes(m.ram[0x4300:0x4304]) == bytes([0x34, 0x12, 0xFE, 0xFF])
    assert poke_n(m, 0x4310, 4, [raw(0x11223344), raw(0x55667788)]) == 2
    assert bytes(m.ram[0x4310:0x4318]) == bytes([0x44, 0x33, 0x22, 0x11, 0x88, 0x77, 0x66, 0x55])


def test_poke_n_without_values_writes_zero(m: Machine) -> None:
    # zepto8: "poke() is the same as poke(0, 0)" - a missing value is 0.
    m.ram[0x4300:0x4304] = b"\xff\xff\xff\xff"
    assert poke_n(m, 0x4300, 1, []) == 1
    assert bytes(m.ram[0x4300:0x4304]) == b"\x00\xff\xff\xff"
    assert poke_n(m, 0x4300, 4, []) == 1
    assert bytes(m.ram[0x4300:0x4304]) == b"\x00\x00\x00\x00"


def test_poke_n_stops_at_8192_values(m: Machine) -> None:
    values = [fx(0xAA)] * 8193
    assert poke_n(m, 0x8000, 1, values) == 8192
    assert m.ram[0x8000 + 8191] == 0xAA and m.ram[0x8000 + 8192] == 0
    assert poke_n(m, 0x4300, 5, [fx(1)]) == MEM_BAD_WIDTH
    assert m.ram[0x4300] == 0


# ---- remapped sprite sheet and screen ----

def test_screen_remap_moves_the_0x6000_window(m: Machine) -> None:
    # femto8 tests.p8 "screen_0x0": with 0x5f55 = 0, the screen is at 0.
    m.ram[0x5F55] = 0x00
    lib.p8_poke(m.state, fx(0x6000), fx(7))
    assert m.ram[0x0000] == 7 and m.ram[0x6000] == 0
    m.ram[0x5F55] = 0x80
    lib.p8_poke(m.state, fx(0x6005), fx(9))
    assert m.ram[0x8005] == 9
    assert peek(m, 0x6005) == 9


def test_sheet_remap_moves_the_0x0000_window(m: Machine) -> None:
    m.ram[0x6010] = 0x5A
    m.ram[0x5F54] = 0x60
    assert peek(m, 0x0010) == 0x5A
    m.ram[0x5F55] = 0x00   # both set: sheet and screen swapped
    m.ram[0x0010] = 0x77
    assert peek(m, 0x6010) == 0x77 and peek(m, 0x0010) == 0x5A


def test_addresses_outside_windows_never_remap(m: Machine) -> None:
    m.ram[0x5F54] = 0x60
    m.ram[0x5F55] = 0x00
    lib.p8_poke(m.state, fx(0x2000), fx(1))
    lib.p8_poke(m.state, fx(0x5FFF), fx(2))
    lib.p8_poke(m.state, fx(0x8000), fx(3))
    assert (m.ram[0x2000], m.ram[0x5FFF], m.ram[0x8000]) == (1, 2, 3)


# ---- memcpy / memset ----

def fill_pattern(m: Machine) -> None:
    """Distinct-looking bytes everywhere, default sprite/screen mapping."""
    m.ram[0:0x10000] = bytes((i * 7 + (i >> 8)) & 0xFF for i in range(0x10000))
    m.ram[0x5F54] = 0x00
    m.ram[0x5F55] = 0x60


def memcpy(m: Machine, dst: float, src: float, n: float) -> None:
    lib.p8_memcpy(m.state, fx(dst), fx(src), fx(n))


def test_memcpy_copies(m: Machine) -> None:
    # femto8 tests.p8 "memcpy": memcpy(0x4300, 0x6000, 0x20).
    m.ram[0x6000:0x6020] = bytes(range(1, 33))
    memcpy(m, 0x4300, 0x6000, 0x20)
    assert bytes(m.ram[0x4300:0x4320]) == bytes(range(1, 33))
    assert m.ram[0x4320] == 0


def test_memcpy_overlapping_behaves_as_memmove(m: Machine) -> None:
    # Manual: "Sections can be overlapping".
    fill_pattern(m)
    before = bytes(m.ram)
    memcpy(m, 0x4310, 0x4300, 0x100)       # destination above source
    assert bytes(m.ram[0x4310:0x4410]) == before[0x4300:0x4400]
    fill_pattern(m)
    memcpy(m, 0x4300, 0x4310, 0x100)       # destination below source
    assert bytes(m.ram[0x4300:0x4400]) == before[0x4310:0x4410]
    fill_pattern(m)
    memcpy(m, 0x4301, 0x4300, 0x7FFF)      # one byte apart, longest length
    expect = (before[0x4300:0x10000] + before[0:0x4300])[0:0x7FFF]
    assert bytes(m.ram[0x4301:0xC300]) == expect


def test_memcpy_zero_or_negative_length_does_nothing(m: Machine) -> None:
    fill_pattern(m)
    before = bytes(m.ram)
    memcpy(m, 0x4300, 0x6000, 0)
    memcpy(m, 0x4300, 0x6000, -1)
    memcpy(m, 0x4300, 0x6000, 0.5)
    memcpy(m, 0x8000, 0x0, -32768)          # 0x8000 as a length is negative
    assert bytes(m.ram) == before


def test_memcpy_running_past_0xffff_wraps(m: Machine) -> None:
    fill_pattern(m)
    before = bytes(m.ram)
    memcpy(m, 0xFFF0, 0x4300, 0x20)
    assert bytes(m.ram[0xFFF0:0x10000]) == before[0x4300:0x4310]
    assert bytes(m.ram[0:0x10]) == before[0x4310:0x4320]
    fill_pattern(m)
    memcpy(m, 0x4300, 0xFFF8, 0x10)
    assert bytes(m.ram[0x4300:0x4310]) == before[0xFFF8:0x10000] + before[0:8]


def test_memcpy_through_remapped_screen(m: Machine) -> None:
    m.ram[0xA000:0xC000] = bytes((i * 5) & 0xFF for i in range(0x2000))
    m.ram[0x5F55] = 0x80
    memcpy(m, 0x6000, 0xA000, 0x2000)
    assert bytes(m.ram[0x8000:0xA000]) == bytes(m.ram[0xA000:0xC000])
    assert bytes(m.ram[0x6000:0x8000]) == bytes(0x2000)
    memcpy(m, 0x4300, 0x7FF0, 0x20)    # source crosses the window's end
    # 0x7ff0-0x7fff are ram 0x9ff0-0x9fff; 0x8000 on is itself.
    assert bytes(m.ram[0x4300:0x4320]) == bytes(m.ram[0x9FF0:0xA000]) + bytes(m.ram[0x8000:0x8010])


def logical_model(ram: bytearray, sheet: int, screen: int, dst: int, src: int, n: int) -> None:
    """memmove in the remapped, wrapping address space, byte by byte."""
    def phys(a: int) -> int:
        a &= 0xFFFF
        if a < 0x2000:
            return (sheet + a) & 0xFFFF
        if 0x6000 <= a < 0x8000:
            return (screen + a - 0x6000) & 0xFFFF
        return a
    values = [ram[phys(src + i)] for i in range(n)]
    for i, v in enumerate(values):
        ram[phys(dst + i)] = v


@settings(max_examples=300, deadline=None)
@given(
    dst=st.integers(0, 0xFFFF), src=st.integers(0, 0xFFFF),
    n=st.one_of(st.integers(0, 0x200), st.integers(0, 0x7FFF)),
    mapping=st.sampled_from([(0x00, 0x60), (0x60, 0x00)]),
)
def test_memcpy_matches_memmove_model(dst: int, src: int, n: int, mapping: tuple[int, int]) -> None:
    m = Machine()
    fill_pattern(m)
    m.ram[0x5F54], m.ram[0x5F55] = mapping
    if any(((reg - dst) & 0xFFFF) < n for reg in (0x5F54, 0x5F55)):
        return  # the copy would change the mapping it runs under
    expected = bytearray(m.ram)
    logical_model(expected, mapping[0] << 8, mapping[1] << 8, dst, src, n)
    lib.p8_memcpy(m.state, fx(dst if dst < 0x8000 else dst - 0x10000),
                  fx(src if src < 0x8000 else src - 0x10000), fx(n))
    assert bytes(m.ram) == bytes(expected)


def test_memset(m: Machine) -> None:
    # femto8 tests.p8 "memset": memset(0x6000, 0xc8, 0x1000).
    lib.p8_memset(m.state, fx(0x6000), fx(0xC8), fx(0x1000))
    assert bytes(m.ram[0x6000:0x7000]) == b"\xc8" * 0x1000
    assert m.ram[0x7000] == 0 and m.ram[0x5FFF] == 0
    lib.p8_memset(m.state, fx(0x4300), raw(0x01FF8000), fx(2))   # 0x1ff.8 -> 0xff
    assert bytes(m.ram[0x4300:0x4303]) == b"\xff\xff\x00"


def test_memset_lengths_and_wrap(m: Machine) -> None:
    lib.p8_memset(m.state, fx(0x4300), fx(1), fx(0))
    lib.p8_memset(m.state, fx(0x4300), fx(1), fx(-4))
    assert m.ram[0x4300] == 0
    lib.p8_memset(m.state, fx(0xFFFE), fx(9), fx(4))
    assert bytes(m.ram[0xFFFE:0x10000]) == b"\x09\x09" and bytes(m.ram[0:3]) == b"\x09\x09\x00"


def test_memset_longest_length(m: Machine) -> None:
    lib.p8_memset(m.state, fx(-32768), fx(7), fx(0x7FFF))   # 0x8000, 32767 bytes
    assert bytes(m.ram[0x8000:0xFFFF]) == b"\x07" * 0x7FFF
    assert m.ram[0xFFFF] == 0 and m.ram[0x7FFF] == 0
    lib.p8_memset(m.state, fx(0x7FFF), fx(1), raw(0x7FFFFFFF))  # len 32767.99
    assert m.ram[0x7FFF] == 1 and m.ram[0xFFFD] == 1 and m.ram[0xFFFE] == 7


def test_memset_through_remapped_sheet(m: Machine) -> None:
    m.ram[0x5F54] = 0x60
    lib.p8_memset(m.state, fx(0x1FFE), fx(3), fx(4))   # crosses the window edge
    assert bytes(m.ram[0x7FFE:0x8000]) == b"\x03\x03"
    assert bytes(m.ram[0x2000:0x2002]) == b"\x03\x03"
    assert bytes(m.ram[0x1FFE:0x2000]) == b"\x00\x00"


# ---- reload / cstore ----

ROM = bytes((i * 13 + 5) & 0xFF for i in range(0x8000))


def test_reload_restores_cart_data() -> None:
    # femto8 tests.p8 "reload": poke then reload(0, 0, 0x20).
    m = Machine(ROM)
    m.ram[5] = 0
    m.ram[6] = 0
    assert lib.p8_reload(m.state, fx(0), fx(0), fx(0x20), 3) == MEM_OK
    assert (m.ram[5], m.ram[6]) == (ROM[5], ROM[6])


def test_reload_without_length_reloads_everything() -> None:
    # zepto8: PICO-8 fully reloads the cart unless all arguments are given.
    m = Machine(ROM)
    m.ram[0:0x4300] = bytes(0x4300)
    m.ram[0x4300] = 0x99
    assert lib.p8_reload(m.state, fx(0x100), fx(0x200), 0, 2) == MEM_OK
    assert bytes(m.ram[0:0x4300]) == ROM[0:0x4300]
    assert m.ram[0x4300] == 0x99


def test_reload_code_section_reads_as_zero() -> None:
    # Manual: "The code section ( >= 0x4300) is protected and can not be read."
    m = Machine(ROM)
    m.ram[0x8000:0x8100] = b"\xee" * 0x100
    assert lib.p8_reload(m.state, fx(0x8000), fx(0x4280), fx(0x100), 3) == MEM_OK
    assert bytes(m.ram[0x8000:0x8080]) == ROM[0x4280:0x4300]
    assert bytes(m.ram[0x8080:0x8100]) == bytes(0x80)


def test_reload_rejects_writes_past_the_end_of_ram() -> None:
    # zepto8: writing outside the memory area is a "bad memory access".
    m = Machine(ROM)
    before = bytes(m.ram)
    assert lib.p8_reload(m.state, fx(-16), fx(0), fx(17), 3) == MEM_BAD_ACCESS
    assert bytes(m.ram) == before
    assert lib.p8_reload(m.state, fx(-16), fx(0), fx(16), 3) == MEM_OK
    assert bytes(m.ram[0xFFF0:0x10000]) == ROM[0:16]


def test_reload_ignores_nonpositive_length() -> None:
    m = Machine(ROM)
    m.ram[0:4] = b"\x00\x00\x00\x00"
    assert lib.p8_reload(m.state, fx(0), fx(0), fx(0), 3) == MEM_OK
    assert lib.p8_reload(m.state, fx(0), fx(0), fx(-3), 3) == MEM_OK
    assert bytes(m.ram[0:4]) == bytes(4)


def test_reload_from_another_rom(m: Machine) -> None:
    other = bytes(range(1, 17))
    buf = ffi.new("uint8_t[]", other)
    assert lib.p8_reload_from(m.state, buf, 16, fx(0x4300), fx(8), fx(16), 3) == MEM_OK
    assert bytes(m.ram[0x4300:0x4310]) == other[8:16] + bytes(8)


def test_a_staged_rom_serves_one_reload_only(m: Machine) -> None:
    """reload(dst, src, len, filename): the host stages the other cart's ROM,
    p8_reload_other copies from it and forgets it, so the engine never reads
    through a pointer the host has since freed; unstaged reads as all 0."""
    other = bytes(range(1, 17))
    buf = ffi.new("uint8_t[]", other)
    m.ram[0x4300:0x4310] = b"\x99" * 16
    lib.p8_stage_rom(m.state, buf, 16)
    assert lib.p8_reload_other(m.state, fx(0x4300), fx(4), fx(16), 3) == MEM_OK
    assert bytes(m.ram[0x4300:0x4310]) == other[4:16] + bytes(4)
    m.ram[0x4300:0x4310] = b"\x99" * 16
    assert lib.p8_reload_other(m.state, fx(0x4300), fx(4), fx(16), 3) == MEM_OK
    assert bytes(m.ram[0x4300:0x4310]) == bytes(16)
    lib.p8_stage_rom(m.state, buf, 16)
    assert lib.p8_reload_other(m.state, fx(0xfffe), fx(0), fx(4), 3) == MEM_BAD_ACCESS
    assert lib.p8_reload_other(m.state, fx(0), fx(0), fx(1), 3) == MEM_OK
    assert m.ram[0] == 0


def test_cstore_writes_ram_into_rom(m: Machine) -> None:
    m.ram[0x4300:0x4310] = bytes(range(16))
    assert lib.p8_cstore(m.state, fx(0x100), fx(0x4300), fx(16), 3) == 16
    assert bytes(m.rom[0x100:0x110]) == bytes(range(16))


def test_cstore_never_writes_the_code_section(m: Machine) -> None:
    # Manual: "The code section ( >= 0x4300) is protected and can not be written to."
    m.rom[0x4300:0x4310] = b"\x55" * 16
    m.ram[0:0x20] = b"\x77" * 0x20
    assert lib.p8_cstore(m.state, fx(0x42F8), fx(0), fx(0x20), 3) == 8
    assert bytes(m.rom[0x42F8:0x4300]) == b"\x77" * 8
    assert bytes(m.rom[0x4300:0x4310]) == b"\x55" * 16
    assert lib.p8_cstore(m.state, fx(0x4300), fx(0), fx(1), 3) == 0
    assert lib.p8_cstore(m.state, fx(0), fx(0), fx(-1), 3) == 0


def test_cstore_without_length_stores_all_cart_data(m: Machine) -> None:
    # Manual: "CSTORE() is equivalent to CSTORE(0, 0, 0x4300)".
    m.ram[0:0x4400] = bytes((i * 3) & 0xFF for i in range(0x4400))
    assert lib.p8_cstore(m.state, 0, 0, 0, 0) == 0x4300
    assert bytes(m.rom[0:0x4300]) == bytes(m.ram[0:0x4300])
    assert bytes(m.rom[0x4300:0x4400]) == bytes(0x100)


def test_cstore_to_another_rom(m: Machine) -> None:
    m.ram[0x10:0x20] = bytes(range(100, 116))
    buf = ffi.new("uint8_t[]", 8)
    assert lib.p8_cstore_to(m.state, buf, 8, fx(4), fx(0x10), fx(16), 3) == 4
    assert bytes(buf) == bytes(4) + bytes(range(100, 104))
