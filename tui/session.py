"""What the dashboard remembers between runs, through store.history (always off the UI thread).

The app calls these from thread workers only; History serializes its own calls.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # imported where they are used: the history (TinyDB, hashing, its own modules) is only
    # needed by the worker after the first frame, not by the dashboard's start
    from negotrack.store.changes import Change
    from negotrack.store.history import CellVersion, History, ViewState
    from negotrack.store.model import Catalog


@dataclass(frozen=True)
class Opening:
    """What the first load learned from the history: where the user was, and what changed since."""

    view: ViewState | None
    whats_new: tuple[Change, ...] = ()
    warnings: tuple[str, ...] = ()
    #: (round, party, demand) of every position that changed since the last visit
    fresh: frozenset[tuple[str, str, str]] = field(default_factory=frozenset)


class Session:
    def __init__(self, catalog_path: str, db_path: str | None) -> None:
        self.catalog_path = catalog_path
        self.db_path = db_path
        self.history: History | None = None
        self._hash: str | None = None

    def loaded(self, catalog: Catalog, first: bool, data: bytes | None = None) -> tuple[Opening | None, list[str]]:
        """Record `catalog`; on the first load also read the last visit. Returns warnings too.

        `data`: the bytes `catalog` was parsed from. Under the database lock the file is read
        again and, if it no longer holds them, this version is not recorded (the reload that
        follows the save records the newer one), so it never lands after a newer version
        another process recorded. Without `data` the bytes are taken now, which misses a save
        made while the catalog was being parsed.
        """
        from negotrack.store.changes import split_key
        from negotrack.store.history import History, HistoryError, OnDisk

        warnings: list[str] = []
        if self.history is None:
            self.history, opened = History.open(self.catalog_path, self.db_path)
            warnings += opened
        history = self.history
        on_disk = None
        try:
            if data is None:
                with open(self.catalog_path, "rb") as fh:
                    data = fh.read()
            on_disk = OnDisk(self.catalog_path, data, catalog, reparse=False)
        except OSError:  # gone again already: nothing to record
            pass
        opening = None
        if first:
            view = history.view_state()
            changes = history.changes_since(view.seen_hash if view else None, catalog)
            fresh = frozenset(split_key(c.key) for c in changes if c.section == "positions")
            warnings += [f"this catalog has no history yet, but {k.catalog} (no longer there) had this very version; "
                         f"to keep its history: negotrack history {self.catalog_path} --adopt {k.catalog}"
                         for k in history.moved_from(catalog)]
            opening = Opening(view, tuple(changes), tuple(warnings), fresh)
        if on_disk is not None:
            try:
                history.record(catalog, current=on_disk)
            except HistoryError as exc:
                warnings.append(str(exc))
        self._hash = history.content_hash(catalog)
        warnings += history.take_warnings()
        return opening, warnings

    def save_view(self, round_id: str | None, demand_id: str | None, party_id: str | None) -> None:
        if self.history is None or self._hash is None:
            return
        from negotrack.store.history import ViewState

        now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.history.save_view_state(ViewState(round_id, party_id, demand_id, self._hash, now))

    def cell_history(self, round_id: str, party_id: str, demand_id: str) -> list[CellVersion]:
        return self.history.cell_history(round_id, party_id, demand_id) if self.history else []

    def close(self) -> None:
        if self.history is not None:
            self.history.close()
