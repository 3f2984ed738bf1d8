/*
** p8_audio.c -- the sequencer and mixer: sfx(), music(), note effects,
** SFX instruments, filters and the per-channel hardware effects.
**
** Time is counted in half-samples (a tick is 2 x 183 of them) so that a
** channel set to half rate at 0x5f40 simply advances by one instead of two.
** Note data, speeds, loops, filters and music flags are read from RAM at
** every sample, so pokes are heard at once. Behaviour that the PICO-8
** manual states is followed to the letter; where it is silent, the
** measurements published by zepto8 and fake-08 (src/pico8/sfx.cpp,
** source/Audio.cpp) are the reference, and the choice is said in place.
*/
#include <string.h>

#include "p8.h"
#include "p8_audio.h"

#define HALF_TICK   (2 * P8_AUDIO_TICK)       /* one tick in half-samples */
#define VOL_ONE     16384                     /* volumes are Q14 */
#define FADE_ONE    (1 << 24)                 /* music fade level */
#define DECLICK     170                       /* samples: 1/130 s */
#define QUIET_AFTER (16 * P8_AUDIO_ECHO)      /* echo has died away */
#define VIB         (16 * HALF_TICK)          /* vibrato period, half-samples */
#define P8_AUDIO_BLOCK 32                     /* samples rendered in one piece */

/* P8_REFERENCE=1 (as in p8_draw.h) renders sample by sample, every channel
** through channel_sample: the reference the pieces are tested against. */
#ifndef P8_REFERENCE
#define P8_REFERENCE 0
#endif

/* Phase increment per sample (2^32 = one cycle at 22050 Hz) of each pitch:
** round(440 * 2^((key - 33) / 12) * 2^32 / 22050). Pitch 33 is 440 Hz;
** tests/engine/test_audio_tables.py recomputes the table from this formula. */
static const uint32_t pitch_inc[64] = {
  12740059, 13497623, 14300233, 15150569, 16051469, 17005939,
  18017165, 19088521, 20223584, 21426141, 22700205, 24050030,
  25480119, 26995246, 28600467, 30301139, 32102938, 34011878,
  36034330, 38177043, 40447168, 42852281, 45400411, 48100060,
  50960238, 53990491, 57200933, 60602278, 64205876, 68023757,
  72068660, 76354085, 80894335, 85704563, 90800821, 96200119,
  101920476, 107980983, 114401866, 121204555, 128411753, 136047513,
  144137319, 152708170, 161788671, 171409126, 181601643, 192400238,
  203840952, 215961966, 228803732, 242409110, 256823506, 272095026,
  288274639, 305416341, 323577341, 342818251, 363203285, 384800477,
  407681904, 431923931, 457607465, 484818220,
};

/* Note volumes 0-7 as Q14: v * 16384 / 7 (a table: the M0+ has no divide
** instruction, so a division by a constant is a library call there). */
static const int32_t vol_q14[8] = {0, 2340, 4681, 7021, 9362, 11702, 14043, 16384};

/* An sfx's filter byte (byte 64) holds detune = b/8 %3, reverb = b/24 %3 and
** dampen = b/72 %3; indexed by b >> 3 this table holds them as
** detune | reverb << 2 | dampen << 4 (tests/engine/test_audio_tables.py checks). */
static const uint8_t filter_digits[32] = {
  0, 1, 2, 4, 5, 6, 8, 9, 10, 16, 17, 18, 20, 21, 22, 24,
  25, 26, 32, 33, 34, 36, 37, 38, 40, 41, 42, 0, 1, 2, 4, 5,
};
#define DETUNE(b) (filter_digits[(b) >> 3] & 3)
#define REVERB(b) ((filter_digits[(b) >> 3] >> 2) & 3)
#define DAMPEN(b) (filter_digits[(b) >> 3] >> 4)

/* 2^48 / pitch_inc[24]: SFX instruments play relative to C2 (pitch 24),
** so their increments are scaled by main / pitch_inc[24]. */
#define INV_C2 5523424u

/* Dampen: RBJ-cookbook high shelves (Q = 1) at 2400 Hz / -6 dB and
** 1000 Hz / -12 dB, zepto8's fit of PICO-8's two low-pass levels, as Q14
** coefficients b0 b1 b2 a1 a2. The sum of their magnitudes times 32767
** stays below 2^31, so the filter cannot overflow on clamped input. */
static const int32_t damp_coef[2][5] = {
  { 9644, -8911, 3151, -19713, 7213 },
  { 4735, -6840, 2691, -28104, 12306 },
};

/* Detune: the second voice's frequency ratio (Q16) by waveform, for
** detune 1 and 2 (zepto8's measurements): a fourth/fifth for the
** triangle, a slight offset or an octave or two for the others. */
static const uint32_t detune_ratio[8][2] = {
  { 49152, 98304 },    /* triangle: 3/4, 3/2 */
  { 65865, 131730 },   /* tilted saw: 200/199, 400/199 */
  { 65865, 131730 },   /* saw */
  { 65865, 131730 },   /* square */
  { 65865, 131730 },   /* pulse */
  { 65865, 263461 },   /* organ: 200/199, 800/199 (as a triangle) */
  { 0, 0 },            /* noise: no second voice */
  { 64225, 131730 },   /* phaser: 49/50, 400/199 */
};

typedef struct note {
  uint8_t key, wave, vol, fx, custom;
} note;

/* What one channel sounds like for one sample. */
typedef struct voice {
  int wave;            /* 0-7 built in, 8-15 waveform instrument 0-7 */
  int key;             /* effective pitch, for the noise level */
  uint32_t inc;
  int32_t vol;         /* Q14 */
  uint8_t filters;     /* sfx byte 64 */
} voice;

uint32_t p8_audio_phase_inc(int key) {
  return key >= 0 && key < 64 ? pitch_inc[key] : 0;
}

static const uint8_t *sfx_at(const p8_state *p8, int n) {
  return p8->ram + P8_MEM_SFX + 68 * (n & 63);
}

static int sfx_speed(const uint8_t *s) { return s[65] ? s[65] : 1; }

static note read_note(const uint8_t *s, int i) {
  note n = { 0, 0, 0, 0, 0 };
  if (i < 32) {
    unsigned w = (unsigned)s[2 * i] | (unsigned)s[2 * i + 1] << 8;
    n.key = w & 63;
    n.wave = (w >> 6) & 7;
    n.vol = (w >> 9) & 7;
    n.fx = (w >> 12) & 7;
    n.custom = (uint8_t)(w >> 15);
  }
  return n;
}

/* Loop start < end: the sfx loops (until released by sfx(-2)). */
static int sfx_loops(const uint8_t *s) { return s[67] > s[66]; }

/* The note index at which a playing sfx stops. A looping sfx never stops;
** otherwise it is 32 notes, or LEN (loop end 0, loop start > 0) notes.
** Sound effects (not music) also stop after their last audible note, which
** frees the channel (and clears stat 46..49) as PICO-8 does; music keeps
** the full length and ignores LEN (observed by zepto8). */
static int sfx_end(const uint8_t *s, int is_music, int can_loop) {
  int end = 32, last;
  if (sfx_loops(s) && can_loop) return 256;
  if (is_music) return 32;
  if (s[67] == 0 && s[66] > 0) end = s[66];
  for (last = 32; last > 0 && read_note(s, last - 1).vol == 0; last--)
    ;
  return end < last ? end : last;
}

/* Linear interpolation a + (b - a) t, t in Q16. */
static uint32_t lerp_inc(uint32_t a, uint32_t b, uint32_t t) {
  if (b >= a) return a + (uint32_t)(((uint64_t)(b - a) * t) >> 16);
  return a - (uint32_t)(((uint64_t)(a - b) * t) >> 16);
}

/* (d * t) >> 16 for d < 2^29 and t <= 2^16 without a 64-bit multiply
** (a library call on the M0+): the halves of d, each product exact. */
static uint32_t mul_q16(uint32_t d, uint32_t t) {
  return (d >> 16) * t + (((d & 0xffff) * t) >> 16);
}

static int32_t clamp(int32_t x, int32_t lo, int32_t hi) {
  return x < lo ? lo : x > hi ? hi : x;
}

/* Floor division by 2^n that does not depend on how the compiler shifts
** negative numbers. */
static int32_t asr(int32_t x, int n) { return x < 0 ? ~(~x >> n) : x >> n; }

static int64_t asr64(int64_t x, int n) { return x < 0 ? ~(~x >> n) : x >> n; }

/* ---- playing one sfx ------------------------------------------------- */

static void play_start(p8_play *p, int n, int note, uint32_t sub) {
  p->sfx = (int8_t)n;
  p->note = (uint8_t)note;
  p->sub = sub;
  p->played = 0;
  p->fresh = 1;
  p->prev_key = 24;     /* slide on a first note starts from C2 (zepto8) */
  p->prev_vol = 0;      /* ... and does not slide the volume */
}

/* Move to the next note: loop, or stop at the end or after `length`. */
static void play_next(p8_play *p, const uint8_t *s, int is_music,
                      int can_loop, int length) {
  note cur = read_note(s, p->note);
  int next = p->note + 1;
  p->prev_key = cur.key;
  p->prev_vol = cur.vol;
  p->played++;
  if (length > 0 && p->played >= length) {
    p->sfx = -1;
    return;
  }
  if (can_loop && sfx_loops(s) && next >= s[67]) next = s[66];
  if (next >= sfx_end(s, is_music, can_loop)) {
    p->sfx = -1;
    return;
  }
  p->note = (uint8_t)next;
  p->fresh = 1;
}

/* Advance by `step` half-samples. A speed poked lower mid-note ends the
** note at once. */
static void play_advance(p8_state *p8, p8_play *p, int step, int is_music,
                         int can_loop, int length) {
  const uint8_t *s;
  uint32_t len;
  if (p->sfx < 0) return;
  s = sfx_at(p8, p->sfx);
  len = (uint32_t)sfx_speed(s) * HALF_TICK;
  p->sub += (uint32_t)step;
  if (p->sub < len) return;
  p->sub -= len;
  if (p->sub >= len) p->sub = 0;
  play_next(p, s, is_music, can_loop, length);
}

/* A note's pitch and volume at the current moment, effects applied.
** Returns 0 when the note is silent. `instrument` marks a note that plays
** an SFX instrument: its drop effect means "retrigger", not a pitch drop. */
/* How far into its note p is, Q16 (only effects that change over the note
** need it: a division per sample). */
static uint32_t note_t(const p8_play *p, int speed) {
  return (p->sub << 15) / ((uint32_t)speed * P8_AUDIO_TICK);
}

static int note_voice(const p8_play *p, const uint8_t *s, note nt,
                      int instrument, voice *v) {
  int speed = sfx_speed(s);
  uint32_t t, pos;
  v->filters = s[64];                      /* echoes ring on through rests */
  if (nt.vol == 0) return 0;
  v->key = nt.key;
  v->inc = pitch_inc[nt.key];
  v->vol = vol_q14[nt.vol];
  v->wave = nt.wave;
  switch (nt.fx) {
  case 1:            /* slide from the previous note's pitch and volume */
    t = note_t(p, speed);
    v->inc = lerp_inc(pitch_inc[p->prev_key & 63], v->inc, t);
    if (p->prev_vol > 0) {
      int32_t from = vol_q14[p->prev_vol & 7];
      v->vol = from + asr((v->vol - from) * (int32_t)t, 16);
    }
    break;
  case 2: {          /* vibrato: a triangle LFO of 16 ticks, +-1/4 semitone */
    int32_t x;
    pos = p->note * (uint32_t)speed * HALF_TICK + p->sub;   /* half-samples since note 0 */
    x = (int32_t)((pos % (16 * HALF_TICK)) * 65536 / (16 * HALF_TICK));
    int32_t lfo = (x < 32768 ? 32768 - x : x - 32768) - 16384;  /* +-1/4 */
    int64_t d = ((int64_t)v->inc * 3897) >> 16;   /* (2^(1/12) - 1), Q16 */
    v->inc = (uint32_t)((int64_t)v->inc + asr64(d * lfo, 16));
    break;
  }
  case 3:            /* drop towards 0 Hz */
    if (!instrument)
      v->inc = (uint32_t)(((uint64_t)v->inc * (65536 - note_t(p, speed))) >> 16);
    break;
  case 4:            /* fade in */
    v->vol = (int32_t)(((uint32_t)v->vol * note_t(p, speed)) >> 16);
    break;
  case 5:            /* fade out */
    v->vol = (int32_t)(((uint32_t)v->vol * (65536 - note_t(p, speed))) >> 16);
    break;
  case 6:            /* arpeggio over the group of 4: every 4 or 8 ticks, */
  case 7: {          /* halved when speed <= 8 (the manual) */
    uint32_t every = (nt.fx == 6 ? 4u : 8u) >> (speed <= 8);
    uint32_t n;
    pos = p->note * (uint32_t)speed * HALF_TICK + p->sub;
    n = pos / HALF_TICK / every;
    note a = read_note(s, (p->note & ~3) | (int)(n & 3));
    v->key = a.key;
    v->inc = pitch_inc[a.key];
    break;
  }
  default:
    break;
  }
  return 1;
}

/* ---- channels ---------------------------------------------------------- */

static void channel_start(p8_state *p8, int ch, int n, int note, uint32_t sub,
                          int is_music, int length) {
  p8_channel *c = &p8->audio.ch[ch];
  play_start(&c->main, n, note, sub);
  c->is_music = (uint8_t)is_music;
  c->can_loop = 1;
  c->length = (uint8_t)(length > 255 ? 255 : length);
  c->inst.sfx = -1;
  c->last_vol = 0;          /* the first note always triggers instruments */
  c->last_inst = 0xff;
  if (note >= sfx_end(sfx_at(p8, n), is_music, 1)) c->main.sfx = -1;
}

static void channel_stop(p8_channel *c) {
  c->main.sfx = -1;
  c->inst.sfx = -1;
  c->is_music = 0;
}

/* A music sfx held back by an sfx() starts where the pattern has got to. */
static void channel_resume_music(p8_state *p8, int ch) {
  p8_audio *a = &p8->audio;
  p8_channel *c = &a->ch[ch];
  int n = c->music_sfx;
  const uint8_t *s = sfx_at(p8, n);
  uint32_t len = (uint32_t)sfx_speed(s) * HALF_TICK;
  uint32_t note = a->pos / len, sub = a->pos % len;
  c->music_sfx = -1;
  if (sfx_loops(s) && note >= s[66]) note = s[66] + (note - s[66]) % (s[67] - s[66]);
  if (note >= 32) return;
  channel_start(p8, ch, n, (int)note, sub, 1, 0);
}

static int is_wavetable(const uint8_t *s) { return (s[66] & 0x80) != 0; }

/* Combine filters: the instrument's switches are added to the note's. */
static uint8_t merge_filters(uint8_t note_f, uint8_t inst_f) {
  int bits = (note_f | inst_f) & 6;
  int detune = DETUNE(inst_f) ? DETUNE(inst_f) : DETUNE(note_f);
  int reverb = REVERB(inst_f) ? REVERB(inst_f) : REVERB(note_f);
  int dampen = DAMPEN(inst_f) ? DAMPEN(inst_f) : DAMPEN(note_f);
  return (uint8_t)(bits + 8 * detune + 24 * reverb + 72 * dampen);
}

/* The channel's voice for this sample; 0 when it is silent. *steady is set
** when it stays the same for the rest of the note: no effect on the note
** (nor on its SFX instrument's note) and no music fade. */
static int channel_voice(p8_state *p8, p8_channel *c, voice *v,
                         int *boundary, int *steady) {
  const uint8_t *s = sfx_at(p8, c->main.sfx);
  note nt = read_note(s, c->main.note);
  int fresh = c->main.fresh, sounding;
  const uint8_t *is;
  voice iv;
  c->main.fresh = 0;
  if (fresh) {
    /* SFX instruments retrigger only on a new pitch or after a silent
    ** note; the drop effect forces a retrigger (the manual). */
    if (nt.custom && nt.vol > 0 && !is_wavetable(sfx_at(p8, nt.wave))) {
      if (c->last_inst != nt.wave || c->last_key != nt.key ||
          c->last_vol == 0 || nt.fx == 3)
        play_start(&c->inst, nt.wave, 0, 0);
    } else {
      c->inst.sfx = -1;
    }
    c->last_inst = nt.custom ? nt.wave : 0xff;
    c->last_key = nt.key;
    c->last_vol = nt.vol;
  }
  *boundary = fresh || c->inst.fresh;
  c->inst.fresh = 0;
  *steady = nt.fx == 0 && !(c->is_music && p8->audio.fade_step != 0);
  sounding = note_voice(&c->main, s, nt, nt.custom, v);
  if (sounding && nt.custom) {
    is = sfx_at(p8, nt.wave);
    if (is_wavetable(is)) {            /* a drawn waveform at the note's pitch */
      v->wave = 8 + nt.wave;
      if (is[65] & 1) v->inc >>= 1;    /* "bass": an octave down */
      v->filters = merge_filters(v->filters, is[64]);
    } else if (c->inst.sfx < 0) {
      sounding = 0;                    /* the instrument has finished */
    } else {
      note in = read_note(is, c->inst.note);
      if (in.fx != 0) *steady = 0;
      if (!note_voice(&c->inst, is, in, 0, &iv)) {
        sounding = 0;
      } else {
        uint64_t f = ((uint64_t)iv.inc * v->inc) >> 24;
        f = (f * INV_C2) >> 24;        /* inst x main / C2 */
        v->inc = f > 0x7fffffffu ? 0x7fffffffu : (uint32_t)f;
        v->vol = (iv.vol * v->vol) >> 14;
        v->key = clamp(iv.key + v->key - 24, 0, 63);
        v->wave = iv.wave;
        v->filters = merge_filters(v->filters, iv.filters);
      }
    }
  }
  if (sounding && c->is_music)
    v->vol = (v->vol * (p8->audio.fade >> 10)) >> 14;
  return sounding && v->vol > 0;
}

/* n samples of a sounding voice, Q15, before the channel's filters; vols:
** each sample's volume, or NULL for v->vol; incs: each sample's pitch
** step, or NULL for v->inc. */
static void voice_run(p8_state *p8, p8_channel *c, const voice *v, const int32_t *vols,
                      const uint32_t *incs, int32_t *x, int n) {
  int buzz = (v->filters >> 2) & 1, noiz = (v->filters >> 1) & 1;
  int detune = DETUNE(v->filters), j;
  const uint8_t *tab = v->wave >= 8 ? sfx_at(p8, v->wave - 8) : NULL;
  uint32_t inc_d = 0;
  if (detune) {
    uint32_t r = detune_ratio[v->wave >= 8 ? 1 : v->wave][detune - 1];
    inc_d = (uint32_t)(((uint64_t)v->inc * r) >> 16);
  }
  if (incs != NULL && v->wave == 6) {   /* a pitch per sample, no detune */
    for (j = 0; j < n; j++) {
      p8_noise_run(c, incs[j], v->key, noiz, buzz, x + j, 1);
      p8_osc_advance(&c->osc, incs[j], 1);
    }
  } else if (incs != NULL) {
    p8_wave_run_incs(&c->osc, incs, v->wave, buzz, x, n);
  } else if (v->wave == 6) {
    p8_noise_run(c, v->inc, v->key, noiz, buzz, x, n);
    p8_osc_advance(&c->osc, v->inc, n);
    if (detune) p8_osc_advance(&c->osc_detune, inc_d, n);
  } else {
    p8_wave_run(&c->osc, v->inc, v->wave, buzz, tab, x, n);
    if (detune) {               /* the second voice at half level */
      int32_t d[P8_AUDIO_BLOCK];
      int w2 = (v->wave == 5 && detune == 2) ? 0 : v->wave;
      p8_wave_run(&c->osc_detune, inc_d, w2, buzz, tab, d, n);
      for (j = 0; j < n; j++) x[j] += d[j] / 2;
    }
  }
  if (vols != NULL) {          /* a volume per sample (fades) */
    for (j = 0; j < n; j++)
      x[j] = clamp(asr(clamp(x[j], -65535, 65535) * vols[j], 14), -32767, 32767);
  } else {
    for (j = 0; j < n; j++)
      x[j] = clamp(asr(clamp(x[j], -65535, 65535) * v->vol, 14), -32767, 32767);
  }
}

/* The crossfade of declick below over n samples, and the last value. */
static void click_fade(p8_channel *c, int32_t *x, int n) {
  int32_t click = c->click;
  int left = c->click_left, j;
  for (j = 0; j < n && left > 0; j++, left--)
    x[j] = (x[j] * (DECLICK - left) + click * left) / DECLICK;
  c->click_left = (uint16_t)left;
  c->last_out = x[n - 1];
}

/* A note change that jumps the waveform (new waveform, a volume step of
** more than 1/10, or a pitch change over 1%) would click, as would a sound
** starting or stopping mid-cycle: instead the new signal is crossfaded in
** over 1/130 s from the last value the old one had, as PICO-8 avoids pops
** between notes. Only note boundaries are checked, so slides and drops
** inside a note are left exactly as computed. */
static int32_t declick(p8_channel *c, int boundary, int wave, uint32_t inc,
                       int32_t vol, int32_t x) {
  uint32_t lo = inc < c->inc ? inc : c->inc;
  uint32_t d = inc > c->inc ? inc - c->inc : c->inc - inc;
  int32_t dv = vol - (int32_t)c->vol_q * 128;
  /* d > lo / 100 without a division (the M0+ has no divide instruction):
  ** for whole numbers the two are the same test */
  if (wave != c->wave || (boundary && (dv > VOL_ONE / 10 ||
                                       dv < -VOL_ONE / 10 ||
                                       (uint64_t)d * 100u > lo))) {
    c->click = c->last_out;
    c->click_left = DECLICK;
  }
  c->wave = (uint8_t)wave;
  c->inc = inc;
  c->vol_q = (uint8_t)(vol / 128);
  click_fade(c, &x, 1);
  return x;
}

static int32_t clamp_q14(int32_t y) { return clamp(asr(y, 14), -32767, 32767); }

/* One damp_coef biquad over n samples, in to out (separate buffers), state
** st = x1 x2 y1 y2. The sum is regrouped as it goes (transposed form: two
** partial sums carried instead of four values): the same integers, as no
** partial sum can overflow (see damp_coef), with fewer live registers on
** the M0+. */
static void biquad_run(int32_t *st, const int32_t *k, const int32_t *in, int32_t *out, int n) {
  int32_t k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4];
  int32_t z1 = k1 * st[0] + k2 * st[1] - k3 * st[2] - k4 * st[3];
  int32_t z2 = k2 * st[0] - k4 * st[2];
  int j;
  for (j = 0; j < n; j++) {
    int32_t x = in[j], y = clamp_q14(k0 * x + z1);
    z1 = k1 * x - k3 * y + z2;
    z2 = k2 * x - k4 * y;
    out[j] = y;
  }
  if (n >= 2) {
    st[1] = in[n - 2];
    st[3] = out[n - 2];
  } else {
    st[1] = st[0];
    st[3] = st[2];
  }
  st[0] = in[n - 1];
  st[2] = out[n - 1];
}

/* Reverb (echo 2 or 4 ticks back, fed back at half level), dampen (two
** low-pass levels: RBJ biquads that run whether or not their output is
** used, so switching one on does not click), then the 0x5f42 distortion;
** over xs[0..n) with the same filters and hardware bytes, added into mix.
** A pass per stage: the M0+ has too few registers for all at once. */
static void channel_fx(p8_state *p8, p8_channel *c, int ch, int32_t *xs, int n,
                       uint8_t filters, int32_t *mix) {
  uint8_t rv = p8->ram[P8_HW_REVERB], lp = p8->ram[P8_HW_LOWPASS];
  uint8_t ds = p8->ram[P8_HW_DISTORT];
  int reverb = REVERB(filters), dampen = DAMPEN(filters);
  int echo2 = reverb == 1 || (rv >> (ch + 4)) & 1;   /* 2 ticks ago */
  int echo4 = reverb == 2 || (rv >> ch) & 1;         /* 4 ticks ago */
  int damp1 = dampen == 1 || (lp >> (ch + 4)) & 1;
  int damp2 = dampen == 2 || (lp >> ch) & 1;
  int dist = (ds >> ch) & 1 ? 1 : (ds >> (ch + 4)) & 1 ? 2 : 0;
  int32_t other[P8_AUDIO_BLOCK], *cur = xs, *spare = other;
  int16_t *echo = c->echo;
  int pos = c->echo_pos, j;
  if (echo2 || echo4) {
    for (j = 0; j < n; j++) {
      int32_t x = xs[j];
      int half = pos + P8_AUDIO_ECHO / 2;
      if (half >= P8_AUDIO_ECHO) half -= P8_AUDIO_ECHO;
      if (echo2) x += echo[half] / 2;
      if (echo4) x += echo[pos] / 2;
      x = clamp(x, -32767, 32767);
      echo[pos] = (int16_t)x;
      xs[j] = x;
      if (++pos == P8_AUDIO_ECHO) pos = 0;
    }
  } else {
    /* no echo added: the samples are already within +-32767 (voice_run
    ** clamps, declick mixes two such values), so only the ring is fed */
    for (j = 0; j < n;) {
      int run = P8_AUDIO_ECHO - pos, end;
      if (run > n - j) run = n - j;
      for (end = j + run; j < end; j++) echo[pos++] = (int16_t)xs[j];
      if (pos == P8_AUDIO_ECHO) pos = 0;
    }
  }
  c->echo_pos = (uint16_t)pos;
  biquad_run(c->damp[0], damp_coef[0], cur, spare, n);
  if (damp1) {
    cur = spare;
    spare = xs;
  }
  biquad_run(c->damp[1], damp_coef[1], cur, spare, n);
  if (damp2) cur = spare;
  if (dist == 0) {
    for (j = 0; j < n; j++) mix[j] += clamp(cur[j], -32439, 32439);   /* 0.99 full scale */
    return;
  }
  for (j = 0; j < n; j++) {
    int32_t x = clamp(cur[j], -32439, 32439);
    if (dist == 1)                               /* 8 levels, toward zero */
      x = x / 0x1000 * 0x1249;
    else                                         /* 8 levels, rounded down */
      x = (x - (x < 0 ? 0x1000 : 0)) / 0x1000 * 0x1249;
    mix[j] += x;
  }
}

/* A channel with nothing to play whose echo has died away: it outputs 0
** and no step of channel_sample would change its state (declick has
** already settled on "no wave, no pitch, no volume"), so it can be skipped
** outright -- the common case, and most of the cost of a silent cart. */
static int channel_at_rest(const p8_channel *c) {
  return c->main.sfx < 0 && c->music_sfx < 0 && c->quiet >= QUIET_AFTER;
}

/* A channel's voice kept for the rest of one p8_audio_render call while
** its note is steady (channel_voice): RAM cannot change during a call, so
** the voice is the same at every sample until the channel's sfx, note or
** instrument note moves on (each of which also marks a note fresh). */
typedef struct held {
  voice v;
  int sounding;
  int8_t main_sfx, inst_sfx;
  uint8_t main_note, inst_note;
  uint8_t valid;
} held;

static int voice_held(const p8_channel *c, const held *h) {
  return h->valid && !c->main.fresh && !c->inst.fresh && h->main_sfx == c->main.sfx &&
         h->main_note == c->main.note && h->inst_sfx == c->inst.sfx &&
         h->inst_note == c->inst.note;
}

static void channel_sample(p8_state *p8, int ch, held *h, int32_t *mix) {
  p8_channel *c = &p8->audio.ch[ch];
  uint8_t hr = p8->ram[P8_HW_HALFRATE];
  int step = (hr >> ch) & 1 ? 1 : 2;
  voice v;
  int sounding = 0, boundary = 1, steady = 0;
  int32_t x = 0;
  if (channel_at_rest(c)) return;
  v.wave = 0;
  v.key = 0;
  v.inc = 0;
  v.vol = 0;
  v.filters = 0;
  if (c->main.sfx < 0 && c->music_sfx >= 0) channel_resume_music(p8, ch);
  if (c->main.sfx >= 0) {
    if (voice_held(c, h)) {
      v = h->v;
      sounding = h->sounding;
      boundary = 0;
    } else {
      sounding = channel_voice(p8, c, &v, &boundary, &steady);
      h->valid = (uint8_t)steady;
      if (steady) {
        h->v = v;
        h->sounding = sounding;
        h->main_sfx = c->main.sfx;
        h->main_note = c->main.note;
        h->inst_sfx = c->inst.sfx;
        h->inst_note = c->inst.note;
      }
    }
  }
  if (sounding) {
    if ((hr >> ch) & 1) v.inc >>= 1;          /* half rate: slower and lower */
    if ((hr >> (ch + 4)) & 1) v.inc >>= 1;    /* an octave down */
    voice_run(p8, c, &v, NULL, NULL, &x, 1);
  }
  x = declick(c, boundary, sounding ? v.wave : 0xff, v.inc, v.vol, x);
  /* A stopped channel rings on (echo, filters, declick) for a while, then
  ** rests from a clean state and costs nothing. */
  if (c->main.sfx < 0 && !sounding && c->click_left == 0) {
    if (c->quiet >= QUIET_AFTER) return;
    if (++c->quiet == QUIET_AFTER) {
      memset(c->echo, 0, sizeof c->echo);
      memset(c->damp, 0, sizeof c->damp);
      c->last_out = 0;
      return;
    }
  } else {
    c->quiet = 0;
  }
  channel_fx(p8, c, ch, &x, 1, v.filters, mix);
  if (c->main.sfx >= 0) {
    play_advance(p8, &c->main, step, c->is_music, c->can_loop, c->length);
    if (c->inst.sfx >= 0) play_advance(p8, &c->inst, step, 0, 1, 0);
    if (c->main.sfx < 0) channel_stop(c);
  }
}

/* Samples the sfx p can play before its note ends: its position moves by
** `step` half-samples a sample and the note ends when it reaches the
** note's length (play_advance). */
static int play_room(const p8_state *p8, const p8_play *p, int step) {
  uint32_t len = (uint32_t)sfx_speed(sfx_at(p8, p->sfx)) * HALF_TICK;
  if (p->sub >= len) return 0;
  return (int)((len - 1 - p->sub) >> (step - 1));
}

/* A silent main note past its first sample (whatever its effect), or one
** without an SFX instrument whose effect moves its voice only in steps (arpeggio) or only in volume (fade
** in, fade out): the voice channel_voice would give for up to n samples
** from now, into v (the volume of the last) and, for a fade, each
** sample's volume into vols (note_t's quotient kept and stepped instead of
** divided per sample); for a slide, vibrato or drop without detune, each
** sample's pitch into incs too, and the
** count is returned negated. Returns the samples covered, 0 for other
** notes or when the first is silent. */
static int effect_span(p8_state *p8, p8_channel *c, int step, voice *v, int32_t *vols,
                       uint32_t *incs, int n, int *sounding) {
  const uint8_t *s = sfx_at(p8, c->main.sfx);
  note nt = read_note(s, c->main.note);
  int speed = sfx_speed(s), m = 0;
  int32_t fade = p8->audio.fade >> 10;
  if (c->main.fresh || c->inst.sfx >= 0) return 0;
  if (nt.vol == 0) {            /* a silent note with an effect: silent throughout */
    v->wave = 0;
    v->key = 0;
    v->inc = 0;
    v->vol = 0;
    v->filters = s[64];
    vols[0] = 0;
    *sounding = 0;
    return n;
  }
  if (nt.custom) return 0;
  if (nt.fx == 6 || nt.fx == 7) {             /* the same voice to the next step */
    uint32_t every = ((nt.fx == 6 ? 4u : 8u) >> (speed <= 8)) * HALF_TICK;
    uint32_t pos = c->main.note * (uint32_t)speed * HALF_TICK + c->main.sub;
    uint32_t end = (pos / every + 1) * every;
    m = (int)(((end - 1 - pos) >> (step - 1)) + 1);
    if (m > n) m = n;
    note_voice(&c->main, s, nt, 0, v);
    if (c->is_music) v->vol = (v->vol * fade) >> 14;
    *sounding = v->vol > 0;
    vols[0] = v->vol;
    return m;
  }
  if (nt.fx == 4 || nt.fx == 5) {
    uint32_t d = (uint32_t)speed * P8_AUDIO_TICK, num = c->main.sub << 15;
    uint32_t t = num / d, r = num % d;
    uint32_t dt = ((uint32_t)step << 15) / d, dr = ((uint32_t)step << 15) % d;
    uint32_t base = (uint32_t)vol_q14[nt.vol];
    note_voice(&c->main, s, nt, 0, v);
    if (nt.fx == 5) {           /* fade out: count 65536 - t down instead */
      t = 65536 - t;
      dt = (uint32_t)-(int32_t)dt;
    }
    if (!c->is_music) fade = 1 << 14;
    for (; m < n; m++) {
      int32_t vol = (((int32_t)((base * t) >> 16)) * fade) >> 14;
      if (vol <= 0) break;
      vols[m] = vol;
      t += dt;
      r += dr;
      if (r >= d) {
        r -= d;
        t += nt.fx == 4 ? 1 : (uint32_t)-1;
      }
    }
    if (m == 0) return 0;
    v->vol = vols[m - 1];
    *sounding = 1;
    return m;
  }
  if (nt.fx >= 1 && nt.fx <= 3 && DETUNE(s[64]) == 0) {
    const p8_play *p = &c->main;
    uint32_t d = (uint32_t)speed * P8_AUDIO_TICK, num = p->sub << 15;
    uint32_t t = num / d, r = num % d;
    uint32_t dt = ((uint32_t)step << 15) / d, dr = ((uint32_t)step << 15) % d;
    uint32_t base = pitch_inc[nt.key], from = pitch_inc[p->prev_key & 63];
    int32_t vol0 = vol_q14[nt.vol], vfrom = vol_q14[p->prev_vol & 7];
    /* vibrato: the LFO's phase x = (pos % VIB) * 65536 / VIB, stepped */
    uint32_t vpm = (p->note * (uint32_t)speed * HALF_TICK + p->sub) % VIB;
    uint32_t vx = (vpm << 16) / VIB, vr = (vpm << 16) % VIB;
    uint32_t vdx = ((uint32_t)step << 16) / VIB, vdr = ((uint32_t)step << 16) % VIB;
    int32_t vd = (int32_t)(((int64_t)base * 3897) >> 16);   /* as note_voice */
    int32_t dh = vd >> 16, dl = vd & 0xffff;
    note_voice(p, s, nt, 0, v);
    for (; m < n; m++) {
      uint32_t inc;
      int32_t vol = vol0;
      if (nt.fx == 1) {
        inc = base >= from ? from + mul_q16(base - from, t) : from - mul_q16(from - base, t);
        if (p->prev_vol > 0) vol = vfrom + asr((vol0 - vfrom) * (int32_t)t, 16);
      } else if (nt.fx == 3) {
        inc = mul_q16(base, 65536 - t);
      } else {
        int32_t x = (int32_t)vx;
        int32_t lfo = (x < 32768 ? 32768 - x : x - 32768) - 16384;
        inc = base + (uint32_t)(dh * lfo + asr(dl * lfo, 16));
      }
      if (c->is_music) vol = (vol * fade) >> 14;
      if (vol <= 0) break;
      incs[m] = inc;
      vols[m] = vol;
      t += dt;
      r += dr;
      if (r >= d) {
        r -= d;
        t++;
      }
      vx += vdx;
      vr += vdr;
      if (vr >= VIB) {
        vr -= VIB;
        vx++;
      }
      vpm += (uint32_t)step;
      if (vpm >= VIB) {           /* a whole LFO period: x drops by exactly 65536 */
        vpm -= VIB;
        vx -= 65536;
      }
    }
    if (m == 0) return 0;
    v->vol = vols[m - 1];
    v->inc = incs[m - 1];
    *sounding = 1;
    return -m;
  }
  return 0;
}

/* Up to n samples of channel ch in one piece, before mixing, when nothing
** but the oscillators and filters changes over them: a held voice (the
** same note, its voice kept by channel_sample) that cannot click, up to
** the end of its note, or a stopped channel ringing out its echo. Each
** sample is what channel_sample would make, by the same functions run
** over the whole piece. Returns the samples made, 0 when the next sample
** needs channel_sample. */
static int channel_span(p8_state *p8, int ch, const held *h, int32_t *x, int n,
                        int32_t *mix) {
  p8_channel *c = &p8->audio.ch[ch];
  uint8_t hr = p8->ram[P8_HW_HALFRATE];
  int step = (hr >> ch) & 1 ? 1 : 2, m, j, sounding;
  int32_t vols[P8_AUDIO_BLOCK];
  uint32_t incs[P8_AUDIO_BLOCK];
  const int32_t *vols_used = NULL;
  const uint32_t *incs_used = NULL;
  voice v;
  if (c->main.sfx < 0) {          /* ringing out: declick settled, no music */
    if (c->music_sfx >= 0 || c->click_left || c->wave != 0xff || c->inc || c->vol_q)
      return 0;
    m = (int)(QUIET_AFTER - 1 - c->quiet);
    if (m > n) m = n;
    if (m <= 0) return 0;
    for (j = 0; j < m; j++) x[j] = 0;
    c->last_out = 0;
    c->quiet += (uint32_t)m;
    channel_fx(p8, c, ch, x, m, 0, mix);
    return m;
  }
  m = play_room(p8, &c->main, step);
  if (c->inst.sfx >= 0) {
    int mi = play_room(p8, &c->inst, step);
    if (mi < m) m = mi;
  }
  if (m > n) m = n;
  if (m <= 0) return 0;
  if (voice_held(c, h)) {
    v = h->v;
    sounding = h->sounding;
  } else {
    m = effect_span(p8, c, step, &v, vols, incs, m, &sounding);
    if (m == 0) return 0;
    if (m < 0) {
      m = -m;
      vols_used = vols;
      incs_used = incs;
    } else if (v.vol != vols[0]) {
      vols_used = vols;      /* a fade (monotonic: the same at both ends is constant) */
    }
  }
  if (sounding) {
    int shift = ((hr >> ch) & 1) + ((hr >> (ch + 4)) & 1);   /* as channel_sample */
    if (c->wave != v.wave) return 0;          /* would click */
    v.inc >>= shift;
    if (incs_used != NULL && shift)
      for (j = 0; j < m; j++) incs[j] >>= shift;
    voice_run(p8, c, &v, vols_used, incs_used, x, m);
  } else {
    if (c->wave != 0xff) return 0;
    for (j = 0; j < m; j++) x[j] = 0;
  }
  c->inc = v.inc;                             /* as declick leaves them */
  c->vol_q = (uint8_t)(v.vol / 128);
  click_fade(c, x, m);
  c->quiet = 0;
  channel_fx(p8, c, ch, x, m, v.filters, mix);
  c->main.sub += (uint32_t)(step * m);
  if (c->inst.sfx >= 0) c->inst.sub += (uint32_t)(step * m);
  return m;
}

/* n samples of channel ch added into mix. The music clock is at
** pos0 + pos_step * (i + 1) at sample i (a music sfx that an sfx() held
** back resumes from there). */
static void channel_run(p8_state *p8, int ch, held *h, int32_t *mix, int n,
                        uint32_t pos0, uint32_t pos_step) {
  p8_channel *c = &p8->audio.ch[ch];
  int32_t x[P8_AUDIO_BLOCK];
  int i = 0, m;
  while (i < n) {
    if (channel_at_rest(c)) return;           /* silence, nothing changes */
    m = P8_REFERENCE ? 0 : channel_span(p8, ch, h, x, n - i, mix + i);
    if (m > 0) {
      i += m;
      continue;
    }
    p8->audio.pos = pos0 + pos_step * (uint32_t)(i + 1);
    channel_sample(p8, ch, h, mix + i);
    i++;
  }
}

/* ---- music --------------------------------------------------------------- */

static const uint8_t *pattern_at(const p8_state *p8, int n) {
  return p8->ram + P8_MEM_MUSIC + 4 * n;
}

static void music_stop(p8_audio *a) {
  int i;
  for (i = 0; i < P8_AUDIO_CHANNELS; i++) {
    if (a->ch[i].is_music) channel_stop(&a->ch[i]);
    a->ch[i].music_sfx = -1;
  }
  a->pattern = -1;
  a->count = -1;
  a->pos = 0;
  a->len = 0;
  a->mask = 0;
}

/* A pattern lasts as long as its left-most non-looping sfx (32 notes or
** LEN); when every channel loops, as long as the slowest one takes for 32
** notes (the manual; zepto8). 0 when no channel is enabled. */
static uint32_t pattern_ticks(const p8_state *p8, int n) {
  const uint8_t *m = pattern_at(p8, n);
  uint32_t looping = 0;
  int i;
  for (i = 0; i < P8_AUDIO_CHANNELS; i++) {
    const uint8_t *s;
    uint32_t notes;
    if (m[i] & 0x40) continue;
    s = sfx_at(p8, m[i] & 63);
    if (sfx_loops(s)) {
      uint32_t t = 32u * (uint32_t)sfx_speed(s);
      if (t > looping) looping = t;
      continue;
    }
    notes = (s[67] == 0 && s[66] > 0) ? s[66] : 32;
    return notes * (uint32_t)sfx_speed(s);
  }
  return looping;
}

/* Start pattern n (or stop, for n outside 0..63 or an empty pattern).
** Channels busy with an sfx() pick their music up when it ends. */
static void music_pattern(p8_state *p8, int n) {
  p8_audio *a = &p8->audio;
  int i, count = a->count, mask = a->mask;
  uint32_t ticks = (n >= 0 && n < 64) ? pattern_ticks(p8, n) : 0;
  music_stop(a);
  if (ticks == 0) return;
  a->pattern = (int8_t)n;
  a->count = (int16_t)count;
  a->mask = (uint8_t)mask;
  a->pos = 0;
  a->len = ticks * HALF_TICK;
  for (i = 0; i < P8_AUDIO_CHANNELS; i++) {
    uint8_t b = pattern_at(p8, n)[i];
    if (b & 0x40) continue;
    if (a->ch[i].main.sfx < 0)
      channel_start(p8, i, b & 63, 0, 0, 1, 0);
    else
      a->ch[i].music_sfx = (int8_t)(b & 63);
  }
}

/* Advance the music clock (it runs at channel 0's rate, as in zepto8),
** apply the fade, and move on at the end of the pattern: stop, loop back
** to the nearest loop-start pattern at or before this one (else 0), or go
** to the next pattern. */
static void music_step(p8_state *p8, int step) {
  p8_audio *a = &p8->audio;
  const uint8_t *m;
  int next;
  if (a->pattern < 0) return;
  if (a->fade_step) {
    a->fade += a->fade_step * step;
    if (a->fade >= FADE_ONE) {
      a->fade = FADE_ONE;
      a->fade_step = 0;
    } else if (a->fade <= 0) {
      a->fade = 0;
      if (a->fade_step < 0) {
        music_stop(a);
        return;
      }
    }
  }
  a->pos += (uint32_t)step;
  if (a->pos < a->len) return;
  m = pattern_at(p8, a->pattern);
  if (m[2] & 0x80) {
    music_stop(a);
    return;
  }
  next = a->pattern + 1;
  if (m[1] & 0x80) {
    next = a->pattern;
    while (next > 0 && !(pattern_at(p8, next)[0] & 0x80)) next--;
  }
  a->count++;
  music_pattern(p8, next);
}

/* ---- the API ------------------------------------------------------------- */

void p8_audio_sync(p8_state *p8) {
  if (p8->audio_fence != NULL) p8->audio_fence(p8);
}

void p8_audio_init(p8_state *p8) {
  p8_audio *a = &p8->audio;
  int i;
  p8_audio_sync(p8);
  memset(a, 0, sizeof *a);
  for (i = 0; i < P8_AUDIO_CHANNELS; i++) {
    p8_channel *c = &a->ch[i];
    c->main.sfx = -1;
    c->inst.sfx = -1;
    c->music_sfx = -1;
    c->last_inst = 0xff;
    c->wave = 0xff;
    c->quiet = QUIET_AFTER;
    c->rng = 0x2545f491u * (uint32_t)(i + 1);   /* any fixed non-zero seed */
  }
  a->pattern = -1;
  a->count = -1;
  a->fade = FADE_ONE;
}

/* flr() of a fix32, as an int. */
static int fix_int(fix32 f) { return (int)(f < 0 ? ~(~f >> 16) : f >> 16); }

static int pick_channel(p8_audio *a, const p8_state *p8, int n) {
  int i, best = -1, slowest = 256;
  for (i = 0; i < P8_AUDIO_CHANNELS; i++)          /* idle, or playing n */
    if (!((a->mask >> i) & 1) &&
        (a->ch[i].main.sfx < 0 || a->ch[i].main.sfx == n))
      return i;
  for (i = 0; i < P8_AUDIO_CHANNELS; i++)          /* music may give way */
    if (!((a->mask >> i) & 1) && a->ch[i].is_music) return i;
  for (i = 0; i < P8_AUDIO_CHANNELS; i++) {        /* else the fastest sfx */
    int sp;
    if ((a->mask >> i) & 1) continue;
    sp = sfx_speed(sfx_at(p8, a->ch[i].main.sfx));
    if (sp <= slowest) {
      slowest = sp;
      best = i;
    }
  }
  return best;
}

void p8_sfx(p8_state *p8, fix32 fn, fix32 fchannel, fix32 foffset,
            fix32 flength) {
  p8_audio *a = &p8->audio;
  int n = fix_int(fn), ch = fix_int(fchannel);
  int offset = fix_int(foffset), length = fix_int(flength), i;
  p8_audio_sync(p8);
  if (n < -2 || n > 63 || ch < -2 || ch > 3) return;
  if (n < 0) {                  /* -1 stop, -2 release loops; not music */
    for (i = 0; i < P8_AUDIO_CHANNELS; i++) {
      if ((ch >= 0 && i != ch) || a->ch[i].is_music) continue;
      if (n == -1) channel_stop(&a->ch[i]);
      else a->ch[i].can_loop = 0;
    }
    return;
  }
  if (ch == -2) {               /* stop sfx n wherever it plays */
    for (i = 0; i < P8_AUDIO_CHANNELS; i++)
      if (a->ch[i].main.sfx == n) channel_stop(&a->ch[i]);
    return;
  }
  if (offset > 31) return;
  if (offset < 0) offset = 0;
  if (length < 0) length = 0;
  if (ch < 0) ch = pick_channel(a, p8, n);
  if (ch < 0) return;
  for (i = 0; i < P8_AUDIO_CHANNELS; i++)          /* one copy at a time */
    if (i != ch && a->ch[i].main.sfx == n && !a->ch[i].is_music)
      channel_stop(&a->ch[i]);
  if (a->ch[ch].is_music && a->ch[ch].main.sfx >= 0)
    a->ch[ch].music_sfx = a->ch[ch].main.sfx;      /* resume it later */
  channel_start(p8, ch, n, offset, 0, 0, length);
}

void p8_music(p8_state *p8, fix32 fn, fix32 ffade, fix32 fmask) {
  p8_audio *a = &p8->audio;
  int n = fix_int(fn), fade = fix_int(ffade);
  p8_audio_sync(p8);
  if (n < -1 || n > 63) return;
  if (n == -1) {
    if (a->pattern < 0) return;
    if (fade <= 0) {
      music_stop(a);
    } else {                    /* fade from the current level to 0 */
      int64_t d = (int64_t)a->fade * 10 / ((int64_t)fade * 441);
      a->fade_step = -(int32_t)(d > 0 ? d : 1);
    }
    return;
  }
  music_stop(a);
  a->count = 0;
  a->mask = (uint8_t)(fix_int(fmask) & 15);
  a->fade = FADE_ONE;
  a->fade_step = 0;
  if (fade > 0) {               /* fade in over fade ms (44.1 half-samples) */
    a->fade = 0;
    a->fade_step = (int32_t)((int64_t)FADE_ONE * 10 / ((int64_t)fade * 441));
    if (a->fade_step < 1) a->fade_step = 1;
  }
  music_pattern(p8, n);
}

/* Silence from here on: no music and every channel at rest. */
static int audio_at_rest(const p8_audio *a) {
  int ch;
  if (a->pattern >= 0) return 0;
  for (ch = 0; ch < P8_AUDIO_CHANNELS; ch++)
    if (!channel_at_rest(&a->ch[ch])) return 0;
  return 1;
}

/* Samples are made in pieces of up to P8_AUDIO_BLOCK, channel by channel:
** within a piece the music only moves its clock (a pattern change or a
** fade takes a piece of one sample, stepped first as music_step does), so
** channels do not affect each other and each can run its own spans. */
void p8_audio_render(p8_state *p8, int16_t *out, int nsamples) {
  p8_audio *a = &p8->audio;
  int i = 0, j, ch;
  int step = (p8->ram[P8_HW_HALFRATE] & 1) ? 1 : 2;
  int32_t mix[P8_AUDIO_BLOCK];
  held h[P8_AUDIO_CHANNELS];
  if (nsamples <= 0) return;
  if (p8->ram[P8_HW_AUDIO_PAUSE] == 1 || audio_at_rest(a)) {   /* nothing advances */
    memset(out, 0, (size_t)nsamples * sizeof *out);
    return;
  }
  memset(h, 0, sizeof h);
  while (i < nsamples) {
    int k = nsamples - i;
    uint32_t pos0, pos_step = 0;
    if (k > P8_AUDIO_BLOCK) k = P8_AUDIO_BLOCK;
    if (a->pattern >= 0 && (P8_REFERENCE || a->fade_step != 0 ||
                            a->pos + (uint32_t)step >= a->len)) {
      music_step(p8, step);
      k = 1;
    } else if (a->pattern >= 0) {             /* steps that stay in the pattern */
      uint32_t room = (a->len - 1 - a->pos) >> (step - 1);
      if ((uint32_t)k > room) k = (int)room;
      pos_step = (uint32_t)step;
    }
    pos0 = a->pos;
    for (j = 0; j < k; j++) mix[j] = 0;
    for (ch = 0; ch < P8_AUDIO_CHANNELS; ch++)
      channel_run(p8, ch, &h[ch], mix, k, pos0, pos_step);
    a->pos = pos0 + pos_step * (uint32_t)k;
    for (j = 0; j < k; j++) out[i + j] = (int16_t)clamp(mix[j], -32768, 32767);
    i += k;
  }
}

/* stat(46..57), and the legacy 16..26: what each channel plays, the note,
** the music pattern, patterns played, ticks into the pattern, and whether
** music is playing (57: 1 or 0, a boolean for the binding). */
fix32 p8_audio_stat(p8_state *p8, int n) {
  const p8_audio *a = &p8->audio;
  int v = -1;
  /* stat(n) calls this for every n: the others answer 0 without waiting
  ** for the audio side (the fence) */
  if (n >= 16 && n <= 26) n += 30;
  if (n < 46 || n > 57) return 0;
  p8_audio_sync(p8);
  if (n >= 46 && n <= 49) {
    v = a->ch[n - 46].main.sfx;
  } else if (n >= 50 && n <= 53) {
    const p8_play *p = &a->ch[n - 50].main;
    v = p->sfx < 0 ? -1 : p->note;
  } else if (n == 54) {
    v = a->pattern;
  } else if (n == 55) {
    v = a->pattern < 0 ? -1 : a->count;
  } else if (n == 56) {
    v = a->pattern < 0 ? -1 : (int)(a->pos / HALF_TICK);
  } else if (n == 57) {
    v = a->pattern >= 0;
  } else {
    v = 0;
  }
  return P8_FIX(v);
}

/* ---- print's "\a" ---------------------------------------------------------
** The PICO-8 manual (Appendix A, "Audio"):
**   ?"\a"     a single beep;   ?"\a12"   plays the existing data of sfx 12.
**   Without an index a non-active sfx of 60..63 is chosen. Commands appended
**   fill the sfx before it plays: first the sfx attributes "s" P0 (speed) and
**   "l" P0 P1 (loop start, end), then notes "a".."g", each optionally
**   followed by "#" (sharp) or "-" (flat) and an octave digit, "." for an
**   empty note, and note attributes "i" P0 (instrument, default 5), "v" P0
**   (volume, default 5), "x" P0 (effect, default 0), "<" / ">" (volume down
**   / up by 1). P0 digits are P8SCII parameters: '0'..'9', then 'a' = 10 ...
** Details the manual leaves open follow zepto8's implementation: the index
** is one or two decimal digits; the chosen sfx is the highest of 63..60 not
** playing (63 when all are); a filled sfx starts cleared with speed 4; the
** octave starts at 3 and a given octave (0-5) carries on to later notes;
** instrument, volume and effect keep their low 3 bits; the beep is key 46
** (A#3), instrument 0, volume 5, at speed 16. The sfx plays with
** sfx(n, -1). `cmd` is the command's bytes after "\a" up to the space that
** ends it. Returns the sfx index played, or -1 when it is not 0..63. */

static int p8scii_param(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a') return c - 'a' + 10;
  return 0;
}

/* the highest sfx of 63..60 that no channel is playing */
static int free_inline_sfx(const p8_state *p8) {
  int n, c;
  for (n = 63; n >= 60; n--) {
    for (c = 0; c < P8_AUDIO_CHANNELS; c++)
      if (p8->audio.ch[c].main.sfx == n) break;
    if (c == P8_AUDIO_CHANNELS) return n;
  }
  return 63;
}

static void put_note(uint8_t *s, int i, int key, int inst, int vol, int fx) {
  uint32_t v = (uint32_t)key | ((uint32_t)inst << 6) | ((uint32_t)vol << 9) |
               ((uint32_t)fx << 12);
  s[2 * i] = (uint8_t)v;
  s[2 * i + 1] = (uint8_t)(v >> 8);
}

/* Fill sfx memory `s` (68 bytes) from the commands in c[0..len). */
static void fill_inline_sfx(uint8_t *s, const uint8_t *c, size_t len) {
  static const int8_t semis[7] = {9, 11, 0, 2, 4, 5, 7};   /* a..g */
  size_t i = 0;
  int t = 0, inst = 5, vol = 5, fx = 0, octave = 3;
  memset(s, 0, 68);
  s[65] = 4;
  for (; i < len; i++) {                       /* sfx attributes */
    if (c[i] == 's' && i + 1 < len) {
      s[65] = (uint8_t)p8scii_param(c[++i]);
    } else if (c[i] == 'l' && i + 2 < len) {
      s[66] = (uint8_t)p8scii_param(c[++i]);
      s[67] = (uint8_t)p8scii_param(c[++i]);
    } else {
      break;
    }
  }
  for (; i < len && t < 32; i++) {             /* notes */
    uint8_t ch = c[i];
    int key;
    if (ch == 'i' || ch == 'v' || ch == 'x') {
      int v = i + 1 < len ? p8scii_param(c[++i]) & 7 : 0;
      if (ch == 'i') inst = v; else if (ch == 'v') vol = v; else fx = v;
    } else if (ch == '>') {
      vol = vol < 7 ? vol + 1 : 7;
    } else if (ch == '<') {
      vol = vol > 0 ? vol - 1 : 0;
    } else if (ch == '.') {
      t++;                                     /* empty note: volume 0 */
    } else if (ch >= 'a' && ch <= 'g') {
      key = semis[ch - 'a'];
      if (i + 1 < len && (c[i + 1] == '#' || c[i + 1] == '-')) key += c[++i] == '#' ? 1 : -1;
      if (i + 1 < len && c[i + 1] >= '0' && c[i + 1] <= '5') octave = c[++i] - '0';
      key += octave * 12;
      put_note(s, t++, key < 0 ? 0 : key > 63 ? 63 : key, inst, vol, fx);
    }
    /* anything else is skipped */
  }
}

int p8_print_audio(p8_state *p8, const uint8_t *cmd, size_t len) {
  size_t i = 0;
  int n = -1;
  uint8_t *s;
  p8_audio_sync(p8);
  if (len > 0 && cmd[0] >= '0' && cmd[0] <= '9') {
    n = cmd[i++] - '0';
    if (i < len && cmd[i] >= '0' && cmd[i] <= '9') n = n * 10 + (cmd[i++] - '0');
  }
  if (n > 63) return -1;
  if (n < 0) n = free_inline_sfx(p8);
  s = p8->ram + P8_MEM_SFX + 68 * n;
  if (i < len) {
    fill_inline_sfx(s, cmd + i, len - i);
  } else if (i == 0) {                         /* "\a" alone: the beep */
    memset(s, 0, 68);
    s[65] = 16;
    put_note(s, 0, 46, 0, 5, 0);
  }
  p8_sfx(p8, P8_FIX(n), -P8_FIX_ONE, 0, 0);
  return n;
}
