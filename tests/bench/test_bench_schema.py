"""The `rp8 bench --json` schema (console/bench/schema.py): documents the
bench builds validate, and each kind of breakage is caught."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from console.bench import modes
from console.bench.schema import SCHEMA, SchemaError, validate

CARTS = Path(__file__).resolve().parents[2] / "carts"


def _doc() -> dict:
    job = modes.Job(CARTS / "hello.p8", 3, 1, 0, None, 250.0)
    host = modes.Measured("host", [modes.Frame(0.1, 0.5, 0.7), modes.Frame(0.2, 0.4, 0.65),
                                   modes.Frame(0.1, 20.0, 40.0)])
    aot = modes.Measured("aot", [modes.Frame(None, None, 0.2)] * 3)
    rp = modes.Measured("rp2040", [modes.Frame(1000, 500_000, 501_000)] * 3,
                        image={"target": "rp2040", "flash_bytes": 100_000, "static_ram_bytes": 200_000,
                               "stack_peak_bytes": 400, "arena_bytes": 81920, "arena_peak_bytes": 2000,
                               "peak_ram_bytes": 120_480, "ram_bytes": 270336, "ram_free_bytes": 149_856})
    m33 = modes.Measured("m33", [modes.Frame(900, 300_000, 300_900)] * 3,
                         image=dict(rp.image, target="m33"))
    return modes.document(job, None, [host, aot, rp, m33])


def test_built_document_validates():
    doc = _doc()
    validate(doc)
    assert doc["schema"] == SCHEMA == "rp8-bench/2"
    host, aot, rp, m33 = doc["modes"]
    assert host["summary"]["total"] == {"median": 0.7, "mean": pytest.approx(41.35 / 3),
                                        "p95": 40.0, "max": 40.0}
    assert host["over_budget"] == {"30fps": 1, "60fps": 1}
    assert aot["summary"]["update"] is None and aot["summary"]["total"]["median"] == 0.2
    # 501000 cycles at 250 MHz = 2.004 ms
    assert rp["summary_ms"]["total"]["median"] == pytest.approx(2.004)
    assert rp["emulated"] and "emulated" in rp["label"].lower() and rp["clock_mhz"] == 250.0
    assert m33["unit"] == "instructions" and m33["summary_ms"] is None and m33["over_budget"] is None


@pytest.mark.parametrize("breakage, field", [
    (lambda d: d.pop("seed"), "document"),
    (lambda d: d.update(schema="rp8-bench/0"), "schema"),
    (lambda d: d["modes"][0].update(unit="cycles"), "modes[0].unit"),
    (lambda d: d["modes"][2].update(label="RP2040 cycles"), "modes[2].label"),
    (lambda d: d["modes"][2].update(emulated=False), "modes[2].emulated"),
    (lambda d: d["modes"][3].update(summary_ms=d["modes"][2]["summary_ms"]), "modes[3]"),
    (lambda d: d["modes"][0]["frames"][1].update(draw=-1.0), "modes[0].frames[1].draw"),
    (lambda d: d["modes"][0]["over_budget"].update({"30fps": 9}), "modes[0].over_budget"),
    (lambda d: d["modes"][0]["frames"][0].update(update=None), "modes[0].frames"),
    (lambda d: d["modes"][2]["image"].pop("arena_peak_bytes"), "modes[2].image"),
    (lambda d: d["modes"][0].update(image={}), "modes[0].image"),
    (lambda d: d["modes"][1]["summary"]["total"].update(max=0.0), "modes[1].summary.total"),
])
def test_breakage_is_named(breakage, field):
    doc = copy.deepcopy(_doc())
    breakage(doc)
    with pytest.raises(SchemaError) as err:
        validate(doc)
    assert str(err.value).startswith(field)


def test_plot_draws_one_row_per_mode(tmp_path):
    from PIL import Image

    from console.bench import plot

    doc = _doc()
    out = tmp_path / "p.png"
    plot.plot(doc, out)
    img = Image.open(out).convert("RGB")
    assert img.height == plot.PAD + 4 * (plot.ROW_H + plot.PAD)
    colours = {c for _, c in img.getcolors(1 << 20)}
    # split modes stack update and draw; aot (unsplit) draws totals
    assert {plot.UPDATE, plot.DRAW, plot.TOTAL} <= colours


def test_text_report_labels_emulated_rows():
    from console.bench.report import lines

    text = "\n".join(lines(_doc()))
    assert "[rp2040] EMULATED RP2040" in text and "ms @ 250 MHz" in text
    assert "[m33] EMULATED Cortex-M33" in text and "instructions" in text
    assert "frames over budget: 1 of 3 at 30 fps, 1 at 60 fps" in text


def test_axis_ticks_are_round_values():
    from console.bench.plot import ticks

    assert ticks(0, 0.33) == [0, 0.1, 0.2, 0.3]
    assert ticks(0, 120) == [0, 50, 100]
    assert ticks(0, 16.7) == [0, 5, 10, 15]
    assert ticks(0.093, 0.331) == [0.1, 0.15, 0.2, 0.25, 0.3]
    assert ticks(0, 46) == [0, 10, 20, 30, 40]
    assert ticks(2, 2) == [2]


def test_plot_has_tick_marks_on_its_axes(tmp_path):
    from PIL import Image

    from console.bench import plot

    out = tmp_path / "p.png"
    plot.plot(_doc(), out)
    img = Image.open(out).convert("RGB")
    x0, y0 = plot.LEFT, plot.PAD                       # the first series panel
    bottom = y0 + plot.ROW_H
    # a tick at value 0: left of the panel's bottom-left corner, and below it
    assert img.getpixel((x0 - 2, bottom)) == plot.AXIS
    assert img.getpixel((x0, bottom + 2)) == plot.AXIS
    assert img.getpixel((x0 - 2, bottom - 40)) == plot.BG      # no line between ticks
