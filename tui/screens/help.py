"""Help, generated from the bindings that are active, so it can never fall out of date."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from negotrack.store.analysis import SHIFT_GLYPHS, SHIFT_MEANINGS, TREND_GLYPHS

from ..present import SHIFT_STYLES


def _key(binding: Binding, app) -> str:  # noqa: ANN001 - the App, for its key display
    return binding.key_display or app.get_key_display(binding)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        from ..widgets.matrix import Matrix

        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        seen: set[str] = set()
        for source in (self.app.BINDINGS, Matrix.BINDINGS):
            for binding in source:
                if not isinstance(binding, Binding):
                    continue
                for key in binding.key.split(","):
                    one = Binding(key, binding.action, binding.description, key_display=binding.key_display if key == binding.key else None)
                    label = _key(one, self.app)
                    if label in seen:
                        continue
                    seen.add(label)
                    table.add_row(label, binding.description)
        table.add_row("click", "Select a cell")
        table.add_row("ctrl+p", "Command palette: every action, and go to round…")
        with VerticalScroll(id="help-box"):
            yield Static(Text("negotrack keys", style="bold underline"))
            yield Static(table)
            yield Static(Text("\nGlyphs (never colour alone)", style="bold underline"))
            glyphs = Table(box=None, show_header=False, padding=(0, 2))
            for shift, glyph in SHIFT_GLYPHS.items():
                glyphs.add_row(Text(glyph, style=SHIFT_STYLES[shift] or "bold"), shift.value, SHIFT_MEANINGS[shift])
            glyphs.add_row(Text("‡", style="yellow"), "disputed", "another outlet reported this position differently")
            glyphs.add_row(Text("★", style="bold magenta"), "new to you", "changed in the file since your last visit")
            for trend, glyph in TREND_GLYPHS.items():
                glyphs.add_row(glyph, f"gap {trend}", "")
            glyphs.add_row("◇", "zone", "the sides' numeric ranges overlap: a zone of possible agreement")
            yield Static(glyphs)
            yield Static(Text("\nEsc closes this help.", style="dim"))
