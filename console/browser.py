"""The cart browser: `rp8` with no cart, or `rp8 run FOLDER`.

Like PICO-8's splore over a local folder: three lists (the folder's carts,
favourites, recently played), one cart at a time with its label, title and
author, and its neighbours in the list. Arrows or a gamepad choose (left and
right switch lists), Enter/O plays, X marks a favourite, Esc quits; a cart
plays in the same window and Esc (or the pause menu's exit) comes back here.
Favourites and recent carts are kept in console.settings.

The title and author are PICO-8's convention: the first two lines of the
code when they are `--` comments ("-- by" is dropped from the author).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from console.settings import Settings

CART_SUFFIXES = (".p8", ".p8.png", ".p8.rom")
MAX_CARTS = 2000
MAX_DEPTH = 3
LISTS = ("folder", "favourites", "recent")
# P8SCII glyphs
LEFT, RIGHT, UP, DOWN, O_BTN, X_BTN, STAR = "\x8b", "\x91", "\x94", "\x83", "\x8e", "\x97", "\x92"


def is_cart(path: Path) -> bool:
    return path.is_file() and path.name.lower().endswith(CART_SUFFIXES)


def find_carts(folder: Path) -> list[Path]:
    """The carts in `folder` and its subfolders (up to 3 deep), by path."""
    found: list[Path] = []
    base_depth = len(folder.resolve().parts)
    for root, dirs, files in os.walk(folder):
        depth = len(Path(root).resolve().parts) - base_depth
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if depth < MAX_DEPTH else []
        for name in sorted(files):
            if name.lower().endswith(CART_SUFFIXES):
                found.append(Path(root) / name)
                if len(found) >= MAX_CARTS:
                    return found
    return found


@dataclass
class CartInfo:
    path: Path
    title: str                       # P8SCII, as the cart spells it
    author: str
    label: Optional[list[list[int]]]
    problem: str = ""                # why the cart did not load


def cart_info(path: Path) -> CartInfo:
    from console.cart import load_cart
    from console.cart.writer import title_lines
    from aot.errors import UserError

    try:
        cart = load_cart(path)
    except UserError as err:
        return CartInfo(path, path.name, "", None, str(err).split("\n")[0])
    lines = title_lines(cart.code)
    title = lines[0].strip() if lines and lines[0].strip() else cart.name
    author = lines[1].strip() if len(lines) > 1 else ""
    if author.lower().startswith("by "):
        author = author[3:]
    return CartInfo(path, title, author, cart.label)


class Browser:
    """The browser's window. `tick()` handles one frame of input and draws;
    `run()` loops until the user quits."""

    def __init__(self, folder: Path, settings: Optional[Settings] = None, scale: int = 0,
                 capture_dir: Optional[Path] = None) -> None:
        from console.pygame_load import load_pygame

        pygame = load_pygame()

        self.pg = pygame
        self.folder = folder
        self.settings = settings if settings is not None else Settings.load()
        self.capture_dir = capture_dir
        self.quit = False
        self.list_index = 0
        self.pos = {name: 0 for name in LISTS}
        self.infos: dict[Path, CartInfo] = {}
        self.carts = find_carts(folder)
        self.pad_mask = 0
        self.playing: Any = None          # the Player while a cart runs
        pygame.display.init()
        pygame.joystick.init()
        info = pygame.display.Info()
        fit = max(1, min(info.current_w or 512, info.current_h or 512) * 3 // 4 // 128)
        self.scale = scale if scale > 0 else min(fit, 6)
        self._open_window()
        self.pads = [pygame.joystick.Joystick(i) for i in range(pygame.joystick.get_count())]
        self.clock = pygame.time.Clock()
        if not self.carts and self.entries("recent"):
            self.list_index = LISTS.index("recent")

    def _open_window(self) -> None:
        pg = self.pg
        self.window = pg.display.set_mode((128 * self.scale, 128 * self.scale), pg.RESIZABLE)
        pg.display.set_caption(f"rp8 - {self.folder.resolve().name or self.folder}")
        pg.key.set_repeat(300, 60)

    # ------------------------------------------------------------ lists

    @property
    def list_name(self) -> str:
        return LISTS[self.list_index]

    def entries(self, name: Optional[str] = None) -> list[Path]:
        name = name or self.list_name
        if name == "folder":
            return self.carts
        keys = self.settings.favourites if name == "favourites" else self.settings.recent
        return [Path(k) for k in keys if Path(k).is_file()]

    def selected(self) -> Optional[Path]:
        carts = self.entries()
        if not carts:
            return None
        self.pos[self.list_name] = max(0, min(self.pos[self.list_name], len(carts) - 1))
        return carts[self.pos[self.list_name]]

    def info(self, path: Path) -> CartInfo:
        if path not in self.infos:
            self.infos[path] = cart_info(path)
        return self.infos[path]

    # ------------------------------------------------------------ input

    def _pad_presses(self) -> list[str]:
        """Gamepad buttons that went down since the last frame, as actions."""
        from console.player import pad_bits

        mask = 0
        for pad in self.pads:
            mask |= pad_bits(pad)
        down = mask & ~self.pad_mask
        self.pad_mask = mask
        names = ("left", "right", "up", "down", "play", "favourite")
        return [names[i] for i in range(6) if down >> i & 1]

    def _actions(self) -> list[str]:
        pg = self.pg
        keys = {pg.K_LEFT: "left", pg.K_RIGHT: "right", pg.K_UP: "up", pg.K_DOWN: "down",
                pg.K_PAGEUP: "page_up", pg.K_PAGEDOWN: "page_down", pg.K_HOME: "first",
                pg.K_END: "last", pg.K_RETURN: "play", pg.K_z: "play", pg.K_c: "play",
                pg.K_n: "play", pg.K_p: "play", pg.K_x: "favourite", pg.K_v: "favourite",
                pg.K_m: "favourite", pg.K_f: "favourite", pg.K_ESCAPE: "quit"}
        out: list[str] = []
        for ev in pg.event.get():
            if ev.type == pg.QUIT:
                out.append("quit")
            elif ev.type == pg.KEYDOWN and ev.key in keys:
                if ev.key == pg.K_RETURN and ev.mod & pg.KMOD_ALT:
                    continue
                out.append(keys[ev.key])
            elif ev.type == pg.JOYDEVICEADDED:
                self.pads = [pg.joystick.Joystick(i) for i in range(pg.joystick.get_count())]
        return out + self._pad_presses()

    def tick(self) -> None:
        """One frame: the cart being played, or the browser's input and picture."""
        if self.playing is not None:
            self._tick_cart()
            return
        for action in self._actions():
            self.act(action)
            if self.quit or self.playing is not None:
                return
        self._present(self.draw())
        self.clock.tick(30)

    def act(self, action: str) -> None:
        carts = self.entries()
        here = self.pos[self.list_name]
        step = {"up": -1, "down": 1, "page_up": -10, "page_down": 10}
        if action == "quit":
            self.quit = True
        elif action in ("left", "right"):
            self.list_index = (self.list_index + (1 if action == "right" else -1)) % len(LISTS)
        elif action in step and carts:
            self.pos[self.list_name] = (here + step[action]) % len(carts) \
                if action in ("up", "down") else max(0, min(len(carts) - 1, here + step[action]))
        elif action == "first":
            self.pos[self.list_name] = 0
        elif action == "last" and carts:
            self.pos[self.list_name] = len(carts) - 1
        elif action == "favourite":
            cart = self.selected()
            if cart is not None:
                self.settings.toggle_favourite(cart)
                self.settings.save()
        elif action == "play":
            cart = self.selected()
            if cart is not None:
                self.start(cart)

    # ------------------------------------------------------------ playing

    def start(self, cart: Path) -> None:
        from console.player import Player

        self.pg.key.set_repeat()          # the cart sees plain presses
        self.playing = Player(cart, scale=self.scale, settings=self.settings,
                              capture_dir=self.capture_dir, embedded=True)

    def _tick_cart(self) -> None:
        p = self.playing
        p.tick()
        if not p.quit:
            return
        p.close()
        self.playing = None
        self.infos.pop(p.path, None)          # it may have changed (Ctrl+R, F7)
        if p.window_closed:
            self.quit = True
        else:
            self._open_window()

    def run(self) -> int:
        while not self.quit:
            self.tick()
        self.pg.quit()
        return 0

    # ------------------------------------------------------------ drawing

    def draw(self) -> bytes:
        """The browser's 128x128 picture (RGB)."""
        from console.cart.png import PALETTE
        from console.player import Canvas

        canvas = Canvas()
        text, box = canvas.text, canvas.box
        carts = self.entries()
        box(0, 0, 127, 6, 1)
        text(f"{LEFT} {self.list_name} {RIGHT}", 1, 1, 7)
        if carts:
            count = f"{self.pos[self.list_name] + 1}/{len(carts)}"
            text(count, 128 - 4 * len(count), 1, 6)
        box(0, 121, 127, 127, 1)
        text(f"{O_BTN}play {X_BTN}{STAR} esc quit", 1, 122, 6)
        cart = self.selected()
        label = None
        if cart is None:
            empty = {"folder": "no carts in this folder", "favourites": "no favourites yet",
                     "recent": "nothing played yet"}[self.list_name]
            text(empty, 64 - 2 * len(empty), 50, 6)
            text(f"{LEFT}{RIGHT} other lists", 30, 62, 5)
        else:
            info = self.info(cart)
            box(31, 9, 96, 74, None, 5)
            if info.label is None:
                box(32, 10, 95, 73, 0)
                text("no label", 48, 40, 5)
            else:
                label = info.label
            fav = str(cart.resolve()) in self.settings.favourites
            text((STAR + " " if fav else "") + info.title[:30], 1, 78, 10 if fav else 7)
            if info.problem:
                text(info.problem.lower()[:32], 1, 85, 8)
            elif info.author:
                text("by " + info.author[:29], 1, 85, 6)
            here = self.pos[self.list_name]
            for row, i in enumerate((here - 1, here, here + 1)):
                if 0 <= i < len(carts):
                    name = carts[i].name[:30]
                    text(("> " if i == here else "  ") + name.lower(), 1, 95 + 7 * row,
                         7 if i == here else 5)
        rgb = bytearray(canvas.rgb())
        if label is not None:
            for y in range(64):
                for x in range(64):
                    c = PALETTE.get(label[2 * y][2 * x], (0, 0, 0))
                    o = 3 * ((10 + y) * 128 + 32 + x)
                    rgb[o:o + 3] = bytes(c)
        return bytes(rgb)

    def _present(self, rgb: bytes) -> None:
        from console.player import present

        present(self.pg, self.window, rgb)


def browse(folder: Path, scale: int = 0, capture_dir: Optional[Path] = None) -> int:
    return Browser(folder, scale=scale, capture_dir=capture_dir).run()


__all__ = ["Browser", "CartInfo", "browse", "cart_info", "find_carts", "is_cart"]
