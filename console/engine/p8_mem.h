/*
** p8_mem.h -- peek, poke, memcpy, memset, reload and cstore.
**
** Addresses: a cart's address is a fix32; PICO-8 uses its integer part
** (flr) modulo 0x10000, so -1 is 0xffff and 0x10000 is 0. Every byte of a
** multi-byte access wraps on its own: peek4(0xffff) reads 0xffff, 0x0000,
** 0x0001, 0x0002 (the wraparound zepto8 and yocto-8 model, which the
** yocto-8 compare test `mem/peekpokeapi.p8` exercises).
**
** Remapping (PICO-8 manual, "Remapping Graphics and Map Data"): the 8 KiB
** windows at 0x0000 and 0x6000 are pointers to the sprite sheet and the
** screen; 0x5f54 and 0x5f55 move them, and "memory mapping happens at a
** low level which also affects memory access functions (peek, poke,
** memcpy)". So a logical address in 0x0000-0x1fff reaches the sprite-sheet
** base plus its offset, 0x6000-0x7fff the screen base plus its offset. The
** bases are the ones drawing uses (p8_draw.h), so memory functions and
** drawing always agree. Everything else maps to itself.
**
** Values: poke writes the low byte of the integer part, poke2 the low 16
** bits of the integer part, poke4 the raw 32 bits. peek returns 0..255,
** peek2 a signed 16-bit integer (0xffff.0000 is -1), peek4 the raw fix32.
**
** Lengths (memcpy, memset, reload, cstore) are flr(len); zero or negative
** does nothing. A range running past 0xffff wraps to 0x0000 like the
** single-byte forms (memcpy/memset); reload raises "bad memory access"
** instead, as zepto8 observed of PICO-8 for writes past the end of RAM.
*/
#ifndef p8_mem_h
#define p8_mem_h

#include "p8.h"

#define P8_PEEK_MAX     8192     /* most values one peek/poke call handles */
#define P8_ROM_DATA     0x4300   /* reload/cstore see only the cart data */

#define P8_MEM_OK            0
#define P8_MEM_BAD_ACCESS   (-1) /* "bad memory access": a runtime error */
#define P8_MEM_BAD_WIDTH    (-2) /* width not 1, 2 or 4: a binding bug */
#define P8_MEM_READ_ONLY    (-3) /* cstore: the platform's cart ROM is read-only */

/* Where a logical address (0..0xffff) lives in ram[], after the sprite
** sheet and screen remapping of 0x5f54/0x5f55. */
uint32_t p8_mem_phys(const p8_state *p8, uint32_t addr);

/* rp8:api begin */
fix32 p8_peek(p8_state *p8, fix32 addr);
fix32 p8_peek2(p8_state *p8, fix32 addr);
fix32 p8_peek4(p8_state *p8, fix32 addr);
void p8_poke(p8_state *p8, fix32 addr, fix32 val);
void p8_poke2(p8_state *p8, fix32 addr, fix32 val);
void p8_poke4(p8_state *p8, fix32 addr, fix32 val);
int p8_peek_n(p8_state *p8, fix32 addr, fix32 n, int width, fix32 *out); /* rp8:out out 8192 */
int p8_poke_n(p8_state *p8, fix32 addr, int width, const fix32 *vals, int n);
void p8_memcpy(p8_state *p8, fix32 dst, fix32 src, fix32 len);
void p8_memset(p8_state *p8, fix32 dst, fix32 val, fix32 len);
int p8_reload(p8_state *p8, fix32 dst, fix32 src, fix32 len, int argc);
int p8_reload_from(p8_state *p8, const uint8_t *rom, size_t rom_len, fix32 dst, fix32 src, fix32 len, int argc);
void p8_stage_rom(p8_state *p8, const uint8_t *rom, size_t rom_len); /* rp8:lent rom */
int p8_reload_other(p8_state *p8, fix32 dst, fix32 src, fix32 len, int argc);
int p8_cstore(p8_state *p8, fix32 dst, fix32 src, fix32 len, int argc);
int p8_cstore_to(p8_state *p8, uint8_t *rom, size_t rom_len, fix32 dst, fix32 src, fix32 len, int argc);
/* rp8:api end */

/*
** p8_peek_n: peek/peek2/peek4 (width 1, 2, 4) with a count, as
**   `peek(addr, n)`: writes max(0, min(flr(n), 8192)) values to out (which
**   must hold P8_PEEK_MAX) and returns how many; P8_MEM_BAD_WIDTH for a
**   width other than 1, 2, 4. Successive values are `width` bytes apart.
** p8_poke_n: poke/poke2/poke4 with n values from vals, written `width`
**   bytes apart; at most 8192 are written. With no values (n <= 0) one 0
**   is written, since PICO-8 reads a missing value as 0 (zepto8: "poke()
**   is the same as poke(0, 0)"). Returns the number of values written or
**   P8_MEM_BAD_WIDTH.
** p8_reload: `reload(dst, src, len)` from the cart ROM p8->rom (all zero
**   when the platform set none).
**   With fewer than three arguments (argc < 3) it reloads all cart data:
**   reload(0, 0, 0x4300). Bytes at ROM addresses >= 0x4300 (the code
**   section, "protected and can not be read") read as 0. Returns
**   P8_MEM_OK, or P8_MEM_BAD_ACCESS (nothing written) when dst + len runs
**   past 0xffff.
** p8_reload_from: the same from another cart's ROM image (the filename
**   form; the player loads that cart); bytes at or past rom_len read as 0.
** p8_stage_rom, p8_reload_other: the filename form as the BIOS does it
**   (aot/bios.lua reload): the host stages the other cart's ROM image, then
**   p8_reload_other copies from it as p8_reload_from does and forgets it.
**   Nothing staged reads as an empty ROM (all 0).
** p8_cstore: `cstore(dst, src, len)` from RAM into the cart ROM; cstore()
**   is cstore(0, 0, 0x4300). ROM addresses >= 0x4300 are never written.
**   Returns the number of ROM bytes written, so the player knows whether
**   the cart file needs saving, or P8_MEM_READ_ONLY (nothing written) when
**   the platform's ROM is read-only (p8_set_rom: const data in flash).
** p8_cstore_to: the same into another cart's ROM image of rom_len bytes.
*/

#endif
