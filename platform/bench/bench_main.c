/*
** bench_main.c -- the program of a cart bench image: the AOT runner's
** steppable form (rp8_boot + rp8_frame) in a loop, as rp8_main() runs it on
** a device, minus what a benchmark must not measure: no frame pacing and no
** audio rendering (the desktop modes render none either). The seed comes
** from the host through the mailbox, so all modes start the cart alike.
** rp8_frame() itself stops at plat_frame_mark after _update and _draw;
** frames a cart ends with its own flip() are marked here.
*/
#include <stdint.h>

#include "bench_mailbox.h"
#include "platform.h"
#include "rp8_runner.h"

#ifndef RP8_ARENA_SIZE
#error "build with -DRP8_ARENA_SIZE (the runner's arena size)"
#endif

static void note_arena(void) {
  bench_note_arena(RP8_ARENA_SIZE, rp8_memory_used());
}

static void report(void) {
  size_t n;
  const char *m = rp8_message(&n);
  plat_log(m, n);
}

int main(void) {
  uint8_t masks[8];
  plat_init();                         /* the host writes seed and buttons here */
  if (rp8_boot(bench_box.seed_raw, 0) != RP8_FRAME) {
    report();
    bench_exit(BENCH_STATUS_ERROR);
  }
  note_arena();
  for (;;) {
    for (int p = 0; p < 8; p++) masks[p] = (uint8_t)plat_buttons(p);
    uint32_t marked = bench_box.frame;
    int r = rp8_frame(masks);
    note_arena();
    if (r == RP8_FRAME) {
      /* A cart with its own loop (flip() then goto) has no _update/_draw
      ** for the runner to mark: its whole frame counts as update. */
      if (bench_box.frame == marked) {
        plat_frame_mark(0);
        plat_frame_mark(1);
      }
      plat_present(rp8_machine());
    } else if (r == RP8_ERROR || r == RP8_STOPPED) {
      report();
      bench_exit(r == RP8_ERROR ? BENCH_STATUS_ERROR : BENCH_STATUS_ENDED);
    } else if (r == RP8_END) {
      bench_exit(BENCH_STATUS_ENDED);
    }
  }
}
