"""A round's whole account: title, date, venue, status, its summary in full, its sources, and
what changed in it, in the sentences the Markdown export writes."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static

from negotrack.store.analysis import SHIFT_GLYPHS, Analysis
from negotrack.store.model import Catalog, Round
from negotrack.store.text import clean, one_line

from ..present import SHIFT_STYLES
from .backdrop import Modal
from .reading import STATUS_MARK, STATUS_MEANINGS, ReadingScroll, party_name, round_name


def _heading(title: str) -> Text:
    return Text(f"\n{title}", style="bold underline")


def _bulleted(rows: list[tuple[Text, RenderableType]]) -> Table:
    """Items with their mark in a column of their own, so that wrapped lines stay indented."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(width=1, no_wrap=True)
    table.add_column(ratio=1, overflow="fold")  # a long url is broken, never cut
    for mark, body in rows:
        table.add_row(mark, body)
    return table


def sentence_text(parts) -> Text:  # noqa: ANN001 - the export's sentence parts
    """A sentence of the export as Text: catalog pieces cleaned and on one line, never markup."""
    text = Text()
    for piece, from_catalog in parts:
        text.append(one_line(piece) if from_catalog else piece)
    return text


def head_lines(catalog: Catalog, rnd: Round) -> list[Text]:
    """`Round 2 of 4  2024-02-25  Paris`, the title, and the round's status said in words."""
    index = catalog.round_index(rnd.id)
    head = Text()
    head.append(f" Round {index + 1} of {len(catalog.rounds)} ", style="bold reverse")
    head.append(f"  {rnd.date.isoformat()}", style="bold")
    if rnd.venue:
        head.append("  ")
        head.append(one_line(rnd.venue), style="bold")
    head.append("  ")
    head.append(one_line(rnd.id), style="dim")
    lines = [head]
    if rnd.title:
        lines.append(Text(one_line(rnd.title), style="bold"))
    if rnd.status in STATUS_MEANINGS:
        lines.append(Text(f"{STATUS_MARK} {STATUS_MEANINGS[rnd.status]}", style="bold italic"))
    else:
        lines.append(Text("reported: a report says these talks took place", style="dim"))
    return lines


def source_rows(catalog: Catalog, ids: tuple[str, ...] | list[str]) -> list[tuple[Text, RenderableType]]:
    """Each source: outlet, date, “title”, whose account it is, the url, the note."""
    rows: list[tuple[Text, RenderableType]] = []
    for sid in ids:
        source = catalog.source(sid)
        if source is None:
            rows.append((Text("•"), Text(one_line(sid))))
            continue
        text = Text(one_line(source.outlet), style="bold")
        if source.date:
            text.append(f", {source.date.isoformat()}")
        if source.title:
            text.append(" — “")
            text.append(one_line(source.title), style="italic")
            text.append("”")
        if source.according_to:
            text.append("  account of: ", style="dim")
            text.append(party_name(catalog, source.according_to), style="dim")
        if source.url:
            text.append("\n")
            text.append(one_line(source.url), style="underline")
        if source.note:
            text.append("\n")
            text.append(one_line(source.note), style="dim")
        rows.append((Text("•"), text))
    return rows


def account(analysis: Analysis, round_id: str) -> Group:
    """The round's whole account, as the screen shows it (everything wraps; nothing is cut)."""
    catalog = analysis.catalog
    index = catalog.round_index(round_id)
    rnd = catalog.rounds[index]
    parts: list[RenderableType] = list(head_lines(catalog, rnd))
    parts.append(_heading("Summary"))
    parts.append(Text(clean(rnd.summary).strip()) if rnd.summary else Text("No summary in the catalog.", style="dim"))
    parts.append(_heading("Sources"))
    cited = [sid for position in rnd.positions.values() for sid in position.sources if sid not in rnd.sources]
    others = list(dict.fromkeys(cited))
    if rnd.sources:
        parts.append(_bulleted(source_rows(catalog, rnd.sources)))
    if others:
        parts.append(Text("Also cited by this round's positions:", style="dim"))
        parts.append(_bulleted(source_rows(catalog, others)))
    if not rnd.sources and not others:
        parts.append(Text("No source named for this round.", style="dim"))
    parts.append(_heading("What changed"))
    # imported here: the export package loads every format (17 ms), and the help imports this
    # module for its keys alone
    from negotrack.store.export.common import round_sentences

    sentences = round_sentences(catalog, analysis, index)
    if sentences:
        rows = []
        for sentence in sentences:
            shift = sentence.shift
            mark = Text(SHIFT_GLYPHS[shift], style=SHIFT_STYLES.get(shift) or "bold") if shift is not None else Text("•")
            rows.append((mark, sentence_text(sentence.parts)))
        parts.append(_bulleted(rows))
    elif index == 0:
        parts.append(Text("Nothing reported in this first round.", style="dim"))
    else:
        parts.append(Text(f"Nothing changed since {round_name(catalog.rounds[index - 1])}.", style="dim"))
    return Group(*parts)


class RoundAccountScreen(Modal[str]):
    """A round's whole account; `[` and `]` read the round before or after. Dismissed with the
    id of the round shown last, so the App may follow the reader there."""

    AUTO_FOCUS = "#account-scroll"
    BINDINGS = [
        Binding("escape,q", "close", "Close"),
        Binding("left_square_bracket", "round(-1)", "Prev round", key_display="["),
        Binding("right_square_bracket", "round(1)", "Next round", key_display="]"),
    ]
    DEFAULT_CSS = """
    RoundAccountScreen { align: center middle; }
    #account-scroll {
        width: 100%; max-width: 110; height: 1fr; padding: 0 2;
        background: $surface; border: thick $primary;
    }
    """

    def __init__(self, analysis: Analysis, round_id: str) -> None:
        super().__init__()
        self.analysis = analysis
        self.round_id = round_id

    def compose(self) -> ComposeResult:
        with ReadingScroll(id="account-scroll"):
            yield Static(id="account-body")
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        self.query_one("#account-body", Static).update(account(self.analysis, self.round_id))
        self.query_one("#account-scroll", ReadingScroll).scroll_home(animate=False)

    def action_round(self, delta: int) -> None:
        rounds = self.analysis.catalog.rounds
        index = self.analysis.catalog.round_index(self.round_id) + delta
        if not 0 <= index < len(rounds):
            self.app.bell()
            return
        self.round_id = rounds[index].id
        self.show()

    def action_close(self) -> None:
        self.dismiss(self.round_id)
