"""The compatibility report: a verdict per cart, the summary line, the JSON
file and the HTML contact sheet (self-contained: thumbnails are PNG data
URIs, no scripts, no external files)."""
from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any, Optional

SCHEMA = "rp8-compat/1"


def verdict(r: dict[str, Any]) -> str:
    """One word for a cart: runs, or what stopped it (the error's kind,
    `blank`, or `aot-differs`)."""
    err = r.get("error")
    if err is not None:
        return str(err["kind"])
    aot = r.get("aot")
    if aot is not None and not aot["equal"]:
        return "aot-differs"
    if r["blank"]:
        return "blank"
    return "runs"


def passed(r: dict[str, Any]) -> bool:
    return verdict(r) == "runs"


def summary(results: list[dict[str, Any]], aot: bool) -> str:
    n = sum(1 for r in results if passed(r))
    how = " (interpreter and compiled: identical frames)" if aot else ""
    return f"{n} of {len(results)} carts run{how}"


def line(r: dict[str, Any]) -> str:
    """One line per cart for the progress on stderr."""
    v = verdict(r)
    text = f"{v:<11} {r['cart']} ({r['frames']} frames"
    if r.get("aot") is not None:
        text += f"; compiled {r['aot']['frames']}, {'same' if r['aot']['equal'] else 'differ'}"
        text += heap_text(r["aot"])
    text += ")"
    err = r.get("error")
    if err is not None:
        side = "compiled: " if err.get("console") == "aot" else ""
        text += f": {side}{err['message']}"
    return text


def heap_text(aot: dict[str, Any]) -> str:
    """The compiled cart's Lua heap need, as the line and the sheet say it."""
    if aot.get("heap") is None:
        return ""
    from console.desktop.heap_need import kib

    return f", heap {kib(aot['heap'])}"


def _public(r: dict[str, Any]) -> dict[str, Any]:
    """A cart's entry in the JSON file: everything but thumbnails and hashes."""
    out = {k: v for k, v in r.items() if k not in ("thumbs", "hashes")}
    out["verdict"] = verdict(r)
    return out


def to_json(results: list[dict[str, Any]], frames: int, aot: bool) -> dict[str, Any]:
    return {"schema": SCHEMA, "frames": frames, "aot": aot,
            "summary": summary(results, aot),
            "carts": [_public(r) for r in results]}


def write_json(path: Path, results: list[dict[str, Any]], frames: int, aot: bool) -> None:
    path.write_text(json.dumps(to_json(results, frames, aot), indent=1) + "\n", encoding="utf-8")


_CSS = """
body { font-family: sans-serif; background: #1d2b53; color: #fff1e8; margin: 1em; }
h1 { font-size: 1.3em; }
.sheet { display: flex; flex-wrap: wrap; gap: 10px; }
.cart { background: #000; border: 3px solid #5f574f; padding: 6px; width: 276px; }
.cart.runs { border-color: #00e436; }
.cart.fail { border-color: #ff004d; }
.cart.warn { border-color: #ffa300; }
.cart img { width: 128px; height: 128px; image-rendering: pixelated; background: #222; }
.shots { display: flex; gap: 8px; }
.name { font-weight: bold; word-break: break-all; font-size: 0.85em; }
.status { font-size: 0.8em; }
.err { font-family: monospace; font-size: 0.75em; color: #ffccaa; word-break: break-word; }
"""


def _img(data: Optional[str], label: str) -> str:
    if not data:
        return f'<div class="noimg" title="{label}"><img alt="{label}: none"></div>'
    return f'<img alt="{label}" title="{label}" src="data:image/png;base64,{data}">'


def _card(r: dict[str, Any]) -> str:
    v = verdict(r)
    klass = "runs" if v == "runs" else ("warn" if v in ("blank", "aot-differs") else "fail")
    thumbs = r.get("thumbs") or {}
    status = f"{html.escape(v)} &middot; {r['frames']} frames"
    aot = r.get("aot")
    if aot is not None:
        status += f" &middot; compiled {aot['frames']} frames, " + \
            ("identical" if aot["equal"] else f"differs from frame {aot['first_diff']}")
        status += html.escape(heap_text(aot))
    err = r.get("error")
    err_html = ""
    if err is not None:
        where = f"[{html.escape(err['where'])}] " if err.get("where") else ""
        side = "compiled: " if err.get("console") == "aot" else ""
        err_html = f'<div class="err">{html.escape(err["kind"])}: {side}{where}' \
                   f'{html.escape(err["message"])}</div>'
    return (f'<div class="cart {klass}" data-verdict="{html.escape(v)}">'
            f'<div class="name">{html.escape(r["cart"])}</div>'
            f'<div class="shots">{_img(thumbs.get("first"), "first frame")}'
            f'{_img(thumbs.get("last"), "last frame")}</div>'
            f'<div class="status">{status}</div>{err_html}</div>')


def to_html(results: list[dict[str, Any]], frames: int, aot: bool) -> str:
    # failures first, so the sheet opens on what needs work
    order = sorted(results, key=lambda r: (passed(r), r["cart"]))
    cards = "\n".join(_card(r) for r in order)
    title = f"rp8 compat: {summary(results, aot)}"
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{html.escape(title)}"
            f"</title><style>{_CSS}</style></head><body>\n<h1>{html.escape(title)}</h1>\n"
            f"<p>{frames} frames per cart with scripted input"
            f"{', interpreter and compiled build compared frame by frame' if aot else ''}. "
            f"First and last frame of each cart.</p>\n<div class=\"sheet\">\n{cards}\n</div>\n"
            f"</body></html>\n")


def write_html(path: Path, results: list[dict[str, Any]], frames: int, aot: bool) -> None:
    path.write_text(to_html(results, frames, aot), encoding="utf-8")
