/*
** p8_str.c -- tostr() and tonum() for numbers, exactly as PICO-8 prints and
** reads them.
**
** Printing (tostr(x), print, ..): integers print as integers; otherwise at
** most 4 decimals with trailing zeros dropped. PICO-8 rounds positive
** numbers to the nearest 0.0001 (0x7.ffff prints "8", 0x7fff.ffff prints
** "32768", 0x0.0001 prints "0") but truncates negative ones toward zero
** (-0x0.0006 prints "-0", 0xffff.ffff prints "-0", -0.5 prints "-0.5").
** Sources: Sam Hocevar, lexaloffle BBS pid 74969 (-0x.0006 -> "-0" and
** 0x7.ffff -> "8"); BBS pid 46822 (0xffff.ffff -> "-0", 0x.0001 -> "0");
** BBS tid 30763 family (256/(256*256) prints "32768").
**
** Reading (tonum, and Lua's string->number coercion) follows PICO-8's
** number syntax: optional spaces and sign, decimal with optional fraction,
** 0x hex (4 fraction digits count) or 0b binary (16 fraction digits count),
** trailing spaces. Decimal is truncated to 1/65536 (1.1 reads as 0x1.1999,
** as PICO-8's 3*1.1 = 0x3.4ccb shows); a decimal of 32768 or more reads as
** 0x8000.0000 (the x86 conversion's overflow value; old PICO-8 read the
** literal 65536 so, 256/65536*256 printing -2). Number literals no longer
** do: PICO-8 0.2.x wraps them (aot/lexer.py parse_number, from recorded
** PICO-8 output); whether its tonum wraps too is not known here. Hex
** and binary integer parts wrap modulo 2^16 (0xffff is -1). With the hex
** flag (tonum(s, 0x1)) the whole string is unsigned hex integer digits and
** any other character counts as '0' (manual; BBS pid 90457).
*/
#include "p8_fix.h"
#include "p8_str.h"

/* Writes the decimal digits of v; returns how many. */
static size_t put_uint(char *out, uint32_t v) {
  char tmp[10];
  size_t n = 0, i;
  do {
    tmp[n++] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v != 0);
  for (i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
  return n;
}

static size_t put_hex(char *out, uint32_t v, int digits) {
  static const char hex[] = "0123456789abcdef";
  int i;
  for (i = 0; i < digits; i++) out[i] = hex[(v >> (4 * (digits - 1 - i))) & 15u];
  return (size_t)digits;
}

/* The decimal form of a fix32 (see the top of the file for the rule). */
static size_t put_decimal(char *out, fix32 x) {
  size_t n = 0;
  uint64_t mag, scaled;
  uint32_t ip, fp;
  char frac[4];
  int k, width = 4;
  if (x < 0) out[n++] = '-';
  mag = x < 0 ? (uint64_t)(0u - (uint32_t)x) : (uint64_t)(uint32_t)x;
  if ((mag & 0xffffu) == 0) return n + put_uint(out + n, (uint32_t)(mag >> 16));
  /* ten-thousandths: rounded half up when positive, truncated when negative */
  scaled = (mag * 10000u + (x < 0 ? 0u : 32768u)) >> 16;
  ip = (uint32_t)(scaled / 10000u);
  fp = (uint32_t)(scaled % 10000u);
  n += put_uint(out + n, ip);
  if (fp == 0) return n;
  for (k = 3; k >= 0; k--) {
    frac[k] = (char)('0' + fp % 10u);
    fp /= 10u;
  }
  while (frac[width - 1] == '0') width--;
  out[n++] = '.';
  for (k = 0; k < width; k++) out[n++] = frac[k];
  return n;
}

size_t p8_tostr(fix32 x, int32_t flags, char *buf, size_t cap) {
  size_t n = 0;
  uint32_t u = (uint32_t)x;
  if (cap < P8_TOSTR_MAX) return 0;   /* caller error: buffer too small */
  if ((flags & P8_TOSTR_HEX) && (flags & P8_TOSTR_INT)) {
    buf[n++] = '0';
    buf[n++] = 'x';
    n += put_hex(buf + n, u, 8);
  } else if (flags & P8_TOSTR_HEX) {
    buf[n++] = '0';
    buf[n++] = 'x';
    n += put_hex(buf + n, u >> 16, 4);
    buf[n++] = '.';
    n += put_hex(buf + n, u & 0xffffu, 4);
  } else if (flags & P8_TOSTR_INT) {
    if (x < 0) buf[n++] = '-';
    n += put_uint(buf + n, x < 0 ? 0u - u : u);
  } else {
    n = put_decimal(buf, x);
  }
  buf[n] = '\0';
  return n;
}

/* ---- tonum ---------------------------------------------------------- */

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int digit_value(char c, int base) {
  int d;
  if (c >= '0' && c <= '9') d = c - '0';
  else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
  else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
  else return -1;
  return d < base ? d : -1;
}

typedef struct reader {
  const char *s;
  size_t len, i;
} reader;

static int peek_digit(const reader *r, int base) {
  return r->i < r->len ? digit_value(r->s[r->i], base) : -1;
}

/* Decimal [digits][.digits] -> raw bits of the unsigned value, or -1 when
** there is no digit. Magnitudes of 32768 or more give 0x80000000. */
static int64_t read_decimal(reader *r) {
  uint32_t ip = 0;                     /* saturates at 100000: already too big */
  uint64_t fd = 0, pow10 = 1;
  int d, any = 0;
  while ((d = peek_digit(r, 10)) >= 0) {
    ip = ip >= 100000u ? ip : ip * 10u + (uint32_t)d;
    r->i++;
    any = 1;
  }
  if (r->i < r->len && r->s[r->i] == '.') {
    r->i++;
    while ((d = peek_digit(r, 10)) >= 0) {
      if (pow10 < UINT64_C(10000000000000)) {   /* 13 digits are plenty */
        fd = fd * 10u + (uint64_t)d;
        pow10 *= 10u;
      }
      r->i++;
      any = 1;
    }
  }
  if (!any) return -1;
  if (ip >= 32768u) return (int64_t)0x80000000u;
  return ((int64_t)ip << 16) + (int64_t)((fd << 16) / pow10);
}

/* Hex or binary [digits][.digits] -> raw bits (wrapping), or -1. */
static int64_t read_radix(reader *r, int base) {
  int bits = base == 16 ? 4 : 1, max_frac = base == 16 ? 4 : 16;
  uint32_t ip = 0, fp = 0;
  int d, any = 0, nfrac = 0;
  while ((d = peek_digit(r, base)) >= 0) {
    ip = ((ip << bits) | (uint32_t)d) & 0xffffu;
    r->i++;
    any = 1;
  }
  if (r->i < r->len && r->s[r->i] == '.') {
    r->i++;
    while ((d = peek_digit(r, base)) >= 0) {
      if (nfrac < max_frac) {          /* further digits are read but dropped */
        fp |= (uint32_t)d << (16 - bits * (nfrac + 1));
        nfrac++;
      }
      r->i++;
      any = 1;
    }
  }
  if (!any) return -1;
  return (int64_t)((ip << 16) | fp);
}

/* Integer digits as the 32 raw bits (P8_TONUM_INT), wrapping; or -1. */
static int64_t read_raw(reader *r, int base) {
  uint32_t v = 0;
  int d, any = 0;
  while ((d = peek_digit(r, base)) >= 0) {
    v = v * (uint32_t)base + (uint32_t)d;
    r->i++;
    any = 1;
  }
  return any ? (int64_t)v : -1;
}

/* The hex flag (P8_TONUM_HEX): every character is a digit of an unsigned
** integer, and one that is not a hexadecimal digit counts as '0' (manual,
** TONUM 0x1; real PICO-8 gives tonum("3xz", 1) = 768, BBS pid 90457).
** The value wraps like a hex literal's integer part, or is the 32 raw bits
** with P8_TONUM_INT. An empty string has no digit: not a number. */
static int64_t read_hex_flag(const char *s, size_t len, int raw) {
  uint32_t v = 0;
  size_t i;
  int d;
  if (len == 0) return -1;
  for (i = 0; i < len; i++) {
    d = digit_value(s[i], 16);
    v = v * 16u + (uint32_t)(d < 0 ? 0 : d);
  }
  return raw ? (int64_t)v : (int64_t)((v & 0xffffu) << 16);
}

/* Returns 1 and sets *out when s[0..len) is a number; 0 when it is not
** (the binding returns nil), unless P8_TONUM_ZERO asks for 0 instead. */
int p8_tonum(const char *s, size_t len, int32_t flags, fix32 *out) {
  reader r;
  int neg = 0, base = 10;
  int64_t v;
  uint32_t u;
  if (flags & P8_TONUM_HEX) {
    v = read_hex_flag(s, len, (flags & P8_TONUM_INT) != 0);
    if (v < 0) {
      *out = 0;
      return (flags & P8_TONUM_ZERO) ? 1 : 0;
    }
    *out = p8_fixi_wrap((uint32_t)v);
    return 1;
  }
  r.s = s;
  r.len = len;
  r.i = 0;
  while (r.i < len && is_space(s[r.i])) r.i++;
  if (r.i < len && (s[r.i] == '-' || s[r.i] == '+')) neg = s[r.i++] == '-';
  if (r.i + 1 < len && s[r.i] == '0') {
    char p = s[r.i + 1];
    if (p == 'x' || p == 'X') base = 16;
    if (p == 'b' || p == 'B') base = 2;
    if (base != 10) r.i += 2;
  }
  if (flags & P8_TONUM_INT) v = read_raw(&r, base);
  else v = base == 10 ? read_decimal(&r) : read_radix(&r, base);
  while (r.i < len && is_space(s[r.i])) r.i++;
  if (v < 0 || r.i != len) {
    *out = 0;
    return (flags & P8_TONUM_ZERO) ? 1 : 0;
  }
  u = (uint32_t)v;
  if (neg) u = 0u - u;
  *out = p8_fixi_wrap(u);
  return 1;
}
