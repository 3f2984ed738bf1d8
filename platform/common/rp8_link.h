/*
** rp8_link.h -- the frame handshake between the cart's core and the
** display core, as a state machine both sides run.
**
** One snapshot buffer sits between the cores. It belongs to core0 (the
** cart) until core0 publishes a frame, then to core1 until core1 has
** converted its last line; core1 then hands it back, while DMA is still
** sending that line, so the cart draws the next frame during the send.
** The messages are 32-bit words through the SIO FIFO:
**   FRAME|seq  core0 -> core1: the snapshot holds frame seq, yours now;
**   DONE|seq   core1 -> core0: finished reading frame seq, it is yours.
** Sequence numbers (24 bits, wrapping) make a lost or repeated message a
** detectable protocol error instead of a silent tear.
*/
#ifndef rp8_link_h
#define rp8_link_h

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RP8_MSG_FRAME 0x46000000u   /* 'F' in the top byte */
#define RP8_MSG_DONE  0x44000000u   /* 'D' */
#define RP8_MSG_KIND  0xff000000u
#define RP8_MSG_SEQ   0x00ffffffu

enum {
  RP8_LINK_OK = 0,
  RP8_LINK_BUSY = -1,       /* core0: the snapshot is still core1's */
  RP8_LINK_BAD = -2         /* a message out of protocol */
};

/* Core0's side. */
typedef struct rp8_link_tx {
  uint32_t sent;            /* seq of the last frame published */
  uint32_t done;            /* seq of the last frame core1 handed back */
} rp8_link_tx;

void rp8_link_tx_init(rp8_link_tx *t);
/* May core0 write the snapshot now? */
int rp8_link_tx_free(const rp8_link_tx *t);
/* Publish the snapshot: returns the FRAME message to send, or 0 when the
** snapshot is not core0's (a caller bug, reported rather than torn). */
uint32_t rp8_link_tx_publish(rp8_link_tx *t);
/* A message from core1: RP8_LINK_OK or RP8_LINK_BAD. */
int rp8_link_tx_receive(rp8_link_tx *t, uint32_t msg);

/* Core1's side. */
typedef struct rp8_link_rx {
  uint32_t expect;          /* seq of the next frame */
  uint32_t holding;         /* 1 while core1 owns the snapshot */
} rp8_link_rx;

void rp8_link_rx_init(rp8_link_rx *r);
/* A message from core0: RP8_LINK_OK (core1 now owns frame) or BAD. */
int rp8_link_rx_receive(rp8_link_rx *r, uint32_t msg);
/* Core1 has read the whole snapshot: the DONE message to send (0 if it
** held nothing). */
uint32_t rp8_link_rx_release(rp8_link_rx *r);

#ifdef __cplusplus
}
#endif

#endif
