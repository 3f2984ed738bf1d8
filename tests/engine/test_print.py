"""print() and the P8SCII font: exact pixels, cursor, scrolling, control codes.

Glyph shapes below are PICO-8's built-in font (0.2.2 and later) drawn as
ASCII art; control-code behaviour follows the PICO-8 manual's Appendix A
("P8SCII Control Codes"), whose examples are quoted where used.
"""
from __future__ import annotations

from typing import Any

import pytest

from console._engine import ffi, lib
from console.machine import Machine, to_fix

CURSOR_X, CURSOR_Y, HOME_X, PEN = 0x5F26, 0x5F27, 0x5F24, 0x5F25


def prt(m: Machine, text: str | bytes, *args: float) -> float:
    """print(text, *args) as a cart calls it; returns print's result."""
    data = text.encode("latin-1") if isinstance(text, str) else text
    raw = [to_fix(a) for a in args] + [0] * (3 - len(args))
    buf = ffi.from_buffer("uint8_t[]", data)
    result = lib.p8_print(m.state, buf, len(data), raw[0], raw[1], raw[2], 1 + len(args))
    assert result % 0x10000 == 0
    return result / 0x10000


def art(m: Machine, x: int, y: int, w: int, h: int) -> list[str]:
    """Screen rectangle as rows of hex digits, '.' for colour 0."""
    px = m.screen_pixels()
    return ["".join("." if px[y + j][x + i] == 0 else "%x" % px[y + j][x + i] for i in range(w))
            for j in range(h)]


def blank(m: Machine) -> bool:
    return m.screen_bytes() == bytes(0x2000)


def fill_screen(m: Machine, col: int) -> None:
    m.ram[0x6000:0x8000] = bytes([col * 0x11]) * 0x2000


# --- the font ---------------------------------------------------------------

SMALL = {
    "0": ["###", "#.#", "#.#", "#.#", "###"],
    "1": ["##.", ".#.", ".#.", ".#.", "###"],
    "2": ["###", "..#", "###", "#..", "###"],
    "3": ["###", "..#", ".##", "..#", "###"],
    "4": ["#.#", "#.#", "###", "..#", "..#"],
    "5": ["###", "#..", "###", "..#", "###"],
    "6": ["#..", "#..", "###", "#.#", "###"],
    "7": ["###", "..#", "..#", "..#", "..#"],
    "8": ["###", "#.#", "###", "#.#", "###"],
    "9": ["###", "#.#", "###", "..#", "..#"],
    # lowercase source characters: the letters PICO-8 shows as capitals
    "a": ["###", "#.#", "###", "#.#", "#.#"],
    "b": ["###", "#.#", "##.", "#.#", "###"],
    "c": [".##", "#..", "#..", "#..", ".##"],
    "e": ["###", "#..", "##.", "#..", "###"],
    "z": ["###", "..#", ".#.", "#..", "###"],
    # uppercase source characters: the smaller alternate letters
    "A": ["...", ".##", "#.#", "###", "#.#"],
    "B": ["...", "##.", "##.", "#.#", "###"],
    # punctuation
    "!": [".#.", ".#.", ".#.", "...", ".#."],
    "?": ["###", "..#", ".##", "...", ".#."],
    ",": ["...", "...", "...", ".#.", "#.."],
    "/": ["..#", ".#.", ".#.", ".#.", "#.."],
    "\x10": ["###", "###", "###", "###", "###"],   # ▮
}

WIDE = {
    0x80: ["#######", "#######", "#######", "#######", "#######"],   # █
    0x87: [".##.##.", ".#####.", ".#####.", "..###..", "...#..."],   # ♥
    0x8B: [".#####.", "###..##", "##...##", "###..##", ".#####."],   # ⬅️
    0x8E: [".#####.", "##...##", "##.#.##", "##...##", ".#####."],   # 🅾️
    0x97: [".#####.", "##.#.##", "###.###", "##.#.##", ".#####."],   # ❎
    0x9A: [".###...", "..#....", ".####..", "#.##.#.", ".##..#."],   # あ
}


def glyph_art(rows: list[str], cell_w: int, col: int) -> list[str]:
    """A glyph as it appears in its cell: spacing column and row blank."""
    body = [r.replace("#", "%x" % col).ljust(cell_w, ".") for r in rows]
    return body + ["." * cell_w]


@pytest.mark.parametrize("ch", sorted(SMALL))
def test_small_glyph_pixels(m: Machine, ch: str) -> None:
    assert prt(m, ch, 3, 2, 7) == 7
    assert art(m, 3, 2, 4, 6) == glyph_art(SMALL[ch], 4, 7)
    assert art(m, 2, 1, 6, 1) == ["......"]          # padding row stays clear


@pytest.mark.parametrize("code", sorted(WIDE))
def test_wide_glyph_pixels(m: Machine, code: int) -> None:
    assert prt(m, bytes([code]), 10, 20, 12) == 18    # 8 pixels wide
    assert art(m, 10, 20, 8, 6) == glyph_art(WIDE[code], 8, 12)


def test_characters_sit_side_by_side(m: Machine) -> None:
    assert prt(m, "10", 0, 0, 7) == 8
    assert art(m, 0, 0, 8, 5) == ["77..777.", ".7..7.7.", ".7..7.7.", ".7..7.7.", "777.777."]


def test_space_draws_nothing_but_advances(m: Machine) -> None:
    assert prt(m, "   ", 0, 0, 7) == 12
    assert blank(m)


# --- return value -------------------------------------------------------------

def test_returns_right_most_x_manual_example(m: Machine) -> None:
    # manual: W = PRINT("HOGE", 0, -20) -- returns 16
    assert prt(m, "hoge", 0, -20) == 16
    assert blank(m)


def test_return_is_right_most_over_all_lines(m: Machine) -> None:
    assert prt(m, "abc\nd", 0, 0) == 12
    assert prt(m, "a\nbcde", 5, 0) == 21


def test_return_of_empty_string_is_start_x(m: Machine) -> None:
    assert prt(m, "", 37, 5) == 37


# --- cursor ------------------------------------------------------------------

def test_print_without_position_uses_cursor_and_moves_down(m: Machine) -> None:
    prt(m, "1")
    prt(m, "2")
    assert (m.ram[CURSOR_X], m.ram[CURSOR_Y]) == (0, 12)
    assert art(m, 0, 0, 3, 5) == ["66.", ".6.", ".6.", ".6.", "666"]
    assert art(m, 0, 6, 3, 5) == ["666", "..6", "666", "6..", "666"]


def test_print_with_position_sets_cursor_to_next_line(m: Machine) -> None:
    prt(m, "ab", 10, 20)
    assert (m.ram[CURSOR_X], m.ram[CURSOR_Y], m.ram[HOME_X]) == (10, 26, 10)
    prt(m, "1")
    assert art(m, 10, 26, 3, 1) == ["66."]


def test_multiline_moves_cursor_below_last_line(m: Machine) -> None:
    prt(m, "a\nb\nc")
    assert (m.ram[CURSOR_X], m.ram[CURSOR_Y]) == (0, 18)


def test_newline_returns_to_left_margin(m: Machine) -> None:
    m.ram[CURSOR_X], m.ram[CURSOR_Y], m.ram[HOME_X] = 30, 40, 20
    prt(m, "1\n1")
    assert art(m, 30, 40, 3, 1) == ["66."]
    assert art(m, 20, 46, 3, 1) == ["66."]
    assert (m.ram[CURSOR_X], m.ram[CURSOR_Y]) == (20, 52)


def test_cursor_sets_left_margin_and_cls_resets_it(m: Machine) -> None:
    """cursor(x, y) also sets 0x5f24, the x that "\n" returns to, and cls()
    puts it back to 0 (zepto8's cursor/cls, which match PICO-8 carts that
    print multi-line text after cursor())."""
    lib.p8_cursor(m.state, to_fix(20), to_fix(40), 0, 2)
    assert m.ram[HOME_X] == 20
    prt(m, "1\n2")
    assert art(m, 20, 40, 3, 1) == ["66."]
    assert art(m, 20, 46, 3, 1) == ["666"]
    assert (m.ram[CURSOR_X], m.ram[CURSOR_Y]) == (20, 52)
    lib.p8_cursor(m.state, 0, 0, 0, 0)      # cursor() homes the margin too
    assert m.ram[HOME_X] == 0
    lib.p8_cursor(m.state, to_fix(30.5), to_fix(1), 0, 2)
    assert m.ram[HOME_X] == 30
    lib.p8_cls(m.state, 0)
    assert (m.ram[CURSOR_X], m.ram[CURSOR_Y], m.ram[HOME_X]) == (0, 0, 0)
    prt(m, "1\n2")
    assert art(m, 0, 6, 3, 1) == ["666"]


def test_terminating_zero_leaves_cursor_after_text(m: Machine) -> None:
    # manual: ?"THE QUICK BROWN FOX\0" omits the newline
    prt(m, "ab\0")
    assert (m.ram[CURSOR_X], m.ram[CURSOR_Y]) == (8, 0)
    prt(m, "1")
    assert art(m, 8, 0, 3, 1) == ["66."]


def test_zero_stops_printing(m: Machine) -> None:
    assert prt(m, "a\0bcd", 0, 0) == 4
    assert art(m, 4, 0, 12, 6) == ["." * 12] * 6


def test_tall_text_makes_the_line_taller(m: Machine) -> None:
    prt(m, "\x06ta")
    assert m.ram[CURSOR_Y] == 12


# --- scrolling -----------------------------------------------------------------

def test_console_scrolls_one_line_and_keeps_cursor_at_120(m: Machine) -> None:
    # femto8 tests.p8 "print_scroll": 20 lines leave the cursor at 120, and
    # every further line scrolls the screen up one line (6) to keep it there
    for _ in range(20):                       # lines at y = 0, 6, .. 114
        prt(m, "\x80", 7)
    assert m.ram[CURSOR_Y] == 120
    prt(m, "\x80", 7)                         # at 120, then scrolls 6
    assert m.ram[CURSOR_Y] == 120
    rows = art(m, 0, 102, 8, 26)
    block, gap = "7777777.", "........"
    # everything moved up 6: the line printed at 120 is now at 114..118
    assert rows == ([block] * 5 + [gap]) * 3 + [gap] * 8
    prt(m, "\x80", 7)
    assert m.ram[CURSOR_Y] == 120
    assert art(m, 0, 102, 8, 26) == rows      # the same picture, one line on


def test_scroll_after_print_below_screen(m: Machine) -> None:
    fill_screen(m, 2)
    prt(m, "\x80", 0, 125, 7)                 # no scrolling with a position
    assert m.ram[CURSOR_Y] == 131
    assert art(m, 0, 124, 1, 4) == ["2", "7", "7", "7"]
    prt(m, "\x80", 7)                         # scrolls 9 to fit, then 6
    assert m.ram[CURSOR_Y] == 122
    col0 = [row[0] for row in art(m, 0, 105, 1, 23)]
    assert "".join(col0) == "22222" + "777" + "..." + "77777" + "......."


def test_scrolling_can_be_disabled(m: Machine) -> None:
    m.ram[0x5F36] = 0x40                      # manual: POKE(0x5f36,0x40)
    m.ram[CURSOR_Y] = 124
    prt(m, "\x80", 7)
    assert m.ram[CURSOR_Y] == 130
    assert art(m, 0, 123, 2, 5) == ["..", "77", "77", "77", "77"]


# --- colours -------------------------------------------------------------------

def test_colour_argument_sets_pen(m: Machine) -> None:
    prt(m, "1", 0, 0, 8)
    assert m.ram[PEN] == 8
    assert art(m, 0, 0, 3, 1) == ["88."]
    prt(m, "1", 0, 6)
    assert art(m, 0, 6, 3, 1) == ["88."]


def test_two_argument_form_is_colour(m: Machine) -> None:
    prt(m, "1", 12)
    assert m.ram[PEN] == 12
    assert art(m, 0, 0, 3, 1) == ["cc."]
    assert m.ram[CURSOR_Y] == 6


def test_draw_palette_applies(m: Machine) -> None:
    m.ram[0x5F07] = 9                          # pal(7, 9)
    prt(m, "1", 0, 0, 7)
    assert art(m, 0, 0, 3, 1) == ["99."]


def test_fill_pattern_is_not_observed(m: Machine) -> None:
    # manual, FILLP: the pattern is observed by circ .. line; print is not listed
    m.ram[0x5F31:0x5F34] = bytes([0xFF, 0xFF, 0x01])   # all pattern, transparent
    prt(m, "1", 0, 0, 0x87)
    assert art(m, 0, 0, 3, 1) == ["77."]
    assert list(m.ram[0x5F31:0x5F34]) == [0xFF, 0xFF, 0x01]


def test_foreground_code_changes_colour_and_pen(m: Machine) -> None:
    prt(m, "\x0c81\x0cc1", 0, 0)
    assert art(m, 0, 0, 7, 1) == ["88..cc."]
    assert m.ram[PEN] == 12


def test_background_code_fills_cell_with_padding(m: Machine) -> None:
    prt(m, "\x021a", 1, 1, 7)
    assert art(m, 0, 0, 6, 8) == [
        "11111.", "17771.", "17171.", "17771.", "17171.", "17171.", "11111.", "......"]


def test_border_off_removes_padding(m: Machine) -> None:
    prt(m, "\x06-b\x021a", 1, 1, 7)
    assert art(m, 0, 0, 6, 8) == [
        "......", ".7771.", ".7171.", ".7771.", ".7171.", ".7171.", ".1111.", "......"]


def test_solid_mode_uses_colour_zero_by_default(m: Machine) -> None:
    fill_screen(m, 5)
    prt(m, "\x06#a", 1, 1, 7)
    assert art(m, 0, 0, 6, 8) == [
        ".....5", ".777.5", ".7.7.5", ".777.5", ".7.7.5", ".7.7.5", ".....5", "555555"]


# --- cursor control codes ------------------------------------------------------

def test_repeat(m: Machine) -> None:
    # manual: ?"\*3a" --> aaa
    assert prt(m, "\x013a", 0, 0, 7) == 12
    assert art(m, 0, 0, 12, 1) == ["777." * 3]


def test_repeat_newline(m: Machine) -> None:
    prt(m, "\x013\n1\0", 0, 0, 7)
    assert art(m, 0, 18, 3, 1) == ["77."]


def test_shift_codes(m: Machine) -> None:
    prt(m, "\x03k1", 0, 0, 7)                 # "\-k": k = 20, 20 - 16 = 4
    assert art(m, 4, 0, 3, 1) == ["77."]
    prt(m, "\x04k1", 20, 0, 7)                # "\|k": down 4
    assert art(m, 20, 4, 3, 1) == ["77."]
    prt(m, "\x05kc1", 40, 10, 7)              # "\+kc": right 4, up 4
    assert art(m, 44, 6, 3, 1) == ["77."]


def test_backspace_tab_carriage_return(m: Machine) -> None:
    prt(m, "ab\b\0")
    assert m.ram[CURSOR_X] == 4
    prt(m, "a\t\0", 0, 0)
    assert m.ram[CURSOR_X] == 16
    prt(m, "\t\t\0", 0, 0)
    assert m.ram[CURSOR_X] == 32
    prt(m, "  \r1\0", 10, 30, 7)
    assert m.ram[CURSOR_X] == 14
    assert art(m, 10, 30, 3, 1) == ["77."]


def test_decoration_manual_example(m: Machine) -> None:
    # manual: P0 = 'b' (11) draws the comma at x+1, y-6 from the last character
    prt(m, "e\x0bb,\0", 10, 20, 7)
    assert (m.ram[CURSOR_X], m.ram[CURSOR_Y]) == (14, 20)
    assert art(m, 10, 14, 4, 6) == [
        "....", "....", "....", "..7.", ".7..", "...."]


# --- special commands ------------------------------------------------------------

def test_cls_command(m: Machine) -> None:
    m.ram[0x5F20:0x5F24] = bytes([10, 10, 20, 20])
    m.ram[CURSOR_X], m.ram[CURSOR_Y] = 50, 50
    prt(m, "\x06c11")
    assert list(m.ram[0x5F20:0x5F24]) == [0, 0, 128, 128]
    assert art(m, 0, 0, 5, 6) == ["66111", "16111", "16111", "16111", "66611", "11111"]
    assert m.screen_pixels()[127][127] == 1
    assert (m.ram[CURSOR_X], m.ram[CURSOR_Y]) == (0, 6)


def test_home_commands(m: Machine) -> None:
    prt(m, "ab\x06hc\n1\x06g\0", 0, 0, 7)     # home set at x = 8
    assert art(m, 8, 6, 3, 1) == ["77."]
    assert (m.ram[CURSOR_X], m.ram[CURSOR_Y]) == (8, 0)


def test_jump(m: Machine) -> None:
    prt(m, "\x06j451", 7)
    assert art(m, 16, 20, 3, 1) == ["77."]


def test_right_hand_wrap(m: Machine) -> None:
    prt(m, "\x06r2111", 0, 0, 7)              # boundary at x = 8
    assert art(m, 0, 0, 8, 1) == ["77..77.."]
    assert art(m, 0, 6, 3, 1) == ["77."]


def test_screen_edge_wrap_flag(m: Machine) -> None:
    m.ram[0x5F36] = 0x80
    prt(m, "1" * 33, 0, 0, 7)
    assert art(m, 0, 6, 4, 1) == ["77.."]


def test_tab_stop_width(m: Machine) -> None:
    prt(m, "\x06s5a\t\0", 0, 0)              # manual: P0 pixels
    assert m.ram[CURSOR_X] == 5


def test_char_width_and_height(m: Machine) -> None:
    assert prt(m, "\x06x611", 0, 0, 7) == 12
    assert art(m, 0, 0, 9, 1) == ["77....77."]
    prt(m, "\x06y81\n1", 20, 0, 7)
    assert art(m, 20, 8, 3, 1) == ["77."]


def test_wide_mode(m: Machine) -> None:
    assert prt(m, "\x06w7", 0, 0, 7) == 8
    assert art(m, 0, 0, 8, 2) == ["777777..", "....77.."]


def test_wide_mode_off_again(m: Machine) -> None:
    assert prt(m, "\x06w1\x06-w1", 0, 0) == 12


def test_tall_mode(m: Machine) -> None:
    prt(m, "\x06t7", 0, 0, 7)
    assert art(m, 0, 0, 3, 10) == ["777", "777"] + ["..7"] * 8


def test_stripey_wide(m: Machine) -> None:
    prt(m, "\x06w\x06=7", 0, 0, 7)
    assert art(m, 0, 0, 8, 2) == ["7.7.7...", "....7..."]


def test_pinball(m: Machine) -> None:
    prt(m, "\x06p7", 0, 0, 7)
    assert art(m, 0, 0, 6, 4) == ["7.7.7.", "......", "....7.", "......"]


def test_invert(m: Machine) -> None:
    prt(m, "\x06ia", 1, 1, 7)
    assert art(m, 0, 0, 5, 7) == [
        "77777", "7...7", "7.7.7", "7...7", "7.7.7", "7.7.7", "77777"]


def test_one_off_character_manual_cat(m: Machine) -> None:
    # manual: > ?"\^:447cb67c3e7f0106" prints a cat
    cat = ["..7...7.", "..77777.", ".77.77.7", "..77777.",
           ".77777..", "7777777.", "7.......", ".77....."]
    assert prt(m, "\x06:447cb67c3e7f0106", 0, 0, 7) == 8
    assert art(m, 0, 0, 8, 8) == cat
    assert prt(m, b"\x06.\x44\x7c\xb6\x7c\x3e\x7f\x01\x06", 20, 0, 7) == 28
    assert art(m, 20, 0, 8, 8) == cat


def test_one_off_line_is_eight_high(m: Machine) -> None:
    prt(m, "\x06:ff00000000000000\n1", 0, 0, 7)
    assert art(m, 0, 8, 3, 1) == ["77."]


def test_poke_commands(m: Machine) -> None:
    # manual: >?"\^@70000004xxxxhello" writes 4 bytes to video memory
    assert prt(m, "\x06!4400abc\n1", 0, 0) == 0
    assert bytes(m.ram[0x4400:0x4406]) == b"abc\n1\0"
    assert blank(m)                            # the rest was data, not text
    assert prt(m, "\x06@43000004xxxx1", 0, 0, 7) == 4
    assert bytes(m.ram[0x4300:0x4305]) == b"xxxx\0"
    assert art(m, 0, 0, 3, 1) == ["77."]


# --- the stepped job: frame waits and audio ---------------------------------------

def run_steps(m: Machine, text: bytes, *args: float) -> tuple[list[tuple[Any, ...]], float]:
    buf = ffi.new("uint8_t[]", text)
    pr = ffi.new("p8_printer *")
    raw = [to_fix(a) for a in args] + [0] * (3 - len(args))
    lib.p8_print_begin(m.state, pr, raw[0], raw[1], raw[2], 1 + len(args))
    events: list[tuple[Any, ...]] = []
    while True:
        ev = lib.p8_print_step(m.state, pr, buf, len(text))
        if ev == lib.P8_PRINT_DONE:
            break
        if ev == lib.P8_PRINT_WAIT:
            events.append((ev, pr.wait, art(m, 0, 0, 8, 1)[0]))
        else:
            events.append((ev, bytes(buf[pr.audio_pos:pr.audio_pos + pr.audio_len])))
    return events, lib.p8_print_end(m.state, pr) / 0x10000


def test_frame_skip_commands_wait(m: Machine) -> None:
    events, right = run_steps(m, b"1\x063\x0691", 0, 0, 7)
    # "\^3" = 4 frames, "\^9" = 256 frames; the first 1 is drawn before them
    assert events == [(lib.P8_PRINT_WAIT, 4, "77......"), (lib.P8_PRINT_WAIT, 256, "77......")]
    assert right == 8
    assert art(m, 0, 0, 8, 1) == ["77..77.."]


def test_delay_waits_after_each_character(m: Machine) -> None:
    events, _ = run_steps(m, b"\x06d211", 0, 0, 7)
    assert events == [(lib.P8_PRINT_WAIT, 2, "77......"), (lib.P8_PRINT_WAIT, 2, "77..77..")]


def test_audio_command_is_reported_and_skipped(m: Machine) -> None:
    events, right = run_steps(m, b"\x07s4x5c1egc2 11", 0, 0, 7)
    assert events == [(lib.P8_PRINT_AUDIO, b"s4x5c1egc2")]
    assert right == 8
    assert art(m, 0, 0, 8, 1) == ["77..77.."]


def test_one_shot_print_passes_waits(m: Machine) -> None:
    assert prt(m, "\x069\x07c 1", 0, 0, 7) == 4
    assert art(m, 0, 0, 3, 1) == ["77."]


# --- the job kept in the state (the BIOS's print) ------------------------------

def test_state_job_stops_at_each_wait_and_ends_as_the_stepped_job(m: Machine) -> None:
    text = b"1\x063\x0691"
    buf = ffi.new("uint8_t[]", text)
    waits = [lib.p8_print_start(m.state, buf, len(text), 0, 0, to_fix(7), 4) / 0x10000]
    shown = [art(m, 0, 0, 8, 1)[0]]
    while waits[-1] > 0:
        waits.append(lib.p8_print_resume(m.state, buf, len(text)) / 0x10000)
        shown.append(art(m, 0, 0, 8, 1)[0])
    assert waits == [4, 256, 0]
    assert shown == ["77......", "77......", "77..77.."]
    assert lib.p8_print_result(m.state) / 0x10000 == 8
    # a finished job stays finished
    assert lib.p8_print_resume(m.state, buf, len(text)) == 0


def test_state_job_without_waits_ends_at_start_and_sees_sounds_through(m: Machine) -> None:
    text = b"\x07c 1"
    buf = ffi.new("uint8_t[]", text)
    assert lib.p8_print_start(m.state, buf, len(text), 0, 0, to_fix(7), 4) == 0
    assert lib.p8_print_result(m.state) / 0x10000 == 4
    assert art(m, 0, 0, 3, 1) == ["77."]


# --- custom font ---------------------------------------------------------------

def custom_font(m: Machine) -> None:
    # header: width 5, wide width 9, height 7, offset (1, 2), no flags
    m.ram[0x5600:0x5608] = bytes([5, 9, 7, 1, 2, 0, 0, 0])
    m.ram[0x5600 + 97 * 8:0x5600 + 98 * 8] = bytes([0x1F, 0x11, 0x11, 0x11, 0x1F, 0, 0x80, 0])
    m.ram[0x5600 + 0x80 * 8:0x5600 + 0x81 * 8] = bytes([0xFF, 0, 0, 0, 0, 0, 0, 0])


def test_custom_font_glyphs_and_metrics(m: Machine) -> None:
    custom_font(m)
    # width 5 advances 5, but all 8 columns of a custom glyph are drawn
    assert prt(m, "\x0eaa\x0f\n1", 0, 0, 7) == 10
    assert art(m, 0, 0, 15, 9) == [
        "...............",
        "...............",
        ".7777777777....",
        ".7...77...7....",
        ".7...77...7....",
        ".7...77...7....",
        ".7777777777....",
        "77.............",                     # default font again, line 2
        ".7......7....7.",
    ]


def test_custom_font_line_height_and_wide_width(m: Machine) -> None:
    custom_font(m)
    assert prt(m, b"\x0e\x80", 0, 0, 7) == 9
    assert art(m, 0, 2, 10, 1) == [".77777777."]
    m.ram[CURSOR_Y] = 0
    prt(m, "\x0ea")
    assert m.ram[CURSOR_Y] == 7


def test_custom_font_by_default_attribute(m: Machine) -> None:
    custom_font(m)
    m.ram[0x5F58] = 0x81                      # observe bits, custom font on
    assert prt(m, "a", 0, 0) == 5
    assert prt(m, "\x0fa", 0, 10) == 4


def test_custom_font_size_adjustments(m: Machine) -> None:
    custom_font(m)
    m.ram[0x5605] = 1                         # apply_size_adjustments
    m.ram[0x5600 + 97 // 2] = 0xB0            # char 97: high nibble, +3 wide, 1px up
    assert prt(m, "\x0eaa", 0, 10, 7) == 16
    assert art(m, 0, 11, 16, 1) == [".77777...77777.."]


def test_custom_font_tab_width(m: Machine) -> None:
    custom_font(m)
    m.ram[0x5606] = 10
    prt(m, "\x0ea\t\0", 0, 0)
    assert m.ram[CURSOR_X] == 10


# --- default attributes at 0x5f58 -------------------------------------------------

def test_default_attributes_wide(m: Machine) -> None:
    m.ram[0x5F58] = 0x01 | 0x02 | 0x04
    assert prt(m, "1", 0, 0) == 8


def test_default_attributes_without_padding(m: Machine) -> None:
    m.ram[0x5F58] = 0x01
    prt(m, "\x021a", 1, 1, 7)
    assert art(m, 0, 0, 6, 1) == ["......"]
    assert art(m, 0, 1, 6, 1) == [".7771."]


def test_default_sizes_and_offset(m: Machine) -> None:
    m.ram[0x5F59] = 0x85                      # char_w 5, char_h 8
    m.ram[0x5F5B] = 0x21                      # offset x 1, y 2
    assert prt(m, "11\n1", 0, 0, 7) == 10
    assert art(m, 0, 2, 10, 1) == [".77...77.."]
    assert art(m, 0, 10, 4, 1) == [".77."]


def test_default_tab_width(m: Machine) -> None:
    m.ram[0x5F5A] = 0x20                      # tab_w 2 -> 8 pixels
    prt(m, "\t\0", 0, 0)
    assert m.ram[CURSOR_X] == 8


def test_no_implicit_newline_flag(m: Machine) -> None:
    m.ram[0x5F36] = 0x04
    prt(m, "ab")
    assert (m.ram[CURSOR_X], m.ram[CURSOR_Y]) == (8, 0)


# --- clipping and coordinates -------------------------------------------------------

def test_clip_rectangle(m: Machine) -> None:
    m.ram[0x5F20:0x5F24] = bytes([2, 0, 5, 128])
    prt(m, b"\x80", 0, 0, 7)
    assert art(m, 0, 0, 8, 1) == ["..777..."]


def test_right_edge_clips_without_wrapping(m: Machine) -> None:
    assert prt(m, b"\x80", 124, 0, 7) == 132
    assert art(m, 120, 0, 8, 1) == ["....7777"]
    assert art(m, 0, 0, 8, 6) == ["........"] * 6


def test_camera_offsets_text(m: Machine) -> None:
    m.ram[0x5F28] = 10                         # camera(10, 0)
    prt(m, "1", 10, 0, 7)
    assert art(m, 0, 0, 3, 1) == ["77."]


@pytest.mark.parametrize("x,y", [(32000, 32000), (-32768, -32768), (-32768, 5), (5, 32767)])
def test_huge_coordinates_draw_nothing(m: Machine, x: int, y: int) -> None:
    assert prt(m, "abc\nd", x, y, 7) == x + 12
    assert blank(m)


def test_negative_coordinates_show_partial_glyph(m: Machine) -> None:
    prt(m, "0", -2, -3, 7)
    assert art(m, 0, 0, 2, 3) == ["7.", "7.", ".."]
