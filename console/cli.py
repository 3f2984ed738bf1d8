"""`rp8`: the command line. Each subcommand lives in its own module under
console/commands/ and exposes `register(subparsers)`; this file only wires
them together and turns user mistakes into one-line errors with exit code 2.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

from console import commands
from console.errors import UserError


def version() -> str:
    """The installed package's version (a checkout run in place: pyproject's)."""
    from importlib import metadata

    try:
        return metadata.version("rp8")
    except metadata.PackageNotFoundError:
        return "(not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rp8",
        description="rp8: a PICO-8-compatible fantasy console. Play carts on the desktop, "
        "compile them for a Raspberry Pi Pico handheld, and benchmark their frame times.",
    )
    parser.add_argument("--version", action="version", version=f"rp8 {version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"console.commands.{info.name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        # bare `rp8`: the cart browser over this folder, or the help text
        # where no window can open
        import importlib.util

        from console.commands.run import display_available

        if not display_available() or importlib.util.find_spec("pygame") is None:
            parser.print_help()
            return 0
        from console.browser import browse

        return browse(Path.cwd())
    try:
        return int(args.run(args) or 0)
    except UserError as err:
        print(f"rp8: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
