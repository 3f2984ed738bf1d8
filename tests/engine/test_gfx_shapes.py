"""line, rect, rectfill, rrect, rrectfill, circ, circfill, oval, ovalfill:
exact pixels."""
from __future__ import annotations

import random

import pytest

from console.machine import Machine
from support.gfx import Cart, art, count_drawn, region


def lit(m: Machine) -> set[tuple[int, int]]:
    """Coordinates of every non-zero screen pixel."""
    out = set()
    screen = m.screen_bytes()
    for i, b in enumerate(screen):
        if b:
            y, x = divmod(i, 64)
            if b & 15:
                out.add((2 * x, y))
            if b >> 4:
                out.add((2 * x + 1, y))
    return out


def midpoint_circle(cx: int, cy: int, r: int, rows: range | None = None) -> set[tuple[int, int]]:
    """The midpoint circle, step by step (x = r, y = 0, d = 1 - r), as
    zepto8 and fake-08 draw circ() to match PICO-8. With `rows`, only points
    on those rows are kept."""
    pts = set()
    x, y, d = r, 0, 1 - r
    while y <= x:
        for a, b in ((x, y), (y, x)):
            for sy in (1, -1):
                py = cy + sy * b
                if rows is None or py in rows:
                    pts.add((cx + a, py))
                    pts.add((cx - a, py))
        y += 1
        if d < 0:
            d += 2 * y + 1
        else:
            x -= 1
            d += 2 * (y - x) + 1
    return pts


def filled(pts: set[tuple[int, int]], lo: int = -(1 << 20), hi: int = 1 << 20) -> set[tuple[int, int]]:
    """Every pixel between a row's leftmost and rightmost point, limited to
    columns lo..hi-1 (so huge circles stay cheap)."""
    rows: dict[int, list[int]] = {}
    for x, y in pts:
        rows.setdefault(y, []).append(x)
    return {(x, y) for y, xs in rows.items() for x in range(max(min(xs), lo), min(max(xs) + 1, hi))}


def on_screen(pts: set[tuple[int, int]]) -> set[tuple[int, int]]:
    return {(x, y) for x, y in pts if 0 <= x < 128 and 0 <= y < 128}


# ---- circles ----

def test_circ_radius_4_quarter_from_fake08(m: Machine) -> None:
    # fake-08 graphicstests.cpp "circ({ox}, {oy}) uses pen color and radius
    # of 4": the 12-to-3 o'clock quarter of circ(40, 40) in pen colour 6
    c = Cart(m)
    c.circ(40, 40)
    for p in [(39, 36), (40, 36), (41, 36), (42, 37), (43, 37), (43, 38), (44, 39), (44, 40)]:
        assert c.pget(*p) == 6


def test_circ_small_radii_exact(m: Machine) -> None:
    # r=1 is a plus; r=2 per fake-08's "circ(...) draws correctly" points
    c = Cart(m)
    c.circ(2, 2, 1, 14)
    c.circ(8, 2, 2, 13)
    c.circ(13, 2, 0, 5)
    assert region(m, 0, 0, 15, 5) == art("""
        .......ddd.....
        ..e...d...d....
        .e.e..d...d..5.
        ..e...d...d....
        .......ddd.....
    """)


def test_circfill_radius_3_and_4(m: Machine) -> None:
    c = Cart(m)
    c.circfill(4, 4, 4, 7)
    c.circfill(14, 4, 3, 9)
    assert region(m, 0, 0, 18, 9) == art("""
        ...777............
        .7777777.....999..
        .7777777....99999.
        777777777..9999999
        777777777..9999999
        777777777..9999999
        .7777777....99999.
        .7777777.....999..
        ...777............
    """)


@pytest.mark.parametrize("r", range(0, 40))
def test_circ_and_circfill_match_midpoint_algorithm(m: Machine, r: int) -> None:
    c = Cart(m)
    c.circ(64, 64, r, 7)
    assert lit(m) == midpoint_circle(64, 64, r)
    c.cls()
    c.circfill(64, 64, r, 7)
    assert lit(m) == filled(midpoint_circle(64, 64, r))


def test_circle_closed_form_equals_iteration() -> None:
    # the engine draws rows from the closed form w*w + h*h - max(w, h) < r*r;
    # check it against the step-by-step algorithm far beyond the screen
    for r in range(1, 61):
        pts = midpoint_circle(0, 0, r)
        fill = filled(pts)
        closed = {(x, y) for y in range(-r, r + 1) for x in range(-r, r + 1)
                  if x * x + y * y - max(abs(x), abs(y)) < r * r}
        assert fill == closed, r
        rim = {(x, y) for (x, y) in closed
               if any((x + a, y + b) not in closed for a, b in ((1, 0), (-1, 0), (0, 1), (0, -1)))}
        assert rim == pts, r


@pytest.mark.parametrize("r", [100, 1000, 10000, 32767])
def test_big_circles_match_midpoint_algorithm(m: Machine, r: int) -> None:
    # the rim crosses the screen: compare the visible part with the steps
    c = Cart(m)
    cy = 100 - r
    rim = midpoint_circle(64, cy, r, range(128))
    c.circ(64, cy, r, 7)
    assert lit(m) == on_screen(rim)
    c.cls()
    c.circfill(64, cy, r, 7)
    assert lit(m) == on_screen(filled(rim, 0, 128))


def test_circles_partly_off_screen_and_clipped(m: Machine) -> None:
    c = Cart(m)
    for (cx, cy, r) in [(0, 0, 30), (127, 64, 50), (64, 140, 20), (-10, -10, 30), (64, 64, 100)]:
        c.cls()
        c.circ(cx, cy, r, 7)
        assert lit(m) == on_screen(midpoint_circle(cx, cy, r))
        c.cls()
        c.circfill(cx, cy, r, 7)
        assert lit(m) == on_screen(filled(midpoint_circle(cx, cy, r), 0, 128))
    c.cls()
    c.clip(60, 60, 10, 10)
    c.circfill(64, 64, 20, 7)
    c.clip()
    assert lit(m) == {(x, y) for x in range(60, 70) for y in range(60, 70)}


def test_circ_huge_and_negative_radius(m: Machine) -> None:
    c = Cart(m)
    c.circ(64, 64, -1, 7)
    c.circfill(64, 64, -5, 7)
    assert count_drawn(m) == 0
    c.circfill(64, 64, 32767, 7)          # covers everything
    assert count_drawn(m) == 128 * 128
    c.cls()
    c.circ(64, 64, 32767, 7)              # rim far outside: nothing visible
    assert count_drawn(m) == 0
    c.circ(-32000, 64, 32063, 7)          # rim passes x = 63 near y = 64
    assert c.pget(63, 64) == 7 and c.pget(64, 64) == 0


def test_circ_camera(m: Machine) -> None:
    # fake-08 "camera values apply to circ" style: centre moves by -camera
    c = Cart(m)
    c.camera(-10, -20)
    c.circ(0, 0, 1, 7)
    c.camera()
    assert lit(m) == {(10, 19), (9, 20), (11, 20), (10, 21)}


def test_femto8_circ_and_circfill_checks(m: Machine) -> None:
    # femto8 carts/tests.p8 "circ" / "circfill": circ(50, 40, 20)
    c = Cart(m)
    c.color(9)
    c.circ(50, 40, 20)
    for (x, y), v in {(50, 40): 0, (50, 20): 9, (50, 19): 0, (50, 60): 9, (50, 61): 0,
                      (30, 40): 9, (29, 40): 0, (70, 40): 9, (71, 40): 0, (31, 21): 0}.items():
        assert c.pget(x, y) == v
    c.cls()
    c.circfill(50, 40, 20, 9)
    for (x, y), v in {(50, 40): 9, (50, 20): 9, (50, 19): 0, (30, 40): 9, (71, 40): 0,
                      (31, 21): 0}.items():
        assert c.pget(x, y) == v


def test_inverted_circfill(m: Machine) -> None:
    # manual: with 0x5f34 & 2, colour bits 0x1800.0000 fill outside the shape
    c = Cart(m)
    c.poke(0x5F34, 2)
    c.clip(0, 0, 9, 9)
    c.circfill(4, 4, 3, 0x1800 + 7)
    c.clip()
    inside = filled(midpoint_circle(4, 4, 3))
    assert lit(m) == {(x, y) for x in range(9) for y in range(9)} - inside
    # without 0x5f34 & 2 the bits do nothing special
    c.cls()
    c.poke(0x5F34, 0)
    c.circfill(4, 4, 1, 0x1800 + 7)
    assert lit(m) == filled(midpoint_circle(4, 4, 1))


# ---- rectangles ----

def test_rect_and_rectfill_swapped_corners(m: Machine) -> None:
    c = Cart(m)
    c.rect(5, 3, 1, 0, 8)
    c.rectfill(10, 3, 7, 1, 9)
    assert region(m, 0, 0, 12, 5) == art("""
        .88888......
        .8...8.9999.
        .8...8.9999.
        .88888.9999.
        ............
    """)


def test_rect_degenerate_and_pen(m: Machine) -> None:
    c = Cart(m)
    c.color(3)
    c.rect(2, 2, 2, 2)
    c.rect(4, 1, 4, 3)
    c.rectfill(6, 2, 8, 2)
    assert region(m, 0, 0, 10, 4) == art("""
        ..........
        ....3.....
        ..3.3.333.
        ....3.....
    """)


def test_femto8_rect_checks(m: Machine) -> None:
    # femto8 carts/tests.p8 "rect" / "rectfill"
    c = Cart(m)
    c.rect(1, 1, 126, 126, 6)
    for (x, y), v in {(0, 0): 0, (1, 1): 6, (127, 1): 0, (126, 1): 6, (1, 127): 0,
                      (1, 126): 6, (127, 127): 0, (126, 126): 6, (2, 2): 0, (64, 64): 0,
                      (125, 125): 0}.items():
        assert c.pget(x, y) == v
    c.cls()
    c.rectfill(1, 1, 126, 126, 6)
    assert c.pget(0, 0) == 0 and c.pget(2, 2) == 6 and c.pget(64, 64) == 6
    assert c.pget(127, 127) == 0 and c.pget(126, 126) == 6


def test_rectfill_extreme_corners_clip_first(m: Machine) -> None:
    c = Cart(m)
    c.rectfill(-32768, -32768, 32767, 32767, 5)
    assert count_drawn(m) == 128 * 128
    c.cls()
    c.rect(-32768, -32768, 32767, 32767, 5)   # all four sides off screen
    assert count_drawn(m) == 0
    c.rect(-32768, 10, 32767, 20, 5)
    assert lit(m) == {(x, y) for x in range(128) for y in (10, 20)}


def test_inverted_rectfill(m: Machine) -> None:
    c = Cart(m)
    c.poke(0x5F34, 2)
    c.clip(0, 0, 6, 4)
    c.rectfill(1, 1, 3, 2, 0x1800 + 7)
    c.clip()
    assert region(m, 0, 0, 7, 5) == art("""
        777777.
        7...77.
        7...77.
        777777.
        .......
    """)


def test_rect_camera_and_clip(m: Machine) -> None:
    c = Cart(m)
    c.camera(2, 2)
    c.clip(0, 0, 4, 128)
    c.rect(2, 2, 7, 4, 7)
    c.camera()
    c.clip()
    assert region(m, 0, 0, 7, 4) == art("""
        7777...
        7......
        7777...
        .......
    """)


# ---- rounded rectangles (PICO-8 0.2.6: rrect(x, y, w, h, r, [col])) ----

def rounded_ref(x: int, y: int, w: int, h: int, r: int) -> set[tuple[int, int]]:
    """The filled rounded box built from its definition: the midpoint
    circle of radius r split into quarters pulled apart to the corners,
    plus the cross between them."""
    circle = filled(midpoint_circle(0, 0, r))
    right, bottom = x + w - 1 - r, y + h - 1 - r
    pts = set()
    for dx, dy in circle:
        pts.add((x + r + dx if dx <= 0 else right + dx, y + r + dy if dy <= 0 else bottom + dy))
    for px in range(x + r, right + 1):
        for py in range(y, y + h):
            pts.add((px, py))
    for py in range(y + r, bottom + 1):
        for px in range(x, x + w):
            pts.add((px, py))
    return pts


def rim(pts: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The points of a filled set with a 4-neighbour outside it."""
    return {(x, y) for x, y in pts
            if not {(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)} <= pts}


def test_rrect_small_exact(m: Machine) -> None:
    c = Cart(m)
    c.rrectfill(1, 1, 10, 7, 3, 9)
    c.rrect(12, 1, 10, 7, 2, 8)
    # radius 3: rows 1 and 3 from the corner centres are 1 and 2 pixels
    # short (w*w + h*h - max(w, h) < r*r); radius 2: only the end rows are
    assert region(m, 0, 0, 23, 9) == art("""
        .......................
        ...999999....88888888..
        ..99999999..8........8.
        .9999999999.8........8.
        .9999999999.8........8.
        .9999999999.8........8.
        ..99999999..8........8.
        ...999999....88888888..
        .......................
    """)


@pytest.mark.parametrize("w,h,r", [(20, 12, 4), (30, 30, 10), (9, 9, 4), (17, 40, 8),
                                   (5, 50, 0), (64, 8, 3), (100, 90, 37)])
def test_rrect_is_split_circle(m: Machine, w: int, h: int, r: int) -> None:
    c = Cart(m)
    c.rrectfill(3, 2, w, h, r, 7)
    want = on_screen(rounded_ref(3, 2, w, h, r))
    assert lit(m) == want
    c.cls()
    c.rrect(3, 2, w, h, r, 7)
    assert lit(m) == rim(want)


def test_rrect_square_of_2r_plus_1_is_circfill(m: Machine) -> None:
    c = Cart(m)
    c.rrectfill(10, 20, 15, 15, 7, 6)
    a = lit(m)
    c.cls()
    c.circfill(17, 27, 7, 6)
    assert a == lit(m)


def test_rrect_radius_clamped_and_degenerate(m: Machine) -> None:
    c = Cart(m)
    c.rrectfill(0, 0, 9, 13, 50, 7)            # r at most (9 - 1) / 2 = 4
    assert lit(m) == rounded_ref(0, 0, 9, 13, 4)
    c.cls()
    c.rrectfill(0, 0, 10, 6, -3, 7)            # negative radius: square corners
    assert lit(m) == {(x, y) for x in range(10) for y in range(6)}
    c.cls()
    c.rrect(5, 5, 0, 10, 2, 7)                 # no width: nothing
    c.rrectfill(5, 5, 10, -1, 2, 7)            # negative height: nothing
    assert lit(m) == set()
    c.rrect(5, 5, 1, 1, 3, 7)                  # one pixel
    assert lit(m) == {(5, 5)}


def test_rrect_pen_camera_clip(m: Machine) -> None:
    c = Cart(m)
    c.color(12)
    c.camera(-10, -20)
    c.rrect(0, 0, 6, 5, 1)                     # pen colour, moved by the camera
    c.camera()
    assert region(m, 10, 20, 6, 5) == art("""
        .cccc.
        c....c
        c....c
        c....c
        .cccc.
    """)
    c.cls()
    c.clip(2, 0, 3, 128)
    c.rrectfill(0, 0, 8, 8, 2, 5)
    assert lit(m) == {(x, y) for x, y in rounded_ref(0, 0, 8, 8, 2) if 2 <= x < 5}


def test_femto8_rrect_checks(m: Machine) -> None:
    # femto8 carts/tests.p8 "rrect" / "rrectfill": rrect(1, 1, 126, 126, 20, 6)
    c = Cart(m)
    c.rrect(1, 1, 126, 126, 20, 6)
    assert c.pget(6, 6) == 0 and c.pget(8, 8) == 0 and c.pget(64, 64) == 0
    assert 6 in (c.pget(7, 7), c.pget(8, 7), c.pget(7, 8))
    c.cls()
    c.rrectfill(1, 1, 126, 126, 20, 6)
    assert c.pget(6, 6) == 0 and c.pget(8, 8) == 6 and c.pget(64, 64) == 6
    assert 6 in (c.pget(7, 7), c.pget(8, 7), c.pget(7, 8))


def test_inverted_rrectfill(m: Machine) -> None:
    c = Cart(m)
    c.poke(0x5F34, 2)
    c.clip(0, 0, 12, 10)
    c.rrectfill(1, 1, 10, 8, 3, 0x1800 + 7)
    c.clip()
    inside = rounded_ref(1, 1, 10, 8, 3)
    assert lit(m) == {(x, y) for x in range(12) for y in range(10)} - inside


# ---- lines ----

def ref_line(x0: int, y0: int, x1: int, y1: int) -> set[tuple[int, int]]:
    """Major axis steps; the minor coordinate rounds halves away from zero."""
    def rnd(n: int, d: int) -> int:
        if d < 0:
            n, d = -n, -d
        return (2 * n + d) // (2 * d) if n >= 0 else -((-2 * n + d) // (2 * d))
    dx, dy = x1 - x0, y1 - y0
    if dx == dy == 0:
        return {(x0, y0)}
    if abs(dx) >= abs(dy):
        return {(x, rnd(y0 * dx + dy * (x - x0), dx)) for x in range(min(x0, x1), max(x0, x1) + 1)}
    return {(rnd(x0 * dy + dx * (y - y0), dy), y) for y in range(min(y0, y1), max(y0, y1) + 1)}


def test_line_shapes(m: Machine) -> None:
    c = Cart(m)
    c.line(0, 0, 7, 3, 7)
    c.line(0, 5, 3, 9, 8)
    assert region(m, 0, 0, 8, 10) == art("""
        77......
        ..77....
        ....77..
        ......77
        ........
        8.......
        .8......
        ..8.....
        ..8.....
        ...8....
    """)


def test_line_same_both_directions(m: Machine) -> None:
    c = Cart(m)
    rng = random.Random(8)
    for _ in range(200):
        x0, y0, x1, y1 = (rng.randint(-20, 147) for _ in range(4))
        c.cls()
        c.line(x0, y0, x1, y1, 7)
        a = lit(m)
        c.cls()
        c.line(x1, y1, x0, y0, 7)
        assert lit(m) == a == on_screen(ref_line(x0, y0, x1, y1))


def test_femto8_line_checks(m: Machine) -> None:
    # femto8 carts/tests.p8 "line" and "line_end_points"
    c = Cart(m)
    c.line(90, 90, 80, 30, 3)
    assert c.pget(90, 90) == 3 and c.pget(80, 30) == 3 and c.pget(80, 31) == 3
    c.cls()
    c.color(2)
    c.line()
    c.line(20, 20)
    assert c.pget(20, 20) == 0
    c.color(3)
    c.line(5, 5)
    assert c.pget(20, 20) == 3 and c.pget(5, 5) == 3


def test_line_continuation_state_in_ram(m: Machine) -> None:
    c = Cart(m)
    assert c.peek(0x5F35) == 1            # no end point after reset
    c.line(10, 10, 12, 10, 7)
    assert c.peek(0x5F35) == 0
    assert bytes(m.ram[0x5F3C:0x5F40]) == bytes([12, 0, 10, 0])
    c.line(12, 12)                        # from (12, 10), pen colour
    c.line(14, 12, 9)                     # 3-argument form: colour 9
    assert region(m, 10, 10, 5, 3) == ["777..", "..7..", "..999"]
    c.poke(0x5F3C, 0xFF, 0xFF, 0, 0)      # poke the end point: (-1, 0)
    c.line(1, 0, 5)
    assert region(m, 0, 0, 3, 1) == ["55."]
    c.line(8)                             # line(col): forget, set the pen
    assert c.peek(0x5F35) == 1 and c.peek(0x5F25) == 8
    c.line(40, 40)
    assert c.pget(40, 40) == 0


def test_line_extreme_and_camera(m: Machine) -> None:
    c = Cart(m)
    c.line(-32768, 64, 32767, 64, 7)
    assert lit(m) == {(x, 64) for x in range(128)}
    c.cls()
    c.line(-32768, -32768, 32767, 32767, 7)
    assert lit(m) == on_screen(ref_line(-32768, -32768, 32767, 32767))
    assert (0, 0) in lit(m) and (127, 127) in lit(m)
    c.cls()
    c.camera(-5, -5)
    c.line(0, 0, 2, 0, 7)
    c.camera()
    assert lit(m) == {(5, 5), (6, 5), (7, 5)}
    assert bytes(m.ram[0x5F3C:0x5F40]) == bytes([2, 0, 0, 0])   # cart coordinates


# ---- ovals ----

def test_oval_touches_its_box(m: Machine) -> None:
    # femto8 carts/tests.p8 "oval" / "ovalfill": oval(40, 30, 80, 60, 7)
    c = Cart(m)
    c.oval(40, 30, 80, 60, 7)
    for (x, y), v in {(60, 45): 0, (40, 30): 0, (80, 60): 0, (60, 30): 7, (60, 60): 7,
                      (40, 45): 7, (80, 45): 7}.items():
        assert c.pget(x, y) == v
    c.cls()
    c.ovalfill(40, 30, 80, 60, 7)
    assert c.pget(60, 45) == 7 and c.pget(40, 30) == 0 and c.pget(80, 45) == 7


def test_oval_small_exact(m: Machine) -> None:
    c = Cart(m)
    c.oval(0, 0, 6, 4, 7)
    c.ovalfill(8, 0, 13, 4, 9)
    c.ovalfill(15, 0, 17, 2, 5)
    assert region(m, 0, 0, 18, 5) == art("""
        ...7......99....5.
        .77.77...9999..555
        7.....7.999999..5.
        .77.77...9999.....
        ...7......99......
    """)


def test_oval_outline_is_rim_of_fill(m: Machine) -> None:
    c = Cart(m)
    for box in [(10, 10, 70, 40), (5, 5, 6, 60), (0, 20, 127, 21), (30, 30, 31, 31), (-50, -20, 90, 100)]:
        c.cls()
        c.ovalfill(*box, 7)
        fill = lit(m)
        c.cls()
        c.oval(*box, 7)
        rim = {(x, y) for (x, y) in fill
               if any((x + a, y + b) not in fill and 0 <= x + a < 128 and 0 <= y + b < 128
                      for a, b in ((1, 0), (-1, 0), (0, 1), (0, -1)))}
        assert rim <= lit(m) <= fill
        # symmetric about the box centre
        x0, y0, x1, y1 = box
        assert all((x0 + x1 - x, y) in fill or not 0 <= x0 + x1 - x < 128 for x, y in fill)
        assert all((x, y0 + y1 - y) in fill or not 0 <= y0 + y1 - y < 128 for x, y in fill)


def test_oval_degenerate_and_extreme(m: Machine) -> None:
    c = Cart(m)
    c.oval(3, 3, 3, 3, 7)
    assert lit(m) == {(3, 3)}
    c.cls()
    c.ovalfill(2, 5, 9, 5, 7)             # zero height: a line
    assert lit(m) == {(x, 5) for x in range(2, 10)}
    c.cls()
    c.ovalfill(-32768, -32768, 32767, 32767, 7)
    assert count_drawn(m) == 128 * 128
    c.cls()
    c.oval(-32768, -32768, 32767, 32767, 7)
    assert count_drawn(m) == 0


def test_inverted_ovalfill(m: Machine) -> None:
    c = Cart(m)
    c.ovalfill(2, 2, 8, 6, 7)
    inside = lit(m)
    c.cls()
    c.poke(0x5F34, 3)
    c.ovalfill(2, 2, 8, 6, 0x1800 + 7)
    assert lit(m) == {(x, y) for x in range(128) for y in range(128)} - inside


def test_shapes_set_pen_even_when_nothing_drawn(m: Machine) -> None:
    c = Cart(m)
    c.circ(500, 500, 3, 11)
    assert c.peek(0x5F25) == 11
    c.rect(-100, -100, -90, -90, 4)
    assert c.peek(0x5F25) == 4
