"""The engine's fast paths against the same engine with them turned off.

The engine is built a second time with P8_REFERENCE=1 (p8_draw.h), where
every fast path (print's plain-character run, the glyph blit's pen, tline's
inner loop, pset's single-pixel path, ...) gives way to the general rule,
and both builds run the same random calls from the same RAM. After every
call the whole 64 KiB address space and the call's result must be
identical. The random draw state covers what the fast paths test for:
clip, camera, draw palette and transparency, fill pattern and its flags,
bitplanes, the screen and sprite-sheet remaps (including a screen over the
draw state itself), print attributes, the map remap and tline's masks.
"""
from __future__ import annotations

import random
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import pytest

from console._engine import ffi as fast_ffi
from console._engine import lib as fast_lib

ROM_SIZE = 0x8000


@pytest.fixture(params=["as built", "narrow sprite rows"])
def fast_engine(request: pytest.FixtureRequest) -> tuple[Any, Any]:
    """The fast build under test: the engine as built for this machine, and
    as a Cortex-M draws sprite rows (P8_WIDE_BLIT=0), whose paths a 64-bit
    desktop build never takes."""
    if request.param == "as built":
        return fast_ffi, fast_lib
    narrow = request.getfixturevalue("narrow_module")
    return narrow.ffi, narrow.lib


class Box:
    """One power-on machine of one build."""

    def __init__(self, ffi: Any, lib: Any, rom: bytes) -> None:
        self.ffi, self.lib = ffi, lib
        self.block = ffi.new("char[]", lib.p8_state_size())
        self.state = ffi.cast("p8_state *", self.block)
        self.rom = ffi.new("uint8_t[]", ROM_SIZE)
        ffi.buffer(self.rom, ROM_SIZE)[0:len(rom)] = rom
        lib.p8_set_rom_rw(self.state, self.rom)
        lib.p8_power_on(self.state)
        self.ram = ffi.buffer(lib.p8_ram(self.state), 0x10000)

    def call(self, name: str, *args: Any) -> Any:
        if name == "print":
            data, *rest = args
            buf = self.ffi.from_buffer("uint8_t[]", data)
            return self.lib.p8_print(self.state, buf, len(data), *rest)
        return getattr(self.lib, name)(self.state, *args)


def fx(v: float) -> int:
    raw = int(v * 65536) & 0xFFFFFFFF
    return raw - 0x100000000 if raw & 0x80000000 else raw


# Characters print strings are made of: mostly glyphs, some control codes
# with plausible parameters, so plain runs start and stop everywhere.
CONTROL = [b"\n", b"\r", b"\t", b"\b", b"\x01" + b"3", b"\x02" + b"5", b"\x03" + b"k",
           b"\x04" + b"g", b"\x05" + b"hj", b"\x0c" + b"8", b"\x0e", b"\x0f", b"\x0b" + b"3",
           b"\x06w", b"\x06-w", b"\x06t", b"\x06-t", b"\x06#", b"\x06-#", b"\x06i", b"\x06-i",
           b"\x06x2", b"\x06x5", b"\x06y3", b"\x06y9", b"\x06r8", b"\x06d0", b"\x06b", b"\x06-b",
           b"\x06=", b"\x06p", b"\x06-p", b"\x06s4", b"\x06g", b"\x06h", b"\x06j53"]


def random_text(rng: random.Random) -> bytes:
    out = bytearray()
    for _ in range(rng.randint(0, 40)):
        r = rng.random()
        if r < 0.8:
            out.append(rng.choice([rng.randrange(32, 127), rng.randrange(16, 256)]))
        else:
            out += rng.choice(CONTROL)
    return bytes(out)


def random_state(rng: random.Random, poke: Callable[[int, int], None]) -> None:
    """Change a few draw-state bytes, each to a value that matters."""
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(12)
        if kind == 0:
            poke(0x5F00 + rng.randrange(16), rng.choice([rng.randrange(16), 0x10 | rng.randrange(16)]))
        elif kind == 1:
            x0, x1 = sorted(rng.sample(range(140), 2))
            y0, y1 = sorted(rng.sample(range(140), 2))
            for i, v in enumerate((x0, y0, x1, y1) if rng.random() < 0.8 else (x1, y1, x0, y0)):
                poke(0x5F20 + i, v)
        elif kind == 2:
            for i in range(4):
                poke(0x5F28 + i, rng.choice([0, 0, rng.randrange(256), 0xFF]))
        elif kind == 3:
            poke(0x5F31, rng.choice([0, rng.randrange(256)]))
            poke(0x5F32, rng.choice([0, rng.randrange(256)]))
            poke(0x5F33, rng.choice([0, rng.randrange(8)]))
            poke(0x5F34, rng.choice([0, 0, 1, 3]))
        elif kind == 4:
            poke(0x5F5E, rng.choice([0xFF, 0xFF, rng.randrange(256)]))
        elif kind == 5:
            poke(0x5F55, rng.choice([0x60, 0x60, 0x00, 0x40, 0x48, 0x5F, 0x80, 0xE0, 0xFF]))
        elif kind == 6:
            poke(0x5F54, rng.choice([0x00, 0x00, 0x60, 0x80, 0xF0]))
        elif kind == 7:
            poke(0x5F58, rng.choice([0, 0, rng.randrange(256)]))
            poke(0x5F59, rng.choice([0, rng.randrange(256)]))
            poke(0x5F5A, rng.choice([0, rng.randrange(256)]))
            poke(0x5F5B, rng.choice([0, rng.randrange(256)]))
        elif kind == 8:
            poke(0x5F36, rng.choice([0, 0x80, 0x40, 0x04, 0x08, 0x10, rng.randrange(256)]))
        elif kind == 9:
            for i in range(4):
                poke(0x5F38 + i, rng.choice([0, rng.randrange(256), rng.randrange(1, 33)]))
        elif kind == 10:
            poke(0x5F56, rng.choice([0x20, 0x20, 0x10, 0x80, rng.randrange(256)]))
            poke(0x5F57, rng.choice([0, 0, rng.randrange(256)]))
        else:
            poke(0x5F60 + rng.randrange(16), rng.randrange(256))


def random_call(rng: random.Random) -> tuple[str, tuple[Any, ...]]:
    def coord() -> int:
        return fx(rng.choice([rng.randint(-10, 138), rng.randint(-300, 300), rng.uniform(-20, 150)]))

    def colour() -> int:
        return rng.choice([fx(rng.randrange(16)), fx(rng.randrange(256)), rng.randrange(-2**31, 2**31)])

    kind = rng.choice([0, 0, 1, 1, 2, 3, 4, 4, 4, 5, 6, 7, 8, 8, 9, 9, 10, 10])
    if kind == 0:
        return "print", (random_text(rng), coord(), coord(), colour(), rng.randint(1, 4))
    if kind == 1:
        return "p8_pset", (coord(), coord(), colour(), rng.choice([2, 3]))
    if kind == 2:
        return "p8_pget", (coord(), coord())
    if kind == 3:
        return "p8_sget", (coord(), coord())
    if kind == 4:
        # mostly rows and columns (tline's own loop), some slopes and points
        x0, y0, x1, y1 = coord(), coord(), coord(), coord()
        shape = rng.randrange(8)
        if shape < 4:
            y1 = y0
        elif shape < 6:
            x1 = x0
        elif shape == 6:
            x1, y1 = x0, y0
        return "p8_tline", (x0, y0, x1, y1, fx(rng.uniform(-4, 40)), fx(rng.uniform(-4, 40)),
                            fx(rng.uniform(-1, 1)), fx(rng.uniform(-1, 1)),
                            fx(rng.choice([0, 0, rng.randrange(256)])))
    if kind == 5:
        return "p8_tline_precision", (fx(rng.choice([13, 13, 16, 17, 28, 29, 31, rng.randrange(32)])),)
    if kind == 7:
        return "p8_map", (fx(rng.randint(-4, 130)), fx(rng.randint(-4, 70)), coord(), coord(),
                          fx(rng.randint(-2, 20)), fx(rng.randint(-2, 20)),
                          fx(rng.choice([0, 0, rng.randrange(256)])), rng.randint(2, 7))
    if kind == 10:
        # line in all its forms: to the last end point (argc 2, 3) and from
        # (x0, y0) (argc 4, 5); with 2 or 3 arguments the colour is in x1.
        # Some rows (a span fill) and columns.
        x0, y0, x1, y1 = coord(), coord(), rng.choice([coord(), colour()]), coord()
        shape = rng.randrange(4)
        if shape == 0:
            y1 = y0
        elif shape == 1:
            x1 = x0
        return "p8_line", (x0, y0, x1, y1, colour(), rng.choice([2, 3, 4, 4, 5, 5]))
    if kind == 9:
        # filled shapes: spans with and without the fill pattern (colour()
        # sets one when 0x5f34 & 1 and the argument carries it)
        if rng.random() < 0.5:
            return rng.choice(["p8_rectfill", "p8_rect"]), (coord(), coord(), coord(), coord(), colour(),
                                                          rng.choice([4, 5]))
        return "p8_circfill", (coord(), coord(), fx(rng.choice([rng.randint(0, 40), rng.uniform(0, 90)])),
                               colour(), rng.choice([3, 4]))
    if kind == 8:
        # stretched, shrunk, flipped (by flag and by negative size), partly
        # off the sheet; argc 6 leaves dw, dh at sw, sh
        def size() -> int:
            return fx(rng.choice([rng.randint(1, 16), rng.randint(-16, 140), rng.uniform(-40, 140)]))
        return "p8_sspr", (fx(rng.randint(-8, 130)), fx(rng.randint(-8, 130)), size(), size(),
                           coord(), coord(), size(), size(), rng.randrange(2), rng.randrange(2),
                           rng.choice([6, 8, 10]))
    return "p8_spr", (fx(rng.randrange(256)), coord(), coord(), fx(rng.uniform(0.5, 3)),
                      fx(rng.uniform(0.5, 3)), rng.randrange(2), rng.randrange(2))


@pytest.mark.parametrize("seed", range(12))
def test_fast_paths_leave_the_same_ram_as_the_reference(ref_module: ModuleType, seed: int,
                                                        fast_engine: tuple[Any, Any]) -> None:
    rng = random.Random(seed)
    rom = bytes(rng.randrange(256) for _ in range(0x4300))
    fast = Box(*fast_engine, rom)
    ref = Box(ref_module.ffi, ref_module.lib, rom)
    start = bytes(rng.randrange(256) for _ in range(0x10000))
    fast.ram[0:0x5F00] = start[:0x5F00]
    ref.ram[0:0x5F00] = start[:0x5F00]
    fast.ram[0x6000:] = start[0x6000:]
    ref.ram[0x6000:] = start[0x6000:]
    for step in range(250):
        if rng.random() < 0.3:
            pokes: list[tuple[int, int]] = []
            random_state(rng, lambda a, v: pokes.append((a, v)))
            for a, v in pokes:
                fast.ram[a] = bytes([v])
                ref.ram[a] = bytes([v])
        name, args = random_call(rng)
        got, want = fast.call(name, *args), ref.call(name, *args)
        assert got == want, (seed, step, name, args)
        if fast.ram[:] != ref.ram[:]:
            a, b = bytes(fast.ram), bytes(ref.ram)
            first = next(i for i in range(0x10000) if a[i] != b[i])
            pytest.fail(f"seed {seed} step {step}: {name}{args} left different RAM from 0x{first:04x}")


@pytest.mark.parametrize("page", [0x48, 0x40, 0x5F])
def test_text_on_a_screen_over_the_draw_state(ref_module: ModuleType, page: int) -> None:
    """Glyphs written into 0x5f00.. (screen remapped there) change the clip,
    camera and palette that the following glyphs of the same string see."""
    fast = Box(fast_ffi, fast_lib, b"")
    ref = Box(ref_module.ffi, ref_module.lib, b"")
    text = b"#" * 32 + b"\n" + b"@" * 32 + b"\n" + bytes(range(0x80, 0xA0))
    row = (0x5F00 - page * 256) // 64      # screen row holding 0x5f00
    for y in range(row - 8, row + 3):
        for box in (fast, ref):
            box.lib.p8_power_on(box.state)
            box.ram[0x5F55] = bytes([page])
        got, want = fast.call("print", text, fx(0), fx(y), fx(7), 4), ref.call("print", text, fx(0), fx(y), fx(7), 4)
        assert got == want
        assert fast.ram[:] == ref.ram[:], y


def test_tline_rows_and_columns_at_the_clip_edges(ref_module: ModuleType) -> None:
    """Rows and columns of tline on, just inside and just outside each edge
    of the clip rectangle, in both directions, with and without a palette
    that hides colours."""
    rng = random.Random(7)
    rom = bytes(rng.randrange(256) for _ in range(0x4300))
    fast = Box(fast_ffi, fast_lib, rom)
    ref = Box(ref_module.ffi, ref_module.lib, rom)
    sheet_map = bytes(rng.randrange(256) for _ in range(0x3100))
    edges = [x for e in (10, 50) for x in range(e - 2, e + 3)]
    for box in (fast, ref):
        box.ram[0:0x3100] = sheet_map
        box.ram[0x5F20:0x5F24] = bytes([10, 20, 50, 60])
    for palt in (0x00, 0x10):
        for box in (fast, ref):
            box.ram[0x5F03] = bytes([palt | 3])
        for a in edges + [e + 10 for e in edges]:
            for back in (False, True):
                lo, hi = (90, -5) if back else (-5, 90)
                calls = [(fx(lo), fx(a), fx(hi), fx(a)), (fx(a), fx(lo), fx(a), fx(hi))]
                for x0, y0, x1, y1 in calls:
                    args = (x0, y0, x1, y1, fx(1.5), fx(20.25), fx(0.37), fx(-0.11), 0)
                    fast.call("p8_tline", *args)
                    ref.call("p8_tline", *args)
                    assert fast.ram[:] == ref.ram[:], (palt, a, back, args)
    # the texture stays on the map: the lines really drew something
    assert sum(1 for b in fast.ram[0x6000:0x8000] if b != 0) > 300


def sprite_calls(y: int) -> list[tuple[str, tuple[Any, ...]]]:
    """spr (plain, flipped, wide), map and tline calls whose pixels land on
    screen row y and the rows after it."""
    return [("p8_spr", (fx(3), fx(0), fx(y), fx(16), fx(2), 0, 0)),
            ("p8_spr", (fx(17), fx(1), fx(y), fx(16), fx(2), 1, 1)),
            ("p8_map", (0, 0, fx(0), fx(y), fx(16), fx(4), 0, 6)),
            ("p8_tline", (fx(0), fx(y), fx(127), fx(y + 3), fx(1.5), fx(2.25), fx(0.37), fx(0.01), 0))]


@pytest.mark.parametrize("page", [0x48, 0x40, 0x5F])
def test_sprites_on_a_screen_over_the_draw_state(ref_module: ModuleType, page: int,
                                                 fast_engine: tuple[Any, Any]) -> None:
    """spr, map and tline pixels drawn into 0x5f00.. (screen remapped there)
    change the palette, clip and camera the next pixels are drawn through,
    and map cells move the map itself (0x5f56/0x5f57) for the cells after."""
    rng = random.Random(page)
    fill = bytes(rng.randrange(256) for _ in range(0x3100))
    fast = Box(*fast_engine, b"")
    ref = Box(ref_module.ffi, ref_module.lib, b"")
    row = (0x5F00 - page * 256) // 64      # screen row holding 0x5f00
    for y in range(row - 8, row + 2, 3):
        for name, args in sprite_calls(y):
            for box in (fast, ref):
                box.lib.p8_power_on(box.state)
                box.ram[0:0x3100] = fill
                box.ram[0x5F55] = bytes([page])
            fast.call(name, *args)
            ref.call(name, *args)
            assert fast.ram[:] == ref.ram[:], (name, y)


def test_lines_across_the_clip_edges(ref_module: ModuleType) -> None:
    """Lines whose minor coordinate crosses each edge of the clip rectangle
    (the line walk clips only the major one), steep and shallow, both
    directions, on the default clip and a smaller one, camera moved."""
    fast = Box(fast_ffi, fast_lib, b"")
    ref = Box(ref_module.ffi, ref_module.lib, b"")
    for clip in (bytes([0, 0, 128, 128]), bytes([10, 20, 50, 60])):
        for box in (fast, ref):
            box.lib.p8_power_on(box.state)
            box.ram[0x5F20:0x5F24] = clip
            box.ram[0x5F28:0x5F2C] = bytes([3, 0, 0xFE, 0xFF])      # camera (3, -2)
        x0, y0, x1, y1 = clip[0], clip[1], clip[2], clip[3]
        for edge in range(-3, 4):
            for a, b, c, d in ((x0 + edge, y0 - 40, x0 + edge + 2, y1 + 40),     # steep, left edge
                               (x1 + edge, y0 - 40, x1 + edge - 2, y1 + 40),     # steep, right edge
                               (x0 - 40, y0 + edge, x1 + 40, y0 + edge + 2),     # shallow, top
                               (x0 - 40, y1 + edge, x1 + 40, y1 + edge - 2),     # shallow, bottom
                               (x0 - 40, y0 + edge, x1 + 40, y0 + edge),         # rows: a span
                               (x0 + edge, y1 + edge, x1 + edge, y1 + edge),
                               (x1 + edge, y1 + edge, x1 + edge, y1 + edge),     # a point
                               (x0 + edge, y0 - 40, x0 + edge, y1 + 40)):        # a column
                for args in ((a, b, c, d), (c, d, a, b)):
                    call = tuple(fx(v) for v in args) + (fx(7 + edge), 5)
                    fast.call("p8_line", *call)
                    ref.call("p8_line", *call)
                    assert fast.ram[:] == ref.ram[:], (clip, args)
    assert sum(1 for b in fast.ram[0x6000:0x8000] if b != 0) > 100


REMAPPED = bytes(((c * 7) & 15) | (0x10 if c in (2, 9) else 0) for c in range(16))


@pytest.mark.parametrize("pages", [(0x00, 0x60), (0xE0, 0x60), (0x00, 0xE0), (0x80, 0xA0)])
@pytest.mark.parametrize("palette", ["hides 0", "hides 5", "hides none", "remaps, hides two"])
def test_sprite_blocks_through_each_kind_of_palette(ref_module: ModuleType, palette: str,
                                                    pages: tuple[int, int],
                                                    fast_engine: tuple[Any, Any]) -> None:
    """spr's blocks (sheet_block): through a palette that maps each colour to
    itself and hides one (whole bytes, or eight pixels a word at any
    parity), one that hides none, and one that remaps and hides two
    (put_pair); flipped and not, each x parity, widths cut at every
    remainder of 8, partly off the clip rectangle and the screen; with the
    sheet and the screen (0x5f54, 0x5f55) where their last rows end at the
    top of RAM, where the word paths must not read or write past it."""
    rng = random.Random(11)
    fast = Box(*fast_engine, b"")
    ref = Box(ref_module.ffi, ref_module.lib, b"")
    sheet = bytes(rng.randrange(256) for _ in range(0x2000))
    pal = {"hides 0": bytes(c | (0x10 if c == 0 else 0) for c in range(16)),
           "hides 5": bytes(c | (0x10 if c == 5 else 0) for c in range(16)),
           "hides none": bytes(range(16)), "remaps, hides two": REMAPPED}[palette]
    sheet_page, screen_page = pages
    for box in (fast, ref):
        box.lib.p8_power_on(box.state)
        box.ram[sheet_page * 256:sheet_page * 256 + 0x2000] = sheet
        box.ram[0x5F54:0x5F56] = bytes(pages)
        box.ram[0x5F20:0x5F24] = bytes([3, 0, 120, 128])
        box.ram[0x5F00:0x5F10] = pal
    for x in range(-9, 10):
        for n, w in ((1, 1.0), (17, 2.0), (40, 0.625), (77, 1.5), (5, 0.125), (200, 0.25), (3, 0.375),
                     (90, 0.875), (33, 2.75), (14, 1.125), (250, 2.875)):
            for flip in (0, 1):
                args = (fx(n), fx(x * 7 + 1), fx(x * 5), fx(w), fx(1.5), flip, x & 1)
                fast.call("p8_spr", *args)
                ref.call("p8_spr", *args)
                assert fast.ram[:] == ref.ram[:], (palette, pages, args)
    screen = fast.ram[screen_page * 256:screen_page * 256 + 0x2000]
    assert sum(1 for b in screen if b != 0) > 400


@pytest.mark.parametrize("palette", ["hides 0", "remaps, hides two"])
def test_sprites_drawn_from_the_screen_onto_itself(ref_module: ModuleType, palette: str,
                                                   fast_engine: tuple[Any, Any]) -> None:
    """With the sheet on the screen (0x5f54 = 0x60), spr, map and an sspr at
    its own size read pixels that the same call has drawn: a block drawn a
    pixel or a row from where it is read smears, each pixel read after those
    drawn before it, as the reference draws it."""
    rng = random.Random(23)
    fast = Box(*fast_engine, b"")
    ref = Box(ref_module.ffi, ref_module.lib, b"")
    screen = bytes(rng.randrange(256) for _ in range(0x2000))
    cells = bytes(rng.randrange(256) for _ in range(0x1000))
    pal = bytes(c | (0x10 if c == 0 else 0) for c in range(16)) if palette == "hides 0" else REMAPPED
    calls = []
    for n in (0, 17, 85, 238):
        ox, oy = n % 16 * 8, n // 16 * 8
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1), (3, 2), (-2, -3), (8, 0)):
            for flip in (0, 1):
                calls.append(("p8_spr", (fx(n), fx(ox + dx), fx(oy + dy), fx(2), fx(1.5), flip, 0)))
            calls.append(("p8_sspr", (fx(ox), fx(oy), fx(12), fx(7), fx(ox + dx), fx(oy + dy), 0, 0, 0, 0, 6)))
    calls += [("p8_map", (fx(cx), fx(cy), fx(x), fx(y), fx(5), fx(4), 0, 6))
              for cx, cy, x, y in ((0, 0, 1, 0), (3, 1, 0, 1), (7, 2, -1, -2), (1, 5, 9, 3))]
    for name, args in calls:
        for box in (fast, ref):
            box.lib.p8_power_on(box.state)
            box.ram[0x2000:0x3000] = cells
            box.ram[0x6000:0x8000] = screen
            box.ram[0x5F54] = bytes([0x60])
            box.ram[0x5F00:0x5F10] = pal
        fast.call(name, *args)
        ref.call(name, *args)
        assert fast.ram[:] == ref.ram[:], (palette, name, args)
        assert fast.ram[0x6000:0x8000] != screen, (name, args)    # the call drew


@pytest.mark.parametrize("sheet_page", [0x00, 0x60])
def test_sspr_with_the_sheet_apart_and_on_the_screen(ref_module: ModuleType, sheet_page: int,
                                                     fast_engine: tuple[Any, Any]) -> None:
    """sspr drawn at its own size takes spr's block path in the fast build,
    and stretched with the screen as the sheet a pixel-by-pixel path:
    every sheet x and y (both parities, partly off the sheet), both flips by
    flag and by a negative size, the 6-argument form, widths cut at odd
    sizes, at the clip edges; the sheet apart from the screen and the screen
    itself as the sheet (0x5f54 = 0x60: each row read after the rows drawn
    before it)."""
    rng = random.Random(sheet_page)
    fast = Box(*fast_engine, b"")
    ref = Box(ref_module.ffi, ref_module.lib, b"")
    fill = bytes(rng.randrange(256) for _ in range(0x2000))
    for box in (fast, ref):
        box.lib.p8_power_on(box.state)
        box.ram[0:0x2000] = fill
        box.ram[0x6000:0x8000] = fill
        box.ram[0x5F54] = bytes([sheet_page])
        box.ram[0x5F20:0x5F24] = bytes([3, 2, 121, 126])
        box.ram[0x5F00:0x5F10] = REMAPPED if sheet_page else bytes(c | (0x10 if c == 0 else 0) for c in range(16))
    for sx in (-5, 0, 1, 6, 63, 120, 125):
        for sw, sh in ((8, 8), (13, 5), (1, 9), (40, 3)):
            for x in (-7, 0, 2, 5, 90, 117):
                y = (sx * 3 + x) % 140 - 8
                sy = (x * 5 + sw) % 136 - 4
                for fxf, fyf in ((0, 0), (1, 0), (0, 1), (1, 1)):
                    for args in ((fx(sx), fx(sy), fx(sw), fx(sh), fx(x), fx(y), fx(sw), fx(sh), fxf, fyf, 10),
                                 (fx(sx), fx(sy), fx(sw), fx(sh), fx(x), fx(y), fx(-sw), fx(sh), fxf, fyf, 10),
                                 (fx(sx), fx(sy), fx(sw), fx(sh), fx(x), fx(y), 0, 0, 0, 0, 6),
                                 # stretched: sampled, pixel by pixel when the sheet is the screen
                                 (fx(sx), fx(sy), fx(sw), fx(sh), fx(x), fx(y), fx(2 * sw - 1), fx(sh + 3), fxf, fyf, 10)):
                        fast.call("p8_sspr", *args)
                        ref.call("p8_sspr", *args)
                        assert fast.ram[:] == ref.ram[:], (sheet_page, args)


def test_small_shapes_at_every_parity_and_clip_edge(ref_module: ModuleType) -> None:
    """Shapes drawn a span at a time (rectfill, rect, circfill, circ, ovalfill,
    rrectfill, inverted rectfill) a few pixels wide, at every x parity, across
    the clip rectangle's edges, solid and with a fill pattern, on the screen
    and on a screen remapped over the draw state."""
    rng = random.Random(19)
    fast = Box(fast_ffi, fast_lib, b"")
    ref = Box(ref_module.ffi, ref_module.lib, b"")
    screen = bytes(rng.randrange(256) for _ in range(0x2000))
    for page, pattern, flags, clip in ((0x60, 0, 0, (0, 0, 128, 128)), (0x60, 0, 0, (9, 4, 47, 61)),
                                       (0x60, 0x5A5A, 0, (9, 4, 47, 61)),
                                       (0x60, 0x36C9, 1, (0, 0, 128, 128)),
                                       (0x00, 0, 0, (0, 0, 128, 128)), (0x48, 0, 0, (0, 0, 128, 128))):
        for box in (fast, ref):
            box.lib.p8_power_on(box.state)
            box.ram[0x6000:0x8000] = screen
            box.ram[0x5F55] = bytes([page])
            box.ram[0x5F20:0x5F24] = bytes(clip)
            box.ram[0x5F31:0x5F33] = bytes([pattern & 0xFF, pattern >> 8])
            box.ram[0x5F33] = bytes([flags & 1])         # the pattern's set bits transparent
            box.ram[0x5F34] = bytes([2])                 # inverted fills allowed
            box.ram[0x5F07] = bytes([11])                # the draw palette moves colour 7
        for x in range(clip[0] - 3, clip[0] + 4):
            for w in range(0, 19):
                y = 10 + (x + w) % 40
                calls = [("p8_rectfill", (fx(x), fx(y), fx(x + w), fx(y + 2), fx(7), 5)),
                         ("p8_rect", (fx(x + w), fx(y), fx(x), fx(y + 3 + w % 3), fx(12), 5)),
                         ("p8_circfill", (fx(x + w), fx(y), fx(w // 2), fx(7), 4)),
                         ("p8_circ", (fx(clip[2] - w), fx(y), fx(w // 3), fx(9), 4)),
                         ("p8_ovalfill", (fx(x), fx(y), fx(x + w), fx(y + w // 2), fx(7), 5)),
                         ("p8_rrectfill", (fx(clip[2] - 2 - w), fx(y), fx(w + 1), fx(5), fx(2), fx(7), 6))]
                if w == 5:
                    calls.append(("p8_rectfill", (fx(x + 20), fx(y), fx(x + 30), fx(y + 20),
                                                  fx(7) | 0x1800 << 16, 5)))
                for name, args in calls:
                    fast.call(name, *args)
                    ref.call(name, *args)
                    assert fast.ram[:] == ref.ram[:], (page, pattern, flags, clip, name, args)


def test_shapes_and_lines_under_every_bitplane_mask(ref_module: ModuleType) -> None:
    """Every 0x5f5e value over a random screen: lines (sloped, rows, columns,
    points) and filled and outlined shapes, solid and with a fill pattern,
    each pixel (old & ~w) | (c & w & r) as put() writes it."""
    rng = random.Random(23)
    fast = Box(fast_ffi, fast_lib, b"")
    ref = Box(ref_module.ffi, ref_module.lib, b"")
    screen = bytes(rng.randrange(256) for _ in range(0x2000))
    for box in (fast, ref):
        box.ram[0x6000:0x8000] = screen
        box.ram[0x5F07] = bytes([11])                    # the draw palette moves colour 7
    for planes in range(256):
        for box in (fast, ref):
            box.ram[0x5F5E] = bytes([planes])
        col = fx(rng.choice([7, 9, 15, 0x8B]))
        x, y = rng.randrange(-4, 120), rng.randrange(-4, 120)
        calls = [("p8_line", (fx(x), fx(y), fx(x + rng.randint(-40, 40)), fx(y + rng.randint(-40, 40)), col, 5)),
                 ("p8_line", (fx(x), fx(y), fx(x + 30), fx(y), col, 5)),
                 ("p8_line", (fx(x), fx(y), fx(x), fx(y - 30), col, 5)),
                 ("p8_line", (fx(x + 3), fx(y + 3), fx(x + 3), fx(y + 3), col, 5)),
                 ("p8_rectfill", (fx(x), fx(y), fx(x + rng.randint(0, 20)), fx(y + 5), col, 5)),
                 ("p8_circ", (fx(x), fx(y), fx(rng.randint(1, 9)), col, 4)),
                 ("p8_fillp", (fx(0x5A5A) | (0x8000 if planes & 1 else 0), 1)),
                 ("p8_circfill", (fx(x), fx(y), fx(rng.randint(0, 9)), col, 4)),
                 ("p8_line", (fx(x), fx(y + 9), fx(x + 25), fx(y - 9), col, 5)),
                 ("p8_fillp", (0, 1))]
        for name, args in calls:
            fast.call(name, *args)
            ref.call(name, *args)
            assert fast.ram[:] == ref.ram[:], (planes, name, args)
