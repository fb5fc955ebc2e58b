"""What the reading screens share (compare, a round's account, timeline, help, errors): a scroll
that takes the reading keys as soon as the screen opens, and catalog values said the same way
on each of them.

Every catalog string goes through `one_line`/`clean` into a `Text`, never into markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll

from negotrack.store.analysis import CLAIM_GLYPH
from negotrack.store.model import Catalog, Position, Round
from negotrack.store.text import one_line

#: the style of the claim mark, as in the matrix
CLAIM_STYLE = "cyan"

#: a round no report confirms, marked wherever rounds are listed (FORMAT.md 1.1)
STATUS_MARK = "◌"
STATUS_MEANINGS = {
    "announced": "announced: a report says these talks will take place; none yet says they did",
    "inferred": "inferred: this catalog's own dating or placing of talks the reports speak of",
}


class ReadingScroll(VerticalScroll):
    """A scroll that a screen focuses on opening, with the keys a reader tries first: the
    arrows and vim keys, Home/End and g/G, PageUp/PageDown and space."""

    BINDINGS = [
        Binding("down,j", "scroll_down", "Scroll down", show=False),
        Binding("up,k", "scroll_up", "Scroll up", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("pageup,b", "page_up", "Page up", show=False),
        Binding("home,g", "scroll_home", "Top", show=False),
        Binding("end,G", "scroll_end", "Bottom", show=False),
    ]


def party_name(catalog: Catalog, party_id: str) -> str:
    """The party's name, or its id when the catalog no longer names it."""
    try:
        return one_line(catalog.party(party_id).name)
    except StopIteration:
        return one_line(party_id)


def claim_text(catalog: Catalog, position: Position | None) -> Text:
    """`» per Hamas` for a claim (one side's account of another's stance), else empty."""
    if position is None or not position.claim or not position.according_to:
        return Text()
    text = Text(f"{CLAIM_GLYPH} per ", style=CLAIM_STYLE)
    text.append(party_name(catalog, position.according_to), style=CLAIM_STYLE)
    return text


def status_text(rnd: Round, long: bool = False) -> Text:
    """` ◌ announced` for a round no report confirms (with its meaning when `long`), else empty."""
    if rnd.status not in STATUS_MEANINGS:
        return Text()
    said = STATUS_MEANINGS[rnd.status] if long else rnd.status
    return Text(f" {STATUS_MARK} {said}", style="italic")


def round_name(rnd: Round, width: int | None = None) -> str:
    """What a reader calls a round: its venue, else its title, else its id."""
    return one_line(rnd.venue or rnd.title or rnd.id, width)


def round_label(rnd: Round) -> Text:
    """`2024-02-25 Paris — Paris meeting drafts a framework ◌ announced` on one line."""
    text = Text(rnd.date.isoformat(), style="bold")
    text.append(" ")
    text.append(round_name(rnd), style="bold")
    if rnd.title and rnd.venue:
        text.append(" — ")
        text.append(one_line(rnd.title))
    return text + status_text(rnd)
