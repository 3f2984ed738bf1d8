"""The layers import downward only: the compiler (aot/) knows nothing of
the console (console/), which uses the compiler; so the compiler can be
read, tested and reused alone (issue: one library, written once)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (function-level imports
    included)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


def test_the_compiler_does_not_import_the_console() -> None:
    found = {p.relative_to(ROOT).as_posix(): sorted(m for m in _imports(p) if m.split(".")[0] == "console")
             for p in sorted((ROOT / "aot").rglob("*.py"))}
    assert {f: ms for f, ms in found.items() if ms} == {}

