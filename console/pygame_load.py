"""Importing pygame for the window, without what rp8 never uses.

pygame's own `__init__` imports numpy (for pygame.surfarray and sndarray)
and setuptools' pkg_resources (for pygame.pkgdata's bundled font) when they
are installed: 0.6 s of a 0.7 s import, before the window can open. rp8
draws with the engine and its own font and plays sound through SDL's audio
callback, so neither is needed: while pygame is imported they read as
missing, and pygame leaves those few modules out (its MissingModule stubs).
"""
from __future__ import annotations

import os
import sys
from types import ModuleType

UNUSED = ("numpy", "pkg_resources")


def load_pygame() -> ModuleType:
    if "pygame" in sys.modules:
        return sys.modules["pygame"]
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    blocked = [name for name in UNUSED if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]   # "import numpy" raises ImportError
    try:
        import pygame
    finally:
        for name in blocked:
            if sys.modules.get(name) is None:
                del sys.modules[name]
    return pygame
