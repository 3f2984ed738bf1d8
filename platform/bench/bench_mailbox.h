/*
** bench_mailbox.h -- how a bench image and the emulator driving it talk.
**
** The image stops at a BKPT at every frame boundary (plat_frame_mark). While
** it is stopped, the runner on the host (benches/rp2040_runner.mjs for
** rp2040js, console/bench/m33.py for unicorn) reads the cycle or instruction
** counter and this mailbox, writes the next frame's buttons into it, and
** resumes. The mailbox sits at the start of RAM (section .mailbox, first in
** the linker scripts), so the runners find it without reading symbols.
**
** BKPT immediates (the runners decode them from the instruction):
**   0x10  update done     0x11  draw done (one frame finished)
**   0x12  snapshot taken  0x13  panel lines converted  0x14  audio rendered
**         (the firmware's work after a frame, bench_main.c)
**   0x15  the clock cut a frame of the game loop (bench_main.c): the
**         cart's frame goes on in the next
**   0x21  clock: the host writes the emulated time into time_us
**         (plat_time_us, bench_plat.c); not a frame boundary
**   0x20  ready: plat_init ran, the first frame has not started
**   0x30  the program ended (status says how)
**   0x3f  a fault (HardFault or another exception)
*/
#ifndef bench_mailbox_h
#define bench_mailbox_h

#include <stdint.h>

#define BENCH_MAGIC      0x42385052u   /* "RP8B" little endian */
#define BENCH_VERSION    2u
#define BENCH_LOG_SIZE   512u

#define BENCH_BKPT_UPDATE 0x10
#define BENCH_BKPT_DRAW   0x11
#define BENCH_BKPT_SNAP    0x12
#define BENCH_BKPT_DISPLAY 0x13
#define BENCH_BKPT_AUDIO   0x14
#define BENCH_BKPT_CUT     0x15
#define BENCH_BKPT_CLOCK  0x21
#define BENCH_BKPT_READY  0x20
#define BENCH_BKPT_END    0x30
#define BENCH_BKPT_FAULT  0x3f

/* status: why the program ended */
#define BENCH_STATUS_RUNNING 0u
#define BENCH_STATUS_DONE    1u   /* ran the frames it was asked for */
#define BENCH_STATUS_ERROR   2u   /* a runtime error; the text is in log */
#define BENCH_STATUS_ENDED   3u   /* the cart returned (no game loop) */

typedef struct bench_mailbox {
  uint32_t magic;              /* BENCH_MAGIC once startup has run */
  uint32_t version;            /* BENCH_VERSION */
  uint32_t frames_wanted;      /* host: stop after this many frames (0: never) */
  uint32_t frame;              /* image: frames finished so far */
  uint32_t buttons[8];         /* host: buttons of players 0-7 for the next frame */
  uint32_t status;             /* image: BENCH_STATUS_* */
  uint32_t arena_size;         /* image: bytes in the GC arena (0: none) */
  uint32_t arena_peak;         /* image: high-water mark of arena use */
  uint32_t presents;           /* image: plat_present calls */
  uint32_t stack_base;         /* image: lowest address of the main stack */
  uint32_t stack_top;          /* image: initial stack pointer */
  uint32_t log_len;            /* image: bytes of log used (it stops when full) */
  char log[BENCH_LOG_SIZE];    /* printh output and error text */
  uint32_t seed_raw;           /* host: srand() bits for the cart (raw fix32) */
  uint32_t audio_hash;         /* image: FNV-1a of every audio sample's bytes */
  uint32_t audio_samples;      /* image: samples rendered */
  uint32_t time_us;            /* host, at BKPT 0x21: cycles (or instructions) so far / MHz */
} bench_mailbox;

extern volatile bench_mailbox bench_box;

/* Called by the program's main loop after boot and after every frame: note
** the arena numbers the runtime reports, so the host can read peak RAM (a
** high-water mark sampled at frame ends, not inside a frame). */
void bench_note_arena(uint32_t size, uint32_t used);

/* Stop for good with a status (BKPT 0x30, then loop). */
void bench_exit(uint32_t status);

#endif
