"""The round header, the error banner and the detail pane: they render what they are given."""

from __future__ import annotations

import os

from rich.console import Group
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from negotrack.store.analysis import SHIFT_GLYPHS, Analysis
from negotrack.store.model import Catalog, Position, Report
from negotrack.store.text import one_line

from negotrack.store.analysis import SHIFT_MEANINGS

from ..present import SHIFT_STYLES, block, plain, position_text


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


class RoundHeader(Static):
    """Round N of M, its date, venue, title, summary, sources, and a strip of every round."""

    #: what `show` was last given, to shorten the lines again when the width changes
    _shown: tuple[Catalog, int, str | None] | None = None

    def loading(self, path: str) -> None:
        """What the first frame says while the catalog is read (a second or two at 200 rounds)."""
        text = Text("Reading ", style="dim")
        text.append(one_line(os.path.basename(path)), style="bold")
        text.append("…", style="dim")
        self.update(text, layout=False)

    def on_resize(self) -> None:
        if self._shown is not None:
            self.show(*self._shown)  # the summary and sources are shortened to the width

    def show(self, catalog: Catalog, index: int, baseline: str | None) -> None:
        self._shown = (catalog, index, baseline)
        rnd = catalog.rounds[index]
        head = Text()
        head.append(f"Round {index + 1} of {len(catalog.rounds)}", style="bold reverse")
        head.append(f"  {rnd.date.isoformat()}", style="bold")
        if rnd.venue:
            head.append("  ")
            head.append(one_line(rnd.venue), style="bold")
        if rnd.title:
            head.append(" — ")
            head.append(plain(rnd.title))
        if baseline is not None:
            head.append("  vs baseline ", style="italic")
            head.append(one_line(baseline), style="bold italic")
        width = max(self.size.width - 2, 40)
        strip = round_strip(catalog, index, baseline, width - len(one_line(rnd.id)) - 2)
        strip.append("  ")
        strip.append(one_line(rnd.id), style="dim")
        lines = [head, strip]
        if rnd.summary:
            lines.append(plain(rnd.summary, width))
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
    """A dot per round (● current, ◆ baseline), windowed around the current round when there
    are more rounds than fit; `…` marks rounds cut off on either side."""
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
            run.append("○")
    text.append("".join(run), style="dim")
    if end < len(rounds):
        text.append("…", style="dim")
    return text


class Banner(Static):
    """Shown when a save broke the file: the last good catalog stays on screen below it."""


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
    if position.note:
        lines.append(Text("Note: ", style="bold") + block(position.note))
    if isinstance(position, Position) and position.quote:
        lines.append(Text("Quote: ", style="bold") + block(f"“{position.quote}”", style="italic"))
    if position.sources:
        lines.append(Text("Sources: ", style="bold") + sources_line(catalog, position.sources))
        for sid in position.sources:
            source = catalog.source(sid)
            if source is not None and source.url:
                lines.append(Text("  ") + plain(source.url))
    return lines


class DetailPane(VerticalScroll):
    """The selected cell in full, with its history across every round."""

    def __init__(self, **kwargs) -> None:  # noqa: ANN003 - Widget's kwargs
        super().__init__(**kwargs)
        #: (width, height) of what the body shows, to skip layout passes that change nothing
        self._shown: tuple[int, int | None] = (0, None)

    def compose(self):  # noqa: ANN201 - textual's ComposeResult
        yield Static(id="detail-body")

    def show(self, analysis: Analysis, round_id: str, demand_id: str | None, party_id: str | None,
             extra: list[Text] | None = None) -> None:
        body = self.query_one("#detail-body", Static)
        catalog = analysis.catalog
        if demand_id is None:
            self._put(body, [Text("Nothing selected.", style="dim")])
            return
        demand = catalog.demand(demand_id)
        lines: list[Text] = [Text(one_line(demand.title), style="bold underline")]
        if demand.kind == "scale" and demand.scale:
            lines.append(Text("Scale: ", style="dim") + plain(" < ".join(demand.scale)))
        elif demand.unit:
            lines.append(Text("Unit: ", style="dim") + plain(demand.unit))
        if demand.note:
            lines.append(block(demand.note, style="dim"))
        if party_id is None:
            gap = analysis.gap(round_id, demand_id)
            lines.append(Text(f"Gap: {gap.shown(demand) or '—'}  {gap.agreement or ''}  {gap.trend or ''}"))
            self._put(body, lines)
            return
        party = catalog.party(party_id)
        cell = analysis.cell(round_id, party_id, demand_id)
        lines.append(Text("Party: ", style="dim") + plain(party.name) + Text(f" ({party.role})", style="dim"))
        if cell.position is None:
            lines.append(Text("No position stated yet.", style="dim"))
        else:
            shift = cell.shift
            if shift is not None:
                lines.append(Text(f"{SHIFT_GLYPHS[shift]} {shift.value}: {SHIFT_MEANINGS[shift]}", style=SHIFT_STYLES[shift]))
            if cell.carried:
                lines.append(Text(f"Carried over from round {cell.position.round}", style="dim"))
            lines += _position_lines(catalog, demand.unit, cell.position, "Position")
            for report in cell.position.disputed:
                lines.append(Text("Disputed report ‡", style="bold yellow"))
                lines += _position_lines(catalog, demand.unit, report, "  Says")
            lines.append(Text(f"{one_line(os.path.basename(catalog.path))}:{cell.position.line}  (e edits it there)", style="dim"))
        lines.append(Text("History across rounds", style="bold underline"))
        for past in analysis.history(party_id, demand_id):
            shift = past.shift
            glyph = SHIFT_GLYPHS[shift] if shift is not None else " "
            row = Text(f"{glyph} ", style=SHIFT_STYLES.get(shift, "") if shift else "")
            row.append(one_line(past.round, 18), style="bold" if past.round == round_id else "")
            row.append("  ")
            row.append(one_line(position_text(demand, past.position) or "—", 40), style="dim" if past.carried else "")
            lines.append(row)
        if extra:
            lines += extra
        self._put(body, lines)

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
