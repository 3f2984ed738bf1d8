// firmware_emu.mjs -- boot rp8's pico-sdk firmware (a UF2 built as `rp8
// build` builds it, plus RP8_EMU=1) in rp2040js and watch the ST7789 on its
// SPI bus.
//
// Usage: node firmware_emu.mjs JOB.json   (console/firmware/emulate.py writes it)
// JOB: { "uf2": the firmware, "bootrom": the RP2040 bootrom (16 KiB binary),
//        "spi": SPI block of the panel (0/1), "dc", "cs": panel pins,
//        "buttons": every button pin, "input": [[pass, [pins held low]], ...]
//        (from that pass of the runner's loop on, until the next entry),
//        "frames": passes to run, "dump": panel frames to save,
//        "out": folder for panel_NNNNN.rgb565 (240x240 big-endian RGB565)
//        and panel_last.rgb565 (the panel as the run ended),
//        "syms": { rp8_frame, rp8_snap_take, plat_present, p8_audio_render,
//                  plat_wait_until: addresses },
//        "clock_hz": the firmware's clk_sys (time per emulated cycle),
//        "max_cycles": give up after, "max_pass_cycles": give up when the
//        boot or one pass runs longer }
// Prints one JSON object on stdout: the panel's commands, per pass the
// buttons rp8_frame was given (null: the pause menu took the pass) and
// core0's cycles in each watched function and in the whole pass, the
// cycles and emulated time to the first finished panel frame, what the
// firmware wrote to its UARTs (printh, the runtime error), and status:
// done, or error / ended / stopped when rp8_frame returned that (the run
// goes on to the end of that pass, so the error screen is on the panel).
//
// The firmware boots as on a Pico: the real bootrom runs from its reset
// vector, reads boot2 from flash over the SPI dialogue modelled below,
// checks its CRC, and runs it from SRAM; boot2 sets up XIP and enters the
// SDK's crt0. A UF2 with a bad boot2 ends in the bootrom's USB boot, waiting
// forever (status "stuck", PC in the bootrom). rp2040js runs core0
// only, so the firmware must be built with RP8_EMU=1 (plat_rp2.c: core0
// shows each frame itself). SPI transfers complete at once (no bus timing);
// each instruction costs rp2040js's cycle count, without XIP cache misses.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RP2040 } from 'rp2040js';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const FLASH = 0x10000000;
const W = 240, H = 240;

// What rp2040js says about registers it does not model (its logger, and
// console.warn in its SIO): the first few messages and how many in all, in
// the result -- they name the hardware a build needs that is not emulated.
const notes = { first: [], count: 0 };
function note(...args) {
  notes.count++;
  if (notes.first.length < 16) notes.first.push(args.join(' '));
}
console.warn = note;
const LOG_MAX = 1 << 16;
let log = '';
console.error = note;
const mcu = new RP2040();
mcu.logger = { debug() {}, info() {}, warn: note, error: note };
const rom = readFileSync(job.bootrom);
mcu.loadBootrom(new Uint32Array(rom.buffer, rom.byteOffset, rom.length >> 2));  // resets; erases flash

// UF2: 512-byte blocks, each a target address and up to 476 bytes of payload
const uf2 = readFileSync(job.uf2);
for (let at = 0; at + 512 <= uf2.length; at += 512) {
  const magic0 = uf2.readUInt32LE(at), magic1 = uf2.readUInt32LE(at + 4);
  if (magic0 !== 0x0a324655 || magic1 !== 0x9e5d5157) throw new Error(`UF2 block ${at / 512}: bad magic`);
  const addr = uf2.readUInt32LE(at + 12), size = uf2.readUInt32LE(at + 16);
  mcu.flash.set(uf2.subarray(at + 32, at + 32 + size), addr - FLASH);
}
// A register write through the XOR (1), SET (2) or CLR (3) alias.
function atomic(old, value, type) {
  return type === 1 ? old ^ value : type === 2 ? old | value : type === 3 ? old & ~value : value;
}

// rp2040js leaves VREG_AND_CHIP_RESET unmodelled (reads as all ones, which
// the bootrom takes for a debugger's rescue request and halts): give it its
// registers as after power-on -- VREG 0xb1, BOD 0xd1, CHIP_RESET HAD_POR.
class ChipReset {
  constructor() { this.regs = [0xb1, 0xd1, 0x100]; this.rawWriteValue = 0; }
  readUint32(offset) { return this.regs[offset >> 2] ?? 0; }
  writeUint32(offset, value) { if ((offset >> 2) < 2) this.regs[offset >> 2] = value >>> 0; }
  writeUint32Atomic(offset, value, type) { this.writeUint32(offset, atomic(this.readUint32(offset), value, type)); }
}
mcu.peripherals[0x40064] = new ChipReset();
// The bootrom reads boot2 from the flash in plain SPI: chip select forced
// low through IO_QSPI's SS override, a 03h read command and address, then
// one byte back for each byte sent through the SSI. rp2040js models neither
// (its SSI only answers boot2's status reads; IO_QSPI is unimplemented), so
// this serves that dialogue from the flash image; with chip select not
// forced, rp2040js's SSI goes on as before (boot2, then XIP reads).
class QspiPins {
  constructor() { this.regs = new Uint32Array(12); this.rawWriteValue = 0; }
  get csOverride() { return (this.regs[3] >> 8) & 3; }          // GPIO_QSPI_SS_CTRL OUTOVER
  get csForced() { return this.csOverride >= 2; }                // 2: low, 3: high
  get csForcedLow() { return this.csOverride === 2; }
  readUint32(offset) {
    // SS status: the pad reads high (pulled up; BOOTSEL not pressed)
    if (offset === 0x08) return (1 << 17) | (1 << 19);
    return this.regs[offset >> 2] ?? 0;
  }
  writeUint32(offset, value) {
    const wasLow = this.csForcedLow;
    if ((offset >> 2) < 12) this.regs[offset >> 2] = value >>> 0;
    if (this.csForcedLow && !wasLow) flashBus.select();
  }
  writeUint32Atomic(offset, value, type) { this.writeUint32(offset, atomic(this.readUint32(offset), value, type)); }
}
const flashBus = {
  sent: [], rx: [],
  select() { this.sent = []; this.rx = []; },
  // the byte the flash shifts out while it receives `byte`
  exchange(byte) {
    if (!qspi.csForcedLow) {         // deselected: the clocks go nowhere
      this.rx.push(0);
      return;
    }
    const sent = this.sent;
    sent.push(byte & 0xff);
    let out = 0;
    if (sent[0] === 0x03 && sent.length > 4) {
      const addr = ((sent[1] << 16) | (sent[2] << 8) | sent[3]) + sent.length - 5;
      out = mcu.flash[addr & 0xffffff];
    } else if (sent[0] === 0x05 || sent[0] === 0x35) {
      out = 0;                       // status registers: not busy
    }
    this.rx.push(out);
  },
};
const qspi = new QspiPins();
mcu.peripherals[0x40018] = qspi;
const ssi = mcu.peripherals[0x18000];
const ssiRead = ssi.readUint32.bind(ssi), ssiWrite = ssi.writeUint32.bind(ssi);
ssi.readUint32 = (offset) => {
  if (qspi.csForced) {
    if (offset === 0x60) return flashBus.rx.length ? flashBus.rx.shift() : 0;      // DR0
    if (offset === 0x24) return flashBus.rx.length;                                // RXFLR
    if (offset === 0x28) return 0x6 | (flashBus.rx.length ? 0x8 : 0);               // SR: TFE TFNF [RFNE]
  }
  return ssiRead(offset);
};
ssi.writeUint32 = (offset, value) => {
  if (qspi.csForced && offset === 0x60) flashBus.exchange(value);
  else ssiWrite(offset, value);
};
// QSPI chip select reads high (BOOTSEL not pressed): its pad as after
// reset (PADS_QSPI GPIO_QSPI_SS = 0x5a: input enabled, pull-up), which
// rp2040js starts with the input disabled
mcu.qspi[1].padValue = 0x5a;
mcu.qspi[1].setInputValue(true);
mcu.core.reset();                    // the bootrom's reset vector
for (const uart of mcu.uart) {
  uart.onByte = (b) => { if (log.length < LOG_MAX) log += String.fromCharCode(b); };
}

// Buttons: pull-ups are not modelled by rp2040js, so released = driven high.
function setButtons(low) {
  for (const pin of job.buttons) mcu.gpio[pin].setInputValue(!low.includes(pin));
}
const input = job.input || [];
function inputFor(frame) {
  let low = [];
  for (const [f, pins] of input) if (f <= frame) low = pins;
  return low;
}
setButtons(inputFor(0));

// ---- the panel: an ST7789 as far as this firmware drives it ----
const dc = mcu.gpio[job.dc], cs = mcu.gpio[job.cs];
const spi = mcu.spi[job.spi];
const panel = new Uint16Array(W * H);
const commands = [];                 // [cmd, [params]] outside pixel data, the first 64
const seen = {};                     // command -> times seen
let cmd = -1, params = [], hi = -1;
let win = [0, W - 1, 0, H - 1], caset = [0, W - 1], raset = [0, H - 1];
let px = 0, py = 0, pixels = 0;
let panelFrames = 0, firstFrame = null;
const dump = new Set(job.dump || []);
if (job.out) mkdirSync(job.out, { recursive: true });

function pixel(v) {
  if (px >= W || py >= H) return;    // outside the 240x240 RAM this test models
  panel[py * W + px] = v;
  pixels++;
  if (++px > win[1]) {
    px = win[0];
    if (++py > win[3]) py = win[2];
  }
  if (pixels === (win[1] - win[0] + 1) * (win[3] - win[2] + 1)) frameDone();
}

function frameDone() {
  if (firstFrame === null) firstFrame = { cycles: mcu.core.cycles, us: mcu.clock.micros };
  if (dump.has(panelFrames) && job.out) {
    const buf = Buffer.alloc(W * H * 2);
    for (let i = 0; i < W * H; i++) buf.writeUInt16BE(panel[i], 2 * i);
    writeFileSync(join(job.out, `panel_${String(panelFrames).padStart(5, '0')}.rgb565`), buf);
  }
  panelFrames++;
}

function word(params, i) { return (params[i] << 8) | params[i + 1]; }

spi.onTransmit = (value) => {
  spi.completeTransmit(0);
  if (cs.outputValue) return;        // not selected
  const bits = spi.dataBits;
  if (!dc.outputValue) {             // a command byte
    cmd = value & 0xff;
    params = [];
    hi = -1;
    seen[cmd] = (seen[cmd] || 0) + 1;
    if (cmd === 0x2c) {              // RAMWR: from the window's first pixel
      win = [caset[0], caset[1], raset[0], raset[1]];
      px = win[0];
      py = win[2];
      pixels = 0;
    }
    if (commands.length < 64) commands.push([cmd, params]);
    return;
  }
  if (cmd === 0x2c) {                // pixel data: 16-bit frames, or byte pairs
    if (bits === 16) pixel(value & 0xffff);
    else if (hi < 0) hi = value & 0xff;
    else { pixel((hi << 8) | (value & 0xff)); hi = -1; }
    return;
  }
  if (bits === 16) params.push((value >> 8) & 0xff, value & 0xff);
  else params.push(value & 0xff);
  if (cmd === 0x2a && params.length === 4) caset = [word(params, 0), word(params, 2)];
  if (cmd === 0x2b && params.length === 4) raset = [word(params, 0), word(params, 2)];
};

// ---- core0, with the runner's functions watched by address ----
const core = mcu.core;
const nsPerCycle = 1e9 / (job.clock_hz || 125e6);
const S = job.syms;
const frames = [];                   // per pass of the runner's loop
const newPass = () => ({ buttons: null, result: null, cart: 0, snap: 0, present: 0, audio: 0, wait: 0, total: 0 });
// rp8_frame's results that end the cart (rp8_runner.h)
const ENDS = { 2: 'ended', 3: 'error', 4: 'stopped' };
let ended = null;                    // set when rp8_frame returned one of them
let current = newPass();
let passStart = 0;
frames.push(current);
let waits = 0;
const watches = [];                  // open calls: [return address, part, cycles at entry]
let status = 'timeout';
const limit = job.max_cycles || 2e10;
// a pass (or the boot) that never reaches plat_wait_until stops the run
const passLimit = job.max_pass_cycles || 2e8;

// One pass of the runner's loop (aot/runner/rp8_runner.cpp rp8_main): read buttons, the
// pause menu's turn or rp8_frame (the cart), then device_frame_done:
// plat_present (rp8_snap_take inside it), p8_audio_render, plat_audio_push,
// plat_wait_until. Each watched function's cycles are counted from its
// entry to its return address, interrupts included.
const parts = new Map([[S.rp8_frame, 'cart'], [S.rp8_snap_take, 'snap'], [S.plat_present, 'present'],
  [S.p8_audio_render, 'audio'], [S.plat_wait_until, 'wait']]);

function enter(part) {
  if (part === 'cart') current.buttons = mcu.readUint8(core.registers[0] >>> 0);
  if (part === 'wait') {
    current.total = core.cycles - passStart;
    if (ended !== null) { status = ended; return true; }
    if (++waits >= job.frames) { status = 'done'; return true; }
    // the next pass's buttons, held from now through the wait
    setButtons(inputFor(waits));
  }
  watches.push([(core.registers[14] & ~1) >>> 0, part, core.cycles]);
  return false;
}

function leave() {
  const [, part, at] = watches.pop();
  current[part] += core.cycles - at;
  if (part === 'cart') {
    current.result = core.registers[0] >>> 0;
    if (ENDS[current.result] !== undefined) ended = ENDS[current.result];
  }
  if (part === 'wait') {
    current = newPass();
    passStart = core.cycles;
    frames.push(current);
  }
}

outer: while (core.cycles < limit) {
  if (core.cycles - passStart > passLimit) { status = 'pass-timeout'; break; }
  for (let i = 0; i < 10000; i++) {
    if (core.waiting) {
      const next = mcu.clock.nanosToNextAlarm;
      if (!(next > 0) || next === Infinity) { status = 'stuck'; break outer; }
      mcu.clock.tick(next);
      continue;
    }
    const pc = core.PC >>> 0;
    if (watches.length && pc === watches[watches.length - 1][0]) {
      leave();
    } else {
      const part = parts.get(pc);
      if (part !== undefined && enter(part)) break outer;
    }
    const c = core.executeInstruction();
    mcu.clock.tick(c * nsPerCycle);
  }
}

if (job.out) {
  const buf = Buffer.alloc(W * H * 2);
  for (let i = 0; i < W * H; i++) buf.writeUInt16BE(panel[i], 2 * i);
  writeFileSync(join(job.out, 'panel_last.rgb565'), buf);
}
const result = {
  status, pc: '0x' + (core.PC >>> 0).toString(16), cycles: core.cycles, us: mcu.clock.micros,
  first_frame: firstFrame, panel_frames: panelFrames, commands, seen, frames, notes, log,
};
process.stdout.write(JSON.stringify(result) + '\n');
