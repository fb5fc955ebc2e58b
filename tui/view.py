"""What the matrix shows, decided without the screen: filtering and change navigation."""

from __future__ import annotations

from negotrack.store.analysis import Analysis
from negotrack.store.model import Catalog, Demand, Party

#: a changed cell as (round index, demand index, party index), in file order
Place = tuple[int, int, int]


def visible(catalog: Catalog, needle: str) -> tuple[tuple[Demand, ...], tuple[Party, ...]]:
    """Demands and parties matching `needle` (case-insensitive).

    Text that names a party (id, name, alias) narrows the columns; text found in a demand (id,
    title, keywords, note) or in what is said about it (a stance, note, quote, speaker, or the
    outlet and title of a source a position cites) narrows the rows; text found nowhere shows
    nothing.
    """
    needle = needle.casefold().strip()
    demands, parties = catalog.demands, catalog.parties
    if not needle:
        return demands, parties
    said = _said_about(catalog, needle)
    match_d = tuple(d for d in demands
                    if d.id in said or needle in f"{d.id} {d.title} {' '.join(d.keywords)} {d.note or ''}".casefold())
    match_p = tuple(p for p in parties if needle in f"{p.id} {p.name} {' '.join(p.aliases)}".casefold())
    return match_d or (demands if match_p else ()), match_p or parties


def _said_about(catalog: Catalog, needle: str) -> set[str]:
    """Ids of the demands on which some position's words, or its sources', contain `needle`."""
    sources = {s.id for s in catalog.sources
               if needle in f"{s.outlet} {s.title or ''} {s.note or ''}".casefold()}
    found: set[str] = set()
    for rnd in catalog.rounds:
        for (_, did), p in rnd.positions.items():
            if did in found:
                continue
            words = f"{p.stance or ''} {p.note or ''} {p.quote or ''} {p.speaker or ''}"
            words += " ".join(f" {r.stance or ''} {r.note or ''}" for r in p.disputed)
            if needle in words.casefold() or not sources.isdisjoint(p.sources):
                found.add(did)
    return found


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
