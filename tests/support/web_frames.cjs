// Steps a compiled cart's WebAssembly module (console/web_build.py) under node
// for tests/web/test_web_frames.py: node web_frames.cjs CART.js CART.wasm MASKS
// MASKS is one line of player 0's button masks, comma-separated, one a
// frame. Prints a line per frame: the rp8_frame result and the SHA-1 of the
// display colours (as AotConsole.frame_hash), after an error or a stop
// "message TEXT", then "printh" lines. With a fourth argument "time", stderr gets the
// median and 90th percentile of the time rp8web_frame took (ms), for reports.
"use strict";
const fs = require("fs");
const crypto = require("crypto");

const [jsPath, wasmPath, maskPath, timing] = process.argv.slice(2);
const masks = fs.readFileSync(maskPath, "utf8").trim().split(",").filter((s) => s !== "").map(Number);
const factory = require(require("path").resolve(jsPath));
const logged = [];
const hooks = {
  present() {},
  audio() {},
  log(text) { logged.push(text); },
  load() { return null; },
  save() {},
  poll() {},
};

factory({ wasmBinary: fs.readFileSync(wasmPath), rp8: hooks, print() {}, printErr() {} }).then((m) => {
  m.rp8 = hooks;
  const out = [];
  const took = [];
  m._rp8web_boot(0);
  for (let n = 0; n < masks.length; n++) {
    const t0 = process.hrtime.bigint();
    m._rp8web_frame(masks[n]);
    took.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const kind = m._rp8web_result();
    const at = m._rp8web_indices();
    const hash = crypto.createHash("sha1").update(m.HEAPU8.subarray(at, at + 128 * 128)).digest("hex");
    out.push(`${kind} ${hash}`);
    if (kind === 3 || kind === 4) out.push("message " + m.UTF8ToString(m._rp8web_message()));
    if (kind !== 0 && kind !== 1) break;
  }
  for (const line of logged.join("").split("\n")) out.push("printh " + line);
  process.stdout.write(out.join("\n") + "\n");
  if (timing === "time") {
    took.sort((a, b) => a - b);
    const at = (q) => took[Math.min(took.length - 1, Math.floor(q * took.length))].toFixed(3);
    process.stderr.write(`frames ${took.length} median_ms ${at(0.5)} p90_ms ${at(0.9)}\n`);
  }
});
