"""The manual (docs/, MkDocs): its generated pages are current, and it
builds with every internal link and anchor resolving."""
from __future__ import annotations

import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
generate = runpy.run_path(str(ROOT / "docs" / "generate.py"))


@pytest.mark.parametrize("page", sorted(generate["PAGES"]))
def test_generated_pages_are_current(page: str) -> None:
    made = generate["PAGES"][page]()
    assert (ROOT / "docs" / page).read_text(encoding="utf-8") == made, \
        f"docs/{page} is out of date: run python docs/generate.py"


def test_the_reference_lists_every_command() -> None:
    from console.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert [n for n in sub.choices if f"\n## rp8 {n}\n" not in text] == []
    assert "rp8 export CART" not in text or "--label PNG" in text


def test_every_board_file_has_a_wiring_table() -> None:
    text = (ROOT / "docs" / "boards.md").read_text(encoding="utf-8")
    for board in sorted((ROOT / "boards").glob("*.toml")):
        assert f"\n## {board.stem}\n" in text
    assert "| display SPI clock (SCK) | GP10 |" in text          # pico-lcd13's SCK


def test_the_manual_builds_with_no_broken_link(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                           "-d", str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "site" / "playing" / "index.html").is_file()


def test_a_broken_link_fails_the_build(tmp_path: Path) -> None:
    """The check is real: the same build with one bad link fails."""
    pytest.importorskip("mkdocs")
    copy = tmp_path / "copy"
    shutil.copytree(ROOT / "docs", copy / "docs")
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    page = copy / "docs" / "playing.md"
    page.write_text(page.read_text() + "\nSee [nowhere](missing.md).\n")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                           "-d", str(tmp_path / "site")], cwd=copy, capture_output=True, text=True)
    assert done.returncode != 0 and "missing.md" in done.stdout + done.stderr
