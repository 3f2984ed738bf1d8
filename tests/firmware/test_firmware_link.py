"""The core0/core1 frame handshake (platform/common/rp8_link.c) and the
debounced buttons (rp8_input.c), run on the host."""
from __future__ import annotations

from typing import Any

import pytest

from support.firmware_clib import build

FRAME, DONE = 0x46000000, 0x44000000
OK, BUSY, BAD = 0, -1, -2


@pytest.fixture(scope="module")
def c(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    return build(tmp_path_factory.mktemp("fwlink"))


def pair(c: tuple[Any, Any]) -> tuple[Any, Any]:
    ffi, lib = c
    tx, rx = ffi.new("rp8_link_tx *"), ffi.new("rp8_link_rx *")
    lib.rp8_link_tx_init(tx)
    lib.rp8_link_rx_init(rx)
    return tx, rx


def test_frames_flow_and_snapshot_ownership(c: tuple[Any, Any]) -> None:
    lib = c[1]
    tx, rx = pair(c)
    for seq in range(1, 6):
        assert lib.rp8_link_tx_free(tx) == 1                 # core0 may write the snapshot
        msg = lib.rp8_link_tx_publish(tx)
        assert msg == FRAME | seq
        assert lib.rp8_link_tx_free(tx) == 0                 # now it is core1's
        assert lib.rp8_link_tx_publish(tx) == 0              # publishing again is refused
        assert lib.rp8_link_rx_receive(rx, msg) == OK
        done = lib.rp8_link_rx_release(rx)
        assert done == DONE | seq
        assert lib.rp8_link_tx_receive(tx, done) == OK


def test_protocol_errors_are_detected(c: tuple[Any, Any]) -> None:
    lib = c[1]
    tx, rx = pair(c)
    assert lib.rp8_link_tx_receive(tx, DONE | 1) == BAD      # DONE with nothing sent
    assert lib.rp8_link_rx_receive(rx, FRAME | 2) == BAD     # skipped a frame
    assert lib.rp8_link_rx_receive(rx, DONE | 1) == BAD      # wrong kind
    assert lib.rp8_link_rx_release(rx) == 0                  # holds nothing
    msg = lib.rp8_link_tx_publish(tx)
    assert lib.rp8_link_rx_receive(rx, msg) == OK
    assert lib.rp8_link_rx_receive(rx, msg) == BAD           # repeated while holding
    assert lib.rp8_link_tx_receive(tx, DONE | 7) == BAD      # wrong seq
    assert lib.rp8_link_tx_free(tx) == 0
    assert lib.rp8_link_tx_receive(tx, lib.rp8_link_rx_release(rx)) == OK


def test_sequence_wraps_past_24_bits_skipping_zero(c: tuple[Any, Any]) -> None:
    lib = c[1]
    tx, rx = pair(c)
    tx.sent = tx.done = 0xFFFFFE
    rx.expect = 0xFFFFFF
    seen = []
    for _ in range(3):
        msg = lib.rp8_link_tx_publish(tx)
        assert lib.rp8_link_rx_receive(rx, msg) == OK
        done = lib.rp8_link_rx_release(rx)
        assert lib.rp8_link_tx_receive(tx, done) == OK
        seen.append(msg & 0xFFFFFF)
    assert seen == [0xFFFFFF, 1, 2]


# ---- buttons ----

LEFT_PIN, O_PIN, PAUSE_A, PAUSE_B = 16, 15, 21, 3
ALL_HIGH = 0xFFFFFFFF


def make_input(c: tuple[Any, Any]) -> Any:
    ffi, lib = c
    masks = ffi.new("uint32_t[7]", [1 << LEFT_PIN, 1 << 20, 1 << 2, 1 << 18, 1 << O_PIN, 1 << 17,
                                    (1 << PAUSE_A) | (1 << PAUSE_B)])
    inp = ffi.new("rp8_input *")
    lib.rp8_input_init(inp, masks)
    return inp


def test_press_needs_four_agreeing_samples(c: tuple[Any, Any]) -> None:
    lib = c[1]
    inp = make_input(c)
    low = ALL_HIGH & ~(1 << LEFT_PIN)
    states = []
    for _ in range(5):
        lib.rp8_input_sample(inp, low)
        states.append(lib.rp8_input_state(inp))
    assert states == [0, 0, 0, 1, 1]


def test_bounce_is_filtered(c: tuple[Any, Any]) -> None:
    lib = c[1]
    inp = make_input(c)
    low = ALL_HIGH & ~(1 << O_PIN)
    for level in [low, ALL_HIGH, low, low, ALL_HIGH, low, ALL_HIGH]:    # contact bounce
        lib.rp8_input_sample(inp, level)
        assert lib.rp8_input_state(inp) == 0
    for _ in range(4):
        lib.rp8_input_sample(inp, low)
    assert lib.rp8_input_state(inp) == 0x10
    for level in [ALL_HIGH, low, ALL_HIGH, ALL_HIGH, ALL_HIGH]:          # release bounce
        lib.rp8_input_sample(inp, level)
        assert lib.rp8_input_state(inp) == 0x10
    lib.rp8_input_sample(inp, ALL_HIGH)
    assert lib.rp8_input_state(inp) == 0


def test_either_pin_of_a_button_presses_it(c: tuple[Any, Any]) -> None:
    lib = c[1]
    inp = make_input(c)
    for _ in range(4):
        lib.rp8_input_sample(inp, ALL_HIGH & ~(1 << PAUSE_B))
    assert lib.rp8_input_state(inp) == 0x40
    for _ in range(4):
        lib.rp8_input_sample(inp, ALL_HIGH & ~(1 << PAUSE_A) & ~(1 << LEFT_PIN))
    assert lib.rp8_input_state(inp) == 0x41
