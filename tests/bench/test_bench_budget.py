"""The frame-budget figures of the corpus table (console/bench/budget.py)
and benches/heap_table.py's budget columns, on synthetic runs."""
from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

from console.bench import modes
from console.bench.budget import figures, holds, within

ROOT = Path(__file__).resolve().parents[2]
heap_table = runpy.run_path(str(ROOT / "benches" / "heap_table.py"))

MHZ = 250.0
MS = 250_000          # cycles per ms at 250 MHz
SPI = modes.PANEL_BYTES * 8 / modes.PANEL_SPI_HZ * 1000.0      # 14.7456 ms


def test_within_counts_frames_at_or_under_the_budget() -> None:
    assert within([10.0, 33.3, 33.34, 40.0], 30) == 50.0
    assert within([10.0, 16.6, 16.7, 33.0], 60) == 50.0
    assert within([1000.0 / 30], 30) == 100.0
    assert within([], 30) == 0.0


def _run(frames: list[tuple[int, int, int, int]]) -> modes.Measured:
    """(cart, snapshot, display, audio) cycles per frame."""
    m = modes.Measured("rp2040")
    m.frames = [modes.Frame(c // 2, c - c // 2, c) for c, _s, _d, _a in frames]
    m.phases = [(s, d, a) for _c, s, d, a in frames]
    return m


def test_both_cores_and_the_two_core_frame() -> None:
    # core0 = cart + snapshot; core1 = max(display + audio, SPI): the firmware renders the
    # sound while DMA sends the panel; frame = the larger
    m = _run([(20 * MS, MS, 5 * MS, 2 * MS),       # core0 21, core1 14.7456 (5 + 2 within it)
              (40 * MS, MS, 5 * MS, 2 * MS),       # core0 41: over 33.3
              (10 * MS, MS, 16 * MS, MS)])         # core0 11, core1 16 + 1 = 17
    f = figures(m, 30, MHZ)
    assert f["cart"] == {"median": 20.0, "p95": 40.0}
    assert f["core0"] == {"median": 21.0, "p95": 41.0}
    assert f["core1"] == {"median": round(SPI, 3), "p95": 17.0}
    assert f["frame"] == {"median": 21.0, "p95": 41.0}
    assert f["audio"] == {"median": 2.0, "p95": 2.0}
    assert f["within"] == 66.7 and f["within_core0"] == 66.7
    assert not holds(f)
    # at 60 fps core1 alone misses the 16.7 ms budget in the third frame
    f60 = figures(_run([(5 * MS, MS, 5 * MS, MS), (5 * MS, MS, 16 * MS, MS)]), 60, MHZ)
    assert f60["within"] == 50.0 and f60["within_core0"] == 100.0
    # a 60 fps cart's sound fits the transfer's slack (before, sent after it: 14.75 + 2 > 16.7)
    f60 = figures(_run([(5 * MS, MS, 5 * MS, 2 * MS)] * 2), 60, MHZ)
    assert f60["core1"]["median"] == round(SPI, 3) and f60["within"] == 100.0


def test_a_run_that_stopped_does_not_hold_its_budget() -> None:
    m = _run([(MS, 0, MS, 0)])
    m.status, m.message = "error", "the image stopped after 1 frames: out of memory"
    f = figures(m, 30, MHZ)
    assert f["within"] == 100.0 and not holds(f)
    assert holds(figures(_run([(MS, 0, MS, 0)] * 20), 30, MHZ))


def _result(cart: str, budget: dict[str, Any] | None) -> dict[str, Any]:
    r: dict[str, Any] = {"cart": cart, "peak": 10_000, "frames": 1800, "status": "frame", "error": None,
                         "peak_census": {"string": 10_000}, "fps": 30,
                         "arenas": {"92364": {"ok": True, "frames": 1800}}}
    if budget is not None:
        r["budget"] = budget
    return r


def test_the_table_has_budget_columns_and_names_the_misses(tmp_path: Path) -> None:
    ok = figures(_run([(20 * MS, MS, 5 * MS, 2 * MS)] * 20), 30, MHZ)
    slow = figures(_run([(40 * MS, MS, 5 * MS, 2 * MS)] * 20), 30, MHZ)
    broken = _result(str(tmp_path / "d.p8"), slow)
    broken["error"] = "d.p8 tab 0 line 2: assertion failed!"     # its own error: not counted
    ended = _result(str(tmp_path / "e.p8"), {"fps": 30, "status": "ended", "frames": 0, "message": None})
    results = [_result(str(tmp_path / "a.p8"), ok), _result(str(tmp_path / "b.p8"), slow),
               _result(str(tmp_path / "c.p8"), None), broken, ended]
    text = heap_table["table"](results, [("rp2040", 92364)], tmp_path, True)
    lines = text.splitlines()
    assert lines[0] == ("| cart | heap need KiB | rp2040 (90 KiB) | fps | cart ms | core0 ms | core1 ms | "
                        "two-core ms | % within budget | run | at the peak |")
    assert lines[2] == ("| a.p8 | 10 | yes | 30 | 20.0 / 20.0 | 21.0 / 21.0 | 14.7 / 14.7 | 21.0 / 21.0 | 100 "
                        "| 1800 frames, frame | strings 10 KiB (100%) |")
    assert lines[3].startswith("| b.p8 | 10 | yes | 30 | 40.0 / 40.0 | 41.0 / 41.0 | 14.7 / 14.7 | 41.0 / 41.0 | 0 |")
    assert lines[4].startswith("| c.p8 | 10 | yes | - | - | - | - | - | - |")
    assert lines[-2:] == ["Frame budget: 1 of 2 carts benched hold it for >= 95% of frames (two-core frame, "
                          "EMULATED RP2040 at 250 MHz); not timed (ended before the measured frames): e.p8",
                          "- b.p8: 0% within; two-core 41.0 / 41.0 ms, cart 40.0 / 40.0 ms at 30 fps"]
