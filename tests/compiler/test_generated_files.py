"""Generated files that are checked in stay equal to their generator's
output (rt_api.cpp and rt_bios.cpp: tests/compiler/test_aot_api.py)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "console" / "engine"


def test_trig_tables_are_fresh() -> None:
    """console/engine/p8_trig_table.c is what gen_trig.py writes."""
    spec = importlib.util.spec_from_file_location("gen_trig", ENGINE / "gen_trig.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert (ENGINE / "p8_trig_table.c").read_text() == gen.render(), \
        "p8_trig_table.c is stale: run python console/engine/gen_trig.py"
