/*
** p8_mem.c -- the memory functions a cart calls: peek/poke in three widths,
** memcpy, memset, reload and cstore. See p8_mem.h for the rules.
**
** Bulk operations work in spans: runs of logical addresses that map to one
** unbroken run of ram[] (no window edge, no wrap at 0xffff on either
** side), so each span is one memmove/memset and a full-screen memcpy costs
** a single call on the device.
*/
#include <string.h>

#include "p8_audio.h"
#include "p8_mem.h"
#include "p8_draw.h"

#define ADDR_MASK   0xffffu
#define WINDOW      0x2000u      /* size of the sheet and screen windows */

/* flr(x) as an address: the integer part, modulo 0x10000. */
static uint32_t addr16(fix32 x) { return ((uint32_t)x >> 16) & ADDR_MASK; }

/* flr(x) as a byte count: the signed integer part, 0 when not positive. */
static uint32_t count_of(fix32 x) {
  int32_t n = P8_INT(x);
  return n > 0 ? (uint32_t)n : 0;
}

uint32_t p8_mem_phys(const p8_state *p8, uint32_t addr) {
  addr &= ADDR_MASK;
  if (addr < WINDOW)
    return (p8_sheet_base(p8) + addr) & ADDR_MASK;
  if (addr >= P8_MEM_SCREEN && addr < P8_MEM_SCREEN + WINDOW)
    return (p8_screen_base(p8) + (addr - P8_MEM_SCREEN)) & ADDR_MASK;
  return addr;
}

static uint8_t rd(const p8_state *p8, uint32_t addr) {
  return p8->ram[p8_mem_phys(p8, addr)];
}

/* Before writing ram[phys, phys + n): when a render may be running on
** another core and the bytes are ones the synth reads (sfx and music data,
** 0x5f2f and 0x5f40-0x5f43), wait for it (p8_audio.h). */
static void sound_write(p8_state *p8, uint32_t phys, uint32_t n) {
  if (p8->audio_fence == NULL) return;
  if ((phys < P8_MEM_SFX + 64 * 68 && phys + n > P8_MEM_MUSIC) ||
      (phys <= P8_HW_LOWPASS && phys + n > P8_HW_AUDIO_PAUSE))
    p8->audio_fence(p8);
}

static void wr(p8_state *p8, uint32_t addr, uint8_t v) {
  uint32_t phys = p8_mem_phys(p8, addr);
  sound_write(p8, phys, 1);
  p8->ram[phys] = v;
}

/* How many bytes from logical `addr` (at most `want`) map to consecutive
** ram[] bytes; *phys receives where they start. Always at least 1. */
static uint32_t span(const p8_state *p8, uint32_t addr, uint32_t want,
                     uint32_t *phys) {
  uint32_t n = 0x10000u - addr;                 /* logical wrap */
  uint32_t edge;
  if (addr < WINDOW)
    edge = WINDOW - addr;
  else if (addr < P8_MEM_SCREEN)
    edge = P8_MEM_SCREEN - addr;
  else if (addr < P8_MEM_SCREEN + WINDOW)
    edge = P8_MEM_SCREEN + WINDOW - addr;
  else
    edge = n;
  if (edge < n) n = edge;
  *phys = p8_mem_phys(p8, addr);
  if (0x10000u - *phys < n) n = 0x10000u - *phys;  /* physical wrap */
  return want < n ? want : n;
}

fix32 p8_peek(p8_state *p8, fix32 addr) {
  return (fix32)((uint32_t)rd(p8, addr16(addr)) << 16);
}

fix32 p8_peek2(p8_state *p8, fix32 addr) {
  uint32_t a = addr16(addr);
  uint32_t v = rd(p8, a) | (uint32_t)rd(p8, a + 1) << 8;
  return (fix32)(v << 16);      /* the 16 bits become the signed integer part */
}

fix32 p8_peek4(p8_state *p8, fix32 addr) {
  uint32_t a = addr16(addr);
  uint32_t v = rd(p8, a) | (uint32_t)rd(p8, a + 1) << 8 |
               (uint32_t)rd(p8, a + 2) << 16 | (uint32_t)rd(p8, a + 3) << 24;
  return (fix32)v;
}

void p8_poke(p8_state *p8, fix32 addr, fix32 val) {
  wr(p8, addr16(addr), (uint8_t)((uint32_t)val >> 16));
}

void p8_poke2(p8_state *p8, fix32 addr, fix32 val) {
  uint32_t a = addr16(addr), v = (uint32_t)val >> 16;
  wr(p8, a, (uint8_t)v);
  wr(p8, a + 1, (uint8_t)(v >> 8));
}

void p8_poke4(p8_state *p8, fix32 addr, fix32 val) {
  uint32_t a = addr16(addr), v = (uint32_t)val;
  int i;
  for (i = 0; i < 4; i++)
    wr(p8, a + (uint32_t)i, (uint8_t)(v >> (8 * i)));
}

int p8_peek_n(p8_state *p8, fix32 addr, fix32 n, int width, fix32 *out) {
  uint32_t count = count_of(n), i, step = (uint32_t)width;
  if (width != 1 && width != 2 && width != 4) return P8_MEM_BAD_WIDTH;
  if (count > P8_PEEK_MAX) count = P8_PEEK_MAX;
  for (i = 0; i < count; i++) {
    /* Each value's address, rebuilt as a fix32 so the single forms wrap it. */
    fix32 a = (fix32)((uint32_t)addr + ((i * step) << 16));
    out[i] = width == 1 ? p8_peek(p8, a) : width == 2 ? p8_peek2(p8, a)
                                                      : p8_peek4(p8, a);
  }
  return (int)count;
}

int p8_poke_n(p8_state *p8, fix32 addr, int width, const fix32 *vals, int n) {
  int count = n > P8_PEEK_MAX ? P8_PEEK_MAX : n, i;
  if (width != 1 && width != 2 && width != 4) return P8_MEM_BAD_WIDTH;
  if (count <= 0) {                             /* poke(addr) writes a 0 */
    if (width == 1) p8_poke(p8, addr, 0);
    else if (width == 2) p8_poke2(p8, addr, 0);
    else p8_poke4(p8, addr, 0);
    return 1;
  }
  for (i = 0; i < count; i++) {
    fix32 a = (fix32)((uint32_t)addr + (((uint32_t)i * (uint32_t)width) << 16));
    if (width == 1) p8_poke(p8, a, vals[i]);
    else if (width == 2) p8_poke2(p8, a, vals[i]);
    else p8_poke4(p8, a, vals[i]);
  }
  return count;
}

/* Copy forward, span by span (the ranges do not overlap harmfully). */
static void copy_up(p8_state *p8, uint32_t d, uint32_t s, uint32_t len) {
  while (len > 0) {
    uint32_t pd, ps, n = span(p8, d, len, &pd);
    n = span(p8, s, n, &ps);
    sound_write(p8, pd, n);
    memmove(p8->ram + pd, p8->ram + ps, n);
    d = (d + n) & ADDR_MASK;
    s = (s + n) & ADDR_MASK;
    len -= n;
  }
}

/* How many bytes ending at logical `end` (at most `want`) map to
** consecutive ram[] bytes; *phys receives where that run starts. */
static uint32_t back_span(const p8_state *p8, uint32_t end, uint32_t want,
                          uint32_t *phys) {
  uint32_t first = end < WINDOW ? 0 : end < P8_MEM_SCREEN ? WINDOW
                 : end < P8_MEM_SCREEN + WINDOW ? P8_MEM_SCREEN
                 : P8_MEM_SCREEN + WINDOW;
  uint32_t n = end - first + 1, pe = p8_mem_phys(p8, end);
  if (pe + 1 < n) n = pe + 1;                   /* physical wrap below 0 */
  if (want < n) n = want;
  *phys = pe + 1 - n;
  return n;
}

/* Copy backward from the ends, for a destination just above the source. */
static void copy_down(p8_state *p8, uint32_t d, uint32_t s, uint32_t len) {
  while (len > 0) {
    uint32_t pd, ps;
    uint32_t n = back_span(p8, (d + len - 1) & ADDR_MASK, len, &pd);
    n = back_span(p8, (s + len - 1) & ADDR_MASK, n, &ps);
    /* The destination run may have been cut by the source run. */
    pd = p8_mem_phys(p8, (d + len - n) & ADDR_MASK);
    sound_write(p8, pd, n);
    memmove(p8->ram + pd, p8->ram + ps, n);
    len -= n;
  }
}

void p8_memcpy(p8_state *p8, fix32 dst, fix32 src, fix32 len) {
  uint32_t d = addr16(dst), s = addr16(src), n = count_of(len);
  if (n == 0 || d == s) return;
  /* memmove semantics in the wrapping address space: when the destination
  ** starts inside the source range, copy from the end. */
  if (((d - s) & ADDR_MASK) < n)
    copy_down(p8, d, s, n);
  else
    copy_up(p8, d, s, n);
}

void p8_memset(p8_state *p8, fix32 dst, fix32 val, fix32 len) {
  uint32_t d = addr16(dst), n = count_of(len);
  uint8_t v = (uint8_t)((uint32_t)val >> 16);
  while (n > 0) {
    uint32_t pd, k = span(p8, d, n, &pd);
    sound_write(p8, pd, k);
    memset(p8->ram + pd, v, k);
    d = (d + k) & ADDR_MASK;
    n -= k;
  }
}

/* The copy every reload form shares: `rom` holds rom_len bytes of which
** only the first 0x4300 are cart data. */
static int reload_bytes(p8_state *p8, const uint8_t *rom, size_t rom_len,
                        fix32 dst, fix32 src, fix32 len, int argc) {
  uint32_t d = 0, s = 0, n = P8_ROM_DATA, i;
  size_t readable = rom_len < P8_ROM_DATA ? rom_len : P8_ROM_DATA;
  if (argc >= 3) {
    n = count_of(len);
    if (n == 0) return P8_MEM_OK;
    d = addr16(dst);
    s = addr16(src);
  }
  if (d + n > 0x10000u) return P8_MEM_BAD_ACCESS;
  if (p8->audio_fence != NULL) p8->audio_fence(p8);   /* once, not per byte */
  for (i = 0; i < n; i++) {
    uint32_t a = (s + i) & ADDR_MASK;
    p8->ram[p8_mem_phys(p8, d + i)] = a < readable ? rom[a] : 0;
  }
  return P8_MEM_OK;
}

int p8_reload(p8_state *p8, fix32 dst, fix32 src, fix32 len, int argc) {
  return reload_bytes(p8, p8->rom, p8->rom != NULL ? P8_ROM_DATA : 0, dst, src, len, argc);
}

int p8_reload_from(p8_state *p8, const uint8_t *rom, size_t rom_len,
                   fix32 dst, fix32 src, fix32 len, int argc) {
  if (rom == NULL) rom_len = 0;
  return reload_bytes(p8, rom, rom_len, dst, src, len, argc);
}

void p8_stage_rom(p8_state *p8, const uint8_t *rom, size_t rom_len) {
  p8->rom_staged = rom;
  p8->rom_staged_len = rom != NULL ? rom_len : 0;
}

int p8_reload_other(p8_state *p8, fix32 dst, fix32 src, fix32 len, int argc) {
  const uint8_t *rom = p8->rom_staged;
  size_t rom_len = p8->rom_staged_len;
  p8_stage_rom(p8, NULL, 0);
  return p8_reload_from(p8, rom, rom_len, dst, src, len, argc);
}

static int cstore_bytes(p8_state *p8, uint8_t *rom, size_t rom_len,
                        fix32 dst, fix32 src, fix32 len, int argc) {
  uint32_t d = 0, s = 0, n = P8_ROM_DATA, i;
  size_t writable = rom_len < P8_ROM_DATA ? rom_len : P8_ROM_DATA;
  if (argc >= 3) {
    n = count_of(len);
    d = addr16(dst);
    s = addr16(src);
  }
  if (d >= writable) return 0;
  if (n > writable - d) n = (uint32_t)(writable - d);
  for (i = 0; i < n; i++)
    rom[d + i] = rd(p8, s + i);
  return (int)n;
}

int p8_cstore(p8_state *p8, fix32 dst, fix32 src, fix32 len, int argc) {
  if (p8->rom_rw == NULL) return P8_MEM_READ_ONLY;
  return cstore_bytes(p8, p8->rom_rw, P8_ROM_DATA, dst, src, len, argc);
}

int p8_cstore_to(p8_state *p8, uint8_t *rom, size_t rom_len,
                 fix32 dst, fix32 src, fix32 len, int argc) {
  if (rom == NULL) rom_len = 0;
  return cstore_bytes(p8, rom, rom_len, dst, src, len, argc);
}
