"""A short front-end fuzz run in the normal suite (the long one is
benches/fuzz_frontend.py): mutated corpus carts and generated programs
through lexer, parser, resolver and both back ends' code generation must
compile or be refused with a one-line UserError naming the cart."""
from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings, strategies as st

from conftest import CORPUS
from support.fuzz_frontend import Tally, check, corpus_codes, generated, mutate

BASES = corpus_codes(CORPUS, limit=12) if CORPUS.is_dir() else []


@settings(max_examples=60, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1))
def test_mutated_programs_compile_or_are_refused_cleanly(seed: int) -> None:
    rng = random.Random(seed)
    tally = Tally()
    base = rng.choice(BASES) if BASES and rng.random() < 0.6 else generated(rng)
    check(mutate(base, rng), tally)
    assert not tally.crashes, tally.crashes[0]


def test_generated_programs_mostly_compile() -> None:
    # the generator must make real programs, or the fuzzing tests only the parser's errors
    rng = random.Random(1)
    tally = Tally()
    for _ in range(40):
        check(generated(rng), tally)
    assert not tally.crashes, tally.crashes[0]
    assert tally.compiled >= 30, tally
