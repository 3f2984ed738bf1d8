"""The player's settings, remembered between runs: volume and mute, where
captures go, how long a GIF may be, favourite and recently played carts.

One small JSON file, `settings.json`, in the user's config folder
(platformdirs: ~/.config/rp8 on Linux; RP8_CONFIG overrides it, which the
tests use). A missing or damaged file gives the defaults; a value of the
wrong type is ignored, so a hand edit cannot stop the player from starting.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Optional

RECENT_MAX = 20


def config_dir() -> Path:
    env = os.environ.get("RP8_CONFIG")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_config_dir("rp8", appauthor=False))


def default_capture_dir() -> Path:
    """Where screenshots and GIFs go unless told otherwise: the desktop, as
    PICO-8 does, when the user has one; else the pictures folder's rp8/."""
    import platformdirs

    desktop = Path(platformdirs.user_desktop_dir())
    if desktop.is_dir():
        return desktop
    return Path(platformdirs.user_pictures_dir()) / "rp8"


@dataclass
class Settings:
    volume: int = 8                       # 0..8 (audio_out.VOLUME_STEPS)
    muted: bool = False
    capture_dir: str = ""                 # "" = default_capture_dir()
    gif_seconds: int = 8                  # the longest GIF F9 saves
    favourites: list[str] = field(default_factory=list)
    recent: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, folder: Optional[Path] = None) -> "Settings":
        path = (folder or config_dir()) / "settings.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        out = cls()
        if not isinstance(raw, dict):
            return out
        for f in fields(cls):
            value = raw.get(f.name)
            default = getattr(out, f.name)
            if isinstance(default, bool):
                ok = isinstance(value, bool)
            elif isinstance(default, int):
                ok = isinstance(value, int) and not isinstance(value, bool)
            elif isinstance(default, list):
                ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            else:
                ok = isinstance(value, type(default))
            if ok:
                setattr(out, f.name, value)
        out.volume = max(0, min(8, out.volume))
        out.gif_seconds = max(1, out.gif_seconds)
        return out

    def save(self, folder: Optional[Path] = None) -> None:
        """Write the file; a read-only config folder only loses the change."""
        folder = folder or config_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / "settings.json.tmp"
            tmp.write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")
            tmp.replace(folder / "settings.json")
        except OSError:
            pass

    def captures(self) -> Path:
        return Path(self.capture_dir).expanduser() if self.capture_dir else default_capture_dir()

    def played(self, cart: Path) -> None:
        """Put `cart` at the top of the recently played list."""
        key = str(cart.resolve())
        self.recent = [key] + [r for r in self.recent if r != key][:RECENT_MAX - 1]

    def toggle_favourite(self, cart: Path) -> bool:
        key = str(cart.resolve())
        if key in self.favourites:
            self.favourites.remove(key)
            return False
        self.favourites.append(key)
        return True

