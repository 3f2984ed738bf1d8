/*
** bench_divider.c -- 32-bit division through the RP2040's SIO divider, for
** the RP2040 bench image.
**
** The firmware divides in hardware: pico-sdk's pico_divider replaces the
** compiler's division helpers (__aeabi_uidiv and friends) with code that
** drives the divider in the SIO block (8 cycles a quotient). Without this
** file the bench image would link libgcc's software division, about 75
** emulated cycles a call, and measure a division-heavy cart slower than the
** device runs it. rp2040js emulates the divider, so the image does as the
** firmware does. Defining the helpers here keeps libgcc's (whose archive
** members also define __udivsi3 and __divsi3, given below as aliases) out
** of the link.
**
** The bench image takes no interrupts, so nothing else can be using the
** divider between the writes and the reads: unlike pico-sdk's helpers these
** do not save and restore its state. 64-bit division stays libgcc's.
*/
#include <stdint.h>

/* The SIO divider's registers (RP2040 datasheet, SIO: DIV_UDIVIDEND..DIV_CSR),
** as one block so each helper loads its address once. */
typedef struct {
  uint32_t udividend, udivisor, sdividend, sdivisor, quotient, remainder, csr;
} sio_divider;
#define SIO_DIV ((volatile sio_divider *)0xd0000060u)
#define SIO_DIV_READY 1u

uint32_t __aeabi_uidiv(uint32_t n, uint32_t d);
uint64_t __aeabi_uidivmod(uint32_t n, uint32_t d);
int32_t __aeabi_idiv(int32_t n, int32_t d);
uint64_t __aeabi_idivmod(int32_t n, int32_t d);

/* The result is ready 8 cycles after the last write (CSR's READY bit). The
** quotient is read last: reading it clears CSR's DIRTY bit. */
static inline void wait_ready(volatile sio_divider *div) {
  while ((div->csr & SIO_DIV_READY) == 0) {
  }
}

uint32_t __aeabi_uidiv(uint32_t n, uint32_t d) {
  volatile sio_divider *div = SIO_DIV;
  div->udividend = n;
  div->udivisor = d;
  wait_ready(div);
  return div->quotient;
}

/* The EABI returns the quotient in r0 and the remainder in r1: a 64-bit
** value's low and high words. */
uint64_t __aeabi_uidivmod(uint32_t n, uint32_t d) {
  volatile sio_divider *div = SIO_DIV;
  div->udividend = n;
  div->udivisor = d;
  wait_ready(div);
  uint32_t r = div->remainder;
  uint32_t q = div->quotient;
  return (uint64_t)r << 32 | q;
}

int32_t __aeabi_idiv(int32_t n, int32_t d) {
  volatile sio_divider *div = SIO_DIV;
  div->sdividend = (uint32_t)n;
  div->sdivisor = (uint32_t)d;
  wait_ready(div);
  return (int32_t)div->quotient;
}

uint64_t __aeabi_idivmod(int32_t n, int32_t d) {
  volatile sio_divider *div = SIO_DIV;
  div->sdividend = (uint32_t)n;
  div->sdivisor = (uint32_t)d;
  wait_ready(div);
  uint32_t r = div->remainder;
  uint32_t q = div->quotient;
  return (uint64_t)r << 32 | q;
}

uint32_t __udivsi3(uint32_t n, uint32_t d) __attribute__((alias("__aeabi_uidiv")));
int32_t __divsi3(int32_t n, int32_t d) __attribute__((alias("__aeabi_idiv")));
