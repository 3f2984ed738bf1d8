"""The compilers and flags of compiled carts on the desktop (console/aot_toolchain.py)."""
from __future__ import annotations

import pytest

from console import aot_toolchain
from console.aot_toolchain import CART_OPT, GCC_CART_OPT, Toolchain


@pytest.mark.parametrize("version, flags", [
    ("g++ (Debian 12.2.0-14) 12.2.0", CART_OPT + GCC_CART_OPT),
    ("Debian clang version 14.0.6", CART_OPT),
    ("Apple clang version 15.0.0 (clang-1500.3.9.4)", CART_OPT),     # macOS's g++ is clang
])
def test_a_carts_own_code_skips_gcc_passes_only_under_gcc(version: str, flags: list[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aot_toolchain, "tool_version", lambda tool: version)
    assert aot_toolchain.cart_opt(Toolchain()) == flags
    assert flags[0] == "-O2"


def test_the_quick_build_has_its_own_flags_and_no_other_tier_exists() -> None:
    assert aot_toolchain.cart_opt(Toolchain(), "quick") == aot_toolchain.QUICK_OPT
    assert aot_toolchain.QUICK_OPT != aot_toolchain.cart_opt(Toolchain(), "optimised")
    with pytest.raises(ValueError, match="no build tier 'fast'"):
        aot_toolchain.cart_opt(Toolchain(), "fast")
