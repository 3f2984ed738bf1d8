"""Generated files that are checked in (aot/runtime/rt_api.cpp, rt_bios.cpp):
written only when their text changes, so a build that regenerates them
leaves an unchanged tree and unchanged timestamps."""
from __future__ import annotations

import sys
from pathlib import Path


def write_if_changed(target: Path, text: str) -> bool:
    """Write `text` to `target` unless it already holds it; True if written."""
    if target.is_file() and target.read_text() == text:
        return False
    target.write_text(text)
    print(f"wrote {target.name}", file=sys.stderr)
    return True
