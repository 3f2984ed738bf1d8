"""Power-on state: the address space and the draw-state defaults."""
from console.machine import Machine


def test_state_holds_whole_address_space(m: Machine) -> None:
    assert len(m.ram) == 0x10000
    assert len(m.rom) == 0x8000


def test_power_on_copies_cart_data_and_clears_the_rest() -> None:
    rom = bytes((i * 7) & 0xFF for i in range(0x8000))
    m = Machine(rom)
    assert bytes(m.ram[0:0x4300]) == rom[0:0x4300]
    assert bytes(m.ram[0x4300:0x5f00]) == bytes(0x5f00 - 0x4300)
    assert bytes(m.ram[0x6000:0x10000]) == bytes(0xA000)


def test_power_on_draw_state(m: Machine) -> None:
    assert list(m.ram[0x5F00:0x5F10]) == [0x10] + list(range(1, 16))
    assert list(m.ram[0x5F10:0x5F20]) == list(range(16))
    assert list(m.ram[0x5F20:0x5F24]) == [0, 0, 128, 128]
    assert m.ram[0x5F25] == 6
    assert list(m.ram[0x5F54:0x5F58]) == [0x00, 0x60, 0x20, 128]


def test_power_on_generator_is_seeded(m: Machine) -> None:
    """All-zero RNG state would make every rnd() 0; power-on seeds it as
    srand(0) does, and the host may seed it again."""
    from console._engine import lib

    first = [lib.p8_rnd(m.state, 100 << 16) for _ in range(4)]
    assert len(set(first)) == 4
    lib.p8_srand(m.state, 0)
    assert [lib.p8_rnd(m.state, 100 << 16) for _ in range(4)] == first
