"""Runs pytest against an engine built with AddressSanitizer and
UndefinedBehaviorSanitizer.

The Python tests drive the engine through cffi; here the same cffi module
is built from the same cdef and sources (console.engine_build) with the
sanitizers on, into a private copy of the `console` package, and pytest
runs with that copy first on the import path and the sanitizer runtimes
preloaded into the interpreter. The checkout itself is not touched.

    python tests/engine/c/sanitized_pytest.py tests/engine/test_mem.py tests/engine/test_present.py -q

Exit status is pytest's; a sanitizer report aborts the run with a
nonzero status and the report on stderr.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"]


def runtime(cc: str, name: str) -> str:
    """Path of a sanitizer runtime library, as the compiler knows it."""
    done = subprocess.run([cc, f"-print-file-name={name}"], capture_output=True, text=True, check=True)
    path = done.stdout.strip()
    if not os.path.isabs(path) or not os.path.exists(path):
        raise SystemExit(f"sanitized_pytest: {cc} has no {name} (install libasan/libubsan)")
    return path


def checkout_path(arg: str) -> str:
    """Test paths (also in `--ignore=PATH`) are relative to the checkout,
    but pytest runs elsewhere: make them absolute. Other arguments pass."""
    opt, eq, value = arg.partition("=")
    if eq and opt.startswith("--") and (ROOT / value).exists():
        return f"{opt}={(ROOT / value).resolve()}"
    if not arg.startswith("-") and (ROOT / arg.split("::")[0]).exists():
        return str((ROOT / arg).resolve())
    return arg


def build(work: Path) -> None:
    """A sanitized console._engine inside work/console."""
    shutil.copytree(ROOT / "console", work / "console",
                    ignore=shutil.ignore_patterns("*.so", "*.o", "__pycache__"))
    sys.path.insert(0, str(work))
    from cffi import FFI

    from console import engine_build  # the private copy

    ffi = FFI()
    ffi.cdef(engine_build.engine_cdef())
    engine = engine_build.ENGINE_DIR
    headers = "".join(f'#include "{h.name}"\n' for h in sorted(engine.glob("*.h")))
    ffi.set_source(
        "console._engine", headers,
        sources=[str(p) for p in engine_build.engine_sources()],
        include_dirs=[str(engine)],
        extra_compile_args=["-std=c11", "-O1", "-g", *SANITIZE],
        extra_link_args=SANITIZE,
    )
    built = Path(ffi.compile(tmpdir=str(work / "build"), verbose=False))
    shutil.copy(built, work / "console" / built.name)


def main(argv: list[str]) -> int:
    cc = os.environ.get("CC") or shutil.which("gcc") or "cc"
    preload = [runtime(cc, "libasan.so"), runtime(cc, "libubsan.so")]
    with tempfile.TemporaryDirectory(prefix="rp8-sanitized-") as tmp:
        work = Path(tmp)
        build(work)
        env = dict(os.environ)
        env["LD_PRELOAD"] = ":".join(preload)
        # The interpreter itself leaks by design; only the engine is checked.
        env["ASAN_OPTIONS"] = "detect_leaks=0:abort_on_error=0"
        env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
        env["PYTHONPATH"] = os.pathsep.join([str(work), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        args = [checkout_path(a) for a in argv] or [str(ROOT / "tests")]
        # Run from the private copy so `console` resolves there, not to the checkout.
        cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(ROOT), *args]
        return subprocess.run(cmd, cwd=work, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
