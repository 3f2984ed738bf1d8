"""pygame for the window, imported without numpy and pkg_resources (which
pygame's own __init__ would import, 0.6 s of start-up rp8 never uses)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytest.importorskip("pygame")


def test_pygame_loads_without_numpy_and_opens_a_window() -> None:
    probe = ("import sys\nfrom console.pygame_load import load_pygame\npg = load_pygame()\n"
             "pg.display.init()\nwin = pg.display.set_mode((128, 128))\n"
             "print('numpy' in sys.modules, 'pkg_resources' in sys.modules, win.get_size())\n"
             "import importlib.util\nprint(sys.modules.get('numpy', 'gone') is not None)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env={**os.environ, "SDL_VIDEODRIVER": "dummy"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["False False (128, 128)", "True"]


def test_a_second_load_is_the_same_module() -> None:
    from console.pygame_load import load_pygame

    assert load_pygame() is load_pygame() is sys.modules["pygame"]
