/*
** rp8_input.c -- debounced buttons. See rp8_input.h.
*/
#include "rp8_input.h"

void rp8_input_init(rp8_input *in, const uint32_t masks[RP8_BUTTONS]) {
  int i;
  for (i = 0; i < RP8_BUTTONS; i++) {
    in->masks[i] = masks[i];
    in->count[i] = 0;
  }
  in->state = 0;
}

void rp8_input_sample(rp8_input *in, uint32_t gpio_levels) {
  int i;
  for (i = 0; i < RP8_BUTTONS; i++) {
    uint32_t bit = 1u << i;
    /* pressed when any of its pins is pulled low */
    uint32_t down = (~gpio_levels & in->masks[i]) != 0 ? bit : 0;
    if (down == (in->state & bit)) {
      in->count[i] = 0;
    } else if (++in->count[i] >= RP8_DEBOUNCE_SAMPLES) {
      in->state ^= bit;
      in->count[i] = 0;
    }
  }
}

uint32_t rp8_input_state(const rp8_input *in) { return in->state; }
