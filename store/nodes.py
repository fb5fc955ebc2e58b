"""Reading composed YAML nodes for the catalog builder: typed accessors that report problems.

Every accessor takes the node and a short description of what it should be (used in the
message), and returns the value or None after recording a `Problem` at the node's line and
column. Nothing here knows what a party or a round is; `definitions.py` and `rounds.py` do.
"""

from __future__ import annotations

import datetime as dt
import re

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem, did_you_mean
from .yamlread import HARMLESS_TAGS, MAP, PLAIN, SEQ, STR, is_null, kind_name, tag_problem

ID = re.compile(r"[A-Za-z0-9_-]+\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")

Entries = dict[str, tuple[Node, Node]]


def plain_entries(node: Node) -> Entries | None:
    """The entries of a plain mapping whose keys are all plain words, none repeated; None for
    anything else (empty, tagged, odd keys, duplicates), which `NodeReader.mapping` then checks
    and explains. The positions of a round are thousands of such mappings."""
    if type(node) is not MappingNode or node.tag != MAP:
        return None
    entries = {}
    for key, value in node.value:
        if type(key) is not ScalarNode or (key.tag != PLAIN and key.tag != STR):
            return None
        entries[key.value] = (key, value)
    return entries if len(entries) == len(node.value) else None


class NodeReader:
    """Problems and typed node accessors, shared by every part of the builder."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        #: (kind, id, node) of every id used, checked once all definitions are known
        self._pending_refs: list[tuple[str, str, Node]] = []

    # -- reporting -------------------------------------------------------------------

    def error(self, node: Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.file, mark.line + 1, mark.column + 1, message))

    def _tag_ok(self, node: Node) -> bool:
        if node.tag in (PLAIN, STR, SEQ, MAP) or node.tag in HARMLESS_TAGS:
            return True
        # Tags are reported before composing (yamlread); this only refuses to read the node.
        mark = node.start_mark
        problem = tag_problem(self.file, mark.line + 1, mark.column + 1, node.tag)
        if problem not in self.problems:
            self.problems.append(problem)
        return False

    def refer(self, kind: str, value: str, node: Node) -> None:
        """Note that `value` must be a defined `kind` id (checked by `check_references`)."""
        self._pending_refs.append((kind, value, node))

    # -- node accessors -------------------------------------------------------------------

    def mapping(self, node: Node, what: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> Entries | None:
        """A mapping's entries by key, after checking duplicates, unknown and missing keys."""
        if not self._tag_ok(node):
            return None
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} must be a mapping of keys, not {kind_name(node)}")
            return None
        entries = self.entries(node, what)
        for key, (knode, _) in entries.items():
            if allowed and key not in allowed:
                self.error(knode, f"unknown key `{key}` in {what}{did_you_mean(key, allowed)} (allowed: {', '.join(allowed)})")
        for key in required:
            if key not in entries or is_null(entries[key][1]):
                self.error(node, f"{what} is missing the required key `{key}`")
        return entries

    def entries(self, node: MappingNode, what: str) -> Entries:
        entries: Entries = {}
        for knode, vnode in node.value:
            if not isinstance(knode, ScalarNode) or not self._tag_ok(knode):
                if isinstance(knode, (MappingNode, SequenceNode)):
                    self.error(knode, f"a key in {what} must be a plain word, not {kind_name(knode)}")
                continue
            key = knode.value
            if key in entries:
                first = entries[key][0].start_mark
                self.error(knode, f"duplicate key `{key}` in {what}: also at line {first.line + 1}; a key may appear only once")
                continue
            entries[key] = (knode, vnode)
        return entries

    def text(self, node: Node | None, what: str) -> str | None:
        if node is None or is_null(node):
            return None
        if not self._tag_ok(node):
            return None
        if not isinstance(node, ScalarNode):
            self.error(node, f"{what} must be text, not {kind_name(node)}")
            return None
        return node.value

    def field(self, entries: Entries, key: str, what: str) -> str | None:
        """The text of `key` in `entries`, or None when absent (problems recorded)."""
        return self.text(entries[key][1], f"`{key}` of {what}") if key in entries else None

    def ident(self, node: Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is None:
            self.error(node, f"{what} is missing")
            return None
        if not ID.match(value):
            self.error(node, f"{what} `{value}` may only contain letters, digits, `-` and `_`")
        return value

    def party_ref(self, entries: Entries, key: str, what: str) -> str | None:
        """An optional party id under `key` (such as `according_to`), checked once all parties are known."""
        if key not in entries:
            return None
        node = entries[key][1]
        value = self.ident(node, f"`{key}` of {what}")
        if value is not None:
            self.refer("party", value, node)
        return value

    def date(self, node: Node | None, what: str) -> dt.date | None:
        value = self.text(node, what)
        if value is None or node is None:
            return None
        if _DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError as exc:
                self.error(node, f"{what} `{value}` is not a real date ({exc})")
                return None
        self.error(node, f"{what} `{value}` is not an ISO date; write it as YYYY-MM-DD, e.g. 2024-02-23")
        return None

    def choice(self, entries: Entries, key: str, what: str, choices: tuple[str, ...]) -> str | None:
        """An optional word under `key` that must be one of `choices`."""
        value = self.field(entries, key, what)
        if value is not None and value not in choices:
            self.error(entries[key][1], f"{key} `{value}` of {what} is not one of: {', '.join(choices)}{did_you_mean(value, choices)}")
            return None
        return value

    def seq(self, node: Node, what: str) -> list[Node]:
        if is_null(node):
            return []
        if not isinstance(node, SequenceNode) or not self._tag_ok(node):
            self.error(node, f"{what} must be a list, not {kind_name(node)}")
            return []
        return node.value

    def texts(self, entries: Entries, key: str, what: str, item: str) -> tuple[str, ...]:
        """An optional list of text under `key` (keywords, aliases); empty items are skipped."""
        if key not in entries:
            return ()
        return tuple(t for t in (self.text(n, item) for n in self.seq(entries[key][1], what)) if t)

    def id_list(self, node: Node | None, what: str, kind: str) -> tuple[str, ...]:
        if node is None or is_null(node):
            return ()
        if isinstance(node, ScalarNode):
            items = [node]
        elif isinstance(node, SequenceNode) and self._tag_ok(node):
            items = node.value
        else:
            self.error(node, f"{what} must be a list of {kind} ids, not {kind_name(node)}")
            return ()
        ids = []
        for item in items:
            value = self.ident(item, f"{kind} id")
            if value is not None:
                ids.append(value)
                self.refer(kind, value, item)
        return tuple(ids)

    def sources_of(self, entries: Entries, what: str) -> tuple[str, ...] | None:
        """`source: id` or `sources: [ids]`; None when neither is given."""
        if "source" in entries and "sources" in entries:
            self.error(entries["sources"][0], f"{what} has both `source` and `sources`; keep one")
        if "sources" in entries:
            return self.id_list(entries["sources"][1], f"`sources` of {what}", "source")
        if "source" in entries:
            node = entries["source"][1]
            if isinstance(node, SequenceNode):
                return self.id_list(node, f"`source` of {what}", "source")
            value = self.ident(node, "source id")
            if value is None:
                return None
            self.refer("source", value, node)
            return (value,)
        return None
