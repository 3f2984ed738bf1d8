/*
** rp8_store.c -- power-loss-safe cartdata in two flash sectors.
** See rp8_store.h. Record layout (little endian):
**   0 magic   4 seq   8 id length   12 id (64 bytes, zero padded)
**   76 data (256 bytes)   332 zero   508 CRC-32 of bytes 0-507
*/
#include <string.h>

#include "rp8_store.h"

#define OFF_SEQ   4
#define OFF_IDLEN 8
#define OFF_ID    12
#define OFF_DATA  76
#define OFF_CRC   (RP8_STORE_RECORD - 4)

/* CRC-32 (IEEE 802.3, reflected 0xedb88320), bit by bit: a record is
** checked once at load and once per save, so a table is not worth 1 KiB. */
uint32_t rp8_crc32(const uint8_t *p, uint32_t n) {
  uint32_t c = 0xffffffffu, i;
  int k;
  for (i = 0; i < n; i++) {
    c ^= p[i];
    for (k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
  }
  return ~c;
}

static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

static int good(const uint8_t *r) {
  return get32(r) == RP8_STORE_MAGIC && r[OFF_IDLEN] <= RP8_STORE_ID_MAX &&
         get32(r + OFF_CRC) == rp8_crc32(r, OFF_CRC);
}

/* The sector (0 or 1) with the newest good record, or -1. */
static int newest(const rp8_flash *f) {
  const uint8_t *a = f->read(f->ctx, 0), *b = f->read(f->ctx, RP8_STORE_SECTOR);
  int ga = good(a), gb = good(b);
  if (ga && gb)   /* wrapping compare: b is newer when b - a is "positive" */
    return (int32_t)(get32(b + OFF_SEQ) - get32(a + OFF_SEQ)) > 0 ? 1 : 0;
  return ga ? 0 : gb ? 1 : -1;
}

static size_t id_len(const char *id) {
  size_t n = 0;
  while (n < RP8_STORE_ID_MAX && id[n]) n++;
  return n;
}

static int same_id(const uint8_t *r, const char *id) {
  size_t n = id_len(id);
  return r[OFF_IDLEN] == n && memcmp(r + OFF_ID, id, n) == 0;
}

int rp8_store_load(const rp8_flash *f, const char *cart_id, uint8_t out[256]) {
  int s = newest(f);
  const uint8_t *r;
  if (s < 0) return -1;
  r = f->read(f->ctx, (uint32_t)s * RP8_STORE_SECTOR);
  if (!same_id(r, cart_id)) return -1;
  memcpy(out, r + OFF_DATA, 256);
  return 0;
}

int rp8_store_save(const rp8_flash *f, const char *cart_id, const uint8_t data[256]) {
  uint8_t rec[RP8_STORE_RECORD];
  int s = newest(f);
  uint32_t seq = 1, target = 0;
  size_t n = id_len(cart_id);
  if (s >= 0) {
    const uint8_t *r = f->read(f->ctx, (uint32_t)s * RP8_STORE_SECTOR);
    if (same_id(r, cart_id) && memcmp(r + OFF_DATA, data, 256) == 0) return 0;
    seq = get32(r + OFF_SEQ) + 1;
    target = (uint32_t)(1 - s) * RP8_STORE_SECTOR;
  }
  memset(rec, 0, sizeof rec);
  put32(rec, RP8_STORE_MAGIC);
  put32(rec + OFF_SEQ, seq);
  rec[OFF_IDLEN] = (uint8_t)n;
  memcpy(rec + OFF_ID, cart_id, n);
  memcpy(rec + OFF_DATA, data, 256);
  put32(rec + OFF_CRC, rp8_crc32(rec, OFF_CRC));
  f->erase(f->ctx, target);
  f->program(f->ctx, target, rec, RP8_STORE_RECORD);
  return 1;
}
