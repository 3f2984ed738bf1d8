"""WAV output and the `rp8 sfx` / `rp8 music` commands; a real cart's music."""
from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np
import pytest

from console.audio_render import RATE, TICK, render_music, render_sfx, wav_bytes
from console.cart import load_cart
from console.cli import main
from support.song_cart import write_cart


def read_wav(data: bytes) -> tuple[wave._wave_params, np.ndarray]:
    with wave.open(io.BytesIO(data)) as w:
        params = w.getparams()
        frames = w.readframes(w.getnframes())
    return params, np.frombuffer(frames, dtype="<i2").astype(np.float64)


def test_wav_bytes_are_22050_hz_mono_16_bit() -> None:
    params, a = read_wav(wav_bytes([0, 1, -1, 32767, -32768]))
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, 22050)
    assert list(a) == [0, 1, -1, 32767, -32768]


def test_render_sfx_stops_with_the_sfx(tmp_path: Path) -> None:
    cart = load_cart(write_cart(tmp_path))
    a = np.asarray(render_sfx(cart.data, 0), dtype=np.float64)
    assert len(a) == 8 * 2 * TICK + RATE // 10 + (-(8 * 2 * TICK)) % 1024
    assert abs(np.abs(a[500:2000]).max() - 8192) <= 1


def test_rp8_sfx_writes_the_wav_and_is_deterministic(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    cart = write_cart(tmp_path)
    out1, out2 = tmp_path / "a.wav", tmp_path / "b.wav"
    assert main(["sfx", str(cart), "0", "-o", str(out1)]) == 0
    assert main(["sfx", str(cart), "0", "-o", str(out2)]) == 0
    assert out1.read_bytes() == out2.read_bytes()
    _, a = read_wav(out1.read_bytes())
    z = np.where((a[:-1] < 0) & (a[1:] >= 0))[0]
    assert abs(RATE * (len(z) - 1) / (z[-1] - z[0]) - 440) < 3
    assert "sfx 0" in capsys.readouterr().out


def test_rp8_sfx_cuts_a_looping_sfx_at_seconds(tmp_path: Path) -> None:
    out = tmp_path / "loop.wav"
    assert main(["sfx", str(write_cart(tmp_path)), "1", "-o", str(out), "--seconds", "0.5"]) == 0
    _, a = read_wav(out.read_bytes())
    assert len(a) == RATE // 2


def test_rp8_music_plays_until_the_stop_flag(tmp_path: Path) -> None:
    out = tmp_path / "song.wav"
    assert main(["music", str(write_cart(tmp_path)), "0", "-o", str(out)]) == 0
    _, a = read_wav(out.read_bytes())
    two_patterns = 2 * 32 * TICK
    assert two_patterns <= len(a) <= two_patterns + 1024 + RATE // 10
    second = a[32 * TICK + 500:two_patterns - 500]        # pattern 1 plays the organ too
    assert np.sqrt(np.mean(second * second)) > 1000
    assert np.all(a[two_patterns + 200:] == 0)


def test_rp8_music_seconds(tmp_path: Path) -> None:
    out = tmp_path / "s.wav"
    assert main(["music", str(write_cart(tmp_path)), "0", "-o", str(out), "--seconds", "1.5"]) == 0
    assert len(read_wav(out.read_bytes())[1]) == int(1.5 * RATE)


@pytest.mark.parametrize("argv,msg", [
    (["sfx", "CART", "64", "-o", "x.wav"], "0-63"),
    (["music", "CART", "-1", "-o", "x.wav"], "0-63"),
    (["music", "CART", "0", "-o", "x.wav", "--seconds", "0"], "positive"),
    (["sfx", "missing.p8", "0", "-o", "x.wav"], "missing.p8"),
])
def test_user_mistakes_are_one_line_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          argv: list[str], msg: str) -> None:
    cart = write_cart(tmp_path)
    argv = [str(cart) if a == "CART" else str(tmp_path / a) if a.endswith((".wav", ".p8")) else a
            for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert msg in err and err.count("\n") == 1


def test_same_cart_same_wav_bytes(tmp_path: Path) -> None:
    data = load_cart(write_cart(tmp_path)).data
    assert wav_bytes(render_music(data, 0, 2.0)) == wav_bytes(render_music(data, 0, 2.0))


def test_corpus_cart_music_renders_without_clipping(corpus: Path) -> None:
    # jelpi (zep's demo bundled with PICO-8): 20 s of its music from pattern 0
    cart = load_cart(corpus / "carts" / "jelpi.p8")
    a = np.asarray(render_music(cart.data, 0, 20.0), dtype=np.float64)
    assert len(a) == 20 * RATE
    assert np.sqrt(np.mean(a * a)) > 1000            # it is music, not silence
    assert np.abs(a).max() < 32767                   # and never hits the rails
    assert wav_bytes(render_music(cart.data, 0, 3.0)) == wav_bytes(a[: 3 * RATE].astype(np.int16))
