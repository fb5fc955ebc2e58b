"""The command palette's entries: every action once, and "go to" a round, demand or party.

The actions (one per key binding, with all its keys, and "Draft from an article…") are system
commands, listed whole: a couple of dozen, however big the catalog.

The rounds, demands and parties come from `GoToProvider`, a command provider of its own
(`NegotrackApp.COMMANDS`), because the palette cannot stay fast when it is given them all. With
every round a system command, Textual's provider of system commands listed all 1,098 entries of
the XL catalog (1,000 rounds) when nothing was typed and yielded every match to a query, and the
palette measured and laid out whatever it was given (0.5 s of the opening in
`OptionList.get_content_height`). So:

- with nothing typed (`discover`), the provider lists the shown round and `ROUNDS_AROUND` either
  side of it, plus the first and the last (at most 13), in date order, the shown one marked; and
  the selected demand and party with `OTHERS_AROUND` either side, plus the first and the last.
  What the palette lays out stays a few dozen entries, whatever the catalog;
- once something is typed (`search`), every round, demand and party is matched with the palette's
  own fuzzy matcher (`self.matcher(query)`: the scores compare with the actions', so the palette's
  one order by score stays meaningful), against the entry's text ("Go to round: DATE VENUE TITLE
  (status)", the round found by its date, venue or title) followed by its id (shown in the help
  line), one call per entry; and only the best `MAX_HITS` are yielded, best first, ties in catalog
  order (the earlier round first). A query that every round matches ("2024", "round") lists 30
  rounds, not 1,000; typing on narrows them.
- Matching costs 5-30 ms for 1,070 entries at XL, more for loose queries such as "e e e" (the
  matcher tries every way the letters fit). A letter typed onto the query is matched only against
  what the shorter query matched (a query's letters in order are the shorter one's and more, so
  nothing else can match it), and a query seen before in this palette (after a backspace; the
  palette strips a trailing space) is not matched again. The matching is done `CHUNK` entries at
  a time with a turn of the event loop between, so a key typed meanwhile is handled and cancels
  the search it makes stale.

Measured by hand at XL (160x50, the key posted as the terminal driver posts it, to the palette's
list refreshed and the screen rendered; load average about 1): opening the palette, median 266
ms before, 87 ms after; a key typed in it, median 131 ms (up to 534) before, 53 ms (up to 182, the
first key, which also builds the entries) after. Opening it takes 53-80 ms on the three-round
test catalog too: that much is Textual's own palette, drawn over the matrix.

Demands and parties moved with the rounds, although XL has only 60 and 10: they are bounded the
same way with nothing typed (60 demands would be the biggest part of the list again), and one
provider shows all catalog text as plain text. Textual's provider of system commands passes every
title through `Content.from_markup`, so a demand titled "[bold]x" was shown bold, without its
brackets; here every prompt and help line is a `Content` made from the plain text, the matched
letters highlighted by their offsets (not with `Matcher.highlight`, which parses markup too), and
`Hit.text`, what choosing an entry puts in the input, is the plain text.
"""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from negotrack.store.text import one_line

#: actions Textual's own palette entries already offer (each other action is listed once, with
#: all its keys: `]` and `>` are one "Next round")
_HIDDEN = {"quit"}

#: with nothing typed: this many rounds either side of the shown one (and the first and the last)
ROUNDS_AROUND = 5
#: with nothing typed: this many demands (parties) either side of the selected one, and the first
#: and the last
OTHERS_AROUND = 3
#: at most this many rounds, demands and parties for a query, the best
MAX_HITS = 30
#: candidates matched between two turns of the event loop
CHUNK = 100


def system_commands(app) -> Iterator[SystemCommand]:  # noqa: ANN001 - the NegotrackApp
    """Every action once, and drafting from an article; the rest is `GoToProvider`'s."""
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


@dataclass(frozen=True, slots=True)
class _Target:
    """A round, demand or party the palette can go to, as it is shown and matched."""

    #: the prompt, plain text ("Go to round: 2024-01-10 Doha Talks open")
    text: str
    #: the help line, plain text, with `key` in it at `key_at`
    help: str
    #: the id as shown
    key: str
    key_at: int
    go: Callable[[], object]

    @property
    def matched(self) -> str:
        """What a query is matched against: the prompt, then the id (one call of the matcher)."""
        return f"{self.text}{_SEP}{self.key}"


#: between the prompt and the id in `_Target.matched`
_SEP = "  "


def _round(app, catalog, i: int) -> _Target:  # noqa: ANN001 - the NegotrackApp and its Catalog
    rnd = catalog.rounds[i]
    words = [rnd.date.isoformat(), rnd.venue or "", rnd.title or ""]
    label = " ".join(one_line(w, 60) for w in words if w)
    status = f" ({rnd.status})" if rnd.status != "reported" else ""
    key = one_line(rnd.id, 40)
    head = f"round {i + 1} of {len(catalog.rounds)}: "
    return _Target(f"Go to round: {label}{status}", head + key, key, len(head), lambda: app._go_to_round(i))


def _demand(app, demand) -> _Target:  # noqa: ANN001 - the NegotrackApp and a Demand
    key = one_line(demand.id, 40)
    return _Target(f"Go to demand: {one_line(demand.title, 60)}", f"row of `{key}`", key, len("row of `"),
                   lambda: app.go_to_demand(demand.id))


def _party(app, party) -> _Target:  # noqa: ANN001 - the NegotrackApp and a Party
    key = one_line(party.id, 40)
    return _Target(f"Go to party: {one_line(party.name, 60)}", f"column of `{key}` ({party.role})", key,
                   len("column of `"), lambda: app.go_to_party(party.id))


def around(count: int, here: int, reach: int) -> list[int]:
    """The indexes listed with nothing typed: `here` and `reach` either side, the first and the last."""
    if count <= 0:
        return []
    here = min(max(here, 0), count - 1)
    return sorted(set(range(max(0, here - reach), min(count, here + reach + 1))) | {0, count - 1})


def _marked(text: str, offsets, style) -> Content:  # noqa: ANN001 - a sequence of ints, a Style
    """`text` as plain text, with the letters at `offsets` in `style`."""
    content = Content(text)
    for offset in offsets:
        # the matcher's offsets are in the lowercased text, which may be longer
        if offset < len(text) and not text[offset].isspace():
            content = content.stylize(style, offset, offset + 1)
    return content


class _AfterTheActions(DiscoveryHit):
    """A "go to" entry listed with nothing typed. Textual orders the palette by score, and the
    providers' entries otherwise in whatever order their tasks deliver them: the actions, the
    palette's first purpose, come first, then these."""

    @property
    def score(self) -> float:
        return -1.0


class GoToProvider(Provider):
    """Go to a round, a demand or a party: a few with nothing typed, the best matches to a query."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - Provider's
        super().__init__(*args, **kwargs)
        #: the catalog the rest is for; it is all dropped when the app has another one
        self._catalog: object | None = None
        #: every target, with the text it is matched against, in catalog order
        self._targets: list[tuple[str, _Target]] = []
        #: the lowercased queries of this palette, each with what matched it:
        #: [(score, target), ...] in catalog order
        self._found: dict[str, list[tuple[float, _Target]]] = {}

    def _all(self, catalog) -> list[tuple[str, _Target]]:  # noqa: ANN001 - a Catalog
        if catalog is not self._catalog:
            app = self.app
            targets = [_round(app, catalog, i) for i in range(len(catalog.rounds))]
            targets += [_demand(app, d) for d in catalog.demands]
            targets += [_party(app, p) for p in catalog.parties]
            self._catalog, self._targets, self._found = catalog, [(t.matched, t) for t in targets], {}
        return self._targets

    async def discover(self) -> Hits:
        app = self.app
        catalog = getattr(app, "catalog", None)
        if catalog is None:
            return
        here = app.round_index
        for i in around(len(catalog.rounds), here, ROUNDS_AROUND):
            target = _round(app, catalog, i)
            shown = " (shown)" if i == here else ""
            yield _AfterTheActions(Content(target.text), target.go, text=target.text,
                                   help=Content(target.help + shown))  # type: ignore[arg-type]  # a Content is shown as is
        selection = app.selection
        for items, selected, make in ((catalog.demands, selection.demand_id, _demand),
                                      (catalog.parties, selection.party_id, _party)):
            ids = [item.id for item in items]
            here = ids.index(selected) if selected in ids else 0
            for i in around(len(items), here, OTHERS_AROUND):
                target = make(app, items[i])
                yield _AfterTheActions(Content(target.text), target.go, text=target.text,
                                       help=Content(target.help))  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        catalog = getattr(self.app, "catalog", None)
        if catalog is None:
            return
        matcher = self.matcher(query)
        found = await self._matching(matcher, self._all(catalog))
        # nlargest is sorted(..., reverse=True)[:n]: stable, so ties stay in catalog order
        for score, target in heapq.nlargest(MAX_HITS, found, key=lambda hit: hit[0]):
            prompt, help = self._shown(matcher, target)
            yield Hit(score, prompt, target.go, text=target.text, help=help)  # type: ignore[arg-type]

    async def _matching(self, matcher: Matcher, targets: list[tuple[str, _Target]]) -> list[tuple[float, _Target]]:
        """Every target the query matches, with its score, in catalog order.

        The matcher ignores case, and a query matches only where the query it extends matched
        (its letters in order are those letters and more), so typing a letter matches the last
        query's hits again, not the whole catalog; a query seen before (after a backspace, or
        the same query once the palette has stripped a trailing space) is not matched again.
        """
        key = matcher.query.lower()
        if key in self._found:
            return self._found[key]
        shorter = max((q for q in self._found if key.startswith(q)), key=len, default=None)
        candidates = targets if shorter is None else [(t.matched, t) for _, t in self._found[shorter]]
        match = matcher.match
        found: list[tuple[float, _Target]] = []
        for start in range(0, len(candidates), CHUNK):
            if start:
                await asyncio.sleep(0)  # a key typed meanwhile is handled, and cancels this search
            for text, target in candidates[start:start + CHUNK]:
                score = match(text)
                if score:
                    found.append((score, target))
        self._found[key] = found
        return found

    @staticmethod
    def _shown(matcher: Matcher, target: _Target) -> tuple[Content, Content]:
        """The prompt and the help line, with the letters the query matched highlighted."""
        offsets = matcher.fuzzy_search.match(matcher.query, target.matched)[1]  # cached by `match`
        cut = len(target.text) + len(_SEP)
        return (_marked(target.text, [o for o in offsets if o < len(target.text)], matcher.match_style),
                _marked(target.help, [target.key_at + o - cut for o in offsets if o >= cut], matcher.match_style))


def _draft_screen(catalog):  # noqa: ANN001, ANN202 - a Catalog; the screen is imported when asked for
    from .screens.draft import DraftScreen

    return DraftScreen(catalog)
