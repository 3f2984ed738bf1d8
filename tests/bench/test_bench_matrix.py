"""benches/run_matrix.py's manual page: the table, the fake-08 ratios and
their geometric mean, and the command that remakes it."""
from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
matrix = runpy.run_path(str(ROOT / "benches" / "run_matrix.py"))


def _doc(cart: str, host: float, aot: float | None) -> dict[str, Any]:
    def mode(name: str, ms: float | None) -> dict[str, Any]:
        if ms is None:
            return {"mode": name, "status": "error", "message": "g++ failed\nno compiler", "frames": [],
                    "unit": "ms", "summary": None, "summary_ms": None}
        s = {"median": ms, "p95": ms * 2}
        return {"mode": name, "status": "ok", "message": None, "frames": [{"total": ms}], "unit": "ms",
                "summary": {"total": s}, "summary_ms": {"total": s}}
    return {"cart": f"carts/{cart}", "modes": [mode("host", host), mode("aot", aot)]}


def test_the_page_has_ratios_to_fake08_and_their_geometric_mean() -> None:
    docs = [_doc("a.p8", 0.2, 0.1), _doc("b.p8", 0.8, None), _doc("c.p8", 0.05, 0.02)]
    peer = {"a.p8": 400.0, "b.p8": 200.0, "c.p8": None}
    page = matrix["docs_page"](docs, peer, ["host", "aot"], 300, 30,
                               "python benches/run_matrix.py --docs docs/performance.md")
    lines = page.splitlines()
    assert lines[0] == "# Performance"
    assert "| cart | host ms | aot ms | fake-08 ms | host / fake-08 | aot / fake-08 |" in lines
    assert "| a.p8 | 0.200 (p95 0.400) | 0.100 (p95 0.200) | 0.400 | 0.50 | 0.25 |" in lines
    assert "| b.p8 | 0.800 (p95 1.600) | error: no compiler | 0.200 | 4.00 | - |" in lines
    assert "| c.p8 | 0.050 (p95 0.100) | 0.020 (p95 0.040) | - | - | - |" in lines
    # host: sqrt(0.5 * 4) over a and b; aot: a alone
    assert "host/fake-08 geometric mean over the 2 carts both ran: **1.41**, worst 4.00; " \
        "slower than fake-08 on 1: b.p8 4.00." in lines
    assert "aot/fake-08 geometric mean over the 1 carts both ran: **0.25**, worst 0.25; " \
        "slower than fake-08 on 0." in lines
    assert "python benches/run_matrix.py --docs docs/performance.md" in lines


def test_without_the_peer_there_are_no_fake08_columns() -> None:
    page = matrix["docs_page"]([_doc("a.p8", 0.2, 0.1)], {}, ["host", "aot"], 300, 30, "cmd")
    assert "fake-08 ms" not in page and "geometric mean" not in page
    assert "| a.p8 | 0.200 (p95 0.400) | 0.100 (p95 0.200) |" in page.splitlines()


def test_rounds_give_the_median_of_their_medians() -> None:
    """--rounds 3: a cart's medians and ratios are the median of its three
    rounds' medians (a mode that failed a round has none); p95 the first's."""
    merged = matrix["merge_rounds"]([_doc("a.p8", 0.2, 0.1), _doc("a.p8", 0.5, None), _doc("a.p8", 0.3, 0.4)])
    page = matrix["docs_page"]([merged], {"a.p8": 500.0}, ["host", "aot"], 300, 30, "cmd", 3)
    assert "| a.p8 | 0.300 (p95 0.400) | 0.100 (p95 0.200) | 0.500 | 0.60 | 0.20 |" in page.splitlines()
    assert "the median of 3 rounds' medians" in page


def test_carts_sharing_a_name_are_told_apart_by_their_folder() -> None:
    paths = [Path("c/x/a.p8"), Path("c/y/a.p8"), Path("c/y/b.p8.png")]
    assert matrix["labels"](paths) == {paths[0]: "x/a.p8", paths[1]: "y/a.p8", paths[2]: "b.p8.png"}


def test_the_corpus_is_searched_to_any_depth(tmp_path: Path) -> None:
    for rel in ("top.p8", "repo/carts/deep.p8.png", "repo/notes.txt", "repo/x.p8/inner.p8"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("")
    found = [p for p in matrix["carts"]([tmp_path]) if p.is_relative_to(tmp_path)]
    assert [str(p.relative_to(tmp_path)) for p in found] == ["repo/carts/deep.p8.png", "repo/x.p8/inner.p8",
                                                            "top.p8"]


def test_the_plot_takes_the_whole_corpus(tmp_path: Path) -> None:
    # 178 carts made the bars narrower than their margins (PIL refused the
    # rectangles after an hour of benching)
    docs = [_doc(f"c{i}.p8", 0.1 + i / 100, 0.05) for i in range(200)]
    matrix["plot"](docs, ["host", "aot"], tmp_path / "m.png")
    from PIL import Image
    assert Image.open(tmp_path / "m.png").size[0] >= 200 * 12
