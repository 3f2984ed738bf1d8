/*
** bench_plat.c -- platform.h for bare-metal benchmark images.
**
** Nothing here waits or touches a peripheral: the image measures work, so
** time is emulated time (the host's count), presenting only counts, audio and
** cartdata stay in RAM, and every frame boundary is a BKPT the emulator
** stops at (see bench_mailbox.h).
*/
#include <string.h>

#include "platform.h"
#include "bench_mailbox.h"

/* First in RAM, so the runners find it at the RAM base. */
__attribute__((section(".mailbox"), used))
volatile bench_mailbox bench_box;

static uint8_t saved_cartdata[256];
static uint8_t have_cartdata;

/* The immediate of BKPT is part of the instruction, so each marker has its
** own asm statement. The "memory" clobber makes every store to the mailbox
** happen before the stop and every read after it. */
#define BKPT(n) __asm__ volatile("bkpt %0" : : "i"(n) : "memory")

void bench_note_arena(uint32_t size, uint32_t used) {
  bench_box.arena_size = size;
  if (used > bench_box.arena_peak) bench_box.arena_peak = used;
}

void bench_exit(uint32_t status) {
  bench_box.status = status;
  for (;;) BKPT(BENCH_BKPT_END);
}

void plat_init(void) {
  bench_box.status = BENCH_STATUS_RUNNING;
  BKPT(BENCH_BKPT_READY);
}

uint32_t plat_buttons(int player) {
  if (player < 0 || player > 7) return 0;
  return bench_box.buttons[player] & 0x7fu;
}

void plat_present(const p8_state *p8) {
  (void)p8;
  bench_box.presents++;
}

/* Emulated time, as the device's microsecond timer: the host answers the
** BKPT with the cycles (rp2040js; unicorn: instructions) run so far at the
** chip's clock. So a frame is cut when its emulated time is up, as on the
** device (rt_host.cpp's rt_tick_slow), and runs stay deterministic. An
** image never waits, so wall-clock time would only measure the emulator. */
uint32_t plat_time_us(void) {
  BKPT(BENCH_BKPT_CLOCK);
  return bench_box.time_us;
}

void plat_wait_until(uint32_t t_us) {
  (void)t_us;
}

void plat_frame_mark(int phase) {
  if (phase == 0) {
    BKPT(BENCH_BKPT_UPDATE);
  } else {
    bench_box.frame++;
    BKPT(BENCH_BKPT_DRAW);
    if (bench_box.frames_wanted != 0 && bench_box.frame >= bench_box.frames_wanted)
      bench_exit(BENCH_STATUS_DONE);
  }
}

/* Nothing stops a bench run from inside a frame: the emulator's own
** per-frame limit catches a runaway image. */
const char *plat_poll(int64_t frame_half_ticks) {
  (void)frame_half_ticks;
  return 0;
}

void plat_log(const char *s, size_t n) {
  uint32_t used = bench_box.log_len;
  size_t room = BENCH_LOG_SIZE - used;
  if (n > room) n = room;
  for (size_t i = 0; i < n; i++) bench_box.log[used + i] = s[i];
  bench_box.log_len = used + (uint32_t)n;
}

int plat_cartdata_load(const char *cart_id, uint8_t out[256]) {
  (void)cart_id;
  if (!have_cartdata) return -1;
  memcpy(out, saved_cartdata, sizeof saved_cartdata);
  return 0;
}

void plat_cartdata_save(const char *cart_id, const uint8_t data[256]) {
  (void)cart_id;
  memcpy(saved_cartdata, data, sizeof saved_cartdata);
  have_cartdata = 1;
}

void plat_audio_push(const int16_t *samples, int n) {
  (void)samples;
  (void)n;
}
