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
from aot.errors import UserError


def version() -> str:
    """The installed package's version (a checkout run in place: pyproject's)."""
    from importlib import metadata

    try:
        return metadata.version("rp8")
    except metadata.PackageNotFoundError:
        return "(not installed)"


class _VersionAction(argparse.Action):
    """--version, reading the package metadata only when asked (importing
    importlib.metadata costs a tenth of a second at every start)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        print(f"rp8 {version()}")
        parser.exit()


def command_names() -> list[str]:
    """Every subcommand: one module of console/commands each, named for it."""
    return sorted(info.name for info in pkgutil.iter_modules(commands.__path__))


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with `only` just that subcommand (what
    a run needs: importing every command's module slows each start)."""
    parser = argparse.ArgumentParser(
        prog="rp8",
        description="rp8: a PICO-8-compatible fantasy console. Play carts on the desktop, "
        "compile them for a Raspberry Pi Pico handheld, and benchmark their frame times.",
    )
    parser.add_argument("--version", action=_VersionAction, help="show rp8's version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in [only] if only is not None else command_names():
        module = importlib.import_module(f"console.commands.{name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    first = words[0] if words else None
    parser = build_parser(first if first in command_names() else None)
    args, rest = parser.parse_known_args(argv)
    # a list of positionals may go on after options (`rp8 export A.p8 --html
    # B.p8`): argparse hands those back; a command that takes such a list
    # names it (rest_into)
    into = getattr(args, "rest_into", None)
    if rest and (into is None or any(r.startswith("-") for r in rest)):
        parser.error(f"unrecognized arguments: {' '.join(r for r in rest if into is None or r.startswith('-'))}")
    if rest:
        getattr(args, into).extend(rest)
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
