"""Where rp8's C sources live, in a checkout and in an installed rp8.

The engine (console/engine) and the AOT runtime (aot/runtime) are package
data of their own packages in both layouts. firmware/, platform/ and
boards/ are not Python packages (`platform` must never become one: it
would shadow the standard library module), so a checkout keeps them beside
the packages, and an installed rp8 carries copies inside the console
package, in console/_sources/, put there by setup.py's build_py. The same
goes for the demo and bench carts (carts/) and the Node.js side of the
emulated modes (benches/: the pinned rp2040js and the runner scripts).
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
CARTS_DIR = ROOT / "carts"
NODE_DIR = ROOT / "benches"
# what the emulated modes need of benches/ (installed rp8s carry only these)
NODE_FILES = ("package.json", "package-lock.json", "rp2040_runner.mjs", "firmware_emu.mjs")
ENGINE_DIR = PACKAGE_DIR / "engine"


def demo_names() -> list[str]:
    return sorted(p.name[:-3] for p in CARTS_DIR.glob("*.p8"))


def demo_cart(name: str) -> Path:
    """One of the demo and bench carts rp8 ships (`--demo NAME`)."""
    from aot.errors import UserError

    path = CARTS_DIR / f"{name}.p8"
    if name not in demo_names():
        raise UserError(f"no demo cart {name!r}; there are: {', '.join(demo_names())}")
    return path


def cart_argument(cart: str | None, demo: str | None) -> Path:
    """The cart a command was given: a file, or `--demo NAME`."""
    from aot.errors import UserError

    if demo is not None and cart is not None:
        raise UserError(f"{cart}: give a cart or --demo {demo}, not both")
    if demo is not None:
        return demo_cart(demo)
    if cart is None:
        raise UserError("name a cart file (or --demo NAME: " + ", ".join(demo_names()) + ")")
    return Path(cart)
