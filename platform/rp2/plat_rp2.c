/*
** plat_rp2.c -- platform.h on pico-sdk (RP2040 and RP2350).
**
** core0 runs the cart; core1 owns the display and the sound:
**   plat_present  copies the frame into the snapshot (rp8_frame.h), hands
**                 it to core1 with a FRAME message through the SIO FIFO
**                 (rp8_link.h) and returns; it waits only while core1
**                 still reads the previous frame;
**   plat_audio_frame  asks core1 for the frame's sound and returns; the
**                 engine waits for that render (p8->audio_fence) before
**                 anything that touches what it uses (p8_audio.h), so the
**                 samples are the desktop's;
**   core1         converts the snapshot line by line into two small
**                 ping-pong buffers (RP8_LINES lines each) while DMA feeds
**                 the other one to the ST7789 over SPI, and sends DONE as
**                 soon as it has read the last line; it renders the sound
**                 in pieces while it waits for DMA, or at once when it has
**                 no frame to send.
** Buttons are sampled every millisecond by a timer and debounced
** (rp8_input.h). Audio goes to PWM by two chained DMA channels that loop
** over a 2048-sample ring, paced by a DMA timer at 22050 Hz. Cartdata
** lives in two flash sectors below the last one (rp8_store.h). printh goes to
** stdio (UART; USB when the build enables it).
**
** The board's pins and options come from rp8_board.h, which `rp8 build`
** writes from the board file (a TOML file in boards/).
**
** RP8_EMU=1 (console/firmware/emulate.py, for the rp2040js emulator, which
** runs core0 only and has no SIO FIFO): core1 is never started and
** plat_present runs core1's display code on core0 itself, then returns,
** and plat_audio_frame renders the sound on core0 before returning.
** Everything else -- clocks, timer, buttons, SPI, DMA -- is unchanged.
*/
#include <string.h>

#include "pico/stdlib.h"
#include "pico/multicore.h"
#include "hardware/clocks.h"
#include "hardware/dma.h"
#include "hardware/flash.h"
#include "hardware/gpio.h"
#include "hardware/pwm.h"
#include "hardware/spi.h"
#include "hardware/sync.h"
#include "hardware/vreg.h"

#include "platform.h"
#include "rp8_board.h"
#include "rp8_frame.h"
#include "rp8_input.h"
#include "rp8_link.h"
#include "rp8_store.h"

#define LCD_SPI __CONCAT(spi, RP8_LCD_SPI)

#ifndef RP8_EMU
#define RP8_EMU 0
#endif

#ifndef RP8_LINES
#define RP8_LINES 4            /* panel lines per DMA buffer */
#endif

/* ---- state shared by the cores ---- */

static rp8_snap snap;                       /* core0 writes, core1 reads */
static rp8_scaler scaler;                   /* core1 only */
static uint16_t linebuf[2][RP8_LINES * RP8_LCD_W];
static rp8_link_tx link_tx;                 /* core0 only */
static rp8_link_rx link_rx;                 /* core1 only */
static int lcd_dma;
static volatile uint32_t link_errors;
static uint32_t t0_us;

/* ---- ST7789 ---- */

static void lcd_wait_idle(void) {
  while (spi_is_busy(LCD_SPI)) tight_loop_contents();
}

/* A command and its parameter bytes, in 8-bit SPI frames. */
static void lcd_cmd(uint8_t cmd, const uint8_t *arg, size_t n) {
  spi_set_format(LCD_SPI, 8, RP8_LCD_CPOL, RP8_LCD_CPHA, SPI_MSB_FIRST);
  gpio_put(RP8_LCD_CS, 0);
  gpio_put(RP8_LCD_DC, 0);
  spi_write_blocking(LCD_SPI, &cmd, 1);
  if (n) {
    gpio_put(RP8_LCD_DC, 1);
    spi_write_blocking(LCD_SPI, arg, n);
  }
  lcd_wait_idle();
  gpio_put(RP8_LCD_CS, 1);
}

static void lcd_window(void) {
  uint16_t x0 = RP8_LCD_XOFF, y0 = RP8_LCD_YOFF;
  uint16_t x1 = (uint16_t)(x0 + RP8_LCD_W - 1), y1 = (uint16_t)(y0 + RP8_LCD_H - 1);
  uint8_t ca[4] = { (uint8_t)(x0 >> 8), (uint8_t)x0, (uint8_t)(x1 >> 8), (uint8_t)x1 };
  uint8_t ra[4] = { (uint8_t)(y0 >> 8), (uint8_t)y0, (uint8_t)(y1 >> 8), (uint8_t)y1 };
  lcd_cmd(0x2a, ca, 4);                     /* CASET */
  lcd_cmd(0x2b, ra, 4);                     /* RASET */
}

/* The ST7789 sequence from its datasheet: reset, wake, 16-bit colour,
** orientation (MADCTL from the board's rotation), inversion (IPS panels
** such as these need INVON to show true colours), display on. */
static void lcd_init(void) {
  static const uint8_t colmod = 0x55, madctl = RP8_LCD_MADCTL;
  spi_init(LCD_SPI, RP8_LCD_SPI_HZ);
  gpio_set_function(RP8_LCD_SCK, GPIO_FUNC_SPI);
  gpio_set_function(RP8_LCD_MOSI, GPIO_FUNC_SPI);
  gpio_init(RP8_LCD_CS);
  gpio_set_dir(RP8_LCD_CS, GPIO_OUT);
  gpio_put(RP8_LCD_CS, 1);
  gpio_init(RP8_LCD_DC);
  gpio_set_dir(RP8_LCD_DC, GPIO_OUT);
#if RP8_LCD_RST >= 0
  gpio_init(RP8_LCD_RST);
  gpio_set_dir(RP8_LCD_RST, GPIO_OUT);
  gpio_put(RP8_LCD_RST, 0);
  sleep_ms(20);
  gpio_put(RP8_LCD_RST, 1);
  sleep_ms(120);
#endif
  lcd_cmd(0x01, NULL, 0);                   /* SWRESET */
  sleep_ms(150);
  lcd_cmd(0x11, NULL, 0);                   /* SLPOUT */
  sleep_ms(120);
  lcd_cmd(0x3a, &colmod, 1);                /* COLMOD: RGB565 */
  lcd_cmd(0x36, &madctl, 1);                /* MADCTL */
  lcd_cmd(RP8_LCD_INVERT ? 0x21 : 0x20, NULL, 0);
  lcd_cmd(0x13, NULL, 0);                   /* NORON */
  lcd_cmd(0x29, NULL, 0);                   /* DISPON */
#if RP8_LCD_BL >= 0
  gpio_init(RP8_LCD_BL);
  gpio_set_dir(RP8_LCD_BL, GPIO_OUT);
  gpio_put(RP8_LCD_BL, 1);
#endif
}

/* ---- core1: the display ---- */

/* Everything core1 runs once it has handed a frame back is in SRAM and
** touches registers directly (no SDK calls that may live in flash), so
** core0 may erase and program flash while core1 idles. */
static void lcd_dma_wait(void);


static void __not_in_flash_func(lcd_dma_send)(const uint16_t *buf, uint32_t n) {
  lcd_dma_wait();
  dma_hw->ch[lcd_dma].read_addr = (uintptr_t)buf;
  dma_hw->ch[lcd_dma].al1_transfer_count_trig = n;
}

/* Start a frame: CASET/RASET/RAMWR in 8-bit frames, then pixels in 16-bit
** frames so DMA sends each uint16 most significant byte first, as the
** ST7789 wants, without a byte swap per pixel. */
static void lcd_begin_frame(void) {
  lcd_window();
  spi_set_format(LCD_SPI, 8, RP8_LCD_CPOL, RP8_LCD_CPHA, SPI_MSB_FIRST);
  gpio_put(RP8_LCD_CS, 0);
  gpio_put(RP8_LCD_DC, 0);
  {
    uint8_t ramwr = 0x2c;
    spi_write_blocking(LCD_SPI, &ramwr, 1);
  }
  lcd_wait_idle();
  gpio_put(RP8_LCD_DC, 1);
  spi_set_format(LCD_SPI, 16, RP8_LCD_CPOL, RP8_LCD_CPHA, SPI_MSB_FIRST);
}

static void __not_in_flash_func(lcd_send_frame)(void) {
  int y, b = 0;
  rp8_scaler_frame(&scaler);
  for (y = 0; y < RP8_LCD_H; y += RP8_LINES) {
    int i, n = RP8_LCD_H - y < RP8_LINES ? RP8_LCD_H - y : RP8_LINES;
    uint16_t *buf = linebuf[b];
    /* buf's last transfer ended before the other buffer's began */
    for (i = 0; i < n; i++) rp8_scaler_line(&scaler, &snap, y + i, buf + i * RP8_LCD_W);
#if !RP8_EMU
    if (y + n >= RP8_LCD_H) {
      /* the snapshot is read: core0 may take the next frame */
      while (!(sio_hw->fifo_st & SIO_FIFO_ST_RDY_BITS)) tight_loop_contents();
      sio_hw->fifo_wr = rp8_link_rx_release(&link_rx);
      __sev();
    }
#endif
    lcd_dma_send(buf, (uint32_t)(n * RP8_LCD_W));
    b ^= 1;
  }
  lcd_dma_wait();
}

/* One frame to the panel from the snapshot. */
static void __not_in_flash_func(lcd_show_frame)(void) {
  /* the SPI is idle between frames: lcd_send_frame waited for DMA, and
  ** the SPI drains its FIFO before lcd_begin_frame changes format */
  while (spi_get_hw(LCD_SPI)->sr & SPI_SSPSR_BSY_BITS) tight_loop_contents();
  gpio_put(RP8_LCD_CS, 1);
  lcd_begin_frame();
  lcd_send_frame();
}

/* ---- sound ---- */

/* The frame's sound, rendered by core1 (core0 in RP8_EMU): core0 sets
** audio_p8, audio_quiet, then audio_want (samples; 0: nothing asked), and
** core1 clears audio_want when the samples are in the ring. */
static p8_state *volatile audio_p8;
static volatile uint32_t audio_want;
static volatile uint8_t audio_quiet;
static int16_t audio_buf[P8_AUDIO_RATE / 30 + 1];

/* Samples [at, at + n) of the frame's sound into the ring. Rendering a
** frame in pieces gives the samples of one render (the synth's state
** carries over; tests/engine/test_audio_reference.py renders any sizes). */
static void render_sound(p8_state *p8, uint32_t at, uint32_t n, int quiet) {
  if (quiet)
    memset(audio_buf + at, 0, n * sizeof audio_buf[0]);   /* the synth stays where it was */
  else
    p8_audio_render(p8, audio_buf + at, (int)n);
  plat_audio_push(audio_buf + at, (int)n);
}

#if !RP8_EMU
/* p8->audio_fence (core0): wait until core1 has no render running. */
static void __not_in_flash_func(audio_fence)(p8_state *p8) {
  (void)p8;
  while (audio_want) tight_loop_contents();
  __dmb();                                  /* its writes before ours */
}

/* Samples of the request core1 has rendered so far (core1 only). */
static uint32_t audio_done;

/* Up to `most` more samples of the request (core1); it is answered
** (audio_want = 0) once all of them are in the ring. */
static void __not_in_flash_func(core1_sound)(uint32_t most) {
  uint32_t want = audio_want, n;
  __dmb();                                  /* the request's fields first */
  n = want - audio_done < most ? want - audio_done : most;
  render_sound(audio_p8, audio_done, n, audio_quiet);
  audio_done += n;
  if (audio_done < want) return;
  audio_done = 0;
  __dmb();
  audio_want = 0;
  __sev();
}
#endif

/* Sound pieces while DMA sends a line buffer: a 60 fps cart's frame is
** the panel transfer (14.7 ms for 240x240 at 62.5 MHz), and sound rendered
** after it would push the frame past 16.7 ms. A piece starts only while at
** least half a buffer is left to send (about 120 us), so the next buffer's
** transfer starts late by little or nothing. */
#define AUDIO_PIECE 32                      /* samples: the synth's own piece */
static void __not_in_flash_func(lcd_dma_wait)(void) {
  while (dma_hw->ch[lcd_dma].ctrl_trig & DMA_CH0_CTRL_TRIG_BUSY_BITS) {
#if !RP8_EMU
    /* (the count's top bits are the RP2350's mode field) */
    if (audio_want && (dma_hw->ch[lcd_dma].transfer_count & 0x0fffffffu) > RP8_LCD_W * RP8_LINES / 2) {
      core1_sound(AUDIO_PIECE);
      continue;
    }
#endif
    tight_loop_contents();
  }
}

void plat_audio_frame(p8_state *p8, int n, int quiet) {
#if RP8_EMU
  render_sound(p8, 0, (uint32_t)n, quiet);
#else
  audio_fence(p8);
  p8->audio_fence = audio_fence;
  audio_p8 = p8;
  audio_quiet = (uint8_t)quiet;
  __dmb();
  audio_want = (uint32_t)n;
  __sev();
#endif
}

#if !RP8_EMU
/* A frame to show first (its DMA waits render the sound), else the rest
** of the sound at once (core0 may be waiting for it). */
static void __not_in_flash_func(core1_main)(void) {
  for (;;) {
    uint32_t msg;
    if (!(sio_hw->fifo_st & SIO_FIFO_ST_VLD_BITS)) {
      if (audio_want) core1_sound(audio_want);
      else __wfe();                           /* core0's __sev wakes it */
      continue;
    }
    msg = sio_hw->fifo_rd;
    if (rp8_link_rx_receive(&link_rx, msg) != RP8_LINK_OK) {
      link_errors++;
      continue;
    }
    lcd_show_frame();
  }
}
#endif

static void display_init(void) {
  dma_channel_config c;
  lcd_init();
  rp8_scaler_init(&scaler, RP8_SCALE, RP8_LCD_W, RP8_LCD_H);
  lcd_dma = dma_claim_unused_channel(true);
  c = dma_channel_get_default_config((uint)lcd_dma);
  channel_config_set_transfer_data_size(&c, DMA_SIZE_16);
  channel_config_set_dreq(&c, spi_get_dreq(LCD_SPI, true));
  channel_config_set_read_increment(&c, true);
  channel_config_set_write_increment(&c, false);
  dma_channel_configure((uint)lcd_dma, &c, &spi_get_hw(LCD_SPI)->dr, linebuf[0], 0, false);
  rp8_link_tx_init(&link_tx);
  rp8_link_rx_init(&link_rx);
#if !RP8_EMU
  multicore_launch_core1(core1_main);
#endif
}

/* Wait for core1's DONE (core0). */
static void link_wait_free(void) {
  while (!rp8_link_tx_free(&link_tx)) {
    uint32_t msg = multicore_fifo_pop_blocking();
    if (rp8_link_tx_receive(&link_tx, msg) != RP8_LINK_OK) link_errors++;
  }
}

void plat_present(const p8_state *p8) {
  link_wait_free();
  /* rp8_snap_take reads only; the engine's present API is not const */
  rp8_snap_take((p8_state *)(uintptr_t)p8, &snap);
#if RP8_EMU
  lcd_show_frame();                         /* core0 does core1's part */
#else
  __dmb();                                  /* snapshot visible before FRAME */
  multicore_fifo_push_blocking(rp8_link_tx_publish(&link_tx));
#endif
}

/* ---- buttons ---- */

static rp8_input input;
static repeating_timer_t input_timer;

static bool input_tick(repeating_timer_t *t) {
  (void)t;
  rp8_input_sample(&input, gpio_get_all());
  return true;
}

static void buttons_init(void) {
  static const uint32_t masks[RP8_BUTTONS] = RP8_BUTTON_MASKS;
  uint32_t all = 0;
  int i, pin;
  for (i = 0; i < RP8_BUTTONS; i++) all |= masks[i];
  for (pin = 0; pin < 32; pin++) {
    if (!(all & (1u << pin))) continue;
    gpio_init((uint)pin);
    gpio_set_dir((uint)pin, GPIO_IN);
    gpio_pull_up((uint)pin);
  }
  rp8_input_init(&input, masks);
  add_repeating_timer_ms(-1, input_tick, NULL, &input_timer);
}

uint32_t plat_buttons(int player) {
  return player == 0 ? rp8_input_state(&input) : 0;
}

/* ---- audio ---- */

#if RP8_AUDIO_PIN >= 0
#define RING_LEN 2048                        /* samples; 93 ms at 22050 Hz */
#define PWM_WRAP 1023                        /* 10-bit levels */
static uint16_t ring[RING_LEN] __attribute__((aligned(RING_LEN * 2)));
static int audio_dma[2];
static uint32_t ring_w;                      /* next sample to write */

/* The sample the DMA reads next. */
static uint32_t ring_read_pos(void) {
  int i;
  for (i = 0; i < 2; i++) {
    if (dma_channel_is_busy((uint)audio_dma[i]))
      return (uint32_t)((dma_hw->ch[audio_dma[i]].read_addr - (uintptr_t)ring) / 2) % RING_LEN;
  }
  return 0;
}

static void audio_init(void) {
  uint slice = pwm_gpio_to_slice_num(RP8_AUDIO_PIN);
  pwm_config pc = pwm_get_default_config();
  int timer = dma_claim_unused_timer(true), i;
  uint32_t div = (clock_get_hz(clk_sys) + 11025) / 22050;
  for (i = 0; i < RING_LEN; i++) ring[i] = (PWM_WRAP + 1) / 2;
  pwm_config_set_wrap(&pc, PWM_WRAP);
  pwm_init(slice, &pc, true);
  gpio_set_function(RP8_AUDIO_PIN, GPIO_FUNC_PWM);
  /* 22050 Hz = clk_sys * 1 / div */
  dma_timer_set_fraction((uint)timer, 1, (uint16_t)div);
  audio_dma[0] = dma_claim_unused_channel(true);
  audio_dma[1] = dma_claim_unused_channel(true);
  for (i = 0; i < 2; i++) {
    dma_channel_config c = dma_channel_get_default_config((uint)audio_dma[i]);
    channel_config_set_transfer_data_size(&c, DMA_SIZE_16);  /* lands in both halves of CC */
    channel_config_set_read_increment(&c, true);
    channel_config_set_write_increment(&c, false);
    channel_config_set_ring(&c, false, 12);                  /* wrap reads at 4096 bytes */
    channel_config_set_dreq(&c, dma_get_timer_dreq((uint)timer));
    channel_config_set_chain_to(&c, (uint)audio_dma[i ^ 1]);
    dma_channel_configure((uint)audio_dma[i], &c, &pwm_hw->slice[slice].cc, ring, RING_LEN, false);
  }
  dma_channel_start((uint)audio_dma[0]);
  ring_w = RING_LEN / 2;
}

void plat_audio_push(const int16_t *samples, int n) {
  uint32_t r = ring_read_pos(), ahead = (ring_w - r) % RING_LEN, i;
  /* late (the reader passed us) or too far ahead: restart a little after
  ** the reader, so latency stays bounded */
  if (ahead > RING_LEN * 3 / 4) ring_w = (r + 256) % RING_LEN;
  for (i = 0; i < (uint32_t)n; i++) {
    uint32_t level = ((uint32_t)((int32_t)samples[i] + 32768) * (PWM_WRAP + 1)) >> 16;
    ring[(ring_w + i) % RING_LEN] = (uint16_t)level;
  }
  ring_w = (ring_w + (uint32_t)n) % RING_LEN;
  /* silence after the new samples, so a late frame is quiet, not a loop */
  for (i = 0; i < (uint32_t)n && i < RING_LEN / 4; i++)
    ring[(ring_w + i) % RING_LEN] = (PWM_WRAP + 1) / 2;
}
#else
static void audio_init(void) {}

void plat_audio_push(const int16_t *samples, int n) {
  (void)samples;
  (void)n;                                  /* this board has no speaker */
}
#endif

/* ---- cartdata in flash ---- */

/* Two sectors just below the last one: pico-sdk keeps the last sector of
** an RP2350 free for the RP2350-E10 erratum workaround (see
** pico/btstack_flash_bank.h), so rp8 does the same on both chips. */
#define STORE_OFFSET (PICO_FLASH_SIZE_BYTES - 3 * RP8_STORE_SECTOR)

static const uint8_t *flash_read(void *ctx, uint32_t off) {
  (void)ctx;
  return (const uint8_t *)(XIP_BASE + STORE_OFFSET + off);
}

/* Core1 runs only SRAM code while it holds no frame (see core1_main), so
** waiting for it to hand the last frame back is enough: no lockout. */
static void flash_erase(void *ctx, uint32_t off) {
  uint32_t irq;
  (void)ctx;
  link_wait_free();
#if !RP8_EMU
  audio_fence(NULL);                        /* the synth runs from flash */
#endif
  irq = save_and_disable_interrupts();
  flash_range_erase(STORE_OFFSET + off, RP8_STORE_SECTOR);
  restore_interrupts(irq);
}

static void flash_program(void *ctx, uint32_t off, const uint8_t *data, uint32_t n) {
  uint32_t irq;
  (void)ctx;
  link_wait_free();
#if !RP8_EMU
  audio_fence(NULL);
#endif
  irq = save_and_disable_interrupts();
  flash_range_program(STORE_OFFSET + off, data, n);
  restore_interrupts(irq);
}

static const rp8_flash store = { flash_read, flash_erase, flash_program, NULL };

int plat_cartdata_load(const char *cart_id, uint8_t out[256]) {
  return rp8_store_load(&store, cart_id, out);
}

void plat_cartdata_save(const char *cart_id, const uint8_t data[256]) {
  rp8_store_save(&store, cart_id, data);
}

/* ---- clocks, time, log ---- */

void plat_init(void) {
#if RP8_VREG_MV > 0
  vreg_set_voltage(RP8_VREG);
  sleep_ms(10);                             /* let the regulator settle */
#endif
#if RP8_CLOCK_KHZ > 0
  set_sys_clock_khz(RP8_CLOCK_KHZ, true);
#endif
  stdio_init_all();
  buttons_init();
  display_init();
  audio_init();
  t0_us = time_us_32();
}

uint32_t plat_time_us(void) { return time_us_32() - t0_us; }

void plat_wait_until(uint32_t t_us) {
  int32_t left = (int32_t)(t_us - plat_time_us());
  if (left > 0) sleep_us((uint64_t)left);
}

void plat_frame_mark(int phase) { (void)phase; }

/* Firmware counts no CPU units (no CPU model on devices), so this is never
** called there; a device has no window to close mid-frame either. */
const char *plat_poll(int64_t frame_half_ticks) {
  (void)frame_half_ticks;
  return 0;
}

void plat_log(const char *s, size_t n) {
  stdio_put_string(s, (int)n, false, true);
}
