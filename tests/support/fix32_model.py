"""A plain-Python reference model of PICO-8's 16.16 numbers, for the tests.

Written from the rules (not from the C code): values are Python ints holding
the signed raw bits. Each function states the rule it models.
"""
from __future__ import annotations

import math
from fractions import Fraction

ONE = 0x10000
MIN = -0x80000000
MAX = 0x7FFFFFFF


def wrap(v: int) -> int:
    """Keep the low 32 bits, as a signed value."""
    v &= 0xFFFFFFFF
    return v - 0x100000000 if v & 0x80000000 else v


def raw(text: str) -> int:
    """A PICO-8 literal such as '-12.3', '0x8000.0001' or '0b1.1' as raw bits.

    Decimal truncates to 1/65536 (PICO-8's 1.1 is 0x1.1999); 32768 or more
    reads as 0x8000.0000. Hex/binary integer parts wrap modulo 2^16.
    """
    t = text.strip().lower()
    neg = t.startswith("-")
    t = t.lstrip("-")
    if t.startswith("0x") or t.startswith("0b"):
        base, bits, maxf = (16, 4, 4) if t[1] == "x" else (2, 1, 16)
        ip, _, fp = t[2:].partition(".")
        v = (int(ip or "0", base) & 0xFFFF) << 16
        fp = fp[:maxf]
        if fp:
            v |= int(fp, base) << (16 - bits * len(fp))
    else:
        value = Fraction(t)
        v = int(value * ONE)  # truncation: value is non-negative here
        if v >= 0x80000000:
            return MIN
    return wrap(-v if neg else v)


def hexs(v: int) -> str:
    u = v & 0xFFFFFFFF
    return "0x%04x.%04x" % (u >> 16, u & 0xFFFF)


def add(a: int, b: int) -> int:
    return wrap(a + b)


def sub(a: int, b: int) -> int:
    return wrap(a - b)


def mul(a: int, b: int) -> int:
    return wrap((a * b) >> 16)  # Python >> floors, like PICO-8


def div(a: int, b: int) -> int:
    """Truncating division; /0 and overflow saturate by the signs' xor."""
    if b == ONE:
        return a
    if b != 0:
        q = abs(a) * ONE // abs(b)
        q = q if (a < 0) == (b < 0) else -q
        if -MAX <= q <= MAX:
            return q
    return MAX if (a ^ b) >= 0 else -MAX


def flr(a: int) -> int:
    return wrap(a & ~0xFFFF)


def ceil(a: int) -> int:
    return wrap((a + 0xFFFF) & ~0xFFFF)


def idiv(a: int, b: int) -> int:
    return flr(div(a, b))


def mod(a: int, b: int) -> int:
    m = abs(b)
    return 0 if m == 0 else a % m


def neg(a: int) -> int:
    return wrap(-a)


def fabs(a: int) -> int:
    return MAX if a == MIN else abs(a)


def sgn(a: int) -> int:
    return -ONE if a < 0 else ONE


def count(n: int) -> int:
    """A shift count is flr() of the PICO-8 number."""
    return n >> 16


def shl(a: int, n: int) -> int:
    k = count(n)
    if k < 0:
        return lshr(a, -k * ONE)
    return 0 if k >= 32 else wrap(a << k)


def lshr(a: int, n: int) -> int:
    k = count(n)
    if k < 0:
        return shl(a, -k * ONE)
    return 0 if k >= 32 else wrap((a & 0xFFFFFFFF) >> k)


def shr(a: int, n: int) -> int:
    k = count(n)
    if k < 0:
        return shl(a, -k * ONE)
    return a >> min(k, 31)


def rotl(a: int, n: int) -> int:
    k = count(n) & 31
    u = a & 0xFFFFFFFF
    return wrap((u << k) | (u >> (32 - k)))


def rotr(a: int, n: int) -> int:
    k = count(n) & 31
    u = a & 0xFFFFFFFF
    return wrap((u >> k) | (u << (32 - k)))


def mid(a: int, b: int, c: int) -> int:
    return sorted((a, b, c))[1]


def tostr(v: int) -> str:
    """PICO-8's decimal printing: integers as integers; otherwise 4 decimals,
    rounded half up when positive, truncated when negative, zeros dropped."""
    if v & 0xFFFF == 0:
        return str(v >> 16)
    m = abs(v)
    scaled = (m * 10000 + (0 if v < 0 else 0x8000)) >> 16
    ip, fp = divmod(scaled, 10000)
    text = str(ip) + ("." + ("%04d" % fp).rstrip("0") if fp else "")
    return ("-" if v < 0 else "") + text


class Rng:
    """PICO-8's generator (zepto8's reverse engineering, BBS tid 51113)."""

    def __init__(self) -> None:
        self.hi = 0
        self.lo = 0

    def srand(self, seed: int) -> None:
        lo = seed & 0x7FFFFFFF or 0xDEADBEEF
        self.hi, self.lo = lo ^ 0xBEAD29BA, lo
        for _ in range(32):
            self.step()

    def step(self) -> int:
        self.hi = (((self.hi << 16) | (self.hi >> 16)) + self.lo) & 0xFFFFFFFF
        self.lo = (self.lo + self.hi) & 0xFFFFFFFF
        return self.hi

    def rnd(self, rng: int) -> int:
        if rng == 0:
            return 0
        return wrap(self.step() % (rng & 0xFFFFFFFF))


def _double_to_fix(d: float) -> int:
    """PICO-8's number conversion as z8lua models it: d * 65536 truncated
    toward zero to a 64-bit integer, low 32 bits kept. What x86-64 cannot
    convert (|d * 65536| >= 2^63, infinities, NaN) is 0x8000000000000000,
    whose low 32 bits are 0."""
    if not math.isfinite(d) or abs(d * ONE) >= 2.0**63:
        return 0
    return wrap(int(d * ONE))


def pow(x: int, y: int) -> int:  # noqa: A001 - the PICO-8 operator's name
    """x ^ y: C's pow() on the values as doubles, then _double_to_fix.

    An integer exponent is exact here: the power as a Fraction, rounded once
    to the nearest double (Fraction -> float rounds correctly), as a
    correctly rounded pow() gives. A fractional exponent uses this
    platform's pow() (glibc's, within an ulp of the true value).
    0^negative is an infinity and a negative base to a fractional power a
    NaN: both convert to 0.
    """
    if y == 0:
        return ONE
    if x == 0:
        return 0
    if y & 0xFFFF == 0:
        n = y >> 16
        # beyond 2^49 or below 2^-19 the double converts to 0 either way;
        # skip building enormous fractions for those
        size = n * math.log2(abs(x) / ONE)
        if size > 49 or size < -19:
            return 0
        return _double_to_fix(float(Fraction(x, ONE) ** n))
    if x < 0:
        return 0
    try:
        d = math.pow(x / ONE, y / ONE)
    except OverflowError:
        return 0
    return _double_to_fix(d)
