"""rp8's caches: one folder, entries named by everything that makes them differ.

Where: `$RP8_CACHE`, else the user's cache folder (platformdirs: ~/.cache/rp8
on Linux). Each kind of cache is a subfolder (aot, web, bench, firmware, emu),
holding entries of two sorts:

- built entries (`entry`): made in a temporary folder beside their final
  name, given a manifest of every file's size and SHA-256 (written last),
  then renamed into place in one step. A lookup checks the manifest, so an
  entry that a killed build, a full disk or a crash left half-written is
  removed and rebuilt, never used. When two processes build one entry at
  once, the first rename wins and the other's copy is dropped.
- work folders (`workspace`): built in place, incrementally (the firmware's
  CMake build folders). A lock serialises their users, and a mark lies in
  the folder while a build runs: a folder that still has it when the next
  build starts was left by a killed build, and is emptied before use.

Old entries are pruned, at most once an hour: entries unused for
MAX_AGE_DAYS go, then the least recently used until the whole cache is
under MAX_BYTES; never an entry used within the last hour, never a work
folder in use. Temporary folders of killed builds go after a day, and so
do lock files (`.locks`, one per compiled cart's background build) a day
old that nobody holds.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from aot.errors import UserError

MAX_AGE_DAYS = 30
MAX_BYTES = 4 << 30
PRUNE_EVERY = 3600          # seconds between two prunes
IN_USE = 3600               # an entry used this recently is never pruned
TMP_PREFIX = ".tmp-"
MANIFEST = ".rp8-manifest.json"
LOCK = ".rp8-lock"
UNFINISHED = ".rp8-unfinished"
PRUNED = ".rp8-pruned"


def root() -> Path:
    """The cache folder ($RP8_CACHE, else the user's cache folder)."""
    env = os.environ.get("RP8_CACHE")
    if env:
        return Path(env).expanduser()
    import platformdirs     # here: setup.py uses key() where platformdirs may be missing

    return platformdirs.user_cache_path("rp8", appauthor=False)


class CacheError(UserError):
    """The cache folder cannot be made or written."""


def _unusable(folder: Path, err: OSError) -> CacheError:
    return CacheError(f"{folder}: cannot use this cache folder ({err.strerror or err}); "
                      "set RP8_CACHE to a writable folder")


def kind_dir(kind: str) -> Path:
    folder = root() / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _unusable(folder, err) from None
    return folder


def key(*parts: str | bytes, files: Iterable[Path] = ()) -> str:
    """A short hash of the parts and of each file's name and content."""
    h = hashlib.sha256()
    for p in parts:
        h.update((p if isinstance(p, bytes) else p.encode()) + b"\0")
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:20]


# ---- built entries ----

def _file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _contents(folder: Path) -> dict[str, list[object]]:
    return {p.relative_to(folder).as_posix(): [p.stat().st_size, _file_hash(p)]
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST}


def is_complete(folder: Path) -> bool:
    """The entry is there and every file is as its manifest says."""
    try:
        recorded = json.loads((folder / MANIFEST).read_text())
        return bool(recorded) and recorded == _contents(folder)
    except (OSError, ValueError):
        return False


def _discard(folder: Path) -> None:
    """Remove a folder, first renaming it out of its name in one step, so no
    reader ever sees it half-removed under its name."""
    aside = folder.with_name(f"{TMP_PREFIX}gone-{folder.name}-{os.getpid()}-{time.monotonic_ns()}")
    try:
        os.rename(folder, aside)
    except FileNotFoundError:
        return
    except OSError:
        aside = folder
    _remove(aside)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass


def lookup(kind: str, name: str) -> Path | None:
    """The complete entry kind/name, marked as used (so pruning keeps it),
    or None: entry without the build."""
    final = kind_dir(kind) / name
    if not is_complete(final):
        return None
    _touch(final)
    return final


def entry(kind: str, name: str, build: Callable[[Path], None]) -> Path:
    """The complete entry kind/name, first made by build(folder) (which fills
    an empty folder) when it is missing or damaged."""
    base = kind_dir(kind)
    final = base / name
    if is_complete(final):
        _touch(final)
        return final
    if final.exists():
        _discard(final)
    try:
        stage = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=base))
    except OSError as err:
        raise _unusable(base, err) from None
    try:
        build(stage)
        try:
            (stage / MANIFEST).write_text(json.dumps(_contents(stage)))
            for attempt in (1, 2):
                try:
                    os.rename(stage, final)
                    break
                except OSError:
                    if is_complete(final):          # another builder finished first
                        break
                    if attempt == 2:
                        raise
                    _discard(final)
        except OSError as err:
            raise _unusable(base, err) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    maybe_prune()
    return final


# ---- locks and work folders ----

try:
    import fcntl

    def _lock_fd(fd: int, wait: bool) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            return True
        except BlockingIOError:
            return False
except ImportError:                                  # Windows
    import msvcrt

    def _lock_fd(fd: int, wait: bool) -> bool:
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                return True
            except OSError:
                if not wait:
                    return False
                time.sleep(0.2)


def lock_file(name: str) -> Path:
    """A lock file of the cache's own (a prune removes one a day old that
    nobody holds: `locked` and `hold` then take the new file)."""
    return root() / ".locks" / f"{name}.lock"


@contextmanager
def locked(path: Path, wait: bool = True) -> Iterator[bool]:
    """Hold an exclusive lock on the file at path (made if missing); yields
    False at once, without the lock, when wait is off and it is taken."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if not _lock_fd(fd, wait):
                yield False
                return
            if _same_file(fd, path):    # not a lock file that a prune removed meanwhile
                yield True
                return
        finally:
            os.close(fd)


def hold(path: Path) -> int | None:
    """Take the exclusive lock on the file at path (made if missing) without
    waiting: an open descriptor that holds it until every copy is closed
    (also a copy a child process inherited, pass_fds), or None when another
    process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _lock_fd(fd, False):
            os.close(fd)
            return None
        if _same_file(fd, path):
            return fd
        os.close(fd)                # a prune removed the file meanwhile: lock the one there now


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False


def _empty(folder: Path, names: Sequence[str] | None) -> None:
    for p in list(folder.iterdir()) if folder.is_dir() else []:
        if p.name == LOCK or (names is not None and p.name not in names):
            continue
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p)
        else:
            p.unlink()


@contextmanager
def workspace(folder: Path, clean: bool = False, names: Sequence[str] | None = None,
              say: Callable[[str], None] = print) -> Iterator[Path]:
    """Use folder for a build in place, locked against other users of it.
    With clean, or when a build there was killed before it finished, what it
    holds is removed first (only `names`, when given: a folder the user
    chose may hold other things)."""
    mark = folder / UNFINISHED
    with ExitStack() as lock:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            lock.enter_context(locked(folder / LOCK))
            if clean:
                _empty(folder, names)
            elif mark.exists():
                say(f"rp8: the last build in {folder} did not finish; starting it afresh")
                _empty(folder, names)
            mark.write_text(f"build by process {os.getpid()}\n")
            _touch(folder)
        except OSError as err:
            raise _unusable(folder, err) from None
        try:
            yield folder
        except Exception:
            mark.unlink()           # the tools ended; only a killed build leaves the mark
            raise
        mark.unlink()
    maybe_prune()


# ---- pruning ----

def _size(path: Path) -> int:
    if not path.is_dir():
        return path.stat().st_size
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(dirpath, f)).st_size
            except OSError:
                pass
    return total


def prune(max_bytes: int = MAX_BYTES, max_age_days: float = MAX_AGE_DAYS,
          now: float | None = None) -> list[Path]:
    """Remove old entries (see the module's note); returns what went."""
    now = time.time() if now is None else now
    base = root()
    found: list[tuple[float, int, Path]] = []
    gone: list[Path] = []
    for kind in sorted(base.iterdir()) if base.is_dir() else []:
        if not kind.is_dir() or kind.name.startswith("."):
            continue
        for e in kind.iterdir():
            try:
                used = e.stat().st_mtime
                if e.name.startswith(TMP_PREFIX):
                    if now - used > 86400:
                        _remove(e)
                        gone.append(e)
                    continue
                found.append((used, _size(e), e))
            except OSError:
                continue
    locks = base / ".locks"
    for lock in sorted(locks.glob("*.lock")) if locks.is_dir() else []:
        try:
            if now - lock.stat().st_mtime > 86400 and _remove_free_lock(lock):
                gone.append(lock)
        except OSError:
            continue
    total = sum(size for _, size, _ in found)
    for used, size, e in sorted(found):
        if now - used < IN_USE or (now - used < max_age_days * 86400 and total <= max_bytes):
            continue
        if _remove_unused(e):
            total -= size
            gone.append(e)
    return gone


def _remove_free_lock(lock: Path) -> bool:
    """Remove a lock file nobody holds, holding it meanwhile (a process that
    opened it before sees another file there and opens that one)."""
    fd = os.open(lock, os.O_RDWR)
    try:
        if not _lock_fd(fd, False):
            return False
        lock.unlink()
        return True
    finally:
        os.close(fd)


def _remove_unused(e: Path) -> bool:
    if not (e / LOCK).exists():
        _discard(e)
        return True
    with locked(e / LOCK, wait=False) as mine:
        if not mine:
            return False                    # a build is using it
        shutil.rmtree(e, ignore_errors=True)
        return True


def maybe_prune() -> None:
    """Prune when the last prune is more than PRUNE_EVERY seconds old; a
    failure to prune never fails the build that asked."""
    stamp = root() / PRUNED
    try:
        if stamp.exists() and time.time() - stamp.stat().st_mtime < PRUNE_EVERY:
            return
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
        prune()
    except OSError:
        pass


__all__ = ["CacheError", "entry", "hold", "is_complete", "key", "kind_dir", "lock_file", "locked", "lookup", "maybe_prune", "prune", "root", "workspace"]
