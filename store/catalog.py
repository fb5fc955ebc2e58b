"""YAML -> Catalog: every rule of the format, every problem with its file, line and column.

`load_catalog(path)` and `parse_catalog(data, file)` return `(catalog_or_None, problems)`.
The catalog is None whenever there is an error; all problems are collected in one pass.

The builder is split by what it reads, each module one part of FORMAT.md: `nodes.py` (typed
access to YAML nodes, problems), `definitions.py` (parties, demands, sources), `rounds.py`
(rounds and positions, whose account a position is); this module reads the top level.
"""

from __future__ import annotations

import functools
import os

from yaml.nodes import MappingNode, Node, ScalarNode

from .definitions import DEMAND_KEYS, PARTY_KEYS, SOURCE_KEYS
from .events import read_valid
from .model import Catalog
from .problems import Problem, did_you_mean
from .rounds import DISPUTED_KEYS, POSITION_KEYS, ROUND_KEYS, RoundsReader, _quick_reading
from .pauses import paused_gc
from .yamlread import as_number, compose, decode, kind_name

TOP_KEYS = ("format", "title", "description", "parties", "demands", "sources", "rounds")
FORMAT_VERSION = 1

__all__ = [
    "DEMAND_KEYS", "DISPUTED_KEYS", "FORMAT_VERSION", "PARTY_KEYS", "POSITION_KEYS", "ROUND_KEYS",
    "SOURCE_KEYS", "TOP_KEYS", "load_catalog", "parse_catalog", "read_catalog", "_quick_reading",
]


def load_catalog(path: str | os.PathLike[str]) -> tuple[Catalog | None, list[Problem]]:
    """Read and check the catalog at `path`; the file is opened read-only and never written.

    An unreadable file is one problem at line 1, column 1; it never raises.
    """
    catalog, problems, _ = read_catalog(path)
    return catalog, problems


def read_catalog(path: str | os.PathLike[str]) -> tuple[Catalog | None, list[Problem], bytes | None]:
    """`load_catalog`, with the bytes the catalog was parsed from (None when unreadable), for a
    caller that must know later whether the file still holds exactly them (the history)."""
    file = os.fspath(path)
    try:
        with open(file, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return None, [Problem(file, 1, 1, f"cannot read the file: {reason}")], None
    catalog, problems = parse_catalog(data, file)
    return catalog, problems, data


def parse_catalog(data: bytes | str, file: str = "<catalog>") -> tuple[Catalog | None, list[Problem]]:
    """Check catalog text (bytes must be UTF-8) and build the model if it has no error."""
    if isinstance(data, bytes):
        text, problems = decode(data, file)
        if text is None:
            return None, problems
    else:
        text = data
    with paused_gc():
        # A valid file is read straight from libyaml's events (store/events.py: the same
        # catalog, in about half the time); anything else, valid or not, by the reference
        # builder below, which explains every problem.
        catalog = read_valid(text, file, digests=_marks_index_characters())
        if catalog is not None:
            return catalog, []
        return _parse_reference(str(text), file)  # a big file's pieces joined, to explain it


def _parse_reference(text: str, file: str) -> tuple[Catalog | None, list[Problem]]:
    """The node-based reading: compose the tree (with the depth, anchor and tag defences),
    then build the model and collect every problem. The reference the event reader agrees
    with (tests/test_events.py); call it with the collector paused (`paused_gc`)."""
    composed = compose(text, file)
    if composed.root is None:
        return None, composed.problems
    builder = _Builder(file, text)
    catalog = builder.build(composed.root)
    del composed  # the node tree goes before the caller analyses the model
    problems = sorted(builder.problems, key=lambda p: (p.line, p.column))
    return (None if problems else catalog), problems


@functools.cache
def _marks_index_characters() -> bool:
    """True when the loader's marks count characters of the text (so a node's text is
    `text[start.index:end.index]`); checked once on a non-ASCII sample, since libyaml could
    count bytes. When not, rounds get no text digest and the history store recomputes them."""
    text = "t: \"é€😀\"\nr:\n  - id: x\n    n: 1\n"
    try:
        node = compose(text, "<self-test>").root.value[1][1].value[0]
    except Exception:  # noqa: BLE001 - any surprise means: do not rely on marks
        return False
    return text[node.start_mark.index:node.end_mark.index].rstrip() == "id: x\n    n: 1"


class _Builder(RoundsReader):
    """Walks the composed nodes once, building the model and collecting problems."""

    def __init__(self, file: str, text: str = "") -> None:
        super().__init__(file, text if text and _marks_index_characters() else "")

    def build(self, root: Node) -> Catalog | None:
        if not isinstance(root, MappingNode):
            self.error(root, f"the top level must be a mapping (title:, parties:, demands:, rounds:), not {kind_name(root)}")
            return None
        top = self.mapping(root, "the catalog", TOP_KEYS, ("title", "parties", "demands", "rounds"))
        if top is None:
            return None
        get = lambda key: top[key][1] if key in top else None  # noqa: E731
        if "format" in top:
            node = get("format")
            version = as_number(node) if isinstance(node, ScalarNode) else None
            if version != FORMAT_VERSION:
                self.error(node, f"format `{getattr(node, 'value', '?')}` is not supported; write `format: {FORMAT_VERSION}` (a number), the only version so far")
        title = self.text(get("title"), "`title`")
        description = self.text(get("description"), "`description`")
        # definitions first: rounds refer to them, and a position's account comes from its sources
        parties = self.parties(get("parties"))
        demands = self.demand_list(get("demands"))
        sources = self.source_list(get("sources"))
        rounds = self.rounds(get("rounds"))
        self.check_references()
        if title is None:
            return None
        return Catalog(self.file, title, parties, demands, rounds, sources, description)

    def check_references(self) -> None:
        known = {"party": self.party_ids, "demand": self.demands, "source": self.source_ids}
        for kind, value, node in self._pending_refs:
            if value not in known[kind]:
                section = {"party": "parties", "demand": "demands", "source": "sources"}[kind]
                self.error(node, f"unknown {kind} `{value}`{did_you_mean(value, list(known[kind]))}; define it under `{section}:`")
