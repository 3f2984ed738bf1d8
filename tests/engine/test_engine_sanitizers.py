"""The engine's safety net: every API function, called with extreme
arguments, under AddressSanitizer and UndefinedBehaviorSanitizer.

The harness is generated from the engine headers' rp8:api blocks by
tests/engine/c/fuzz_api.py, so a function added to any header is fuzzed without
touching this file. The engine is compiled without -fwrapv here, so signed
overflow anywhere in it is reported (the engine must wrap in uint32_t).
A canary region around the p8_state catches writes just outside it.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from types import ModuleType

import pytest

TESTS_C = Path(__file__).resolve().parent / "c"
ENGINE = Path(__file__).resolve().parents[2] / "console" / "engine"
SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"]
CFLAGS = ["-std=c11", "-g", "-O1", "-Wall", "-Wextra"]
RUN_ENV = {
    "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0:exitcode=86",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1:exitcode=87",
}


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_api", TESTS_C / "fuzz_api.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_api"] = module
    spec.loader.exec_module(module)
    return module


fuzz_api = load_generator()


def sanitizing_compiler(tmp: Path) -> str:
    """gcc with a working sanitizer runtime, or skip."""
    cc = os.environ.get("CC") or shutil.which("gcc") or shutil.which("cc")
    if not cc:
        pytest.skip("no C compiler found (gcc or cc) to build the sanitizer harness")
    probe = tmp / "probe.c"
    probe.write_text("int main(void) { return 0; }\n")
    done = subprocess.run([cc, *SANITIZE, str(probe), "-o", str(tmp / "probe")],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"{cc} cannot link -fsanitize=address,undefined (sanitizer runtime "
                    f"missing, e.g. libasan/libubsan): {done.stderr.strip()[:200]}")
    return cc


def build(cc: str, tmp: Path, source: str, engine_dir: Path, name: str) -> Path:
    harness = tmp / f"{name}.c"
    harness.write_text(source)
    exe = tmp / name
    sources = [str(p) for p in sorted(engine_dir.glob("*.c"))]
    cmd = [cc, *CFLAGS, *SANITIZE, f"-I{TESTS_C}", f"-I{engine_dir}", *sources,
           str(harness), "-o", str(exe)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, f"building the sanitizer harness failed:\n{done.stderr[-4000:]}"
    return exe


def run(exe: Path, iterations: int, seed: int, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **RUN_ENV)
    return subprocess.run([str(exe), str(iterations), str(seed)], capture_output=True,
                          text=True, env=env, timeout=timeout)


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("fuzz")
    cc = sanitizing_compiler(tmp)
    source, fuzzed, skipped = fuzz_api.generate()
    if skipped:
        warnings.warn("API functions the fuzzer cannot call (add a length parameter or "
                      "an rp8:out note): " + "; ".join(skipped))
    assert fuzzed, "no API functions found in the engine headers"
    return build(cc, tmp, source, ENGINE, "fuzz")


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_whole_api_under_sanitizers(harness: Path, seed: int) -> None:
    done = run(harness, 40000, seed)
    assert done.returncode == 0, (
        f"seed {seed}: exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-6000:]}"
    )
    assert "canary and ROM intact" in done.stdout


def declared_functions() -> list[str]:
    names = []
    for _, block in fuzz_api.api_text():
        names += [fn.name for fn in fuzz_api.parse_block(block)]
    return names


def test_generator_accounts_for_every_declared_function() -> None:
    source, fuzzed, skipped = fuzz_api.generate()
    skipped_names = [line.split(":")[0] for line in skipped]
    assert sorted(set(fuzzed) | set(skipped_names)) == sorted(set(declared_functions()))
    for name in fuzzed:
        assert f"call_{name}(p8_state *p8)" in source


def test_generator_fuzzes_memory_and_present_functions() -> None:
    _, fuzzed, _ = fuzz_api.generate()
    for name in ("p8_peek_n", "p8_poke_n", "p8_memcpy", "p8_reload_from", "p8_cstore_to",
                 "p8_present_rgb565", "p8_present_xrgb8888", "p8_present_indices"):
        assert name in fuzzed


def test_parser_reads_buffers_and_notes() -> None:
    block = """
    int p8_a(p8_state *p8, const uint8_t *s, size_t len, fix32 x, int argc);
    int p8_b(p8_state *p8, int y0, int y1, uint16_t *out); /* rp8:out out 128 * (y1 - y0) */
    void p8_c(p8_state *p8, struct thing *t);
    """
    fns = {f.name: f for f in fuzz_api.parse_block(block)}
    assert [p.name for p in fns["p8_a"].params] == ["p8", "s", "len", "x", "argc"]
    assert fns["p8_b"].out_sizes == {"out": "128 * (y1 - y0)"}
    assert isinstance(fuzz_api.plan(fns["p8_a"]), tuple)
    assert isinstance(fuzz_api.plan(fns["p8_b"]), tuple)
    assert "no length" in fuzz_api.plan(fns["p8_c"])


# ---- the net itself must catch what it is for ----

BAD_STATE = (
    "void p8_bad_state(p8_state *p8, int which);",
    """/* Writes one byte past the machine, for some arguments. */
void p8_bad_state(p8_state *p8, int which) {
  if (which % 3 == 1) ((unsigned char *)p8)[sizeof(p8_state)] ^= 1;
}
""",
)

BAD_BUFFER = (
    "int p8_bad_buffer(p8_state *p8, uint8_t *out); /* rp8:out out 16 */",
    """/* Writes 17 bytes into its 16-byte buffer, for some machine states. */
int p8_bad_buffer(p8_state *p8, uint8_t *out) {
  memset(out, 0, (p8->ram[0x100] & 1) ? 17 : 16);
  return 0;
}
""",
)


def broken_engine(tmp: Path, decl: str, body: str) -> Path:
    """A copy of the engine with one more, broken, API function."""
    engine = tmp / "engine"
    shutil.copytree(ENGINE, engine, ignore=shutil.ignore_patterns("*.o"))
    (engine / "p8_bad.h").write_text(
        f'#include "p8.h"\n/* rp8:api begin */\n{decl}\n/* rp8:api end */\n')
    (engine / "p8_bad.c").write_text(f'#include <string.h>\n#include "p8_bad.h"\n{body}')
    return engine


def test_canary_catches_a_write_past_the_state(tmp_path: Path) -> None:
    cc = sanitizing_compiler(tmp_path)
    engine = broken_engine(tmp_path, *BAD_STATE)
    source, fuzzed, _ = fuzz_api.generate(engine, only={"p8_power_on", "p8_bad_state"})
    assert fuzzed == ["p8_power_on", "p8_bad_state"]
    exe = build(cc, tmp_path, source, engine, "fuzz_bad")
    done = run(exe, 5000, 1, timeout=300)
    assert done.returncode == 3, done.stderr[-2000:]
    assert "canary around p8_state damaged by p8_bad_state" in done.stderr


def test_asan_catches_an_overrun_output_buffer(tmp_path: Path) -> None:
    cc = sanitizing_compiler(tmp_path)
    engine = broken_engine(tmp_path, *BAD_BUFFER)
    source, fuzzed, _ = fuzz_api.generate(engine, only={"p8_power_on", "p8_bad_buffer"})
    assert fuzzed == ["p8_power_on", "p8_bad_buffer"]
    exe = build(cc, tmp_path, source, engine, "fuzz_bad")
    done = run(exe, 5000, 1, timeout=300)
    assert done.returncode == 86, done.stderr[-2000:]
    assert "heap-buffer-overflow" in done.stderr


def test_memory_and_present_tests_pass_on_a_sanitized_engine(tmp_path: Path) -> None:
    """tests/engine/c/sanitized_pytest.py rebuilds console._engine with the
    sanitizers and reruns Python tests on it (CI can point it at the
    whole suite)."""
    sanitizing_compiler(tmp_path)
    script = TESTS_C / "sanitized_pytest.py"
    done = subprocess.run([sys.executable, str(script), "tests/engine/test_mem.py", "tests/engine/test_present.py",
                           "-q"], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert " passed" in done.stdout
