/*
** calib_main.c -- a calibration program for the bench images.
**
** It is not a cart: it drives the engine directly, the way the AOT runner
** drives it for carts/hello.p8 (cls, then ten lines of print), so the
** emulator set-up (startup, linker scripts, BKPT markers, mailbox, button
** feed) can be checked and measured without the AOT compiler. `rp8 bench
** --mode rp2040` runs the AOT cart once the runner is built in; this
** program stays as the image tests' smallest workload.
*/
#include <stdint.h>

#include "p8.h"
#include "p8_fix.h"
#include "p8_gfx.h"
#include "p8_print.h"
#include "p8_rng.h"
#include "p8_str.h"
#include "platform.h"

static p8_state machine;

static const uint8_t hello[] = "hello, world";
static const uint8_t footer[] = "rp8 bench: hello";

/* x = 30 + cos((t + i*4) / 60) * 6, as carts/hello.p8 computes it. */
static fix32 line_x(uint32_t t, int i) {
  fix32 turn = p8_fix_div(P8_FIX(t + (uint32_t)i * 4u), P8_FIX(60));
  return P8_FIX(30) + p8_fix_mul(p8_fix_cos(turn), P8_FIX(6));
}

int main(void) {
  uint32_t t = 0;
  p8_power_on(&machine);
  p8_srand(&machine, 0);
  plat_init();
  for (;;) {
    uint32_t b = plat_buttons(0);
    machine.ram[P8_HW_BUTTONS] = (uint8_t)b;
    t++;                                   /* _update */
    plat_frame_mark(0);
    p8_cls(&machine, P8_FIX(1));           /* _draw */
    for (int i = 0; i < 8; i++)
      p8_print(&machine, hello, sizeof hello - 1, line_x(t, i), P8_FIX(14 + i * 11),
               P8_FIX(8 + i), 4);
    p8_print(&machine, footer, sizeof footer - 1, P8_FIX(32), P8_FIX(108), P8_FIX(6), 4);
    char text[24] = "frame ";
    size_t n = p8_tostr(P8_FIX(t), 0, text + 6, sizeof text - 6);
    p8_print(&machine, (const uint8_t *)text, 6 + n, P8_FIX(2), P8_FIX(2), P8_FIX(13), 4);
    plat_frame_mark(1);
    plat_present(&machine);
  }
}
