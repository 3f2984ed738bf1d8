"""Where rp8's C sources live, in a checkout and in an installed rp8.

The engine (console/engine) and the AOT runtime (aot/runtime) are package
data of their own packages in both layouts. firmware/, platform/ and
boards/ are not Python packages (`platform` must never become one: it
would shadow the standard library module), so a checkout keeps them beside
the packages, and an installed rp8 carries copies inside the console
package, in console/_sources/, put there by setup.py's build_py.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED_DIR = PACKAGE_DIR / "_sources"


def tree_root() -> Path:
    """The folder holding firmware/, platform/ and boards/."""
    if (BUNDLED_DIR / "firmware").is_dir():
        return BUNDLED_DIR
    return PACKAGE_DIR.parent


ROOT = tree_root()
FIRMWARE_DIR = ROOT / "firmware"
PLATFORM_DIR = ROOT / "platform"
BOARDS_DIR = ROOT / "boards"
ENGINE_DIR = PACKAGE_DIR / "engine"
