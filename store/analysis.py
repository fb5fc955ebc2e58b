"""Pure functions over a Catalog: effective positions, shifts, gaps, trends, agreement.

`analyze(catalog)` computes everything once per load; the screen only looks things up.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from .model import Catalog, Demand, Position, Value
from .pauses import pause_point


class Shift(StrEnum):
    """How a party's position moved against its last reported one (see FORMAT.md)."""

    NEW = "new"
    SAME = "same"
    TOWARD = "toward"
    AWAY = "away"
    MOVED = "moved"
    #: a free-text demand whose stance reads differently (FORMAT.md 1.1)
    CHANGED = "changed"
    WITHDRAWN = "withdrawn"
    CARRIED = "carried"

    @property
    def changed(self) -> bool:
        """True when the position is not the one before: new, moved, changed or withdrawn."""
        return self not in (Shift.SAME, Shift.CARRIED)


#: One glyph per shift, shared by the dashboard and every export, so that colour is never
#: the only signal.
SHIFT_GLYPHS: dict[Shift, str] = {
    Shift.NEW: "+",
    Shift.SAME: "=",
    Shift.TOWARD: "→",
    Shift.AWAY: "←",
    Shift.MOVED: "↕",
    # FORMAT.md 1.1: a changed free-text stance is shown as `moved` was
    Shift.CHANGED: "↕",
    Shift.WITHDRAWN: "✕",
    Shift.CARRIED: "·",
}

#: One sentence per shift, for every legend (dashboard, help, exports).
SHIFT_MEANINGS: dict[Shift, str] = {
    Shift.NEW: "first position on this demand",
    Shift.SAME: "unchanged",
    Shift.TOWARD: "moved toward the other side",
    Shift.AWAY: "moved away from the other side",
    Shift.MOVED: "moved, nothing to measure against",
    Shift.CHANGED: "changed (free text: a different stance)",
    Shift.WITHDRAWN: "dropped the demand",
    Shift.CARRIED: "nothing new reported; the last position stands",
}

#: The mark of a claim (one side's account of another's stance, FORMAT.md 1.1), shared by the
#: dashboard and the exports; a guillemet reads as reported speech and renders in every font.
CLAIM_GLYPH = "»"

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


#: A gap at or under this share is "close": of the scale's length for an ordinal demand (one
#: step on a five-stance scale is 0.25), of the larger of the two nearest ends for a numeric one.
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
    #: the position the shift is measured against: the last one reported before this round,
    #: or, for a demand taken up again, the last one before the withdrawal
    previous: Position | None
    shift: Shift | None
    #: whether claims (one side's account of another's stance) were counted in this analysis
    claims: bool = True
    #: the party takes the demand up again after withdrawing it (never a first position)
    resumed: bool = False

    @property
    def carried(self) -> bool:
        return self.shift is Shift.CARRIED

    @property
    def stated(self) -> bool:
        return self.position is not None

    @property
    def restated(self) -> bool:
        """Unchanged, but said again in a new report (a new note, quote or source)."""
        p, q = self.position, self.previous
        return (self.shift is Shift.SAME and p is not None and q is not None and p is not q
                and (p.note, p.quote, p.sources) != (q.note, q.quote, q.sources))


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
    #: the share the class and trend are judged by (FORMAT.md 1.1): `normalized` for a
    #: scale; for numbers, the distance over the larger magnitude of the two nearest ends
    relative: float | None = None
    #: whether claims were counted in this gap
    claims: bool = True

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
    """The shift from `previous` to `current`, measured against the other sides' positions.

    `previous` is what the position is compared with: for a demand taken up again after a
    withdrawal, the caller passes the position before the withdrawal.
    """
    if current.withdrawn:
        return Shift.SAME if previous is not None and previous.withdrawn else Shift.WITHDRAWN
    if previous is None or previous.withdrawn:
        return Shift.NEW
    if current.same_stance(previous):
        return Shift.SAME
    if demand.kind == "text":
        return Shift.CHANGED
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


def relative_gap(values: list[Value]) -> tuple[float, float]:
    """(distance, relative) between the two positions farthest apart.

    The relative gap divides the distance by the larger magnitude of the two nearest ends that
    give it (FORMAT.md 1.1): 4,500 against 50,000 is 0.91, 100 against 110 is 0.09, ranges
    that overlap are 0. Of pairs equally far apart, the larger share counts.
    """
    best = (0.0, 0.0)
    for i, a in enumerate(values):
        for b in values[i + 1:]:
            distance = a.distance(b)
            if distance == 0:
                continue
            ends = (a.high, b.low) if a.high < b.low else (b.high, a.low)
            scale = max(abs(ends[0]), abs(ends[1])) or 1.0
            candidate = (distance, distance / scale)
            if candidate > best:
                best = candidate
    return best


def trend_of(before: float | None, now: float | None) -> Trend | None:
    """Closing, widening or steady, from one relative gap to another."""
    if before is None or now is None:
        return None
    if now < before:
        return Trend.CLOSING
    if now > before:
        return Trend.WIDENING
    return Trend.STEADY


class Analysis:
    """Every cell, gap and trend of a catalog, computed once.

    With `claims=False`, positions that are one side's account of another's stance (claims,
    FORMAT.md 1.1) are left out, as if they had not been reported: they take no part in
    shifts or gaps, and the cell shows the last position that is not a claim.
    """

    def __init__(self, catalog: Catalog, *, claims: bool = True, first: int | None = None) -> None:
        self.catalog = catalog
        self.claims = claims
        self.sides = tuple(p.id for p in catalog.parties if p.is_side)
        self._cells: dict[tuple[str, str, str], Cell] = {}
        self._gaps: dict[tuple[str, str], Gap] = {}
        self._lock = threading.Lock()
        #: False while only round `first` is computed (see `analyze_round`)
        self.complete = first is None
        self._compute(first)

    def _completed(self) -> None:
        """Compute every round, once, whichever thread asks first."""
        with self._lock:
            if not self.complete:
                self._compute()
                self.complete = True

    def _fast_forward(self, rounds, last: dict, before_withdrawal: dict) -> None:  # noqa: ANN001
        """The state the pass would carry out of `rounds` (each side's last report, and the one
        before a withdrawal), without building their cells and gaps."""
        for rnd in rounds:
            positions = rnd.positions if self.claims else {k: p for k, p in rnd.positions.items() if not p.claim}
            for key, here in positions.items():
                prev = last.get(key)
                if here.withdrawn and prev is not None and not prev.withdrawn:
                    before_withdrawal[key] = prev
                last[key] = here

    def _reported(self, positions):
        """The round's positions as this analysis counts them."""
        if self.claims:
            return positions.get
        kept = {key: p for key, p in positions.items() if not p.claim}
        return kept.get

    def _compute(self, first: int | None = None) -> None:
        # One pass over the rounds in order, carrying each party's last report forward: the
        # hot loop of every load (48,000 cells at 200 rounds), hence the locals. With `first`,
        # only the rounds `first - 1` and `first`, after the state the others leave (their
        # cells are right, but only round `first`'s gaps: the trend needs the gap before).
        catalog = self.catalog
        party_ids = tuple(p.id for p in catalog.parties)
        sides = self.sides
        claims = self.claims
        cells, gaps = self._cells, self._gaps
        last: dict[tuple[str, str], Position] = {}
        last_get = last.get
        #: the last position before a withdrawal, for a demand taken up again
        before_withdrawal: dict[tuple[str, str], Position] = {}
        previous_gap: dict[str, Gap] = {}
        carried = Shift.CARRIED
        rounds = catalog.rounds
        shown = None
        if first is not None:
            start = max(first - 1, 0)
            self._fast_forward(rounds[:start], last, before_withdrawal)
            rounds, shown = rounds[start:first + 1], rounds[first].id
        pause = pause_point()  # the reading thread steps aside for a busy UI (pauses.pausing)
        for rnd in rounds:
            if pause is not None:
                pause()
            rid = rnd.id
            reported = self._reported(rnd.positions)
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
                        cells[(rid, pid, did)] = Cell(rid, pid, did, prev, prev, carried if prev is not None else None, claims)
                        continue
                    resumed = prev is not None and prev.withdrawn and not here.withdrawn
                    if resumed:
                        prev = before_withdrawal.get(key, prev)
                    elif here.withdrawn and prev is not None and not prev.withdrawn:
                        before_withdrawal[key] = prev
                    moved = (prev is not None and not prev.withdrawn and not here.withdrawn
                             and not here.same_stance(prev))
                    # the other sides' positions matter only to a stance that moved
                    others = [v for q, v in points.items() if q != pid and v is not None] if moved else []
                    last[key] = here
                    shift = classify(demand, prev, here, others)
                    cells[(rid, pid, did)] = Cell(rid, pid, did, here, prev, shift, claims, resumed)
                gap = self._gap(rid, demand, in_force, points, previous_gap.get(did))
                if shown is None or rid == shown:
                    gaps[(rid, did)] = gap
                previous_gap[did] = gap

    def _gap(self, rid: str, demand: Demand, current: dict[str, Position | None], points: dict[str, Value | None], before: Gap | None) -> Gap:
        claims = self.claims
        stated = [p for pid in self.sides if (p := current.get(pid)) is not None and not p.withdrawn]
        if len(stated) < 2:
            agreement = Agreement.ONE_SIDED if stated else None
            return Gap(rid, demand.id, None, None, agreement, None, None, len(stated), None, claims)
        if demand.kind == "text":
            same = len({p.stance for p in stated}) == 1
            return Gap(rid, demand.id, None, None, Agreement.AGREED if same else None, None, None, len(stated), None, claims)
        values = [v for v in points.values() if v is not None]
        if demand.scale is not None:
            distance = max(a.distance(b) for i, a in enumerate(values) for b in values[i + 1 :])
            normalized = relative = distance / (len(demand.scale) - 1)
        else:
            distance, relative = relative_gap(values)
            normalized = distance
        if distance == 0:
            agreement = Agreement.AGREED
        elif relative <= CLOSE_SHARE:
            agreement = Agreement.CLOSE
        else:
            agreement = Agreement.APART
        zone = None
        if demand.kind == "number" and distance == 0:
            zone = Value(max(v.low for v in values), min(v.high for v in values))
        trend = trend_of(before.relative if before is not None else None, relative)
        return Gap(rid, demand.id, distance, normalized, agreement, trend, zone, len(stated), relative, claims)

    # -- look-ups -----------------------------------------------------------------------

    def cell(self, round_id: str, party_id: str, demand_id: str) -> Cell:
        try:
            return self._cells[(round_id, party_id, demand_id)]
        except KeyError:
            if self.complete:
                raise
        self._completed()
        return self._cells[(round_id, party_id, demand_id)]

    def gap(self, round_id: str, demand_id: str) -> Gap:
        try:
            return self._gaps[(round_id, demand_id)]
        except KeyError:
            if self.complete:
                raise
        self._completed()
        return self._gaps[(round_id, demand_id)]

    def trend_since(self, base_round: str, round_id: str, demand_id: str) -> Trend | None:
        """The gap's trend from a pinned baseline round to `round_id` (FORMAT.md 1.1)."""
        return trend_of(self.gap(base_round, demand_id).relative, self.gap(round_id, demand_id).relative)

    def history(self, party_id: str, demand_id: str) -> list[Cell]:
        """The cell of one party on one demand in every round, oldest first."""
        if not self.complete:
            self._completed()
        return [self._cells[(r.id, party_id, demand_id)] for r in self.catalog.rounds]

    def changed_cells(self) -> list[Cell]:
        """Every cell where something new was said, in round, demand, party order."""
        if not self.complete:
            self._completed()
        cells, demands, parties = self._cells, self.catalog.demands, self.catalog.parties
        changed: list[Cell] = []
        pause = pause_point()  # a round at a time: 0.5 s for XL's 600,000 cells
        for r in self.catalog.rounds:
            if pause is not None:
                pause()
            changed += [cell for d in demands for p in parties
                        if (s := (cell := cells[(r.id, p.id, d.id)]).shift) is not None and s.changed]
        return changed

    def compare(self, base_round: str, round_id: str) -> dict[tuple[str, str], Shift | None]:
        """The shift of every (party, demand) from `base_round` to `round_id`.

        Positions in force in each round are compared as if nothing had been said between;
        a position that did not change across the span is SAME (or CARRIED when nothing
        was reported in `round_id` itself).
        """
        if not self.complete:
            self._completed()
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


def analyze(catalog: Catalog, *, claims: bool = True) -> Analysis:
    """Compute every cell, shift and gap of `catalog`; `claims=False` leaves claims out."""
    return Analysis(catalog, claims=claims)


def analyze_round(catalog: Catalog, round_index: int, *, claims: bool = True) -> Analysis:
    """The analysis with only the round at `round_index` computed, for a first frame.

    Its cells and gaps are the full analysis's; the state the rounds before leave is carried
    over without building their cells (a few ms where the whole pass takes 45 ms at 100
    rounds, 330 at 200). `complete` is False until anything else is asked for, which computes
    every round then, once, on the asking thread.
    """
    return Analysis(catalog, claims=claims, first=round_index)
