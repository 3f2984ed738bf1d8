/*
** p8_input.h -- the buttons and the frame clock as a cart reads them.
**
** PICO-8 keeps the held buttons at 0x5f4c (one byte per player, bits 0-5 =
** left right up down O X), so btn() reads RAM and a poke there is seen.
** btnp fires on the press, then after 0x5f5c frames every 0x5f5d frames
** (0 = the defaults 15 and 4, counted at 30 fps, so doubled under
** _update60; a delay of 255 never repeats). time() counts frames, not the
** clock: 1/30 s each (1/60 s under _update60), as fix32 rounded down.
**
** The host calls p8_input_frame once at the start of every frame with the
** buttons held, and p8_clock_tick when a frame has ended; both consoles
** (the player and compiled carts) bind btn, btnp and time to the functions
** below, so these rules exist once.
*/
#ifndef p8_input_h
#define p8_input_h

#include <stdint.h>

#include "p8.h"

/* rp8:api begin */
void p8_input_frame(p8_state *p8, uint32_t masks_lo, uint32_t masks_hi, int32_t fps);
fix32 p8_btn(p8_state *p8, fix32 i, fix32 p, int argc);
fix32 p8_btnp(p8_state *p8, fix32 i, fix32 p, int argc);
void p8_clock_tick(p8_state *p8, int32_t fps);
fix32 p8_time(p8_state *p8);
/* rp8:api end */

#endif
