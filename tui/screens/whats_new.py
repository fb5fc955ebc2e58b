"""Positions that changed since the user last looked; Enter jumps to one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from negotrack.store.changes import Change, split_key
from ..present import plain, stored_position_text
from .backdrop import Modal


class WhatsNewScreen(Modal[tuple[str, str, str] | None]):
    """Dismissed with (round, party, demand) of the chosen change, or None."""

    AUTO_FOCUS = "#whats-new-table"
    BINDINGS = [Binding("escape,w,q", "dismiss(None)", "Close")]

    def __init__(self, changes: tuple[Change, ...], seen_at: str | None) -> None:
        super().__init__()
        self.changes = [c for c in changes if c.section == "positions"]
        self.others = [c for c in changes if c.section != "positions"]
        self.seen_at = seen_at

    def compose(self) -> ComposeResult:
        with Vertical(id="whats-new-box"):
            since = f" since {self.seen_at}" if self.seen_at else ""
            yield Static(Text(f"What's new{since}", style="bold") + Text("   (Enter jumps to the cell, Esc closes)", style="dim"))
            yield DataTable(id="whats-new-table", cursor_type="row", zebra_stripes=True)
            if self.others:
                lines = Text("Also changed: ", style="dim")
                lines.append(", ".join(f"{c.section} {c.key} ({c.kind})" for c in self.others[:20]))
                yield Static(lines)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Round", "Party", "Demand", "Was", "Now")
        for change in self.changes:
            round_id, party, demand = split_key(change.key)
            table.add_row(plain(round_id, 24), plain(party, 16), plain(demand, 24),
                          plain(stored_position_text(change.old), 30), plain(stored_position_text(change.new), 30), key=change.key)
        if not self.changes:
            table.add_row(Text("No position changed since your last visit.", style="dim"), "", "", "", "")

    @on(DataTable.RowSelected)
    def _jump(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key and key.count("/") == 2:
            self.dismiss(split_key(key))
