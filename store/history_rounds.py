"""A catalog's document and content hash, built round by round (docs/history.md, "Recording
round by round"): a round whose text and definitions did not change since the last catalog is
not looked at again. Used by `History`; a pure in-memory cache, no file is touched here (the
entries a new process starts from come through `seed`, from `history_latest`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Callable

from .changes import catalog_doc, catalog_head, round_positions_doc
from .history_rows import canonical, doc_to_hash, hash_of, sha256_of
from .model import Catalog, Round


@dataclass(slots=True)
class RoundEntry:
    """What one round meant when its text last had `text_digest` under definitions `context`.

    An entry taken from the latest-version cache of an earlier process (`seed`) has no `part`
    in memory: the round of the last catalog that reused it is kept in `round`, and its part
    is made from that round the first time a whole document is needed (`Version.part`).
    """

    text_digest: str
    context: str
    part: dict[str, Any] | None  # round_positions_doc of the round; None: not made yet
    digest: str  # sha256_of(part); "" when the round has no positions
    round: Round | None = None  # what `part` is made from while it is None
    data: bytes | None = None  # canonical(part), kept until `history_latest` has written it


class Version:
    """A catalog's document and content hash.

    Built round by round (`entries`: round id -> RoundEntry, the same entries as the previous
    version's for rounds that did not change), the document without its positions is `head`
    and the whole document (`doc`) is put together only when asked for: recording and
    comparing go by the rounds' digests and read only the rounds that changed. Built from
    scratch (`entries` None), `doc` is there from the start.
    """

    __slots__ = ("catalog", "hash", "head", "entries", "_doc")

    def __init__(self, catalog: Catalog | None, hash: str, *, head: dict[str, Any] | None = None,
                 entries: dict[str, RoundEntry] | None = None, doc: dict[str, Any] | None = None) -> None:
        self.catalog = catalog
        self.hash = hash
        self.entries = entries
        self._doc = doc
        self.head = head if head is not None else {k: v for k, v in (doc or {}).items() if k != "positions"}

    def detached(self) -> "Version":
        """The same version without the catalog it was made from (what a cache may keep)."""
        copy = Version(None, self.hash, head=self.head, entries=self.entries, doc=self._doc)
        return copy

    def digests(self) -> dict[str, str] | None:
        """Round id -> digest of its positions ("" for none), in round order; None unless built round by round."""
        return None if self.entries is None else {rid: e.digest for rid, e in self.entries.items()}

    def part(self, rid: str) -> dict[str, Any]:
        """The positions of round `rid` (made now if its entry came from the cache of another process)."""
        assert self.entries is not None
        entry = self.entries[rid]
        if entry.part is None:
            if entry.round is None:  # pragma: no cover - a seeded entry is only used once a round took it
                raise LookupError(f"the positions of round {rid} are not known")
            entry.part, entry.round = round_positions_doc(entry.round), None
        return entry.part

    @property
    def rounds(self) -> dict[str, dict[str, Any]] | None:
        """Round id -> that round's entries of `positions` (each made if need be)."""
        return None if self.entries is None else {rid: self.part(rid) for rid in self.entries}

    @property
    def doc(self) -> dict[str, Any]:
        if self._doc is None:
            positions: dict[str, Any] = {}
            for rid in self.entries or {}:
                positions.update(self.part(rid))
            self._doc = {**self.head, "positions": positions}
        return self._doc


class RoundCache:
    """Per round id, what the round meant the last time a catalog was turned into a document.

    `seed`, when given, is asked once, the first time the cache is empty: the entries the last
    recorded version was made of, as an earlier process left them (see `history_latest`).
    `keep_data`: keep each new round's canonical JSON, hashed anyway, for that cache to write.
    """

    def __init__(self, seed: Callable[[], dict[str, RoundEntry] | None] | None = None, *, keep_data: bool = False) -> None:
        self.current: Version | None = None
        self._entries: dict[str, RoundEntry] = {}
        self._seed = seed
        #: keep the canonical JSON of the rounds made here (`RoundEntry.data`), for the cache
        self._keep_data = keep_data

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
            self.current = Version(catalog, doc_to_hash(doc), doc=doc)
            return self.current
        if not self._entries and self._seed is not None:
            seed, self._seed = self._seed, None
            self._entries = seed() or {}
        head = catalog_head(catalog)
        # Positions are read in the light of the demands (a number or a stance); parties and
        # sources only validate them, but any change of definitions re-reads every round.
        context = sha256_of([head["parties"], head["demands"], head["sources"]])
        previous, entries = self._entries, {}
        digests: dict[str, str] = {}
        for r in catalog.rounds:
            entry = previous.get(r.id)
            if entry is None or not r.text_digest or entry.text_digest != r.text_digest or entry.context != context:
                part = round_positions_doc(r)
                data = canonical(part) if part else b""
                entry = RoundEntry(r.text_digest, context, part, hashlib.sha256(data).hexdigest() if part else "",
                                   data=data if self._keep_data and part else None)
            elif entry.part is None:
                entry.round = r  # the newest catalog's: an older one is not kept alive for it
            entries[r.id] = entry
            if entry.digest:
                digests[r.id] = entry.digest
        self._entries = entries
        self.current = Version(catalog, hash_of(head, digests), head=head, entries=entries)
        return self.current
