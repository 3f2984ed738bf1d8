"""Front-end fuzzing shared by the quick test (tests/compiler/test_fuzz_frontend.py)
and the long run (benches/fuzz_frontend.py): mutate corpus carts and
generated programs, push each through lexer, parser, resolver and both
back ends' code generation, and sort what comes out.

An input is fine when it compiles or is refused with a UserError (a
one-line message naming the cart and line); anything else is a crash."""
from __future__ import annotations

import random
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from aot import pipeline
from aot.source import Source
from aot.errors import UserError

# fragments a mutation splices in: PICO-8 shorthands, limits, broken syntax
FRAGMENTS = [
    "if (x) y=1 else z=2\n", "while (i<3) i+=1\n", "?1,2\n", "a..=b ", "x\\=2 ", "x^^=3 ", "x>><=1 ",
    "elseif c do ", "1do", "0and", "0x10or", "!=", "@0x5f00", "%1", "$2", "goto l ::l:: ", "local _ENV={} ",
    "(" * 210, ")" * 30, "{" * 60, "function() ", " end", " then ", "[[", "]]", "--[[", '"\\', "'", "\\z",
    "local a,b,c=", "return ", "...", "::", "+" * 5, "a.b.c:d(", "f(f(f(", "not not ", "- - -", "^", "..",
    ",".join(["1"] * 300), "\n", " ", ";", "=", "#", "~", "<<>", ">>>=",
]


def generated(rng: random.Random) -> str:
    """A small random program from PICO-8 statements and expressions."""
    names = ["a", "b", "t", "s", "_ENV", "f"]
    exprs = ["1", "0x1.8", '"s"', "nil", "true", "{1,2,x=3}", "t[1]", "#t", "@1", "f()", "a+b*2", "-a^2",
             "a..b", "not a", "a and b or 1", "function(x) return x end", "a\\2", "a~b", "a<<>1"]
    stmts = ["{n}={e}", "local {n}={e}", "{n}+={e}", "if ({e}) {n}={e}", "if {e} do {n}={e} end",
             "for i=1,3 do {n}={e} end", "while false do end", "?{e}", "print({e})", "do local {n} end",
             "function f(...) return {e} end", "{n}.{n}={e}", "repeat until {e}"]
    out = []
    for _ in range(rng.randint(1, 12)):
        s = rng.choice(stmts)
        while "{" in s and ("{n}" in s or "{e}" in s):
            s = s.replace("{n}", rng.choice(names), 1).replace("{e}", rng.choice(exprs), 1)
        out.append(s)
    return "\n".join(out)


def mutate(code: str, rng: random.Random) -> str:
    """A few random edits: delete, duplicate or move a span, or splice in
    a fragment."""
    for _ in range(rng.randint(1, 4)):
        n = len(code)
        i = rng.randrange(n + 1)
        j = min(n, i + rng.randint(0, 40))
        k = rng.randrange(4)
        if k == 0:
            code = code[:i] + code[j:]
        elif k == 1:
            code = code[:j] + code[i:j] * rng.randint(1, 8) + code[j:]
        elif k == 2:
            code = code[:i] + rng.choice(FRAGMENTS) + code[i:]
        else:
            at = rng.randrange(n + 1)
            piece = code[i:j]
            rest = code[:i] + code[j:]
            at = min(at, len(rest))
            code = rest[:at] + piece + rest[at:]
    return code


@dataclass
class Tally:
    inputs: int = 0
    compiled: int = 0
    refused: int = 0
    crashes: list[str] = field(default_factory=list)   # one traceback each


def check(code: str, tally: Tally, name: str = "fuzz.p8") -> None:
    """Compile `code` for both back ends and count the outcome."""
    tally.inputs += 1
    src = Source(code, name)
    try:
        pipeline.to_lua(src)
        pipeline.to_cpp(src)
        tally.compiled += 1
    except UserError as err:
        first = str(err).splitlines()[0]
        if name not in first:
            tally.crashes.append(f"message names no cart: {first!r}\n--- input ---\n{code[:2000]}")
        else:
            tally.refused += 1
    except Exception:  # noqa: BLE001 - every other exception is a finding
        tally.crashes.append(traceback.format_exc() + "--- input ---\n" + code[:2000])


def corpus_codes(corpus: Path, limit: int = 40) -> list[str]:
    """The code of corpus carts (the smaller ones first, for speed)."""
    from console.cart import load_cart
    codes = []
    for p in sorted((corpus / "carts").glob("*.p8*")):
        try:
            codes.append(load_cart(p).code)
        except UserError:
            continue
    codes.sort(key=len)
    return codes[:limit]


def run(seed: int, count: int, corpus: Path | None) -> Tally:
    rng = random.Random(seed)
    bases = corpus_codes(corpus) if corpus is not None and corpus.is_dir() else []
    tally = Tally()
    for _ in range(count):
        if bases and rng.random() < 0.7:
            code = mutate(rng.choice(bases), rng)
        else:
            code = mutate(generated(rng), rng) if rng.random() < 0.5 else generated(rng)
        check(code, tally)
    return tally
