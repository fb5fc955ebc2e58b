"""Pure functions over a Catalog: effective positions, shifts, gaps, trends, agreement.

`analyze(catalog)` computes everything once per load; the screen only looks things up.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from .model import Catalog, Demand, Position, Value


class Shift(StrEnum):
    """How a party's position moved against its last reported one (see FORMAT.md)."""

    NEW = "new"
    SAME = "same"
    REWORDED = "reworded"
    TOWARD = "toward"
    AWAY = "away"
    MOVED = "moved"
    WITHDRAWN = "withdrawn"
    CARRIED = "carried"

    @property
    def changed(self) -> bool:
        """True when something new was said that changes or rewords the position."""
        return self not in (Shift.SAME, Shift.CARRIED)


#: One glyph per shift, shared by the dashboard and every export, so that colour is never
#: the only signal.
SHIFT_GLYPHS: dict[Shift, str] = {
    Shift.NEW: "+",
    Shift.SAME: "=",
    Shift.REWORDED: "~",
    Shift.TOWARD: "→",
    Shift.AWAY: "←",
    Shift.MOVED: "↕",
    Shift.WITHDRAWN: "✕",
    Shift.CARRIED: "·",
}

#: One sentence per shift, for every legend (dashboard, help, exports).
SHIFT_MEANINGS: dict[Shift, str] = {
    Shift.NEW: "first position on this demand",
    Shift.SAME: "unchanged",
    Shift.REWORDED: "same stance, new wording",
    Shift.TOWARD: "moved toward the other side",
    Shift.AWAY: "moved away from the other side",
    Shift.MOVED: "moved, nothing to measure against",
    Shift.WITHDRAWN: "dropped the demand",
    Shift.CARRIED: "nothing new reported; the last position stands",
}

TREND_GLYPHS = {"closing": "↘", "widening": "↗", "steady": "="}


class Trend(StrEnum):
    CLOSING = "closing"
    WIDENING = "widening"
    STEADY = "steady"


class Agreement(StrEnum):
    AGREED = "agreed"
    CLOSE = "close"
    APART = "apart"
    ONE_SIDED = "one-sided"


#: A scale gap at or under this share of the scale, or a numeric gap at or under this share
#: of the larger magnitude, is "close" (one step on a five-stance scale is 0.25).
CLOSE_SHARE = 0.25


class Cell(NamedTuple):
    """One party's effective position on one demand in one round.

    A named tuple, not a frozen dataclass: an analysis makes one per round, party and demand
    (48,000 at 200 rounds), and a tuple is built about three times faster.
    """

    round: str
    party: str
    demand: str
    #: the position in force: reported this round, or carried from an earlier one
    position: Position | None
    #: the last position reported before this round, which the shift is measured against
    previous: Position | None
    shift: Shift | None

    @property
    def carried(self) -> bool:
        return self.shift is Shift.CARRIED

    @property
    def stated(self) -> bool:
        return self.position is not None


@dataclass(frozen=True, slots=True)
class Gap:
    """How far apart the sides (role `party`) are on one demand in one round."""

    round: str
    demand: str
    #: largest distance between two sides: in the unit for numbers, stance steps for scales
    distance: float | None
    #: distance / (scale length - 1) for scales, distance itself for numbers
    normalized: float | None
    agreement: Agreement | None
    trend: Trend | None
    #: the overlap of the sides' numeric positions when it is not empty
    zone: Value | None
    stated: int

    def shown(self, demand: Demand) -> str:
        if self.distance is None:
            return ""
        if demand.kind == "scale":
            return f"{self.normalized:.2f}"
        return str(Value(self.distance, self.distance))


def measure(demand: Demand, position: Position | None) -> Value | None:
    """A position as a point (scale index) or range (number); None if it cannot be measured."""
    if position is None or position.withdrawn:
        return None
    if demand.scale is not None and position.stance is not None:
        index = demand.scale.index(position.stance)
        return Value(index, index)
    return position.value


def classify(demand: Demand, previous: Position | None, current: Position, others: list[Value]) -> Shift:
    """The shift from `previous` to `current`, measured against the other sides' positions."""
    if current.withdrawn:
        return Shift.SAME if previous is not None and previous.withdrawn else Shift.WITHDRAWN
    if previous is None or previous.withdrawn:
        return Shift.NEW
    if current.same_stance(previous):
        if (current.note, current.quote) == (previous.note, previous.quote):
            return Shift.SAME
        return Shift.REWORDED
    old, new = measure(demand, previous), measure(demand, current)
    if old is None or new is None or not others:
        return Shift.MOVED
    before = sum(old.distance(o) for o in others)
    after = sum(new.distance(o) for o in others)
    if after < before:
        return Shift.TOWARD
    if after > before:
        return Shift.AWAY
    return Shift.MOVED


class Analysis:
    """Every cell, gap and trend of a catalog, computed once."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.sides = tuple(p.id for p in catalog.parties if p.is_side)
        self._cells: dict[tuple[str, str, str], Cell] = {}
        self._gaps: dict[tuple[str, str], Gap] = {}
        self._compute()

    def _compute(self) -> None:
        # One pass over the rounds in order, carrying each party's last report forward: the
        # hot loop of every load (48,000 cells at 200 rounds), hence the locals.
        catalog = self.catalog
        party_ids = tuple(p.id for p in catalog.parties)
        sides = self.sides
        cells, gaps = self._cells, self._gaps
        last: dict[tuple[str, str], Position] = {}
        last_get = last.get
        previous_gap: dict[str, Gap] = {}
        carried = Shift.CARRIED
        for rnd in catalog.rounds:
            rid = rnd.id
            reported = rnd.positions.get
            for demand in catalog.demands:
                did = demand.id
                # the sides' positions in force this round (a carried one still counts)
                in_force: dict[str, Position | None] = {}
                points: dict[str, Value | None] = {}
                for pid in sides:
                    position = reported((pid, did)) or last_get((pid, did))
                    in_force[pid] = position
                    points[pid] = measure(demand, position)
                for pid in party_ids:
                    key = (pid, did)
                    prev = last_get(key)
                    here = reported(key)
                    if here is None:
                        cells[(rid, pid, did)] = Cell(rid, pid, did, prev, prev, carried if prev is not None else None)
                        continue
                    moved = (prev is not None and not prev.withdrawn and not here.withdrawn
                             and not here.same_stance(prev))
                    # the other sides' positions matter only to a stance that moved
                    others = [v for q, v in points.items() if q != pid and v is not None] if moved else []
                    last[key] = here
                    shift = classify(demand, prev, here, others)
                    cells[(rid, pid, did)] = Cell(rid, pid, did, here, prev, shift)
                gap = self._gap(rid, demand, in_force, points, previous_gap.get(did))
                gaps[(rid, did)] = gap
                previous_gap[did] = gap

    def _gap(self, rid: str, demand: Demand, current: dict[str, Position | None], points: dict[str, Value | None], before: Gap | None) -> Gap:
        stated = [p for pid in self.sides if (p := current.get(pid)) is not None and not p.withdrawn]
        if len(stated) < 2:
            agreement = Agreement.ONE_SIDED if stated else None
            return Gap(rid, demand.id, None, None, agreement, None, None, len(stated))
        if demand.kind == "text":
            same = len({p.stance for p in stated}) == 1
            return Gap(rid, demand.id, None, None, Agreement.AGREED if same else None, None, None, len(stated))
        values = [v for v in points.values() if v is not None]
        distance = max(a.distance(b) for i, a in enumerate(values) for b in values[i + 1 :])
        if demand.scale is not None:
            normalized = distance / (len(demand.scale) - 1)
            share = normalized
        else:
            normalized = distance
            scale = max(max(abs(v.low), abs(v.high)) for v in values) or 1.0
            share = distance / scale
        if distance == 0:
            agreement = Agreement.AGREED
        elif share <= CLOSE_SHARE:
            agreement = Agreement.CLOSE
        else:
            agreement = Agreement.APART
        zone = None
        if demand.kind == "number" and distance == 0:
            zone = Value(max(v.low for v in values), min(v.high for v in values))
        trend = None
        if before is not None and before.normalized is not None:
            if normalized < before.normalized:
                trend = Trend.CLOSING
            elif normalized > before.normalized:
                trend = Trend.WIDENING
            else:
                trend = Trend.STEADY
        return Gap(rid, demand.id, distance, normalized, agreement, trend, zone, len(stated))

    # -- look-ups -----------------------------------------------------------------------

    def cell(self, round_id: str, party_id: str, demand_id: str) -> Cell:
        return self._cells[(round_id, party_id, demand_id)]

    def gap(self, round_id: str, demand_id: str) -> Gap:
        return self._gaps[(round_id, demand_id)]

    def history(self, party_id: str, demand_id: str) -> list[Cell]:
        """The cell of one party on one demand in every round, oldest first."""
        return [self._cells[(r.id, party_id, demand_id)] for r in self.catalog.rounds]

    def changed_cells(self) -> list[Cell]:
        """Every cell where something new was said, in round, demand, party order."""
        return [
            self._cells[(r.id, p.id, d.id)]
            for r in self.catalog.rounds
            for d in self.catalog.demands
            for p in self.catalog.parties
            if (s := self._cells[(r.id, p.id, d.id)].shift) is not None and s.changed
        ]

    def compare(self, base_round: str, round_id: str) -> dict[tuple[str, str], Shift | None]:
        """The shift of every (party, demand) from `base_round` to `round_id`.

        Positions in force in each round are compared as if nothing had been said between;
        a position that did not change across the span is SAME (or CARRIED when nothing
        was reported in `round_id` itself).
        """
        result: dict[tuple[str, str], Shift | None] = {}
        for demand in self.catalog.demands:
            points = {
                p: measure(demand, self._cells[(round_id, p, demand.id)].position) for p in self.sides
            }
            for party in self.catalog.parties:
                old = self._cells[(base_round, party.id, demand.id)].position
                cell = self._cells[(round_id, party.id, demand.id)]
                new = cell.position
                if new is None:
                    result[(party.id, demand.id)] = None
                elif old is new:
                    result[(party.id, demand.id)] = Shift.CARRIED if cell.carried else Shift.SAME
                else:
                    others = [v for q, v in points.items() if q != party.id and v is not None]
                    result[(party.id, demand.id)] = classify(demand, old, new, others)
        return result


def analyze(catalog: Catalog) -> Analysis:
    """Compute every cell, shift and gap of `catalog`."""
    return Analysis(catalog)
