"""setup.py does three things pyproject.toml cannot say:

- cffi's cffi_modules hook builds the engine (console._engine) on install;
- build_ext then builds the runtime for compiled carts (`rp8 run --aot`)
  into console/_prebuilt/ (console/aot_prebuilt.py), so a first --aot play
  compiles only the cart; without a C++ compiler it says so and goes on;
- build_py copies the trees that are not Python packages -- firmware/,
  platform/, boards/, carts/ and the Node.js files of benches/ -- into the
  console package as console/_sources/, so `rp8 build`, the bench images,
  the emulated modes and the demo carts work from an installed rp8
  (console/sources.py finds them). `platform` must not become a top-level
  package: it would shadow the standard library module. An editable
  install reads the checkout instead, so it gets no copies.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
TREES = ("firmware", "platform", "boards", "carts")
NODE_FILES = ("package.json", "package-lock.json", "rp2040_runner.mjs", "firmware_emu.mjs")
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "*.o", "*.so", "build", ".*")


class BuildPyWithSources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        dest = Path(self.build_lib) / "console" / "_sources"
        for name in TREES:
            shutil.copytree(HERE / name, dest / name, ignore=SKIP, dirs_exist_ok=True)
        (dest / "benches").mkdir(parents=True, exist_ok=True)
        for name in NODE_FILES:
            shutil.copy2(HERE / "benches" / name, dest / "benches" / name)


NO_COMPILER = """
rp8 compiles its C engine while it installs, and that failed:
{why}
It needs a C compiler and Python's headers:
  Debian/Ubuntu:  sudo apt install gcc python3-dev
  Fedora:         sudo dnf install gcc python3-devel
  macOS:          xcode-select --install
  Windows:        the Microsoft C++ Build Tools (visualstudio.microsoft.com/visual-cpp-build-tools)
then run the install again."""


class BuildExtExplained(build_ext):
    """A failed engine build says what is missing instead of only the
    compiler's own last line."""

    def run(self) -> None:
        from setuptools.errors import CCompilerError, CompileError, ExecError, LinkError, PlatformError

        try:
            super().run()
        except (CCompilerError, CompileError, ExecError, LinkError, PlatformError) as err:
            raise SystemExit(NO_COMPILER.format(why=err)) from None
        self.prebuild_runtime()

    def prebuild_runtime(self) -> None:
        """The runtime library and player objects, into the package being
        built (the checkout itself for an editable install)."""
        sys.path.insert(0, str(HERE))
        from console import aot_prebuilt

        inplace = self.inplace or getattr(self, "editable_mode", False)
        package = HERE / "console" if inplace else Path(self.build_lib) / "console"
        aot_prebuilt.build(package / aot_prebuilt.PREBUILT_DIR.name, say=lambda text: print(text, file=sys.stderr))


# The engine extension uses only Python's limited API (cffi builds it so),
# so one wheel per platform serves every CPython from 3.10 on: tag it abi3.
setup(cffi_modules=["console/engine_build.py:make_builder"],
      cmdclass={"build_py": BuildPyWithSources, "build_ext": BuildExtExplained},
      options={"bdist_wheel": {"py_limited_api": "cp310"}})
