"""The latest recorded version, kept where a new process reaches it cheaply (issue 13).

A new process used to rebuild the last version from its full-document blob and its deltas
(a 6.6 MB JSON parse at size L) and to make every round's positions again before its first
`record` could diff. Next to the database, in the folder `<db>.latest/`, this module keeps:

- `<sha256>.json`: the positions of one round (`round_positions_doc`), named by its digest
  (`sha256_of` of that dict, the digest the content hash is made of): their canonical JSON,
  the very bytes the digest is the sha256 of (made anyway for the hash, so writing it costs no
  serializing), then on a line of its own their keys in file order. Written once per content;
  a one-position edit writes the one round that changed.
- `<sha256>.json` as well: the document without its positions (`catalog_head`) as JSON in
  document order, named by `sha256_of` of it (checked by hashing it again when read).
- `latest.json`: which snapshot (id, content hash) of which catalog these make, the digest of
  the head, and per round its id, the loader's text digest and the digest of its positions;
  the definitions digest the rounds were read under; and a fingerprint of the code that made
  them. Its first line is the sha256 of the rest.

Everything here is a cache: written after the database, without fsync, and checked when read.
The header must name this catalog, this code, and the snapshot that is really last in the
database; the head and the digests must give that snapshot's content hash; a round's file must
hash to its digest. Anything else (missing, stale, truncated, damaged, another catalog's, an
older snapshot's) makes `History` take the slow path, never a wrong diff. Every write and the
removal of files no longer named happen under the database lock.

What a new process takes on trust is what `RoundCache` trusts within one process: that a round
with the same text digest, read under the same definitions, means the same positions (see
docs/history.md, "Why a kept round is never stale"). Across processes the code that reads a
round could differ, hence the fingerprint of the store's source in the header. The previous
version's side of a diff is checked in full: the head and digests against the snapshot's hash,
each round read against its digest.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass
from typing import Any, Callable

from .changes import Change, doc_changes_by_round
from .history_rounds import RoundEntry, Version
from .history_rows import canonical, hash_of, sha256_of
from .storage import atomic_write, dumps

#: the layout of `latest.json`; another one is ignored
FORMAT = 1
HEADER = "latest.json"
_NAME = re.compile(r"[0-9a-f]{64}\.json\Z")
_TEMP = re.compile(r"\..*\.tmp\Z")

_code: str | None = None


def code_fingerprint() -> str:
    """sha256 of the store package's source (and the Python and YAML versions): what turned a
    round's text into its positions. Another negotrack, even one edited in place, gets a
    fingerprint of its own, so its rounds are made again rather than taken from this cache."""
    global _code
    if _code is None:
        digest = hashlib.sha256(f"{FORMAT} {sys.version}".encode())
        try:
            import yaml

            digest.update(str(getattr(yaml, "__version__", "")).encode())
        except ImportError:  # pragma: no cover - yaml is a dependency
            pass
        here = os.path.dirname(os.path.abspath(__file__))
        for path in sorted(glob.glob(os.path.join(here, "*.py"))):
            try:
                with open(path, "rb") as fh:
                    digest.update(os.path.basename(path).encode() + b"\0" + fh.read() + b"\0")
            except OSError:
                digest.update(b"?")
        _code = digest.hexdigest()
    return _code


@dataclass(frozen=True)
class Header:
    """What `latest.json` says (checked for form, checksum, format, code and catalog)."""

    id: int
    hash: str
    head: str  # digest of the head
    context: str
    rounds: tuple[tuple[str, str, str], ...]  # (round id, text digest, digest of its positions)

    def digests(self) -> dict[str, str]:
        return {rid: digest for rid, _, digest in self.rounds}


@dataclass
class Split:
    """A version as its head and its rounds' digests; `part(rid)` reads a round's positions
    (raises CacheMiss when that cannot be done)."""

    head: dict[str, Any]
    digests: dict[str, str]
    part: Callable[[str], dict[str, Any]]


class CacheMiss(Exception):
    """What the cache holds cannot be used (the caller takes the slow path); `digest` names the
    file that was missing or damaged, if one was."""

    def __init__(self, message: str, digest: str | None = None) -> None:
        super().__init__(message)
        self.digest = digest


def split_of(version: Version) -> Split | None:
    digests = version.digests()
    return None if digests is None else Split(version.head, digests, version.part)


def split_changes(old: Split, new: Split) -> list[Change]:
    """`doc_changes(old doc, new doc)`, reading only the positions of rounds whose digests differ
    (equal digests: equal positions, the digest being the sha256 of their canonical JSON)."""
    same: dict[str, Any] = {}
    old_rounds: dict[str, dict[str, Any]] = {}
    new_rounds: dict[str, dict[str, Any]] = {}
    for rid, digest in old.digests.items():
        old_rounds[rid] = same if new.digests.get(rid) == digest else old.part(rid)
    for rid, digest in new.digests.items():
        new_rounds[rid] = same if old.digests.get(rid) == digest else new.part(rid)
    return doc_changes_by_round(old.head, new.head, old_rounds, new_rounds)


def _write(folder: str, name: str, data: bytes) -> None:
    """Replace `folder/name` atomically (temp file + rename), without fsync: a cache file that a
    power cut damages fails its check and is ignored."""
    atomic_write(os.path.join(folder, name), data, durable=False)


class LatestCache:
    """The cache folder `<db>.latest` of one database, made for one catalog (absolute path)."""

    def __init__(self, folder: str, catalog_path: str | None) -> None:
        self.folder = folder
        self.catalog_path = catalog_path

    # -- reading ------------------------------------------------------------------------------

    def header(self) -> Header | None:
        """The header, or None when there is none or it cannot be trusted."""
        try:
            with open(os.path.join(self.folder, HEADER), "rb") as fh:
                data = fh.read()
        except OSError:
            return None
        checksum, _, body = data.partition(b"\n")
        if hashlib.sha256(body).hexdigest().encode() != checksum:
            return None
        try:
            doc = json.loads(body.decode("utf-8"))
            if (doc["format"] != FORMAT or doc["code"] != code_fingerprint() or self.catalog_path is None
                    or doc["catalog"] != self.catalog_path):
                return None
            rounds = tuple((str(rid), str(text), str(digest)) for rid, text, digest in doc["rounds"])
            header = Header(int(doc["id"]), str(doc["hash"]), str(doc["head"]), str(doc["context"]), rounds)
        except (UnicodeDecodeError, ValueError, KeyError, TypeError):
            return None
        if len({rid for rid, _, _ in rounds}) != len(rounds):
            return None
        return header

    def _bytes(self, digest: str) -> bytes:
        if not _NAME.match(digest + ".json"):
            raise CacheMiss(f"bad name {digest!r}")
        try:
            with open(os.path.join(self.folder, digest + ".json"), "rb") as fh:
                return fh.read()
        except OSError as exc:
            raise CacheMiss(str(exc), digest) from exc

    def _read(self, digest: str) -> dict[str, Any]:
        """The head: its JSON (in document order), checked against its name."""
        try:
            value = json.loads(self._bytes(digest).decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise CacheMiss(str(exc), digest) from exc
        if not isinstance(value, dict) or sha256_of(value) != digest:
            raise CacheMiss(f"{digest}.json does not hold what its name says", digest)
        return value

    def discard(self, digest: str | None) -> None:
        """Remove a file found missing or damaged, so the next write makes it again (under the lock)."""
        if digest is not None and _NAME.match(digest + ".json"):
            try:
                os.unlink(os.path.join(self.folder, digest + ".json"))
            except OSError:
                pass

    def part(self, digest: str) -> dict[str, Any]:
        """The positions of a round with this digest ({} for ""), in file order; CacheMiss if
        not here intact. The file holds their canonical JSON (what the digest is the sha256 of)
        and, on a line of its own, their keys in file order."""
        if not digest:
            return {}
        data, _, order = self._bytes(digest).partition(b"\n")
        if hashlib.sha256(data).hexdigest() != digest:
            raise CacheMiss(f"{digest}.json does not hold what its name says", digest)
        try:
            value, keys = json.loads(data.decode("utf-8")), json.loads(order.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise CacheMiss(str(exc), digest) from exc
        if not (isinstance(value, dict) and isinstance(keys, list) and len(keys) == len(value)
                and all(isinstance(k, str) and k in value for k in keys)):
            raise CacheMiss(f"{digest}.json does not list its positions' order", digest)
        return {k: value[k] for k in keys}

    def _checked(self, last: tuple[int, str] | None) -> tuple[Header, dict[str, Any]] | None:
        """The header and the head, if the header is snapshot `last`'s (id, hash) and its head and
        digests give that very hash. Raises CacheMiss when the head's file is missing or damaged."""
        header = self.header()
        if header is None or last is None or (header.id, header.hash) != last:
            return None
        head = self._read(header.head)
        if hash_of(head, {rid: d for rid, _, d in header.rounds if d}) != header.hash:
            return None
        return header, head

    def seed(self, last: tuple[int, str] | None) -> dict[str, RoundEntry] | None:
        """The round entries of snapshot `last` (id, hash), if the cache holds that snapshot:
        what `RoundCache` starts from, parts left unread."""
        try:
            checked = self._checked(last)
        except CacheMiss:
            return None
        if checked is None:
            return None
        header = checked[0]
        return {rid: RoundEntry(text, header.context, None, digest) for rid, text, digest in header.rounds}

    def split(self, last: tuple[int, str]) -> Split | None:
        """Snapshot `last` (id, hash) as a Split, if the cache holds that snapshot; its rounds
        are read (and checked) when asked for. Raises CacheMiss when the head's file is missing
        or damaged."""
        checked = self._checked(last)
        if checked is None:
            return None
        header, head = checked
        digests = header.digests()
        return Split(head, digests, lambda rid: self.part(digests[rid]))

    # -- writing (under the database lock) ------------------------------------------------------

    def write(self, snapshot_id: int, version: Version) -> None:
        """Make the cache hold `version`, recorded as snapshot `snapshot_id`: the files of its
        rounds and head that are not here yet, then the header, then the files no header names
        any more are removed. Raises OSError (the caller ignores it: this is only a cache)."""
        entries = version.entries
        if entries is None or self.catalog_path is None:
            return
        current = self.header()
        if current is not None and (current.id, current.hash) == (snapshot_id, version.hash):
            for entry in entries.values():
                entry.data = None
            return
        os.makedirs(self.folder, mode=0o700, exist_ok=True)
        names = set(os.listdir(self.folder))
        head_digest = sha256_of(version.head)
        keep = {head_digest + ".json"}
        if head_digest + ".json" not in names:
            _write(self.folder, head_digest + ".json", dumps(version.head))
        context = ""
        for rid, entry in entries.items():
            context = entry.context
            if not entry.digest:
                continue
            name = entry.digest + ".json"
            keep.add(name)
            if name not in names:
                part = version.part(rid)
                data = entry.data if entry.data is not None else canonical(part)
                _write(self.folder, name, data + b"\n" + dumps(list(part)))
            entry.data = None
        body = dumps({
            "format": FORMAT, "code": code_fingerprint(), "catalog": self.catalog_path,
            "id": snapshot_id, "hash": version.hash, "head": head_digest, "context": context,
            "rounds": [[rid, e.text_digest, e.digest] for rid, e in entries.items()],
        })
        _write(self.folder, HEADER, hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
        for name in names:
            if (_NAME.match(name) and name not in keep) or _TEMP.match(name):
                try:
                    os.unlink(os.path.join(self.folder, name))
                except OSError:
                    pass


    def remove_stale_temps(self) -> None:
        """Delete temporary files a killed writer left in the folder (call with the lock held)."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if _TEMP.match(name):
                try:
                    os.unlink(os.path.join(self.folder, name))
                except OSError:
                    pass


def remove_cache(folder: str) -> None:
    """Remove a cache folder and the files this module writes there (for a database that is gone)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if _NAME.match(name) or _TEMP.match(name) or name == HEADER:
            try:
                os.unlink(os.path.join(folder, name))
            except OSError:
                pass
    try:
        os.rmdir(folder)
    except OSError:  # something else is in there: not ours to remove
        pass
