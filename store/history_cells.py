"""The edit history of each position, indexed once from the snapshots' deltas and extended as
new snapshots appear (`History.cell_history`); in memory only."""

from __future__ import annotations

from typing import Any, Callable

from tinydb.table import Document

from .history_rows import CellVersion, HistoryError


class CellIndex:
    def __init__(self) -> None:
        self._cells: dict[str, list[tuple[str, str, dict[str, Any] | None]]] = {}
        self._last: dict[str, dict[str, Any] | None] = {}
        self._upto: tuple[int, str] | None = None

    def versions(self, key: str) -> list[CellVersion]:
        """Each version of the position `key`, oldest first (position None: it went away)."""
        return [CellVersion(t, h, p) for t, h, p in self._cells.get(key, [])]

    def update(self, rows: list[Document], doc_at: Callable[[int], dict[str, Any]],
               row_delta: Callable[[Document], list[dict[str, Any]]], warn: Callable[[str], None]) -> None:
        """Bring the index up to date with `rows` (only rows after the last one indexed are read;
        `doc_at(index)` rebuilds a version, `row_delta(row)` reads a delta)."""
        start = 0
        if self._upto is not None:
            upto_id, upto_hash = self._upto
            at = next((i for i, r in enumerate(rows) if r.doc_id == upto_id), None)
            if at is not None and rows[at]["hash"] == upto_hash:
                start = at + 1
            else:  # the database was replaced (moved aside, or reset by another process)
                self._cells, self._last, self._upto = {}, {}, None
        for index in range(start, len(rows)):
            row = rows[index]
            stamp = (row["taken_at"], row["hash"])
            try:
                if row.get("delta") is None and row.get("delta_blob") is None:
                    positions = doc_at(index).get("positions", {})
                    updates = [(key, positions.get(key)) for key in {*self._last, *positions}]
                else:
                    updates = [
                        (c["key"], None if c["kind"] == "removed" else c.get("new"))
                        for c in row_delta(row) if c["section"] == "positions"
                    ]
            except HistoryError as exc:
                warn(f"edit history is incomplete: {exc}")
                updates = []
            for key, position in updates:
                if self._last.get(key) != position:
                    self._cells.setdefault(key, []).append((*stamp, position))
                    self._last[key] = position
            self._upto = (int(row.doc_id), row["hash"])
