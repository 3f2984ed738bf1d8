"""The bare-metal bench images (platform/bench): they build for both
targets, their mailbox matches the Python reader, and -- when the
emulators are present -- they run frames, count cycles or instructions,
and take their buttons from the host frame by frame."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from console.bench import image, mailbox, modes

CARTS = Path(__file__).resolve().parents[2] / "carts"
BENCH = Path(__file__).resolve().parents[2] / "platform" / "bench"

needs_gcc = pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None,
                               reason="arm-none-eabi-gcc not installed (apt-get install "
                               "gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib)")


def _rp2040_or_skip() -> None:
    from console.bench import rp2040

    need = rp2040.missing()
    if need is not None:
        pytest.skip(f"rp2040 mode needs {need}")
    if not rp2040.installed():
        from aot.errors import UserError

        try:
            rp2040.ensure_rp2040js()        # npm install of the pinned version
        except UserError as err:
            pytest.skip(f"rp2040js is not installed in benches/ and could not be: {err}")


def _unicorn_or_skip() -> None:
    from console.bench import m33

    need = m33.available()
    if need is not None:
        pytest.skip(f"m33 mode needs {need}")


def test_frames_from_marks():
    marks = [(0x20, 100), (0x10, 150), (0x11, 1150), (0x10, 1200), (0x11, 2000), (0x30, 2001)]
    assert modes.frames_from_marks(marks) == [(50, 1000, 1050), (50, 800, 850)]
    # a frame the clock cut (0x15) and the firmware's phases after it (0x12-0x14):
    # the cut's update goes into the next frame, the phases into none
    marks = [(0x20, 100), (0x15, 1100), (0x12, 1110), (0x13, 1500), (0x14, 1600),
             (0x10, 1700), (0x11, 1800), (0x12, 1810)]
    assert modes.frames_from_marks(marks) == [(1000 + 100, 100, 1200)]


def test_thumb_instruction_count():
    from console.bench.m33 import thumb_count

    # movs r0,#1 (16-bit); bl (32-bit: f000 f800); bx lr (16-bit)
    code = bytes.fromhex("0120" "00f000f8" "7047")
    assert thumb_count(code) == 3


@needs_gcc
def test_mailbox_layout_matches_the_header(tmp_path):
    # the C compiler checks the offsets the Python side and the node runner use
    src = tmp_path / "layout.c"
    src.write_text(
        '#include <stddef.h>\n#include "bench_mailbox.h"\n'
        "_Static_assert(offsetof(bench_mailbox, frames_wanted) == 8, \"\");\n"
        "_Static_assert(offsetof(bench_mailbox, frame) == 12, \"\");\n"
        "_Static_assert(offsetof(bench_mailbox, buttons) == 16, \"\");\n"
        "_Static_assert(offsetof(bench_mailbox, status) == 48, \"\");\n"
        "_Static_assert(offsetof(bench_mailbox, arena_size) == 52, \"\");\n"
        "_Static_assert(offsetof(bench_mailbox, stack_top) == 68, \"\");\n"
        f"_Static_assert(offsetof(bench_mailbox, log) == {mailbox.LOG_OFFSET}, \"\");\n"
        f"_Static_assert(BENCH_LOG_SIZE == {mailbox.LOG_SIZE}, \"\");\n"
        f"_Static_assert(offsetof(bench_mailbox, seed_raw) == {mailbox.SEED_OFFSET}, \"\");\n"
        f"_Static_assert(offsetof(bench_mailbox, time_us) == {mailbox.TIME_OFFSET}, \"\");\n"
        f"_Static_assert(BENCH_BKPT_CUT == {mailbox.BKPT_CUT} && BENCH_BKPT_CLOCK == "
        f"{mailbox.BKPT_CLOCK}, \"\");\n"
        f"_Static_assert(BENCH_MAGIC == {mailbox.MAGIC:#x}u, \"\");\n"
        f"_Static_assert(BENCH_BKPT_UPDATE == {mailbox.BKPT_UPDATE} && BENCH_BKPT_DRAW == "
        f"{mailbox.BKPT_DRAW} && BENCH_BKPT_READY == {mailbox.BKPT_READY} && BENCH_BKPT_END == "
        f"{mailbox.BKPT_END} && BENCH_BKPT_FAULT == {mailbox.BKPT_FAULT}, \"\");\n")
    done = subprocess.run(["arm-none-eabi-gcc", "-std=c11", "-mcpu=cortex-m0plus", "-mthumb",
                           f"-I{BENCH}", "-c", str(src), "-o", str(tmp_path / "layout.o")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@needs_gcc
@pytest.mark.parametrize("target", ["rp2040", "m33"])
def test_calibration_image_builds(target, tmp_path):
    img = image.build(target, out_dir=tmp_path)
    sizes = image.section_sizes(img.elf)
    data = img.bin.read_bytes()
    # the vector table comes first: initial SP at the top of RAM, reset in flash (Thumb bit)
    sp = int.from_bytes(data[0:4], "little")
    reset = int.from_bytes(data[4:8], "little")
    assert sp == img.target.ram + img.target.ram_bytes
    assert reset & 1 and img.target.load <= reset - 1 < img.target.load + len(data)
    assert sizes[".mailbox"] >= mailbox.SEED_OFFSET + 4
    assert img.static_ram_bytes + img.stack_bytes <= img.target.ram_bytes
    # no floating point on the M0+ (soft-float helpers would be linked by name)
    if target == "rp2040":
        syms = subprocess.run(["arm-none-eabi-nm", str(img.elf)], capture_output=True,
                              text=True).stdout
        assert "__aeabi_fadd" not in syms and "__aeabi_dadd" not in syms


@needs_gcc
def test_calibration_runs_in_rp2040js():
    _rp2040_or_skip()
    from console.bench import rp2040

    img = image.build("rp2040")
    res = rp2040.run(img, 4, lambda f: [0] * 8)
    assert res.status == "done"
    frames = modes.frames_from_marks(res.marks)
    assert len(frames) == 4
    assert all(u > 0 and d > 0 and t == u + d for u, d, t in frames)
    assert res.mailbox is not None and res.mailbox.frame == 4 and res.mailbox.presents == 3
    assert 0 < res.stack_peak < img.stack_bytes


@needs_gcc
def test_hello_cart_in_rp2040js():
    _rp2040_or_skip()
    job = modes.Job(CARTS / "hello.p8", 3, 1, 0, None)
    m = modes.run_image("rp2040", job)
    assert m.status == "ok" and m.workload == "cart" and len(m.frames) == 3
    assert all(f.update > 0 and f.draw > 0 and f.total == f.update + f.draw for f in m.frames)
    img = m.image
    assert img is not None and img["arena_bytes"] == image.TARGETS["rp2040"].arena_bytes == 80 * 1024
    assert img["ram_bytes"] == 264 * 1024
    assert 0 < img["arena_peak_bytes"] < img["arena_bytes"]
    assert img["peak_ram_bytes"] + img["ram_free_bytes"] == img["ram_bytes"]


# music on three channels over every waveform and effect, with detune, reverb
# and dampen, and an sfx with noise and an SFX instrument on button 4
MUSIC_CART = """pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
for i=0,31 do
 poke2(0x3200+i*2, (20+i)|(i%8)<<6|(1+i%7)<<9|(i%8)<<12)
 poke2(0x3244+i*2, (30+i%12)|6<<6|5<<9|(i%3)<<12)
 poke2(0x3288+i*2, 40|2<<6|6<<9|1<<15)
end
poke(0x3200+64, 8+24+72) poke(0x3200+65, 3)
poke(0x3244+64, 2+48+144) poke(0x3244+65, 5)
poke(0x3288+65, 4)
poke(0x3100, 0) poke(0x3101, 1) poke(0x3102, 2) poke(0x3103, 0x43)
music(0)
function _update() if btnp(4) then sfx(2, 3) end end
function _draw() cls(stat(56)%16) end
"""


@needs_gcc
def test_device_phases_and_the_desktops_samples(tmp_path):
    _rp2040_or_skip()
    cart = tmp_path / "music.p8"
    cart.write_text(MUSIC_CART)
    from console.desktop.buttons import InputScript
    script = InputScript.parse("4 O\n6 -\n")
    job = modes.Job(cart, 8, 0, 0, script)
    m = modes.run_image("rp2040", job)
    assert m.status == "ok" and len(m.frames) == 8
    # the snapshot, panel conversion and audio after every frame but the last
    assert len(m.phases) == 7 and all(s > 0 and d > 0 and a > 0 for s, d, a in m.phases)
    # the same samples as the desktop player's, byte for byte
    assert (m.audio_hash, m.audio_samples) == modes.desktop_audio(job, 7)
    assert m.audio_samples == 7 * 735
    dev = modes.mode_entry(m, 250.0)["device"]
    assert dev is not None and len(dev["frames"]) == 7
    s = dev["summary"]
    assert s["frame"]["median"] == max(s["core0"]["median"], s["core1"]["median"])
    assert s["core1"]["median"] >= 250e6 * 240 * 240 * 16 / 62.5e6 * 0.999   # the SPI transfer


BUTTON_CART = """pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
function _update() printh(btn()) end
function _draw() end
"""


@needs_gcc
@pytest.mark.parametrize("mode", ["rp2040", "m33"])
def test_buttons_reach_the_cart_frame_by_frame(mode, tmp_path):
    if mode == "rp2040":
        _rp2040_or_skip()
    else:
        _unicorn_or_skip()
    from console.desktop.buttons import InputScript

    cart = tmp_path / "buttons.p8"
    cart.write_text(BUTTON_CART)
    script = InputScript.parse("0 L\n1 R\n2 LX\n3 -\n")
    img = image.build_cart(mode, cart)
    if mode == "rp2040":
        from console.bench import rp2040
        res = rp2040.run(img, 4, script.masks)
    else:
        from console.bench import m33
        res = m33.run(img, 4, script.masks)
    # printh goes to the mailbox log: one line per frame, the buttons held
    assert res.status == "done" and res.mailbox is not None
    assert res.mailbox.log.split() == ["1", "2", "33", "0"]


@needs_gcc
def test_hello_cart_in_unicorn():
    _unicorn_or_skip()
    m = modes.run_image("m33", modes.Job(CARTS / "hello.p8", 2, 1, 0, None))
    assert m.status == "ok" and len(m.frames) == 2
    assert all(f.draw > 1000 for f in m.frames)
    entry = modes.mode_entry(m, 250.0)
    assert entry["unit"] == "instructions" and entry["summary_ms"] is None
    # the RP2350's SRAM and a heap like its firmware's, not the RP2040's
    assert m.image is not None and m.image["ram_bytes"] == 520 * 1024
    assert m.image["arena_bytes"] == 221 * 1024
    assert m.image["peak_ram_bytes"] + m.image["ram_free_bytes"] == 520 * 1024


# about 128 KiB of array part: more than the RP2040 image's 80 KiB heap,
# less than the RP2350's 221 KiB
BIG_CART = """pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
t={}
for i=1,16000 do add(t,i) end
function _update() end
function _draw() printh(#t) end
"""


@needs_gcc
def test_m33_has_the_rp2350_heap(tmp_path):
    _unicorn_or_skip()
    _rp2040_or_skip()
    cart = tmp_path / "big.p8"
    cart.write_text(BIG_CART)
    # the arena is noted after each frame but the last
    m33 = modes.run_image("m33", modes.Job(cart, 2, 0, 0, None))
    assert m33.status == "ok" and len(m33.frames) == 2
    assert m33.image is not None and m33.image["arena_peak_bytes"] > 128 * 1024
    small = modes.run_image("rp2040", modes.Job(cart, 1, 0, 0, None))
    assert small.status == "error" and small.message is not None and "out of memory" in small.message


@needs_gcc
def test_a_cart_without_coroutines_gets_the_pools_ram_as_arena():
    """budget.measure gives a cart that creates no coroutines an image with no
    coroutine pool (co_max 0) and up to 32 KiB more arena: it links (the RP2040's
    264 KiB hold it with the same spare as the largest arena with the pool)."""
    from console.bench import budget

    hello = CARTS / "hello.p8"
    pooled = image.build_cart("rp2040", hello, budget.BENCH_ARENA_MAX)
    bare = image.build_cart("rp2040", hello, budget.BENCH_ARENA_MAX_NO_COROUTINES, co_max=0)
    assert bare.arena_bytes - pooled.arena_bytes == 32 * 1024
    # the pool's 32 KiB moved into the arena: static RAM within a few hundred bytes
    assert abs(bare.static_ram_bytes - pooled.static_ram_bytes) < 1024
    assert bare.static_ram_bytes + 8 * 1024 <= 264 * 1024


LOOP_CART = """pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
t=0
function _update() t+=1 while t>2 do end end
function _draw() end
"""


@needs_gcc
@pytest.mark.parametrize("mode", ["rp2040", "m33"])
def test_endless_frame_stops_the_run(mode, tmp_path):
    if mode == "rp2040":
        _rp2040_or_skip()
    else:
        _unicorn_or_skip()
    cart = tmp_path / "loop.p8"
    cart.write_text(LOOP_CART)
    img = image.build_cart(mode, cart)
    if mode == "rp2040":
        from console.bench import rp2040
        res = rp2040.run(img, 10, lambda f: [0] * 8, max_frame_cycles=3_000_000)
    else:
        from console.bench import m33
        res = m33.run(img, 10, lambda f: [0] * 8, max_frame_instructions=1_000_000)
    assert res.status == "frame-timeout"
    # frames 0 and 1 finished; the third never reached its update mark
    assert len(modes.frames_from_marks(res.marks)) == 2


FLIP_LOOP_CART = """pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
x=0
::_::
cls(x%16) x+=1
printh(x)
flip()
goto _
"""


@needs_gcc
@pytest.mark.parametrize("mode", ["rp2040", "m33"])
def test_a_cart_with_its_own_flip_loop_has_frames(mode, tmp_path):
    # no _update/_draw: each flip() ends a frame, all of it counted as update
    if mode == "rp2040":
        _rp2040_or_skip()
    else:
        _unicorn_or_skip()
    cart = tmp_path / "fliploop.p8"
    cart.write_text(FLIP_LOOP_CART)
    m = modes.run_image(mode, modes.Job(cart, 3, 1, 0, None))
    assert m.status == "ok" and len(m.frames) == 3
    assert all(f.update > 100 and f.draw < f.update for f in m.frames)


STACK_CART = """pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
function count(s, i, n) if i > #s then return n end return count(s, i + 1, n + (sub(s, i, i) == "a" and 1 or 0)) end
d = 0
function h(n) d = n return 1 + h(n + 1) end
f = 0
function _update()
  f += 1
  if f == 1 then local s = "" for i = 1, 400 do s ..= "abcab" end printh(count(s, 1, 0)) end
  if f == 2 then local ok, e = coresume(cocreate(function() h(1) end)) printh(e) printh(d) end
  if f == 3 then h(1) end
end
function _draw() end
"""


@needs_gcc
def test_device_stack_tail_calls_and_overflow(tmp_path):
    """On the RP2040 image: a parser tail-recursing once per character runs
    in constant stack (2,000 levels, where plain calls stop near 160), and
    deeper plain recursion stops with the desktop's "stack overflow" at the
    cart's tab and line, in a coroutine (its 4 KiB C stack) and in the cart
    itself."""
    _rp2040_or_skip()
    from console.bench import rp2040

    cart = tmp_path / "rec.p8"
    cart.write_text(STACK_CART)
    img = image.build_cart("rp2040", cart)
    res = rp2040.run(img, 5, lambda f: [0] * 8)
    log = res.mailbox.log.strip().splitlines()
    assert log[:2] == ["800", "rec.p8 tab 0 line 3: stack overflow"]
    assert 10 < int(log[2]) < 120      # the coroutine's C stack: 32 levels at 6d9b388
    assert res.status == "error"
    assert log[3:] == ["runtime error: rec.p8 tab 0 line 3: stack overflow",
                       "rec.p8 tab 0 line 3: stack overflow"]


# fix32 `/`, `\` and `%` over signs, fractions, zero and the extremes, and
# tostr's digits: every 32-bit division the engine and runtime make
DIVIDE_CART = """pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
function _draw()
 local h,s=0,""
 for i=0,399 do
  local a=(i*7919.37)%3000-1500
  local b=(i*31.17)%200-100
  if (i%50==0) b=0
  if (i%97==0) a,b=0x7fff.ffff,-0.0001
  if (i%89==0) a,b=0x8000,0x0.0003
  h=bxor(h,bxor(a/b,bxor(a\\b,a%b)))
  if (i%40==0) s..=(a/b)..","..(a\\b)..","..(a%b)..";"
 end
 printh(tostr(h,true)) printh(s)
end
"""


@needs_gcc
def test_rp2040_image_divides_in_the_sio_divider(tmp_path):
    """The RP2040 image links bench_divider.c's helpers, as the firmware
    links pico-sdk's pico_divider, not libgcc's; the quotients are the
    desktop's."""
    _rp2040_or_skip()
    cart = tmp_path / "divide.p8"
    cart.write_text(DIVIDE_CART)
    img = image.build_cart("rp2040", cart)
    linked = (img.elf.parent / "image.map").read_text()
    assert "_udivsi3.o" not in linked and "_divsi3.o" not in linked
    syms = subprocess.run(["arm-none-eabi-nm", str(img.elf)], capture_output=True, text=True).stdout
    assert " T __aeabi_uidiv\n" in syms
    from console.bench import rp2040
    res = rp2040.run(img, 2, lambda f: [0] * 8)
    assert res.status == "done" and res.mailbox is not None
    from console.desktop.aot_player import AotConsole
    from console.desktop.frameloop import Options

    lines: list[str] = []
    con = AotConsole.from_path(cart, Options(seed=0, fixed_clock=True, printh=lines.append))
    try:
        for _ in range(2):
            con.step([0] * 8)
    finally:
        con.close()
    assert res.mailbox.log.splitlines() == lines and len(lines) == 4


# a loop without flip(): the clock ends each frame when its time is up, as on
# the device; the loop body is heavy, so the clock must be looked at sooner
# than every TICK_PERIOD iterations (4096 of these take about 3 frames)
NO_FLIP_CART = """pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
x=0
::_::
for i=1,40 do circfill(rnd(128),rnd(128),6,x) x+=atan2(rnd(2)-1,rnd(2)-1) end
goto _
"""

# _update takes more than a frame's time: the clock cuts it (the device shows
# those frames) and the cart's frame is all of it
SLOW_UPDATE_CART = """pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
function _update() for i=1,1000 do circfill(64,64,30,i) end end
function _draw() circ(64,64,10,7) end
"""


@needs_gcc
@pytest.mark.parametrize("mode", ["rp2040", "m33"])
def test_the_image_clock_cuts_frames_in_emulated_time(mode, tmp_path):
    if mode == "rp2040":
        _rp2040_or_skip()
    else:
        _unicorn_or_skip()
    budget = 250_000_000 // 30              # cycles (m33: instructions) of a 30 fps frame
    cart = tmp_path / "noflip.p8"
    cart.write_text(NO_FLIP_CART)
    frames = 6 if mode == "rp2040" else 2   # unicorn is the slower emulator
    m = modes.run_image(mode, modes.Job(cart, frames, 1, 0, None))
    assert m.status == "ok" and len(m.frames) == frames
    # cut at the first look past the budget: a few loop iterations later
    assert all(budget < f.total < budget * 1.03 for f in m.frames), [f.total for f in m.frames]
    if mode == "m33":
        return
    cart = tmp_path / "slow.p8"
    cart.write_text(SLOW_UPDATE_CART)
    m = modes.run_image(mode, modes.Job(cart, 3, 1, 0, None))
    assert m.status == "ok" and len(m.frames) == 3
    # (about 2.9 frames' time)
    assert all(2 * budget < f.update < 4 * budget and f.draw < budget for f in m.frames), m.frames
