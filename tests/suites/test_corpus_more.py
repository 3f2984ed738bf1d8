"""The 110 real carts of ../shared/corpus/more (marker `corpus_more`; a
quick run skips them with `-m "not corpus_more"`): every cart loads, runs
FRAMES frames with scripted input without error, shows a non-blank screen,
and gives identical frames in the interpreter and as its compiled build.

The carts are run the way `rp8 compat --aot` runs them (console.compat):
one worker process per cart, in the cart's folder, as many at once as
there are CPUs, once per session for the carts selected. The compiled
builds are cached by content, so a second run takes seconds. Measured on
2 cores: about 5 minutes cold (g++ builds most of it), under a minute warm.

A cart that fails today is xfail (strict) with its failure class, the
class named in the team's compatibility findings: a fix turns it green
and XPASS then fails, so the mark must go. A cart whose result changes
from run to run is in FLAKY, xfail without strict, with the reason.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from support.aot_frames import need_gxx
from conftest import CORPUS

pytest.importorskip("console._engine")

from console.compat.report import verdict  # noqa: E402
from console.compat.sweep import find_carts, sweep  # noqa: E402

pytestmark = pytest.mark.corpus_more

FRAMES = 300
MORE = CORPUS / "more"

ZEPTO8_ONLY = "zepto8's own launcher: calls dir(), a zepto8 function PICO-8 does not have"
OWN_BUG = "the cart's own error: PICO-8 stops there too"
MISSING_SIBLINGS = ("the corpus lacks the multicart's chapter carts: assert(load('chapter1')) fails at "
                    "frame 0 (PICO-8 stops there too without them)")

# Carts whose result changes from run to run: not strict, or the group
# would fail at random.
FLAKY: dict[str, str] = {}

KNOWN: dict[str, str] = {
    "MiniMechMedia+pico8-games/carts/the-titan/export/the-titan.p8.png": MISSING_SIBLINGS,
    "PennDraken+my_pico8_carts/pushworld.p8": OWN_BUG + " (find_path() called without arguments)",
    "samhocevar+zepto8/carts/launcher.p8": ZEPTO8_ONLY,
}


def _names() -> list[str]:
    if not MORE.is_dir():
        return []
    return [p.relative_to(MORE).as_posix() for p in find_carts([MORE])]


NAMES = _names()


def _params() -> list[Any]:
    if not NAMES:
        return ["(no corpus/more)"]
    out: list[Any] = []
    for n in NAMES:
        if n in KNOWN:
            out.append(pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=KNOWN[n])))
        elif n in FLAKY:
            out.append(pytest.param(n, marks=pytest.mark.xfail(strict=False, reason=FLAKY[n])))
        else:
            out.append(n)
    return out


def test_known_failures_are_carts_of_the_corpus() -> None:
    if not NAMES:
        pytest.skip(f"corpus not found: expected ../shared/corpus/more beside the checkout ({MORE})")
    assert sorted((set(KNOWN) | set(FLAKY)) - set(NAMES)) == []


@pytest.fixture(scope="session")
def more_results(request: pytest.FixtureRequest) -> dict[str, dict[str, Any]]:
    """The compat results of every corpus/more cart this session selected,
    run in parallel once."""
    if not MORE.is_dir():
        pytest.skip(f"corpus not found: expected ../shared/corpus/more beside the checkout ({MORE})")
    need_gxx()
    wanted = sorted({item.callspec.params["name"] for item in request.session.items
                     if item.get_closest_marker("corpus_more") is not None
                     and hasattr(item, "callspec") and "name" in item.callspec.params})
    results = sweep([MORE / n for n in wanted], FRAMES, aot=True, jobs=os.cpu_count() or 1,
                    timeout=60.0)
    return {n: r for n, r in zip(wanted, results)}


@pytest.mark.parametrize("name", _params())
def test_more_cart(name: str, more_results: dict[str, dict[str, Any]]) -> None:
    r = more_results[name]
    v = verdict(r)
    err = r.get("error") or {}
    why = err.get("message", "")
    if v == "aot-differs" and not why:
        why = f"compiled frames differ from frame {r['aot']['first_diff']}"
    assert v == "runs", f"{name}: {v}: {why}"
