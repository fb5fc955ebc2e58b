"""Two rounds side by side: pick them in a dialog, then read, per demand, each party's position
in the first and in the second, the shift between them and how the gap changed.

The dialog (`CompareDialog`) only chooses; it is dismissed with a `RoundsChoice` and the App
opens `CompareScreen` (or pins a baseline) from it, so neither screen reaches into the App.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, OptionList, Static
from textual.widgets.option_list import Option

from negotrack.store.analysis import SHIFT_GLYPHS, TREND_GLYPHS, Analysis, Gap, Shift, Trend
from negotrack.store.model import Catalog, Demand, Party, Position, Round
from negotrack.store.text import one_line

from ..present import AGREEMENT_STYLES, SHIFT_STYLES, position_text
from .backdrop import Modal
from .reading import ReadingScroll, claim_text, round_label, round_name, status_text


class RoundsChoice(NamedTuple):
    """Two rounds, the earlier first, and whether to pin the first as the dashboard's baseline
    (`pin`) instead of comparing them side by side."""

    first: str
    second: str
    pin: bool = False


def _option(rnd: Round) -> Option:
    return Option(round_label(rnd), id=rnd.id)


class CompareDialog(Modal[RoundsChoice | None]):
    """Choose two rounds: the first defaults to the pinned baseline, else the round before the
    current one; the second to the current one. Enter in the second list compares."""

    AUTO_FOCUS = "#compare-from"
    DEFAULT_CSS = """
    #compare-buttons { height: auto; margin-top: 1; }
    #compare-buttons Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("b", "choose(True)", "Pin as baseline"),
    ]

    def __init__(self, catalog: Catalog, base: str | None, current: str | None) -> None:
        super().__init__()
        self.catalog = catalog
        ids = [r.id for r in catalog.rounds]
        self.current = ids.index(current) if current in ids else len(ids) - 1
        self.base = ids.index(base) if base in ids and base != current else max(self.current - 1, 0)

    def compose(self) -> ComposeResult:
        with Vertical(id="compare-box"):
            yield Static(Text("Compare two rounds", style="bold") + Text(
                ": pick the first, Enter, then the second, Enter to see them side by side"
                " (b pins the first as the dashboard's baseline instead).", style="dim"))
            with Horizontal(id="compare-lists"):
                yield OptionList(*map(_option, self.catalog.rounds), id="compare-from")
                yield OptionList(*map(_option, self.catalog.rounds), id="compare-to")
            with Horizontal(id="compare-buttons"):
                yield Button("Compare side by side", id="compare-go", variant="primary")
                yield Button("Pin as baseline", id="compare-pin")

    def on_mount(self) -> None:
        first, second = self.query_one("#compare-from", OptionList), self.query_one("#compare-to", OptionList)
        first.border_title, second.border_title = "first round", "second round"
        first.highlighted, second.highlighted = self.base, self.current

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "compare-from":
            self.query_one("#compare-to", OptionList).focus()
        else:
            self.action_choose(False)

    @on(Button.Pressed, "#compare-go")
    def _go(self) -> None:
        self.action_choose(False)

    @on(Button.Pressed, "#compare-pin")
    def _pin(self) -> None:
        self.action_choose(True)

    def action_choose(self, pin: bool) -> None:
        first = self.query_one("#compare-from", OptionList).highlighted
        second = self.query_one("#compare-to", OptionList).highlighted
        if first is None or second is None:
            return
        if first == second:
            self.notify("Pick two different rounds.", markup=False)
            return
        ids = [r.id for r in self.catalog.rounds]
        first, second = sorted((first, second))
        self.dismiss(RoundsChoice(ids[first], ids[second], pin))


# -- the comparison --------------------------------------------------------------------------


def gap_words(demand: Demand, gap: Gap) -> Text:
    """`0.67 apart`, `2,600 prisoners apart`, `one-sided`, or `—` when there is no gap."""
    if gap.distance is None and gap.agreement is None:
        return Text("—", style="dim")
    text = Text()
    if gap.distance is not None:
        shown = gap.shown(demand)
        text.append(f"{shown} {one_line(demand.unit)} " if demand.kind == "number" and demand.unit else f"{shown} ")
    if gap.agreement is not None:
        text.append(gap.agreement.value, style=AGREEMENT_STYLES[gap.agreement])
    return text


def gap_line(analysis: Analysis, demand: Demand, first: str, second: str) -> Text:
    """`gap: 0.67 apart → 0.33 apart ↘ closing`: the gap in each round and its trend between."""
    before, after = analysis.gap(first, demand.id), analysis.gap(second, demand.id)
    text = Text("gap: ", style="dim")
    if demand.kind == "text" and before.agreement is None and after.agreement is None:
        return text.append("not measured (free text)", style="dim")
    text.append_text(gap_words(demand, before))
    text.append(" → ", style="dim")
    text.append_text(gap_words(demand, after))
    trend: Trend | None = analysis.trend_since(first, second, demand.id)
    if trend is not None:
        text.append(f"  {TREND_GLYPHS[trend]} {trend.value}", style="bold" if trend is not Trend.STEADY else "dim")
    return text


def _stance(catalog: Catalog, demand: Demand, position: Position | None, glyph: str = "", style: str = "") -> Text:
    """A position whole (it wraps, never cut), its shift glyph first, its claim mark under it."""
    if position is None:
        return Text(f"{glyph} —".strip(), style="dim")
    text = Text(f"{glyph} " if glyph else "", style=style)
    text.append(one_line(position_text(demand, position)), style="strike" if position.withdrawn else "")
    claim = claim_text(catalog, position)
    if claim:
        text.append("\n")
        text.append_text(claim)
    return text


def _party(party: Party) -> Text:
    text = Text(one_line(party.name), style="bold")
    if not party.is_side:
        text.append(f" ({party.role})", style="dim")
    return text


def changed(shift: Shift | None) -> bool:
    return shift is not None and shift.changed


def demand_block(analysis: Analysis, demand: Demand, first: Round, second: Round,
                 shifts: dict[tuple[str, str], Shift | None], changed_only: bool) -> Group | None:
    """One demand: its title and gap line, then a row per party with a position in either
    round (only the parties whose position changed with `changed_only`); None when nothing
    is left to show."""
    catalog = analysis.catalog
    rows = []
    for party in catalog.parties:
        old = analysis.cell(first.id, party.id, demand.id).position
        new = analysis.cell(second.id, party.id, demand.id).position
        shift = shifts.get((party.id, demand.id))
        if (old is None and new is None) or (changed_only and not changed(shift)):
            continue
        rows.append((party, old, new, shift))
    if changed_only and not rows:
        return None
    title = Text(one_line(demand.title), style="bold underline")
    if demand.kind == "number" and demand.unit:
        title.append(f" ({one_line(demand.unit)})", style="italic")
    table = Table(box=None, expand=True, padding=(0, 1), show_edge=False, header_style="dim")
    table.add_column("party", ratio=3, min_width=10)
    # named with their dates: two rounds often share a venue (Paris in January and in February)
    table.add_column(Text(f"{round_name(first)}, {first.date.isoformat()}") + status_text(first), ratio=5, min_width=12)
    table.add_column(Text(f"{round_name(second)}, {second.date.isoformat()}") + status_text(second), ratio=6, min_width=14)
    table.add_column("shift", ratio=2, min_width=8)
    for party, old, new, shift in rows:
        glyph = SHIFT_GLYPHS[shift] if shift is not None else ""
        style = SHIFT_STYLES.get(shift, "") if shift is not None else ""
        if new is not None and new is old:
            new_text = _stance(catalog, demand, new, glyph, "dim")  # nothing new: said quietly
            new_text.stylize("dim")
        else:
            new_text = _stance(catalog, demand, new, glyph, style)
        table.add_row(_party(party), _stance(catalog, demand, old), new_text,
                      Text(shift.value if shift is not None else "", style=style or "dim"))
    if not rows:
        table.add_row(Text("no position in either round", style="dim"), "", "", "")
    return Group(title, gap_line(analysis, demand, first.id, second.id), table, Text(""))


def summary_line(analysis: Analysis, first: str, second: str, shifts: dict[tuple[str, str], Shift | None]) -> Text:
    """`4 positions moved on 2 of 4 demands; the gap closed on 2, widened on 0.`"""
    demands = analysis.catalog.demands
    moved = [key for key, shift in shifts.items() if changed(shift)]
    moved_demands = {did for _, did in moved}
    trends = [analysis.trend_since(first, second, d.id) for d in demands]
    closing, widening = trends.count(Trend.CLOSING), trends.count(Trend.WIDENING)
    return Text(
        f"{len(moved)} position{'s' if len(moved) != 1 else ''} changed on {len(moved_demands)} of "
        f"{len(demands)} demand{'s' if len(demands) != 1 else ''}; the gap closed on {closing}, "
        f"widened on {widening}.")


class CompareScreen(Modal[None]):
    """Two rounds side by side, per demand; `c` keeps only what changed between them."""

    AUTO_FOCUS = "#compare-scroll"
    BINDINGS = [
        Binding("escape,q,x", "dismiss", "Close"),
        Binding("c", "toggle_changed", "Changed only"),
    ]
    DEFAULT_CSS = """
    CompareScreen { background: $background; }
    #compare-head { height: auto; padding: 0 1; background: $boost; border-bottom: solid $primary; }
    #compare-scroll { height: 1fr; padding: 0 1; }
    """

    def __init__(self, analysis: Analysis, first_id: str, second_id: str) -> None:
        super().__init__()
        self.analysis = analysis
        catalog = analysis.catalog
        self.first = catalog.rounds[catalog.round_index(first_id)]
        self.second = catalog.rounds[catalog.round_index(second_id)]
        self.shifts = analysis.compare(first_id, second_id)
        self.changed_only = False

    def compose(self) -> ComposeResult:
        yield Static(id="compare-head")
        with ReadingScroll(id="compare-scroll"):
            yield Static(id="compare-body")
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        analysis, first, second = self.analysis, self.first, self.second
        head = Text()
        head.append(" Compare ", style="bold reverse")
        head.append(" ")
        head.append_text(round_label(first))
        head.append("  →  ", style="bold")
        head.append_text(round_label(second))
        head.append("\n")
        head.append_text(summary_line(analysis, first.id, second.id, self.shifts))
        if self.changed_only:
            head.append("  ")
            head.append(" changed only (c) ", style="bold reverse")
        self.query_one("#compare-head", Static).update(head)
        blocks = [block for demand in analysis.catalog.demands
                  if (block := demand_block(analysis, demand, first, second, self.shifts, self.changed_only)) is not None]
        if not blocks:
            blocks = [Group(Text("Nothing changed between these two rounds.", style="italic"))]
        self.query_one("#compare-body", Static).update(Group(*blocks))

    def action_toggle_changed(self) -> None:
        self.changed_only = not self.changed_only
        self.show()
