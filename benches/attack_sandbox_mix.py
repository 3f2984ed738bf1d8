"""Random hostile carts against the sandbox's host side (issue 15, findings
2-5, 10, 11): each cart mixes, in random order and nesting, calls of the
host services with hostile values, aborts caught in coroutines, hostile
error objects and floods, and runs headless in the chosen consoles. A run
is contained when it exits 0/1/2 within its deadline, prints no
traceback, keeps its peak RSS under the bound, and leaks no host secret.
Prints tried / contained per console and the first failures. Not a test.

Usage: python benches/attack_sandbox_mix.py [count] [seed] [--aot] [--interp]
"""
from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.attack_kit import assert_contained, plant_secret, run_cart  # noqa: E402

VALUES = ['"x"', '"../secret.txt"', '"/etc/passwd"', '"a\\nb"', '"\\0"', "s", "nil", "true", "{}",
          "0x7fff.ffff", "-32768", "rawlen(s)", "print", "cocreate(print)",
          "setmetatable({}, {__tostring=function() return {} end})",
          "setmetatable({}, {__tostring=function() stop('ts') return 'x' end})",
          "setmetatable({}, {__tostring=function() yield() return 'y' end})",
          "setmetatable({}, {__tostring=function() error(setmetatable({}, {__tostring=print})) end})",
          "setmetatable({}, {__tostring=function() local t = {} while true do t = {t} end end})",
          "setmetatable({}, {__tostring=function() return s..s end})"]
CALLS = ["printh({v})", "printh({v}, {v})", "printh({v}, {v}, true)", "extcmd({v}, {v})",
         "extcmd(\"set_title\", {v})", "cartdata({v})", "menuitem(1, {v}, {v})", "load({v}, {v}, {v})",
         "reload(0, 0, 16, {v})", "cstore(0, 0, 16, {v})", "error({v})", "assert(false, {v})",
         "stop({v})", "run({v})", "tostr({v})", "print({v})", "dset({v}, {v})", "dget({v})",
         "btn({v}, {v})", "btnp({v}, {v})", "stat({v})", "printh(type(getmetatable({v})))",
         "flip()", "yield({v})"]


def snippet(rng: random.Random, depth: int = 0) -> str:
    call = rng.choice(CALLS)
    while "{v}" in call:
        call = call.replace("{v}", rng.choice(VALUES), 1)
    r = rng.random()
    if depth < 2 and r < 0.35:
        inner = snippet(rng, depth + 1)
        return (f"do local ok, e = coresume(cocreate(function() {inner} end)) "
                f"if type(e) == 'table' then e.kind = 5 e.message = {{}} end "
                f"printh(type(e)..' '..tostr(getmetatable(e))) end")
    if depth < 2 and r < 0.45:
        return f"for i = 1, {rng.choice([3, 300, 3000])} do {snippet(rng, depth + 1)} end"
    return call


def cart(rng: random.Random) -> str:
    top = " ".join(snippet(rng) for _ in range(rng.randint(1, 4)))
    upd = " ".join(snippet(rng) for _ in range(rng.randint(1, 3)))
    return (f's = "x" for i = 1, {rng.choice([4, 12, 18])} do s = s..s end\n{top}\n'
            f"function _update() {upd} end\nfunction _draw() cls() end\n")


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = int(args[0]) if args else 100
    seed = int(args[1]) if len(args) > 1 else 1
    modes = [m for m in (False, True) if ("--aot" if m else "--interp") in sys.argv] or [False, True]
    bad = 0
    for aot in modes:
        rng = random.Random(seed)
        contained = 0
        failures: list[str] = []
        for n in range(count):
            code = cart(rng)
            with tempfile.TemporaryDirectory() as tmp:
                secret = plant_secret(Path(tmp))
                run = run_cart(Path(tmp), code, aot=aot, frames=4, timeout=2.0, wall=120)
                try:
                    assert_contained(run, line=False, wall=120, rss_mib=1024, secret=secret)
                    contained += 1
                except AssertionError as exc:
                    failures.append(f"cart {n}:\n{code}\n{str(exc)[:1500]}")
        label = "aot" if aot else "interp"
        print(f"{label}: {count} carts tried, {contained} contained")
        for f in failures[:3]:
            print(f)
        bad += count - contained
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
