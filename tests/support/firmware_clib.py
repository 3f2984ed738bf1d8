"""The firmware's SDK-independent C (platform/common) plus the engine, built
as a host shared library for the tests, and bound with cffi's ABI mode."""
from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from cffi import FFI

ROOT = Path(__file__).resolve().parents[2]
COMMON = ROOT / "platform" / "common"
ENGINE = ROOT / "console" / "engine"

CDEF = """
typedef struct p8_state p8_state;
typedef struct rp8_snap {
  uint8_t pix[8192];
  uint8_t pal[128][16];
  uint8_t uniform;
  uint8_t lossy;
} rp8_snap;
typedef struct rp8_scaler {
  int w, h;
  int16_t xmap[320];
  int16_t ymap[320];
  uint16_t lut[256][2];
  uint8_t lut_pal[16];
  uint8_t lut_ok;
  int row_y;
  uint16_t row[128];
} rp8_scaler;
void rp8_snap_take(p8_state *p8, rp8_snap *snap);
int rp8_scale_src(int mode, int size, int o);
int rp8_scaler_init(rp8_scaler *s, int mode, int w, int h);
void rp8_scaler_frame(rp8_scaler *s);
void rp8_scaler_line(rp8_scaler *s, const rp8_snap *snap, int y, uint16_t *out);
int p8_present_rgb565(p8_state *p8, int y0, int y1, uint16_t *out);

typedef struct rp8_link_tx { uint32_t sent, done; } rp8_link_tx;
typedef struct rp8_link_rx { uint32_t expect, holding; } rp8_link_rx;
void rp8_link_tx_init(rp8_link_tx *t);
int rp8_link_tx_free(const rp8_link_tx *t);
uint32_t rp8_link_tx_publish(rp8_link_tx *t);
int rp8_link_tx_receive(rp8_link_tx *t, uint32_t msg);
void rp8_link_rx_init(rp8_link_rx *r);
int rp8_link_rx_receive(rp8_link_rx *r, uint32_t msg);
uint32_t rp8_link_rx_release(rp8_link_rx *r);

typedef struct rp8_input {
  uint32_t masks[7];
  uint32_t state;
  uint8_t count[7];
} rp8_input;
void rp8_input_init(rp8_input *in, const uint32_t masks[7]);
void rp8_input_sample(rp8_input *in, uint32_t gpio_levels);
uint32_t rp8_input_state(const rp8_input *in);

typedef struct rp8_flash {
  const uint8_t *(*read)(void *ctx, uint32_t off);
  void (*erase)(void *ctx, uint32_t off);
  void (*program)(void *ctx, uint32_t off, const uint8_t *data, uint32_t n);
  void *ctx;
} rp8_flash;
int rp8_store_load(const rp8_flash *f, const char *cart_id, uint8_t out[256]);
int rp8_store_save(const rp8_flash *f, const char *cart_id, const uint8_t data[256]);
uint32_t rp8_crc32(const uint8_t *p, uint32_t n);

%(menu_cart)s
typedef struct rp8_menu {
  rp8_menu_cart cart;
  int open;
  int sel;
  int rows;
  uint8_t kind[8];
  uint8_t index[8];
  uint8_t len[8];
  uint8_t label[8][16];
  int sound;
  int volume, volume_steps;
  int can_exit;
  uint32_t held;
  uint32_t swallow;
  int saved;
  int top, h;
  uint8_t regs[128];
  uint8_t pixels[2800];
} rp8_menu;
%(menu_functions)s
"""


def build(tmp: Path) -> tuple[FFI, Any]:
    lib_path = tmp / "librp8common.so"
    sources = sorted(COMMON.glob("*.c")) + sorted(ENGINE.glob("*.c"))
    subprocess.run(["gcc", "-std=c11", "-O1", "-Wall", "-Wextra", "-Werror", "-fwrapv", "-shared", "-fPIC",
                    f"-I{ENGINE}", f"-I{COMMON}", *map(str, sources), "-o", str(lib_path)],
                   check=True, capture_output=True)
    from console.engine_build import api_blocks

    cart, functions = api_blocks(COMMON / "rp8_menu.h")
    ffi = FFI()
    ffi.cdef(CDEF % {"menu_cart": cart, "menu_functions": functions})
    return ffi, ffi.dlopen(str(lib_path))
