"""Shared fixtures: a fresh machine per test, and where the corpus lives."""
from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from console.machine import Machine

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


@pytest.fixture
def m() -> Machine:
    return Machine()


@pytest.fixture(scope="session")
def ref_module(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The reference engine (tests/support/reference_engine.py), built once."""
    from support import reference_engine

    return reference_engine.build(tmp_path_factory)


@pytest.fixture(scope="session")
def narrow_module(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The engine as a Cortex-M draws sprite rows (P8_WIDE_BLIT=0), built once."""
    from support import reference_engine

    return reference_engine.build(tmp_path_factory, "P8_WIDE_BLIT=0", "_rp8_engine_narrow")


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found: expected ../shared/corpus beside the checkout ({CORPUS})")
    return CORPUS


@pytest.fixture(autouse=True)
def _own_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The player's settings file (volume, capture folder, recent carts) of a
    test is its own, never the user's."""
    import os

    if "RP8_CONFIG" not in os.environ:
        monkeypatch.setenv("RP8_CONFIG", str(tmp_path_factory.mktemp("config")))


@pytest.fixture(autouse=True)
def _optimised_aot_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """`rp8 run --aot` in a test plays the optimised build, as the other
    callers of compiled carts do: its tiered default would leave a background
    build running after the test (tests/compiled/test_aot_tiers.py tests that)."""
    monkeypatch.setenv("RP8_AOT_BUILD", "optimised")
