"""The rounds of a catalog and the positions in them (FORMAT.md "Keys", "Meaning", and the
additions of 1.1: whose account a position is, and round status)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from types import MappingProxyType

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .definitions import DefinitionsReader
from .accounts import AccountRules
from .model import ROUND_STATUSES, STATUSES, Demand, Position, Report, Round, Value
from .nodes import Entries, plain_entries
from .problems import did_you_mean
from .yamlread import NULLS, PLAIN, SEQ, STR, as_bool, as_number, is_null, kind_name

ROUND_KEYS = ("id", "date", "status", "venue", "title", "summary", "sources", "positions")
POSITION_KEYS = ("stance", "value", "withdrawn", "status", "note", "quote", "source", "sources",
                 "according_to", "speaker", "disputed")
_POSITION_KEY_SET = frozenset(POSITION_KEYS)
DISPUTED_KEYS = ("stance", "value", "source", "sources", "according_to", "speaker", "note")


def _quick_reading(node: Node, demand: Demand) -> tuple[str | None, Value | None] | None:
    """The (stance, value) of a short-form position that is plainly valid, else None.

    Most positions are a bare stance, number or `[low, high]`; this reads exactly those
    (untagged, non-empty, on the scale, numbers low <= high) without building messages.
    Anything else, valid or not, returns None and goes through `RoundsReader.reading`, which
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


class RoundsReader(AccountRules, DefinitionsReader):
    """Builds the rounds and their positions; the definitions must be read first."""

    def __init__(self, file: str, source_text: str = "") -> None:
        super().__init__(file)
        #: the whole text, for each round's text digest ("" gives no digests)
        self.source_text = source_text

    # -- rounds ------------------------------------------------------------------------

    def rounds(self, node: Node | None) -> tuple[Round, ...]:
        if node is None:
            return ()
        out: list[Round] = []
        seen: dict[str, Node] = {}
        previous: tuple[dt.date, str] | None = None
        for item in self.seq(node, "`rounds`"):
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
            status = self.choice(e, "status", where, ROUND_STATUSES)
            sources = self.id_list(e["sources"][1], f"`sources` of {where}", "source") if "sources" in e else ()
            positions = self.positions(e["positions"][1], rid or "?", sources) if "positions" in e else {}
            if rid is None or date is None:
                continue
            m = item.start_mark
            out.append(Round(
                rid, date, self.field(e, "venue", where), self.field(e, "title", where),
                self.field(e, "summary", where), sources, status or "reported",
                MappingProxyType(positions), m.line + 1, m.column + 1, self.text_digest(item),
            ))
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

    # -- positions -------------------------------------------------------------------------

    def positions(self, node: Node, rid: str, round_sources: tuple[str, ...]) -> dict[tuple[str, str], Position]:
        out: dict[tuple[str, str], Position] = {}
        if is_null(node):
            return out
        round_account = self.account(None, round_sources)
        parties = plain_entries(node) or self.mapping(node, f"`positions` of round `{rid}`", ())
        for pid, (pknode, pvnode) in (parties or {}).items():
            self.refer("party", pid, pknode)
            # a short-form position's account is its round's; worked out once per party
            short_account = (round_account, self.is_claim(pid, round_account))
            demands = plain_entries(pvnode) or self.mapping(pvnode, f"the positions of `{pid}` in round `{rid}`", ())
            for did, (dknode, dvnode) in (demands or {}).items():
                demand = self.demands.get(did)
                if demand is None:
                    self.refer("demand", did, dknode)
                    continue
                position = self.position(dvnode, demand, pid, rid, round_sources, dknode, short_account)
                if position is not None:
                    out[(pid, did)] = position
        return out

    def position(self, node: Node, demand: Demand, pid: str, rid: str, round_sources: tuple[str, ...],
                 knode: Node, short_account: tuple[str | None, bool]) -> Position | None:
        mark = knode.start_mark
        line, column = mark.line + 1, mark.column + 1
        quick = _quick_reading(node, demand)
        if quick is not None:
            return Position(pid, demand.id, rid, quick[0], quick[1], sources=round_sources, short=True,
                            according_to=short_account[0], claim=short_account[1], line=line, column=column)
        where = f"`{pid}` on `{demand.id}` in round `{rid}`"
        if not isinstance(node, MappingNode):
            report = self.reading(node, demand, where)
            if report is None:
                return None
            return Position(pid, demand.id, rid, report.stance, report.value, sources=round_sources, short=True,
                            according_to=short_account[0], claim=short_account[1], line=line, column=column)
        e = plain_entries(node)
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
        sources = sources if sources is not None else round_sources
        account = self.account(self.party_ref(e, "according_to", f"the position of {where}"), sources)
        disputed = tuple(self.disputed(e["disputed"][1], demand, pid, where)) if "disputed" in e else ()
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
            sources=sources,
            disputed=disputed,
            according_to=account,
            speaker=self.field(e, "speaker", f"the position of {where}"),
            claim=self.is_claim(pid, account),
            line=line,
            column=column,
        )

    def disputed(self, node: Node, demand: Demand, pid: str, where: str) -> list[Report]:
        out = []
        for item in self.seq(node, f"`disputed` of {where}"):
            what = f"a disputed report of {where}"
            e = self.mapping(item, what, DISPUTED_KEYS)
            if e is None:
                continue
            report = self.long_reading(item, e, demand, what, optional=False)
            sources = self.sources_of(e, what) or ()
            note = self.text(e["note"][1], "`note`") if "note" in e else None
            account = self.account(self.party_ref(e, "according_to", what), sources)
            speaker = self.field(e, "speaker", what)
            if report is not None:
                m = item.start_mark
                out.append(Report(report.stance, report.value, sources, note, account, speaker,
                                  self.is_claim(pid, account), m.line + 1, m.column + 1))
        return out

    def long_reading(self, node: Node, e: Entries, demand: Demand, where: str, optional: bool) -> Report | None:
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
