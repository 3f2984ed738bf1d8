/*
** p8_wave.c -- PICO-8's eight instruments as integer oscillators.
**
** Shapes and levels follow the measurements of PICO-8's own WAV exports
** published with zepto8 (src/synth.cpp): the triangle peaks at half full
** scale, square and pulse at a quarter, the saw at 0.653 x 0.5, the organ
** is two triangles of different slopes, the phaser two triangles 109/110
** apart. Those facts are re-derived here in fixed point: a phase is a
** 32-bit fraction of a cycle, `t` its top 16 bits, and every result is
** Q15 (32768 = full scale), so the output is exact and the same on every
** machine.
*/
#include "p8.h"
#include "p8_audio.h"

#define ONE 65536            /* 1.0 in the Q16 intermediate values */

static int32_t iabs(int32_t x) { return x < 0 ? -x : x; }

/* 1 - |4t - 2|: the basic triangle, -1..1 (Q16), lowest at t = 0. */
static int32_t tri(int32_t t) { return ONE - iabs(4 * t - 2 * ONE); }

/* Tilted saw rising over [0, a) and falling over [a, 1), -1..1 (Q16).
** a = 7/8 normally, 39/40 with buzz: 2/a and 2/(1-a) become the exact
** ratios 16/7 and 16, or 80/39 and 80. */
static int32_t tilted(int32_t t, int buzz) {
  if (buzz)
    return t * 80 < 2 * ONE * 39 ? t * 80 / 39 - ONE : (ONE - t) * 80 - ONE;
  return t * 16 < 2 * ONE * 7 ? t * 16 / 7 - ONE : (ONE - t) * 16 - ONE;
}

/* Saw: t for t < 1/2, t - 1 after, times 0.653 (21398/32768). Buzz lowers
** it to 0.83 and drops every other half cycle by 0.085, so the shape
** repeats over two cycles. */
static int32_t saw(const p8_osc *o, int32_t t, int buzz) {
  int32_t r = t < ONE / 2 ? t : t - ONE;
  if (buzz) {
    int high = o->odd ? t < ONE / 2 : t >= ONE / 2;
    r = r * 83 / 100 - (high ? 5571 : 0);
  }
  return r * 21398 / ONE;
}

/* Organ: a steep triangle over the first half cycle and a shallower one
** over the second, /9. Buzz cuts the top of the first triangle. */
static int32_t organ(int32_t t, int buzz) {
  int32_t r = t < ONE / 2 ? 3 * ONE - iabs(24 * t - 6 * ONE)
                          : ONE - iabs(16 * t - 12 * ONE);
  if (buzz) {
    if (t < ONE / 2) {
      r = 2 * r + 3 * ONE;
      r = r > -(ONE * 15 / 8) ? r / 5 - ONE : r + ONE / 2;
    } else {
      r += ONE / 2;
    }
  }
  return r / 18;
}

/* Phaser: a triangle at the note plus one at 109/110 of it, /6; buzz adds
** two smaller triangles at twice and four times the note. */
static int32_t phaser(const p8_osc *o, int32_t t, int buzz) {
  int32_t t2 = (int32_t)(o->phase2 >> 16);
  int32_t r = (2 * ONE - iabs(8 * t - 4 * ONE)) + tri(t2);
  if (buzz) {
    int32_t u = (2 * t + ONE / 2) & (ONE - 1);
    int32_t w = (4 * t) & (ONE - 1);
    r += ONE / 4 - iabs(u - ONE / 2);
    r += ONE / 8 - iabs(w / 2 - ONE / 4);
  }
  return r / 12;
}

/* One sample of built-in waveform `wave` (not noise) at phase `t` (the
** phase's top 16 bits); the buzzed saw reads the cycle parity, the phaser
** its second phase. */
static inline int32_t wave_at(const p8_osc *o, int32_t t, int wave, int buzz) {
  switch (wave & 7) {
  case 0:                                   /* triangle */
    if (buzz) return (3 * tri(t) + tilted(t, 0)) / 16;
    return tri(t) / 4;
  case 1: return tilted(t, buzz) / 4;       /* tilted saw */
  case 2: return saw(o, t, buzz);           /* saw */
  case 3: return t < (buzz ? 26214 : ONE / 2) ? 8192 : -8192;  /* square */
  case 4: return t < (buzz ? 16712 : 20709) ? 8192 : -8192;    /* pulse */
  case 5: return organ(t, buzz);            /* organ */
  case 7: return phaser(o, t, buzz);        /* phaser */
  default: return 0;                        /* noise: p8_noise_run() */
  }
}

/* A 0.2.6 waveform instrument: 64 signed 8-bit samples per cycle, played
** as stored (no interpolation), +-128 mapped to half full scale like the
** triangle. */
static inline int32_t table_at(const uint8_t *samples, uint32_t phase) {
  int32_t s = samples[phase >> 26];
  if (s >= 128) s -= 256;
  return s * 128;
}

/* Advance an oscillator by n samples of `inc` each: the phase, the parity
** of whole cycles (flipped at every wrap of the phase: as many flips as
** 2^32 multiples crossed) and the phaser's second phase, whose increment
** inc - inc/110 is a division, made only when the pitch changes. */
/* x / 110 as a multiply (the M0+ divides in a library call): x/110 is
** (x/2)/55, and y/55 = y * ceil(2^37/55) >> 37 exactly for every y < 2^31
** (checked for all 2^32 values of x). */
static uint32_t div110(uint32_t x) {
  return (uint32_t)(((uint64_t)(x >> 1) * 2498890064u) >> 37);
}

void p8_osc_advance(p8_osc *o, uint32_t inc, int n) {
  uint64_t end = (uint64_t)o->phase + (n == 1 ? (uint64_t)inc : (uint64_t)inc * (uint32_t)n);
  if (inc != o->inc) {
    o->inc = inc;
    o->inc2 = inc - div110(inc);
  }
  o->odd ^= (uint8_t)((end >> 32) & 1);
  o->phase = (uint32_t)end;
  o->phase2 += o->inc2 * (uint32_t)n;
}

/* n samples of a waveform into out, one per step of `inc`: the built-in
** `wave` (0-7 but noise), or with `tab` the waveform instrument it points
** at. The waveform is chosen once per run; each loop keeps in locals only
** what its shape reads, and the oscillator is advanced as a whole after. */
void p8_wave_run(p8_osc *o, uint32_t inc, int wave, int buzz, const uint8_t *tab,
                 int32_t *out, int n) {
  p8_osc s = *o;
  uint32_t ph = o->phase;
  int j;
  if (tab != NULL) {
    for (j = 0; j < n; j++, ph += inc) out[j] = table_at(tab, ph);
  } else if ((wave & 7) == 2 && buzz) {     /* the buzzed saw reads the parity */
    for (j = 0; j < n; j++) {
      out[j] = saw(&s, (int32_t)(s.phase >> 16), 1);
      if (s.phase + inc < s.phase) s.odd ^= 1;
      s.phase += inc;
    }
  } else if ((wave & 7) == 7) {             /* the phaser reads its second phase */
    uint32_t inc2 = inc == o->inc ? o->inc2 : inc - div110(inc);
    for (j = 0; j < n; j++) {
      out[j] = phaser(&s, (int32_t)(s.phase >> 16), buzz);
      s.phase += inc;
      s.phase2 += inc2;
    }
  } else {
#define P8_WAVE_LOOP(w, b) \
    for (j = 0; j < n; j++, ph += inc) out[j] = wave_at(&s, (int32_t)(ph >> 16), w, b)
    switch ((wave & 7) | (buzz ? 8 : 0)) {  /* constant shapes: one loop each */
    case 0: P8_WAVE_LOOP(0, 0); break;
    case 1: P8_WAVE_LOOP(1, 0); break;
    case 2: P8_WAVE_LOOP(2, 0); break;
    case 3: P8_WAVE_LOOP(3, 0); break;
    case 4: P8_WAVE_LOOP(4, 0); break;
    case 5: P8_WAVE_LOOP(5, 0); break;
    case 8: P8_WAVE_LOOP(0, 1); break;
    case 9: P8_WAVE_LOOP(1, 1); break;
    case 11: P8_WAVE_LOOP(3, 1); break;
    case 12: P8_WAVE_LOOP(4, 1); break;
    case 13: P8_WAVE_LOOP(5, 1); break;
    default: for (j = 0; j < n; j++) out[j] = 0; break;   /* noise */
    }
#undef P8_WAVE_LOOP
  }
  p8_osc_advance(o, inc, n);
}

/* As p8_wave_run for a built-in waveform, with a pitch that changes every
** sample (slides, vibrato, drops): incs[j] steps sample j, as n
** p8_osc_advance calls of one sample would. */
void p8_wave_run_incs(p8_osc *o, const uint32_t *incs, int wave, int buzz,
                      int32_t *out, int n) {
  p8_osc s = *o;
  int j;
  for (j = 0; j < n; j++) {
    uint32_t inc = incs[j];
    out[j] = wave_at(&s, (int32_t)(s.phase >> 16), wave, buzz);
    if (s.phase + inc < s.phase) s.odd ^= 1;
    s.phase += inc;
    if (inc != s.inc) {
      s.inc = inc;
      s.inc2 = inc - div110(inc);
    }
    s.phase2 += s.inc2;
  }
  *o = s;
}

/* xorshift32: a fixed, seedable generator, so noise is reproducible. */
static uint32_t rng_next(uint32_t *s) {
  uint32_t x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *s = x;
}

/* A uniform value in [-1, 1) as Q16. */
static int32_t rng_unit(uint32_t *s) {
  return (int32_t)(rng_next(s) >> 15) - ONE;
}

/* Floor division of a signed value by 2^n, without relying on how the
** compiler shifts negative numbers. */
static int32_t asr(int32_t x, int n) { return x < 0 ? ~(~x >> n) : x >> n; }

/* The phase increment of pitch 63, the highest note (2489 Hz). */
#define INC_TOP 484818220u

/* Instrument 6. PICO-8's noise is white noise through a one-pole low pass
** whose cut-off follows the pitch: s = f / f(63), y += s/(1+s) (x - y),
** with the level made up by 1.5 (1 + (1 - key/63)^2) (zepto8's fit of
** PICO-8 exports). With the NOIZ filter it is pure white noise: a fresh
** value each time an accumulator running at the pitch wraps, so pitch 63
** draws a new value every sample. With BUZZ and no NOIZ it is brown noise:
** the random values are integrated (with a small leak so it stays
** centred) instead of low-passed. */
/* The noise level by key: 1.5 (1 + k^2/63^2) as Q8 with k = 63 - key, that
** is 384 + 384 k^2 / 3969 (tests/engine/test_audio_tables.py recomputes it). */
static const int16_t noise_gain[64] = {
  768, 755, 744, 732, 720, 709, 698, 687, 676, 666, 655, 645, 635, 625, 616, 606,
  597, 588, 579, 571, 562, 554, 546, 538, 531, 523, 516, 509, 502, 495, 489, 483,
  476, 471, 465, 459, 454, 449, 444, 439, 435, 430, 426, 422, 418, 415, 411, 408,
  405, 402, 400, 397, 395, 393, 391, 390, 388, 387, 386, 385, 384, 384, 384, 384,
};

/* n samples of noise at increment `inc` (the pitch's, key for its level)
** into out. */
void p8_noise_run(p8_channel *c, uint32_t inc, int key, int noiz, int buzz,
                  int32_t *out, int n) {
  uint32_t s;
  int32_t y, coef, gain = noise_gain[key < 0 ? 0 : key > 63 ? 63 : key];
  int j;
  if (inc != c->noise_inc) {                   /* divisions: on a new pitch only */
    s = inc / (INC_TOP >> 16);                 /* f / f(63), Q16 */
    if (s >= 4 * ONE) s = 4 * ONE - 1;        /* keeps s << 14 in range */
    c->noise_inc = inc;
    c->noise_s = s;
    c->noise_coef = (int32_t)((s << 14) / ((ONE + s) >> 2));   /* s / (1 + s), Q16 */
  }
  s = c->noise_s;
  coef = c->noise_coef >> 4;
  y = c->noise;
  for (j = 0; j < n; j++) {
    if (noiz) {
      c->noise_hold += s;
      if (c->noise_hold >= ONE) {
        c->noise_hold &= ONE - 1;
        y = rng_unit(&c->rng);
      }
      out[j] = y / 4;
      continue;
    }
    if (buzz) {
      y += asr(coef * asr(rng_unit(&c->rng), 2), 12);
      y -= asr(y, 6);
    } else {
      y += asr(coef * (rng_unit(&c->rng) - y), 12);
    }
    if (y > ONE) y = ONE;
    if (y < -ONE) y = -ONE;
    out[j] = asr(y * gain, 9);                 /* Q16 x Q8 -> Q15 */
  }
  c->noise = y;
}
