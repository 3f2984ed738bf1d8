"""firmware/hot_files.txt: the one list of hot files that the firmware's
CMakeLists.txt and the bench images both build by."""
from __future__ import annotations

from pathlib import Path

import pytest

from aot.cpp_runtime import RUNTIME_DIR
from aot.errors import UserError
from console import sources
from console.bench import image
from console.firmware import hot_files


def test_every_hot_file_exists_and_each_chip_has_its_marks() -> None:
    places = [sources.ENGINE_DIR, sources.PLATFORM_DIR / "common", RUNTIME_DIR]
    rp2040, rp2350 = hot_files.read("rp2040"), hot_files.read("rp2350")
    for name in set(rp2040) | set(rp2350):
        assert any((p / name).is_file() for p in places), name
    assert rp2040["p8_gfx.c"] == rp2350["p8_gfx.c"] == {"sram", "o3"}
    # the RP2040's SRAM is Lua heap: the synth at -O2, print and the runtime in flash
    assert rp2040["p8_audio.c"] == {"sram"} and rp2350["p8_audio.c"] == {"sram", "o3"}
    assert "p8_print.c" not in rp2040 and "rt_table.cpp" not in rp2040
    assert rp2350["rt_table.cpp"] == {"sram", "o3"}


def test_bench_images_compile_the_firmwares_o3_files_at_o3() -> None:
    rp2040, m33 = image.TARGETS["rp2040"], image.TARGETS["m33"]
    engine = sources.ENGINE_DIR
    assert image.o3_flags(rp2040, engine / "p8_gfx.c") == ["-O3"]
    assert image.o3_flags(rp2040, engine / "p8_audio.c") == []
    assert image.o3_flags(m33, engine / "p8_audio.c") == ["-O3"]
    assert image.o3_flags(m33, RUNTIME_DIR / "rt_core.cpp") == ["-O3"]
    assert image.o3_flags(rp2040, RUNTIME_DIR / "rt_core.cpp") == []
    # the SIO divider's helpers on the RP2040 only (the M33 divides in an instruction)
    assert [p.name for p in image.platform_sources(rp2040)] == ["bench_divider.c"]
    assert image.platform_sources(m33) == []


@pytest.mark.parametrize("row", ["p8_gfx.c sram,o3", "p8_gfx.c sram,o2 o3", "p8_gfx.c , o3"])
def test_a_bad_row_names_the_file_and_line(tmp_path: Path, row: str) -> None:
    path = tmp_path / "hot_files.txt"
    path.write_text("# file rp2040 rp2350\n" + row + "\n")
    with pytest.raises(UserError, match=r"hot_files.txt line 2: expected"):
        hot_files.read("rp2040", path)
