/*
** rp8_link.c -- the snapshot handshake between core0 and core1.
** See rp8_link.h for the protocol.
*/
#include "rp8_link.h"

void rp8_link_tx_init(rp8_link_tx *t) {
  t->sent = 0;
  t->done = 0;
}

int rp8_link_tx_free(const rp8_link_tx *t) { return t->sent == t->done; }

uint32_t rp8_link_tx_publish(rp8_link_tx *t) {
  if (!rp8_link_tx_free(t)) return 0;
  t->sent = (t->sent + 1) & RP8_MSG_SEQ;
  if (t->sent == 0) t->sent = 1;          /* seq 0 means "none yet" */
  return RP8_MSG_FRAME | t->sent;
}

int rp8_link_tx_receive(rp8_link_tx *t, uint32_t msg) {
  if ((msg & RP8_MSG_KIND) != RP8_MSG_DONE) return RP8_LINK_BAD;
  if (rp8_link_tx_free(t) || (msg & RP8_MSG_SEQ) != t->sent) return RP8_LINK_BAD;
  t->done = t->sent;
  return RP8_LINK_OK;
}

void rp8_link_rx_init(rp8_link_rx *r) {
  r->expect = 1;
  r->holding = 0;
}

int rp8_link_rx_receive(rp8_link_rx *r, uint32_t msg) {
  if ((msg & RP8_MSG_KIND) != RP8_MSG_FRAME) return RP8_LINK_BAD;
  if (r->holding || (msg & RP8_MSG_SEQ) != r->expect) return RP8_LINK_BAD;
  r->holding = 1;
  return RP8_LINK_OK;
}

uint32_t rp8_link_rx_release(rp8_link_rx *r) {
  uint32_t seq = r->expect;
  if (!r->holding) return 0;
  r->holding = 0;
  r->expect = (seq + 1) & RP8_MSG_SEQ;
  if (r->expect == 0) r->expect = 1;      /* seq 0 means "none yet" */
  return RP8_MSG_DONE | seq;
}
