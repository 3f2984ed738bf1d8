"""aot.pipeline: one driver runs the passes in order; stop_after and the
`rp8 aot --dump PASS` view of each pass."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from aot import ast, pipeline
from aot.source import CartSyntaxError, Source

ROOT = Path(__file__).resolve().parents[2]
CODE = "x = 1\nfunction f(a) return a + x end\nprint(f(2))\n"


def test_stop_after_each_pass_gives_that_pass_result() -> None:
    src = Source(CODE, "t.p8")
    lexed = pipeline.run(src, stop_after="lex")
    assert [t.type for t in lexed.tokens[:3]] == ["name", "=", "number"]
    assert lexed.chunk is None and lexed.output is None
    parsed = pipeline.run(src, stop_after="parse")
    assert isinstance(parsed.chunk, ast.Chunk) and parsed.output is None
    first = parsed.chunk.body.body[0].targets[0]
    assert first.name == "x" and first.env is None          # not resolved yet
    resolved = pipeline.run(src, stop_after="resolve")
    assert resolved.chunk.body.body[0].targets[0].env is not None


def test_both_targets_emit_from_the_same_passes() -> None:
    src = Source(CODE, "t.p8")
    lua = pipeline.to_lua(src)
    assert "__p8main" in lua.output.code
    cpp = pipeline.to_cpp(src)
    assert "#include" in cpp.output.code and cpp.output.protos == 2


def test_unknown_pass_or_target_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown pass"):
        pipeline.run(Source(CODE), stop_after="optimise")
    with pytest.raises(ValueError, match="unknown target"):
        pipeline.run(Source(CODE), "js")


def test_syntax_error_names_cart_and_line() -> None:
    with pytest.raises(CartSyntaxError, match=r"t\.p8 tab 0 line 2"):
        pipeline.run(Source("x = 1\nif then\n", "t.p8"), stop_after="parse")


@pytest.mark.parametrize("stage,expect", [
    ("lex", "1:1\tname\tx\n"),
    ("parse", "Chunk @1\n  Block @1\n    Assign @1\n      Name @1 name='x'\n"),
    ("resolve", "      Name @1 name='x' env=LocalVar('_ENV'#1)\n"),
])
def test_rp8_aot_dump(tmp_path: Path, stage: str, expect: str) -> None:
    cart = tmp_path / "d.p8"
    cart.write_text("pico-8 cartridge // http://www.pico-8.com\nversion 41\n__lua__\nx=1\n")
    out = subprocess.run([sys.executable, "-m", "console", "aot", str(cart), "--dump", stage],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert expect in out.stdout


def test_rp8_aot_needs_out_or_dump(tmp_path: Path) -> None:
    cart = tmp_path / "d.p8"
    cart.write_text("pico-8 cartridge // http://www.pico-8.com\nversion 41\n__lua__\nx=1\n")
    out = subprocess.run([sys.executable, "-m", "console", "aot", str(cart)],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 2 and "-o/--out DIR is needed" in out.stderr
    assert "Traceback" not in out.stderr
