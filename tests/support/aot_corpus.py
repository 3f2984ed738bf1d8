"""Reading cart code from the corpus for the aot tests.

TEMPORARY SHIM: until console.cart offers a loader, this pulls the __lua__
section out of a .p8 file and expands `#include` lines itself. When
console.cart.load exists it is used instead.
"""
from __future__ import annotations

import re
from pathlib import Path

from aot.source import Source

_LUA = re.compile(r"^__lua__\r?\n(.*?)(?=^__[a-z0-9:]+__[ \t\r]*$|\Z)", re.S | re.M)
_INCLUDE = re.compile(r"^[ \t]*#include[ \t]+(\S.*?)[ \t\r]*$", re.M)


def _shim_code(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".lua":
        code = text
    else:
        m = _LUA.search(text)
        code = m.group(1) if m else ""

    def include(m: re.Match[str]) -> str:
        target = path.parent / m.group(1)
        return _shim_code(target) if target.is_file() else m.group(0)

    return _INCLUDE.sub(include, code)


def cart_source(path: Path) -> Source:
    """The cart's code as an aot Source (byte text, includes expanded)."""
    try:
        from console.cart import load  # type: ignore[attr-defined]
    except ImportError:
        load = None
    if load is not None and not path.suffix == ".lua":
        cart = load(path)
        return Source(cart.code, path.name, form="bytes", locator=lambda line: str(cart.locate(line)))
    return Source(_shim_code(path), path.name, form="unicode")


def text_carts(corpus: Path) -> list[Path]:
    """Every .p8 text cart and .lua test program in the corpus, less
    corpus/more (the real carts of the compatibility run, which has its
    own test group)."""
    more = corpus / "more"
    return (sorted(p for p in corpus.rglob("*.p8") if more not in p.parents)
            + sorted(corpus.rglob("in.lua")))
