/*
** p8_str.h -- numbers to and from text, as PICO-8's tostr() and tonum().
**
** Only numbers are handled here; tostr of booleans/nil/tables and tonum of
** non-strings belong to the language bindings.
*/
#ifndef p8_str_h
#define p8_str_h

#include <stddef.h>
#include <stdint.h>

#include "p8.h"

#define P8_TOSTR_MAX 16   /* longest result ("-2147483648", "0x8000.0000") + NUL, rounded up */

/* tostr flags */
#define P8_TOSTR_HEX 0x1  /* "0x1234.5678" */
#define P8_TOSTR_INT 0x2  /* the 32 bits as a signed integer; with HEX, "0x12345678" */

/* tonum flags */
#define P8_TONUM_HEX   0x1  /* unsigned hex integer digits, no 0x; others count as 0 */
#define P8_TONUM_INT   0x2  /* the text is the 32-bit raw value (shifted right 16) */
#define P8_TONUM_ZERO  0x4  /* on failure give 0 instead of nothing */

/* rp8:api begin */
size_t p8_tostr(fix32 x, int32_t flags, char *buf, size_t cap);
int p8_tonum(const char *s, size_t len, int32_t flags, fix32 *out); /* rp8:out out 1 */
/* rp8:api end */

#endif
