"""Every cart in the corpus loads, and agrees with shrinko8 (a test-only
oracle from PyPI: `pip install shrinko`) on data, code, label and tokens."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from console.cart import load_cart, save_png
from console.cart.compress import OLD_FUTURE_CODE, compress_pxa, decompress
from console.cart.p8scii import to_bytes
from console.cart.tokens import count_tokens
from console.cart.writer import p8_text
from console.cart.p8text import blank_data, parse


def corpus_carts(corpus: Path) -> list[Path]:
    found = [p for p in sorted((corpus / "carts").rglob("*")) if p.name.endswith((".p8", ".p8.png"))]
    assert len(found) >= 30, "the corpus should hold its ~36 carts"
    return found


def suite_carts(corpus: Path) -> list[Path]:
    return [p for p in sorted((corpus / "suites").rglob("*.p8"))]


def test_every_corpus_cart_loads(corpus: Path) -> None:
    for path in corpus_carts(corpus) + suite_carts(corpus):
        cart = load_cart(path)
        assert len(cart.rom) == 0x8000, path
        assert cart.code, path


def test_png_code_formats_are_all_covered(corpus: Path) -> None:
    formats = {load_cart(p).code_format for p in corpus_carts(corpus) if p.name.endswith(".png")}
    assert formats == {"plain", "old", "pxa"}


def _shrinko():
    import importlib.util

    spec = importlib.util.find_spec("shrinko")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("shrinko is not installed (pip install shrinko); it is the test oracle")
    base = Path(list(spec.submodule_search_locations)[0])
    if str(base) not in sys.path:
        sys.path.insert(0, str(base))
    import pico_cart
    import pico_tokenize

    return pico_cart, pico_tokenize


def _without_future_code(code: str) -> str:
    for footer in OLD_FUTURE_CODE:
        if code.endswith(footer.decode()):
            return code[:-len(footer)]
    return code


def test_agrees_with_shrinko(corpus: Path) -> None:
    pico_cart, pico_tokenize = _shrinko()
    for path in corpus_carts(corpus) + suite_carts(corpus):
        ours = load_cart(path)
        theirs = pico_cart.read_cart(str(path))
        assert ours.data == bytes(theirs.rom), path
        code = theirs.code
        if ours.code_format == "old":
            # shrinko8 keeps PICO-8 0.1.7's footer that PICO-8 strips from
            # old-format code (tunnel.p8.png has one).
            code = _without_future_code(code)
        assert ours.code == code, path
        toks, _errors = pico_tokenize.tokenize(pico_tokenize.Source(str(path), code))
        assert count_tokens(ours.code) == pico_tokenize.count_tokens(toks), path
        if ours.label is not None:
            assert theirs.label is not None, path
            for y in range(128):
                for x in range(128):
                    c = ours.label[y][x]
                    assert theirs.label[x, y] == (c if c < 16 else c - 128 + 16), path


def test_p8_to_png_gives_identical_rom(corpus: Path, tmp_path: Path) -> None:
    # The corpus has no .p8/.p8.png pair of one cart (see MANIFEST.tsv), so
    # each .p8 is written as .p8.png by rp8 and read back.
    for path in corpus_carts(corpus):
        if not path.name.endswith(".p8"):
            continue
        cart = load_cart(path)
        if not cart.code_fits:
            continue      # nuke.p8: over PICO-8's compressed limit, cannot be a .p8.png
        out = tmp_path / (cart.name + ".p8.png")
        save_png(cart, out)
        back = load_cart(out)
        assert back.rom == cart.rom, path
        assert back.code == cart.code and back.data == cart.data, path
        assert back.label == cart.label, path


def test_p8_rewrite_round_trips(corpus: Path) -> None:
    for path in corpus_carts(corpus):
        if not path.name.endswith(".p8"):
            continue
        cart = load_cart(path)
        parsed = parse(p8_text(cart))
        assert bytes(parsed.data) == cart.data, path
        assert parsed.code == cart.source and parsed.label == cart.label, path


def test_modern_p8_files_are_rewritten_verbatim(corpus: Path) -> None:
    # Carts saved by PICO-8 0.2.x come back line for line (the version line
    # aside), which pins section order, trimming and the glyph table.
    for name in ("cherry_bomb.p8", "tritri.p8", "porklike.p8", "justoneboss.p8", "guncho.p8",
                 "tennis.p8", "square_jump.p8", "pcraft.p8", "sokoban.p8", "drifting-keep.p8",
                 "jelpi.p8", "plat2.p8", "birdswithguns.p8", "nuke.p8", "picodex/game.p8"):
        path = corpus / "carts" / name
        original = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
        ours = p8_text(load_cart(path)).split("\n")
        assert ours[2:] == original[2:], name


def test_pxa_round_trip_on_corpus_code(corpus: Path) -> None:
    for path in corpus_carts(corpus):
        code = to_bytes(load_cart(path).code)
        packed = compress_pxa(code)
        assert decompress(packed, max_size=len(packed))[0] == code, path


def more_carts(corpus: Path) -> list[Path]:
    """Every .p8/.p8.png under corpus/more, the files other carts include too."""
    return [p for p in sorted((corpus / "more").rglob("*")) if p.name.endswith((".p8", ".p8.png"))]


def test_every_file_in_corpus_more_loads_as_shrinko_reads_it(corpus: Path) -> None:
    # The wild: carts from PICO-8 0.1.x (raw glyph bytes) to 0.2.6, shared
    # ../libs/*.p8 that are plain Lua, .p8.png from several exporters.
    pico_cart, _ = _shrinko()
    found = more_carts(corpus)
    if not found:
        pytest.skip("corpus/more is not present")
    for path in found:
        ours = load_cart(path)
        theirs = pico_cart.read_cart(str(path))
        code = _without_future_code(theirs.code) if ours.code_format == "old" else theirs.code
        assert ours.code == code and ours.data == bytes(theirs.rom), path


@pytest.mark.parametrize("fmt, ext, opts", [
    ("png", ".p8.png", {}), ("rom", ".p8.rom", {}), ("tiny_rom", ".p8.rom", {}),
    ("p8", ".p8", {"unicode_caps": True}),
])
def test_carts_written_by_another_tool_load(corpus: Path, tmp_path: Path, fmt: str, ext: str,
                                            opts: dict) -> None:
    # shrinko8 writes every format PICO-8 loads, including the code-only
    # "tiny" .p8.rom (PICO-8 0.2.4c) and .p8 with capitals as Unicode italics
    pico_cart, _ = _shrinko()
    for name in ("jelpi.p8", "tritri.p8", "2048.p8"):
        src = corpus / "carts" / name
        out = tmp_path / (name[:-3] + ext)
        pico_cart.write_cart(str(out), pico_cart.read_cart(str(src)), getattr(pico_cart.CartFormat, fmt),
                             **opts)
        ours, orig = load_cart(out), load_cart(src)
        assert ours.code == orig.code, (name, fmt)
        assert ours.data == (bytes(blank_data()) if fmt == "tiny_rom" else orig.data), (name, fmt)
