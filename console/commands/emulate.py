"""`rp8 emulate CART`: the cart's real RP2040 firmware, run in an emulator.

Builds the firmware as `rp8 build` does (core0-only variant), boots it in
rp2040js and prints emulated cycle figures; console/firmware/emulate.py does
the work.
"""
from __future__ import annotations

import argparse

from console.firmware import emulate


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("emulate", help="run a cart's RP2040 firmware in the rp2040js emulator",
                       description=emulate.DESCRIPTION)
    emulate.add_arguments(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return emulate.report(args)
