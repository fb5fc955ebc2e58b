"""Every source, which positions cite it, and its link (shown; opening it is optional)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from negotrack.store.model import Catalog
from negotrack.store.text import one_line

from ..present import plain
from .backdrop import Modal


def citations(catalog: Catalog) -> dict[str, list[str]]:
    """source id -> 'round party demand' of every position citing it (round defaults included)."""
    cited: dict[str, list[str]] = {s.id: [] for s in catalog.sources}
    for r in catalog.rounds:
        for (party, demand), position in r.positions.items():
            for sid in position.sources:
                cited.setdefault(sid, []).append(f"{r.id} · {party} · {demand}")
    return cited


class SourcesScreen(Modal[None]):
    AUTO_FOCUS = "#sources-table"
    BINDINGS = [
        Binding("escape,s,q", "dismiss", "Close"),
        Binding("o", "open_url", "Open link"),
    ]

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog
        self.cited = citations(catalog)

    def compose(self) -> ComposeResult:
        with Vertical(id="sources-box"):
            yield Static(Text("Sources", style="bold") + Text("   (o opens the link, Esc closes)", style="dim"))
            yield DataTable(id="sources-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="source-detail")

    def on_mount(self) -> None:
        table = self.query_one("#sources-table", DataTable)
        table.add_columns("Outlet", "Date", "Title", "Cited by")
        for s in self.catalog.sources:
            table.add_row(plain(s.outlet, 24), Text(s.date.isoformat() if s.date else ""), plain(s.title, 50),
                          Text(str(len(self.cited.get(s.id, [])))), key=s.id)

    @on(DataTable.RowHighlighted, "#sources-table")
    def _show(self, event: DataTable.RowHighlighted) -> None:
        source = self.catalog.source(str(event.row_key.value))
        if source is None:
            return
        text = Text()
        text.append(one_line(source.title or source.outlet), style="bold")
        if source.url:
            text.append("\n")
            text.append(one_line(source.url), style="underline")
        if source.note:
            text.append("\n")
            text.append(one_line(source.note), style="italic")
        positions = self.cited.get(source.id, [])
        text.append(f"\nCited by {len(positions)} position{'s' if len(positions) != 1 else ''}:\n", style="dim")
        for line in positions[:50]:
            text.append("  ")
            text.append(plain(line))
            text.append("\n")
        self.query_one("#source-detail", Static).update(text)

    def action_open_url(self) -> None:
        table = self.query_one("#sources-table", DataTable)
        if not table.row_count:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        source = self.catalog.source(str(row_key.value))
        if source is None or not source.url or not source.url.startswith(("http://", "https://")):
            self.notify("This source has no web link.", markup=False)
            return
        self.app.open_url(source.url)
        self.notify(f"Opening {one_line(source.url, 200)}", markup=False)
