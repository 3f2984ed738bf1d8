/*
** rp8host_call.c -- see rp8host_call.h.
*/
#include "rp8host_call.h"

int rp8host_call_frame(void *frame, const uint8_t *masks) {
  return ((int (*)(const uint8_t *))frame)(masks);
}
