"""Every version of a catalog, kept in a TinyDB database of its own (see docs/history.md).

The catalog file is the user's and is never written. What negotrack remembers about it lives
in one database per catalog:

- table `snapshots`: one row per version that differed from the one before, with its time,
  content hash, a count and summary of what changed, and the delta (`Change.as_dict()` list
  from `doc_changes`) against the previous snapshot. The first snapshot, and a checkpoint now
  and then, also point to the full `catalog_doc` in an immutable blob file, so any version is
  rebuilt from the nearest full document plus the deltas after it.
- table `state`: where the user left the dashboard (`ViewState`) and which version they saw.
- table `meta`: the schema version and the catalog the database was made for.

Beside the database, the folder `<db>.latest/` caches the last version recorded, split by round
(`history_latest`): a new process's first `record` (and `changes_since` the last version) then
reads only the rounds that changed instead of rebuilding that version from its blob and deltas.
It is only a cache, checked against the database and its own digests whenever it is read; when
it cannot be trusted the version is rebuilt as before.

`History.open` never raises for a bad database: an unreadable one is moved aside and a fresh
one started, with a warning to show once. Every method is safe to call from one worker thread
at a time (a lock serializes them); every write happens under a lock file, after re-reading
the database, so two processes recording at once lose nothing.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Callable

from tinydb import TinyDB
from tinydb.table import Document

from .changes import Change, doc_changes, position_key
from .history_cells import CellIndex
from .history_latest import CacheMiss, LatestCache, split_changes, split_of
from .history_places import ENV_DB, Known, OnDisk, Place, locate, moved_here, same_catalog
from .history_rounds import RoundCache, RoundEntry, Version
from .history_versions import Versions
from .history_rows import (
    SCHEMA, CellVersion, HistoryError, SnapshotInfo, ViewState, catalog_to_hash, changes_to_delta, changes_to_summary,
    check_tables, doc_to_first_summary, doc_to_hash, row_to_snapshot_info, row_to_view_state,
    utc_now, view_state_to_row,
)
from .model import Catalog
from .storage import (
    BlobStore, FileLock, MemoryBlobStore, MemoryJSONStorage, NoLock, SafeJSONStorage, StorageError,
    dumps, move_aside, remove_stale_temps,
)

__all__ = [
    "ENV_DB", "SCHEMA", "CellVersion", "History", "HistoryError", "Known", "OnDisk", "Place", "SnapshotInfo", "ViewState",
    "catalog_to_hash", "changes_to_summary", "default_db_path", "doc_to_hash",
]

#: at most this many deltas between two full documents
CHECKPOINT_EVERY = 500
#: deltas bigger than this go to a blob of their own, so the often rewritten file stays small
INLINE_DELTA_BYTES = 16_384
#: deltas since the last full document may add up to its size, but always to this much
MIN_CHECKPOINT_BYTES = 65_536


def default_db_path(catalog_path: str, db_option: str | None = None) -> str:
    """The database file of `catalog_path` (see `history_places.locate`): `db_option` or
    $NEGOTRACK_DB when set, else `<user data dir>/negotrack/<slug>-<sha1 of the path, 12 hex>.json`."""
    return locate(catalog_path, db_option).db_path


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # either does not exist (yet)
        return False


class History:
    """The versions of one catalog and where its user left off. Create with `History.open`."""

    def __init__(self, db_path: str, *, persistent: bool, checkpoint_every: int = CHECKPOINT_EVERY,
                 catalog_path: str | None = None) -> None:
        self.db_path = db_path
        #: the catalog this history is about (absolute), as recorded in the `meta` table
        self.catalog_path = os.path.abspath(catalog_path) if catalog_path else None
        #: False when the history could not be kept on disk and lives in memory this session
        self.persistent = persistent
        #: where the database is and which folder it shares with other catalogs' histories
        self.place: Place | None = None
        self.checkpoint_every = max(1, checkpoint_every)
        self._mutex = threading.RLock()
        self._warnings: list[str] = []
        if persistent:
            self._db = TinyDB(db_path, storage=SafeJSONStorage, validate=check_tables)
            self._lock: FileLock | NoLock = FileLock(db_path + ".lock")
            self._blobs: BlobStore = BlobStore(db_path + ".blobs")
        else:
            self._db = TinyDB(storage=MemoryJSONStorage)
            self._lock = NoLock()
            self._blobs = MemoryBlobStore()
        #: the latest version as `record` left it, for the first record of a new process
        self._latest = LatestCache(db_path + ".latest", self.catalog_path) if persistent else None
        self._storage = self._db.storage
        self._snapshots = self._db.table("snapshots", cache_size=0)
        self._state = self._db.table("state", cache_size=0)
        self._meta = self._db.table("meta", cache_size=0)
        #: rebuilds versions from full documents and deltas, keeping the last few in memory
        self._versions = Versions(self._blobs)
        #: per round id, what the round meant the last time a catalog was turned into a document
        self._rounds = RoundCache(seed=self._seed if persistent else None, keep_data=persistent)
        self._cells = CellIndex()

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, catalog_path: str, db_path: str | None = None, *,
             checkpoint_every: int = CHECKPOINT_EVERY) -> tuple["History", list[str]]:
        """Open (creating) the history of `catalog_path`; `db_path` is `--db` (a folder of
        databases or one database file, see `history_places.locate`).

        Returns the store and warnings to show once. Never raises for a corrupt or unreadable
        database: it is moved aside to `<db>.corrupt-<UTC time>` and a fresh one started; if
        even that is impossible, or the database belongs to another catalog, the history lives
        in memory for this session.
        """
        place = locate(catalog_path, db_path)
        path = place.db_path
        warnings: list[str] = list(place.notes)

        def in_memory(reason: str) -> tuple["History", list[str]]:
            warnings.append(f"{reason}; history is kept in memory only this session")
            history = cls(path, persistent=False, checkpoint_every=checkpoint_every, catalog_path=catalog_path)
            history.place = place
            return history, warnings

        if _same_file(path, catalog_path):  # `--db positions.yaml`: never move the catalog aside
            return in_memory(f"the history database {path} would be the catalog itself (pass another --db)")
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            history = cls(path, persistent=True, checkpoint_every=checkpoint_every, catalog_path=catalog_path)
            history.place = place
            with history._lock:
                remove_stale_temps(path)
                history._blobs.remove_stale_temps()
                if history._latest is not None:
                    history._latest.remove_stale_temps()
                try:
                    tables = history._storage.read()  # checked by check_tables
                except StorageError as exc:
                    moved = move_aside(path)
                    history._storage.refresh()
                    warnings.append(f"history database was unreadable ({exc}); moved aside to {moved} and started fresh")
                    tables = None
                meta = (tables or {}).get("meta", {}).get("1", {})
                schema = meta.get("schema", SCHEMA)
                if not isinstance(schema, int) or schema > SCHEMA:
                    raise _Refused(f"history database {path} was written by a newer negotrack (schema {schema}); "
                                   "it is left as it is")
                made_for = meta.get("catalog")
                if isinstance(made_for, str) and not same_catalog(made_for, catalog_path):
                    raise _Refused(f"history database {path} holds the history of {made_for}, not of "
                                   f"{os.path.abspath(catalog_path)}, and histories are never mixed (pass another --db)")
        except _Refused as exc:
            history.close()
            return in_memory(str(exc))
        except OSError as exc:
            return in_memory(f"history database {path} cannot be used ({exc.strerror or exc})")
        return history, warnings

    def moved_from(self, catalog: Catalog) -> list[Known]:
        """Histories this catalog probably had before it was moved or renamed: catalogs in the
        same folder whose file is gone and whose newest version is this catalog's content.
        Only asked while this history is empty; adopting one is the user's call (`adopt`)."""
        with self._mutex:
            if self._rows() or self.place is None:
                return []
            return moved_here(self.place, self.catalog_path or "", self._version_of(catalog).hash)

    def __enter__(self) -> "History":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._mutex:
            self._db.close()
            self._versions.clear()
            self._rounds.clear()

    def take_warnings(self) -> list[str]:
        """Warnings that arose after opening (a damaged blob, a database replaced by garbage)."""
        with self._mutex:
            warnings, self._warnings = self._warnings, []
            return warnings

    # -- reading -----------------------------------------------------------------------------

    def _rows(self) -> list[Document]:
        """Every snapshot row, oldest first; recovers (moves aside) a database that went bad."""
        try:
            rows = self._snapshots.all()  # the storage checked them (_check_tables) when it read them
        except StorageError as exc:
            with self._lock:
                self._storage.refresh()
                try:
                    rows = self._snapshots.all()
                except StorageError:
                    try:
                        moved = move_aside(self.db_path)
                    except OSError as move_exc:
                        raise HistoryError(f"history database {self.db_path} is unreadable ({exc}) "
                                           f"and cannot be moved aside ({move_exc.strerror})") from exc
                    self._storage.refresh()
                    self._warnings.append(f"history database was unreadable ({exc}); moved aside to {moved} and started fresh")
                    rows = self._snapshots.all()
        return sorted(rows, key=lambda r: r.doc_id)

    def _version_of(self, catalog: Catalog) -> Version:
        return self._rounds.version_of(catalog)

    def _seed(self) -> dict[str, RoundEntry] | None:
        """The round entries of the last snapshot, from the cache an earlier process left (see
        `history_latest`); None when it is not that snapshot's or cannot be trusted."""
        if self._latest is None:
            return None
        try:
            rows = self._rows()
        except HistoryError:
            return None
        return self._latest.seed((int(rows[-1].doc_id), rows[-1]["hash"]) if rows else None)

    def _split_changes(self, rows: list[Document], version: Version, *, locked: bool) -> list[Change] | None:
        """What changed from the last snapshot in `rows` to `version`, reading only the rounds
        whose digests differ, when that snapshot is at hand round by round (recorded by this
        process, or in the cache); None otherwise. `locked`: the database lock is held (a damaged
        cache file found is removed, so the next write makes it again), and this is for a record:
        the cache is used only while the blobs that snapshot is rebuilt from are all there, so
        that a history whose blobs were lost starts a new full chain as it did without a cache."""
        new = split_of(version)
        if new is None or not rows:
            return None
        key = (int(rows[-1].doc_id), rows[-1]["hash"])
        try:
            kept = self._versions.split(key)
            if kept is not None:
                old = split_of(kept)
            elif self._latest is not None and (not locked or self._chain_present(rows)):
                old = self._latest.split(key)
            else:
                old = None
            return None if old is None else split_changes(old, new)
        except CacheMiss as exc:
            if locked and self._latest is not None:
                self._latest.discard(exc.digest)
            return None

    def _chain_present(self, rows: list[Document]) -> bool:
        """Whether the blobs the last snapshot is rebuilt from (the nearest full document and any
        delta blobs after it) are there with their sizes: a stat each, no read. Bytes damaged in
        place are found when a version is rebuilt, as before."""
        def present(name: str, size: Any) -> bool:
            try:
                return os.stat(os.path.join(self._blobs.folder, name)).st_size == size
            except (OSError, ValueError):
                return False

        for row in reversed(rows):
            if row.get("full") is not None and present(row["full"], row.get("full_bytes")):
                return True
            if row.get("delta") is None and (row.get("delta_blob") is None or not present(row["delta_blob"], row.get("delta_bytes"))):
                return False
        return False

    def _cache_latest(self, snapshot_id: int, version: Version) -> None:
        """Leave `version`, recorded as `snapshot_id`, in the cache for the next process (call
        with the lock held). A cache that cannot be written is no error: the next process takes
        the slow path."""
        if self._latest is None:
            return
        try:
            self._latest.write(snapshot_id, version)
        except (OSError, LookupError):
            pass

    def content_hash(self, catalog: Catalog) -> str:
        """The content hash of `catalog` (what ViewState.seen_hash should hold)."""
        with self._mutex:
            return self._version_of(catalog).hash

    def snapshots(self) -> list[SnapshotInfo]:
        """Every snapshot, oldest first."""
        with self._mutex:
            return [row_to_snapshot_info(r) for r in self._rows()]

    def latest(self) -> SnapshotInfo | None:
        with self._mutex:
            rows = self._rows()
            return row_to_snapshot_info(rows[-1]) if rows else None

    def version(self, snapshot_id: int) -> dict[str, Any]:
        """The full catalog_doc of snapshot `snapshot_id` (KeyError if there is none).

        Raises HistoryError when the data it is rebuilt from is missing or damaged. Treat the
        result as read-only: it shares entries with the store's cache.
        """
        with self._mutex:
            rows = self._rows()
            index = next((i for i, r in enumerate(rows) if r.doc_id == snapshot_id), None)
            if index is None:
                raise KeyError(snapshot_id)
            doc = self._versions.doc_at(rows, index)
            return {k: (dict(v) if isinstance(v, dict) else v) for k, v in doc.items()}

    # -- recording ---------------------------------------------------------------------------

    def record(self, catalog: Catalog, *, current: Callable[[], Catalog | None] | None = None) -> SnapshotInfo | None:
        """Remember `catalog` as a new snapshot; None when it means the same as the last one.

        `current`, when given, is asked under the database lock what the file holds now (see
        `OnDisk`): the catalog to record instead (`catalog` itself when the file did not
        change), or None to record nothing. Without it, a process that read the file before
        another one recorded a newer version would land its older version after that one.
        Raises HistoryError when the database cannot be written (disk full, permissions) or
        has meanwhile become another catalog's.
        """
        with self._mutex:
            version = self._version_of(catalog)  # the costly part, done before taking the lock
            try:
                with self._lock:
                    self._storage.refresh()  # another process may have recorded meanwhile
                    if current is not None:
                        now = current()
                        if now is None:
                            return None
                        if now is not catalog:
                            version = self._version_of(now)
                    self._claim_locked()
                    return self._record_locked(version)
            except OSError as exc:
                raise HistoryError(f"cannot write the history database {self.db_path}: {exc.strerror or exc}") from exc

    def _claim_locked(self) -> None:
        """Make sure the database is this catalog's before writing to it (call with the lock held).

        `open` checked already; this catches a database that another catalog's process started
        in between (two catalogs, one new `--db` file, at the same moment).
        """
        self._rows()  # recovers a database that went bad, before its meta is read
        meta = self._meta.get(doc_id=1) or {}
        made_for = meta.get("catalog")
        if not isinstance(made_for, str):
            self._meta.upsert(Document({"schema": SCHEMA, "catalog": self.catalog_path}, doc_id=1))
        elif self.catalog_path is not None and not same_catalog(made_for, self.catalog_path):
            raise HistoryError(f"the history database {self.db_path} now holds the history of {made_for}; "
                               "run the command again and this catalog gets a database of its own")

    def _record_locked(self, version: Version) -> SnapshotInfo | None:
        digest = version.hash
        rows = self._rows()
        last = rows[-1] if rows else None
        if last is not None and last["hash"] == digest:
            self._cache_latest(int(last.doc_id), version)
            return None
        changes: list[Change] | None = None
        if last is not None:
            changes = self._split_changes(rows, version, locked=True)
            if changes is None:  # the last version is not at hand round by round: rebuild it
                try:
                    changes = doc_changes(self._versions.doc_at(rows, len(rows) - 1), version.doc)
                except HistoryError as exc:
                    self._warnings.append(f"{exc}; recording a full snapshot instead")
        row: dict[str, Any] = {"taken_at": utc_now(), "hash": digest}
        if changes is None:
            doc = version.doc
            count, _ = changes_to_summary(doc_changes({}, doc))
            summary = doc_to_first_summary(doc) if last is None else "full snapshot (the previous one could not be read)"
            full, full_bytes = self._blobs.put(doc)
            row.update(changes=count, summary=summary, delta=None, delta_bytes=0, full=full, full_bytes=full_bytes)
        else:
            count, summary = changes_to_summary(changes)
            delta = changes_to_delta(changes)
            delta_bytes = len(dumps(delta))
            row.update(changes=count, summary=summary, delta=delta, delta_bytes=delta_bytes)
            if delta_bytes > INLINE_DELTA_BYTES:
                row["delta"], row["delta_blob"] = None, self._blobs.put(delta)[0]
            if self._needs_checkpoint(rows, delta_bytes):
                row["full"], row["full_bytes"] = self._blobs.put(version.doc)
        new_id = int(last.doc_id) + 1 if last is not None else 1
        self._snapshots.insert(Document(row, doc_id=new_id))
        self._versions.remember((new_id, digest), version if version.entries is not None else version.doc)
        self._cache_latest(new_id, version)  # after the row: a crash in between leaves a stale cache, ignored
        return row_to_snapshot_info(Document(row, doc_id=new_id))

    def _needs_checkpoint(self, rows: list[Document], delta_bytes: int) -> bool:
        """A full copy after `checkpoint_every` deltas, or once the deltas since the last full
        copy add up to its size: rebuilding then never reads more than about twice a version."""
        since = delta_bytes
        for n, row in enumerate(reversed(rows), start=1):
            if row.get("full") is not None:
                return n >= self.checkpoint_every or since >= max(row.get("full_bytes") or 0, MIN_CHECKPOINT_BYTES)
            since += row.get("delta_bytes") or 0
        return True

    # -- what changed -----------------------------------------------------------------------

    def changes_since(self, seen_hash: str | None, catalog: Catalog) -> list[Change]:
        """What changed from the (latest) version with `seen_hash` to `catalog`.

        [] when `seen_hash` is None, unknown, equal to the catalog's, or its version cannot be
        rebuilt (then a warning waits in take_warnings).
        """
        if seen_hash is None:
            return []
        with self._mutex:
            version = self._version_of(catalog)
            if version.hash == seen_hash:
                return []
            rows = self._rows()
            index = next((i for i in range(len(rows) - 1, -1, -1) if rows[i]["hash"] == seen_hash), None)
            if index is None:
                return []
            if index == len(rows) - 1:  # the usual case: the user saw the last version
                changes = self._split_changes(rows, version, locked=False)
                if changes is not None:
                    return changes
            try:
                old = self._versions.doc_at(rows, index)
            except HistoryError as exc:
                self._warnings.append(str(exc))
                return []
            return doc_changes(old, version.doc)

    def cell_history(self, round_id: str, party_id: str, demand_id: str) -> list[CellVersion]:
        """Each version of one position: one entry per snapshot where it appeared, changed or
        went away (position None), oldest first."""
        with self._mutex:
            rows = self._rows()
            self._cells.update(rows, lambda index: self._versions.doc_at(rows, index), self._versions.row_delta, self._warnings.append)
            return self._cells.versions(position_key(round_id, party_id, demand_id))

    # -- where the user left off -----------------------------------------------------------

    def view_state(self) -> ViewState | None:
        with self._mutex:
            try:
                return row_to_view_state(self._state.get(doc_id=1))
            except StorageError:
                self._rows()  # recovers the database
                return None

    def save_view_state(self, state: ViewState) -> None:
        """Remember where the user is; one small atomic write (call it debounced, off the UI thread)."""
        with self._mutex:
            try:
                with self._lock:
                    self._storage.refresh()
                    self._claim_locked()  # also recovers a database that went bad
                    self._state.upsert(Document(view_state_to_row(state), doc_id=1))
            except OSError as exc:
                raise HistoryError(f"cannot write the history database {self.db_path}: {exc.strerror or exc}") from exc


class _Refused(Exception):
    """The database is not this history's to write (a newer layout, another catalog's)."""
