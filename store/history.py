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

`History.open` never raises for a bad database: an unreadable one is moved aside and a fresh
one started, with a warning to show once. Every method is safe to call from one worker thread
at a time (a lock serializes them); every write happens under a lock file, after re-reading
the database, so two processes recording at once lose nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import platformdirs
from tinydb import TinyDB
from tinydb.table import Document

from .changes import (
    ORDERS, SECTIONS, Change, apply_changes, catalog_doc, catalog_head, doc_changes, doc_changes_by_round, position_key,
    round_positions_doc,
)
from .model import Catalog
from .storage import (
    BlobStore, FileLock, MemoryBlobStore, MemoryJSONStorage, NoLock, SafeJSONStorage, StorageError,
    dumps, move_aside, remove_stale_temps,
)

#: version of the database layout; a database from a newer negotrack is left alone
SCHEMA = 1
#: environment variable naming the database file (as `--db` does)
ENV_DB = "NEGOTRACK_DB"
#: at most this many deltas between two full documents
CHECKPOINT_EVERY = 500
#: deltas bigger than this go to a blob of their own, so the often rewritten file stays small
INLINE_DELTA_BYTES = 16_384
#: deltas since the last full document may add up to its size, but always to this much
MIN_CHECKPOINT_BYTES = 65_536
#: full documents kept in memory (the latest, and the one `version` rebuilt last)
DOC_CACHE_SIZE = 3

_HASH = re.compile(r"[0-9a-f]{64}\Z")
_KINDS = ("added", "changed", "removed")
_NOUNS = {
    "positions": ("position", "positions"),
    "rounds": ("round", "rounds"),
    "parties": ("party", "parties"),
    "demands": ("demand", "demands"),
    "sources": ("source", "sources"),
}
_SINGULAR = {"parties": "party", "demands": "demand", "rounds": "round"}


class HistoryError(Exception):
    """A write that failed (disk full, permission) or a version whose data is missing or damaged."""


@dataclass(frozen=True)
class SnapshotInfo:
    id: int
    taken_at: str  # ISO 8601, UTC, e.g. 2026-11-23T19:00:00Z
    hash: str  # the content hash of the version (doc_to_hash of its catalog_doc)
    changes: int  # how many things changed against the previous snapshot (all, for the first)
    summary: str  # e.g. "3 positions changed, 1 round added"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "taken_at": self.taken_at, "hash": self.hash, "changes": self.changes, "summary": self.summary}


@dataclass(frozen=True)
class CellVersion:
    taken_at: str
    hash: str
    position: dict[str, Any] | None  # a position_doc; None: no position in that version


@dataclass(frozen=True)
class ViewState:
    round_id: str | None = None
    party_id: str | None = None
    demand_id: str | None = None
    seen_hash: str | None = None
    seen_at: str | None = None


# -- conversions -------------------------------------------------------------------------


def utc_now() -> str:
    """The current time as ISO 8601 UTC with a `Z`, to the second."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _sha256(value: Any) -> str:
    return hashlib.sha256(_canonical(value)).hexdigest()


def _hash_of(head: dict[str, Any], round_digests: dict[str, str]) -> str:
    """The content hash from a document without its positions and the digest of each round's
    positions (`_sha256` of them; rounds without positions have none)."""
    return _sha256({"head": {k: v for k, v in head.items() if k != "positions"}, "positions": round_digests})


def doc_to_hash(doc: dict[str, Any]) -> str:
    """The content hash of a catalog doc: equal documents, and only those, give equal hashes.

    sha256 of the canonical JSON (sorted keys, no spaces) of `{"head": the document without
    positions, "positions": {round id: sha256 of the canonical JSON of that round's
    positions}}`, a position belonging to the round its key starts with. Hashing per round
    lets `History` reuse the digest of a round that did not change (docs/history.md).
    """
    rounds: dict[str, dict[str, Any]] = {}
    for key, position in doc.get("positions", {}).items():
        rid = key.split("/", 1)[0]
        part = rounds.get(rid)
        if part is None:
            part = rounds[rid] = {}
        part[key] = position
    return _hash_of(doc, {rid: _sha256(part) for rid, part in rounds.items()})


def catalog_to_hash(catalog: Catalog) -> str:
    """The content hash of a catalog: equal for two files that mean the same."""
    return doc_to_hash(catalog_doc(catalog))


@dataclass(slots=True)
class _RoundEntry:
    """What one round meant when its text last had `text_digest` under definitions `context`."""

    text_digest: str
    context: str
    part: dict[str, Any]  # round_positions_doc of the round
    digest: str  # _sha256(part); "" when the round has no positions


@dataclass(slots=True)
class _Version:
    """A catalog's document and content hash; `rounds` splits its positions by round (round id
    -> that round's entries, the same dicts as the previous version's for rounds that did not
    change), None when the document was not built round by round."""

    catalog: Catalog | None
    doc: dict[str, Any]
    hash: str
    rounds: dict[str, dict[str, Any]] | None


def changes_to_delta(changes: list[Change]) -> list[dict[str, Any]]:
    return [c.as_dict() for c in changes]


def delta_to_changes(delta: list[dict[str, Any]]) -> list[Change]:
    return [Change.from_dict(d) for d in delta]


def _implied_order_change(change: Change) -> bool:
    """An order change that only reflects additions or removals (the others kept their order)."""
    if change.section != "order":
        return False
    old, new = change.old or [], change.new or []
    old_set, new_set = set(old), set(new)
    return [x for x in old if x in new_set] == [x for x in new if x in old_set]


def changes_to_summary(changes: list[Change]) -> tuple[int, str]:
    """How many things changed and one line saying what, e.g. (4, "3 positions changed, 1 round added").

    An order change that only follows from an addition or removal is not counted on its own.
    """
    meaningful = [c for c in changes if not _implied_order_change(c)]
    counts: dict[tuple[str, str], int] = {}
    for change in meaningful:
        counts[change.section, change.kind] = counts.get((change.section, change.kind), 0) + 1
    parts = []
    for section, (one, many) in _NOUNS.items():
        for kind in ("changed", "added", "removed"):
            n = counts.get((section, kind), 0)
            if n:
                parts.append(f"{n} {one if n == 1 else many} {kind}")
    parts += [f"{c.key} {c.kind}" for c in meaningful if c.section == "meta"]
    parts += [f"{_SINGULAR.get(c.key, c.key)} order changed" for c in meaningful if c.section == "order"]
    return len(meaningful), ", ".join(parts) or "no change"


def doc_to_first_summary(doc: dict[str, Any]) -> str:
    def count(n: int, section: str) -> str:
        one, many = _NOUNS[section]
        return f"{n} {one if n == 1 else many}"

    sections = ("parties", "demands", "rounds", "positions")
    return "first snapshot: " + ", ".join(count(len(doc.get(s, {})), s) for s in sections)


def row_to_snapshot_info(row: Document) -> SnapshotInfo:
    return SnapshotInfo(int(row.doc_id), row["taken_at"], row["hash"], row["changes"], row["summary"])


def view_state_to_row(state: ViewState) -> dict[str, Any]:
    return {"round_id": state.round_id, "party_id": state.party_id, "demand_id": state.demand_id,
            "seen_hash": state.seen_hash, "seen_at": state.seen_at}


def row_to_view_state(row: dict[str, Any] | None) -> ViewState | None:
    """The stored view state, or None when there is none or it is not the expected shape."""
    if not row:
        return None
    fields = view_state_to_row(ViewState())
    values = {name: row.get(name) for name in fields}
    if not all(v is None or isinstance(v, str) for v in values.values()):
        return None
    return ViewState(**values)


def _slug(text: str, width: int = 64) -> str:
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")
    return slug[-width:].strip("-")


def default_db_path(catalog_path: str) -> str:
    """Where the history of `catalog_path` lives: $NEGOTRACK_DB if set, else one file per catalog.

    The file is `<user data dir>/negotrack/<slug of the absolute path>-<sha1 of it, 12 hex>.json`
    (on Linux `$XDG_DATA_HOME/negotrack/`, by default `~/.local/share/negotrack/`).
    """
    env = os.environ.get(ENV_DB)
    if env:
        return os.path.abspath(os.path.expanduser(env))
    abspath = os.path.abspath(os.path.expanduser(os.fspath(catalog_path)))
    digest = hashlib.sha1(os.path.normcase(abspath).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    name = f"{_slug(abspath) or 'catalog'}-{digest}.json"
    return os.path.join(platformdirs.user_data_dir("negotrack", appauthor=False), name)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # either does not exist (yet)
        return False


# -- checking what was read ----------------------------------------------------------------


def _opt(row: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> bool:
    value = row.get(key)
    return value is None or (isinstance(value, kind) and not isinstance(value, bool))


def _check_row(doc_id: str, row: dict[str, Any]) -> None:
    """Raise StorageError unless `row` is a snapshot row this version can use."""
    ok = (
        isinstance(row.get("taken_at"), str)
        and isinstance(row.get("hash"), str) and bool(_HASH.match(row["hash"]))
        and isinstance(row.get("changes"), int) and not isinstance(row.get("changes"), bool)
        and isinstance(row.get("summary"), str)
        and _opt(row, "delta", list) and _opt(row, "delta_blob", str) and _opt(row, "full", str)
        and _opt(row, "delta_bytes", int) and _opt(row, "full_bytes", int)
        and any(row.get(k) is not None for k in ("delta", "delta_blob", "full"))
    )
    if ok and row.get("delta") is not None:
        sections = ("meta", "order", *SECTIONS)
        ok = all(
            isinstance(c, dict) and c.get("section") in sections and isinstance(c.get("key"), str)
            and c.get("kind") in _KINDS
            for c in row["delta"]
        )
    if not ok:
        raise StorageError(f"snapshot {doc_id} is not in the expected form")


def _check_tables(tables: dict[str, dict[str, Any]] | None) -> None:
    """Raise StorageError unless every snapshot row is one this version can use."""
    for doc_id, row in (tables or {}).get("snapshots", {}).items():
        _check_row(doc_id, row)


# -- the store ---------------------------------------------------------------------------------


class History:
    """The versions of one catalog and where its user left off. Create with `History.open`."""

    def __init__(self, db_path: str, *, persistent: bool, checkpoint_every: int = CHECKPOINT_EVERY,
                 catalog_path: str | None = None) -> None:
        self.db_path = db_path
        #: the catalog this history is about (absolute), as recorded in the `meta` table
        self.catalog_path = os.path.abspath(catalog_path) if catalog_path else None
        #: False when the history could not be kept on disk and lives in memory this session
        self.persistent = persistent
        self.checkpoint_every = max(1, checkpoint_every)
        self._mutex = threading.RLock()
        self._warnings: list[str] = []
        if persistent:
            self._db = TinyDB(db_path, storage=SafeJSONStorage, validate=_check_tables)
            self._lock: FileLock | NoLock = FileLock(db_path + ".lock")
            self._blobs: BlobStore = BlobStore(db_path + ".blobs")
        else:
            self._db = TinyDB(storage=MemoryJSONStorage)
            self._lock = NoLock()
            self._blobs = MemoryBlobStore()
        self._storage = self._db.storage
        self._snapshots = self._db.table("snapshots", cache_size=0)
        self._state = self._db.table("state", cache_size=0)
        self._meta = self._db.table("meta", cache_size=0)
        self._docs: OrderedDict[tuple[int, str], dict[str, Any]] = OrderedDict()
        #: for cached documents that were built round by round: their split by round
        self._doc_rounds: dict[tuple[int, str], dict[str, dict[str, Any]]] = {}
        self._current: _Version | None = None
        #: per round id, what the round meant the last time a catalog was turned into a document
        self._round_cache: dict[str, _RoundEntry] = {}
        self._cells: dict[str, list[tuple[str, str, dict[str, Any] | None]]] = {}
        self._cells_last: dict[str, dict[str, Any] | None] = {}
        self._cells_upto: tuple[int, str] | None = None

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, catalog_path: str, db_path: str | None = None, *,
             checkpoint_every: int = CHECKPOINT_EVERY) -> tuple["History", list[str]]:
        """Open (creating) the history of `catalog_path`; `db_path` overrides default_db_path.

        Returns the store and warnings to show once. Never raises for a corrupt or unreadable
        database: it is moved aside to `<db>.corrupt-<UTC time>` and a fresh one started; if
        even that is impossible, the history lives in memory for this session.
        """
        path = os.path.abspath(os.path.expanduser(db_path)) if db_path else default_db_path(catalog_path)
        warnings: list[str] = []
        if _same_file(path, catalog_path):  # `--db positions.yaml`: never move the catalog aside
            warnings.append(f"the history database {path} would be the catalog itself; "
                            "history is kept in memory only this session (pass another --db)")
            return cls(path, persistent=False, checkpoint_every=checkpoint_every, catalog_path=catalog_path), warnings
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            history = cls(path, persistent=True, checkpoint_every=checkpoint_every, catalog_path=catalog_path)
            with history._lock:
                remove_stale_temps(path)
                history._blobs.remove_stale_temps()
                try:
                    tables = history._storage.read()  # checked by _check_tables
                except StorageError as exc:
                    moved = move_aside(path)
                    history._storage.refresh()
                    warnings.append(f"history database was unreadable ({exc}); moved aside to {moved} and started fresh")
                    tables = None
                meta = (tables or {}).get("meta", {}).get("1", {})
                schema = meta.get("schema", SCHEMA)
                if not isinstance(schema, int) or schema > SCHEMA:
                    raise _Newer(f"history database {path} was written by a newer negotrack (schema {schema})")
        except _Newer as exc:
            warnings.append(f"{exc}; it is left as it is and history is kept in memory only this session")
            return cls(path, persistent=False, checkpoint_every=checkpoint_every, catalog_path=catalog_path), warnings
        except OSError as exc:
            warnings.append(
                f"history database {path} cannot be used ({exc.strerror or exc}); "
                "history is kept in memory only this session"
            )
            return cls(path, persistent=False, checkpoint_every=checkpoint_every, catalog_path=catalog_path), warnings
        return history, warnings

    def __enter__(self) -> "History":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._mutex:
            self._db.close()
            self._docs.clear()
            self._doc_rounds.clear()
            self._current = None
            self._round_cache = {}

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

    def _version_of(self, catalog: Catalog) -> _Version:
        """The document and content hash of `catalog`, built round by round.

        A round whose text digest (from the loader) and the definitions it was read under are
        what they were last time is not looked at again: its positions and their digest are
        reused as they are (see docs/history.md for why that is safe).
        """
        if self._current is not None and self._current.catalog is catalog:
            return self._current
        ids = [r.id for r in catalog.rounds]
        if len(set(ids)) != len(ids) or any("/" in rid for rid in ids):
            # Not a loaded catalog (the loader refuses both): positions would not split by round.
            doc = catalog_doc(catalog)
            self._round_cache = {}
            self._current = _Version(catalog, doc, doc_to_hash(doc), None)
            return self._current
        head = catalog_head(catalog)
        # Positions are read in the light of the demands (a number or a stance); parties and
        # sources only validate them, but any change of definitions re-reads every round.
        context = _sha256([head["parties"], head["demands"], head["sources"]])
        previous, cache = self._round_cache, {}
        positions: dict[str, Any] = {}
        rounds: dict[str, dict[str, Any]] = {}
        digests: dict[str, str] = {}
        for r in catalog.rounds:
            entry = previous.get(r.id)
            if entry is None or not r.text_digest or entry.text_digest != r.text_digest or entry.context != context:
                part = round_positions_doc(r)
                entry = _RoundEntry(r.text_digest, context, part, _sha256(part) if part else "")
            cache[r.id] = entry
            rounds[r.id] = entry.part
            if entry.part:
                positions.update(entry.part)
                digests[r.id] = entry.digest
        self._round_cache = cache
        head["positions"] = positions
        self._current = _Version(catalog, head, _hash_of(head, digests), rounds)
        return self._current

    def _doc_and_hash(self, catalog: Catalog) -> tuple[dict[str, Any], str]:
        version = self._version_of(catalog)
        return version.doc, version.hash

    def content_hash(self, catalog: Catalog) -> str:
        """The content hash of `catalog` (what ViewState.seen_hash should hold)."""
        with self._mutex:
            return self._doc_and_hash(catalog)[1]

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
            doc = self._doc_at(rows, index)
            return {k: (dict(v) if isinstance(v, dict) else v) for k, v in doc.items()}

    def _cache_doc(self, key: tuple[int, str], doc: dict[str, Any],
                   rounds: dict[str, dict[str, Any]] | None = None) -> None:
        if rounds is not None:
            self._doc_rounds[key] = rounds
        elif self._docs.get(key) is not doc:  # another document: its old split does not apply
            self._doc_rounds.pop(key, None)
        self._docs[key] = doc
        self._docs.move_to_end(key)
        while len(self._docs) > DOC_CACHE_SIZE:
            gone, _ = self._docs.popitem(last=False)
            self._doc_rounds.pop(gone, None)

    def _row_delta(self, row: Document) -> list[dict[str, Any]]:
        if row.get("delta") is not None:
            return row["delta"]
        if row.get("delta_blob") is not None:
            try:
                delta = self._blobs.get(row["delta_blob"])
            except StorageError as exc:
                raise HistoryError(f"the changes of snapshot {row.doc_id} cannot be read: {exc}") from exc
            if not isinstance(delta, list):
                raise HistoryError(f"the changes of snapshot {row.doc_id} are not in the expected form")
            return delta
        raise HistoryError(f"snapshot {row.doc_id} has no changes recorded")  # a root: caller's bug

    def _doc_at(self, rows: list[Document], index: int) -> dict[str, Any]:
        """Rebuild the document of rows[index] from the nearest cached or full document before it."""
        base: dict[str, Any] | None = None
        start = index
        problems: list[str] = []
        while start >= 0:
            row = rows[start]
            key = (int(row.doc_id), row["hash"])
            if key in self._docs:
                base = self._docs[key]
                self._docs.move_to_end(key)
                break
            if row.get("full") is not None:
                try:
                    full = self._blobs.get(row["full"])
                    if not isinstance(full, dict):
                        raise StorageError(f"blob {row['full']} is not a catalog document")
                    base = apply_changes(full, [])  # restores the order of parties, demands, rounds
                    break
                except StorageError as exc:
                    problems.append(str(exc))
            if row.get("delta") is None and row.get("delta_blob") is None:
                break  # a root without its full document: nothing before it helps
            start -= 1
        if base is None:
            raise HistoryError(f"snapshot {rows[index].doc_id} cannot be rebuilt: " + ("; ".join(problems) or "no full version"))
        delta: list[dict[str, Any]] = []
        for row in rows[start + 1:index + 1]:
            delta.extend(self._row_delta(row))
        # Replaying all deltas at once is the same as one by one (each change sets or removes a
        # key; the final order lists decide the order), and copies the document only once.
        doc = apply_changes(base, delta_to_changes(delta)) if delta else base
        self._cache_doc((int(rows[index].doc_id), rows[index]["hash"]), doc)
        return doc

    # -- recording ---------------------------------------------------------------------------

    def record(self, catalog: Catalog) -> SnapshotInfo | None:
        """Remember `catalog` as a new snapshot; None when it means the same as the last one.

        Raises HistoryError when the database cannot be written (disk full, permissions).
        """
        with self._mutex:
            version = self._version_of(catalog)
            try:
                with self._lock:
                    self._storage.refresh()  # another process may have recorded meanwhile
                    return self._record_locked(version)
            except OSError as exc:
                raise HistoryError(f"cannot write the history database {self.db_path}: {exc.strerror or exc}") from exc

    def _record_locked(self, version: _Version) -> SnapshotInfo | None:
        doc, digest = version.doc, version.hash
        rows = self._rows()
        last = rows[-1] if rows else None
        if last is not None and last["hash"] == digest:
            return None
        prev: dict[str, Any] | None = None
        prev_rounds: dict[str, dict[str, Any]] | None = None
        if last is not None:
            try:
                prev = self._doc_at(rows, len(rows) - 1)
                prev_rounds = self._doc_rounds.get((int(last.doc_id), last["hash"]))
            except HistoryError as exc:
                self._warnings.append(f"{exc}; recording a full snapshot instead")
        row: dict[str, Any] = {"taken_at": utc_now(), "hash": digest}
        if prev is None:
            count, _ = changes_to_summary(doc_changes({}, doc))
            summary = doc_to_first_summary(doc) if last is None else "full snapshot (the previous one could not be read)"
            full, full_bytes = self._blobs.put(doc)
            row.update(changes=count, summary=summary, delta=None, delta_bytes=0, full=full, full_bytes=full_bytes)
        else:
            if prev_rounds is not None and version.rounds is not None:
                # Both built round by round here: only rounds that changed are compared.
                changes = doc_changes_by_round(prev, doc, prev_rounds, version.rounds)
            else:
                changes = doc_changes(prev, doc)
            count, summary = changes_to_summary(changes)
            delta = changes_to_delta(changes)
            delta_bytes = len(dumps(delta))
            row.update(changes=count, summary=summary, delta=delta, delta_bytes=delta_bytes)
            if delta_bytes > INLINE_DELTA_BYTES:
                row["delta"], row["delta_blob"] = None, self._blobs.put(delta)[0]
            if self._needs_checkpoint(rows, delta_bytes):
                row["full"], row["full_bytes"] = self._blobs.put(doc)
        new_id = int(last.doc_id) + 1 if last is not None else 1
        if last is None:
            self._meta.upsert(Document({"schema": SCHEMA, "catalog": self.catalog_path}, doc_id=1))
        self._snapshots.insert(Document(row, doc_id=new_id))
        self._cache_doc((new_id, digest), doc, version.rounds)
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
            doc, digest = self._doc_and_hash(catalog)
            if digest == seen_hash:
                return []
            rows = self._rows()
            index = next((i for i in range(len(rows) - 1, -1, -1) if rows[i]["hash"] == seen_hash), None)
            if index is None:
                return []
            try:
                old = self._doc_at(rows, index)
            except HistoryError as exc:
                self._warnings.append(str(exc))
                return []
            return doc_changes(old, doc)

    def cell_history(self, round_id: str, party_id: str, demand_id: str) -> list[CellVersion]:
        """Each version of one position: one entry per snapshot where it appeared, changed or
        went away (position None), oldest first."""
        with self._mutex:
            self._index_cells(self._rows())
            return [CellVersion(t, h, p) for t, h, p in self._cells.get(position_key(round_id, party_id, demand_id), [])]

    def _index_cells(self, rows: list[Document]) -> None:
        """Bring the per-position index up to date with `rows` (only new rows are read)."""
        start = 0
        if self._cells_upto is not None:
            upto_id, upto_hash = self._cells_upto
            at = next((i for i, r in enumerate(rows) if r.doc_id == upto_id), None)
            if at is not None and rows[at]["hash"] == upto_hash:
                start = at + 1
            else:  # the database was replaced (moved aside, or reset by another process)
                self._cells, self._cells_last, self._cells_upto = {}, {}, None
        for index in range(start, len(rows)):
            row = rows[index]
            stamp = (row["taken_at"], row["hash"])
            try:
                if row.get("delta") is None and row.get("delta_blob") is None:
                    positions = self._doc_at(rows, index).get("positions", {})
                    updates = [(key, positions.get(key)) for key in {*self._cells_last, *positions}]
                else:
                    updates = [
                        (c["key"], None if c["kind"] == "removed" else c.get("new"))
                        for c in self._row_delta(row) if c["section"] == "positions"
                    ]
            except HistoryError as exc:
                self._warnings.append(f"edit history is incomplete: {exc}")
                updates = []
            for key, position in updates:
                if self._cells_last.get(key) != position:
                    self._cells.setdefault(key, []).append((*stamp, position))
                    self._cells_last[key] = position
            self._cells_upto = (int(row.doc_id), row["hash"])

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
                    self._rows()  # recovers a database that went bad rather than failing
                    self._state.upsert(Document(view_state_to_row(state), doc_id=1))
            except OSError as exc:
                raise HistoryError(f"cannot write the history database {self.db_path}: {exc.strerror or exc}") from exc


class _Newer(Exception):
    pass
