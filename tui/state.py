"""Where the user is, as one immutable value, and the pure transitions between such values.

The App keeps one `ViewState`, turns each key into a transition (`next_round`, `pin_baseline`,
`toggle_claims`...), and renders the value it gets back. Nothing here touches the screen, so
every rule of navigation is tested without a Pilot (tests/test_state.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from negotrack.store.model import Catalog

from .memo import LastCatalog

#: how much `+` and `-` widen or narrow a column, and the limits they stay within
WIDTH_STEP = 4
MIN_WIDTH, MAX_WIDTH = 4, 120


@dataclass(frozen=True)
class ViewState:
    """The round, the baseline, the filters and the selection, all by id so that they survive
    reloads, filters and round changes."""

    round_id: str | None = None
    #: the round shifts and gap trends are measured from; None: each party's previous report
    baseline: str | None = None
    filter_text: str = ""
    changed_only: bool = False
    #: False hides claims (one side's account of another's stance) from shifts and gaps
    claims: bool = True
    demand_id: str | None = None
    party_id: str | None = None
    #: column key -> text width the user chose, remembered per catalog
    widths: tuple[tuple[str, int], ...] = ()

    # -- reading ------------------------------------------------------------------------

    def round_index(self, catalog: Catalog) -> int:
        """The index of the current round (the last round when none is chosen or it is gone)."""
        index = _round_indexes(catalog).get(self.round_id) if self.round_id is not None else None
        return index if index is not None else max(len(catalog.rounds) - 1, 0)

    def basis(self) -> str | None:
        """The baseline, unless it is the round being shown (then there is nothing to compare)."""
        return self.baseline if self.baseline != self.round_id else None

    def width_of(self, column: str) -> int | None:
        return dict(self.widths).get(column)

    # -- transitions ------------------------------------------------------------------------

    def fit(self, catalog: Catalog) -> ViewState:
        """This state for a (re)loaded catalog: a round that is gone gives way to the one at
        the same place, or the last; a baseline that is gone is dropped."""
        ids = [r.id for r in catalog.rounds]
        if not ids:
            return replace(self, round_id=None, baseline=None)
        round_id = self.round_id if self.round_id in ids else ids[-1]
        return replace(self, round_id=round_id, baseline=self.baseline if self.baseline in ids else None)

    def at_round(self, catalog: Catalog, index: int) -> ViewState:
        """The round at `index`, clamped to the catalog's rounds."""
        if not catalog.rounds:
            return self
        index = max(0, min(index, len(catalog.rounds) - 1))
        return replace(self, round_id=catalog.rounds[index].id)

    def next_round(self, catalog: Catalog, delta: int = 1) -> ViewState:
        return self.at_round(catalog, self.round_index(catalog) + delta)

    def first_round(self, catalog: Catalog) -> ViewState:
        return self.at_round(catalog, 0)

    def last_round(self, catalog: Catalog) -> ViewState:
        return self.at_round(catalog, len(catalog.rounds) - 1)

    def pin_baseline(self) -> ViewState:
        """Pin the current round as the baseline, or clear the baseline when one is pinned."""
        return replace(self, baseline=None if self.baseline is not None else self.round_id)

    def compare(self, base_id: str, round_id: str) -> ViewState:
        """Show `round_id` measured against `base_id`."""
        return replace(self, baseline=base_id, round_id=round_id)

    def with_filter(self, text: str) -> ViewState:
        return replace(self, filter_text=text)

    def toggle_changed(self) -> ViewState:
        return replace(self, changed_only=not self.changed_only)

    def toggle_claims(self) -> ViewState:
        return replace(self, claims=not self.claims)

    def select(self, demand_id: str | None, party_id: str | None) -> ViewState:
        """The selected cell; a demand of None keeps the demand selected before."""
        return replace(self, demand_id=demand_id or self.demand_id, party_id=party_id)

    def resize(self, column: str, current: int, step: int) -> ViewState:
        """Widen (`step` > 0) or narrow the column, from the width it is drawn at now."""
        width = max(MIN_WIDTH, min(MAX_WIDTH, current + step))
        others = tuple((k, w) for k, w in self.widths if k != column)
        return replace(self, widths=(*others, (column, width)))

    def reset_widths(self) -> ViewState:
        return replace(self, widths=())


@LastCatalog
def _round_indexes(catalog: Catalog) -> dict[str, int]:
    """The round ids -> index (a round switch asks several times; at 1,000 rounds a list of ids
    each time cost ~0.3 ms a switch)."""
    indexes: dict[str, int] = {}
    for i, rnd in enumerate(catalog.rounds):
        indexes.setdefault(rnd.id, i)  # the first of a duplicated id, as list.index gave
    return indexes
