"""setup.py does two things pyproject.toml cannot say:

- cffi's cffi_modules hook builds the engine (console._engine) on install;
- build_py copies the C trees that are not Python packages -- firmware/,
  platform/ and boards/ -- into the console package as console/_sources/,
  so `rp8 build` and the bench images work from an installed rp8
  (console/sources.py finds them). `platform` must not become a top-level
  package: it would shadow the standard library module. An editable
  install reads the checkout instead, so it gets no copies.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
TREES = ("firmware", "platform", "boards")
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "*.o", "*.so", "build", ".*")


class BuildPyWithSources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        dest = Path(self.build_lib) / "console" / "_sources"
        for name in TREES:
            shutil.copytree(HERE / name, dest / name, ignore=SKIP, dirs_exist_ok=True)


setup(cffi_modules=["console/engine_build.py:ffibuilder"],
      cmdclass={"build_py": BuildPyWithSources})
