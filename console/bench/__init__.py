"""`rp8 bench`: frame times of a cart on the desktop and on emulated
RP2040 / Cortex-M33 (see console/commands/bench.py for the command and
console/bench/schema.py for the JSON it writes)."""
