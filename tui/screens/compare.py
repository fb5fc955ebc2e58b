"""Pick two rounds; the matrix then shows the second against the first."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from negotrack.store.model import Catalog

from ..present import plain


def _options(catalog: Catalog) -> list[Option]:
    return [Option(Text(f"{r.date.isoformat()} ") + plain(r.venue or "", 12) + Text(" ") + plain(r.id, 30), id=r.id)
            for r in catalog.rounds]


class CompareScreen(ModalScreen[None]):
    AUTO_FOCUS = "#compare-from"
    BINDINGS = [Binding("escape", "dismiss", "Cancel")]

    def __init__(self, catalog: Catalog, base: str | None, current: str | None) -> None:
        super().__init__()
        self.catalog = catalog
        ids = [r.id for r in catalog.rounds]
        self.current = ids.index(current) if current in ids else len(ids) - 1
        self.base = ids.index(base) if base in ids else max(self.current - 1, 0)

    def compose(self) -> ComposeResult:
        with Vertical(id="compare-box"):
            yield Static(Text("Compare two rounds: pick the earlier (baseline) and the later one, then Compare.", style="bold"))
            with Horizontal(id="compare-lists"):
                yield OptionList(*_options(self.catalog), id="compare-from")
                yield OptionList(*_options(self.catalog), id="compare-to")
            yield Button("Compare", id="compare-go", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#compare-from", OptionList).highlighted = self.base
        self.query_one("#compare-to", OptionList).highlighted = self.current

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "compare-from":
            self.query_one("#compare-to", OptionList).focus()
        else:
            self.query_one("#compare-go", Button).focus()

    @on(Button.Pressed, "#compare-go")
    def _go(self) -> None:
        base = self.query_one("#compare-from", OptionList).highlighted
        later = self.query_one("#compare-to", OptionList).highlighted
        if base is None or later is None:
            return
        self.dismiss()
        ids = [r.id for r in self.catalog.rounds]
        self.app.set_comparison(ids[base], ids[later])  # type: ignore[attr-defined]
