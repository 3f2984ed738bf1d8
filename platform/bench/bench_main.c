/*
** bench_main.c -- the program of a cart bench image: the AOT runner's
** steppable form (rp8_boot + rp8_frame) in a loop, as rp8_main() runs it on
** a device, minus frame pacing. The seed comes from the host through the
** mailbox, so all modes start the cart alike. rp8_frame() itself stops at
** plat_frame_mark after _update and _draw; frames a cart ends with its own
** flip(), or that the clock cuts (bench_plat.c's clock is emulated time),
** are marked here.
**
** After each frame the image does, as its own marked phases, the rest of
** what the firmware does for a frame (rp8_runner's device_frame_done and
** platform/rp2): the snapshot (core0), the conversion of the snapshot into
** 240 panel lines of RGB565 as core1 does for a 240x240 panel (without the
** SPI/DMA transfer, which runs beside it), and the frame's audio (735
** samples at 30 fps, 368 or 367 at 60), whose bytes go into a running hash
** in the mailbox so hosts can compare them with the desktop's.
*/
#include <stdint.h>

#include "bench_mailbox.h"
#include "p8_audio.h"
#include "platform.h"
#include "rp8_frame.h"
#include "rp8_runner.h"

#define BKPT(n) __asm__ volatile("bkpt %0" : : "i"(n) : "memory")
#define PANEL 240

static rp8_snap snap;
static rp8_scaler scaler;
static uint16_t line[PANEL];
static int16_t samples[P8_AUDIO_RATE / 30 + 1];
static uint32_t audio_acc;

/* FNV-1a over the samples' little-endian bytes, as the host computes it. */
static void hash_samples(const int16_t *x, int n) {
  uint32_t h = bench_box.audio_hash;
  for (int i = 0; i < n; i++) {
    uint16_t v = (uint16_t)x[i];
    h = (h ^ (v & 0xffu)) * 16777619u;
    h = (h ^ (v >> 8)) * 16777619u;
  }
  bench_box.audio_hash = h;
  bench_box.audio_samples += (uint32_t)n;
}

/* What the firmware does after the cart's frame, phase by phase. */
static void device_phases(int r) {
  p8_state *p8 = rp8_machine();
  if (r == RP8_FRAME) rp8_snap_take(p8, &snap);
  BKPT(BENCH_BKPT_SNAP);
  if (r == RP8_FRAME) {
    rp8_scaler_frame(&scaler);
    for (int y = 0; y < PANEL; y++) rp8_scaler_line(&scaler, &snap, y, line);
  }
  BKPT(BENCH_BKPT_DISPLAY);
  uint32_t fps = rp8_fps() == 60 ? 60u : 30u;
  audio_acc += P8_AUDIO_RATE;
  uint32_t n = audio_acc / fps;
  audio_acc -= n * fps;
  p8_audio_render(p8, samples, (int)n);
  hash_samples(samples, (int)n);
  BKPT(BENCH_BKPT_AUDIO);
}

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
  rp8_scaler_init(&scaler, RP8_SCALE_FIT, PANEL, PANEL);
  bench_box.audio_hash = 2166136261u;
  int game_loop = 0;                   /* the runner has marked a frame of _update/_draw */
  for (;;) {
    for (int p = 0; p < 8; p++) masks[p] = (uint8_t)plat_buttons(p);
    uint32_t marked = bench_box.frame;
    uint32_t start = plat_time_us();
    int r = rp8_frame(masks);
    note_arena();
    if (r == RP8_FRAME) {
      if (bench_box.frame != marked) {
        game_loop = 1;
      } else if (game_loop && plat_time_us() - start > 1000000u / (rp8_fps() == 60 ? 60u : 30u)) {
        /* The clock cut a frame of the game loop (rt_tick_slow): the
        ** device shows it, and the cart's _update goes on in the next. The
        ** cart's frame is all of it, so its cycles go to the next marks. */
        BKPT(BENCH_BKPT_CUT);
      } else {
        /* A cart with its own loop (flip() then goto, or no flip() at all:
        ** then the clock ends each frame) has no _update/_draw for the
        ** runner to mark: its whole frame counts as update. */
        plat_frame_mark(0);
        plat_frame_mark(1);
      }
      plat_present(rp8_machine());
      device_phases(r);
    } else if (r == RP8_SKIP) {
      device_phases(r);
    } else if (r == RP8_ERROR || r == RP8_STOPPED) {
      report();
      bench_exit(r == RP8_ERROR ? BENCH_STATUS_ERROR : BENCH_STATUS_ENDED);
    } else if (r == RP8_END) {
      bench_exit(BENCH_STATUS_ENDED);
    }
  }
}
