"""Crash-safe files for the history store: a TinyDB storage, immutable blobs and a lock.

Every write goes to a temporary file in the same folder, is flushed and fsynced, renamed over
the target with `os.replace` (atomic on POSIX and Windows), and then the folder itself is
fsynced so the rename survives a power cut. A reader therefore always sees either the old
file or the new one, never a half-written one, whatever moment the writer is killed at.

- `SafeJSONStorage`: a TinyDB `Storage` for the small, often rewritten tables (snapshot
  index with small deltas, view state). It caches what it last read and re-reads only when
  the file on disk changed (another process replaced it), so TinyDB's read-before-every-
  operation costs a `stat`.
- `BlobStore`: big documents (full checkpoints, big deltas) as immutable, content-addressed
  files, written once and never rewritten, so a one-position edit never re-serializes them.
- `FileLock`: `fcntl.flock` on `<db>.lock` around each read-modify-write, so two negotrack
  processes never lose each other's snapshots (msvcrt on Windows).

Unreadable content raises `StorageError`; deciding what to do about it (move the file aside
and start fresh) is the history store's job. Nothing here ever deletes a user's file except
the temporary files this module itself created.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tempfile
import threading
from typing import Any, Callable

from tinydb.storages import Storage

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
try:  # Windows
    import msvcrt
except ImportError:
    msvcrt = None  # type: ignore[assignment]

TEMP_SUFFIX = ".tmp"
_BLOB_NAME = re.compile(r"[0-9a-f]{64}\.json\Z")
_BLOB_TEMP = re.compile(r"\.[0-9a-f]{64}\.json\..*\.tmp\Z")


class StorageError(ValueError):
    """A database or blob file that exists but cannot be used (bad JSON, bad shape, I/O error)."""


def dumps(data: Any) -> bytes:
    """Compact UTF-8 JSON; what every file of the history store holds."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fsync_dir(folder: str) -> None:
    """Make a rename or file creation in `folder` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder or ".", os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; its renames are durable once they return
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse fsync on a folder; nothing better to do
        pass
    finally:
        os.close(fd)


def temp_prefix(path: str) -> str:
    """The name prefix of the temporary files written next to `path` (hidden, tied to its name)."""
    return f".{os.path.basename(path)}."


def atomic_write(path: str, data: bytes, durable: bool = True) -> None:
    """Replace `path` with `data` so that a crash at any moment leaves the old or the new file.

    temp file in the same folder -> write -> flush -> fsync -> os.replace -> fsync the folder.
    Without `durable`, no fsync: for a cache whose files carry their own checks (a power cut may
    then leave a damaged file, which its reader ignores), as history_latest.py writes.
    """
    folder = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    if durable:
        fsync_dir(folder)


def remove_stale_temps(path: str) -> int:
    """Delete temporary files a killed writer left next to `path`; call with the lock held.

    Only files named like `atomic_write`'s temporaries for this very `path` are touched.
    """
    folder = os.path.dirname(os.path.abspath(path))
    prefix = temp_prefix(path)
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        if name.startswith(prefix) and name.endswith(TEMP_SUFFIX):
            try:
                os.unlink(os.path.join(folder, name))
                removed += 1
            except OSError:
                pass
    return removed


def move_aside(path: str, now: dt.datetime | None = None) -> str:
    """Rename `path` to `<path>.corrupt-<UTC timestamp>` (never over an existing file); return the new name."""
    stamp = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%dT%H%M%S")
    base = f"{path}.corrupt-{stamp}"
    target, n = base, 1
    while os.path.lexists(target):
        n += 1
        target = f"{base}-{n}"
    os.rename(path, target)
    fsync_dir(os.path.dirname(os.path.abspath(path)))
    return target


def _signature(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


class SafeJSONStorage(Storage):
    """A TinyDB storage that never leaves a half-written file behind.

    `read` returns the tables (or None for a missing or empty file) and raises StorageError
    when the file cannot be read or is not `{table: {doc_id: {...}}}`; `validate(tables)` may
    check more and raise StorageError too (it runs only on content this object did not write).
    The parsed content is cached: a read costs a `stat` while the file is unchanged, and after
    `refresh()` a read of the bytes (compared with what was parsed, never trusting the stat
    alone, whose inode and mtime can repeat). Thread-safe; the lock between processes is the
    caller's (see FileLock).
    """

    def __init__(self, path: str, create_dirs: bool = True,
                 validate: Callable[[dict[str, dict[str, Any]]], None] | None = None) -> None:
        super().__init__()
        self.path = os.fspath(path)
        if create_dirs:
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        self._validate = validate
        self._lock = threading.RLock()
        self._cache: dict[str, dict[str, Any]] | None = None
        self._raw: bytes | None = None
        self._sig: tuple[int, int, int, int] | None = None
        self._verify = False

    def refresh(self) -> None:
        """Make the next read check the file's bytes (done inside the lock before a write)."""
        with self._lock:
            self._verify = True

    def _forget(self) -> None:
        self._cache, self._raw, self._sig, self._verify = None, None, None, False

    def read(self) -> dict[str, dict[str, Any]] | None:
        with self._lock:
            try:
                fh = open(self.path, "rb")
            except FileNotFoundError:
                self._forget()
                return None
            except OSError as exc:
                self._forget()
                raise StorageError(f"cannot read {self.path}: {exc.strerror or exc}") from exc
            with fh:
                try:
                    sig = _signature(os.fstat(fh.fileno()))
                    fresh = self._cache is not None and sig == self._sig and not self._verify
                    data = None if fresh else fh.read()
                except OSError as exc:
                    self._forget()
                    raise StorageError(f"cannot read {self.path}: {exc.strerror or exc}") from exc
            if data is not None:
                if self._cache is None or data != self._raw:
                    try:
                        parsed = self._parse(data)
                        if self._validate is not None and parsed:
                            self._validate(parsed)
                    except StorageError:
                        self._forget()
                        raise
                    self._cache, self._raw = parsed, data
                self._sig, self._verify = sig, False
            if not self._cache:
                return None
            # TinyDB replaces whole tables in what it gets before writing it back: hand out
            # fresh outer dicts so a failed write cannot leave the cache half-updated.
            return {name: dict(table) for name, table in self._cache.items()}

    def _parse(self, data: bytes) -> dict[str, dict[str, Any]]:
        if not data.strip():
            return {}
        try:
            doc = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise StorageError(f"{self.path} is not valid JSON ({exc})") from exc
        if not isinstance(doc, dict):
            raise StorageError(f"{self.path} holds a JSON {type(doc).__name__}, not an object of tables")
        for name, table in doc.items():
            if not isinstance(table, dict):
                raise StorageError(f"table {name!r} in {self.path} is not an object")
            for doc_id, row in table.items():
                if not (doc_id.isdigit() and isinstance(row, dict)):
                    raise StorageError(f"table {name!r} in {self.path} has a bad entry {doc_id!r}")
        return doc

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        with self._lock:
            payload = dumps(data)
            try:
                atomic_write(self.path, payload)
                sig = _signature(os.stat(self.path))
            except BaseException:
                self._forget()
                raise
            self._cache = {name: dict(table) for name, table in data.items()}
            self._raw, self._sig, self._verify = payload, sig, False

    def close(self) -> None:
        with self._lock:
            self._forget()


class BlobStore:
    """Immutable JSON documents in a folder, each named by the sha256 of its bytes.

    A blob is written (atomically, fsynced) before any row refers to it, is never rewritten,
    and is checked against its name when read, so damage is detected rather than replayed.
    """

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def put(self, doc: Any) -> tuple[str, int]:
        """Store `doc`; return its name and size in bytes (an identical blob is reused)."""
        data = dumps(doc)
        name = hashlib.sha256(data).hexdigest() + ".json"
        path = os.path.join(self.folder, name)
        if not os.path.isfile(path) or os.path.getsize(path) != len(data):
            if not os.path.isdir(self.folder):
                os.makedirs(self.folder, mode=0o700, exist_ok=True)
                fsync_dir(os.path.dirname(os.path.abspath(self.folder)))
            atomic_write(path, data)
        return name, len(data)

    def remove_stale_temps(self) -> int:
        """Delete half-written blobs a killed writer left behind; call with the lock held."""
        removed = 0
        try:
            names = os.listdir(self.folder)
        except OSError:
            return 0
        for name in names:
            if _BLOB_TEMP.match(name):
                try:
                    os.unlink(os.path.join(self.folder, name))
                    removed += 1
                except OSError:
                    pass
        return removed

    def get(self, name: str) -> Any:
        """The document in blob `name`; StorageError if it is missing, damaged or misnamed."""
        if not _BLOB_NAME.match(name):
            raise StorageError(f"bad blob name {name!r}")
        path = os.path.join(self.folder, name)
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise StorageError(f"cannot read {path}: {exc.strerror or exc}") from exc
        if hashlib.sha256(data).hexdigest() + ".json" != name:
            raise StorageError(f"{path} is damaged (its content does not match its name)")
        try:
            return json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:  # pragma: no cover - the hash matched
            raise StorageError(f"{path} is not valid JSON") from exc


class MemoryBlobStore(BlobStore):
    """Blobs kept in memory, for a history that cannot be written to disk this session."""

    def __init__(self) -> None:
        super().__init__("<memory>")
        self._blobs: dict[str, bytes] = {}

    def remove_stale_temps(self) -> int:
        return 0

    def put(self, doc: Any) -> tuple[str, int]:
        data = dumps(doc)
        name = hashlib.sha256(data).hexdigest() + ".json"
        self._blobs[name] = data
        return name, len(data)

    def get(self, name: str) -> Any:
        try:
            return json.loads(self._blobs[name])
        except KeyError:
            raise StorageError(f"no blob {name!r}") from None


class FileLock:
    """An exclusive lock between processes on `<path>` (the file is created, never deleted).

    POSIX: `fcntl.flock`, released by the kernel if the process dies, so a SIGKILLed writer
    never leaves a stale lock. Windows: `msvcrt.locking` on the first byte. Elsewhere: no lock.
    Re-entrant within one object (a nested `with` does not deadlock on itself).
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd: int | None = None
        self._depth = 0

    def __enter__(self) -> "FileLock":
        if self._depth == 0:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                elif msvcrt is not None:  # pragma: no cover - Windows
                    os.lseek(fd, 0, os.SEEK_SET)
                    while True:
                        try:
                            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                            break
                        except OSError:  # LK_LOCK gives up after ~10 s; keep waiting
                            continue
            except BaseException:
                os.close(fd)
                raise
            self._fd = fd
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                elif msvcrt is not None:  # pragma: no cover - Windows
                    os.lseek(fd, 0, os.SEEK_SET)
                    msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            finally:
                os.close(fd)


class NoLock:
    """Stands in for FileLock when the history lives only in memory."""

    def __enter__(self) -> "NoLock":
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class MemoryJSONStorage(Storage):
    """TinyDB's memory storage with `refresh`, for a history that lives only this session."""

    def __init__(self) -> None:
        super().__init__()
        self.memory: dict[str, dict[str, Any]] | None = None

    def refresh(self) -> None:
        return None

    def read(self) -> dict[str, dict[str, Any]] | None:
        return None if self.memory is None else {name: dict(table) for name, table in self.memory.items()}

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.memory = {name: dict(table) for name, table in data.items()}
