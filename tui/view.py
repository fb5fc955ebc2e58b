"""What the matrix shows, decided without the screen: filtering and change navigation."""

from __future__ import annotations

from negotrack.store.analysis import Analysis
from negotrack.store.model import Catalog, Demand, Party

#: a changed cell as (round index, demand index, party index), in file order
Place = tuple[int, int, int]


def visible(catalog: Catalog, needle: str) -> tuple[tuple[Demand, ...], tuple[Party, ...]]:
    """Demands and parties matching `needle` (case-insensitive, ids, titles, names, keywords).

    Text that names a party narrows the columns; text that names a demand narrows the rows;
    text that names neither shows nothing.
    """
    needle = needle.casefold().strip()
    demands, parties = catalog.demands, catalog.parties
    if not needle:
        return demands, parties
    match_d = tuple(d for d in demands if needle in f"{d.id} {d.title} {' '.join(d.keywords)}".casefold())
    match_p = tuple(p for p in parties if needle in f"{p.id} {p.name}".casefold())
    return match_d or (demands if match_p else ()), match_p or parties


def change_places(analysis: Analysis) -> list[Place]:
    """Every changed cell as a Place, in order (computed with the analysis, off the UI thread)."""
    catalog = analysis.catalog
    rounds = {r.id: i for i, r in enumerate(catalog.rounds)}
    rows = {d.id: i for i, d in enumerate(catalog.demands)}
    cols = {p.id: i for i, p in enumerate(catalog.parties)}
    return [(rounds[c.round], rows[c.demand], cols[c.party]) for c in analysis.changed_cells()]


def next_change(changes: list[Place], here: Place, direction: int) -> Place | None:
    """The first changed place after `here` (direction 1) or before it (-1), if any."""
    if direction > 0:
        return min((c for c in changes if c > here), default=None)
    return max((c for c in changes if c < here), default=None)
