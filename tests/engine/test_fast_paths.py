"""The engine's fast paths against plain models of what they must do.

print's glyph blit (two pixels per screen byte), the line walk's exact
32-bit stepping of the minor coordinate, and tline on top of it are checked
pixel for pixel against Python models of the rules: clip rectangle, camera,
draw palette, bitplanes, and the rounding of the line's minor coordinate
(halves away from zero). The fix32 forms the Cortex-M0+ build uses (16x16
partial products for `*`, 32-bit long division for `/` and integer division,
32-bit `%`, `^` with a whole exponent and sqrt without 64-bit operations)
are built for the host with P8_FIX_NARROW=1 and checked against
tests/support/fix32_model.py.
"""
from __future__ import annotations

import math
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import support.fix32_model as fm
from console._engine import ffi, lib
from console.machine import Machine, to_fix

ENGINE = Path(__file__).resolve().parents[2] / "console" / "engine"

CLIP, CAMERA, DRAWPAL, PLANES = 0x5F20, 0x5F28, 0x5F00, 0x5F5E


def prt(m: Machine, data: bytes, x: int, y: int, col: int) -> None:
    buf = ffi.from_buffer("uint8_t[]", data)
    lib.p8_print(m.state, buf, len(data), to_fix(x), to_fix(y), to_fix(col), 4)


def set_camera(m: Machine, cx: int, cy: int) -> None:
    m.ram[CAMERA:CAMERA + 4] = bytes([cx & 0xFF, (cx >> 8) & 0xFF, cy & 0xFF, (cy >> 8) & 0xFF])


def glyph_model(before: list[list[int]], rows: list[int], sx0: int, sy0: int, clip: tuple[int, int, int, int],
                colour: int, planes: int) -> list[list[int]]:
    """The screen after the set bits of `rows` (bit c = column c) are drawn
    at screen (sx0, sy0) in `colour` (after the draw palette)."""
    x0, y0, x1, y1 = clip
    out = [row[:] for row in before]
    w, r = planes & 15, planes >> 4
    for j, bits in enumerate(rows):
        for i in range(8):
            sx, sy = sx0 + i, sy0 + j
            if (bits >> i) & 1 and x0 <= sx < x1 and y0 <= sy < y1:
                out[sy][sx] = (out[sy][sx] & ~w & 15) | (colour & w & r)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_custom_glyph_blit_matches_model(m: Machine, seed: int) -> None:
    rng = random.Random(seed)
    # an 8x8 custom font: every glyph 8 columns wide and 8 rows tall
    m.ram[0x5600:0x5608] = bytes([8, 8, 8, 0, 0, 0, 0, 0])
    for case in range(60):
        ch = rng.randrange(16, 256)
        if ch in (0x5C, 0x7F):              # keep to plain glyph characters
            ch = 0x41
        rows = [rng.randrange(256) for _ in range(8)]
        m.ram[0x5600 + ch * 8:0x5608 + ch * 8] = bytes(rows)
        screen = bytes(rng.randrange(256) for _ in range(0x2000))
        m.ram[0x6000:0x8000] = screen
        clip = sorted(rng.sample(range(129), 2)), sorted(rng.sample(range(129), 2))
        m.ram[CLIP:CLIP + 4] = bytes([clip[0][0], clip[1][0], clip[0][1], clip[1][1]])
        cx, cy = rng.randint(-20, 20), rng.randint(-20, 20)
        set_camera(m, cx, cy)
        pal = rng.randrange(16)
        col = rng.randrange(16)
        m.ram[DRAWPAL + col] = pal
        planes = 0xFF if case % 3 else rng.randrange(256)
        m.ram[PLANES] = planes
        x, y = rng.randint(-12, 130), rng.randint(-12, 130)
        before = m.screen_pixels()
        prt(m, b"\x0e" + bytes([ch]), x, y, col)
        want = glyph_model(before, rows, x - cx, y - cy,
                           (clip[0][0], clip[1][0], clip[0][1], clip[1][1]), pal, planes)
        assert m.screen_pixels() == want, (seed, case, ch, x, y, cx, cy)


def lit_pixels(m: Machine) -> set[tuple[int, int]]:
    px = m.screen_pixels()
    return {(i, j) for j in range(128) for i in range(128) if px[j][i]}


def test_builtin_glyphs_at_odd_and_even_x(m: Machine) -> None:
    # the 3x5 and 7x5 built-in glyphs, written a screen byte at a time, are
    # the same pattern one pixel further right when x is one more, whatever
    # the parity, and only in the pen's colour
    for x in (0, 1, 2, 3, 120, 121, 124, 125, -1, -2, -5, -6):
        for text in (b"#", b"\x80", b"\x81", b"w", b"\x8b"):
            m.ram[0x6000:0x8000] = bytes(0x2000)
            prt(m, text, x, 7, 9)
            here = lit_pixels(m)
            assert (here or x < -2) and all(m.screen_pixels()[j][i] == 9 for (i, j) in here)
            m.ram[0x6000:0x8000] = bytes(0x2000)
            prt(m, text, x + 1, 7, 9)
            moved = lit_pixels(m)
            assert {(i + 1, j) for (i, j) in here if i + 1 < 128} == {(i, j) for (i, j) in moved if i > 0}


def ref_minor(b0: int, b1: int, t: int, d: int) -> int:
    """round(b0 + (b1 - b0) * t / d), halves away from zero."""
    n, q = b0 * d + (b1 - b0) * t, d
    if q < 0:
        n, q = -n, -q
    return (2 * n + q) // (2 * q) if n >= 0 else -((-2 * n + q) // (2 * q))


def ref_line(x0: int, y0: int, x1: int, y1: int, clip: tuple[int, int, int, int]) -> set[tuple[int, int]]:
    cx0, cy0, cx1, cy1 = clip
    dx, dy = x1 - x0, y1 - y0
    pts = set()
    if dx == dy == 0:
        pts = {(x0, y0)}
    elif abs(dx) >= abs(dy):
        pts = {(x, ref_minor(y0, y1, x - x0, dx)) for x in range(max(min(x0, x1), cx0), min(max(x0, x1), cx1 - 1) + 1)}
    else:
        pts = {(ref_minor(x0, x1, y - y0, dy), y) for y in range(max(min(y0, y1), cy0), min(max(y0, y1), cy1 - 1) + 1)}
    return {(x, y) for x, y in pts if cx0 <= x < cx1 and cy0 <= y < cy1}


def test_line_walk_matches_model_over_wide_coordinates(m: Machine) -> None:
    rng = random.Random(18)
    for case in range(400):
        span = rng.choice([8, 40, 200, 3000, 32767])
        x0, y0, x1, y1 = (rng.randint(-span, span) for _ in range(4))
        if case % 5 == 0:                    # lines through the screen
            x0, y0 = rng.randint(-span, 0), rng.randint(-span, 0)
            x1, y1 = rng.randint(127, 127 + span), rng.randint(127, 127 + span)
        clip = (rng.randint(0, 60), rng.randint(0, 60), rng.randint(64, 128), rng.randint(64, 128))
        m.ram[0x6000:0x8000] = bytes(0x2000)
        m.ram[CLIP:CLIP + 4] = bytes(clip)
        lib.p8_line(m.state, to_fix(x0), to_fix(y0), to_fix(x1), to_fix(y1), to_fix(7), 5)
        px = m.screen_pixels()
        lit = {(i, j) for j in range(128) for i in range(128) if px[j][i]}
        assert lit == ref_line(x0, y0, x1, y1, clip), (x0, y0, x1, y1, clip)


def test_tline_steps_like_the_line(m: Machine) -> None:
    # a map of solid tiles: tline lights exactly the pixels line() lights
    m.ram[0x0000:0x2000] = bytes([0x77]) * 0x2000      # sprite sheet colour 7
    m.ram[0x2000:0x3000] = bytes([1]) * 0x1000         # every map cell sprite 1
    rng = random.Random(5)
    for _ in range(150):
        x0, y0, x1, y1 = (rng.randint(-60, 190) for _ in range(4))
        m.ram[0x6000:0x8000] = bytes(0x2000)
        lib.p8_tline(m.state, to_fix(x0), to_fix(y0), to_fix(x1), to_fix(y1), 0, 0,
                     to_fix(0.125), 0, 0)
        px = m.screen_pixels()
        lit = {(i, j) for j in range(128) for i in range(128) if px[j][i]}
        assert lit == ref_line(x0, y0, x1, y1, (0, 0, 128, 128)), (x0, y0, x1, y1)


# ---- fix32 with 32-bit operations only (the Cortex-M0+ forms) ----------------

NARROW_HARNESS = r"""
#include <stdio.h>
#include "p8_fix.c"
/* pairs of raw fix32 (hex) in, mul div idiv mod, sqrt(a), a^n with the
** whole n = b mod 21 - 4, and a^2 (hex) out, one line each */
int main(void) {
  unsigned long a, b;
  while (scanf("%lx %lx", &a, &b) == 2) {
    fix32 x = (fix32)(int32_t)(uint32_t)a, y = (fix32)(int32_t)(uint32_t)b;
    fix32 n = P8_FIX((int32_t)((uint32_t)b % 21u) - 4);
    printf("%08x %08x %08x %08x %08x %08x %08x %08x\n", (unsigned)p8_fixi_mul(x, y),
           (unsigned)p8_fixi_mul_parts(x, y), (unsigned)p8_fix_div(x, y),
           (unsigned)p8_fix_idiv(x, y), (unsigned)p8_fix_mod(x, y),
           (unsigned)p8_fix_sqrt(x), (unsigned)p8_fix_pow(x, n),
           (unsigned)p8_fix_pow(x, P8_FIX(2)));
  }
  return 0;
}
"""


@pytest.fixture(scope="module")
def narrow(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A host build of p8_fix.c with P8_FIX_NARROW=1 (what the M0+ runs)."""
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler found (gcc or cc) to build the fix32 harness")
    tmp = tmp_path_factory.mktemp("narrow")
    src = tmp / "narrow.c"
    src.write_text(NARROW_HARNESS)
    exe = tmp / "narrow"
    done = subprocess.run([cc, "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-DP8_FIX_NARROW=1",
                           f"-I{ENGINE}", str(src), str(ENGINE / "p8_trig_table.c"), "-o", str(exe)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return exe


def check_narrow(exe: Path, pairs: list[tuple[int, int]]) -> None:
    text = "".join(f"{a & 0xFFFFFFFF:x} {b & 0xFFFFFFFF:x}\n" for a, b in pairs)
    out = subprocess.run([str(exe)], input=text, capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    assert len(lines) == len(pairs)
    for (a, b), line in zip(pairs, lines):
        got = [fm.wrap(int(h, 16)) for h in line.split()]
        n = ((b & 0xFFFFFFFF) % 21 - 4) << 16
        want = [fm.mul(a, b), fm.mul(a, b), fm.div(a, b), fm.idiv(a, b), fm.mod(a, b),
                math.isqrt(a << 16) if a > 0 else 0, fm.pow(a, n), fm.pow(a, 2 << 16)]
        assert got == want, (fm.hexs(a), fm.hexs(b), [fm.hexs(v) for v in got], [fm.hexs(v) for v in want])


EDGES = sorted({v for base in (0, 1, 0x8000, 0xFFFF, 0x10000, 0x18000, 0x7FFF0000, 0x12345678, 0x00FF00FF)
                for v in (base, base + 1, base - 1, -base, -base + 1, -base - 1)
                if fm.MIN <= v <= fm.MAX} | {fm.MIN, fm.MAX, fm.MIN + 1, fm.MAX - 1}
               | {s * (1 << k) for k in range(31) for s in (1, -1)}      # powers of two
               | {s * 3 * (1 << k) for k in range(16, 30) for s in (1, -1)})


def test_narrow_fix32_on_an_edge_grid(narrow: Path) -> None:
    check_narrow(narrow, [(a, b) for a in EDGES for b in EDGES])


def test_narrow_pow_where_the_double_rounds(narrow: Path) -> None:
    # |raw|^2 of 2^53 or more rounds to a double's 53 bits before the
    # conversion, and for these the rounding carries into the result's bits
    big = [2107351764, 2026338693, 1860172975, 1575911786, 1997849735, 842743446]
    check_narrow(narrow, [(s * a, b) for a in big for s in (1, -1) for b in (2, 6, 7)])


fix = st.integers(min_value=fm.MIN, max_value=fm.MAX)
edgy = st.one_of(fix, st.integers(-0x40000, 0x40000), st.sampled_from(EDGES),
                 st.integers(-32768, 32767).map(lambda i: i * 0x10000))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(edgy, edgy), min_size=1, max_size=400))
def test_narrow_fix32_against_the_model(narrow: Path, pairs: list[tuple[int, int]]) -> None:
    check_narrow(narrow, pairs)


# ---- sprites: the palette-only row against the full pixel rule ---------------

def test_plain_sprite_rows_match_the_full_rule(m: Machine) -> None:
    # with the fill pattern on sprites (0x5f33 & 2), pattern 0 and an identity
    # secondary palette, spr/sspr/map/tline take the per-pixel rule and must draw
    # what the palette-only path draws
    rng = random.Random(33)
    for case in range(80):
        sheet = bytes(rng.randrange(256) for _ in range(0x2000))
        mapdata = bytes(rng.randrange(256) for _ in range(0x1000))
        pal = bytes(rng.randrange(16) | (0x10 if rng.random() < 0.3 else 0) for _ in range(16))
        clip = bytes([rng.randint(0, 40), rng.randint(0, 40), rng.randint(80, 128), rng.randint(80, 128)])
        screen = bytes(rng.randrange(256) for _ in range(0x2000))
        args = [to_fix(rng.randint(0, 255)), to_fix(rng.randint(-20, 130)), to_fix(rng.randint(-20, 130)),
                to_fix(rng.choice([1, 2, 0.5, 1.25, 3])), to_fix(rng.choice([1, 2, 0.75])),
                rng.randint(0, 1), rng.randint(0, 1)]
        camx = rng.randint(-8, 8) if case % 2 else 0
        # sspr: stretched or shrunk, flipped by flag or by a negative size
        sspr_args = (to_fix(rng.randint(-4, 120)), to_fix(rng.randint(-4, 120)),
                     to_fix(rng.randint(1, 20)), to_fix(rng.randint(1, 20)), args[1], args[2],
                     to_fix(rng.randint(-60, 90)), to_fix(rng.randint(-60, 90)), args[5], args[6], 10)
        results = []
        for full in (False, True):
            m.ram[0x0000:0x2000] = sheet
            m.ram[0x2000:0x3000] = mapdata
            m.ram[DRAWPAL:DRAWPAL + 16] = pal
            m.ram[CLIP:CLIP + 4] = clip
            m.ram[0x6000:0x8000] = screen
            set_camera(m, camx, 0)
            m.ram[0x5F31:0x5F34] = bytes([0, 0, 2 if full else 0])
            m.ram[0x5F60:0x5F70] = bytes(range(16))
            if case % 8 == 4:
                lib.p8_sspr(m.state, *sspr_args)
            elif case % 4 == 3:
                lib.p8_tline(m.state, args[1], args[2], to_fix(130 - args[1] // 0x10000), to_fix(60),
                             to_fix(case % 5), to_fix(0.5), to_fix(0.3), to_fix(-0.07), 0)
            elif case % 2:
                lib.p8_map(m.state, to_fix(case % 16), to_fix(case % 7), args[1], args[2],
                           to_fix(3), to_fix(2), 0, 6)
            else:
                lib.p8_spr(m.state, *args)
            results.append(m.screen_bytes())
        assert results[0] == results[1], case


SQRT_HARNESS = r"""
#include <stdio.h>
#include "p8_fix.c"
/* every raw value below 2^20, then every 7919th: sqrt(raw) must be the
** integer square root of raw << 16; prints the values checked and missed */
int main(void) {
  unsigned long long a, n = 0, bad = 0;
  for (a = 1; a < (1ull << 31); a += a < (1u << 20) ? 1 : 7919) {
    unsigned long long big = a << 16, k = (unsigned long long)p8_fix_sqrt((fix32)a);
    if (!(k * k <= big && (k + 1) * (k + 1) > big)) bad++;
    n++;
  }
  printf("%llu %llu\n", n, bad);
  return 0;
}
"""


@pytest.mark.parametrize("arch", ["host", "aarch64"])
def test_desktop_sqrt_through_the_fpu_is_the_integer_root(tmp_path: Path, arch: str) -> None:
    """Desktop builds take sqrt from the double square root instruction
    (x86-64 SSE2, AArch64 fsqrt); it must give the digit-by-digit loop's
    integer root, here on 1.3 million values (every one below 2^20)."""
    if arch == "host":
        cc, run = shutil.which("gcc") or shutil.which("cc"), []
        if cc is None:
            pytest.skip("no C compiler found (gcc or cc)")
    else:
        cc, qemu = shutil.which("aarch64-linux-gnu-gcc"), shutil.which("qemu-aarch64")
        if cc is None or qemu is None:
            pytest.skip("aarch64-linux-gnu-gcc and qemu-aarch64 not installed "
                        "(Debian: apt-get install gcc-aarch64-linux-gnu qemu-user)")
        run = [qemu]
    src = tmp_path / "sqrt.c"
    src.write_text(SQRT_HARNESS)
    exe = tmp_path / "sqrt"
    flags = ["-static"] if arch == "aarch64" else []
    done = subprocess.run([cc, "-std=c11", "-O2", *flags, f"-I{ENGINE}", str(src), str(ENGINE / "p8_trig_table.c"),
                           "-o", str(exe)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    out = subprocess.run([*run, str(exe)], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["1319624", "0"]
