/*
** rp8_menu.h -- PICO-8's pause menu on a device, drawn with the engine.
**
** The board's pause button opens it (unless the cart poked 0x5f30 to 1,
** which swallows one press, as in PICO-8). Rows, top to bottom:
**   continue        close the menu; the cart goes on where it was
**   menuitem 1-5    the cart's items (menuitem()); O, X or pause calls the
**                   callback with 16|32|64 (PICO-8 does not tell them
**                   apart), left with 1, right with 2 (the runner drops
**                   the buttons the item filters out, bits 0xff00 of its
**                   index); the menu stays open when the callback returns
**                   true, and left/right never close it
**   sound: on/off   PICO-8's options page holds volume, fullscreen and
**                   controls; only sound means anything on a handheld, so
**                   it is a row of its own here
**   volume ▮▮▮▮....  desktop only (rp8_menu_desktop): left/right set the
**                   volume 0..steps, O/X toggle the sound
**   reset cart      reboot the cart
**   exit            desktop only: back to the browser or out of the player
** ("exit" and "favourite" are left out on a device: it runs one cart, with
** no splore to go back to.) Up and down move, wrapping. The desktop player
** uses this same menu through the engine extension (console/pause_menu.py),
** built with RP8_MENU_DESKTOP_ROWS 2.
**
** The menu is drawn into the cart's screen with the engine, like the
** desktop player's (a black box with a white border, "> " before the
** selected row, the system font), clipped to the box. The screen bytes
** under the box and the draw and hardware registers 0x5f00-0x5f7f (2.9
** KiB in all) are saved first and put back
** before a callback runs and when the menu closes, so the cart resumes
** with its picture and draw state exactly as it left them.
**
** Plain C without the SDK: the runner gives the menu its view of the cart
** (rp8_menu_cart), and the tests drive it on the host.
*/
#ifndef rp8_menu_h
#define rp8_menu_h

#include <stdint.h>

#include "p8.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RP8_MENU_ITEMS 5           /* menuitem(1..5) */
#ifndef RP8_MENU_DESKTOP_ROWS
#define RP8_MENU_DESKTOP_ROWS 0    /* a device has no volume or exit row: 640 bytes less */
#endif
#define RP8_MENU_ROWS (RP8_MENU_ITEMS + 3 + RP8_MENU_DESKTOP_ROWS)
#define RP8_MENU_LABEL 16          /* PICO-8 shows labels of up to 16 characters */
#define RP8_MENU_MAX_H (8 * RP8_MENU_ROWS + 6)
#define RP8_MENU_X0 24             /* the box: x 24-103, as the desktop player's */
#define RP8_MENU_X1 103
#define RP8_MENU_ROW_BYTES ((RP8_MENU_X1 + 1) / 2 - RP8_MENU_X0 / 2)

/* Button bits, as platform.h's PLAT_BTN_*. */
#define RP8_MENU_LEFT   0x01
#define RP8_MENU_RIGHT  0x02
#define RP8_MENU_UP     0x04
#define RP8_MENU_DOWN   0x08
#define RP8_MENU_O      0x10
#define RP8_MENU_X      0x20
#define RP8_MENU_PAUSE  0x40

/* What rp8_menu_frame asks of the runner this frame. */
enum {
  RP8_MENU_RUN = 0,      /* closed: run the cart's frame (with *buttons) */
  RP8_MENU_SHOW = 1,     /* the menu took the frame: present the screen, no cart, no sound */
  RP8_MENU_RESET = 2,    /* "reset cart": reboot the cart */
  RP8_MENU_ENDED = 3,    /* a callback ended or rebooted the cart: run it to see how */
  RP8_MENU_EXIT = 4      /* "exit" chosen (desktop): the menu is closed */
};

/* Row kinds. */
enum { RP8_ROW_CONTINUE, RP8_ROW_ITEM, RP8_ROW_SOUND, RP8_ROW_RESET, RP8_ROW_VOLUME, RP8_ROW_EXIT };

/* The cart as the menu sees it (the runner implements it). The rp8:api
** blocks are what Python binds (console/engine_build.py, tests). */
/* rp8:api begin */
typedef struct rp8_menu_cart {
  /* The label of menuitem(index) (1-5) in P8SCII, at most max bytes: its
  ** length, or -1 when the slot is empty. */
  int (*item)(void *ctx, int index, uint8_t *label, int max);
  /* Call its callback with the button bitfield: 1 when it returned true
  ** (stay open), 0 otherwise, -1 when the cart ended or was rebooted. */
  int (*call)(void *ctx, int index, int buttons);
  void *ctx;
} rp8_menu_cart;
/* rp8:api end */

typedef struct rp8_menu {
  rp8_menu_cart cart;
  int open;
  int sel;                             /* selected row */
  int rows;
  uint8_t kind[RP8_MENU_ROWS];
  uint8_t index[RP8_MENU_ROWS];        /* menuitem index of an ITEM row */
  uint8_t len[RP8_MENU_ROWS];
  uint8_t label[RP8_MENU_ROWS][RP8_MENU_LABEL];
  int sound;                           /* 1: on; the runner mutes when 0 */
  int volume, volume_steps;            /* desktop: volume 0..steps (no row when steps is 0) */
  int can_exit;                        /* desktop: an "exit" row */
  uint32_t held;                       /* buttons held last frame */
  uint32_t swallow;                    /* held when the menu closed: hidden from the cart until released */
  /* what the drawn menu covers, saved while it is shown */
  int saved;                           /* the two below hold the cart's bytes */
  int top, h;                          /* screen rows [top, top + h) */
  uint8_t regs[0x80];                  /* 0x5f00-0x5f7f */
  uint8_t pixels[RP8_MENU_MAX_H * RP8_MENU_ROW_BYTES];   /* the box's bytes only */
} rp8_menu;

/* rp8:api begin */
void rp8_menu_init(rp8_menu *m, const rp8_menu_cart *cart);

/* The desktop's rows: a volume row (0..steps, steps at most 8) and "exit".
** Needs a build with RP8_MENU_DESKTOP_ROWS 2. */
void rp8_menu_desktop(rp8_menu *m, int volume, int steps);

/* Open or close the menu from outside a frame's buttons (a host key,
** extcmd("pause"); Esc). Opening ignores 0x5f30: only the pause button
** is the cart's to swallow. */
void rp8_menu_open(rp8_menu *m, p8_state *p8);
void rp8_menu_close(rp8_menu *m, p8_state *p8);

/* One frame: the buttons held now (RP8_MENU_* bits). Returns RP8_MENU_*;
** on RP8_MENU_RUN, *buttons is what the cart may see (buttons still held
** from choosing a row are hidden until released). */
int rp8_menu_frame(rp8_menu *m, p8_state *p8, uint32_t *buttons);

/* The text of row i (no "> ") into out (RP8_MENU_LABEL bytes), for tests
** and tools: its length. */
int rp8_menu_row_text(const rp8_menu *m, int i, uint8_t *out);
/* rp8:api end */

#ifdef __cplusplus
}
#endif

#endif
