"""cffi needs setup.py's cffi_modules hook to build the engine on install."""
from setuptools import setup

setup(cffi_modules=["console/engine_build.py:ffibuilder"])
