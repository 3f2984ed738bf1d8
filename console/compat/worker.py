"""`python -m console.compat.worker CART FRAMES [--aot] [--thumbs] [--timeout S]`:
probe one cart (console.compat.probe) and print the result as one JSON line.
Started by console.compat.sweep in the cart's folder; not a user command."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from console.compat.probe import probe


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="console.compat.worker")
    p.add_argument("cart", type=Path)
    p.add_argument("frames", type=int)
    p.add_argument("--aot", action="store_true")
    p.add_argument("--thumbs", action="store_true")
    p.add_argument("--timeout", type=float, default=10.0)
    a = p.parse_args(argv)
    result = probe(a.cart, a.frames, aot=a.aot, thumbs=a.thumbs, timeout=a.timeout)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
