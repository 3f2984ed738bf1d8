"""Third-party self-checking suites run on the headless harness
(console/desktop/harness.py: the player's runtime without its frame loop).

Each case is its own test. Expected results come from the suites
themselves: lua-but-worse's in.out files, shrinko8's test_compare/*.printh
(recorded from real PICO-8), the inline expectations of zepto8's t/*.p8 and
shrinko8's numbered asserts."""
from __future__ import annotations

from pathlib import Path

import pytest

from console.desktop.harness import Harness
from support.aot_corpus import cart_source
from conftest import CORPUS
from support.suite_lists import LBW, LBW_NOT_PICO8, ZEPTO8_NOT_PICO8

pytest.importorskip("console._engine")

# Cases that test lua-but-worse's own allocator through its private
# __internal_debug_* hooks: not PICO-8 behaviour, nothing to run here.
_LBW_INTERNAL = "__internal_debug"


def _lbw_cases() -> list[str]:
    root = CORPUS / LBW
    if not root.is_dir():
        return ["(no corpus)"]
    cases = []
    for lua in sorted(root.rglob("*.lua")):
        if lua.with_suffix(".out").is_file():
            cases.append(str(lua.relative_to(root)))
    return cases


@pytest.mark.parametrize("case", _lbw_cases())
def test_lua_but_worse(corpus: Path, case: str) -> None:
    path = corpus / LBW / case
    code = path.read_text()
    if _LBW_INTERNAL in code:
        pytest.skip("checks lua-but-worse's allocator through __internal_debug_* hooks, not PICO-8")
    if case in LBW_NOT_PICO8:
        pytest.xfail(LBW_NOT_PICO8[case])
    expected = path.with_suffix(".out").read_text().splitlines()
    h = Harness()
    # the suite's runner provides printh_lambda and calls main() after loading
    h.define("printh_lambda", "function(x) end")
    h.env[b"printh_lambda"] = h.env[b"printh"]
    src = cart_source(path)
    if "function main" in code:
        src.text += "\nmain()\n"
    elif "function __main" in code:
        src.text += "\n__main()\n"
    h.run(src)
    # lua-but-worse's own runtime prints nil as "nil"; PICO-8's tostr gives
    # "[nil]" (shrinko8 const.p8.printh, recorded from PICO-8)
    assert h.output == [("[nil]" if ln == "nil" else ln) for ln in expected]


@pytest.mark.parametrize("name", ["math.p8", "tables.p8"])
def test_zepto8(corpus: Path, name: str) -> None:
    h = Harness()
    h.run(cart_source(corpus / "suites/zepto8/t" / name))
    out = [ln for ln in h.output if ln]
    failures = {ln for ln in out if " failed: " in ln}
    known = ZEPTO8_NOT_PICO8.get(name, set())
    assert failures == known, "\n".join(out)
    last = out[-1].strip()
    total = int(last.split()[0])
    assert last == f"{total} tests - {total - len(known)} passed, {len(known)} failed."


def test_zepto8_math_old_runs(corpus: Path) -> None:
    """math-old.p8 prints a table of values without expectations; it must run
    through and print every section."""
    h = Harness()
    h.run(cart_source(corpus / "suites/zepto8/t/math-old.p8"))
    sections = [ln for ln in h.output if ln.startswith("### ")]
    assert sections[:2] == ["### atan2", "### sin/cos"]
    assert len(h.output) > 1000


SHRINKO8_COMPARE = ["const.p8", "parens8.p8", "reorder.p8", "versioned.p8"]
_SHRINKO8_SKIP = {
    "parens8.p8": "pulls its interpreter in with shrinko8's --$dynamic-include, which the corpus lacks",
}


@pytest.mark.parametrize("name", SHRINKO8_COMPARE)
def test_shrinko8_printh_matches_pico8(corpus: Path, name: str) -> None:
    if name in _SHRINKO8_SKIP:
        pytest.skip(_SHRINKO8_SKIP[name])
    root = corpus / "suites/shrinko8"
    expected = (root / "test_compare" / (name + ".printh")).read_text().splitlines()
    h = Harness(record_print=False)     # the recording holds printh lines only
    h.run(cart_source(root / "test_input" / name))
    assert h.output == expected


def test_shrinko8_syntax_cart(corpus: Path) -> None:
    """test.p8: numbered asserts over the whole dialect, then DONE."""
    h = Harness()
    h.run(cart_source(corpus / "suites/shrinko8/test_input/test.p8"))
    assert h.output[-1] == "DONE"

# femto8's tests.p8 draws and checks pixels between frames: it runs in the
# player, in tests/suites/test_suites_player.py.
