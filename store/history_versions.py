"""Any version of a catalog rebuilt from the nearest full document plus the deltas after it,
with the last few kept in memory (docs/history.md, "How versions are rebuilt"). Used by
`History`, which holds the lock; reads blobs, never writes.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from tinydb.table import Document

from .changes import apply_changes
from .history_rounds import Version
from .history_rows import HistoryError, delta_to_changes
from .storage import BlobStore, StorageError

#: full documents kept in memory (the latest, and the one `version` rebuilt last)
DOC_CACHE_SIZE = 3


class Versions:
    def __init__(self, blobs: BlobStore) -> None:
        self._blobs = blobs
        #: a document, or a Version recorded here (round by round; its document is put
        #: together only when asked for)
        self._docs: OrderedDict[tuple[int, str], dict[str, Any] | Version] = OrderedDict()

    def clear(self) -> None:
        self._docs.clear()

    def split(self, key: tuple[int, str]) -> Version | None:
        """The cached Version of snapshot `key` (id, hash), if it was recorded round by round here."""
        value = self._docs.get(key)
        return value if isinstance(value, Version) and value.entries is not None else None

    def remember(self, key: tuple[int, str], doc: dict[str, Any] | Version) -> None:
        if isinstance(doc, Version):
            doc = doc.detached()  # the catalog it was made from is not kept alive for it
        self._docs[key] = doc
        self._docs.move_to_end(key)
        while len(self._docs) > DOC_CACHE_SIZE:
            self._docs.popitem(last=False)

    def row_delta(self, row: Document) -> list[dict[str, Any]]:
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

    def doc_at(self, rows: list[Document], index: int) -> dict[str, Any]:
        """Rebuild the document of rows[index] from the nearest cached or full document before it."""
        base: dict[str, Any] | None = None
        start = index
        problems: list[str] = []
        while start >= 0:
            row = rows[start]
            key = (int(row.doc_id), row["hash"])
            if key in self._docs:
                cached = self._docs[key]
                base = cached.doc if isinstance(cached, Version) else cached
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
            delta.extend(self.row_delta(row))
        # Replaying all deltas at once is the same as one by one (each change sets or removes a
        # key; the final order lists decide the order), and copies the document only once.
        if not delta and start == index and (int(rows[index].doc_id), rows[index]["hash"]) in self._docs:
            return base  # cached already (perhaps as a Version: kept as one)
        doc = apply_changes(base, delta_to_changes(delta)) if delta else base
        self.remember((int(rows[index].doc_id), rows[index]["hash"]), doc)
        return doc
