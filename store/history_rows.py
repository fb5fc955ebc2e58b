"""What the history store keeps, as plain data: snapshot rows, view state, content hashes and
the one-line summaries of a delta (the pure half of `store/history.py`; see docs/history.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from tinydb.table import Document

from .changes import SECTIONS, Change, catalog_doc
from .model import Catalog
from .storage import StorageError

#: version of the database layout; a database from a newer negotrack is left alone
SCHEMA = 1

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


def canonical(value: Any) -> bytes:
    """The canonical JSON of `value` (sorted keys, no spaces, ASCII): what content hashes hash."""
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256_of(value: Any) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def hash_of(head: dict[str, Any], round_digests: dict[str, str]) -> str:
    """The content hash from a document without its positions and the digest of each round's
    positions (`_sha256` of them; rounds without positions have none)."""
    return sha256_of({"head": {k: v for k, v in head.items() if k != "positions"}, "positions": round_digests})


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
    return hash_of(doc, {rid: sha256_of(part) for rid, part in rounds.items()})


def catalog_to_hash(catalog: Catalog) -> str:
    """The content hash of a catalog: equal for two files that mean the same."""
    return doc_to_hash(catalog_doc(catalog))


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


def check_tables(tables: dict[str, dict[str, Any]] | None) -> None:
    """Raise StorageError unless every snapshot row is one this version can use."""
    for doc_id, row in (tables or {}).get("snapshots", {}).items():
        _check_row(doc_id, row)

