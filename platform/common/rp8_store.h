/*
** rp8_store.h -- cartdata (256 bytes) kept in two flash sectors.
**
** Flash is erased a sector (4 KiB) at a time, and power can fail at any
** moment of an erase or a write. So each save goes to the sector that
** does not hold the newest good record: erase it, then program one
** 512-byte record whose last word is a CRC-32 of the rest and whose
** sequence number is one more than the newest. A record is good when its
** magic and CRC check out; load takes the good record with the highest
** sequence number (compared as wrapping uint32). If power fails during a
** save, that sector fails its check and the other still holds the last
** completed save. A save equal to the newest record writes nothing, so a
** cart calling dset every frame costs no flash wear.
**
** SDK-independent: the device passes its flash operations in rp8_flash,
** the host tests a RAM array with injected power cuts.
*/
#ifndef rp8_store_h
#define rp8_store_h

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RP8_STORE_SECTOR 4096u
#define RP8_STORE_RECORD 512u
#define RP8_STORE_MAGIC  0x44385052u      /* "RP8D" little endian */
#define RP8_STORE_ID_MAX 64

typedef struct rp8_flash {
  /* the current bytes at offset off of the store (both sectors mapped) */
  const uint8_t *(*read)(void *ctx, uint32_t off);
  /* erase the sector at off; program n bytes (a multiple of 256) at off */
  void (*erase)(void *ctx, uint32_t off);
  void (*program)(void *ctx, uint32_t off, const uint8_t *data, uint32_t n);
  void *ctx;
} rp8_flash;

/* 0 and out filled when a good record for cart_id exists, else -1. */
int rp8_store_load(const rp8_flash *f, const char *cart_id, uint8_t out[256]);

/* 1 when written, 0 when unchanged (nothing written). */
int rp8_store_save(const rp8_flash *f, const char *cart_id, const uint8_t data[256]);

uint32_t rp8_crc32(const uint8_t *p, uint32_t n);

#ifdef __cplusplus
}
#endif

#endif
