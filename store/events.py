"""The catalog read straight from libyaml's event stream, for files that are plainly valid.

`read_valid(text, file, digests)` returns the same `Catalog` the node-based builder
(`catalog._Builder`, the reference) builds from the same text, or None as soon as it meets
anything it does not take: any problem the reference would report, and also what is valid but
unusual (an explicit tag such as `!!str`, `rounds:` above the definitions, a round's
`positions:` above its `id:` or `sources:`). `parse_catalog` then runs the reference, which
reports every problem with its line and column; so the problems never come from here, and
whatever this module accepts, the reference accepts as the same catalog (tests/test_events.py
checks both on every catalog under tests/data, the generated ones and thousands of mutations).

Why: composing builds a node (and two marks) for every scalar, and the builder walks the tree
again; events carry the same values and marks, and are read once. Nothing is expanded or
built from a tag: an anchor, alias or tag ends the reading here (the reference refuses them
before composing), and the nesting the schema allows is bounded, so no recursion here can go
deeper than a catalog does (runaway nesting is never read past its first unexpected level).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from types import MappingProxyType

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from .definitions import DEMAND_KEYS, PARTY_KEYS, SOURCE_KEYS
from .accounts import AccountRules
from .model import ROLES, ROUND_STATUSES, STATUSES, Catalog, Demand, Party, Position, Report, Round, Source, Value
from .nodes import _DATE, ID
from .rounds import DISPUTED_KEYS, POSITION_KEYS, ROUND_KEYS
from .pauses import pause_point
from .yamlread import FALSE, NULLS, TRUE, CatalogLoader, PiecedText, TextPieces, number_of

#: the same as catalog.TOP_KEYS and FORMAT_VERSION (catalog imports this module)
TOP_KEYS = frozenset(("format", "title", "description", "parties", "demands", "sources", "rounds"))
FORMAT_VERSION = 1
_REQUIRED_TOP = ("title", "parties", "demands", "rounds")
_PARTY_KEYS, _DEMAND_KEYS, _SOURCE_KEYS = frozenset(PARTY_KEYS), frozenset(DEMAND_KEYS), frozenset(SOURCE_KEYS)
_ROUND_KEYS, _POSITION_KEYS, _DISPUTED_KEYS = frozenset(ROUND_KEYS), frozenset(POSITION_KEYS), frozenset(DISPUTED_KEYS)
#: the deepest value read whole: a long-form position > disputed > a report > its sources > an id
_MAX_VALUE_DEPTH = 5
#: texts longer than this (characters) are handed to libyaml in pieces (`TextPieces`: no long
#: encoding that keeps the GIL from the UI thread; about 5 % slower, so not for every file)
PIECES_ABOVE = 1 << 22


def _slot_constructor(cls):  # noqa: ANN001, ANN202
    """`cls(*fields)` for a frozen dataclass with slots, setting each slot through its descriptor.

    A frozen dataclass's `__init__` sets each field with `object.__setattr__`; this is about
    twice as fast (1.6 against 3.2 us for a Position here), and positions are most of a
    catalog's objects. The object is the same: every field set, so equality, hash and repr are
    the dataclass's own (tests/test_events.py compares it with the constructor's).
    """
    fields = dataclasses.fields(cls)
    assert not hasattr(cls, "__post_init__") and all(f.init for f in fields)
    names = [f.name for f in fields]
    namespace = {"new": object.__new__, "cls": cls} | {f"set_{n}": getattr(cls, n).__set__ for n in names}
    body = "".join(f"    set_{n}(obj, {n})\n" for n in names)
    exec(f"def make({', '.join(names)}):\n    obj = new(cls)\n{body}    return obj\n", namespace)  # noqa: S102
    return namespace["make"]


_position = _slot_constructor(Position)


class _Unusual(Exception):
    """Something this reader does not take; the reference builder reads the file instead."""


def read_valid(text: str | PiecedText, file: str, digests: bool = True) -> Catalog | None:
    """The catalog in `text` when it is plainly valid, else None (see the module docstring).

    `digests`: give each round its text digest (as the reference does when the loader's marks
    count characters).
    """
    pieces = len(text) > PIECES_ABOVE or not isinstance(text, str)
    loader = CatalogLoader(TextPieces(text) if pieces else text)
    try:
        return _EventReader(loader.get_event, file, text if digests else "").catalog()
    except (_Unusual, yaml.YAMLError):
        return None
    finally:
        loader.dispose()


def _untagged(ev: object) -> bool:
    return ev.tag is None and ev.anchor is None  # type: ignore[attr-defined]


def _text(value: object) -> str | None:
    """An untagged scalar's text, None for a plain null (the reference's `text`)."""
    if type(value) is not ScalarEvent or value.tag is not None or value.anchor is not None:
        raise _Unusual
    text = value.value
    if value.implicit[0] and text in NULLS:
        return None
    return text


def _is_null(value: object) -> bool:
    return type(value) is ScalarEvent and value.implicit[0] and value.tag is None and value.value in NULLS


def _ident(value: object) -> str:
    text = _text(value)
    if text is None or not ID.match(text):
        raise _Unusual
    return text


def _date(value: object) -> dt.date | None:
    text = _text(value)
    if text is None:
        return None
    if not _DATE.match(text):
        raise _Unusual
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _Unusual from None


def _number(value: object) -> int | float:
    if type(value) is not ScalarEvent or not value.implicit[0] or not _untagged(value):
        raise _Unusual
    number = number_of(value.value)
    if number is None:
        raise _Unusual
    return number


def _texts(value: object) -> tuple[str, ...]:
    """An optional list of text (keywords, aliases); empty items are skipped, as the reference does."""
    if _is_null(value):
        return ()
    if type(value) is not list:
        raise _Unusual
    return tuple(t for t in map(_text, value) if t)


def _line_column(ev: object) -> tuple[int, int]:
    mark = ev.start_mark  # type: ignore[attr-defined]
    return mark.line + 1, mark.column + 1


class _Map(dict):
    """A mapping read whole: key -> (key event, value), and its start and end events."""

    __slots__ = ("start", "end")


class _EventReader(AccountRules):
    def __init__(self, next_event, file: str, text: str) -> None:  # noqa: ANN001
        self.next = next_event
        self.file = file
        self.text = text
        self.party_ids: set[str] = set()
        self.roles: dict[str, str] = {}
        self.demands: dict[str, Demand] = {}
        self.source_ids: set[str] = set()
        self.source_accounts: dict[str, str] = {}
        #: party ids named by sources (`according_to`), checked once every party is known
        self.party_refs: list[str] = []
        self.numbers: dict[str, Value] = {}
        self.party_list: tuple[Party, ...] = ()
        self.demand_tuple: tuple[Demand, ...] = ()
        self.source_tuple: tuple[Source, ...] = ()

    # -- values read whole ---------------------------------------------------------------------

    def value(self, ev: object, depth: int = 0) -> object:
        """A scalar event, a list of values, or a `_Map`; anything tagged or anchored is unusual."""
        cls = type(ev)
        if cls is ScalarEvent:
            if ev.tag is not None or ev.anchor is not None:  # type: ignore[attr-defined]
                raise _Unusual
            return ev
        if depth >= _MAX_VALUE_DEPTH or not (cls is SequenceStartEvent or cls is MappingStartEvent) or not _untagged(ev):
            raise _Unusual
        next_event = self.next
        if cls is SequenceStartEvent:
            items = []
            while type(ev := next_event()) is not SequenceEndEvent:
                items.append(self.value(ev, depth + 1))
            return items
        entries = _Map()
        entries.start = ev
        while type(ev := next_event()) is not MappingEndEvent:
            key = self.key(ev, entries)
            entries[key] = (ev, self.value(next_event(), depth + 1))
        entries.end = ev
        return entries

    @staticmethod
    def key(ev: object, seen: dict) -> str:
        """A mapping key: an untagged scalar not seen before in the mapping."""
        if type(ev) is not ScalarEvent or ev.tag is not None or ev.anchor is not None:  # type: ignore[attr-defined]
            raise _Unusual
        key = ev.value  # type: ignore[attr-defined]
        if key in seen:
            raise _Unusual
        return key

    def mapping(self, value: object, allowed: frozenset[str], required: tuple[str, ...]) -> _Map:
        if type(value) is not _Map or not allowed.issuperset(value):
            raise _Unusual
        for key in required:
            if key not in value or _is_null(value[key][1]):
                raise _Unusual
        return value

    def definitions(self, value: object) -> list[tuple[str, object, object]]:
        if _is_null(value):
            return []
        if type(value) is not _Map or not value:
            raise _Unusual
        out = []
        for key, (kev, vvalue) in value.items():
            if not ID.match(key):
                raise _Unusual
            out.append((key, kev, vvalue))
        return out

    # -- the top level ---------------------------------------------------------------------

    def catalog(self) -> Catalog:
        next_event = self.next
        if type(next_event()) is not StreamStartEvent or type(next_event()) is not DocumentStartEvent:
            raise _Unusual
        root = next_event()
        if type(root) is not MappingStartEvent or not _untagged(root):
            raise _Unusual
        seen: dict[str, object] = {}
        rounds: tuple[Round, ...] = ()
        while type(ev := next_event()) is not MappingEndEvent:
            key = self.key(ev, seen)
            if key not in TOP_KEYS:
                raise _Unusual
            if key == "rounds":
                # the rounds need every definition; any given after them: the reference reads it
                if "parties" not in seen or "demands" not in seen:
                    raise _Unusual
                seen[key] = None
                rounds = self.rounds()
                continue
            if "rounds" in seen and key in ("parties", "demands", "sources"):
                raise _Unusual
            value = self.value(next_event())
            seen[key] = value
            if key == "parties":
                self.parties(value)
            elif key == "demands":
                self.demand_list(value)
            elif key == "sources":
                self.source_list(value)
        if type(next_event()) is not DocumentEndEvent or type(next_event()) is not StreamEndEvent:
            raise _Unusual  # a second document: the reference says so
        for key in _REQUIRED_TOP:
            if key not in seen or (key != "rounds" and _is_null(seen[key])):
                raise _Unusual
        if "format" in seen and _number(seen["format"]) != FORMAT_VERSION:
            raise _Unusual
        for pid in self.party_refs:
            if pid not in self.party_ids:
                raise _Unusual
        title = _text(seen["title"])
        description = _text(seen["description"]) if "description" in seen else None
        if title is None:
            raise _Unusual
        return Catalog(self.file, title, self.party_list, self.demand_tuple, rounds, self.source_tuple, description)

    # -- definitions -----------------------------------------------------------------------

    def parties(self, value: object) -> None:
        out = []
        for pid, kev, vvalue in self.definitions(value):
            self.party_ids.add(pid)
            e = self.mapping(vvalue, _PARTY_KEYS, ("name",))
            role = _text(e["role"][1]) if "role" in e else None
            if role is not None and role not in ROLES:
                raise _Unusual
            name = _text(e["name"][1])
            note = _text(e["note"][1]) if "note" in e else None
            aliases = _texts(e["aliases"][1]) if "aliases" in e else ()
            self.roles[pid] = role or "party"
            out.append(Party(pid, name or pid, role or "party", note, aliases, *_line_column(kev)))
        self.party_list = tuple(out)

    def demand_list(self, value: object) -> None:
        out = []
        for did, kev, vvalue in self.definitions(value):
            e = self.mapping(vvalue, _DEMAND_KEYS, ("title",))
            scale = self.scale(e["scale"][1]) if "scale" in e else None
            unit = _text(e["unit"][1]) if "unit" in e else None
            if scale is not None and unit is not None:
                raise _Unusual
            keywords = _texts(e["keywords"][1]) if "keywords" in e else ()
            title = _text(e["title"][1])
            note = _text(e["note"][1]) if "note" in e else None
            demand = Demand(did, title or did, note, keywords, scale, unit, *_line_column(kev))
            self.demands[did] = demand
            out.append(demand)
        self.demand_tuple = tuple(out)

    @staticmethod
    def scale(value: object) -> tuple[str, ...] | None:
        if _is_null(value):
            return None  # as the reference: no scale, and no problem
        if type(value) is not list or len(value) < 2:
            raise _Unusual
        stances = []
        for item in value:
            stance = _text(item)
            if stance is None or stance in stances:
                raise _Unusual
            stances.append(stance)
        return tuple(stances)

    def source_list(self, value: object) -> None:
        out = []
        for sid, kev, vvalue in self.definitions(value):
            self.source_ids.add(sid)
            e = self.mapping(vvalue, _SOURCE_KEYS, ("outlet",))
            get = lambda key: _text(e[key][1]) if key in e else None  # noqa: B023, E731
            date = _date(e["date"][1]) if "date" in e else None
            account = None
            if "according_to" in e:
                account = _ident(e["according_to"][1])
                self.party_refs.append(account)
                self.source_accounts[sid] = account
            out.append(Source(sid, get("outlet") or sid, date, get("title"), get("url"), get("note"), account,
                              get("archive"), *_line_column(kev)))
        self.source_tuple = tuple(out)

    # -- rounds --------------------------------------------------------------------------------

    def id_list(self, value: object, known: set[str]) -> tuple[str, ...]:
        """`sources: [ids]` (or one id, or null): every id defined."""
        if _is_null(value):
            return ()
        items = value if type(value) is list else [value]
        ids = tuple(map(_ident, items))
        for sid in ids:
            if sid not in known:
                raise _Unusual
        return ids

    def rounds(self) -> tuple[Round, ...]:
        next_event = self.next
        start = next_event()
        if _is_null(start):
            raise _Unusual  # `rounds` is required
        if type(start) is not SequenceStartEvent or not _untagged(start):
            raise _Unusual
        out: list[Round] = []
        seen: set[str] = set()
        previous: dt.date | None = None
        pause = pause_point()  # the reading thread steps aside for a busy UI (pauses.pausing)
        while type(item := next_event()) is not SequenceEndEvent:
            if pause is not None:
                pause()
            if type(item) is not MappingStartEvent or not _untagged(item):
                raise _Unusual
            e: dict[str, object] = {}
            positions: dict[tuple[str, str], Position] = {}
            while type(ev := next_event()) is not MappingEndEvent:
                key = self.key(ev, e)
                if key not in _ROUND_KEYS:
                    raise _Unusual
                if key == "positions":
                    if "id" not in e:
                        raise _Unusual
                    e[key] = None
                    sources = self.id_list(e["sources"], self.source_ids) if "sources" in e else ()
                    positions = self.positions(_ident(e["id"]), sources)
                    continue
                if key == "sources" and "positions" in e:
                    raise _Unusual
                e[key] = self.value(next_event())
            end = ev
            if "id" not in e or "date" not in e:
                raise _Unusual
            rid = _ident(e["id"])
            if rid in seen:
                raise _Unusual
            seen.add(rid)
            date = _date(e["date"])
            if date is None or (previous is not None and date < previous):
                raise _Unusual
            previous = date
            status = _text(e["status"]) if "status" in e else None
            if status is not None and status not in ROUND_STATUSES:
                raise _Unusual
            sources = self.id_list(e["sources"], self.source_ids) if "sources" in e else ()
            get = lambda key: _text(e[key]) if key in e else None  # noqa: B023, E731
            out.append(Round(
                rid, date, get("venue"), get("title"), get("summary"), sources, status or "reported",
                MappingProxyType(positions), *_line_column(item), self.digest(item, end),
            ))
        return tuple(out)

    def digest(self, start: object, end: object) -> str:
        """The reference's `RoundsReader.text_digest`, from the round's first and last events."""
        if not self.text:
            return ""
        first, last = start.start_mark, end.end_mark  # type: ignore[attr-defined]
        digest = hashlib.blake2b(f"{first.column}:".encode("ascii"), digest_size=16)
        digest.update(self.text[first.index:last.index].encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    # -- positions (most of a catalog: read event by event) ---------------------------------------

    def positions(self, rid: str, round_sources: tuple[str, ...]) -> dict[tuple[str, str], Position]:
        next_event = self.next
        out: dict[tuple[str, str], Position] = {}
        ev = next_event()
        if _is_null(ev):
            return out
        if type(ev) is not MappingStartEvent or not _untagged(ev):
            raise _Unusual
        party_ids, demands = self.party_ids, self.demands
        #: a short number's text -> its Value (frozen: one object serves every position that states it)
        numbers = self.numbers
        round_account = self.account(None, round_sources)
        parties_seen: set[str] = set()
        while type(ev := next_event()) is not MappingEndEvent:
            pid = self.key(ev, parties_seen)
            if pid not in party_ids:
                raise _Unusual
            parties_seen.add(pid)
            claim = self.is_claim(pid, round_account)
            ev = next_event()
            if type(ev) is not MappingStartEvent or ev.tag is not None or ev.anchor is not None:
                raise _Unusual
            while type(kev := next_event()) is not MappingEndEvent:
                if type(kev) is not ScalarEvent or kev.tag is not None or kev.anchor is not None:
                    raise _Unusual
                did = kev.value
                demand = demands.get(did)
                if demand is None or (pid, did) in out:
                    raise _Unusual
                mark = kev.start_mark
                line, column = mark.line + 1, mark.column + 1
                ev = next_event()
                cls = type(ev)
                if cls is ScalarEvent:
                    if ev.tag is not None or ev.anchor is not None:
                        raise _Unusual
                    text = ev.value
                    if demand.unit is not None and demand.scale is None:  # a number
                        value = numbers.get(text)
                        if value is None or not ev.implicit[0]:
                            if not ev.implicit[0] or (number := number_of(text)) is None:
                                raise _Unusual
                            value = numbers[text] = Value(number, number)
                        stance = None
                    elif (ev.implicit[0] and text in NULLS) or (demand.scale is not None and text not in demand.scale):
                        raise _Unusual
                    else:
                        stance, value = text, None
                elif cls is SequenceStartEvent:
                    if demand.unit is None or demand.scale is not None or not _untagged(ev):
                        raise _Unusual
                    low, high = _number(next_event()), _number(next_event())
                    if low > high or type(next_event()) is not SequenceEndEvent:
                        raise _Unusual
                    stance, value = None, Value(low, high)
                else:
                    out[(pid, did)] = self.long_form(self.value(ev), demand, pid, rid, round_sources, line, column)
                    continue
                out[(pid, did)] = _position(pid, did, rid, stance, value, False, None, None, None, round_sources, (),
                                            True, round_account, None, claim, line, column)
        return out

    def reading(self, value: object, demand: Demand) -> tuple[str | None, Value | None]:
        """A non-null stance or value, checked against the demand's kind."""
        if demand.kind == "number":
            if type(value) is list:
                if len(value) != 2:
                    raise _Unusual
                low, high = _number(value[0]), _number(value[1])
                if low > high:
                    raise _Unusual
                return None, Value(low, high)
            number = _number(value)
            return None, Value(number, number)
        stance = _text(value)
        if stance is None or (demand.scale is not None and stance not in demand.scale):
            raise _Unusual
        return stance, None

    def long_reading(self, e: _Map, demand: Demand, optional: bool) -> tuple[str | None, Value | None] | None:
        wanted, other = ("value", "stance") if demand.kind == "number" else ("stance", "value")
        if other in e:
            raise _Unusual
        if wanted not in e or _is_null(e[wanted][1]):
            if not optional:
                raise _Unusual
            return None
        return self.reading(e[wanted][1], demand)

    def sources_of(self, e: _Map) -> tuple[str, ...] | None:
        if "sources" in e:
            if "source" in e:
                raise _Unusual
            return self.id_list(e["sources"][1], self.source_ids)
        if "source" in e:
            value = e["source"][1]
            if type(value) is list:
                return self.id_list(value, self.source_ids)
            sid = _ident(value)
            if sid not in self.source_ids:
                raise _Unusual
            return (sid,)
        return None

    def own_account(self, e: _Map) -> str | None:
        if "according_to" not in e:
            return None
        pid = _ident(e["according_to"][1])
        if pid not in self.party_ids:
            raise _Unusual
        return pid

    def long_form(self, e: object, demand: Demand, pid: str, rid: str, round_sources: tuple[str, ...],
                  line: int, column: int) -> Position:
        e = self.mapping(e, _POSITION_KEYS, ())
        withdrawn = False
        if "withdrawn" in e:
            flag = e["withdrawn"][1]
            if type(flag) is not ScalarEvent or not flag.implicit[0] or not _untagged(flag):
                raise _Unusual
            if flag.value in TRUE:
                withdrawn = True
            elif flag.value not in FALSE:
                raise _Unusual
        report = self.long_reading(e, demand, optional=withdrawn)
        status = _text(e["status"][1]) if "status" in e else None
        if status is not None and status not in STATUSES:
            raise _Unusual
        sources = self.sources_of(e)
        sources = sources if sources is not None else round_sources
        account = self.account(self.own_account(e), sources)
        disputed = tuple(self.disputed(e["disputed"][1], demand, pid)) if "disputed" in e else ()
        get = lambda key: _text(e[key][1]) if key in e else None  # noqa: E731
        stance, value = report if report is not None else (None, None)
        return _position(pid, demand.id, rid, stance, value, withdrawn, status, get("note"), get("quote"), sources,
                         disputed, False, account, get("speaker"), self.is_claim(pid, account), line, column)

    def disputed(self, value: object, demand: Demand, pid: str) -> list[Report]:
        if _is_null(value):
            return []
        if type(value) is not list:
            raise _Unusual
        out = []
        for item in value:
            e = self.mapping(item, _DISPUTED_KEYS, ())
            stance, number = self.long_reading(e, demand, optional=False)  # type: ignore[misc]
            sources = self.sources_of(e) or ()
            note = _text(e["note"][1]) if "note" in e else None
            account = self.account(self.own_account(e), sources)
            speaker = _text(e["speaker"][1]) if "speaker" in e else None
            out.append(Report(stance, number, sources, note, account, speaker, self.is_claim(pid, account),
                              *_line_column(item.start)))
        return out
