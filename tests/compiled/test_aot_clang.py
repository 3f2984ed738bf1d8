"""Compiled carts build with clang++ as with g++ (macOS has only clang; the
player falls back to it): the generated C++ and the runtime pass clang's
-Wall -Wextra -Werror, which rejects what g++ lets by (an equality in
redundant parentheses, `&&` inside `||` without them)."""
from __future__ import annotations

import glob
import shutil
import subprocess
from pathlib import Path

import pytest

from aot.cpp_runtime import RUNNER_DIR, RUNTIME_DIR
from console.aot_build import CXXFLAGS, compile_source
from console.sources import ENGINE_DIR, PLATFORM_DIR
from conftest import CORPUS

ROOT = Path(__file__).resolve().parents[2]
CARTS = sorted((ROOT / "carts").glob("*.p8"))
# corpus carts whose conditions mix `and` and `or`, nested in parentheses
CORPUS_CARTS = ["jelpi.p8", "porklike.p8"]


def clang() -> str:
    found = shutil.which("clang++") or next(iter(sorted(glob.glob("/usr/bin/clang++-*"))), None)
    if found is None:
        pytest.skip("clang++ not found (apt-get install clang)")
    return found


def syntax_errors(source: Path) -> list[str]:
    done = subprocess.run([clang(), *CXXFLAGS, "-fsyntax-only", f"-I{ENGINE_DIR}", f"-I{RUNTIME_DIR}",
                           f"-I{RUNNER_DIR}", f"-I{PLATFORM_DIR}", str(source)], capture_output=True, text=True)
    return [line for line in done.stderr.splitlines() if "error:" in line]


def cart_errors(cart: Path, tmp_path: Path) -> list[str]:
    from console.desktop.aot_player import _boot_for

    cpp = tmp_path / "cart.cpp"
    cpp.write_text(compile_source(_boot_for(cart).source).code)
    return syntax_errors(cpp)


def test_the_runtime_builds_with_clang() -> None:
    files = sorted(RUNTIME_DIR.glob("*.cpp")) + sorted(RUNNER_DIR.glob("*.cpp"))
    found = {p.name: syntax_errors(p)[:2] for p in files}
    assert {name: errs for name, errs in found.items() if errs} == {}


@pytest.mark.parametrize("cart", CARTS, ids=[p.name for p in CARTS])
def test_own_carts_build_with_clang(cart: Path, tmp_path: Path) -> None:
    assert cart_errors(cart, tmp_path)[:3] == []


@pytest.mark.parametrize("name", CORPUS_CARTS)
def test_corpus_carts_build_with_clang(name: str, corpus: Path, tmp_path: Path) -> None:
    clang()
    assert cart_errors(CORPUS / "carts" / name, tmp_path)[:3] == []
