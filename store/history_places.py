"""Where each catalog's history lives, which catalogs a folder of histories knows, and taking
over the history of a catalog that was moved (docs/history.md, "Where the database lives").

The rule everything here keeps: one database per catalog. `--db PATH` / `$NEGOTRACK_DB` name
a folder of databases (as the default data folder is), or a single database file, which then
holds the history of the one catalog its `meta` names; any other catalog gets a database of
its own beside it. A catalog is known by its absolute path; a moved one is matched to its old
history only when the user asks for it (`adopt`), never silently. `OnDisk` tells a record
under the database lock whether the catalog file still holds what was read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import dataclass
from typing import Any

import platformdirs

from .catalog import parse_catalog
from .history_latest import remove_cache
from .model import Catalog
from .problems import Problem
from .storage import FileLock, atomic_write, dumps, fsync_dir

#: environment variable naming the history folder or database file (as `--db` does)
ENV_DB = "NEGOTRACK_DB"
#: what the databases negotrack names itself look like: `<slug>-<12 hex>.json`
_DB_NAME = re.compile(r"[A-Za-z0-9_-]+-[0-9a-f]{12}\.json\Z")
_BLOB_NAME = re.compile(r"[0-9a-f]{64}\.json\Z")


class AdoptError(Exception):
    """Adopting a history is refused; the message says why and what to do instead."""


def catalog_key(path: str) -> str:
    """The absolute, case-normalised path a catalog is known by."""
    return os.path.normcase(os.path.abspath(os.path.expanduser(os.fspath(path))))


def same_catalog(recorded: str, catalog_path: str) -> bool:
    """Whether the catalog path a database recorded is `catalog_path` (the same path, or a
    link to the same file)."""
    if catalog_key(recorded) == catalog_key(catalog_path):
        return True
    try:
        return os.path.samefile(recorded, catalog_path)
    except OSError:  # either is missing
        return False


def _slug(text: str, width: int = 64) -> str:
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")
    return slug[-width:].strip("-")


def db_name(catalog_path: str) -> str:
    """`<slug of the absolute path>-<sha1 of it, 12 hex>.json`: the database's name in a folder."""
    abspath = os.path.abspath(os.path.expanduser(os.fspath(catalog_path)))
    digest = hashlib.sha1(os.path.normcase(abspath).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return f"{_slug(abspath) or 'catalog'}-{digest}.json"


def data_folder() -> str:
    """The default folder of histories (on Linux `$XDG_DATA_HOME/negotrack`)."""
    return platformdirs.user_data_dir("negotrack", appauthor=False)


def names_a_folder(path: str) -> bool:
    """Whether a `--db`/`NEGOTRACK_DB` value means a folder of databases rather than one file:
    an existing folder, a path ending in a separator, or a path not there yet whose name does
    not end in `.json` (the extension of every database negotrack writes)."""
    if os.path.isdir(path) or path.endswith(os.sep) or (os.altsep is not None and path.endswith(os.altsep)):
        return True
    return not os.path.lexists(path) and not path.lower().endswith(".json")


def peek(db_path: str) -> dict[str, Any] | None:
    """The tables of a database file as they are on disk, or None when it is missing or is not
    a JSON object. Never raises and takes no lock: databases are only ever replaced whole."""
    try:
        with open(db_path, "rb") as fh:
            tables = json.loads(fh.read().decode("utf-8"))
    except (OSError, ValueError):  # ValueError covers bad UTF-8 and bad JSON
        return None
    return tables if isinstance(tables, dict) else None


def owner(tables: dict[str, Any] | None) -> str | None:
    """The catalog path a database's `meta` says it was made for, if any."""
    meta = (tables or {}).get("meta")
    row = meta.get("1") if isinstance(meta, dict) else None
    catalog = row.get("catalog") if isinstance(row, dict) else None
    return catalog if isinstance(catalog, str) else None


@dataclass(frozen=True)
class Place:
    """Where one catalog's history is, and the folder it shares with other catalogs' histories."""

    db_path: str
    folder: str
    #: the database file `--db`/`NEGOTRACK_DB` named, when it named a file
    named: str | None = None
    #: what to tell the user (once): the named file belongs to another catalog
    notes: tuple[str, ...] = ()


def locate(catalog_path: str, db_option: str | None = None) -> Place:
    """The database of `catalog_path`: `db_option`, else $NEGOTRACK_DB, else the data folder.

    A folder holds `<folder>/<db_name(catalog)>`. A file is the database of the catalog its
    `meta` names (or of the first catalog to use it); another catalog's history goes to
    `<db_name(catalog)>` beside it, and the note saying so comes only while that database
    does not exist yet.
    """
    chosen = db_option or os.environ.get(ENV_DB)
    if not chosen:
        folder = data_folder()
        return Place(os.path.join(folder, db_name(catalog_path)), folder)
    path = os.path.abspath(os.path.expanduser(chosen))
    if names_a_folder(chosen) or names_a_folder(path):
        return Place(os.path.join(path, db_name(catalog_path)), path)
    folder = os.path.dirname(path)
    made_for = owner(peek(path))
    if made_for is None or same_catalog(made_for, catalog_path):
        return Place(path, folder, named=path)
    beside = os.path.join(folder, db_name(catalog_path))
    notes: tuple[str, ...] = ()
    if not os.path.lexists(beside) and not os.path.lexists(beside + ".lock"):
        notes = (f"the history database {path} holds the history of {made_for}; the history of "
                 f"{os.path.abspath(catalog_path)} is kept beside it, in {beside}",)
    return Place(beside, folder, named=path, notes=notes)


@dataclass(frozen=True)
class Known:
    """One catalog a folder of histories knows."""

    catalog: str | None  # the path its database was made for; None when unknown
    db_path: str
    versions: int
    last_snapshot: str | None  # when the newest version was recorded (UTC)
    last_hash: str | None
    last_visit: str | None  # when the dashboard last showed it (UTC)
    unreadable: bool = False

    @property
    def present(self) -> bool:
        """Whether a file is at the catalog's path now."""
        return self.catalog is not None and os.path.lexists(self.catalog)

    def as_dict(self) -> dict[str, Any]:
        return {"catalog": self.catalog, "database": self.db_path, "versions": self.versions,
                "last_snapshot": self.last_snapshot, "last_visit": self.last_visit,
                "present": self.present, "unreadable": self.unreadable}


def _known(db_path: str) -> Known:
    tables = peek(db_path)
    snapshots = (tables or {}).get("snapshots")
    state = (tables or {}).get("state")
    rows = snapshots if isinstance(snapshots, dict) else {}
    ids = sorted((int(k) for k in rows if k.isdigit() and isinstance(rows[k], dict)), reverse=True)
    last = rows[str(ids[0])] if ids else {}
    view = state.get("1") if isinstance(state, dict) else None
    visit = view.get("seen_at") if isinstance(view, dict) else None

    def text(value: Any) -> str | None:
        return value if isinstance(value, str) else None

    return Known(owner(tables), db_path, len(ids), text(last.get("taken_at")), text(last.get("hash")),
                 text(visit), unreadable=tables is None or not isinstance(snapshots, (dict, type(None))))


def known_catalogs(place: Place) -> list[Known]:
    """Every history in `place.folder` (the databases negotrack named there, and the named file),
    by catalog path. A database nobody has written yet is left out."""
    try:
        names = os.listdir(place.folder)
    except OSError:
        names = []
    paths = [os.path.join(place.folder, n) for n in names if _DB_NAME.match(n)]
    if place.named is not None and place.named not in paths and os.path.isfile(place.named):
        paths.append(place.named)
    found = [_known(p) for p in paths if os.path.isfile(p)]
    return sorted(found, key=lambda k: (k.catalog or "\uffff", k.db_path))


def moved_here(place: Place, catalog_path: str, content_hash: str) -> list[Known]:
    """Histories whose catalog is gone from its path and whose newest version is this very
    content: the catalog at `catalog_path` is probably that one, moved or renamed."""
    return [k for k in known_catalogs(place)
            if k.catalog is not None and not k.present and k.last_hash == content_hash
            and not same_catalog(k.catalog, catalog_path) and os.path.abspath(k.db_path) != os.path.abspath(place.db_path)]


def adopt(place: Place, catalog_path: str, old_path: str, content_hash: str) -> Known:
    """Give the catalog at `catalog_path` the history recorded for `old_path`.

    Refused (AdoptError) unless the folder has a history of `old_path`, no file is at
    `old_path` any more, the newest version in that history has `content_hash` (the catalog's
    content now), and `catalog_path` has no history of its own beyond that same version. The
    history is relabelled in place when it is the named database file; otherwise its blobs are
    linked (or copied) next to `catalog_path`'s database, that database is written whole, and
    only then is the old database removed, so a crash at any moment leaves a usable history.
    """
    old = next((k for k in known_catalogs(place) if k.catalog is not None and catalog_key(k.catalog) == catalog_key(old_path)), None)
    if old is None:
        raise AdoptError(f"no history of {os.path.abspath(old_path)} in {place.folder}; "
                         "`negotrack history --all` lists the catalogs it knows")
    if os.path.lexists(old_path):
        raise AdoptError(f"{old_path} is still there, so its history stays with it; "
                         "adopt only the history of a catalog that was moved or renamed")
    target = place.named if place.named is not None and os.path.abspath(old.db_path) == place.named else place.db_path
    with contextlib.ExitStack() as held:
        for lock in sorted({old.db_path + ".lock", target + ".lock"}):  # one order: no deadlock
            held.enter_context(FileLock(lock))
        tables = peek(old.db_path)  # again, under the lock
        latest = _known(old.db_path)
        if tables is None or latest.catalog is None or catalog_key(latest.catalog) != catalog_key(old_path):
            raise AdoptError(f"the history of {old_path} changed meanwhile; run the command again")
        meta_row = tables["meta"]["1"]
        if not isinstance(meta_row.get("schema", 1), int) or meta_row.get("schema", 1) > 1:
            raise AdoptError(f"the history of {old_path} was written by a newer negotrack; adopt it with that version")
        if latest.last_hash != content_hash:
            raise AdoptError(
                f"{catalog_path} is not the last version recorded for {old_path} (snapshot {latest.versions}); "
                f"to keep that history, put the file back at {old_path}, run `negotrack record {old_path}`, "
                "move it again, then adopt")
        if target != old.db_path:
            mine = _known(target)
            if mine.versions > 1 or (mine.versions == 1 and mine.last_hash != content_hash):
                raise AdoptError(f"{catalog_path} already has a history of its own ({mine.versions} versions, in {target}); "
                                 "it is not replaced")
        meta_row["catalog"] = os.path.abspath(catalog_path)
        if target != old.db_path:
            _link_blobs(old.db_path + ".blobs", target + ".blobs")
        atomic_write(target, dumps(tables))  # blobs before the rows that name them
        if target != old.db_path:
            _remove_database(old.db_path)
    return _known(target)


def _link_blobs(source: str, target: str) -> None:
    """Make every blob of `source` available in `target` (a hard link, or a copy across devices)."""
    try:
        names = [n for n in os.listdir(source) if _BLOB_NAME.match(n)]
    except FileNotFoundError:
        return
    os.makedirs(target, mode=0o700, exist_ok=True)
    for name in names:
        dest = os.path.join(target, name)
        if os.path.exists(dest):  # content-addressed: the same name is the same bytes
            continue
        try:
            os.link(os.path.join(source, name), dest)
        except OSError:
            with open(os.path.join(source, name), "rb") as fh:
                atomic_write(dest, fh.read())
    fsync_dir(target)


def _remove_database(db_path: str) -> None:
    """Remove a database that now lives elsewhere: its file, its cache of the latest version and
    its blobs (its lock file stays, since another process may hold it)."""
    os.unlink(db_path)
    fsync_dir(os.path.dirname(db_path))
    remove_cache(db_path + ".latest")
    blobs = db_path + ".blobs"
    try:
        names = os.listdir(blobs)
    except FileNotFoundError:
        return
    for name in names:
        if _BLOB_NAME.match(name):
            os.unlink(os.path.join(blobs, name))
    try:
        os.rmdir(blobs)
    except OSError:  # something else is in there: not ours to remove
        pass


class OnDisk:
    """A catalog and the bytes it was read from, for `History.record(..., current=...)`.

    Called under the database lock, it reads the file again: the same bytes give the same
    catalog; other bytes give the catalog they hold now (`reparse=True`, for a one-shot
    `negotrack record`) or None (`reparse=False`, for the dashboard, which reloads on every
    save and records that version next). A file that is gone or now has errors gives None.
    `dropped` then says why nothing was recorded.
    """

    def __init__(self, path: str, data: bytes, catalog: Catalog, *, reparse: bool = True) -> None:
        self.path, self.data, self.catalog, self.reparse = path, data, catalog, reparse
        self.dropped: str | None = None
        #: the problems of the newer version when it has errors (empty when it could not be read)
        self.problems: list[Problem] = []
        #: True when what was recorded is not what was read first (the file changed meanwhile)
        self.reread = False

    def __call__(self) -> Catalog | None:
        try:
            with open(self.path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            self.dropped = f"{self.path} could not be read again before recording ({exc.strerror or exc})"
            return None
        if data == self.data:
            return self.catalog
        if not self.reparse:
            self.dropped = f"{self.path} changed while its history was busy; its newer version is recorded next"
            return None
        catalog, problems = parse_catalog(data, self.path)
        if catalog is None:
            self.problems = problems
            self.dropped = f"{self.path} changed while waiting to record and now has errors; nothing recorded"
            return None
        self.data, self.catalog, self.reread = data, catalog, True
        return catalog
