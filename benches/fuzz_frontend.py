"""The long front-end fuzz run: N mutated corpus carts and generated
programs (default 10,000) through lexer, parser, resolver and both back
ends' code generation; prints the counts of inputs, compiled, refused
(a clean one-line error) and crashes, and the first crash's traceback.

Usage: python benches/fuzz_frontend.py [N] [SEED]
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.fuzz_frontend import run  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def main(count: int = 10_000, seed: int = 0) -> int:
    tally = run(seed, count, CORPUS)
    print(f"inputs {tally.inputs}  compiled {tally.compiled}  refused {tally.refused}  "
          f"crashes {len(tally.crashes)}  tracebacks {sum('Traceback' in c for c in tally.crashes)}")
    if tally.crashes:
        print(tally.crashes[0])
    return 1 if tally.crashes else 0


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:3])))
