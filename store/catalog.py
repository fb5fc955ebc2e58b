"""YAML -> Catalog: every rule of the format, every problem with its file, line and column.

`load_catalog(path)` and `parse_catalog(data, file)` return `(catalog_or_None, problems)`.
The catalog is None whenever there is an error; all problems are collected in one pass.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
from types import MappingProxyType

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .model import ROLES, STATUSES, Catalog, Demand, Party, Position, Report, Round, Source, Value
from .problems import Problem, did_you_mean
from .yamlread import HARMLESS_TAGS, MAP, NULLS, PLAIN, SEQ, STR, as_bool, as_number, compose, decode, is_null, kind_name, paused_gc, tag_problem

TOP_KEYS = ("format", "title", "description", "parties", "demands", "sources", "rounds")
PARTY_KEYS = ("name", "role", "note")
DEMAND_KEYS = ("title", "note", "keywords", "scale", "unit")
SOURCE_KEYS = ("outlet", "date", "title", "url", "note")
ROUND_KEYS = ("id", "date", "venue", "title", "summary", "sources", "positions")
POSITION_KEYS = ("stance", "value", "withdrawn", "status", "note", "quote", "source", "sources", "disputed")
_POSITION_KEY_SET = frozenset(POSITION_KEYS)
DISPUTED_KEYS = ("stance", "value", "source", "sources", "note")
FORMAT_VERSION = 1

_ID = re.compile(r"[A-Za-z0-9_-]+\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def load_catalog(path: str | os.PathLike[str]) -> tuple[Catalog | None, list[Problem]]:
    """Read and check the catalog at `path`; the file is opened read-only and never written.

    An unreadable file is one problem at line 1, column 1; it never raises.
    """
    file = os.fspath(path)
    try:
        with open(file, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return None, [Problem(file, 1, 1, f"cannot read the file: {reason}")]
    return parse_catalog(data, file)


def parse_catalog(data: bytes | str, file: str = "<catalog>") -> tuple[Catalog | None, list[Problem]]:
    """Check catalog text (bytes must be UTF-8) and build the model if it has no error."""
    if isinstance(data, bytes):
        text, problems = decode(data, file)
        if text is None:
            return None, problems
    else:
        text = data
    with paused_gc():
        composed = compose(text, file)
        if composed.root is None:
            return None, composed.problems
        builder = _Builder(file, text)
        catalog = builder.build(composed.root)
        del composed  # the node tree goes before the caller analyses the model
    problems = sorted(builder.problems, key=lambda p: (p.line, p.column))
    return (None if problems else catalog), problems


def _quick_reading(node: Node, demand: Demand) -> tuple[str | None, Value | None] | None:
    """The (stance, value) of a short-form position that is plainly valid, else None.

    Most positions are a bare stance, number or `[low, high]`; this reads exactly those
    (untagged, non-empty, on the scale, numbers low <= high) without building messages.
    Anything else, valid or not, returns None and goes through `_Builder.reading`, which
    reports what is wrong; for what it accepts, both give the same result.
    """
    cls = type(node)
    if cls is ScalarNode:
        tag, text = node.tag, node.value
        if demand.unit is not None and demand.scale is None:  # kind "number"
            if tag == PLAIN:
                number = as_number(node)
                if number is not None:
                    return None, Value(number, number)
            return None
        if tag == STR or (tag == PLAIN and text not in NULLS):
            if demand.scale is None or text in demand.scale:
                return text, None
        return None
    if cls is SequenceNode and node.tag == SEQ and demand.unit is not None and demand.scale is None:
        items = node.value
        if len(items) == 2:
            low_node, high_node = items
            if type(low_node) is ScalarNode and type(high_node) is ScalarNode and low_node.tag == PLAIN and high_node.tag == PLAIN:
                low, high = as_number(low_node), as_number(high_node)
                if low is not None and high is not None and low <= high:
                    return None, Value(low, high)
    return None


def _plain_entries(node: Node) -> dict[str, tuple[Node, Node]] | None:
    """The entries of a plain mapping whose keys are all plain words, none repeated; None for
    anything else (empty, tagged, odd keys, duplicates), which `_Builder.mapping` then checks
    and explains. The positions of a round are thousands of such mappings."""
    if type(node) is not MappingNode or node.tag != MAP:
        return None
    entries = {}
    for key, value in node.value:
        if type(key) is not ScalarNode or (key.tag != PLAIN and key.tag != STR):
            return None
        entries[key.value] = (key, value)
    return entries if len(entries) == len(node.value) else None


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


class _Builder:
    """Walks the composed nodes once, building the model and collecting problems."""

    def __init__(self, file: str, text: str = "") -> None:
        self.file = file
        #: the whole text, for each round's text digest ("" gives no digests)
        self.source_text = text if text and _marks_index_characters() else ""
        self.problems: list[Problem] = []
        self.party_ids: dict[str, Node] = {}
        self.demands: dict[str, Demand] = {}
        self.source_ids: dict[str, Node] = {}
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

    # -- node accessors -------------------------------------------------------------------

    def mapping(self, node: Node, what: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> dict[str, tuple[Node, Node]] | None:
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

    def entries(self, node: MappingNode, what: str) -> dict[str, tuple[Node, Node]]:
        entries: dict[str, tuple[Node, Node]] = {}
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

    def ident(self, node: Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is None:
            self.error(node, f"{what} is missing")
            return None
        if not _ID.match(value):
            self.error(node, f"{what} `{value}` may only contain letters, digits, `-` and `_`")
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
                self._pending_refs.append((kind, value, item))
        return tuple(ids)

    def sources_of(self, entries: dict[str, tuple[Node, Node]], what: str) -> tuple[str, ...] | None:
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
            self._pending_refs.append(("source", value, node))
            return (value,)
        return None

    # -- the catalog -----------------------------------------------------------------

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
            if not _ID.match(key):
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
            m = knode.start_mark
            out.append(Party(pid, name or pid, role or "party", note, m.line + 1, m.column + 1))
        return tuple(out)

    def demand_list(self, node: Node | None) -> tuple[Demand, ...]:
        out = []
        for did, knode, vnode in self._definitions(node, "demands"):
            e = self.mapping(vnode, f"demand `{did}`", DEMAND_KEYS, ("title",))
            m = knode.start_mark
            if e is None:
                self.demands[did] = Demand(did, did, line=m.line + 1, column=m.column + 1)
                continue
            field = lambda k: self.text(e[k][1], f"`{k}` of demand `{did}`") if k in e else None  # noqa: E731
            scale = self.scale(e["scale"][1], did) if "scale" in e else None
            unit = field("unit")
            if scale is not None and unit is not None:
                self.error(e["unit"][0], f"demand `{did}` has both `scale` and `unit`; a demand is ordinal or numeric, not both")
                unit = None
            keywords = tuple(
                k for k in (self.text(n, "a keyword") for n in self._seq(e["keywords"][1], "`keywords`")) if k
            ) if "keywords" in e else ()
            demand = Demand(did, field("title") or did, field("note"), keywords, scale, unit, m.line + 1, m.column + 1)
            self.demands[did] = demand
            out.append(demand)
        return tuple(out)

    def _seq(self, node: Node, what: str) -> list[Node]:
        if is_null(node):
            return []
        if not isinstance(node, SequenceNode) or not self._tag_ok(node):
            self.error(node, f"{what} must be a list, not {kind_name(node)}")
            return []
        return node.value

    def scale(self, node: Node, did: str) -> tuple[str, ...] | None:
        items = self._seq(node, f"`scale` of demand `{did}`")
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
            field = lambda k: self.text(e[k][1], f"`{k}` of source `{sid}`") if k in e else None  # noqa: E731
            date = self.date(e["date"][1], f"date of source `{sid}`") if "date" in e else None
            m = knode.start_mark
            out.append(Source(sid, field("outlet") or sid, date, field("title"), field("url"), field("note"), m.line + 1, m.column + 1))
        return tuple(out)

    # -- rounds and positions -------------------------------------------------------------

    def rounds(self, node: Node | None) -> tuple[Round, ...]:
        if node is None:
            return ()
        out: list[Round] = []
        seen: dict[str, Node] = {}
        previous: tuple[dt.date, str] | None = None
        for item in self._seq(node, "`rounds`"):
            e = self.mapping(item, "a round", ROUND_KEYS, ("id", "date"))
            if e is None:
                continue
            rid = self.ident(e["id"][1], "round id") if "id" in e else None
            where = f"round `{rid}`" if rid else "this round"
            if rid is not None and rid in seen:
                first = seen[rid].start_mark
                self.error(e["id"][1], f"duplicate round id `{rid}`: also at line {first.line + 1}; give each round its own id")
            elif rid is not None:
                seen[rid] = e["id"][1]
            date = self.date(e["date"][1], f"date of {where}") if "date" in e else None
            if date is not None:
                if previous is not None and date < previous[0]:
                    self.error(
                        e["date"][1],
                        f"{where} is dated {date.isoformat()}, before the round above it (`{previous[1]}`, "
                        f"{previous[0].isoformat()}); list rounds in chronological order",
                    )
                previous = (date, rid or "?")
            field = lambda k: self.text(e[k][1], f"`{k}` of {where}") if k in e else None  # noqa: E731
            sources = self.id_list(e["sources"][1], f"`sources` of {where}", "source") if "sources" in e else ()
            positions = self.positions(e["positions"][1], rid or "?", sources) if "positions" in e else {}
            if rid is None or date is None:
                continue
            m = item.start_mark
            out.append(Round(rid, date, field("venue"), field("title"), field("summary"), sources,
                             MappingProxyType(positions), m.line + 1, m.column + 1, self.text_digest(item)))
        return tuple(out)

    def text_digest(self, node: Node) -> str:
        """A digest of the node's exact source text and of the column it starts at.

        The same text at the same column composes to the same node (anchors and aliases are
        refused, so nothing outside the span can be pulled in); so, for the same definitions,
        a round whose digest did not change means what it meant.
        """
        if not self.source_text:
            return ""
        start, end = node.start_mark, node.end_mark
        digest = hashlib.blake2b(f"{start.column}:".encode("ascii"), digest_size=16)
        digest.update(self.source_text[start.index:end.index].encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def positions(self, node: Node, rid: str, round_sources: tuple[str, ...]) -> dict[tuple[str, str], Position]:
        out: dict[tuple[str, str], Position] = {}
        if is_null(node):
            return out
        parties = _plain_entries(node) or self.mapping(node, f"`positions` of round `{rid}`", ())
        for pid, (pknode, pvnode) in (parties or {}).items():
            self._pending_refs.append(("party", pid, pknode))
            demands = _plain_entries(pvnode) or self.mapping(pvnode, f"the positions of `{pid}` in round `{rid}`", ())
            for did, (dknode, dvnode) in (demands or {}).items():
                demand = self.demands.get(did)
                if demand is None:
                    self._pending_refs.append(("demand", did, dknode))
                    continue
                position = self.position(dvnode, demand, pid, rid, round_sources, dknode)
                if position is not None:
                    out[(pid, did)] = position
        return out

    def position(self, node: Node, demand: Demand, pid: str, rid: str, round_sources: tuple[str, ...], knode: Node) -> Position | None:
        mark = knode.start_mark
        line, column = mark.line + 1, mark.column + 1
        quick = _quick_reading(node, demand)
        if quick is not None:
            return Position(pid, demand.id, rid, quick[0], quick[1], sources=round_sources,
                            short=True, line=line, column=column)
        where = f"`{pid}` on `{demand.id}` in round `{rid}`"
        if not isinstance(node, MappingNode):
            report = self.reading(node, demand, where)
            if report is None:
                return None
            return Position(pid, demand.id, rid, report.stance, report.value, sources=round_sources,
                            short=True, line=line, column=column)
        e = _plain_entries(node)
        if e is None or not _POSITION_KEY_SET.issuperset(e):
            e = self.mapping(node, f"the position of {where}", POSITION_KEYS)  # says what is wrong
        if e is None:
            return None
        withdrawn = False
        if "withdrawn" in e:
            flag = as_bool(e["withdrawn"][1]) if isinstance(e["withdrawn"][1], ScalarNode) else None
            if flag is None:
                self.error(e["withdrawn"][1], "`withdrawn` must be `true` or `false`")
            withdrawn = bool(flag)
        report = self.long_reading(node, e, demand, where, optional=withdrawn)
        status = self.text(e["status"][1], "`status`") if "status" in e else None
        if status is not None and status not in STATUSES:
            self.error(e["status"][1], f"status `{status}` is not one of: {', '.join(STATUSES)}{did_you_mean(status, STATUSES)}")
        sources = self.sources_of(e, f"the position of {where}")
        disputed = tuple(self.disputed(e["disputed"][1], demand, where)) if "disputed" in e else ()
        if report is None and not withdrawn:
            return None
        return Position(
            pid, demand.id, rid,
            stance=report.stance if report else None,
            value=report.value if report else None,
            withdrawn=withdrawn,
            status=status,
            note=self.text(e["note"][1], "`note`") if "note" in e else None,
            quote=self.text(e["quote"][1], "`quote`") if "quote" in e else None,
            sources=sources if sources is not None else round_sources,
            disputed=disputed,
            line=line,
            column=column,
        )

    def disputed(self, node: Node, demand: Demand, where: str) -> list[Report]:
        out = []
        for item in self._seq(node, f"`disputed` of {where}"):
            e = self.mapping(item, f"a disputed report of {where}", DISPUTED_KEYS)
            if e is None:
                continue
            report = self.long_reading(item, e, demand, f"a disputed report of {where}", optional=False)
            sources = self.sources_of(e, f"a disputed report of {where}") or ()
            note = self.text(e["note"][1], "`note`") if "note" in e else None
            if report is not None:
                m = item.start_mark
                out.append(Report(report.stance, report.value, sources, note, m.line + 1, m.column + 1))
        return out

    def long_reading(self, node: Node, e: dict[str, tuple[Node, Node]], demand: Demand, where: str, optional: bool) -> Report | None:
        wanted, other = ("value", "stance") if demand.kind == "number" else ("stance", "value")
        if other in e:
            kind = f"numeric (unit: {demand.unit})" if demand.kind == "number" else (
                "ordinal (it has a scale)" if demand.kind == "scale" else "free text")
            self.error(e[other][0], f"demand `{demand.id}` is {kind}: {where} takes `{wanted}`, not `{other}`")
            return None
        if wanted not in e or is_null(e[wanted][1]):
            if not optional:
                anchor = e[wanted][1] if wanted in e else node
                self.error(anchor, f"{where} needs `{wanted}` (or `withdrawn: true`)")
            return None
        return self.reading(e[wanted][1], demand, where)

    def reading(self, node: Node, demand: Demand, where: str) -> Report | None:
        """A stance or value, checked against the demand's kind."""
        if not self._tag_ok(node):
            return None
        if demand.kind == "number":
            value = self.value(node, demand, where)
            return Report(value=value) if value is not None else None
        stance = self.text(node, f"the stance of {where}")
        if stance is None:
            if isinstance(node, ScalarNode):  # a list or mapping was reported by text()
                self.error(node, f"the stance of {where} is empty")
            return None
        if demand.scale is not None and stance not in demand.scale:
            self.error(node, f"stance `{stance}` is not on the scale of `{demand.id}`: {', '.join(demand.scale)}{did_you_mean(stance, demand.scale)}")
            return None
        return Report(stance=stance)

    def value(self, node: Node, demand: Demand, where: str) -> Value | None:
        if isinstance(node, SequenceNode):
            if len(node.value) != 2:
                self.error(node, f"a range for {where} has two numbers, [low, high]; this one has {len(node.value)}")
                return None
            low, high = (self.number(n, where) for n in node.value)
            if low is None or high is None:
                return None
            if low > high:
                self.error(node, f"inverted range [{node.value[0].value}, {node.value[1].value}] for {where}; write it low to high: [{node.value[1].value}, {node.value[0].value}]")
                return None
            return Value(low, high)
        number = self.number(node, where)
        return None if number is None else Value(number, number)

    def number(self, node: Node, where: str) -> int | float | None:
        number = as_number(node) if isinstance(node, ScalarNode) else None
        if number is not None:
            return number
        shown = node.value if isinstance(node, ScalarNode) else kind_name(node)
        hint = ""
        if isinstance(node, ScalarNode):
            if re.fullmatch(r"[0-9]+\s*(:|to)\s*[0-9]+", node.value):
                hint = "; write a ratio as one number per captive (e.g. 3), or a range [low, high]"
            elif re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+", node.value):
                hint = f"; write it without separators: {node.value.replace(',', '')}"
            elif node.tag == STR and as_number(ScalarNode(PLAIN, node.value)) is not None:
                hint = "; remove the quotes"
        self.error(node, f"`{shown}` is not a number for {where}{hint}")
        return None
