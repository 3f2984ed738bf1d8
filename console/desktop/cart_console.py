"""The one interface every driver (window, headless, bench, compat) uses to
run a cart, whichever console runs it: the LuaJIT interpreter
(frameloop.Console) or the compiled cart (aot_player.AotConsole).

A driver calls step() once per frame with the buttons held, shows
indices()/rgb()/image(), and reads status, error and stop_message when
running turns false. Both consoles satisfy this Protocol; tests check it.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Protocol, runtime_checkable

if TYPE_CHECKING:
    from console.desktop.frameloop import CartRuntimeError


@runtime_checkable
class CartConsole(Protocol):
    error: Optional["CartRuntimeError"]       # set when the cart stopped with a runtime error
    stop_message: Optional[str]             # set by stop(); "" for a bare stop()
    machine: Any                            # the engine state: .ram (64 KiB) and .state

    @property
    def running(self) -> bool: ...

    @property
    def status(self) -> str:
        """"frame" while running, else "error", "stopped" or "ended"."""
        ...

    def step(self, masks: Optional[list[int]] = None) -> str:
        """Run to the end of the next frame with the 8 players' button masks:
        "frame" (a new picture), "skip" (none this frame) or the status."""
        ...

    def abort(self, message: str) -> None:
        """End the cart from outside (timeout, Esc) with this message."""
        ...

    def fps(self) -> int: ...

    def cpu(self) -> float:
        """stat(1) of the last frame: the share of the frame's CPU budget."""
        ...

    def menu_items(self) -> list[tuple[int, str]]: ...

    def menu_call(self, index: int, buttons: int) -> bool: ...

    def resolve_cart(self, name: str, back: Optional[str] = None) -> Optional[Path]:
        """The cart load()/reload() names, near the running cart (`back`: the
        whole path of the cart that left the breadcrumb, reached wherever it is)."""
        ...

    def indices(self) -> bytes:
        """The displayed frame: 128x128 display colour numbers."""
        ...

    def rgb(self) -> bytes: ...

    def frame_hash(self) -> str: ...

    def image(self) -> Any: ...

    def show_error(self) -> None:
        """Draw PICO-8's error screen for `error` onto the display."""
        ...


class RunState:
    """running and status from the three fields every console keeps (the
    CartConsole rule, written once for both consoles)."""
    error: Optional["CartRuntimeError"]
    stop_message: Optional[str]
    ended: bool

    @property
    def running(self) -> bool:
        return self.error is None and self.stop_message is None and not self.ended

    @property
    def status(self) -> str:
        if self.error is not None:
            return "error"
        if self.stop_message is not None:
            return "stopped"
        if self.ended:
            return "ended"
        return "frame"
