"""Screenshots, GIFs and the cart label, as PICO-8 takes them.

F8 starts a recording and F9 saves it, at most `seconds` long (PICO-8's
gif_len, 8 s by default); F9 without F8 saves the last `seconds`. The
window hands every shown frame to `Capture.frame`; a rolling buffer keeps
the last `seconds` and, once F8 was pressed, a second buffer keeps the
recording from that point until it is full. Saving never empties the
rolling buffer, so F9 works again at once and at any time.

Everything goes to one folder (the desktop as PICO-8 does, or the user's
choice, see console.settings); file names are the cart's name and a time
stamp, never overwriting an earlier file.
"""
from __future__ import annotations

import time
from collections import deque
from pathlib import Path
from typing import Optional

SHOT_SCALE = 4            # screenshots 512x512, as PICO-8's
GIF_SCALE = 2             # GIFs 256x256
# GIF delays are in 1/100 s: 3, 3, 4 hundredths average 30 fps exactly
GIF_DELAYS_MS = (30, 30, 40)


class Capture:
    def __init__(self, folder: Path, stem: str, seconds: int = 8) -> None:
        self.folder = folder
        self.stem = stem
        self.seconds = seconds
        self.fps = 30
        self.rolling: deque[bytes] = deque(maxlen=seconds * 60)
        self.recording: Optional[list[bytes]] = None
        self.saved: list[Path] = []

    def limit(self) -> int:
        return self.seconds * self.fps

    def frame(self, rgb: bytes, fps: int) -> Optional[str]:
        """Keep one shown frame (128x128 RGB). Returns a message when the
        recording has just reached its length."""
        self.fps = fps
        self.rolling.append(rgb)
        if self.recording is not None and len(self.recording) < self.limit():
            self.recording.append(rgb)
            if len(self.recording) == self.limit():
                return f"recorded {self.seconds} seconds: f9 to save"
        return None

    def start(self) -> str:
        self.recording = []
        return "recording gif: f9 to save"

    def _path(self, suffix: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d_%H%M%S")
        path = self.folder / f"{self.stem}_{stamp}{suffix}"
        n = 1
        while path.exists():
            n += 1
            path = self.folder / f"{self.stem}_{stamp}_{n}{suffix}"
        return path

    def screenshot(self, rgb: bytes) -> Path:
        from PIL import Image

        img = Image.frombytes("RGB", (128, 128), rgb)
        img = img.resize((128 * SHOT_SCALE, 128 * SHOT_SCALE), Image.NEAREST)
        path = self._path(".png")
        img.save(path)
        self.saved.append(path)
        return path

    def save_gif(self) -> Optional[Path]:
        """The recording since F8, or the last `seconds`; None if there is
        no frame yet."""
        from PIL import Image

        if self.recording:
            frames = self.recording
        else:
            frames = list(self.rolling)[-self.limit():]
        self.recording = None
        if not frames:
            return None
        step = max(1, self.fps // 30)                # GIFs at 30 fps
        size = (128 * GIF_SCALE, 128 * GIF_SCALE)
        images = [Image.frombytes("RGB", (128, 128), f).resize(size, Image.NEAREST)
                  for f in frames[::step]]
        delays = [GIF_DELAYS_MS[i % 3] for i in range(len(images))]
        path = self._path(".gif")
        images[0].save(path, save_all=True, append_images=images[1:], duration=delays, loop=0)
        self.saved.append(path)
        return path

    def save_label(self, indices: bytes) -> tuple[list[list[int]], Path]:
        """The shown frame as a cart label (PICO-8's F7): rows of colour
        indices 0-15, 128-143 for the secondary palette, and the PNG that
        `rp8 export CART --label` takes."""
        from console.cart.png import label_png

        label = [[c if c < 16 else c - 16 + 128 for c in indices[y * 128:(y + 1) * 128]]
                 for y in range(128)]
        path = self._path("_label.png")
        path.write_bytes(label_png(label))
        self.saved.append(path)
        return label, path


__all__ = ["Capture"]
