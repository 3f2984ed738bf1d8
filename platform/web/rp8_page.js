// rp8_page.js -- the page around a compiled cart's WebAssembly module
// (platform/web/web_plat.c calls these through Module.rp8).
//   screen   a 128x128 <canvas>, scaled by whole multiples where the window
//            allows, with crisp pixels (image-rendering: pixelated)
//   input    the desktop player's keys (arrows, Z/C/N, X/V/M; player 2 on
//            S/F/E/D, Tab/Q, Shift/A; Enter or P pauses) and gamepads
//            (Gamepad API, standard mapping: d-pad or left stick, A/B, X/Y,
//            Start pauses), pad n being player n
//   sound    WebAudio at 22050 Hz from a ring buffer the cart fills after
//            each frame; it starts at the first key or click (browsers
//            allow sound only after one)
//   cartdata localStorage, printh the browser's console
// The page calls rp8Page(wasmBytes) once the loader (cart.js) is in.
// window.rp8Stats counts what reached the page (frames shown, samples
// queued for the speakers, their peak), for tests and curious users.
"use strict";

function rp8Page(wasmBytes) {
  const canvas = document.getElementById("rp8-screen");
  const note = document.getElementById("rp8-note");
  const g = canvas.getContext("2d");
  const image = g.createImageData(128, 128);
  let module = null;
  const stats = { frames: 0, samples: 0, peak: 0 };
  window.rp8Stats = stats;

  // ------------------------------------------------------------ screen

  function fit() {
    const room = Math.min(window.innerWidth, window.innerHeight - (note ? note.offsetHeight : 0));
    const k = room >= 128 ? Math.floor(room / 128) : room / 128;
    canvas.style.width = canvas.style.height = 128 * k + "px";
  }
  window.addEventListener("resize", fit);
  fit();

  function present(ptr) {
    const px = module.HEAPU8.subarray(ptr, ptr + 128 * 128 * 4);
    const d = image.data;
    for (let i = 0; i < 128 * 128 * 4; i += 4) {   // XRGB8888 little-endian: B G R X
      d[i] = px[i + 2];
      d[i + 1] = px[i + 1];
      d[i + 2] = px[i];
      d[i + 3] = 255;
    }
    g.putImageData(image, 0, 0);
    stats.frames++;
  }

  // ------------------------------------------------------------ input

  const KEYS = {
    ArrowLeft: [0, 1], ArrowRight: [0, 2], ArrowUp: [0, 4], ArrowDown: [0, 8],
    KeyZ: [0, 16], KeyC: [0, 16], KeyN: [0, 16], KeyX: [0, 32], KeyV: [0, 32], KeyM: [0, 32],
    KeyS: [1, 1], KeyF: [1, 2], KeyE: [1, 4], KeyD: [1, 8],
    Tab: [1, 16], KeyQ: [1, 16], ShiftLeft: [1, 32], KeyA: [1, 32],
    Enter: [0, 64], KeyP: [0, 64],
  };
  const keys = new Uint8Array(8);
  const pads = new Uint8Array(8);

  function send() {
    if (!module) return;
    for (let p = 0; p < 8; p++) module._rp8web_set_buttons(p, keys[p] | pads[p]);
  }

  function onKey(down, ev) {
    const k = KEYS[ev.code];
    startSound();
    if (!k) return;
    ev.preventDefault();
    if (down) keys[k[0]] |= k[1];
    else keys[k[0]] &= ~k[1];
    send();
  }
  window.addEventListener("keydown", (ev) => onKey(true, ev));
  window.addEventListener("keyup", (ev) => onKey(false, ev));
  window.addEventListener("blur", () => { keys.fill(0); send(); });
  canvas.addEventListener("pointerdown", startSound);

  // standard mapping: 0 A, 1 B, 2 X, 3 Y, 9 start, 12-15 d-pad
  const PAD_BUTTONS = [[0, 16], [1, 32], [2, 32], [3, 16], [9, 64], [14, 1], [15, 2], [12, 4], [13, 8]];

  function pollPads() {
    if (!navigator.getGamepads) return;
    const list = navigator.getGamepads();
    pads.fill(0);
    for (let i = 0; i < list.length && i < 8; i++) {
      const pad = list[i];
      if (!pad) continue;
      let m = 0;
      for (const [b, bit] of PAD_BUTTONS) if (pad.buttons[b] && pad.buttons[b].pressed) m |= bit;
      const x = pad.axes[0] || 0, y = pad.axes[1] || 0;
      if (x < -0.5) m |= 1;
      if (x > 0.5) m |= 2;
      if (y < -0.5) m |= 4;
      if (y > 0.5) m |= 8;
      pads[i] = m;
    }
    send();
  }

  // ------------------------------------------------------------ sound

  const RING = 8192;                  // samples: ~370 ms at 22050 Hz
  const ring = new Float32Array(RING);
  let head = 0, tail = 0;             // write and read positions (tail == head: empty)
  let audio = null;

  function startSound() {
    if (audio) {
      if (audio.state === "suspended") audio.resume();
      return;
    }
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    audio = new Ctx({ sampleRate: 22050 });
    const node = audio.createScriptProcessor(1024, 0, 1);
    node.onaudioprocess = (ev) => {
      const out = ev.outputBuffer.getChannelData(0);
      for (let i = 0; i < out.length; i++) {
        if (tail === head) { out.fill(0, i); break; }
        out[i] = ring[tail];
        tail = (tail + 1) % RING;
      }
    };
    node.connect(audio.destination);
  }

  function pushAudio(ptr, n) {
    if (!audio || audio.state !== "running") return;
    const s = module.HEAP16.subarray(ptr >> 1, (ptr >> 1) + n);
    stats.samples += n;
    for (let i = 0; i < n; i++) {
      if (Math.abs(s[i]) > stats.peak) stats.peak = Math.abs(s[i]);
      ring[head] = s[i] / 32768;
      head = (head + 1) % RING;
      if (head === tail) tail = (tail + 1) % RING;   // full: drop the oldest
    }
  }

  // ------------------------------------------------------------ cartdata, printh

  function loadData(id) {
    const hex = window.localStorage ? localStorage.getItem("rp8-cartdata:" + id) : null;
    if (!hex || hex.length !== 512) return null;
    const out = new Uint8Array(256);
    for (let i = 0; i < 256; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
    return out;
  }

  function saveData(id, bytes) {
    if (!window.localStorage) return;
    let hex = "";
    for (let i = 0; i < 256; i++) hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    try { localStorage.setItem("rp8-cartdata:" + id, hex); } catch (e) { console.warn("cartdata:", e); }
  }

  let line = "";
  function log(text) {
    line += text;
    const parts = line.split("\n");
    line = parts.pop();
    for (const p of parts) console.log(p);
  }

  // ------------------------------------------------------------ start

  function fail(what) {
    if (note) note.textContent = "This cart stopped: " + what;
    console.error(what);
  }

  const hooks = { present, audio: pushAudio, log, load: loadData, save: saveData, poll: pollPads };
  rp8Cart({ wasmBinary: wasmBytes, rp8: hooks, print: log, printErr: (s) => console.warn(s),
            onAbort: (what) => fail(String(what)) }).then((m) => {
    module = m;
    m.rp8 = hooks;
    canvas.focus();
    try {
      m._rp8web_main();
    } catch (e) {
      fail(String(e));
    }
  }, (e) => fail(String(e)));
  window.addEventListener("error", (ev) => fail(ev.message));
}
