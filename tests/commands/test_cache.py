"""rp8's cache (console/cache.py): built entries are complete or rebuilt,
work folders left by a killed build start afresh, old entries are pruned."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console import cache

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def cache_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("RP8_CACHE", str(root))
    return root


def _builder(calls: list[str], text: str = "built"):
    def build(folder: Path) -> None:
        calls.append(folder.name)
        (folder / "out.txt").write_text(text)
        (folder / "sub").mkdir()
        (folder / "sub" / "more.bin").write_bytes(b"\x00\x01" * 100)
    return build


def test_an_entry_is_built_once_then_reused(cache_root: Path) -> None:
    calls: list[str] = []
    first = cache.entry("k", "e-1", _builder(calls))
    again = cache.entry("k", "e-1", _builder(calls))
    assert first == again == cache_root / "k" / "e-1"
    assert len(calls) == 1 and calls[0].startswith(cache.TMP_PREFIX)     # built under a temporary name
    assert (first / "out.txt").read_text() == "built"
    assert sorted(p.name for p in (cache_root / "k").iterdir()) == ["e-1"]


@pytest.mark.parametrize("damage", ["truncate", "drop_manifest", "drop_file", "garble_manifest", "flip_byte"])
def test_a_damaged_or_half_written_entry_is_rebuilt(cache_root: Path, damage: str) -> None:
    calls: list[str] = []
    e = cache.entry("k", "e", _builder(calls))
    if damage == "truncate":
        (e / "sub" / "more.bin").write_bytes(b"\x00")
    elif damage == "drop_manifest":                # renamed in before it was finished (not by rp8)
        (e / cache.MANIFEST).unlink()
    elif damage == "drop_file":
        (e / "out.txt").unlink()
    elif damage == "garble_manifest":
        (e / cache.MANIFEST).write_text("{")
    else:
        data = bytearray((e / "sub" / "more.bin").read_bytes())
        data[7] ^= 1
        (e / "sub" / "more.bin").write_bytes(bytes(data))
    assert not cache.is_complete(e)
    again = cache.entry("k", "e", _builder(calls, "fresh"))
    assert len(calls) == 2 and cache.is_complete(again)
    assert (again / "out.txt").read_text() == "fresh"


def test_a_failed_build_leaves_nothing(cache_root: Path) -> None:
    def fails(folder: Path) -> None:
        (folder / "half.o").write_text("half")
        raise RuntimeError("compiler failed")

    with pytest.raises(RuntimeError):
        cache.entry("k", "e", fails)
    assert list((cache_root / "k").iterdir()) == []


def test_two_builders_of_one_entry_keep_the_first_complete_copy(cache_root: Path) -> None:
    calls: list[str] = []

    def racing(folder: Path) -> None:
        # another process finishes the same entry while this one builds
        cache.entry("k", "e", _builder(calls, "theirs"))
        (folder / "out.txt").write_text("mine")

    e = cache.entry("k", "e", racing)
    assert (e / "out.txt").read_text() == "theirs" and cache.is_complete(e)
    assert sorted(p.name for p in (cache_root / "k").iterdir()) == ["e"]


def test_an_unwritable_cache_is_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("RP8_CACHE", str(blocker))
    with pytest.raises(cache.CacheError, match="set RP8_CACHE to a writable folder"):
        cache.entry("k", "e", _builder([]))


# ---- work folders ----

def test_a_work_folder_is_kept_between_builds(tmp_path: Path) -> None:
    folder = tmp_path / "w"
    notes: list[str] = []
    with cache.workspace(folder, say=notes.append) as w:
        (w / "obj.o").write_text("1")
    with cache.workspace(folder, say=notes.append) as w:
        assert (w / "obj.o").read_text() == "1"
    assert notes == [] and not (folder / cache.UNFINISHED).exists()


def test_a_build_that_fails_keeps_its_work_folder(tmp_path: Path) -> None:
    folder = tmp_path / "w"
    with pytest.raises(ValueError):
        with cache.workspace(folder) as w:
            (w / "obj.o").write_text("1")
            raise ValueError("the cart does not fit")
    notes: list[str] = []
    with cache.workspace(folder, say=notes.append) as w:
        assert (w / "obj.o").is_file()
    assert notes == []


def test_a_work_folder_left_by_a_killed_build_starts_afresh(tmp_path: Path) -> None:
    folder = tmp_path / "w"
    code = ("import os, sys, time\n"
            "from pathlib import Path\n"
            "from console import cache\n"
            "with cache.workspace(Path(sys.argv[1])) as w:\n"
            "    (w / 'half.o').write_text('half')\n"
            "    print('building', flush=True)\n"
            "    time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(folder)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None and proc.stdout.readline() == "building\n"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    notes: list[str] = []
    with cache.workspace(folder, say=notes.append) as w:
        assert not (w / "half.o").exists()
    assert notes == [f"rp8: the last build in {folder} did not finish; starting it afresh"]


def test_clean_empties_only_what_the_build_owns(tmp_path: Path) -> None:
    folder = tmp_path / "w"
    with cache.workspace(folder) as w:
        (w / "cmake").mkdir()
        (w / "cmake" / "CMakeCache.txt").write_text("x")
        (w / "build.log").write_text("log")
        (w / "notes.txt").write_text("the user's")
    with cache.workspace(folder, clean=True, names=("cmake", "build.log")) as w:
        assert sorted(p.name for p in w.iterdir() if not p.name.startswith(".rp8")) == ["notes.txt"]


def test_a_held_lock_is_seen_by_another_process(tmp_path: Path) -> None:
    lock = tmp_path / "x.lock"
    code = ("import sys, time\nfrom pathlib import Path\nfrom console import cache\n"
            "with cache.locked(Path(sys.argv[1])):\n    print('held', flush=True)\n    time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(lock)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "held\n"
        with cache.locked(lock, wait=False) as mine:
            assert mine is False
    finally:
        proc.kill()
        proc.wait()
    with cache.locked(lock, wait=False) as mine:
        assert mine is True


# ---- pruning ----

def _aged(path: Path, days: float) -> None:
    t = time.time() - days * 86400
    os.utime(path, (t, t))


def test_a_lookup_marks_the_entry_used_and_builds_nothing(cache_root: Path) -> None:
    assert cache.lookup("aot", "e") is None and not (cache_root / "aot" / "e").exists()
    e = cache.entry("aot", "e", _builder([]))
    _aged(e, cache.MAX_AGE_DAYS + 1)
    assert cache.lookup("aot", "e") == e
    assert cache.prune() == [] and cache.is_complete(e)
    (e / "out.txt").write_text("damaged")
    assert cache.lookup("aot", "e") is None


def test_prune_removes_entries_unused_for_long(cache_root: Path) -> None:
    old = cache.entry("aot", "old", _builder([]))
    new = cache.entry("aot", "new", _builder([]))
    _aged(old, cache.MAX_AGE_DAYS + 1)
    _aged(new, 2)
    assert cache.prune() == [old]
    assert not old.exists() and cache.is_complete(new)


def test_prune_keeps_the_cache_under_its_size_cap_oldest_first(cache_root: Path) -> None:
    entries = []
    for i, days in enumerate((5, 3, 1)):
        e = cache.entry("bench", f"e{i}", lambda f: (f / "blob").write_bytes(bytes(1000)))
        _aged(e, days)
        entries.append(e)
    gone = cache.prune(max_bytes=2500)
    assert gone == [entries[0]]
    assert [e.exists() for e in entries] == [False, True, True]


def test_prune_spares_recent_entries_and_work_folders_in_use(cache_root: Path) -> None:
    recent = cache.entry("aot", "recent", _builder([]))
    folder = cache_root / "firmware" / "board-x"
    with cache.workspace(folder):
        _aged(folder, 90)
        assert cache.prune(max_bytes=0) == []         # the work folder is locked, the entry just used
    _aged(folder, 90)
    assert cache.prune(max_bytes=0) == [folder]
    assert recent.exists() and not folder.exists()


def test_prune_removes_what_killed_builds_left_behind(cache_root: Path) -> None:
    stale = cache.kind_dir("aot") / f"{cache.TMP_PREFIX}abc"
    stale.mkdir()
    (stale / "half.o").write_text("x")
    live = cache.kind_dir("aot") / f"{cache.TMP_PREFIX}def"
    live.mkdir()
    _aged(stale, 2)
    assert cache.prune() == [stale]
    assert live.exists()


def test_prune_removes_old_lock_files_nobody_holds(cache_root: Path) -> None:
    free, held, young = (cache.lock_file(n) for n in ("free", "held", "young"))
    for lock in (free, held, young):
        fd = cache.hold(lock)
        assert fd is not None
        os.close(fd)
    _aged(free, 2)
    _aged(held, 2)
    fd = cache.hold(held)
    assert fd is not None
    try:
        assert cache.prune() == [free]
    finally:
        os.close(fd)
    assert not free.exists() and held.exists() and young.exists()


def test_hold_takes_the_lock_file_a_prune_left(cache_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lock = cache.lock_file("swap")
    lock.parent.mkdir(parents=True)
    lock.touch()
    real, calls = cache._lock_fd, []

    def racing(fd: int, wait: bool) -> bool:
        if not calls:
            lock.unlink()                     # a prune, between hold's open and its lock
        calls.append(fd)
        return real(fd, wait)

    monkeypatch.setattr(cache, "_lock_fd", racing)
    fd = cache.hold(lock)
    assert fd is not None and len(calls) == 2
    assert os.path.samestat(os.fstat(fd), os.stat(lock))
    os.close(fd)


def test_prune_runs_at_most_once_an_hour(cache_root: Path) -> None:
    old = cache.entry("aot", "old", _builder([]))     # this build pruned (nothing) and stamped
    _aged(old, cache.MAX_AGE_DAYS + 1)
    cache.maybe_prune()
    assert old.exists()
    _aged(cache_root / cache.PRUNED, 1)
    cache.maybe_prune()
    assert not old.exists()
