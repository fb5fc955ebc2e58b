"""A catalog's document and content hash, built round by round (docs/history.md, "Recording
round by round"): a round whose text and definitions did not change since the last catalog is
not looked at again. Used by `History`; a pure in-memory cache, no file is touched here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .changes import catalog_doc, catalog_head, round_positions_doc
from .history_rows import doc_to_hash, hash_of, sha256_of
from .model import Catalog


@dataclass(slots=True)
class RoundEntry:
    """What one round meant when its text last had `text_digest` under definitions `context`."""

    text_digest: str
    context: str
    part: dict[str, Any]  # round_positions_doc of the round
    digest: str  # sha256_of(part); "" when the round has no positions


@dataclass(slots=True)
class Version:
    """A catalog's document and content hash; `rounds` splits its positions by round (round id
    -> that round's entries, the same dicts as the previous version's for rounds that did not
    change), None when the document was not built round by round."""

    catalog: Catalog | None
    doc: dict[str, Any]
    hash: str
    rounds: dict[str, dict[str, Any]] | None


class RoundCache:
    """Per round id, what the round meant the last time a catalog was turned into a document."""

    def __init__(self) -> None:
        self.current: Version | None = None
        self._entries: dict[str, RoundEntry] = {}

    def clear(self) -> None:
        self.current, self._entries = None, {}

    def version_of(self, catalog: Catalog) -> Version:
        """The document and content hash of `catalog`, built round by round.

        A round whose text digest (from the loader) and the definitions it was read under are
        what they were last time is not looked at again: its positions and their digest are
        reused as they are (see docs/history.md for why that is safe).
        """
        if self.current is not None and self.current.catalog is catalog:
            return self.current
        ids = [r.id for r in catalog.rounds]
        if len(set(ids)) != len(ids) or any("/" in rid for rid in ids):
            # Not a loaded catalog (the loader refuses both): positions would not split by round.
            doc = catalog_doc(catalog)
            self._entries = {}
            self.current = Version(catalog, doc, doc_to_hash(doc), None)
            return self.current
        head = catalog_head(catalog)
        # Positions are read in the light of the demands (a number or a stance); parties and
        # sources only validate them, but any change of definitions re-reads every round.
        context = sha256_of([head["parties"], head["demands"], head["sources"]])
        previous, entries = self._entries, {}
        positions: dict[str, Any] = {}
        rounds: dict[str, dict[str, Any]] = {}
        digests: dict[str, str] = {}
        for r in catalog.rounds:
            entry = previous.get(r.id)
            if entry is None or not r.text_digest or entry.text_digest != r.text_digest or entry.context != context:
                part = round_positions_doc(r)
                entry = RoundEntry(r.text_digest, context, part, sha256_of(part) if part else "")
            entries[r.id] = entry
            rounds[r.id] = entry.part
            if entry.part:
                positions.update(entry.part)
                digests[r.id] = entry.digest
        self._entries = entries
        head["positions"] = positions
        self.current = Version(catalog, head, hash_of(head, digests), rounds)
        return self.current
