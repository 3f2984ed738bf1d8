"""Benchmark every cart in carts/ (plus the corpus carts that are present)
in every mode and write one markdown table and one plot.

    python benches/run_matrix.py [--frames N] [--warmup W] [--modes host,aot,rp2040,m33]
                                 [--corpus DIR ...] [--out DIR] [--peer F08BENCH] [--docs PAGE]

The corpus folders (default ../shared/corpus/carts and ../shared/corpus/more)
are searched to any depth. Each cart is benched by `rp8 bench` in a child
process, so a cart that crashes or hangs a mode costs that cart's cells, not
the run.

Writes OUT/matrix.md (median and p95 frame time per cart and mode, peak RAM
and flash of the images), OUT/matrix.png (median total per cart and mode),
and OUT/<cart>.json (each cart's full `rp8 bench` document). Emulated
columns are labelled as such. A cart a mode cannot run gets the reason in
its cell instead of a number.

--peer names a fake-08 frame timer (built outside the project by the peer
tools' build.sh, see benches/README.md): each cart also runs there with the
same frames, warm-up and input, and the tables get rp8's CPU time per frame
over fake-08's. --docs writes the manual's performance page (docs/performance.md),
which names the command that made it.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from console.bench import modes as bench_modes  # noqa: E402
from console.commands.bench import default_input  # noqa: E402
from console.desktop.buttons import InputScript  # noqa: E402

HEADS = {
    "host": "host ms",
    "aot": "aot ms",
    "rp2040": "rp2040 ms @250 MHz (emulated)",
    "m33": "m33 M instr. (emulated)",
}


# a cart's `rp8 bench` (all its modes, a compiled cart's build included)
CART_TIMEOUT_S = 1800
# fake-08 on one cart (it runs a cart's frames in seconds; it hangs on a few)
PEER_TIMEOUT_S = 120


def carts(corpora: list[Path]) -> list[Path]:
    out = sorted((ROOT / "carts").glob("*.p8"))
    for corpus in corpora:
        if corpus.is_dir():
            out += sorted((p for p in corpus.rglob("*") if p.name.endswith((".p8", ".p8.png"))
                           and p.is_file()), key=lambda p: str(p.relative_to(corpus)).lower())
    return out


def labels(paths: list[Path]) -> dict[Path, str]:
    """Each cart's name in the tables: its file name, or with its folder
    when two carts share a name."""
    count: dict[str, int] = {}
    for p in paths:
        count[p.name] = count.get(p.name, 0) + 1
    return {p: p.name if count[p.name] == 1 else f"{p.parent.name}/{p.name}" for p in paths}


def bench_one(cart: Path, mode_names: list[str], frames: int, warmup: int) -> dict[str, Any]:
    """`rp8 bench CART --json` in a child process; a mode the child did not
    report (it crashed or ran out of time) is an error cell."""
    inp = default_input(cart)
    script = InputScript.load(inp) if inp is not None else None
    job = bench_modes.Job(cart, frames, warmup, 0, script)
    why = "no result"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.json"
        cmd = [sys.executable, "-m", "console", "bench", str(cart), "--mode", *mode_names,
               "--frames", str(frames), "--warmup", str(warmup), "--json", str(out), "--quiet"]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT)] + (
            [os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])))
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=CART_TIMEOUT_S,
                                  env=env, cwd=ROOT)
            if out.is_file():
                return json.loads(out.read_text())
            why = (done.stderr.strip() or f"rp8 bench exited with {done.returncode}")
        except subprocess.TimeoutExpired:
            why = f"rp8 bench ran past {CART_TIMEOUT_S} s"
        except (OSError, ValueError) as err:
            why = str(err)
    measured = [bench_modes.Measured(m, status="error", message=why) for m in mode_names]
    return bench_modes.document(job, inp, measured)


def peer_us(f08bench: str, cart: Path, frames: int, warmup: int) -> Optional[float]:
    """fake-08's median CPU µs per frame for `cart` (its .input script when
    it has one), or None when fake-08 cannot run it."""
    inp = default_input(cart)
    cmd = [f08bench, str(cart.resolve()), str(frames)] + ([str(inp.resolve())] if inp else [])
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=PEER_TIMEOUT_S,
                              env={"F08_WARMUP": str(warmup), "PATH": "/usr/bin:/bin"})
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"median_cpu_us ([\d.]+) .* error (\w+)", done.stdout)
    if done.returncode != 0 or m is None or m.group(2) != "no":
        return None
    return float(m.group(1))


def run_median(m: dict[str, Any]) -> float:
    """One run's median frame time of a mode in ms (emulated: in its unit)."""
    return float(m["summary" if m["unit"] == "instructions" else "summary_ms"]["total"]["median"])


def round_median(m: dict[str, Any]) -> float:
    """A mode's median frame time in ms (emulated: in its unit): over
    --rounds, the median of the rounds' medians."""
    return float(statistics.median(m.get("round_medians") or [run_median(m)]))


def median_ms(doc: dict[str, Any], mode: str) -> Optional[float]:
    m = next((x for x in doc["modes"] if x["mode"] == mode), None)
    if m is None or m["status"] != "ok" or not m["frames"] or m["unit"] != "ms":
        return None
    return round_median(m)


def merge_rounds(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """The first round's document, each mode that ran in every round given
    its rounds' medians (round_medians): the tables' medians and ratios are
    their median, the rest (p95, the plot) the first round's."""
    doc = docs[0]
    for m in doc["modes"]:
        same = [next((x for x in d["modes"] if x["mode"] == m["mode"]), None) for d in docs]
        if len(docs) > 1 and all(x is not None and x["status"] == "ok" and x["frames"] for x in same):
            m["round_medians"] = [run_median(x) for x in same]  # type: ignore[arg-type]
    return doc


def geomean(xs: list[float]) -> Optional[float]:
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def docs_page(docs: list[dict[str, Any]], peer: dict[str, Optional[float]], mode_names: list[str],
              frames: int, warmup: int, command: str, rounds: int = 1) -> str:
    """The manual's performance page: per cart the median frame time in each
    mode and, where fake-08 ran the cart, rp8's time over fake-08's."""
    heads = ["cart"] + [HEADS[m] for m in mode_names]
    with_peer = any(v is not None for v in peer.values())
    if with_peer:
        heads += ["fake-08 ms"] + [f"{m} / fake-08" for m in ("host", "aot") if m in mode_names]
    rows = ["| " + " | ".join(heads) + " |", "|---|" + "---:|" * (len(heads) - 1)]
    ratios: dict[str, list[float]] = {"host": [], "aot": []}
    slower: dict[str, list[str]] = {"host": [], "aot": []}
    for doc in docs:
        name = doc.get("label") or Path(doc["cart"]).name
        by = {m["mode"]: m for m in doc["modes"]}
        cells = [name] + [cell(by[m]) for m in mode_names]
        if with_peer:
            f08 = peer.get(name)
            cells.append("-" if f08 is None else f"{f08 / 1000:.3f}")
            for m in ("host", "aot"):
                if m not in mode_names:
                    continue
                ours = median_ms(doc, m)
                if f08 is None or ours is None:
                    cells.append("-")
                else:
                    ratios[m].append(ours * 1000 / f08)
                    cells.append(f"{ours * 1000 / f08:.2f}")
                    if ours * 1000 > f08:
                        slower[m].append(f"{name} {ours * 1000 / f08:.2f}")
        rows.append("| " + " | ".join(cells) + " |")
    what = {"host": "the desktop interpreter (host)", "aot": "the compiled cart (aot)",
            "rp2040": "the RP2040 image in an emulator", "m33": "the RP2350 image in an emulator"}
    intro = ("How long each cart's frames take in rp8: " + ", ".join(what[m] for m in mode_names) +
             f". Median (and p95) of {frames} frames after {warmup} warm-up" +
             (f" (the median is the median of {rounds} rounds' medians, each cart's rounds "
              "interleaved with fake-08's; the p95 is the first round's)" if rounds > 1 else "") +
             ", from power-on with seed 0 "
             "and each cart's own `.input` script where it has one (no input otherwise). Host and aot "
             "are CPU milliseconds on the machine that made the page.")
    if "rp2040" in mode_names:
        intro += (" The rp2040 column is EMULATED (rp2040js counts cycles, with no XIP cache and no "
                  "bus contention), converted to ms at 250 MHz: it compares carts and changes, it is "
                  "not a hardware timing.")
    out = ["# Performance", "", intro + " A cart a mode cannot run has the reason in its cell."]
    if with_peer:
        out += ["", "fake-08 (a C++ PICO-8 emulator, timed headless with the same frames, warm-up "
                "and input) gives the last columns: rp8's CPU time per frame over fake-08's, below 1 "
                "where rp8 is faster."]
        for m in ("host", "aot"):
            g = geomean(ratios[m])
            if g is not None:
                out += ["", f"{m}/fake-08 geometric mean over the {len(ratios[m])} carts both ran: "
                        f"**{g:.2f}**, worst {max(ratios[m]):.2f}; slower than fake-08 on "
                        f"{len(slower[m])}" + (f": {', '.join(slower[m])}." if slower[m] else ".")]
    out += ["", "Made by:", "", "```sh", command, "```", "",
            "(`--peer` takes the fake-08 timer that `benches/README.md` says how to build; without "
            "it the fake-08 columns are left out.)", ""] + rows
    return "\n".join(out) + "\n"


def _one_line(text: str, width: int = 70) -> str:
    """A message fit for a table cell: its last line, no pipes, shortened."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    t = (lines[-1] if lines else "").replace("|", "/")
    return t if len(t) <= width else t[: width - 3] + "..."


def cell(m: dict[str, Any]) -> str:
    if not m["frames"]:
        return f"{m['status']}: {_one_line(m['message'] or '')}"
    if m["unit"] == "instructions":
        s = m["summary"]["total"]
        text = f"{round_median(m) / 1e6:.3f} (p95 {s['p95'] / 1e6:.3f})"
    else:
        s = m["summary_ms"]["total"]
        text = f"{round_median(m):.3f} (p95 {s['p95']:.3f})"
    if m["status"] != "ok":
        text += f" [{m['status']} after {len(m['frames'])}]"
    return text


def table(docs: list[dict[str, Any]], mode_names: list[str]) -> list[str]:
    heads = ["cart"] + [HEADS[m] for m in mode_names] + ["rp2040 peak RAM KiB", "rp2040 flash KiB"]
    rows = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for doc in docs:
        by = {m["mode"]: m for m in doc["modes"]}
        cells = [doc.get("label") or Path(doc["cart"]).name] + [cell(by[m]) for m in mode_names]
        img = by.get("rp2040", {}).get("image") if "rp2040" in by else None
        cells += [f"{img['peak_ram_bytes'] / 1024:.1f}" if img else "-",
                  f"{img['flash_bytes'] / 1024:.1f}" if img else "-"]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def plot(docs: list[dict[str, Any]], mode_names: list[str], out: Path) -> None:
    """Grouped bars: median frame total per cart, one panel per mode (each
    panel in its own unit, so panels are not compared by bar height)."""
    from PIL import Image, ImageDraw

    ph, pad = 170, 30
    w = max(900, 2 * pad + 12 * len(docs))       # at least 12 px a cart (the whole corpus: 178)
    img = Image.new("RGB", (w, pad + len(mode_names) * (ph + pad)), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.text((pad, 8), "rp8 bench matrix: median frame total per cart", fill=(0, 0, 0))
    for k, mode in enumerate(mode_names):
        top = pad + k * (ph + pad) + 12
        vals = []
        for doc in docs:
            m = next(x for x in doc["modes"] if x["mode"] == mode)
            if m["frames"]:
                v = round_median(m) / 1e6 if m["unit"] == "instructions" else round_median(m)
            else:
                v = None
            vals.append((doc.get("label") or Path(doc["cart"]).name, v))
        d.text((pad, top - 12), HEADS[mode], fill=(0, 0, 0))
        d.rectangle([pad, top, w - pad, top + ph - 20], outline=(0, 0, 0))
        peak = max([v for _, v in vals if v is not None] or [1.0]) * 1.15
        bw = (w - 2 * pad) / max(1, len(vals))
        for i, (name, v) in enumerate(vals):
            x = pad + i * bw
            if v is not None:
                hgt = (ph - 20) * v / peak
                d.rectangle([x + 3, top + ph - 20 - hgt, x + bw - 3, top + ph - 20], fill=(66, 135, 245))
                d.text((x + 4, top + ph - 34 - hgt), f"{v:.3g}", fill=(0, 0, 0))
            d.text((x + 3, top + ph - 16), name[:14], fill=(0, 0, 0))
    img.save(out)


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--modes", default="host,aot,rp2040,m33")
    ap.add_argument("--corpus", type=Path, action="append",
                    help="a folder of carts, searched to any depth (repeatable; default "
                    "../shared/corpus/carts and ../shared/corpus/more)")
    ap.add_argument("--no-corpus", action="store_true")
    ap.add_argument("--out", type=Path, default=Path("bench-out"))
    ap.add_argument("--peer", metavar="F08BENCH", help="fake-08's frame timer: add ratios to it")
    ap.add_argument("--docs", type=Path, metavar="PAGE", help="also write the manual's performance page")
    ap.add_argument("--jobs", type=int, default=1, metavar="N", help="carts benched at once (default 1)")
    ap.add_argument("--rounds", type=int, default=1, metavar="N",
                    help="bench each cart N times (fake-08 too, interleaved with rp8's runs) and give "
                    "the median of the rounds' medians (default 1)")
    args = ap.parse_args(argv)
    mode_names = [m for m in args.modes.split(",") if m]
    args.out.mkdir(parents=True, exist_ok=True)
    peer: dict[str, Optional[float]] = {}
    corpora = [] if args.no_corpus else (args.corpus or [ROOT.parent / "shared" / "corpus" / "carts",
                                                         ROOT.parent / "shared" / "corpus" / "more"])
    paths = carts(corpora)
    names = labels(paths)
    def one(cart: Path) -> dict[str, Any]:
        t0 = time.monotonic()
        name = names[cart]
        rounds, peers = [], []
        for _ in range(max(1, args.rounds)):
            if args.peer:
                peers.append(peer_us(args.peer, cart, args.frames, args.warmup))
            rounds.append(bench_one(cart, mode_names, args.frames, args.warmup))
        if args.peer:
            ran = [p for p in peers if p is not None]
            peer[name] = statistics.median(ran) if len(ran) == len(peers) else None
        doc = merge_rounds(rounds)
        doc["label"] = name
        (args.out / (name.replace("/", "__") + ".json")).write_text(json.dumps(doc, indent=1) + "\n")
        print(f"{name}: {time.monotonic() - t0:.0f} s", file=sys.stderr, flush=True)
        return doc

    # --jobs carts at a time, each in its own processes (the times are CPU
    # time, so a second job changes them little); the tables keep cart order
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        docs = list(pool.map(one, paths))
    lines = [f"rp8 bench matrix: {args.frames} frames after {args.warmup} warm-up, seed 0, "
             "each cart's .input script when it has one. Emulated figures come from rp2040js "
             "(cycles; no XIP cache, no bus contention, core0 only) and unicorn (instructions, "
             "not cycles); they are not hardware measurements.", ""] + table(docs, mode_names)
    (args.out / "matrix.md").write_text("\n".join(lines) + "\n")
    if args.docs is not None:
        command = "python benches/run_matrix.py --docs docs/performance.md --modes " + \
            ",".join(mode_names) + f" --frames {args.frames}" + \
            (f" --rounds {args.rounds}" if args.rounds > 1 else "") + \
            (" --no-corpus" if args.no_corpus else "") + \
            "".join(f" --corpus {c}" for c in (args.corpus or [])) + \
            (" --peer PATH/TO/f08bench" if args.peer else "")
        args.docs.write_text(docs_page(docs, peer, mode_names, args.frames, args.warmup, command,
                                       args.rounds))
    plot(docs, mode_names, args.out / "matrix.png")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
