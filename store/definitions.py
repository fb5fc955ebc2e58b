"""The definitions of a catalog (FORMAT.md "Keys"): parties, demands and sources.

They are read before the rounds, which refer to them by id.
"""

from __future__ import annotations

from yaml.nodes import Node, SequenceNode

from .model import ROLES, Demand, Party, Source
from .nodes import ID, NodeReader
from .problems import did_you_mean
from .yamlread import is_null

PARTY_KEYS = ("name", "role", "note", "aliases")
DEMAND_KEYS = ("title", "note", "keywords", "scale", "unit")
SOURCE_KEYS = ("outlet", "date", "title", "url", "note", "according_to", "archive")


class DefinitionsReader(NodeReader):
    """Builds parties, demands and sources, and remembers their ids for the rounds."""

    def __init__(self, file: str) -> None:
        super().__init__(file)
        self.party_ids: dict[str, Node] = {}
        #: party id -> role, for telling a claim from a position's own account
        self.roles: dict[str, str] = {}
        self.demands: dict[str, Demand] = {}
        self.source_ids: dict[str, Node] = {}
        #: source id -> its `according_to`, for the positions that cite it
        self.source_accounts: dict[str, str] = {}

    def _definitions(self, node: Node | None, what: str) -> list[tuple[str, Node, Node]]:
        if node is None or is_null(node):
            return []
        entries = self.mapping(node, f"`{what}`", ())
        if entries is None:
            return []
        if not entries:
            self.error(node, f"`{what}` is empty; define at least one")
        out = []
        for key, (knode, vnode) in entries.items():
            if not ID.match(key):
                self.error(knode, f"id `{key}` may only contain letters, digits, `-` and `_`")
            out.append((key, knode, vnode))
        return out

    def parties(self, node: Node | None) -> tuple[Party, ...]:
        out = []
        for pid, knode, vnode in self._definitions(node, "parties"):
            self.party_ids[pid] = knode
            e = self.mapping(vnode, f"party `{pid}`", PARTY_KEYS, ("name",))
            if e is None:
                continue
            role = self.text(e["role"][1], "`role`") if "role" in e else None
            if role is not None and role not in ROLES:
                self.error(e["role"][1], f"role `{role}` of party `{pid}` is not one of: {', '.join(ROLES)}{did_you_mean(role, ROLES)}")
                role = None
            name = self.text(e["name"][1], "`name`") if "name" in e else None
            note = self.text(e["note"][1], "`note`") if "note" in e else None
            aliases = self.texts(e, "aliases", f"`aliases` of party `{pid}`", "an alias")
            m = knode.start_mark
            self.roles[pid] = role or "party"
            out.append(Party(pid, name or pid, role or "party", note, aliases, m.line + 1, m.column + 1))
        return tuple(out)

    def demand_list(self, node: Node | None) -> tuple[Demand, ...]:
        out = []
        for did, knode, vnode in self._definitions(node, "demands"):
            e = self.mapping(vnode, f"demand `{did}`", DEMAND_KEYS, ("title",))
            m = knode.start_mark
            if e is None:
                self.demands[did] = Demand(did, did, line=m.line + 1, column=m.column + 1)
                continue
            what = f"demand `{did}`"
            scale = self.scale(e["scale"][1], did) if "scale" in e else None
            unit = self.field(e, "unit", what)
            if scale is not None and unit is not None:
                self.error(e["unit"][0], f"demand `{did}` has both `scale` and `unit`; a demand is ordinal or numeric, not both")
                unit = None
            keywords = self.texts(e, "keywords", "`keywords`", "a keyword")
            demand = Demand(did, self.field(e, "title", what) or did, self.field(e, "note", what), keywords, scale, unit, m.line + 1, m.column + 1)
            self.demands[did] = demand
            out.append(demand)
        return tuple(out)

    def scale(self, node: Node, did: str) -> tuple[str, ...] | None:
        items = self.seq(node, f"`scale` of demand `{did}`")
        stances: list[str] = []
        for item in items:
            stance = self.text(item, "a stance")
            if stance is None:
                self.error(item, f"a stance on the scale of `{did}` is empty")
            elif stance in stances:
                self.error(item, f"stance `{stance}` appears twice on the scale of `{did}`; stances must be distinct")
            else:
                stances.append(stance)
        if isinstance(node, SequenceNode) and len(items) < 2:
            self.error(node, f"the scale of `{did}` needs at least two stances, low to high")
        return tuple(stances) if len(stances) >= 2 else None

    def source_list(self, node: Node | None) -> tuple[Source, ...]:
        out = []
        for sid, knode, vnode in self._definitions(node, "sources"):
            self.source_ids[sid] = knode
            e = self.mapping(vnode, f"source `{sid}`", SOURCE_KEYS, ("outlet",))
            if e is None:
                continue
            what = f"source `{sid}`"
            date = self.date(e["date"][1], f"date of source `{sid}`") if "date" in e else None
            account = self.party_ref(e, "according_to", what)
            if account is not None:
                self.source_accounts[sid] = account
            m = knode.start_mark
            out.append(Source(
                sid, self.field(e, "outlet", what) or sid, date, self.field(e, "title", what),
                self.field(e, "url", what), self.field(e, "note", what), account,
                self.field(e, "archive", what), m.line + 1, m.column + 1,
            ))
        return tuple(out)
