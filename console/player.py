"""The desktop window: pygame, integer scaling, input, sound, pause menu,
screenshots and GIFs around a console.runtime Console.

Keys (PICO-8's defaults): arrows + Z/C/N (O) and X/V/M (X) for player 1,
S/F/E/D + Tab/Q (O) and Shift/A (X) for player 2; Enter or P opens the pause
menu; F6 saves a screenshot, F8 starts a GIF, F9 saves it (the last 8 s if
F8 was not pressed); Ctrl+R reloads the cart from disk; Alt+Enter toggles
fullscreen; Esc or closing the window quits, also while a cart loops.
Gamepads: d-pad/left stick and A/B (O/X), Start for the menu.
"""
from __future__ import annotations

import os
import sys
import time
from collections import deque
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

from console.machine import Machine, to_fix
from console.runtime.frameloop import Console, Options

GIF_SECONDS = 8
SAMPLE_RATE = 22050
# what a menu item's callback gets for O, X or pause: PICO-8 does not tell
# them apart and passes all three bits (16|32|64)
MENU_CHOOSE = 112


@contextmanager
def _quiet_stderr() -> Any:
    """Hold back what C libraries print on stderr (ALSA lists every device it
    fails to open when a machine has no sound card); Python's own stderr is
    untouched, so rp8's messages still show."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _keymap(pg: Any) -> dict[int, tuple[int, int]]:
    """pygame key -> (player, button bit)."""
    k = pg
    return {
        k.K_LEFT: (0, 0), k.K_RIGHT: (0, 1), k.K_UP: (0, 2), k.K_DOWN: (0, 3),
        k.K_z: (0, 4), k.K_c: (0, 4), k.K_n: (0, 4),
        k.K_x: (0, 5), k.K_v: (0, 5), k.K_m: (0, 5),
        k.K_s: (1, 0), k.K_f: (1, 1), k.K_e: (1, 2), k.K_d: (1, 3),
        k.K_TAB: (1, 4), k.K_q: (1, 4), k.K_LSHIFT: (1, 5), k.K_a: (1, 5),
    }


class Player:
    """One window playing one cart. `tick()` runs one frame (or one menu
    frame); `play()` loops until the user quits."""

    def __init__(self, path: Path, seed: Optional[int] = None, param: str = "",
                 scale: int = 0, mute: bool = False) -> None:
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        import pygame

        self.pg = pygame
        pygame.display.init()
        pygame.joystick.init()
        self.path = path
        self.seed = seed
        self.param = param
        self.quit = False
        self.paused = False
        self.menu_index = 0
        self.fullscreen = False
        self.held: set[tuple[int, int]] = set()
        self.keys = _keymap(pygame)
        self.frames: deque[bytes] = deque(maxlen=GIF_SECONDS * 60)
        self.gif_start: Optional[int] = None
        self.saved: list[Path] = []
        self.screen_count = 0
        info = pygame.display.Info()
        fit = max(1, min(info.current_w or 512, info.current_h or 512) * 3 // 4 // 128)
        self.scale = scale if scale > 0 else min(fit, 6)
        self.window = pygame.display.set_mode((128 * self.scale, 128 * self.scale),
                                              pygame.RESIZABLE)
        pygame.display.set_caption(f"rp8 - {path.name}")
        self.clock = pygame.time.Clock()
        self.sound = None if mute else self._open_sound()
        self.pads = [pygame.joystick.Joystick(i) for i in range(pygame.joystick.get_count())]
        self.console: Console = self._boot()

    # ------------------------------------------------------------ setup

    def _open_sound(self) -> Any:
        try:
            with _quiet_stderr():
                self.pg.mixer.init(frequency=SAMPLE_RATE, size=-16, channels=1, buffer=512)
            return self.pg.mixer.Channel(0)
        except Exception:              # no audio device: play silently
            print("rp8: no audio device; playing without sound", file=sys.stderr)
            return None

    def _boot(self) -> Console:
        options = Options(seed=self.seed, param=self.param, on_slice=self._on_slice,
                          on_extcmd=self._on_extcmd)
        try:
            return Console.from_path(self.path, options)
        except Exception as err:       # a syntax error: show it in the window
            from console.errors import UserError

            if not isinstance(err, UserError):
                raise
            con = Console.from_code("", self.path.name, options)
            from console.runtime.frameloop import CartRuntimeError

            con.error = CartRuntimeError(str(err).split("\n")[0], [])
            print(f"rp8: {err}")
            return con

    # ------------------------------------------------------------ events

    def _on_slice(self) -> Optional[str]:
        """Called while a long frame runs: keep the window alive."""
        self._events(in_frame=True)
        return "closed by the user" if self.quit else None

    def _on_extcmd(self, cmd: str, arg: str) -> None:
        if cmd == "pause":
            self.paused = True
        elif cmd == "screen":
            self.screenshot()
        elif cmd in ("rec", "rec_frames"):
            self.gif_start = len(self.frames)
        elif cmd == "video":
            self.save_gif()
        elif cmd == "set_title":
            self.pg.display.set_caption(arg or f"rp8 - {self.path.name}")

    def _events(self, in_frame: bool = False) -> list[Any]:
        pg = self.pg
        presses = []
        for ev in pg.event.get():
            if ev.type == pg.QUIT:
                self.quit = True
            elif ev.type == pg.KEYDOWN:
                mods = ev.mod
                if ev.key == pg.K_ESCAPE:
                    if self.paused:
                        self.paused = False
                    else:
                        self.quit = True
                elif ev.key == pg.K_RETURN and mods & pg.KMOD_ALT:
                    self.toggle_fullscreen()
                elif ev.key in self.keys:
                    self.held.add(self.keys[ev.key])
                    presses.append(ev.key)
                else:
                    presses.append(ev.key)
            elif ev.type == pg.KEYUP and ev.key in self.keys:
                self.held.discard(self.keys[ev.key])
            elif ev.type == pg.JOYDEVICEADDED:
                self.pads = [pg.joystick.Joystick(i) for i in range(pg.joystick.get_count())]
        return [] if in_frame else presses

    def masks(self) -> list[int]:
        m = [0] * 8
        for player, bit in self.held:
            m[player] |= 1 << bit
        for p, pad in enumerate(self.pads[:8]):
            try:
                hx, hy = pad.get_hat(0) if pad.get_numhats() else (0, 0)
                ax = pad.get_axis(0) if pad.get_numaxes() > 0 else 0.0
                ay = pad.get_axis(1) if pad.get_numaxes() > 1 else 0.0
                bits = 0
                bits |= 1 if hx < 0 or ax < -0.5 else 0
                bits |= 2 if hx > 0 or ax > 0.5 else 0
                bits |= 4 if hy > 0 or ay < -0.5 else 0
                bits |= 8 if hy < 0 or ay > 0.5 else 0
                bits |= 16 if pad.get_numbuttons() > 0 and pad.get_button(0) else 0
                bits |= 32 if pad.get_numbuttons() > 1 and pad.get_button(1) else 0
                m[p] |= bits
            except Exception:          # a pad unplugged mid-read
                continue
        return m

    # ------------------------------------------------------------ frames

    def tick(self) -> None:
        """One frame: input, the cart (or the pause menu), present, sound."""
        pg = self.pg
        presses = self._events()
        if self.quit:
            return
        ctrl = pg.key.get_mods() & pg.KMOD_CTRL
        if pg.K_r in presses and ctrl:
            self.reload()
            return
        if pg.K_F6 in presses:
            self.screenshot()
        if pg.K_F8 in presses:
            self.gif_start = len(self.frames)
        if pg.K_F9 in presses:
            self.save_gif()
        con = self.console
        if not self.paused and con.running and (pg.K_RETURN in presses or pg.K_p in presses):
            self.paused = True
            self.menu_index = 0
            presses = []
        if self.paused:
            self._menu(presses)
            pixels = self._menu_screen()
        else:
            kind = con.step(self.masks()) if con.running else con.status
            if con.error is not None:
                if kind == "error" and not getattr(self, "_reported", False):
                    self._reported = True
                    print(f"rp8: runtime error: {con.error.message}")
                    for p in con.error.places:
                        print(f"  at {p}")
                con.show_error()
            pixels = con.rgb()
            self._audio()
        self.frames.append(pixels)
        self._present(pixels)
        self.clock.tick(con.fps() if con.running else 30)

    def play(self) -> int:
        while not self.quit:
            self.tick()
        self.pg.quit()
        return 0

    def reload(self) -> None:
        self._reported = False
        self.paused = False
        self.console = self._boot()

    def _audio(self) -> None:
        if self.sound is None:
            return
        from console.audio_render import render

        n = SAMPLE_RATE // self.console.fps()
        samples = render(self.console.machine, n)
        try:
            snd = self.pg.mixer.Sound(buffer=samples.tobytes())
            if self.sound.get_busy():
                self.sound.queue(snd)
            else:
                self.sound.play(snd)
        except Exception:
            self.sound = None

    def _present(self, rgb: bytes) -> None:
        pg = self.pg
        surf = pg.image.frombuffer(rgb, (128, 128), "RGB")
        w, h = self.window.get_size()
        s = max(1, min(w, h) // 128)
        scaled = pg.transform.scale(surf, (128 * s, 128 * s))
        self.window.fill((0, 0, 0))
        self.window.blit(scaled, ((w - 128 * s) // 2, (h - 128 * s) // 2))
        pg.display.flip()

    def toggle_fullscreen(self) -> None:
        pg = self.pg
        self.fullscreen = not self.fullscreen
        if self.fullscreen:
            self.window = pg.display.set_mode((0, 0), pg.FULLSCREEN)
        else:
            self.window = pg.display.set_mode((128 * self.scale, 128 * self.scale), pg.RESIZABLE)

    # ------------------------------------------------------------ pause menu

    def menu_entries(self) -> list[tuple[str, Any]]:
        entries: list[tuple[str, Any]] = [("continue", "continue")]
        for index, label in self.console.menu_items():
            entries.append((label, index))
        entries += [("reset cart", "reset"), ("exit", "exit")]
        return entries

    def _menu(self, presses: list[int]) -> None:
        pg = self.pg
        entries = self.menu_entries()
        if pg.K_UP in presses:
            self.menu_index = (self.menu_index - 1) % len(entries)
        if pg.K_DOWN in presses:
            self.menu_index = (self.menu_index + 1) % len(entries)
        self.menu_index %= len(entries)
        side = 1 if pg.K_LEFT in presses else 2 if pg.K_RIGHT in presses else 0
        chosen = any(k in presses for k in (pg.K_z, pg.K_x, pg.K_c, pg.K_v, pg.K_n, pg.K_m,
                                            pg.K_RETURN, pg.K_p))
        if not chosen and not side:
            return
        _, action = entries[self.menu_index]
        if action == "continue":
            self.paused = not chosen and self.paused
            if chosen:
                self.paused = False
        elif action == "reset":
            if chosen:
                self.reload()
        elif action == "exit":
            if chosen:
                self.quit = True
        else:
            keep = self.console.menu_call(int(action), side or MENU_CHOOSE)
            if chosen and not keep:
                self.paused = False

    def _menu_screen(self) -> bytes:
        """The cart's last frame with the menu drawn over it, on a scratch
        machine so the cart's RAM is untouched."""
        from console._engine import lib

        con = self.console
        scratch = Machine()
        scratch.ram[0x6000:0x8000] = con.machine.ram[0x6000:0x8000]
        scratch.ram[0x5F10:0x5F20] = con.machine.ram[0x5F10:0x5F20]
        st = scratch.state
        entries = self.menu_entries()
        h = 8 * len(entries) + 6
        top = (128 - h) // 2
        lib.p8_rectfill(st, to_fix(24), to_fix(top), to_fix(103), to_fix(top + h - 1), 0, 5)
        lib.p8_rect(st, to_fix(24), to_fix(top), to_fix(103), to_fix(top + h - 1), to_fix(7), 5)
        for i, (label, _) in enumerate(entries):
            text = (("> " if i == self.menu_index else "  ") + label.lower()).encode("latin-1", "replace")
            lib.p8_print(st, text, len(text), to_fix(30), to_fix(top + 4 + 8 * i), to_fix(7), 4)
        tmp = Console.__new__(Console)
        tmp.machine = scratch
        return Console.rgb(tmp)

    # ------------------------------------------------------------ captures

    def _capture_dir(self) -> Path:
        return Path.cwd()

    def screenshot(self) -> Path:
        from PIL import Image

        self.screen_count += 1
        img = Image.frombytes("RGB", (128, 128), self.console.rgb())
        img = img.resize((512, 512), Image.NEAREST)
        path = self._capture_dir() / f"{self.path.name.split('.')[0]}_{time.strftime('%Y%m%d_%H%M%S')}_{self.screen_count}.png"
        img.save(path)
        self.saved.append(path)
        print(f"rp8: saved {path}")
        return path

    def save_gif(self) -> Optional[Path]:
        from PIL import Image

        frames = list(self.frames)
        if self.gif_start is not None:
            frames = frames[max(0, self.gif_start - (len(self.frames) - len(frames))):]
        if not frames:
            return None
        fps = self.console.fps() if self.console.running else 30
        step = 2 if fps == 60 else 1                  # GIFs at 30 fps
        images = [Image.frombytes("RGB", (128, 128), f).resize((256, 256), Image.NEAREST)
                  for f in frames[::step]]
        path = self._capture_dir() / f"{self.path.name.split('.')[0]}_{time.strftime('%Y%m%d_%H%M%S')}.gif"
        images[0].save(path, save_all=True, append_images=images[1:], duration=33, loop=0)
        self.gif_start = None
        self.saved.append(path)
        print(f"rp8: saved {path}")
        return path


def play(path: Path, seed: Optional[int] = None, param: str = "", scale: int = 0,
         mute: bool = False) -> int:
    return Player(path, seed=seed, param=param, scale=scale, mute=mute).play()
