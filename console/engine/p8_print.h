/*
** p8_print.h -- print(): P8SCII text with PICO-8 0.2.5's control codes.
**
** print(str, [x, y], [col]) is one call for a cart, but it can stop in the
** middle: "\^1".."\^9" skip frames, "\^d" pauses after every character and
** "\a" plays a sound. The engine cannot flip frames, and a sound must start
** in the caller's audio order, so print is a small job the caller runs:
**
**     p8_printer pr;
**     p8_print_begin(p8, &pr, x, y, col, argc);
**     while ((ev = p8_print_step(p8, &pr, s, len)) != P8_PRINT_DONE) {
**       if (ev == P8_PRINT_WAIT)  flip pr.wait frames;
**       if (ev == P8_PRINT_AUDIO) p8_print_audio(p8, s + pr.audio_pos,
**                                                pr.audio_len);
**     }
**     result = p8_print_end(p8, &pr);   -- the right-most x, as fix32
**
** p8_print() runs the same job without stopping, for callers that have no
** frames to flip (tests, tools, a player that has chosen to skip waits);
** it draws exactly the same pixels and starts the same sounds.
**
** Arguments follow the engine convention: `argc` counts every argument the
** cart passed, the string included. argc == 2 means print(str, col) (the
** colour arrives in `x`); argc >= 3 means x, y are given; argc >= 4 adds
** col. The caller has already turned the value into P8SCII (tostr) and
** passes the same string to every step.
**
** Any bytes in a p8_printer are safe to step (numbers are brought back
** into range first); only begin makes them meaningful.
*/
#ifndef p8_print_h
#define p8_print_h

#include "p8.h"

/* rp8:api begin */
enum {
  P8_PRINT_DONE = 0,      /* the string is finished: call p8_print_end */
  P8_PRINT_WAIT = 1,      /* flip `wait` frames, then step again */
  P8_PRINT_AUDIO = 2      /* play the "\a" command at audio_pos/audio_len */
};

typedef struct p8_printer {
  const uint8_t *s;       /* the string of the current step */
  size_t len, pos;        /* its length and the next byte to read */
  int32_t x, y;           /* cursor, cart pixels */
  int32_t home_x, home_y; /* where "\n", "\r" and "\^g" return to */
  int32_t right;          /* right-most x after a character: the result */
  int32_t line_h;         /* tallest character on the current line */
  int32_t last_w;         /* advance of the last character ("\b", "\v") */
  int32_t char_w, char_w2, char_h;  /* size overrides, -1 = the font's */
  int32_t tab_w;          /* "\^s" tab stop, -1 = default */
  int32_t wrap_x;         /* right-hand wrap boundary, -1 = no wrapping */
  int32_t off_x, off_y;   /* 0x5f5b draw offset */
  int32_t deco_x, deco_y; /* cursor to restore after a "\v" character */
  int32_t repeat;         /* pending "\*" repeats of repeat_ch */
  uint8_t repeat_ch;
  uint8_t modes;          /* rendering modes, P8_PM_* in p8_print.c */
  uint8_t fg, bg;         /* pen bytes for glyph and background */
  uint8_t coords;         /* x, y were given: never scroll */
  uint8_t newline;        /* move to the next line when done */
  uint8_t deco;           /* the next character decorates the last */
  uint8_t delay;          /* "\^d": frames to wait after each character */
  int32_t wait;           /* P8_PRINT_WAIT: frames to flip */
  size_t audio_pos, audio_len;  /* P8_PRINT_AUDIO: the command's bytes */
} p8_printer;

void p8_print_begin(p8_state *p8, p8_printer *pr, fix32 x, fix32 y, fix32 col,
                    int argc); /* rp8:out pr 1 */
int p8_print_step(p8_state *p8, p8_printer *pr, const uint8_t *s, size_t len); /* rp8:out pr 1 */
fix32 p8_print_end(p8_state *p8, p8_printer *pr); /* rp8:out pr 1 */
fix32 p8_print(p8_state *p8, const uint8_t *s, size_t len,
               fix32 x, fix32 y, fix32 col, int argc);
fix32 p8_print_start(p8_state *p8, const uint8_t *s, size_t len, fix32 x, fix32 y, fix32 col, int argc);
fix32 p8_print_resume(p8_state *p8, const uint8_t *s, size_t len);
fix32 p8_print_result(p8_state *p8);
/* rp8:api end */

/*
** The same job kept in the state, for a caller that is itself Lua (the
** BIOS's print, aot/bios.lua), which cannot hold a p8_printer:
**
**     wait = p8_print_start(p8, s, len, x, y, col, argc);
**     while (wait > 0) { flip wait frames; wait = p8_print_resume(p8, s, len); }
**     result = p8_print_result(p8);
**
** start and resume run the job (sounds start) up to its next frame wait
** and return the frames to flip (a fix32 number), or 0 when the string is
** done; every call
** passes the same string. A print started during another's wait (a pause
** menu callback) ends that one's job: its resume finds the job done.
*/

#endif
