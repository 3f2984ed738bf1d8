/*
** p8_audio.h -- the PICO-8 sound chip: 4 channels, 64 sfx, 64 music
** patterns, mixed to 22050 Hz mono signed 16-bit samples.
**
** What a cart can poke lives in RAM and is read while playing, never cached:
**   0x3100  music: 64 patterns x 4 bytes, one per channel.
**             bits 0-5 sfx index, bit 6 channel silent in this pattern,
**             bit 7 a flag: byte 0 loop start, byte 1 loop back, byte 2 stop.
**   0x3200  sfx: 64 x 68 bytes: 32 notes x 2 bytes (little endian)
**             bits 0-5 pitch (0 = C0 .. 63 = D#5; 33 = A2 = 440 Hz)
**             bits 6-8 waveform, bits 9-11 volume, bits 12-14 effect,
**             bit 15 the waveform is SFX instrument 0-7 (sfx 0-7 played as
**             the note's instrument);
**           then byte 64 editor mode + filters: bit 0 editor mode, bit 1
**             noiz, bit 2 buzz, then base-3 digits detune = b/8 %3,
**             reverb = b/24 %3, dampen = b/72 %3;
**           byte 65 speed (ticks per note; one tick = 183 samples),
**           bytes 66/67 loop start/end (end 0 and start > 0: "LEN", the
**             sfx is start notes long). Sfx 0-7 with bit 7 of byte 66 set
**             are waveform instruments (PICO-8 0.2.6): bytes 0-63 are one
**             cycle of signed 8-bit samples, bit 0 of byte 65 drops them
**             an octave.
**   0x5f2f  1: audio paused (nothing advances, silence).
**   0x5f40  bits 0-3: channel runs at half rate (half speed, octave down);
**           bits 4-7: channel plays an octave down at normal speed.
**   0x5f41  reverb forced on: bits 0-3 long echo, bits 4-7 short echo.
**   0x5f42  distortion: bits 0-3 and bits 4-7 two quantisers.
**   0x5f43  low pass forced on: bits 0-3 strong, bits 4-7 mild.
**
** Everything else (playback positions, oscillator phases, filter memory,
** music position and fade) is p8_audio, inside p8_state, so machines are
** independent and the same RAM and calls give the same samples on every
** platform: the synth uses integers only (the RP2040 has no FPU).
**
** Use: call p8_sfx/p8_music from the cart, and p8_audio_render from the
** host's audio path, one buffer at a time (any size; 22050 Hz mono). All
** calls on one machine must come from one thread, or be serialised by the
** host: the desktop player renders a frame's worth (735 samples at 30 fps,
** 368 at 60 fps) after each frame and queues it to the mixer; firmware
** renders into a DMA/PWM ring from the main loop. stat(46..57) report the
** state at the end of the last rendered buffer.
**
** Firmware may render a frame's sound on its other core while the cart
** runs the next frame: it sets p8->audio_fence, and every engine call that
** reads or changes the synth's state, or writes what the synth reads (the
** sfx and music data, 0x5f2f, 0x5f40-0x5f43), first calls p8_audio_sync,
** which waits for that render. So the samples are those of a serialised
** render, byte for byte.
*/
#ifndef p8_audio_h
#define p8_audio_h

#include <stddef.h>
#include <stdint.h>

typedef int32_t fix32;
typedef struct p8_state p8_state;

#define P8_AUDIO_RATE     22050
#define P8_AUDIO_TICK     183      /* samples per tick; speed N = N ticks */
#define P8_AUDIO_CHANNELS 4
#define P8_AUDIO_ECHO     (4 * P8_AUDIO_TICK)   /* longest reverb delay */

#define P8_HW_AUDIO_PAUSE 0x5f2f
#define P8_HW_HALFRATE    0x5f40
#define P8_HW_REVERB      0x5f41
#define P8_HW_DISTORT     0x5f42
#define P8_HW_LOWPASS     0x5f43

/* One oscillator: phases as fractions of a cycle (2^32 = one cycle). */
typedef struct p8_osc {
  uint32_t phase;        /* the waveform's own phase */
  uint32_t phase2;       /* phaser's second triangle, 109/110 as fast */
  uint8_t odd;           /* parity of whole cycles (buzzed saw: 2-cycle shape) */
  uint32_t inc;          /* the last increment, and phase2's for it (a */
  uint32_t inc2;         /* division: kept while the pitch holds) */
} p8_osc;

/* One sfx being stepped through: the channel's sfx, or the SFX instrument
** its current note plays. Positions count half-samples, so a channel at
** half rate (0x5f40) advances by 1 instead of 2 per output sample. */
typedef struct p8_play {
  int8_t sfx;            /* 0-63, or -1 when idle */
  uint8_t note;          /* note index; >= 32 is silent (LEN > 32) */
  uint8_t fresh;         /* the note has just started */
  uint8_t prev_key;      /* previous note, for slide */
  uint8_t prev_vol;
  uint16_t played;       /* notes played since start, for sfx() length */
  uint32_t sub;          /* half-samples into the current note */
} p8_play;

typedef struct p8_channel {
  p8_play main;          /* what sfx()/music() started */
  p8_play inst;          /* SFX instrument under main's current note */
  int8_t music_sfx;      /* music sfx waiting for an sfx() to end, or -1 */
  uint8_t is_music;      /* main was started by the music player */
  uint8_t can_loop;      /* cleared by sfx(-2) */
  uint8_t length;        /* sfx() length in notes, 0 = whole */
  uint8_t last_key;      /* previous main note, for instrument retrigger */
  uint8_t last_vol;
  uint8_t last_inst;     /* 0-7 custom instrument, 0xff none */
  uint8_t wave;          /* waveform of the last rendered sample */
  uint8_t vol_q;         /* quantised volume of the last sample (declick) */
  uint32_t inc;          /* phase increment of the last sample */
  p8_osc osc, osc_detune;
  uint32_t rng;          /* noise generator (xorshift32) */
  int32_t noise;         /* noise filter memory, Q16 */
  uint32_t noise_hold;   /* sample-and-hold accumulator (noiz) */
  uint32_t noise_inc;    /* cached for this increment: the rate and the */
  uint32_t noise_s;      /* noise coefficient (divisions) */
  int32_t noise_coef;
  int32_t last_out;      /* last channel output, Q15, for declicking */
  int32_t click;         /* value crossfaded from after a jump */
  uint16_t click_left;
  uint32_t quiet;        /* samples of silence since the channel stopped */
  uint16_t echo_pos;
  int16_t echo[P8_AUDIO_ECHO];
  int32_t damp[2][4];    /* two biquads: x1, x2, y1, y2 */
} p8_channel;

typedef struct p8_audio {
  p8_channel ch[P8_AUDIO_CHANNELS];
  int8_t pattern;        /* music pattern playing, or -1 */
  uint8_t mask;          /* channels reserved by music() */
  int16_t count;         /* patterns played since music() */
  uint32_t pos;          /* half-samples into the pattern */
  uint32_t len;          /* pattern length in half-samples */
  int32_t fade;          /* music volume, 0..1<<24 */
  int32_t fade_step;     /* per half-sample */
} p8_audio;

/* p8_audio_init: silence, no music (called by p8_power_on).
** p8_sfx(n, channel, offset, length), PICO-8 numbers (flr() of each):
**   n 0..63 plays sfx n from note offset (0..31; < 0 is 0, > 31 ignored) for
**   length notes (<= 0: all). channel 0..3 plays there (even if music()
**   reserved it); -1 picks: the first unreserved channel that is idle or
**   already plays n, else the first unreserved music channel (its music
**   resumes when the sfx ends), else the unreserved sfx with the lowest
**   speed (the last of equals); none: ignored. channel -2 stops sfx n on
**   every channel. n -1 stops, n -2 releases the loop of, the sfx on
**   channel (all channels when channel < 0); music is left alone.
** p8_music(n, fade_ms, channel_mask): n 0..63 starts the music there,
**   fading in over fade_ms if > 0; mask bits reserve channels for it.
**   n -1 stops it, fading out over fade_ms if > 0.
** p8_audio_render mixes nsamples at 22050 Hz mono into out.
** p8_audio_stat(n): stat(46..57) and the legacy 16..26, as fix32; 0 for
**   any other n.
** p8_audio_phase_inc(key): pitch key's phase step (2^32 = 1 cycle).
** p8_print_audio(cmd, len): print's "\a" command (the bytes after "\a"):
**   fills sfx memory as the command says and plays it; returns the sfx
**   index, or -1 (see p8_audio.c). */
/* rp8:api begin */
void p8_audio_init(p8_state *p8);
void p8_audio_sync(p8_state *p8);
void p8_sfx(p8_state *p8, fix32 n, fix32 channel, fix32 offset, fix32 length);
void p8_music(p8_state *p8, fix32 n, fix32 fade_ms, fix32 channel_mask);
void p8_audio_render(p8_state *p8, int16_t *out, int nsamples);
fix32 p8_audio_stat(p8_state *p8, int n);
uint32_t p8_audio_phase_inc(int key);
int p8_print_audio(p8_state *p8, const uint8_t *cmd, size_t len);
/* rp8:api end */

/* Engine-internal: the oscillators (p8_wave.c). Each fills n samples, Q15
** (32768 = full scale), and advances its state by n samples.
** p8_wave_run: built-in waveform `wave` (0-7, not noise 6), or the waveform
**   instrument `tab` (64 signed bytes) when not NULL, stepping o by inc.
** p8_wave_run_incs: a built-in waveform stepped by incs[j] at sample j.
** p8_noise_run: instrument 6 at pitch increment inc (key for its level).
** p8_osc_advance: steps o by inc n times without sampling it. */
void p8_wave_run(p8_osc *o, uint32_t inc, int wave, int buzz, const uint8_t *tab,
                 int32_t *out, int n);
void p8_wave_run_incs(p8_osc *o, const uint32_t *incs, int wave, int buzz,
                      int32_t *out, int n);
void p8_noise_run(p8_channel *c, uint32_t inc, int key, int noiz, int buzz,
                  int32_t *out, int n);
void p8_osc_advance(p8_osc *o, uint32_t inc, int n);

#endif
