/*
** rp8_input.h -- GPIO buttons to PICO-8 buttons, debounced.
**
** A board wires each PICO-8 button (and pause) to one or more GPIOs,
** active low with pull-ups. The device samples all GPIOs from a 1 ms timer
** and feeds the raw levels here; a button's state changes only after the
** new level has been read RP8_DEBOUNCE_SAMPLES times in a row, so contact
** bounce (a few ms) never shows as extra presses to btnp.
*/
#ifndef rp8_input_h
#define rp8_input_h

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RP8_BUTTONS 7              /* left right up down O X pause */
#define RP8_DEBOUNCE_SAMPLES 4     /* 4 ms at one sample a millisecond */

typedef struct rp8_input {
  uint32_t masks[RP8_BUTTONS];     /* GPIO bits wired to each button */
  uint32_t state;                  /* debounced PLAT_BTN_* bits */
  uint8_t count[RP8_BUTTONS];      /* samples the level has disagreed */
} rp8_input;

void rp8_input_init(rp8_input *in, const uint32_t masks[RP8_BUTTONS]);
/* One sample of all GPIO levels (bit n = GPIO n, 1 = high = released). */
void rp8_input_sample(rp8_input *in, uint32_t gpio_levels);
/* Debounced PLAT_BTN_* bits (bit i = button i). */
uint32_t rp8_input_state(const rp8_input *in);

#ifdef __cplusplus
}
#endif

#endif
