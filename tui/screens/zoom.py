"""The selected cell zoomed: the whole position, its account, quote and sources, on a screen of its own."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from .backdrop import Modal


class ZoomScreen(Modal[None]):
    """What `detail_lines` says about one cell, with the room of the whole screen."""

    AUTO_FOCUS = "#zoom-box"
    BINDINGS = [
        Binding("escape,z,q", "dismiss(None)", "Close"),
        Binding("j,down", "scroll(1)", "Down", show=False),
        Binding("k,up", "scroll(-1)", "Up", show=False),
    ]
    DEFAULT_CSS = """
    ZoomScreen { align: center middle; }
    #zoom-box { width: 90%; height: 90%; padding: 1 2; border: thick $primary; background: $surface; }
    """

    def __init__(self, lines: list[Text]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="zoom-box"):
            yield Static(Group(*self.lines, Text("Esc closes", style="dim")), id="zoom-body")

    def action_scroll(self, lines: int) -> None:
        self.query_one("#zoom-box", VerticalScroll).scroll_relative(y=lines, animate=False)
