"""Help, generated from the bindings that are active, so it can never fall out of date.

The help scrolls as soon as it opens (its scroll has the focus): arrows, j/k, Home/End, g/G,
PageUp/PageDown. Home and End are also the App's priority keys for the first and last round;
the App must refuse those actions while a screen is on top of the dashboard, or they would
change the round behind this one instead of scrolling it.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from negotrack.store.analysis import CLAIM_GLYPH, SHIFT_GLYPHS, SHIFT_MEANINGS, TREND_GLYPHS

from ..present import SHIFT_STYLES
from .reading import CLAIM_STYLE, STATUS_MARK, ReadingScroll


def _key(binding: Binding, app) -> str:  # noqa: ANN001 - the App, for its key display
    return binding.key_display or app.get_key_display(binding)


def key_table(app, sources: Iterable[Iterable[BindingType]], shown_only: bool = False) -> Table:  # noqa: ANN001
    """A row per key of `sources` (first description wins for a key), in the order given."""
    table = Table(box=None, show_header=False, padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    seen: set[str] = set()
    for source in sources:
        for binding in source:
            if not isinstance(binding, Binding) or (shown_only and not binding.show):
                continue
            labels = []
            for key in binding.key.split(","):
                one = Binding(key, binding.action, binding.description,
                              key_display=binding.key_display if key == binding.key else None)
                label = _key(one, app)
                if label not in seen:
                    seen.add(label)
                    labels.append(label)
            if labels:  # the tooltip is the long form of a description shortened for the footer
                table.add_row(" ".join(labels), binding.tooltip or binding.description)
    return table


def _title(text: str) -> Static:
    return Static(Text(f"\n{text}", style="bold underline"))


class HelpScreen(ModalScreen[None]):
    AUTO_FOCUS = "#help-box"
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        from ..widgets.matrix import Matrix
        from .compare import CompareDialog, CompareScreen
        from .round_account import RoundAccountScreen
        from .timeline import TimelineScreen

        app = self.app
        dashboard = key_table(app, (app.BINDINGS, Matrix.BINDINGS))
        dashboard.add_row("click", "Select a cell")
        dashboard.add_row("ctrl+p", "Command palette: every action, and go to round…")
        with ReadingScroll(id="help-box"):
            yield Static(Text("negotrack keys", style="bold underline"))
            yield Static(dashboard)
            yield _title("Choosing two rounds (the compare dialog)")
            yield Static(key_table(app, (CompareDialog.BINDINGS,)))
            yield Static(Text("Enter in the first list, then in the second, compares them.", style="dim"))
            yield _title("Two rounds side by side")
            yield Static(key_table(app, (CompareScreen.BINDINGS,)))
            yield _title("A round's account")
            yield Static(key_table(app, (RoundAccountScreen.BINDINGS,)))
            yield _title("Timeline")
            yield Static(key_table(app, (TimelineScreen.BINDINGS,)))
            yield _title("Reading keys (this help, compare, a round's account, timeline, errors)")
            yield Static(key_table(app, (ReadingScroll.BINDINGS,)))
            yield Static(Text("Home and End scroll a screen that is open; on the dashboard they go to the "
                              "first and last round.", style="dim"))
            yield _title("Glyphs (never colour alone)")
            glyphs = Table(box=None, show_header=False, padding=(0, 2))
            for shift, glyph in SHIFT_GLYPHS.items():
                glyphs.add_row(Text(glyph, style=SHIFT_STYLES[shift] or "bold"), shift.value, SHIFT_MEANINGS[shift])
            glyphs.add_row(Text("‡", style="yellow"), "disputed", "another outlet reported this position differently")
            glyphs.add_row(Text(CLAIM_GLYPH, style=CLAIM_STYLE), "claim",
                           "one side's account of another's stance (per …); lowercase in the timeline chart")
            glyphs.add_row(Text("★", style="bold magenta"), "new to you", "changed in the file since your last visit")
            glyphs.add_row(Text(STATUS_MARK), "announced / inferred",
                           "a round no report confirms: announced, or dated or placed by the catalog")
            for trend, glyph in TREND_GLYPHS.items():
                glyphs.add_row(glyph, f"gap {trend}", "")
            glyphs.add_row("◇", "zone", "the sides' numeric ranges overlap: a zone of possible agreement")
            yield Static(glyphs)
            yield Static(Text("\nEsc closes this help.", style="dim"))
