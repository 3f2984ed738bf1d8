"""The runtime for compiled carts built at install time (console/aot_prebuilt.py):
used only under its exact key, else the cache builds as before. The wheel's
copy, used by an installed rp8, is checked in tests/commands/test_package_install.py."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from console import aot_build, aot_prebuilt, aot_toolchain
from console.aot_toolchain import Toolchain

needs_gxx = pytest.mark.skipif(shutil.which("g++") is None, reason="needs g++")


@pytest.fixture
def prebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "prebuilt"
    monkeypatch.setattr(aot_prebuilt, "PREBUILT_DIR", folder)
    monkeypatch.setenv("RP8_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv(aot_prebuilt.OFF_ENV, raising=False)
    return folder


@needs_gxx
def test_a_prebuilt_folder_under_the_runtimes_key_is_what_carts_link(prebuilt: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    ptc = aot_toolchain.player_toolchain(Toolchain())
    lib = prebuilt / aot_toolchain.runtime_name(ptc) / "librp8rt.a"
    lib.parent.mkdir(parents=True)
    lib.write_bytes(b"!<arch>\n")
    assert aot_build.runtime_library(ptc) == lib
    assert not (tmp_path / "cache" / "aot").exists() or not any((tmp_path / "cache" / "aot").iterdir())
    monkeypatch.setenv(aot_prebuilt.OFF_ENV, "1")
    assert aot_prebuilt.find(lib.parent.name) is None


@needs_gxx
def test_the_key_names_flags_compiler_and_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build for other flags, another compiler or other sources has
    another name, so it is never found for this one."""
    ptc = aot_toolchain.player_toolchain(Toolchain())
    name, player = aot_toolchain.runtime_name(ptc), aot_toolchain.player_name(ptc)
    assert aot_toolchain.runtime_name(Toolchain(flags=ptc.flags + ("-DRP8_CTX_PORTABLE=1",))) != name
    assert aot_toolchain.runtime_name(Toolchain()) != name
    monkeypatch.setattr(aot_toolchain, "tool_version", lambda tool: f"{tool} (another version)")
    assert aot_toolchain.runtime_name(ptc) != name
    monkeypatch.undo()
    edited = tmp_path / "runtime"
    shutil.copytree(aot_toolchain.RUNTIME_DIR, edited)
    (edited / "rt_gc.cpp").write_text((edited / "rt_gc.cpp").read_text() + "\n// edited\n")
    monkeypatch.setattr(aot_toolchain, "RUNTIME_DIR", edited)
    assert aot_toolchain.runtime_name(ptc) != name
    assert aot_toolchain.player_name(ptc) != player


def test_no_compiler_at_install_says_so_and_builds_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    aot_toolchain.tool_version.cache_clear()
    said: list[str] = []
    try:
        assert aot_prebuilt.build(tmp_path / "prebuilt", say=said.append) is False
    finally:
        aot_toolchain.tool_version.cache_clear()
    assert said == ["rp8: the runtime for compiled carts was not built now (g++: not found; compiled carts "
                    "need a C and C++ compiler (Debian/Ubuntu: apt install g++; macOS: xcode-select --install)); "
                    "`rp8 run --aot` builds it when first used"]
    assert not any((tmp_path / "prebuilt").rglob("*.a"))
