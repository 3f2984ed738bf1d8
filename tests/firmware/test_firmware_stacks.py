"""The runtime's stacks a firmware build reserves: a cart that can never
create a coroutine gets no coroutine pool, so its Lua heap is bigger."""
from __future__ import annotations

from pathlib import Path

import pytest

from console.firmware.project import DEVICE_STACKS, may_create_coroutines, runner_app


@pytest.mark.parametrize("code, dynamic, expected", [
    ("function _update() end", False, False),
    ("c=cocreate(function() yield() end)", False, True),
    ("local f=cocreate", False, True),
    ("-- cocreate in a comment still counts", False, True),
    ("x=cocreated", False, False),                 # another name
    ("_ENV[k]()", True, True),                     # any builtin reachable by name
])
def test_which_carts_can_create_coroutines(code: str, dynamic: bool, expected: bool) -> None:
    assert may_create_coroutines(code, dynamic) is expected


@pytest.mark.parametrize("chip", ["rp2040", "rp2350"])
def test_no_coroutines_no_pool(chip: str, tmp_path: Path) -> None:
    with_pool = runner_app(tmp_path, chip, coroutines=True).defines
    without = runner_app(tmp_path, chip, coroutines=False).defines
    assert [d for d in with_pool if d.startswith("RP8_CO_MAX=")] == \
        [d for d in DEVICE_STACKS[chip] if d.startswith("RP8_CO_MAX=")]
    assert "RP8_CO_MAX=0" in without
    # everything else is the same build
    assert [d for d in with_pool if not d.startswith("RP8_CO_MAX=")] == \
        [d for d in without if not d.startswith("RP8_CO_MAX=")]


@pytest.mark.parametrize("chip", ["rp2040", "rp2350"])
def test_a_pool_for_the_coroutines_the_cart_keeps(chip: str, tmp_path: Path) -> None:
    """rp8 build gives a cart measured to keep more coroutines alive than
    the chip's pool a pool that holds them; never a smaller one."""
    from console.firmware.project import coroutine_bytes, coroutine_pool

    default = coroutine_pool(chip)
    assert default == {"rp2040": 4, "rp2350": 8}[chip]
    assert coroutine_bytes(chip) == {"rp2040": 4096 + 256 * 8, "rp2350": 8192 + 512 * 8}[chip]
    grown = runner_app(tmp_path, chip, coroutines=True, slots=default + 9).defines
    assert f"RP8_CO_MAX={default + 9}" in grown
    same = runner_app(tmp_path, chip, coroutines=True, slots=1).defines
    assert f"RP8_CO_MAX={default}" in same
    assert "RP8_CO_MAX=0" in runner_app(tmp_path, chip, coroutines=False, slots=20).defines
