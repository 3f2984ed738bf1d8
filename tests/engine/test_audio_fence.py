"""The audio fence (p8_audio.h): firmware that renders sound on its other
core sets p8->audio_fence, and the engine must call it before every call
that reads or changes the synth's state and before every write to the bytes
the synth reads -- and never for other writes, which would make the cart
wait for nothing. A small C program counts the calls."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "console" / "engine"

PROGRAM = r"""
#include <stdio.h>
#include <stdlib.h>
#include "p8.h"
#include "p8_audio.h"
#include "p8_mem.h"

static int fences;
static void fence(p8_state *p8) { (void)p8; fences++; }

#define COUNT(what, call) do { fences = 0; call; printf("%s %d\n", what, fences); } while (0)

int main(void) {
  p8_state *p8 = calloc(1, p8_state_size());
  int16_t out[64];
  p8_power_on(p8);
  p8->audio_fence = fence;
  COUNT("sfx", p8_sfx(p8, P8_FIX(1), P8_FIX(-1), 0, 0));
  COUNT("music", p8_music(p8, 0, 0, 0));
  COUNT("stat", p8_audio_stat(p8, 46));
  COUNT("print_audio", p8_print_audio(p8, (const uint8_t *)"c", 1));
  COUNT("render", p8_audio_render(p8, out, 64));
  COUNT("poke_music", p8_poke(p8, P8_FIX(0x3100), P8_FIX(1)));
  COUNT("poke_sfx_end", p8_poke(p8, P8_FIX(0x42ff), P8_FIX(1)));
  COUNT("poke_gfx", p8_poke(p8, P8_FIX(0x30ff), P8_FIX(1)));
  COUNT("poke_after_sfx", p8_poke(p8, P8_FIX(0x4300), P8_FIX(1)));
  COUNT("poke_pause", p8_poke(p8, P8_FIX(0x5f2f), P8_FIX(1)));
  COUNT("poke_lowpass", p8_poke(p8, P8_FIX(0x5f43), P8_FIX(1)));
  COUNT("poke_5f44", p8_poke(p8, P8_FIX(0x5f44), P8_FIX(1)));
  COUNT("poke_screen", p8_poke(p8, P8_FIX(0x6000), P8_FIX(1)));
  COUNT("memset_screen", p8_memset(p8, P8_FIX(0x6000), 0, P8_FIX(0x2000)));
  COUNT("memset_sfx", p8_memset(p8, P8_FIX(0x3000), 0, P8_FIX(0x200)));
  COUNT("memcpy_into_sfx", p8_memcpy(p8, P8_FIX(0x3200), P8_FIX(0x6000), P8_FIX(68)));
  COUNT("memcpy_from_sfx", p8_memcpy(p8, P8_FIX(0x6000), P8_FIX(0x3200), P8_FIX(68)));
  COUNT("reload_all", p8_reload(p8, 0, 0, 0, 0));
  COUNT("reset_draw", p8_reset_draw_state(p8));
  COUNT("power_on", p8_power_on(p8));
  return 0;
}
"""

WANT = """sfx 1
music 1
stat 1
print_audio 2
render 0
poke_music 1
poke_sfx_end 1
poke_gfx 0
poke_after_sfx 0
poke_pause 1
poke_lowpass 1
poke_5f44 0
poke_screen 0
memset_screen 0
memset_sfx 1
memcpy_into_sfx 1
memcpy_from_sfx 0
reload_all 1
reset_draw 1
power_on 3
"""


def test_the_engine_waits_for_a_render_exactly_where_it_must(tmp_path: Path) -> None:
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler")
    src = tmp_path / "fence.c"
    src.write_text(PROGRAM)
    exe = tmp_path / "fence"
    subprocess.run([cc, "-std=c11", "-O1", f"-I{ENGINE}", str(src), *map(str, sorted(ENGINE.glob("*.c"))),
                    "-o", str(exe)], check=True, capture_output=True)
    done = subprocess.run([str(exe)], check=True, capture_output=True, text=True)
    assert done.stdout == WANT
