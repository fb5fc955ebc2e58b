"""The command palette's entries: every action once, and "go to" a round, demand or party.

Rounds are listed in date order and found by their date, venue, title or id; demands by their
title; parties by their name.
"""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import SystemCommand
from textual.binding import Binding

from negotrack.store.text import one_line

#: actions Textual's own palette entries already offer (each other action is listed once, with
#: all its keys: `]` and `>` are one "Next round")
_HIDDEN = {"quit"}


def system_commands(app) -> Iterator[SystemCommand]:  # noqa: ANN001 - the NegotrackApp
    seen: set[str] = set()
    for binding in app.BINDINGS:
        assert isinstance(binding, Binding)
        if binding.action in _HIDDEN or binding.action in seen:
            continue
        seen.add(binding.action)
        keys = [b.key_display or b.key for b in app.BINDINGS if isinstance(b, Binding) and b.action == binding.action]
        yield SystemCommand(binding.tooltip or binding.description, f"key: {' or '.join(keys)}",
                            lambda action=binding.action: app.run_action(action))
    catalog = app.catalog
    if catalog is None:
        return
    yield SystemCommand("Draft from an article…", "propose positions from a report, to review; the catalog is never written",
                        lambda: app.push_screen(_draft_screen(catalog)))
    for i, rnd in enumerate(catalog.rounds):
        words = [rnd.date.isoformat(), rnd.venue or "", rnd.title or ""]
        label = " ".join(one_line(w, 60) for w in words if w)
        status = f" ({rnd.status})" if rnd.status != "reported" else ""
        yield SystemCommand(f"Go to round: {label}{status}", f"round {i + 1} of {len(catalog.rounds)}: {one_line(rnd.id, 40)}",
                            lambda i=i: app._go_to_round(i))
    for demand in catalog.demands:
        yield SystemCommand(f"Go to demand: {one_line(demand.title, 60)}", f"row of `{one_line(demand.id, 40)}`",
                            lambda d=demand.id: app.go_to_demand(d))
    for party in catalog.parties:
        yield SystemCommand(f"Go to party: {one_line(party.name, 60)}", f"column of `{one_line(party.id, 40)}` ({party.role})",
                            lambda p=party.id: app.go_to_party(p))


def _draft_screen(catalog):  # noqa: ANN001, ANN202 - a Catalog; the screen is imported when asked for
    from .screens.draft import DraftScreen

    return DraftScreen(catalog)
