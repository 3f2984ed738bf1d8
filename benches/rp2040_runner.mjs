// rp2040_runner.mjs -- run an rp8 bench image in rp2040js and count cycles.
//
// Usage: node rp2040_runner.mjs JOB.json
// JOB: { "bin": path of the flat image, "load": flash address of its first
//        byte, "vectors": address of the vector table, "ram": RAM base (the
//        mailbox), "frames": frames to run, "buttons": [[p0..p7], ...] one
//        entry per frame (the last repeats), "seed_raw": srand bits for
//        the cart, "max_cycles": give up after,
//        "max_frame_cycles": give up when one frame runs longer,
//        "clock_mhz": the chip's clock, which turns the cycle count into the
//        microseconds the image's clock reads (BKPT 0x21; default 250),
//        "profile": optional { "after": draw marks to skip (the warm-up),
//        "callers": [entry, ...] functions whose calls, with all they
//        call, are also charged to the return address } }
// Prints `progress N` lines on stderr about once a second, then one JSON
// object on stdout: { "marks": [[bkpt, cycles], ...], "mailbox": {...},
// "stack_peak": bytes, "status": "done" | "ended" | "error" | "fault" |
// "timeout" | "frame-timeout", "pc": hex }, plus with "profile":
// "profile": { "pcs": [[address, cycles], ...], "callers": [[lr, cycles],
// ...], "cycles": total profiled } -- the cycles of every instruction
// executed after the warm-up, by its address (exact, not sampled).
//
// rp2040js models the Cortex-M0+ core at about one cycle per instruction
// plus bus wait states for peripherals; it has no XIP cache (flash reads
// cost what SRAM reads cost) and no bus contention, and only core0 runs.
// Its figures are emulated cycles, not measurements of a Pico.
import { readFileSync } from 'node:fs';
import { RP2040 } from 'rp2040js';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const image = readFileSync(job.bin);
const FLASH = 0x10000000;
const RAM = 0x20000000;
const MAGIC = 0x42385052;
const STACK_PAINT = 0x5354434b;
const BKPT = { update: 0x10, draw: 0x11, audio: 0x14, cut: 0x15, ready: 0x20, clock: 0x21, end: 0x30, fault: 0x3f };
const TIME_US = 600;                 // the mailbox's time_us (bench_mailbox.h)
const MHZ = job.clock_mhz || 250;

const mcu = new RP2040();
mcu.logger = { debug() {}, info() {}, warn() {}, error() {} };
mcu.flash.set(image, job.load - FLASH);
// start as boot2 would hand over: stack pointer and reset vector from the table
const view = new DataView(mcu.flash.buffer);
mcu.core.SP = view.getUint32(job.vectors - FLASH, true);
mcu.core.PC = view.getUint32(job.vectors - FLASH + 4, true) & ~1;

const box = job.ram - RAM;           // mailbox offset in SRAM
const sram = mcu.sramView;
const rd = (off) => sram.getUint32(box + off, true);
const wr = (off, v) => sram.setUint32(box + off, v >>> 0, true);

let hit = -1;
mcu.onBreak = (code) => { hit = code; };

function feed(frame) {
  const list = job.buttons;
  const b = list.length ? list[Math.min(frame, list.length - 1)] : [];
  for (let p = 0; p < 8; p++) wr(16 + 4 * p, b[p] || 0);
}

const marks = [];
let lastReport = Date.now();
let status = 'timeout';
const core = mcu.core;
const limit = job.max_cycles || 4e11;
// a frame that never ends (an endless loop, a cart waiting for input in
// its own loop) stops the run instead of hanging it
const frameLimit = job.max_frame_cycles || 1e9;
let lastMark = 0;

// Profile: the cycles each instruction costs, added up by its address.
// Code runs from flash (the image) or SRAM; one counter per halfword.
const prof = job.profile || null;
const flashCounts = new Float64Array((image.length >> 1) + 1);
const ramCounts = new Float64Array((264 * 1024) >> 1);
const callerCounts = new Map();
// a call of a watched function (by its entry address) is charged, with
// everything it calls, to its return address, until control comes back there
const watched = new Set(prof ? (prof.callers || []) : []);
let watchRet = -1;
let profiling = prof !== null && (prof.after || 0) === 0;
let drawMarks = 0;
let profiled = 0;
let inPhases = false;   // between a draw mark and the audio mark

function stepProfiled() {
  const pc = core.PC >>> 0;
  if (watchRet < 0 && watched.has(pc)) watchRet = (core.LR & ~1) >>> 0;
  // the cycle counter's step, not executeInstruction's count: peripherals
  // add their own (the SIO divider charges 8 cycles to each operand write)
  const c0 = core.cycles;
  core.executeInstruction();
  const d = core.cycles - c0;
  profiled += d;
  if (pc >= job.load && pc < job.load + image.length) flashCounts[(pc - job.load) >> 1] += d;
  else if (pc >= RAM && pc < RAM + 264 * 1024) ramCounts[(pc - RAM) >> 1] += d;
  if (watchRet >= 0) {
    callerCounts.set(watchRet, (callerCounts.get(watchRet) || 0) + d);
    if ((core.PC >>> 0) === watchRet) watchRet = -1;
  }
}

outer: while (core.cycles < limit) {
  if (core.cycles - lastMark > frameLimit) {
    status = 'frame-timeout';
    break;
  }
  // run in slices: the check of `hit` is the loop's only overhead
  for (let i = 0; i < 100000; i++) {
    if (profiling && !inPhases) stepProfiled();
    else core.executeInstruction();
    if (hit >= 0) {
      const code = hit;
      hit = -1;
      if (code === BKPT.clock) {
        // the image reads the time: emulated, from the cycles so far
        wr(TIME_US, Math.floor(core.cycles / MHZ));
        continue;
      }
      marks.push([code, core.cycles]);
      lastMark = core.cycles;
      if (code === BKPT.ready) {
        wr(8, job.frames);
        wr(588, job.seed_raw || 0);
        feed(0);
      } else if (code === BKPT.audio) {
        inPhases = false;
      } else if (code === BKPT.cut) {
        inPhases = true;             // the firmware's phases of the frame shown
      } else if (code === BKPT.draw) {
        drawMarks++;
        if (prof !== null && drawMarks === (prof.after || 0)) profiling = true;
        // the firmware's phases (snapshot, core1's conversion, audio) follow
        // until the audio mark: not the cart's frame, as the frame counts
        inPhases = true;
        const done = rd(12);         // frames finished = the next frame's number
        feed(done);
        const now = Date.now();
        if (now - lastReport >= 1000) {
          process.stderr.write(`progress ${done}\n`);
          lastReport = now;
        }
      } else if (code === BKPT.end) {
        const st = rd(48);
        status = st === 1 ? 'done' : st === 3 ? 'ended' : 'error';
        break outer;
      } else if (code === BKPT.fault) {
        status = 'fault';
        break outer;
      }
    }
  }
}

const names = ['magic', 'version', 'frames_wanted', 'frame'];
const mailbox = {};
names.forEach((n, i) => { mailbox[n] = rd(4 * i); });
mailbox.status = rd(48);
mailbox.arena_size = rd(52);
mailbox.arena_peak = rd(56);
mailbox.presents = rd(60);
mailbox.stack_base = rd(64);
mailbox.stack_top = rd(68);
const logLen = Math.min(rd(72), 512);
mailbox.log = Buffer.from(mcu.sram.subarray(box + 76, box + 76 + logLen)).toString('latin1');
mailbox.audio_hash = rd(592);        // after seed_raw (588): bench_mailbox.h
mailbox.audio_samples = rd(596);
let peak = 0;
if (mailbox.magic === MAGIC) {
  let p = mailbox.stack_base - RAM;
  const top = mailbox.stack_top - RAM;
  while (p < top && sram.getUint32(p, true) === STACK_PAINT) p += 4;
  peak = top - p;
}
const result = {
  marks, mailbox, stack_peak: peak, status, pc: '0x' + (core.PC >>> 0).toString(16),
};
if (prof !== null) {
  const pcs = [];
  flashCounts.forEach((c, i) => { if (c) pcs.push([job.load + 2 * i, c]); });
  ramCounts.forEach((c, i) => { if (c) pcs.push([RAM + 2 * i, c]); });
  result.profile = { pcs, callers: [...callerCounts.entries()], cycles: profiled };
}
process.stdout.write(JSON.stringify(result) + '\n');
