"""The round header, the error banner and the detail pane: they render what they are given."""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from negotrack.store.analysis import CLAIM_GLYPH, SHIFT_GLYPHS, SHIFT_MEANINGS, Analysis, Cell, Shift
from negotrack.store.model import Catalog, Demand, Position, Report
from negotrack.store.text import one_line

from ..present import SHIFT_STYLES, block, plain, position_text

if TYPE_CHECKING:
    # imported where they are used: archived reports are read only for a quote's context
    from negotrack.store.quotes import Archive


def sources_line(catalog: Catalog, ids: tuple[str, ...]) -> Text:
    text = Text()
    for i, sid in enumerate(ids):
        source = catalog.source(sid)
        if i:
            text.append("; ")
        if source is None:
            text.append(plain(sid))
            continue
        text.append(one_line(source.outlet), style="bold")
        if source.date:
            text.append(f" {source.date.isoformat()}")
        if source.title:
            text.append(" “")
            text.append(plain(source.title, 70))
            text.append("”")
    return text


#: the detail pane's history lists this many rounds either side of the shown one (the timeline,
#: `t`, has them all): at 1,000 rounds the whole list took ~45 ms to build and draw after every
#: round switch, and a thousand lines in a pane a third of the screen wide help no one
HISTORY_REACH = 15
#: the strip's mark of a round no report confirms (announced or inferred)
UNCONFIRMED = "◌"
STATUS_NOTES = {
    "announced": "announced: a report says it will take place",
    "inferred": "inferred: the catalog's own dating or placing",
}


class RoundHeader(Static):
    """Round N of M, its date, venue, title, status, summary, sources, and a strip of every
    round; a click (or `r`) opens the round's full account."""

    class Clicked(Message):
        """The user clicked the header: the app opens the round's account."""

    #: what `show` was last given, to shorten the lines again when the width changes
    _shown: tuple[Catalog, int, str | None, tuple[str, ...]] | None = None

    def loading(self, path: str) -> None:
        """What the first frame says while the catalog is read (a second or two at 200 rounds)."""
        text = Text("Reading ", style="dim")
        text.append(one_line(os.path.basename(path)), style="bold")
        text.append("…", style="dim")
        self.update(text, layout=False)

    def on_click(self) -> None:
        if self._shown is not None:
            self.post_message(self.Clicked())

    def on_resize(self) -> None:
        if self._shown is not None:
            self.show(*self._shown)  # the summary and sources are shortened to the width

    def show(self, catalog: Catalog, index: int, baseline: str | None, marks: tuple[str, ...] = ()) -> None:
        """`marks` are the view's modes the user should not forget (changed only, claims hidden)."""
        self._shown = (catalog, index, baseline, marks)
        rnd = catalog.rounds[index]
        width = max(self.size.width - 2, 40)
        head = Text()
        head.append(f"Round {index + 1} of {len(catalog.rounds)}", style="bold reverse")
        head.append(f"  {rnd.date.isoformat()}", style="bold")
        if rnd.status != "reported":
            head.append(f" ({rnd.status})", style="bold italic")
        if rnd.venue:
            head.append("  ")
            head.append(one_line(rnd.venue), style="bold")
        if rnd.title:
            head.append(" — ")
            head.append(plain(rnd.title))
        modes = Text()
        if baseline is not None and baseline != rnd.id:
            modes.append(" vs baseline ", style="reverse")
            modes.append(" ")
            modes.append(one_line(baseline), style="bold")
            modes.append(" ")
        for mark in marks:
            modes.append(f" {mark} ", style="reverse")
            modes.append(" ")
        strip = round_strip(catalog, index, baseline, width - len(one_line(rnd.id)) - 2 - modes.cell_len)
        strip.append("  ")
        strip.append(one_line(rnd.id), style="dim")
        if modes:
            strip.append("  ")
            strip.append_text(modes)
        lines = [head, strip]
        summary = Text()
        if rnd.status != "reported":
            summary.append(STATUS_NOTES.get(rnd.status, rnd.status) + ". ", style="italic")
        if rnd.summary:
            summary.append(plain(rnd.summary))
        if summary:
            if summary.cell_len > width:
                summary.truncate(width - 18, overflow="ellipsis")
                summary.append("  r: full account", style="bold")
            lines.append(summary)
        if rnd.sources:
            line = Text("Sources: ", style="dim") + sources_line(catalog, rnd.sources)
            line.truncate(width, overflow="ellipsis")
            lines.append(line)
        for line in lines:
            line.no_wrap = True
            line.overflow = "ellipsis"
        # the header's height is fixed in the stylesheet, so a new round needs no layout pass
        self.update(Group(*lines), layout=False)


def round_strip(catalog: Catalog, index: int, baseline: str | None, width: int) -> Text:
    """A dot per round (● current, ◆ baseline, ◌ announced or inferred), windowed around the
    current round when there are more rounds than fit; `…` marks rounds cut off on either side."""
    rounds = catalog.rounds
    width = max(width, 5)
    start, end = 0, len(rounds)
    if end > width:
        width -= 2  # room for the marks of rounds cut off
        start = max(0, min(index - width // 2, end - width))
        end = start + width
    text = Text("…" if start else "", style="dim")
    run = []
    for i in range(start, end):
        if i == index or rounds[i].id == baseline:
            text.append("".join(run), style="dim")
            run = []
            text.append("●" if i == index else "◆", style="bold")
        else:
            run.append("○" if rounds[i].status == "reported" else UNCONFIRMED)
    text.append("".join(run), style="dim")
    if end < len(rounds):
        text.append("…", style="dim")
    return text


class Banner(Static):
    """Shown when a save broke the file: the last good catalog stays on screen below it."""


@functools.lru_cache(maxsize=16)
def _archive(path: str, stamp: int) -> Archive | None:
    """A source's archived report, read once per version of the file."""
    from negotrack.store.article import ArticleError, read_article
    from negotrack.store.quotes import Archive

    try:
        return Archive(read_article(path))
    except ArticleError:
        return None


def quote_context(catalog: Catalog, position: Position) -> tuple[str, str, str] | None:
    """(sentence before, the quote's sentence, sentence after) from the first archived report
    the position cites that holds the quote; None when none does."""
    from negotrack.store.quotes import archive_path

    for sid in position.sources:
        source = catalog.source(sid)
        if source is None or not source.archive or not position.quote:
            continue
        path = archive_path(catalog, source.archive)
        try:
            stamp = os.stat(path).st_mtime_ns
        except OSError:
            continue
        archive = _archive(path, stamp)
        context = archive.context(position.quote) if archive is not None else None
        if context is not None:
            return context
    return None


def _account(catalog: Catalog, position: Position | Report) -> list[Text]:
    """Whose account a position (or disputed report) is, and who spoke."""
    lines = []
    if position.claim and position.according_to:
        line = Text(f"{CLAIM_GLYPH} claim: per ", style="bold cyan")
        line.append(plain(catalog.party(position.according_to).name))
        line.append(" (another side's account of this stance)", style="cyan")
        lines.append(line)
    elif position.according_to:
        lines.append(Text("Account: ", style="bold") + plain(catalog.party(position.according_to).name))
    if position.speaker:
        lines.append(Text("Speaker: ", style="bold") + plain(position.speaker))
    return lines


def _position_lines(catalog: Catalog, demand_unit: str | None, position: Position | Report, label: str) -> list[Text]:
    lines: list[Text] = []
    head = Text(f"{label}: ", style="bold")
    if isinstance(position, Position) and position.withdrawn:
        head.append("withdrawn", style="strike")
    else:
        shown = position.shown()
        head.append(plain(f"{shown} {demand_unit}" if position.value is not None and demand_unit else shown))
    if isinstance(position, Position) and position.status:
        head.append(f"  [{position.status}]", style="italic")
    lines.append(head)
    lines += _account(catalog, position)
    if position.note:
        lines.append(Text("Note: ", style="bold") + block(position.note))
    if isinstance(position, Position) and position.quote:
        lines.append(Text("Quote: ", style="bold") + block(f"“{position.quote}”", style="italic"))
        context = quote_context(catalog, position)
        if context is not None:
            before, sentence, after = context
            text = Text("In the archived report: ", style="bold dim")
            text.append(one_line(before) + " " if before else "", style="dim")
            text.append(one_line(sentence), style="italic")
            text.append(" " + one_line(after) if after else "", style="dim")
            lines.append(text)
    if position.sources:
        lines.append(Text("Sources: ", style="bold") + sources_line(catalog, position.sources))
        for sid in position.sources:
            source = catalog.source(sid)
            if source is not None and source.url:
                lines.append(Text("  ") + plain(source.url))
    return lines


def _shift_lines(demand: Demand, cell: Cell, shift: Shift | None, before: Position | None) -> list[Text]:
    """What the shift was, and what the position moved from."""
    lines: list[Text] = []
    if shift is None:
        return lines
    lines.append(Text(f"{SHIFT_GLYPHS[shift]} {shift.value}: {SHIFT_MEANINGS[shift]}", style=SHIFT_STYLES[shift]))
    if cell.resumed:
        lines.append(Text("Taken up again after a withdrawal", style="italic"))
    if cell.restated:
        lines.append(Text("Restated in a new report", style="italic"))
    if shift.changed and before is not None and before is not cell.position:
        moved = Text("Moved from: ", style="bold")
        moved.append(plain(position_text(demand, before) or "—"))
        moved.append(f" (round {one_line(before.round)})", style="dim")
        lines.append(moved)
    return lines


def detail_lines(analysis: Analysis, round_id: str, demand_id: str, party_id: str | None,
                 basis: str | None = None, shift: Shift | None | bool = False) -> list[Text]:
    """The selected cell in full: the demand, the position with its account, quote and sources,
    what it moved from, and its history across rounds; for the demand or gap column, every
    party's position in this round. `basis` and `shift` are the baseline's when one is pinned."""
    catalog = analysis.catalog
    demand = catalog.demand(demand_id)
    lines: list[Text] = [Text(one_line(demand.title), style="bold underline")]
    if demand.kind == "scale" and demand.scale:
        lines.append(Text("Scale: ", style="dim") + plain(" < ".join(demand.scale)))
    elif demand.unit:
        lines.append(Text("Unit: ", style="dim") + plain(demand.unit))
    if not analysis.claims:
        lines.append(Text(f"Claims ({CLAIM_GLYPH}) are hidden: a to show them", style="italic dim"))
    if party_id is None:
        gap = analysis.gap(round_id, demand_id)
        trend = analysis.trend_since(basis, round_id, demand_id) if basis else gap.trend
        lines.append(Text(f"Gap: {gap.shown(demand) or '—'}  {gap.agreement or ''}  {trend or ''}"))
        if basis:
            lines.append(Text(f"Trend measured from the baseline, {one_line(basis)}", style="dim"))
        lines.append(Text("Positions in this round", style="bold underline"))
        for party in catalog.parties:
            cell = analysis.cell(round_id, party.id, demand_id)
            row = Text(f"{SHIFT_GLYPHS.get(cell.shift, ' ') if cell.shift else ' '} ")
            row.append(one_line(party.name), style="bold" if party.is_side else "italic")
            row.append(": ")
            row.append(one_line(position_text(demand, cell.position) or "—"), style="dim" if cell.carried else "")
            if cell.position is not None and cell.position.claim:
                row.append(f"  {CLAIM_GLYPH} per {one_line(catalog.party(cell.position.according_to).name)}", style="cyan")
            lines.append(row)
        if demand.note:
            lines.append(block(demand.note, style="dim"))
        return lines
    party = catalog.party(party_id)
    cell = analysis.cell(round_id, party_id, demand_id)
    lines.append(Text("Party: ", style="dim") + plain(party.name) + Text(f" ({party.role})", style="dim"))
    if cell.position is None:
        lines.append(Text("No position stated yet.", style="dim"))
    else:
        if shift is False:
            shift = cell.shift
        before = analysis.cell(basis, party_id, demand_id).position if basis else cell.previous
        lines += _shift_lines(demand, cell, shift, before)
        if basis:
            lines.append(Text(f"Measured from the baseline, {one_line(basis)}", style="dim"))
        if cell.carried:
            lines.append(Text(f"Carried over from round {cell.position.round}", style="dim"))
        lines += _position_lines(catalog, demand.unit, cell.position, "Position")
        for report in cell.position.disputed:
            lines.append(Text("Disputed report ‡", style="bold yellow"))
            lines += _position_lines(catalog, demand.unit, report, "  Says")
        lines.append(Text(f"{one_line(os.path.basename(catalog.path))}:{cell.position.line}  (e edits it there)", style="dim"))
    if demand.note:
        lines.append(block(demand.note, style="dim"))
    lines.append(Text("History across rounds", style="bold underline"))
    history = analysis.history(party_id, demand_id)
    here = next((i for i, past in enumerate(history) if past.round == round_id), len(history) - 1)
    start, end = max(0, here - HISTORY_REACH), min(len(history), here + HISTORY_REACH + 1)
    if start:
        lines.append(Text(f"… {start} earlier round{'s' if start > 1 else ''} (t: the timeline shows every round)",
                          style="dim"))
    for past in history[start:end]:
        glyph = SHIFT_GLYPHS[past.shift] if past.shift is not None else " "
        row = Text(f"{glyph} ", style=SHIFT_STYLES.get(past.shift, "") if past.shift else "")
        row.append(one_line(past.round, 18), style="bold" if past.round == round_id else "")
        row.append("  ")
        row.append(one_line(position_text(demand, past.position) or "—", 40), style="dim" if past.carried else "")
        if past.position is not None and past.position.claim and not past.carried:
            row.append(f" {CLAIM_GLYPH}", style="cyan")
        lines.append(row)
    if end < len(history):
        later = len(history) - end
        lines.append(Text(f"… {later} later round{'s' if later > 1 else ''}", style="dim"))
    return lines


class DetailPane(VerticalScroll):
    """The selected cell in full, with its history in the rounds around the shown one."""

    def __init__(self, **kwargs) -> None:  # noqa: ANN003 - Widget's kwargs
        super().__init__(**kwargs)
        #: (width, height) of what the body shows, to skip layout passes that change nothing
        self._shown: tuple[int, int | None] = (0, None)

    def compose(self):  # noqa: ANN201 - textual's ComposeResult
        yield Static(id="detail-body")

    def show(self, analysis: Analysis, round_id: str, demand_id: str | None, party_id: str | None,
             extra: list[Text] | None = None, basis: str | None = None, shift: Shift | None | bool = False) -> None:
        body = self.query_one("#detail-body", Static)
        if demand_id is None:
            self._put(body, [Text("Nothing selected.", style="dim")])
            return
        lines = detail_lines(analysis, round_id, demand_id, party_id, basis, shift)
        self._put(body, lines + (extra or []))

    def _put(self, body: Static, lines: list[Text]) -> None:
        """Show `lines`, with a layout pass only when their height changes: a pass costs a
        reflow of the whole screen, a fifth of a round switch at 200 rounds."""
        width = body.size.width
        height = _height(self.app.console, lines, width) if width else None
        same = height is not None and (width, height) == self._shown
        self._shown = (width, height)
        body.update(Group(*lines), layout=not same)


def _height(console, lines: list[Text], width: int) -> int:  # noqa: ANN001 - rich's Console
    """Lines that `lines` take at `width`, as rich wraps them (short lines are counted cheaply)."""
    total = 0
    for line in lines:
        if "\n" not in line.plain and line.cell_len <= width:
            total += 1
        else:
            total += len(line.wrap(console, width))
    return total
