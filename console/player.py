"""The desktop window: pygame, integer scaling, input, sound, pause menu,
screenshots and GIFs around a console.desktop Console.

Keys (PICO-8's defaults): arrows + Z/C/N (O) and X/V/M (X) for player 1,
S/F/E/D + Tab/Q (O) and Shift/A (X) for player 2; Enter or P opens the pause
menu (sound on/off and volume are in it); Ctrl+M mutes; F1 or F6 saves a
screenshot, F7 takes the cart label, F8 starts a GIF, F9 saves it (the last
8 s if F8 was not pressed); Ctrl+R reloads the cart from disk; Alt+Enter
toggles fullscreen; Esc or closing the window quits, also while a cart loops.
Gamepads: d-pad/left stick and A/B (O/X), Start for the menu.

Sound streams through console.audio_out: each frame's samples go into a
ring buffer that SDL's audio thread drains, and the frame loop is paced by
the sound card, so sound has no gaps and emulated time does not drift from
it. Volume, mute, the capture folder and the GIF length are remembered in
console.settings.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

from console.audio_out import VOLUME_STEPS, frame_samples
from console.machine import Machine, to_fix
from console.pause_menu import ENDED as MENU_ENDED
from console.pause_menu import EXIT as MENU_EXIT
from console.pause_menu import PAUSE as PAUSE_BIT
from console.pause_menu import RESET as MENU_RESET
from console.pause_menu import RUN as MENU_RUN
from console.pause_menu import PauseMenu
from console.player_capture import Capture
from console.desktop.frameloop import Console, Options
from console.desktop.host_limits import CaptureQuota, plain_title
from console.settings import Settings

MESSAGE_FRAMES = 90       # how long a message stays on screen (3 s at 30 fps)
EXIT_RUNTIME_ERROR = 1
EXIT_SYNTAX_ERROR = 2


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


def _mtime(path: Path) -> Optional[tuple[int, int]]:
    """What --watch compares: modification time and size (a quick edit
    within the file system's time resolution still changes the size)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def pad_bits(pad: Any) -> int:
    """A gamepad's d-pad or left stick and its first two buttons as PICO-8
    button bits (0 if the pad was unplugged mid-read)."""
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
        return bits
    except Exception:                  # pygame.error: the pad is gone
        return 0


def present(pg: Any, window: Any, rgb: bytes) -> None:
    """Show a 128x128 RGB frame in the window at the largest whole scale,
    centred on black."""
    surf = pg.image.frombuffer(rgb, (128, 128), "RGB")
    w, h = window.get_size()
    s = max(1, min(w, h) // 128)
    window.fill((0, 0, 0))
    window.blit(pg.transform.scale(surf, (128 * s, 128 * s)), ((w - 128 * s) // 2, (h - 128 * s) // 2))
    pg.display.flip()


def stem_of(path: Path) -> str:
    return path.name.split(".")[0] or "cart"


class Player:
    """One window playing one cart. `tick()` runs one frame (or one menu
    frame); `play()` loops until the user quits and returns the exit code
    (0, 1 after a runtime error, 2 after a syntax error)."""

    def __init__(self, path: Path, seed: Optional[int] = None, param: str = "",
                 scale: int = 0, mute: bool = False, capture_dir: Optional[Path] = None,
                 settings: Optional[Settings] = None, watch: bool = False,
                 embedded: bool = False) -> None:
        from console.pygame_load import load_pygame

        pygame = load_pygame()

        self.pg = pygame
        pygame.display.init()
        pygame.joystick.init()
        self.path = path
        self.seed = seed
        self.param = param
        self.watch = watch
        self.embedded = embedded        # inside the cart browser: Esc goes back to it
        self.window_closed = False
        self.watched: dict[Path, Optional[tuple[int, int]]] = {}
        self.ticks = 0
        self.settings = settings if settings is not None else Settings.load()
        if mute:
            self.settings.muted = True
        self.quit = False
        self.want_menu = False          # extcmd("pause"): opened before the next frame
        self.fullscreen = False
        self.held: set[tuple[int, int]] = set()
        self.keys = _keymap(pygame)
        self.cart_captures = CaptureQuota()
        self.capture = Capture(capture_dir or self.settings.captures(), stem_of(path),
                               self.settings.gif_seconds)
        self.saved = self.capture.saved
        self.label: Optional[list[list[int]]] = None   # taken with F7
        self.message = ""
        self.message_left = 0
        self.exit_code = 0
        self.syntax_error: Optional[str] = None
        self._reported = False
        info = pygame.display.Info()
        fit = max(1, min(info.current_w or 512, info.current_h or 512) * 3 // 4 // 128)
        self.scale = scale if scale > 0 else min(fit, 6)
        self.window = pygame.display.set_mode((128 * self.scale, 128 * self.scale),
                                              pygame.RESIZABLE)
        pygame.display.set_caption(f"rp8 - {path.name}")
        self.clock = pygame.time.Clock()
        self.audio = self._open_sound()
        self.audio_frame = 0
        self.pads = [pygame.joystick.Joystick(i) for i in range(pygame.joystick.get_count())]
        self.console: Console = self._start()
        self.menu = PauseMenu(lambda: self.console, self.settings.volume, VOLUME_STEPS,
                              not self.settings.muted)
        self.settings.played(path)
        self.settings.save()

    # ------------------------------------------------------------ setup

    def _open_sound(self) -> Any:
        from console.audio_out import AudioOut

        try:
            with _quiet_stderr():
                return AudioOut()
        except Exception:              # no audio device: play silently
            print("rp8: no audio device; playing without sound", file=sys.stderr)
            return None

    def _boot(self) -> Console:
        options = Options(seed=self.seed, param=self.param, on_slice=self._on_slice,
                          on_extcmd=self._on_extcmd)
        return Console.from_path(self.path, options)

    def _start(self) -> Console:
        """Boot the cart; a cart that does not load or compile is shown on a
        SYNTAX ERROR screen (and reported once)."""
        from aot.errors import UserError

        self.syntax_error = None
        self._reported = False
        self.exit_code = 0
        if self.watch:
            self._watch_files()
        try:
            return self._boot()
        except UserError as err:
            self.syntax_error = str(err).split("\n")[0]
            self.exit_code = EXIT_SYNTAX_ERROR
            self._reported = True
            print(f"rp8: {err}", file=sys.stderr)
            return Console.from_code("", self.path.name, Options(seed=0))

    # ------------------------------------------------------------ --watch

    def _watch_files(self) -> None:
        """Note the cart's file and its #include'd files with their times.
        A cart that does not load keeps the files watched before."""
        from console.cart import load_cart

        files = {self.path.resolve()} | set(self.watched)
        try:
            files = {self.path.resolve()} | {f.path.resolve() for f in load_cart(self.path).files}
        except Exception:              # shown by the boot that follows
            pass
        self.watched = {f: _mtime(f) for f in files}

    def changed_on_disk(self) -> bool:
        return any(_mtime(f) != t for f, t in self.watched.items())

    # ------------------------------------------------------------ events

    def _on_slice(self) -> Optional[str]:
        """Called while a long frame runs: keep the window alive."""
        self._events(in_frame=True)
        return "closed by the user" if self.quit else None

    def _on_extcmd(self, cmd: str, arg: str) -> None:
        con = getattr(self, "console", None)
        frame = con.frame if con is not None else 0
        if cmd in ("screen", "video", "label") and not self.cart_captures.allow(cmd, frame):
            return                      # a cart asking in a loop: files are capped
        if cmd == "pause":
            self.want_menu = True
        elif cmd == "screen":
            self.screenshot()
        elif cmd in ("rec", "rec_frames"):
            self.say(self.capture.start())
        elif cmd == "video":
            self.save_gif()
        elif cmd == "label":
            self.take_label()
        elif cmd == "set_title":
            self.pg.display.set_caption(plain_title(arg) or f"rp8 - {self.path.name}")

    def _events(self, in_frame: bool = False) -> list[Any]:
        pg = self.pg
        presses = []
        for ev in pg.event.get():
            if ev.type == pg.QUIT:
                self.quit = True
                self.window_closed = True
            elif ev.type == pg.KEYDOWN:
                mods = ev.mod
                if ev.key == pg.K_ESCAPE:
                    if self.paused:
                        self.menu.close()
                    else:
                        self.quit = True
                elif ev.key == pg.K_RETURN and mods & pg.KMOD_ALT:
                    self.toggle_fullscreen()
                elif ev.key in self.keys and not mods & pg.KMOD_CTRL:
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
            m[p] |= pad_bits(pad)
        return m

    def _hotkeys(self, presses: list[int]) -> bool:
        """PICO-8's function keys and Ctrl combinations. Returns True when
        the frame should not run (the cart was reloaded)."""
        pg = self.pg
        ctrl = pg.key.get_mods() & pg.KMOD_CTRL
        if pg.K_r in presses and ctrl:
            self.reload()
            return True
        if pg.K_m in presses and ctrl:
            self.set_muted(not self.settings.muted)
        if pg.K_F1 in presses or pg.K_F6 in presses or (ctrl and pg.K_6 in presses):
            self.screenshot()
        if pg.K_F7 in presses or (ctrl and pg.K_7 in presses):
            self.take_label()
        if pg.K_F8 in presses or (ctrl and pg.K_8 in presses):
            self.say(self.capture.start())
        if pg.K_F9 in presses or (ctrl and pg.K_9 in presses):
            self.save_gif()
        return False

    # ------------------------------------------------------------ frames

    def tick(self) -> None:
        """One frame: input, the cart (or the pause menu), present, sound."""
        pg = self.pg
        presses = self._events()
        if self.quit:
            return
        if self._hotkeys(presses):
            return
        self.ticks += 1
        if self.watch and self.ticks % 15 == 0 and self.changed_on_disk():
            self.reload()
            self.say(f"reloaded {self.path.name}")
        con = self.console
        fps = con.fps() if con.running else 30
        masks = self.masks()
        played = False
        if con.running and self.syntax_error is None:
            if self.want_menu:
                self.menu.open()
            pressed = PAUSE_BIT if pg.K_RETURN in presses or pg.K_p in presses else 0
            for k in presses:
                player, bit = self.keys.get(k, (-1, 0))
                pressed |= 1 << bit if player == 0 else 0
            shown, buttons = self.menu.frame(masks[0] & 0x7F, pressed & 0x7F)
            self.want_menu = False
            self._sound_from_menu()
            if shown == MENU_RESET:
                self.reload()
                return
            if shown == MENU_EXIT:
                self.quit = True
                return
            if shown in (MENU_RUN, MENU_ENDED):
                masks[0] = masks[0] & ~0x7F | buttons
                played = self._run_frame(masks)
        else:
            played = self._run_frame(masks)
        pixels = con.rgb()
        note = self.capture.frame(pixels, fps)
        if note:
            self.say(note)
        self._present(self._with_message(pixels))
        self._pace(fps, played)

    @property
    def paused(self) -> bool:
        return self.menu.is_open

    def _run_frame(self, masks: list[int]) -> bool:
        """Run the cart one frame (or keep its error screen up). Returns
        whether sound was pushed for it."""
        con = self.console
        if self.syntax_error is not None:
            self._show_syntax_error()
            return False
        kind = con.step(masks) if con.running else con.status
        if con.error is not None:
            if kind == "error" and not self._reported:
                self._reported = True
                self.exit_code = EXIT_RUNTIME_ERROR
                print(f"rp8: runtime error: {con.error.message}", file=sys.stderr)
                for p in con.error.places:
                    print(f"  at {p}", file=sys.stderr)
            con.show_error()
            return False
        if not con.running:
            return False
        self._audio()
        return True

    def _show_syntax_error(self) -> None:
        from console._engine import lib
        from console.desktop import screen

        con = self.console
        lines = screen.error_lines(self.syntax_error or "", [], title="syntax error")
        screen.draw_error(lib, con.machine.state, con.machine.ram, lines)

    def _pace(self, fps: int, played: bool) -> None:
        """Wait for the next frame: by the sound card while sound streams
        (no drift between emulated time and what is heard), else the clock."""
        if played and self.audio is not None and self.audio.wait_for_card():
            self.clock.tick()
            return
        if self.audio is not None:
            self.audio.idle()
        self.clock.tick(fps)

    def play(self) -> int:
        while not self.quit:
            self.tick()
        self.close()
        return self.exit_code

    def close(self) -> None:
        if self.audio is not None:
            self.audio.close()
            self.audio = None
        if not self.embedded:
            self.pg.quit()

    def reload(self) -> None:
        self.menu.forget()
        self.console = self._start()

    def _audio(self) -> None:
        if self.audio is None:
            return
        from console.audio_render import render

        n = frame_samples(self.audio_frame, self.console.fps())
        self.audio_frame += 1
        samples = render(self.console.machine, n)
        self.audio.push(samples, 0 if self.settings.muted else self.settings.volume)

    def set_muted(self, muted: bool) -> None:
        self.settings.muted = muted
        self.settings.save()
        self.menu.set_sound(not muted, self.settings.volume)
        self.say("sound off" if muted else "sound on")

    def _sound_from_menu(self) -> None:
        """The menu's sound and volume rows into the settings (volume 0 is
        sound off, as Ctrl+M's mute)."""
        volume, muted = self.menu.volume, not self.menu.sound or self.menu.volume == 0
        if (volume, muted) != (self.settings.volume, self.settings.muted):
            self.settings.volume, self.settings.muted = volume, muted
            self.settings.save()
            self.menu.set_sound(not muted, volume)

    def _present(self, rgb: bytes) -> None:
        present(self.pg, self.window, rgb)

    def toggle_fullscreen(self) -> None:
        pg = self.pg
        self.fullscreen = not self.fullscreen
        if self.fullscreen:
            self.window = pg.display.set_mode((0, 0), pg.FULLSCREEN)
        else:
            self.window = pg.display.set_mode((128 * self.scale, 128 * self.scale), pg.RESIZABLE)

    # ------------------------------------------------------------ messages

    def say(self, text: str, where: Optional[Path] = None) -> None:
        """A short message at the bottom of the screen (as PICO-8 shows
        "saved screenshot"); the terminal also gets the file's full path."""
        self.message = text if where is None else f"{text} {where.name}"
        self.message_left = MESSAGE_FRAMES
        print(f"rp8: {text}" + (f" {where}" if where is not None else ""))

    def _with_message(self, rgb: bytes) -> bytes:
        if self.message_left <= 0:
            return rgb
        self.message_left -= 1
        canvas = Canvas(rgb)
        canvas.message(self.message)
        return canvas.rgb()

    # ------------------------------------------------------------ captures

    def screenshot(self) -> Path:
        path = self.capture.screenshot(self.console.rgb())
        self.say("saved screenshot", path)
        return path

    def save_gif(self) -> Optional[Path]:
        path = self.capture.save_gif()
        if path is None:
            self.say("no frames to save yet")
        else:
            self.say("saved gif", path)
        return path

    def take_label(self) -> Path:
        """PICO-8's F7: the shown frame becomes the cart label; rp8 keeps it
        for `rp8 export` (the cart file itself is not rewritten) and saves
        a PNG of it with the captures."""
        from console.labels import keep_label

        self.label, path = self.capture.save_label(self.console.indices())
        keep_label(self.path, self.label)
        self.say("captured label", path)
        return path


class Canvas:
    """The player's own boxes and text over a console's shown frame. They
    are drawn on a blank scratch machine in the default palette and screen
    mode, and only the boxes' rectangles are laid over the frame's RGB: the
    cart's RAM is untouched and its screen palette or mode (a remapped
    colour 7, a mirrored screen) cannot change how the menu looks."""

    def __init__(self, base: Optional[bytes] = None) -> None:
        self.base = base                # None: the canvas alone is the picture
        self.m = Machine()
        self.boxes: list[tuple[int, int, int, int]] = []

    def text(self, s: str, x: int, y: int, col: int) -> None:
        from console._engine import lib

        data = s.encode("latin-1", "replace")
        lib.p8_print(self.m.state, data, len(data), to_fix(x), to_fix(y), to_fix(col), 4)

    def box(self, x0: int, y0: int, x1: int, y1: int, fill: Optional[int],
            edge: Optional[int] = None) -> None:
        from console._engine import lib

        st = self.m.state
        self.boxes.append((x0, y0, x1, y1))
        if fill is not None:
            lib.p8_rectfill(st, to_fix(x0), to_fix(y0), to_fix(x1), to_fix(y1), to_fix(fill), 5)
        if edge is not None:
            lib.p8_rect(st, to_fix(x0), to_fix(y0), to_fix(x1), to_fix(y1), to_fix(edge), 5)

    def message(self, text: str) -> None:
        """One line at the bottom, cut to the screen's 32 characters."""
        text = text.lower()[:32]
        self.box(0, 121, 127, 127, 0, None)
        self.text(text, 1, 122, 7)

    def rgb(self) -> bytes:
        from console._engine import ffi, lib
        from console.desktop import screen

        drawn = screen.rgb(ffi, lib, self.m.state)
        if self.base is None:
            return drawn
        out = bytearray(self.base)
        for x0, y0, x1, y1 in self.boxes:
            for y in range(y0, y1 + 1):
                a, b = 3 * (y * 128 + x0), 3 * (y * 128 + x1 + 1)
                out[a:b] = drawn[a:b]
        return bytes(out)


def play(path: Path, seed: Optional[int] = None, param: str = "", scale: int = 0,
         mute: bool = False, capture_dir: Optional[Path] = None, watch: bool = False) -> int:
    return Player(path, seed=seed, param=param, scale=scale, mute=mute,
                  capture_dir=capture_dir, watch=watch).play()
