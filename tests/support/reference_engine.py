"""The engine built again with other switches, for the tests that hold the
normal build to them: P8_REFERENCE=1 (every fast path off; tests/conftest.py's
`ref_module`) and P8_WIDE_BLIT=0 (the sprite rows a Cortex-M draws;
`narrow_module`), each built once per session."""
from __future__ import annotations

import importlib.util
import shutil
from types import ModuleType

import pytest


def build(tmp_path_factory: pytest.TempPathFactory, define: str = "P8_REFERENCE=1",
          name: str = "_rp8_engine_ref") -> ModuleType:
    """console/engine built with `define` as a separate extension `name`; by
    default P8_REFERENCE=1: every fast path off (p8_draw.h, p8_audio.c)."""
    from cffi import FFI

    from console import engine_build

    if shutil.which("gcc") is None and shutil.which("cc") is None:
        pytest.skip("no C compiler found (gcc or cc) to build the reference engine")
    tmp = tmp_path_factory.mktemp(name)
    ffi = FFI()
    ffi.cdef(engine_build.engine_cdef())
    headers = "".join(f'#include "{h.name}"\n' for h in sorted(engine_build.ENGINE_DIR.glob("*.h")))
    ffi.set_source(name, headers,
                   sources=[str(p) for p in engine_build.engine_sources()],
                   include_dirs=[str(engine_build.ENGINE_DIR)],
                   extra_compile_args=[*engine_build.CFLAGS, f"-D{define}"])
    built = ffi.compile(tmpdir=str(tmp), verbose=False)
    spec = importlib.util.spec_from_file_location(name, built)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
