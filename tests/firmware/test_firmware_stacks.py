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
