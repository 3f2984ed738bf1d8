"""btnp's repeat (p8_input_frame): a press fires at once, a held button
again after the delay (0x5f5c, default 15 frames) every rate frames (0x5f5d,
default 4), both doubled at 60 fps; a release starts the count afresh."""
from console._engine import lib
from console.machine import Machine

ONE = 1 << 16


def fired(m: Machine, frames: list[int], player: int = 0, fps: int = 30) -> list[int]:
    """The frames at which btnp(4, player) is true, button 4 held on the
    frames whose mask is 1."""
    out = []
    for n, held in enumerate(frames):
        mask = (held << 4) << (8 * (player & 3))
        lo, hi = (mask, 0) if player < 4 else (0, mask)
        lib.p8_input_frame(m.state, lo, hi, fps)
        if lib.p8_btnp(m.state, 4 * ONE, player * ONE, 2):
            out.append(n)
    return out


def test_a_held_button_repeats_after_the_delay(m: Machine) -> None:
    assert fired(m, [1] * 30) == [0, 15, 19, 23, 27]     # the 16th held frame, then every 4th


def test_a_release_starts_the_count_afresh(m: Machine) -> None:
    # held 20 frames, released for one, held again: at once, then from its own 16th frame
    assert fired(m, [1] * 20 + [0] + [1] * 20) == [0, 15, 19, 21, 36, 40]


def test_each_player_counts_alone_and_60_fps_doubles_the_times(m: Machine) -> None:
    assert fired(m, [1] * 10 + [0] * 3 + [1] * 40, player=5, fps=60) == [0, 13, 13 + 30, 13 + 38]
    assert lib.p8_btnp(m.state, 4 * ONE, 0, 2) == 0


def test_the_delay_and_rate_come_from_ram(m: Machine) -> None:
    m.ram[0x5F5C] = 3
    m.ram[0x5F5D] = 2
    assert fired(m, [1] * 10) == [0, 3, 5, 7, 9]
    m.ram[0x5F5C] = 255                    # 255: no repeat
    assert fired(m, [0] + [1] * 30) == [1]
