"""Firmware for Pico handhelds: board files, the pico-sdk build, memory
budgets and UF2 images. `rp8 build` (console/commands/build.py) drives it."""
