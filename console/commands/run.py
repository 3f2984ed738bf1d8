"""`rp8 run CART`: play a cart in a window, or headless for tests and CI."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from aot.errors import UserError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run", help="play a cart (window), or run it headless",
        description="Play a PICO-8 cart in a window: arrows + Z/X (also C/V, N/M), Enter or P "
        "for the pause menu, F6 screenshot, F8/F9 record/save a GIF, Ctrl+R reload, "
        "Alt+Enter fullscreen, Esc quits. With --headless, run it without a window for "
        "N frames and write screens and frame hashes.")
    p.add_argument("cart", nargs="?",
                   help="a .p8, .p8.png or .p8.rom file, or a folder to browse (default: this folder)")
    p.add_argument("--demo", nargs="?", const="", metavar="NAME",
                   help="one of the demo carts rp8 ships (platformer, hello, ...); "
                   "without NAME, browse them")
    p.add_argument("--headless", action="store_true", help="no window: run --frames frames")
    h = p.add_argument_group("headless only")
    h.add_argument("--frames", type=int, default=None, metavar="N",
                   help="frames to run (default 300)")
    h.add_argument("--input", metavar="FILE", type=Path,
                   help="scripted buttons per frame (format: see the README)")
    h.add_argument("--dump-every", type=int, default=None, metavar="K",
                   help="with --out, save a PNG every K frames (the last frame is always saved)")
    h.add_argument("-o", "--out", type=Path, metavar="DIR",
                   help="write frame_NNNNN.png and hashes.txt here")
    h.add_argument("--timeout", type=float, default=None, metavar="SEC",
                   help="stop a frame that runs longer than this (default 10 s)")
    p.add_argument("--seed", type=int, default=None, metavar="S",
                   help="srand(S) before the cart starts (headless default 0; window: the clock)")
    p.add_argument("--param", default="", help="the cart's stat(6) parameter string")
    p.add_argument("--aot", action="store_true",
                   help="compile the cart to C++ ahead of time and play the native build")
    p.add_argument("--aot-build", choices=("tiered", "quick", "optimised"), default=None, metavar="MODE",
                   help="with --aot, which build plays: tiered (the optimised build once made; before that "
                   "a quick build, while the optimised one is made in the background), quick or optimised "
                   "(default: $RP8_AOT_BUILD, else tiered)")
    w = p.add_argument_group("window only")
    w.add_argument("--scale", type=int, default=None, help="pixel scale (default: fit)")
    w.add_argument("--mute", action="store_true", help="start muted (Ctrl+M toggles)")
    w.add_argument("--watch", action="store_true",
                   help="reload the cart when it or a file it #includes changes on disk")
    w.add_argument("--capture-dir", type=Path, metavar="DIR",
                   help="where F6 screenshots, F8/F9 GIFs and F7 labels go "
                   "(default: the desktop, or the folder in the settings file)")
    p.set_defaults(run=run)


HEADLESS_ONLY = ("frames", "input", "dump_every", "out", "timeout")
WINDOW_ONLY = ("scale", "mute", "capture_dir", "watch")


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _given(args: argparse.Namespace, names: tuple[str, ...]) -> list[str]:
    return [_flag(n) for n in names if getattr(args, n) not in (None, False, "")]


def check_cart_argument(text: str) -> Path:
    """The cart argument as a path; a URL or a BBS id gets a plain answer."""
    if "://" in text or text.startswith("#"):
        raise UserError(f"{text}: rp8 does not download carts; save the cart file "
                        "(.p8 or .p8.png) from the web page and run that file")
    return Path(text)


def run(args: argparse.Namespace) -> int:
    from console import sources

    if args.aot_build is not None and not args.aot:
        raise UserError("--aot-build: only with --aot")
    if args.demo == "":
        if args.cart is not None:
            raise UserError(f"{args.cart}: give a cart or --demo, not both")
        return browse_folder(sources.CARTS_DIR, args)
    if args.cart is None and args.demo is None:
        return browse_folder(Path.cwd(), args)
    if args.cart is not None:
        check_cart_argument(args.cart)
    path = sources.cart_argument(args.cart, args.demo)
    if path.is_dir():
        return browse_folder(path, args)
    if not path.is_file():
        raise UserError(f"{path}: no such cart file")
    if args.headless:
        extra = _given(args, WINDOW_ONLY)
        if extra:
            raise UserError(f"{', '.join(extra)}: only for the window (drop --headless)")
        return _headless(args, path)
    if not display_available():
        frames = 300 if args.frames is None else args.frames
        print(f"rp8: no display available; running {path.name} headless for {frames} frames "
              "instead (use --headless to choose this yourself)", file=sys.stderr)
        if args.out is None:
            args.out = Path("rp8-out")
        return _headless(args, path)
    extra = _given(args, HEADLESS_ONLY)
    if extra:
        raise UserError(f"{', '.join(extra)}: only with --headless (the window runs until "
                        "you close it)")
    need_window()
    if getattr(args, "aot", False):
        from console.desktop.aot_player import play_aot

        return play_aot(path, seed=args.seed, param=args.param, scale=args.scale or 0,
                        mute=args.mute, capture_dir=args.capture_dir, watch=args.watch,
                        build=aot_build_mode(args))
    from console.player import play

    return play(path, seed=args.seed, param=args.param, scale=args.scale or 0, mute=args.mute,
                capture_dir=args.capture_dir, watch=args.watch)


def browse_folder(folder: Path, args: argparse.Namespace) -> int:
    """The cart browser over `folder` (a window only)."""
    extra = _given(args, HEADLESS_ONLY) + (["--headless"] if args.headless else []) + \
        _given(args, ("watch", "mute", "seed", "param"))
    if args.aot:
        extra.append("--aot")
    if extra:
        raise UserError(f"{folder}: a folder opens the cart browser; {', '.join(extra)} "
                        "need a cart file")
    if not display_available():
        raise UserError(f"{folder}: the cart browser needs a display; run one cart with "
                        "--headless instead")
    need_window()
    from console.browser import browse

    return browse(folder, scale=args.scale or 0, capture_dir=args.capture_dir)


def need_window() -> None:
    """The window needs pygame, an optional part of rp8."""
    import importlib.util

    if importlib.util.find_spec("pygame") is None:
        raise UserError("the window needs pygame: pip install 'rp8[window]' "
                        "(or use --headless)")


def display_available() -> bool:
    if os.environ.get("SDL_VIDEODRIVER") in ("dummy", "offscreen"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def aot_build_mode(args: argparse.Namespace) -> str:
    """--aot-build, else $RP8_AOT_BUILD, else tiered (console/aot_tiers.py)."""
    from console.aot_tiers import default_mode

    return args.aot_build or default_mode()


def _one_line(text: str) -> str:
    """A cart's error text (error("a\\nb"), control codes) on one line."""
    return "".join(ch if ch >= " " or ch == "\t" else "\\n" if ch == "\n" else f"\\x{ord(ch):02x}"
                   for ch in text)


def _headless(args: argparse.Namespace, path: Path) -> int:
    from console.desktop.buttons import InputScript
    from console.desktop.frameloop import Console, Options
    from console.desktop.headless import run_headless

    frames = 300 if args.frames is None else args.frames
    if frames < 0:
        raise UserError("--frames must be 0 or more")
    script = InputScript.load(args.input) if args.input is not None else None
    options = Options(seed=0 if args.seed is None else args.seed, param=args.param,
                      frame_timeout=10.0 if args.timeout is None else args.timeout, fixed_clock=True,
                      printh_dir=None if args.out is None else args.out / "printh")
    if getattr(args, "aot", False):
        from console.desktop.aot_player import AotConsole

        con = AotConsole.from_path(path, options, build=aot_build_mode(args))
    else:
        con = Console.from_path(path, options)
    result = run_headless(con, frames, script, args.out, args.dump_every or 0)
    if result.error is not None:
        where = result.error.message
        places = getattr(result.error, "places", None)
        if places and " line " not in where:
            where += f" (at {places[0].split(': ')[0]})"   # a message without a place: where the cart was
        print(f"rp8: {path.name}: runtime error after {result.frames} frames: {_one_line(where)}",
              file=sys.stderr)
        return 1
    summary = f"{path.name}: {result.frames} frames"
    if result.status == "stopped":
        summary += f", stopped: {con.stop_message}" if con.stop_message else ", stopped"
    elif result.status == "ended":
        summary += ", the cart ended (no _update/_draw loop)"
    if result.hashes:
        summary += f", last frame {result.hashes[-1][:12]}"
    if args.out is not None:
        summary += f"; screens and hashes.txt in {args.out}"
    print(summary)
    return 0
