"""The catalog as typed, immutable values; each knows the line and column it came from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

ROLES = ("party", "mediator", "observer")
STATUSES = ("demand", "offer", "accepted", "rejected", "red line", "proposal")
#: how sure the catalog is that a round took place (format 1.1): a report says it did, a
#: report says it will, or the catalog itself dates or places talks the reports speak of
ROUND_STATUSES = ("reported", "announced", "inferred")

Number = int | float


@dataclass(frozen=True, slots=True)
class Value:
    """A number or a [low, high] range (a single number is the range [v, v])."""

    low: Number
    high: Number

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    def distance(self, other: "Value") -> float:
        """0 when the ranges overlap, else the distance between their nearest ends."""
        if self.high < other.low:
            return float(other.low - self.high)
        if other.high < self.low:
            return float(self.low - other.high)
        return 0.0

    def __str__(self) -> str:
        return f"{_num(self.low)}–{_num(self.high)}" if self.is_range else _num(self.low)


def _num(n: Number) -> str:
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    return f"{n:,}" if isinstance(n, int) else f"{n:g}"


@dataclass(frozen=True, slots=True)
class Party:
    id: str
    name: str
    role: str = "party"
    note: str | None = None
    #: other names the reports use for this party (for `negotrack draft`)
    aliases: tuple[str, ...] = ()
    line: int = 0
    column: int = 0

    @property
    def is_side(self) -> bool:
        """True for a party whose distance to the others makes the gap."""
        return self.role == "party"


@dataclass(frozen=True, slots=True)
class Demand:
    id: str
    title: str
    note: str | None = None
    keywords: tuple[str, ...] = ()
    scale: tuple[str, ...] | None = None
    unit: str | None = None
    line: int = 0
    column: int = 0

    @property
    def kind(self) -> str:
        """`scale`, `number` or `text`."""
        if self.scale is not None:
            return "scale"
        return "number" if self.unit is not None else "text"


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    outlet: str
    date: dt.date | None = None
    title: str | None = None
    url: str | None = None
    note: str | None = None
    #: whose account this outlet's reports mostly are (a party id): the default account of
    #: the positions that cite it
    according_to: str | None = None
    #: a local copy of the report, as written in the catalog (relative to the catalog's folder)
    archive: str | None = None
    line: int = 0
    column: int = 0


@dataclass(frozen=True, slots=True)
class Report:
    """One outlet's account of a position: the position itself, or a disputed report of it."""

    stance: str | None = None
    value: Value | None = None
    sources: tuple[str, ...] = ()
    note: str | None = None
    #: whose account the report is (its own key, else its first source's); None when unsaid
    according_to: str | None = None
    speaker: str | None = None
    #: True when the account is another side's (role `party`): one side's account of a stance
    claim: bool = False
    line: int = 0
    column: int = 0

    def shown(self) -> str:
        return str(self.value) if self.value is not None else (self.stance or "")


@dataclass(frozen=True, slots=True)
class Position:
    party: str
    demand: str
    round: str
    stance: str | None = None
    value: Value | None = None
    withdrawn: bool = False
    status: str | None = None
    note: str | None = None
    quote: str | None = None
    #: the position's own sources, or the round's when it names none
    sources: tuple[str, ...] = ()
    disputed: tuple[Report, ...] = ()
    short: bool = False
    #: whose account the position is: its own `according_to`, else the first of its sources
    #: that names one; None when the catalog does not say
    according_to: str | None = None
    speaker: str | None = None
    #: True when `according_to` is another party with role `party`: one side's account of
    #: this party's stance (FORMAT.md 1.1), left out of shifts and gaps when claims are hidden
    claim: bool = False
    line: int = 0
    column: int = 0

    def same_stance(self, other: "Position") -> bool:
        return (self.withdrawn, self.stance, self.value) == (other.withdrawn, other.stance, other.value)

    def shown(self) -> str:
        if self.withdrawn:
            return "withdrawn"
        return str(self.value) if self.value is not None else (self.stance or "")


@dataclass(frozen=True, slots=True)
class Round:
    id: str
    date: dt.date
    venue: str | None = None
    title: str | None = None
    summary: str | None = None
    sources: tuple[str, ...] = ()
    #: `reported` (the default), `announced` or `inferred`: see ROUND_STATUSES
    status: str = "reported"
    #: (party id, demand id) -> position, in file order
    positions: Mapping[tuple[str, str], Position] = field(default_factory=lambda: MappingProxyType({}))
    line: int = 0
    column: int = 0
    #: a digest of the round's exact source text (its mapping node, from the loader), "" when
    #: unknown; lets the history store reuse what it computed for an unchanged round. Not part
    #: of the meaning: a reformatted round compares equal.
    text_digest: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Catalog:
    path: str
    title: str
    parties: tuple[Party, ...]
    demands: tuple[Demand, ...]
    rounds: tuple[Round, ...]
    sources: tuple[Source, ...] = ()
    description: str | None = None
    format: int = 1

    def party(self, party_id: str) -> Party:
        return next(p for p in self.parties if p.id == party_id)

    def demand(self, demand_id: str) -> Demand:
        return next(d for d in self.demands if d.id == demand_id)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def round_index(self, round_id: str) -> int:
        return next(i for i, r in enumerate(self.rounds) if r.id == round_id)

    @property
    def position_count(self) -> int:
        return sum(len(r.positions) for r in self.rounds)

    def summary(self) -> str:
        def count(n: int, one: str, many: str) -> str:
            return f"{n} {one if n == 1 else many}"

        rounds = count(len(self.rounds), "round", "rounds")
        unconfirmed = [f"{n} {status}" for status in ROUND_STATUSES[1:]
                       if (n := sum(r.status == status for r in self.rounds))]
        if unconfirmed:
            rounds += f" ({', '.join(unconfirmed)})"
        return ", ".join((
            count(len(self.parties), "party", "parties"),
            count(len(self.demands), "demand", "demands"),
            rounds,
            count(self.position_count, "position", "positions"),
        ))
