"""Building compiled carts for web pages: C++ -> WebAssembly with emscripten.

The same C++ that `rp8 run --aot` loads (console/aot_build.py) is built with
emcc into a module of two files, `cart.wasm` and `cart.js` (emscripten's
loader, MODULARIZE'd as `rp8Cart`), with platform/web as its platform.h.
The runtime archive (engine, aot/runtime, the runner, the pause menu) is built once per
emscripten version and flags; a cart's module is cached by the hash of
everything that goes into it (console/cache.py, kind `web`), as `--aot`'s
libraries are.

emscripten: Debian's package (`apt install emscripten`) works offline with
its own read-only, prebuilt cache; EM_CACHE must stay unset and its tools
need NODE_PATH=/usr/share/nodejs to find Debian's acorn.

Multicarts. A page holds every cart of its export in one module: the
runtime once, each cart's code and data beside it (compiled with its
symbols renamed, rp8_cart_K and rp8_cart_rom_K), and a table of them by
file name (platform/web/web_bundle.h) through which platform/web answers
load() and reload() and boots the other cart (rp8_select_cart).

Depth limits. wasm cannot switch stacks, so a context switch (a flip, a
yield) is an Asyncify unwind of the running context's whole call chain
into its save area (aot/runtime/rt_ctx.cpp), and a deep call chain also
meets the browser's own call stack limit before the C stack guard does.
So a web build caps Lua call depth per context (the runtime's depth limit,
"stack overflow" at the cart's tab and line as on the desktop): WEB_DEPTH
in the cart's main context and callbacks, WEB_CO_DEPTH in a coroutine,
with save areas sized for the deepest chain they allow.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from aot.cpp_backend import CppCart
from aot.cpp_runtime import RUNNER_DIR, RUNTIME_DIR
from aot.errors import UserError
from console import cache
from console.aot_build import ROM_DATA, CXXFLAGS, BuildError, engine_files, rom_cpp, runtime_files, write_cart
from console.aot_toolchain import runner_files
from console.sources import ENGINE_DIR, PLATFORM_DIR

WEB_DIR = PLATFORM_DIR / "web"
COMMON_DIR = PLATFORM_DIR / "common"
OPT = ["-O2"]
# clang (emcc) warns of the doubled parentheses generated code has around comparisons
WARN = ["-Wno-parentheses-equality"]
CFLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-fwrapv"]
# Lua call depth (see the module's note); the save areas hold this deep a
# chain of the biggest frames the corpus makes with room to spare
WEB_DEPTH = 1500
WEB_CO_DEPTH = 500
DEFINES = [
    f"RP8_MAX_DEPTH={WEB_DEPTH}",
    f"RP8_CO_MAX_DEPTH={WEB_CO_DEPTH}",
    "RP8_CART_CSTACK=(8*1024*1024)",      # a quarter C stack, the rest the save area
    "RP8_CO_CSTACK=(2*1024*1024)",
    "RP8_PAUSE_MENU=1",
]
EXPORTS = ["_rp8web_main", "_rp8web_boot", "_rp8web_frame", "_rp8web_result", "_rp8web_indices",
           "_rp8web_message", "_rp8web_set_buttons", "_rp8web_cart_name", "_rp8_fps", "_rp8_frames"]
# PICO-8's exporter takes up to 15 carts beside the first
MAX_CARTS = 16
LINK = ["-sASYNCIFY=1", "-sASYNCIFY_STACK_SIZE=65536", "-sMODULARIZE=1", "-sEXPORT_NAME=rp8Cart",
        "-sENVIRONMENT=web,node", "-sINITIAL_MEMORY=128MB", "-sALLOW_MEMORY_GROWTH=0",
        "-sTOTAL_STACK=1MB",
        "-sEXPORTED_RUNTIME_METHODS=['UTF8ToString']",
        f"-sEXPORTED_FUNCTIONS={','.join(EXPORTS)}"]


def emscripten_missing() -> UserError:
    return UserError("emcc: not found; web export builds the cart with emscripten "
                     "(Debian/Ubuntu: apt install emscripten; elsewhere: "
                     "https://emscripten.org/docs/getting_started/downloads.html)")


def emcc_env() -> dict[str, str]:
    """The environment emcc runs in: Debian's cache, Debian's node modules."""
    env = dict(os.environ)
    env.pop("EM_CACHE", None)
    if Path("/usr/share/nodejs").is_dir():
        env["NODE_PATH"] = os.pathsep.join(p for p in (env.get("NODE_PATH"), "/usr/share/nodejs") if p)
    return env


def have_emcc() -> bool:
    return shutil.which("emcc") is not None


@functools.lru_cache(maxsize=None)
def emcc_version() -> str:
    if not have_emcc():
        raise emscripten_missing()
    done = subprocess.run(["emcc", "--version"], capture_output=True, text=True, env=emcc_env())
    if done.returncode != 0:
        raise UserError(f"emcc --version failed:\n{done.stderr[-2000:]}")
    return done.stdout.splitlines()[0]


def _run(cmd: list[str]) -> None:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, env=emcc_env())
    except FileNotFoundError:
        raise emscripten_missing() from None
    if done.returncode != 0:
        raise BuildError(f"{cmd[0]} failed:\n{done.stderr[-6000:]}")


def _includes() -> list[str]:
    return [f"-I{ENGINE_DIR}", f"-I{RUNTIME_DIR}", f"-I{RUNNER_DIR}", f"-I{PLATFORM_DIR}", f"-I{COMMON_DIR}"]


def _defines() -> list[str]:
    return [f"-D{d}" for d in DEFINES]


def web_files() -> list[Path]:
    return sorted(WEB_DIR.glob("*.[ch]")) + [COMMON_DIR / "rp8_menu.c", COMMON_DIR / "rp8_menu.h",
                                             PLATFORM_DIR / "platform.h"]


def runtime_archive() -> Path:
    """librp8web.a: the engine, the runtime, the runner and the pause menu, once per
    emscripten version and flags."""
    key = cache.key(emcc_version(), *CFLAGS, *CXXFLAGS, *WARN, *OPT, *DEFINES,
                    files=runtime_files() + runner_files() + engine_files() + web_files())

    def build(stage: Path) -> None:
        jobs = []
        for src in sorted(ENGINE_DIR.glob("*.c")) + [COMMON_DIR / "rp8_menu.c"]:
            jobs.append(["emcc", *CFLAGS, *OPT, *_defines(), *_includes(), "-c", str(src),
                         "-o", str(stage / (src.stem + ".o"))])
        for src in sorted(RUNTIME_DIR.glob("rt_*.cpp")) + [RUNNER_DIR / "rp8_runner.cpp"]:
            jobs.append(["em++", *CXXFLAGS, *WARN, *OPT, *_defines(), *_includes(), "-c", str(src),
                         "-o", str(stage / (src.stem + ".o"))])
        with ThreadPoolExecutor(max_workers=2) as pool:
            for fut in [pool.submit(_run, cmd) for cmd in jobs]:
                fut.result()
        objs = sorted(stage.glob("*.o"))
        _run(["emar", "rcs", str(stage / "librp8web.a"), *map(str, objs)])
        for obj in objs:
            obj.unlink()

    return cache.entry("web", f"rt-{key}", build) / "librp8web.a"


@dataclass(frozen=True)
class WebModule:
    wasm: Path        # the WebAssembly module
    js: Path          # emscripten's loader (defines rp8Cart)


@dataclass(frozen=True)
class BundledCart:
    """One cart of a page: the first is the one it starts."""
    name: str                  # its file name relative to the first cart's folder
    rom: bytes                 # its data (the first 0x4300 bytes count)
    code: CppCart | None       # its compiled code; None: data only (reload)


def bundle_cpp(carts: Sequence[BundledCart]) -> str:
    """The table platform/web reads (web_bundle.h): cart 0 is linked as
    rp8_cart and rp8_cart_rom, cart K as rp8_cart_K and rp8_cart_rom_K."""
    lines = ["// the carts this page holds (platform/web/web_bundle.h)", '#include "rp8rt.h"',
             'extern "C" {', '#include "web_bundle.h"', "}"]
    rows = []
    for k, c in enumerate(carts):
        code, rom = ("rp8_cart", "rp8_cart_rom") if k == 0 else (f"rp8_cart_{k}", f"rp8_cart_rom_{k}")
        lines.append(f'extern "C" const uint8_t {rom}[{ROM_DATA:#x}];')
        if c.code is not None:
            lines.append(f"extern const rp8::Cart {code};")
        name = c.name.encode("utf-8").decode("latin-1")
        quoted = "".join(ch if (ch.isascii() and ch.isalnum()) or ch in " ._-/+" else f"\\{ord(ch):03o}" for ch in name)
        rows.append(f'  {{"{quoted}", {"&" + code if c.code is not None else "0"}, {rom}}},')
    lines += ['extern "C" const rp8web_cart rp8web_carts[] = {', *rows, "};",
              f'extern "C" const int rp8web_ncarts = {len(carts)};', ""]
    return "\n".join(lines)


def build_module(carts: Sequence[BundledCart]) -> WebModule:
    """The carts as one cart.wasm + cart.js, cached by content."""
    if not carts or carts[0].code is None:
        raise ValueError("the first cart of a page needs its code")
    if len(carts) > MAX_CARTS:
        raise UserError(f"a page holds at most {MAX_CARTS} carts (PICO-8's exporter: 15 beside "
                        f"the first); this one would hold {len(carts)}")
    lib = runtime_archive()
    key = cache.key(lib.parent.name, *LINK, bundle_cpp(carts),
                    *[c.code.code if c.code is not None else "" for c in carts],
                    *[c.rom[:ROM_DATA].hex() for c in carts],
                    files=web_files() + [Path(__file__)])

    def build(stage: Path) -> None:
        jobs = []
        for k, c in enumerate(carts):
            rename = [] if k == 0 else [f"-Drp8_cart=rp8_cart_{k}", f"-Drp8_cart_rom=rp8_cart_rom_{k}"]
            stem = f"cart{k}"
            if c.code is not None:
                cpp = write_cart(c.code, stage, stem=stem)
                jobs.append(["em++", *CXXFLAGS, *WARN, *OPT, *rename, *_defines(), *_includes(), "-c",
                             str(cpp), "-o", str(stage / f"{stem}.o")])
            rom = stage / f"{stem}_rom.cpp"
            rom.write_text(rom_cpp(c.rom))
            jobs.append(["em++", *CXXFLAGS, *OPT, *rename, "-c", str(rom), "-o", str(stage / f"{stem}_rom.o")])
        (stage / "bundle.cpp").write_text(bundle_cpp(carts))
        jobs.append(["em++", *CXXFLAGS, *OPT, *_includes(), f"-I{WEB_DIR}", "-c", str(stage / "bundle.cpp"),
                     "-o", str(stage / "bundle.o")])
        jobs.append(["emcc", *CFLAGS, *OPT, *_defines(), *_includes(), "-c", str(WEB_DIR / "web_plat.c"),
                     "-o", str(stage / "web_plat.o")])
        with ThreadPoolExecutor(max_workers=2) as pool:
            for fut in [pool.submit(_run, cmd) for cmd in jobs]:
                fut.result()
        objs = sorted(stage.glob("*.o"))
        _run(["em++", *OPT, *LINK, *map(str, objs), str(lib), "-o", str(stage / "cart.js")])
        for p in list(stage.iterdir()):
            if p.name not in ("cart.js", "cart.wasm"):
                p.unlink()

    folder = cache.entry("web", f"cart-{key}", build)
    return WebModule(folder / "cart.wasm", folder / "cart.js")
